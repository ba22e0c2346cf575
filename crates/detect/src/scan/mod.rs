//! The single-pass identifier scanner.
//!
//! One loop walks the text once. Bytes ≥ 0x80 (Han text) are skipped eight at a time; each
//! maximal run of ASCII letters and digits is classified by its length, composition and
//! neighbouring bytes, and only then validated. `@`, `-----BEGIN` and `::` trigger e-mail, PEM
//! and IPv6 parsing. Boundaries are checked on bytes, so `卡号6222021234567890` and
//! `手机13812345678` are found (a Unicode `\b` sees no boundary between Han and digits, see
//! TRAPS.md), while `DD2024043094119655` (an order number glued to letters) is not.
//!
//! The scanner produces [`Candidate`]s; context, overlap resolution and positions are done by
//! the engine afterwards.

mod alnum;
mod digits;
mod grouped;
mod punct;
mod swar;
mod values;

use crate::detector::{Builtin, DetectorId};
use crate::finding::{Checks, Confidence, Note};
use crate::validate::CivilDate;
use crate::validate::bank_card::IssuerTable;
use crate::validate::mobile::SegmentTable;

/// A value the scanner believes in, before context and overlap resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub detector: DetectorId,
    pub start: usize,
    pub end: usize,
    pub confidence: Confidence,
    pub checks: Checks,
    pub note: Note,
    /// Keyword already attributed by the detector itself (Han detectors).
    pub keyword: Option<u32>,
    /// The detector already applied context; the engine must not adjust confidence again.
    pub context_done: bool,
}

/// Which built-in detectors are switched on, and their ids in the engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct Enabled {
    ids: [Option<DetectorId>; Builtin::ALL.len()],
}

impl Enabled {
    pub fn set(&mut self, b: Builtin, id: DetectorId) {
        self.ids[b as usize] = Some(id);
    }

    #[inline]
    pub fn get(&self, b: Builtin) -> Option<DetectorId> {
        self.ids[b as usize]
    }

    #[inline]
    pub fn on(&self, b: Builtin) -> bool {
        self.ids[b as usize].is_some()
    }
}

/// Lookup tables the scanner needs.
#[derive(Debug)]
pub(crate) struct Tables<'a> {
    pub segments: &'a SegmentTable,
    pub issuers: &'a IssuerTable,
    pub today: CivilDate,
}

/// One scan over one text.
pub(crate) struct Scanner<'a> {
    pub text: &'a [u8],
    pub on: &'a Enabled,
    pub tables: Tables<'a>,
    pub out: &'a mut Vec<Candidate>,
}

/// Byte classes for dispatch.
const SKIP: u8 = 0;
const ALNUM: u8 = 1;
const AT: u8 = 2;
const DASH: u8 = 3;
const COLON: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [SKIP; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = ALNUM;
        }
        b += 1;
    }
    t[b'@' as usize] = AT;
    t[b'-' as usize] = DASH;
    t[b':' as usize] = COLON;
    t
};

/// The first position at or after `i` whose byte is not [`SKIP`] in [`CLASS`] (or a backtick),
/// or `text.len()`. Eight bytes at a time: a word of Han text (every byte from 0x80) is
/// rejected with one test, others with a few more ([`swar::dispatch`]), instead of a
/// data-dependent branch per byte.
#[inline(always)]
fn next_dispatch(text: &[u8], mut i: usize) -> usize {
    // Values in records and logs are mostly one or two bytes apart (`,`, `=`, `": "`): look
    // at those bytes before loading words.
    for _ in 0..2 {
        match text.get(i) {
            Some(&b) if CLASS[usize::from(b)] == SKIP => i += 1,
            _ => return i,
        }
    }
    while i + 8 <= text.len() {
        let x = swar::load(text, i);
        if x & swar::HIGH != swar::HIGH {
            let m = swar::dispatch(x);
            if m != 0 {
                return i + (m.trailing_zeros() / 8) as usize;
            }
        }
        i += 8;
    }
    while i < text.len() && CLASS[usize::from(text[i])] == SKIP {
        i += 1;
    }
    i
}

impl Scanner<'_> {
    /// Scans the whole text.
    pub fn run(&mut self) {
        let text = self.text;
        let n = text.len();
        let mut i = 0;
        while i < n {
            i = next_dispatch(text, i);
            let Some(&b) = text.get(i) else { break };
            i = match CLASS[usize::from(b)] {
                ALNUM => self.token(i),
                AT => self.email(i),
                DASH => self.pem(i),
                COLON => self.ipv6_compressed(i),
                _ => i + 1,
            };
        }
    }

    /// Emits a candidate if the detector is on.
    #[inline]
    pub(crate) fn emit(
        &mut self,
        b: Builtin,
        start: usize,
        end: usize,
        confidence: Confidence,
        checks: Checks,
        note: Note,
    ) {
        if let Some(detector) = self.on.get(b) {
            self.out.push(Candidate {
                detector,
                start,
                end,
                confidence,
                checks,
                note,
                keyword: None,
                context_done: false,
            });
        }
    }

    /// The byte at `i`, or 0 past either end.
    #[inline]
    pub(crate) fn at(&self, i: usize) -> u8 {
        self.text.get(i).copied().unwrap_or(0)
    }

    /// The byte before `i`, or 0 at the start.
    #[inline]
    pub(crate) fn before(&self, i: usize) -> u8 {
        if i == 0 { 0 } else { self.text[i - 1] }
    }

    /// End of the run of ASCII digits starting at `i`.
    #[inline]
    pub(crate) fn digits_end(&self, mut i: usize) -> usize {
        while i < self.text.len() && self.text[i].is_ascii_digit() {
            i += 1;
        }
        i
    }

    /// Whether a value ending at `end` ends at a boundary: not followed by an ASCII letter or
    /// digit, nor by a decimal point and a digit.
    #[inline]
    pub(crate) fn ends_cleanly(&self, end: usize) -> bool {
        let n = self.at(end);
        !(n.is_ascii_alphanumeric() || (n == b'.' && self.at(end + 1).is_ascii_digit()))
    }

    /// The Han (three-byte) character ending just before `i`, if there is one.
    pub(crate) fn han_before(&self, i: usize) -> Option<char> {
        let b = self.text.get(i.checked_sub(3)?..i)?;
        if !(0xE0..=0xEF).contains(&b[0]) {
            return None;
        }
        std::str::from_utf8(b).ok()?.chars().next()
    }

    /// The Han (three-byte) character starting at `i`, if there is one.
    pub(crate) fn han_at(&self, i: usize) -> Option<char> {
        let b = self.text.get(i..i + 3)?;
        if !(0xE0..=0xEF).contains(&b[0]) {
            return None;
        }
        std::str::from_utf8(b).ok()?.chars().next()
    }
}

#[cfg(test)]
pub(crate) mod tests;
