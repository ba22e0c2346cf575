//! The name lexicon: surnames, given-name character scores and the common words a name must
//! not be confused with, loaded from `rules/names/` (compiled in).
//!
//! Every table is indexed by Han code point (U+3400–U+9FFF, the unified ideographs and
//! extension A, all three bytes in UTF-8), so a lookup is one array access.

/// First code point of the tables.
pub(super) const HAN_LO: u32 = 0x3400;
/// Last code point of the tables.
pub(super) const HAN_HI: u32 = 0x9FFF;
const HAN_COUNT: usize = (HAN_HI - HAN_LO + 1) as usize;

/// The bits of a surname table entry holding the tier.
const TIER_BITS: u8 = 0b011;
/// The bit of a surname table entry marking the first character of a compound surname.
const COMPOUND_FIRST: u8 = 0b100;

/// Score of a character that never occurs in given names.
pub(super) const NOT_GIVEN: i8 = -20;

/// How common a surname is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Tier {
    /// Rare, or a character that is mostly an ordinary word (文, 成, 明 …).
    Weak,
    /// Less common surnames.
    Common,
    /// The ~100 most common surnames; compound surnames are scored like these.
    Frequent,
}

const SURNAMES: &str = include_str!("../../../../rules/names/surnames.txt");
const GIVEN_CHARS: &str = include_str!("../../../../rules/names/given_chars.txt");
const COMMON_WORDS: &str = include_str!("../../../../rules/names/common_words.txt");
const JOINING_WORDS: &str = include_str!("../../../../rules/names/joining_words.txt");
/// The GB/T 2260 division table of the address detector: place names that begin with a
/// surname (邵阳, 余杭, 金山 …) are common words too, and jieba tags many of them as names.
const DIVISIONS: &str = include_str!("../../../../rules/divisions/gbt2260.tsv");
/// The tier given to place names: enough to reject a bare field, not a name after a cue
/// (many people share a name with a county: 江华, 高阳).
const PLACE_TIER: u8 = 2;

/// A set of packed words with a small value each: open addressing, linear probing, so a
/// lookup is a multiply and one or two probes. Keys are never 0 (they include the length).
#[derive(Debug, Default)]
struct WordSet {
    slots: Vec<(u64, u8)>,
    shift: u32,
}

impl WordSet {
    fn new(words: &[(u64, u8)]) -> WordSet {
        let cap = (words.len() * 2).next_power_of_two().max(16);
        let mut set = WordSet {
            slots: vec![(0, 0); cap],
            shift: 64 - cap.trailing_zeros(),
        };
        for &(key, value) in words {
            let mut i = set.slot(key);
            while set.slots[i].0 != 0 && set.slots[i].0 != key {
                i = (i + 1) & (cap - 1);
            }
            // A word listed twice keeps its highest value.
            let v = set.slots[i].1.max(value);
            set.slots[i] = (key, v);
        }
        set
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, key: u64) -> u8 {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.slots[i] {
                (0, _) => return 0,
                (k, v) if k == key => return v,
                _ => i = (i + 1) & mask,
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.0 != 0).count()
    }
}

/// The dictionaries of the name model.
#[derive(Debug)]
pub(super) struct Lexicon {
    /// Per Han character: bits 0–1 the surname tier (0 = not a surname, else 1 + `Tier as
    /// u8`), bit 2 set when it begins a compound surname.
    surname: Vec<u8>,
    /// Compound surnames as packed two-character keys, sorted.
    compound: Vec<u64>,
    /// Given-name score per Han character ([`NOT_GIVEN`] when absent).
    given: Vec<i8>,
    /// Common words beginning with a surname, with their frequency tier (1–3).
    words: WordSet,
    /// Two-character words a name's edge should not cut, with their frequency tier (1–2).
    joining: WordSet,
}

/// The table index of a Han character, if it is in the tables' range.
#[inline]
pub(super) fn han_index(c: char) -> Option<usize> {
    let cp = u32::from(c);
    (HAN_LO..=HAN_HI)
        .contains(&cp)
        .then(|| (cp - HAN_LO) as usize)
}

/// Packs up to four Han table indexes (15 bits each) and the count into one key.
#[inline]
pub(super) fn pack(chars: &[u16]) -> u64 {
    let mut key = chars.len() as u64;
    for &c in chars {
        key = (key << 15) | u64::from(c);
    }
    key
}

/// Parses `line` as `label: items`, skipping comments and blank lines.
fn labelled(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    line.split_once(':').map(|(l, r)| (l.trim(), r.trim()))
}

/// The Han table indexes of a word, or `None` if a character is out of range.
fn indexes(word: &str) -> Option<Vec<u16>> {
    word.chars()
        .map(|c| han_index(c).map(|i| i as u16))
        .collect()
}

/// The words of a `tier: words` file with the given lengths, packed, with their tiers.
fn tiered_words(text: &str, lens: std::ops::RangeInclusive<usize>) -> Vec<(u64, u8)> {
    let mut out = Vec::new();
    for (label, words) in text.lines().filter_map(labelled) {
        let Ok(tier) = label.parse::<u8>() else {
            continue;
        };
        for w in words.split_whitespace() {
            if let Some(ix) = indexes(w).filter(|ix| lens.contains(&ix.len())) {
                out.push((pack(&ix), tier));
            }
        }
    }
    out
}

/// The full and short names of a `code<TAB>full name[<TAB>short form]` division table.
fn place_names(table: &str) -> impl Iterator<Item = &str> {
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split('\t').skip(1).take(2))
}

impl Lexicon {
    /// Loads the built-in tables. The data is compiled in and checked by tests, so malformed
    /// lines are skipped rather than reported.
    pub fn builtin() -> Lexicon {
        Lexicon::from_text(
            SURNAMES,
            GIVEN_CHARS,
            COMMON_WORDS,
            JOINING_WORDS,
            DIVISIONS,
        )
    }

    /// Builds a lexicon from the data files' contents.
    pub fn from_text(
        surnames: &str,
        given_chars: &str,
        common_words: &str,
        joining_words: &str,
        divisions: &str,
    ) -> Lexicon {
        let mut lex = Lexicon {
            surname: vec![0; HAN_COUNT],
            compound: Vec::new(),
            given: vec![NOT_GIVEN; HAN_COUNT],
            words: WordSet::default(),
            joining: WordSet::default(),
        };
        for (label, items) in surnames.lines().filter_map(labelled) {
            let tier = match label {
                "A" => Tier::Frequent,
                "B" => Tier::Common,
                "C" => Tier::Weak,
                "compound" => {
                    for s in items.split_whitespace() {
                        if let Some(ix) = indexes(s).filter(|ix| ix.len() == 2) {
                            lex.compound.push(pack(&ix));
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            for c in items.split_whitespace().filter_map(|s| s.chars().next()) {
                if let Some(i) = han_index(c) {
                    // A character listed twice keeps its most frequent tier.
                    let t = (lex.surname[i] & TIER_BITS).max(1 + tier as u8);
                    lex.surname[i] = (lex.surname[i] & !TIER_BITS) | t;
                }
            }
        }
        lex.compound.sort_unstable();
        lex.compound.dedup();
        for &key in &lex.compound {
            lex.surname[((key >> 15) & 0x7FFF) as usize] |= COMPOUND_FIRST;
        }
        for (label, chars) in given_chars.lines().filter_map(labelled) {
            let Ok(score) = label.parse::<i8>() else {
                continue;
            };
            for c in chars.chars() {
                if let Some(i) = han_index(c) {
                    lex.given[i] = score;
                }
            }
        }
        let mut words = tiered_words(common_words, 2..=4);
        words.extend(place_names(divisions).filter_map(|name| {
            let ix = indexes(name).filter(|ix| (2..=4).contains(&ix.len()))?;
            let first = lex.surname[usize::from(ix[0])];
            (first != 0).then(|| (pack(&ix), PLACE_TIER))
        }));
        lex.words = WordSet::new(&words);
        lex.joining = WordSet::new(&tiered_words(joining_words, 2..=2));
        lex
    }

    /// Whether a character may begin a name: a surname or the first half of a compound one.
    #[inline]
    pub fn may_begin_name(&self, c: u16) -> bool {
        self.surname[usize::from(c)] != 0
    }

    /// The surname tier of a character.
    #[inline]
    pub fn surname(&self, c: u16) -> Option<Tier> {
        match self.surname[usize::from(c)] & TIER_BITS {
            1 => Some(Tier::Weak),
            2 => Some(Tier::Common),
            3 => Some(Tier::Frequent),
            _ => None,
        }
    }

    /// Whether two characters form a compound surname.
    #[inline]
    pub fn is_compound(&self, a: u16, b: u16) -> bool {
        self.surname[usize::from(a)] & COMPOUND_FIRST != 0
            && self.compound.binary_search(&pack(&[a, b])).is_ok()
    }

    /// The given-name score of a character.
    #[inline]
    pub fn given(&self, c: u16) -> i8 {
        self.given[usize::from(c)]
    }

    /// The frequency tier (1–3) of a common word beginning with a surname, or 0.
    #[inline]
    pub fn word_tier(&self, chars: &[u16]) -> u8 {
        self.words.get(pack(chars))
    }

    /// The frequency tier (1–2) of a frequent word made of `a` and `b`, or 0.
    #[inline]
    pub fn joining_tier(&self, a: u16, b: u16) -> u8 {
        self.joining.get(pack(&[a, b]))
    }

    /// Sizes of the tables: (surnames, compound surnames, given characters, common words,
    /// joining words).
    #[cfg(test)]
    pub fn sizes(&self) -> (usize, usize, usize, usize, usize) {
        (
            self.surname.iter().filter(|&&t| t & TIER_BITS > 0).count(),
            self.compound.len(),
            self.given.iter().filter(|&&g| g != NOT_GIVEN).count(),
            self.words.len(),
            self.joining.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ix(s: &str) -> Vec<u16> {
        indexes(s).unwrap()
    }

    #[test]
    fn builtin_tables_load() {
        let lex = Lexicon::builtin();
        let (single, compound, given, words, joining) = lex.sizes();
        assert!(joining > 2000, "{joining} joining words");
        assert!(single > 400, "{single} single surnames");
        assert!(compound > 40, "{compound} compound surnames");
        assert!(given > 5000, "{given} given-name characters");
        assert!(words > 5000, "{words} common words");
        assert_eq!(lex.surname(ix("王")[0]), Some(Tier::Frequent));
        assert_eq!(lex.surname(ix("佟")[0]), Some(Tier::Common));
        assert_eq!(lex.surname(ix("和")[0]), Some(Tier::Weak));
        assert_eq!(lex.surname(ix("的")[0]), None);
        let [a, b] = ix("欧阳")[..] else { panic!() };
        assert!(lex.is_compound(a, b));
        assert!(!lex.is_compound(b, a));
    }

    #[test]
    fn given_scores_separate_name_characters_from_function_words() {
        let lex = Lexicon::builtin();
        for c in ["伟", "芳", "娟", "磊", "婷"] {
            assert!(lex.given(ix(c)[0]) >= 6, "{c}");
        }
        for c in ["的", "了", "是", "说", "把"] {
            assert!(lex.given(ix(c)[0]) <= -8, "{c}");
        }
    }

    #[test]
    fn common_words_are_found_with_their_tier() {
        let lex = Lexicon::builtin();
        for w in ["高兴", "王国", "黄金", "方便", "江苏", "于是"] {
            assert!(lex.word_tier(&ix(w)) >= 2, "{w}");
        }
        // Place names from the division table, though jieba tags some as person names.
        for w in ["邵阳", "余杭", "金山", "许昌", "龙岩", "杨浦"] {
            assert!(lex.word_tier(&ix(w)) >= 2, "{w}");
        }
        // Person names are not common words.
        assert_eq!(lex.word_tier(&ix("王伟")), 0);
        assert_eq!(lex.word_tier(&ix("李娜")), 0);
        let j = |w: &str| {
            let v = ix(w);
            lex.joining_tier(v[0], v[1])
        };
        assert!(j("对于") > 0 && j("申请") > 0 && j("非常") > 0);
        assert_eq!(j("于对"), 0);
    }

    #[test]
    fn packing_is_injective_over_lengths() {
        assert_ne!(pack(&[1, 2]), pack(&[0, 1, 2]));
        assert_ne!(pack(&[1]), pack(&[0, 1]));
        assert_ne!(pack(&[0x6BFF, 0x6BFF]), pack(&[0x6BFF, 0x6BFF, 0]));
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let lex = Lexicon::from_text(
            "A: 王\nnonsense\nZ: 李\ncompound: 欧阳 x 欧\n",
            "x: 伟\n5: 伟\n",
            "9x: 高兴\n2: 高兴 a\n1: 高兴\n",
            "1: 对于 对于对\n",
            "# x\n110000\t北京市\t北京\n",
        );
        assert_eq!(lex.sizes(), (1, 1, 1, 1, 1));
        assert_eq!(lex.word_tier(&ix("高兴")), 2, "highest tier kept");
    }
}
