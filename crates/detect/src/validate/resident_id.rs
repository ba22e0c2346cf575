//! Resident identity numbers, GB 11643-1999 (spec §10.1).

use super::{CivilDate, province};

/// Weights for positions 1..17: 2^(17−i) mod 11 (spec §10.1).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by the weighted sum mod 11 (spec §10.1).
const CHECK: &[u8; 11] = b"10X98765432";

/// The earliest birth year accepted. The spec's own test vector is born in 1880.
pub const MIN_BIRTH_YEAR: u16 = 1850;

/// Facts established about a valid resident ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResidentId {
    /// Province-level division code (first two digits).
    pub province: u8,
    /// Birth date.
    pub birth: CivilDate,
    /// A 15-digit number with no check character.
    pub legacy: bool,
}

/// Why a candidate is not a resident ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reject {
    /// Wrong length or a character outside `0-9`/`X`.
    Format,
    /// The first two digits are not a province-level division.
    Province,
    /// The birth date is not a real date, is before 1850, or is after `today`.
    Date,
    /// The check character does not match (MOD 11-2).
    Checksum,
}

/// The MOD 11-2 check character for the first 17 digits, or `None` if they are not digits.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&b, &w) in first17.iter().zip(WEIGHTS.iter()) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// Validates an 18-character ID (lowercase `x` accepted). `today` bounds the birth date.
pub fn validate(id: &[u8], today: CivilDate) -> Result<ResidentId, Reject> {
    if id.len() != 18 || !id[..17].iter().all(u8::is_ascii_digit) {
        return Err(Reject::Format);
    }
    let last = id[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(Reject::Format);
    }
    let prov = province_of(id).ok_or(Reject::Province)?;
    let birth = CivilDate::parse_compact(&id[6..14]).ok_or(Reject::Date)?;
    if birth.year < MIN_BIRTH_YEAR || birth > today {
        return Err(Reject::Date);
    }
    if check_char(&id[..17]) != Some(last) {
        return Err(Reject::Checksum);
    }
    Ok(ResidentId {
        province: prov,
        birth,
        legacy: false,
    })
}

/// Validates a legacy 15-digit ID: province and date only, there is no check character.
pub fn validate_legacy(id: &[u8]) -> Result<ResidentId, Reject> {
    if id.len() != 15 || !id.iter().all(u8::is_ascii_digit) {
        return Err(Reject::Format);
    }
    let prov = province_of(id).ok_or(Reject::Province)?;
    // spec §10.1: YYMMDD with century 19 implied.
    let mut ymd = *b"19000000";
    ymd[2..].copy_from_slice(&id[6..12]);
    let birth = CivilDate::parse_compact(&ymd).ok_or(Reject::Date)?;
    Ok(ResidentId {
        province: prov,
        birth,
        legacy: true,
    })
}

/// Upgrades a legacy 15-digit number to 18 characters (spec §10.1).
pub fn upgrade_legacy(id: &[u8]) -> Option<[u8; 18]> {
    if id.len() != 15 || !id.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; 18];
    out[..6].copy_from_slice(&id[..6]);
    out[6..8].copy_from_slice(b"19");
    out[8..17].copy_from_slice(&id[6..15]);
    out[17] = check_char(&out[..17])?;
    Some(out)
}

fn province_of(id: &[u8]) -> Option<u8> {
    let p = (id[0] - b'0') * 10 + (id[1] - b'0');
    province::is_province_code(p).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TODAY: CivilDate = CivilDate {
        year: 2026,
        month: 11,
        day: 23,
    };

    #[test]
    fn spec_vectors() {
        for v in [
            "11010519491231002X",
            "360426199101010071",
            "440524188001010014",
        ] {
            let r = validate(v.as_bytes(), TODAY).unwrap();
            assert!(!r.legacy);
        }
        assert_eq!(validate(b"11010519491231002x", TODAY).unwrap().province, 11);
        assert_eq!(
            upgrade_legacy(b"110105491231002").unwrap(),
            *b"11010519491231002X"
        );
    }

    #[test]
    fn rejections_name_the_rule() {
        assert_eq!(
            validate(b"110105194912310021", TODAY),
            Err(Reject::Checksum)
        );
        assert_eq!(
            validate(b"990105194912310021", TODAY),
            Err(Reject::Province)
        );
        assert_eq!(validate(b"110105194902300021", TODAY), Err(Reject::Date));
        assert_eq!(validate(b"1101051949123100", TODAY), Err(Reject::Format));
        assert_eq!(validate(b"11010519491231002Y", TODAY), Err(Reject::Format));
        // Born tomorrow: not valid yet.
        let mut future = *b"11010520261124000?";
        future[17] = check_char(&future[..17]).unwrap();
        assert_eq!(validate(&future, TODAY), Err(Reject::Date));
        let mut today = *b"11010520261123000?";
        today[17] = check_char(&today[..17]).unwrap();
        assert!(validate(&today, TODAY).is_ok());
    }

    #[test]
    fn legacy_numbers() {
        let r = validate_legacy(b"110105491231002").unwrap();
        assert!(r.legacy);
        assert_eq!(
            r.birth,
            CivilDate {
                year: 1949,
                month: 12,
                day: 31
            }
        );
        assert_eq!(validate_legacy(b"110105491331002"), Err(Reject::Date));
        assert_eq!(validate_legacy(b"000105491231002"), Err(Reject::Province));
    }

    pub(crate) fn arb_id() -> impl Strategy<Value = Vec<u8>> {
        (
            proptest::sample::select(province::PROVINCE_CODES.to_vec()),
            0u32..10_000,
            1900u16..2026,
            1u8..13,
            1u8..29,
            0u32..1000,
        )
            .prop_map(|(p, county, y, m, d, seq)| {
                let first17 = format!("{p:02}{county:04}{y:04}{m:02}{d:02}{seq:03}");
                let mut v = first17.into_bytes();
                let c = check_char(&v).unwrap();
                v.push(c);
                v
            })
    }

    proptest! {
        #[test]
        fn generated_ids_are_valid(id in arb_id()) {
            prop_assert!(validate(&id, TODAY).is_ok());
        }

        #[test]
        fn any_single_character_change_is_rejected(
            id in arb_id(), pos in 0usize..18, delta in 1u8..11,
        ) {
            // MOD 11-2 detects every single-character substitution (spec §10.1).
            let mut v = id.clone();
            let alphabet = b"0123456789X";
            let cur = alphabet.iter().position(|&c| c == v[pos]).unwrap();
            let next = alphabet[(cur + delta as usize) % 11];
            if pos < 17 && next == b'X' { return Ok(()); }
            v[pos] = next;
            prop_assert!(validate(&v, TODAY).is_err());
        }
    }
}
