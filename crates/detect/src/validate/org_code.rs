//! Organisation codes, GB 11714-1997 (spec §10.3).

/// Weights for the eight body characters (spec §10.3).
const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The value of a body character: digits 0–9, letters A=10 … Z=35 (spec §10.3; letters [U]).
fn value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

/// The check character for an eight-character body: `11 − (Σ mod 11)`, 10 → `X`, 11 → `0`.
pub fn check_char(body: &[u8]) -> Option<u8> {
    if body.len() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (&b, &w) in body.iter().zip(WEIGHTS.iter()) {
        sum += value(b)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    })
}

/// Validates `XXXXXXXXC` or `XXXXXXXX-C` (uppercase).
pub fn is_valid(code: &[u8]) -> bool {
    let (body, check) = match code.len() {
        9 => (&code[..8], code[8]),
        10 if code[8] == b'-' => (&code[..8], code[9]),
        _ => return false,
    };
    check_char(body) == Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_vector() {
        // spec §10.3: 60003734 → 1, matching USCC 91110000600037341L.
        assert_eq!(check_char(b"60003734"), Some(b'1'));
        assert!(is_valid(b"600037341"));
        assert!(is_valid(b"60003734-1"));
        assert!(!is_valid(b"60003734-2"));
        assert!(!is_valid(b"60003734+1"));
        assert!(!is_valid(b"6000373"));
        assert!(!is_valid(b"6000373a-1"));
    }

    fn arb_code() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            proptest::sample::select(b"0123456789ABCDEFGHJKLMNPQRTUWXY".to_vec()),
            8,
        )
        .prop_map(|mut body| {
            let c = check_char(&body).unwrap();
            body.push(c);
            body
        })
    }

    proptest! {
        #[test]
        fn generated_codes_are_valid(code in arb_code()) {
            prop_assert!(is_valid(&code));
        }

        #[test]
        fn a_changed_digit_is_rejected(code in arb_code(), pos in 0usize..8, delta in 1u8..10) {
            // Weights are non-zero mod 11, so any substitution among digits changes the sum.
            let mut v = code.clone();
            if !v[pos].is_ascii_digit() { return Ok(()); }
            v[pos] = b'0' + (v[pos] - b'0' + delta) % 10;
            prop_assert!(!is_valid(&v));
        }
    }
}
