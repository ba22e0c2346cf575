//! Opening one input as a stream of text windows: gzip by magic bytes, binaries skipped,
//! encoding detected.

use std::fs::File;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

use crate::chunk::{Chunk, ChunkConfig, Chunker};
use crate::decode::{EncodingOrigin, Replacements, TextDecoder};
use crate::error::{Reason, SourceError};
use crate::walk::Input;

/// Bytes examined for binary content.
pub const SNIFF: usize = 8 << 10;

const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];

/// How to open inputs.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenOptions {
    /// Force this encoding instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Window sizes.
    pub chunk: ChunkConfig,
}

/// What opening an input gave.
#[derive(Debug)]
pub enum Opened {
    /// A text to read window by window.
    Text(Box<TextStream>),
    /// Not text: skipped, with the reason (`binary file (PNG image)`).
    Skipped(String),
}

/// The text of one input, read window by window.
#[derive(Debug)]
pub struct TextStream {
    path: String,
    chunker: Chunker<TextDecoder<Box<dyn Read + Send>>>,
    gzip: bool,
    read: Arc<AtomicU64>,
    io_failed: Arc<AtomicBool>,
}

impl TextStream {
    /// The input's name, for messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The next window, `None` after the last. An error names the input and ends the
    /// stream; windows already returned stay valid.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, SourceError> {
        self.chunker.next_chunk().map_err(|e| self.error(e))
    }

    /// Gives back the text of a window that is no longer needed, to hold a later window.
    pub fn recycle(&mut self, buf: String) {
        self.chunker.recycle(buf);
    }

    /// The encoding in use.
    pub fn encoding(&self) -> &'static Encoding {
        self.chunker.source().encoding()
    }

    /// How the encoding was decided.
    pub fn encoding_origin(&self) -> EncodingOrigin {
        self.chunker.source().origin()
    }

    /// Whether the input is gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// Malformed sequences replaced with U+FFFD so far.
    pub fn replacements(&self) -> Replacements {
        self.chunker.source().replacements()
    }

    /// Bytes read from the file so far (compressed bytes for gzip), for progress.
    pub fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    fn error(&self, e: io::Error) -> SourceError {
        let reason = if self.gzip && !self.io_failed.load(Ordering::Relaxed) {
            gzip_reason(&e, self.bytes_read())
        } else {
            Reason::Io(e)
        };
        SourceError::new(self.path.clone(), reason)
    }
}

fn gzip_reason(e: &io::Error, at: u64) -> Reason {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        Reason::GzipTruncated(at)
    } else {
        Reason::GzipCorrupt {
            at,
            detail: e.to_string(),
        }
    }
}

/// Counts the bytes read from a file and remembers whether the file itself failed, so a
/// decompressor's error can be told apart from the disk's.
struct CountingReader<R> {
    inner: R,
    read: Arc<AtomicU64>,
    failed: Arc<AtomicBool>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.read.fetch_add(n as u64, Ordering::Relaxed);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.failed.store(true, Ordering::Relaxed);
                }
                Err(e)
            }
        }
    }
}

/// Opens an input for reading as text.
pub fn open(input: &Input, opts: &OpenOptions) -> Result<Opened, SourceError> {
    let path = input.display();
    let io_err = |e: io::Error| SourceError::new(path.clone(), Reason::Io(e));
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = match input {
        Input::Stdin => (Box::new(io::stdin()), None),
        Input::File(p) => {
            let f = File::open(p).map_err(io_err)?;
            let meta = f.metadata().map_err(io_err)?;
            if meta.is_dir() {
                return Err(io_err(io::Error::from(io::ErrorKind::IsADirectory)));
            }
            let size = meta.is_file().then_some(meta.len());
            (Box::new(f), size)
        }
    };
    let read = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicBool::new(false));
    let mut counted = CountingReader {
        inner: raw,
        read: Arc::clone(&read),
        failed: Arc::clone(&failed),
    };
    // Peek at the first bytes for the gzip magic, then put them back in front.
    let mut head = [0u8; 2];
    let n = read_up_to(&mut counted, &mut head).map_err(io_err)?;
    let rest = io::Cursor::new(head[..n].to_vec()).chain(counted);
    let gzip = head[..n] == GZIP_MAGIC;
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(rest))
    } else {
        Box::new(rest)
    };
    let decoder = match TextDecoder::new(reader, opts.encoding, SNIFF) {
        Ok(d) => d,
        Err(e) if gzip && !failed.load(Ordering::Relaxed) => {
            return Err(SourceError::new(
                path,
                gzip_reason(&e, read.load(Ordering::Relaxed)),
            ));
        }
        Err(e) => return Err(io_err(e)),
    };
    let utf16 = [UTF_16LE, UTF_16BE].contains(&decoder.encoding());
    let sniff = &decoder.prefix()[..decoder.prefix().len().min(SNIFF)];
    if let Some(why) = binary_kind(sniff, utf16, decoder.origin()) {
        return Ok(Opened::Skipped(format!("binary file ({why})")));
    }
    let hint = if gzip { None } else { size.map(|s| s as usize) };
    Ok(Opened::Text(Box::new(TextStream {
        path,
        chunker: Chunker::new(decoder, opts.chunk, hint),
        gzip,
        read,
        io_failed: failed,
    })))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Magic numbers of common binary formats that may not have a NUL byte early on.
const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "zip archive or office document"),
    (b"\x7FELF", "ELF executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xFD7zXZ\x00", "xz archive"),
    (b"7z\xBC\xAF\x27\x1C", "7-zip archive"),
    (b"\x28\xB5\x2F\xFD", "zstd archive"),
    (b"Rar!\x1A\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "OLE document (xls, doc)",
    ),
    (b"PAR1", "Parquet file"),
];

/// Why the first bytes of a file are binary, or `None` for text (a UTF-16 byte-order mark
/// means text unless NUL characters follow).
pub(crate) fn binary_kind_of(head: &[u8]) -> Option<&'static str> {
    match Encoding::for_bom(head) {
        Some((enc, _)) if enc == UTF_16LE || enc == UTF_16BE => {
            binary_kind(head, true, EncodingOrigin::Bom)
        }
        Some(_) => binary_kind(head, false, EncodingOrigin::Bom),
        None => binary_kind(head, false, EncodingOrigin::Ascii),
    }
}

/// Why a sniffed prefix is binary, or `None` for text. A NUL byte means binary, except in
/// UTF-16, where a NUL *character* (two zero bytes on a code-unit boundary) does.
fn binary_kind(prefix: &[u8], utf16: bool, origin: EncodingOrigin) -> Option<&'static str> {
    if utf16 {
        return prefix
            .chunks_exact(2)
            .any(|u| u == [0, 0])
            .then_some("NUL character");
    }
    if origin != EncodingOrigin::Bom
        && origin != EncodingOrigin::Override
        && let Some((_, kind)) = MAGIC.iter().find(|(m, _)| prefix.starts_with(m))
        // `BZh` is also how a text could start: require the block-size digit and the
        // block magic.
        && (*kind != "bzip2 archive" || prefix.get(4..10) == Some(b"1AY&SY"))
    {
        return Some(kind);
    }
    memchr::memchr(0, prefix).map(|_| "NUL byte")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_kinds() {
        let o = EncodingOrigin::Ascii;
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\nxx", false, o),
            Some("PNG image")
        );
        assert_eq!(binary_kind(b"abc\0def", false, o), Some("NUL byte"));
        assert_eq!(binary_kind(b"BZh is how this starts", false, o), None);
        assert_eq!(binary_kind(b"BZh91AY&SY", false, o), Some("bzip2 archive"));
        assert_eq!(binary_kind("身份证".as_bytes(), false, o), None);
        // UTF-16 "a\0" is the letter a.
        assert_eq!(binary_kind(b"a\0b\0", true, EncodingOrigin::Bom), None);
        assert_eq!(
            binary_kind(b"a\0\0\0", true, EncodingOrigin::Bom),
            Some("NUL character")
        );
    }

    fn gzip(text: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    /// Opens `bytes` as a file and reads all its windows; returns the owned text joined.
    fn read_all(bytes: &[u8], chunk: usize) -> Result<(String, Box<TextStream>), SourceError> {
        read_all_as(bytes, chunk, None)
    }

    fn read_all_as(
        bytes: &[u8],
        chunk: usize,
        encoding: Option<&'static Encoding>,
    ) -> Result<(String, Box<TextStream>), SourceError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, bytes).unwrap();
        let opts = OpenOptions {
            chunk: ChunkConfig::new(chunk),
            encoding,
        };
        let Opened::Text(mut s) = open(&Input::File(path), &opts)? else {
            panic!("skipped")
        };
        let mut text = String::new();
        while let Some(c) = s.next_chunk()? {
            assert_eq!(c.origin.byte + c.owned.start, text.len());
            text.push_str(c.owned_text());
        }
        Ok((text, s))
    }

    const LOG: &str = "2026-11-23 用户张伟 手机13812345678 身份证11010519491231002X\n";

    #[test]
    fn gzip_is_recognised_by_magic_and_streamed() {
        let text = LOG.repeat(500);
        let mut two_members = gzip(text.as_bytes());
        two_members.extend(gzip(b"tail\n"));
        let (got, s) = read_all(&two_members, 1000).unwrap();
        assert_eq!(got, format!("{text}tail\n"));
        assert!(s.is_gzip());
        assert_eq!(s.bytes_read(), two_members.len() as u64);
    }

    #[test]
    fn truncated_and_corrupt_gzip_name_the_problem() {
        let z = gzip(LOG.repeat(2000).as_bytes());
        let cut = &z[..z.len() / 2];
        let e = read_all(cut, 1 << 20).unwrap_err();
        assert!(
            e.to_string()
                .ends_with(&format!("not valid gzip (truncated at byte {})", cut.len())),
            "{e}"
        );

        let mut bad = z.clone();
        let n = bad.len();
        bad[n - 8] ^= 0xFF; // the CRC-32
        let e = read_all(&bad, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("not valid gzip ("), "{e}");

        let e = read_all(&[0x1F, 0x8B, 0x00, 0x01], 1 << 20).unwrap_err();
        assert!(e.to_string().contains("not valid gzip"), "{e}");
    }

    #[test]
    fn binaries_are_skipped_text_in_other_encodings_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest").unwrap();
        match open(&Input::File(png), &OpenOptions::default()).unwrap() {
            Opened::Skipped(why) => assert_eq!(why, "binary file (PNG image)"),
            Opened::Text(_) => panic!("PNG read as text"),
        }
        let gz_bin = gzip(b"ELF\0\0\0");
        let p = dir.path().join("b.gz");
        std::fs::write(&p, gz_bin).unwrap();
        assert!(matches!(
            open(&Input::File(p), &OpenOptions::default()).unwrap(),
            Opened::Skipped(_)
        ));

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(LOG.encode_utf16().flat_map(u16::to_le_bytes));
        let (got, s) = read_all(&utf16, 7).unwrap();
        assert_eq!(got, LOG);
        assert_eq!(s.encoding(), UTF_16LE);
    }

    #[test]
    fn directories_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let e = open(
            &Input::File(dir.path().to_path_buf()),
            &OpenOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().ends_with("is a directory"), "{e}");
        let e = open(
            &Input::File(dir.path().join("nope")),
            &OpenOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().ends_with("nope: no such file or directory"),
            "{e}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn gbk_files_read_back_at_any_chunk_size(
            lines in proptest::collection::vec("[客户张伟手机身份证住址北京市朝阳区路号a-z0-9 ]{0,40}", 1..60),
            chunk in 1usize..300,
        ) {
            let text = lines.join("\n");
            let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
            // Detection is tested elsewhere; a few random characters are not enough to detect.
            let (got, _) = read_all_as(&bytes, chunk, Some(encoding_rs::GB18030)).unwrap();
            proptest::prop_assert_eq!(got, text);
        }
    }

    #[test]
    fn gzip_errors_say_truncated_or_corrupt() {
        let r = gzip_reason(&io::Error::from(io::ErrorKind::UnexpectedEof), 10);
        assert_eq!(r.to_string(), "not valid gzip (truncated at byte 10)");
        let r = gzip_reason(
            &io::Error::new(io::ErrorKind::InvalidInput, "corrupt deflate stream"),
            4,
        );
        assert_eq!(
            r.to_string(),
            "not valid gzip (corrupt deflate stream, at or before byte 4)"
        );
    }
}
