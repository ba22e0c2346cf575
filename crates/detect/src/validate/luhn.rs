//! The Luhn (mod 10) check used by bank cards, IMEIs and ICCIDs (spec §10.6, §10.9).

/// Whether `digits` (ASCII digits only, at least two) passes the Luhn check.
/// Returns `false` for any non-digit byte.
pub fn is_valid(digits: &[u8]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let Some(d) = digit(b) else { return false };
        sum += if i % 2 == 1 { DOUBLED[d as usize] } else { d };
    }
    sum.is_multiple_of(10)
}

/// The check digit that makes `body` followed by it Luhn-valid.
pub fn check_digit(body: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &b) in body.iter().rev().enumerate() {
        let d = digit(b)?;
        // The check digit will sit at position 0, so the body's last digit is doubled.
        sum += if i % 2 == 0 { DOUBLED[d as usize] } else { d };
    }
    Some(b'0' + ((10 - sum % 10) % 10) as u8)
}

const DOUBLED: [u32; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_vectors() {
        // spec §10.6 and §10.9 test vectors.
        assert!(is_valid(b"4111111111111111"));
        assert!(is_valid(b"490154203237518"));
        assert!(!is_valid(b"4111111111111112"));
        assert!(!is_valid(b"41111111111x1111"));
        assert!(!is_valid(b"0"));
        assert_eq!(check_digit(b"411111111111111"), Some(b'1'));
        assert_eq!(check_digit(b"49015420323751"), Some(b'8'));
    }

    proptest! {
        #[test]
        fn generated_numbers_are_valid(body in proptest::collection::vec(0u8..10, 1..24)) {
            let mut v: Vec<u8> = body.iter().map(|d| b'0' + d).collect();
            let c = check_digit(&v).unwrap();
            v.push(c);
            prop_assert!(is_valid(&v));
        }

        #[test]
        fn any_single_digit_change_is_caught(
            body in proptest::collection::vec(0u8..10, 1..24),
            pos in any::<proptest::sample::Index>(),
            delta in 1u8..10,
        ) {
            let mut v: Vec<u8> = body.iter().map(|d| b'0' + d).collect();
            v.push(check_digit(&v).unwrap());
            let i = pos.index(v.len());
            v[i] = b'0' + (v[i] - b'0' + delta) % 10;
            prop_assert!(!is_valid(&v));
        }
    }
}
