//! `eval columns` reports as terminal tables and Markdown.

use std::fmt::Write as _;

use super::score::{LabelScore, ScopeScores};
use super::{ColumnsReport, DatasetReport};

impl ColumnsReport {
    /// Terminal tables: per data set, then overall, then the targets.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for d in self.datasets.iter().chain(&self.overall) {
            dataset_table(&mut out, d);
        }
        if self.datasets.len() > 1 {
            summary(&mut out, self, false);
        }
        for t in &self.targets {
            let _ = writeln!(
                out,
                "target {}: F1 {:.4} {} {} — {}",
                t.target,
                t.f1,
                if t.met { ">=" } else { "<" },
                t.min_f1,
                if t.met { "met" } else { "MISSED" }
            );
        }
        out
    }

    /// Markdown: the summary table, then per-label tables.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        summary(&mut out, self, true);
        for d in self.datasets.iter().chain(&self.overall) {
            let _ = writeln!(out, "\n### {}\n", d.name);
            let _ = writeln!(
                out,
                "| label | n | P | R | F1 | n (no doubtful) | P | R | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
            );
            for (a, b) in paired(&d.all, &d.without_doubtful) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    label_of(a, b),
                    cells(a, " | "),
                    cells(b, " | ")
                );
            }
        }
        out
    }
}

fn summary(out: &mut String, r: &ColumnsReport, markdown: bool) {
    let rows: Vec<&DatasetReport> = r.datasets.iter().chain(&r.overall).collect();
    if markdown {
        let _ = writeln!(
            out,
            "| schema | columns | PI | doubtful | macro-F1 PI | PI-vs-none F1 | macro-F1 PI (no doubtful) | PI-vs-none F1 (no doubtful) |\n|---|---:|---:|---:|---:|---:|---:|---:|"
        );
        for d in rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
                d.name,
                d.columns,
                d.all.pi_columns,
                d.doubtful,
                d.all.macro_f1_pi,
                d.all.pi_vs_none.f1,
                d.without_doubtful.macro_f1_pi,
                d.without_doubtful.pi_vs_none.f1
            );
        }
        return;
    }
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>5} {:>8}   {:>9} {:>9}   {:>9} {:>9}",
        "summary", "columns", "PI", "doubtful", "macro-F1", "PI-vs-0", "macro-F1", "PI-vs-0"
    );
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>5} {:>8}   {:>19}   {:>19}",
        "", "", "", "", "(all rows)", "(no doubtful)"
    );
    for d in rows {
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>5} {:>8}   {:>9.3} {:>9.3}   {:>9.3} {:>9.3}",
            d.name,
            d.columns,
            d.all.pi_columns,
            d.doubtful,
            d.all.macro_f1_pi,
            d.all.pi_vs_none.f1,
            d.without_doubtful.macro_f1_pi,
            d.without_doubtful.pi_vs_none.f1
        );
    }
}

fn dataset_table(out: &mut String, d: &DatasetReport) {
    let _ = writeln!(
        out,
        "== {} ({} columns, {} PI, {} doubtful{}{})",
        d.name,
        d.columns,
        d.all.pi_columns,
        d.doubtful,
        if d.missing_predictions > 0 {
            format!(", {} without prediction", d.missing_predictions)
        } else {
            String::new()
        },
        if d.unmatched_predictions > 0 {
            format!(
                ", {} predictions not in the labels",
                d.unmatched_predictions
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "{:<22} {:>5} {:>6} {:>6} {:>6}   {:>5} {:>6} {:>6} {:>6}",
        "label", "n", "P", "R", "F1", "n", "P", "R", "F1"
    );
    let _ = writeln!(
        out,
        "{:<22} {:>26}   {:>26}",
        "", "(all rows)", "(no doubtful)"
    );
    for (a, b) in paired(&d.all, &d.without_doubtful) {
        let _ = writeln!(
            out,
            "{:<22} {}   {}",
            label_of(a, b),
            cells(a, " "),
            cells(b, " ")
        );
    }
    let _ = writeln!(
        out,
        "{:<22} {:>26.4}   {:>26.4}",
        "macro-F1 (PI labels)", d.all.macro_f1_pi, d.without_doubtful.macro_f1_pi
    );
    let _ = writeln!(
        out,
        "{:<22} {}   {}",
        "PI vs NONE",
        cells(Some(&d.all.pi_vs_none), " "),
        cells(Some(&d.without_doubtful.pi_vs_none), " ")
    );
    if !d.errors.is_empty() {
        let _ = writeln!(out, "errors (gold → predicted; ? = doubtful):");
        for e in &d.errors {
            let comment: String = e.comment.chars().take(16).collect();
            let comment = comment.replace('\n', " ");
            let _ = writeln!(
                out,
                "  {}{}.{} [{}] {} → {}{}",
                if e.doubtful { "? " } else { "  " },
                e.table,
                e.column,
                comment,
                e.gold,
                e.predicted,
                if e.reasons.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", e.reasons)
                }
            );
        }
    }
    out.push('\n');
}

/// The labels of both scopes side by side (a label may be absent from one).
fn paired<'a>(
    a: &'a ScopeScores,
    b: &'a ScopeScores,
) -> Vec<(Option<&'a LabelScore>, Option<&'a LabelScore>)> {
    let mut labels: Vec<_> = a.labels.iter().chain(&b.labels).map(|x| x.label).collect();
    labels.sort();
    labels.dedup();
    labels
        .into_iter()
        .map(|l| {
            (
                a.labels.iter().find(|x| x.label == l),
                b.labels.iter().find(|x| x.label == l),
            )
        })
        .collect()
}

fn label_of(a: Option<&LabelScore>, b: Option<&LabelScore>) -> &'static str {
    a.or(b).map_or("", |x| x.label.code())
}

fn cells(s: Option<&LabelScore>, sep: &str) -> String {
    match s {
        Some(s) => [
            format!("{:>5}", s.support),
            format!("{:>6.3}", s.precision),
            format!("{:>6.3}", s.recall),
            format!("{:>6.3}", s.f1),
        ]
        .join(sep),
        None => [
            format!("{:>5}", "-"),
            format!("{:>6}", ""),
            format!("{:>6}", ""),
            format!("{:>6}", ""),
        ]
        .join(sep),
    }
}
