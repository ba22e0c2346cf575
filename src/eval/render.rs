//! Rendering a [`SpanReport`] as a terminal table or as Markdown for `docs/ACCURACY.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::report::{ErrorLists, LabelRow, Score, SpanReport, Totals};

impl SpanReport {
    /// Whether some scored label has no detector.
    pub(super) fn has_undetected(&self) -> bool {
        self.labels.iter().any(|l| l.detectors.is_empty())
    }

    /// A plain-text table for the terminal.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let g = &self.gold;
        let _ = writeln!(
            s,
            "gold: {} ({}: {} records, {} characters, {} spans); confidence >= {}\n",
            g.path, g.format, g.records, g.characters, g.spans, self.min_confidence
        );
        let _ = writeln!(
            s,
            "{:<16} {:>7} {:>7} | {:^41} | {:^41}",
            "", "", "", "exact match", "overlap match"
        );
        let _ = writeln!(
            s,
            "{:<16} {:>7} {:>7} | {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "label",
            "gold",
            "pred",
            "tp",
            "fp",
            "fn",
            "prec",
            "rec",
            "F1",
            "tp",
            "fp",
            "fn",
            "prec",
            "rec",
            "F1"
        );
        let row =
            |s: &mut String, name: &str, gold: String, pred: String, t: &Totals, note: &str| {
                let detected = note != NO_DETECTOR;
                let _ = writeln!(
                    s,
                    "{name:<16} {gold:>7} {pred:>7} | {} | {}{note}",
                    score_cells(&t.exact, detected),
                    score_cells(&t.overlap, detected)
                );
            };
        for l in &self.labels {
            let t = Totals {
                exact: l.exact,
                overlap: l.overlap,
            };
            let note = if l.detectors.is_empty() {
                NO_DETECTOR
            } else {
                ""
            };
            row(
                &mut s,
                &l.label,
                l.gold.to_string(),
                l.predicted.to_string(),
                &t,
                note,
            );
        }
        row(
            &mut s,
            "micro",
            String::new(),
            String::new(),
            &self.micro,
            "  (labels with a detector)",
        );
        if self.has_undetected() {
            row(
                &mut s,
                "micro, all",
                String::new(),
                String::new(),
                &self.micro_all,
                "  (every label)",
            );
        }
        s.push_str(&self.notes(false));
        for t in &self.targets {
            let _ = writeln!(
                s,
                "target {}: exact F1 {:.4} {} {}",
                t.label,
                t.f1,
                if t.met { ">=" } else { "<" },
                t.min_f1
            );
        }
        if let Some(errors) = &self.errors {
            s.push_str(&errors_text(errors));
        }
        s
    }

    /// A Markdown table, for `docs/ACCURACY.md`.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let g = &self.gold;
        let _ = writeln!(
            s,
            "{} records, {} characters, {} gold spans ({}); confidence ≥ {}.\n",
            g.records, g.characters, g.spans, g.format, self.min_confidence
        );
        s.push_str(
            "| label | detectors | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |\n\
             |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for l in &self.labels {
            if l.detectors.is_empty() {
                let _ = writeln!(
                    s,
                    "| {} | *no detector* | {} | – | – | 0 | 0 | – | 0 | 0 |",
                    l.label, l.gold
                );
            } else {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} |",
                    l.label,
                    l.detectors
                        .iter()
                        .map(|d| format!("`{d}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    l.gold,
                    l.predicted,
                    md_cells(&l.exact),
                    md_cells(&l.overlap)
                );
            }
        }
        let gold_total = |with_detector: bool| -> u64 {
            self.labels
                .iter()
                .filter(|l| !with_detector || !l.detectors.is_empty())
                .map(|l| l.gold)
                .sum()
        };
        let predicted: u64 = self.labels.iter().map(|l| l.predicted).sum();
        let _ = writeln!(
            s,
            "| **micro** (labels with a detector) | | {} | {} | {} | {} |",
            gold_total(true),
            predicted,
            md_cells(&self.micro.exact),
            md_cells(&self.micro.overlap)
        );
        if self.has_undetected() {
            let _ = writeln!(
                s,
                "| **micro** (every label) | | {} | {} | {} | {} |",
                gold_total(false),
                predicted,
                md_cells(&self.micro_all.exact),
                md_cells(&self.micro_all.overlap)
            );
        }
        s.push_str(&self.notes(true));
        if !self.targets.is_empty() {
            s.push_str("\n| target | exact F1 required | measured | met |\n|---|---:|---:|---|\n");
            for t in &self.targets {
                let _ = writeln!(
                    s,
                    "| {} | ≥ {} | {:.4} | {} |",
                    t.label,
                    t.min_f1,
                    t.f1,
                    if t.met { "yes" } else { "**no**" }
                );
            }
        }
        s
    }

    /// Not-counted findings and ignored gold labels, one line each.
    fn notes(&self, markdown: bool) -> String {
        let mut s = String::new();
        let bullet = if markdown { "- " } else { "" };
        let code = |x: &str| {
            if markdown {
                format!("`{x}`")
            } else {
                x.to_string()
            }
        };
        if !self.not_counted.is_empty() || !self.gold.ignored.is_empty() {
            s.push('\n');
        }
        if !self.not_counted.is_empty() {
            let list: Vec<String> = self
                .not_counted
                .iter()
                .map(|(d, n)| format!("{} {n}", code(d)))
                .collect();
            let _ = writeln!(
                s,
                "{bullet}not counted (label not in the gold set): {}",
                list.join(", ")
            );
        }
        if !self.gold.ignored.is_empty() {
            let list: Vec<String> = self
                .gold
                .ignored
                .iter()
                .map(|(l, n)| format!("{} {n}", code(l)))
                .collect();
            let _ = writeln!(s, "{bullet}gold spans not scored: {}", list.join(", "));
        }
        s
    }
}

const NO_DETECTOR: &str = "  (no detector)";

fn score_cells(x: &Score, detected: bool) -> String {
    let precision = if detected {
        format!("{:.4}", x.precision)
    } else {
        "-".to_string()
    };
    format!(
        "{:>6} {:>6} {:>6} {:>6} {:>6.4} {:>6.4}",
        x.counts.tp, x.counts.fp, x.counts.fn_, precision, x.recall, x.f1
    )
}

/// Reports of one gold file at several confidence levels, side by side (`--sweep`).
pub fn sweep_text(reports: &[SpanReport], markdown: bool) -> String {
    let mut s = String::new();
    let Some(first) = reports.first() else {
        return s;
    };
    let g = &first.gold;
    let _ = writeln!(
        s,
        "{}{} records, {} characters, {} gold spans ({}); precision / recall / F1 by lowest \
         confidence counted.\n",
        if markdown { "" } else { "gold: " },
        g.records,
        g.characters,
        g.spans,
        g.format
    );
    let levels: Vec<&str> = reports.iter().map(|r| r.min_confidence.as_str()).collect();
    for (mode, pick) in [
        ("exact", (|r: &LabelRow| r.exact) as fn(&LabelRow) -> Score),
        ("overlap", |r: &LabelRow| r.overlap),
    ] {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for l in first.labels.iter().filter(|l| !l.detectors.is_empty()) {
            let mut row = vec![l.label.clone(), l.gold.to_string()];
            for r in reports {
                let cell = r.labels.iter().find(|x| x.label == l.label).map_or_else(
                    || "-".to_string(),
                    |x| {
                        let x = pick(x);
                        format!("{:.4} / {:.4} / {:.4}", x.precision, x.recall, x.f1)
                    },
                );
                row.push(cell);
            }
            rows.push(row);
        }
        // With one label the micro row would repeat it.
        if rows.len() > 1 {
            let mut micro = vec!["micro".to_string(), String::new()];
            for r in reports {
                let x = if mode == "exact" {
                    r.micro.exact
                } else {
                    r.micro.overlap
                };
                micro.push(format!(
                    "{:.4} / {:.4} / {:.4}",
                    x.precision, x.recall, x.f1
                ));
            }
            rows.push(micro);
        }
        let mut header = vec![format!("{mode} match"), "gold".to_string()];
        header.extend(levels.iter().map(|l| format!("≥ {l}")));
        if markdown {
            let _ = writeln!(s, "| {} |", header.join(" | "));
            let _ = writeln!(s, "|---|---:|{}", "---:|".repeat(levels.len()));
            for row in rows {
                let _ = writeln!(s, "| {} |", row.join(" | "));
            }
        } else {
            let line = |row: &[String]| {
                let mut out = format!("{:<16} {:>7}", row[0], row[1]);
                for cell in &row[2..] {
                    let _ = write!(out, "  {cell:>24}");
                }
                out
            };
            let _ = writeln!(s, "{}", line(&header));
            for row in rows {
                let _ = writeln!(s, "{}", line(&row));
            }
        }
        s.push('\n');
    }
    s
}

fn md_cells(x: &Score) -> String {
    format!("{:.4} | {:.4} | {:.4}", x.precision, x.recall, x.f1)
}

fn errors_text(errors: &BTreeMap<String, ErrorLists>) -> String {
    let mut s = String::new();
    for (label, lists) in errors {
        let kinds = [
            ("false positive", &lists.false_positives),
            ("false negative", &lists.false_negatives),
            ("boundary", &lists.boundary),
        ];
        if kinds.iter().all(|(_, l)| l.is_empty()) {
            continue;
        }
        let _ = writeln!(s, "\n{label}");
        for (kind, list) in kinds {
            for e in list {
                let who = match (&e.detector, &e.confidence) {
                    (Some(d), Some(c)) => format!(" {d}/{c}"),
                    _ => String::new(),
                };
                let gold = e.gold.as_ref().map_or(String::new(), |g| {
                    format!(" gold {}..{} {}", g.start, g.end, g.value)
                });
                let _ = writeln!(
                    s,
                    "  {kind:<14} line {:<6} {}..{}{who} {}{gold}\n      {}",
                    e.line, e.start, e.end, e.value, e.context
                );
            }
        }
    }
    s
}
