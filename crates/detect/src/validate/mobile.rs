//! Mainland mobile numbers and their number segments (spec §10.4).
//!
//! The segment table is data (`rules/detectors/mobile_segments.toml`); this module compiles it
//! into a lookup keyed by the first five digits.

use crate::finding::Carrier;

/// A compiled segment table: for each 5-digit prefix `1abcd`, the carrier it belongs to.
#[derive(Clone, Debug)]
pub struct SegmentTable {
    /// Indexed by `abcd` of the prefix `1abcd`; 0 = not allocated, else carrier code + 1.
    by_prefix: Vec<u8>,
}

/// One row of the segment data: a prefix of 3–5 digits starting with `1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Digits the number starts with.
    pub prefix: String,
    /// Who the segment belongs to.
    pub carrier: Carrier,
}

impl SegmentTable {
    /// Compiles segments; a longer prefix overrides a shorter one (`1349` inside `134`).
    /// Returns the offending prefix if one is not 3–5 digits starting with `1`.
    pub fn new(segments: &[Segment]) -> Result<SegmentTable, String> {
        let mut rows: Vec<&Segment> = segments.iter().collect();
        for s in &rows {
            let p = s.prefix.as_bytes();
            if !(3..=5).contains(&p.len()) || p[0] != b'1' || !p.iter().all(u8::is_ascii_digit) {
                return Err(s.prefix.clone());
            }
        }
        rows.sort_by_key(|s| s.prefix.len());
        let mut by_prefix = vec![0u8; 10_000];
        for s in rows {
            let p = &s.prefix.as_bytes()[1..];
            let fixed: usize = p.iter().fold(0, |a, &b| a * 10 + usize::from(b - b'0'));
            let free = 4 - p.len();
            let span = 10usize.pow(free as u32);
            let base = fixed * span;
            for slot in &mut by_prefix[base..base + span] {
                *slot = carrier_code(s.carrier) + 1;
            }
        }
        Ok(SegmentTable { by_prefix })
    }

    /// The carrier of an 11-digit number, or `None` if its segment is not allocated.
    pub fn carrier(&self, number: &[u8]) -> Option<Carrier> {
        if number.len() != 11 || number[0] != b'1' {
            return None;
        }
        let key = number[1..5].iter().try_fold(0usize, |a, &b| {
            b.is_ascii_digit().then(|| a * 10 + usize::from(b - b'0'))
        })?;
        match self.by_prefix[key] {
            0 => None,
            c => Some(CARRIERS[usize::from(c - 1)]),
        }
    }
}

const CARRIERS: [Carrier; 7] = [
    Carrier::ChinaMobile,
    Carrier::ChinaUnicom,
    Carrier::ChinaTelecom,
    Carrier::ChinaBroadnet,
    Carrier::ChinaTietong,
    Carrier::Satellite,
    Carrier::Mvno,
];

fn carrier_code(c: Carrier) -> u8 {
    CARRIERS.iter().position(|&x| x == c).unwrap_or(0) as u8
}

/// Whether an 11-byte candidate has the mobile shape `1[3-9]\d{9}` (spec §10.4).
pub fn has_shape(number: &[u8]) -> bool {
    number.len() == 11
        && number[0] == b'1'
        && (b'3'..=b'9').contains(&number[1])
        && number.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(prefix: &str, carrier: Carrier) -> Segment {
        Segment {
            prefix: prefix.into(),
            carrier,
        }
    }

    #[test]
    fn longest_prefix_wins() {
        let t = SegmentTable::new(&[
            seg("134", Carrier::ChinaMobile),
            seg("1349", Carrier::ChinaTelecom),
            seg("17400", Carrier::Satellite),
        ])
        .unwrap();
        assert_eq!(t.carrier(b"13412345678"), Some(Carrier::ChinaMobile));
        assert_eq!(t.carrier(b"13492345678"), Some(Carrier::ChinaTelecom));
        assert_eq!(t.carrier(b"17400345678"), Some(Carrier::Satellite));
        assert_eq!(t.carrier(b"17401345678"), None);
        assert_eq!(t.carrier(b"13512345678"), None);
        assert_eq!(t.carrier(b"1341234567"), None);
    }

    #[test]
    fn bad_prefixes_are_named() {
        assert_eq!(
            SegmentTable::new(&[seg("23", Carrier::ChinaMobile)]).unwrap_err(),
            "23"
        );
        assert_eq!(
            SegmentTable::new(&[seg("2345", Carrier::ChinaMobile)]).unwrap_err(),
            "2345"
        );
        assert_eq!(
            SegmentTable::new(&[seg("134567", Carrier::ChinaMobile)]).unwrap_err(),
            "134567"
        );
    }

    #[test]
    fn shape() {
        assert!(has_shape(b"13812345678"));
        assert!(!has_shape(b"12812345678"));
        assert!(!has_shape(b"1381234567"));
        assert!(!has_shape(b"1381234567x"));
    }
}
