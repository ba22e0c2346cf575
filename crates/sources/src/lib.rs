//! # shujian-sources — reading inputs as text, window by window
//!
//! This crate knows files, encodings and compression, and nothing about detection: it turns
//! the paths a user names into windows of UTF-8 text that a scanner can work through in
//! parallel, with bounded memory, whatever the size of the input.
//!
//! ## Pieces
//!
//! * [`Walker`] — paths to inputs: files, directories walked recursively (honouring
//!   `.gitignore`, `.ignore` and `.shujianignore`, scanning hidden files such as `.env`, never
//!   entering `.git`), `-` for standard input; in a deterministic order.
//! * [`open`] — one input to a [`TextStream`]: gzip recognised by its magic bytes and
//!   decompressed on the fly (multi-member too); binaries recognised by a NUL byte in the first
//!   8 KiB or a known magic number and [skipped](Opened::Skipped); the encoding taken from a
//!   byte-order mark (UTF-8, UTF-16LE/BE), from `--encoding`, or detected (UTF-8 or
//!   GBK/GB18030 and others through `chardetng`, see [`decode`]).
//! * [`Chunker`] — the decoded text cut into overlapping windows ([`Chunk`]): each *owns* a
//!   range, the owned ranges tile the document exactly on character boundaries, and each
//!   window reaches into its neighbours by a margin so a value crossing an edge is seen whole
//!   by the window owning its start. Each window knows its [`TextPosition`] (byte, character
//!   and line) in the document.
//! * [`SourceError`] — every failure names the input and the reason
//!   (`a.gz: not valid gzip (truncated at byte 1024)`). Nothing here panics on bad input:
//!   malformed byte sequences are replaced with U+FFFD and [counted](Replacements) instead.
//!
//! Offsets are offsets in the *decoded* UTF-8 text; character offsets and line numbers are the
//! same whatever the file's encoding.
//!
//! ## Example
//!
//! ```
//! use shujian_sources::{ChunkConfig, Input, Opened, OpenOptions, open};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("note.txt");
//! // "客户手机13812345678" in GBK.
//! let (gbk, _, _) = encoding_rs::GBK.encode("客户手机13812345678\n第二行");
//! std::fs::write(&path, &gbk).unwrap();
//!
//! let opts = OpenOptions { chunk: ChunkConfig::new(8), ..OpenOptions::default() };
//! let Opened::Text(mut stream) = open(&Input::File(path), &opts).unwrap() else { panic!() };
//! let mut text = String::new();
//! while let Some(chunk) = stream.next_chunk().unwrap() {
//!     // Each window owns its part and knows where it starts in the document.
//!     assert_eq!(chunk.origin.byte + chunk.owned.start, text.len());
//!     text.push_str(chunk.owned_text());
//! }
//! assert_eq!(text, "客户手机13812345678\n第二行");
//! assert_eq!(stream.encoding(), encoding_rs::GB18030);
//! ```

pub mod chunk;
pub mod db;
pub mod decode;
mod error;
mod open;
pub mod structured;
mod walk;

pub use chunk::{Chunk, ChunkConfig, Chunker, TextPosition, TextSource};
pub use db::{BlockingDbSource, DbError, DbOptions, DbSource, DbUrl};
pub use decode::{EncodingOrigin, Replacements, TextDecoder};
pub use error::{Reason, SourceError};
pub use open::{OpenOptions, Opened, SNIFF, TextStream, open};
pub use structured::{
    ArchiveLimits, ColumnMeta, ColumnValues, FileFormat, Item, StructuredOptions, StructuredReader,
    TableBatch, TableEnd, TableMeta, open_structured, open_structured_reader, read_structured,
    read_structured_bytes, sniff_format,
};
pub use walk::{IGNORE_FILE, Input, WalkItem, WalkOptions, Walker};

/// Re-exported so callers can name encodings (`--encoding`) without depending on it.
pub use encoding_rs::Encoding;
