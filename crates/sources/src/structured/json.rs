//! JSON and NDJSON as tables whose columns are field paths.
//!
//! * NDJSON: each line is a record of one table `$`, read line by line.
//! * A document whose top level is an array: each element is a record of the table `$[*]`;
//!   the array is split element by element as it streams, so its size does not matter (one
//!   element may be at most [`MAX_ELEMENT`]).
//! * A document whose top level is an object (read whole, up to
//!   [`ArchiveLimits::max_buffered_bytes`](super::ArchiveLimits)): every array of objects in
//!   it is a table named by its path (`$.data.users[*]`); the scalars outside such arrays
//!   form one row of the table `$`, announced last.
//!
//! Inside a record, a field's column is its path from the record: `$.user.phone`; arrays add
//! `[*]` (`$.orders[*].tel`), and the values an array gives one record are one cell, joined
//! by `'\n'`. Numbers keep their literal text (an 18-digit ID stays exact); `null` is empty.
//! New paths seen after a table was announced come as [`Item::ColumnsAdded`](super::Item).

use std::collections::HashMap;
use std::io::Read;

use super::batch::BatchBuilder;
use super::csv::ungzip;
use super::{ColumnMeta, Emitter, Flow, Halt, Item, TableMeta, io_error, malformed};
use crate::chunk::TextSource;
use crate::decode::TextDecoder;
use crate::open::SNIFF;

const BLOCK: usize = 256 << 10;
/// One array element or NDJSON line may be at most this long.
pub(crate) const MAX_ELEMENT: usize = 64 << 20;
/// Nesting deeper than this is malformed (and would exhaust the stack).
const MAX_DEPTH: usize = 128;
/// Columns per table at most; values of further paths are dropped (counted as ragged).
const MAX_COLUMNS: usize = 4096;

/// Decoded text of the input, read ahead in blocks.
struct Text<R> {
    name: String,
    decoder: TextDecoder<R>,
    buf: String,
    pos: usize,
    eof: bool,
    /// Line (0-based) of `buf[0]`.
    line: u64,
    /// Byte offset (in the decoded text) of `buf[0]`.
    offset: u64,
}

impl<R: Read> Text<R> {
    /// Reads more text; drops what was consumed.
    fn more(&mut self) -> Result<(), Halt> {
        if self.pos > 0 {
            self.line +=
                memchr::memchr_iter(b'\n', &self.buf.as_bytes()[..self.pos]).count() as u64;
            self.offset += self.pos as u64;
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let want = self.buf.len() + BLOCK;
        self.eof = self
            .decoder
            .fill(&mut self.buf, want)
            .map_err(|e| io_error(&self.name, e))?;
        Ok(())
    }

    fn rest(&self) -> &[u8] {
        &self.buf.as_bytes()[self.pos..]
    }

    /// Skips white space; returns the next byte, `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, Halt> {
        loop {
            let skip = self
                .rest()
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(self.rest().len());
            self.pos += skip;
            if let Some(&b) = self.rest().first() {
                return Ok(Some(b));
            }
            if self.eof {
                return Ok(None);
            }
            self.more()?;
        }
    }

    /// `line N, byte M` of position `at` in `buf`.
    fn locate(&self, at: usize) -> String {
        let at = at.min(self.buf.len());
        let line =
            self.line + memchr::memchr_iter(b'\n', &self.buf.as_bytes()[..at]).count() as u64;
        format!("line {}, byte {}", line + 1, self.offset + at as u64)
    }
}

pub(super) fn read(
    em: &mut Emitter<'_>,
    name: &str,
    reader: Box<dyn Read + '_>,
    ndjson: bool,
) -> Flow {
    let reader = ungzip(name, reader)?;
    let decoder =
        TextDecoder::new(reader, em.opts.encoding, SNIFF).map_err(|e| io_error(name, e))?;
    let mut text = Text {
        name: name.to_string(),
        decoder,
        buf: String::new(),
        pos: 0,
        eof: false,
        line: 0,
        offset: 0,
    };
    text.more()?;
    let first = text.peek()?;
    if ndjson {
        return read_lines(em, &mut text);
    }
    match first {
        None => Ok(()),
        Some(b'[') => read_array(em, &mut text),
        Some(b'{') => read_document(em, &mut text),
        Some(_) => Err(malformed(
            name,
            "JSON",
            format!(
                "expected an object or an array at {}",
                text.locate(text.pos)
            ),
        )
        .into()),
    }
}

fn read_lines<R: Read>(em: &mut Emitter<'_>, text: &mut Text<R>) -> Flow {
    let mut table = JsonTable::new(em, "$");
    loop {
        let line_end = match memchr::memchr(b'\n', text.rest()) {
            Some(i) => text.pos + i,
            None if text.eof => text.buf.len(),
            None => {
                if text.buf.len() - text.pos > MAX_ELEMENT {
                    return Err(malformed(
                        &text.name,
                        "NDJSON",
                        format!("line {} is longer than 64 MiB", text.line + 1),
                    )
                    .into());
                }
                text.more()?;
                continue;
            }
        };
        let start = text.pos;
        let line = &text.buf.as_bytes()[start..line_end];
        if !line.trim_ascii().is_empty() {
            if let Err((at, why)) = table.record(line) {
                let msg = format!("{why} at {}", text.locate(start + at));
                em.error(malformed(&text.name, "NDJSON", msg))?;
            }
            table.end_record(em)?;
        }
        text.pos = (line_end + 1).min(text.buf.len());
        if text.pos == text.buf.len() && text.eof {
            break;
        }
    }
    table.finish(em)
}

fn read_array<R: Read>(em: &mut Emitter<'_>, text: &mut Text<R>) -> Flow {
    text.pos += 1; // '['
    let mut table = JsonTable::new(em, "$[*]");
    let mut first = true;
    loop {
        match text.peek()? {
            None => {
                return finish_with(em, table, text, "the array is not closed (truncated?)");
            }
            Some(b']') => {
                text.pos += 1;
                break;
            }
            Some(b',') if !first => {
                text.pos += 1;
                if text.peek()?.is_none() {
                    continue;
                }
            }
            Some(_) if first => {}
            Some(_) => {
                return finish_with(em, table, text, "expected `,` or `]`");
            }
        }
        first = false;
        // Find the element's end, reading more as needed.
        let end = loop {
            match value_end(text.rest()) {
                Ok(Some(n)) => break text.pos + n,
                Ok(None) if !text.eof && text.rest().len() <= MAX_ELEMENT => text.more()?,
                Ok(None) if text.eof => {
                    return finish_with(em, table, text, "the input ends inside an element");
                }
                Ok(None) => {
                    return finish_with(em, table, text, "an element is longer than 64 MiB");
                }
                Err(at) => {
                    let pos = text.pos + at;
                    let msg = format!("unexpected character at {}", text.locate(pos));
                    em.error(malformed(&text.name, "JSON", msg))?;
                    return table.finish(em);
                }
            }
        };
        let start = text.pos;
        if let Err((at, why)) = table.record(&text.buf.as_bytes()[start..end]) {
            let msg = format!("{why} at {}", text.locate(start + at));
            em.error(malformed(&text.name, "JSON", msg))?;
        }
        table.end_record(em)?;
        text.pos = end;
    }
    if text.peek()?.is_some() {
        let msg = format!(
            "unexpected data after the array at {}",
            text.locate(text.pos)
        );
        em.error(malformed(&text.name, "JSON", msg))?;
    }
    table.finish(em)
}

/// Ends the table after a structural error, reporting it.
fn finish_with<R: Read>(em: &mut Emitter<'_>, table: JsonTable, text: &Text<R>, why: &str) -> Flow {
    let msg = format!("{why} at {}", text.locate(text.pos));
    em.error(malformed(&text.name, "JSON", msg))?;
    table.finish(em)
}

fn read_document<R: Read>(em: &mut Emitter<'_>, text: &mut Text<R>) -> Flow {
    let cap = em.opts.limits.max_buffered_bytes;
    while !text.eof {
        if (text.buf.len() - text.pos) as u64 > cap {
            return Err(super::SourceError::new(
                text.name.clone(),
                crate::Reason::Limit(format!(
                    "a JSON document whose top level is an object is read whole, and this one \
                     is larger than the limit of {}",
                    super::limits::human_bytes(cap)
                )),
            )
            .into());
        }
        text.more()?;
    }
    let doc = &text.buf.as_bytes()[text.pos..];
    let mut walker = DocWalker {
        em,
        table: None,
        root: JsonTable::new_detached("$"),
        error: None,
    };
    let mut p = Parser::new(doc);
    let mut path = String::from("$");
    let r = walker.walk(&mut p, &mut path, 0);
    let DocWalker {
        em,
        table,
        mut root,
        error,
    } = walker;
    if let Some(h) = error {
        return Err(h);
    }
    if let Some(t) = table {
        t.finish(em)?;
    }
    if let Err((at, why)) = r {
        let msg = format!("{why} at {}", text.locate(text.pos + at));
        em.error(malformed(&text.name, "JSON", msg))?;
    } else {
        p.ws();
        if p.pos < doc.len() {
            let msg = format!(
                "unexpected data after the document at {}",
                text.locate(text.pos + p.pos)
            );
            em.error(malformed(&text.name, "JSON", msg))?;
        }
    }
    if root.builder.width() > 0 {
        root.end_record(em)?;
        root.finish(em)?;
    }
    Ok(())
}

/// Walks a whole document: arrays of objects become tables, other scalars the root row.
struct DocWalker<'e, 'o> {
    em: &'e mut Emitter<'o>,
    table: Option<JsonTable>,
    root: JsonTable,
    error: Option<Halt>,
}

impl DocWalker<'_, '_> {
    fn walk(
        &mut self,
        p: &mut Parser<'_>,
        path: &mut String,
        depth: usize,
    ) -> Result<(), (usize, String)> {
        if depth > MAX_DEPTH {
            return Err((p.pos, "nesting too deep".into()));
        }
        p.ws();
        match p.peek() {
            Some(b'{') => {
                p.pos += 1;
                let base = path.len();
                let mut first = true;
                loop {
                    p.ws();
                    match p.peek() {
                        Some(b'}') => {
                            p.pos += 1;
                            return Ok(());
                        }
                        Some(b',') if !first => p.pos += 1,
                        _ if first => {}
                        _ => return Err((p.pos, "expected `,` or `}`".into())),
                    }
                    first = false;
                    p.ws();
                    let key = p.string()?;
                    push_key(path, &key);
                    p.ws();
                    p.expect(b':')?;
                    self.walk(p, path, depth + 1)?;
                    path.truncate(base);
                }
            }
            Some(b'[') => {
                let save = p.pos;
                p.pos += 1;
                p.ws();
                if p.peek() == Some(b'{') {
                    // An array of objects: a table.
                    p.pos = save;
                    return self.table_array(p, path);
                }
                p.pos = save;
                let mut err = Ok(());
                let root = &mut self.root;
                p.value(path, depth, &mut |k, v| {
                    if let Err(e) = root.set(k, v) {
                        err = Err(e);
                    }
                })?;
                err.map_err(|()| (p.pos, "too many columns".into()))
            }
            _ => {
                let root = &mut self.root;
                p.value(path, depth, &mut |k, v| {
                    let _ = root.set(k, v);
                })
            }
        }
    }

    fn table_array(&mut self, p: &mut Parser<'_>, path: &str) -> Result<(), (usize, String)> {
        let name = format!("{path}[*]");
        if let Some(t) = self.table.take()
            && let Err(h) = t.finish(self.em)
        {
            self.error = Some(h);
            return Err((p.pos, "stopped".into()));
        }
        let mut t = JsonTable::new(self.em, &name);
        p.pos += 1; // '['
        let mut first = true;
        loop {
            p.ws();
            match p.peek() {
                Some(b']') => {
                    p.pos += 1;
                    break;
                }
                Some(b',') if !first => p.pos += 1,
                _ if first => {}
                _ => return Err((p.pos, "expected `,` or `]`".into())),
            }
            first = false;
            p.ws();
            let start = p.pos;
            let Some(len) = value_end(&p.s[start..])
                .map_err(|at| (start + at, "unexpected character".to_string()))?
            else {
                return Err((start, "the input ends inside an element".into()));
            };
            p.pos = start + len;
            t.record(&p.s[start..p.pos])
                .map_err(|(at, why)| (start + at, why))?;
            if let Err(h) = t.end_record(self.em) {
                self.error = Some(h);
                return Err((p.pos, "stopped".into()));
            }
        }
        self.table = Some(t);
        Ok(())
    }
}

fn push_key(path: &mut String, key: &str) {
    path.push('.');
    path.push_str(key);
}

/// One table of JSON records: columns by path, added as they appear.
struct JsonTable {
    name: String,
    cols: HashMap<String, usize>,
    names: Vec<String>,
    announced: usize,
    table: Option<usize>,
    builder: BatchBuilder,
    dropped: u64,
}

impl JsonTable {
    fn new(em: &Emitter<'_>, name: &str) -> JsonTable {
        JsonTable {
            name: name.to_string(),
            cols: HashMap::new(),
            names: Vec::new(),
            announced: 0,
            table: None,
            builder: BatchBuilder::new(em, 0, 0),
            dropped: 0,
        }
    }

    fn new_detached(name: &str) -> JsonTable {
        let opts = super::StructuredOptions::default();
        let mut sink = |_: Item| std::ops::ControlFlow::Continue(());
        let em = Emitter::new(&opts, &mut sink);
        JsonTable::new(&em, name)
    }

    /// Flattens one record into the current row.
    fn record(&mut self, json: &[u8]) -> Result<(), (usize, String)> {
        let mut p = Parser::new(json);
        let mut path = String::from("$");
        let mut full = false;
        p.value(&mut path, 0, &mut |k, v| {
            if self.set(k, v).is_err() {
                full = true;
            }
        })?;
        if full {
            self.dropped += 1;
        }
        p.ws();
        if p.pos < json.len() {
            return Err((p.pos, "unexpected data after the value".into()));
        }
        Ok(())
    }

    fn set(&mut self, path: &str, value: &str) -> Result<(), ()> {
        let col = match self.cols.get(path) {
            Some(&c) => c,
            None => {
                if self.names.len() >= MAX_COLUMNS {
                    return Err(());
                }
                let c = self.names.len();
                self.cols.insert(path.to_string(), c);
                self.names.push(path.to_string());
                self.builder.add_column();
                c
            }
        };
        self.builder.set(col, value);
        Ok(())
    }

    fn end_record(&mut self, em: &mut Emitter<'_>) -> Flow {
        self.builder.end_row_quiet();
        if self.builder.is_full() {
            self.announce(em)?;
            self.builder.flush(em)?;
        }
        Ok(())
    }

    fn announce(&mut self, em: &mut Emitter<'_>) -> Flow {
        let meta = |n: &String| ColumnMeta {
            name: n.clone(),
            declared_type: None,
        };
        match self.table {
            None => {
                let i = em.table(TableMeta {
                    name: self.name.clone(),
                    columns: self.names.iter().map(meta).collect(),
                    header_row: None,
                })?;
                self.table = Some(i);
                self.builder.set_table(i);
            }
            Some(table) if self.announced < self.names.len() => {
                em.emit(Item::ColumnsAdded {
                    table,
                    columns: self.names[self.announced..].iter().map(meta).collect(),
                })?;
            }
            Some(_) => {}
        }
        self.announced = self.names.len();
        Ok(())
    }

    fn finish(mut self, em: &mut Emitter<'_>) -> Flow {
        self.announce(em)?;
        self.builder.end.ragged_rows += self.dropped;
        self.builder.finish(em)
    }
}

/// A small JSON parser over a complete value in memory, calling back with each scalar and its
/// path. Errors are `(byte offset, what)`.
struct Parser<'s> {
    s: &'s [u8],
    pos: usize,
    scratch: String,
}

type PResult<T> = Result<T, (usize, String)>;

impl<'s> Parser<'s> {
    fn new(s: &'s [u8]) -> Parser<'s> {
        Parser {
            s,
            pos: 0,
            scratch: String::new(),
        }
    }

    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn expect(&mut self, b: u8) -> PResult<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err((self.pos, format!("expected `{}`", b as char)))
        }
    }

    fn value(
        &mut self,
        path: &mut String,
        depth: usize,
        cb: &mut dyn FnMut(&str, &str),
    ) -> PResult<()> {
        if depth > MAX_DEPTH {
            return Err((self.pos, "nesting too deep".into()));
        }
        self.ws();
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let base = path.len();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    push_key(path, &key);
                    self.ws();
                    self.expect(b':')?;
                    self.value(path, depth + 1, cb)?;
                    path.truncate(base);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err((self.pos, "expected `,` or `}`".into())),
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let base = path.len();
                path.push_str("[*]");
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    path.truncate(base);
                    return Ok(());
                }
                loop {
                    self.value(path, depth + 1, cb)?;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            path.truncate(base);
                            return Ok(());
                        }
                        _ => return Err((self.pos, "expected `,` or `]`".into())),
                    }
                }
            }
            Some(b'"') => {
                let s = self.string()?;
                cb(path, &s);
                self.scratch = s;
                Ok(())
            }
            Some(b'n') => self.literal(b"null").map(|()| cb(path, "")),
            Some(b't') => self.literal(b"true").map(|()| cb(path, "true")),
            Some(b'f') => self.literal(b"false").map(|()| cb(path, "false")),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self.pos < self.s.len()
                    && matches!(
                        self.s[self.pos],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.pos += 1;
                }
                // ASCII digits and signs: valid UTF-8.
                let n = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or_default();
                cb(path, n);
                Ok(())
            }
            Some(_) => Err((self.pos, "unexpected character".into())),
            None => Err((self.pos, "unexpected end".into())),
        }
    }

    fn literal(&mut self, word: &[u8]) -> PResult<()> {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err((self.pos, "unexpected character".into()))
        }
    }

    /// A string, unescaped.
    fn string(&mut self) -> PResult<String> {
        if self.peek() != Some(b'"') {
            return Err((self.pos, "expected a string".into()));
        }
        let open = self.pos;
        self.pos += 1;
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        loop {
            let rest = &self.s[self.pos..];
            let Some(i) = memchr::memchr2(b'"', b'\\', rest) else {
                return Err((open, "unterminated string".into()));
            };
            out.push_str(&String::from_utf8_lossy(&rest[..i]));
            self.pos += i;
            if self.s[self.pos] == b'"' {
                self.pos += 1;
                return Ok(out);
            }
            // An escape.
            let Some(&e) = self.s.get(self.pos + 1) else {
                return Err((open, "unterminated string".into()));
            };
            self.pos += 2;
            match e {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let hi = self.hex4()?;
                    let c = if (0xD800..0xDC00).contains(&hi)
                        && self.s[self.pos..].starts_with(b"\\u")
                    {
                        self.pos += 2;
                        let lo = self.hex4()?;
                        char::from_u32(
                            0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF),
                        )
                    } else {
                        char::from_u32(hi)
                    };
                    out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                _ => return Err((self.pos - 1, "invalid escape".into())),
            }
        }
    }

    fn hex4(&mut self) -> PResult<u32> {
        let h = self
            .s
            .get(self.pos..self.pos + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or((self.pos, "invalid \\u escape".to_string()))?;
        self.pos += 4;
        Ok(h)
    }
}

/// The length of the JSON value at the start of `s` (after white space), `Ok(None)` if `s`
/// ends before it does, `Err(at)` on a byte no value can hold there. Only brackets and
/// strings are followed; the value itself is checked when parsed.
fn value_end(s: &[u8]) -> Result<Option<usize>, usize> {
    let mut i = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let Some(&first) = s.get(i) else {
        return Ok(None);
    };
    if first != b'{' && first != b'[' && first != b'"' {
        // A scalar: up to the next delimiter.
        if !matches!(first, b'-' | b'0'..=b'9' | b't' | b'f' | b'n') {
            return Err(i);
        }
        return Ok(s[i..]
            .iter()
            .position(|&b| matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace())
            .map(|n| i + n));
    }
    let mut depth = 0usize;
    while i < s.len() {
        match s[i] {
            b'"' => {
                // Skip the string.
                i += 1;
                loop {
                    let Some(j) = memchr::memchr2(b'"', b'\\', &s[i..]) else {
                        return Ok(None);
                    };
                    i += j;
                    if s[i] == b'\\' {
                        i += 2;
                        if i > s.len() {
                            return Ok(None);
                        }
                    } else {
                        break;
                    }
                }
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Err(i);
                }
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{errors, run, run_with, tables};
    use super::super::{FileFormat, StructuredOptions};
    use super::*;

    #[test]
    fn array_of_objects_is_one_table_of_paths() {
        let json = r#"[
          {"name":"张三","user":{"phone":"13812345678","id":110105194912310021},"orders":[{"tel":"1"},{"tel":"2"}]},
          {"name":"李四","user":{"phone":null},"extra":true}
        ]"#;
        let (items, r) = run(json.as_bytes(), FileFormat::Json);
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].0, "$[*]");
        assert_eq!(
            t[0].1,
            [
                "$.name",
                "$.user.phone",
                "$.user.id",
                "$.orders[*].tel",
                "$.extra"
            ]
        );
        assert_eq!(
            t[0].2[0],
            ["张三", "13812345678", "110105194912310021", "1\n2", ""]
        );
        assert_eq!(t[0].2[1], ["李四", "", "", "", "true"]);
    }

    #[test]
    fn ndjson_lines_and_errors_with_lines() {
        let text = "{\"a\":1}\n\n{\"a\":2,\"b\":\"x\\u4e2dy\"}\n{\"a\":\n{\"b\":\"z\"}\n";
        let (items, r) = run(text.as_bytes(), FileFormat::Ndjson);
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t[0].1, ["$.a", "$.b"]);
        assert_eq!(t[0].2.len(), 4);
        assert_eq!(t[0].2[1], ["2", "x中y"]);
        let e = errors(&items);
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("line 4"), "{e:?}");
    }

    #[test]
    fn columns_added_after_the_first_batch() {
        let mut text = String::new();
        for i in 0..30 {
            text.push_str(&format!("{{\"a\":{i}}}\n"));
        }
        text.push_str("{\"a\":30,\"late\":\"x\"}\n");
        let opts = StructuredOptions {
            batch_rows: 10,
            ..StructuredOptions::default()
        };
        let (items, r) = run_with(text.as_bytes(), FileFormat::Ndjson, &opts);
        r.unwrap();
        assert!(items.iter().any(|i| matches!(i, Item::ColumnsAdded { .. })));
        let t = tables(&items);
        assert_eq!(t[0].1, ["$.a", "$.late"]);
        assert_eq!(t[0].2[30], ["30", "x"]);
        assert_eq!(t[0].2[0], ["0", ""]);
    }

    #[test]
    fn object_documents_find_their_tables() {
        let json = r#"{"code":0,"data":{"users":[{"phone":"13812345678"},{"phone":"13912345678"}],"total":2},"rows":[{"x":1}]}"#;
        let (items, r) = run(json.as_bytes(), FileFormat::Json);
        r.unwrap();
        let t = tables(&items);
        let names: Vec<_> = t.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(names, ["$.data.users[*]", "$.rows[*]", "$"]);
        assert_eq!(t[0].2.len(), 2);
        assert_eq!(t[2].1, ["$.code", "$.data.total"]);
    }

    #[test]
    fn truncated_and_malformed_json_is_reported() {
        let (items, r) = run(br#"[{"a":1},{"a":2"#, FileFormat::Json);
        r.unwrap();
        assert_eq!(tables(&items)[0].2.len(), 1);
        assert!(
            errors(&items)[0].contains("ends inside"),
            "{:?}",
            errors(&items)
        );
        let (_, r) = run(b"hello", FileFormat::Json);
        assert!(r.unwrap_err().to_string().contains("line 1, byte 0"));
        let (items, r) = run(br#"{"a":[1,2}"#, FileFormat::Json);
        r.unwrap();
        assert!(!errors(&items).is_empty());
        let deep = "[".repeat(100_000);
        let (items, _) = run(deep.as_bytes(), FileFormat::Json);
        assert!(!errors(&items).is_empty());
    }

    #[test]
    fn value_end_follows_strings_and_brackets() {
        assert_eq!(value_end(br#" {"a":"}"} ,"#), Ok(Some(10)));
        assert_eq!(value_end(br#"{"a":"\"}"#), Ok(None));
        assert_eq!(value_end(b"123,"), Ok(Some(3)));
        assert_eq!(value_end(b"}"), Err(0));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1000)) {
            let _ = run(&bytes, FileFormat::Json);
            let _ = run(&bytes, FileFormat::Ndjson);
        }

        #[test]
        fn arbitrary_json_values_never_panic(s in r#"[\[\]{}":,0-9a-z\\ ]{0,200}"#) {
            let _ = run(s.as_bytes(), FileFormat::Json);
            let _ = run(s.as_bytes(), FileFormat::Ndjson);
        }
    }
}
