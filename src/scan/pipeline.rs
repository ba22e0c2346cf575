//! The scan pipeline: walk, read, scan and print, in parallel over files and over the windows
//! of large files, with bounded memory and output in a deterministic order.
//!
//! ## Shape
//!
//! `threads` workers and one collector (the calling thread, which owns standard output).
//!
//! A worker repeatedly takes a **task** from a shared scheduler and does it outside the lock:
//!
//! * *read the next window of an open file* — preferred, lowest file first, so a large file is
//!   finished by all workers together instead of being left to one;
//! * *open the next input* from the walker (sorted, lazy).
//!
//! Having read a window, the worker hands the file back to the scheduler *before* scanning,
//! so another worker can read the next window while it scans this one: a 5 GB file is read by
//! one worker at a time (reading is sequential) and scanned by all of them. Each worker keeps
//! one [`Scratch`] and one findings buffer for its life.
//!
//! Findings are rendered (masked) in the worker, where the window's text is; the collector
//! only writes bytes, in order of (file, window), so the output is the same on every run and
//! findings of a file come out in file order.
//!
//! ## Bounded memory
//!
//! Every window read takes a **permit**, given back when the collector has written its
//! findings; there are `2 × threads + 2` permits (two per worker, so a worker that finishes
//! early can run ahead of a slow window instead of waiting). So at most that many windows
//! (text or rendered findings) exist at once, however large the input and however unevenly
//! windows take to scan.
//! To never deadlock, the one window the collector is waiting for next may always be read
//! without a permit. Memory is therefore a small multiple of `(2 × threads + 3) × window size`
//! whatever the size of the input: the default window size shrinks with the thread count.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};
use shujian_classify::Classifier;
use shujian_detect::{Engine, Finding, Position, Scratch, TextWindow};
use shujian_sources::{
    Chunk, FileFormat, Input, OpenOptions, Opened, Replacements, SourceError, StructuredOptions,
    TextStream, WalkItem, WalkOptions, Walker,
};

use super::grading::{AssetReport, Grader};
use super::output::{
    self, ColumnReport, DetectorCount, FileSummary, Format, RenderCache, Renderer, Sink, Summary,
};
use super::progress::Progress;
use super::structured::{StructuredContext, StructuredResult, StructuredScanner};

/// Everything a scan needs besides the engine.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Paths to scan (`-` for standard input).
    pub paths: Vec<std::path::PathBuf>,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// How to open inputs (encoding, window sizes).
    pub open: OpenOptions,
    /// How to walk directories.
    pub walk: WalkOptions,
    /// Output format.
    pub format: Format,
    /// Write raw values.
    pub show_values: bool,
    /// No progress bar, no warnings.
    pub quiet: bool,
    /// Write the output to this file instead of standard output.
    pub output: Option<std::path::PathBuf>,
    /// How structured files (CSV, spreadsheets, JSON, Parquet, DOCX, PDF, archives) are read.
    pub structured: StructuredOptions,
}

impl ScanConfig {
    /// The default window size for `threads` workers: 1 MiB, smaller on machines with many
    /// cores so that the `2 × threads + 2` windows in flight stay near 32 MiB of text; never
    /// below 256 KiB. The output rendered from a window of dense data (JSON, ndjson) can be
    /// several times its size, and when the reader of the output stalls all permitted windows
    /// hold rendered output: 1 MiB keeps that well inside the 256 MB budget of issue #2 (2 MiB
    /// windows peaked near 200 MB on a 5 GB dense file with a stalled reader).
    pub fn default_chunk_size(threads: usize) -> usize {
        const MAX: usize = 1 << 20;
        (32usize << 20)
            .checked_div(2 * threads + 2)
            .unwrap_or(MAX)
            .clamp(256 << 10, MAX)
    }
}

/// How a scan went.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanOutcome {
    /// Findings reported.
    pub findings: u64,
    /// Columns of structured inputs labelled as personal information.
    pub pi_columns: u64,
    /// Inputs that could not be read, whole or in part.
    pub failed: u64,
}

/// What the stream knew about an input read to its end.
struct StreamInfo {
    format: &'static str,
    encoding: &'static str,
    origin: &'static str,
    gzip: bool,
    replacements: Replacements,
}

impl StreamInfo {
    fn of(s: &TextStream) -> StreamInfo {
        StreamInfo {
            format: "text",
            encoding: s.encoding().name(),
            origin: s.encoding_origin().code(),
            gzip: s.is_gzip(),
            replacements: s.replacements(),
        }
    }
}

/// How one input ended.
enum FileEnd {
    /// Read to the end.
    Done(StreamInfo),
    /// Could not be opened or read further.
    Failed(SourceError),
    /// Not text.
    Skipped(String),
}

/// One unit of output from a worker, for window `index` of input `file`.
struct Piece {
    file: u64,
    index: u64,
    /// Whether this is the input's last piece.
    last: bool,
    /// Whether this piece holds a permit (given back when it is written).
    permit: bool,
    path: Arc<str>,
    rendered: Vec<u8>,
    /// Findings per detector (indexed by detector id), empty if none.
    counts: Vec<u64>,
    text_bytes: u64,
    /// Column profiles of a structured input.
    columns: Vec<ColumnReport>,
    /// Its tables as graded assets.
    assets: Vec<AssetReport>,
    /// Tables read in a structured input.
    tables: u64,
    /// Parts of the input that failed while the rest was read.
    part_errors: Vec<SourceError>,
    end: Option<FileEnd>,
}

/// An input being read, window by window.
struct OpenFile {
    seq: u64,
    path: Arc<str>,
    stream: Box<TextStream>,
    next_index: u64,
    bytes_reported: u64,
}

enum Task {
    Open(u64, Input, bool),
    Read(Box<OpenFile>, bool),
    Report(u64, SourceError),
}

/// Shared state of the workers and the collector.
struct Scheduler {
    walker: Walker,
    walker_done: bool,
    next_file: u64,
    /// Inputs being read; `None` while a worker holds the file.
    open: BTreeMap<u64, Option<Box<OpenFile>>>,
    in_flight: usize,
    permits: usize,
    /// The piece the collector writes next.
    head: (u64, u64),
    stop: bool,
}

impl Scheduler {
    fn exempt(&self, file: u64, index: u64) -> bool {
        self.head == (file, index)
    }

    fn take_permit(&mut self, file: u64, index: u64) -> Option<bool> {
        if self.exempt(file, index) {
            Some(false)
        } else if self.in_flight < self.permits {
            self.in_flight += 1;
            Some(true)
        } else {
            None
        }
    }

    /// The next task, if one may start now.
    fn pick(&mut self) -> Option<Task> {
        let free: Vec<(u64, u64)> = self
            .open
            .iter()
            .filter_map(|(&seq, f)| f.as_ref().map(|f| (seq, f.next_index)))
            .collect();
        for (seq, index) in free {
            if let Some(permit) = self.take_permit(seq, index) {
                let file = self.open.get_mut(&seq).and_then(Option::take)?;
                return Some(Task::Read(file, permit));
            }
        }
        while !self.walker_done {
            let seq = self.next_file;
            let permit = self.take_permit(seq, 0)?;
            match self.walker.next() {
                None => {
                    self.walker_done = true;
                    if permit {
                        self.in_flight -= 1;
                    }
                }
                Some(WalkItem::Error(e)) => {
                    if permit {
                        self.in_flight -= 1;
                    }
                    self.next_file += 1;
                    return Some(Task::Report(seq, e));
                }
                Some(WalkItem::Input(input)) => {
                    self.next_file += 1;
                    self.open.insert(seq, None);
                    return Some(Task::Open(seq, input, permit));
                }
            }
        }
        None
    }

    fn finished(&self) -> bool {
        self.stop || (self.walker_done && self.open.is_empty())
    }
}

struct Shared<'a> {
    sched: Mutex<Scheduler>,
    wake: Condvar,
    engine: &'a Engine,
    renderer: &'a Renderer<'a>,
    structured: StructuredContext<'a>,
    progress: Option<indicatif::ProgressBar>,
    /// Set when a worker panicked.
    panicked: std::sync::atomic::AtomicBool,
    /// Window buffers scanned and free for reuse (fresh multi-megabyte allocations cost page
    /// faults, which serialise threads on the kernel's memory map).
    buffers: Mutex<Vec<String>>,
    max_buffers: usize,
    /// Capacity a buffer needs to hold a window.
    buffer_capacity: usize,
}

impl Shared<'_> {
    fn take_buffer(&self) -> Option<String> {
        self.buffers.lock().ok()?.pop()
    }

    fn give_buffer(&self, buf: String) {
        if buf.capacity() < self.buffer_capacity {
            return;
        }
        if let Ok(mut v) = self.buffers.lock()
            && v.len() < self.max_buffers
        {
            v.push(buf);
        }
    }
}

impl Shared<'_> {
    fn lock(&self) -> MutexGuard<'_, Scheduler> {
        // A worker that panicked mid-update leaves the scheduler consistent enough to stop.
        self.sched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn next_task(&self) -> Option<Task> {
        let mut s = self.lock();
        loop {
            if s.finished() {
                return None;
            }
            if let Some(t) = s.pick() {
                return Some(t);
            }
            // `pick` may have found the walker exhausted: check again before sleeping.
            if s.finished() {
                return None;
            }
            s = self
                .wake
                .wait(s)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Gives a file back (more windows to read) or closes it.
    fn put_back(&self, file: Option<Box<OpenFile>>, seq: u64) {
        let mut s = self.lock();
        match file {
            Some(f) => {
                s.open.insert(seq, Some(f));
            }
            None => {
                s.open.remove(&seq);
            }
        }
        drop(s);
        self.wake.notify_all();
    }
}

/// Runs a scan, writing the output to standard output (or `cfg.output`). Text is scanned
/// with `engine`; columns of structured inputs are profiled by `classifier`.
pub fn scan(
    engine: &Engine,
    classifier: &Classifier,
    grader: &Grader,
    cfg: &ScanConfig,
) -> anyhow::Result<ScanOutcome> {
    let started = Instant::now();
    let mut progress = Progress::new(cfg.quiet);
    let renderer = Renderer::new(engine, cfg.format, cfg.show_values);
    let threads = cfg.threads.max(1);
    let shared = Shared {
        sched: Mutex::new(Scheduler {
            walker: Walker::new(cfg.paths.clone(), cfg.walk),
            walker_done: false,
            next_file: 0,
            open: BTreeMap::new(),
            in_flight: 0,
            permits: 2 * threads + 2,
            head: (0, 0),
            stop: false,
        }),
        wake: Condvar::new(),
        engine,
        renderer: &renderer,
        structured: StructuredContext {
            classifier,
            renderer: &renderer,
            options: cfg.structured,
            grader,
        },
        progress: progress.as_ref().map(|p| p.bar().clone()),
        panicked: std::sync::atomic::AtomicBool::new(false),
        buffers: Mutex::new(Vec::new()),
        max_buffers: 2 * threads + 2,
        buffer_capacity: cfg.open.chunk.capacity(),
    };
    let (tx, rx) = crossbeam_channel::unbounded::<Piece>();
    let mut sink = Sink::create(cfg.output.as_deref(), shared.progress.clone())?;
    let mut doc = output::document(cfg.format, cfg.show_values);
    let outcome = std::thread::scope(|scope| {
        for i in 0..threads {
            let tx = tx.clone();
            let shared = &shared;
            let open = cfg.open;
            std::thread::Builder::new()
                .name(format!("scan-{i}"))
                .spawn_scoped(scope, move || Worker::new(shared, tx, open).run())
                .map_err(|e| anyhow::anyhow!("cannot start a worker thread: {e}"))?;
        }
        drop(tx);
        let mut collector = Collector::new(&shared, cfg, &mut *doc, &mut sink);
        let result = collector.run(&rx, progress.as_mut());
        if result.is_err() {
            shared.lock().stop = true;
            shared.wake.notify_all();
        }
        result.map(|()| collector.finish(started))
    });
    if let Some(p) = &progress {
        p.finish();
    }
    if shared.panicked.load(std::sync::atomic::Ordering::Relaxed) {
        anyhow::bail!("internal error: a scan thread panicked; the output is incomplete");
    }
    match outcome {
        Ok(summary) => {
            write_end(&mut *doc, &mut sink, &summary)?;
            Ok(ScanOutcome {
                findings: summary.findings,
                pi_columns: summary.pi_columns,
                failed: summary.files_failed,
            })
        }
        Err(e) if is_broken_pipe(&e) => Ok(ScanOutcome::default()),
        Err(e) => Err(e),
    }
}

fn write_end(
    doc: &mut dyn output::Document,
    sink: &mut Sink,
    summary: &Summary,
) -> anyhow::Result<()> {
    let r = doc.finish(sink, summary).and_then(|()| sink.flush());
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// One worker thread.
struct Worker<'s, 'a> {
    shared: &'s Shared<'a>,
    tx: Sender<Piece>,
    open: OpenOptions,
    scratch: Scratch,
    findings: Vec<Finding>,
    counts: Vec<u64>,
    cache: RenderCache,
}

impl<'s, 'a> Worker<'s, 'a> {
    fn new(shared: &'s Shared<'a>, tx: Sender<Piece>, open: OpenOptions) -> Worker<'s, 'a> {
        Worker {
            shared,
            tx,
            open,
            scratch: Scratch::default(),
            findings: Vec::new(),
            counts: vec![0; shared.engine.detectors().len()],
            cache: RenderCache::default(),
        }
    }

    /// Runs tasks until there are none. A panic (a bug, never bad input) stops the whole scan
    /// instead of leaving the others waiting for a window that will never come.
    fn run(mut self) {
        let shared = self.shared;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run_tasks()));
        if result.is_err() {
            shared
                .panicked
                .store(true, std::sync::atomic::Ordering::Relaxed);
            shared.lock().stop = true;
            shared.wake.notify_all();
        }
    }

    fn run_tasks(&mut self) {
        while let Some(task) = self.shared.next_task() {
            let piece = match task {
                Task::Report(seq, e) => end_piece(
                    seq,
                    0,
                    false,
                    Arc::from(e.path.as_str()),
                    FileEnd::Failed(e),
                ),
                Task::Open(seq, input, permit) => self.open_input(seq, &input, permit),
                Task::Read(file, permit) => self.read(file, permit),
            };
            if self.tx.send(piece).is_err() {
                return;
            }
        }
    }

    fn open_input(&mut self, seq: u64, input: &Input, permit: bool) -> Piece {
        let path: Arc<str> = Arc::from(input.display());
        if let Some(pb) = &self.shared.progress
            && let Some(size) = input.size()
        {
            pb.inc_length(size);
        }
        if let Some(format) = structured_format(input) {
            let piece = self.structured(seq, path, input, format, permit);
            self.shared.put_back(None, seq);
            return piece;
        }
        let opened = shujian_sources::open(input, &self.open);
        let end = match opened {
            Ok(Opened::Text(stream)) => {
                let file = Box::new(OpenFile {
                    seq,
                    path,
                    stream,
                    next_index: 0,
                    bytes_reported: 0,
                });
                return self.read(file, permit);
            }
            Ok(Opened::Skipped(why)) => FileEnd::Skipped(why),
            Err(e) => FileEnd::Failed(e),
        };
        self.shared.put_back(None, seq);
        end_piece(seq, 0, permit, path, end)
    }

    /// Reads a structured input whole (its reader streams with bounded memory).
    fn structured(
        &mut self,
        seq: u64,
        path: Arc<str>,
        input: &Input,
        format: FileFormat,
        permit: bool,
    ) -> Piece {
        let shared = self.shared;
        let mut scanner = StructuredScanner::new(
            &shared.structured,
            &mut self.scratch,
            &mut self.findings,
            &mut self.cache,
        );
        let r: StructuredResult = scanner.scan(input, format);
        if let Some(pb) = &shared.progress
            && let Some(size) = input.size()
        {
            pb.inc(size);
        }
        let end = match r.failed {
            Some(e) => FileEnd::Failed(e),
            None => FileEnd::Done(StreamInfo {
                format: format.label(),
                encoding: "",
                origin: "",
                gzip: false,
                replacements: Replacements::default(),
            }),
        };
        let any = r.counts.iter().any(|&c| c > 0);
        Piece {
            file: seq,
            index: 0,
            last: true,
            permit,
            path,
            rendered: r.rendered,
            counts: if any { r.counts } else { Vec::new() },
            text_bytes: r.bytes,
            columns: r.columns,
            assets: r.assets,
            tables: r.tables,
            part_errors: r.errors,
            end: Some(end),
        }
    }

    /// Reads one window, hands the file back, scans the window.
    fn read(&mut self, mut file: Box<OpenFile>, permit: bool) -> Piece {
        let (seq, index) = (file.seq, file.next_index);
        if let Some(buf) = self.shared.take_buffer() {
            file.stream.recycle(buf);
        }
        let result = file.stream.next_chunk();
        let read_now = file.stream.bytes_read();
        let delta = read_now.saturating_sub(file.bytes_reported);
        file.bytes_reported = read_now;
        if let Some(pb) = &self.shared.progress {
            pb.inc(delta);
        }
        let path = Arc::clone(&file.path);
        match result {
            Ok(Some(chunk)) => {
                let end = chunk
                    .last
                    .then(|| FileEnd::Done(StreamInfo::of(&file.stream)));
                if chunk.last {
                    self.shared.put_back(None, seq);
                } else {
                    file.next_index += 1;
                    self.shared.put_back(Some(file), seq);
                }
                let piece = self.scan(seq, path, &chunk, permit, end);
                self.shared.give_buffer(chunk.text);
                piece
            }
            Ok(None) => {
                // The chunker marks the last window itself; reached only if a stream is
                // asked again after its end.
                let info = StreamInfo::of(&file.stream);
                self.shared.put_back(None, seq);
                end_piece(seq, index, permit, path, FileEnd::Done(info))
            }
            Err(e) => {
                self.shared.put_back(None, seq);
                end_piece(seq, index, permit, path, FileEnd::Failed(e))
            }
        }
    }

    fn scan(
        &mut self,
        seq: u64,
        path: Arc<str>,
        chunk: &Chunk,
        permit: bool,
        end: Option<FileEnd>,
    ) -> Piece {
        let engine = self.shared.engine;
        let window = TextWindow {
            text: &chunk.text,
            owned: chunk.owned.clone(),
            origin: Position {
                byte: chunk.origin.byte,
                char: chunk.origin.char,
                newlines: chunk.origin.newlines,
            },
        };
        self.findings.clear();
        engine.scan_window(&window, &mut self.scratch, &mut self.findings);
        let mut rendered = Vec::new();
        let mut counts = Vec::new();
        if !self.findings.is_empty() {
            self.shared.renderer.render(
                &mut self.cache,
                &path,
                &chunk.text,
                chunk.origin.byte,
                &self.findings,
                &mut rendered,
            );
            self.counts.iter_mut().for_each(|c| *c = 0);
            for f in &self.findings {
                self.counts[f.detector.index()] += 1;
            }
            counts.clone_from(&self.counts);
        }
        Piece {
            file: seq,
            index: chunk.index,
            last: end.is_some(),
            permit,
            path,
            rendered,
            counts,
            text_bytes: chunk.owned.len() as u64,
            columns: Vec::new(),
            assets: Vec::new(),
            tables: 0,
            part_errors: Vec::new(),
            end,
        }
    }
}

/// The structured format of a file, judged by its first bytes and its name; `None` for text
/// (and gzip, which the text reader decompresses), for standard input, and when the file cannot
/// be read (the text reader then reports why).
fn structured_format(input: &Input) -> Option<FileFormat> {
    use std::io::Read;
    let Input::File(path) = input else {
        return None;
    };
    let mut head = Vec::with_capacity(shujian_sources::SNIFF);
    std::fs::File::open(path)
        .ok()?
        .take(shujian_sources::SNIFF as u64)
        .read_to_end(&mut head)
        .ok()?;
    let format = shujian_sources::sniff_format(path, &head);
    format.is_structured().then_some(format)
}

fn end_piece(seq: u64, index: u64, permit: bool, path: Arc<str>, end: FileEnd) -> Piece {
    Piece {
        file: seq,
        index,
        last: true,
        permit,
        path,
        rendered: Vec::new(),
        counts: Vec::new(),
        text_bytes: 0,
        columns: Vec::new(),
        assets: Vec::new(),
        tables: 0,
        part_errors: Vec::new(),
        end: Some(end),
    }
}

/// Writes pieces in order, gives permits back, keeps the totals.
struct Collector<'c, 'a> {
    shared: &'c Shared<'a>,
    doc: &'c mut dyn output::Document,
    sink: &'c mut Sink,
    quiet: bool,
    /// Flush after every batch so a person watching a terminal sees findings at once.
    flush_each: bool,
    pending: BTreeMap<(u64, u64), Piece>,
    head: (u64, u64),
    counts: Vec<u64>,
    summary: Summary,
    file_bytes: u64,
    file_findings: u64,
}

impl<'c, 'a> Collector<'c, 'a> {
    fn new(
        shared: &'c Shared<'a>,
        cfg: &ScanConfig,
        doc: &'c mut dyn output::Document,
        sink: &'c mut Sink,
    ) -> Collector<'c, 'a> {
        use std::io::IsTerminal;
        Collector {
            shared,
            doc,
            sink,
            quiet: cfg.quiet,
            flush_each: io::stdout().is_terminal(),
            pending: BTreeMap::new(),
            head: (0, 0),
            counts: vec![0; shared.engine.detectors().len()],
            summary: Summary::default(),
            file_bytes: 0,
            file_findings: 0,
        }
    }

    fn run(
        &mut self,
        rx: &Receiver<Piece>,
        mut progress: Option<&mut Progress>,
    ) -> anyhow::Result<()> {
        self.doc.begin(self.sink)?;
        for piece in rx {
            self.pending.insert((piece.file, piece.index), piece);
            let mut released = 0;
            let mut advanced = false;
            while let Some(p) = self.pending.remove(&self.head) {
                advanced = true;
                released += usize::from(p.permit);
                self.write(p)?;
            }
            if advanced {
                let mut s = self.shared.lock();
                s.in_flight -= released;
                s.head = self.head;
                drop(s);
                self.shared.wake.notify_all();
                if self.flush_each {
                    self.sink.flush()?;
                }
            }
            if let Some(p) = progress.as_deref_mut() {
                let files = self.summary.files_scanned
                    + self.summary.files_skipped
                    + self.summary.files_failed;
                p.counts(files, self.summary.findings);
            }
        }
        Ok(())
    }

    fn stderr(&self, line: &str) {
        match &self.shared.progress {
            Some(pb) => pb.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn write(&mut self, p: Piece) -> io::Result<()> {
        if p.index == 0 {
            self.file_bytes = 0;
            self.file_findings = 0;
        }
        self.doc.findings(self.sink, &p.path, &p.rendered)?;
        if !p.columns.is_empty() {
            self.doc.columns(self.sink, &p.columns)?;
        }
        if !p.assets.is_empty() {
            self.doc.assets(self.sink, &p.assets)?;
        }
        self.summary.add_tables(&p.columns, &p.assets);
        self.summary.tables += p.tables;
        for e in &p.part_errors {
            self.stderr(&format!("shujian: {e}"));
            self.doc.error(self.sink, e)?;
        }
        let part_failed = !p.part_errors.is_empty();
        let n: u64 = p.counts.iter().sum();
        for (total, c) in self.counts.iter_mut().zip(&p.counts) {
            *total += c;
        }
        self.file_bytes += p.text_bytes;
        self.file_findings += n;
        self.summary.findings += n;
        self.summary.bytes_scanned += p.text_bytes;
        match p.end {
            None => {}
            Some(FileEnd::Done(info)) => {
                self.summary.files_scanned += 1;
                if part_failed {
                    self.summary.files_failed += 1;
                }
                let r = info.replacements;
                let file = FileSummary {
                    path: p.path.to_string(),
                    format: info.format,
                    encoding: info.encoding,
                    encoding_origin: info.origin,
                    gzip: info.gzip,
                    bytes: self.file_bytes,
                    findings: self.file_findings,
                    replaced: r.count,
                };
                self.doc.file(self.sink, &file)?;
                if r.count > 0 {
                    let message = format!(
                        "{} byte sequence{} not valid in {} replaced with U+FFFD (first at byte {})",
                        r.count,
                        if r.count == 1 { "" } else { "s" },
                        info.encoding,
                        r.first_at.unwrap_or(0)
                    );
                    if !self.quiet {
                        self.stderr(&format!("shujian: warning: {}: {message}", p.path));
                    }
                    self.doc.warning(self.sink, &p.path, &message)?;
                }
            }
            Some(FileEnd::Failed(e)) => {
                self.summary.files_failed += 1;
                self.stderr(&format!("shujian: {e}"));
                self.doc.error(self.sink, &e)?;
            }
            Some(FileEnd::Skipped(reason)) => {
                self.summary.files_skipped += 1;
                self.doc.skipped(self.sink, &p.path, &reason)?;
            }
        }
        self.head = if p.last {
            (p.file + 1, 0)
        } else {
            (p.file, p.index + 1)
        };
        Ok(())
    }

    fn finish(&mut self, started: Instant) -> Summary {
        let engine = self.shared.engine;
        let mut by: Vec<DetectorCount> = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, &count)| {
                let d = &engine.detectors()[i];
                DetectorCount {
                    detector: d.id.clone(),
                    name_zh: d.name_zh.clone(),
                    name_en: d.name_en.clone(),
                    sensitive: d.sensitive,
                    count,
                }
            })
            .collect();
        by.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.detector.cmp(&b.detector))
        });
        let mut s = std::mem::take(&mut self.summary);
        s.sort_labels();
        s.sensitive_findings = by.iter().filter(|d| d.sensitive).map(|d| d.count).sum();
        s.by_detector = by;
        s.elapsed_seconds = started.elapsed().as_secs_f64();
        s
    }
}
