//! Column profiles of structured files (CSV, spreadsheets, JSON, Parquet, DOCX tables) in every
//! output format.
//!
//! A [`ColumnReport`] is one column of one table of one input: the classifier's
//! [`ColumnProfile`] (label, confidence, reasons, hit ratios, distinct estimate, masked
//! examples) plus where it is and how many values each detector found whole.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use shujian_classify::{Classification, ColumnProfile};

use super::table::{confidence_zh, pad, width};

/// One column of a structured input.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnReport {
    /// The input, or its archive member (`a.zip!/b.csv`).
    pub path: String,
    /// Label, confidence, reasons and value statistics.
    #[serde(flatten)]
    pub profile: ColumnProfile,
    /// Values each detector found whole, by detector id (non-zero only).
    pub hits: BTreeMap<String, u64>,
    /// Category, grade and PI/SPI flags under the scan's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
}

impl ColumnReport {
    /// `cn_mobile=98; email=2`.
    pub fn hits_text(&self) -> String {
        self.hits
            .iter()
            .map(|(d, n)| format!("{d}={n}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The table format's block of columns for one input:
///
/// ```text
///   表 员工.csv (3 列, 100 行)
///     身份证号            居民身份证号码  CN_RESIDENT_ID  高  100/100  110105********002X
/// ```
pub(super) fn render_table(cols: &[ColumnReport], out: &mut Vec<u8>) {
    let name_w = cols
        .iter()
        .map(|c| width(&c.profile.column))
        .max()
        .unwrap_or(0)
        .clamp(8, 28);
    let label_w = cols
        .iter()
        .map(|c| width(c.profile.label.name_zh()))
        .max()
        .unwrap_or(0)
        .max(8);
    let mut table: Option<&str> = None;
    for c in cols {
        let p = &c.profile;
        if table != Some(&p.table) {
            table = Some(&p.table);
            let _ = writeln!(out, "  表 table {}", p.table);
        }
        out.extend_from_slice(b"    ");
        pad(out, &p.column, name_w);
        out.extend_from_slice(b"  ");
        pad(out, p.label.name_zh(), label_w);
        let _ = write!(
            out,
            "  {:<20}  {}  非空 {:>6}  去重≈{:>6}",
            p.label.code(),
            confidence_zh(p.confidence),
            p.non_empty,
            p.distinct_estimate
        );
        if !p.examples.is_empty() {
            let _ = write!(out, "  例 {}", p.examples.join(" | ").replace('\n', "\\n"));
        }
        out.push(b'\n');
    }
}

/// One CSV row per column, in the union header of `--format csv` (see `csv::HEADER`).
#[derive(Serialize)]
pub(super) struct ColumnRow<'a> {
    pub path: &'a str,
    pub line: &'static str,
    pub byte_start: &'static str,
    pub byte_end: &'static str,
    pub char_start: &'static str,
    pub char_end: &'static str,
    pub detector: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub category: &'a str,
    pub sensitive: &'static str,
    pub confidence: &'static str,
    pub reasons: String,
    pub evidence: String,
    pub table: &'a str,
    pub column: &'a str,
    pub label: &'static str,
    pub non_empty: u64,
    pub distinct_estimate: u64,
    pub hits: String,
    pub grade: String,
    /// Present (empty) when the header has a `value` column, so every row has every field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'static str>,
}

impl<'a> ColumnRow<'a> {
    pub(super) fn of(c: &'a ColumnReport, show_values: bool) -> ColumnRow<'a> {
        let p = &c.profile;
        ColumnRow {
            path: &c.path,
            line: "",
            byte_start: "",
            byte_end: "",
            char_start: "",
            char_end: "",
            detector: "",
            name_zh: p.label.name_zh(),
            name_en: p.label.code(),
            category: c
                .classification
                .as_ref()
                .map_or("", |cl| cl.category.as_str()),
            sensitive: match &c.classification {
                Some(cl) if cl.spi => "true",
                Some(_) => "false",
                None => "",
            },
            confidence: p.confidence.code(),
            reasons: p.reason_codes(),
            evidence: p.examples.join(" | "),
            table: &p.table,
            column: &p.column,
            label: p.label.code(),
            non_empty: p.non_empty,
            distinct_estimate: p.distinct_estimate,
            hits: c.hits_text(),
            grade: c.classification.as_ref().map_or_else(String::new, |cl| {
                match cl.candidate_grade {
                    Some(g) => format!("{} (candidate-{})", cl.grade.code(), g.grade().code()),
                    None => cl.grade.code().to_string(),
                }
            }),
            value: show_values.then_some(""),
        }
    }
}
