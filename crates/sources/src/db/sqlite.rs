//! SQLite: catalog from `sqlite_master` and `pragma_table_info`, comments from an optional
//! `_column_comments(table_name, column_name, column_type, column_comment, table_comment)`
//! table (which is then hidden from the list), estimates from `sqlite_stat1` or `max(rowid)`,
//! samples by key ranges on the `rowid`.
//!
//! The file is opened read-only (`SQLITE_OPEN_READONLY`, `mode=ro`); it must exist. The
//! statement timeout is a progress handler that interrupts a statement running past its
//! deadline (`SQLITE_INTERRUPT`), and `busy_timeout` bounds waiting for a writer's lock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{AssertSqlSafe, Connection, Row, Sqlite as SqliteDb};

use super::DbOptions;
use super::catalog::{ColumnInfo, TableInfo, TableKind, TableSample, non_empty};
use super::sample::{self, KeyRangeReader, SampleStrategy};
use super::url::DbUrl;

/// The table some exports (and the evaluation schemas) carry for MySQL-style comments.
pub const COMMENTS_TABLE: &str = "_column_comments";

/// Quotes an identifier: `"` doubled, the whole in `"…"`. The only way names enter SQL here.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[derive(Debug)]
pub(crate) struct Sqlite {
    pool: SqlitePool,
    statement_timeout: Duration,
}

/// How to read a table large enough for key ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RowKey {
    /// The implicit `rowid` (or its `INTEGER PRIMARY KEY` alias).
    RowId,
    /// A `WITHOUT ROWID` table's single integer primary-key column.
    Column(String),
    None,
}

impl Sqlite {
    pub(crate) async fn connect(url: &DbUrl, opts: &DbOptions) -> Result<Self, sqlx::Error> {
        let path = url.sqlite_path().unwrap_or(std::path::Path::new(""));
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .create_if_missing(false)
            .foreign_keys(false)
            .busy_timeout(opts.statement_timeout);
        // Open once now, so a missing or corrupt file is reported before any table.
        let mut probe = sqlx::sqlite::SqliteConnection::connect_with(&options).await?;
        sqlx::query("SELECT count(*) FROM sqlite_master")
            .fetch_one(&mut probe)
            .await?;
        probe.close().await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(opts.concurrency.max(1) as u32)
            .acquire_timeout(opts.statement_timeout.max(Duration::from_secs(5)))
            .connect_lazy_with(options);
        Ok(Sqlite {
            pool,
            statement_timeout: opts.statement_timeout,
        })
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// A pooled connection whose statements are interrupted after the statement timeout,
    /// counted from now.
    async fn conn(&self) -> Result<PoolConnection<SqliteDb>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let deadline = Instant::now() + self.statement_timeout;
        let mut handle = conn.lock_handle().await?;
        // Called every ~10k virtual-machine steps; returning false interrupts the statement.
        handle.set_progress_handler(10_000, move || Instant::now() < deadline);
        drop(handle);
        Ok(conn)
    }

    pub(crate) async fn list_tables(
        &self,
        opts: &DbOptions,
    ) -> Result<Vec<TableInfo>, sqlx::Error> {
        let mut conn = self.conn().await?;
        let objects = sqlx::query(
            "SELECT name, type, coalesce(sql, '') FROM sqlite_master
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?;
        let names: Vec<String> = objects
            .iter()
            .map(|r| text(r, 0).unwrap_or_default())
            .collect();
        let has_comments = names.iter().any(|n| n == COMMENTS_TABLE);
        let has_stats = sqlx::query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
        )
        .fetch_optional(&mut *conn)
        .await?
        .is_some();

        // (table) → table comment; (table, column) → (type, comment).
        let mut table_comments: HashMap<String, String> = HashMap::new();
        let mut column_comments: HashMap<(String, String), (Option<String>, Option<String>)> =
            HashMap::new();
        if has_comments {
            let rows = sqlx::query(
                "SELECT table_name, column_name, column_type, column_comment, table_comment
                 FROM _column_comments",
            )
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                let table = text(r, 0).unwrap_or_default();
                let column = text(r, 1).unwrap_or_default();
                if let Some(tc) = non_empty(text(r, 4)) {
                    table_comments.entry(table.clone()).or_insert(tc);
                }
                column_comments.insert(
                    (table, column),
                    (non_empty(text(r, 2)), non_empty(text(r, 3))),
                );
            }
        }

        let mut stats: HashMap<String, u64> = HashMap::new();
        if has_stats {
            // The first number of `stat` is the table's row count (per index; the largest wins).
            let rows = sqlx::query("SELECT tbl, stat FROM sqlite_stat1")
                .fetch_all(&mut *conn)
                .await?;
            for r in &rows {
                let table = text(r, 0).unwrap_or_default();
                if let Some(n) = text(r, 1).and_then(|s| {
                    s.split_whitespace()
                        .next()
                        .and_then(|n| n.parse::<u64>().ok())
                }) {
                    let e = stats.entry(table).or_insert(0);
                    *e = (*e).max(n);
                }
            }
        }

        let mut out = Vec::new();
        for r in &objects {
            let name = text(r, 0).unwrap_or_default();
            if name == COMMENTS_TABLE {
                continue;
            }
            let kind = if text(r, 1).as_deref() == Some("view") {
                TableKind::View
            } else {
                TableKind::Table
            };
            if kind == TableKind::View && !opts.include_views {
                continue;
            }
            let sql = text(r, 2).unwrap_or_default().to_ascii_lowercase();
            let info = sqlx::query(
                "SELECT name, coalesce(type, ''), \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
            let mut pk: Vec<(i64, String)> = Vec::new();
            let mut columns = Vec::with_capacity(info.len());
            for c in &info {
                let column = text(c, 0).unwrap_or_default();
                let declared = text(c, 1).unwrap_or_default();
                let notnull: i64 = c.try_get_unchecked(2)?;
                let pk_pos: i64 = c.try_get_unchecked(3)?;
                if pk_pos > 0 {
                    pk.push((pk_pos, column.clone()));
                }
                let (orig_type, comment) = column_comments
                    .get(&(name.clone(), column.clone()))
                    .cloned()
                    .unwrap_or((None, None));
                columns.push(ColumnInfo {
                    nullable: notnull == 0 && pk_pos == 0,
                    data_type: orig_type.unwrap_or(declared),
                    comment,
                    name: column,
                });
            }
            pk.sort();
            let without_rowid = sql.contains("without rowid");
            let row_estimate = match (kind, stats.get(&name)) {
                (TableKind::View, _) => None,
                (_, Some(n)) => Some(*n),
                (_, None) if !without_rowid && !has_rowid_shadow(&columns) => {
                    // max(rowid) is a B-tree descent, not a count; deleted rows make it an
                    // overestimate, which only ever leads to key-range sampling.
                    let q = format!("SELECT max(rowid) FROM {}", quote_ident(&name));
                    let max: Option<i64> = sqlx::query_scalar(AssertSqlSafe(q))
                        .fetch_one(&mut *conn)
                        .await?;
                    Some(max.unwrap_or(0).max(0) as u64)
                }
                _ => None,
            };
            out.push(TableInfo {
                schema: None,
                comment: table_comments.get(&name).cloned(),
                name,
                kind,
                row_estimate,
                columns,
                primary_key: pk.into_iter().map(|(_, c)| c).collect(),
            });
        }
        Ok(out)
    }

    pub(crate) async fn sample(
        &self,
        t: &TableInfo,
        opts: &DbOptions,
    ) -> Result<TableSample, sqlx::Error> {
        let n = opts.sample_rows;
        let mut conn = self.conn().await?;
        if t.columns.is_empty() {
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::Whole,
                vec![],
            ));
        }
        let list = select_list(t, opts.max_value_chars);
        let from = quote_ident(&t.name);
        let first_rows = format!("SELECT {list} FROM {from} LIMIT {n}");
        if t.kind == TableKind::View {
            let rows = fetch(&mut conn, &first_rows, &[]).await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::FirstRows,
                rows,
            ));
        }
        let small = match t.row_estimate {
            Some(e) => sample::is_small(e, n),
            None => {
                let bound = sample::count_bound(n);
                let sql = format!("SELECT count(*) FROM (SELECT 1 FROM {from} LIMIT {bound})");
                let count: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
                    .fetch_one(&mut *conn)
                    .await?;
                sample::is_small(count.max(0) as u64, n)
            }
        };
        if small {
            let rows = fetch(&mut conn, &first_rows, &[]).await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::Whole,
                rows,
            ));
        }
        let key = row_key(&mut conn, t).await?;
        let (key_sql, key_name) = match &key {
            RowKey::RowId => ("rowid".to_owned(), "rowid".to_owned()),
            RowKey::Column(c) => (quote_ident(c), c.clone()),
            RowKey::None => {
                let rows = fetch(&mut conn, &first_rows, &[]).await?;
                return Ok(TableSample::from_rows(
                    t.clone(),
                    SampleStrategy::FirstRows,
                    rows,
                ));
            }
        };
        let bounds = sqlx::query(AssertSqlSafe(format!(
            "SELECT min({key_sql}), max({key_sql}) FROM {from}"
        )))
        .fetch_one(&mut *conn)
        .await?;
        let (Some(min), Some(max)) = (
            bounds.try_get_unchecked::<Option<i64>, _>(0)?,
            bounds.try_get_unchecked::<Option<i64>, _>(1)?,
        ) else {
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::Whole,
                vec![],
            ));
        };
        let mut reader = KeyRangeReader::new(
            min,
            max,
            n,
            sample::table_seed(t.schema.as_deref(), &t.name),
        );
        let ranges = reader.ranges();
        let mut rows: Vec<Vec<Option<String>>> = Vec::with_capacity(n);
        while let Some(q) = reader.next_query(rows.len()) {
            let (sql, binds) = match q.below {
                Some(below) => (
                    format!(
                        "SELECT {list}, {key_sql} FROM {from} WHERE {key_sql} >= ? AND {key_sql} < ? \
                         ORDER BY {key_sql} LIMIT {}",
                        q.limit
                    ),
                    vec![q.from, below],
                ),
                None => (
                    format!(
                        "SELECT {list}, {key_sql} FROM {from} WHERE {key_sql} >= ? \
                         ORDER BY {key_sql} LIMIT {}",
                        q.limit
                    ),
                    vec![q.from],
                ),
            };
            let mut batch = fetch(&mut conn, &sql, &binds).await?;
            let exhausted = batch.len() < q.limit;
            let last = batch
                .last()
                .and_then(|r| r.last().cloned().flatten())
                .and_then(|s| s.parse::<i64>().ok());
            reader.advance(last, exhausted);
            for row in &mut batch {
                row.pop(); // the key, read for the next range's start
            }
            rows.extend(batch);
        }
        let strategy = SampleStrategy::KeyRange {
            key: key_name,
            ranges,
        };
        Ok(TableSample::from_rows(t.clone(), strategy, rows))
    }
}

/// Whether a column shadows the name `rowid`, so `rowid` would not mean the row id.
fn has_rowid_shadow(columns: &[ColumnInfo]) -> bool {
    columns
        .iter()
        .any(|c| ["rowid", "_rowid_", "oid"].contains(&c.name.to_ascii_lowercase().as_str()))
}

async fn row_key(
    conn: &mut PoolConnection<SqliteDb>,
    t: &TableInfo,
) -> Result<RowKey, sqlx::Error> {
    let sql: Option<String> =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(&t.name)
            .fetch_optional(&mut **conn)
            .await?
            .flatten();
    let without_rowid = sql
        .map(|s| s.to_ascii_lowercase().contains("without rowid"))
        .unwrap_or(false);
    if !without_rowid && !has_rowid_shadow(&t.columns) {
        return Ok(RowKey::RowId);
    }
    if let [key] = t.primary_key.as_slice() {
        let declared = sqlx::query_scalar::<_, String>(
            "SELECT coalesce(type, '') FROM pragma_table_info(?) WHERE name = ?",
        )
        .bind(&t.name)
        .bind(key)
        .fetch_optional(&mut **conn)
        .await?
        .unwrap_or_default();
        // SQLite's own affinity rule: a declared type containing INT is an integer.
        if declared.to_ascii_uppercase().contains("INT") {
            return Ok(RowKey::Column(key.clone()));
        }
    }
    Ok(RowKey::None)
}

async fn fetch(
    conn: &mut PoolConnection<SqliteDb>,
    sql: &str,
    binds: &[i64],
) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
    // The SQL is built from quote_ident'ed names and numbers only; values are bound.
    let mut q = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for b in binds {
        q = q.bind(*b);
    }
    let rows = q.fetch_all(&mut **conn).await?;
    Ok(rows.iter().map(row_values).collect())
}

/// A value as text: the bytes SQLite holds, decoded as UTF-8 with replacement (SQLite does not
/// enforce that text is valid UTF-8).
fn text(row: &SqliteRow, i: usize) -> Option<String> {
    row.try_get_unchecked::<Option<Vec<u8>>, _>(i)
        .ok()
        .flatten()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn row_values(row: &SqliteRow) -> Vec<Option<String>> {
    (0..row.len()).map(|i| text(row, i)).collect()
}

/// Each column as text, per value (SQLite types values, not columns): blobs as a
/// `[binary N bytes: HEX]` marker, everything else `substr(CAST(c AS TEXT), 1, N)`.
fn select_list(t: &TableInfo, max_chars: usize) -> String {
    let prefix = sample::BINARY_PREFIX;
    t.columns
        .iter()
        .map(|c| {
            let q = quote_ident(&c.name);
            format!(
                "CASE typeof({q}) WHEN 'blob' THEN '[binary ' || length({q}) || ' bytes: ' || \
                 lower(hex(substr({q}, 1, {prefix}))) || ']' ELSE substr(CAST({q} AS TEXT), 1, {max_chars}) END"
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_doubles_quotes() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
