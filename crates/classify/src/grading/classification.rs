//! One column's classification: what a template says about it, and why.

use serde::Serialize;

use super::grade::{CandidateGrade, Grade};
use crate::label::Label;

/// One reason behind a classification or an asset grade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassificationReason {
    /// Stable code with its argument: `label:CN_RESIDENT_ID`, `table_context:employee=员工`,
    /// `rule:gbt43697/pi.identity.resident_id`, `unverified:ydt3813`, `asset_grade:sfzh` …
    pub code: String,
    /// Chinese explanation.
    pub zh: String,
    /// English explanation.
    pub en: String,
    /// The source cited (`spec §9.2 …`), when the reason rests on one.
    pub cite: Option<String>,
}

impl ClassificationReason {
    /// A reason without a citation.
    pub fn new(
        code: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ClassificationReason {
        ClassificationReason {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            cite: None,
        }
    }

    /// The same reason citing a source.
    pub fn cited(mut self, cite: impl Into<String>) -> ClassificationReason {
        self.cite = Some(cite.into());
        self
    }
}

/// A sector standard's own level (YD/T 3813 `第三级` …) with its rank in the template's
/// ladder (0 = lowest), so that assets can take the highest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectorGrade {
    /// The level as the template names it.
    pub name: String,
    /// Position in the template's `sector_grades`, lowest first.
    pub rank: usize,
}

/// What a template says about one column.
///
/// `grade` is always a general sub-grade when shujian produces it; 重要/核心 appear only as
/// `candidate_grade` until a person confirms ([`Classification::confirm`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Classification {
    /// Table (sheet, file) name.
    pub table: String,
    /// Column (field) name.
    pub column: String,
    /// The column label the classification started from.
    pub label: Label,
    /// Template id (`gbt43697`, `ydt3813`, `miit-industrial`, or a user's).
    pub template: String,
    /// The rule that decided the category, as `template/rule`.
    pub rule: String,
    /// Category path, `/`-separated (`个人信息/个人身份信息/身份证件号码`).
    pub category: String,
    /// The base template's category, when the template has a base (for personal
    /// information: its PI category under the national baseline).
    pub baseline_category: Option<String>,
    /// Grade: the highest general sub-grade of the rule and its baseline, or what a person
    /// confirmed.
    pub grade: Grade,
    /// The sector standard's own level, when the template has one.
    pub sector_grade: Option<SectorGrade>,
    /// 重要/核心 proposed for a person to confirm, never asserted.
    pub candidate_grade: Option<CandidateGrade>,
    /// Personal information (个人信息).
    pub pi: bool,
    /// Sensitive personal information (敏感个人信息, PIPL Art 28, spec §9.1).
    pub spi: bool,
    /// Why it is sensitive (the PIPL category or GB/T 35273 Appendix B example).
    pub spi_basis: Option<String>,
    /// The deciding rule's citation.
    pub citation: String,
    /// Why, in the order the evidence was weighed.
    pub reasons: Vec<ClassificationReason>,
    /// Some part of the basis is unconfirmed in the spec ([U]); the reasons say which
    /// (`unverified:…` codes). A person should check it against the source.
    pub unverified: bool,
    /// Who confirmed it; empty until a person does.
    pub confirmed_by: Option<String>,
}

impl Classification {
    /// Records a person's confirmation, with the grade they decided (which may be 重要 or
    /// 核心: only a person may set those). A candidate at or below the confirmed grade is
    /// settled and cleared.
    pub fn confirm(&mut self, by: &str, grade: Grade) {
        let before = self.grade;
        self.grade = grade;
        self.confirmed_by = Some(by.to_string());
        if self.candidate_grade.is_some_and(|c| c.grade() <= grade) {
            self.candidate_grade = None;
        }
        self.reasons.push(ClassificationReason::new(
            format!("confirmed:{}", grade.code()),
            format!("{by} 确认为{}（原为{}）", grade.name_zh(), before.name_zh()),
            format!("confirmed as {grade} by {by} (was {before})"),
        ));
    }

    /// The reason codes, comma-separated (for tables and CSV).
    pub fn reason_codes(&self) -> String {
        self.reasons
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
