//! Keywords grouped by the character at one of their ends, so that probing a text position
//! costs a few instructions.
//!
//! Two kinds of index: [`CharIndex`] groups all keywords by first character (for the
//! full-text search), [`DetectorIndex`] groups each detector's own keywords (for the context
//! of one value, which only cares about its detector's keywords: probing the shared groups
//! meant testing dozens of other detectors' keywords ending in `号` or `e` at every step).

use super::pack::{prefix4, suffix4};
use super::{KeywordEntry, Polarity};
use crate::detector::DetectorId;

/// One keyword in a group: four bytes at the indexed end (ASCII lowercased) and a mask,
/// compared in one step before the full comparison; the entry; and, in a
/// [`DetectorIndex`], its polarity for the detector.
#[derive(Clone, Copy, Debug)]
pub(super) struct Item {
    pub four: u32,
    pub mask: u32,
    pub entry: u32,
    pub polarity: Polarity,
}

/// Which end of a keyword an index is keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    First,
    Last,
}

/// The indexed character of a keyword (ASCII folded to lowercase) and its four-byte key, if
/// it is in the Basic Multilingual Plane (the only characters the walks probe).
fn key_of(text: &str, end: End) -> Option<(u32, u32, u32)> {
    let c = match end {
        End::First => text.chars().next()?,
        End::Last => text.chars().next_back()?,
    };
    let (four, mask) = match end {
        End::First => prefix4(text.as_bytes()),
        End::Last => suffix4(text.as_bytes()),
    };
    (u32::from(c) < 0x10000).then(|| (u32::from(c.to_ascii_lowercase()), four, mask))
}

/// All keywords grouped by first character.
#[derive(Clone, Debug)]
pub(super) struct CharIndex {
    /// Bit `cp` is set when a keyword begins with code point `cp`: an 8 KiB filter that
    /// stays in the L1 cache, checked before `slot`.
    bits: Vec<u64>,
    /// For each code point below U+10000: 0, or 1 + the index of its group.
    slot: Vec<u16>,
    /// Keyword groups: ranges of `items`.
    groups: Vec<(u32, u32)>,
    /// Entries of each group, longest first.
    items: Vec<Item>,
    /// Bit `b` is set for the ASCII letters `b` (either case) that begin a keyword.
    pub ascii: ByteSet,
}

impl CharIndex {
    pub fn new(entries: &[KeywordEntry]) -> CharIndex {
        let mut keyed: Vec<(u32, u32, u32, u32)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let (cp, four, mask) = key_of(&e.text, End::First)?;
                Some((cp, four, mask, i as u32))
            })
            .collect();
        // Stable: equal lengths keep the order of the entries.
        keyed.sort_by_key(|&(cp, _, _, i)| (cp, std::cmp::Reverse(entries[i as usize].text.len())));
        let mut index = CharIndex {
            bits: vec![0u64; 0x10000 / 64],
            slot: vec![0u16; 0x10000],
            groups: Vec::new(),
            items: Vec::with_capacity(keyed.len()),
            ascii: ByteSet::default(),
        };
        for (k, &(cp, four, mask, entry)) in keyed.iter().enumerate() {
            index.ascii.add_ascii(cp);
            if k == 0 || keyed[k - 1].0 != cp {
                let at = index.items.len() as u32;
                index.groups.push((at, at));
                index.slot[cp as usize] = index.groups.len() as u16;
                index.bits[cp as usize >> 6] |= 1 << (cp & 63);
            }
            index.items.push(Item {
                four,
                mask,
                entry,
                polarity: Polarity::Positive,
            });
            if let Some(g) = index.groups.last_mut() {
                g.1 = index.items.len() as u32;
            }
        }
        index
    }

    /// The entries beginning with `cp`.
    #[inline(always)]
    pub fn group(&self, cp: u32) -> &[Item] {
        let cp = cp as usize & 0xFFFF;
        if self.bits[cp >> 6] & (1 << (cp & 63)) == 0 {
            return &[];
        }
        match self.slot[cp] {
            0 => &[],
            g => {
                let (lo, hi) = self.groups[usize::from(g - 1)];
                &self.items[lo as usize..hi as usize]
            }
        }
    }
}

/// Whether the ASCII byte `b` is in the set `bits` (a table lookup: shifting a `u128` by a
/// variable amount costs several instructions, and this runs for every ASCII byte of a text
/// when names and addresses are on).
#[inline(always)]
pub(super) fn has_ascii(bits: ByteSet, b: u8) -> bool {
    bits.contains(b & 0x7F)
}

/// A set of byte values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct ByteSet([u64; 4]);

impl ByteSet {
    #[inline(always)]
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] >> (b & 63) & 1 != 0
    }

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    /// Adds both cases of `cp` if it is an ASCII letter or digit (the only ASCII characters
    /// the walks probe).
    fn add_ascii(&mut self, cp: u32) {
        if let Ok(b) = u8::try_from(cp)
            && b.is_ascii_alphanumeric()
        {
            self.insert(b.to_ascii_lowercase());
            self.insert(b.to_ascii_uppercase());
        }
    }

    /// Adds the byte at the `end` of the UTF-8 encoding of `c` (a keyword's indexed
    /// character, ASCII folded to lowercase). ASCII counts only as a letter or digit, in
    /// either case, as in [`ByteSet::add_ascii`].
    fn add_edge(&mut self, c: char, end: End) {
        if c.is_ascii() {
            self.add_ascii(u32::from(c));
            return;
        }
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        self.insert(match end {
            End::First => bytes[0],
            End::Last => bytes[bytes.len() - 1],
        });
    }
}

/// Bits of each detector's character filter.
const FILTER_LOG: u32 = 10;

/// Each detector's keywords grouped by the character at one end: a small per-detector filter
/// of hashed characters rejects almost every probe, and a hash table keyed by (detector,
/// character) gives the group.
#[derive(Clone, Debug)]
pub(super) struct DetectorIndex {
    /// Per detector: bit `filter_bit(cp)` is set when one of its keywords has `cp` at the
    /// indexed end (128 bytes per detector).
    filters: Vec<[u64; 1 << (FILTER_LOG - 6)]>,
    /// Per detector: the ASCII letters and digits (either case) at the indexed end of one of
    /// its keywords, so that ASCII text is walked with one bit test per byte.
    ascii: Vec<ByteSet>,
    /// Per detector: the bytes that may stand at the indexed end of one of its keywords (its
    /// ASCII letters and digits in either case, and the byte at that end of its other
    /// characters), so that a walk rejects most bytes of Han text with one bit test too.
    edge_bytes: Vec<ByteSet>,
    /// Open addressing, linear probing: (key, start, end of the group in `items`); key 0 is
    /// an empty slot.
    slots: Vec<(u64, u32, u32)>,
    shift: u32,
    /// Groups, each longest first (equal lengths in entry order).
    items: Vec<Item>,
}

#[inline(always)]
fn filter_bit(cp: u32) -> usize {
    (cp.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_LOG)) as usize
}

/// The table key of (detector, character); never 0.
#[inline(always)]
fn table_key(detector: DetectorId, cp: u32) -> u64 {
    (u64::from(cp) << 16 | u64::from(detector.0)) + 1
}

impl DetectorIndex {
    /// Indexes the keywords of each of `detectors` detectors by `end`. Keyed by the last
    /// character, a keyword counts with its first polarity for the detector; keyed by the
    /// first, only positive keywords are indexed (context after a value is positive only).
    pub fn new(entries: &[KeywordEntry], detectors: usize, end: End) -> DetectorIndex {
        // (detector, cp, length, entry, four, mask, polarity)
        let mut keyed = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let Some((cp, four, mask)) = key_of(&e.text, end) else {
                continue;
            };
            for (k, &(d, pol)) in e.targets.iter().enumerate() {
                let first_for_d = e.targets[..k].iter().all(|&(d2, _)| d2 != d);
                let wanted = match end {
                    End::Last => first_for_d,
                    End::First => {
                        pol == Polarity::Positive
                            && e.targets[..k]
                                .iter()
                                .all(|&(d2, p2)| d2 != d || p2 != Polarity::Positive)
                    }
                };
                if wanted {
                    let item = Item {
                        four,
                        mask,
                        entry: i as u32,
                        polarity: pol,
                    };
                    keyed.push((d, cp, std::cmp::Reverse(e.text.len()), i, item));
                }
            }
        }
        keyed.sort_by_key(|&(d, cp, len, i, _)| (d, cp, len, i));
        let cap = (keyed.len() * 2).next_power_of_two().max(16);
        let mut index = DetectorIndex {
            filters: vec![[0; 1 << (FILTER_LOG - 6)]; detectors],
            ascii: vec![ByteSet::default(); detectors],
            edge_bytes: vec![ByteSet::default(); detectors],
            slots: vec![(0, 0, 0); cap],
            shift: 64 - cap.trailing_zeros(),
            items: Vec::with_capacity(keyed.len()),
        };
        let mut k = 0;
        while k < keyed.len() {
            let (d, cp, ..) = keyed[k];
            let lo = index.items.len() as u32;
            while k < keyed.len() && keyed[k].0 == d && keyed[k].1 == cp {
                index.items.push(keyed[k].4);
                k += 1;
            }
            let hi = index.items.len() as u32;
            if let Some(a) = index.ascii.get_mut(d.index()) {
                a.add_ascii(cp);
            }
            if let (Some(set), Some(c)) = (index.edge_bytes.get_mut(d.index()), char::from_u32(cp))
            {
                set.add_edge(c, end);
            }
            if let Some(f) = index.filters.get_mut(d.index()) {
                let bit = filter_bit(cp);
                f[bit >> 6] |= 1 << (bit & 63);
            }
            let key = table_key(d, cp);
            let mut s = index.slot(key);
            while index.slots[s].0 != 0 {
                s = (s + 1) & (cap - 1);
            }
            index.slots[s] = (key, lo, hi);
        }
        index
    }

    #[inline(always)]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The ASCII letters and digits at the indexed end of `detector`'s keywords.
    #[inline(always)]
    pub fn ascii(&self, detector: DetectorId) -> ByteSet {
        self.ascii
            .get(detector.index())
            .copied()
            .unwrap_or_default()
    }

    /// The bytes that may stand at the indexed end of `detector`'s keywords.
    #[inline(always)]
    pub fn edge_bytes(&self, detector: DetectorId) -> ByteSet {
        self.edge_bytes
            .get(detector.index())
            .copied()
            .unwrap_or_default()
    }

    /// Whether some keyword of `detector` may have `cp` at the indexed end (no false
    /// negatives).
    #[inline(always)]
    pub fn may_have(&self, detector: DetectorId, cp: u32) -> bool {
        let bit = filter_bit(cp);
        self.filters
            .get(detector.index())
            .is_some_and(|f| f[bit >> 6] & (1 << (bit & 63)) != 0)
    }

    /// The keywords of `detector` with `cp` at the indexed end, longest first.
    #[inline]
    pub fn group(&self, detector: DetectorId, cp: u32) -> &[Item] {
        if !self.may_have(detector, cp) {
            return &[];
        }
        let key = table_key(detector, cp);
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        loop {
            match self.slots[s] {
                (0, _, _) => return &[],
                (k, lo, hi) if k == key => return &self.items[lo as usize..hi as usize],
                _ => s = (s + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_bytes_hold_the_indexed_end_of_each_keyword() {
        let mut last = ByteSet::default();
        last.add_edge('号', End::Last);
        last.add_edge('d', End::Last);
        last.add_edge(':', End::Last);
        // `号` is E5 8F B7: only its last byte.
        assert!(last.contains(0xB7));
        assert!(!last.contains(0xE5) && !last.contains(0x8F));
        assert!(last.contains(b'd') && last.contains(b'D'));
        assert!(
            !last.contains(b':'),
            "ASCII counts only as a letter or digit"
        );
        let mut first = ByteSet::default();
        first.add_edge('号', End::First);
        assert!(first.contains(0xE5) && !first.contains(0xB7));
    }
}
