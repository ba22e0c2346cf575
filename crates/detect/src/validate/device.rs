//! Device and SIM identifiers: IMEI, IMSI, ICCID (spec §10.9).

use super::luhn;
use crate::finding::Carrier;

/// An IMEI: 15 digits whose last is a Luhn check digit.
pub fn is_imei(s: &[u8]) -> bool {
    s.len() == 15 && luhn::is_valid(s)
}

/// MNC → operator for China's MCC 460, and whether the row is confirmed (spec §10.9).
const MNC: [(u8, Carrier, bool); 13] = [
    (0, Carrier::ChinaMobile, true),
    (2, Carrier::ChinaMobile, true),
    (7, Carrier::ChinaMobile, true),
    (4, Carrier::ChinaMobile, false),
    (8, Carrier::ChinaMobile, false),
    (1, Carrier::ChinaUnicom, true),
    (6, Carrier::ChinaUnicom, true),
    (9, Carrier::ChinaUnicom, false),
    (3, Carrier::ChinaTelecom, true),
    (5, Carrier::ChinaTelecom, true),
    (11, Carrier::ChinaTelecom, false),
    (15, Carrier::ChinaBroadnet, false),
    (20, Carrier::ChinaTietong, true),
];

/// An IMSI of a mainland operator: 15 digits starting with MCC 460 and a known MNC.
/// Returns the operator and whether its MNC row is confirmed rather than [U].
pub fn imsi(s: &[u8]) -> Option<(Carrier, bool)> {
    if s.len() != 15 || !s.starts_with(b"460") || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mnc = (s[3] - b'0') * 10 + (s[4] - b'0');
    MNC.iter()
        .find(|(m, _, _)| *m == mnc)
        .map(|&(_, c, confirmed)| (c, confirmed))
}

/// ICCID issuer prefixes (spec §10.9, [S: S50]).
const ICCID_ISSUERS: [(&[u8], Carrier); 9] = [
    (b"898600", Carrier::ChinaMobile),
    (b"898602", Carrier::ChinaMobile),
    (b"898604", Carrier::ChinaMobile),
    (b"898607", Carrier::ChinaMobile),
    (b"898601", Carrier::ChinaUnicom),
    (b"898606", Carrier::ChinaUnicom),
    (b"898609", Carrier::ChinaUnicom),
    (b"898603", Carrier::ChinaTelecom),
    (b"898611", Carrier::ChinaTelecom),
];

/// What holds for an ICCID candidate (19–20 digits starting `8986`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iccid {
    /// The issuer, if the prefix is in the table.
    pub issuer: Option<Carrier>,
    /// The Luhn check digit holds.
    pub luhn: bool,
}

/// Checks an ICCID candidate; `None` unless it is 19–20 digits starting with `8986`.
pub fn iccid(s: &[u8]) -> Option<Iccid> {
    if !(19..=20).contains(&s.len()) || !s.starts_with(b"8986") || !s.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let issuer = ICCID_ISSUERS
        .iter()
        .find(|(p, _)| s.starts_with(p))
        .map(|&(_, c)| c);
    Some(Iccid {
        issuer,
        luhn: luhn::is_valid(s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imei_vector() {
        assert!(is_imei(b"490154203237518"));
        assert!(!is_imei(b"490154203237519"));
        assert!(!is_imei(b"49015420323751"));
    }

    #[test]
    fn imsi_operators() {
        assert_eq!(imsi(b"460001234567890"), Some((Carrier::ChinaMobile, true)));
        assert_eq!(imsi(b"460011234567890"), Some((Carrier::ChinaUnicom, true)));
        assert_eq!(
            imsi(b"460111234567890"),
            Some((Carrier::ChinaTelecom, false))
        );
        assert_eq!(imsi(b"460991234567890"), None);
        assert_eq!(imsi(b"454001234567890"), None, "Hong Kong MCC");
        assert_eq!(imsi(b"46000123456789"), None);
    }

    #[test]
    fn iccid_issuers() {
        let mut v = b"898600123456789012".to_vec();
        v.push(luhn::check_digit(&v).unwrap());
        let i = iccid(&v).unwrap();
        assert_eq!(i.issuer, Some(Carrier::ChinaMobile));
        assert!(i.luhn);
        let other = iccid(b"8986991234567890123").unwrap();
        assert_eq!(other.issuer, None);
        assert!(iccid(b"8985001234567890123").is_none());
    }
}
