//! How far an address reaches to the right of its anchor.
//!
//! From the end of the division names (or of a cue keyword) the walk reads names, place
//! words and numbered units, and the address ends after the last structure word it reached:
//! `文三路478号华星时代广场A座1502` ends after `1502`, and in
//! `中关村大街27号附近见` the trailing `附近见` is not part of it. The walk stops at
//! punctuation, whitespace, a prose function word (`的`, `我`, `在` …), a long digit run (a
//! phone or order number glued on), or a name of more than [`MAX_GAP`] characters with no
//! structure word. A six-digit postcode right after the address, with or without one space,
//! belongs to it.

use super::structure::{
    UnitKind, char_at, char_before, is_alnum, is_cn_numeral, is_digit, is_han, is_prose_char,
    is_run_joiner, place_at, prose_word_at, unit_at,
};

/// The longest name between two structure words (`华星时代广场` is 6).
const MAX_GAP: usize = 14;
/// The longest detail part read after the anchor, in bytes (about 60 Han characters).
const MAX_BYTES: usize = 180;
/// A digit run longer than this is a phone, ID or order number, never part of an address.
const MAX_HOUSE_DIGITS: usize = 6;
/// A room number after a structure word (`A座1502`, `3-2-501`) has at most this many digits
/// in a row.
const MAX_ROOM_DIGITS: usize = 5;

/// The structure found by a walk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Extent {
    /// Byte offset just after the last structure word (the walk's start if there was none).
    pub end: usize,
    /// Numbered units (`478号`, `A座`, `3-2-501` after a place).
    pub strong: u16,
    /// Place words (`路`, `小区`) and weak units (`二期`).
    pub weak: u16,
}

impl Extent {
    pub fn has_structure(self) -> bool {
        self.strong + self.weak > 0
    }
}

/// A run of letters, digits and joiners (`1502`, `A`, `3-2-501`, `１２`).
struct Run {
    end: usize,
    chars: usize,
    longest_digits: usize,
    has_digit: bool,
    has_joiner: bool,
}

fn read_run(text: &[u8], from: usize) -> Run {
    let mut run = Run {
        end: from,
        chars: 0,
        longest_digits: 0,
        has_digit: false,
        has_joiner: false,
    };
    let mut digits = 0;
    while run.end < text.len() {
        let (c, len) = char_at(text, run.end);
        if is_digit(c) {
            digits += 1;
            run.longest_digits = run.longest_digits.max(digits);
            run.has_digit = true;
        } else if is_alnum(c) {
            digits = 0;
        } else if is_run_joiner(c) && run.chars > 0 {
            digits = 0;
            run.has_joiner = true;
        } else {
            break;
        }
        run.chars += 1;
        run.end += len;
    }
    run
}

/// Whether a number at `pos` is an ordinal or a date, not a house number (`第3组`, `5月3号`).
fn number_is_not_a_house(text: &[u8], pos: usize) -> bool {
    matches!(
        char_before(text, pos),
        Some('第' | '月' | '约' | '共' | '有')
    )
}

/// Whether a number followed by a unit word starts at `pos` (`1号`, `A座`).
fn numbered_unit_follows(text: &[u8], pos: usize) -> bool {
    if pos >= text.len() || !is_alnum(char_at(text, pos).0) {
        return false;
    }
    let run = read_run(text, pos);
    run.chars <= 8 && unit_at(text, run.end, false).is_some()
}

/// Walks from `from`. `name_before`: characters of name already read just before `from`
/// (short division names such as `沈阳` in `沈阳街` name the street that follows).
/// `new_address(pos)` tells whether a new address begins at a Han character (a full
/// province or prefecture name): the walk stops there.
pub(super) fn walk(
    text: &[u8],
    from: usize,
    name_before: usize,
    new_address: impl Fn(usize) -> bool,
) -> Extent {
    let mut ext = Extent {
        end: from,
        ..Extent::default()
    };
    let limit = (from + MAX_BYTES).min(text.len());
    let mut pos = from;
    // Characters since the last structure word of any kind, and since the last strong one.
    let mut since_any = name_before;
    let mut since_strong = name_before;
    let mut last_strong = false;
    while pos < limit && since_any <= MAX_GAP {
        let (c, len) = char_at(text, pos);
        if is_alnum(c) {
            let run = read_run(text, pos);
            if run.longest_digits > MAX_HOUSE_DIGITS {
                break;
            }
            let numbered = run.chars <= 8 && !number_is_not_a_house(text, pos);
            if let Some((ulen, kind)) = numbered.then(|| unit_at(text, run.end, false)).flatten() {
                pos = run.end + ulen;
                ext.end = pos;
                since_any = 0;
                last_strong = kind == UnitKind::Strong;
                if last_strong {
                    ext.strong += 1;
                    since_strong = 0;
                } else {
                    ext.weak += 1;
                }
                continue;
            }
            if text[run.end..].starts_with("米".as_bytes()) {
                // A distance (`向东300米`): directions, not the address.
                break;
            }
            let right_after_structure = pos == ext.end && ext.has_structure();
            if right_after_structure && run.longest_digits == 6 && run.chars == 6 {
                // A postcode glued to the address: the caller takes it.
                break;
            }
            let ends_here = run.end >= text.len() || !is_han(char_at(text, run.end).0);
            if right_after_structure
                && ends_here
                && run.has_digit
                && run.longest_digits <= MAX_ROOM_DIGITS
                && run.chars <= 10
            {
                // A room number closing the address: `A座1502`, `小区3-2-501` (not the `2` of
                // `街道2路车站`, a bus route).
                pos = run.end;
                ext.end = pos;
                since_any = 0;
                if last_strong || run.has_joiner {
                    ext.strong += 1;
                    since_strong = 0;
                } else {
                    ext.weak += 1;
                }
                continue;
            }
            since_any += run.chars;
            since_strong += run.chars;
            pos = run.end;
            continue;
        }
        if !is_han(c) {
            if (c == ' ' || c == '\u{3000}')
                && pos == ext.end
                && ext.has_structure()
                && numbered_unit_follows(text, pos + len)
            {
                // `好运街 1号`: a space typed before the house number.
                pos += len;
                continue;
            }
            break;
        }
        if is_cn_numeral(c) {
            let mut end = pos;
            let mut chars = 0;
            while end < text.len() && is_cn_numeral(char_at(text, end).0) {
                end += 3;
                chars += 1;
            }
            if !number_is_not_a_house(text, pos)
                && let Some((ulen, kind)) = unit_at(text, end, true)
            {
                pos = end + ulen;
                ext.end = pos;
                since_any = 0;
                last_strong = kind == UnitKind::Strong;
                if last_strong {
                    ext.strong += 1;
                    since_strong = 0;
                } else {
                    ext.weak += 1;
                }
                continue;
            }
            // Numerals in names: `文三路`, `建设一路`.
            since_any += chars;
            since_strong += chars;
            pos = end;
            continue;
        }
        if let Some(plen) = place_at(text, pos, c, since_any, since_strong) {
            pos += plen;
            ext.end = pos;
            ext.weak += 1;
            since_any = 0;
            last_strong = false;
            continue;
        }
        if is_prose_char(c) || prose_word_at(text, pos, c) || (pos > from && new_address(pos)) {
            break;
        }
        since_any += 1;
        since_strong += 1;
        pos += len;
    }
    ext
}

/// The end of a six-digit postcode right after `end` (`…A座 100080`, `…号100080`), if any.
pub(super) fn postcode_after(text: &[u8], end: usize) -> Option<usize> {
    let mut p = end;
    if text.get(p) == Some(&b' ') {
        p += 1;
    } else if text[p.min(text.len())..].starts_with("\u{3000}".as_bytes()) {
        p += 3;
    }
    let digits = text.get(p..p + 6)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    match text.get(p + 6) {
        Some(b) if b.is_ascii_alphanumeric() => None,
        _ => Some(p + 6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_plain(text: &[u8], from: usize, name_before: usize) -> Extent {
        walk(text, from, name_before, |_| false)
    }

    /// The text the walk covers, starting from the beginning.
    fn covered(text: &str) -> &str {
        &text[..walk(text.as_bytes(), 0, 0, |_| false).end]
    }

    #[test]
    fn ends_after_the_last_structure_word() {
        assert_eq!(
            covered("文三路478号华星时代广场A座1502，电话"),
            "文三路478号华星时代广场A座1502"
        );
        assert_eq!(covered("中关村大街27号附近见"), "中关村大街27号");
        assert_eq!(covered("张江镇xx村3组12号\n下一行"), "张江镇xx村3组12号");
        assert_eq!(covered("深南大道9988号"), "深南大道9988号");
        assert_eq!(covered("幸福小区3-2-501)"), "幸福小区3-2-501");
        assert_eq!(covered("人民路十二号三楼"), "人民路十二号三楼");
    }

    #[test]
    fn stops_at_punctuation_prose_and_long_numbers() {
        for stop in [
            "，", "。", "；", ")", "）", "\t", "|", "\"", "\n", "的", "我",
        ] {
            let text = format!("文三路478号{stop}华星广场");
            assert_eq!(covered(&text), "文三路478号", "stop {stop:?}");
        }
        assert_eq!(covered("文三路478号13812345678"), "文三路478号");
        assert_eq!(covered("文三路478号 电话"), "文三路478号");
        assert_eq!(covered("文三路478号 100080"), "文三路478号");
        // A space before a numbered unit is typed, not a boundary.
        assert_eq!(covered("好运街 1号 A座"), "好运街 1号 A座");
        assert_eq!(covered("好运街 1路车"), "好运街");
    }

    #[test]
    fn counts_strong_and_weak_structure() {
        let e = walk_plain("文三路478号".as_bytes(), 0, 0);
        assert_eq!((e.strong, e.weak), (1, 1));
        let e = walk_plain("出差去了".as_bytes(), 0, 0);
        assert!(!e.has_structure());
        assert_eq!(e.end, 0);
        // Dates and ordinals are not house numbers; subway lines are not houses.
        assert!(!walk_plain("5月3号".as_bytes(), 0, 0).has_structure());
        assert!(!walk_plain("第3组".as_bytes(), 0, 0).has_structure());
        assert!(!walk_plain("地铁3号线".as_bytes(), 0, 0).has_structure());
        // `一座城市` is not a building.
        assert!(!walk_plain("一座城市".as_bytes(), 0, 0).has_structure());
    }

    #[test]
    fn name_before_lets_a_division_name_a_street() {
        // `沈阳街`: the walk starts at 街 after the short division name 沈阳.
        let t = "街P座 696236".as_bytes();
        assert_eq!(walk_plain(t, 0, 0).weak, 0, "a bare 街 is no street");
        let e = walk_plain(t, 0, 2);
        assert_eq!(e.end, "街P座".len());
        assert_eq!((e.strong, e.weak), (1, 1));
    }

    #[test]
    fn gaps_longer_than_a_name_end_the_walk() {
        let long = "名".repeat(MAX_GAP + 1);
        let text = format!("文三路{long}路");
        assert_eq!(covered(&text), "文三路");
    }

    #[test]
    fn postcodes_with_or_without_a_space() {
        let t = "A座 100080。".as_bytes();
        assert_eq!(postcode_after(t, "A座".len()), Some("A座 100080".len()));
        let t = "号100080".as_bytes();
        assert_eq!(postcode_after(t, "号".len()), Some(t.len()));
        let t = "号\u{3000}100080".as_bytes();
        assert_eq!(postcode_after(t, "号".len()), Some(t.len()));
        assert_eq!(postcode_after("号 1000801".as_bytes(), "号".len()), None);
        assert_eq!(postcode_after("号 10008".as_bytes(), "号".len()), None);
        assert_eq!(postcode_after("号  100080".as_bytes(), "号".len()), None);
        assert_eq!(postcode_after("号".as_bytes(), "号".len()), None);
    }
}
