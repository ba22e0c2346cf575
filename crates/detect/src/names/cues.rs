//! Names attributed by a keyword: the cue words of `cn_person_name` (姓名, 收件人, 先生 …)
//! and possessives before another detector's keyword (`张三的身份证号`).
//!
//! Work is proportional to the keyword hits: each hit parses at most a few characters on
//! either side.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::lexicon::Lexicon;
use super::score::{Hits, Scored, backward, forward};
use super::text::{char_at, han_before};
use crate::detector::DetectorId;
use crate::keywords::{KeywordHit, KeywordTable, Polarity};

const CUES: &str = include_str!("../../../../rules/names/cues.txt");

/// Where the name stands relative to a cue keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CueSide {
    /// The name follows the cue (`收件人：张三`). The default for keywords not listed.
    Before,
    /// The name precedes the cue (`张三先生`).
    After,
    /// Either (`您好张三`, `张三您好`).
    Both,
}

/// How much a cue says about the words next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CueStrength {
    /// Forms and records (姓名, 收件人, 先生): what stands there is a name. The default.
    Strong,
    /// Titles and speech verbs of prose (记者, 表示): usually a name, but ordinary words
    /// stand there too.
    Weak,
}

/// FNV-1a: the cue table is looked up once per keyword hit with short keys, where SipHash
/// would cost more than the lookup is worth. The keys are our own data, not attacker input.
#[derive(Debug, Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The cue table from `rules/names/cues.txt`.
#[derive(Debug, Default)]
pub(super) struct Cues {
    side: HashMap<String, (CueSide, CueStrength), BuildHasherDefault<Fnv>>,
}

impl Cues {
    pub fn builtin() -> Cues {
        Cues::from_text(CUES)
    }

    pub fn from_text(text: &str) -> Cues {
        let mut side = HashMap::default();
        for line in text.lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            let Some((label, words)) = line.split_once(':') else {
                continue;
            };
            let label = label.trim();
            let (strength, label) = match label.strip_prefix("weak ") {
                Some(rest) => (CueStrength::Weak, rest.trim()),
                None => (CueStrength::Strong, label),
            };
            let s = match label {
                "after" => (CueSide::After, strength),
                "both" => (CueSide::Both, strength),
                "before" => (CueSide::Before, strength),
                _ => continue,
            };
            for w in words.split_whitespace() {
                side.insert(w.to_lowercase(), s);
            }
        }
        Cues { side }
    }

    /// Where the name stands relative to a keyword (ASCII keywords are stored lowercase),
    /// and how strong a cue it is.
    pub fn side(&self, keyword: &str) -> (CueSide, CueStrength) {
        self.side
            .get(keyword)
            .copied()
            .unwrap_or((CueSide::Before, CueStrength::Strong))
    }

    #[cfg(test)]
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.side.keys().map(String::as_str)
    }
}

/// How a name was attributed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Attribution {
    /// A cue word of this detector.
    Cue(CueStrength),
    /// `的` before another detector's keyword.
    Possessive,
}

/// The most separator bytes skipped between a cue and its name.
const MAX_GAP: usize = 12;

/// Skips what may stand between a cue and the name after it: spaces, colons, quotes, `=`,
/// and one copula (为, 是, 叫). Returns where the name would start.
fn skip_separators(text: &[u8], mut i: usize) -> usize {
    let start = i;
    let mut copula = false;
    while i - start < MAX_GAP {
        let Some((c, len)) = char_at(text, i) else {
            break;
        };
        match c {
            ' ' | '\t' | ':' | '=' | '"' | '\'' | '：' | '　' | '“' | '「' | '【' | '[' => {
                i += len;
            }
            '为' | '是' | '叫' if !copula => {
                copula = true;
                i += len;
            }
            _ => break,
        }
    }
    i
}

/// Calls `found` for each name attributed by a keyword hit, with the hit's entry.
pub(super) fn scan(
    lex: &Lexicon,
    cues: &Cues,
    text: &[u8],
    hits: &[KeywordHit],
    table: &KeywordTable,
    me: DetectorId,
    mut found: impl FnMut(Scored, u32, Attribution),
) {
    let all = Hits(hits);
    for h in hits {
        let entry = table.entry(h);
        let mut mine = false;
        let mut other = false;
        for &(d, pol) in &entry.targets {
            if pol == Polarity::Positive {
                if d == me {
                    mine = true;
                } else {
                    other = true;
                }
            }
        }
        if mine {
            let (side, strength) = cues.side(&entry.text);
            if side != CueSide::After {
                let at = skip_separators(text, h.end);
                if let Some(s) = forward(lex, text, at, all.next_start(at)) {
                    found(s, h.entry, Attribution::Cue(strength));
                }
            }
            if side != CueSide::Before
                && let Some(s) = backward(lex, text, all, h.start)
            {
                found(s, h.entry, Attribution::Cue(strength));
            }
        } else if other && h.start >= 3 {
            // 张三的身份证号, 转入黄辉的银行卡
            if han_before(text, h.start).is_some()
                && text[h.start - 3..h.start] == *"的".as_bytes()
                && let Some(s) = backward(lex, text, all, h.start - 3)
            {
                found(s, h.entry, Attribution::Possessive);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators() {
        let t = "姓名： \"张三".as_bytes();
        assert_eq!(skip_separators(t, 6), 6 + 3 + 1 + 1);
        let t = "姓名为张三".as_bytes();
        assert_eq!(skip_separators(t, 6), 9);
        let t = "姓名是是张三".as_bytes();
        assert_eq!(skip_separators(t, 6), 9, "one copula only");
        let t = "name".as_bytes();
        assert_eq!(skip_separators(t, 4), 4);
    }

    #[test]
    fn cue_sides() {
        let c = Cues::from_text("# x\nafter: 先生 Mr\nboth: 您好\nbogus: 姓名\nweak after: 表示\n");
        let strong = CueStrength::Strong;
        assert_eq!(c.side("先生"), (CueSide::After, strong));
        assert_eq!(c.side("mr"), (CueSide::After, strong));
        assert_eq!(c.side("您好"), (CueSide::Both, strong));
        assert_eq!(c.side("姓名"), (CueSide::Before, strong));
        assert_eq!(c.side("表示"), (CueSide::After, CueStrength::Weak));
    }
}
