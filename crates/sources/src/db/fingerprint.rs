//! Table fingerprints, so a rescan reads only the tables that changed.
//!
//! A [`TableFingerprint`] has two parts:
//!
//! * `schema` — a hash (128-bit FNV-1a, hex) of what the catalog says about the table: its
//!   kind, comment, primary key, and each column's name, type, comment and nullability, in
//!   order. Any change there — a column added, renamed, retyped or re-commented — changes it.
//! * `rows` — the row-count estimate when it was recorded.
//!
//! A table has **changed** when its schema hash differs, or when its estimate moved by
//! [`ROW_CHANGE_RATIO`] (10 %) or more of the larger of the two estimates — engines refresh
//! estimates on their own (autovacuum, InnoDB statistics), so smaller moves are noise, while
//! a table that grew or shrank by a tenth may hold new kinds of data. The comparison is
//! against the estimate *recorded at the last scan*, so slow growth adds up until it counts.
//! A move between no estimate and an estimate counts as a change; so does a move between empty
//! (an estimate of 0) and not empty.
//!
//! A [`FingerprintSet`] keeps fingerprints keyed by source display name (redacted URL),
//! schema and table, serialises to JSON for a state file, and answers
//! [`changed`](FingerprintSet::changed).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalog::TableInfo;

/// Relative move of the row estimate that counts as a change.
pub const ROW_CHANGE_RATIO: f64 = 0.10;

/// What is remembered of one table between scans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFingerprint {
    /// Hex hash of the table's schema (see the module docs).
    pub schema: String,
    /// The row estimate when recorded.
    pub rows: Option<u64>,
}

impl TableFingerprint {
    pub fn of(table: &TableInfo) -> Self {
        TableFingerprint {
            schema: schema_hash(table),
            rows: table.row_estimate,
        }
    }

    /// Whether `newer` differs from `self` enough to rescan (see the module docs).
    pub fn differs(&self, newer: &TableFingerprint) -> bool {
        self.schema != newer.schema || rows_changed(self.rows, newer.rows)
    }
}

fn rows_changed(old: Option<u64>, new: Option<u64>) -> bool {
    match (old, new) {
        (None, None) => false,
        (None, Some(_)) | (Some(_), None) => true,
        (Some(a), Some(b)) => {
            if (a == 0) != (b == 0) {
                return true;
            }
            let larger = a.max(b) as f64;
            let diff = a.abs_diff(b) as f64;
            larger > 0.0 && diff >= ROW_CHANGE_RATIO * larger
        }
    }
}

/// 128-bit FNV-1a over a length-prefixed encoding of the schema, so no two different schemas
/// encode alike (`["ab","c"]` vs `["a","bc"]`).
fn schema_hash(t: &TableInfo) -> String {
    let mut h = Fnv128::new();
    h.field(match t.kind {
        super::catalog::TableKind::Table => "table",
        super::catalog::TableKind::View => "view",
    });
    h.opt(t.comment.as_deref());
    h.count(t.primary_key.len());
    for k in &t.primary_key {
        h.field(k);
    }
    h.count(t.columns.len());
    for c in &t.columns {
        h.field(&c.name);
        h.field(&c.data_type);
        h.opt(c.comment.as_deref());
        h.field(if c.nullable { "null" } else { "not null" });
    }
    format!("{:032x}", h.0)
}

struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Fnv128(Self::OFFSET)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }
    fn count(&mut self, n: usize) {
        self.bytes(&(n as u64).to_le_bytes());
    }
    fn field(&mut self, s: &str) {
        self.bytes(&[1]);
        self.count(s.len());
        self.bytes(s.as_bytes());
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.field(s),
            None => self.bytes(&[0]),
        }
    }
}

/// Fingerprints of many tables of many sources, for a state file.
///
/// ```
/// use shujian_sources::db::{FingerprintSet, TableInfo, TableKind};
///
/// let mut t = TableInfo {
///     schema: Some("public".into()), name: "客户".into(), kind: TableKind::Table,
///     comment: None, row_estimate: Some(1000), columns: vec![], primary_key: vec![],
/// };
/// let mut set = FingerprintSet::default();
/// assert!(set.changed("postgres://scan@db/crm", &t)); // never seen
/// set.record("postgres://scan@db/crm", &t);
/// t.row_estimate = Some(1050); // +5 %: noise
/// assert!(!set.changed("postgres://scan@db/crm", &t));
/// let json = set.to_json();
/// assert_eq!(FingerprintSet::from_json(&json).unwrap(), set);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintSet {
    /// source display name → `schema.table` (or `table`) → fingerprint.
    sources: BTreeMap<String, BTreeMap<String, TableFingerprint>>,
}

impl FingerprintSet {
    /// Whether `table` of `source` is new or changed since it was recorded.
    pub fn changed(&self, source: &str, table: &TableInfo) -> bool {
        match self.get(source, table) {
            Some(old) => old.differs(&TableFingerprint::of(table)),
            None => true,
        }
    }

    /// The recorded fingerprint of `table`, if any.
    pub fn get(&self, source: &str, table: &TableInfo) -> Option<&TableFingerprint> {
        self.sources.get(source)?.get(&table.qualified_name())
    }

    /// Records `table` as scanned now.
    pub fn record(&mut self, source: &str, table: &TableInfo) {
        self.sources
            .entry(source.to_owned())
            .or_default()
            .insert(table.qualified_name(), TableFingerprint::of(table));
    }

    /// Forgets tables of `source` that are not in `present` (dropped since), returning their
    /// qualified names.
    pub fn retain_present(&mut self, source: &str, present: &[TableInfo]) -> Vec<String> {
        let Some(tables) = self.sources.get_mut(source) else {
            return Vec::new();
        };
        let keep: std::collections::HashSet<String> =
            present.iter().map(TableInfo::qualified_name).collect();
        let gone: Vec<String> = tables
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for k in &gone {
            tables.remove(k);
        }
        gone
    }

    /// Number of tables recorded, over all sources.
    pub fn len(&self) -> usize {
        self.sources.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pretty JSON, stable in order (sorted keys).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a map of strings serialises")
    }

    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::catalog::{ColumnInfo, TableKind};

    fn table() -> TableInfo {
        TableInfo {
            schema: Some("public".into()),
            name: "customer".into(),
            kind: TableKind::Table,
            comment: Some("客户表".into()),
            row_estimate: Some(10_000),
            columns: vec![
                ColumnInfo {
                    name: "id".into(),
                    data_type: "bigint".into(),
                    comment: None,
                    nullable: false,
                },
                ColumnInfo {
                    name: "phone".into(),
                    data_type: "varchar(20)".into(),
                    comment: Some("手机号".into()),
                    nullable: true,
                },
            ],
            primary_key: vec!["id".into()],
        }
    }

    const SRC: &str = "postgres://scan@db:5432/crm";

    fn set_with(t: &TableInfo) -> FingerprintSet {
        let mut s = FingerprintSet::default();
        s.record(SRC, t);
        s
    }

    #[test]
    fn unseen_tables_and_sources_are_changed() {
        let t = table();
        let set = set_with(&t);
        assert!(!set.changed(SRC, &t));
        assert!(set.changed("postgres://scan@other:5432/crm", &t));
        let mut other = t.clone();
        other.name = "orders".into();
        assert!(set.changed(SRC, &other));
    }

    #[test]
    fn row_estimate_moves_under_ten_percent_are_noise() {
        let t = table();
        let set = set_with(&t);
        for (rows, changed) in [
            (Some(10_999), false), // 999 / 10,999 = 9.1 %
            (Some(11_111), false), // 1,111 / 11,111 = 9.999 %
            (Some(11_112), true),  // 1,112 / 11,112 = 10.007 %
            (Some(9_001), false),  // −9.99 %
            (Some(9_000), true),   // exactly −10 % counts
            (Some(0), true),
            (None, true),
        ] {
            let mut n = t.clone();
            n.row_estimate = rows;
            assert_eq!(set.changed(SRC, &n), changed, "{rows:?}");
        }
    }

    #[test]
    fn empty_to_one_row_counts_and_none_to_none_does_not() {
        let mut t = table();
        t.row_estimate = Some(0);
        let set = set_with(&t);
        t.row_estimate = Some(1);
        assert!(set.changed(SRC, &t));
        t.row_estimate = None;
        let set = set_with(&t);
        assert!(!set.changed(SRC, &t));
    }

    #[test]
    fn every_schema_detail_counts() {
        let t = table();
        let set = set_with(&t);
        type Edit = Box<dyn Fn(&mut TableInfo)>;
        let edits: Vec<Edit> = vec![
            Box::new(|t| t.columns[1].name = "mobile".into()),
            Box::new(|t| t.columns[1].data_type = "varchar(32)".into()),
            Box::new(|t| t.columns[1].comment = Some("联系电话".into())),
            Box::new(|t| t.columns[1].comment = None),
            Box::new(|t| t.columns[1].nullable = false),
            Box::new(|t| t.columns.swap(0, 1)),
            Box::new(|t| t.columns.pop().map(drop).unwrap_or(())),
            Box::new(|t| t.comment = None),
            Box::new(|t| t.primary_key.clear()),
            Box::new(|t| t.kind = TableKind::View),
        ];
        for (i, edit) in edits.iter().enumerate() {
            let mut n = t.clone();
            edit(&mut n);
            assert!(set.changed(SRC, &n), "edit {i}");
        }
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let mut a = table();
        a.columns[0].name = "ab".into();
        a.columns[0].data_type = "c".into();
        let mut b = table();
        b.columns[0].name = "a".into();
        b.columns[0].data_type = "bc".into();
        assert_ne!(TableFingerprint::of(&a), TableFingerprint::of(&b));
    }

    #[test]
    fn hash_is_stable_across_releases() {
        // A stored state file must stay valid: this value may only change with a format bump.
        let pinned = TableFingerprint::of(&table()).schema;
        assert_eq!(
            pinned, PINNED,
            "schema hash changed: bump the state-file format"
        );
    }

    const PINNED: &str = "80e7c0df6a7d7c5461f5ba894c7fb6a3";

    #[test]
    fn json_round_trip_and_forgetting_dropped_tables() {
        let t = table();
        let mut set = set_with(&t);
        let mut gone = t.clone();
        gone.name = "old".into();
        set.record(SRC, &gone);
        assert_eq!(set.len(), 2);
        let back = FingerprintSet::from_json(&set.to_json()).unwrap();
        assert_eq!(back, set);
        assert_eq!(set.retain_present(SRC, &[t]), vec!["public.old".to_owned()]);
        assert_eq!(set.len(), 1);
        assert!(set.retain_present("nowhere", &[]).is_empty());
    }
}
