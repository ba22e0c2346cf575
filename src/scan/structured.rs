//! Scanning one structured file (CSV, JSON, spreadsheets, Parquet, DOCX, PDF, archives) in a
//! worker thread: its tables become column profiles, its document text becomes findings.
//!
//! The reader in `shujian-sources` pushes [`Item`]s: tables with column-major batches of rows,
//! pieces of document text, archive members, and errors of parts. Every column of every table
//! gets a [`ColumnAccumulator`] (counts, detector hits, a distinct-value sketch and masked
//! examples, in fixed memory) that the classifier turns into a label when the table ends.
//! Document text is scanned like any text file. Memory stays bounded by the reader's batch
//! size and the number of columns, whatever the size of the file.

use std::ops::ControlFlow;

use shujian_classify::{ColumnAccumulator, ColumnInput};
use shujian_detect::{Finding, Position, Scratch, TextWindow};
use shujian_sources::{
    FileFormat, Input, Item, SourceError, StructuredOptions, TableMeta, read_structured,
};

use super::grading::{AssetReport, Grader};
use super::output::{ColumnReport, RenderCache, Renderer};

/// What a worker needs to scan structured files, shared by all workers.
#[derive(Debug)]
pub struct StructuredContext<'a> {
    /// Classifies columns (with its own engine: identifier detectors on bare values).
    pub classifier: &'a shujian_classify::Classifier,
    /// Renders the findings of document text (the scan's engine and format).
    pub renderer: &'a Renderer<'a>,
    /// How to read the files.
    pub options: StructuredOptions,
    /// Classifies columns under the template and grades tables.
    pub grader: &'a Grader,
}

/// The result of one structured file.
#[derive(Debug, Default)]
pub struct StructuredResult {
    /// Column profiles, in the order the tables ended.
    pub columns: Vec<ColumnReport>,
    /// The tables as graded data assets, in the same order.
    pub assets: Vec<AssetReport>,
    /// Rendered findings of document text.
    pub rendered: Vec<u8>,
    /// Findings of document text per detector (indexed by detector id).
    pub counts: Vec<u64>,
    /// Bytes of document text scanned plus bytes of cell text read.
    pub bytes: u64,
    /// Tables read.
    pub tables: u64,
    /// Data rows read.
    pub rows: u64,
    /// Parts that failed (members, sheets, malformed rows) while reading went on.
    pub errors: Vec<SourceError>,
    /// Why the file as a whole could not be read to its end, if it could not.
    pub failed: Option<SourceError>,
}

/// A table being read.
struct OpenTable<'c> {
    meta: TableMeta,
    /// The input or archive member the table came from.
    path: String,
    columns: Vec<ColumnAccumulator<'c>>,
}

/// The per-worker state of a structured scan.
pub struct StructuredScanner<'w, 'a> {
    ctx: &'w StructuredContext<'a>,
    scratch: &'w mut Scratch,
    findings: &'w mut Vec<Finding>,
    cache: &'w mut RenderCache,
}

impl<'w, 'a> StructuredScanner<'w, 'a> {
    /// A scanner using a worker's buffers.
    pub fn new(
        ctx: &'w StructuredContext<'a>,
        scratch: &'w mut Scratch,
        findings: &'w mut Vec<Finding>,
        cache: &'w mut RenderCache,
    ) -> StructuredScanner<'w, 'a> {
        StructuredScanner {
            ctx,
            scratch,
            findings,
            cache,
        }
    }

    /// Reads `input` as `format` to its end.
    pub fn scan(&mut self, input: &Input, format: FileFormat) -> StructuredResult {
        let name = input.display();
        let detectors = self.ctx.renderer.engine().detectors().len();
        let mut state = State {
            result: StructuredResult {
                counts: vec![0; detectors],
                ..StructuredResult::default()
            },
            tables: Vec::new(),
            entries: vec![Member::new(name.clone())],
        };
        let classifier = self.ctx.classifier;
        let r = read_structured(input, format, &self.ctx.options, &mut |item| {
            self.item(classifier, &mut state, item);
            ControlFlow::Continue(())
        });
        // Tables left open by a failure still get their profiles: what was read is reported.
        for i in 0..state.tables.len() {
            self.close_table(&mut state, i);
        }
        if let Err(e) = r {
            state.result.failed = Some(e);
        }
        state.result
    }

    fn item<'c>(
        &mut self,
        classifier: &'c shujian_classify::Classifier,
        st: &mut State<'c>,
        item: Item,
    ) {
        match item {
            Item::Table(meta) => {
                let columns = meta
                    .columns
                    .iter()
                    .map(|_| classifier.accumulator())
                    .collect();
                let path = st.path().to_string();
                st.tables.push(Some(OpenTable {
                    meta,
                    path,
                    columns,
                }));
                st.result.tables += 1;
            }
            Item::ColumnsAdded { table, columns } => {
                if let Some(Some(t)) = st.tables.get_mut(table) {
                    for c in columns {
                        t.meta.columns.push(c);
                        t.columns.push(classifier.accumulator());
                    }
                }
            }
            Item::Batch(batch) => {
                if let Some(Some(t)) = st.tables.get_mut(batch.table) {
                    for (acc, values) in t.columns.iter_mut().zip(&batch.columns) {
                        acc.push_batch(&values.text, &values.ends);
                        st.result.bytes += values.text.len() as u64;
                    }
                    st.result.rows += batch.rows as u64;
                }
            }
            Item::TableEnd(end) => self.close_table(st, end.table),
            Item::Text(text) => self.text(st, &text),
            Item::Entry { path } => st.entries.push(Member::new(path)),
            Item::EntryEnd => {
                if st.entries.len() > 1 {
                    st.entries.pop();
                }
            }
            Item::Error(e) => st.result.errors.push(e),
        }
    }

    fn close_table(&mut self, st: &mut State<'_>, index: usize) {
        let Some(t) = st.tables.get_mut(index).and_then(Option::take) else {
            return;
        };
        let engine = self.ctx.classifier.engine();
        let first = st.result.columns.len();
        let mut rows = 0;
        for (meta, acc) in t.meta.columns.iter().zip(&t.columns) {
            rows = rows.max(acc.counts().non_empty + acc.counts().empty);
            let input = ColumnInput {
                table: &t.meta.name,
                column: &meta.name,
                declared_type: meta.declared_type.as_deref().unwrap_or(""),
                ..ColumnInput::default()
            };
            let profile = self.ctx.classifier.decide(&input, acc);
            let hits = acc
                .counts()
                .whole_hits
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, &n)| (engine.detectors()[i].id.clone(), n))
                .collect();
            st.result.columns.push(ColumnReport {
                path: t.path.clone(),
                profile,
                hits,
                classification: None,
            });
        }
        let asset = self.ctx.grader.grade_table(
            &t.path,
            &t.meta.name,
            &mut st.result.columns[first..],
            &[],
            Some(rows),
            rows,
        );
        st.result.assets.push(asset);
    }

    /// Scans a piece of document text of the current member.
    fn text(&mut self, st: &mut State<'_>, text: &str) {
        let renderer = self.ctx.renderer;
        let engine = renderer.engine();
        let member = st
            .entries
            .last_mut()
            .expect("the file itself is always there");
        let window = TextWindow {
            text,
            owned: 0..text.len(),
            origin: member.position,
        };
        self.findings.clear();
        engine.scan_window(&window, self.scratch, self.findings);
        if !self.findings.is_empty() {
            renderer.render(
                self.cache,
                &member.path,
                text,
                member.position.byte,
                self.findings,
                &mut st.result.rendered,
            );
            for f in self.findings.iter() {
                st.result.counts[f.detector.index()] += 1;
            }
        }
        member.position.byte += text.len();
        member.position.char += text.chars().count();
        member.position.newlines += newlines(text);
        st.result.bytes += text.len() as u64;
    }
}

fn newlines(text: &str) -> usize {
    text.bytes().filter(|&c| c == b'\n').count()
}

/// The file or an archive member being read, and where its text has got to.
struct Member {
    path: String,
    position: Position,
}

impl Member {
    fn new(path: String) -> Member {
        Member {
            path,
            position: Position::default(),
        }
    }
}

struct State<'c> {
    result: StructuredResult,
    tables: Vec<Option<OpenTable<'c>>>,
    /// The file, then the archive members entered.
    entries: Vec<Member>,
}

impl State<'_> {
    fn path(&self) -> &str {
        self.entries.last().map_or("", |m| m.path.as_str())
    }
}
