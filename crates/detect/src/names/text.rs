//! Byte-level reading of UTF-8 text for the name model: Han characters as table indexes, and
//! what kind of boundary a neighbouring character makes.
//!
//! Every Han character the tables know (U+3400–U+9FFF) is three bytes long, so positions
//! inside a run of Han characters move in steps of three.

use super::lexicon::{HAN_HI, HAN_LO};

/// How strongly the character next to a run of Han text separates it from its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Edge {
    /// Glued to something that may continue the word: a letter or digit, a middle dot
    /// (`迈克尔·乔丹`), a book-title mark, another script.
    None,
    /// Full-width punctuation (`，`, `：`, `、`, `（` …), as in running prose.
    Prose,
    /// The start or end of the text, a line break, or ASCII punctuation and spaces: the
    /// delimiters of records (CSV, TSV, JSON, tables, logs).
    Record,
}

/// The Han table index of the character starting at `i`, if it is a Han character.
#[inline]
pub(super) fn han_at(text: &[u8], i: usize) -> Option<u16> {
    let b = text.get(i..i + 3)?;
    if !(0xE3..=0xE9).contains(&b[0]) || b[1] & 0xC0 != 0x80 || b[2] & 0xC0 != 0x80 {
        return None;
    }
    let cp =
        (u32::from(b[0] & 0x0F) << 12) | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F);
    (HAN_LO..=HAN_HI)
        .contains(&cp)
        .then(|| (cp - HAN_LO) as u16)
}

/// The Han table index of the character at `i`, which the caller knows to be a Han
/// character of the tables' range (inside a [`super::runs::Run`]).
#[inline]
pub(super) fn han_in_run(text: &[u8], i: usize) -> u16 {
    let cp = (u32::from(text[i] & 0x0F) << 12)
        | (u32::from(text[i + 1] & 0x3F) << 6)
        | u32::from(text[i + 2] & 0x3F);
    cp.wrapping_sub(HAN_LO) as u16
}

/// The Han table index of the character ending just before `i`, if it is a Han character.
#[inline]
pub(super) fn han_before(text: &[u8], i: usize) -> Option<u16> {
    han_at(text, i.checked_sub(3)?)
}

/// The length in bytes of the UTF-8 sequence starting with `b` (1 for stray bytes).
#[inline]
pub(super) fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The character starting at `i`, and its length, if `i` starts one. Decoded by hand: the
/// text comes from a `&str`, and malformed bytes give `None` rather than a panic.
#[inline]
pub(super) fn char_at(text: &[u8], i: usize) -> Option<(char, usize)> {
    let b0 = *text.get(i)?;
    let len = utf8_len(b0);
    let seq = text.get(i..i + len)?;
    let cont = |b: u8| (b & 0xC0 == 0x80).then_some(u32::from(b & 0x3F));
    let cp = match len {
        1 => u32::from(b0),
        2 => (u32::from(b0 & 0x1F) << 6) | cont(seq[1])?,
        3 => (u32::from(b0 & 0x0F) << 12) | (cont(seq[1])? << 6) | cont(seq[2])?,
        _ => {
            (u32::from(b0 & 0x07) << 18)
                | (cont(seq[1])? << 12)
                | (cont(seq[2])? << 6)
                | cont(seq[3])?
        }
    };
    char::from_u32(cp).map(|c| (c, len))
}

/// The character ending just before `i`, if there is one.
#[inline]
pub(super) fn char_before(text: &[u8], i: usize) -> Option<char> {
    let mut j = i.checked_sub(1)?;
    while j > 0 && i - j < 4 && text[j] & 0xC0 == 0x80 {
        j -= 1;
    }
    char_at(text, j)
        .filter(|&(_, len)| j + len == i)
        .map(|(c, _)| c)
}

/// The boundary a non-Han character makes.
#[inline]
pub(super) fn edge_of(c: char) -> Edge {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Edge::None
        } else {
            Edge::Record
        };
    }
    match c {
        '，' | '。' | '、' | '；' | '：' | '！' | '？' | '（' | '）' | '【' | '】' | '「'
        | '」' | '『' | '』' | '“' | '”' | '‘' | '’' | '…' | '—' | '～' | '　' | '｜' | '＠'
        | '［' | '］' | '｛' | '｝' | '＜' | '＞' | '／' | '＃' | '\u{00A0}' => Edge::Prose,
        _ => Edge::None,
    }
}

/// The boundary at the start of the text or before position `i`.
#[inline]
pub(super) fn edge_before(text: &[u8], i: usize) -> Edge {
    if i == 0 {
        return Edge::Record;
    }
    if han_before(text, i).is_some() {
        return Edge::None;
    }
    char_before(text, i).map_or(Edge::None, edge_of)
}

/// The boundary at position `i` (the end of the text counts as a record edge).
#[inline]
pub(super) fn edge_at(text: &[u8], i: usize) -> Edge {
    if i >= text.len() {
        return Edge::Record;
    }
    if han_at(text, i).is_some() {
        return Edge::None;
    }
    char_at(text, i).map_or(Edge::None, |(c, _)| edge_of(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_positions() {
        let t = "a张三，".as_bytes();
        assert_eq!(han_at(t, 0), None);
        assert!(han_at(t, 1).is_some());
        assert_eq!(han_at(t, 2), None, "not a character start");
        assert_eq!(han_before(t, 4), han_at(t, 1));
        assert_eq!(han_at(t, 7), None, "full-width comma is not Han");
        assert_eq!(han_at(t, 9), None, "past the end");
    }

    #[test]
    fn edges() {
        let t = "x,张三，李\t😀".as_bytes();
        assert_eq!(edge_before(t, 0), Edge::Record);
        assert_eq!(edge_at(t, 1), Edge::Record);
        assert_eq!(edge_before(t, 2), Edge::Record);
        assert_eq!(edge_at(t, 8), Edge::Prose);
        assert_eq!(edge_before(t, 11), Edge::Prose);
        assert_eq!(edge_before(t, 1), Edge::None, "letter");
        assert_eq!(edge_at(t, 15), Edge::None, "emoji");
        assert_eq!(edge_before(t, t.len()), Edge::None);
        assert_eq!(edge_at(t, t.len()), Edge::Record);
        assert_eq!(edge_of('·'), Edge::None);
        assert_eq!(edge_of('《'), Edge::None);
        assert_eq!(char_before(t, t.len()), Some('😀'));
        assert_eq!(char_before(t, 5), Some('张'));
    }
}
