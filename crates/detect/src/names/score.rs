//! Scoring a stretch of Han text as a personal name.
//!
//! A name is a surname (single or compound) and one or two given-name characters. Its score
//! adds, in the half-nat units of `rules/names/given_chars.txt`:
//!
//! * the surname's prior by tier,
//! * each given character's log-ratio of name use to ordinary use (伟 high, 的 very low),
//! * a penalty when the whole candidate, or its first two characters, is a common word
//!   (高兴, 王国, 江苏 …),
//! * what stands next to it: a delimiter or a keyword ends a name cleanly; a character that
//!   would itself fit a name argues that the name goes on; an edge that cuts a frequent word
//!   (`对于丽泽`, `王斌申请`) argues against that edge.
//!
//! Forward and backward parses try every length and keep the best, so `杨丽的` gives 杨丽 and
//! `杨丽华，` gives 杨丽华.

use super::lexicon::{Lexicon, NOT_GIVEN, Tier};
use super::text::{Edge, edge_at, edge_before, han_at, han_before};
use crate::keywords::KeywordHit;

/// Prior of a surname by tier.
fn surname_prior(t: Tier) -> i32 {
    match t {
        Tier::Weak => -3,
        Tier::Common => 1,
        Tier::Frequent => 4,
    }
}
/// Prior of a compound surname (欧阳, 司马 …): as specific as a frequent single surname.
const COMPOUND_PRIOR: i32 = 4;
/// Penalty for a candidate that is a common word, by the word's frequency tier.
const WORD_PENALTY: [i32; 4] = [0, 5, 9, 14];
/// Penalty for an edge that cuts a frequent two-character word, by its frequency tier.
const JOIN_PENALTY: [i32; 3] = [0, 4, 7];
/// A delimiter next to the name.
const EDGE_DELIMITER: i32 = 4;
/// A keyword (this detector's or another's) right next to the name.
const EDGE_KEYWORD: i32 = 4;
/// A function character (的, 在, 已 …) next to the name.
const EDGE_FUNCTION: i32 = 2;
/// Most Chinese names have three characters: when the text allows both, prefer them.
const THREE_CHARACTERS: i32 = 1;
/// Given-name score at or below which a character counts as a function character.
pub(super) const FUNCTION_CHAR: i8 = -6;
/// Given-name score at or below which a character is taken never to occur in given names
/// (也, 在, 人, 上 …): so rare in names and so common in text that the name must end before it.
const NEVER_GIVEN: i8 = -8;

/// A scored name: byte span and score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Scored {
    pub start: usize,
    pub end: usize,
    pub score: i32,
}

/// The keyword hits of a text, searched by position.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hits<'a>(pub &'a [KeywordHit]);

impl Hits<'_> {
    /// The start of the first hit starting at or after `at` (`usize::MAX` if none).
    #[inline]
    pub fn next_start(&self, at: usize) -> usize {
        let i = self.0.partition_point(|h| h.start < at);
        self.0.get(i).map_or(usize::MAX, |h| h.start)
    }

    /// Whether a hit ends exactly at `at`.
    #[inline]
    pub fn ends_at(&self, at: usize) -> bool {
        // Keywords are short: look at hits starting in the 64 bytes before.
        let i = self.0.partition_point(|h| h.start + 64 < at);
        self.0[i..]
            .iter()
            .take_while(|h| h.start < at)
            .any(|h| h.end == at)
    }
}

/// A forward-only position in the keyword hits, for passes that walk the text in order.
#[derive(Debug)]
pub(super) struct HitCursor<'a> {
    hits: &'a [KeywordHit],
    i: usize,
}

impl<'a> HitCursor<'a> {
    pub fn new(hits: &'a [KeywordHit]) -> HitCursor<'a> {
        HitCursor { hits, i: 0 }
    }

    /// The start of the first hit starting at or after `at`; `at` must not decrease.
    #[inline]
    pub fn next_start(&mut self, at: usize) -> usize {
        while self.i < self.hits.len() && self.hits[self.i].start < at {
            self.i += 1;
        }
        self.hits.get(self.i).map_or(usize::MAX, |h| h.start)
    }

    /// The hits from the cursor on, without moving it.
    pub fn ahead(&self) -> &'a [KeywordHit] {
        &self.hits[self.i..]
    }
}

/// The score of the name itself: `chars` are its Han table indexes, the first `surname_len`
/// (1 or 2) the surname. `None` when it cannot be a name.
pub(super) fn name_score(lex: &Lexicon, chars: &[u16], surname_len: usize) -> Option<i32> {
    let given = chars.get(surname_len..)?;
    if !(1..=2).contains(&given.len()) {
        return None;
    }
    let mut score = if surname_len == 2 {
        lex.is_compound(chars[0], chars[1])
            .then_some(COMPOUND_PRIOR)?
    } else if given[0] == chars[0] {
        // 谢谢, 张张: a surname does not repeat as the first given character.
        return None;
    } else {
        surname_prior(lex.surname(chars[0])?)
    };
    for &g in given {
        let s = lex.given(g);
        if s <= NEVER_GIVEN || s == NOT_GIVEN {
            return None;
        }
        score += i32::from(s);
    }
    score -= WORD_PENALTY[usize::from(lex.word_tier(chars))];
    if chars.len() == 3 && surname_len == 1 {
        // 江苏省, 高新区: the first two characters already make a word.
        score -= WORD_PENALTY[usize::from(lex.word_tier(&chars[..2]))] / 2;
    }
    Some(score)
}

/// An upper bound of the score (with both edges) of any name starting at byte `at` with the
/// characters `first` and `second`, from a few table lookups.
#[inline]
pub(super) fn upper_bound(lex: &Lexicon, text: &[u8], at: usize, first: u16, second: u16) -> i32 {
    const EDGES: i32 = 2 * EDGE_DELIMITER + THREE_CHARACTERS;
    let given = |i: usize| han_at(text, at + 3 * i).map(|c| i32::from(lex.given(c)));
    let single = lex.surname(first).map_or(i32::MIN, |t| {
        surname_prior(t) + i32::from(lex.given(second)) + given(2).unwrap_or(0).max(0)
    });
    let compound = match given(2) {
        Some(g) if lex.is_compound(first, second) => {
            COMPOUND_PRIOR + g + given(3).unwrap_or(0).max(0)
        }
        _ => i32::MIN,
    };
    single.max(compound).saturating_add(EDGES)
}

/// The shapes a name can take: (surname length, given-name length).
const SHAPES: [(usize, usize); 4] = [(1, 1), (1, 2), (2, 1), (2, 2)];

/// Reads up to `N` Han characters forward from `at`.
fn read_forward<const N: usize>(text: &[u8], at: usize) -> ([u16; N], usize) {
    let mut chars = [0u16; N];
    let mut n = 0;
    while n < N {
        match han_at(text, at + 3 * n) {
            Some(c) => chars[n] = c,
            None => break,
        }
        n += 1;
    }
    (chars, n)
}

/// Reads up to `N` Han characters backward from `end`, returned in text order.
fn read_backward<const N: usize>(text: &[u8], end: usize) -> ([u16; N], usize) {
    let mut rev = [0u16; N];
    let mut n = 0;
    while n < N && end >= 3 * (n + 1) {
        match han_before(text, end - 3 * n) {
            Some(c) => rev[n] = c,
            None => break,
        }
        n += 1;
    }
    let mut chars = [0u16; N];
    for k in 0..n {
        chars[k] = rev[n - 1 - k];
    }
    (chars, n)
}

/// The best name starting exactly at byte `at`, judged with what follows it. `next_hit` is
/// the start of the first keyword hit at or after `at`: a name never contains a keyword.
pub(super) fn forward(lex: &Lexicon, text: &[u8], at: usize, next_hit: usize) -> Option<Scored> {
    let (chars, n) = read_forward::<6>(text, at);
    let mut best: Option<Scored> = None;
    for (sl, gl) in SHAPES {
        let len = sl + gl;
        let end = at + 3 * len;
        if len > n || next_hit < end {
            continue;
        }
        let Some(mut score) = name_score(lex, &chars[..len], sl) else {
            continue;
        };
        score += i32::from(len == 3) * THREE_CHARACTERS;
        score += if next_hit == end {
            // A keyword follows, unless the edge cuts a word (小说 in `武侠小说`).
            let join = if len < n {
                lex.joining_tier(chars[len - 1], chars[len])
            } else {
                0
            };
            EDGE_KEYWORD - JOIN_PENALTY[usize::from(join)]
        } else if len < n {
            let after = (len + 1 < n).then(|| chars[len + 1]);
            follower_score(lex, chars[len - 1], chars[len], after)
        } else {
            edge_score(edge_at(text, end))
        };
        if best.is_none_or(|b| score > b.score) {
            best = Some(Scored {
                start: at,
                end,
                score,
            });
        }
    }
    best
}

/// The best name ending exactly at byte `end`, judged with what precedes it.
pub(super) fn backward(lex: &Lexicon, text: &[u8], hits: Hits<'_>, end: usize) -> Option<Scored> {
    let (chars, n) = read_backward::<5>(text, end);
    let mut best: Option<Scored> = None;
    for (sl, gl) in SHAPES {
        let len = sl + gl;
        if len > n {
            continue;
        }
        let start = end - 3 * len;
        if hits.next_start(start) < end {
            continue;
        }
        let name = &chars[n - len..n];
        let Some(mut score) = name_score(lex, name, sl) else {
            continue;
        };
        score += i32::from(len == 3) * THREE_CHARACTERS;
        if let Some(next) = han_at(text, end) {
            // The end is given (a keyword or 的 follows), but not if it cuts a word.
            score -= JOIN_PENALTY[usize::from(lex.joining_tier(name[len - 1], next))];
        }
        score += if hits.ends_at(start) {
            EDGE_KEYWORD
        } else if len < n {
            predecessor_score(lex, chars[n - len - 1], name[0])
        } else {
            edge_score(edge_before(text, start))
        };
        if best.is_none_or(|b| score > b.score) {
            best = Some(Scored { start, end, score });
        }
    }
    best
}

/// The whole of `start..end` as a name (a field of a record), without its edges. `next_hit`
/// is the start of the first keyword hit at or after `start`.
pub(super) fn exact(
    lex: &Lexicon,
    text: &[u8],
    start: usize,
    end: usize,
    next_hit: usize,
) -> Option<Scored> {
    let (chars, n) = read_forward::<4>(text, start);
    if start + 3 * n != end || next_hit < end {
        return None;
    }
    let score = [1, 2]
        .into_iter()
        .filter_map(|sl| name_score(lex, &chars[..n], sl))
        .max()?;
    Some(Scored { start, end, score })
}

/// Score of what precedes a name starting at byte `at` whose first character is `first`.
pub(super) fn left_score(lex: &Lexicon, text: &[u8], at: usize, first: u16) -> i32 {
    match han_before(text, at) {
        Some(prev) => predecessor_score(lex, prev, first),
        None => edge_score(edge_before(text, at)),
    }
}

/// Score of the edge a delimiter makes.
#[inline]
pub(super) fn edge_score(e: Edge) -> i32 {
    match e {
        Edge::Record | Edge::Prose => EDGE_DELIMITER,
        Edge::None => 0,
    }
}

/// Score of the Han character `next` (followed by `after`) following a name that ends with
/// `last`: a function character ends a name; a character that fits a name argues that the name
/// goes on; a frequent word across the edge (申请 in `王斌申请`) argues against ending here,
/// unless `next` starts a word of its own at least as frequent (民族 in `李建国民族汉`), which
/// also ends the name (逾期 in `孙丽逾期`).
fn follower_score(lex: &Lexicon, last: u16, next: u16, after: Option<u16>) -> i32 {
    let g = lex.given(next);
    let mut base = if g <= FUNCTION_CHAR {
        EDGE_FUNCTION
    } else {
        -i32::from(g - FUNCTION_CHAR) / 3
    };
    let across = lex.joining_tier(last, next);
    let starts = after.map_or(0, |a| lex.joining_tier(next, a));
    if starts > 0 {
        base = base.max(EDGE_FUNCTION);
    }
    if starts >= across {
        base
    } else {
        base - JOIN_PENALTY[usize::from(across)]
    }
}

/// Score of the Han character `prev` preceding a name that starts with `first`: a surname
/// before it suggests the name starts earlier; a function character (入, 给, 的 …) suggests it
/// starts here; a frequent word across the edge (对于 in `对于丽泽`) argues against it.
fn predecessor_score(lex: &Lexicon, prev: u16, first: u16) -> i32 {
    let base = match lex.surname(prev) {
        Some(Tier::Frequent | Tier::Common) => -2,
        _ if lex.given(prev) <= FUNCTION_CHAR => EDGE_FUNCTION,
        _ => 0,
    };
    base - JOIN_PENALTY[usize::from(lex.joining_tier(prev, first))]
}
