//! Shapes of credentials: cloud access-key ids, JWTs, PEM private-key headers and
//! password-style assignments (issue #2; 身份鉴别信息, spec §9.4).

use crate::finding::SecretKind;

/// Classifies an alphanumeric token as a cloud access-key id by its documented prefix:
/// AWS `AKIA`/`ASIA` + 16 uppercase alphanumerics; Alibaba Cloud `LTAI` + 12–20 alphanumerics;
/// Tencent Cloud `AKID` + 32 alphanumerics.
pub fn access_key_id(token: &[u8]) -> Option<SecretKind> {
    let body_ok = |from: usize| token[from..].iter().all(u8::is_ascii_alphanumeric);
    if token.len() == 20
        && (token.starts_with(b"AKIA") || token.starts_with(b"ASIA"))
        && token[4..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some(SecretKind::AwsAccessKeyId);
    }
    if (16..=24).contains(&token.len()) && token.starts_with(b"LTAI") && body_ok(4) {
        return Some(SecretKind::AliyunAccessKeyId);
    }
    if token.len() == 36 && token.starts_with(b"AKID") && body_ok(4) {
        return Some(SecretKind::TencentSecretId);
    }
    None
}

/// Whether a byte may appear in a base64url JWT segment.
pub fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Whether `s` is a JWT: three base64url segments separated by dots, the first two starting
/// with `eyJ` (base64 of `{"`), each at least 10 bytes except that the signature may be short.
pub fn is_jwt(s: &[u8]) -> bool {
    let mut parts = s.split(|&b| b == b'.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    h.len() >= 10
        && p.len() >= 10
        && !sig.is_empty()
        && h.starts_with(b"eyJ")
        && p.starts_with(b"eyJ")
        && [h, p, sig]
            .iter()
            .all(|x| x.iter().all(|&b| is_base64url(b)))
}

/// Key names whose value is a credential in `key=value`, `key: value` or JSON form.
/// Compared ASCII-case-insensitively against a whole key or the last part of a dotted or
/// underscored key (`spring.datasource.password`, `db_password`).
pub const PASSWORD_KEYS: [&str; 16] = [
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "secret_key",
    "secretkey",
    "access_key_secret",
    "accesskeysecret",
    "api_key",
    "apikey",
    "token",
    "access_token",
    "auth_token",
    "private_key",
    "client_secret",
];

/// Chinese key words for the same (密码：xxx).
pub const PASSWORD_KEYS_ZH: [&str; 4] = ["密码", "口令", "密钥", "秘钥"];

/// Whether `key` names a credential.
pub fn is_password_key(key: &[u8]) -> bool {
    PASSWORD_KEYS
        .iter()
        .any(|k| k.as_bytes().eq_ignore_ascii_case(key))
}

/// Whether an assigned value looks like a real credential rather than a placeholder:
/// 4–256 bytes, not all one character, not a template (`${…}`, `<…>`, `{{…}}`), not a
/// masked value (`***`), not a word such as `null`, `none`, `true`, `false`, `required`.
pub fn is_credential_value(v: &[u8]) -> bool {
    const PLACEHOLDERS: [&[u8]; 12] = [
        b"null",
        b"none",
        b"true",
        b"false",
        b"required",
        b"optional",
        b"string",
        b"password",
        b"changeme",
        b"undefined",
        b"empty",
        b"xxxx",
    ];
    if !(4..=256).contains(&v.len()) {
        return false;
    }
    if v.iter().all(|&b| b == v[0]) {
        return false;
    }
    if v.starts_with(b"${") || v.starts_with(b"<") || v.starts_with(b"{{") || v.starts_with(b"%(") {
        return false;
    }
    if v.contains(&b'*') && v.iter().filter(|&&b| b == b'*').count() * 2 >= v.len() {
        return false;
    }
    !PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(v))
}

/// The PEM private-key header label after `-----BEGIN `, if the line opens a private key.
pub fn pem_private_key_label(after_begin: &[u8]) -> Option<usize> {
    const LABELS: [&[u8]; 6] = [
        b"PRIVATE KEY-----",
        b"RSA PRIVATE KEY-----",
        b"EC PRIVATE KEY-----",
        b"DSA PRIVATE KEY-----",
        b"OPENSSH PRIVATE KEY-----",
        b"ENCRYPTED PRIVATE KEY-----",
    ];
    LABELS
        .iter()
        .find(|l| after_begin.starts_with(l))
        .map(|l| l.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys() {
        assert_eq!(
            access_key_id(b"AKIAIOSFODNN7EXAMPLE"),
            Some(SecretKind::AwsAccessKeyId)
        );
        assert_eq!(access_key_id(b"AKIAiosfodnn7EXAMPLE"), None);
        assert_eq!(
            access_key_id(b"LTAI5tQ9xYzAbCdEfGhIjK"),
            Some(SecretKind::AliyunAccessKeyId)
        );
        assert_eq!(access_key_id(b"LTAI123"), None);
        assert_eq!(
            access_key_id(b"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
            Some(SecretKind::TencentSecretId)
        );
    }

    #[test]
    fn jwts() {
        let t = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert!(is_jwt(t));
        assert!(!is_jwt(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"));
        assert!(!is_jwt(b"abcdefghijkl.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig"));
    }

    #[test]
    fn password_values() {
        assert!(is_password_key(b"PASSWORD"));
        assert!(is_password_key(b"api_key"));
        assert!(!is_password_key(b"passport"));
        assert!(is_credential_value(b"S3cr3t!pw"));
        for bad in [
            &b"***"[..],
            b"********",
            b"${DB_PASSWORD}",
            b"<password>",
            b"null",
            b"aaaaaa",
            b"abc",
        ] {
            assert!(
                !is_credential_value(bad),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(
            pem_private_key_label(b"RSA PRIVATE KEY-----\nMII"),
            Some(20)
        );
        assert_eq!(pem_private_key_label(b"CERTIFICATE-----"), None);
    }
}
