//! Runs mixing letters and digits: IDs ending in X, credit codes, travel documents,
//! organisation codes, vehicle plates, access-key ids, JWTs and password assignments.

use super::Scanner;
use crate::detector::Builtin;
use crate::finding::{Check, Checks, Confidence, Note, SecretKind};
use crate::validate::{org_code, secret, travel_document, vehicle_plate};

impl Scanner<'_> {
    /// Handles the run `s..e` of letters and digits, with at least one letter.
    pub(super) fn mixed_run(&mut self, s: usize, e: usize) -> usize {
        let len = e - s;
        let next = self.at(e);
        let tok = &self.text[s..e];
        if !self.letters_may_matter(tok, next) && !tok.iter().any(u8::is_ascii_digit) {
            // Most tokens of log text are plain words: nothing below can match them.
            return e;
        }

        if len <= 4
            && next == b':'
            && self.before(s) != b':'
            && tok.iter().all(u8::is_ascii_hexdigit)
            && let Some(end) = self.hex_colon(s)
        {
            return end;
        }
        if len == 2
            && next == b'-'
            && tok.iter().all(u8::is_ascii_hexdigit)
            && let Some(end) = self.mac_at(s)
        {
            return end;
        }
        if len == 4
            && next == b'.'
            && tok.iter().all(u8::is_ascii_hexdigit)
            && let Some(end) = self.mac_at(s)
        {
            return end;
        }
        if self.on.on(Builtin::Secret) {
            if (3..=17).contains(&len)
                && secret::is_password_key(tok)
                && let Some(end) = self.password_value(e)
            {
                return end;
            }
            if len >= 10
                && tok.starts_with(b"eyJ")
                && let Some(end) = self.jwt(s)
            {
                return end;
            }
            if len >= 16
                && let Some(kind) = secret::access_key_id(tok)
            {
                let checks = Checks::of(&[Check::Format, Check::KnownPrefix]);
                self.emit(
                    Builtin::Secret,
                    s,
                    e,
                    Confidence::Medium,
                    checks,
                    Note::Secret(kind),
                );
                return e;
            }
        }
        match len {
            18 => {
                if matches!(tok[17], b'X' | b'x') && tok[..17].iter().all(u8::is_ascii_digit) {
                    self.resident_id(s, e);
                }
                self.uscc(s, e);
            }
            9 | 11 => self.travel_document(s, e),
            _ => {}
        }
        if len == 9 || len == 8 {
            self.org_code(s, e);
        }
        if tok[0].is_ascii_uppercase()
            && let Some(end) = self.plate(s, e)
        {
            return end;
        }
        e
    }

    /// Whether a token of letters only can start anything: hex groups of MAC/IPv6 addresses,
    /// a credential key, a JWT or access-key id, a one-letter plate authority, an 18-letter
    /// credit code is impossible (it has digits), so few words qualify.
    fn letters_may_matter(&self, tok: &[u8], next: u8) -> bool {
        let len = tok.len();
        (len <= 4 && matches!(next, b':' | b'-' | b'.'))
            || (3..=17).contains(&len) && matches!(tok[0] | 0x20, b'p' | b's' | b'a' | b't' | b'c')
            || len >= 10
            || (len == 1 && tok[0].is_ascii_uppercase())
    }

    fn travel_document(&mut self, s: usize, e: usize) {
        let tok = &self.text[s..e];
        if let Some((kind, distinctive)) = travel_document::passport(tok) {
            let conf = if distinctive {
                Confidence::Medium
            } else {
                Confidence::Low
            };
            let checks = Checks::of(&[Check::Format]);
            self.emit(Builtin::Passport, s, e, conf, checks, Note::Document(kind));
        }
        if let Some(kind) = travel_document::hk_macau_permit(tok) {
            self.emit(
                Builtin::HkMacauPermit,
                s,
                e,
                Confidence::Low,
                Checks::of(&[Check::Format]),
                Note::Document(kind),
            );
        }
    }

    /// `XXXXXXXXC` (9) or `XXXXXXXX-C` (8, hyphen, 1). Context is required.
    pub(super) fn org_code(&mut self, s: usize, e: usize) {
        if !self.on.on(Builtin::OrgCode) {
            return;
        }
        let end = if e - s == 8
            && self.at(e) == b'-'
            && self.at(e + 1).is_ascii_alphanumeric()
            && !self.at(e + 2).is_ascii_alphanumeric()
        {
            e + 2
        } else if e - s == 9 {
            e
        } else {
            return;
        };
        if org_code::is_valid(&self.text[s..end]) {
            let checks = Checks::of(&[Check::Format, Check::Checksum]);
            self.emit(
                Builtin::OrgCode,
                s,
                end,
                Confidence::Medium,
                checks,
                Note::None,
            );
        }
    }

    /// A plate: a province character right before the run, then the authority letter and the
    /// serial, optionally with `·`, a space or a hyphen after the letter, and a 挂学警港澳
    /// character at the end.
    fn plate(&mut self, s: usize, e: usize) -> Option<usize> {
        if !self.on.on(Builtin::VehiclePlate) {
            return None;
        }
        let province = self.han_before(s)?;
        if !vehicle_plate::is_province_char(province) {
            return None;
        }
        let t = self.text;
        let mut ascii = [0u8; 8];
        let mut n = 0;
        let mut end = e;
        if e - s == 1 {
            // `京A·12345`, `京A 12345`, `京A-12345`
            let sep_len = if t.get(e..e + 2) == Some("·".as_bytes()) {
                2
            } else if matches!(self.at(e), b' ' | b'-') {
                1
            } else if t.get(e..e + 3) == Some("•".as_bytes()) {
                3
            } else {
                return None;
            };
            let r = e + sep_len;
            let mut r_end = r;
            while r_end < t.len() && t[r_end].is_ascii_alphanumeric() {
                r_end += 1;
            }
            if !(4..=6).contains(&(r_end - r)) {
                return None;
            }
            ascii[0] = t[s];
            ascii[1..=r_end - r].copy_from_slice(&t[r..r_end]);
            n = 1 + r_end - r;
            end = r_end;
        } else {
            if e - s > 8 {
                return None;
            }
            ascii[..e - s].copy_from_slice(&t[s..e]);
            n += e - s;
        }
        let suffix = self.han_at(end).is_some_and(vehicle_plate::is_suffix_char);
        let new_energy = vehicle_plate::check(&ascii[..n], suffix)?;
        if suffix {
            end += 3;
        }
        let checks = Checks::of(&[Check::Format, Check::Dictionary, Check::Structure]);
        let note = if new_energy {
            Note::NewEnergyPlate
        } else {
            Note::None
        };
        self.emit(
            Builtin::VehiclePlate,
            s - 3,
            end,
            Confidence::Medium,
            checks,
            note,
        );
        Some(end)
    }

    /// A JWT starting at `s`: three base64url segments joined by dots.
    fn jwt(&mut self, s: usize) -> Option<usize> {
        let t = self.text;
        let mut p = s;
        let mut dots = 0;
        while p < t.len() && (secret::is_base64url(t[p]) || (t[p] == b'.' && dots < 2)) {
            dots += usize::from(t[p] == b'.');
            p += 1;
        }
        if !secret::is_jwt(&t[s..p]) {
            return None;
        }
        let checks = Checks::of(&[Check::Format, Check::KnownPrefix, Check::Structure]);
        self.emit(
            Builtin::Secret,
            s,
            p,
            Confidence::Medium,
            checks,
            Note::Secret(SecretKind::Jwt),
        );
        Some(p)
    }

    /// After a credential key ending at `e`: an optional closing quote, `=` or `:` (or `：`),
    /// an optional opening quote, and the value. The finding covers the value only.
    fn password_value(&mut self, e: usize) -> Option<usize> {
        let t = self.text;
        let mut p = e;
        if matches!(self.at(p), b'"' | b'\'') {
            p += 1;
        }
        p = self.skip_blanks(p);
        if matches!(self.at(p), b'=' | b':') {
            p += 1;
            if self.at(p) == b'=' {
                return None; // `==` is a comparison
            }
        } else if t.get(p..p + 3) == Some("：".as_bytes()) {
            p += 3;
        } else {
            return None;
        }
        p = self.skip_blanks(p);
        self.credential_value(p)
    }

    /// A value right after `密码：`, `口令=`, `密码是` … ending just before the run at `s`.
    pub(super) fn password_after_han_key(&mut self, s: usize) -> Option<usize> {
        // Fast exit for the common case: the byte before is none of ` `, `:`, `=` or the last
        // byte of `：` (0x9A), `是` (0xAF), `为` (0xBA).
        if !matches!(self.before(s), b' ' | b':' | b'=' | 0x9A | 0xAF | 0xBA) {
            return None;
        }
        let t = self.text;
        let mut p = s;
        while p > 0 && t[p - 1] == b' ' && s - p < 2 {
            p -= 1;
        }
        if p >= 1 && matches!(t[p - 1], b':' | b'=') {
            p -= 1;
        } else if p >= 3
            && matches!(
                &t[p - 3..p],
                b"\xEF\xBC\x9A" | b"\xE6\x98\xAF" | b"\xE4\xB8\xBA"
            )
        {
            // `：`, `是`, `为`
            p -= 3;
        } else {
            return None;
        }
        while p > 0 && t[p - 1] == b' ' {
            p -= 1;
        }
        let key = t.get(p.checked_sub(6)?..p)?;
        if !secret::PASSWORD_KEYS_ZH.iter().any(|k| k.as_bytes() == key) {
            return None;
        }
        self.credential_value(s)
    }

    /// Reads a credential value at `p`, quoted or bare, and emits it if it is not a
    /// placeholder.
    fn credential_value(&mut self, mut p: usize) -> Option<usize> {
        let t = self.text;
        let quote = match self.at(p) {
            q @ (b'"' | b'\'') => {
                p += 1;
                Some(q)
            }
            _ => None,
        };
        let vs = p;
        let limit = (vs + 257).min(t.len());
        let ve = match quote {
            Some(q) => vs + t[vs..limit].iter().position(|&b| b == q || b == b'\n')?,
            None => {
                let mut x = vs;
                while x < limit
                    && !matches!(
                        t[x],
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b','
                            | b';'
                            | b'&'
                            | b'"'
                            | b'\''
                            | b'<'
                            | b'>'
                            | b')'
                            | b']'
                            | b'}'
                    )
                    && t[x] < 0x80
                {
                    x += 1;
                }
                x
            }
        };
        if quote.is_some() && t.get(ve) != quote.as_ref() {
            return None;
        }
        if !secret::is_credential_value(&t[vs..ve]) {
            return None;
        }
        let checks = Checks::of(&[Check::Format, Check::Structure]);
        self.emit(
            Builtin::Secret,
            vs,
            ve,
            Confidence::Medium,
            checks,
            Note::Secret(SecretKind::PasswordAssignment),
        );
        Some(ve + usize::from(quote.is_some()))
    }

    fn skip_blanks(&self, mut p: usize) -> usize {
        let start = p;
        while matches!(self.at(p), b' ' | b'\t') && p - start < 4 {
            p += 1;
        }
        p
    }
}
