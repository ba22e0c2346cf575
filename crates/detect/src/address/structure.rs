//! The words that give an address its structure, below the county level.
//!
//! Two kinds, as written on Chinese envelopes:
//!
//! * **Places** end a name: `文三路`, `中关村大街`, `张江镇`, `华星时代广场`. They only count
//!   after a name of their own (`逛街` is not a street, `北京市路过` has no road), and a few
//!   everyday words ending in the same character are excluded (`农村`, `家乡`, `频道`).
//! * **Units** end a number: `478号`, `A座`, `3栋`, `2单元`, `1502室`, `3组`, `十二号`. A
//!   numbered unit is strong evidence of a postal address; a place alone is weaker.

/// Decodes the character starting at byte `i` of valid UTF-8 `text`, with its byte length.
#[inline]
pub(super) fn char_at(text: &[u8], i: usize) -> (char, usize) {
    let b0 = text[i];
    let (len, init) = match b0 {
        0x00..=0x7F => return (char::from(b0), 1),
        0xC0..=0xDF => (2, u32::from(b0 & 0x1F)),
        0xE0..=0xEF => (3, u32::from(b0 & 0x0F)),
        _ => (4, u32::from(b0 & 0x07)),
    };
    let end = (i + len).min(text.len());
    let cp = text[i + 1..end]
        .iter()
        .fold(init, |acc, &b| (acc << 6) | u32::from(b & 0x3F));
    (char::from_u32(cp).unwrap_or('\u{FFFD}'), end - i)
}

/// The character ending at byte `i` (exclusive), if any.
pub(super) fn char_before(text: &[u8], i: usize) -> Option<char> {
    let mut s = i.checked_sub(1)?;
    while s > 0 && text[s] & 0xC0 == 0x80 {
        s -= 1;
    }
    Some(char_at(text, s).0)
}

/// CJK unified ideographs (with extension A).
#[inline]
pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// ASCII or full-width digit.
#[inline]
pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// ASCII or full-width letter or digit: building letters (`A座`), room numbers (`1502`).
#[inline]
pub(super) fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('０'..='９').contains(&c)
        || ('Ａ'..='Ｚ').contains(&c)
        || ('ａ'..='ｚ').contains(&c)
}

/// Joiners inside a number run: `3-2-501`, `3#楼`, `１－２`.
#[inline]
pub(super) fn is_run_joiner(c: char) -> bool {
    matches!(c, '-' | '#' | '－' | '＃')
}

/// Chinese numerals as used in house and floor numbers (`十二号`, `三楼`, `二期`).
#[inline]
pub(super) fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百'
    )
}

/// Function words and pronouns that never occur in an address: prose has resumed. (Not `想`:
/// `梦想小镇` is a real place.)
/// (Checked against the division table: none of these is part of a division name, except
/// 让 in 让胡路区, 的 in an island group and 们 in 图们市, which the chain reads whole.)
#[inline]
pub(super) fn is_prose_char(c: char) -> bool {
    matches!(
        c,
        '的' | '了'
            | '吗'
            | '呢'
            | '吧'
            | '啊'
            | '我'
            | '你'
            | '他'
            | '她'
            | '您'
            | '们'
            | '很'
            | '把'
            | '被'
            | '让'
            | '说'
            | '是'
            | '也'
            | '就'
            | '还'
            | '在'
            | '与'
            | '或'
            | '给'
            | '这'
            | '不'
            | '没'
            | '看'
    )
}

/// Two-character words of news and narrative that end an address reading
/// (`郑州市政府将…`, `昆明市共有…`, `地址位于…`).
pub(super) fn prose_word_at(text: &[u8], pos: usize, first: char) -> bool {
    let words: &[&str] = match first {
        '政' => &["政府"],
        '共' => &["共有"],
        '公' => &["公布"],
        '位' => &["位于"],
        '发' => &["发现", "发生"],
        '举' => &["举行", "举办"],
        '进' => &["进行"],
        '召' => &["召开"],
        '表' => &["表示"],
        '报' => &["报道"],
        '记' => &["记者"],
        '前' => &["前往"],
        '出' => &["出发"],
        '到' => &["到达"],
        '成' => &["成立"],
        _ => return false,
    };
    words.iter().any(|w| text[pos..].starts_with(w.as_bytes()))
}

/// A place word and the characters that, just before it, make an everyday word instead.
#[derive(Debug)]
struct Place {
    word: &'static str,
    not_after: &'static str,
}

/// A place word as a struct literal, so tables of them are promoted to statics.
macro_rules! place {
    ($word:literal, $not_after:literal) => {
        Place {
            word: $word,
            not_after: $not_after,
        }
    };
}

/// Place words by first character, longest first within each group.
fn places(first: char) -> &'static [Place] {
    match first {
        '路' => &[place!("路", "线网电思出迷套铁水陆道走")],
        '街' => &[place!("街道", ""), place!("街坊", "邻"), place!("街", "上")],
        '大' => &[
            place!("大街", ""),
            place!("大道", ""),
            place!("大厦", ""),
            place!("大楼", ""),
            place!("大院", ""),
        ],
        '道' => &[place!("道", "通频轨管隧渠味知报行赛跑车街栈步坑一")],
        '巷' => &[place!("巷", "街小深")],
        '胡' => &[place!("胡同", "")],
        '村' => &[place!("村委会", ""), place!("村", "农乡山渔")],
        '新' => &[place!("新村", "")],
        '镇' => &[place!("镇", "城乡小重")],
        '乡' => &[place!("乡", "家故城老下他异回思水")],
        '屯' => &[place!("屯", "")],
        '嘎' => &[place!("嘎查", "")],
        '社' => &[place!("社区", "")],
        '小' => &[place!("小区", "")],
        '居' => &[place!("居委会", "")],
        '花' => &[place!("花园", "")],
        '家' => &[place!("家园", "")],
        '园' => &[
            place!("园区", ""),
            place!("园", "公儿校果菜物乐田陵墓茶游戏花家"),
        ],
        '苑' => &[place!("苑", "")],
        '广' => &[place!("广场", "")],
        '公' => &[place!("公寓", ""), place!("公馆", "")],
        '商' => &[place!("商城", ""), place!("商厦", "")],
        '写' => &[place!("写字楼", "")],
        '工' => &[place!("工业区", ""), place!("工业园", "")],
        '开' => &[place!("开发区", "")],
        '科' => &[place!("科技园", "")],
        '产' => &[place!("产业园", "")],
        '农' => &[place!("农场", "")],
        '林' => &[place!("林场", "")],
        '山' => &[place!("山庄", "")],
        '宿' => &[place!("宿舍", "")],
        '别' => &[place!("别墅", "")],
        _ => &[],
    }
}

/// If a place word starts at `pos` and counts here, its byte length.
///
/// `since_any`: characters since the last structure word or division name; `since_strong`:
/// since the last numbered unit or full division name. A one-character word (`路`) needs a
/// name of at least two characters of its own (`文三路`, not `逛街`); a longer word (`大街`,
/// `小区`) needs at least one character after the last strong mark (`中关村大街`).
pub(super) fn place_at(
    text: &[u8],
    pos: usize,
    first: char,
    since_any: usize,
    since_strong: usize,
) -> Option<usize> {
    let group = places(first);
    if group.is_empty() {
        return None;
    }
    let rest = &text[pos..];
    for p in group {
        if !rest.starts_with(p.word.as_bytes()) {
            continue;
        }
        let one_char = p.word.len() == first.len_utf8();
        let ok = if one_char {
            since_any >= 2
        } else {
            since_strong >= 1
        };
        if !ok {
            continue;
        }
        if let Some(prev) = char_before(text, pos)
            && p.not_after.contains(prev)
        {
            continue;
        }
        return Some(p.word.len());
    }
    None
}

/// Whether a road word (`路`, `街`, `大道` …) starts at `pos`, so that the name before it names
/// a street (`兴安盟路`, `北京路`).
pub(super) fn names_a_street(text: &[u8], pos: usize) -> bool {
    let (c, _) = char_at(text, pos);
    matches!(c, '路' | '街' | '道' | '巷')
        || ["大街", "大道", "胡同"]
            .iter()
            .any(|w| text[pos..].starts_with(w.as_bytes()))
}

/// How much a numbered unit says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum UnitKind {
    /// `期`, `区`, `门`, `户`, `排`: common in addresses, also in prose.
    Weak,
    /// `号`, `栋`, `座`, `单元`, `室`, `房`, `层`, `楼`, `弄`, `巷`, `组`, `队`.
    Strong,
}

struct Unit {
    word: &'static str,
    kind: UnitKind,
    /// Chinese numerals may precede it (`十二号`, `三楼`), not for `座` (`一座城市`).
    numerals: bool,
    /// Characters that, right after it, make another word (`3号线`, `一组织`).
    not_before: &'static str,
}

/// A unit word as a struct literal, so tables of them are promoted to statics.
macro_rules! unit {
    ($word:literal, $kind:ident, $numerals:literal, $not_before:literal) => {
        Unit {
            word: $word,
            kind: UnitKind::$kind,
            numerals: $numerals,
            not_before: $not_before,
        }
    };
}

fn units(first: char) -> &'static [Unit] {
    match first {
        '号' => &[
            unit!("号楼", Strong, true, "盘梯"),
            unit!("号院", Strong, true, ""),
            unit!("号门", Strong, true, ""),
            unit!("号铺", Strong, true, ""),
            unit!("号", Strong, true, "线码文令机称召角外字位数"),
        ],
        '栋' => &[unit!("栋", Strong, true, "梁")],
        '幢' => &[unit!("幢", Strong, true, "")],
        '座' => &[unit!("座", Strong, false, "位谈机椅次")],
        '单' => &[unit!("单元", Strong, true, "测格")],
        '室' => &[unit!("室", Strong, false, "友内外")],
        '层' => &[unit!("层", Strong, true, "次面级")],
        '楼' => &[unit!("楼", Strong, true, "盘梯市")],
        '弄' => &[unit!("弄", Strong, true, "")],
        '巷' => &[unit!("巷", Strong, true, "")],
        '组' => &[unit!("组", Strong, true, "织合成件长员")],
        '队' => &[unit!("队", Strong, true, "员长伍")],
        '户' => &[unit!("户", Weak, false, "口型籍外主")],
        '期' => &[unit!("期", Weak, true, "间末中限刊货")],
        '区' => &[unit!("区", Weak, true, "域别间块")],
        '房' => &[unit!("房", Strong, false, "间子屋产价东客")],
        '门' => &[unit!("门", Weak, false, "票店")],
        '排' => &[unit!("排", Weak, true, "名行序列")],
        _ => &[],
    }
}

/// If a unit word starts at `pos` (right after a number), its byte length and kind.
/// `cn_numerals`: the number was written in Chinese numerals.
pub(super) fn unit_at(text: &[u8], pos: usize, cn_numerals: bool) -> Option<(usize, UnitKind)> {
    if pos >= text.len() {
        return None;
    }
    let (first, _) = char_at(text, pos);
    let rest = &text[pos..];
    for u in units(first) {
        if !rest.starts_with(u.word.as_bytes()) || (cn_numerals && !u.numerals) {
            continue;
        }
        let after = pos + u.word.len();
        if after < text.len() && u.not_before.contains(char_at(text, after).0) {
            continue;
        }
        return Some((u.word.len(), u.kind));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place_in(text: &str, word: &str, since_any: usize, since_strong: usize) -> bool {
        let pos = text.find(word).unwrap();
        let first = word.chars().next().unwrap();
        place_at(text.as_bytes(), pos, first, since_any, since_strong) == Some(word.len())
    }

    #[test]
    fn decodes_characters_and_their_lengths() {
        let t = "a号Ａ😀".as_bytes();
        assert_eq!(char_at(t, 0), ('a', 1));
        assert_eq!(char_at(t, 1), ('号', 3));
        assert_eq!(char_at(t, 4), ('Ａ', 3));
        assert_eq!(char_at(t, 7), ('😀', 4));
        assert_eq!(char_before(t, 4), Some('号'));
        assert_eq!(char_before(t, 0), None);
        assert!(is_alnum('Ａ') && is_alnum('９') && is_digit('９') && !is_digit('Ａ'));
    }

    #[test]
    fn places_need_a_name_of_their_own() {
        assert!(place_in("文三路", "路", 2, 2));
        assert!(!place_in("逛街", "街", 1, 1));
        assert!(place_in("中关村大街", "大街", 0, 3));
        assert!(!place_in("北京市大街", "大街", 0, 0));
        // Everyday words ending in a place character.
        assert!(!place_in("新农村", "村", 2, 2));
        assert!(!place_in("我的家乡", "乡", 3, 3));
        assert!(!place_in("电视频道", "道", 3, 3));
        assert!(place_in("南京道", "道", 2, 2));
        // The longest word wins: 街道, not 街.
        let t = "西湖街道";
        let pos = t.find('街').unwrap();
        assert_eq!(place_at(t.as_bytes(), pos, '街', 2, 2), Some("街道".len()));
    }

    #[test]
    fn units_follow_numbers_and_exclude_other_words() {
        let at = |t: &str, cn: bool| unit_at(t.as_bytes(), 0, cn);
        assert_eq!(at("号", false), Some(("号".len(), UnitKind::Strong)));
        assert_eq!(
            at("号楼1201", false),
            Some(("号楼".len(), UnitKind::Strong))
        );
        assert_eq!(at("单元", false), Some(("单元".len(), UnitKind::Strong)));
        assert_eq!(at("号线", false), None);
        assert_eq!(at("组织", true), None);
        assert_eq!(at("座城市", true), None, "一座城市");
        assert_eq!(at("座", false), Some(("座".len(), UnitKind::Strong)));
        assert_eq!(at("期", true), Some(("期".len(), UnitKind::Weak)));
        assert_eq!(at("路", false), None);
        assert_eq!(unit_at("3".as_bytes(), 1, false), None);
    }
}
