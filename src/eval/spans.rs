//! `eval spans`: scan every gold record with the engine and score the findings.
//!
//! Preparation turns raw gold labels and detector ids into one set of *scored labels*: the
//! gold labels present in the file (or given with `--labels`). A finding counts only when its
//! detector maps to a scored label; others (an IMEI on a set without IMEI labels) are tallied
//! as "not counted". A scored label that no active detector maps to is reported with recall 0
//! and marked "no detector".
//!
//! Records are scored in parallel, in chunks; each chunk keeps its own tallies and the first
//! error examples, and chunks are merged in file order, so the output does not depend on the
//! number of threads.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use shujian_detect::{Builtin, DetectorId, DetectorKind, Engine, Finding, Scratch, TextWindow};

use super::examples::{ErrorExample, RecordView};
use super::gold::GoldRecord;
use super::labels::LabelMap;
use super::metrics::{Counts, LabelId, MatchMode, Span, count, match_spans};

/// The labels that are scored and how detectors and gold spans reach them.
#[derive(Clone, Debug)]
pub struct Scoring {
    /// Scored labels: those with an active detector first, then those without, each
    /// alphabetical. A [`LabelId`] indexes this list.
    pub labels: Vec<String>,
    /// Active detector ids per label.
    pub detectors: Vec<Vec<String>>,
    /// The label of each detector's findings (indexed by detector id), when counted.
    detector_label: Vec<Option<LabelId>>,
    /// The built-in detector whose masking rule suits each label's gold values.
    mask_as: Vec<Option<Builtin>>,
}

impl Scoring {
    /// Whether an active detector maps to the label.
    pub fn has_detector(&self, label: LabelId) -> bool {
        !self.detectors[usize::from(label)].is_empty()
    }

    /// The masking rule for gold values of a label.
    pub fn mask_as(&self, label: LabelId) -> Option<Builtin> {
        self.mask_as[usize::from(label)]
    }
}

/// A gold record with its spans mapped to scored labels.
#[derive(Clone, Debug)]
pub struct Record {
    /// 1-based line of the gold file.
    pub line: usize,
    /// The text.
    pub text: String,
    /// Gold spans, in code points.
    pub gold: Vec<Span>,
}

/// Gold records mapped onto scored labels.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// How labels are scored.
    pub scoring: Scoring,
    /// The records.
    pub records: Vec<Record>,
    /// Gold spans left out, by the label the file gives them (ignored by the mapping, or
    /// outside `--labels`).
    pub ignored: BTreeMap<String, u64>,
}

/// Maps gold records and the engine's detectors onto scored labels. `only_labels` (from
/// `--labels`) fixes the scored set; otherwise it is every mapped label in the gold file.
pub fn prepare(
    engine: &Engine,
    map: &LabelMap,
    gold: &[GoldRecord],
    only_labels: Option<&[String]>,
) -> Prepared {
    let mut ignored: BTreeMap<String, u64> = BTreeMap::new();
    let mut mapped: Vec<(&GoldRecord, Vec<Option<String>>)> = Vec::with_capacity(gold.len());
    let mut present = BTreeSet::new();
    for r in gold {
        let labels: Vec<Option<String>> =
            r.spans.iter().map(|s| map.gold_label(&s.label)).collect();
        present.extend(labels.iter().flatten().cloned());
        mapped.push((r, labels));
    }
    let scored: BTreeSet<String> = match only_labels {
        Some(l) => l.iter().cloned().collect(),
        None => present,
    };

    // The scored label of each active detector.
    let detector_labels: Vec<Option<String>> = engine
        .detectors()
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let active = engine.is_active(DetectorId(i as u16));
            map.detector_label(&d.id)
                .filter(|l| active && scored.contains(l))
        })
        .collect();
    let mut detectors_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut mask_of: BTreeMap<&str, Builtin> = BTreeMap::new();
    for (d, label) in engine.detectors().iter().zip(&detector_labels) {
        if let Some(label) = label {
            detectors_of.entry(label).or_default().push(d.id.clone());
            if let DetectorKind::Builtin(b) = d.kind {
                mask_of.entry(label).or_insert(b);
            }
        }
    }
    let mut labels: Vec<String> = scored.iter().cloned().collect();
    labels.sort_by_key(|l| (!detectors_of.contains_key(l.as_str()), l.clone()));
    let id_of = |l: &str| labels.iter().position(|x| x == l).map(|i| i as LabelId);

    let scoring = Scoring {
        detectors: labels
            .iter()
            .map(|l| detectors_of.get(l.as_str()).cloned().unwrap_or_default())
            .collect(),
        mask_as: labels
            .iter()
            .map(|l| mask_of.get(l.as_str()).copied())
            .collect(),
        detector_label: detector_labels
            .iter()
            .map(|l| l.as_deref().and_then(id_of))
            .collect(),
        labels: labels.clone(),
    };

    let records = mapped
        .into_iter()
        .map(|(r, labels)| {
            let mut gold = Vec::with_capacity(r.spans.len());
            for (s, label) in r.spans.iter().zip(labels) {
                match label.as_deref().and_then(id_of) {
                    Some(label) => gold.push(Span {
                        start: s.start,
                        end: s.end,
                        label,
                    }),
                    None => *ignored.entry(s.label.clone()).or_default() += 1,
                }
            }
            Record {
                line: r.line,
                text: r.text.clone(),
                gold,
            }
        })
        .collect();
    Prepared {
        scoring,
        records,
        ignored,
    }
}

/// What is counted for one scored label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LabelTally {
    /// Gold spans.
    pub gold: u64,
    /// Counted predictions.
    pub predicted: u64,
    /// Exact-match counts.
    pub exact: Counts,
    /// Overlap-match counts.
    pub overlap: Counts,
}

/// The first error examples of one label.
#[derive(Clone, Debug, Default)]
pub struct LabelErrors {
    /// Predictions overlapping no gold span of their label.
    pub false_positives: Vec<ErrorExample>,
    /// Gold spans no prediction of their label overlaps.
    pub false_negatives: Vec<ErrorExample>,
    /// Predictions overlapping a gold span with other boundaries.
    pub boundary: Vec<ErrorExample>,
}

impl LabelErrors {
    fn append(&mut self, mut other: LabelErrors, limit: usize) {
        for (mine, theirs) in [
            (&mut self.false_positives, &mut other.false_positives),
            (&mut self.false_negatives, &mut other.false_negatives),
            (&mut self.boundary, &mut other.boundary),
        ] {
            let room = limit.saturating_sub(mine.len());
            mine.extend(theirs.drain(..).take(room));
        }
    }
}

/// Options of a scoring run.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Error examples kept per label and kind.
    pub show_errors: usize,
    /// Show raw values in error examples instead of masked ones.
    pub show_values: bool,
}

/// The result of scoring every record.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Per scored label.
    pub labels: Vec<LabelTally>,
    /// Per scored label, when error examples were asked for.
    pub errors: Vec<LabelErrors>,
    /// Findings not counted (their label is not scored), per detector id.
    pub not_counted: BTreeMap<String, u64>,
    /// Records scored.
    pub records: usize,
    /// Characters scanned.
    pub chars: u64,
    /// UTF-8 bytes scanned.
    pub bytes: u64,
    /// Wall-clock time of scanning and scoring.
    pub elapsed: Duration,
    /// Threads used.
    pub threads: usize,
}

/// One chunk's share of an [`Outcome`].
struct Partial {
    labels: Vec<LabelTally>,
    errors: Vec<LabelErrors>,
    not_counted: Vec<u64>,
    chars: u64,
    bytes: u64,
}

/// Records per parallel work item: large enough to amortise, small enough to balance.
const CHUNK: usize = 64;

/// Scans and scores every record, in parallel on the current rayon pool.
pub fn evaluate(engine: &Engine, prepared: &Prepared, opts: RunOptions) -> Outcome {
    let started = Instant::now();
    let scoring = &prepared.scoring;
    let n_labels = scoring.labels.len();
    let partials: Vec<Partial> = prepared
        .records
        .par_chunks(CHUNK)
        .map_init(
            || (Scratch::default(), Vec::new()),
            |(scratch, findings), chunk| {
                let mut part = Partial {
                    labels: vec![LabelTally::default(); n_labels],
                    errors: vec![LabelErrors::default(); n_labels],
                    not_counted: vec![0; engine.detectors().len()],
                    chars: 0,
                    bytes: 0,
                };
                for r in chunk {
                    findings.clear();
                    engine.scan_window(&TextWindow::whole(&r.text), scratch, findings);
                    score_record(engine, scoring, r, findings, opts, &mut part);
                }
                part
            },
        )
        .collect();

    let mut out = Outcome {
        labels: vec![LabelTally::default(); n_labels],
        errors: vec![LabelErrors::default(); n_labels],
        not_counted: BTreeMap::new(),
        records: prepared.records.len(),
        chars: 0,
        bytes: 0,
        elapsed: Duration::ZERO,
        threads: rayon::current_num_threads(),
    };
    let mut not_counted = vec![0u64; engine.detectors().len()];
    for part in partials {
        for (total, t) in out.labels.iter_mut().zip(&part.labels) {
            total.gold += t.gold;
            total.predicted += t.predicted;
            total.exact.add(t.exact);
            total.overlap.add(t.overlap);
        }
        for (total, e) in out.errors.iter_mut().zip(part.errors) {
            total.append(e, opts.show_errors);
        }
        for (total, n) in not_counted.iter_mut().zip(&part.not_counted) {
            *total += n;
        }
        out.chars += part.chars;
        out.bytes += part.bytes;
    }
    for (d, n) in engine.detectors().iter().zip(not_counted) {
        if n > 0 {
            out.not_counted.insert(d.id.clone(), n);
        }
    }
    out.elapsed = started.elapsed();
    out
}

fn score_record(
    engine: &Engine,
    scoring: &Scoring,
    r: &Record,
    findings: &[Finding],
    opts: RunOptions,
    part: &mut Partial,
) {
    part.bytes += r.text.len() as u64;
    let mut pred = Vec::with_capacity(findings.len());
    let mut counted = Vec::with_capacity(findings.len());
    for f in findings {
        match scoring.detector_label[f.detector.index()] {
            Some(label) => {
                pred.push(Span {
                    start: f.char_start,
                    end: f.char_end,
                    label,
                });
                counted.push(f);
            }
            None => part.not_counted[f.detector.index()] += 1,
        }
    }
    let exact = match_spans(&r.gold, &pred, MatchMode::Exact);
    let overlap = match_spans(&r.gold, &pred, MatchMode::Overlap);
    let n = scoring.labels.len();
    let (mut e, mut o) = (vec![Counts::default(); n], vec![Counts::default(); n]);
    count(&r.gold, &pred, &exact, &mut e);
    count(&r.gold, &pred, &overlap, &mut o);
    for (i, t) in part.labels.iter_mut().enumerate() {
        t.exact.add(e[i]);
        t.overlap.add(o[i]);
    }
    for g in &r.gold {
        part.labels[usize::from(g.label)].gold += 1;
    }
    for p in &pred {
        part.labels[usize::from(p.label)].predicted += 1;
    }
    part.chars += r.text.chars().count() as u64;

    if opts.show_errors == 0 {
        return;
    }
    let view = RecordView::new(engine, scoring, r, findings, opts.show_values);
    let limit = opts.show_errors;
    let mut gold_hit = vec![false; r.gold.len()];
    for (i, p) in pred.iter().enumerate() {
        let errors = &mut part.errors[usize::from(p.label)];
        match (exact[i], overlap[i]) {
            (Some(_), _) => {}
            (None, Some(g)) => {
                if errors.boundary.len() < limit {
                    errors.boundary.push(view.boundary(counted[i], &r.gold[g]));
                }
            }
            (None, None) => {
                if errors.false_positives.len() < limit {
                    errors.false_positives.push(view.false_positive(counted[i]));
                }
            }
        }
        if let Some(g) = overlap[i] {
            gold_hit[g] = true;
        }
    }
    for (g, hit) in r.gold.iter().zip(gold_hit) {
        let errors = &mut part.errors[usize::from(g.label)];
        if !hit && errors.false_negatives.len() < limit {
            errors.false_negatives.push(view.false_negative(g));
        }
    }
}

#[cfg(test)]
mod tests {
    use shujian_detect::{CivilDate, EngineOptions};

    use super::*;
    use crate::eval::gold::{GoldFormat, GoldSpan};

    fn engine(only: &[&str]) -> Engine {
        let mut opts = EngineOptions::new(CivilDate::new(2026, 1, 1).unwrap());
        opts.only = Some(only.iter().map(|s| (*s).to_string()).collect());
        Engine::builtin(opts).unwrap()
    }

    fn record(line: usize, text: &str, spans: &[(&str, &str)]) -> GoldRecord {
        // Spans given by their text, located by search: keeps the fixtures readable.
        let spans = spans
            .iter()
            .map(|(value, label)| {
                let byte = text.find(value).expect("value in text");
                let start = text[..byte].chars().count();
                GoldSpan {
                    start,
                    end: start + value.chars().count(),
                    label: (*label).to_string(),
                }
            })
            .collect();
        GoldRecord {
            line,
            text: text.to_string(),
            spans,
        }
    }

    const OPTS: RunOptions = RunOptions {
        show_errors: 5,
        show_values: false,
    };

    #[test]
    fn gold_labels_without_detector_are_scored_and_marked() {
        let e = engine(&["cn_mobile", "email"]);
        let gold = [record(
            1,
            "甲乙丙有限公司，电话13812345678",
            &[("甲乙丙有限公司", "COMPANY"), ("13812345678", "PHONE")],
        )];
        let p = prepare(&e, &LabelMap::new(GoldFormat::Jsonl), &gold, None);
        assert_eq!(p.scoring.labels, vec!["PHONE", "COMPANY"]);
        assert_eq!(p.scoring.detectors[0], vec!["cn_mobile"]);
        assert!(p.scoring.has_detector(0));
        assert!(!p.scoring.has_detector(1));
        let out = evaluate(&e, &p, OPTS);
        assert_eq!(
            out.labels[0].exact,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            out.labels[1].exact,
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(out.errors[1].false_negatives[0].value, "甲******");
        assert_eq!((out.records, out.chars), (1, 21));
    }

    #[test]
    fn findings_of_labels_outside_the_gold_set_are_not_counted() {
        let e = engine(&["cn_mobile", "email"]);
        let gold = [
            record(1, "电话13812345678", &[("13812345678", "PHONE")]),
            record(2, "邮箱 zhang.san@example.com", &[]),
        ];
        let p = prepare(&e, &LabelMap::new(GoldFormat::Jsonl), &gold, None);
        let out = evaluate(&e, &p, OPTS);
        assert_eq!(p.scoring.labels, vec!["PHONE"]);
        assert_eq!(
            out.labels[0].exact,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(out.not_counted.get("email"), Some(&1));
        // Once EMAIL is a scored label, the same finding is a false positive.
        let labels = ["PHONE".to_string(), "EMAIL".to_string()];
        let p = prepare(&e, &LabelMap::new(GoldFormat::Jsonl), &gold, Some(&labels));
        let out = evaluate(&e, &p, OPTS);
        assert_eq!(p.scoring.labels, vec!["EMAIL", "PHONE"]);
        assert_eq!(
            out.labels[0].exact,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert!(out.not_counted.is_empty());
        let fp = &out.errors[0].false_positives[0];
        assert_eq!((fp.line, fp.detector.as_deref()), (2, Some("email")));
        assert!(!fp.value.contains("zhang.san"), "masked: {}", fp.value);
        assert!(!fp.context.contains("zhang.san"), "masked: {}", fp.context);
    }

    #[test]
    fn ignored_and_unselected_gold_spans_are_tallied() {
        let e = engine(&["cn_mobile"]);
        let gold = [record(
            1,
            "张老师电话13812345678",
            &[
                ("老师", "PER.NOM"),
                ("13812345678", "PHONE"),
                ("张", "PER.NAM"),
            ],
        )];
        let labels = ["PHONE".to_string()];
        let p = prepare(&e, &LabelMap::new(GoldFormat::Conll), &gold, Some(&labels));
        assert_eq!(p.records[0].gold.len(), 1);
        let ignored: Vec<(&str, u64)> = p.ignored.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(ignored, vec![("PER.NAM", 1), ("PER.NOM", 1)]);
    }

    #[test]
    fn boundary_errors_show_both_spans() {
        let e = engine(&["cn_mobile"]);
        // The gold span (wrongly) includes a trailing character; the finding overlaps it.
        let gold = [record(
            1,
            "电话13812345678号",
            &[("13812345678号", "PHONE")],
        )];
        let p = prepare(&e, &LabelMap::new(GoldFormat::Jsonl), &gold, None);
        let out = evaluate(&e, &p, OPTS);
        assert_eq!(
            out.labels[0].exact,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            out.labels[0].overlap,
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        let b = &out.errors[0].boundary[0];
        assert_eq!((b.start, b.end), (2, 13));
        assert_eq!(b.gold.as_ref().map(|g| (g.start, g.end)), Some((2, 14)));
        assert_eq!(b.value, "138****5678");
        assert_eq!(b.context, "电话⟦1***********⟧");
        assert!(out.errors[0].false_positives.is_empty());
        assert!(out.errors[0].false_negatives.is_empty());
    }

    #[test]
    fn results_do_not_depend_on_thread_count() {
        let e = engine(&["cn_mobile", "email"]);
        let gold: Vec<GoldRecord> = (0..300)
            .map(|i| {
                let phone = format!("1381234{i:04}");
                let text = format!("第{i}条 电话{phone} 邮箱 u{i}@example.com");
                if i % 3 == 0 {
                    record(i + 1, &text, &[])
                } else {
                    record(i + 1, &text, &[(phone.as_str(), "PHONE")])
                }
            })
            .collect();
        let labels = ["PHONE".to_string(), "EMAIL".to_string()];
        let p = prepare(&e, &LabelMap::new(GoldFormat::Jsonl), &gold, Some(&labels));
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| evaluate(&e, &p, OPTS))
        };
        let (one, three) = (run(1), run(3));
        assert_eq!(one.labels, three.labels);
        assert_eq!(
            one.errors[1].false_positives,
            three.errors[1].false_positives
        );
        assert_eq!(
            one.labels[1].exact,
            Counts {
                tp: 200,
                fp: 100,
                fn_: 0
            }
        );
        assert_eq!(
            one.labels[0].exact,
            Counts {
                tp: 0,
                fp: 300,
                fn_: 0
            }
        );
        let lines: Vec<usize> = one.errors[1]
            .false_positives
            .iter()
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, vec![1, 4, 7, 10, 13]);
    }
}
