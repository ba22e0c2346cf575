//! Postal codes (spec §10.10). Six digits are too common to report without context.

/// Whether `s` matches the strict any-rule pattern
/// `(0[1-7]|1[0-356]|2[0-7]|3[0-6]|4[0-7]|5[1-7]|6[1-7]|7[0-5]|8[013-6])\d{4}` (spec §10.10).
pub fn is_valid(s: &[u8]) -> bool {
    if s.len() != 6 || !s.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let second = s[1];
    match s[0] {
        b'0' => (b'1'..=b'7').contains(&second),
        b'1' => matches!(second, b'0'..=b'3' | b'5' | b'6'),
        b'2' => (b'0'..=b'7').contains(&second),
        b'3' => (b'0'..=b'6').contains(&second),
        b'4' => (b'0'..=b'7').contains(&second),
        b'5' | b'6' => (b'1'..=b'7').contains(&second),
        b'7' => (b'0'..=b'5').contains(&second),
        b'8' => matches!(second, b'0' | b'1' | b'3'..=b'6'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_pattern() {
        for ok in ["100000", "200120", "518000", "830000", "010010"] {
            assert!(is_valid(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "000000", "140000", "500000", "900000", "82000", "8200001", "51800a",
        ] {
            assert!(!is_valid(bad.as_bytes()), "{bad}");
        }
    }
}
