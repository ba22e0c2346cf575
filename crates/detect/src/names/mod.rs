//! Chinese personal names (`cn_person_name`).
//!
//! A name is a surname from `rules/names/surnames.txt` (single or compound: 王, 欧阳, 司马 …)
//! followed by one or two given-name characters. Han text is full of look-alikes (高兴, 王国,
//! 黄金, 周末, 江苏 …), so a candidate is scored ([`score`]) from three tables:
//!
//! * surname tiers (written by hand from the 百家姓 and census rankings),
//! * given-name character scores: how much more often a character occurs in real given names
//!   (PyPI `ngender`) than in ordinary text (PyPI `jieba`),
//! * common words that begin with a surname (from `jieba`), penalised by frequency,
//!
//! and from what stands around it. A candidate is only considered where the text gives a
//! reason to look:
//!
//! * **cues** ([`cues`]): after or before a cue keyword of this detector (`收件人：李杰`,
//!   `张伟先生`, `name=向建`) → `High`; before `的` and another detector's keyword
//!   (`客户许亮的身份证号`, `转入黄辉的银行卡`) → `High` or `Medium`;
//! * **fields** ([`fields`]): a run of two to four Han characters standing alone between
//!   record delimiters (`,陈文,`, `\t`, `|`, `"`, line breaks) → `Medium`; between
//!   full-width punctuation in prose (`，王芳，`) only with a stronger score.
//!
//! Work is linear: one pass over the bytes for fields (long Han runs are skipped), and a
//! bounded parse around each keyword hit. Nothing is allocated per character.

mod cues;
mod fields;
mod lexicon;
mod prose;
mod runs;
mod score;
mod text;

#[cfg(test)]
mod tests;

use crate::detector::DetectorId;
use crate::finding::{Check, Checks, Confidence, Note};
use crate::keywords::{KeywordHit, KeywordTable};
use crate::scan::Candidate;

use cues::{Attribution, CueStrength, Cues};
use lexicon::Lexicon;
use score::{HitCursor, Scored};

/// Thresholds on a candidate's score (name plus context), in the units of [`score`].
mod threshold {
    /// A cue keyword attributes the name.
    pub const CUE_HIGH: i32 = 3;
    /// A cue keyword, but a weak name: reported at low confidence.
    pub const CUE_LOW: i32 = 1;
    /// A weak cue (a title or speech verb in prose): medium confidence.
    pub const WEAK_CUE_MEDIUM: i32 = 10;
    /// `的` before another detector's keyword: high confidence.
    pub const POSSESSIVE_HIGH: i32 = 12;
    /// `的` before another detector's keyword: medium confidence.
    pub const POSSESSIVE_MEDIUM: i32 = 8;
    /// A field, by how many of its two edges are record delimiters (rather than full-width
    /// punctuation of prose or a keyword): prose needs the strongest names.
    pub const FIELD: [i32; 3] = [16, 14, 12];
    /// A field too weak for medium confidence, reported low.
    pub const FIELD_LOW: i32 = 8;
    /// A name in running prose with nothing but its own strength: medium confidence. Weaker
    /// prose candidates are not reported at all: there are many, and telling them from
    /// ordinary words needs more than these tables.
    pub const PROSE: i32 = 20;
}

/// The name model: dictionaries and cues, built once per engine.
#[derive(Debug)]
pub(crate) struct NameModel {
    lex: Lexicon,
    cues: Cues,
}

impl NameModel {
    /// The built-in model.
    pub fn builtin() -> NameModel {
        NameModel {
            lex: Lexicon::builtin(),
            cues: Cues::builtin(),
        }
    }

    /// Finds names in `text`. `hits` are all keyword hits of the text, sorted by start;
    /// `me` is this detector's id (keywords targeting it are name cues).
    pub fn scan(
        &self,
        text: &[u8],
        hits: &[KeywordHit],
        table: &KeywordTable,
        me: DetectorId,
        out: &mut Vec<Candidate>,
    ) {
        let mark = out.len();
        let candidate = |s: Scored, confidence, checks, keyword| Candidate {
            detector: me,
            start: s.start,
            end: s.end,
            confidence,
            checks,
            note: Note::None,
            keyword,
            context_done: true,
        };
        cues::scan(
            &self.lex,
            &self.cues,
            text,
            hits,
            table,
            me,
            |s, entry, how| {
                let confidence = match how {
                    Attribution::Cue(CueStrength::Strong) if s.score >= threshold::CUE_HIGH => {
                        Confidence::High
                    }
                    Attribution::Cue(CueStrength::Weak)
                        if s.score >= threshold::WEAK_CUE_MEDIUM =>
                    {
                        Confidence::Medium
                    }
                    Attribution::Cue(_) if s.score >= threshold::CUE_LOW => Confidence::Low,
                    Attribution::Possessive if s.score >= threshold::POSSESSIVE_HIGH => {
                        Confidence::High
                    }
                    Attribution::Possessive if s.score >= threshold::POSSESSIVE_MEDIUM => {
                        Confidence::Medium
                    }
                    _ => return,
                };
                let checks = Checks::of(&[Check::Dictionary, Check::Keyword]);
                out.push(candidate(s, confidence, checks, Some(entry)));
            },
        );
        let lex = &self.lex;
        let mut cursor = HitCursor::new(hits);
        runs::for_each(text, |run| {
            fields::judge(lex, text, run, &mut cursor, &mut |s, record_edges| {
                let confidence = if s.score >= threshold::FIELD[usize::from(record_edges)] {
                    Confidence::Medium
                } else if s.score >= threshold::FIELD_LOW {
                    Confidence::Low
                } else {
                    return;
                };
                let checks = Checks::of(&[Check::Dictionary, Check::Field]);
                out.push(candidate(s, confidence, checks, None));
            });
            prose::scan(lex, text, run, threshold::PROSE, &mut cursor, &mut |s| {
                let checks = Checks::of(&[Check::Dictionary]);
                out.push(candidate(s, Confidence::Medium, checks, None));
            });
        });
        dedup(out, mark);
    }
}

/// Keeps one of this model's candidates where several overlap: the most confident, then the
/// longest. Candidates before `mark` belong to other detectors and are left alone.
///
/// Of candidates with the same span and confidence, the one emitted first is kept: cues come
/// before fields and fields before prose, and cues in the order of their keyword hits. The
/// sort is stable so that this holds whatever the number of candidates (an unstable sort on
/// the span alone kept one or the other depending on the sort's internal choices).
fn dedup(out: &mut Vec<Candidate>, mark: usize) {
    out[mark..].sort_by_key(|c| (c.start, c.end, std::cmp::Reverse(c.confidence)));
    let mut w = mark;
    for r in mark..out.len() {
        let c = out[r];
        if w > mark && c.start < out[w - 1].end {
            let kept = &mut out[w - 1];
            if (c.confidence, c.end - c.start) > (kept.confidence, kept.end - kept.start) {
                *kept = c;
            }
            continue;
        }
        out[w] = c;
        w += 1;
    }
    out.truncate(w);
}
