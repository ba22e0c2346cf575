//! The report of an `eval spans` run: every count and score, serialised by `--format json`
//! and rendered by [`crate::eval::render`].

use std::collections::BTreeMap;

use serde::Serialize;

use super::examples::ErrorExample;
use super::metrics::{Counts, LabelId};
use super::spans::{Outcome, Prepared};

/// Everything a run measured, as printed by `--format json`.
#[derive(Clone, Debug, Serialize)]
pub struct SpanReport {
    /// The gold file.
    pub gold: GoldSummary,
    /// The lowest confidence counted.
    pub min_confidence: String,
    /// One row per scored label: labels with a detector first.
    pub labels: Vec<LabelRow>,
    /// Micro-averaged over the labels that have a detector.
    pub micro: Totals,
    /// Micro-averaged over every scored label, including those with no detector.
    pub micro_all: Totals,
    /// Findings not counted because their label is not in the gold label set, per detector.
    pub not_counted: BTreeMap<String, u64>,
    /// `--require` targets and whether they were met.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// Error examples per label (only with `--show-errors`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, ErrorLists>>,
    /// How long scanning and scoring took.
    pub timing: Timing,
}

/// The gold file read.
#[derive(Clone, Debug, Serialize)]
pub struct GoldSummary {
    /// The path, as given.
    pub path: String,
    /// The format read.
    pub format: String,
    /// Records scored.
    pub records: usize,
    /// Characters in them.
    pub characters: u64,
    /// Gold spans scored.
    pub spans: u64,
    /// Gold spans left out, by the label the file gives them.
    pub ignored: BTreeMap<String, u64>,
}

/// One scored label.
#[derive(Clone, Debug, Serialize)]
pub struct LabelRow {
    /// The label.
    pub label: String,
    /// The active detectors whose findings count as this label (empty: no detector).
    pub detectors: Vec<String>,
    /// Gold spans.
    pub gold: u64,
    /// Counted predictions.
    pub predicted: u64,
    /// Exact-match scores.
    pub exact: Score,
    /// Overlap-match scores.
    pub overlap: Score,
}

/// Counts and the scores derived from them.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Score {
    /// Counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl From<Counts> for Score {
    fn from(counts: Counts) -> Score {
        Score {
            counts,
            precision: counts.precision(),
            recall: counts.recall(),
            f1: counts.f1(),
        }
    }
}

/// Micro-averaged totals.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Totals {
    /// Exact match.
    pub exact: Score,
    /// Overlap match.
    pub overlap: Score,
}

/// A `--require` target: an exact-match F1 a label must reach.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// The label.
    pub label: String,
    /// The lowest acceptable exact-match F1.
    pub min_f1: f64,
    /// The measured exact-match F1.
    pub f1: f64,
    /// Whether `f1 >= min_f1`.
    pub met: bool,
}

/// Error examples of one label.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorLists {
    /// Predictions overlapping no gold span of their label.
    pub false_positives: Vec<ErrorExample>,
    /// Gold spans no prediction of their label overlaps.
    pub false_negatives: Vec<ErrorExample>,
    /// Predictions overlapping a gold span with other boundaries.
    pub boundary: Vec<ErrorExample>,
}

/// Time and throughput.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Timing {
    /// Seconds spent scanning and scoring.
    pub seconds: f64,
    /// UTF-8 bytes scanned.
    pub bytes: u64,
    /// Megabytes (10^6 bytes) per second.
    pub mb_per_s: f64,
    /// Threads.
    pub threads: usize,
}

impl SpanReport {
    /// Builds the report of a run.
    pub fn new(
        path: &str,
        format: &str,
        min_confidence: &str,
        prepared: &Prepared,
        outcome: Outcome,
        with_errors: bool,
    ) -> SpanReport {
        let scoring = &prepared.scoring;
        let mut micro = (Counts::default(), Counts::default());
        let mut micro_all = (Counts::default(), Counts::default());
        let mut labels = Vec::new();
        for (i, t) in outcome.labels.iter().enumerate() {
            let has = scoring.has_detector(i as LabelId);
            if has {
                micro.0.add(t.exact);
                micro.1.add(t.overlap);
            }
            micro_all.0.add(t.exact);
            micro_all.1.add(t.overlap);
            labels.push(LabelRow {
                label: scoring.labels[i].clone(),
                detectors: scoring.detectors[i].clone(),
                gold: t.gold,
                predicted: t.predicted,
                exact: t.exact.into(),
                overlap: t.overlap.into(),
            });
        }
        let errors = with_errors.then(|| {
            outcome
                .errors
                .into_iter()
                .enumerate()
                .map(|(i, e)| {
                    let lists = ErrorLists {
                        false_positives: e.false_positives,
                        false_negatives: e.false_negatives,
                        boundary: e.boundary,
                    };
                    (scoring.labels[i].clone(), lists)
                })
                .collect()
        });
        let seconds = outcome.elapsed.as_secs_f64();
        SpanReport {
            gold: GoldSummary {
                path: path.to_string(),
                format: format.to_string(),
                records: outcome.records,
                characters: outcome.chars,
                spans: outcome.labels.iter().map(|t| t.gold).sum(),
                ignored: prepared.ignored.clone(),
            },
            min_confidence: min_confidence.to_string(),
            labels,
            micro: Totals {
                exact: micro.0.into(),
                overlap: micro.1.into(),
            },
            micro_all: Totals {
                exact: micro_all.0.into(),
                overlap: micro_all.1.into(),
            },
            not_counted: outcome.not_counted,
            targets: Vec::new(),
            errors,
            timing: Timing {
                seconds,
                bytes: outcome.bytes,
                mb_per_s: if seconds > 0.0 {
                    outcome.bytes as f64 / 1e6 / seconds
                } else {
                    0.0
                },
                threads: outcome.threads,
            },
        }
    }

    /// Checks `--require` targets (label, lowest exact F1) and records them. Labels must be
    /// scored (the caller checks).
    pub fn check_targets(&mut self, targets: &[(String, f64)]) -> bool {
        self.targets = targets
            .iter()
            .filter_map(|(label, min)| {
                let row = self.labels.iter().find(|l| &l.label == label)?;
                Some(Target {
                    label: label.clone(),
                    min_f1: *min,
                    f1: row.exact.f1,
                    met: row.exact.f1 >= *min,
                })
            })
            .collect();
        self.targets.iter().all(|t| t.met)
    }

    /// The one-line summary of time and throughput.
    pub fn timing_line(&self) -> String {
        let t = &self.timing;
        format!(
            "scored {} records ({:.1} MB) in {:.2} s: {:.1} MB/s on {} thread{}",
            self.gold.records,
            t.bytes as f64 / 1e6,
            t.seconds,
            t.mb_per_s,
            t.threads,
            if t.threads == 1 { "" } else { "s" }
        )
    }
}
