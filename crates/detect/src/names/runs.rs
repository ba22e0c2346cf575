//! Runs of Han text: the one pass over the whole text that the field and prose parts of the
//! name model share.
//!
//! ASCII bytes cost one comparison each and Han characters one range check per three bytes;
//! other characters are decoded only to classify them as delimiters or not.

use super::text::{Edge, char_at, edge_at, edge_of};

/// A maximal run of Han characters and what stands on either side of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Run {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The boundary before the run.
    pub left: Edge,
    /// The boundary after the run.
    pub right: Edge,
}

impl Run {
    /// The number of characters (all three bytes long).
    #[inline]
    pub fn chars(&self) -> usize {
        (self.end - self.start) / 3
    }
}

/// Calls `f` for every maximal run of Han characters in `text`, in order.
pub(super) fn for_each(text: &[u8], mut f: impl FnMut(Run)) {
    let n = text.len();
    let mut i = 0;
    let mut left = Edge::Record;
    while i < n {
        let b = text[i];
        if b < 0x80 {
            // Skip ASCII eight bytes at a time; only the byte before the next non-ASCII
            // character matters.
            let mut j = i + 1;
            while let Some(w) = text.get(j..j + 8) {
                let w = u64::from_le_bytes(w.try_into().unwrap_or([0x80; 8]));
                if w & 0x8080_8080_8080_8080 != 0 {
                    break;
                }
                j += 8;
            }
            while j < n && text[j] < 0x80 {
                j += 1;
            }
            left = if text[j - 1].is_ascii_alphanumeric() {
                Edge::None
            } else {
                Edge::Record
            };
            i = j;
            continue;
        }
        if !is_han_start(text, i) {
            let (c, len) = char_at(text, i).unwrap_or(('\u{FFFD}', 1));
            left = edge_of(c);
            i += len;
            continue;
        }
        let start = i;
        i += 3;
        while is_han_start(text, i) {
            i += 3;
        }
        f(Run {
            start,
            end: i,
            left,
            right: edge_at(text, i),
        });
        // The next character is not Han: the loop classifies it before the next run.
        left = Edge::None;
    }
}

/// Whether a Han character of the tables' range (U+3400–U+9FFF) starts at `i`: lead bytes
/// E4–E9 cover U+4000–U+9FFF, E3 with a second byte from 0x90 covers U+3400–U+3FFF. The text
/// is valid UTF-8, so the continuation bytes need no check.
#[inline]
fn is_han_start(text: &[u8], i: usize) -> bool {
    match text.get(i..i + 3) {
        Some(&[b0, b1, _]) => (0xE4..=0xE9).contains(&b0) || (b0 == 0xE3 && b1 >= 0x90),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(s: &str) -> Vec<(String, Edge, Edge)> {
        let mut out = Vec::new();
        for_each(s.as_bytes(), |r| {
            out.push((s[r.start..r.end].to_string(), r.left, r.right));
        });
        out
    }

    #[test]
    fn runs_and_edges() {
        assert_eq!(
            runs("陈文,133|王建国 x李\t，你好·x"),
            vec![
                ("陈文".into(), Edge::Record, Edge::Record),
                ("王建国".into(), Edge::Record, Edge::Record),
                ("李".into(), Edge::None, Edge::Record),
                ("你好".into(), Edge::Prose, Edge::None),
            ]
        );
        assert!(runs("").is_empty());
        assert_eq!(
            runs("abcdefghijklmnop,张伟"),
            vec![("张伟".into(), Edge::Record, Edge::Record)]
        );
        assert_eq!(
            runs("abcdefghijklmnopq张伟"),
            vec![("张伟".into(), Edge::None, Edge::Record)]
        );
        assert_eq!(
            runs("㐀一"),
            vec![("㐀一".into(), Edge::Record, Edge::Record)]
        );
        assert!(
            runs("〇〆").is_empty(),
            "U+3000 block is not Han for the tables"
        );
        assert!(runs("abc,😀").is_empty());
    }
}
