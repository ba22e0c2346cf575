//! Calendar dates, as embedded in IDs and written as dates of birth.

use std::fmt;

/// A proleptic Gregorian calendar date. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    /// Year, e.g. 1990.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

impl CivilDate {
    /// A date if it exists in the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<CivilDate> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(CivilDate { year, month, day })
    }

    /// Parses eight ASCII digits `YYYYMMDD`.
    pub fn parse_compact(s: &[u8]) -> Option<CivilDate> {
        if s.len() != 8 {
            return None;
        }
        let year = u16::try_from(number(&s[..4])?).ok()?;
        let month = u8::try_from(number(&s[4..6])?).ok()?;
        let day = u8::try_from(number(&s[6..8])?).ok()?;
        CivilDate::new(year, month, day)
    }

    /// The date `days` after the Unix epoch (1970-01-01), for callers that hold a clock.
    pub fn from_unix_days(days: i64) -> CivilDate {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        CivilDate { year, month, day }
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Number of days in a month of a year.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Parses a short run of ASCII digits.
pub(crate) fn number(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_and_month_ends() {
        assert!(CivilDate::new(2000, 2, 29).is_some());
        assert!(CivilDate::new(1900, 2, 29).is_none());
        assert!(CivilDate::new(2024, 2, 29).is_some());
        assert!(CivilDate::new(2023, 2, 29).is_none());
        assert!(CivilDate::new(2023, 4, 31).is_none());
        assert!(CivilDate::new(2023, 12, 31).is_some());
        assert!(CivilDate::new(2023, 13, 1).is_none());
        assert!(CivilDate::new(2023, 0, 1).is_none());
    }

    #[test]
    fn compact_parse_and_ordering() {
        let d = CivilDate::parse_compact(b"19491231").unwrap();
        assert_eq!(d.to_string(), "1949-12-31");
        assert!(CivilDate::parse_compact(b"1949123").is_none());
        assert!(CivilDate::parse_compact(b"1949a231").is_none());
        assert!(CivilDate::new(2026, 1, 1) > CivilDate::new(2025, 12, 31));
    }

    #[test]
    fn unix_days() {
        assert_eq!(
            CivilDate::from_unix_days(0),
            CivilDate {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            CivilDate::from_unix_days(20_415),
            CivilDate {
                year: 2025,
                month: 11,
                day: 23
            }
        );
        assert_eq!(
            CivilDate::from_unix_days(-1),
            CivilDate {
                year: 1969,
                month: 12,
                day: 31
            }
        );
    }
}
