//! Numbers written in groups: `138 1234 5678`, `138-1234-5678`, `6222 0212 3456 7890`,
//! `010-62345678-123`, `110105 19491231 002X`.

use super::Scanner;
use crate::detector::Builtin;
use crate::finding::{Check, Checks, Confidence, Note};
use crate::validate::landline;

/// At most this many groups are read.
const MAX_GROUPS: usize = 6;

impl Scanner<'_> {
    /// Reads groups of digits separated by one consistent space or hyphen, starting with the
    /// run `s..e`, and tries the readings from the longest down. Returns the end of the value
    /// found.
    pub(super) fn grouped(&mut self, s: usize, e: usize) -> Option<usize> {
        let t = self.text;
        let sep = t[e];
        let mut groups = [(0usize, 0usize); MAX_GROUPS];
        groups[0] = (s, e);
        let mut k = 1;
        let mut pos = e;
        let mut total = e - s;
        while k < MAX_GROUPS && self.at(pos) == sep && self.at(pos + 1).is_ascii_digit() {
            let gs = pos + 1;
            let mut ge = self.digits_end(gs);
            if matches!(self.at(ge), b'X' | b'x') {
                ge += 1;
            }
            if self.at(ge).is_ascii_alphanumeric() {
                break;
            }
            total += ge - gs;
            if total > 24 {
                break;
            }
            groups[k] = (gs, ge);
            k += 1;
            pos = ge;
            if !t[ge - 1].is_ascii_digit() {
                break; // a trailing X ends the number
            }
        }
        (2..=k)
            .rev()
            .find_map(|m| self.grouped_reading(&groups[..m], sep))
    }

    fn grouped_reading(&mut self, groups: &[(usize, usize)], sep: u8) -> Option<usize> {
        let start = groups[0].0;
        let end = groups[groups.len() - 1].1;
        if !self.ends_cleanly(end) {
            return None;
        }
        let mut lens = [0usize; MAX_GROUPS];
        let mut digits = [0u8; 24];
        let mut n = 0;
        for (i, &(gs, ge)) in groups.iter().enumerate() {
            lens[i] = ge - gs;
            for &b in &self.text[gs..ge] {
                digits[n] = b;
                n += 1;
            }
        }
        let lens = &lens[..groups.len()];
        let digits = &digits[..n];
        let has_x = !digits[n - 1].is_ascii_digit();

        if lens == [6, 8, 4] && self.resident_id_digits(start, end, digits) {
            return Some(end);
        }
        if has_x {
            return None;
        }
        if lens == [3, 4, 4] && self.mobile_digits(start, end, digits) {
            return Some(end);
        }
        if let Some(end) = self.grouped_landline(groups, sep) {
            return Some(end);
        }
        let card_shape = (16..=19).contains(&n)
            && (lens[..lens.len() - 1].iter().all(|&l| l == 4) && lens[lens.len() - 1] >= 2
                || (lens.len() == 2 && lens[0] == 6))
            || (n == 15 && lens == [4, 6, 5]);
        if card_shape && self.bank_card_digits(start, end, digits) {
            return Some(end);
        }
        None
    }

    /// A landline whose first group is the area code: `010-62345678`, `0755 2345 6789`,
    /// `021-6234-5678-123` (the last group an extension, hyphen only).
    fn grouped_landline(&mut self, groups: &[(usize, usize)], sep: u8) -> Option<usize> {
        let t = self.text;
        let (a0, a1) = groups[0];
        let area = &t[a0..a1];
        if !landline::is_area_code(area) {
            return None;
        }
        let g = |i: usize| &t[groups[i].0..groups[i].1];
        let local_ok = |local: &[u8]| landline::is_local_number(area, local);
        let end = match groups.len() {
            2 if local_ok(g(1)) => groups[1].1,
            3 if local_ok(g(1)) && sep == b'-' && (1..=6).contains(&g(2).len()) => groups[2].1,
            3 if matches!(g(1).len(), 3 | 4) && g(2).len() == 4 => {
                let mut local = g(1).to_vec();
                local.extend_from_slice(g(2));
                if !local_ok(&local) {
                    return None;
                }
                groups[2].1
            }
            _ => return None,
        };
        let end = self.extension(end);
        if !self.ends_cleanly(end) {
            return None;
        }
        let checks = Checks::of(&[Check::Format, Check::Structure]);
        self.emit(
            Builtin::Landline,
            a0,
            end,
            Confidence::Medium,
            checks,
            Note::None,
        );
        Some(end)
    }
}
