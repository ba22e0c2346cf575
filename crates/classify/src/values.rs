//! Value shapes: cheap per-value facts (numbers, money, dates, URLs, hashes, login names,
//! Chinese names) and enumerations recognised over a column's distinct values (gender words
//! and codes, the 56 ethnic groups, other PI vocabularies).
//!
//! Everything here runs per value on the hot path of a full scan, so it looks at each byte at
//! most once or twice and allocates nothing.

use crate::rules::ValueWords;
use crate::tokens::is_han;

/// A shape a value can have. A value can have several (`0` is an integer and a gender code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Digits only (an optional leading minus).
    Integer,
    /// One or two digits: flags, enumerations, small counts.
    SmallInteger,
    /// A decimal with exactly two fraction digits: the usual money shape.
    Money,
    /// Any other decimal number.
    Decimal,
    /// A date without a time (`2009-06-01`, `2009/6/1`, `20090601`, `2009年6月1日`), year
    /// 1900–2099.
    Date,
    /// A date with a time.
    DateTime,
    /// A URL (`http://`, `https://`, `//`).
    Url,
    /// A URL or path to an image (`.jpg`, `.png` …), or one naming an avatar.
    ImageUrl,
    /// A password hash or credential-looking string: bcrypt/argon2 `$…$`, 32/40/64/128 hex.
    PasswordHash,
    /// An ASCII login name: a letter, then letters, digits, `_ . - @`, at most 32 bytes.
    LoginName,
    /// Two to four Han characters starting with a known surname.
    HanName,
    /// Han text of more than four characters.
    HanText,
    /// A browser, operating system or user-agent string.
    Device,
    /// A place: Han text ending in 省/市/区/县 …, or a municipality.
    Region,
    /// Six digits: postal code or division code.
    SixDigits,
    /// A gender word (男, 女, male …) — recognised over distinct values.
    GenderWord,
    /// A gender code (0, 1, 2, M, F …) — recognised over distinct values.
    GenderCode,
    /// One of the 56 ethnic groups — recognised over distinct values.
    Ethnic,
    /// A word of another PI vocabulary (已婚, 本科, 党员 …) — over distinct values.
    OtherPiWord,
}

impl Shape {
    /// Every shape.
    pub const ALL: [Shape; 19] = [
        Shape::Integer,
        Shape::SmallInteger,
        Shape::Money,
        Shape::Decimal,
        Shape::Date,
        Shape::DateTime,
        Shape::Url,
        Shape::ImageUrl,
        Shape::PasswordHash,
        Shape::LoginName,
        Shape::HanName,
        Shape::HanText,
        Shape::Device,
        Shape::Region,
        Shape::SixDigits,
        Shape::GenderWord,
        Shape::GenderCode,
        Shape::Ethnic,
        Shape::OtherPiWord,
    ];

    /// Number of shapes.
    pub const COUNT: usize = Shape::ALL.len();

    /// The snake_case code used in rule files and output.
    pub fn code(self) -> &'static str {
        match self {
            Shape::Integer => "integer",
            Shape::SmallInteger => "small_integer",
            Shape::Money => "money",
            Shape::Decimal => "decimal",
            Shape::Date => "date",
            Shape::DateTime => "date_time",
            Shape::Url => "url",
            Shape::ImageUrl => "image_url",
            Shape::PasswordHash => "password_hash",
            Shape::LoginName => "login_name",
            Shape::HanName => "han_name",
            Shape::HanText => "han_text",
            Shape::Device => "device",
            Shape::Region => "region",
            Shape::SixDigits => "six_digits",
            Shape::GenderWord => "gender_word",
            Shape::GenderCode => "gender_code",
            Shape::Ethnic => "ethnic",
            Shape::OtherPiWord => "other_pi_word",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Position in [`Shape::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }

    /// Whether the shape is decided over distinct values (enumerations) rather than per value.
    pub fn is_enumeration(self) -> bool {
        matches!(
            self,
            Shape::GenderWord | Shape::GenderCode | Shape::Ethnic | Shape::OtherPiWord
        )
    }
}

/// A set of shapes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shapes(pub u32);

impl Shapes {
    /// Whether the set holds `s`.
    pub fn has(self, s: Shape) -> bool {
        self.0 & s.bit() != 0
    }

    fn add(&mut self, s: Shape) {
        self.0 |= s.bit();
    }

    /// The shapes in the set.
    pub fn iter(self) -> impl Iterator<Item = Shape> {
        Shape::ALL.into_iter().filter(move |s| self.has(*s))
    }
}

/// Vocabularies compiled for fast lookup.
#[derive(Clone, Debug)]
pub struct ValueModel {
    surnames: Vec<u64>,
    compound_surnames: Vec<String>,
    gender_words: Vec<String>,
    gender_codes: Vec<String>,
    ethnic: Vec<String>,
    other_pi: Vec<String>,
    image_ext: Vec<String>,
    device_markers: Vec<String>,
}

/// The surname table of the name detector (`rules/names/surnames.txt`): one tier a line,
/// `A: 王 李 …`, `compound: 欧阳 …`.
const SURNAMES: &str = include_str!("../../../rules/names/surnames.txt");

const HAN_BASE: u32 = 0x4E00;
const HAN_SPAN: u32 = 0x9FFF - 0x4E00 + 1;

impl ValueModel {
    /// Compiles the vocabularies of the rules plus the surname table.
    pub fn new(words: &ValueWords) -> ValueModel {
        let mut surnames = vec![0u64; HAN_SPAN.div_ceil(64) as usize];
        let mut compound_surnames = Vec::new();
        for line in SURNAMES.lines() {
            let Some((tier, list)) = line.split_once(':') else {
                continue;
            };
            let tier = tier.trim();
            if tier.starts_with('#') {
                continue;
            }
            for s in list.split_whitespace() {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    // Tier C surnames are mostly ordinary words (文, 成, 明 …): weak evidence.
                    (Some(c), None) if tier == "A" || tier == "B" => {
                        let cp = c as u32;
                        if (HAN_BASE..HAN_BASE + HAN_SPAN).contains(&cp) {
                            let i = cp - HAN_BASE;
                            surnames[(i / 64) as usize] |= 1 << (i % 64);
                        }
                    }
                    (Some(_), Some(_)) if tier == "compound" => compound_surnames.push(s.into()),
                    _ => {}
                }
            }
        }
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        ValueModel {
            surnames,
            compound_surnames,
            gender_words: lower(&words.gender_words),
            gender_codes: lower(&words.gender_codes),
            ethnic: words.ethnic_groups.clone(),
            other_pi: words.other_pi_words.clone(),
            image_ext: lower(&words.image_extensions),
            device_markers: words.device_markers.clone(),
        }
    }

    /// Whether `c` is a frequent (tier A or B) single surname.
    pub fn is_surname(&self, c: char) -> bool {
        let cp = c as u32;
        if !(HAN_BASE..HAN_BASE + HAN_SPAN).contains(&cp) {
            return false;
        }
        let i = cp - HAN_BASE;
        self.surnames[(i / 64) as usize] & (1 << (i % 64)) != 0
    }

    /// The per-value shapes of one non-empty value (enumerations excluded: see
    /// [`ValueModel::enumeration_shapes`]).
    pub fn shapes(&self, value: &str) -> Shapes {
        let mut out = Shapes::default();
        let v = value.trim();
        let b = v.as_bytes();
        if b.is_empty() {
            return out;
        }
        let (mut digits, mut letters, mut upper, mut high, mut dots, mut dashes, mut spaces) =
            (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
        for &c in b {
            match c {
                b'0'..=b'9' => digits += 1,
                b'a'..=b'z' => letters += 1,
                b'A'..=b'Z' => {
                    letters += 1;
                    upper += 1;
                }
                b'.' => dots += 1,
                b'-' | b'/' => dashes += 1,
                b' ' => spaces += 1,
                0x80.. => high += 1,
                _ => {}
            }
        }
        let n = b.len();
        let body = b.strip_prefix(b"-").unwrap_or(b);
        if digits == body.len() {
            out.add(Shape::Integer);
            if digits <= 2 {
                out.add(Shape::SmallInteger);
            }
            if digits == 6 {
                out.add(Shape::SixDigits);
            }
            if digits == 8 && is_date(b) {
                out.add(Shape::Date);
            }
            return out;
        }
        if dots == 1 && digits + 1 == body.len() {
            let frac = body.len() - 1 - body.iter().position(|&c| c == b'.').unwrap_or(0);
            out.add(if frac == 2 {
                Shape::Money
            } else {
                Shape::Decimal
            });
            return out;
        }
        if high == 0 {
            if (8..=40).contains(&n) && digits >= 6 && b[0].is_ascii_digit() {
                match date_prefix(b) {
                    Some(len) if len == n => out.add(Shape::Date),
                    Some(len) if b[len] == b' ' || b[len] == b'T' => out.add(Shape::DateTime),
                    _ => {}
                }
            }
            let lower_starts = |p: &[u8]| n >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
            let is_url =
                lower_starts(b"http://") || lower_starts(b"https://") || b.starts_with(b"//");
            if is_url {
                out.add(Shape::Url);
            }
            if (is_url || b[0] == b'/' || dashes > 0) && self.is_image_path(b) {
                out.add(Shape::ImageUrl);
            }
            if spaces == 0 && is_password_hash(b, digits, letters) {
                out.add(Shape::PasswordHash);
            }
            if spaces == 0 && (2..=32).contains(&n) && b[0].is_ascii_alphabetic() && letters > 0 {
                let ok = b
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'@'));
                if ok && !is_url {
                    out.add(Shape::LoginName);
                }
            }
            // Browser, OS and user-agent strings: capitals and a space or slash (`Chrome 12`).
            if upper > 0 && (spaces > 0 || dashes > 0) && n <= 512 && self.has_device_marker(v) {
                out.add(Shape::Device);
            }
            return out;
        }
        // Han text.
        let mut han = 0usize;
        let mut other = 0usize;
        for c in v.chars() {
            if is_han(c) {
                han += 1;
            } else {
                other += 1;
            }
        }
        if other == 0 && (2..=4).contains(&han) && self.starts_with_surname(v) {
            out.add(Shape::HanName);
        }
        if han > 4 {
            out.add(Shape::HanText);
        }
        if han >= 2 && other <= 2 && han <= 12 && is_region(v) {
            out.add(Shape::Region);
        }
        if han >= 3 && digits >= 3 && v.contains('年') && date_prefix(b).is_some() {
            out.add(Shape::Date);
        }
        if other > 0 && letters >= 2 && self.has_device_marker(v) {
            out.add(Shape::Device);
        }
        out
    }

    fn starts_with_surname(&self, v: &str) -> bool {
        let first = v.chars().next();
        first.is_some_and(|c| self.is_surname(c))
            || self
                .compound_surnames
                .iter()
                .any(|s| v.starts_with(s.as_str()))
    }

    fn is_image_path(&self, b: &[u8]) -> bool {
        let path = match b.iter().position(|&c| c == b'?' || c == b'#') {
            Some(q) => &b[..q],
            None => b,
        };
        let ext = self.image_ext.iter().any(|e| {
            let e = e.as_bytes();
            path.len() > e.len() && path[path.len() - e.len()..].eq_ignore_ascii_case(e)
        });
        ext || contains_ignore_case(b, b"avatar")
    }

    fn has_device_marker(&self, v: &str) -> bool {
        self.device_markers.iter().any(|m| v.contains(m.as_str()))
    }

    /// The enumeration shapes of one distinct value.
    pub fn enumeration_shapes(&self, value: &str) -> Shapes {
        let mut out = Shapes::default();
        let v = value.trim();
        if v.is_empty() || v.len() > 24 {
            return out;
        }
        let lower = v.to_lowercase();
        if self.gender_words.contains(&lower) {
            out.add(Shape::GenderWord);
        }
        if self.gender_codes.contains(&lower) {
            out.add(Shape::GenderCode);
        }
        let bare = v.strip_suffix('族').unwrap_or(v);
        if self.ethnic.iter().any(|e| e == bare) {
            out.add(Shape::Ethnic);
        }
        if self.other_pi.iter().any(|e| e == v) {
            out.add(Shape::OtherPiWord);
        }
        out
    }
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A bcrypt/argon2/crypt hash (`$2a$10$…`), or 32, 40, 64 or 128 hex digits, or a long
/// base64 token mixing cases and digits.
fn is_password_hash(b: &[u8], digits: usize, letters: usize) -> bool {
    let n = b.len();
    if n >= 20 && b[0] == b'$' && b[1..].contains(&b'$') {
        return true;
    }
    if b.starts_with(b"{bcrypt}") || b.starts_with(b"{noop}") || b.starts_with(b"{SHA") {
        return true;
    }
    if matches!(n, 32 | 40 | 64 | 128) && b.iter().all(u8::is_ascii_hexdigit) {
        return digits > 0 && letters > 0;
    }
    false
}

/// Whether 8 digits are a `YYYYMMDD` date with year 1900–2099.
fn is_date(b: &[u8]) -> bool {
    date_prefix(b) == Some(8)
}

/// The length of a leading date: `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.MM.DD`, `YYYYMMDD`,
/// `YYYY年M月D日`; year 1900–2099, month 1–12, day 1–31.
fn date_prefix(b: &[u8]) -> Option<usize> {
    let num = |s: &[u8]| -> Option<u32> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(s.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0')))
    };
    if b.len() < 8 {
        return None;
    }
    let year = num(&b[..4])?;
    if !(1900..=2099).contains(&year) {
        return None;
    }
    let ok = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
    if b[4].is_ascii_digit() {
        let m = num(&b[4..6])?;
        let d = num(&b[6..8])?;
        let next_digit = b.get(8).is_some_and(u8::is_ascii_digit);
        return (ok(m, d) && !next_digit).then_some(8);
    }
    // Separated: one separator (ASCII or 年/月), 1–2 digit month and day.
    let sep_len = |i: usize| -> Option<usize> {
        match b.get(i)? {
            b'-' | b'/' | b'.' => Some(1),
            0xE5..=0xE6 if b.len() >= i + 3 => {
                let s = std::str::from_utf8(&b[i..i + 3]).ok()?;
                matches!(s, "年" | "月").then_some(3)
            }
            _ => None,
        }
    };
    let mut i = 4;
    i += sep_len(i)?;
    let m_start = i;
    while i < b.len() && b[i].is_ascii_digit() && i - m_start < 2 {
        i += 1;
    }
    let m = num(&b[m_start..i])?;
    i += sep_len(i)?;
    let d_start = i;
    while i < b.len() && b[i].is_ascii_digit() && i - d_start < 2 {
        i += 1;
    }
    let d = num(&b[d_start..i])?;
    if b.get(i).is_some_and(u8::is_ascii_digit) || !ok(m, d) {
        return None;
    }
    if b[i..].starts_with("日".as_bytes()) {
        i += 3;
    }
    Some(i)
}

/// Han text naming a place: ends in a division suffix, or is a municipality or a province
/// name without its suffix.
fn is_region(v: &str) -> bool {
    const SUFFIXES: [&str; 11] = [
        "省",
        "市",
        "区",
        "县",
        "州",
        "旗",
        "盟",
        "镇",
        "乡",
        "街道",
        "自治区",
    ];
    const BARE: [&str; 12] = [
        "北京", "上海", "天津", "重庆", "香港", "澳门", "广东", "江苏", "浙江", "四川", "山东",
        "湖北",
    ];
    SUFFIXES.iter().any(|s| v.ends_with(s)) || BARE.contains(&v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ClassifyRules;

    fn model() -> ValueModel {
        ValueModel::new(&ClassifyRules::builtin().values)
    }

    fn has(v: &str, s: Shape) -> bool {
        model().shapes(v).has(s)
    }

    #[test]
    fn numbers_and_money() {
        assert!(has("12", Shape::SmallInteger));
        assert!(has("-7", Shape::Integer));
        assert!(!has("123", Shape::SmallInteger));
        assert!(has("199.00", Shape::Money));
        assert!(has("-0.50", Shape::Money));
        assert!(has("3.1", Shape::Decimal));
        assert!(!has("3.1", Shape::Money));
        assert!(has("310000", Shape::SixDigits));
        assert!(!has("1.2.3", Shape::Decimal));
    }

    #[test]
    fn dates() {
        for d in [
            "2009-06-01",
            "2009/6/1",
            "20090601",
            "1990.12.31",
            "1990年1月2日",
        ] {
            assert!(has(d, Shape::Date), "{d}");
        }
        assert!(has("2018-08-02 10:35:44", Shape::DateTime));
        assert!(!has("2018-08-02 10:35:44", Shape::Date));
        for d in ["2009-13-01", "1800-01-01", "200906011", "2009-06-01x"] {
            assert!(!has(d, Shape::Date), "{d}");
        }
    }

    #[test]
    fn urls_hashes_logins_devices() {
        assert!(has("https://x.cn/icon/github_icon_03.png", Shape::ImageUrl));
        assert!(has("https://x.cn/a.JPG?x=1", Shape::ImageUrl));
        assert!(has("/profile/avatar/2024/a", Shape::ImageUrl));
        assert!(!has("https://x.cn/page.html", Shape::ImageUrl));
        assert!(has("https://x.cn/page.html", Shape::Url));
        assert!(has(
            "$2a$10$NZ5o7r2E.ayT2ZoxgjlI.eJ6OEYqjH7INR/F.mXDbjZJi9HF0YCVG",
            Shape::PasswordHash
        ));
        assert!(has("e10adc3949ba59abbe56e057f20f883e", Shape::PasswordHash));
        assert!(!has(
            "20180802103544123456789012345678",
            Shape::PasswordHash
        ));
        assert!(has("admin", Shape::LoginName));
        assert!(has("zhang.san@corp", Shape::LoginName));
        assert!(!has("1admin", Shape::LoginName));
        assert!(!has("hello world", Shape::LoginName));
        assert!(has("Chrome 12", Shape::Device));
        assert!(has("Windows 10", Shape::Device));
        assert!(has(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
            Shape::Device
        ));
    }

    #[test]
    fn han_values() {
        assert!(has("张三", Shape::HanName));
        assert!(has("欧阳娜娜", Shape::HanName));
        assert!(!has("测试用户", Shape::HanName));
        assert!(!has("张三丰的故事", Shape::HanName));
        assert!(has("我不怕千万人阻挡", Shape::HanText));
        assert!(has("上海", Shape::Region));
        assert!(has("杭州市", Shape::Region));
        assert!(has("西湖区", Shape::Region));
        assert!(!has("学生", Shape::Region));
    }

    #[test]
    fn enumerations() {
        let m = model();
        assert!(m.enumeration_shapes("男").has(Shape::GenderWord));
        assert!(m.enumeration_shapes("Female").has(Shape::GenderWord));
        assert!(m.enumeration_shapes("F").has(Shape::GenderCode));
        assert!(m.enumeration_shapes("1").has(Shape::GenderCode));
        assert!(m.enumeration_shapes("汉族").has(Shape::Ethnic));
        assert!(m.enumeration_shapes("维吾尔").has(Shape::Ethnic));
        assert!(!m.enumeration_shapes("汉堡").has(Shape::Ethnic));
        assert!(m.enumeration_shapes("已婚").has(Shape::OtherPiWord));
    }
}
