//! The context of one value: the nearest keyword of its detector before it, or failing that
//! a positive keyword right after it.

use super::pack::{suffix4, suffix4_at};
use super::{KeywordHit, KeywordTable, Polarity};
use crate::detector::DetectorId;

/// Where [`KeywordTable::context`] may look: keywords ending in `lo..=start` before the value,
/// starting in `end..hi` after it, and the start of the next value (`usize::MAX` if none).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ContextWindow {
    pub lo: usize,
    pub hi: usize,
    pub next_value: usize,
}

/// The verdict of the context window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    None,
    Positive(KeywordHit),
    Negative(KeywordHit),
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

impl KeywordTable {
    /// The context of a value at `start..end` for `detector`: the nearest keyword of the
    /// detector ending in `lo..=start` decides (a look-alike marker such as 订单号 makes it
    /// [`Context::Negative`]); failing that, a positive keyword starting in `end..hi` — unless
    /// the next value (starting at `next_value`) follows that keyword directly, which makes
    /// it the next value's label (`…客户620102…，卡号6222…`).
    ///
    /// The search walks backwards from the value one character at a time and stops at the
    /// first keyword for the detector, so a label right before the value (the usual case)
    /// costs a few probes. Only the detector's own keywords are probed.
    pub fn context(
        &self,
        text: &[u8],
        detector: DetectorId,
        start: usize,
        end: usize,
        window: ContextWindow,
    ) -> Context {
        let ContextWindow { lo, hi, next_value } = window;
        if let Some(found) = self.context_before(text, detector, lo, start) {
            return found;
        }
        let mut found = Context::None;
        self.find_in(
            text,
            end,
            hi,
            self.context_after.ascii(detector),
            |cp| self.context_after.group(detector, cp),
            |s, e, entry| {
                // Every keyword of this index is a positive one of the detector.
                let label_here = skip_label_separators(text, e) < next_value;
                if label_here {
                    found = Context::Positive(KeywordHit {
                        start: s,
                        end: e,
                        entry,
                    });
                }
                label_here
            },
        );
        found
    }

    /// The keyword of `detector` ending nearest before `start` and at or after `lo`.
    #[inline]
    fn context_before(
        &self,
        text: &[u8],
        detector: DetectorId,
        lo: usize,
        start: usize,
    ) -> Option<Context> {
        let last_bytes = self.context_before.edge_bytes(detector);
        let mut q = start;
        while q > lo {
            let b = text[q - 1];
            if !last_bytes.contains(b) {
                // No keyword of the detector ends with this byte: most bytes of the walk,
                // inside Han characters too. Stepping one byte at a time still probes only
                // character ends below: a middle byte fails the lead-byte test.
                q -= 1;
                continue;
            }
            let (cp, width) = if b < 0x80 {
                // An ASCII keyword would end inside a word.
                if b.is_ascii_alphabetic() && text.get(q).is_some_and(u8::is_ascii_lowercase) {
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
            let group = self.context_before.group(detector, cp);
            if !group.is_empty() {
                let here = if q >= 4 {
                    suffix4_at(text, q)
                } else {
                    suffix4(&text[..q]).0
                };
                for item in group {
                    if here & item.mask != item.four {
                        continue;
                    }
                    let e = &self.entries[item.entry as usize];
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
                        entry: item.entry,
                    };
                    return Some(match item.polarity {
                        Polarity::Positive => Context::Positive(hit),
                        Polarity::Negative => Context::Negative(hit),
                    });
                }
            }
            q -= width;
        }
        None
    }
}
