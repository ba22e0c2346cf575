//! Travel documents: passports, HK/Macau permits, Taiwan permits (spec §10.7).

use crate::finding::DocumentKind;

/// Letters allowed after `C` on the 往来港澳通行证 (not I or O, spec §10.7).
fn is_permit_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && b != b'I' && b != b'O'
}

fn digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

/// A PRC passport number: `[EeKkGgDdSsPpHh]\d{8}` or `(E[A-F]|DE|SE|PE|KJ|MA|1[45])\d{7}`
/// (spec §10.7, any-rule). Returns the document kind and whether the shape alone is
/// distinctive (electronic `E` passports) or needs context.
pub fn passport(s: &[u8]) -> Option<(DocumentKind, bool)> {
    if s.len() != 9 {
        return None;
    }
    let a = s[0].to_ascii_uppercase();
    if digits(&s[1..]) {
        return match a {
            b'E' => Some((DocumentKind::ElectronicPassport, true)),
            b'G' => Some((DocumentKind::OrdinaryPassport, false)),
            b'D' | b'S' | b'P' => Some((DocumentKind::OfficialPassport, false)),
            b'K' | b'H' => Some((DocumentKind::SarPassport, false)),
            _ => None,
        };
    }
    if !digits(&s[2..]) {
        return None;
    }
    match (s[0], s[1]) {
        (b'E', b'A'..=b'F') => Some((DocumentKind::ElectronicPassport, true)),
        (b'D' | b'S' | b'P', b'E') => Some((DocumentKind::OfficialPassport, false)),
        (b'K', b'J') | (b'M', b'A') => Some((DocumentKind::SarPassport, false)),
        (b'1', b'4' | b'5') => Some((DocumentKind::OrdinaryPassport, false)),
        _ => None,
    }
}

/// A HK/Macau permit: 往来港澳通行证 `C\d{8}` or `C[A-HJ-NP-Z]\d{7}`; 回乡证 `[HM]\d{8}` or
/// `[HM]\d{10}` (older cards, [U]).
pub fn hk_macau_permit(s: &[u8]) -> Option<DocumentKind> {
    match (s.len(), s.first()?) {
        (9, b'C') if digits(&s[1..]) || (is_permit_letter(s[1]) && digits(&s[2..])) => {
            Some(DocumentKind::ExitEntryPermitHkMacau)
        }
        (9 | 11, b'H' | b'M') if digits(&s[1..]) => Some(DocumentKind::HomeReturnPermit),
        _ => None,
    }
}

/// A Taiwan compatriot permit on the 2015+ card: eight digits (spec §10.7). Context required.
pub fn taiwan_permit(s: &[u8]) -> bool {
    s.len() == 8 && digits(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passports() {
        assert_eq!(
            passport(b"E12345678"),
            Some((DocumentKind::ElectronicPassport, true))
        );
        assert_eq!(
            passport(b"EA1234567"),
            Some((DocumentKind::ElectronicPassport, true))
        );
        assert_eq!(
            passport(b"G12345678"),
            Some((DocumentKind::OrdinaryPassport, false))
        );
        assert_eq!(
            passport(b"DE1234567"),
            Some((DocumentKind::OfficialPassport, false))
        );
        assert_eq!(
            passport(b"MA1234567"),
            Some((DocumentKind::SarPassport, false))
        );
        assert_eq!(passport(b"EG1234567"), None);
        assert_eq!(passport(b"X12345678"), None);
        assert_eq!(passport(b"E1234567"), None);
    }

    #[test]
    fn permits() {
        assert_eq!(
            hk_macau_permit(b"C12345678"),
            Some(DocumentKind::ExitEntryPermitHkMacau)
        );
        assert_eq!(
            hk_macau_permit(b"CA1234567"),
            Some(DocumentKind::ExitEntryPermitHkMacau)
        );
        assert_eq!(hk_macau_permit(b"CI1234567"), None);
        assert_eq!(
            hk_macau_permit(b"H12345678"),
            Some(DocumentKind::HomeReturnPermit)
        );
        assert_eq!(
            hk_macau_permit(b"M1234567890"),
            Some(DocumentKind::HomeReturnPermit)
        );
        assert_eq!(hk_macau_permit(b"M123456789"), None);
        assert!(taiwan_permit(b"12345678"));
        assert!(!taiwan_permit(b"1234567"));
    }
}
