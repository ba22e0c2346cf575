//! Context keywords: every detector's keywords in one table, and a lazily built index of
//! where they occur in a text.
//!
//! The index is filled on demand as candidates ask for their context window, and each
//! position of the text is probed at most once, so context costs nothing in text without
//! candidates. Matching is purpose-built rather than an Aho-Corasick automaton (which ran at
//! about 330 MB/s on dense Chinese text here): only character starts are probed (ASCII letters
//! only at word starts), a 64 Ki-bit map of keyword first characters rejects almost every
//! probe, and the few survivors compare bytes.

use crate::detector::{DetectorId, DetectorInfo};

/// The first four bytes of `b` (ASCII letters lowercased) packed little-endian, and a mask
/// covering the bytes present.
#[inline]
fn prefix4(b: &[u8]) -> (u32, u32) {
    let mut v = 0u32;
    let mut mask = 0u32;
    for (i, &x) in b.iter().take(4).enumerate() {
        v |= u32::from(x.to_ascii_lowercase()) << (8 * i);
        mask |= 0xFF << (8 * i);
    }
    (v, mask)
}

/// The last four bytes of `b` (ASCII letters lowercased) packed so that the last byte is the
/// most significant, and a mask covering the bytes present: keys of keywords of different
/// lengths line up at their ends.
#[inline]
fn suffix4(b: &[u8]) -> (u32, u32) {
    let mut v = 0u32;
    let mut mask = 0u32;
    for (i, &x) in b.iter().rev().take(4).enumerate() {
        v |= u32::from(x.to_ascii_lowercase()) << (24 - 8 * i);
        mask |= 0xFF << (24 - 8 * i);
    }
    (v, mask)
}

/// The four bytes ending at `q` as [`suffix4`] packs them (last byte most significant, ASCII
/// lowercased), with one load and no per-byte loop. Needs `q >= 4`.
#[inline(always)]
fn suffix4_at(text: &[u8], q: usize) -> u32 {
    lowercase_ascii4(u32::from_le_bytes([
        text[q - 4],
        text[q - 3],
        text[q - 2],
        text[q - 1],
    ]))
}

/// The four bytes starting at `p` as [`prefix4`] packs them, with one load. Needs
/// `p + 4 <= text.len()`.
#[inline(always)]
fn prefix4_at(text: &[u8], p: usize) -> u32 {
    lowercase_ascii4(u32::from_le_bytes([
        text[p],
        text[p + 1],
        text[p + 2],
        text[p + 3],
    ]))
}

/// Lowercases the ASCII letters among four packed bytes, leaving other bytes alone.
#[inline(always)]
fn lowercase_ascii4(x: u32) -> u32 {
    let low7 = x & 0x7f7f_7f7f;
    let at_least_a = low7 + 0x3f3f_3f3f; // bit 7 set where the byte is >= 'A'
    let beyond_z = low7 + 0x2525_2525; // bit 7 set where the byte is > 'Z'
    let upper = at_least_a & !beyond_z & !x & 0x8080_8080;
    x | (upper >> 2)
}

/// Where [`KeywordTable::context`] may look: keywords ending in `lo..=start` before the value,
/// starting in `end..hi` after it, and the start of the next value (`usize::MAX` if none).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ContextWindow {
    pub lo: usize,
    pub hi: usize,
    pub next_value: usize,
}

/// The first position at or after `i` that is not a separator between a label and its value
/// (spaces, `:`, `=`, quotes, `：`).
fn skip_label_separators(text: &[u8], mut i: usize) -> usize {
    loop {
        match text.get(i) {
            Some(b' ' | b'\t' | b':' | b'=' | b'"' | b'\'') => i += 1,
            Some(0xEF) if text.get(i..i + 3) == Some("：".as_bytes()) => i += 3,
            _ => return i,
        }
    }
}

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

/// Keywords grouped by one of their characters (the first, or the last), for probing a text
/// position in a few instructions.
#[derive(Clone, Debug)]
struct CharIndex {
    /// Bit `cp` is set when a keyword has code point `cp` (ASCII folded to lowercase) at the
    /// indexed end: an 8 KiB filter that stays in the L1 cache, checked before `slot`.
    bits: Vec<u64>,
    /// For each code point below U+10000: 0, or 1 + the index of its group.
    slot: Vec<u16>,
    /// Keyword groups: ranges of `order`.
    groups: Vec<(u32, u32)>,
    /// Entries of each group, longest first, with four bytes at the indexed end (ASCII
    /// lowercased) and a mask, compared in one step before the full comparison.
    order: Vec<(u32, u32, u32)>,
}

impl CharIndex {
    /// Indexes `entries` by their first (`last == false`) or last character.
    fn new(entries: &[KeywordEntry], last: bool) -> CharIndex {
        let mut keyed: Vec<(u32, u32)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let c = if last {
                    e.text.chars().next_back()?
                } else {
                    e.text.chars().next()?
                };
                (u32::from(c) < 0x10000).then(|| (u32::from(c.to_ascii_lowercase()), i as u32))
            })
            .collect();
        keyed.sort_by_key(|&(cp, i)| (cp, std::cmp::Reverse(entries[i as usize].text.len())));
        let mut index = CharIndex {
            bits: vec![0u64; 0x10000 / 64],
            slot: vec![0u16; 0x10000],
            groups: Vec::new(),
            order: Vec::with_capacity(keyed.len()),
        };
        for (k, &(cp, entry)) in keyed.iter().enumerate() {
            if k == 0 || keyed[k - 1].0 != cp {
                let at = index.order.len() as u32;
                index.groups.push((at, at));
                index.slot[cp as usize] = index.groups.len() as u16;
                index.bits[cp as usize >> 6] |= 1 << (cp & 63);
            }
            let kw = entries[entry as usize].text.as_bytes();
            let (four, mask) = if last { suffix4(kw) } else { prefix4(kw) };
            index.order.push((four, mask, entry));
            if let Some(g) = index.groups.last_mut() {
                g.1 = index.order.len() as u32;
            }
        }
        index
    }

    /// The entries whose indexed character is `cp`, with their four-byte keys.
    #[inline(always)]
    fn group(&self, cp: u32) -> &[(u32, u32, u32)] {
        let cp = cp as usize & 0xFFFF;
        if self.bits[cp >> 6] & (1 << (cp & 63)) == 0 {
            return &[];
        }
        match self.slot[cp] {
            0 => &[],
            g => {
                let (lo, hi) = self.groups[usize::from(g - 1)];
                &self.order[lo as usize..hi as usize]
            }
        }
    }
}

/// All keywords of all detectors, compiled once per engine.
#[derive(Clone, Debug)]
pub(crate) struct KeywordTable {
    pub entries: Vec<KeywordEntry>,
    by_first: CharIndex,
    by_last: CharIndex,
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
            by_first: CharIndex::new(&entries, false),
            by_last: CharIndex::new(&entries, true),
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
            let group = self.by_first.group(cp);
            if !group.is_empty() {
                let here = if p + 4 <= text.len() {
                    prefix4_at(text, p)
                } else {
                    prefix4(&text[p..]).0
                };
                for &(prefix, mask, entry) in group {
                    if here & mask != prefix {
                        continue;
                    }
                    let e = &self.entries[entry as usize];
                    let kw = e.text.as_bytes();
                    let end = p + kw.len();
                    if end <= text.len()
                        && text[p..end].eq_ignore_ascii_case(kw)
                        && self.accept(text, p, end, e)
                        && found(p, end, entry)
                    {
                        return;
                    }
                }
            }
            p += len;
        }
    }

    /// The context of a value at `start..end` for `detector`: the nearest keyword of the
    /// detector ending in `lo..=start` decides (a look-alike marker such as 订单号 makes it
    /// [`Context::Negative`]); failing that, a positive keyword starting in `end..hi` — unless
    /// the next value (starting at `next_value`) follows that keyword directly, which makes
    /// it the next value's label (`…客户620102…，卡号6222…`).
    ///
    /// The search walks backwards from the value one character at a time and stops at the
    /// first keyword for the detector, so a label right before the value (the usual case)
    /// costs a few probes.
    pub fn context(
        &self,
        text: &[u8],
        detector: DetectorId,
        start: usize,
        end: usize,
        window: ContextWindow,
    ) -> Context {
        let ContextWindow { lo, hi, next_value } = window;
        let mut q = start;
        while q > lo {
            let b = text[q - 1];
            let (cp, width) = if b < 0x80 {
                // An ASCII keyword ends at the end of a word.
                if !b.is_ascii_alphanumeric()
                    || (b.is_ascii_alphabetic() && text.get(q).is_some_and(u8::is_ascii_lowercase))
                {
                    q -= 1;
                    continue;
                }
                (u32::from(b.to_ascii_lowercase()), 1)
            } else if q >= 3 && (0xE0..0xF0).contains(&text[q - 3]) {
                let cp = (u32::from(text[q - 3] & 0x0F) << 12)
                    | (u32::from(text[q - 2] & 0x3F) << 6)
                    | u32::from(b & 0x3F);
                (cp, 3)
            } else {
                // Other widths: step back to the previous character boundary.
                q -= 1;
                while q > lo && (text[q] as i8) < -0x40 {
                    q -= 1;
                }
                continue;
            };
            let group = self.by_last.group(cp);
            if !group.is_empty() {
                let here = if q >= 4 {
                    suffix4_at(text, q)
                } else {
                    suffix4(&text[..q]).0
                };
                for &(four, mask, entry) in group {
                    if here & mask != four {
                        continue;
                    }
                    let e = &self.entries[entry as usize];
                    let kw = e.text.as_bytes();
                    let Some(ks) = q.checked_sub(kw.len()) else {
                        continue;
                    };
                    if !text[ks..q].eq_ignore_ascii_case(kw) || !self.accept(text, ks, q, e) {
                        continue;
                    }
                    let hit = KeywordHit {
                        start: ks,
                        end: q,
                        entry,
                    };
                    for &(d, pol) in &e.targets {
                        if d == detector {
                            return match pol {
                                Polarity::Positive => Context::Positive(hit),
                                Polarity::Negative => Context::Negative(hit),
                            };
                        }
                    }
                }
            }
            q -= width;
        }
        let mut found = Context::None;
        self.find(text, end, hi, |s, e, entry| {
            let positive = self.entries[entry as usize]
                .targets
                .iter()
                .any(|&(d, pol)| d == detector && pol == Polarity::Positive)
                && skip_label_separators(text, e) < next_value;
            if positive {
                found = Context::Positive(KeywordHit {
                    start: s,
                    end: e,
                    entry,
                });
            }
            positive
        });
        found
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

/// The verdict of the context window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    None,
    Positive(KeywordHit),
    Negative(KeywordHit),
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
    fn suffix_keys_agree() {
        let text = "aB身份Z9x证-ID".as_bytes();
        for q in 4..=text.len() {
            let (slow, _) = suffix4(&text[q - 4..q]);
            assert_eq!(suffix4_at(text, q), slow, "{q}");
            assert_eq!(prefix4_at(text, q - 4), prefix4(&text[q - 4..q]).0, "{q}");
        }
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
