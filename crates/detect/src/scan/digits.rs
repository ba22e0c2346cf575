//! Runs of ASCII digits: resident IDs, phones, bank cards, device ids, postal codes, dates,
//! IPv4 addresses and coordinates.

use super::{Scanner, swar};
use crate::detector::Builtin;
use crate::finding::{Check, Checks, Confidence, Note};
use crate::validate::{
    CivilDate, device, geo, landline, network, postal_code, resident_id, travel_document, uscc,
};

const FMT: Checks = Checks(1 << Check::Format as u32);

impl Scanner<'_> {
    /// Handles the alphanumeric run starting at `s`; returns where scanning resumes.
    pub(super) fn token(&mut self, s: usize) -> usize {
        let (e, letters) = run_end(self.text, s);
        if self.on.on(Builtin::Secret)
            && let Some(end) = self.password_after_han_key(s)
        {
            return end;
        }
        if letters {
            self.mixed_run(s, e)
        } else {
            self.digit_run(s, e)
        }
    }

    fn digit_run(&mut self, s: usize, e: usize) -> usize {
        let len = e - s;
        let prev = self.before(s);
        let next = self.at(e);

        // Part of a dotted number we already passed (the `168` of `192.168.…`).
        if prev == b'.' && self.before(s - 1).is_ascii_digit() {
            return self.skip_number(e);
        }
        if next == b'.' && self.at(e + 1).is_ascii_digit() {
            if len <= 3 {
                if let Some(end) = self.ipv4(s) {
                    return end;
                }
                if let Some(end) = self.geo(s) {
                    return end;
                }
            }
            if len == 4
                && let Some(end) = self.birth_date(s, e)
            {
                return end;
            }
            // A decimal number: its parts are not identifiers.
            return self.skip_number(e);
        }
        if next == b':' {
            // Log timestamps are the most common `digits:digits`: consume them whole.
            if len <= 2
                && let Some(end) = self.time_of_day(s)
            {
                return end;
            }
            if len <= 4
                && prev != b':'
                && let Some(end) = self.hex_colon(s)
            {
                return end;
            }
        }
        if len == 4
            && matches!(next, b'-' | b'/' | 0xE5)
            && let Some(end) = self.birth_date(s, e)
        {
            // A date (and the time after it) is consumed whole: its parts are no values.
            return end;
        }
        if len == 2
            && next == b'-'
            && let Some(end) = self.mac_at(s)
        {
            return end;
        }
        if ((len == 2 && &self.text[s..e] == b"86") || (len == 4 && &self.text[s..e] == b"0086"))
            && let Some(end) = self.international_mobile(s, e)
        {
            return end;
        }
        if (len == 3 || len == 4)
            && self.text[s] == b'0'
            && let Some(end) = self.landline_in_parentheses(s, e)
        {
            return end;
        }
        if matches!(len, 3 | 4 | 6)
            && (next == b' ' || next == b'-')
            && self.at(e + 1).is_ascii_digit()
            && let Some(end) = self.grouped(s, e)
        {
            return end;
        }
        if len == 4
            && let Some(end) = self.birth_date(s, e)
        {
            return end;
        }
        if prev == b'-' && self.before(s - 1).is_ascii_digit() {
            // The tail of a hyphenated number (`2024-0312345678`) is not a value of its own.
            return e;
        }
        self.plain_digits(s, e);
        e
    }

    /// Skips the rest of a number with dots (`1234.56`, `1.2.3.4.5`).
    fn skip_number(&self, mut i: usize) -> usize {
        while i < self.text.len()
            && (self.text[i].is_ascii_digit()
                || (self.text[i] == b'.' && self.at(i + 1).is_ascii_digit()))
        {
            i += 1;
        }
        i
    }

    /// A run of digits standing alone, classified by length.
    fn plain_digits(&mut self, s: usize, e: usize) {
        let d = &self.text[s..e];
        match d.len() {
            6 => self.postal_code(s, e),
            9 => self.org_code(s, e),
            8 => {
                self.org_code(s, e);
                if travel_document::taiwan_permit(d) {
                    self.emit(
                        Builtin::TaiwanPermit,
                        s,
                        e,
                        Confidence::Low,
                        FMT,
                        Note::None,
                    );
                }
                if let Some(date) = CivilDate::parse_compact(d) {
                    self.birth(s, e, date);
                }
            }
            11 if !self.mobile(s, e, s) => {
                self.landline_compact(s, e);
            }
            12 => self.landline_compact(s, e),
            13 if d.starts_with(b"86") => {
                self.mobile(s + 2, e, s);
            }
            15 => {
                if d.starts_with(b"0086") {
                    self.mobile(s + 4, e, s);
                }
                self.fifteen(s, e);
            }
            16..=20 => {
                if d.len() == 18 {
                    self.resident_id(s, e);
                    self.uscc(s, e);
                }
                if d.len() <= 19 {
                    self.bank_card(s, e);
                }
                if d.len() >= 19 {
                    self.iccid(s, e);
                }
            }
            _ => {}
        }
    }

    /// 15 digits: legacy resident ID, IMEI, IMSI or an American Express card.
    fn fifteen(&mut self, s: usize, e: usize) {
        let d = &self.text[s..e];
        if let Ok(id) = resident_id::validate_legacy(d) {
            let checks = Checks::of(&[Check::Format, Check::Date, Check::Division, Check::Legacy]);
            // spec §10.1: no check character, so lower confidence.
            self.emit(
                Builtin::ResidentId,
                s,
                e,
                Confidence::Low,
                checks,
                Note::Province(id.province),
            );
        }
        if device::is_imei(d) {
            let checks = Checks::of(&[Check::Format, Check::Checksum]);
            self.emit(Builtin::Imei, s, e, Confidence::Medium, checks, Note::None);
        }
        if let Some((carrier, confirmed)) = device::imsi(d) {
            let checks = Checks::of(&[Check::Format, Check::Segment]);
            let conf = if confirmed {
                Confidence::Medium
            } else {
                Confidence::Low
            };
            self.emit(Builtin::Imsi, s, e, conf, checks, Note::Operator(carrier));
        }
        self.bank_card(s, e);
    }

    /// An 18-character resident ID written as one run.
    pub(super) fn resident_id(&mut self, s: usize, e: usize) {
        let t = self.text;
        self.resident_id_digits(s, e, &t[s..e]);
    }

    pub(super) fn uscc(&mut self, s: usize, e: usize) {
        if let Some(u) = uscc::check(&self.text[s..e])
            && u.checksum
        {
            let (conf, checks) = if u.embedded_org_code {
                (
                    Confidence::Medium,
                    Checks::of(&[Check::Format, Check::Checksum, Check::EmbeddedChecksum]),
                )
            } else {
                (
                    Confidence::Low,
                    Checks::of(&[Check::Format, Check::Checksum]),
                )
            };
            self.emit(Builtin::Uscc, s, e, conf, checks, Note::None);
        }
    }

    /// A bank card written as one run of digits.
    fn bank_card(&mut self, s: usize, e: usize) {
        let t = self.text;
        self.bank_card_digits(s, e, &t[s..e]);
    }

    fn iccid(&mut self, s: usize, e: usize) {
        if let Some(i) = device::iccid(&self.text[s..e]) {
            let (conf, checks) = match (i.luhn, i.issuer) {
                (true, Some(_)) => (
                    Confidence::Medium,
                    Checks::of(&[Check::Format, Check::Checksum, Check::Issuer]),
                ),
                (true, None) => (
                    Confidence::Low,
                    Checks::of(&[Check::Format, Check::Checksum]),
                ),
                _ => return,
            };
            let note = i.issuer.map_or(Note::None, Note::Operator);
            self.emit(Builtin::Iccid, s, e, conf, checks, note);
        }
    }

    /// An 11-digit mobile number at `s..e`, reported from `from` (which includes a prefix such
    /// as `+86` when there is one). Returns whether the shape matched.
    pub(super) fn mobile(&mut self, s: usize, e: usize, from: usize) -> bool {
        let t = self.text;
        self.mobile_digits(from, e, &t[s..e])
    }

    /// A mobile number with the country code: `+86 138…`, `+86-138…`, `(+86)138…`,
    /// `0086 138…`, `+86 138 1234 5678`. `s..e` is the `86` or `0086` run.
    fn international_mobile(&mut self, s: usize, e: usize) -> Option<usize> {
        let mut start = s;
        let mut paren = false;
        if self.before(s) == b'+' {
            start = s - 1;
            if self.before(start) == b'(' {
                start -= 1;
                paren = true;
            }
        } else if self.before(s) == b'(' && &self.text[s..e] == b"86" {
            // `(86)138…`
            start = s - 1;
            paren = true;
        }
        let mut p = e;
        if paren {
            if self.at(p) == b')' {
                p += 1;
            } else {
                start += 1;
            }
        }
        if matches!(self.at(p), b' ' | b'-') {
            p += 1;
        }
        let r1 = self.digits_end(p);
        let end = match r1 - p {
            11 => r1,
            3 => {
                let sep = self.at(r1);
                if !matches!(sep, b' ' | b'-') {
                    return None;
                }
                let r2 = self.digits_end(r1 + 1);
                if r2 - r1 - 1 != 4 || self.at(r2) != sep {
                    return None;
                }
                let r3 = self.digits_end(r2 + 1);
                if r3 - r2 - 1 != 4 {
                    return None;
                }
                r3
            }
            _ => return None,
        };
        if !self.ends_cleanly(end) {
            return None;
        }
        let mut national = [0u8; 11];
        let mut n = 0;
        for &b in self.text[p..end].iter().filter(|b| b.is_ascii_digit()) {
            national[n] = b;
            n += 1;
        }
        (n == 11 && self.mobile_digits(start, end, &national)).then_some(end)
    }

    /// `(010)62345678`, `（0755）2345678`, optionally with a space, a hyphenated local number
    /// and an extension. `s..e` is the area code.
    fn landline_in_parentheses(&mut self, s: usize, e: usize) -> Option<usize> {
        let area = &self.text[s..e];
        if !landline::is_area_code(area) {
            return None;
        }
        let (start, mut p) = if self.before(s) == b'(' && self.at(e) == b')' {
            (s - 1, e + 1)
        } else if s >= 3
            && &self.text[s - 3..s] == "（".as_bytes()
            && self.text.get(e..e + 3) == Some("）".as_bytes())
        {
            (s - 3, e + 3)
        } else {
            return None;
        };
        if self.at(p) == b' ' {
            p += 1;
        }
        let (local_end, local_digits) = self.local_number(p)?;
        if !landline::is_local_number(area, &local_digits[..local_digits.len()]) {
            return None;
        }
        let end = self.extension(local_end);
        if !self.ends_cleanly(end) {
            return None;
        }
        let checks = Checks::of(&[Check::Format, Check::Structure]);
        self.emit(
            Builtin::Landline,
            start,
            end,
            Confidence::Medium,
            checks,
            Note::None,
        );
        Some(end)
    }

    /// A local number at `p`: 7–8 digits, or 3–4 digits, a hyphen or space, and 4 digits.
    /// Returns its end and its digits.
    fn local_number(&self, p: usize) -> Option<(usize, Vec<u8>)> {
        let r1 = self.digits_end(p);
        match r1 - p {
            7 | 8 => Some((r1, self.text[p..r1].to_vec())),
            3 | 4 if matches!(self.at(r1), b'-' | b' ') => {
                let r2 = self.digits_end(r1 + 1);
                (r2 - r1 - 1 == 4).then(|| {
                    let mut v = self.text[p..r1].to_vec();
                    v.extend_from_slice(&self.text[r1 + 1..r2]);
                    (r2, v)
                })
            }
            _ => None,
        }
    }

    /// Extends a landline over an extension: `-123`, `转123`, ` ext 123`.
    pub(super) fn extension(&self, end: usize) -> usize {
        let t = self.text;
        let after_marker = if self.at(end) == b'-' {
            end + 1
        } else if t.get(end..end + 3) == Some("转".as_bytes()) {
            end + 3
        } else {
            return end;
        };
        let x = self.digits_end(after_marker);
        if (1..=6).contains(&(x - after_marker)) && !self.at(x).is_ascii_alphanumeric() {
            x
        } else {
            end
        }
    }

    /// `01062345678` or `075523456789`: a landline without separators. Low confidence: the
    /// shape alone is weak evidence.
    fn landline_compact(&mut self, s: usize, e: usize) {
        if landline::split_compact(&self.text[s..e]).is_some() {
            self.emit(Builtin::Landline, s, e, Confidence::Low, FMT, Note::None);
        }
    }

    fn postal_code(&mut self, s: usize, e: usize) {
        if postal_code::is_valid(&self.text[s..e]) {
            self.emit(
                Builtin::PostalCode,
                s,
                e,
                Confidence::Medium,
                Checks::of(&[Check::Format, Check::Range]),
                Note::None,
            );
        }
    }

    /// A date of birth starting with the four-digit year at `s..e`: `1990-05-12`,
    /// `1990/5/12`, `1990.05.12`, `1990年5月12日`. Context is required, so this only proposes.
    fn birth_date(&mut self, s: usize, e: usize) -> Option<usize> {
        let year = crate::validate::date::number(&self.text[s..e])?;
        let t = self.text;
        let (m_start, sep_len, han) = match self.at(e) {
            b'-' | b'/' | b'.' => (e + 1, 1, false),
            _ if t.get(e..e + 3) == Some("年".as_bytes()) => (e + 3, 3, true),
            _ => return None,
        };
        let m_end = self.digits_end(m_start);
        if !(1..=2).contains(&(m_end - m_start)) {
            return None;
        }
        let d_start = if han {
            if t.get(m_end..m_end + 3) != Some("月".as_bytes()) {
                return None;
            }
            m_end + 3
        } else {
            if self.at(m_end) != self.at(e) {
                return None;
            }
            m_end + sep_len
        };
        let d_end = self.digits_end(d_start);
        if !(1..=2).contains(&(d_end - d_start)) {
            return None;
        }
        let mut end = d_end;
        if han
            && (t.get(d_end..d_end + 3) == Some("日".as_bytes())
                || t.get(d_end..d_end + 3) == Some("号".as_bytes()))
        {
            end += 3;
        }
        if !han && !self.ends_cleanly(end) {
            return None;
        }
        // `2024-04-05 16:37:12`, `2024-04-05T16:37`: a timestamp records an event, not a birth.
        if matches!(self.at(end), b' ' | b'T')
            && let Some(time_end) = self.time_of_day(end + 1)
        {
            return Some(time_end);
        }
        let month = crate::validate::date::number(&t[m_start..m_end])?;
        let day = crate::validate::date::number(&t[d_start..d_end])?;
        let date = CivilDate::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )?;
        self.birth(s, end, date);
        Some(end)
    }

    fn birth(&mut self, s: usize, e: usize, date: CivilDate) {
        if date.year >= 1900 && date <= self.tables.today {
            let checks = Checks::of(&[Check::Format, Check::Date]);
            self.emit(
                Builtin::BirthDate,
                s,
                e,
                Confidence::Medium,
                checks,
                Note::None,
            );
        }
    }

    /// A dotted quad starting at `s`.
    fn ipv4(&mut self, s: usize) -> Option<usize> {
        let t = self.text;
        let mut p = s;
        for part in 0..4 {
            let q = self.digits_end(p);
            if q == p || q - p > 3 {
                return None;
            }
            p = q;
            if part < 3 {
                if self.at(p) != b'.' {
                    return None;
                }
                p += 1;
            }
        }
        if !self.ends_cleanly(p) || self.before(s) == b'.' {
            return None;
        }
        let ip = network::parse_ipv4(&t[s..p])?;
        let note = if network::ipv4_is_private(ip) {
            Note::PrivateAddress
        } else {
            Note::PublicAddress
        };
        self.emit(
            Builtin::Ipv4,
            s,
            p,
            Confidence::Medium,
            Checks::of(&[Check::Format, Check::Range]),
            note,
        );
        Some(p)
    }

    /// A latitude/longitude pair starting at `s`: `39.9042,116.4074`, `39.9042, 116.4074`,
    /// `116.4074 39.9042`, `39.9042，116.4074`; either number may be negative.
    fn geo(&mut self, s: usize) -> Option<usize> {
        if !self.on.on(Builtin::GeoCoordinate) {
            return None;
        }
        let start = if self.before(s) == b'-' && !self.before(s - 1).is_ascii_alphanumeric() {
            s - 1
        } else {
            s
        };
        let first_end = self.skip_number(s);
        let t = self.text;
        // Cheap shape test before parsing: a separator, then a digit or a minus sign.
        let after = self.at(first_end);
        if !matches!(after, b',' | b';' | b' ' | 0xEF) {
            return None;
        }
        let first = geo::parse_decimal(&t[start..first_end])?;
        let mut p = first_end;
        if self.at(p) == b',' || self.at(p) == b';' {
            p += 1;
            if self.at(p) == b' ' {
                p += 1;
            }
        } else if t.get(p..p + 3) == Some("，".as_bytes()) {
            p += 3;
        } else if self.at(p) == b' ' {
            p += 1;
        } else {
            return None;
        }
        let second_start = p;
        if self.at(p) == b'-' {
            p += 1;
        }
        if !self.at(p).is_ascii_digit() {
            return None;
        }
        let second_end = self.skip_number(p);
        if !self.ends_cleanly(second_end) {
            return None;
        }
        let second = geo::parse_decimal(&t[second_start..second_end])?;
        let places = geo::check_pair(first, second)?;
        // Two in-range decimals are common in data; only a keyword (经纬度, lat …) makes them a
        // location, raising this to medium.
        let checks = Checks::of(&[Check::Format, Check::Range]);
        self.emit(
            Builtin::GeoCoordinate,
            start,
            second_end,
            Confidence::Low,
            checks,
            Note::Precision(places),
        );
        Some(second_end)
    }
}

/// The end of the run of ASCII letters and digits starting at `s`, and whether it holds a
/// letter. Eight bytes at a time: the first byte that is no letter or digit ends the run.
#[inline(always)]
fn run_end(text: &[u8], s: usize) -> (usize, bool) {
    let mut e = s;
    let mut letters = false;
    while e + 8 <= text.len() {
        let x = swar::load(text, e);
        let alnum = swar::alnum(x);
        let letter = alnum & !swar::digits(x);
        if alnum == swar::HIGH {
            letters |= letter != 0;
            e += 8;
            continue;
        }
        let k = (!alnum & swar::HIGH).trailing_zeros() / 8;
        letters |= letter & swar::first_bytes(k) != 0;
        return (e + k as usize, letters);
    }
    while let Some(&b) = text.get(e) {
        if !b.is_ascii_alphanumeric() {
            break;
        }
        letters |= !b.is_ascii_digit();
        e += 1;
    }
    (e, letters)
}

#[cfg(test)]
mod tests {
    use super::run_end;

    #[test]
    fn run_ends_agree_with_the_byte_loop() {
        let text = b"abc 1234567890123456789x, 12345678 87654321A a\xE4\xB8\x80 z9";
        for s in 0..text.len() {
            let mut e = s;
            while e < text.len() && text[e].is_ascii_alphanumeric() {
                e += 1;
            }
            let letters = text[s..e].iter().any(u8::is_ascii_alphabetic);
            assert_eq!(run_end(text, s), (e, letters), "{s}");
        }
    }
}
