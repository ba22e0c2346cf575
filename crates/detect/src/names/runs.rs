//! Runs of Han text: the one pass over the whole text that the field and prose parts of the
//! name model share.
//!
//! ASCII bytes cost one comparison each and Han characters one range check per three bytes;
//! other characters are decoded only to classify them as delimiters or not.

use super::text::{Edge, char_at, edge_at, edge_of, han_at};

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
            left = if b.is_ascii_alphanumeric() {
                Edge::None
            } else {
                Edge::Record
            };
            i += 1;
            continue;
        }
        if han_at(text, i).is_none() {
            let (c, len) = char_at(text, i).unwrap_or(('\u{FFFD}', 1));
            left = edge_of(c);
            i += len;
            continue;
        }
        let start = i;
        i += 3;
        while han_at(text, i).is_some() {
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
        assert!(runs("abc,😀").is_empty());
    }
}
