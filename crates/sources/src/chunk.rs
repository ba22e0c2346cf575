//! Cutting a stream of decoded text into overlapping windows of bounded size.
//!
//! A document of any length is scanned window by window. Window *k* **owns** the byte range
//! `O[k]..O[k+1]` of the document; its text reaches `margin_before` bytes before that range and
//! at least `margin_after` bytes after it, so a value that crosses `O[k+1]` is seen whole by the
//! window that owns its first byte, and every value has its context. The owned ranges tile the
//! document exactly, and every boundary is a UTF-8 character boundary.
//!
//! Each window carries the [`TextPosition`] of its first byte (byte, character and newline
//! counts from the start of the document), so positions found inside a window can be reported
//! as positions in the document.
//!
//! Only one window (plus the next window's margins) is in memory at a time: a multi-gigabyte
//! file is cut with a few megabytes.

use std::ops::Range;

/// A position in a document of decoded text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextPosition {
    /// UTF-8 byte offset in the decoded text.
    pub byte: usize,
    /// Code-point offset.
    pub char: usize,
    /// Number of `\n` before this position (the 0-based line).
    pub newlines: usize,
}

impl TextPosition {
    /// The position reached after `text`, starting here.
    #[must_use]
    pub fn advanced_by(self, text: &str) -> TextPosition {
        let (chars, newlines) = count_chars_and_newlines(text.as_bytes());
        TextPosition {
            byte: self.byte + text.len(),
            char: self.char + chars,
            newlines: self.newlines + newlines,
        }
    }
}

/// Counts code points and newlines in one pass (the loop vectorises).
fn count_chars_and_newlines(bytes: &[u8]) -> (usize, usize) {
    let mut chars = 0usize;
    let mut newlines = 0usize;
    for &b in bytes {
        chars += usize::from((b as i8) >= -0x40);
        newlines += usize::from(b == b'\n');
    }
    (chars, newlines)
}

/// Sizes of the windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkConfig {
    /// Bytes of text each window owns (the last one may own fewer). At least 1.
    pub size: usize,
    /// Bytes of text before the owned range included for context and for values crossing
    /// the previous boundary.
    pub margin_before: usize,
    /// Bytes of text after the owned range included so values crossing the boundary are
    /// seen whole.
    pub margin_after: usize,
}

impl ChunkConfig {
    /// Default owned size: 2 MiB. Big enough that per-window overhead (the margins are scanned
    /// twice) is under 2 %, small enough that a few windows per thread — and the findings
    /// rendered from a dense one — stay within a modest memory budget.
    pub const DEFAULT_SIZE: usize = 2 << 20;
    /// Default margins: 16 KiB, several times longer than any value a detector reports (the
    /// longest are PEM private keys, about 3 KiB for RSA-4096) plus its context window.
    pub const DEFAULT_MARGIN: usize = 16 << 10;

    /// Windows owning `size` bytes (at least 1) with the default margins.
    pub fn new(size: usize) -> ChunkConfig {
        ChunkConfig {
            size: size.max(1),
            ..ChunkConfig::default()
        }
    }

    /// The capacity that holds one window plus what a decoder may add past the target in
    /// one step, so the buffer does not reallocate while it fills.
    pub fn capacity(&self) -> usize {
        self.size
            .saturating_add(self.margin_before)
            .saturating_add(self.margin_after)
            .saturating_add(FILL_SLACK)
    }
}

impl Default for ChunkConfig {
    fn default() -> ChunkConfig {
        ChunkConfig {
            size: ChunkConfig::DEFAULT_SIZE,
            margin_before: ChunkConfig::DEFAULT_MARGIN,
            margin_after: ChunkConfig::DEFAULT_MARGIN,
        }
    }
}

/// How far past the requested length a [`TextSource`] may fill in one call: one raw block of
/// 64 KiB decodes to at most 3 × 64 KiB of UTF-8.
pub const FILL_SLACK: usize = 256 << 10;

/// A source of decoded text, read in order.
pub trait TextSource {
    /// The error reading may fail with.
    type Error: std::fmt::Debug;

    /// Appends text to `buf` until `buf.len() >= want` or the source is exhausted. May append
    /// up to [`FILL_SLACK`] bytes more than asked. Returns `true` when the source is
    /// exhausted (nothing more will ever be appended).
    fn fill(&mut self, buf: &mut String, want: usize) -> Result<bool, Self::Error>;
}

/// A `&str` is a text source; `step` bounds how much one call appends beyond what is needed
/// (tests use it to mimic a decoder that delivers text in pieces).
#[derive(Debug)]
pub struct StrSource<'a> {
    rest: &'a str,
    step: usize,
}

impl<'a> StrSource<'a> {
    /// A source delivering `text` at most `step` bytes at a time (rounded up to a character).
    pub fn new(text: &'a str, step: usize) -> StrSource<'a> {
        StrSource {
            rest: text,
            step: step.max(1),
        }
    }
}

impl TextSource for StrSource<'_> {
    type Error = std::convert::Infallible;

    fn fill(&mut self, buf: &mut String, want: usize) -> Result<bool, Self::Error> {
        while buf.len() < want && !self.rest.is_empty() {
            let n = self.rest.ceil_char_boundary(self.step.min(self.rest.len()));
            buf.push_str(&self.rest[..n]);
            self.rest = &self.rest[n..];
        }
        Ok(self.rest.is_empty())
    }
}

/// One window of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// 0-based index of the window in its document.
    pub index: u64,
    /// The text, margins included.
    pub text: String,
    /// Byte range of `text` that this window owns.
    pub owned: Range<usize>,
    /// Position of `text`'s first byte in the document.
    pub origin: TextPosition,
    /// Whether this is the document's last window.
    pub last: bool,
}

impl Chunk {
    /// The owned part of the text.
    pub fn owned_text(&self) -> &str {
        &self.text[self.owned.clone()]
    }

    /// Position in the document of the first owned byte.
    pub fn owned_start(&self) -> TextPosition {
        self.origin.advanced_by(&self.text[..self.owned.start])
    }
}

/// Cuts the text of a [`TextSource`] into [`Chunk`]s. See the [module docs](self).
#[derive(Debug)]
pub struct Chunker<S: TextSource> {
    source: S,
    cfg: ChunkConfig,
    /// Document text from `buf_pos` on: the next window's text, as far as read.
    buf: String,
    /// Position of `buf[0]` in the document.
    buf_pos: TextPosition,
    /// Document byte offset where the next owned range begins.
    owned_start: usize,
    index: u64,
    done: bool,
    /// An error met while text was buffered: that text is returned first, then this.
    failed: Option<S::Error>,
    /// A buffer given back by the caller, used for the next window instead of a new one.
    spare: Option<String>,
}

impl<S: TextSource> Chunker<S> {
    /// A chunker over `source`. `size_hint` (the expected length of the text, if known) keeps
    /// the buffer of a small document small.
    pub fn new(source: S, cfg: ChunkConfig, size_hint: Option<usize>) -> Chunker<S> {
        let full = cfg.capacity();
        let cap = size_hint.map_or(full, |h| h.saturating_add(FILL_SLACK).min(full));
        Chunker {
            source,
            cfg,
            buf: String::with_capacity(cap),
            buf_pos: TextPosition::default(),
            owned_start: 0,
            index: 0,
            done: false,
            failed: None,
            spare: None,
        }
    }

    /// Gives back the text of a window that is no longer needed, to hold a later window:
    /// with many windows, reusing buffers saves the page faults of fresh allocations.
    pub fn recycle(&mut self, buf: String) {
        self.spare = Some(buf);
    }

    /// The source (to ask it about encodings, counts …).
    pub fn source(&self) -> &S {
        &self.source
    }

    /// The next window, or `None` after the last one. A document with no text has one empty
    /// window. When reading fails, the text read before the failure comes first as a window
    /// (not marked `last`), then the error; after it the chunker yields nothing more.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, S::Error> {
        if let Some(e) = self.failed.take() {
            self.done = true;
            return Err(e);
        }
        if self.done {
            return Ok(None);
        }
        let own_rel = self.owned_start - self.buf_pos.byte;
        let want = own_rel
            .saturating_add(self.cfg.size)
            .saturating_add(self.cfg.margin_after);
        let exhausted = match self.source.fill(&mut self.buf, want) {
            Ok(e) => e,
            Err(e) => return self.fail(e, own_rel),
        };
        let index = self.index;
        self.index += 1;
        if exhausted && self.buf.len() - own_rel <= self.cfg.size {
            self.done = true;
            let text = std::mem::take(&mut self.buf);
            let owned = own_rel..text.len();
            return Ok(Some(Chunk {
                index,
                text,
                owned,
                origin: self.buf_pos,
                last: true,
            }));
        }
        // Here `own_rel + size < buf.len()`: either the source filled past `want`, or it is
        // exhausted with more than `size` bytes left.
        let target = own_rel + self.cfg.size;
        let mut end = self.buf.floor_char_boundary(target);
        if end <= own_rel {
            // A chunk size smaller than one character: own that character whole.
            end = self.buf.ceil_char_boundary(target);
        }
        // Owning a whole character may have moved the end past `want - margin_after`.
        let mut exhausted = exhausted;
        let want = end.saturating_add(self.cfg.margin_after);
        if self.buf.len() < want && !exhausted {
            exhausted = match self.source.fill(&mut self.buf, want) {
                Ok(e) => e,
                Err(e) => {
                    self.index -= 1;
                    return self.fail(e, own_rel);
                }
            };
        }
        if exhausted && end == self.buf.len() {
            self.done = true;
            let text = std::mem::take(&mut self.buf);
            return Ok(Some(Chunk {
                index,
                text,
                owned: own_rel..end,
                origin: self.buf_pos,
                last: true,
            }));
        }
        let next_start = self
            .buf
            .floor_char_boundary(end.saturating_sub(self.cfg.margin_before));
        let need = self.cfg.capacity().max(self.buf.len() - next_start);
        let mut next = match self.spare.take() {
            Some(mut s) if s.capacity() >= need => {
                s.clear();
                s
            }
            _ => String::with_capacity(need),
        };
        next.push_str(&self.buf[next_start..]);
        let text = std::mem::replace(&mut self.buf, next);
        let origin = self.buf_pos;
        self.buf_pos = origin.advanced_by(&text[..next_start]);
        self.owned_start = origin.byte + end;
        Ok(Some(Chunk {
            index,
            text,
            owned: own_rel..end,
            origin,
            last: false,
        }))
    }
}

impl<S: TextSource> Chunker<S> {
    /// Reading failed: returns the text buffered past `own_rel` as a window, keeping the
    /// error for the next call, or the error at once if there is no such text.
    fn fail(&mut self, e: S::Error, own_rel: usize) -> Result<Option<Chunk>, S::Error> {
        if self.buf.len() <= own_rel {
            self.done = true;
            return Err(e);
        }
        self.failed = Some(e);
        let text = std::mem::take(&mut self.buf);
        let owned = own_rel..text.len();
        let index = self.index;
        self.index += 1;
        Ok(Some(Chunk {
            index,
            text,
            owned,
            origin: self.buf_pos,
            last: false,
        }))
    }
}

impl<S: TextSource> Iterator for Chunker<S> {
    type Item = Result<Chunk, S::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_chunk().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chunks(text: &str, size: usize, margin: usize, step: usize) -> Vec<Chunk> {
        let cfg = ChunkConfig {
            size,
            margin_before: margin,
            margin_after: margin,
        };
        Chunker::new(StrSource::new(text, step), cfg, None)
            .map(|c| c.unwrap())
            .collect()
    }

    /// The properties every cut must have; returns a message for the first that fails.
    fn check_tiling(text: &str, cs: &[Chunk], cfg: ChunkConfig) -> Result<(), String> {
        let mut covered = 0usize;
        for (i, c) in cs.iter().enumerate() {
            if c.index != i as u64 {
                return Err(format!("chunk {i} has index {}", c.index));
            }
            if c.last != (i + 1 == cs.len()) {
                return Err(format!("chunk {i}: wrong `last`"));
            }
            let expect_origin = TextPosition::default().advanced_by(&text[..c.origin.byte]);
            if c.origin != expect_origin {
                return Err(format!(
                    "chunk {i}: origin {:?} != {expect_origin:?}",
                    c.origin
                ));
            }
            let doc = c.origin.byte..c.origin.byte + c.text.len();
            if text.get(doc.clone()) != Some(c.text.as_str()) {
                return Err(format!("chunk {i}: text is not the document at {doc:?}"));
            }
            if c.origin.byte + c.owned.start != covered {
                return Err(format!(
                    "chunk {i}: owned range does not start at {covered}"
                ));
            }
            if c.owned.is_empty() && !text.is_empty() {
                return Err(format!("chunk {i}: empty owned range"));
            }
            if !c.last && c.owned.len() > cfg.size.max(4) {
                return Err(format!("chunk {i}: owns {} > {}", c.owned.len(), cfg.size));
            }
            // The margins: as much context as the document has, up to the configured size
            // (less at most one character, since edges are moved to character boundaries).
            let before_avail = (c.origin.byte + c.owned.start).min(cfg.margin_before);
            if c.owned.start + 3 < before_avail {
                return Err(format!(
                    "chunk {i}: margin before {} too short",
                    c.owned.start
                ));
            }
            let after = c.text.len() - c.owned.end;
            let after_avail = (text.len() - (c.origin.byte + c.owned.end)).min(cfg.margin_after);
            if after < after_avail {
                return Err(format!("chunk {i}: margin after {after} < {after_avail}"));
            }
            covered = c.origin.byte + c.owned.end;
        }
        if covered != text.len() {
            return Err(format!(
                "owned ranges cover {covered} of {} bytes",
                text.len()
            ));
        }
        Ok(())
    }

    /// Delivers some text, then fails.
    struct Failing(Option<&'static str>);

    impl TextSource for Failing {
        type Error = &'static str;
        fn fill(&mut self, buf: &mut String, _want: usize) -> Result<bool, &'static str> {
            match self.0.take() {
                Some(t) => {
                    buf.push_str(t);
                    Ok(false)
                }
                None => Err("disk on fire"),
            }
        }
    }

    #[test]
    fn text_read_before_an_error_comes_first() {
        let mut c = Chunker::new(
            Failing(Some("手机13812345678")),
            ChunkConfig::new(100),
            None,
        );
        let first = c.next_chunk().unwrap().unwrap();
        assert_eq!(first.owned_text(), "手机13812345678");
        assert!(!first.last);
        assert_eq!(c.next_chunk(), Err("disk on fire"));
        assert_eq!(c.next_chunk(), Ok(None));

        let mut c = Chunker::new(Failing(None), ChunkConfig::new(100), None);
        assert_eq!(c.next_chunk(), Err("disk on fire"));
        assert_eq!(c.next_chunk(), Ok(None));
    }

    #[test]
    fn recycled_buffers_are_reused() {
        let text = "行".repeat(100);
        let cfg = ChunkConfig {
            size: 30,
            margin_before: 6,
            margin_after: 6,
        };
        let mut c = Chunker::new(StrSource::new(&text, 7), cfg, None);
        let mut cs = Vec::new();
        while let Some(chunk) = c.next_chunk().unwrap() {
            c.recycle(String::with_capacity(1000));
            cs.push(chunk);
        }
        check_tiling(&text, &cs, cfg).unwrap();
        assert!(
            cs[1].text.capacity() >= 1000,
            "the recycled buffer was used"
        );
    }

    #[test]
    fn empty_text_is_one_empty_window() {
        let cs = chunks("", 4, 2, 3);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].owned, 0..0);
        assert!(cs[0].last);
    }

    #[test]
    fn small_text_is_one_window() {
        let cs = chunks("手机13812345678", 100, 10, 3);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].owned_text(), "手机13812345678");
    }

    #[test]
    fn windows_overlap_and_origins_count_lines_and_chars() {
        let text = "第一行\nsecond\n第三行 line\n";
        let cfg = ChunkConfig {
            size: 8,
            margin_before: 4,
            margin_after: 5,
        };
        let cs: Vec<Chunk> = Chunker::new(StrSource::new(text, 1), cfg, None)
            .map(Result::unwrap)
            .collect();
        check_tiling(text, &cs, cfg).unwrap();
        let joined: String = cs.iter().map(Chunk::owned_text).collect();
        assert_eq!(joined, text);
        let second = &cs[1];
        // Chunk 0 owns "第一行" minus … up to byte 8 floored to a boundary: "第一" (6 bytes).
        assert_eq!(cs[0].owned, 0..6);
        assert_eq!(second.owned_start().char, 2);
        // 6 - 4 = 2 is inside "第": the margin grows to the character boundary before it.
        assert_eq!(second.origin.byte, 0);
    }

    #[test]
    fn chunk_size_smaller_than_a_character_owns_whole_characters() {
        let cs = chunks("身份证", 1, 0, 1);
        let owned: Vec<&str> = cs.iter().map(Chunk::owned_text).collect();
        assert_eq!(owned, ["身", "份", "证"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn owned_ranges_tile_any_text(
            text in "(\\PC|\n|[a-z0-9]){0,200}",
            size in 1usize..40,
            before in 0usize..20,
            after in 0usize..20,
            step in 1usize..50,
        ) {
            let cfg = ChunkConfig { size, margin_before: before, margin_after: after };
            let cs: Vec<Chunk> = Chunker::new(StrSource::new(&text, step), cfg, None)
                .map(Result::unwrap)
                .collect();
            if let Err(e) = check_tiling(&text, &cs, cfg) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}
