//! Splitting column and table names into words, and finding the main clause of a comment.
//!
//! `receiver_phone`, `receiverPhone`, `ReceiverPhone` and `RECEIVER_PHONE` all become
//! `["receiver", "phone"]`; digits form their own words (`str_prop_1` → `str prop 1`). Han text
//! in a name (some schemas use Chinese column names) is kept as one word per run.

/// Splits an identifier into lowercase words: on anything that is not an ASCII letter, digit
/// or Han character, at lower→upper case changes (`userPhone`), before the last capital of a
/// capital run followed by a lowercase letter (`IPAddress` → `ip address`), and between
/// letters and digits.
pub fn split_name(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Lower,
        Upper,
        Digit,
        Han,
        Other,
    }
    let kind = |c: char| {
        if c.is_ascii_lowercase() {
            Kind::Lower
        } else if c.is_ascii_uppercase() {
            Kind::Upper
        } else if c.is_ascii_digit() {
            Kind::Digit
        } else if is_han(c) {
            Kind::Han
        } else {
            Kind::Other
        }
    };
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur).to_lowercase());
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let k = kind(c);
        if k == Kind::Other {
            flush(&mut cur, &mut out);
            continue;
        }
        if i > 0 && !cur.is_empty() {
            let p = kind(chars[i - 1]);
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            let boundary = match (p, k) {
                (Kind::Lower, Kind::Upper) => true,
                (Kind::Upper, Kind::Upper) => next_lower,
                (a, b) => {
                    let letter = |x| matches!(x, Kind::Lower | Kind::Upper);
                    (a == Kind::Digit) != (b == Kind::Digit)
                        || (a == Kind::Han) != (b == Kind::Han)
                        || (!letter(a) && letter(b) && a != Kind::Digit && a != Kind::Han)
                }
            };
            if boundary {
                flush(&mut cur, &mut out);
            }
        }
        cur.push(c);
    }
    flush(&mut cur, &mut out);
    out
}

/// Whether a character is a CJK unified ideograph (the common blocks).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The main clause of a comment: the text before the first separator (brackets, colon, comma,
/// semicolon, full stop, line break), trimmed. `用户性别（0男 1女 2未知）` → `用户性别`;
/// `订单费用， = goods_price + …` → `订单费用`. When the comment starts with a separator the
/// whole trimmed comment is used.
pub fn main_clause(comment: &str) -> &str {
    let t = comment.trim();
    let cut = t
        .char_indices()
        .find(|&(i, c)| i > 0 && is_separator(c))
        .map_or(t.len(), |(i, _)| i);
    t[..cut].trim()
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '（' | '(' | '：' | ':' | '，' | ',' | '；' | ';' | '。' | '\n' | '\r' | '【' | '[' | '|'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Vec<String> {
        split_name(x)
    }

    #[test]
    fn splits_snake_camel_and_caps() {
        assert_eq!(s("receiver_phone"), ["receiver", "phone"]);
        assert_eq!(s("receiverPhone"), ["receiver", "phone"]);
        assert_eq!(s("ReceiverPhone"), ["receiver", "phone"]);
        assert_eq!(s("RECEIVER_PHONE"), ["receiver", "phone"]);
        assert_eq!(s("IPAddress"), ["ip", "address"]);
        assert_eq!(s("sessionId"), ["session", "id"]);
        assert_eq!(s("str_prop_1"), ["str", "prop", "1"]);
        assert_eq!(s("address2"), ["address", "2"]);
        assert_eq!(s("sfzh"), ["sfzh"]);
        assert_eq!(s("t.user-name"), ["t", "user", "name"]);
        assert_eq!(s("患者姓名"), ["患者姓名"]);
        assert_eq!(s("user姓名"), ["user", "姓名"]);
        assert!(s("__").is_empty());
    }

    #[test]
    fn main_clause_cuts_at_the_first_separator() {
        assert_eq!(main_clause("用户性别（0男 1女 2未知）"), "用户性别");
        assert_eq!(main_clause("性别：0 未知， 1男， 1 女"), "性别");
        assert_eq!(main_clause("订单费用， = goods_price"), "订单费用");
        assert_eq!(main_clause("  详细地址(街道)"), "详细地址");
        assert_eq!(main_clause("手机号码"), "手机号码");
        assert_eq!(main_clause("（备注）说明"), "（备注）说明");
        assert_eq!(main_clause(""), "");
    }
}
