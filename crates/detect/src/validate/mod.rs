//! Validators: pure functions that decide whether a candidate value is what it looks like.
//!
//! Each identifier family has its own module with its rule cited from the spec. The
//! [`NamedValidator`] table lets user-defined detectors reuse them by name.

pub mod bank_card;
pub mod date;
pub mod device;
pub mod email;
pub mod geo;
pub mod landline;
pub mod luhn;
pub mod mobile;
pub mod network;
pub mod org_code;
pub mod postal_code;
pub mod province;
pub mod resident_id;
pub mod secret;
pub mod travel_document;
pub mod uscc;
pub mod vehicle_plate;

pub use date::CivilDate;

/// Validators a user-defined detector may name in its `validator` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedValidator {
    /// `luhn`: the Luhn mod-10 check over the digits of the match (separators ignored).
    Luhn,
    /// `cn_resident_id`: MOD 11-2, province and date (18 characters).
    ResidentId,
    /// `mod11_2`: the MOD 11-2 check character only (ISO 7064), over 18 characters.
    Mod11_2,
    /// `cn_uscc`: mod-31 and embedded organisation-code checks.
    Uscc,
    /// `cn_org_code`: GB 11714 check.
    OrgCode,
    /// `email`: sane local part and domain.
    Email,
    /// `ipv4`: octet ranges.
    Ipv4,
    /// `date`: a real `YYYYMMDD` or `YYYY-MM-DD` date.
    Date,
}

impl NamedValidator {
    /// Every named validator with its name.
    pub const ALL: [(&'static str, NamedValidator); 8] = [
        ("luhn", NamedValidator::Luhn),
        ("cn_resident_id", NamedValidator::ResidentId),
        ("mod11_2", NamedValidator::Mod11_2),
        ("cn_uscc", NamedValidator::Uscc),
        ("cn_org_code", NamedValidator::OrgCode),
        ("email", NamedValidator::Email),
        ("ipv4", NamedValidator::Ipv4),
        ("date", NamedValidator::Date),
    ];

    /// Looks a validator up by name.
    pub fn from_name(name: &str) -> Option<NamedValidator> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    /// The names, for error messages.
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Runs the validator on a matched value. `today` bounds dates.
    pub fn validate(self, value: &[u8], today: CivilDate) -> bool {
        match self {
            NamedValidator::Luhn => {
                let digits: Vec<u8> = value.iter().copied().filter(u8::is_ascii_digit).collect();
                luhn::is_valid(&digits)
            }
            NamedValidator::ResidentId => resident_id::validate(value, today).is_ok(),
            NamedValidator::Mod11_2 => {
                value.len() == 18
                    && resident_id::check_char(&value[..17]) == Some(value[17].to_ascii_uppercase())
            }
            NamedValidator::Uscc => uscc::is_valid(value),
            NamedValidator::OrgCode => org_code::is_valid(value),
            NamedValidator::Email => email::is_valid(value),
            NamedValidator::Ipv4 => network::parse_ipv4(value).is_some(),
            NamedValidator::Date => {
                let digits: Vec<u8> = value.iter().copied().filter(u8::is_ascii_digit).collect();
                CivilDate::parse_compact(&digits).is_some_and(|d| d <= today)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_validators() {
        let today = CivilDate {
            year: 2026,
            month: 11,
            day: 23,
        };
        assert_eq!(
            NamedValidator::from_name("luhn"),
            Some(NamedValidator::Luhn)
        );
        assert_eq!(NamedValidator::from_name("nope"), None);
        assert!(NamedValidator::Luhn.validate(b"4111 1111 1111 1111", today));
        assert!(!NamedValidator::Luhn.validate(b"4111 1111 1111 1112", today));
        assert!(NamedValidator::ResidentId.validate(b"11010519491231002X", today));
        assert!(NamedValidator::Mod11_2.validate(b"11010519491231002x", today));
        assert!(NamedValidator::Uscc.validate(b"91110000600037341L", today));
        assert!(NamedValidator::OrgCode.validate(b"60003734-1", today));
        assert!(NamedValidator::Email.validate(b"a@b.cn", today));
        assert!(NamedValidator::Ipv4.validate(b"10.0.0.1", today));
        assert!(NamedValidator::Date.validate(b"2024-02-29", today));
        assert!(!NamedValidator::Date.validate(b"2027-01-01", today));
        assert!(NamedValidator::names().contains("cn_uscc"));
    }
}
