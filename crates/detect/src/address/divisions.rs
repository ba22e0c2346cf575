//! The GB/T 2260 division table (spec §10.11) and its automaton.
//!
//! `rules/divisions/gbt2260.tsv` is converted from PyPI `cpca` 0.5.5 (MIT) by
//! `scripts/convert_divisions.py`; see `rules/divisions/SOURCE.md`. Each line is a 6-digit code,
//! the full name (`广西壮族自治区`, `海淀区`) and, where one exists, the short form people write
//! (`广西`, `海淀`). Every distinct full and short name is one entry, which remembers the most
//! significant level it names and whether it is a full name.
//!
//! Matching is purpose-built: every name is at least two Han characters, so the first six
//! bytes of a name are two whole characters. A 256 Ki-bit filter of those six-byte prefixes
//! rejects almost every position of a text in one multiply and one bit test; the rare
//! survivors binary-search the prefix and compare whole names, longest first. An Aho-Corasick
//! DFA over the same ~6,000 names took longer to build and scanned dense Chinese text at a
//! fraction of the speed.

use std::collections::HashMap;

/// The administrative level a division code names (GB/T 2260: `xx0000`, `xxyy00`, other).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Province,
    Prefecture,
    County,
}

impl Level {
    /// The level of a 6-digit division code.
    fn of_code(code: &str) -> Level {
        if code.ends_with("0000") {
            Level::Province
        } else if code.ends_with("00") {
            Level::Prefecture
        } else {
            Level::County
        }
    }
}

/// What one automaton pattern names. A string may name several divisions (`海南` is short for
/// both 海南省 and 海南藏族自治州): the most significant level wins, and it is a full name if
/// it is the full name of any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NameInfo {
    pub level: Level,
    pub full: bool,
    /// Length in characters.
    pub chars: u8,
}

impl NameInfo {
    /// Whether the name can begin an address by itself. County short forms (`朝阳`, `新城`,
    /// `友好`) and two-character county names (`城区`, `西区`, `新县`) are everyday words:
    /// they only continue a chain that began with something else.
    pub fn starts_chain(self) -> bool {
        self.level != Level::County || (self.full && self.chars >= 3)
    }

    /// Whether a name begins a new address when it appears inside another one's detail part:
    /// a full province or prefecture name (`…书店大连市中山区…`).
    pub fn begins_new_address(self) -> bool {
        self.full && self.level != Level::County
    }

    /// Whether the name alone is distinctive enough to anchor an address that has any
    /// structure: full province and prefecture names, and full county names of three or more
    /// characters (`海淀区`, not `城区` or `新县`).
    pub fn is_strong(self) -> bool {
        self.full && (self.level != Level::County || self.chars >= 3)
    }
}

/// Counts of the table's divisions by level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct LevelCounts {
    pub provinces: usize,
    pub prefectures: usize,
    pub counties: usize,
}

/// One division name found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NameMatch {
    pub start: usize,
    pub end: usize,
    pub info: NameInfo,
}

/// Bits of the prefix filter (2^18 = 256 Ki-bit, 32 KiB: stays in cache).
const FILTER_BITS: u32 = 18;
/// Bits of the prefix hash table (8 Ki slots of 2 bytes; the table has ~3,000 prefixes).
const SLOT_BITS: u32 = 13;

/// The division names and their matcher.
#[derive(Clone, Debug)]
pub(super) struct DivisionTable {
    /// Bit set of hashed six-byte prefixes.
    filter: Vec<u64>,
    /// Distinct six-byte prefixes, each with its range of `entries`.
    prefixes: Vec<(u64, u32, u32)>,
    /// Open-addressing hash of `prefixes`: 0 for empty, else 1 + an index into `prefixes`.
    slots: Vec<u16>,
    /// Names grouped by prefix, longest first within a group: (byte range in `bytes`, info).
    entries: Vec<(u32, u32, NameInfo)>,
    /// All names, concatenated.
    bytes: String,
}

/// The table shipped with shujian.
const BUILTIN: &str = include_str!("../../../../rules/divisions/gbt2260.tsv");

/// A line of the division table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("division table line {line}: {message}")]
pub(super) struct TableError {
    pub line: usize,
    pub message: String,
}

/// The first six bytes of `b` as a number (the caller guarantees six bytes).
#[inline]
fn prefix6(b: &[u8]) -> u64 {
    u64::from(b[0])
        | u64::from(b[1]) << 8
        | u64::from(b[2]) << 16
        | u64::from(b[3]) << 24
        | u64::from(b[4]) << 32
        | u64::from(b[5]) << 40
}

#[inline]
fn hash(prefix: u64) -> u64 {
    prefix.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[inline]
fn filter_slot(prefix: u64) -> usize {
    (hash(prefix) >> (64 - FILTER_BITS)) as usize
}

/// The first hash-table slot of a prefix (high bits of the hash other than the filter's;
/// the low bits of a multiplicative hash mix poorly).
#[inline]
fn table_slot(prefix: u64) -> usize {
    (hash(prefix) >> 32) as usize & ((1 << SLOT_BITS) - 1)
}

impl DivisionTable {
    /// The built-in table.
    pub fn builtin() -> DivisionTable {
        // The table is generated and checked by the tests below; a failure here is a build bug.
        match DivisionTable::parse(BUILTIN) {
            Ok((table, _)) => table,
            Err(e) => panic!("built-in {e}"),
        }
    }

    /// Parses `code<TAB>full[<TAB>short]` lines (`#` starts a comment line), and counts the
    /// divisions of each level.
    pub fn parse(src: &str) -> Result<(DivisionTable, LevelCounts), TableError> {
        let mut names: Vec<(&str, NameInfo)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut counts = LevelCounts::default();
        for (i, line) in src.lines().enumerate() {
            let err = |message: &str| TableError {
                line: i + 1,
                message: message.to_string(),
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let code = fields.next().unwrap_or_default();
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("expected a 6-digit division code"));
            }
            let level = Level::of_code(code);
            match level {
                Level::Province => counts.provinces += 1,
                Level::Prefecture => counts.prefectures += 1,
                Level::County => counts.counties += 1,
            }
            let Some(full) = fields.next().filter(|s| !s.is_empty()) else {
                return Err(err("missing the division name"));
            };
            let short = fields.next().filter(|s| !s.is_empty());
            if fields.next().is_some() {
                return Err(err("more than three fields"));
            }
            for (name, is_full) in [(Some(full), true), (short, false)] {
                let Some(name) = name else { continue };
                let chars = name.chars().count();
                if !(2..=20).contains(&chars) || !name.chars().all(is_han) {
                    return Err(err("a name must be 2 to 20 Han characters"));
                }
                let info = NameInfo {
                    level,
                    full: is_full,
                    chars: chars as u8,
                };
                match index.get(name) {
                    Some(&k) => {
                        let old = &mut names[k].1;
                        old.level = old.level.min(info.level);
                        old.full |= info.full;
                    }
                    None => {
                        index.insert(name, names.len());
                        names.push((name, info));
                    }
                }
            }
        }
        if names.is_empty() {
            return Err(TableError {
                line: 0,
                message: "the table is empty".to_string(),
            });
        }
        // Han characters in the BMP are three bytes: every name has a whole six-byte prefix.
        names.sort_by(|a, b| {
            prefix6(a.0.as_bytes())
                .cmp(&prefix6(b.0.as_bytes()))
                .then(b.0.len().cmp(&a.0.len()))
        });
        let mut table = DivisionTable {
            filter: vec![0; 1 << (FILTER_BITS - 6)],
            prefixes: Vec::new(),
            slots: Vec::new(),
            entries: Vec::with_capacity(names.len()),
            bytes: String::new(),
        };
        for (name, info) in names {
            let p = prefix6(name.as_bytes());
            let k = table.entries.len() as u32;
            match table.prefixes.last_mut() {
                Some(last) if last.0 == p => last.2 = k + 1,
                _ => table.prefixes.push((p, k, k + 1)),
            }
            let slot = filter_slot(p);
            table.filter[slot >> 6] |= 1 << (slot & 63);
            let at = table.bytes.len() as u32;
            table.bytes.push_str(name);
            table.entries.push((at, table.bytes.len() as u32, info));
        }
        if table.prefixes.len() >= (1 << SLOT_BITS) / 2
            || table.prefixes.len() >= usize::from(u16::MAX)
        {
            return Err(TableError {
                line: 0,
                message: format!("too many distinct name prefixes ({})", table.prefixes.len()),
            });
        }
        table.slots = vec![0; 1 << SLOT_BITS];
        for (i, &(p, _, _)) in table.prefixes.iter().enumerate() {
            let mut k = table_slot(p);
            while table.slots[k] != 0 {
                k = (k + 1) & ((1 << SLOT_BITS) - 1);
            }
            table.slots[k] = i as u16 + 1;
        }
        Ok((table, counts))
    }

    /// The longest name starting at byte `p`, which must be the start of a character.
    #[inline]
    pub fn longest_at(&self, text: &[u8], p: usize) -> Option<NameMatch> {
        let head = text.get(p..p + 6)?;
        let prefix = prefix6(head);
        if !self.may_start(prefix) {
            return None;
        }
        self.lookup(text, p, prefix)
    }

    #[inline]
    fn may_start(&self, prefix: u64) -> bool {
        let slot = filter_slot(prefix);
        self.filter[slot >> 6] & (1 << (slot & 63)) != 0
    }

    /// The longest name with this six-byte prefix at `p` (after the filter said maybe).
    #[inline(never)]
    fn lookup(&self, text: &[u8], p: usize, prefix: u64) -> Option<NameMatch> {
        let mut k = table_slot(prefix);
        let (lo, hi) = loop {
            let i = usize::from(self.slots[k]).checked_sub(1)?;
            let (p, lo, hi) = self.prefixes[i];
            if p == prefix {
                break (lo, hi);
            }
            k = (k + 1) & ((1 << SLOT_BITS) - 1);
        };
        let rest = &text[p..];
        self.entries[lo as usize..hi as usize]
            .iter()
            .find(|(s, e, _)| rest.starts_with(&self.bytes.as_bytes()[*s as usize..*e as usize]))
            .map(|&(s, e, info)| NameMatch {
                start: p,
                end: p + (e - s) as usize,
                info,
            })
    }

    /// The leftmost-longest name starting at or after byte `from` (a character start).
    /// Successive calls from the previous match's end give non-overlapping matches.
    pub fn next_match(&self, text: &[u8], from: usize) -> Option<NameMatch> {
        const SIX_BYTES: u64 = (1 << 48) - 1;
        const ASCII_HIGH: u64 = 0x8080_8080_8080_8080;
        let mut p = from;
        // Only a three-byte lead can start a name; ASCII and continuation bytes are stepped
        // over one at a time, four-byte characters whole.
        while p + 6 <= text.len() {
            let b = text[p];
            if b < 0x80 {
                // ASCII (digits, Latin, markup): skip eight bytes at a time.
                let word = text.get(p..p + 8).and_then(|w| w.try_into().ok());
                let all_ascii = word.is_some_and(|w| u64::from_le_bytes(w) & ASCII_HIGH == 0);
                p += if all_ascii { 8 } else { 1 };
                continue;
            }
            if b < 0xE0 {
                p += 1;
                continue;
            }
            if b >= 0xF0 {
                p += 4;
                continue;
            }
            // One unaligned load where eight bytes remain.
            let prefix = match text.get(p..p + 8) {
                Some(w) => {
                    u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]) & SIX_BYTES
                }
                None => prefix6(&text[p..]),
            };
            if self.may_start(prefix)
                && let Some(m) = self.lookup(text, p, prefix)
            {
                return Some(m);
            }
            p += 3;
        }
        None
    }
}

/// CJK unified ideographs (with extension A), the characters division names are written in.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(t: &DivisionTable, name: &str) -> Option<NameInfo> {
        let m = t.next_match(name.as_bytes(), 0)?;
        (m.start == 0 && m.end == name.len()).then_some(m.info)
    }

    #[test]
    fn builtin_table_has_sane_counts() {
        let (_, counts) = DivisionTable::parse(BUILTIN).unwrap();
        // 34 province-level divisions (incl. Taiwan, Hong Kong, Macau), ~330 prefectures,
        // ~2,800–3,000 counties.
        assert_eq!(counts.provinces, 34);
        assert!((320..=350).contains(&counts.prefectures), "{counts:?}");
        assert!((2700..=3000).contains(&counts.counties), "{counts:?}");
    }

    #[test]
    fn full_and_short_names_are_found_with_levels() {
        let t = DivisionTable::builtin();
        let gx = lookup(&t, "广西壮族自治区").unwrap();
        assert_eq!((gx.level, gx.full), (Level::Province, true));
        let gx = lookup(&t, "广西").unwrap();
        assert_eq!((gx.level, gx.full), (Level::Province, false));
        let hz = lookup(&t, "杭州市").unwrap();
        assert_eq!((hz.level, hz.full), (Level::Prefecture, true));
        let hd = lookup(&t, "海淀区").unwrap();
        assert_eq!((hd.level, hd.full, hd.chars), (Level::County, true, 3));
        assert!(hd.is_strong());
        let hd = lookup(&t, "海淀").unwrap();
        assert!(!hd.starts_chain() && !hd.is_strong());
        // A two-character county name only continues a chain.
        let pei = lookup(&t, "沛县").unwrap();
        assert!(!pei.starts_chain() && !pei.is_strong());
        assert!(lookup(&t, "大连市").unwrap().begins_new_address());
        assert!(!lookup(&t, "大连").unwrap().begins_new_address());
        assert!(!hd.begins_new_address());
        // 海南 names a province and a prefecture: the province wins.
        assert_eq!(lookup(&t, "海南").unwrap().level, Level::Province);
        assert_eq!(lookup(&t, "恩施").unwrap().level, Level::Prefecture);
        // Placeholders are not names.
        assert!(lookup(&t, "市辖区").is_none());
    }

    #[test]
    fn leftmost_longest_prefers_the_full_name() {
        let t = DivisionTable::builtin();
        let text = "在北京市住，去a广西😀南宁市";
        let m = t.next_match(text.as_bytes(), 0).unwrap();
        assert_eq!(&text[m.start..m.end], "北京市");
        let m = t.next_match(text.as_bytes(), m.end).unwrap();
        assert_eq!(&text[m.start..m.end], "广西");
        let m = t.next_match(text.as_bytes(), m.end).unwrap();
        assert_eq!(&text[m.start..m.end], "南宁市");
        assert_eq!(t.next_match(text.as_bytes(), m.end), None);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let e = DivisionTable::parse("# c\n110000\t北京市\n11000\t北京\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = DivisionTable::parse("110000\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = DivisionTable::parse("110000\tBeijing\n").unwrap_err();
        assert!(e.message.contains("Han"));
        assert!(DivisionTable::parse("# only comments\n").is_err());
    }
}
