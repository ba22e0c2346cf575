//! Masking of example values that no detector recognised.

/// Masks a value for display: at most the first and last character stay visible, never more
/// than a quarter of the characters, and the middle becomes `*` (at most eight). One- and
/// two-character values become all `*`.
pub fn mask_value(value: &str) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    let n = chars.len();
    let stars = |k: usize| "*".repeat(k.clamp(1, 8));
    match n {
        0 => String::new(),
        1 | 2 => stars(n),
        3..=7 => format!("{}{}", chars[0], stars(n - 1)),
        _ => format!("{}{}{}", chars[0], stars(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_at_most_a_quarter() {
        assert_eq!(mask_value("男"), "*");
        assert_eq!(mask_value("张三"), "**");
        assert_eq!(mask_value("张三丰"), "张**");
        assert_eq!(mask_value("admin"), "a****");
        assert_eq!(mask_value("13812345678"), "1********8");
        assert_eq!(mask_value("  "), "");
        for v in ["abcdefgh", "上海市浦东新区世纪大道100号"] {
            let m = mask_value(v);
            let visible = m.chars().filter(|&c| c != '*').count();
            assert!(visible * 4 <= v.chars().count(), "{m}");
        }
    }
}
