//! Overlap resolution: one value, one finding.
//!
//! Candidates that overlap form a cluster; within a cluster the best candidate is kept and
//! everything overlapping it is dropped, repeatedly. "Best" means: validated (medium or high
//! confidence) before format-only; then the longest; then the more confident; then the
//! detector's tie rank (an 18-digit valid resident ID beats an 18-digit bank card).

use std::cmp::Reverse;

use crate::finding::Confidence;
use crate::scan::Candidate;

/// Keeps the best non-overlapping candidates, sorted by start. `rank` gives each candidate's
/// detector tie rank (lower wins).
pub(crate) fn resolve(cands: &mut Vec<Candidate>, rank: impl Fn(&Candidate) -> u8) {
    if cands.len() < 2 {
        return;
    }
    let key = |c: &Candidate| (c.start, Reverse(c.end));
    if !cands.is_sorted_by_key(key) {
        cands.sort_by_key(key);
    }
    let mut keep = vec![false; cands.len()];
    let mut i = 0;
    while i < cands.len() {
        // Sweep one cluster of mutually overlapping (transitively) candidates.
        let mut j = i + 1;
        let mut cluster_end = cands[i].end;
        while j < cands.len() && cands[j].start < cluster_end {
            cluster_end = cluster_end.max(cands[j].end);
            j += 1;
        }
        if j - i == 1 {
            keep[i] = true;
        } else {
            pick(&cands[i..j], &mut keep[i..j], &rank);
        }
        i = j;
    }
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

fn pick(cluster: &[Candidate], keep: &mut [bool], rank: &impl Fn(&Candidate) -> u8) {
    let mut order: Vec<usize> = (0..cluster.len()).collect();
    order.sort_by_key(|&i| {
        let c = &cluster[i];
        (
            Reverse(c.confidence >= Confidence::Medium),
            Reverse(c.end - c.start),
            Reverse(c.confidence),
            rank(c),
            c.start,
        )
    });
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for i in order {
        let c = &cluster[i];
        if chosen.iter().all(|&(s, e)| c.end <= s || c.start >= e) {
            chosen.push((c.start, c.end));
            keep[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detector::DetectorId;
    use crate::finding::{Checks, Note};

    fn c(det: u16, start: usize, end: usize, confidence: Confidence) -> Candidate {
        Candidate {
            detector: DetectorId(det),
            start,
            end,
            confidence,
            checks: Checks::NONE,
            note: Note::None,
            keyword: None,
            context_done: false,
        }
    }

    fn run(mut v: Vec<Candidate>) -> Vec<(u16, usize, usize)> {
        resolve(&mut v, |c| c.detector.0 as u8);
        v.iter().map(|c| (c.detector.0, c.start, c.end)).collect()
    }

    #[test]
    fn same_span_goes_to_the_better_rank() {
        let got = run(vec![
            c(4, 0, 18, Confidence::Medium),
            c(1, 0, 18, Confidence::Medium),
        ]);
        assert_eq!(got, vec![(1, 0, 18)]);
    }

    #[test]
    fn longest_validated_wins_over_more_confident_inner() {
        // An e-mail containing a phone number: the e-mail is longer.
        let got = run(vec![
            c(6, 0, 11, Confidence::High),
            c(2, 0, 18, Confidence::Medium),
        ]);
        assert_eq!(got, vec![(2, 0, 18)]);
    }

    #[test]
    fn validated_beats_longer_format_only() {
        let got = run(vec![
            c(1, 0, 30, Confidence::Low),
            c(2, 5, 16, Confidence::Medium),
        ]);
        assert_eq!(got, vec![(2, 5, 16)]);
    }

    #[test]
    fn non_overlapping_are_all_kept_in_order() {
        let got = run(vec![
            c(3, 20, 25, Confidence::Low),
            c(1, 0, 5, Confidence::Medium),
            c(2, 5, 10, Confidence::Medium),
        ]);
        assert_eq!(got, vec![(1, 0, 5), (2, 5, 10), (3, 20, 25)]);
    }

    #[test]
    fn chains_keep_compatible_members() {
        // a overlaps b, b overlaps c, a and c do not overlap: b is longest, drops both.
        let got = run(vec![
            c(1, 0, 10, Confidence::Medium),
            c(2, 8, 22, Confidence::Medium),
            c(3, 20, 30, Confidence::Medium),
        ]);
        assert_eq!(got, vec![(2, 8, 22)]);
        // With b format-only, a and c both survive.
        let got = run(vec![
            c(1, 0, 10, Confidence::Medium),
            c(2, 8, 22, Confidence::Low),
            c(3, 20, 30, Confidence::Medium),
        ]);
        assert_eq!(got, vec![(1, 0, 10), (3, 20, 30)]);
    }
}
