//! Word documents: paragraph text as [`Item::Text`], each table (`w:tbl`) as a table.
//!
//! `word/document.xml` is read as a stream of XML events (never as a tree), through the
//! archive limits, so a compressed bomb inside a DOCX is stopped like one in a zip. Table
//! cells join their paragraphs with `'\n'`; a table nested in a cell adds its text to that
//! cell. The first row is the header if it looks like one ([`detect_header`]); merged cells
//! (`gridSpan`, `vMerge`) are not expanded.

use std::io::BufReader;

use quick_xml::events::Event;

use super::batch::BatchBuilder;
use super::header::detect_header;
use super::limits::LimitedReader;
use super::{ColumnMeta, Emitter, Flow, Item, ReadSeek, TableMeta, guarded, io_error, malformed};

pub(super) fn read(em: &mut Emitter<'_>, name: &str, rs: Box<dyn ReadSeek>) -> Flow {
    let mut zip = guarded(name, "DOCX", || {
        zip::ZipArchive::new(rs).map_err(|e| malformed(name, "DOCX", e.to_string()))
    })?;
    let z = &mut zip;
    let mut doc = guarded(name, "DOCX", move || {
        z.by_name("word/document.xml")
            .map_err(|e| malformed(name, "DOCX", format!("word/document.xml: {e}")))
    })?;
    let compressed = doc.compressed_size();
    let mut expanded = em.expanded;
    let limited = LimitedReader::new(&mut doc, &em.opts.limits, Some(compressed), &mut expanded);
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(limited));
    let mut state = DocState::default();
    let mut buf = Vec::new();
    let piece = em.opts.text_piece_bytes.max(16);
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let msg = match &e {
                    quick_xml::Error::Io(io) => {
                        io_error(name, std::io::Error::new(io.kind(), io.to_string()))
                            .reason
                            .to_string()
                    }
                    other => other.to_string(),
                };
                state.flush_text(em)?;
                return Err(malformed(
                    name,
                    "DOCX",
                    format!("word/document.xml at byte {}: {msg}", xml.buffer_position()),
                )
                .into());
            }
        };
        match event {
            Event::Start(e) => state.start(e.name().as_ref()),
            Event::Empty(e) => {
                let n = e.name();
                state.start(n.as_ref());
                state.end(em, n.as_ref())?;
            }
            Event::End(e) => state.end(em, e.name().as_ref())?,
            Event::Text(t) if state.in_text => {
                state.push(&t.xml10_content());
            }
            Event::GeneralRef(r) if state.in_text => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(r.as_ref())
                        .unwrap_or("")
                        .to_string(),
                };
                state.push(&s);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
        if state.text.len() >= piece {
            state.flush_text(em)?;
        }
    }
    state.flush_text(em)
}

#[derive(Default)]
struct DocState {
    /// Inside `w:t`.
    in_text: bool,
    /// Nesting of `w:tbl`.
    depth: usize,
    /// Document text outside tables, not yet sent.
    text: String,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    tables: usize,
}

impl DocState {
    fn start(&mut self, name: &str) {
        match name {
            "w:t" => self.in_text = true,
            "w:tbl" => {
                self.depth += 1;
                if self.depth == 1 {
                    self.rows.clear();
                }
            }
            "w:tr" if self.depth == 1 => self.row.clear(),
            "w:tc" if self.depth == 1 => self.cell.clear(),
            "w:tab" => self.push("\t"),
            "w:br" | "w:cr" => self.push("\n"),
            _ => {}
        }
    }

    fn push(&mut self, s: &str) {
        if self.depth > 0 {
            self.cell.push_str(s);
        } else {
            self.text.push_str(s);
        }
    }

    fn end(&mut self, em: &mut Emitter<'_>, name: &str) -> Flow {
        match name {
            "w:t" => self.in_text = false,
            "w:p" => {
                if self.depth > 0 {
                    if !self.cell.is_empty() && !self.cell.ends_with('\n') {
                        self.cell.push('\n');
                    }
                } else {
                    self.text.push('\n');
                }
            }
            "w:tc" if self.depth == 1 => {
                let cell = self.cell.trim_end_matches('\n').to_string();
                self.row.push(cell);
                self.cell.clear();
            }
            "w:tr" if self.depth == 1 => {
                let row = std::mem::take(&mut self.row);
                if row.iter().any(|c| !c.trim().is_empty()) {
                    self.rows.push(row);
                }
            }
            "w:tbl" if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    self.emit_table(em)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn emit_table(&mut self, em: &mut Emitter<'_>) -> Flow {
        self.tables += 1;
        let rows = std::mem::take(&mut self.rows);
        if rows.is_empty() {
            return Ok(());
        }
        // Text before the table goes first, so the order of the document is kept.
        self.flush_text(em)?;
        let header = detect_header(&rows, 1);
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let columns = (0..width)
            .map(|i| ColumnMeta {
                name: match header.and_then(|h| rows[h].get(i)) {
                    Some(n) if !n.trim().is_empty() => n.trim().to_string(),
                    _ => format!("column {}", i + 1),
                },
                declared_type: None,
            })
            .collect();
        let table = em.table(TableMeta {
            name: format!("table {}", self.tables),
            columns,
            header_row: header.map(|h| h as u64),
        })?;
        let mut b = BatchBuilder::new(em, table, width);
        for row in rows.iter().skip(header.map_or(0, |h| h + 1)) {
            b.push_row(row.iter().map(String::as_bytes));
            b.maybe_flush(em)?;
        }
        b.finish(em)
    }

    fn flush_text(&mut self, em: &mut Emitter<'_>) -> Flow {
        if self.text.trim().is_empty() {
            self.text.clear();
            return Ok(());
        }
        em.emit(Item::Text(std::mem::take(&mut self.text)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::super::FileFormat;
    use super::super::testutil::{run, tables, texts};

    /// A minimal DOCX holding `body` (the inside of `w:body`).
    pub(crate) fn docx(body: &str) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).unwrap();
        z.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        z.start_file("word/document.xml", o).unwrap();
        write!(
            z,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"x\"><w:body>{body}</w:body></w:document>"
        )
        .unwrap();
        z.finish().unwrap().into_inner()
    }

    fn p(t: &str) -> String {
        format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>")
    }

    fn tc(t: &str) -> String {
        format!("<w:tc>{}</w:tc>", p(t))
    }

    #[test]
    fn paragraphs_and_tables() {
        let table = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc("姓名"),
            tc("手机"),
            tc("张三"),
            tc("13812345678")
        );
        let body = format!(
            "{}{}{table}{}",
            p("客户名单"),
            p("A &amp; B &#x4E2D;"),
            p("完")
        );
        let (items, r) = run(&docx(&body), FileFormat::Docx);
        r.unwrap();
        assert_eq!(texts(&items), "客户名单\nA & B 中\n\n完\n");
        let t = tables(&items);
        assert_eq!(t[0].0, "table 1");
        assert_eq!(t[0].1, ["姓名", "手机"]);
        assert_eq!(t[0].2, [["张三", "13812345678"]]);
    }

    #[test]
    fn broken_documents_are_errors() {
        let d = docx(&p("x"));
        let (_, r) = run(&d[..d.len() / 2], FileFormat::Docx);
        assert!(r.unwrap_err().to_string().contains("DOCX"));
        let (_, r) = run(&docx("<w:p><w:t>x</w:p>"), FileFormat::Docx);
        assert!(
            r.unwrap_err()
                .to_string()
                .contains("word/document.xml at byte")
        );
    }
}
