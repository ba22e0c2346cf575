//! Distinct values: a HyperLogLog estimate in 1 KiB, and exact counts of the first few
//! distinct short values (for enumerations such as gender or ethnic group).

/// A 64-bit hash of a value: eight bytes at a time, then a final mix (murmur3 fmix64).
pub fn hash_value(b: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    fmix64(h)
}

fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

const P: u32 = 10;
const M: usize = 1 << P;

/// HyperLogLog with 1,024 registers (standard error about 3 %).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistinctSketch {
    registers: Vec<u8>,
}

impl Default for DistinctSketch {
    fn default() -> Self {
        Self::new()
    }
}

impl DistinctSketch {
    /// An empty sketch.
    pub fn new() -> DistinctSketch {
        DistinctSketch {
            registers: vec![0; M],
        }
    }

    /// Adds a hashed value.
    #[inline]
    pub fn insert(&mut self, h: u64) {
        let idx = (h >> (64 - P)) as usize;
        let rank = ((h << P) | (1 << (P - 1))).leading_zeros() as u8 + 1;
        if rank > self.registers[idx] {
            self.registers[idx] = rank;
        }
    }

    /// Merges another sketch (the union of both sets).
    pub fn merge(&mut self, other: &DistinctSketch) {
        for (a, &b) in self.registers.iter_mut().zip(&other.registers) {
            *a = (*a).max(b);
        }
    }

    /// The estimated number of distinct values.
    pub fn estimate(&self) -> u64 {
        let m = M as f64;
        let mut sum = 0.0;
        let mut zeros = 0usize;
        for &r in &self.registers {
            sum += 1.0 / f64::from(1u32 << r.min(31));
            if r == 0 {
                zeros += 1;
            }
        }
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let raw = alpha * m * m / sum;
        let est = if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln() // linear counting for small sets
        } else {
            raw
        };
        est.round() as u64
    }
}

/// Exact counts of up to [`SmallCounts::CAP`] distinct values of at most
/// [`SmallCounts::MAX_LEN`] bytes. A longer value or one distinct value too many turns it off
/// for good: the column is then no small enumeration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SmallCounts {
    /// Hashes of the entries, searched first (a tight loop over `u64`s).
    hashes: Vec<u64>,
    entries: Vec<(String, u64)>,
    overflow: bool,
}

impl SmallCounts {
    /// Most distinct values counted.
    pub const CAP: usize = 96;
    /// Longest value counted, in bytes.
    pub const MAX_LEN: usize = 24;

    /// Empty.
    pub fn new() -> SmallCounts {
        SmallCounts::default()
    }

    /// Counts a value with its hash.
    #[inline]
    pub fn insert(&mut self, h: u64, v: &str) {
        if self.overflow {
            return;
        }
        if v.len() > Self::MAX_LEN {
            self.set_overflow();
            return;
        }
        let mut i = 0;
        while let Some(p) = self.hashes[i..].iter().position(|&x| x == h) {
            let e = &mut self.entries[i + p];
            if e.0 == v {
                e.1 += 1;
                return;
            }
            i += p + 1;
        }
        if self.entries.len() == Self::CAP {
            self.set_overflow();
            return;
        }
        self.hashes.push(h);
        self.entries.push((v.to_string(), 1));
    }

    fn set_overflow(&mut self) {
        self.overflow = true;
        self.hashes = Vec::new();
        self.entries = Vec::new();
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: &SmallCounts) {
        if other.overflow {
            self.set_overflow();
            return;
        }
        for (&h, (v, n)) in other.hashes.iter().zip(&other.entries) {
            if self.overflow {
                return;
            }
            self.insert(h, v);
            if let Some(e) = self.entries.iter_mut().find(|e| e.0 == *v) {
                e.1 += n - 1;
            }
        }
    }

    /// The distinct values with their counts, or `None` after an overflow.
    pub fn entries(&self) -> Option<impl Iterator<Item = (&str, u64)>> {
        (!self.overflow).then(|| self.entries.iter().map(|(v, n)| (v.as_str(), *n)))
    }

    /// Number of distinct values, or `None` after an overflow.
    pub fn distinct(&self) -> Option<usize> {
        (!self.overflow).then_some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hll_estimates_within_a_few_percent() {
        for n in [0u64, 1, 10, 100, 1_000, 10_000, 100_000] {
            let mut s = DistinctSketch::new();
            for i in 0..n {
                s.insert(hash_value(format!("value-{i}").as_bytes()));
                s.insert(hash_value(format!("value-{i}").as_bytes()));
            }
            let e = s.estimate() as f64;
            let err = (e - n as f64).abs() / (n.max(1) as f64);
            assert!(err < 0.08, "n={n} estimate={e}");
        }
    }

    #[test]
    fn hll_merge_is_union() {
        let (mut a, mut b) = (DistinctSketch::new(), DistinctSketch::new());
        for i in 0..500 {
            a.insert(hash_value(format!("{i}").as_bytes()));
        }
        for i in 250..750 {
            b.insert(hash_value(format!("{i}").as_bytes()));
        }
        a.merge(&b);
        let e = a.estimate() as f64;
        assert!((e - 750.0).abs() < 750.0 * 0.08, "{e}");
    }

    #[test]
    fn small_counts_overflow_on_many_or_long_values() {
        let mut s = SmallCounts::new();
        for v in ["男", "女", "男"] {
            s.insert(hash_value(v.as_bytes()), v);
        }
        let got: Vec<_> = s.entries().unwrap().collect();
        assert_eq!(got, vec![("男", 2), ("女", 1)]);
        for i in 0..SmallCounts::CAP {
            let v = i.to_string();
            s.insert(hash_value(v.as_bytes()), &v);
        }
        assert!(s.entries().is_none());
        let mut t = SmallCounts::new();
        let long = "x".repeat(SmallCounts::MAX_LEN + 1);
        t.insert(hash_value(long.as_bytes()), &long);
        assert_eq!(t.distinct(), None);
    }

    #[test]
    fn small_counts_merge_adds() {
        let mut a = SmallCounts::new();
        let mut b = SmallCounts::new();
        for v in ["a", "b", "a"] {
            a.insert(hash_value(v.as_bytes()), v);
        }
        for v in ["a", "c"] {
            b.insert(hash_value(v.as_bytes()), v);
        }
        a.merge(&b);
        let mut got: Vec<_> = a.entries().unwrap().collect();
        got.sort_unstable();
        assert_eq!(got, vec![("a", 3), ("b", 1), ("c", 1)]);
    }
}
