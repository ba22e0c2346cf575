//! Label mapping: detector ids and gold labels onto one vocabulary.
//!
//! Detectors map to the labels of the faker-zh set (`cn_mobile` → `PHONE` …); a detector
//! without an entry maps to its id in upper case (`imei` → `IMEI`). Gold labels keep their
//! spelling unless the format has aliases:
//!
//! * CLUENER2020: `name` → PERSON, `address` → ADDRESS, `company` → COMPANY,
//!   `organization` → ORGANIZATION; the others keep their names.
//! * Weibo NER: `PER.NAM` → PERSON; `LOC.NAM` and `GPE.NAM` → PLACE; `ORG.NAM` →
//!   ORGANIZATION; nominal mentions (`*.NOM`: 老师, 朋友, 城市) are not names and are ignored.
//! * People's Daily: `PER` → PERSON, `LOC` → PLACE, `ORG` → ORGANIZATION.
//!
//! Place names (北京, 长江) are PLACE, not ADDRESS: `cn_address` finds postal addresses (a
//! division plus 路/号/室 structure), which these sets do not label. Mapping one onto the
//! other would score the detector on a task it does not do.
//!
//! `--map DETECTOR=LABEL` and `--gold-map GOLD=LABEL` override; the label `-` ignores.

use std::collections::HashMap;

use super::gold::GoldFormat;

/// The label that means "ignore" in `--map` and `--gold-map`.
pub const IGNORE: &str = "-";

const DETECTOR_LABELS: [(&str, &str); 9] = [
    ("cn_resident_id", "CN_RESIDENT_ID"),
    ("cn_mobile", "PHONE"),
    ("cn_landline", "PHONE"),
    ("email", "EMAIL"),
    ("bank_card", "BANK_CARD"),
    ("ipv4", "IPV4"),
    ("ipv6", "IPV6"),
    ("cn_person_name", "PERSON"),
    ("cn_address", "ADDRESS"),
];

const CLUENER_ALIASES: [(&str, &str); 4] = [
    ("name", "PERSON"),
    ("address", "ADDRESS"),
    ("company", "COMPANY"),
    ("organization", "ORGANIZATION"),
];

const WEIBO_ALIASES: [(&str, &str); 4] = [
    ("PER.NAM", "PERSON"),
    ("LOC.NAM", "PLACE"),
    ("GPE.NAM", "PLACE"),
    ("ORG.NAM", "ORGANIZATION"),
];

const PEOPLES_DAILY_ALIASES: [(&str, &str); 3] =
    [("PER", "PERSON"), ("LOC", "PLACE"), ("ORG", "ORGANIZATION")];

/// Maps detector ids and gold labels to the labels that are scored.
#[derive(Clone, Debug)]
pub struct LabelMap {
    format: GoldFormat,
    detectors: HashMap<String, String>,
    gold: HashMap<String, String>,
}

impl LabelMap {
    /// The default mapping for gold files of `format`.
    pub fn new(format: GoldFormat) -> LabelMap {
        let aliases: &[(&str, &str)] = match format {
            GoldFormat::Cluener => &CLUENER_ALIASES,
            GoldFormat::Conll => &WEIBO_ALIASES,
            GoldFormat::Bio => &PEOPLES_DAILY_ALIASES,
            GoldFormat::Jsonl | GoldFormat::Auto => &[],
        };
        LabelMap {
            format,
            detectors: pairs(&DETECTOR_LABELS),
            gold: pairs(aliases),
        }
    }

    /// Maps a detector to `label` (`-` ignores its findings).
    pub fn set_detector(&mut self, id: &str, label: &str) {
        self.detectors.insert(id.to_string(), label.to_string());
    }

    /// Maps a gold label, as the file spells it, to `label` (`-` ignores its spans).
    pub fn set_gold(&mut self, raw: &str, label: &str) {
        self.gold.insert(raw.to_string(), label.to_string());
    }

    /// The label a detector's findings count as, or `None` when they are ignored.
    pub fn detector_label(&self, id: &str) -> Option<String> {
        match self.detectors.get(id) {
            Some(l) if l == IGNORE => None,
            Some(l) => Some(l.clone()),
            None => Some(id.to_ascii_uppercase()),
        }
    }

    /// The label a gold span counts as, or `None` when it is ignored.
    pub fn gold_label(&self, raw: &str) -> Option<String> {
        match self.gold.get(raw) {
            Some(l) if l == IGNORE => None,
            Some(l) => Some(l.clone()),
            // Weibo nominal mentions (老师, 朋友) are not names.
            None if self.format == GoldFormat::Conll && raw.ends_with(".NOM") => None,
            None => Some(raw.to_string()),
        }
    }
}

fn pairs(list: &[(&str, &str)]) -> HashMap<String, String> {
    list.iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// Parses `KEY=LABEL` (a `--map` or `--gold-map` value).
pub fn parse_assignment(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!(
            "`{s}` is not KEY=LABEL (use `-` as the label to ignore)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detectors_map_to_faker_labels_or_their_upper_case_id() {
        let m = LabelMap::new(GoldFormat::Jsonl);
        assert_eq!(m.detector_label("cn_mobile").as_deref(), Some("PHONE"));
        assert_eq!(m.detector_label("cn_landline").as_deref(), Some("PHONE"));
        assert_eq!(
            m.detector_label("cn_person_name").as_deref(),
            Some("PERSON")
        );
        assert_eq!(m.detector_label("imei").as_deref(), Some("IMEI"));
        assert_eq!(m.gold_label("PERSON").as_deref(), Some("PERSON"));
        assert_eq!(m.gold_label("PER.NOM").as_deref(), Some("PER.NOM"));
    }

    #[test]
    fn format_aliases() {
        let c = LabelMap::new(GoldFormat::Cluener);
        assert_eq!(c.gold_label("name").as_deref(), Some("PERSON"));
        assert_eq!(c.gold_label("address").as_deref(), Some("ADDRESS"));
        assert_eq!(c.gold_label("game").as_deref(), Some("game"));
        let w = LabelMap::new(GoldFormat::Conll);
        assert_eq!(w.gold_label("PER.NAM").as_deref(), Some("PERSON"));
        assert_eq!(w.gold_label("GPE.NAM").as_deref(), Some("PLACE"));
        assert_eq!(w.gold_label("LOC.NAM").as_deref(), Some("PLACE"));
        assert_eq!(w.gold_label("PER.NOM"), None);
        assert_eq!(w.gold_label("LOC.NOM"), None);
        let p = LabelMap::new(GoldFormat::Bio);
        assert_eq!(p.gold_label("PER").as_deref(), Some("PERSON"));
        assert_eq!(p.gold_label("LOC").as_deref(), Some("PLACE"));
    }

    #[test]
    fn overrides_and_ignore() {
        let mut m = LabelMap::new(GoldFormat::Conll);
        m.set_gold("PER.NOM", "PERSON");
        m.set_gold("ORG.NAM", IGNORE);
        m.set_detector("cn_address", "PLACE");
        m.set_detector("cn_mobile", IGNORE);
        assert_eq!(m.gold_label("PER.NOM").as_deref(), Some("PERSON"));
        assert_eq!(m.gold_label("ORG.NAM"), None);
        assert_eq!(m.detector_label("cn_address").as_deref(), Some("PLACE"));
        assert_eq!(m.detector_label("cn_mobile"), None);
    }

    #[test]
    fn assignments_parse() {
        assert_eq!(
            parse_assignment(" cn_address = PLACE "),
            Ok(("cn_address".into(), "PLACE".into()))
        );
        assert!(parse_assignment("cn_address").is_err());
        assert!(parse_assignment("=PLACE").is_err());
        assert!(parse_assignment("cn_address=").is_err());
    }
}
