//! Arbitrary bytes → lossy UTF-8 → the engine, with every detector on (names and addresses
//! included). The engine must never panic, and its findings must be well formed:
//! non-empty, in range, on character boundaries, sorted, non-overlapping, with correct
//! character offsets and line numbers; `evidence()` and `reasons()` must render any of them.
//! A window over the same text owning a sub-range must report exactly the findings of the whole
//! scan that start in that range, shifted by the window's origin.
//!
//! The first four bytes choose the owned range; the rest is the text.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use shujian_detect::{CivilDate, Engine, EngineOptions, Finding, Position, Scratch, TextWindow};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut opts = EngineOptions::new(CivilDate::new(2026, 11, 23).expect("valid date"));
        opts.names_and_addresses = true;
        Engine::builtin(opts).expect("built-in engine")
    })
}

/// Checks the findings of `text` (whose first byte is at document position `origin`).
fn check(engine: &Engine, text: &str, origin: Position, findings: &[Finding]) {
    let mut prev_end = origin.byte;
    let (mut pos, mut chars, mut newlines) = (0usize, origin.char, origin.newlines);
    for f in findings {
        assert!(f.start >= origin.byte, "{f:?} before the text");
        let (start, end) = (f.start - origin.byte, f.end - origin.byte);
        assert!(start < end && end <= text.len(), "{f:?} out of range");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{f:?}"
        );
        assert!(f.start >= prev_end, "{f:?} overlaps or is out of order");
        prev_end = f.end;

        chars += text[pos..start].chars().count();
        newlines += text[pos..start].matches('\n').count();
        pos = start;
        let value = &text[start..end];
        assert_eq!(f.char_start, chars, "{f:?}: char_start");
        assert_eq!(f.char_end, chars + value.chars().count(), "{f:?}: char_end");
        assert_eq!(f.line, newlines + 1, "{f:?}: line");

        let evidence = engine.evidence(f, value);
        assert!(!evidence.is_empty() || value.is_empty());
        for r in engine.reasons(f) {
            assert!(!r.code.is_empty());
        }
        if let Some(k) = f.keyword {
            let _ = engine.keyword_text(k);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (range, body) = data.split_at(data.len().min(4));
    let text = String::from_utf8_lossy(body);
    let engine = engine();

    let whole = engine.scan(&text);
    check(engine, &text, Position::default(), &whole);

    // A window owning an arbitrary byte range (not necessarily on character boundaries).
    let pick = |i: usize| {
        let v = usize::from(u16::from_le_bytes([
            range.get(i).copied().unwrap_or(0),
            range.get(i + 1).copied().unwrap_or(0),
        ]));
        v % (text.len() + 1)
    };
    let (a, b) = (pick(0), pick(2));
    let owned = a.min(b)..a.max(b);
    let origin = Position {
        byte: 1_000,
        char: 700,
        newlines: 5,
    };
    let window = TextWindow {
        text: &text,
        owned: owned.clone(),
        origin,
    };
    let mut out = Vec::new();
    engine.scan_window(&window, &mut Scratch::default(), &mut out);
    check(engine, &text, origin, &out);
    let expected: Vec<(usize, usize)> = whole
        .iter()
        .filter(|f| owned.contains(&f.start))
        .map(|f| (f.start + origin.byte, f.end + origin.byte))
        .collect();
    let got: Vec<(usize, usize)> = out.iter().map(|f| (f.start, f.end)).collect();
    assert_eq!(
        got, expected,
        "window {owned:?} disagrees with the whole scan"
    );
});
