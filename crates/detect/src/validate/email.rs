//! E-mail addresses: a sane local part and domain (issue #2).

/// Bytes allowed in the local part (a practical subset of RFC 5322 dot-atoms).
pub fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Bytes allowed in a domain.
pub fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Whether the local part is sane: 1–64 bytes of allowed characters, no leading, trailing or
/// doubled dots.
pub fn is_local_part(s: &[u8]) -> bool {
    (1..=64).contains(&s.len())
        && s.iter().all(|&b| is_local_byte(b))
        && s[0] != b'.'
        && s[s.len() - 1] != b'.'
        && !s.windows(2).any(|w| w == b"..")
}

/// Whether the domain is sane: two or more labels of 1–63 letters, digits or inner hyphens,
/// at most 253 bytes, and a top-level label of at least two letters (or `xn--` punycode).
pub fn is_domain(s: &[u8]) -> bool {
    if s.len() > 253 || s.is_empty() {
        return false;
    }
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in s.split(|&b| b == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
            || !label
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    let tld_ok = (last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic))
        || (last.len() > 4 && last[..4].eq_ignore_ascii_case(b"xn--"));
    labels >= 2 && tld_ok
}

/// Whether `s` is an e-mail address with a sane local part and domain.
pub fn is_valid(s: &[u8]) -> bool {
    let Some(at) = s.iter().position(|&b| b == b'@') else {
        return false;
    };
    is_local_part(&s[..at]) && is_domain(&s[at + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        for ok in [
            "a@b.cn",
            "duan.xiu-lan+tag@mail.example.com",
            "123456@qq.com",
            "x@xn--fiqs8s.xn--fiqs8s",
        ] {
            assert!(is_valid(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "@b.cn",
            "a@b",
            "a@.cn",
            "a@b.c",
            "a..b@c.cn",
            ".a@c.cn",
            "a@-b.cn",
            "a@b-.cn",
            "a@b.123",
            "ab.cn",
        ] {
            assert!(!is_valid(bad.as_bytes()), "{bad}");
        }
    }
}
