//! Bank card numbers: Luhn plus a plausible issuer number (spec §10.6).
//!
//! The issuer ranges are data (`rules/detectors/card_issuers.toml`).

use super::luhn;
use crate::finding::CardScheme;

/// One issuer range: numbers starting with a prefix between `low` and `high` (inclusive, same
/// number of digits) of one of the given lengths belong to `scheme`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerRange {
    /// Card scheme.
    pub scheme: CardScheme,
    /// Lowest prefix, e.g. `2221`.
    pub low: String,
    /// Highest prefix, e.g. `2720`.
    pub high: String,
    /// Allowed total lengths.
    pub lengths: Vec<u8>,
}

/// A compiled issuer table.
#[derive(Clone, Debug)]
pub struct IssuerTable {
    ranges: Vec<CompiledRange>,
}

/// One issuer range, compiled for [`IssuerTable::scheme`].
#[derive(Clone, Copy, Debug)]
struct CompiledRange {
    low: u32,
    high: u32,
    /// `10^(8 − prefix digits)`: the first eight digits of a number divided by it give the
    /// prefix to compare (a power computed once here, not per number).
    divisor: u32,
    /// Bit `l` is set for each allowed length `l`.
    lengths: u32,
    scheme: CardScheme,
}

impl IssuerTable {
    /// Compiles the ranges; returns a description of the first bad row.
    pub fn new(ranges: &[IssuerRange]) -> Result<IssuerTable, String> {
        let mut out = Vec::with_capacity(ranges.len());
        for r in ranges {
            let n = r.low.len();
            if n == 0 || n > 8 || r.high.len() != n {
                return Err(format!(
                    "prefixes {}..{} must have the same 1–8 digits",
                    r.low, r.high
                ));
            }
            let (Some(low), Some(high)) = (
                super::date::number(r.low.as_bytes()),
                super::date::number(r.high.as_bytes()),
            ) else {
                return Err(format!("prefixes {}..{} must be digits", r.low, r.high));
            };
            if low > high {
                return Err(format!("prefix range {}..{} is empty", r.low, r.high));
            }
            let mut mask = 0u32;
            for &l in &r.lengths {
                if !(12..=19).contains(&l) {
                    return Err(format!("card length {l} is outside 12–19"));
                }
                mask |= 1 << l;
            }
            out.push(CompiledRange {
                low,
                high,
                divisor: 10u32.pow(8 - n as u32),
                lengths: mask,
                scheme: r.scheme,
            });
        }
        Ok(IssuerTable { ranges: out })
    }

    /// The scheme whose range and length fit the digits, if any.
    pub fn scheme(&self, digits: &[u8]) -> Option<CardScheme> {
        let len = digits.len();
        if !(12..=19).contains(&len) {
            return None;
        }
        // The first eight digits as a number, once; each range compares its own prefix length.
        let mut first8 = 0u32;
        for &b in &digits[..8] {
            if !b.is_ascii_digit() {
                return None;
            }
            first8 = first8 * 10 + u32::from(b - b'0');
        }
        self.ranges.iter().find_map(|r| {
            let p = first8 / r.divisor;
            (r.lengths & (1 << len) != 0 && p >= r.low && p <= r.high).then_some(r.scheme)
        })
    }
}

/// What holds for a card-number candidate (digits only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankCard {
    /// The scheme, if the issuer number is plausible.
    pub scheme: Option<CardScheme>,
    /// The Luhn check holds.
    pub luhn: bool,
}

/// Checks a digits-only candidate.
pub fn check(digits: &[u8], issuers: &IssuerTable) -> BankCard {
    BankCard {
        scheme: issuers.scheme(digits),
        luhn: luhn::is_valid(digits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn table() -> IssuerTable {
        let r = |scheme, low: &str, high: &str, lengths: &[u8]| IssuerRange {
            scheme,
            low: low.into(),
            high: high.into(),
            lengths: lengths.to_vec(),
        };
        IssuerTable::new(&[
            r(CardScheme::UnionPay, "62", "62", &[16, 17, 18, 19]),
            r(CardScheme::Visa, "4", "4", &[13, 16, 19]),
            r(CardScheme::Mastercard, "51", "55", &[16]),
            r(CardScheme::Mastercard, "2221", "2720", &[16]),
        ])
        .unwrap()
    }

    #[test]
    fn schemes_by_prefix_and_length() {
        let t = table();
        assert_eq!(t.scheme(b"6222021234567890"), Some(CardScheme::UnionPay));
        assert_eq!(t.scheme(b"6222021234567890123"), Some(CardScheme::UnionPay));
        assert_eq!(t.scheme(b"4111111111111111"), Some(CardScheme::Visa));
        assert_eq!(
            t.scheme(b"41111111111111111"),
            None,
            "Visa has no 17-digit cards"
        );
        assert_eq!(t.scheme(b"2720991111111111"), Some(CardScheme::Mastercard));
        assert_eq!(t.scheme(b"2721001111111111"), None);
        assert_eq!(t.scheme(b"1153939001504104247"), None);
        let c = check(b"4111111111111111", &t);
        assert!(c.luhn);
    }

    #[test]
    fn bad_rows_are_described() {
        let bad = IssuerRange {
            scheme: CardScheme::Visa,
            low: "5".into(),
            high: "4".into(),
            lengths: vec![16],
        };
        assert!(IssuerTable::new(&[bad]).unwrap_err().contains("empty"));
        let bad = IssuerRange {
            scheme: CardScheme::Visa,
            low: "4".into(),
            high: "4".into(),
            lengths: vec![25],
        };
        assert!(IssuerTable::new(&[bad]).unwrap_err().contains("25"));
    }
}
