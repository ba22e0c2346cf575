//! Cue keywords: `地址：`, `家住`, `收货地址`, `"address": "` right before an address.
//!
//! The keywords come from the `cn_address` entry of `rules/detectors/builtin.toml` and are
//! found by the engine's shared automaton. A cue counts only when nothing but separators
//! (`：`, `=`, quotes, a space, `为`, `是`, `在` …) stands between it and the address, so a
//! column header far away or a keyword in another sentence does not.

use super::structure::char_at;
use crate::detector::DetectorId;
use crate::keywords::{KeywordHit, KeywordTable, Polarity};

/// At most this many separator characters between a cue and its value (`地址 ： "`).
const MAX_SEPARATORS: usize = 4;
/// No cue keyword with its separators is longer than this, in bytes.
const MAX_CUE_REACH: usize = 64;

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | ':'
            | '：'
            | '='
            | '＝'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '「'
            | '」'
            | '【'
            | '】'
            | '['
            | ']'
            | '\u{3000}'
            | '为'
            | '是'
            | '在'
            | '于'
    )
}

/// Where the value after a cue ending at `cue_end` begins: past at most
/// [`MAX_SEPARATORS`] separators.
pub(super) fn value_start(text: &[u8], cue_end: usize) -> usize {
    let mut pos = cue_end;
    for _ in 0..MAX_SEPARATORS {
        if pos >= text.len() {
            break;
        }
        let (c, len) = char_at(text, pos);
        if !is_separator(c) {
            break;
        }
        pos += len;
    }
    pos
}

/// Whether a keyword hit is an address cue.
pub(super) fn is_cue(table: &KeywordTable, hit: &KeywordHit, me: DetectorId) -> bool {
    table
        .entry(hit)
        .targets
        .iter()
        .any(|&(d, p)| d == me && p == Polarity::Positive)
}

/// The cue whose value begins exactly at `start`, if any. `hits` are sorted by start.
pub(super) fn cue_before(
    text: &[u8],
    hits: &[KeywordHit],
    table: &KeywordTable,
    me: DetectorId,
    start: usize,
) -> Option<KeywordHit> {
    let upto = hits.partition_point(|h| h.start < start);
    hits[..upto]
        .iter()
        .rev()
        .take_while(|h| h.start + MAX_CUE_REACH > start)
        .find(|h| h.end <= start && is_cue(table, h, me) && value_start(text, h.end) == start)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_starts_past_separators() {
        let t = "地址： \"浙江".as_bytes();
        assert_eq!(value_start(t, "地址".len()), "地址： \"".len());
        let t = "家住在浙江".as_bytes();
        assert_eq!(value_start(t, "家住".len()), "家住在".len());
        // Too many separators: the cue is not right before the value.
        let t = "地址:     浙江".as_bytes();
        assert_eq!(value_start(t, "地址".len()), "地址:   ".len());
        assert_eq!(value_start(b"addr", 4), 4);
    }
}
