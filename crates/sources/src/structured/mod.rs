//! Structured and office files read as tables and document text.
//!
//! A file's [`FileFormat`] is told by [`sniff_format`] from its first bytes and its name. Plain
//! text and gzip keep going through [`open`](crate::open); every other format is read by
//! [`open_structured`] (pull, one [`Item`] at a time) or [`read_structured`] (push, in the
//! calling thread) into a stream of items:
//!
//! * [`Item::Table`] announces a table (a CSV file, a sheet, a JSON array of objects, a Parquet
//!   file, a DOCX table) with its columns; [`Item::Batch`]es of its rows follow, column-major,
//!   each column's values appended into one `String` (no allocation per cell), and
//!   [`Item::TableEnd`] closes it with its counts.
//! * [`Item::Text`] carries document text (DOCX paragraphs, PDF pages, text members of archives).
//! * [`Item::Entry`] / [`Item::EntryEnd`] bracket the items of an archive member
//!   (`a.zip!/dir/x.csv`); members may be any supported format, archives included.
//! * [`Item::Error`] reports a member or part that failed; reading goes on with the next one.
//!   A failure of the whole file ends the stream with an `Err`.
//!
//! Memory stays bounded whatever the input: CSV, JSON arrays, NDJSON, tar and text are
//! streamed; formats that need random access (XLSX/XLS/ODS, DOCX, Parquet, PDF, zip) are read
//! from the file directly, and, inside an archive or from standard input, from a buffer of at
//! most [`ArchiveLimits::max_buffered_bytes`]. Archives are guarded by [`ArchiveLimits`].
//! Third-party parsers run under `catch_unwind`: a panic on a bad file becomes an error.

mod archive;
mod batch;
mod csv;
mod docx;
mod format;
mod header;
mod json;
mod limits;
mod parquet;
mod pdf;
mod text;
mod xlsx;

use std::fs::File;
use std::io::{self, Cursor, Read, Seek};
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

pub use batch::ColumnValues;
pub use format::{FileFormat, sniff_format};
pub use limits::ArchiveLimits;

use crate::error::{Reason, SourceError};
use crate::walk::Input;

/// One table of a file: a CSV file, a sheet, a JSON array of objects, a Parquet file, a DOCX
/// table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableMeta {
    /// `data.csv`, `Sheet1`, `$.users[*]`, `table 2` …
    pub name: String,
    /// The columns, in order. JSON tables may grow later ([`Item::ColumnsAdded`]).
    pub columns: Vec<ColumnMeta>,
    /// The 0-based row (in the sheet or file) that held the column names, if one did.
    pub header_row: Option<u64>,
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMeta {
    /// The header text, the JSON field path (`$.user.phone`, `$.orders[*].tel`), or
    /// `column 3` (1-based) when the table has no header.
    pub name: String,
    /// The type the file declares (Parquet: `INT64 (TIMESTAMP(MILLIS))` …), if any.
    pub declared_type: Option<String>,
}

/// A batch of rows of one table, column-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableBatch {
    /// Index of the table among the [`Item::Table`]s announced so far in this stream
    /// (0 for the first).
    pub table: usize,
    /// The 0-based data row (after the header) of the first row of the batch.
    pub first_row: u64,
    /// Rows in the batch: every column holds exactly this many values.
    pub rows: usize,
    /// One entry per column of the table (as announced, plus any columns added since).
    pub columns: Vec<ColumnValues>,
}

/// Counts of a table, sent when it ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableEnd {
    /// Index of the table.
    pub table: usize,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Rows with fewer or more fields than the table has columns (padded or cut).
    pub ragged_rows: u64,
    /// Cells cut at [`StructuredOptions::max_cell_bytes`].
    pub truncated_cells: u64,
}

/// What a structured reader yields.
#[derive(Debug)]
pub enum Item {
    /// A table, announced before its batches.
    Table(TableMeta),
    /// Columns appended to an announced table (a JSON record with new field paths); batches
    /// after this carry them too.
    ColumnsAdded {
        /// Index of the table.
        table: usize,
        /// The new columns, in order, after the existing ones.
        columns: Vec<ColumnMeta>,
    },
    /// Rows of the last announced table.
    Batch(TableBatch),
    /// The end of a table, with its counts.
    TableEnd(TableEnd),
    /// A piece of document text: DOCX paragraphs, a PDF page, a text member of an archive.
    /// Pieces end at line or paragraph ends where possible.
    Text(String),
    /// Entering an archive member, e.g. `a.zip!/dir/x.csv` (nested: `a.zip!/b.zip!/c.csv`).
    Entry {
        /// The member's full name.
        path: String,
    },
    /// Leaving the member entered last.
    EntryEnd,
    /// A member or part that failed (or a problem that was tolerated, such as a malformed
    /// quote); reading goes on.
    Error(SourceError),
}

/// A stream of [`Item`]s from one file.
pub trait StructuredReader: Send {
    /// The next item; `None` after the last. An `Err` ends the stream.
    fn next_item(&mut self) -> Result<Option<Item>, SourceError>;
}

/// How structured files are read.
#[derive(Clone, Copy, Debug)]
pub struct StructuredOptions {
    /// Rows per batch at most.
    pub batch_rows: usize,
    /// Bytes of cell text per batch at most (a batch closes once it holds this much).
    pub batch_bytes: usize,
    /// Force this encoding for CSV and JSON instead of detecting it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Limits on archives and buffered members.
    pub limits: ArchiveLimits,
    /// Cells longer than this are cut (on a character boundary) and counted.
    pub max_cell_bytes: usize,
    /// Bytes of text per [`Item::Text`] piece, roughly.
    pub text_piece_bytes: usize,
}

impl Default for StructuredOptions {
    fn default() -> StructuredOptions {
        StructuredOptions {
            batch_rows: 1024,
            batch_bytes: 4 << 20,
            encoding: None,
            limits: ArchiveLimits::default(),
            max_cell_bytes: 1 << 20,
            text_piece_bytes: 256 << 10,
        }
    }
}

/// Reads `input` as `format`, pushing each item to `sink` in the calling thread; `sink`
/// returns [`ControlFlow::Break`] to stop early. Errors of the whole file are returned;
/// errors of parts are pushed as [`Item::Error`].
pub fn read_structured(
    input: &Input,
    format: FileFormat,
    opts: &StructuredOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> Result<(), SourceError> {
    let name = input.display();
    let source = Source::open(input)?;
    let mut em = Emitter::new(opts, sink);
    finish(read_source(&mut em, &name, source, format, 0))
}

/// Reads `bytes` (named `name` in messages) as `format`, pushing items to `sink`. For tests,
/// fuzzing and data already in memory.
pub fn read_structured_bytes(
    name: &str,
    bytes: Vec<u8>,
    format: FileFormat,
    opts: &StructuredOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> Result<(), SourceError> {
    let mut em = Emitter::new(opts, sink);
    finish(read_source(&mut em, name, Source::Bytes(bytes), format, 0))
}

fn finish(r: Result<(), Halt>) -> Result<(), SourceError> {
    match r {
        Ok(()) | Err(Halt::Stopped) => Ok(()),
        Err(Halt::Failed(e)) => Err(e),
    }
}

/// Opens `input` as `format` and reads it in a thread of its own, handing items over one at a
/// time through a channel of two: the reader stays at most two items ahead of the caller.
/// Dropping the returned reader stops the thread at its next item.
pub fn open_structured(
    input: &Input,
    format: FileFormat,
    opts: &StructuredOptions,
) -> Result<Box<dyn StructuredReader>, SourceError> {
    let name = input.display();
    let source = TopSource::open(input)?;
    Ok(spawn_reader(name, source, format, *opts))
}

/// Like [`open_structured`], over a stream (standard input, a network body …) named `name`.
/// Formats that need random access buffer it up to [`ArchiveLimits::max_buffered_bytes`].
pub fn open_structured_reader(
    name: &str,
    reader: Box<dyn Read + Send>,
    format: FileFormat,
    opts: &StructuredOptions,
) -> Box<dyn StructuredReader> {
    spawn_reader(name.to_string(), TopSource::Stream(reader), format, *opts)
}

fn spawn_reader(
    name: String,
    source: TopSource,
    format: FileFormat,
    opts: StructuredOptions,
) -> Box<dyn StructuredReader> {
    let (tx, rx) = mpsc::sync_channel::<Item>(2);
    let thread_name = name.clone();
    let handle = std::thread::Builder::new()
        .name("shujian-structured".into())
        .spawn(move || {
            let mut sink = |item: Item| match tx.send(item) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            };
            let mut em = Emitter::new(&opts, &mut sink);
            finish(read_source(&mut em, &name, source.into_source(), format, 0))
        });
    match handle {
        Ok(h) => Box::new(ThreadReader {
            name: thread_name,
            rx: Some(rx),
            handle: Some(h),
        }),
        Err(e) => Box::new(FailedReader(Some(SourceError::new(
            thread_name,
            Reason::Io(e),
        )))),
    }
}

struct ThreadReader {
    name: String,
    rx: Option<mpsc::Receiver<Item>>,
    handle: Option<std::thread::JoinHandle<Result<(), SourceError>>>,
}

impl std::fmt::Debug for ThreadReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadReader")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl StructuredReader for ThreadReader {
    fn next_item(&mut self) -> Result<Option<Item>, SourceError> {
        if let Some(rx) = &self.rx {
            if let Ok(item) = rx.recv() {
                return Ok(Some(item));
            }
            self.rx = None;
        }
        let Some(h) = self.handle.take() else {
            return Ok(None);
        };
        match h.join() {
            Ok(r) => r.map(|()| None),
            Err(p) => Err(SourceError::new(
                self.name.clone(),
                Reason::Malformed {
                    format: "input",
                    detail: format!("reader failed unexpectedly ({})", panic_message(&*p)),
                },
            )),
        }
    }
}

#[derive(Debug)]
struct FailedReader(Option<SourceError>);

impl StructuredReader for FailedReader {
    fn next_item(&mut self) -> Result<Option<Item>, SourceError> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }
}

/// Why reading stopped early.
#[derive(Debug)]
pub(crate) enum Halt {
    /// The consumer asked to stop.
    Stopped,
    /// The input (or the member being read) failed.
    Failed(SourceError),
}

impl From<SourceError> for Halt {
    fn from(e: SourceError) -> Halt {
        Halt::Failed(e)
    }
}

pub(crate) type Flow = Result<(), Halt>;

/// Hands items to the sink and numbers tables; carries the options and the running archive
/// budget down the recursion.
pub(crate) struct Emitter<'a> {
    pub(crate) opts: &'a StructuredOptions,
    sink: &'a mut dyn FnMut(Item) -> ControlFlow<()>,
    tables: usize,
    /// Bytes expanded from archives so far (all levels).
    pub(crate) expanded: u64,
    /// Archive members seen so far (all levels).
    pub(crate) entries: u64,
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(
        opts: &'a StructuredOptions,
        sink: &'a mut dyn FnMut(Item) -> ControlFlow<()>,
    ) -> Emitter<'a> {
        Emitter {
            opts,
            sink,
            tables: 0,
            expanded: 0,
            entries: 0,
        }
    }

    pub(crate) fn emit(&mut self, item: Item) -> Flow {
        match (self.sink)(item) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Halt::Stopped),
        }
    }

    /// Announces a table; returns its index.
    pub(crate) fn table(&mut self, meta: TableMeta) -> Result<usize, Halt> {
        let i = self.tables;
        self.tables += 1;
        self.emit(Item::Table(meta))?;
        Ok(i)
    }

    /// Reports a tolerated error and goes on.
    pub(crate) fn error(&mut self, e: SourceError) -> Flow {
        self.emit(Item::Error(e))
    }
}

/// Something `Read + Seek + Send`, for formats that need random access.
pub(crate) trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// Where a file's bytes come from.
pub(crate) enum Source<'a> {
    /// A file on disk: seekable.
    File(File),
    /// Bytes in memory (a buffered archive member, test data).
    Bytes(Vec<u8>),
    /// A stream: read once, front to back (an archive member, standard input).
    Stream(Box<dyn Read + 'a>),
}

/// A top-level source that can move to the reading thread.
enum TopSource {
    File(File),
    Stream(Box<dyn Read + Send>),
}

impl TopSource {
    fn open(input: &Input) -> Result<TopSource, SourceError> {
        let io_err = |e: io::Error| SourceError::new(input.display(), Reason::Io(e));
        match input {
            Input::Stdin => Ok(TopSource::Stream(Box::new(io::stdin()))),
            Input::File(p) => {
                let f = File::open(p).map_err(io_err)?;
                if f.metadata().map_err(io_err)?.is_dir() {
                    return Err(io_err(io::Error::from(io::ErrorKind::IsADirectory)));
                }
                Ok(TopSource::File(f))
            }
        }
    }

    fn into_source(self) -> Source<'static> {
        match self {
            TopSource::File(f) => Source::File(f),
            TopSource::Stream(s) => Source::Stream(s),
        }
    }
}

impl<'a> Source<'a> {
    fn open(input: &Input) -> Result<Source<'static>, SourceError> {
        let io_err = |e: io::Error| SourceError::new(input.display(), Reason::Io(e));
        match input {
            Input::Stdin => Ok(Source::Stream(Box::new(io::stdin()))),
            Input::File(p) => {
                let f = File::open(p).map_err(io_err)?;
                if f.metadata().map_err(io_err)?.is_dir() {
                    return Err(io_err(io::Error::from(io::ErrorKind::IsADirectory)));
                }
                Ok(Source::File(f))
            }
        }
    }

    /// The bytes as a stream.
    pub(crate) fn into_read(self) -> Box<dyn Read + 'a> {
        match self {
            Source::File(f) => Box::new(f),
            Source::Bytes(b) => Box::new(Cursor::new(b)),
            Source::Stream(r) => r,
        }
    }

    /// The bytes with random access; a stream is buffered up to `cap` bytes.
    pub(crate) fn into_seekable(
        self,
        name: &str,
        cap: u64,
    ) -> Result<Box<dyn ReadSeek>, SourceError> {
        Ok(match self {
            Source::File(f) => Box::new(f),
            Source::Bytes(b) => Box::new(Cursor::new(b)),
            Source::Stream(r) => Box::new(Cursor::new(buffer(name, r, cap)?)),
        })
    }

    /// All the bytes in memory, up to `cap` bytes.
    pub(crate) fn into_bytes(self, name: &str, cap: u64) -> Result<Vec<u8>, SourceError> {
        match self {
            Source::Bytes(b) => Ok(b),
            other => buffer(name, other.into_read(), cap),
        }
    }
}

/// Reads `r` whole into memory, failing if it holds more than `cap` bytes.
pub(crate) fn buffer(name: &str, r: impl Read, cap: u64) -> Result<Vec<u8>, SourceError> {
    let mut out = Vec::new();
    r.take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| io_error(name, e))?;
    if out.len() as u64 > cap {
        return Err(SourceError::new(
            name,
            Reason::Limit(format!(
                "needs random access and is larger than the buffer limit of {}",
                limits::human_bytes(cap)
            )),
        ));
    }
    Ok(out)
}

/// An I/O error while reading `name`; limit errors raised by [`limits::LimitedReader`] keep
/// their message as a limit.
pub(crate) fn io_error(name: &str, e: io::Error) -> SourceError {
    match limits::limit_message(&e) {
        Some(msg) => SourceError::new(name, Reason::Limit(msg)),
        None => SourceError::new(name, Reason::Io(e)),
    }
}

pub(crate) fn malformed(
    name: &str,
    format: &'static str,
    detail: impl Into<String>,
) -> SourceError {
    SourceError::new(
        name,
        Reason::Malformed {
            format,
            detail: detail.into(),
        },
    )
}

/// Runs third-party parsing code, turning a panic into an error naming `name`.
pub(crate) fn guarded<T>(
    name: &str,
    format: &'static str,
    f: impl FnOnce() -> Result<T, SourceError>,
) -> Result<T, SourceError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(malformed(
            name,
            format,
            format!("the parser failed on this file ({})", panic_message(&*p)),
        )),
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Reads one source (a file or an archive member) as `format`.
pub(crate) fn read_source(
    em: &mut Emitter<'_>,
    name: &str,
    source: Source<'_>,
    format: FileFormat,
    depth: u32,
) -> Flow {
    let cap = em.opts.limits.max_buffered_bytes;
    match format {
        FileFormat::Csv { delimiter } => csv::read(em, name, source.into_read(), delimiter),
        FileFormat::Json => json::read(em, name, source.into_read(), false),
        FileFormat::Ndjson => json::read(em, name, source.into_read(), true),
        FileFormat::Xlsx | FileFormat::Xls | FileFormat::Ods => {
            let rs = source.into_seekable(name, cap)?;
            xlsx::read(em, name, rs, format)
        }
        FileFormat::Parquet => parquet::read(em, name, source),
        FileFormat::Docx => {
            let rs = source.into_seekable(name, cap)?;
            docx::read(em, name, rs)
        }
        FileFormat::Pdf => {
            let bytes = source.into_bytes(name, cap)?;
            pdf::read(em, name, &bytes)
        }
        FileFormat::Zip => {
            let rs = source.into_seekable(name, cap)?;
            archive::read_zip(em, name, rs, depth)
        }
        FileFormat::Tar => archive::read_tar(em, name, source.into_read(), depth, false),
        FileFormat::TarGz => archive::read_tar(em, name, source.into_read(), depth, true),
        FileFormat::Text | FileFormat::Gzip => text::read(em, name, source.into_read()),
        FileFormat::Binary => Err(Halt::Failed(SourceError::new(
            name,
            Reason::Unsupported("binary file of a format that is not read"),
        ))),
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Reads `bytes` as `format` with `opts` and collects every item (or the final error).
    pub(crate) fn run_with(
        bytes: &[u8],
        format: FileFormat,
        opts: &StructuredOptions,
    ) -> (Vec<Item>, Result<(), SourceError>) {
        let mut items = Vec::new();
        let r = read_structured_bytes("t", bytes.to_vec(), format, opts, &mut |i| {
            items.push(i);
            ControlFlow::Continue(())
        });
        (items, r)
    }

    pub(crate) fn run(bytes: &[u8], format: FileFormat) -> (Vec<Item>, Result<(), SourceError>) {
        run_with(bytes, format, &StructuredOptions::default())
    }

    /// The tables of `items`: name, column names and rows (row-major), batches joined.
    pub(crate) fn tables(items: &[Item]) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
        let mut out: Vec<(String, Vec<String>, Vec<Vec<String>>)> = Vec::new();
        for item in items {
            match item {
                Item::Table(t) => out.push((
                    t.name.clone(),
                    t.columns.iter().map(|c| c.name.clone()).collect(),
                    Vec::new(),
                )),
                Item::ColumnsAdded { table, columns } => {
                    out[*table].1.extend(columns.iter().map(|c| c.name.clone()));
                }
                Item::Batch(b) => {
                    let t = &mut out[b.table];
                    assert_eq!(b.first_row, t.2.len() as u64);
                    for c in &b.columns {
                        assert_eq!(c.len(), b.rows);
                    }
                    for r in 0..b.rows {
                        let row: Vec<String> =
                            b.columns.iter().map(|c| c.get(r).to_string()).collect();
                        t.2.push(row);
                    }
                }
                _ => {}
            }
        }
        for t in &mut out {
            for row in &mut t.2 {
                row.resize(t.1.len(), String::new());
            }
        }
        out
    }

    pub(crate) fn texts(items: &[Item]) -> String {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(crate) fn errors(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Error(e) => Some(e.to_string()),
                _ => None,
            })
            .collect()
    }
}
