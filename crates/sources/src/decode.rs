//! Streaming decoding of bytes in any encoding into UTF-8, with the encoding detected.
//!
//! Detection, in order:
//! 1. `--encoding` given: that encoding (a byte-order mark of the same encoding is removed).
//! 2. A byte-order mark: UTF-8, UTF-16LE or UTF-16BE.
//! 3. Otherwise the text is read as ASCII (identical in UTF-8, GBK and GB18030) until the
//!    first non-ASCII byte. There, a sample of up to 64 KiB is examined: valid UTF-8 (or
//!    almost all valid, see [`mostly_utf8`]) means UTF-8; anything else is handed to
//!    `chardetng` with the `.cn` hint, which tells GBK/GB18030 from Big5, Shift_JIS and the
//!    single-byte encodings. A file whose first megabyte is ASCII and whose Chinese comes
//!    later is therefore still detected right.
//!
//! GBK is decoded with the GB18030 decoder (the WHATWG `gbk` decoder *is* the `gb18030`
//! decoder), so four-byte GB18030 sequences in a file detected as GBK decode correctly.
//!
//! Malformed sequences never stop the scan: each becomes U+FFFD, and the decoder counts them
//! and remembers where the first one was, so the caller can warn.

use std::io::{self, Read};

use encoding_rs::{DecoderResult, Encoding, GB18030, GBK, UTF_8};

use crate::chunk::TextSource;

/// Raw bytes read from the source at a time.
const RAW_BLOCK: usize = 64 << 10;
/// Bytes examined to detect an encoding.
pub const SAMPLE: usize = 64 << 10;

/// How the encoding of an input was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodingOrigin {
    /// Given by the user.
    Override,
    /// From a byte-order mark.
    Bom,
    /// Detected from a sample of the text.
    Detected,
    /// The text is ASCII (so far): valid in UTF-8, GBK and GB18030 alike.
    Ascii,
}

impl EncodingOrigin {
    /// Lowercase code for output.
    pub fn code(self) -> &'static str {
        match self {
            EncodingOrigin::Override => "override",
            EncodingOrigin::Bom => "bom",
            EncodingOrigin::Detected => "detected",
            EncodingOrigin::Ascii => "ascii",
        }
    }
}

/// Malformed byte sequences replaced while decoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Replacements {
    /// How many sequences were replaced with U+FFFD.
    pub count: u64,
    /// Byte offset (in the decompressed input) of the first one.
    pub first_at: Option<u64>,
}

enum State {
    /// No non-ASCII byte seen yet and no encoding chosen.
    Ascii,
    Decoding(encoding_rs::Decoder),
}

/// Decodes a byte stream into UTF-8 text, detecting its encoding. A [`TextSource`].
pub struct TextDecoder<R> {
    src: R,
    raw: Vec<u8>,
    start: usize,
    end: usize,
    src_eof: bool,
    finished: bool,
    state: State,
    encoding: &'static Encoding,
    origin: EncodingOrigin,
    /// Raw bytes consumed before `raw[start]`.
    consumed: u64,
    replacements: Replacements,
}

impl<R> std::fmt::Debug for TextDecoder<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextDecoder")
            .field("encoding", &self.encoding.name())
            .field("origin", &self.origin)
            .field("consumed", &self.consumed)
            .field("replacements", &self.replacements)
            .finish_non_exhaustive()
    }
}

impl<R: Read> TextDecoder<R> {
    /// A decoder over `src`: `encoding` forces one; `None` detects it. Reads the first
    /// `prefix` bytes (at least the byte-order mark) so [`TextDecoder::prefix`] can be sniffed.
    pub fn new(
        src: R,
        encoding: Option<&'static Encoding>,
        prefix: usize,
    ) -> io::Result<TextDecoder<R>> {
        let mut d = TextDecoder {
            src,
            raw: vec![0; RAW_BLOCK.max(SAMPLE) * 2],
            start: 0,
            end: 0,
            src_eof: false,
            finished: false,
            state: State::Ascii,
            encoding: UTF_8,
            origin: EncodingOrigin::Ascii,
            consumed: 0,
            replacements: Replacements::default(),
        };
        d.read_until(prefix.clamp(4, SAMPLE))?;
        if let Some(enc) = encoding {
            d.encoding = enc;
            d.origin = EncodingOrigin::Override;
            d.state = State::Decoding(enc.new_decoder_with_bom_removal());
        } else if let Some((enc, bom)) = Encoding::for_bom(d.prefix()) {
            d.start += bom;
            d.consumed += bom as u64;
            d.encoding = enc;
            d.origin = EncodingOrigin::Bom;
            d.state = State::Decoding(enc.new_decoder_without_bom_handling());
        }
        Ok(d)
    }

    /// The raw bytes read ahead and not yet decoded (after a byte-order mark).
    pub fn prefix(&self) -> &[u8] {
        &self.raw[self.start..self.end]
    }

    /// The encoding in use (UTF-8 while the text has been ASCII).
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// How the encoding was decided.
    pub fn origin(&self) -> EncodingOrigin {
        self.origin
    }

    /// Malformed sequences replaced so far.
    pub fn replacements(&self) -> Replacements {
        self.replacements
    }

    /// Raw (decompressed) bytes decoded so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Reads until at least `n` raw bytes are buffered or the source ends.
    fn read_until(&mut self, n: usize) -> io::Result<()> {
        if self.start > 0 && self.raw.len() - self.start < n.max(RAW_BLOCK) {
            self.raw.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        while self.end - self.start < n && !self.src_eof {
            match self.src.read(&mut self.raw[self.end..]) {
                Ok(0) => self.src_eof = true,
                Ok(k) => self.end += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Copies the ASCII run at the front of the buffer; returns `false` if the buffer starts
    /// with a non-ASCII byte.
    fn copy_ascii(&mut self, out: &mut String) -> bool {
        let avail = &self.raw[self.start..self.end];
        let n = ascii_prefix_len(avail);
        if n == 0 {
            return false;
        }
        // An ASCII run is valid UTF-8; `from_utf8` cannot fail here.
        out.push_str(std::str::from_utf8(&avail[..n]).unwrap_or_default());
        self.start += n;
        self.consumed += n as u64;
        true
    }

    /// Chooses the encoding at the first non-ASCII byte, from a sample starting there.
    fn detect(&mut self) -> io::Result<()> {
        self.read_until(SAMPLE)?;
        let enc = guess_encoding(self.prefix(), self.src_eof);
        self.encoding = enc;
        self.origin = EncodingOrigin::Detected;
        self.state = State::Decoding(enc.new_decoder_without_bom_handling());
        Ok(())
    }
}

impl<R: Read> TextSource for TextDecoder<R> {
    type Error = io::Error;

    fn fill(&mut self, out: &mut String, want: usize) -> io::Result<bool> {
        loop {
            if self.finished {
                return Ok(true);
            }
            if out.len() >= want {
                return Ok(false);
            }
            if self.start == self.end && !self.src_eof {
                self.read_until(1)?;
                continue;
            }
            let dec = match &mut self.state {
                State::Ascii => {
                    if self.copy_ascii(out) {
                        continue;
                    }
                    if self.start == self.end {
                        self.finished = true;
                    } else {
                        self.detect()?;
                    }
                    continue;
                }
                State::Decoding(dec) => dec,
            };
            if out.capacity() - out.len() < 16 {
                out.reserve(RAW_BLOCK);
            }
            let last = self.src_eof;
            let (result, read) = dec.decode_to_string_without_replacement(
                &self.raw[self.start..self.end],
                out,
                last,
            );
            self.start += read;
            self.consumed += read as u64;
            match result {
                DecoderResult::InputEmpty => {
                    if last {
                        self.finished = true;
                    }
                }
                DecoderResult::OutputFull => out.reserve(RAW_BLOCK),
                DecoderResult::Malformed(bad, unread) => {
                    let at = self.consumed - u64::from(bad) - u64::from(unread);
                    self.replacements.count += 1;
                    self.replacements.first_at.get_or_insert(at);
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            }
        }
    }
}

/// Length of the ASCII run at the front of `bytes`.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    // Word-at-a-time: `is_ascii` on 32-byte blocks is much faster than a byte loop.
    let mut n = 0;
    for block in bytes.chunks(32) {
        if block.is_ascii() {
            n += block.len();
        } else {
            return n + block.iter().position(|&b| b >= 0x80).unwrap_or(block.len());
        }
    }
    n
}

/// Guesses the encoding of `sample`, which starts at a non-ASCII byte. `complete` says
/// the sample runs to the end of the input (a sequence cut at its end is then an error).
pub fn guess_encoding(sample: &[u8], complete: bool) -> &'static Encoding {
    if mostly_utf8(sample, complete) {
        return UTF_8;
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(sample, complete);
    let enc = det.guess(Some(b"cn"), false);
    if enc == GBK { GB18030 } else { enc }
}

/// Whether `sample` is UTF-8: valid, or with at most one invalid sequence for every eight
/// valid multi-byte characters (a file of UTF-8 with a stray corrupt byte is still UTF-8;
/// GBK text almost never forms valid multi-byte UTF-8 sequences by chance).
pub fn mostly_utf8(sample: &[u8], complete: bool) -> bool {
    let mut rest = sample;
    let (mut multibyte, mut errors) = (0usize, 0usize);
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                multibyte += valid.iter().filter(|&&b| b >= 0xC0).count();
                match e.error_len() {
                    Some(len) => {
                        errors += 1;
                        rest = &rest[e.valid_up_to() + len..];
                    }
                    None => {
                        // Cut at the end of the sample: an error only if the input ends here.
                        errors += usize::from(complete);
                        break;
                    }
                }
            }
        }
    }
    errors == 0 || multibyte >= errors * 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};
    use proptest::prelude::*;

    fn decode<'a>(
        bytes: &'a [u8],
        enc: Option<&'static Encoding>,
    ) -> (String, TextDecoder<&'a [u8]>) {
        let mut d = TextDecoder::new(bytes, enc, 8 << 10).unwrap();
        let mut out = String::new();
        loop {
            let want = out.len() + 7;
            if d.fill(&mut out, want).unwrap() {
                break;
            }
        }
        (out, d)
    }

    fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
        let (b, _, unmappable) = enc.encode(s);
        assert!(!unmappable);
        b.into_owned()
    }

    const NOTE: &str = "客户张伟，身份证号11010519491231002X，住址北京市朝阳区建国路88号。\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let (s, d) = decode(NOTE.as_bytes(), None);
        assert_eq!(s, NOTE);
        assert_eq!(
            (d.encoding(), d.origin()),
            (UTF_8, EncodingOrigin::Detected)
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(NOTE.as_bytes());
        let (s, d) = decode(&bom, None);
        assert_eq!(s, NOTE);
        assert_eq!(d.origin(), EncodingOrigin::Bom);
    }

    #[test]
    fn ascii_stays_undecided() {
        let (s, d) = decode(b"phone 13812345678\n", None);
        assert_eq!(s, "phone 13812345678\n");
        assert_eq!(d.origin(), EncodingOrigin::Ascii);
    }

    #[test]
    fn gbk_detected_even_after_a_long_ascii_prefix() {
        let mut bytes = "id,phone\n".repeat(20_000).into_bytes();
        bytes.extend(encode(GBK, NOTE));
        let (s, d) = decode(&bytes, None);
        assert!(s.ends_with(NOTE));
        assert_eq!(
            (d.encoding(), d.origin()),
            (GB18030, EncodingOrigin::Detected)
        );
        assert_eq!(d.replacements().count, 0);
    }

    #[test]
    fn gb18030_four_byte_sequences_decode() {
        // 𠀀 (U+20000) and € are outside GBK's two-byte table.
        let text = format!("{NOTE}罕见字𠀀和欧元€。");
        let bytes = encode(GB18030, &text);
        let (s, d) = decode(&bytes, None);
        assert_eq!(s, text);
        assert_eq!(d.encoding(), GB18030);
    }

    #[test]
    fn utf16_with_bom() {
        for (enc, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let mut bytes = bom.to_vec();
            for u in NOTE.encode_utf16() {
                let b = if enc == UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                bytes.extend(b);
            }
            let (s, d) = decode(&bytes, None);
            assert_eq!(s, NOTE);
            assert_eq!((d.encoding(), d.origin()), (enc, EncodingOrigin::Bom));
        }
    }

    #[test]
    fn override_wins_over_detection() {
        let bytes = encode(GBK, NOTE);
        let (s, d) = decode(&bytes, Some(GBK));
        assert_eq!(s, NOTE);
        assert_eq!(d.origin(), EncodingOrigin::Override);
    }

    #[test]
    fn malformed_sequences_are_replaced_and_counted() {
        let mut bytes = encode(GB18030, NOTE);
        bytes.extend(b"ok \x81 end"); // a lead byte followed by a space
        bytes.extend(encode(GB18030, NOTE));
        let at = encode(GB18030, NOTE).len() as u64 + 3;
        let (s, d) = decode(&bytes, None);
        assert!(s.contains("ok \u{FFFD} end"), "{s}");
        assert_eq!(d.replacements().count, 1);
        assert_eq!(d.replacements().first_at, Some(at));
    }

    #[test]
    fn stray_bad_byte_in_utf8_is_still_utf8() {
        let mut bytes = NOTE.repeat(4).into_bytes();
        bytes.insert(6, 0xFF); // after "客户"
        let (s, d) = decode(&bytes, None);
        assert_eq!(d.encoding(), UTF_8);
        assert_eq!(d.replacements().count, 1);
        assert_eq!(s.matches('\u{FFFD}').count(), 1);
    }

    #[test]
    fn truncated_final_sequence_is_replaced() {
        let mut bytes = NOTE.as_bytes().to_vec();
        bytes.extend(&"身".as_bytes()[..2]);
        let (s, d) = decode(&bytes, Some(UTF_8));
        assert!(s.ends_with('\u{FFFD}'));
        assert_eq!(d.replacements().count, 1);
    }

    #[test]
    fn ascii_prefix_len_finds_the_first_high_byte() {
        assert_eq!(ascii_prefix_len(b""), 0);
        let mut v = vec![b'a'; 100];
        assert_eq!(ascii_prefix_len(&v), 100);
        v[70] = 0xE4;
        assert_eq!(ascii_prefix_len(&v), 70);
    }

    /// Common Han characters (all in GBK).
    fn han() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                (0x4E00u32..0x9FA5).prop_map(|c| char::from_u32(c).unwrap_or('中')),
                proptest::char::range('a', 'z'),
                Just('，'),
                Just('\n'),
                proptest::char::range('0', '9'),
            ],
            1..400,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn gbk_random_chinese_round_trips(text in han()) {
            let (bytes, _, unmappable) = GBK.encode(&text);
            prop_assume!(!unmappable);
            let (s, d) = decode(&bytes, Some(GBK));
            prop_assert_eq!(&s, &text);
            prop_assert_eq!(d.replacements().count, 0);
        }

        #[test]
        fn gbk_chinese_is_detected(text in han()) {
            // Detection needs some Chinese to go on: a few characters are ambiguous.
            let cjk = text.chars().filter(|c| *c as u32 >= 0x4E00).count();
            prop_assume!(cjk >= 12);
            let (bytes, _, _) = GBK.encode(&text);
            let (s, d) = decode(&bytes, None);
            prop_assert_eq!(d.encoding(), GB18030);
            prop_assert_eq!(&s, &text);
        }

        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let (s, _) = decode(&bytes, None);
            prop_assert!(s.len() <= bytes.len() * 3 + 3);
        }
    }
}
