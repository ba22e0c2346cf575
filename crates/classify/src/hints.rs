//! Name and comment hints: which keywords of the rules a column's name and comment contain,
//! and where.
//!
//! The head of an English-style name is at its end (`receiver_phone` is a phone,
//! `phone_count` is a count), after trailing fillers (`password_md5`, `avatar_url`). The same
//! holds for a Chinese comment's first clause (收货人手机号 is a phone, 手机号数量 a count).
//! So the keyword that ends nearest the end wins, and among those the longest.

use std::collections::HashMap;

use crate::rules::{ClassifyRules, Keyword, Target};
use crate::tokens::{is_han, main_clause, split_name};

/// How a keyword was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    /// At the head of the name.
    NameHead,
    /// At the end of a run-together word, or a pinyin abbreviation after other initials.
    NameInToken,
    /// Elsewhere in the name.
    NameElsewhere,
    /// Ending the comment's first clause.
    CommentHead,
    /// Followed only by 号, 码 … at the end of the first clause.
    CommentNear,
    /// Elsewhere in the comment.
    CommentElsewhere,
}

impl HitKind {
    /// Stable code for reasons.
    pub fn code(self) -> &'static str {
        match self {
            HitKind::NameHead | HitKind::NameInToken => "name_hint",
            HitKind::NameElsewhere => "name_mention",
            HitKind::CommentHead | HitKind::CommentNear => "comment_hint",
            HitKind::CommentElsewhere => "comment_mention",
        }
    }

    /// Whether the hit comes from the comment.
    pub fn is_comment(self) -> bool {
        matches!(
            self,
            HitKind::CommentHead | HitKind::CommentNear | HitKind::CommentElsewhere
        )
    }
}

/// One keyword found.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The keyword's text.
    pub keyword: String,
    /// What it points to.
    pub target: Target,
    /// The keyword's own weight.
    pub weight: f32,
    /// Whether the keyword is weak and was not corroborated by a person word before it.
    pub weak: bool,
    /// Where it was found.
    pub kind: HitKind,
}

/// What the name and comment of a column say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hints {
    /// The head hit of the name, if any.
    pub name_head: Option<Hit>,
    /// Other hits in the name.
    pub name_other: Vec<Hit>,
    /// The head hit of the comment, if any.
    pub comment_head: Option<Hit>,
    /// Other hits in the comment.
    pub comment_other: Vec<Hit>,
    /// The name's words.
    pub words: Vec<String>,
    /// Whether the name or comment marks an operator (`create_by`, 操作人).
    pub operator: bool,
}

/// Keyword tables compiled for lookup.
#[derive(Clone, Debug)]
pub struct HintMatcher {
    names: HashMap<String, Keyword>,
    /// Single-word name keywords long enough to match the end of a run-together word,
    /// longest first.
    name_suffixes: Vec<Keyword>,
    /// Pinyin keywords, longest first.
    pinyin: Vec<Keyword>,
    /// Comment keywords.
    comments: Vec<Keyword>,
    fillers: Vec<String>,
    name_operator: Vec<String>,
    person_modifiers: Vec<String>,
    comment_operator: Vec<String>,
    suffix_chars: Vec<char>,
}

const MAX_WORDS: usize = 4;

impl HintMatcher {
    /// Compiles the keyword tables of the rules.
    pub fn new(rules: &ClassifyRules) -> HintMatcher {
        let names: HashMap<String, Keyword> = rules
            .names
            .iter()
            .map(|k| (k.text.clone(), k.clone()))
            .collect();
        let mut name_suffixes: Vec<Keyword> = rules
            .names
            .iter()
            .filter(|k| !k.weak && !k.text.contains(' ') && k.text.len() >= 4)
            .cloned()
            .collect();
        name_suffixes.sort_by_key(|k| std::cmp::Reverse(k.text.len()));
        let mut pinyin = rules.pinyin.clone();
        pinyin.sort_by_key(|k| std::cmp::Reverse(k.text.len()));
        HintMatcher {
            names,
            name_suffixes,
            pinyin,
            comments: rules.comments.clone(),
            fillers: rules.name.fillers.clone(),
            name_operator: rules.name.operator.clone(),
            person_modifiers: rules.name.person_modifiers.clone(),
            comment_operator: rules.comment.operator.clone(),
            suffix_chars: rules.comment.suffix_chars.chars().collect(),
        }
    }

    /// The hints of a column name and its comment (or header).
    pub fn hints(&self, column: &str, comment: &str) -> Hints {
        let words = split_name(column);
        let mut h = Hints::default();
        self.name_hints(&words, &mut h);
        // A Chinese column name is a header: read it like a comment.
        let han_name = column.chars().any(is_han);
        let (head, other) = if comment.trim().is_empty() && han_name {
            self.comment_hints(column)
        } else {
            self.comment_hints(comment)
        };
        h.comment_head = head;
        h.comment_other = other;
        if han_name && h.name_head.is_none() && !comment.trim().is_empty() {
            let (head, _) = self.comment_hints(column);
            h.name_head = head.map(|mut x| {
                x.kind = HitKind::NameHead;
                x
            });
        }
        h.operator = words.iter().any(|w| self.name_operator.contains(w))
            || self
                .comment_operator
                .iter()
                .any(|w| comment.contains(w.as_str()));
        h.words = words;
        h
    }

    fn name_hints(&self, words: &[String], h: &mut Hints) {
        if words.is_empty() {
            return;
        }
        // Ends to try: the full name, then without trailing fillers (at most two).
        let mut ends = vec![words.len()];
        let mut e = words.len();
        while e > 1 && ends.len() < 3 && self.fillers.contains(&words[e - 1]) {
            e -= 1;
            ends.push(e);
        }
        let mut head_span = None;
        'ends: for &end in &ends {
            for k in (1..=MAX_WORDS.min(end)).rev() {
                let key = words[end - k..end].join(" ");
                if let Some(kw) = self.names.get(&key) {
                    let start = end - k;
                    let Some(weak) = self.weak_state(kw, words, start) else {
                        continue;
                    };
                    h.name_head = Some(hit(kw, weak, HitKind::NameHead));
                    head_span = Some(start..end);
                    break 'ends;
                }
            }
            // Pinyin and run-together words on the last word.
            if let Some(x) = self.token_hint(&words[end - 1], end == 1) {
                h.name_head = Some(x);
                head_span = Some(end - 1..end);
                break;
            }
        }
        if h.name_head.is_none() {
            // A blocker at the very end decides even when fillers were tried.
            let last = &words[words.len() - 1];
            if let Some(kw) = self.names.get(last).filter(|k| k.target == Target::Blocker) {
                h.name_head = Some(hit(kw, false, HitKind::NameHead));
                head_span = Some(words.len() - 1..words.len());
            }
        }
        // Other mentions: any keyword sequence not overlapping the head.
        for start in 0..words.len() {
            for k in (1..=MAX_WORDS.min(words.len() - start)).rev() {
                let span = start..start + k;
                if head_span
                    .as_ref()
                    .is_some_and(|hs| span.start < hs.end && hs.start < span.end)
                {
                    continue;
                }
                let key = words[span.clone()].join(" ");
                if let Some(kw) = self.names.get(&key)
                    && kw.target != Target::Blocker
                    && !kw.weak
                {
                    h.name_other.push(hit(kw, false, HitKind::NameElsewhere));
                    break;
                }
            }
        }
    }

    /// `None`: a weak keyword qualified by a non-person word (`goods_name`), which is no
    /// match at all. `Some(weak)`: whether it still needs corroboration.
    fn weak_state(&self, kw: &Keyword, words: &[String], start: usize) -> Option<bool> {
        if !kw.weak {
            return Some(false);
        }
        if start == 0 {
            return Some(true);
        }
        self.person_modifiers
            .contains(&words[start - 1])
            .then_some(false)
    }

    /// A keyword inside one word: a pinyin word or abbreviation, or a long English keyword at
    /// the end of a run-together word.
    fn token_hint(&self, word: &str, whole_name: bool) -> Option<Hit> {
        if !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        for kw in &self.pinyin {
            let k = kw.text.as_str();
            if word == k {
                if kw.weak && !whole_name {
                    continue;
                }
                return Some(hit(kw, kw.weak, HitKind::NameHead));
            }
            if let Some(prefix) = word.strip_suffix(k) {
                // Full pinyin words end anything; abbreviations only other initials.
                let initials = prefix.len() <= 4 && !prefix.bytes().any(is_vowel);
                if !kw.weak && (k.len() >= 5 || initials) {
                    return Some(hit(kw, false, HitKind::NameInToken));
                }
            }
        }
        for kw in &self.name_suffixes {
            if let Some(prefix) = word.strip_suffix(kw.text.as_str())
                && prefix.len() >= 2
            {
                return Some(hit(kw, false, HitKind::NameInToken));
            }
        }
        None
    }

    /// The head hit and the other hits of a comment.
    fn comment_hints(&self, comment: &str) -> (Option<Hit>, Vec<Hit>) {
        let clause = main_clause(comment).to_lowercase();
        let whole = comment.to_lowercase();
        if whole.trim().is_empty() {
            return (None, Vec::new());
        }
        // (chars after the match, -keyword length, keyword)
        let mut best: Option<(usize, isize, &Keyword)> = None;
        for kw in &self.comments {
            for (pos, _) in clause.match_indices(kw.text.as_str()) {
                if !ascii_bounded(&clause, pos, kw.text.len()) {
                    continue;
                }
                let tail = clause[pos + kw.text.len()..].chars().count();
                let key = (tail, -(kw.text.chars().count() as isize));
                if best.is_none_or(|(t, l, _)| key < (t, l)) {
                    best = Some((key.0, key.1, kw));
                }
            }
        }
        let head = best.map(|(tail, _, kw)| {
            let rest = &clause[clause.len() - tail_bytes(&clause, tail)..];
            let kind = if tail == 0 {
                HitKind::CommentHead
            } else if tail <= 2 && rest.chars().all(|c| self.suffix_chars.contains(&c)) {
                HitKind::CommentNear
            } else {
                HitKind::CommentElsewhere
            };
            hit(kw, kw.weak, kind)
        });
        let mut other = Vec::new();
        for kw in &self.comments {
            if kw.target == Target::Blocker || kw.weak {
                continue;
            }
            if head.as_ref().is_some_and(|h| h.keyword == kw.text) {
                continue;
            }
            let found = whole
                .match_indices(kw.text.as_str())
                .any(|(pos, _)| ascii_bounded(&whole, pos, kw.text.len()));
            if found {
                other.push(hit(kw, false, HitKind::CommentElsewhere));
            }
        }
        // A head that is not at the end of the clause is only a mention.
        match head {
            Some(h) if h.kind == HitKind::CommentElsewhere => {
                if h.target != Target::Blocker && !h.weak {
                    other.push(h);
                }
                (None, other)
            }
            h => (h, other),
        }
    }
}

fn hit(kw: &Keyword, weak: bool, kind: HitKind) -> Hit {
    Hit {
        keyword: kw.text.clone(),
        target: kw.target,
        weight: kw.weight,
        weak,
        kind,
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Byte length of the last `chars` characters of `s`.
fn tail_bytes(s: &str, chars: usize) -> usize {
    if chars == 0 {
        return 0;
    }
    s.char_indices()
        .rev()
        .nth(chars - 1)
        .map_or(s.len(), |(i, _)| s.len() - i)
}

/// An ASCII keyword must not touch ASCII letters or digits on either side (`ip` is not in
/// `zip`); a Chinese keyword matches anywhere.
fn ascii_bounded(s: &str, pos: usize, len: usize) -> bool {
    let b = s.as_bytes();
    let first_ascii = b[pos].is_ascii_alphanumeric();
    let last_ascii = b[pos + len - 1].is_ascii_alphanumeric();
    let before_ok = !first_ascii || pos == 0 || !b[pos - 1].is_ascii_alphanumeric();
    let after_ok = !last_ascii || pos + len == b.len() || !b[pos + len].is_ascii_alphanumeric();
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Label;

    fn m() -> HintMatcher {
        HintMatcher::new(&ClassifyRules::builtin())
    }

    fn head(column: &str, comment: &str) -> Option<(Target, HitKind)> {
        let h = m().hints(column, comment);
        h.comment_head.or(h.name_head).map(|x| (x.target, x.kind))
    }

    fn name_target(column: &str) -> Option<Target> {
        m().hints(column, "").name_head.map(|h| h.target)
    }

    fn comment_target(comment: &str) -> Option<Target> {
        m().hints("x", comment).comment_head.map(|h| h.target)
    }

    const fn l(x: Label) -> Option<Target> {
        Some(Target::Label(x))
    }

    #[test]
    fn name_head_is_the_last_words() {
        assert_eq!(name_target("receiver_phone"), l(Label::Phone));
        assert_eq!(name_target("userPhone"), l(Label::Phone));
        assert_eq!(name_target("phone_count"), Some(Target::Blocker));
        assert_eq!(name_target("member_id"), Some(Target::Blocker));
        assert_eq!(name_target("id_no"), l(Label::CnResidentId));
        assert_eq!(
            name_target("member_nick_name"),
            l(Label::UsernameOrNickname)
        );
        assert_eq!(name_target("login_ip"), l(Label::IpAddress));
        assert_eq!(name_target("pwd_update_date"), Some(Target::Blocker));
        assert_eq!(name_target("birth_date"), l(Label::Birthdate));
        assert_eq!(name_target("create_by"), Some(Target::PersonRef));
        assert_eq!(name_target("sessionId"), l(Label::PasswordOrSecret));
    }

    #[test]
    fn fillers_are_skipped() {
        assert_eq!(name_target("password_md5"), l(Label::PasswordOrSecret));
        assert_eq!(name_target("avatar_url"), l(Label::PhotoOrBiometric));
        assert_eq!(name_target("phone_no"), l(Label::Phone));
        assert_eq!(name_target("pic_url"), Some(Target::Blocker));
        assert_eq!(name_target("url"), Some(Target::Blocker));
    }

    #[test]
    fn weak_keywords_need_a_person_word_or_stand_alone() {
        let h = m().hints("name", "");
        assert!(h.name_head.as_ref().unwrap().weak);
        assert_eq!(h.name_head.unwrap().target, l(Label::PersonName).unwrap());
        assert_eq!(name_target("goods_name"), Some(Target::Blocker));
        assert_eq!(name_target("brand_name"), Some(Target::Blocker));
        assert_eq!(name_target("job_name"), Some(Target::Blocker));
        let h = m().hints("member_icon", "");
        assert_eq!(
            h.name_head.as_ref().unwrap().target,
            l(Label::PhotoOrBiometric).unwrap()
        );
        assert!(!h.name_head.unwrap().weak);
        assert_eq!(name_target("category_icon"), None);
    }

    #[test]
    fn pinyin_abbreviations() {
        assert_eq!(name_target("sfzh"), l(Label::CnResidentId));
        assert_eq!(name_target("xm"), l(Label::PersonName));
        assert_eq!(name_target("brxm"), l(Label::PersonName));
        assert_eq!(name_target("hzxm"), l(Label::PersonName));
        assert_eq!(name_target("sjhm"), l(Label::Phone));
        assert_eq!(name_target("lxdh"), l(Label::Phone));
        assert_eq!(name_target("jtdz"), l(Label::Address));
        assert_eq!(name_target("csrq"), l(Label::Birthdate));
        assert_eq!(name_target("xb"), l(Label::Gender));
        assert_eq!(name_target("mz"), l(Label::OtherPi));
        assert_eq!(name_target("yhkh"), l(Label::BankCard));
        assert_eq!(name_target("BRXM"), l(Label::PersonName));
        assert_eq!(name_target("patient_xingming"), l(Label::PersonName));
        // Abbreviations end only words of initials: `index` is no `dz`-like match.
        assert_eq!(name_target("tax"), l(Label::FinancialAmount));
        assert_eq!(name_target("amaz"), None);
    }

    #[test]
    fn run_together_english_words() {
        assert_eq!(name_target("userphone"), l(Label::Phone));
        assert_eq!(name_target("membernickname"), l(Label::UsernameOrNickname));
        assert_eq!(name_target("loginpassword"), l(Label::PasswordOrSecret));
    }

    #[test]
    fn comment_head_is_nearest_the_end_and_longest() {
        assert_eq!(comment_target("收货人手机号"), l(Label::Phone));
        assert_eq!(
            comment_target("用户性别（0男 1女 2未知）"),
            l(Label::Gender)
        );
        assert_eq!(comment_target("最近一次登录IP地址"), l(Label::IpAddress));
        assert_eq!(comment_target("用户表的用户ID"), Some(Target::Blocker));
        assert_eq!(comment_target("请求地址"), Some(Target::Blocker));
        assert_eq!(comment_target("商品名称"), Some(Target::Blocker));
        assert_eq!(comment_target("收货人名称"), l(Label::PersonName));
        assert_eq!(comment_target("操作人员"), Some(Target::PersonRef));
        assert_eq!(comment_target("参与人数"), Some(Target::Blocker));
        assert_eq!(comment_target("是否有生日特权"), None);
        assert_eq!(
            comment_target("订单费用， = goods_price"),
            l(Label::FinancialAmount)
        );
        assert_eq!(comment_target("zip"), None);
    }

    #[test]
    fn comment_near_and_mentions() {
        let h = m().hints("x", "手机号码");
        assert_eq!(h.comment_head.unwrap().kind, HitKind::CommentHead);
        let h = m().hints("x", "联系手机号");
        let head = h.comment_head.unwrap();
        assert_eq!(head.target, l(Label::Phone).unwrap());
        let h = m().hints("login_name", "登陆名称(默认为手机号)");
        assert_eq!(
            h.comment_head.unwrap().target,
            l(Label::UsernameOrNickname).unwrap()
        );
        assert!(
            h.comment_other
                .iter()
                .any(|x| x.target == l(Label::Phone).unwrap())
        );
    }

    #[test]
    fn chinese_column_names_read_like_comments() {
        assert_eq!(
            head("身份证号", ""),
            Some((l(Label::CnResidentId).unwrap(), HitKind::CommentHead))
        );
        assert_eq!(name_target("患者姓名"), None);
        let h = m().hints("患者姓名", "");
        assert_eq!(
            h.comment_head.unwrap().target,
            l(Label::PersonName).unwrap()
        );
    }

    #[test]
    fn operator_context() {
        assert!(m().hints("create_by", "").operator);
        assert!(m().hints("x", "操作人").operator);
        assert!(!m().hints("leader", "负责人").operator);
    }
}
