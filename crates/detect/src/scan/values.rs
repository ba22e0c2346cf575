//! Validating one value whose digits are known and emitting its candidate: shared by runs of
//! digits (`110105194912310021`), grouped numbers (`110105 19491231 0021`, `138-1234-5678`)
//! and numbers with a country code (`+86 138 1234 5678`), which differ only in how the
//! digits are collected.

use super::Scanner;
use crate::detector::Builtin;
use crate::finding::{Check, Checks, Confidence, Note};
use crate::validate::{luhn, mobile, resident_id};

impl Scanner<'_> {
    /// An 18-character resident ID with `digits` (separators removed) for the span `s..e`.
    /// Returns whether a candidate was emitted.
    pub(super) fn resident_id_digits(&mut self, s: usize, e: usize, digits: &[u8]) -> bool {
        let Ok(id) = resident_id::validate(digits, self.tables.today) else {
            return false;
        };
        let checks = Checks::of(&[Check::Format, Check::Checksum, Check::Date, Check::Division]);
        self.emit(
            Builtin::ResidentId,
            s,
            e,
            Confidence::Medium,
            checks,
            Note::Province(id.province),
        );
        self.on.on(Builtin::ResidentId)
    }

    /// An 11-digit mobile number with `national` digits (prefix and separators removed) for
    /// the span `s..e`: medium confidence in an allocated segment, low otherwise. Returns
    /// whether the shape matched.
    pub(super) fn mobile_digits(&mut self, s: usize, e: usize, national: &[u8]) -> bool {
        if !mobile::has_shape(national) {
            return false;
        }
        let (conf, checks, note) = match self.tables.segments.carrier(national) {
            Some(c) => (
                Confidence::Medium,
                Checks::of(&[Check::Format, Check::Segment]),
                Note::Carrier(c),
            ),
            None => (Confidence::Low, Checks::of(&[Check::Format]), Note::None),
        };
        self.emit(Builtin::Mobile, s, e, conf, checks, note);
        true
    }

    /// Validates card digits (separators already removed) for the span `s..e`. Returns
    /// whether they are a card number.
    pub(super) fn bank_card_digits(&mut self, s: usize, e: usize, digits: &[u8]) -> bool {
        // The issuer test is cheaper than Luhn and rejects most numbers.
        let Some(scheme) = self.tables.issuers.scheme(digits) else {
            return false;
        };
        if !luhn::is_valid(digits) {
            return false;
        }
        let checks = Checks::of(&[Check::Format, Check::Checksum, Check::Issuer]);
        self.emit(
            Builtin::BankCard,
            s,
            e,
            Confidence::Medium,
            checks,
            Note::CardScheme(scheme),
        );
        true
    }
}
