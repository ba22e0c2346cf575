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
    /// Bit `cp` is set when a keyword starts with code point `cp`: an 8 KiB filter that stays in
    /// the L1 cache, checked before the larger `slot` table.
    first: Vec<u64>,
    /// For each code point below U+10000 (ASCII folded to lowercase): 0, or 1 + the index of
    /// the group of keywords starting with it.
    slot: Vec<u16>,
    /// Keyword groups: ranges of `order`.
    groups: Vec<(u32, u32)>,
    /// Entries grouped by first character, each with its first four bytes (ASCII lowercased)
    /// and a mask, compared in one step before the full comparison.
    order: Vec<(u32, u32, u32)>,
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
        let mut by_first: Vec<(u32, u32)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let c = e.text.chars().next()?;
                (u32::from(c) < 0x10000).then(|| (u32::from(c.to_ascii_lowercase()), i as u32))
            })
            .collect();
        by_first.sort_by_key(|&(cp, i)| (cp, std::cmp::Reverse(entries[i as usize].text.len())));
        let mut slot = vec![0u16; 0x10000];
        let mut first = vec![0u64; 0x10000 / 64];
        let mut groups: Vec<(u32, u32)> = Vec::new();
        let mut order = Vec::with_capacity(by_first.len());
        for (k, &(cp, entry)) in by_first.iter().enumerate() {
            if k == 0 || by_first[k - 1].0 != cp {
                groups.push((order.len() as u32, order.len() as u32));
                slot[cp as usize] = groups.len() as u16;
                first[cp as usize >> 6] |= 1 << (cp & 63);
            }
            let (prefix, mask) = prefix4(entries[entry as usize].text.as_bytes());
            order.push((prefix, mask, entry));
            if let Some(g) = groups.last_mut() {
                g.1 = order.len() as u32;
            }
        }
        let max_len = entries.iter().map(|e| e.text.len()).max().unwrap_or(0);
        KeywordTable {
            entries,
            first,
            slot,
            groups,
            order,
            max_len,
        }
    }

    /// Calls `found(start, end, entry)` for every keyword occurrence starting in `from..to`
    /// (it may end after `to`). Hits already pass [`KeywordTable::accept`].
    fn find(&self, text: &[u8], from: usize, to: usize, mut found: impl FnMut(usize, usize, u32)) {
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
                    continue;
                }
                (u32::from(b0.to_ascii_lowercase()), 1)
            } else if b0 >= 0xE0 && b0 < 0xF0 && p + 2 < text.len() {
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
            let cp = cp as usize & 0xFFFF;
            if self.first[cp >> 6] & (1 << (cp & 63)) == 0 {
                p += len;
                continue;
            }
            let g = self.slot[cp];
            if g != 0 {
                let (lo, hi) = self.groups[usize::from(g - 1)];
                let here = prefix4(&text[p..(p + 4).min(text.len())]).0;
                for &(prefix, mask, entry) in &self.order[lo as usize..hi as usize] {
                    if here & mask != prefix {
                        continue;
                    }
                    let e = &self.entries[entry as usize];
                    let kw = e.text.as_bytes();
                    let end = p + kw.len();
                    if end <= text.len()
                        && text[p..end].eq_ignore_ascii_case(kw)
                        && self.accept(text, p, end, e)
                    {
                        found(p, end, entry);
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
    /// Hits sorted by start, deduplicated.
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
        let old = self.hits.len();
        let hits = &mut self.hits;
        table.find(text, start, to, |s, e, entry| {
            hits.push(KeywordHit {
                start: s,
                end: e,
                entry,
            })
        });
        // Hits come in start order; keep (start, end) order within one start.
        self.hits[old..].sort_unstable_by_key(|h| (h.start, h.end));
        self.scanned_to = to;
    }

    /// The nearest positive and negative keyword for `detector` around `start..end`:
    /// positives ending within `before` bytes before `start` or starting within `after` bytes
    /// after `end`; negatives only before. Returns (positive hit, negative hit nearer than it).
    pub fn context(
        &self,
        table: &KeywordTable,
        detector: DetectorId,
        start: usize,
        end: usize,
        before: usize,
        after: usize,
    ) -> Context {
        let lo = start.saturating_sub(before);
        let hi = end + after;
        // Sorted by start, and no keyword is longer than `max_len`.
        let first = self.hits.partition_point(|h| h.start + table.max_len <= lo);
        let mut best_pos: Option<(usize, KeywordHit)> = None;
        let mut best_neg: Option<(usize, KeywordHit)> = None;
        for h in &self.hits[first..] {
            if h.start >= hi {
                break;
            }
            if h.end <= lo {
                continue;
            }
            // Keywords inside the value itself (an e-mail containing "mail") do not count.
            let distance = if h.end <= start {
                start - h.end
            } else if h.start >= end {
                h.start - end
            } else {
                continue;
            };
            for &(d, pol) in &table.entry(h).targets {
                if d != detector {
                    continue;
                }
                let slot = match pol {
                    Polarity::Positive => &mut best_pos,
                    Polarity::Negative if h.end <= start => &mut best_neg,
                    Polarity::Negative => continue,
                };
                if slot.is_none_or(|(bd, _)| distance < bd) {
                    *slot = Some((distance, *h));
                }
            }
        }
        match (best_pos, best_neg) {
            (_, Some((dn, n))) if best_pos.is_none_or(|(dp, _)| dn < dp) => Context::Negative(n),
            (Some((_, p)), _) => Context::Positive(p),
            _ => Context::None,
        }
    }

    /// Every hit found so far, sorted by start.
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
        let mut idx = KeywordIndex::default();
        idx.cover(
            &table,
            text.as_bytes(),
            start.saturating_sub(60),
            start + value.len() + 24,
        );
        idx.context(&table, d, start, start + value.len(), 60, 24)
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
