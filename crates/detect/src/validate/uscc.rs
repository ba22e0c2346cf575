//! Unified Social Credit Codes, GB 32100-2015 (spec §10.2).

use super::{org_code, province};

/// The 31-character alphabet: digits and letters except I, O, Z, S, V (spec §10.2).
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^(i−1) mod 31 (spec §10.2).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The value of a character in the alphabet, or `None`.
pub fn value(b: u8) -> Option<u32> {
    VALUES[b as usize].map(u32::from)
}

const VALUES: [Option<u8>; 256] = {
    let mut t = [None; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = Some(i as u8);
        i += 1;
    }
    t
};

/// The check character for the first 17 characters.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&b, &w) in first17.iter().zip(WEIGHTS.iter()) {
        sum += value(b)? * w;
    }
    Some(ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// What holds for an 18-character candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uscc {
    /// The mod-31 check character is correct.
    pub checksum: bool,
    /// The embedded GB 11714 organisation code (positions 9–17) is valid.
    pub embedded_org_code: bool,
}

/// Checks an 18-character candidate. `None` if the shape is wrong: a character outside the
/// alphabet, or positions 3–8 (the division code) not all digits.
pub fn check(code: &[u8]) -> Option<Uscc> {
    if code.len() != 18 || !code.iter().all(|&b| value(b).is_some()) {
        return None;
    }
    // Position 1 may be a letter (spec §10.2 caution); positions 3–8 are a division code.
    if !code[2..8].iter().all(u8::is_ascii_digit) {
        return None;
    }
    // The division code starts with a province-level code, or 10 for bodies registered at the
    // national level (100000). This rejects look-alikes such as order numbers `DD2024…`.
    let prov = (code[2] - b'0') * 10 + (code[3] - b'0');
    if prov != 10 && !province::is_province_code(prov) {
        return None;
    }
    Some(Uscc {
        checksum: check_char(&code[..17]) == Some(code[17]),
        embedded_org_code: org_code::is_valid(&code[8..17]),
    })
}

/// Whether `code` is a valid USCC: both checks hold.
pub fn is_valid(code: &[u8]) -> bool {
    check(code).is_some_and(|u| u.checksum && u.embedded_org_code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_vector() {
        assert!(is_valid(b"91110000600037341L"));
        assert_eq!(check_char(b"91110000600037341"), Some(b'L'));
        let c = check(b"91110000600037342L").unwrap();
        assert!(!c.checksum);
        assert!(!c.embedded_org_code);
        assert!(
            check(b"9111000060003734IL").is_none(),
            "I is not in the alphabet"
        );
        assert!(
            check(b"91A10000600037341L").is_none(),
            "division code must be digits"
        );
    }

    fn arb_uscc() -> impl Strategy<Value = Vec<u8>> {
        let ch = || proptest::sample::select(ALPHABET.to_vec());
        (
            ch(),
            ch(),
            proptest::sample::select(province::PROVINCE_CODES.to_vec()),
            proptest::collection::vec(b'0'..=b'9', 4),
            proptest::collection::vec(ch(), 8),
        )
            .prop_map(|(a, b, prov, div, body)| {
                let mut v = vec![a, b];
                v.extend(format!("{prov:02}").bytes());
                v.extend(div);
                v.extend(&body);
                v.push(org_code::check_char(&body).unwrap());
                // The embedded check may be `X` or a digit, both in the alphabet.
                let c = check_char(&v).unwrap();
                v.push(c);
                v
            })
    }

    proptest! {
        #[test]
        fn generated_codes_are_valid(code in arb_uscc()) {
            prop_assert!(is_valid(&code));
        }

        #[test]
        fn any_single_character_change_is_rejected(code in arb_uscc(), pos in 0usize..18, delta in 1usize..31) {
            // Weights are non-zero mod the prime 31, so every substitution changes the sum.
            let mut v = code.clone();
            let cur = ALPHABET.iter().position(|&c| c == v[pos]).unwrap();
            v[pos] = ALPHABET[(cur + delta) % 31];
            prop_assert!(!is_valid(&v));
        }
    }
}
