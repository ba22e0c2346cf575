//! How rows are chosen from a table — the sampling strategies, engine-independent parts.
//!
//! Let `n` be [`DbOptions::sample_rows`](super::DbOptions) (default 1,000).
//!
//! 1. **Small tables** — the row estimate is at most [`SMALL_TABLE_FACTOR`]` × n`: the first
//!    `n` rows with `LIMIT n` ([`SampleStrategy::Whole`]; when the table has at most `n` rows
//!    this is all of it). When the engine has no estimate (a PostgreSQL table never analysed,
//!    a SQLite `WITHOUT ROWID` table without statistics), a bounded count
//!    `SELECT count(*) FROM (SELECT 1 FROM t LIMIT 2n+1)` decides, reading at most `2n+1` rows.
//! 2. **Large PostgreSQL tables** — `TABLESAMPLE SYSTEM (p)`: random whole pages, with `p`
//!    chosen to return about [`OVERSAMPLE`]` × n` rows, capped, then `ORDER BY random() LIMIT n`
//!    over that small set only ([`SampleStrategy::TableSample`]). If the pages hold fewer
//!    than `n` rows (a stale estimate), once more with `4p`, and then the first rows
//!    ([`SampleStrategy::FirstRows`]).
//! 3. **Large MySQL/MariaDB and SQLite tables** — key-range sampling on an integer primary key
//!    (SQLite: the `rowid`): [`key_range_starts`] draws `r` random starting points in
//!    `[min, max]` of the key (`r = n / 100`, 1 to 32), and each range reads
//!    `WHERE key >= start ORDER BY key LIMIT n/r` through the index; ranges never overlap,
//!    and if they fall short (the end of the key space reached early) the rest comes from the
//!    gaps between them, in key order ([`SampleStrategy::KeyRange`]). The points come from a generator seeded with the table's
//!    name, so the same table gives the same sample while its data stays the same.
//! 4. **Otherwise** (no integer key, views, foreign tables) — the first `n` rows in storage
//!    order ([`SampleStrategy::FirstRows`]).
//!
//! Never `ORDER BY random()` over a whole large table: every strategy reads `O(n)` rows
//! through an index or a page sample, so a billion-row table costs what a thousand-row one does.
//!
//! Values are converted to text by the engine (`::text`, `CAST(… AS CHAR)`, `CAST(… AS TEXT)`),
//! cut to `max_value_chars` characters; binary values become a marker
//! `[binary N bytes: HEX]` holding at most the first [`BINARY_PREFIX`] bytes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A table with at most this many times `sample_rows` rows (by estimate) is read from the start.
pub const SMALL_TABLE_FACTOR: u64 = 2;
/// `TABLESAMPLE` aims at this many times `sample_rows` rows, as pages vary in fill.
pub const OVERSAMPLE: f64 = 3.0;
/// At most this many times `sample_rows` rows are taken from a page sample before shuffling,
/// whatever the estimate said.
pub const TABLESAMPLE_CAP: usize = 20;
/// Bytes of a binary value shown in its marker.
pub const BINARY_PREFIX: usize = 16;

/// How the rows of a [`TableSample`](super::TableSample) were chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case")]
pub enum SampleStrategy {
    /// A small table: its first `sample_rows` rows (all of them when it has no more).
    Whole,
    /// PostgreSQL `TABLESAMPLE SYSTEM (percent)`, shuffled, `LIMIT sample_rows`.
    TableSample { percent: f64 },
    /// Random starting points on an integer key, `ranges` index range scans.
    KeyRange { key: String, ranges: usize },
    /// The first `sample_rows` rows in storage order: no cheaper random method applies.
    FirstRows,
}

impl Eq for SampleStrategy {}

impl fmt::Display for SampleStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SampleStrategy::Whole => f.write_str("whole table (small)"),
            SampleStrategy::TableSample { percent } => {
                write!(f, "TABLESAMPLE SYSTEM ({percent:.4} %)")
            }
            SampleStrategy::KeyRange { key, ranges } => {
                write!(f, "key ranges on {key} ({ranges} ranges)")
            }
            SampleStrategy::FirstRows => f.write_str("first rows"),
        }
    }
}

/// Whether a table of `estimate` rows is small enough to read from the start.
pub(crate) fn is_small(estimate: u64, sample_rows: usize) -> bool {
    estimate <= (sample_rows as u64).saturating_mul(SMALL_TABLE_FACTOR)
}

/// The bound of the bounded count used when there is no estimate.
pub(crate) fn count_bound(sample_rows: usize) -> u64 {
    (sample_rows as u64).saturating_mul(SMALL_TABLE_FACTOR) + 1
}

/// The `TABLESAMPLE SYSTEM` percentage for a table of `estimate` rows: about
/// `OVERSAMPLE × sample_rows` rows, between 0.0001 % and 100 %.
pub(crate) fn tablesample_percent(estimate: u64, sample_rows: usize) -> f64 {
    let want = OVERSAMPLE * sample_rows as f64;
    let p = 100.0 * want / (estimate.max(1) as f64);
    // Rounded so the SQL text stays short and stable.
    (p.clamp(0.0001, 100.0) * 10_000.0).ceil() / 10_000.0
}

/// How many key ranges to read for `sample_rows` rows: one per 100 rows, 1 to 32.
pub(crate) fn key_ranges(sample_rows: usize) -> usize {
    (sample_rows / 100).clamp(1, 32)
}

/// `ranges` sorted starting points in `[min, max]`, drawn by a generator seeded with `seed`.
pub fn key_range_starts(min: i64, max: i64, ranges: usize, seed: u64) -> Vec<i64> {
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    let span = (i128::from(max) - i128::from(min) + 1) as u128;
    let mut rng = SplitMix64(seed);
    let mut starts: Vec<i64> = (0..ranges)
        .map(|_| {
            // Two draws cover spans wider than 64 bits (the whole i64 range).
            let draw = (u128::from(rng.next()) << 64 | u128::from(rng.next())) % span;
            (i128::from(min) + draw as i128) as i64
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// A seed from a table's identity, so a table is sampled the same way on every scan.
pub(crate) fn table_seed(schema: Option<&str>, name: &str) -> u64 {
    // FNV-1a, 64 bit: stable across runs and platforms, unlike `DefaultHasher`.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in schema.unwrap_or("").bytes().chain([0]).chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, good enough to place range starts.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The state of a key-range read: which ranges remain and where the next may start, so no
/// row is read twice; then, if the ranges fell short (a table barely larger than the sample),
/// the gaps between them, in key order.
#[derive(Debug)]
pub(crate) struct KeyRangeReader {
    starts: std::vec::IntoIter<i64>,
    next_allowed: i64,
    max: i64,
    per_range: usize,
    wanted: usize,
    /// `[from, last]` of each range that returned rows, in key order.
    read: Vec<(i64, i64)>,
    /// `from` of the range query in flight.
    in_flight: Option<i64>,
    /// Fill phase: `[from, below)` spans not read yet.
    gaps: Option<std::collections::VecDeque<(i64, Option<i64>)>>,
}

/// One range read: `key >= from` (and `key < below` when set), `LIMIT limit`, by key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRangeQuery {
    pub from: i64,
    pub below: Option<i64>,
    pub limit: usize,
}

impl KeyRangeReader {
    pub(crate) fn new(min: i64, max: i64, sample_rows: usize, seed: u64) -> Self {
        let ranges = key_ranges(sample_rows);
        KeyRangeReader {
            starts: key_range_starts(min, max, ranges, seed).into_iter(),
            next_allowed: min,
            max,
            per_range: sample_rows.div_ceil(ranges),
            wanted: sample_rows,
            read: Vec::new(),
            in_flight: None,
            gaps: None,
        }
    }

    pub(crate) fn ranges(&self) -> usize {
        key_ranges(self.wanted)
    }

    /// The next query, given how many rows have been read so far; `None` when done.
    pub(crate) fn next_query(&mut self, have: usize) -> Option<KeyRangeQuery> {
        if have >= self.wanted {
            return None;
        }
        let remaining = self.wanted - have;
        if self.gaps.is_none() {
            if let Some(start) = self.starts.next() {
                let from = start.max(self.next_allowed);
                if from <= self.max {
                    self.in_flight = Some(from);
                    return Some(KeyRangeQuery {
                        from,
                        below: None,
                        limit: self.per_range.min(remaining),
                    });
                }
                // Sorted starts: the later ones lie beyond the end as well.
                self.starts = Vec::new().into_iter();
            }
            self.gaps = Some(self.gaps_between_ranges());
        }
        self.in_flight = None;
        let (from, below) = self.gaps.as_mut()?.pop_front()?;
        Some(KeyRangeQuery {
            from,
            below,
            limit: remaining,
        })
    }

    fn gaps_between_ranges(&self) -> std::collections::VecDeque<(i64, Option<i64>)> {
        let mut gaps = std::collections::VecDeque::new();
        let mut from = i64::MIN;
        for &(start, last) in &self.read {
            if start > from {
                gaps.push_back((from, Some(start)));
            }
            if last == i64::MAX {
                return gaps;
            }
            from = last + 1;
        }
        gaps.push_back((from, None));
        gaps
    }

    /// Records the last key a query returned, and whether it returned fewer rows than asked
    /// (for a range: the end of the key space).
    pub(crate) fn advance(&mut self, last_key: Option<i64>, exhausted: bool) {
        if let (Some(from), Some(last)) = (self.in_flight.take(), last_key) {
            self.read.push((from, last));
        }
        if let Some(k) = last_key {
            self.next_allowed = k.saturating_add(1);
        }
        if exhausted && self.gaps.is_none() {
            // Later starts lie beyond the end too; go straight to the gaps.
            self.starts = Vec::new().into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_means_at_most_twice_the_sample() {
        assert!(is_small(2000, 1000));
        assert!(!is_small(2001, 1000));
        assert!(is_small(0, 1000));
        assert_eq!(count_bound(1000), 2001);
    }

    #[test]
    fn tablesample_percent_aims_at_three_times_the_sample() {
        assert_eq!(tablesample_percent(200_000, 1000), 1.5);
        assert_eq!(tablesample_percent(1000, 1000), 100.0);
        assert_eq!(tablesample_percent(u64::MAX, 1000), 0.0001);
    }

    #[test]
    fn starts_are_sorted_in_range_and_reproducible() {
        let a = key_range_starts(1, 200_000, 10, 42);
        assert_eq!(a, key_range_starts(1, 200_000, 10, 42));
        assert_ne!(a, key_range_starts(1, 200_000, 10, 43));
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert!(a.iter().all(|&s| (1..=200_000).contains(&s)));
        let full = key_range_starts(i64::MIN, i64::MAX, 32, 7);
        assert!(!full.is_empty());
        assert_eq!(key_range_starts(5, 5, 3, 1), vec![5]);
    }

    #[test]
    fn ranges_per_sample_size() {
        assert_eq!(key_ranges(1000), 10);
        assert_eq!(key_ranges(10), 1);
        assert_eq!(key_ranges(1_000_000), 32);
    }

    /// Simulates the reader over a dense key space 1..=rows.
    fn simulate(rows: i64, sample: usize, seed: u64) -> Vec<i64> {
        let mut reader = KeyRangeReader::new(1, rows, sample, seed);
        let mut got: Vec<i64> = Vec::new();
        while let Some(q) = reader.next_query(got.len()) {
            let upper = q.below.unwrap_or(i64::MAX);
            let batch: Vec<i64> = (q.from.max(1)..=rows)
                .filter(|k| *k < upper)
                .take(q.limit)
                .collect();
            let exhausted = batch.len() < q.limit;
            reader.advance(batch.last().copied(), exhausted);
            got.extend(batch);
        }
        got
    }

    #[test]
    fn key_ranges_return_exactly_the_sample_without_duplicates() {
        for seed in 0..50 {
            let got = simulate(200_000, 1000, seed);
            assert_eq!(got.len(), 1000, "seed {seed}");
            let mut unique = got.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), 1000, "seed {seed}");
        }
        // A table barely larger than the sample still fills it through the wrap-around.
        for seed in 0..50 {
            let got = simulate(1200, 1000, seed);
            let mut unique = got.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), 1000, "seed {seed}");
        }
        // And a table smaller than the sample (a stale estimate) yields all its rows.
        let got = simulate(300, 1000, 3);
        assert_eq!(got.len(), 300);
    }

    #[test]
    fn seeds_differ_per_table_and_are_stable() {
        assert_eq!(table_seed(Some("a"), "b"), table_seed(Some("a"), "b"));
        assert_ne!(table_seed(Some("a"), "b"), table_seed(Some("ab"), ""));
        assert_ne!(table_seed(None, "b"), table_seed(Some("x"), "b"));
    }

    #[test]
    fn strategies_display_for_the_report() {
        assert_eq!(
            SampleStrategy::KeyRange {
                key: "id".into(),
                ranges: 10
            }
            .to_string(),
            "key ranges on id (10 ranges)"
        );
        let json = serde_json::to_string(&SampleStrategy::TableSample { percent: 1.5 }).unwrap();
        assert_eq!(json, r#"{"strategy":"table_sample","percent":1.5}"#);
    }
}
