//! Values found from punctuation: e-mail (`@`), PEM private keys (`-----BEGIN`), IPv6 and
//! MAC addresses (`:`, `-`, `.` between hex groups).

use super::Scanner;
use crate::detector::Builtin;
use crate::finding::{Check, Checks, Confidence, Note, SecretKind};
use crate::validate::{email, network, secret};

/// A PEM block longer than this is not followed to its end.
const MAX_PEM: usize = 64 * 1024;

impl Scanner<'_> {
    /// An e-mail address around the `@` at `at`.
    pub(super) fn email(&mut self, at: usize) -> usize {
        if !self.on.on(Builtin::Email) {
            return at + 1;
        }
        let t = self.text;
        let mut s = at;
        while s > 0 && email::is_local_byte(t[s - 1]) && at - s <= 64 {
            s -= 1;
        }
        // Leading dots and hyphens are punctuation around the address, not part of it.
        while s < at && matches!(t[s], b'.' | b'-' | b'+') {
            s += 1;
        }
        let mut e = at + 1;
        while e < t.len() && email::is_domain_byte(t[e]) && e - at <= 254 {
            e += 1;
        }
        while e > at + 1 && matches!(t[e - 1], b'.' | b'-') {
            e -= 1;
        }
        if s == at
            || (s > 0 && email::is_local_byte(t[s - 1]) && !matches!(t[s - 1], b'.' | b'-' | b'+'))
        {
            return at + 1;
        }
        if email::is_local_part(&t[s..at]) && email::is_domain(&t[at + 1..e]) {
            let checks = Checks::of(&[Check::Format, Check::Structure]);
            self.emit(Builtin::Email, s, e, Confidence::Medium, checks, Note::None);
            return e;
        }
        at + 1
    }

    /// A PEM private key opening at the `-` at `i`.
    pub(super) fn pem(&mut self, i: usize) -> usize {
        const BEGIN: &[u8] = b"-----BEGIN ";
        let t = self.text;
        if !self.on.on(Builtin::Secret) || !t[i..].starts_with(BEGIN) {
            return i + 1;
        }
        let after = i + BEGIN.len();
        let Some(label) = secret::pem_private_key_label(&t[after..]) else {
            return i + 1;
        };
        let body = after + label;
        let limit = (i + MAX_PEM).min(t.len());
        let Some(rel) = memchr::memmem::find(&t[body..limit], b"-----END ") else {
            return i + 1;
        };
        let end_line = body + rel + 9;
        let Some(close) = memchr::memmem::find(&t[end_line..limit], b"-----") else {
            return i + 1;
        };
        let end = end_line + close + 5;
        let checks = Checks::of(&[Check::Format, Check::KnownPrefix, Check::Structure]);
        self.emit(
            Builtin::Secret,
            i,
            end,
            Confidence::Medium,
            checks,
            Note::Secret(SecretKind::PemPrivateKey),
        );
        end
    }

    /// An IPv6 address that starts with `::` at `i`.
    pub(super) fn ipv6_compressed(&mut self, i: usize) -> usize {
        let prev = self.before(i);
        if self.at(i + 1) != b':' || prev.is_ascii_hexdigit() || prev == b':' {
            return i + 1;
        }
        self.ipv6_token(i).unwrap_or(i + 1)
    }

    /// A hex group followed by `:` at `s`: a MAC address or an IPv6 address.
    pub(super) fn hex_colon(&mut self, s: usize) -> Option<usize> {
        if self.time_of_day(s).is_some() {
            return None;
        }
        if let Some(end) = self.mac_at(s) {
            return Some(end);
        }
        self.ipv6_token(s)
    }

    /// `9:05`, `15:46`, `15:46:56`, `15:46:56.123` starting at `s`: a time of day, not an
    /// address. Returns its end (after any fraction of a second).
    pub(super) fn time_of_day(&self, s: usize) -> Option<usize> {
        let h = self.digits_end(s);
        if !(1..=2).contains(&(h - s)) || self.at(h) != b':' {
            return None;
        }
        let m = self.digits_end(h + 1);
        if m - h - 1 != 2 {
            return None;
        }
        let mut end = m;
        if self.at(m) == b':' {
            let sec = self.digits_end(m + 1);
            if sec - m - 1 != 2 {
                return None;
            }
            end = sec;
            if self.at(end) == b'.' && self.at(end + 1).is_ascii_digit() {
                end = self.digits_end(end + 1);
            }
        }
        (!self.at(end).is_ascii_hexdigit() && self.at(end) != b':').then_some(end)
    }

    fn ipv6_token(&mut self, s: usize) -> Option<usize> {
        if !self.on.on(Builtin::Ipv6) {
            return None;
        }
        let t = self.text;
        let mut e = s;
        let mut colons = 0;
        while e < t.len()
            && (t[e].is_ascii_hexdigit() || t[e] == b':' || t[e] == b'.')
            && e - s < 46
        {
            colons += usize::from(t[e] == b':');
            e += 1;
        }
        // A trailing dot or colon is punctuation (`… at fe80::1.`).
        while e > s && t[e - 1] == b'.' {
            e -= 1;
        }
        if !self.ends_cleanly(e) || colons < 2 {
            return None;
        }
        let tok = &t[s..e];
        let compressed = tok.windows(2).any(|w| w == b"::");
        if !(compressed || colons == 7) || tok.iter().filter(|b| b.is_ascii_hexdigit()).count() == 0
        {
            return None;
        }
        let ip = network::parse_ipv6(tok)?;
        let note = if network::ipv6_is_private(ip) {
            Note::PrivateAddress
        } else {
            Note::PublicAddress
        };
        let checks = Checks::of(&[Check::Format, Check::Range]);
        self.emit(Builtin::Ipv6, s, e, Confidence::Medium, checks, note);
        Some(e)
    }

    /// A MAC address at `s` in any of its three spellings.
    pub(super) fn mac_at(&mut self, s: usize) -> Option<usize> {
        if !self.on.on(Builtin::MacAddress) || self.before(s).is_ascii_hexdigit() {
            return None;
        }
        // Cheap shape test before parsing: `xx:xx:…` or `xxxx.xxxx.xxxx`.
        let colon_form = matches!(self.at(s + 2), b':' | b'-') && self.at(s + 5) == self.at(s + 2);
        let dot_form = self.at(s + 4) == b'.' && self.at(s + 9) == b'.';
        if !colon_form && !dot_form {
            return None;
        }
        for len in [17, 14] {
            let e = s + len;
            if e > self.text.len() || !self.ends_cleanly(e) || matches!(self.at(e), b':' | b'-') {
                continue;
            }
            if network::parse_mac(&self.text[s..e]).is_some() {
                let checks = Checks::of(&[Check::Format, Check::Range]);
                self.emit(
                    Builtin::MacAddress,
                    s,
                    e,
                    Confidence::Medium,
                    checks,
                    Note::None,
                );
                return Some(e);
            }
        }
        None
    }
}
