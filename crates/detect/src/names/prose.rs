//! Names inside running prose with no keyword and no delimiter to lean on
//! (`宋振平表示`, `，王芳说`): every surname in a run of Han text is tried, and only strong
//! candidates survive the thresholds.
//!
//! Most surname characters in prose start ordinary words; a bound from three table lookups
//! rejects them before the full parse.

use super::lexicon::Lexicon;
use super::runs::Run;
use super::score::{HitCursor, Scored, forward, left_score, upper_bound};
use super::text::han_in_run;

/// Calls `found` with the best non-overlapping name candidates of the run scoring at least
/// `floor`, the better where two overlap.
pub(super) fn scan(
    lex: &Lexicon,
    text: &[u8],
    run: Run,
    floor: i32,
    cursor: &mut HitCursor<'_>,
    found: &mut impl FnMut(Scored),
) {
    if run.chars() < 2 {
        return;
    }
    let mut pending: Option<Scored> = None;
    let mut c = han_in_run(text, run.start);
    let mut at = run.start;
    while at + 3 < run.end {
        let n = han_in_run(text, at + 3);
        if lex.may_begin_name(c)
            && upper_bound(lex, text, at, c, n) >= floor
            && let Some(mut s) = forward(lex, text, at, cursor.next_start(at))
        {
            s.score += left_score(lex, text, at, c);
            if s.score >= floor {
                pending = match pending {
                    Some(p) if s.start < p.end => Some(if s.score > p.score { s } else { p }),
                    Some(p) => {
                        found(p);
                        Some(s)
                    }
                    None => Some(s),
                };
            }
        }
        at += 3;
        c = n;
    }
    if let Some(p) = pending {
        found(p);
    }
}
