//! Context keywords: one Aho-Corasick automaton over every detector's keywords, and a lazily
//! built index of where they occur in a text.
//!
//! The index is filled on demand as candidates ask for their context window, and each byte of
//! the text is searched at most once, so context costs nothing in text without candidates and
//! at most one extra automaton pass in the densest text.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use crate::detector::{DetectorId, DetectorInfo};

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
    ac: Option<AhoCorasick>,
    pub entries: Vec<KeywordEntry>,
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
    pub fn new(detectors: &[DetectorInfo]) -> Result<KeywordTable, aho_corasick::BuildError> {
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
        let ac = if entries.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(entries.iter().map(|e| e.text.as_bytes()))?,
            )
        };
        let max_len = entries.iter().map(|e| e.text.len()).max().unwrap_or(0);
        Ok(KeywordTable {
            ac,
            entries,
            max_len,
        })
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

    /// Makes sure every keyword lying entirely within `from..to` is in the index.
    /// Calls should come with non-decreasing `from`; a keyword starting before the `from` of
    /// the first call that covered its bytes is not found later.
    pub fn cover(&mut self, table: &KeywordTable, text: &[u8], from: usize, to: usize) {
        let Some(ac) = &table.ac else { return };
        let to = to.min(text.len());
        if to <= self.scanned_to {
            return;
        }
        let prev_end = self.scanned_to;
        let start = if from > prev_end {
            // A gap: nothing between the old end and `from` is needed; forget old hits so the
            // index stays small on long texts.
            self.hits.clear();
            from
        } else {
            from.max(prev_end.saturating_sub(table.max_len.saturating_sub(1)))
        };
        let old = self.hits.len();
        let input = Input::new(text).range(start..to);
        for m in ac.find_overlapping_iter(input) {
            // A hit ending at or before the old end was found by an earlier call.
            if m.end() <= prev_end {
                continue;
            }
            let entry = &table.entries[m.pattern().as_usize()];
            if table.accept(text, m.start(), m.end(), entry) {
                self.hits.push(KeywordHit {
                    start: m.start(),
                    end: m.end(),
                    entry: m.pattern().as_u32(),
                });
            }
        }
        self.hits[old..].sort_unstable_by_key(|h| (h.start, h.end));
        if old > 0 && self.hits.len() > old && self.hits[old].start < self.hits[old - 1].start {
            self.hits.sort_unstable_by_key(|h| (h.start, h.end));
        }
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
        let table = KeywordTable::new(&rules.detectors).unwrap();
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
