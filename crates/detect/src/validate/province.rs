//! Province-level administrative division codes, GB/T 2260 (first two digits of division
//! codes and resident IDs), plus the residence-permit prefixes 81/82/83 (spec §10.1, [U]).

/// The province-level codes: 31 mainland provinces, Taiwan (71), Hong Kong (81), Macau (82),
/// and 83 used by Taiwan residents' residence permits (spec §10.1, unverified).
pub const PROVINCE_CODES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// [`PROVINCE_CODES`] as a table indexed by code: every resident ID and credit-code
/// candidate is looked up, and searching the list cost dozens of instructions each.
const IS_PROVINCE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < PROVINCE_CODES.len() {
        t[PROVINCE_CODES[i] as usize] = true;
        i += 1;
    }
    t
};

/// Whether `code` is a province-level division code.
pub fn is_province_code(code: u8) -> bool {
    IS_PROVINCE[usize::from(code)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_codes() {
        assert!(is_province_code(11));
        assert!(is_province_code(65));
        assert!(is_province_code(83));
        assert!(!is_province_code(0));
        assert!(!is_province_code(10));
        assert!(!is_province_code(99));
        for code in 0..=255u8 {
            assert_eq!(
                is_province_code(code),
                PROVINCE_CODES.contains(&code),
                "{code}"
            );
        }
    }
}
