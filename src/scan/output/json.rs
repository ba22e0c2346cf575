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
use shujian_sources::SourceError;

use super::{Document, FileSummary, FindingRecord, Format, Sink, Summary};

/// Appends one finding. In JSON each object is preceded by `,\n` (the document drops the
/// very first comma); in NDJSON each is followed by a newline.
pub(super) fn render(format: Format, rec: &FindingRecord<'_>, out: &mut Vec<u8>) {
    if format == Format::Json {
        out.extend_from_slice(b",\n");
    }
    // Serialising plain data into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, rec);
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
