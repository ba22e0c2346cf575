//! `--format json` (one document) and `--format ndjson` (one object per line).
//!
//! JSON:
//! ```text
//! {"findings":[
//! {"path":"a.txt","line":1,…,"evidence":"138****5678"},
//! …
//! ],
//! "files":[…],"errors":[{"path":…,"message":…}],"skipped":[{"path":…,"reason":…}],
//! "warnings":[{"path":…,"message":…}],"summary":{…}}
//! ```
//!
//! NDJSON: every line is an object with a `type`: `finding` (the fields above), `file`,
//! `error` (`path`, `message`), `skipped` (`path`, `reason`), `warning` (`path`, `message`),
//! and last `summary`.

use std::io::{self, Write};

use serde::Serialize;
use shujian_detect::{DetectorInfo, Finding};
use shujian_sources::SourceError;

#[cfg(doc)]
use super::FindingRecord;
use super::columns::ColumnReport;
use super::{Document, FileSummary, Format, Sink, Summary};
use crate::scan::grading::AssetReport;

/// The parts of a finding's JSON that are rendered once and reused.
pub(super) struct Parts<'a> {
    /// The path as a JSON string.
    pub path: &'a [u8],
    /// The detector's fields (see [`detector_fields`]).
    pub detector: &'a [u8],
    /// The reasons as a JSON array.
    pub reasons: &'a [u8],
    pub evidence: &'a str,
    pub value: Option<&'a str>,
}

/// `"detector":…,"name_zh":…,"name_en":…,"category":…,"sensitive":…` of one detector.
pub(super) fn detector_fields(d: &DetectorInfo, out: &mut Vec<u8>) {
    let s = |out: &mut Vec<u8>, v: &str| {
        let _ = serde_json::to_writer(&mut *out, v);
    };
    out.extend_from_slice(b"\"detector\":");
    s(out, &d.id);
    out.extend_from_slice(b",\"name_zh\":");
    s(out, &d.name_zh);
    out.extend_from_slice(b",\"name_en\":");
    s(out, &d.name_en);
    out.extend_from_slice(b",\"category\":");
    s(out, d.category.code());
    let _ = write!(out, ",\"sensitive\":{}", d.sensitive);
}

/// Appends one finding, with the fields of [`FindingRecord`] in its order. In JSON each
/// object is preceded by `,\n` (the document drops the very first comma); in NDJSON each is
/// followed by a newline.
pub(super) fn render(format: Format, f: &Finding, p: &Parts<'_>, out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail.
    if format == Format::Json {
        out.extend_from_slice(b",\n{");
    } else {
        out.extend_from_slice(b"{\"type\":\"finding\",");
    }
    out.extend_from_slice(b"\"path\":");
    out.extend_from_slice(p.path);
    let _ = write!(
        out,
        ",\"line\":{},\"byte_start\":{},\"byte_end\":{},\"char_start\":{},\"char_end\":{},",
        f.line, f.start, f.end, f.char_start, f.char_end
    );
    out.extend_from_slice(p.detector);
    let _ = write!(
        out,
        ",\"confidence\":\"{}\",\"reasons\":",
        f.confidence.code()
    );
    out.extend_from_slice(p.reasons);
    out.extend_from_slice(b",\"evidence\":");
    let _ = serde_json::to_writer(&mut *out, p.evidence);
    if let Some(v) = p.value {
        out.extend_from_slice(b",\"value\":");
        let _ = serde_json::to_writer(&mut *out, v);
    }
    out.push(b'}');
    if format == Format::Ndjson {
        out.push(b'\n');
    }
}

#[derive(Serialize)]
struct Message<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct Skip<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    path: &'a str,
    reason: &'a str,
}

fn messages(v: &[(String, String)]) -> Vec<Message<'_>> {
    v.iter()
        .map(|(path, message)| Message {
            kind: None,
            path,
            message,
        })
        .collect()
}

#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

fn line<T: Serialize>(out: &mut Sink, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The JSON document: findings streamed, everything else collected and written at the end.
#[derive(Debug, Default)]
pub struct JsonDocument {
    any_finding: bool,
    columns: Vec<ColumnReport>,
    assets: Vec<AssetReport>,
    files: Vec<FileSummary>,
    errors: Vec<(String, String)>,
    skipped: Vec<(String, String)>,
    warnings: Vec<(String, String)>,
}

impl Document for JsonDocument {
    fn begin(&mut self, out: &mut Sink) -> io::Result<()> {
        out.write_all(b"{\"findings\":[")
    }

    fn findings(&mut self, out: &mut Sink, _path: &str, rendered: &[u8]) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        let body = if self.any_finding {
            rendered
        } else {
            &rendered[1..]
        };
        self.any_finding = true;
        out.write_all(body)
    }

    fn columns(&mut self, _out: &mut Sink, columns: &[ColumnReport]) -> io::Result<()> {
        self.columns.extend_from_slice(columns);
        Ok(())
    }

    fn assets(&mut self, _out: &mut Sink, assets: &[AssetReport]) -> io::Result<()> {
        self.assets.extend_from_slice(assets);
        Ok(())
    }

    fn file(&mut self, _out: &mut Sink, file: &FileSummary) -> io::Result<()> {
        self.files.push(file.clone());
        Ok(())
    }

    fn error(&mut self, _out: &mut Sink, error: &SourceError) -> io::Result<()> {
        self.errors
            .push((error.path.clone(), error.reason.to_string()));
        Ok(())
    }

    fn skipped(&mut self, _out: &mut Sink, path: &str, reason: &str) -> io::Result<()> {
        self.skipped.push((path.to_string(), reason.to_string()));
        Ok(())
    }

    fn warning(&mut self, _out: &mut Sink, path: &str, message: &str) -> io::Result<()> {
        self.warnings.push((path.to_string(), message.to_string()));
        Ok(())
    }

    fn finish(&mut self, out: &mut Sink, summary: &Summary) -> io::Result<()> {
        let skipped: Vec<Skip<'_>> = self
            .skipped
            .iter()
            .map(|(path, reason)| Skip {
                kind: None,
                path,
                reason,
            })
            .collect();
        out.write_all(if self.any_finding { b"\n],\n" } else { b"],\n" })?;
        out.write_all(b"\"columns\":")?;
        serde_json::to_writer(&mut *out, &self.columns)?;
        out.write_all(b",\n\"assets\":")?;
        serde_json::to_writer(&mut *out, &self.assets)?;
        out.write_all(b",\n")?;
        out.write_all(b"\"files\":")?;
        serde_json::to_writer(&mut *out, &self.files)?;
        out.write_all(b",\n\"errors\":")?;
        serde_json::to_writer(&mut *out, &messages(&self.errors))?;
        out.write_all(b",\n\"skipped\":")?;
        serde_json::to_writer(&mut *out, &skipped)?;
        out.write_all(b",\n\"warnings\":")?;
        serde_json::to_writer(&mut *out, &messages(&self.warnings))?;
        out.write_all(b",\n\"summary\":")?;
        serde_json::to_writer(&mut *out, summary)?;
        out.write_all(b"}\n")
    }
}

/// The NDJSON stream: everything written as it happens.
#[derive(Debug, Default)]
pub struct NdjsonDocument;

impl Document for NdjsonDocument {
    fn begin(&mut self, _out: &mut Sink) -> io::Result<()> {
        Ok(())
    }

    fn findings(&mut self, out: &mut Sink, _path: &str, rendered: &[u8]) -> io::Result<()> {
        out.write_all(rendered)
    }

    fn columns(&mut self, out: &mut Sink, columns: &[ColumnReport]) -> io::Result<()> {
        for c in columns {
            line(
                out,
                &Tagged {
                    kind: "column",
                    body: c,
                },
            )?;
        }
        Ok(())
    }

    fn assets(&mut self, out: &mut Sink, assets: &[AssetReport]) -> io::Result<()> {
        for a in assets {
            line(
                out,
                &Tagged {
                    kind: "asset",
                    body: a,
                },
            )?;
        }
        Ok(())
    }

    fn file(&mut self, out: &mut Sink, file: &FileSummary) -> io::Result<()> {
        line(
            out,
            &Tagged {
                kind: "file",
                body: file,
            },
        )
    }

    fn error(&mut self, out: &mut Sink, error: &SourceError) -> io::Result<()> {
        let message = error.reason.to_string();
        line(
            out,
            &Message {
                kind: Some("error"),
                path: &error.path,
                message: &message,
            },
        )
    }

    fn skipped(&mut self, out: &mut Sink, path: &str, reason: &str) -> io::Result<()> {
        line(
            out,
            &Skip {
                kind: Some("skipped"),
                path,
                reason,
            },
        )
    }

    fn warning(&mut self, out: &mut Sink, path: &str, message: &str) -> io::Result<()> {
        line(
            out,
            &Message {
                kind: Some("warning"),
                path,
                message,
            },
        )
    }

    fn finish(&mut self, out: &mut Sink, summary: &Summary) -> io::Result<()> {
        line(
            out,
            &Tagged {
                kind: "summary",
                body: summary,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::{FindingRecord, RenderCache, Renderer};
    use super::*;
    use shujian_detect::{CivilDate, Engine, EngineOptions};

    /// The hand-written rendering is exactly serde's rendering of [`FindingRecord`].
    #[test]
    fn rendering_agrees_with_the_record_type() {
        let engine =
            Engine::builtin(EngineOptions::new(CivilDate::new(2026, 11, 23).unwrap())).unwrap();
        let text = "客户身份证号11010519491231002X，手机13812345678，邮箱\"a\"@x.com。";
        let findings = engine.scan(text);
        assert!(findings.len() >= 2);
        for (format, show) in [(Format::Json, false), (Format::Ndjson, true)] {
            let r = Renderer::new(&engine, format, show);
            let mut out = Vec::new();
            r.render(
                &mut RenderCache::default(),
                "a\"b.txt",
                text,
                0,
                &findings,
                &mut out,
            );
            let mut expect = Vec::new();
            for f in &findings {
                let raw = &text[f.start..f.end];
                let info = engine.detector(f.detector);
                let reasons = engine.reasons(f);
                let rec = FindingRecord {
                    kind: (format == Format::Ndjson).then_some("finding"),
                    path: "a\"b.txt",
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
                    reasons: &reasons,
                    evidence: &engine.evidence(f, raw),
                    value: show.then_some(raw),
                };
                if format == Format::Json {
                    expect.extend_from_slice(b",\n");
                }
                serde_json::to_writer(&mut expect, &rec).unwrap();
                if format == Format::Ndjson {
                    expect.push(b'\n');
                }
            }
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expect).unwrap()
            );
        }
    }
}
