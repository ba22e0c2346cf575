//! Reading the evaluation schemas' SQLite copies: tables, the `_column_comments` table and
//! up to N sample rows per table.
//!
//! Kept apart (and small) so that `crates/sources`' database readers can replace it.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

/// One table with its columns and sampled values.
#[derive(Clone, Debug, Default)]
pub struct SampledTable {
    /// Table name.
    pub name: String,
    /// Table comment (from `_column_comments`).
    pub comment: String,
    /// Columns in declaration order.
    pub columns: Vec<SampledColumn>,
}

/// One column with its metadata and sampled values (`""` for NULL).
#[derive(Clone, Debug, Default)]
pub struct SampledColumn {
    /// Column name.
    pub name: String,
    /// Column comment.
    pub comment: String,
    /// Declared type (the original MySQL type where `_column_comments` has it).
    pub declared_type: String,
    /// Sampled values, one per row; NULL is `""`.
    pub values: Vec<String>,
}

/// The metadata table of the evaluation copies.
const COMMENTS_TABLE: &str = "_column_comments";

/// Reads every user table of a SQLite database with up to `max_rows` rows each.
pub fn read_tables(path: &Path, max_rows: usize) -> anyhow::Result<Vec<SampledTable>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open SQLite database {}", path.display()))?;
    let ctx = |what: &str| format!("{}: {what}", path.display());
    let names: Vec<String> = {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .with_context(|| ctx("cannot list tables"))?;
        st.query_map([], |r| r.get::<_, String>(0))
            .with_context(|| ctx("cannot list tables"))?
            .collect::<Result<_, _>>()
            .with_context(|| ctx("cannot list tables"))?
    };
    let comments = if names.iter().any(|n| n == COMMENTS_TABLE) {
        read_comments(&conn).with_context(|| ctx("cannot read _column_comments"))?
    } else {
        HashMap::new()
    };
    let mut out = Vec::new();
    for name in names.iter().filter(|n| *n != COMMENTS_TABLE) {
        let t = read_table(&conn, name, max_rows, &comments)
            .with_context(|| ctx(&format!("table `{name}`")))?;
        out.push(t);
    }
    Ok(out)
}

/// `(table, column)` → (declared type, column comment, table comment).
type Comments = HashMap<(String, String), (String, String, String)>;

fn read_comments(conn: &Connection) -> rusqlite::Result<Comments> {
    let mut st = conn.prepare(
        "SELECT table_name, column_name, column_type, column_comment, table_comment FROM _column_comments",
    )?;
    let rows = st.query_map([], |r| {
        let s = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        Ok(((s(0)?, s(1)?), (s(2)?, s(3)?, s(4)?)))
    })?;
    rows.collect()
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn read_table(
    conn: &Connection,
    name: &str,
    max_rows: usize,
    comments: &Comments,
) -> anyhow::Result<SampledTable> {
    let mut cols: Vec<(String, String)> = Vec::new();
    {
        let mut st = conn.prepare(&format!("PRAGMA table_info({})", quote_ident(name)))?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for r in rows {
            cols.push(r?);
        }
    }
    let mut table = SampledTable {
        name: name.to_string(),
        ..SampledTable::default()
    };
    for (c, ty) in &cols {
        let (declared, comment, table_comment) = comments
            .get(&(name.to_string(), c.clone()))
            .cloned()
            .unwrap_or_else(|| (ty.clone(), String::new(), String::new()));
        if table.comment.is_empty() {
            table.comment = table_comment;
        }
        table.columns.push(SampledColumn {
            name: c.clone(),
            comment,
            declared_type: if declared.is_empty() {
                ty.clone()
            } else {
                declared
            },
            values: Vec::new(),
        });
    }
    if cols.is_empty() || max_rows == 0 {
        return Ok(table);
    }
    let list: Vec<String> = cols.iter().map(|(c, _)| quote_ident(c)).collect();
    let sql = format!(
        "SELECT {} FROM {} LIMIT {max_rows}",
        list.join(", "),
        quote_ident(name)
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([])?;
    while let Some(row) = rows.next()? {
        for (i, col) in table.columns.iter_mut().enumerate() {
            let v = match row.get_ref(i)? {
                ValueRef::Null => String::new(),
                ValueRef::Integer(x) => x.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Blob(_) => String::new(),
            };
            col.values.push(v);
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables_comments_and_samples() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.sqlite");
        let c = Connection::open(&p).unwrap();
        c.execute_batch(
            "CREATE TABLE \"user\" (id INTEGER, phone TEXT, note TEXT);
             INSERT INTO \"user\" VALUES (1, '13812345678', NULL), (2, '13912345678', 'x'), (3, NULL, 'y');
             CREATE TABLE _column_comments (table_name TEXT, column_name TEXT, column_type TEXT, column_comment TEXT, table_comment TEXT);
             INSERT INTO _column_comments VALUES ('user', 'phone', 'varchar(11)', '手机号码', '用户表');",
        )
        .unwrap();
        drop(c);
        let t = read_tables(&p, 2).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].name, "user");
        assert_eq!(t[0].comment, "用户表");
        let phone = &t[0].columns[1];
        assert_eq!(phone.comment, "手机号码");
        assert_eq!(phone.declared_type, "varchar(11)");
        assert_eq!(phone.values, vec!["13812345678", "13912345678"]);
        assert_eq!(t[0].columns[2].values, vec!["", "x"]);
        assert_eq!(t[0].columns[0].declared_type, "INTEGER");
    }

    #[test]
    fn a_missing_database_is_a_clear_error() {
        let e = read_tables(Path::new("/nonexistent/x.sqlite"), 10).unwrap_err();
        assert!(format!("{e:#}").contains("/nonexistent/x.sqlite"), "{e:#}");
    }
}
