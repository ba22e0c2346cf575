//! Context keywords: every detector's keywords in one table, and a lazily built index of
//! where they occur in a text.
//!
//! Matching is purpose-built rather than an Aho-Corasick automaton (which ran at about
//! 330 MB/s on dense Chinese text here): only character starts are probed (ASCII letters
//! only at word starts), a bit filter of keyword end characters rejects almost every probe,
//! and the few survivors compare four bytes at once, then the whole keyword.
//!
//! * The **context** of one value ([`KeywordTable::context`], in [`context`]) walks back
//!   from the value probing only its own detector's keywords ([`index::DetectorIndex`]).
//! * The **index** of a whole text ([`KeywordIndex`]), which the Han-text detectors need,
//!   probes every keyword ([`index::CharIndex`]).

mod context;
mod index;
mod pack;

use crate::detector::{DetectorId, DetectorInfo};
use index::{ByteSet, CharIndex, DetectorIndex, End, Item, has_ascii};
use pack::{prefix4, prefix4_at};

pub(crate) use context::{Context, ContextWindow};

/// Whether a keyword raises or lowers confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Polarity {
    Positive,
    Negative,
}

#[derive(Clone, Debug)]
pub(crate) struct KeywordEntry {
    /// The keyword as written in the rules.
    pub text: String,
    /// ASCII keywords must stand as words (see [`KeywordTable::accept`]).
    pub ascii_word: bool,
    /// Detectors this keyword is context for.
    pub targets: Vec<(DetectorId, Polarity)>,
}

/// All keywords of all detectors, compiled once per engine.
#[derive(Clone, Debug)]
pub(crate) struct KeywordTable {
    pub entries: Vec<KeywordEntry>,
    /// Every keyword by first character, for the full-text search.
    by_first: CharIndex,
    /// Each detector's keywords by last character, for the walk back from a value.
    context_before: DetectorIndex,
    /// Each detector's positive keywords by first character, for the look after a value.
    context_after: DetectorIndex,
    max_len: usize,
}

/// One keyword occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeywordHit {
    pub start: usize,
    pub end: usize,
    pub entry: u32,
}

impl KeywordTable {
    pub fn new(detectors: &[DetectorInfo]) -> KeywordTable {
        let mut entries: Vec<KeywordEntry> = Vec::new();
        for (i, d) in detectors.iter().enumerate() {
            let id = DetectorId(i as u16);
            let all = d
                .keywords
                .iter()
                .map(|k| (k, Polarity::Positive))
                .chain(d.negative_keywords.iter().map(|k| (k, Polarity::Negative)));
            for (k, pol) in all {
                let k = k.trim();
                let key = if k.is_ascii() {
                    k.to_ascii_lowercase()
                } else {
                    k.to_string()
                };
                match entries.iter_mut().find(|e| e.text == key) {
                    Some(e) => e.targets.push((id, pol)),
                    None => entries.push(KeywordEntry {
                        ascii_word: key.as_bytes()[0].is_ascii_alphanumeric(),
                        text: key,
                        targets: vec![(id, pol)],
                    }),
                }
            }
        }
        let max_len = entries.iter().map(|e| e.text.len()).max().unwrap_or(0);
        KeywordTable {
            by_first: CharIndex::new(&entries),
            context_before: DetectorIndex::new(&entries, detectors.len(), End::Last),
            context_after: DetectorIndex::new(&entries, detectors.len(), End::First),
            entries,
            max_len,
        }
    }

    /// Calls `found(start, end, entry)` for every keyword occurrence starting in `from..to`
    /// (it may end after `to`), until `found` returns `true`. Hits already pass
    /// [`KeywordTable::accept`].
    fn find(
        &self,
        text: &[u8],
        from: usize,
        to: usize,
        found: impl FnMut(usize, usize, u32) -> bool,
    ) {
        let ascii = self.by_first.ascii;
        self.find_in(text, from, to, ascii, |cp| self.by_first.group(cp), found);
    }

    /// [`KeywordTable::find`] over the keywords that `group` gives for each first character;
    /// `ascii` holds the ASCII letters that begin one of them.
    #[inline(always)]
    fn find_in<'a>(
        &'a self,
        text: &[u8],
        from: usize,
        to: usize,
        ascii: ByteSet,
        group: impl Fn(u32) -> &'a [Item],
        mut found: impl FnMut(usize, usize, u32) -> bool,
    ) {
        let mut p = from;
        // Start on a character boundary.
        while p < to && (text[p] as i8) < -0x40 {
            p += 1;
        }
        while p < to {
            let b0 = text[p];
            let (cp, len) = if b0 < 0x80 {
                if !has_ascii(ascii, b0) {
                    // No keyword begins with this byte (ASCII keywords begin with a letter).
                    p += 1;
                    continue;
                }
                let word_start = b0.is_ascii_alphabetic()
                    && (p == 0 || {
                        let prev = text[p - 1];
                        !prev.is_ascii_alphabetic()
                            || (prev.is_ascii_lowercase() && b0.is_ascii_uppercase())
                    });
                if !word_start {
                    p += 1;
                    if b0.is_ascii_alphabetic() {
                        // Inside a word: no keyword starts at a lowercase letter that follows
                        // a letter, so skip them all at once.
                        while p < to && text[p].is_ascii_lowercase() {
                            p += 1;
                        }
                    }
                    continue;
                }
                (u32::from(b0.to_ascii_lowercase()), 1)
            } else if (0xE0..0xF0).contains(&b0) && p + 2 < text.len() {
                let cp = (u32::from(b0 & 0x0F) << 12)
                    | (u32::from(text[p + 1] & 0x3F) << 6)
                    | u32::from(text[p + 2] & 0x3F);
                (cp, 3)
            } else {
                // Two- and four-byte characters, or a stray continuation byte: no keyword
                // starts with them in practice; step over.
                p += match b0 {
                    0xC0..=0xDF => 2,
                    0xF0..=0xFF => 4,
                    _ => 1,
                };
                continue;
            };
            let group = group(cp);
            if !group.is_empty() {
                let here = if p + 4 <= text.len() {
                    prefix4_at(text, p)
                } else {
                    prefix4(&text[p..]).0
                };
                for item in group {
                    if here & item.mask != item.four {
                        continue;
                    }
                    let e = &self.entries[item.entry as usize];
                    let kw = e.text.as_bytes();
                    let end = p + kw.len();
                    if end <= text.len()
                        && text[p..end].eq_ignore_ascii_case(kw)
                        && self.accept(text, p, end, e)
                        && found(p, end, item.entry)
                    {
                        return;
                    }
                }
            }
            p += len;
        }
    }

    /// Whether an ASCII keyword hit stands as a word: not glued to letters on the left unless
    /// at a camelCase boundary (`idCard`), and not followed by a lowercase letter (`cardinal`).
    /// Digits, `_`, `-`, `.` and Han characters are boundaries.
    fn accept(&self, text: &[u8], start: usize, end: usize, entry: &KeywordEntry) -> bool {
        if !entry.ascii_word {
            return true;
        }
        let before_ok = match start.checked_sub(1).map(|i| text[i]) {
            Some(p) if p.is_ascii_lowercase() => text[start].is_ascii_uppercase(),
            Some(p) if p.is_ascii_uppercase() => {
                // Inside an upper-case word (`PHONE` in `IPHONE`) is not a word start.
                text[start].is_ascii_uppercase()
                    && !text[start..end].iter().all(u8::is_ascii_uppercase)
            }
            _ => true,
        };
        let after_ok = match text.get(end) {
            Some(n) if n.is_ascii_lowercase() => false,
            Some(n) if n.is_ascii_uppercase() => {
                // `PHONENUMBER` continues an upper-case word; `phoneNumber` is camelCase.
                !text[end - 1].is_ascii_uppercase()
            }
            _ => true,
        };
        before_ok && after_ok
    }

    /// The entry behind a hit.
    pub fn entry(&self, hit: &KeywordHit) -> &KeywordEntry {
        &self.entries[hit.entry as usize]
    }
}

/// Where keywords occur in one text, found lazily.
#[derive(Debug, Default)]
pub(crate) struct KeywordIndex {
    /// Hits sorted by start (equal starts: longest first), deduplicated.
    hits: Vec<KeywordHit>,
    /// Bytes before this offset have been searched.
    scanned_to: usize,
}

impl KeywordIndex {
    pub fn clear(&mut self) {
        self.hits.clear();
        self.scanned_to = 0;
    }

    /// Makes sure every keyword starting within `from..to` is in the index. Calls should
    /// come with non-decreasing `from`; a keyword starting before the `from` of the first
    /// call that covered its position is not found later.
    pub fn cover(&mut self, table: &KeywordTable, text: &[u8], from: usize, to: usize) {
        let to = to.min(text.len());
        if to <= self.scanned_to {
            return;
        }
        let start = if from > self.scanned_to {
            // A gap: nothing between the old end and `from` is needed; forget old hits so the
            // index stays small on long texts.
            self.hits.retain(|h| h.end + table.max_len > from);
            from
        } else {
            self.scanned_to
        };
        let hits = &mut self.hits;
        table.find(text, start, to, |s, e, entry| {
            hits.push(KeywordHit {
                start: s,
                end: e,
                entry,
            });
            false
        });
        // `find` reports hits in start order, and each call starts where the last ended, so
        // the index stays sorted by start without sorting.
        self.scanned_to = to;
    }

    /// Every hit found so far, sorted by start (equal starts: longest first).
    pub fn hits(&self) -> &[KeywordHit] {
        &self.hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn setup() -> (KeywordTable, DetectorId, DetectorId) {
        let rules = Rules::builtin();
        let table = KeywordTable::new(&rules.detectors);
        let id = rules
            .detectors
            .iter()
            .position(|d| d.id == "cn_resident_id")
            .unwrap();
        let phone = rules
            .detectors
            .iter()
            .position(|d| d.id == "cn_mobile")
            .unwrap();
        (table, DetectorId(id as u16), DetectorId(phone as u16))
    }

    fn ctx(text: &str, value: &str, det: usize) -> Context {
        let (table, id, phone) = setup();
        let d = if det == 0 { id } else { phone };
        let start = text.find(value).unwrap();
        let end = start + value.len();
        let window = ContextWindow {
            lo: start.saturating_sub(36),
            hi: (end + 12).min(text.len()),
            next_value: usize::MAX,
        };
        table.context(text.as_bytes(), d, start, end, window)
    }

    #[test]
    fn positive_negative_and_none() {
        assert!(matches!(
            ctx("身份证号：110105194912310021", "110105194912310021", 0),
            Context::Positive(_)
        ));
        assert!(matches!(
            ctx("订单号110105194912310021", "110105194912310021", 0),
            Context::Negative(_)
        ));
        // A positive keyword nearer than the negative one wins.
        assert!(matches!(
            ctx(
                "订单备注：身份证110105194912310021",
                "110105194912310021",
                0
            ),
            Context::Positive(_)
        ));
        assert!(matches!(
            ctx("随便写点110105194912310021", "110105194912310021", 0),
            Context::None
        ));
        // Keywords for other detectors do not count.
        assert!(matches!(
            ctx("手机110105194912310021", "110105194912310021", 0),
            Context::None
        ));
    }

    #[test]
    fn ascii_keywords_need_word_boundaries() {
        assert!(matches!(
            ctx("idCard=110105194912310021", "110105194912310021", 0),
            Context::Positive(_)
        ));
        assert!(matches!(
            ctx("ID_CARD: 110105194912310021", "110105194912310021", 0),
            Context::Positive(_)
        ));
        assert!(matches!(
            ctx("mobile=13812345678", "13812345678", 1),
            Context::Positive(_)
        ));
        assert!(matches!(
            ctx("automobile 13812345678", "13812345678", 1),
            Context::None
        ));
        assert!(matches!(
            ctx("telegram 13812345678", "13812345678", 1),
            Context::None
        ));
        assert!(matches!(
            ctx("IPHONE 13812345678", "13812345678", 1),
            Context::None
        ));
        assert!(matches!(
            ctx("PHONE:13812345678", "13812345678", 1),
            Context::Positive(_)
        ));
    }

    #[test]
    fn window_limits_apply() {
        let text = format!("手机{}13812345678", "。".repeat(30));
        assert!(matches!(ctx(&text, "13812345678", 1), Context::None));
        assert!(matches!(
            ctx("13812345678（手机）", "13812345678", 1),
            Context::Positive(_)
        ));
    }

    #[test]
    fn incremental_cover_finds_each_hit_once() {
        let (table, _, _) = setup();
        let text = "手机 a 手机 b 手机 c 身份证".as_bytes();
        let mut idx = KeywordIndex::default();
        idx.cover(&table, text, 0, 5);
        idx.cover(&table, text, 0, 14);
        idx.cover(&table, text, 3, text.len());
        let phones = idx
            .hits()
            .iter()
            .filter(|h| table.entry(h).text == "手机")
            .count();
        assert_eq!(phones, 3);
        let mut starts: Vec<_> = idx.hits().iter().map(|h| (h.start, h.end)).collect();
        let n = starts.len();
        starts.dedup();
        assert_eq!(starts.len(), n, "no duplicate hits");
    }
}
