//! Landline numbers: area code plus a 7–8 digit local number (spec §10.5).

/// Whether `code` (with its leading 0) has the shape of a mainland area code: `010`, `02X`, or
/// `0` followed by three digits whose first is 3–9 (spec §10.5; the full list is [U]).
pub fn is_area_code(code: &[u8]) -> bool {
    if !code.iter().all(u8::is_ascii_digit) || code.first() != Some(&b'0') {
        return false;
    }
    match code.len() {
        3 => code[1] == b'1' && code[2] == b'0' || code[1] == b'2',
        4 => (b'3'..=b'9').contains(&code[1]),
        _ => false,
    }
}

/// Whether `local` is a plausible local number: 7–8 digits not starting with 0 or 1, and the
/// length fits the area code (three-digit codes of the big cities have 8-digit numbers).
pub fn is_local_number(area: &[u8], local: &[u8]) -> bool {
    let ok_len = match area.len() {
        3 => local.len() == 8,
        _ => local.len() == 7 || local.len() == 8,
    };
    ok_len && local.iter().all(u8::is_ascii_digit) && !matches!(local[0], b'0' | b'1')
}

/// Splits an unseparated number (`01012345678`, `075512345678`) into area code and local part,
/// preferring the reading in which both parts are plausible.
pub fn split_compact(digits: &[u8]) -> Option<(&[u8], &[u8])> {
    [3usize, 4].into_iter().find_map(|n| {
        (digits.len() > n)
            .then(|| digits.split_at(n))
            .filter(|(a, l)| is_area_code(a) && is_local_number(a, l))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_codes() {
        for ok in ["010", "020", "021", "029", "0755", "0371", "0991"] {
            assert!(is_area_code(ok.as_bytes()), "{ok}");
        }
        for bad in ["011", "0155", "0255", "100", "07555", "075", "0a55"] {
            assert!(!is_area_code(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn local_numbers() {
        assert!(is_local_number(b"010", b"62345678"));
        assert!(
            !is_local_number(b"010", b"6234567"),
            "Beijing numbers have 8 digits"
        );
        assert!(is_local_number(b"0755", b"2345678"));
        assert!(!is_local_number(b"0755", b"1234567"));
        assert!(!is_local_number(b"0755", b"023456789"));
    }

    #[test]
    fn compact_split() {
        assert_eq!(
            split_compact(b"01062345678"),
            Some((&b"010"[..], &b"62345678"[..]))
        );
        assert_eq!(
            split_compact(b"075523456789"),
            Some((&b"0755"[..], &b"23456789"[..]))
        );
        assert_eq!(split_compact(b"13812345678"), None);
    }
}
