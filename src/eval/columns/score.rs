//! Scoring predicted column labels: per-label precision, recall and F1, macro-F1 over the
//! personal labels, and the binary personal-versus-none F1.
//!
//! A ratio with a zero denominator is vacuously 1 for precision and recall, and F1 is
//! `2TP / (2TP + FP + FN)`, 0 when that is 0/0 only if something was expected or predicted.
//! Macro-F1 averages the personal labels that occur in the gold labels or the predictions of
//! the scope, so predicting a label that never occurs costs.

use serde::Serialize;
use shujian_classify::Label;

/// One gold column with its prediction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoredColumn {
    /// Table name.
    pub table: String,
    /// Column name.
    pub column: String,
    /// The column comment.
    pub comment: String,
    /// Gold label.
    pub gold: Label,
    /// Predicted label (`NONE` when no prediction was given for the column).
    pub predicted: Label,
    /// The gold label is doubtful.
    pub doubtful: bool,
    /// Whether a prediction was found for the column.
    pub found: bool,
    /// The classifier's reason codes, when it ran here.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reasons: String,
}

/// Precision, recall and F1 of one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelScore {
    /// The label.
    pub label: Label,
    /// Gold columns with the label.
    pub support: u64,
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl LabelScore {
    fn new(label: Label, tp: u64, fp: u64, fn_: u64) -> LabelScore {
        let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let f1 = if 2 * tp + fp + fn_ == 0 {
            1.0
        } else {
            2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
        };
        LabelScore {
            label,
            support: tp + fn_,
            tp,
            fp,
            fn_,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1,
        }
    }
}

/// The scores of one scope (all rows, or the rows not marked doubtful).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScopeScores {
    /// Columns scored.
    pub columns: u64,
    /// Gold personal columns.
    pub pi_columns: u64,
    /// Columns whose predicted label equals the gold label.
    pub correct: u64,
    /// Per label that occurs in the gold labels or the predictions, `NONE` first.
    pub labels: Vec<LabelScore>,
    /// Mean F1 over the personal labels in `labels`.
    pub macro_f1_pi: f64,
    /// Personal (any label but NONE) versus NONE.
    pub pi_vs_none: LabelScore,
}

/// Scores a set of columns.
pub fn score<'a>(rows: impl IntoIterator<Item = &'a ScoredColumn>) -> ScopeScores {
    let mut tp = [0u64; Label::COUNT];
    let mut fp = [0u64; Label::COUNT];
    let mut fn_ = [0u64; Label::COUNT];
    let (mut btp, mut bfp, mut bfn) = (0, 0, 0);
    let (mut columns, mut pi_columns, mut correct) = (0, 0, 0);
    for r in rows {
        columns += 1;
        if r.gold.is_pi() {
            pi_columns += 1;
        }
        if r.gold == r.predicted {
            correct += 1;
            tp[r.gold.index()] += 1;
        } else {
            fn_[r.gold.index()] += 1;
            fp[r.predicted.index()] += 1;
        }
        match (r.gold.is_pi(), r.predicted.is_pi()) {
            (true, true) => btp += 1,
            (false, true) => bfp += 1,
            (true, false) => bfn += 1,
            (false, false) => {}
        }
    }
    let labels: Vec<LabelScore> = Label::ALL
        .into_iter()
        .filter(|l| tp[l.index()] + fp[l.index()] + fn_[l.index()] > 0)
        .map(|l| LabelScore::new(l, tp[l.index()], fp[l.index()], fn_[l.index()]))
        .collect();
    let pi: Vec<f64> = labels
        .iter()
        .filter(|s| s.label.is_pi())
        .map(|s| s.f1)
        .collect();
    let macro_f1_pi = if pi.is_empty() {
        1.0
    } else {
        pi.iter().sum::<f64>() / pi.len() as f64
    };
    ScopeScores {
        columns,
        pi_columns,
        correct,
        labels,
        macro_f1_pi,
        pi_vs_none: LabelScore::new(Label::OtherPi, btp, bfp, bfn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(gold: Label, predicted: Label) -> ScoredColumn {
        ScoredColumn {
            table: "t".into(),
            column: "c".into(),
            comment: String::new(),
            gold,
            predicted,
            doubtful: false,
            found: true,
            reasons: String::new(),
        }
    }

    #[test]
    fn per_label_macro_and_binary() {
        use Label::*;
        let rows = [
            row(Phone, Phone),
            row(Phone, None),
            row(Email, Phone),
            row(None, None),
            row(None, Gender),
        ];
        let s = score(&rows);
        assert_eq!(s.columns, 5);
        assert_eq!(s.pi_columns, 3);
        assert_eq!(s.correct, 2);
        let phone = s.labels.iter().find(|x| x.label == Phone).unwrap();
        assert_eq!((phone.tp, phone.fp, phone.fn_), (1, 1, 1));
        assert!((phone.f1 - 0.5).abs() < 1e-9);
        let email = s.labels.iter().find(|x| x.label == Email).unwrap();
        assert_eq!(email.f1, 0.0);
        // Gender never occurs in gold but was predicted: it counts with F1 0.
        let gender = s.labels.iter().find(|x| x.label == Gender).unwrap();
        assert_eq!((gender.tp, gender.fp, gender.precision), (0, 1, 0.0));
        assert!((s.macro_f1_pi - 0.5 / 3.0).abs() < 1e-9);
        // Binary: PI gold {Phone, Phone, Email}; predicted PI {Phone, Phone(email), Gender}.
        let b = &s.pi_vs_none;
        assert_eq!((b.tp, b.fp, b.fn_), (2, 1, 1));
        assert!((b.f1 - 4.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn empty_scope_is_vacuously_perfect() {
        let s = score(&[]);
        assert_eq!(s.macro_f1_pi, 1.0);
        assert_eq!(s.pi_vs_none.f1, 1.0);
    }
}
