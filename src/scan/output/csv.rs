//! `--format csv`: a header row, then one finding per row, and one row per column of the
//! structured inputs (CSV, spreadsheets, JSON, Parquet …). Both kinds share one header: a
//! finding leaves the column fields (`table` … `grade`) empty, a column leaves the offsets and
//! `detector` empty, puts its label's names in `name_zh`/`name_en`, its template category in
//! `category`, whether it is sensitive personal information in `sensitive`, its grade
//! (`general-4` …; `candidate-important` when 重要 is proposed) in `grade` and its masked
//! examples in `evidence`. Reasons are joined into one field. The `value` column exists only with
//! `--show-values`, for findings.

use std::io;

use serde::Serialize;
use shujian_detect::Finding;
use shujian_sources::SourceError;

use super::columns::{ColumnReport, ColumnRow};
use super::{Document, FileSummary, RenderCache, Renderer, Sink, Summary};
use crate::scan::grading::AssetReport;

/// The columns, in order.
pub(super) const HEADER: [&str; 22] = [
    "path",
    "line",
    "byte_start",
    "byte_end",
    "char_start",
    "char_end",
    "detector",
    "name_zh",
    "name_en",
    "category",
    "sensitive",
    "confidence",
    "reasons",
    "evidence",
    "table",
    "column",
    "label",
    "non_empty",
    "distinct_estimate",
    "hits",
    "grade",
    "value",
];

#[derive(Serialize)]
struct Row<'a> {
    path: &'a str,
    line: usize,
    byte_start: usize,
    byte_end: usize,
    char_start: usize,
    char_end: usize,
    detector: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    category: &'static str,
    sensitive: bool,
    confidence: &'static str,
    reasons: &'a str,
    evidence: &'a str,
    table: &'static str,
    column: &'static str,
    label: &'static str,
    non_empty: &'static str,
    distinct_estimate: &'static str,
    hits: &'static str,
    grade: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

pub(super) fn render(
    r: &Renderer<'_>,
    cache: &mut RenderCache,
    path: &str,
    text: &str,
    base: usize,
    findings: &[Finding],
    out: &mut Vec<u8>,
) {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(&mut *out);
    for f in findings {
        let raw = text.get(f.start - base..f.end - base).unwrap_or_default();
        let evidence = r.engine.evidence(f, raw);
        let info = r.engine.detector(f.detector);
        let reasons = std::str::from_utf8(cache.reasons(r, f)).unwrap_or_default();
        let row = Row {
            path,
            line: f.line,
            byte_start: f.start,
            byte_end: f.end,
            char_start: f.char_start,
            char_end: f.char_end,
            detector: &info.id,
            name_zh: &info.name_zh,
            name_en: &info.name_en,
            category: info.category.code(),
            sensitive: info.sensitive,
            confidence: f.confidence.code(),
            reasons,
            evidence: &evidence,
            table: "",
            column: "",
            label: "",
            non_empty: "",
            distinct_estimate: "",
            hits: "",
            grade: "",
            value: r.show_values.then_some(raw),
        };
        // Writing plain fields into a Vec cannot fail.
        let _ = w.serialize(row);
    }
    let _ = w.flush();
}

/// The CSV document: the header, then the rows. Errors and skipped inputs go to stderr only.
#[derive(Debug)]
pub struct CsvDocument {
    /// Whether the `value` column is present.
    pub show_values: bool,
}

impl Document for CsvDocument {
    fn begin(&mut self, out: &mut Sink) -> io::Result<()> {
        let n = if self.show_values {
            HEADER.len()
        } else {
            HEADER.len() - 1
        };
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&HEADER[..n])?;
        w.flush()
    }

    fn findings(&mut self, out: &mut Sink, _path: &str, rendered: &[u8]) -> io::Result<()> {
        io::Write::write_all(out, rendered)
    }

    fn columns(&mut self, out: &mut Sink, columns: &[ColumnReport]) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        for c in columns {
            w.serialize(ColumnRow::of(c, self.show_values))
                .map_err(io::Error::other)?;
        }
        w.flush()
    }

    /// Assets are not rows of this CSV (its rows are findings and columns); the grade of
    /// each column is in the JSON, NDJSON and XLSX formats.
    fn assets(&mut self, _out: &mut Sink, _assets: &[AssetReport]) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, _out: &mut Sink, _file: &FileSummary) -> io::Result<()> {
        Ok(())
    }

    fn error(&mut self, _out: &mut Sink, _error: &SourceError) -> io::Result<()> {
        Ok(())
    }

    fn skipped(&mut self, _out: &mut Sink, _path: &str, _reason: &str) -> io::Result<()> {
        Ok(())
    }

    fn warning(&mut self, _out: &mut Sink, _path: &str, _message: &str) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _out: &mut Sink, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
