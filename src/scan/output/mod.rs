//! Output of `shujian scan`: findings rendered in the worker threads, the document around them
//! written by the one thread that owns standard output.
//!
//! Rendering is split in two so the expensive part runs in parallel: a [`Renderer`] turns the
//! findings of one window into bytes (JSON objects, CSV rows, table lines) where the window's
//! text is at hand — which is also the only place a raw value exists. A [`Document`] then
//! writes those bytes in file order, with whatever the format puts around them (headers,
//! separators, errors, the summary).
//!
//! Raw values leave the process only with `--show-values`; otherwise only the masked evidence
//! from [`Engine::evidence`] is written.

mod columns;
mod csv;
mod json;
mod table;
mod xlsx;

pub use columns::ColumnReport;

use super::grading::AssetReport;

use std::collections::HashMap;
use std::io::{self, Write};

use indicatif::ProgressBar;
use serde::Serialize;
use shujian_detect::{Checks, DetectorId, Engine, Finding, Note, Reason};
use shujian_sources::SourceError;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines grouped by file, with a summary by detector.
    Table,
    /// One JSON document: `findings`, `files`, `errors`, `skipped`, `warnings`, `summary`.
    Json,
    /// One JSON object per line, each with a `type`: `finding`, `file`, `error`, `skipped`,
    /// `warning`, and a final `summary`.
    Ndjson,
    /// A header row, one finding per row, and one row per column of structured inputs.
    Csv,
    /// An Excel workbook (needs `--output FILE` unless standard output is redirected):
    /// sheets 汇总 (summary), 字段 (columns of structured inputs), 发现 (findings), 问题
    /// (errors and skipped inputs), with Chinese headers.
    Xlsx,
}

/// One finding as written to JSON and NDJSON. The writer renders these fields by hand, from
/// pieces rendered once ([`json::render`]); a test checks it agrees with this struct, which
/// is the schema (it is built only there).
#[cfg_attr(not(test), expect(dead_code))]
#[derive(Debug, Serialize)]
pub struct FindingRecord<'a> {
    /// `"finding"` in NDJSON, absent in JSON.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// The input.
    pub path: &'a str,
    /// 1-based line.
    pub line: usize,
    /// UTF-8 byte offsets in the decoded text.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
    /// Character (code point) offsets.
    pub char_start: usize,
    /// One past the last character.
    pub char_end: usize,
    /// Detector id (`cn_resident_id`).
    pub detector: &'a str,
    /// Chinese name of the detector.
    pub name_zh: &'a str,
    /// English name of the detector.
    pub name_en: &'a str,
    /// Personal-information category code.
    pub category: &'static str,
    /// Whether the value is sensitive personal information.
    pub sensitive: bool,
    /// `low`, `medium` or `high`.
    pub confidence: &'static str,
    /// Why the value was reported.
    pub reasons: &'a [Reason],
    /// The masked value.
    pub evidence: &'a str,
    /// The raw value, only with `--show-values`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a str>,
}

/// Renders findings into bytes of the chosen format. Shared by the worker threads.
#[derive(Debug)]
pub struct Renderer<'e> {
    engine: &'e Engine,
    format: Format,
    show_values: bool,
    /// Display width of the widest detector name (table alignment).
    name_width: usize,
    /// Per detector, its JSON fields from `"detector"` to `"sensitive"`, rendered once.
    detector_json: Vec<Box<[u8]>>,
}

/// What the reasons of a finding depend on: findings sharing these share their reasons.
type ReasonKey = (DetectorId, Checks, Option<u32>, Note);

/// Per-worker memory of rendered reasons: rendering them (a few `format!`s and a JSON
/// array per finding) would otherwise cost more than finding the value.
#[derive(Debug, Default)]
pub struct RenderCache {
    reasons: HashMap<ReasonKey, Box<[u8]>>,
}

impl RenderCache {
    /// Distinct reason sets are few (detectors × checks × keywords); bound it anyway.
    const MAX: usize = 1 << 14;

    fn reasons(&mut self, r: &Renderer<'_>, f: &Finding) -> &[u8] {
        let key = (f.detector, f.checks, f.keyword, f.note);
        if self.reasons.len() >= RenderCache::MAX && !self.reasons.contains_key(&key) {
            self.reasons.clear();
        }
        self.reasons.entry(key).or_insert_with(|| {
            let reasons = r.engine.reasons(f);
            match r.format {
                Format::Csv | Format::Xlsx => reasons
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into_bytes()
                    .into(),
                _ => serde_json::to_vec(&reasons).unwrap_or_default().into(),
            }
        })
    }
}

impl<'e> Renderer<'e> {
    /// The engine whose findings this renders.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// A renderer for `format`.
    pub fn new(engine: &'e Engine, format: Format, show_values: bool) -> Renderer<'e> {
        let name_width = engine
            .detectors()
            .iter()
            .map(|d| table::width(&d.name_zh))
            .max()
            .unwrap_or(8)
            .min(24);
        let detector_json = engine
            .detectors()
            .iter()
            .map(|d| {
                let mut v = Vec::new();
                json::detector_fields(d, &mut v);
                v.into_boxed_slice()
            })
            .collect();
        Renderer {
            engine,
            format,
            show_values,
            name_width,
            detector_json,
        }
    }

    /// Appends the findings of one window to `out`. `text` is the window's text and
    /// `base` the document byte offset of its first byte.
    pub fn render(
        &self,
        cache: &mut RenderCache,
        path: &str,
        text: &str,
        base: usize,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) {
        // The workbook is built from CSV rows: one rendering, parsed back at the end.
        if matches!(self.format, Format::Csv | Format::Xlsx) {
            csv::render(self, cache, path, text, base, findings, out);
            return;
        }
        let path_json = serde_json::to_vec(path).unwrap_or_default();
        for f in findings {
            let raw = text.get(f.start - base..f.end - base).unwrap_or_default();
            let evidence = self.engine.evidence(f, raw);
            let value = self.show_values.then_some(raw);
            match self.format {
                Format::Table => table::render(self, f, &evidence, value, out),
                Format::Json | Format::Ndjson => {
                    let reasons = cache.reasons(self, f);
                    let detector = &self.detector_json[f.detector.index()];
                    let parts = json::Parts {
                        path: &path_json,
                        detector,
                        reasons,
                        evidence: &evidence,
                        value,
                    };
                    json::render(self.format, f, &parts, out);
                }
                Format::Csv | Format::Xlsx => {}
            }
        }
    }
}

/// What is known about one input once it has been read.
#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    /// The input.
    pub path: String,
    /// What it was read as: `text`, `CSV`, `XLSX`, `JSON`, `zip` …
    pub format: &'static str,
    /// Encoding used to decode it (`UTF-8`, `GB18030`, `UTF-16LE` …).
    pub encoding: &'static str,
    /// How the encoding was decided: `bom`, `detected`, `ascii` or `override`.
    pub encoding_origin: &'static str,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Bytes of decoded text scanned.
    pub bytes: u64,
    /// Findings reported in it.
    pub findings: u64,
    /// Malformed byte sequences replaced with U+FFFD.
    pub replaced: u64,
}

/// Findings of one detector.
#[derive(Clone, Debug, Serialize)]
pub struct DetectorCount {
    /// Detector id.
    pub detector: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Whether its values are sensitive personal information.
    pub sensitive: bool,
    /// Number of findings.
    pub count: u64,
}

/// Columns of one label.
#[derive(Clone, Debug, Serialize)]
pub struct LabelCount {
    /// Label code (`CN_RESIDENT_ID`).
    pub label: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// Number of columns.
    pub count: u64,
}

/// Totals of a scan.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Inputs read as text.
    pub files_scanned: u64,
    /// Inputs skipped as binary.
    pub files_skipped: u64,
    /// Inputs that could not be read (whole or in part).
    pub files_failed: u64,
    /// Bytes of decoded text scanned.
    pub bytes_scanned: u64,
    /// Findings reported.
    pub findings: u64,
    /// Findings of sensitive personal information.
    pub sensitive_findings: u64,
    /// Findings per detector, most frequent first.
    pub by_detector: Vec<DetectorCount>,
    /// Tables read in structured inputs (CSV files, sheets, JSON arrays, Parquet files …).
    pub tables: u64,
    /// Columns profiled.
    pub columns: u64,
    /// Columns labelled as personal information.
    pub pi_columns: u64,
    /// Columns per label, most frequent first (`NONE` included).
    pub columns_by_label: Vec<LabelCount>,
    /// Tables graded as data assets.
    pub assets: u64,
    /// Assets per grade (`general-1` … `general-4`), and candidates for 重要/核心.
    pub assets_by_grade: std::collections::BTreeMap<String, u64>,
    /// Database tables skipped because their fingerprint had not changed (`--full` rescans).
    pub tables_unchanged: u64,
    /// Wall-clock seconds (table only: machine-readable output stays reproducible).
    #[serde(skip)]
    pub elapsed_seconds: f64,
}

impl Summary {
    /// Counts the profiled columns and graded assets of one input or database.
    pub fn add_tables(&mut self, columns: &[ColumnReport], assets: &[AssetReport]) {
        self.columns += columns.len() as u64;
        for c in columns {
            let label = c.profile.label;
            self.pi_columns += u64::from(label.is_pi());
            match self
                .columns_by_label
                .iter_mut()
                .find(|l| l.label == label.code())
            {
                Some(l) => l.count += 1,
                None => self.columns_by_label.push(LabelCount {
                    label: label.code(),
                    name_zh: label.name_zh(),
                    count: 1,
                }),
            }
        }
        for a in assets {
            self.assets += 1;
            *self
                .assets_by_grade
                .entry(a.grade.grade.code().to_string())
                .or_default() += 1;
            if let Some(c) = a.grade.candidate_grade {
                *self
                    .assets_by_grade
                    .entry(format!("candidate-{}", c.grade().code()))
                    .or_default() += 1;
            }
        }
    }

    /// Puts the most frequent labels first (ties by code), for a stable output.
    pub fn sort_labels(&mut self) {
        self.columns_by_label
            .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(b.label)));
    }
}

/// The document around the rendered findings, written in file order by one thread.
pub trait Document {
    /// Before anything else.
    fn begin(&mut self, out: &mut Sink) -> io::Result<()>;
    /// Rendered findings of `path` (the bytes of one window, possibly empty).
    fn findings(&mut self, out: &mut Sink, path: &str, rendered: &[u8]) -> io::Result<()>;
    /// Column profiles of a structured input (grouped by input and table).
    fn columns(&mut self, out: &mut Sink, columns: &[ColumnReport]) -> io::Result<()>;
    /// Tables graded as data assets (after their columns).
    fn assets(&mut self, out: &mut Sink, assets: &[AssetReport]) -> io::Result<()>;
    /// An input that was read (whole).
    fn file(&mut self, out: &mut Sink, file: &FileSummary) -> io::Result<()>;
    /// An input that could not be read, or only in part.
    fn error(&mut self, out: &mut Sink, error: &SourceError) -> io::Result<()>;
    /// An input skipped as not text.
    fn skipped(&mut self, out: &mut Sink, path: &str, reason: &str) -> io::Result<()>;
    /// A problem that did not stop reading (replaced byte sequences).
    fn warning(&mut self, out: &mut Sink, path: &str, message: &str) -> io::Result<()>;
    /// After everything else.
    fn finish(&mut self, out: &mut Sink, summary: &Summary) -> io::Result<()>;
}

/// The document for a format.
pub fn document(format: Format, show_values: bool) -> Box<dyn Document> {
    match format {
        Format::Table => Box::new(table::TableDocument::default()),
        Format::Json => Box::new(json::JsonDocument::default()),
        Format::Ndjson => Box::new(json::NdjsonDocument),
        Format::Csv => Box::new(csv::CsvDocument { show_values }),
        Format::Xlsx => Box::new(xlsx::XlsxDocument::new(show_values)),
    }
}

/// Standard output, buffered, and kept clear of the progress bar: when a bar is drawn on the
/// same terminal, it is hidden while output is written.
#[derive(Debug)]
pub struct Sink {
    buf: Vec<u8>,
    out: Target,
    progress: Option<ProgressBar>,
}

/// Where the output goes.
#[derive(Debug)]
enum Target {
    Stdout(io::Stdout),
    File(std::fs::File),
}

impl Target {
    fn write_all_flush(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Target::Stdout(out) => {
                let mut lock = out.lock();
                lock.write_all(buf).and_then(|()| lock.flush())
            }
            Target::File(f) => f.write_all(buf),
        }
    }
}

impl Sink {
    const FLUSH_AT: usize = 256 << 10;

    /// A sink writing to standard output, suspending `progress` while it writes.
    pub fn stdout(progress: Option<ProgressBar>) -> Sink {
        Sink {
            buf: Vec::with_capacity(Sink::FLUSH_AT),
            out: Target::Stdout(io::stdout()),
            progress,
        }
    }

    /// A sink writing to `path` (`--output`: no need to keep clear of the progress bar), or
    /// to standard output when there is none.
    pub fn create(
        path: Option<&std::path::Path>,
        progress: Option<ProgressBar>,
    ) -> io::Result<Sink> {
        let Some(path) = path else {
            return Ok(Sink::stdout(progress));
        };
        let file = std::fs::File::create(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create the output file {}: {e}", path.display()),
            )
        })?;
        Ok(Sink {
            buf: Vec::with_capacity(Sink::FLUSH_AT),
            out: Target::File(file),
            progress: None,
        })
    }

    fn write_out(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let (buf, out) = (&self.buf, &mut self.out);
        let result = match &self.progress {
            Some(pb) => pb.suspend(|| out.write_all_flush(buf)),
            None => out.write_all_flush(buf),
        };
        self.buf.clear();
        result
    }
}

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= Sink::FLUSH_AT {
            self.write_out()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_out()
    }
}
