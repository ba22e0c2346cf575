//! Names standing alone as fields of a record, with no keyword: `易动力网络有限公司,陈文,133…`,
//! `马玉\t159…`, `| 王建国 | +86 … |`, `{"name": "李海燕"}`, `[微信] 门洋: …`.
//!
//! A run of two to four Han characters between delimiters is scored as a whole; so is the
//! start of a run that a keyword ends (`,张三手机138…`).

use super::lexicon::Lexicon;
use super::runs::Run;
use super::score::{HitCursor, Scored, edge_score, exact};
use super::text::Edge;

/// Score for a field ended by a keyword rather than a delimiter.
const KEYWORD_END: i32 = 3;

/// Calls `found(name, record edges)` if the run, or its start up to a keyword, stands as a
/// field and scores as a name. `record edges` (0–2) counts the edges that are record
/// delimiters rather than prose punctuation or a keyword. The score includes the edges.
pub(super) fn judge(
    lex: &Lexicon,
    text: &[u8],
    run: Run,
    cursor: &mut HitCursor<'_>,
    found: &mut impl FnMut(Scored, u8),
) {
    if run.left == Edge::None {
        return;
    }
    let next_hit = cursor.next_start(run.start);
    let record = |e: Edge| u8::from(e == Edge::Record);
    if (2..=4).contains(&run.chars())
        && run.right != Edge::None
        && let Some(mut s) = exact(lex, text, run.start, run.end, next_hit)
    {
        s.score += edge_score(run.left) + edge_score(run.right);
        found(s, record(run.left) + record(run.right));
    }
    // A field ended by a keyword: `,张三手机138…`.
    if next_hit < run.end && next_hit <= run.start + 12 {
        for h in cursor
            .ahead()
            .iter()
            .take_while(|h| h.start <= run.start + 12)
        {
            let e = h.start;
            if e >= run.start + 6
                && e < run.end
                && (e - run.start).is_multiple_of(3)
                && let Some(mut s) = exact(lex, text, run.start, e, next_hit.max(e))
            {
                s.score += edge_score(run.left) + KEYWORD_END;
                found(s, record(run.left));
            }
        }
    }
}
