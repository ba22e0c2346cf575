//! Span matching and precision, recall and F1.
//!
//! Two ways a prediction can be right, both one-to-one (a gold span is matched at most once,
//! a prediction matches at most one gold span) and only between spans of the same label:
//!
//! * **exact**: same start and same end;
//! * **overlap**: the two share at least one character.
//!
//! Overlap matching takes a maximum matching, computed greedily: predictions in order of
//! their end, each takes, among the unmatched gold spans it overlaps, the one that ends first.
//! For intervals this greedy choice is optimal (exchange argument: a later prediction that
//! could use the gold span taken also overlaps the one left), so no split or merged span is
//! counted twice and none is dropped for want of a better pairing.
//!
//! Precision is TP / (TP + FP), recall TP / (TP + FN), F1 = 2TP / (2TP + FP + FN). A ratio
//! whose denominator is zero is vacuously perfect: no predictions → precision 1, no gold
//! spans → recall 1; F1 is then 1 only when both sets are empty and 0 otherwise. No NaN.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

/// Index of a scored label.
pub type LabelId = u16;

/// A span in code points, end exclusive, with its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The scored label.
    pub label: LabelId,
}

impl Span {
    /// Whether the two spans share a character.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// How a prediction must agree with a gold span to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchMode {
    /// Same label, start and end.
    Exact,
    /// Same label and at least one shared character.
    Overlap,
}

/// True positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predictions matched to a gold span.
    pub tp: u64,
    /// Predictions not matched.
    pub fp: u64,
    /// Gold spans not matched.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Counts {
    /// Adds another tally to this one.
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// TP / (TP + FP); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// TP / (TP + FN); 1 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// 2TP / (2TP + FP + FN): the harmonic mean of precision and recall; 1 when both sets
    /// are empty.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Matches predictions to gold spans one-to-one. Returns, for each prediction, the index of
/// the gold span it is matched to.
pub fn match_spans(gold: &[Span], pred: &[Span], mode: MatchMode) -> Vec<Option<usize>> {
    match mode {
        MatchMode::Exact => match_exact(gold, pred),
        MatchMode::Overlap => match_overlap(gold, pred),
    }
}

fn match_exact(gold: &[Span], pred: &[Span]) -> Vec<Option<usize>> {
    let mut free: HashMap<Span, Vec<usize>> = HashMap::with_capacity(gold.len());
    for (i, g) in gold.iter().enumerate().rev() {
        free.entry(*g).or_default().push(i);
    }
    pred.iter()
        .map(|p| free.get_mut(p).and_then(Vec::pop))
        .collect()
}

fn match_overlap(gold: &[Span], pred: &[Span]) -> Vec<Option<usize>> {
    let mut groups: BTreeMap<LabelId, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, g) in gold.iter().enumerate() {
        groups.entry(g.label).or_default().0.push(i);
    }
    for (i, p) in pred.iter().enumerate() {
        groups.entry(p.label).or_default().1.push(i);
    }
    let mut matched = vec![None; pred.len()];
    for (mut golds, mut preds) in groups.into_values() {
        golds.sort_by_key(|&i| (gold[i].start, gold[i].end));
        preds.sort_by_key(|&i| (pred[i].end, pred[i].start));
        // Gold spans starting before the current prediction's end, keyed by their end.
        let mut open: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut next = 0;
        for pi in preds {
            let p = pred[pi];
            while next < golds.len() && gold[golds[next]].start < p.end {
                open.insert((gold[golds[next]].end, golds[next]));
                next += 1;
            }
            let first = open.range((p.start + 1, 0)..).next().copied();
            if let Some(key) = first {
                open.remove(&key);
                debug_assert!(gold[key.1].overlaps(&p));
                matched[pi] = Some(key.1);
            }
        }
    }
    matched
}

/// Adds the outcome of one matching to per-label tallies (indexed by label).
pub fn count(gold: &[Span], pred: &[Span], matches: &[Option<usize>], out: &mut [Counts]) {
    let mut gold_matched = vec![false; gold.len()];
    for (p, m) in pred.iter().zip(matches) {
        match m {
            Some(g) => {
                gold_matched[*g] = true;
                out[usize::from(p.label)].tp += 1;
            }
            None => out[usize::from(p.label)].fp += 1,
        }
    }
    for (g, matched) in gold.iter().zip(gold_matched) {
        if !matched {
            out[usize::from(g.label)].fn_ += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: usize, end: usize, label: LabelId) -> Span {
        Span { start, end, label }
    }

    fn counts(gold: &[Span], pred: &[Span], mode: MatchMode, labels: usize) -> Vec<Counts> {
        let mut out = vec![Counts::default(); labels];
        count(gold, pred, &match_spans(gold, pred, mode), &mut out);
        out
    }

    fn c(tp: u64, fp: u64, fn_: u64) -> Counts {
        Counts { tp, fp, fn_ }
    }

    #[test]
    fn exact_needs_both_ends_overlap_one_character() {
        let gold = [s(2, 4, 0), s(10, 21, 1)];
        let pred = [s(2, 5, 0), s(10, 21, 1)];
        assert_eq!(
            counts(&gold, &pred, MatchMode::Exact, 2),
            vec![c(0, 1, 1), c(1, 0, 0)]
        );
        assert_eq!(
            counts(&gold, &pred, MatchMode::Overlap, 2),
            vec![c(1, 0, 0), c(1, 0, 0)]
        );
        // Touching is not overlapping: end is exclusive.
        assert_eq!(
            counts(&[s(0, 2, 0)], &[s(2, 4, 0)], MatchMode::Overlap, 1),
            vec![c(0, 1, 1)]
        );
    }

    #[test]
    fn labels_must_agree() {
        let gold = [s(0, 11, 0)];
        let pred = [s(0, 11, 1)];
        for mode in [MatchMode::Exact, MatchMode::Overlap] {
            assert_eq!(counts(&gold, &pred, mode, 2), vec![c(0, 0, 1), c(0, 1, 0)]);
        }
    }

    #[test]
    fn overlap_is_one_to_one() {
        // One long prediction over two gold spans: one TP and one FN, not two TPs.
        let gold = [s(0, 3, 0), s(4, 7, 0)];
        assert_eq!(
            counts(&gold, &[s(0, 7, 0)], MatchMode::Overlap, 1),
            vec![c(1, 0, 1)]
        );
        // Two predictions inside one gold span: one TP and one FP.
        assert_eq!(
            counts(
                &[s(0, 7, 0)],
                &[s(0, 3, 0), s(4, 7, 0)],
                MatchMode::Overlap,
                1
            ),
            vec![c(1, 1, 0)]
        );
        // Duplicate gold spans are two spans; duplicate predictions two predictions.
        assert_eq!(
            counts(
                &[s(0, 2, 0), s(0, 2, 0)],
                &[s(0, 2, 0)],
                MatchMode::Exact,
                1
            ),
            vec![c(1, 0, 1)]
        );
        assert_eq!(
            counts(
                &[s(0, 2, 0)],
                &[s(0, 2, 0), s(0, 2, 0)],
                MatchMode::Exact,
                1
            ),
            vec![c(1, 1, 0)]
        );
    }

    #[test]
    fn overlap_matching_is_maximum() {
        // A naive "first overlapping gold" would give the long prediction the first gold span
        // and leave the short one without a partner.
        let gold = [s(0, 2, 0), s(5, 7, 0)];
        let pred = [s(0, 10, 0), s(1, 2, 0)];
        let m = match_spans(&gold, &pred, MatchMode::Overlap);
        assert_eq!(m, vec![Some(1), Some(0)]);
        // Ordered by start instead of end, greedy would fail here as well.
        let gold = [s(0, 3, 0), s(4, 6, 0)];
        let pred = [s(0, 6, 0), s(2, 3, 0)];
        assert_eq!(
            counts(&gold, &pred, MatchMode::Overlap, 1),
            vec![c(2, 0, 0)]
        );
        // A later prediction can reach back to an earlier gold span.
        let gold = [s(0, 2, 0), s(8, 9, 0)];
        let pred = [s(8, 9, 0), s(1, 12, 0)];
        assert_eq!(
            counts(&gold, &pred, MatchMode::Overlap, 1),
            vec![c(2, 0, 0)]
        );
    }

    #[test]
    fn overlap_matching_equals_brute_force_on_small_cases() {
        // Every pair of spans over 0..5 (one label): the greedy count equals the maximum
        // matching found by trying every assignment.
        let spans: Vec<Span> = (0..5)
            .flat_map(|a| (a + 1..=5).map(move |b| s(a, b, 0)))
            .collect();
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        for _ in 0..2000 {
            let gold: Vec<Span> = (0..next(4)).map(|_| spans[next(spans.len())]).collect();
            let pred: Vec<Span> = (0..next(4)).map(|_| spans[next(spans.len())]).collect();
            let greedy = match_spans(&gold, &pred, MatchMode::Overlap)
                .iter()
                .flatten()
                .count();
            assert_eq!(
                greedy,
                brute_force(&gold, &pred, 0, &mut vec![false; gold.len()])
            );
        }
    }

    fn brute_force(gold: &[Span], pred: &[Span], i: usize, used: &mut Vec<bool>) -> usize {
        if i == pred.len() {
            return 0;
        }
        let mut best = brute_force(gold, pred, i + 1, used);
        for g in 0..gold.len() {
            if !used[g] && gold[g].overlaps(&pred[i]) {
                used[g] = true;
                best = best.max(1 + brute_force(gold, pred, i + 1, used));
                used[g] = false;
            }
        }
        best
    }

    #[test]
    fn scores_are_defined_on_empty_sets() {
        let none = Counts::default();
        assert_eq!(
            (none.precision(), none.recall(), none.f1()),
            (1.0, 1.0, 1.0)
        );
        let missed = c(0, 0, 5);
        assert_eq!(
            (missed.precision(), missed.recall(), missed.f1()),
            (1.0, 0.0, 0.0)
        );
        let spurious = c(0, 3, 0);
        assert_eq!(
            (spurious.precision(), spurious.recall(), spurious.f1()),
            (0.0, 1.0, 0.0)
        );
        assert!(counts(&[], &[], MatchMode::Overlap, 1)[0] == none);
    }

    #[test]
    fn f1_is_the_harmonic_mean() {
        let x = c(6, 2, 4);
        let (p, r) = (x.precision(), x.recall());
        assert_eq!(p, 0.75);
        assert_eq!(r, 0.6);
        assert!((x.f1() - 2.0 * p * r / (p + r)).abs() < 1e-12);
        let mut total = c(1, 0, 0);
        total.add(c(2, 3, 4));
        assert_eq!(total, c(3, 3, 4));
    }
}
