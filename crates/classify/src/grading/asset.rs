//! An asset's (table's, file's) grade from its columns and the persons it holds.

use serde::Serialize;

use super::classification::{Classification, ClassificationReason, SectorGrade};
use super::grade::{CandidateGrade, GeneralLevel, Grade};
use super::volume::{VolumeFlag, VolumeRules};

/// How many persons an asset holds data about: an estimate the caller makes (e.g. distinct
/// resident IDs or phone numbers in the asset).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonsEstimate {
    /// Persons whose personal information the asset holds.
    pub persons: u64,
    /// Persons whose sensitive personal information it holds; `None`: all `persons` when
    /// any column is sensitive, else none.
    pub sensitive_persons: Option<u64>,
    /// How it was estimated (`distinct cn_resident_id`), shown in the reasons.
    pub basis: String,
}

/// An asset's grade and flags.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssetGrade {
    /// The asset's name.
    pub asset: String,
    /// The highest grade of its columns (spec §1.5).
    pub grade: Grade,
    /// The column that set the grade (the first with the highest grade).
    pub grade_set_by: Option<String>,
    /// The highest sector level of its columns, and the column that set it.
    pub sector_grade: Option<SectorGrade>,
    /// The column that set the sector level.
    pub sector_grade_set_by: Option<String>,
    /// 重要/核心 proposed for a person to confirm (columns' candidates and volume rules),
    /// only when above `grade`.
    pub candidate_grade: Option<CandidateGrade>,
    /// Any column holds personal information.
    pub pi: bool,
    /// Any column holds sensitive personal information.
    pub spi: bool,
    /// Columns with personal information.
    pub pi_columns: Vec<String>,
    /// Columns with sensitive personal information.
    pub spi_columns: Vec<String>,
    /// The persons estimate used for the volume rules.
    pub persons: Option<PersonsEstimate>,
    /// Flags the volume rules raised.
    pub flags: Vec<VolumeFlag>,
    /// Why.
    pub reasons: Vec<ClassificationReason>,
    /// The grade's column or a raised flag or candidate rests on an unconfirmed item.
    pub unverified: bool,
    /// Who confirmed it; empty until a person does.
    pub confirmed_by: Option<String>,
}

/// Grades an asset: the highest grade of its columns, the reason naming the column that set
/// it (spec §1.5: mixed grades that cannot be separated are protected at the highest), plus
/// the flags of the volume rules for the persons estimate (spec §5.1, §7.1, §9.1).
///
/// 重要/核心 become `candidate_grade` with reasons, never `grade`, unless a person already
/// confirmed a column at that grade.
pub fn grade_asset(
    asset: &str,
    columns: &[Classification],
    persons: Option<&PersonsEstimate>,
    rules: &VolumeRules,
) -> AssetGrade {
    let mut reasons = Vec::new();
    let mut unverified = false;

    // The first column with the highest grade sets it.
    let top = columns
        .iter()
        .fold(None::<&Classification>, |best, c| match best {
            Some(b) if b.grade >= c.grade => Some(b),
            _ => Some(c),
        });
    let grade = match top {
        Some(c) => {
            reasons.push(
                ClassificationReason::new(
                    format!("asset_grade:{}", c.column),
                    format!(
                        "资产级别取各列最高级别：列 {} 为{}（{}）",
                        c.column,
                        c.grade.name_zh(),
                        c.rule
                    ),
                    format!(
                        "the asset takes its columns' highest grade: column {} is {} ({})",
                        c.column, c.grade, c.rule
                    ),
                )
                .cited("spec §1.5 (MIIT Art 13: mixed grades → highest)"),
            );
            if c.unverified {
                unverified = true;
                reasons.push(ClassificationReason::new(
                    format!("unverified:{}", c.column),
                    format!("决定资产级别的列 {} 的依据含未经核实项", c.column),
                    format!(
                        "the column {} that sets the grade rests on unconfirmed items",
                        c.column
                    ),
                ));
            }
            c.grade
        }
        None => {
            reasons.push(ClassificationReason::new(
                "asset_grade:no_columns",
                "无已分类的列，按一般数据1级",
                "no classified columns: general-1",
            ));
            Grade::General(GeneralLevel::LOWEST)
        }
    };

    let sector_top = columns
        .iter()
        .filter_map(|c| c.sector_grade.as_ref().map(|s| (c, s)))
        .fold(
            None::<(&Classification, &SectorGrade)>,
            |best, (c, s)| match best {
                Some((_, bs)) if bs.rank >= s.rank => best,
                _ => Some((c, s)),
            },
        );
    if let Some((c, s)) = sector_top {
        reasons.push(ClassificationReason::new(
            format!("asset_sector_grade:{}", c.column),
            format!("行业级别取各列最高：列 {} 为{}", c.column, s.name),
            format!(
                "sector level is the columns' highest: column {} is {}",
                c.column, s.name
            ),
        ));
    }

    let pi_columns: Vec<String> = columns
        .iter()
        .filter(|c| c.pi)
        .map(|c| c.column.clone())
        .collect();
    let spi_columns: Vec<String> = columns
        .iter()
        .filter(|c| c.spi)
        .map(|c| c.column.clone())
        .collect();

    let mut candidate: Option<CandidateGrade> = None;
    for c in columns {
        if let Some(g) = c.candidate_grade {
            candidate = candidate.max(Some(g));
            reasons.push(ClassificationReason::new(
                format!("candidate:{}={}", g.grade().code(), c.column),
                format!("列 {} 被建议评估为{}（{}）", c.column, g.name_zh(), c.rule),
                format!(
                    "column {} is proposed as a candidate {} ({})",
                    c.column,
                    g.grade(),
                    c.rule
                ),
            ));
            unverified |= c.unverified;
        }
    }

    let mut flags = Vec::new();
    if let Some(p) = persons {
        let spi_persons =
            p.sensitive_persons
                .unwrap_or(if spi_columns.is_empty() { 0 } else { p.persons });
        reasons.push(ClassificationReason::new(
            format!("persons:{}", p.persons),
            format!(
                "涉及约 {} 人的个人信息、{} 人的敏感个人信息（{}）",
                p.persons, spi_persons, p.basis
            ),
            format!(
                "about {} persons' PI and {} persons' SPI ({})",
                p.persons, spi_persons, p.basis
            ),
        ));
        flags = rules.evaluate(p.persons, spi_persons);
        for f in &flags {
            reasons.push(
                ClassificationReason::new(
                    format!("volume:{}", f.rule),
                    f.title_zh.clone(),
                    f.title_en.clone(),
                )
                .cited(f.cite.clone()),
            );
            unverified |= f.unverified;
            if let Some(g) = f.candidate {
                candidate = candidate.max(Some(g));
            }
        }
    }
    // A candidate at or below a grade a person already confirmed is settled.
    let candidate = candidate.filter(|c| c.grade() > grade);

    AssetGrade {
        asset: asset.to_string(),
        grade,
        grade_set_by: top.map(|c| c.column.clone()),
        sector_grade: sector_top.map(|(_, s)| s.clone()),
        sector_grade_set_by: sector_top.map(|(c, _)| c.column.clone()),
        candidate_grade: candidate,
        pi: !pi_columns.is_empty(),
        spi: !spi_columns.is_empty(),
        pi_columns,
        spi_columns,
        persons: persons.cloned(),
        flags,
        reasons,
        unverified,
        confirmed_by: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::Grade;
    use crate::label::Label;
    use crate::template::{ColumnFacts, TemplateSet};

    fn facts<'a>(
        table: &'a str,
        table_comment: &'a str,
        column: &'a str,
        label: Label,
    ) -> ColumnFacts<'a> {
        ColumnFacts {
            table,
            table_comment,
            column,
            column_comment: "",
            label,
        }
    }

    fn g(n: u8) -> Grade {
        Grade::general(n).unwrap()
    }

    fn set() -> TemplateSet {
        TemplateSet::builtin().unwrap()
    }

    // spec §1.5: the asset takes the highest grade of its columns.
    #[test]
    fn asset_grade_is_the_highest_column_grade_named() {
        let s = set();
        let cols: Vec<Classification> = [
            ("name", Label::PersonName),
            ("sfzh", Label::CnResidentId),
            ("mobile", Label::Phone),
            ("remark", Label::None),
        ]
        .into_iter()
        .map(|(c, l)| {
            s.classify("gbt43697", &facts("user", "用户", c, l))
                .unwrap()
                .unwrap()
        })
        .collect();
        let rules = VolumeRules::builtin().unwrap();
        let a = grade_asset("user", &cols, None, &rules);
        assert_eq!(a.grade, g(4));
        // sfzh and mobile are both general-4: the first sets it.
        assert_eq!(a.grade_set_by.as_deref(), Some("sfzh"));
        assert!(
            a.reasons
                .iter()
                .any(|r| r.code == "asset_grade:sfzh" && r.zh.contains("sfzh"))
        );
        assert!(a.pi && a.spi);
        assert_eq!(a.spi_columns, ["sfzh"]);
        assert_eq!(a.pi_columns, ["name", "sfzh", "mobile"]);
        assert!(a.flags.is_empty());
        assert_eq!(a.candidate_grade, None);
        assert!(!a.unverified);

        // Only grade-3 columns: grade 3.
        let low = grade_asset("user", &cols[..1], None, &rules);
        assert_eq!(low.grade, g(3));
        assert_eq!(low.grade_set_by.as_deref(), Some("name"));

        // No columns: general-1, said so.
        let empty = grade_asset("empty", &[], None, &rules);
        assert_eq!(empty.grade, g(1));
        assert!(
            empty
                .reasons
                .iter()
                .any(|r| r.code == "asset_grade:no_columns")
        );
    }

    #[test]
    fn asset_candidates_are_proposed_never_asserted_until_confirmed() {
        let s = set();
        let rules = VolumeRules::builtin().unwrap();
        let mut cols: Vec<Classification> = [("cmd", Label::None), ("operator", Label::PersonName)]
            .into_iter()
            .map(|(c, l)| {
                s.classify("miit-industrial", &facts("plc_control", "控制指令", c, l))
                    .unwrap()
                    .unwrap()
            })
            .collect();
        let a = grade_asset("plc_control", &cols, None, &rules);
        assert_eq!(a.grade, g(3));
        assert_eq!(a.candidate_grade, Some(CandidateGrade::Important));
        assert!(
            a.reasons
                .iter()
                .any(|r| r.code == "candidate:important=cmd")
        );

        cols[0].confirm("李四", Grade::Important);
        let a = grade_asset("plc_control", &cols, None, &rules);
        assert_eq!(a.grade, Grade::Important);
        assert_eq!(a.grade_set_by.as_deref(), Some("cmd"));
        assert_eq!(a.candidate_grade, None);
    }

    #[test]
    fn asset_volume_flags_use_the_persons_estimate() {
        let s = set();
        let rules = VolumeRules::builtin().unwrap();
        let cols = vec![
            s.classify("gbt43697", &facts("user", "", "sfzh", Label::CnResidentId))
                .unwrap()
                .unwrap(),
        ];
        let est = |n| PersonsEstimate {
            persons: n,
            sensitive_persons: None,
            basis: "distinct cn_resident_id".to_string(),
        };
        // An SPI column: sensitive persons default to all persons.
        let a = grade_asset("user", &cols, Some(&est(1_000_000)), &rules);
        let flags: Vec<&str> = a.flags.iter().map(|f| f.flag.as_str()).collect();
        assert!(flags.contains(&"incident_level:重大"), "{flags:?}");
        assert!(flags.contains(&"pipl:pi_protection_officer"));
        assert!(flags.contains(&"cross_border:security_assessment"));
        assert_eq!(a.candidate_grade, Some(CandidateGrade::Important));
        assert!(a.unverified, "the scale candidate is an inference, flagged");
        assert!(a.reasons.iter().any(
            |r| r.code == "volume:pipl.officer" && r.cite.as_deref().unwrap().contains("§9.1")
        ));

        let b = grade_asset("user", &cols, Some(&est(999_999)), &rules);
        assert!(
            !b.flags
                .iter()
                .any(|f| f.flag == "pipl:pi_protection_officer")
        );
        assert_eq!(b.candidate_grade, None);

        // No SPI column: sensitive persons are zero.
        let name = vec![
            s.classify("gbt43697", &facts("user", "", "name", Label::PersonName))
                .unwrap()
                .unwrap(),
        ];
        let c = grade_asset("user", &name, Some(&est(150_000)), &rules);
        let flags: Vec<&str> = c.flags.iter().map(|f| f.flag.as_str()).collect();
        assert!(
            flags.contains(&"cross_border:standard_contract_or_certification"),
            "{flags:?}"
        );
        assert!(flags.contains(&"incident_level:一般"));
    }
}
