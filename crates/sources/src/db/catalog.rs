//! What a database holds: tables and views with their columns, comments and size, and the
//! samples read from them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::sample::SampleStrategy;

/// A table or a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    /// A base table (PostgreSQL: also partitioned, foreign and materialised-view relations).
    Table,
    View,
}

/// One table (or view) as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    /// PostgreSQL schema, MySQL database; `None` for SQLite.
    pub schema: Option<String>,
    pub name: String,
    pub kind: TableKind,
    /// The table comment (PostgreSQL description, MySQL `TABLE_COMMENT`, SQLite
    /// `_column_comments.table_comment`); `None` when empty.
    pub comment: Option<String>,
    /// The engine's row-count estimate (PostgreSQL `reltuples`, MySQL `TABLE_ROWS`, SQLite
    /// `sqlite_stat1` or `max(rowid)`); `None` when the engine has none (views, never analysed).
    pub row_estimate: Option<u64>,
    /// In table order.
    pub columns: Vec<ColumnInfo>,
    /// Primary-key column names in key order; empty when there is none.
    pub primary_key: Vec<String>,
}

impl TableInfo {
    /// `schema.name`, or `name` without a schema — the object name used in messages.
    pub fn qualified_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

impl fmt::Display for TableInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.schema {
            write!(f, "{s}.")?;
        }
        f.write_str(&self.name)
    }
}

/// One column as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    /// The declared type as the engine spells it (`character varying(64)`, `varchar(64)`,
    /// `int(11) unsigned`; SQLite: the original type from `_column_comments` when present).
    pub data_type: String,
    /// The column comment; `None` when empty.
    pub comment: Option<String>,
    pub nullable: bool,
}

/// Rows read from one table, column-major.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSample {
    pub table: TableInfo,
    /// How the rows were chosen, for the report.
    pub strategy: SampleStrategy,
    /// Number of rows read (every column vector has this length).
    pub rows: usize,
    /// One vector per column of `table.columns`, in that order. Every value is text: numbers,
    /// dates and the like as the engine prints them, long text cut to
    /// [`DbOptions::max_value_chars`](super::DbOptions) characters, binary values as a marker
    /// `[binary N bytes: HEX…]` holding at most the first 16 bytes. `None` is SQL `NULL`.
    pub columns: Vec<Vec<Option<String>>>,
}

impl TableSample {
    /// Builds the column-major sample from row-major values.
    pub(crate) fn from_rows(
        table: TableInfo,
        strategy: SampleStrategy,
        rows: Vec<Vec<Option<String>>>,
    ) -> Self {
        let width = table.columns.len();
        let mut columns: Vec<Vec<Option<String>>> =
            (0..width).map(|_| Vec::with_capacity(rows.len())).collect();
        let count = rows.len();
        for row in rows {
            for (column, value) in columns.iter_mut().zip(row) {
                column.push(value);
            }
        }
        TableSample {
            table,
            strategy,
            rows: count,
            columns,
        }
    }

    /// The values of the column named `name`.
    pub fn column(&self, name: &str) -> Option<&[Option<String>]> {
        let i = self.table.columns.iter().position(|c| c.name == name)?;
        Some(&self.columns[i])
    }
}

/// Empty strings mean "no comment" in every engine's catalog.
pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> TableInfo {
        TableInfo {
            schema: Some("crm".into()),
            name: "客户".into(),
            kind: TableKind::Table,
            comment: None,
            row_estimate: None,
            columns: ["a", "b"]
                .iter()
                .map(|n| ColumnInfo {
                    name: (*n).into(),
                    data_type: "text".into(),
                    comment: None,
                    nullable: true,
                })
                .collect(),
            primary_key: vec![],
        }
    }

    #[test]
    fn rows_become_columns() {
        let s = TableSample::from_rows(
            table(),
            SampleStrategy::Whole,
            vec![
                vec![Some("1".into()), None],
                vec![Some("2".into()), Some("x".into())],
            ],
        );
        assert_eq!(s.rows, 2);
        assert_eq!(
            s.column("a").unwrap(),
            &[Some("1".into()), Some("2".into())]
        );
        assert_eq!(s.column("b").unwrap(), &[None, Some("x".into())]);
        assert!(s.column("c").is_none());
        assert_eq!(s.table.qualified_name(), "crm.客户");
        let empty = TableSample::from_rows(table(), SampleStrategy::Whole, vec![]);
        assert_eq!(empty.columns, vec![Vec::new(), Vec::new()]);
    }

    #[test]
    fn blank_comments_are_none() {
        assert_eq!(non_empty(Some("  ".into())), None);
        assert_eq!(non_empty(Some("姓名".into())), Some("姓名".into()));
    }
}
