//! Masked evidence: what a finding may show of its value by default.
//!
//! Every rule keeps the value's length and separators and replaces the identifying middle
//! with `*`, following common practice for each kind (first 6 and last 4 for ID and card
//! numbers, `138****5678` for phones, the surname only for names …). Secrets show nothing of
//! their value.

use crate::detector::Builtin;
use crate::finding::{Note, SecretKind};

const STAR: char = '*';

/// Masks `value`, found by `builtin`.
pub fn mask_builtin(builtin: Builtin, value: &str, note: Note) -> String {
    match builtin {
        Builtin::ResidentId | Builtin::BankCard => keep_alnum(value, 6, 4),
        Builtin::Mobile => {
            // Keep the country code, the first three digits and the last four.
            let digits = value.bytes().filter(u8::is_ascii_digit).count();
            keep_alnum(value, digits.saturating_sub(11) + 3, 4)
        }
        Builtin::Landline => {
            let area = value
                .trim_start_matches(['(', '（'])
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            keep_alnum(value, area, 2)
        }
        Builtin::Email => mask_email(value),
        Builtin::Uscc => keep_alnum(value, 8, 2),
        Builtin::OrgCode => keep_alnum(value, 2, 1),
        Builtin::Passport | Builtin::HkMacauPermit | Builtin::TaiwanPermit => {
            keep_alnum(value, 1, 2)
        }
        Builtin::VehiclePlate => keep_chars(value, 2, 1),
        Builtin::Imei | Builtin::Imsi => keep_alnum(value, 6, 2),
        Builtin::Iccid => keep_alnum(value, 6, 2),
        Builtin::MacAddress => keep_alnum(value, 6, 0),
        Builtin::Ipv4 => mask_after_separators(value, '.', 2),
        Builtin::Ipv6 => mask_after_separators(value, ':', 2),
        Builtin::GeoCoordinate => mask_decimals(value),
        Builtin::PersonName => mask_name(value),
        Builtin::Address => mask_address(value),
        Builtin::Secret => mask_secret(value, note),
        Builtin::BirthDate => keep_alnum(value, 4, 0),
        Builtin::PostalCode => keep_alnum(value, 2, 0),
    }
}

/// Masks a user-defined detector's value, keeping `start` and `end` alphanumerics.
pub fn mask_custom(value: &str, keep: (u8, u8)) -> String {
    keep_alnum(value, usize::from(keep.0), usize::from(keep.1))
}

/// Keeps the first `head` and last `tail` ASCII letters and digits, masks the others, keeps
/// separators. When too little would be masked, masks everything but the first character.
pub fn keep_alnum(value: &str, head: usize, tail: usize) -> String {
    let total = value.chars().filter(char::is_ascii_alphanumeric).count();
    let (head, tail) = if head + tail + 2 > total {
        (total.min(1), 0)
    } else {
        (head, tail)
    };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > total - tail {
                c
            } else {
                STAR
            }
        })
        .collect()
}

/// Keeps the first `head` and last `tail` characters of any kind.
fn keep_chars(value: &str, head: usize, tail: usize) -> String {
    let total = value.chars().count();
    if head + tail >= total {
        return value.chars().map(|_| STAR).collect();
    }
    value
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i < head || i >= total - tail {
                c
            } else {
                STAR
            }
        })
        .collect()
}

fn mask_email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            let stars = STAR
                .to_string()
                .repeat(local.chars().count().saturating_sub(1).max(1));
            format!("{first}{stars}@{domain}")
        }
        None => keep_alnum(value, 1, 0),
    }
}

/// Keeps the first `keep` parts split by `sep`, masks the digits of the rest.
fn mask_after_separators(value: &str, sep: char, keep: usize) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, part) in value.split(sep).enumerate() {
        if i > 0 {
            out.push(sep);
        }
        if i < keep {
            out.push_str(part);
        } else {
            out.extend(
                part.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { STAR } else { c }),
            );
        }
    }
    out
}

/// Keeps the integer part and the first decimal of each coordinate.
fn mask_decimals(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut decimals = None::<usize>;
    for c in value.chars() {
        match (c, decimals) {
            ('.', _) => {
                decimals = Some(0);
                out.push(c);
            }
            (d, Some(n)) if d.is_ascii_digit() => {
                out.push(if n < 1 { d } else { STAR });
                decimals = Some(n + 1);
            }
            _ => {
                decimals = None;
                out.push(c);
            }
        }
    }
    out
}

/// Compound surnames keep two characters, others one.
fn mask_name(value: &str) -> String {
    let n = value.chars().count();
    let keep = if n >= 4 { 2 } else { 1 };
    keep_chars(value, keep, 0)
}

/// Keeps roughly the administrative part (the first third, at most nine characters) and
/// masks the street, number and room.
fn mask_address(value: &str) -> String {
    let n = value.chars().count();
    keep_chars(value, (n / 3).min(9), 0)
}

fn mask_secret(value: &str, note: Note) -> String {
    match note {
        Note::Secret(SecretKind::PemPrivateKey) => {
            let header = value
                .lines()
                .next()
                .unwrap_or("-----BEGIN PRIVATE KEY-----");
            format!("{header} [{} bytes masked]", value.len())
        }
        Note::Secret(
            SecretKind::AwsAccessKeyId
            | SecretKind::AliyunAccessKeyId
            | SecretKind::TencentSecretId,
        ) => keep_alnum(value, 4, 0),
        Note::Secret(SecretKind::Jwt) => {
            format!("eyJ*** [JWT, {} bytes masked]", value.len())
        }
        _ => STAR.to_string().repeat(value.chars().count().clamp(3, 12)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example() {
        assert_eq!(
            mask_builtin(Builtin::ResidentId, "11010519491231002X", Note::None),
            "110105********002X"
        );
    }

    #[test]
    fn phones_cards_and_mail() {
        assert_eq!(
            mask_builtin(Builtin::Mobile, "13812345678", Note::None),
            "138****5678"
        );
        assert_eq!(
            mask_builtin(Builtin::Mobile, "+86 138 1234 5678", Note::None),
            "+86 138 **** 5678"
        );
        assert_eq!(
            mask_builtin(Builtin::BankCard, "6222 0212 3456 7890", Note::None),
            "6222 02** **** 7890"
        );
        assert_eq!(
            mask_builtin(Builtin::Landline, "010-62345678", Note::None),
            "010-******78"
        );
        assert_eq!(
            mask_builtin(Builtin::Email, "duanxiulan@example.com", Note::None),
            "d*********@example.com"
        );
        assert_eq!(
            mask_builtin(Builtin::Email, "a@b.cn", Note::None),
            "a*@b.cn"
        );
    }

    #[test]
    fn network_and_location() {
        assert_eq!(
            mask_builtin(Builtin::Ipv4, "192.168.10.20", Note::None),
            "192.168.**.**"
        );
        assert_eq!(
            mask_builtin(Builtin::Ipv6, "2001:db8::1", Note::None),
            "2001:db8::*"
        );
        assert_eq!(
            mask_builtin(Builtin::MacAddress, "00:1A:2B:3C:4D:5E", Note::None),
            "00:1A:2B:**:**:**"
        );
        assert_eq!(
            mask_builtin(Builtin::GeoCoordinate, "39.9042, 116.4074", Note::None),
            "39.9***, 116.4***"
        );
    }

    #[test]
    fn han_values() {
        assert_eq!(
            mask_builtin(Builtin::PersonName, "张三丰", Note::None),
            "张**"
        );
        assert_eq!(
            mask_builtin(Builtin::PersonName, "欧阳娜娜", Note::None),
            "欧阳**"
        );
        assert_eq!(
            mask_builtin(Builtin::VehiclePlate, "京A12345", Note::None),
            "京A****5"
        );
        let a = mask_builtin(Builtin::Address, "北京市海淀区中关村大街27号", Note::None);
        assert!(a.starts_with("北京市海"), "{a}");
        assert!(a.ends_with("***"), "{a}");
        assert_eq!(a.chars().count(), 14);
    }

    #[test]
    fn secrets_show_nothing_of_the_value() {
        let pw = mask_builtin(
            Builtin::Secret,
            "S3cr3t!",
            Note::Secret(SecretKind::PasswordAssignment),
        );
        assert!(!pw.contains('S') && !pw.contains('3'), "{pw}");
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----";
        let m = mask_builtin(
            Builtin::Secret,
            pem,
            Note::Secret(SecretKind::PemPrivateKey),
        );
        assert!(!m.contains("MIIabc"), "{m}");
        assert!(m.starts_with("-----BEGIN RSA PRIVATE KEY-----"), "{m}");
        let ak = mask_builtin(
            Builtin::Secret,
            "AKIAIOSFODNN7EXAMPLE",
            Note::Secret(SecretKind::AwsAccessKeyId),
        );
        assert_eq!(ak, "AKIA****************");
    }

    #[test]
    fn short_values_are_mostly_masked() {
        assert_eq!(keep_alnum("12345", 3, 4), "1****");
        assert_eq!(mask_custom("E123456", (1, 1)), "E*****6");
    }
}
