//! Latitude/longitude pairs (issue #2: ranges and precision).

/// A decimal coordinate as written: its value and its number of decimal places.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decimal {
    /// The value.
    pub value: f64,
    /// Digits after the decimal point.
    pub places: u8,
}

/// Parses `-?\d{1,3}\.\d+` strictly.
pub fn parse_decimal(s: &[u8]) -> Option<Decimal> {
    let (neg, body) = match s.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, s),
    };
    let dot = body.iter().position(|&b| b == b'.')?;
    let (int, frac) = (&body[..dot], &body[dot + 1..]);
    if int.is_empty() || int.len() > 3 || frac.is_empty() || frac.len() > 15 {
        return None;
    }
    if !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let value: f64 = std::str::from_utf8(body).ok()?.parse().ok()?;
    Some(Decimal {
        value: if neg { -value } else { value },
        places: frac.len() as u8,
    })
}

/// The minimum decimal places for a coordinate to count: 3 places is about 110 m.
pub const MIN_PLACES: u8 = 3;

/// Checks a pair written as `first, second`. Either order is accepted — Chinese map APIs
/// (AMap, Baidu) write longitude first — as long as one reading has the latitude within ±90
/// and the longitude within ±180. Returns the lower precision of the two.
pub fn check_pair(first: Decimal, second: Decimal) -> Option<u8> {
    let places = first.places.min(second.places);
    if places < MIN_PLACES {
        return None;
    }
    let lat_lon = first.value.abs() <= 90.0 && second.value.abs() <= 180.0;
    let lon_lat = first.value.abs() <= 180.0 && second.value.abs() <= 90.0;
    // 0,0 ("null island") is a placeholder, not a location.
    let null_island = first.value == 0.0 && second.value == 0.0;
    ((lat_lon || lon_lat) && !null_island).then_some(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s.as_bytes()).unwrap()
    }

    #[test]
    fn decimals() {
        assert_eq!(d("39.9042").places, 4);
        assert_eq!(d("-33.8688").value, -33.8688);
        assert!(parse_decimal(b"1234.5").is_none());
        assert!(parse_decimal(b"39.").is_none());
        assert!(parse_decimal(b".5").is_none());
        assert!(parse_decimal(b"3a.5").is_none());
    }

    #[test]
    fn pairs() {
        assert_eq!(check_pair(d("39.9042"), d("116.4074")), Some(4));
        assert_eq!(check_pair(d("116.4074"), d("39.9042")), Some(4));
        assert_eq!(check_pair(d("39.90"), d("116.4074")), None, "too coarse");
        assert_eq!(
            check_pair(d("139.9042"), d("116.4074")),
            None,
            "no latitude"
        );
        assert_eq!(check_pair(d("0.000"), d("0.000")), None);
        assert_eq!(check_pair(d("-90.000"), d("180.000")), Some(3));
    }
}
