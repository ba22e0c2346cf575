//! Vehicle plates, GA 36 (spec §10.8).

/// Province characters that open a plate, plus 使 and 领 (spec §10.8).
pub const PROVINCE_CHARS: &str =
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";
/// Characters that may close an ordinary plate (spec §10.8).
pub const SUFFIX_CHARS: &str = "挂学警港澳";

/// Whether `c` opens a plate.
pub fn is_province_char(c: char) -> bool {
    PROVINCE_CHARS.contains(c)
}

/// Whether `c` may close an ordinary plate.
pub fn is_suffix_char(c: char) -> bool {
    SUFFIX_CHARS.contains(c)
}

/// Letters used on plates: A–Z without I and O.
pub fn is_plate_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && b != b'I' && b != b'O'
}

fn is_plate_alnum(b: u8) -> bool {
    b.is_ascii_digit() || is_plate_letter(b)
}

/// Checks the ASCII part of a plate after the province character: the authority letter and
/// the serial (`tail`), with `suffix` set when a 挂学警港澳 character follows. Returns whether
/// it is a new-energy plate.
///
/// Ordinary: letter + 5 alphanumerics (or 4 plus a suffix character); at least three digits,
/// since real serials are mostly digits and this rejects words like `ABCDE`.
/// New energy: letter + `[DF][A-HJ-NP-Z0-9]\d{4}` or `\d{5}[DF]`.
pub fn check(ascii: &[u8], suffix: bool) -> Option<bool> {
    let (&authority, serial) = ascii.split_first()?;
    if !is_plate_letter(authority) || !serial.iter().all(|&b| is_plate_alnum(b)) {
        return None;
    }
    let n_digits = serial.iter().filter(|b| b.is_ascii_digit()).count();
    match (serial.len(), suffix) {
        (5, false) if n_digits >= 3 => Some(false),
        (4, true) if n_digits >= 3 => Some(false),
        (6, false) => {
            let small =
                matches!(serial[0], b'D' | b'F') && serial[2..].iter().all(u8::is_ascii_digit);
            let large =
                serial[..5].iter().all(u8::is_ascii_digit) && matches!(serial[5], b'D' | b'F');
            (small || large).then_some(true)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_and_new_energy() {
        assert_eq!(check(b"A12345", false), Some(false));
        assert_eq!(check(b"B1234", true), Some(false));
        assert_eq!(check(b"AD12345", false), Some(true));
        assert_eq!(check(b"AF12345", false), Some(true));
        assert_eq!(check(b"A12345D", false), Some(true));
        assert_eq!(check(b"AA12345", false), None);
        assert_eq!(check(b"I12345", false), None, "I is not a plate letter");
        assert_eq!(check(b"A1O345", false), None, "O is not a plate letter");
        assert_eq!(check(b"ABCDEF", false), None, "too few digits");
        assert_eq!(check(b"A1234", false), None);
        assert!(is_province_char('粤'));
        assert!(is_province_char('使'));
        assert!(!is_province_char('中'));
        assert!(is_suffix_char('挂'));
    }
}
