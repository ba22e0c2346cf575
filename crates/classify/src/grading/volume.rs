//! Volume rules: thresholds on the number of persons an asset holds data about, as data
//! (`rules/templates/volume.toml`), each raising a flag with its rule cited (spec §5.1, §7.1,
//! §9.1, §9.4).
//!
//! Boundaries are written exactly as the instrument says: `at_least` (≥, 以上/含), `more_than`
//! (>, 超过), `below` (<, 不满), `at_most` (≤, 以下).

use serde::{Deserialize, Serialize};
use shujian_detect::{RuleError, RuleFile};
use toml::Spanned;

use super::grade::CandidateGrade;
use shujian_detect::rules::line_col;

/// What a volume rule counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Persons whose personal information the asset holds.
    Persons,
    /// Persons whose sensitive personal information the asset holds.
    SensitivePersons,
}

impl Measure {
    /// The code used in the rule files.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Persons => "persons",
            Measure::SensitivePersons => "sensitive_persons",
        }
    }
}

/// A lower or upper bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lower {
    AtLeast(u64),
    MoreThan(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Upper {
    Below(u64),
    AtMost(u64),
}

/// One volume rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeRule {
    /// Id, unique in the file.
    pub id: String,
    /// Rules of the same group are alternatives: only the highest rank raised is kept.
    pub group: Option<String>,
    /// Rank within the group (higher wins).
    pub rank: u32,
    /// What it counts.
    pub measure: Measure,
    lower: Lower,
    upper: Option<Upper>,
    /// The flag raised (`incident_level:重大`, `pipl:pi_protection_officer` …).
    pub flag: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// Citation.
    pub cite: String,
    /// Proposes 重要/核心 for the asset.
    pub candidate: Option<CandidateGrade>,
    /// Rests on an item the spec could not confirm ([U]) or on shujian's inference.
    pub unverified: bool,
    /// A note for the reviewer.
    pub note: Option<String>,
    /// `file:line` where it was declared.
    pub origin: String,
}

impl VolumeRule {
    /// Whether a count meets the rule's bounds.
    pub fn holds(&self, value: u64) -> bool {
        let lower = match self.lower {
            Lower::AtLeast(n) => value >= n,
            Lower::MoreThan(n) => value > n,
        };
        let upper = match self.upper {
            None => true,
            Some(Upper::Below(n)) => value < n,
            Some(Upper::AtMost(n)) => value <= n,
        };
        lower && upper
    }

    /// The bounds in words: `≥ 1000000`, `≥ 100000 and < 1000000`, `> 10000000`.
    pub fn bounds(&self) -> String {
        let lower = match self.lower {
            Lower::AtLeast(n) => format!("≥ {n}"),
            Lower::MoreThan(n) => format!("> {n}"),
        };
        match self.upper {
            None => lower,
            Some(Upper::Below(n)) => format!("{lower} and < {n}"),
            Some(Upper::AtMost(n)) => format!("{lower} and ≤ {n}"),
        }
    }
}

/// A flag a volume rule raised for an asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VolumeFlag {
    /// The rule's id.
    pub rule: String,
    /// The flag.
    pub flag: String,
    /// What was counted.
    pub measure: Measure,
    /// The count.
    pub value: u64,
    /// The rule's bounds in words.
    pub bounds: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// Citation.
    pub cite: String,
    /// 重要/核心 proposed, never asserted.
    pub candidate: Option<CandidateGrade>,
    /// Rests on an unconfirmed item or an inference.
    pub unverified: bool,
    /// A note for the reviewer.
    pub note: Option<String>,
}

/// The volume rules in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeRules {
    /// The rules, in file order.
    pub rules: Vec<VolumeRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    group: Option<String>,
    #[serde(default)]
    rank: u32,
    measure: Measure,
    at_least: Option<Spanned<i64>>,
    more_than: Option<Spanned<i64>>,
    below: Option<Spanned<i64>>,
    at_most: Option<Spanned<i64>>,
    flag: String,
    title_zh: String,
    title_en: String,
    cite: String,
    candidate: Option<Spanned<String>>,
    #[serde(default)]
    unverified: bool,
    note: Option<String>,
}

impl VolumeRules {
    /// The built-in rules (`rules/templates/volume.toml`).
    pub fn builtin() -> Result<VolumeRules, RuleError> {
        VolumeRules::load(&RuleFile::new(
            "builtin:rules/templates/volume.toml",
            crate::template::builtin::VOLUME,
        ))
    }

    /// Loads a volume-rule file (the built-in one or a user's `DIR/templates/volume.toml`,
    /// which replaces it).
    pub fn load(file: &RuleFile) -> Result<VolumeRules, RuleError> {
        let raw: RawFile =
            toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
        let mut rules: Vec<VolumeRule> = Vec::new();
        for r in raw.rule {
            let id = r.id.get_ref().trim().to_string();
            let at = |msg: String| RuleError::at(file, Some(r.id.span()), msg);
            if id.is_empty() || rules.iter().any(|x| x.id == id) {
                return Err(at(format!("volume rule id `{id}` is empty or repeated")));
            }
            let count = |s: &Spanned<i64>| {
                u64::try_from(*s.get_ref()).map_err(|_| {
                    RuleError::at(
                        file,
                        Some(s.span()),
                        format!("`{}` must not be negative", s.get_ref()),
                    )
                })
            };
            let lower = match (&r.at_least, &r.more_than) {
                (Some(n), None) => Lower::AtLeast(count(n)?),
                (None, Some(n)) => Lower::MoreThan(count(n)?),
                _ => {
                    return Err(at(format!(
                        "volume rule `{id}` needs exactly one lower bound: `at_least` (≥) or `more_than` (>)"
                    )));
                }
            };
            let upper = match (&r.below, &r.at_most) {
                (None, None) => None,
                (Some(n), None) => Some(Upper::Below(count(n)?)),
                (None, Some(n)) => Some(Upper::AtMost(count(n)?)),
                (Some(_), Some(_)) => {
                    return Err(at(format!(
                        "volume rule `{id}` has both `below` and `at_most`"
                    )));
                }
            };
            let rule_candidate = match &r.candidate {
                None => None,
                Some(c) => Some(CandidateGrade::parse(c.get_ref()).ok_or_else(|| {
                    RuleError::at(
                        file,
                        Some(c.span()),
                        format!(
                            "candidate `{}`: expected `important` or `core`",
                            c.get_ref()
                        ),
                    )
                })?),
            };
            if r.flag.trim().is_empty() || r.cite.trim().is_empty() {
                return Err(at(format!(
                    "volume rule `{id}` needs a `flag` and a `cite`"
                )));
            }
            if r.unverified && r.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(at(format!(
                    "volume rule `{id}`: `unverified = true` needs a `note`"
                )));
            }
            let rule = VolumeRule {
                origin: format!(
                    "{}:{}",
                    file.name,
                    line_col(&file.text, r.id.span().start).0
                ),
                id,
                group: r.group,
                rank: r.rank,
                measure: r.measure,
                lower,
                upper,
                flag: r.flag,
                title_zh: r.title_zh,
                title_en: r.title_en,
                cite: r.cite,
                candidate: rule_candidate,
                unverified: r.unverified,
                note: r.note,
            };
            // A rule no count can meet is a mistake in the bounds.
            let least = match lower {
                Lower::AtLeast(n) => Some(n),
                Lower::MoreThan(n) => n.checked_add(1),
            };
            if least.is_none_or(|n| !rule.holds(n)) {
                return Err(at(format!(
                    "volume rule `{}`: no count satisfies {}",
                    rule.id,
                    rule.bounds()
                )));
            }
            rules.push(rule);
        }
        Ok(VolumeRules { rules })
    }

    /// The flags raised by these counts: every rule that holds, except that within a group
    /// only the highest rank raised is kept (e.g. one incident level).
    pub fn evaluate(&self, persons: u64, sensitive_persons: u64) -> Vec<VolumeFlag> {
        let raised: Vec<(&VolumeRule, u64)> = self
            .rules
            .iter()
            .filter_map(|r| {
                let value = match r.measure {
                    Measure::Persons => persons,
                    Measure::SensitivePersons => sensitive_persons,
                };
                r.holds(value).then_some((r, value))
            })
            .collect();
        raised
            .iter()
            .filter(|(r, _)| {
                r.group.as_ref().is_none_or(|g| {
                    raised
                        .iter()
                        .filter(|(o, _)| o.group.as_ref() == Some(g))
                        .all(|(o, _)| o.rank <= r.rank)
                })
            })
            .map(|&(r, value)| VolumeFlag {
                rule: r.id.clone(),
                flag: r.flag.clone(),
                measure: r.measure,
                value,
                bounds: r.bounds(),
                title_zh: r.title_zh.clone(),
                title_en: r.title_en.clone(),
                cite: r.cite.clone(),
                candidate: r.candidate,
                unverified: r.unverified,
                note: r.note.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> VolumeRules {
        VolumeRules::builtin().unwrap()
    }

    fn flags(persons: u64, spi: u64) -> Vec<String> {
        rules()
            .evaluate(persons, spi)
            .into_iter()
            .map(|f| f.flag)
            .collect()
    }

    fn has(persons: u64, spi: u64, flag: &str) -> bool {
        flags(persons, spi).iter().any(|f| f == flag)
    }

    /// The flag of `group` raised for these counts (the group keeps one level).
    fn level(persons: u64, spi: u64, prefix: &str) -> Vec<String> {
        let mut v: Vec<String> = flags(persons, spi)
            .into_iter()
            .filter(|f| f.starts_with(prefix))
            .collect();
        v.dedup();
        v
    }

    #[test]
    fn builtin_volume_rules_load_with_origins() {
        let r = rules();
        assert!(r.rules.len() >= 15);
        assert!(
            r.rules
                .iter()
                .all(|x| x.origin.starts_with("builtin:rules/templates/volume.toml:"))
        );
        assert!(r.rules.iter().all(|x| x.cite.contains("spec §")));
    }

    // spec §5.1: thresholds include the number itself (含).
    #[test]
    fn incident_levels_by_persons_pi_at_and_below_each_boundary() {
        let l = |n| level(n, 0, "incident_level:");
        assert_eq!(l(100_000_000), ["incident_level:特别重大"]);
        assert_eq!(l(99_999_999), ["incident_level:重大"]);
        assert_eq!(l(10_000_000), ["incident_level:重大"]);
        assert_eq!(l(9_999_999), ["incident_level:较大"]);
        assert_eq!(l(1_000_000), ["incident_level:较大"]);
        assert_eq!(l(999_999), ["incident_level:一般"]);
        assert_eq!(l(1), ["incident_level:一般"]);
        assert!(l(0).is_empty());
    }

    #[test]
    fn incident_levels_by_sensitive_persons_at_and_below_each_boundary() {
        // Persons stay small so that only the SPI thresholds decide above 一般.
        let l = |n| level(n, n, "incident_level:");
        assert_eq!(l(10_000_000), ["incident_level:特别重大"]);
        assert_eq!(l(9_999_999), ["incident_level:重大"]);
        assert_eq!(l(1_000_000), ["incident_level:重大"]);
        assert_eq!(l(999_999), ["incident_level:较大"]);
        assert_eq!(l(100_000), ["incident_level:较大"]);
        assert_eq!(l(99_999), ["incident_level:一般"]);
        assert_eq!(level(0, 50, "incident_level:"), ["incident_level:一般"]);
    }

    #[test]
    fn incident_level_is_the_highest_condition_met() {
        // 2 million persons (较大 by PI) of whom 1 million with SPI (重大 by SPI) → 重大.
        assert_eq!(
            level(2_000_000, 1_000_000, "incident_level:"),
            ["incident_level:重大"]
        );
    }

    // spec §7.1, non-CII processor.
    #[test]
    fn cross_border_routes_at_and_below_each_boundary() {
        let l = |p, s| level(p, s, "cross_border:");
        let assess = ["cross_border:security_assessment"];
        let scc = ["cross_border:standard_contract_or_certification"];
        let exempt = ["cross_border:exempt_below_100k"];
        assert_eq!(l(1_000_000, 0), assess);
        assert_eq!(l(999_999, 0), scc);
        assert_eq!(l(100_000, 0), scc);
        assert_eq!(l(99_999, 0), exempt);
        assert_eq!(l(10_000, 10_000), assess);
        assert_eq!(l(9_999, 9_999), scc);
        // Any sensitive PI below 10,000 persons still needs a contract or certification.
        assert_eq!(l(50, 1), scc);
        assert!(l(0, 0).is_empty());
    }

    // spec §9.1.
    #[test]
    fn pipl_officer_from_one_million_persons_inclusive() {
        assert!(has(1_000_000, 0, "pipl:pi_protection_officer"));
        assert!(!has(999_999, 0, "pipl:pi_protection_officer"));
    }

    #[test]
    fn pipl_biennial_audit_above_ten_million_exclusive() {
        assert!(has(10_000_001, 0, "pipl:compliance_audit_every_2_years"));
        assert!(!has(10_000_000, 0, "pipl:compliance_audit_every_2_years"));
    }

    #[test]
    fn pipl_ordered_audit_from_one_million_pi_or_100k_spi() {
        let f = "pipl:ordered_audit_on_incident";
        assert!(has(1_000_000, 0, f));
        assert!(!has(999_999, 0, f));
        assert!(has(100_000, 100_000, f));
        assert!(!has(99_999, 99_999, f));
        // Both conditions met: the group keeps both reasons, one flag name.
        let both = rules().evaluate(2_000_000, 200_000);
        assert_eq!(both.iter().filter(|x| x.flag == f).count(), 2);
    }

    // spec §9.4 [U]: flagged unverified.
    #[test]
    fn gbt45574_officer_claim_is_unverified_and_exclusive() {
        let r = rules();
        let f = r.evaluate(100_001, 100_001);
        let claim = f.iter().find(|x| x.flag == "gbt45574:spi_officer").unwrap();
        assert!(claim.unverified);
        assert!(claim.note.as_deref().unwrap().contains("[U]"));
        assert!(
            !r.evaluate(100_000, 100_000)
                .iter()
                .any(|x| x.flag == "gbt45574:spi_officer")
        );
    }

    #[test]
    fn scale_candidates_are_proposed_at_major_incident_thresholds() {
        let c = |p, s| {
            rules()
                .evaluate(p, s)
                .into_iter()
                .filter_map(|f| f.candidate.map(|c| (c, f.unverified)))
                .collect::<Vec<_>>()
        };
        assert_eq!(c(10_000_000, 0), [(CandidateGrade::Important, true)]);
        assert!(c(9_999_999, 0).is_empty());
        assert_eq!(c(1_000_000, 1_000_000), [(CandidateGrade::Important, true)]);
        assert!(c(999_999, 999_999).is_empty());
    }

    #[test]
    fn bounds_are_checked_and_errors_name_the_line() {
        let load = |text: &str| VolumeRules::load(&RuleFile::new("v.toml", text));
        let head = "[[rule]]\nid = \"x\"\nmeasure = \"persons\"\nflag = \"f\"\ntitle_zh = \"t\"\ntitle_en = \"t\"\ncite = \"spec §5.1\"\n";
        let e = load(head).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("v.toml", Some(2)), "{e}");
        assert!(e.message.contains("lower bound"), "{e}");
        let e = load(&format!("{head}at_least = 10\nbelow = 10\n")).unwrap_err();
        assert!(e.message.contains("no count satisfies"), "{e}");
        let e = load(&format!("{head}at_least = -1\n")).unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");
        let e = load(&format!("{head}at_least = 1\nmeasure2 = 3\n")).unwrap_err();
        assert_eq!(e.line, Some(9), "{e}");
        let ok = load(&format!("{head}more_than = 5\nat_most = 6\n")).unwrap();
        assert!(!ok.rules[0].holds(5) && ok.rules[0].holds(6) && !ok.rules[0].holds(7));
        assert_eq!(ok.rules[0].bounds(), "> 5 and ≤ 6");
    }
}
