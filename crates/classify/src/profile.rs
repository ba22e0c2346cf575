//! The result of classifying one column.

use std::collections::BTreeMap;

use serde::Serialize;
use shujian_detect::Confidence;

use crate::label::Label;

/// One reason that moved a label's score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    /// Stable code with its argument: `name_hint:sfzh`, `hit_ratio:cn_resident_id=0.98`,
    /// `shape:gender_word=1.00`, `table:catalog`, `blocker:id` …
    pub code: String,
    /// The label the points went to (`NONE` for blockers that lower every label).
    pub label: Label,
    /// Points given (negative: taken).
    pub points: f32,
    /// Chinese explanation.
    pub zh: String,
    /// English explanation.
    pub en: String,
}

/// A candidate label with its score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// The label.
    pub label: Label,
    /// Its score.
    pub score: f32,
}

/// Everything shujian knows about one column: the chosen label with confidence and reasons,
/// and the value statistics behind it. Examples are masked; raw values are never kept.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnProfile {
    /// Table (or sheet, file) name.
    pub table: String,
    /// Column (or field, header) name.
    pub column: String,
    /// The chosen label.
    pub label: Label,
    /// Confidence level.
    pub confidence: Confidence,
    /// Confidence as a number in 0..1.
    pub confidence_score: f32,
    /// The chosen label's score (for `NONE`: the best personal label's score, below the
    /// threshold).
    pub score: f32,
    /// The best labels by score, best first (at most three, positive scores only).
    pub candidates: Vec<Candidate>,
    /// Why, in the order the evidence was weighed.
    pub reasons: Vec<Reason>,
    /// Share of non-empty values each detector found whole, by detector id (non-zero only).
    pub hit_ratios: BTreeMap<String, f32>,
    /// Share of non-empty values with each shape, by shape code (non-zero only).
    pub shape_ratios: BTreeMap<String, f32>,
    /// Non-empty values seen.
    pub non_empty: u64,
    /// Empty values (nulls) seen.
    pub empty: u64,
    /// Estimated number of distinct non-empty values.
    pub distinct_estimate: u64,
    /// Masked examples.
    pub examples: Vec<String>,
}

impl ColumnProfile {
    /// Whether the column holds personal information.
    pub fn is_pi(&self) -> bool {
        self.label.is_pi()
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
