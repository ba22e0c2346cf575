//! Valid identifiers (spec §10) and their look-alikes, written from the specification, not from
//! the detectors.

use crate::generator::Gen;
use crate::tables::{
    AREA_CODES, CARD_BINS, DIVISIONS, EMAIL_DOMAINS, ICCID_PREFIXES, IMSI_MNCS, MOBILE_PREFIXES,
    PINYIN, PLATE_LETTERS, PLATE_PROVINCES, TACS, USCC_ALPHABET,
};

/// ISO 7064 MOD 11-2 check character of a resident ID (spec §10.1), from 17 digit values.
pub(crate) fn mod11_2(first17: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// The Luhn check digit (value) that completes `body` (digit values, check digit excluded).
pub(crate) fn luhn_digit(body: &[u8]) -> u8 {
    let mut sum = 0u32;
    // Walking right to left, the digit next to the check digit is doubled.
    for (i, &d) in body.iter().rev().enumerate() {
        let mut v = u32::from(d);
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    ((10 - sum % 10) % 10) as u8
}

/// GB 11714 check character of an organisation code body (spec §10.3): values 0–35.
pub(crate) fn org_code_check(body: &[u8]) -> u8 {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(&v, w)| u32::from(v) * w)
        .sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    }
}

/// GB 32100 check character of a USCC (spec §10.2), from 17 alphabet indices.
pub(crate) fn uscc_check(first17: &[u8]) -> u8 {
    let mut sum = 0u32;
    let mut w = 1u32;
    for &v in first17 {
        sum += u32::from(v) * w;
        w = w * 3 % 31;
    }
    USCC_ALPHABET[((31 - sum % 31) % 31) as usize]
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn push_values(v: &mut Vec<u8>, s: &str) {
    v.extend(s.bytes().map(|b| b - b'0'));
}

/// Pushes the digit values of `n`, zero-padded to `width` digits (`n < 10^width`).
fn push_padded(v: &mut Vec<u8>, n: u32, width: u32) {
    for i in (0..width).rev() {
        v.push((n / 10u32.pow(i) % 10) as u8);
    }
}

/// How a mobile number is written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MobileForm {
    Plain,
    Hyphens,
    Spaces,
    Plus86Spaces,
    Plus86,
    Paren86,
    Zero086,
}

impl MobileForm {
    pub const ALL: [MobileForm; 7] = [
        Self::Plain,
        Self::Hyphens,
        Self::Spaces,
        Self::Plus86Spaces,
        Self::Plus86,
        Self::Paren86,
        Self::Zero086,
    ];
}

impl Gen {
    /// A real calendar date: (year, month, day).
    pub fn date(&mut self, from_year: u32, to_year: u32) -> (u32, u32, u32) {
        let y = self.below(from_year, to_year + 1);
        let m = self.below(1, 13);
        let d = self.below(1, days_in_month(y, m) + 1);
        (y, m, d)
    }

    /// The first 17 digit values of an 18-character resident ID.
    fn resident_id_body(&mut self) -> Vec<u8> {
        let mut v = Vec::with_capacity(18);
        let div = *self.pick(DIVISIONS);
        push_values(&mut v, div);
        let (y, m, d) = self.date(1940, 2012);
        for (n, w) in [(y, 4), (m, 2), (d, 2)] {
            push_padded(&mut v, n, w);
        }
        for _ in 0..3 {
            v.push(self.below(0, 10) as u8);
        }
        v
    }

    /// An 18-character resident ID with a correct check character (spec §10.1).
    pub fn resident_id(&mut self) {
        let body = self.resident_id_body();
        self.digit_values(&body);
        let c = mod11_2(&body);
        // Lowercase `x` is common in exports and must be accepted (spec §10.1).
        let c = if c == b'X' && self.chance(10) {
            b'x'
        } else {
            c
        };
        self.ch(c);
    }

    /// An 18-digit look-alike: a resident ID with a wrong check character, chosen so that the
    /// number is not Luhn-valid either (it must not pass for a bank card).
    pub fn wrong_resident_id(&mut self) {
        let body = self.resident_id_body();
        let good = mod11_2(&body);
        let luhn = b'0' + luhn_digit(&body);
        let mut c = b'0' + self.below(0, 10) as u8;
        while c == good || c == luhn {
            c = if c == b'9' { b'0' } else { c + 1 };
        }
        self.digit_values(&body);
        self.ch(c);
    }

    /// A 15-digit legacy resident ID: division, YYMMDD, sequence; no check digit.
    pub fn legacy_resident_id(&mut self) {
        let div = self.pick(DIVISIONS);
        self.lit(div);
        let (y, m, d) = self.date(1940, 1984);
        self.num_padded(y % 100, 2);
        self.num_padded(m, 2);
        self.num_padded(d, 2);
        self.digits(3);
    }

    /// A mobile number from an allocated segment, in one of the usual forms.
    pub fn mobile(&mut self, form: MobileForm) {
        let mut d = [0u8; 11];
        if self.chance(4) {
            d[..4].copy_from_slice(&[1, 3, 4, self.below(0, 9) as u8]);
        } else {
            let p = self.pick(MOBILE_PREFIXES).as_bytes();
            for i in 0..3 {
                d[i] = p[i] - b'0';
            }
            d[3] = self.below(0, 10) as u8;
        }
        for x in &mut d[4..] {
            *x = self.below(0, 10) as u8;
        }
        match form {
            MobileForm::Plain => self.digit_values(&d),
            MobileForm::Hyphens | MobileForm::Spaces | MobileForm::Plus86Spaces => {
                let sep = if matches!(form, MobileForm::Hyphens) {
                    "-"
                } else {
                    " "
                };
                if matches!(form, MobileForm::Plus86Spaces) {
                    self.lit("+86 ");
                }
                self.digit_values(&d[..3]);
                self.lit(sep);
                self.digit_values(&d[3..7]);
                self.lit(sep);
                self.digit_values(&d[7..]);
            }
            MobileForm::Plus86 => {
                self.lit("+86");
                self.digit_values(&d);
            }
            MobileForm::Paren86 => {
                self.lit("(+86)");
                self.digit_values(&d);
            }
            MobileForm::Zero086 => {
                self.lit("0086 ");
                self.digit_values(&d);
            }
        }
    }

    /// A landline: area code, local number, sometimes an extension.
    pub fn landline(&mut self) {
        let &(area, len) = self.pick(AREA_CODES);
        let paren = self.chance(20);
        if paren {
            self.lit("(");
            self.lit(area);
            self.lit(")");
        } else {
            self.lit(area);
            self.lit("-");
        }
        // Local numbers do not start with 0 or 1.
        let first = self.below(2, 9);
        self.num(first);
        self.digits(len - 1);
        if self.chance(15) {
            self.lit("-");
            let n = self.below(3, 5);
            self.digits(n);
        }
    }

    /// A Luhn-valid bank card number with a real issuer prefix, plain or grouped by four.
    pub fn bank_card(&mut self) {
        let &(bin, len) = self.pick(CARD_BINS);
        let mut d = Vec::with_capacity(len as usize);
        push_values(&mut d, bin);
        while d.len() < len as usize - 1 {
            d.push(self.below(0, 10) as u8);
        }
        d.push(luhn_digit(&d));
        match self.below(0, 10) {
            0..=5 => self.digit_values(&d),
            n => {
                let sep = if n < 8 { b' ' } else { b'-' };
                for (i, chunk) in d.chunks(4).enumerate() {
                    if i > 0 {
                        self.ch(sep);
                    }
                    self.digit_values(chunk);
                }
            }
        }
    }

    /// An e-mail address.
    pub fn email(&mut self) {
        let a = self.pick(PINYIN);
        self.lit(a);
        match self.below(0, 4) {
            0 => {
                let b = self.pick(PINYIN);
                self.lit(".");
                self.lit(b);
            }
            1 => {
                let n = self.below(1, 9999);
                self.num(n);
            }
            2 => {
                let b = self.pick(PINYIN);
                self.lit("_");
                self.lit(b);
                let n = self.below(70, 100);
                self.num(n);
            }
            _ => {
                let b = self.pick(PINYIN);
                self.lit(b);
            }
        }
        self.lit("@");
        let dom = self.pick(EMAIL_DOMAINS);
        self.lit(dom);
    }

    /// An IPv4 address, private or public.
    pub fn ipv4(&mut self) {
        match self.below(0, 4) {
            0 => {
                self.lit("192.168.");
                let (a, b) = (self.below(0, 256), self.below(1, 255));
                self.num(a);
                self.lit(".");
                self.num(b);
            }
            1 => {
                self.lit("10.");
                for i in 0..3 {
                    if i > 0 {
                        self.lit(".");
                    }
                    let o = self.below(0, 256);
                    self.num(o);
                }
            }
            _ => {
                let first =
                    *self.pick(&[36u32, 39, 58, 61, 101, 112, 114, 117, 120, 183, 202, 223]);
                self.num(first);
                for _ in 0..3 {
                    self.lit(".");
                    let o = self.below(1, 255);
                    self.num(o);
                }
            }
        }
    }

    /// An IPv6 address, full or compressed.
    pub fn ipv6(&mut self) {
        let prefix = *self.pick(&["2408:8207", "240e:3b7", "2409:8a00", "fe80:", "2001:db8"]);
        self.lit(prefix);
        let full = !prefix.ends_with(':') && self.chance(50);
        let groups = if full { 6 } else { self.below(1, 4) };
        if !full {
            self.lit(if prefix.ends_with(':') { ":" } else { "::" });
        }
        for i in 0..groups {
            if full || i > 0 {
                self.lit(":");
            }
            self.hex_group();
        }
    }

    fn hex_group(&mut self) {
        let n = self.below(1, 5);
        for i in 0..n {
            let v = self.below(if i == 0 { 1 } else { 0 }, 16) as u8;
            self.ch(b"0123456789abcdef"[v as usize]);
        }
    }

    /// A MAC address with colons or hyphens.
    pub fn mac(&mut self) {
        let (sep, hex) = if self.chance(60) {
            (b':', b"0123456789abcdef")
        } else {
            (b'-', b"0123456789ABCDEF")
        };
        for i in 0..6 {
            if i > 0 {
                self.ch(sep);
            }
            let (h, l) = (self.below(0, 16), self.below(0, 16));
            self.ch(hex[h as usize]);
            self.ch(hex[l as usize]);
        }
    }

    /// An organisation code body (8 values) and its check character.
    fn org_code_parts(&mut self) -> ([u8; 8], u8) {
        let mut body = [0u8; 8];
        for (i, v) in body.iter_mut().enumerate() {
            // Mostly digits; letters of the USCC alphabet appear in newer codes.
            *v = if i == 0 && self.chance(20) {
                let c = *self.pick(&USCC_ALPHABET[10..]);
                c - b'A' + 10
            } else {
                self.below(0, 10) as u8
            };
        }
        let c = org_code_check(&body);
        (body, c)
    }

    fn org_value_char(v: u8) -> u8 {
        if v < 10 { b'0' + v } else { b'A' + v - 10 }
    }

    /// An organisation code, `XXXXXXXX-C` or without hyphen.
    pub fn org_code(&mut self) {
        let (body, c) = self.org_code_parts();
        for v in body {
            self.ch(Self::org_value_char(v));
        }
        if self.chance(70) {
            self.lit("-");
        }
        self.ch(c);
    }

    /// A USCC with a valid embedded organisation code and mod-31 check (spec §10.2).
    pub fn uscc(&mut self) {
        let mut chars = Vec::with_capacity(18);
        chars.push(if self.chance(90) {
            b'9'
        } else {
            *self.pick(b"15Y")
        });
        chars.push(*self.pick(b"1123"));
        chars.extend_from_slice(self.pick(DIVISIONS).as_bytes());
        let (body, c) = self.org_code_parts();
        chars.extend(body.iter().map(|&v| Self::org_value_char(v)));
        chars.push(c);
        let idx: Vec<u8> = chars
            .iter()
            .map(|c| USCC_ALPHABET.iter().position(|a| a == c).unwrap_or(0) as u8)
            .collect();
        chars.push(uscc_check(&idx));
        for c in chars {
            self.ch(c);
        }
    }

    /// A PRC passport number (spec §10.7).
    pub fn passport(&mut self) {
        match self.below(0, 3) {
            0 => {
                self.lit("E");
                self.digits(8);
            }
            1 => {
                self.lit("E");
                let l = *self.pick(b"ABCDEF");
                self.ch(l);
                self.digits(7);
            }
            _ => {
                self.lit("G");
                self.digits(8);
            }
        }
    }

    /// A mainland residents' permit to Hong Kong and Macau: `C` + 8 digits.
    pub fn hk_macau_permit(&mut self) {
        self.lit("C");
        self.digits(8);
    }

    /// An ordinary or new-energy vehicle plate.
    pub fn plate(&mut self) {
        let p = self.pick(PLATE_PROVINCES);
        self.lit(p);
        let l = *self.pick(PLATE_LETTERS);
        self.ch(l);
        if self.chance(25) {
            let k = *self.pick(b"DF");
            self.ch(k);
            let c = *self.pick(b"0123456789ABCDEFGHJK");
            self.ch(c);
            self.digits(4);
        } else {
            for _ in 0..5 {
                let c = if self.chance(80) {
                    b'0' + self.below(0, 10) as u8
                } else {
                    *self.pick(PLATE_LETTERS)
                };
                self.ch(c);
            }
        }
    }

    /// A Luhn-valid IMEI (15 digits).
    pub fn imei(&mut self) {
        let mut d = Vec::with_capacity(15);
        let tac = *self.pick(TACS);
        push_values(&mut d, tac);
        for _ in 0..6 {
            d.push(self.below(0, 10) as u8);
        }
        d.push(luhn_digit(&d));
        self.digit_values(&d);
    }

    /// A Chinese IMSI: 460, MNC, 10-digit MSIN.
    pub fn imsi(&mut self) {
        self.lit("460");
        let mnc = self.pick(IMSI_MNCS);
        self.lit(mnc);
        self.digits(10);
    }

    /// A Luhn-valid Chinese ICCID (19 or 20 digits).
    pub fn iccid(&mut self) {
        let len = if self.chance(70) { 20 } else { 19 };
        let mut d = Vec::with_capacity(len);
        let prefix = *self.pick(ICCID_PREFIXES);
        push_values(&mut d, prefix);
        while d.len() < len - 1 {
            d.push(self.below(0, 10) as u8);
        }
        d.push(luhn_digit(&d));
        self.digit_values(&d);
    }

    /// A latitude/longitude pair inside China, 6 decimal places.
    pub fn coordinate(&mut self) {
        let (lat, lng) = (self.below(18, 54), self.below(73, 135));
        let (lat_f, lng_f) = (self.below(0, 1_000_000), self.below(0, 1_000_000));
        self.num(lat);
        self.lit(".");
        self.num_padded(lat_f, 6);
        let sep = if self.chance(50) { "," } else { ", " };
        self.lit(sep);
        self.num(lng);
        self.lit(".");
        self.num_padded(lng_f, 6);
    }

    /// Random characters from an alphabet.
    pub fn chars_from(&mut self, alphabet: &[u8], n: u32) {
        for _ in 0..n {
            let c = *self.pick(alphabet);
            self.ch(c);
        }
    }
}
