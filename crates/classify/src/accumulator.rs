//! Streaming accumulation of a column's values: counts, detector hits, shapes, a distinct-value
//! estimate and masked examples, in small fixed memory.
//!
//! Values arrive in batches: one text with the values joined by `'\n'` and the end offset of
//! each value. The batch is scanned once by the detection engine; each finding is mapped back
//! to its value by binary search of the ends.

use shujian_detect::{Engine, Finding, Scratch, TextWindow};

use crate::classifier::Classifier;
use crate::distinct::{DistinctSketch, SmallCounts, hash_value};
use crate::mask::mask_value;
use crate::values::{Shape, Shapes, ValueModel};

/// Masked examples kept per column.
pub const MAX_EXAMPLES: usize = 3;

/// Shapes are computed for every one of a column's first this many non-empty values …
pub const SHAPE_ALL_VALUES: u64 = 2048;
/// … and then for about one value in this many, chosen by a hash of its position: shape
/// ratios are estimates on long columns.
pub const SHAPE_STRIDE: u64 = 16;

/// Per-column counts, independent of how the values were split into batches.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnCounts {
    /// Non-empty values.
    pub non_empty: u64,
    /// Empty values (nulls).
    pub empty: u64,
    /// Per detector (indexed by `DetectorId`): values the detector found whole (the finding
    /// covers most of the value).
    pub whole_hits: Vec<u64>,
    /// Per detector: values that contain a finding of the detector inside a longer record.
    pub contained_hits: Vec<u64>,
    /// Per shape (indexed by [`Shape::index`]): values with the shape, among the
    /// `shape_values` values whose shapes were computed.
    pub shapes: Vec<u64>,
    /// Non-empty values whose shapes were computed: all of the first
    /// [`SHAPE_ALL_VALUES`], then about one in [`SHAPE_STRIDE`] (by position in the column, so
    /// the result does not depend on batching).
    pub shape_values: u64,
    /// Total bytes of the non-empty values.
    pub bytes: u64,
    /// Shortest and longest non-empty value in bytes.
    pub min_len: u32,
    /// Longest non-empty value in bytes.
    pub max_len: u32,
}

/// Accumulates one column's values. Create with [`Classifier::accumulator`], feed with
/// [`ColumnAccumulator::push_batch`] or [`ColumnAccumulator::push`], then classify with
/// [`Classifier::decide`].
#[derive(Debug)]
pub struct ColumnAccumulator<'c> {
    pub(crate) classifier: &'c Classifier,
    pub(crate) counts: ColumnCounts,
    pub(crate) sketch: DistinctSketch,
    pub(crate) small: SmallCounts,
    pub(crate) examples: Vec<String>,
    /// How many of the examples (at the front) are detector evidence.
    evidence_examples: usize,
    scratch: Scratch,
    findings: Vec<Finding>,
    /// Per detector: the last value index counted in this batch (to count a value once).
    last_value: Vec<u32>,
    buffer: String,
    ends: Vec<u32>,
}

impl<'c> ColumnAccumulator<'c> {
    pub(crate) fn new(classifier: &'c Classifier) -> ColumnAccumulator<'c> {
        let n = classifier.engine().detectors().len();
        ColumnAccumulator {
            classifier,
            counts: ColumnCounts {
                whole_hits: vec![0; n],
                contained_hits: vec![0; n],
                shapes: vec![0; Shape::COUNT],
                min_len: u32::MAX,
                ..ColumnCounts::default()
            },
            sketch: DistinctSketch::new(),
            small: SmallCounts::new(),
            examples: Vec::new(),
            evidence_examples: 0,
            scratch: Scratch::default(),
            findings: Vec::new(),
            last_value: vec![u32::MAX; n],
            buffer: String::new(),
            ends: Vec::new(),
        }
    }

    /// The counts so far.
    pub fn counts(&self) -> &ColumnCounts {
        &self.counts
    }

    /// The distinct-value estimate so far.
    pub fn distinct_estimate(&self) -> u64 {
        self.sketch.estimate()
    }

    /// Masked examples so far (at most [`MAX_EXAMPLES`]).
    pub fn examples(&self) -> &[String] {
        &self.examples
    }

    /// Adds one value (empty = null). Values containing `'\n'` are fine here; for speed,
    /// prefer [`ColumnAccumulator::push_batch`].
    pub fn push(&mut self, value: &str) {
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        buffer.extend(value.chars().map(|c| if c == '\n' { ' ' } else { c }));
        let ends = [buffer.len() as u32];
        self.push_batch(&buffer, &ends);
        self.buffer = buffer;
    }

    /// Adds the values of one batch (empty = null); see [`ColumnAccumulator::push_batch`].
    pub fn push_values(&mut self, values: &[&str]) {
        let mut buffer = std::mem::take(&mut self.buffer);
        let mut ends = std::mem::take(&mut self.ends);
        buffer.clear();
        ends.clear();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                buffer.push('\n');
            }
            if v.contains('\n') {
                buffer.extend(v.chars().map(|c| if c == '\n' { ' ' } else { c }));
            } else {
                buffer.push_str(v);
            }
            ends.push(buffer.len() as u32);
        }
        self.push_batch(&buffer, &ends);
        self.buffer = buffer;
        self.ends = ends;
    }

    /// Adds a batch of values: value `i` is `text[start_i..ends[i]]`, where `start_0 = 0` and
    /// `start_i = ends[i-1] + 1` (values joined by one `'\n'`). An empty value is a null.
    ///
    /// # Panics
    /// If the ends are not increasing, not on character boundaries, or past the text.
    pub fn push_batch(&mut self, text: &str, ends: &[u32]) {
        let c = self.classifier;
        let model = c.values();
        let mut start = 0usize;
        for &end in ends {
            let end = end as usize;
            let v = &text[start..end];
            self.observe(model, v);
            start = end + 1;
        }
        self.scan(c.engine(), text, ends);
    }

    fn observe(&mut self, model: &ValueModel, v: &str) {
        if v.is_empty() {
            self.counts.empty += 1;
            return;
        }
        let cnt = &mut self.counts;
        cnt.non_empty += 1;
        cnt.bytes += v.len() as u64;
        let len = u32::try_from(v.len()).unwrap_or(u32::MAX);
        cnt.min_len = cnt.min_len.min(len);
        cnt.max_len = cnt.max_len.max(len);
        let h = hash_value(v.as_bytes());
        self.sketch.insert(h);
        self.small.insert(h, v);
        let k = cnt.non_empty - 1;
        // Past the first values, a pseudo-random one in SHAPE_STRIDE by position: periodic
        // data (every other row a kind) must not alias with the stride.
        if k >= SHAPE_ALL_VALUES
            && !(k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32).is_multiple_of(SHAPE_STRIDE)
        {
            return;
        }
        cnt.shape_values += 1;
        let shapes = model.shapes(v);
        let mut bits = shapes.0;
        while bits != 0 {
            cnt.shapes[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        if self.examples.len() < MAX_EXAMPLES && self.examples_from_values(shapes) {
            let masked = mask_value(v);
            if !self.examples.contains(&masked) {
                self.examples.push(masked);
            }
        }
    }

    /// Generic masked examples are taken only until detector evidence arrives, and only from
    /// values that carry some shape (not from free text).
    fn examples_from_values(&self, shapes: Shapes) -> bool {
        shapes.0 != 0
    }

    fn scan(&mut self, engine: &Engine, text: &str, ends: &[u32]) {
        if ends.is_empty() {
            return;
        }
        self.findings.clear();
        engine.scan_window(
            &TextWindow::whole(text),
            &mut self.scratch,
            &mut self.findings,
        );
        if self.findings.is_empty() {
            return;
        }
        self.last_value.fill(u32::MAX);
        // Findings come in order of position: walk the values with a cursor.
        let mut i = 0usize;
        for f in &self.findings {
            while i < ends.len() && (ends[i] as usize) <= f.start {
                i += 1;
            }
            let Some(&end) = ends.get(i) else { break };
            let end = end as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize + 1 };
            if f.end > end || f.start < start {
                continue; // crosses a value boundary
            }
            let d = f.detector.index();
            if self.last_value[d] == i as u32 {
                continue;
            }
            self.last_value[d] = i as u32;
            let value = &text[start..end];
            let covers_most = f.len() * 2 >= value.len() || {
                let trimmed =
                    value.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
                f.len() * 2 >= trimmed.len()
            };
            if covers_most {
                self.counts.whole_hits[d] += 1;
                if self.evidence_examples < MAX_EXAMPLES {
                    let ev = engine.evidence(f, &text[f.start..f.end]);
                    if !self.examples.contains(&ev) {
                        // Detector evidence is the best example: it goes before the
                        // generic ones.
                        if self.examples.len() == MAX_EXAMPLES {
                            self.examples.pop();
                        }
                        self.examples.insert(self.evidence_examples, ev);
                        self.evidence_examples += 1;
                    }
                }
            } else {
                self.counts.contained_hits[d] += 1;
            }
        }
    }

    /// The per-value shape counts plus the enumeration shapes counted over the distinct
    /// values (when there were few enough to count exactly).
    pub(crate) fn shape_counts(&self) -> Vec<u64> {
        let c = &self.counts;
        // Scale sampled counts to all non-empty values.
        let mut out: Vec<u64> = c
            .shapes
            .iter()
            .map(|&k| {
                if c.shape_values == 0 || c.shape_values == c.non_empty {
                    k
                } else {
                    ((k as f64) * (c.non_empty as f64) / (c.shape_values as f64)).round() as u64
                }
            })
            .collect();
        if let Some(entries) = self.small.entries() {
            let model = self.classifier.values();
            for (value, n) in entries {
                for s in model.enumeration_shapes(value).iter() {
                    out[s.index()] += n;
                }
            }
        }
        out
    }

    /// Merges another accumulator of the same column (e.g. from another thread).
    pub fn merge(&mut self, other: &ColumnAccumulator<'_>) {
        let a = &mut self.counts;
        let b = &other.counts;
        a.non_empty += b.non_empty;
        a.shape_values += b.shape_values;
        a.empty += b.empty;
        a.bytes += b.bytes;
        a.min_len = a.min_len.min(b.min_len);
        a.max_len = a.max_len.max(b.max_len);
        for (x, y) in a.whole_hits.iter_mut().zip(&b.whole_hits) {
            *x += y;
        }
        for (x, y) in a.contained_hits.iter_mut().zip(&b.contained_hits) {
            *x += y;
        }
        for (x, y) in a.shapes.iter_mut().zip(&b.shapes) {
            *x += y;
        }
        self.sketch.merge(&other.sketch);
        self.small.merge(&other.small);
        for e in &other.examples {
            if self.examples.len() < MAX_EXAMPLES && !self.examples.contains(e) {
                self.examples.push(e.clone());
            }
        }
    }
}
