//! Network identifiers: IPv4, IPv6 and MAC addresses (issue #2; GB/T 35273 Appendix A lists
//! IP addresses as network identifiers and MAC addresses as device information, spec §9.3).

use std::net::{Ipv4Addr, Ipv6Addr};

/// Parses dotted-quad IPv4 text strictly: four 1–3 digit octets ≤ 255, no leading zeros.
pub fn parse_ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    // One pass over the bytes: the scanner calls this for every dotted quad it meets.
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, o) in octets.iter_mut().enumerate() {
        if k > 0 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        while i < s.len() && i - start < 3 && s[i].is_ascii_digit() {
            v = v * 10 + u32::from(s[i] - b'0');
            i += 1;
        }
        if i == start || (i - start > 1 && s[start] == b'0') {
            return None;
        }
        *o = u8::try_from(v).ok()?;
    }
    (i == s.len()).then(|| Ipv4Addr::from(octets))
}

/// Whether an IPv4 address is outside the public internet: private (RFC 1918), shared
/// (100.64/10), loopback, link-local, documentation, unspecified, broadcast or multicast.
pub fn ipv4_is_private(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_documentation()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || (a == 100 && (64..128).contains(&b))
}

/// Parses IPv6 text (with `::` compression and an optional embedded IPv4 tail).
pub fn parse_ipv6(s: &[u8]) -> Option<Ipv6Addr> {
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Whether an IPv6 address is outside the public internet.
pub fn ipv6_is_private(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link local fe80::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
}

/// Parses a MAC address: six hex pairs separated by one consistent `:` or `-`, or three
/// groups of four hex digits separated by `.` (Cisco). The all-zero and broadcast addresses
/// identify no device and are rejected.
pub fn parse_mac(s: &[u8]) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    match s.len() {
        17 => {
            let sep = s[2];
            if sep != b':' && sep != b'-' {
                return None;
            }
            for (i, o) in out.iter_mut().enumerate() {
                let at = i * 3;
                if i > 0 && s[at - 1] != sep {
                    return None;
                }
                *o = hex_byte(s[at], s[at + 1])?;
            }
        }
        14 => {
            if s[4] != b'.' || s[9] != b'.' {
                return None;
            }
            for g in 0..3 {
                let at = g * 5;
                out[g * 2] = hex_byte(s[at], s[at + 1])?;
                out[g * 2 + 1] = hex_byte(s[at + 2], s[at + 3])?;
            }
        }
        _ => return None,
    }
    (out != [0; 6] && out != [0xff; 6]).then_some(out)
}

fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    Some(hex(hi)? << 4 | hex(lo)?)
}

/// The value of a hex digit.
pub fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_strict() {
        assert_eq!(
            parse_ipv4(b"192.168.1.10"),
            Some(Ipv4Addr::new(192, 168, 1, 10))
        );
        assert_eq!(parse_ipv4(b"0.0.0.0"), Some(Ipv4Addr::UNSPECIFIED));
        assert_eq!(parse_ipv4(b"256.1.1.1"), None);
        assert_eq!(parse_ipv4(b"1.2.3"), None);
        assert_eq!(parse_ipv4(b"1.2.3.4.5"), None);
        assert_eq!(parse_ipv4(b"01.2.3.4"), None);
        assert_eq!(parse_ipv4(b"1..3.4"), None);
        assert_eq!(parse_ipv4(b"1234.1.1.1"), None);
        assert_eq!(parse_ipv4(b"1.2.3.4."), None);
        assert_eq!(parse_ipv4(b".1.2.3.4"), None);
        assert_eq!(parse_ipv4(b"1.2.3.04"), None);
        assert_eq!(parse_ipv4(b"255.255.255.255"), Some(Ipv4Addr::BROADCAST));
        assert_eq!(parse_ipv4(b""), None);
    }

    #[test]
    fn ipv4_scopes() {
        for p in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
        ] {
            assert!(ipv4_is_private(p.parse().unwrap()), "{p}");
        }
        for p in ["8.8.8.8", "114.114.114.114", "100.128.0.1", "172.32.0.1"] {
            assert!(!ipv4_is_private(p.parse().unwrap()), "{p}");
        }
    }

    #[test]
    fn ipv6() {
        assert!(parse_ipv6(b"2001:db8::1").is_some());
        assert!(parse_ipv6(b"::ffff:192.0.2.1").is_some());
        assert!(parse_ipv6(b"12:30:45").is_none());
        assert!(ipv6_is_private(parse_ipv6(b"fe80::1").unwrap()));
        assert!(ipv6_is_private(parse_ipv6(b"fd12:3456::1").unwrap()));
        assert!(!ipv6_is_private(parse_ipv6(b"240e:3b4::1").unwrap()));
    }

    #[test]
    fn mac() {
        assert_eq!(
            parse_mac(b"00:1A:2b:3C:4d:5E"),
            Some([0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])
        );
        assert_eq!(
            parse_mac(b"00-1A-2B-3C-4D-5E"),
            Some([0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])
        );
        assert_eq!(
            parse_mac(b"001a.2b3c.4d5e"),
            Some([0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])
        );
        assert_eq!(parse_mac(b"00:1A-2B:3C:4D:5E"), None, "mixed separators");
        assert_eq!(parse_mac(b"00:00:00:00:00:00"), None);
        assert_eq!(parse_mac(b"ff:ff:ff:ff:ff:ff"), None);
        assert_eq!(parse_mac(b"0g:1A:2B:3C:4D:5E"), None);
    }
}
