//! Arbitrary bytes → (maybe gzip) → encoding detection and decoding → windows, at an arbitrary
//! window size. Reading must never panic, and the windows must be well formed: the owned
//! ranges tile the decoded text exactly, every window's text is the document's text at its
//! origin, and the origins' character and newline counts are right.
//!
//! The first byte chooses the encoding (detected, or one forced), the next two the window size
//! and margins; the rest is the input.

#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use shujian_sources::decode::TextDecoder;
use shujian_sources::{ChunkConfig, Chunker, Encoding, TextPosition};

const FORCED: [&str; 5] = ["utf-8", "gb18030", "gbk", "utf-16le", "big5"];

fuzz_target!(|data: &[u8]| {
    let Some((&[enc, size, margin], input)) = data.split_first_chunk::<3>() else {
        return;
    };
    let encoding = FORCED
        .get(usize::from(enc % 8))
        .and_then(|l| Encoding::for_label(l.as_bytes()));
    let cfg = ChunkConfig {
        size: usize::from(size) + 1,
        margin_before: usize::from(margin % 32),
        margin_after: usize::from(margin / 8),
    };
    // Inputs that start with the gzip magic go through the decompressor, as in `open`.
    let reader: Box<dyn Read> = if input.starts_with(&[0x1F, 0x8B]) {
        Box::new(flate2::read::MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let Ok(decoder) = TextDecoder::new(reader, encoding, 8 << 10) else {
        return;
    };
    let mut chunker = Chunker::new(decoder, cfg, None);
    let mut doc = String::new();
    let mut windows = Vec::new();
    loop {
        match chunker.next_chunk() {
            Ok(Some(c)) => {
                assert!(c.owned.start <= c.owned.end && c.owned.end <= c.text.len());
                assert!(c.text.is_char_boundary(c.owned.start));
                assert_eq!(c.origin.byte + c.owned.start, doc.len(), "owned ranges tile");
                doc.push_str(c.owned_text());
                windows.push(c);
            }
            Ok(None) | Err(_) => break,
        }
    }
    for w in &windows {
        let expect = TextPosition::default().advanced_by(&doc[..w.origin.byte.min(doc.len())]);
        assert_eq!(w.origin, expect);
        // The text after the owned range may reach past what later windows own only if
        // reading stopped on an error; within the document it must agree.
        let end = (w.origin.byte + w.text.len()).min(doc.len());
        assert_eq!(&w.text[..end - w.origin.byte], &doc[w.origin.byte..end]);
    }
});
