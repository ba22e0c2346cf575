//! MySQL and MariaDB: catalog from `information_schema` (`TABLE_COMMENT`, `COLUMN_COMMENT`,
//! `TABLE_ROWS`), samples by key ranges on an integer primary key.
//!
//! Every session is made read-only (`SET SESSION TRANSACTION READ ONLY`) and time-limited
//! (MariaDB `max_statement_time`, MySQL `max_execution_time`) as it connects. MySQL's
//! `caching_sha2_password` over plain TCP needs RSA, which is not built in: use TLS
//! (`ssl-mode=REQUIRED`) or `mysql_native_password` for such servers.
//!
//! Scope: when `DbOptions::schemas` is empty, the database named in the URL, else every
//! non-system database the user can see.

use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions, MySqlRow, MySqlSslMode};
use sqlx::{AssertSqlSafe, Connection, Executor, Row};

use super::DbOptions;
use super::catalog::{ColumnInfo, TableInfo, TableKind, TableSample, non_empty};
use super::sample::{self, KeyRangeReader, SampleStrategy};
use super::url::{DbUrl, TlsMode};

/// Quotes an identifier: `` ` `` doubled, the whole in backticks. The only way names enter SQL.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

fn table_ref(t: &TableInfo) -> String {
    match &t.schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&t.name)),
        None => quote_ident(&t.name),
    }
}

#[derive(Debug)]
pub(crate) struct MySql {
    pool: MySqlPool,
    /// Databases to list (empty: all non-system).
    scope: Vec<String>,
}

const SYSTEM_SCHEMAS: [&str; 4] = ["mysql", "information_schema", "performance_schema", "sys"];

fn connect_options(url: &DbUrl, opts: &DbOptions) -> MySqlConnectOptions {
    let mut o = MySqlConnectOptions::new().charset("utf8mb4");
    if let Some(sock) = url.socket() {
        o = o.socket(sock);
    } else if let Some(h) = url.host() {
        o = o.host(h);
    }
    if let Some(p) = url.port() {
        o = o.port(p);
    }
    if let Some(u) = url.user() {
        o = o.username(u);
    }
    if let Some(p) = url.password() {
        o = o.password(p.expose());
    }
    if let Some(db) = url.database() {
        o = o.database(db);
    }
    let tls = url.tls().unwrap_or(opts.tls);
    o = o.ssl_mode(match tls {
        TlsMode::Disable => MySqlSslMode::Disabled,
        TlsMode::Prefer => MySqlSslMode::Preferred,
        TlsMode::Require => MySqlSslMode::Required,
        TlsMode::VerifyCa => MySqlSslMode::VerifyCa,
        TlsMode::VerifyFull => MySqlSslMode::VerifyIdentity,
    });
    if let Some(ca) = url.ca_file().or(opts.ca_file.as_deref()) {
        o = o.ssl_ca(ca);
    }
    o
}

/// The statements that make a session read-only and time-limited, for MariaDB or MySQL.
fn session_setup(mariadb: bool, timeout: Duration) -> [String; 2] {
    let limit = if mariadb {
        // Seconds, fractional.
        format!(
            "SET SESSION max_statement_time = {:.3}",
            timeout.as_secs_f64().max(0.001)
        )
    } else {
        // Milliseconds, SELECT only.
        format!(
            "SET SESSION max_execution_time = {}",
            timeout.as_millis().max(1)
        )
    };
    ["SET SESSION TRANSACTION READ ONLY".to_owned(), limit]
}

impl MySql {
    pub(crate) async fn connect(url: &DbUrl, opts: &DbOptions) -> Result<Self, sqlx::Error> {
        let options = connect_options(url, opts);
        // One connection first, so a refused connection or a bad password is reported as
        // such, not as a pool that timed out retrying; it also tells MariaDB from MySQL.
        let mut probe = sqlx::mysql::MySqlConnection::connect_with(&options).await?;
        let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
            .fetch_one(&mut probe)
            .await?;
        probe.close().await?;
        let setup = session_setup(version.contains("MariaDB"), opts.statement_timeout);
        let pool = MySqlPoolOptions::new()
            .max_connections(opts.concurrency.max(1) as u32)
            .acquire_timeout(opts.statement_timeout.max(Duration::from_secs(5)))
            .after_connect(move |conn, _meta| {
                let setup = setup.clone();
                Box::pin(async move {
                    for stmt in setup {
                        // Fixed text with one formatted number.
                        conn.execute(AssertSqlSafe(stmt)).await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy_with(options);
        let scope = if opts.schemas.is_empty() {
            url.database()
                .map(|d| vec![d.to_owned()])
                .unwrap_or_default()
        } else {
            opts.schemas.clone()
        };
        Ok(MySql { pool, scope })
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// `TABLE_SCHEMA IN (?, ?, …)` or `NOT IN` the system schemas, with its binds.
    fn scope_filter(&self) -> (String, Vec<String>) {
        let (names, negate): (Vec<String>, bool) = if self.scope.is_empty() {
            (
                SYSTEM_SCHEMAS.iter().map(|s| (*s).to_owned()).collect(),
                true,
            )
        } else {
            (self.scope.clone(), false)
        };
        let marks = vec!["?"; names.len()].join(", ");
        let not = if negate { "NOT " } else { "" };
        (format!("TABLE_SCHEMA {not}IN ({marks})"), names)
    }

    pub(crate) async fn list_tables(
        &self,
        opts: &DbOptions,
    ) -> Result<Vec<TableInfo>, sqlx::Error> {
        let (filter, binds) = self.scope_filter();
        let sql = format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, CAST(TABLE_ROWS AS CHAR)
             FROM information_schema.TABLES WHERE {filter} ORDER BY TABLE_SCHEMA, TABLE_NAME"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in &binds {
            q = q.bind(b);
        }
        let tables = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(tables.len());
        let mut index = std::collections::HashMap::new();
        for row in &tables {
            let table_type = text(row, 2)?.unwrap_or_default();
            let kind = match table_type.as_str() {
                "VIEW" | "SYSTEM VIEW" => TableKind::View,
                // MariaDB sequences hold no data worth sampling.
                "SEQUENCE" => continue,
                _ => TableKind::Table,
            };
            if kind == TableKind::View && !opts.include_views {
                continue;
            }
            let schema = text(row, 0)?.unwrap_or_default();
            let name = text(row, 1)?.unwrap_or_default();
            // Views have no comments: MySQL reports the word VIEW there, MariaDB the error
            // that opening a broken view raised (its columns are then missing too).
            let comment = non_empty(text(row, 3)?).filter(|_| kind == TableKind::Table);
            let rows = text(row, 4)?.and_then(|r| r.parse::<u64>().ok());
            index.insert((schema.clone(), name.clone()), out.len());
            out.push(TableInfo {
                schema: Some(schema),
                name,
                kind,
                comment,
                row_estimate: if kind == TableKind::View { None } else { rows },
                columns: Vec::new(),
                primary_key: Vec::new(),
            });
        }

        let sql = format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, COLUMN_COMMENT, IS_NULLABLE,
                    COLUMN_KEY
             FROM information_schema.COLUMNS WHERE {filter}
             ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in &binds {
            q = q.bind(b);
        }
        for row in &q.fetch_all(&self.pool).await? {
            let key = (
                text(row, 0)?.unwrap_or_default(),
                text(row, 1)?.unwrap_or_default(),
            );
            if let Some(&i) = index.get(&key) {
                out[i].columns.push(ColumnInfo {
                    name: text(row, 2)?.unwrap_or_default(),
                    data_type: text(row, 3)?.unwrap_or_default(),
                    comment: non_empty(text(row, 4)?),
                    nullable: text(row, 5)?.as_deref() == Some("YES"),
                });
            }
        }

        let sql = format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
             WHERE CONSTRAINT_NAME = 'PRIMARY' AND {filter}
             ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in &binds {
            q = q.bind(b);
        }
        for row in &q.fetch_all(&self.pool).await? {
            let key = (
                text(row, 0)?.unwrap_or_default(),
                text(row, 1)?.unwrap_or_default(),
            );
            if let Some(&i) = index.get(&key) {
                out[i].primary_key.push(text(row, 2)?.unwrap_or_default());
            }
        }
        Ok(out)
    }

    pub(crate) async fn sample(
        &self,
        t: &TableInfo,
        opts: &DbOptions,
    ) -> Result<TableSample, sqlx::Error> {
        let n = opts.sample_rows;
        if t.columns.is_empty() {
            // No columns listed: a view the catalog could not open. Reading it names the
            // reason (a dropped base table, a refused write, …).
            let from = table_ref(t);
            self.fetch(&format!("SELECT * FROM {from} LIMIT 1"), &[])
                .await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::Whole,
                vec![],
            ));
        }
        let list = select_list(t, opts.max_value_chars);
        let from = table_ref(t);
        let first_rows = format!("SELECT {list} FROM {from} LIMIT {n}");
        if t.kind == TableKind::View {
            let rows = self.fetch(&first_rows, &[]).await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::FirstRows,
                rows,
            ));
        }
        let small = match t.row_estimate {
            // InnoDB estimates can read 0 for a table whose statistics are not yet computed;
            // LIMIT keeps that cheap either way.
            Some(e) => sample::is_small(e, n),
            None => {
                let bound = sample::count_bound(n);
                let sql = format!(
                    "SELECT CAST(COUNT(*) AS CHAR) FROM (SELECT 1 FROM {from} LIMIT {bound}) s"
                );
                let count = self.fetch(&sql, &[]).await?;
                let count = count
                    .first()
                    .and_then(|r| r.first().cloned().flatten())
                    .and_then(|c| c.parse::<u64>().ok())
                    .unwrap_or(0);
                sample::is_small(count, n)
            }
        };
        if small {
            let rows = self.fetch(&first_rows, &[]).await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::Whole,
                rows,
            ));
        }
        let Some(key) = integer_key(t) else {
            let rows = self.fetch(&first_rows, &[]).await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::FirstRows,
                rows,
            ));
        };
        let k = quote_ident(key);
        let bounds = self
            .fetch(
                &format!("SELECT CAST(MIN({k}) AS CHAR), CAST(MAX({k}) AS CHAR) FROM {from}"),
                &[],
            )
            .await?;
        let parse = |v: Option<&Option<String>>| {
            v.cloned()
                .flatten()
                .and_then(|s| s.parse::<i128>().ok())
                .map(|x| x.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
        };
        let (Some(min), Some(max)) = (
            parse(bounds.first().and_then(|r| r.first())),
            parse(bounds.first().and_then(|r| r.get(1))),
        ) else {
            // No rows after all.
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
                        "SELECT {list}, CAST({k} AS CHAR) FROM {from} WHERE {k} >= ? AND {k} < ? \
                         ORDER BY {k} LIMIT {}",
                        q.limit
                    ),
                    vec![q.from, below],
                ),
                None => (
                    format!(
                        "SELECT {list}, CAST({k} AS CHAR) FROM {from} WHERE {k} >= ? \
                         ORDER BY {k} LIMIT {}",
                        q.limit
                    ),
                    vec![q.from],
                ),
            };
            let mut batch = self.fetch(&sql, &binds).await?;
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
            key: key.to_owned(),
            ranges,
        };
        Ok(TableSample::from_rows(t.clone(), strategy, rows))
    }

    async fn fetch(
        &self,
        sql: &str,
        binds: &[i64],
    ) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
        // The SQL is built from quote_ident'ed names and numbers only; values are bound.
        let mut q = sqlx::query(AssertSqlSafe(sql.to_owned()));
        for b in binds {
            q = q.bind(*b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows.iter().map(row_values).collect())
    }
}

/// A value as text, whatever the column's declared character set: the bytes are read as
/// they come and decoded as UTF-8 with replacement.
fn text(row: &MySqlRow, i: usize) -> Result<Option<String>, sqlx::Error> {
    let bytes: Option<Vec<u8>> = row.try_get_unchecked(i)?;
    Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

fn row_values(row: &MySqlRow) -> Vec<Option<String>> {
    (0..row.len())
        .map(|i| text(row, i).ok().flatten())
        .collect()
}

/// The single-column primary key, when it is of an integer type.
fn integer_key(t: &TableInfo) -> Option<&str> {
    let [key] = t.primary_key.as_slice() else {
        return None;
    };
    let column = t.columns.iter().find(|c| &c.name == key)?;
    let base = base_type(&column.data_type);
    matches!(
        base.as_str(),
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
    )
    .then_some(key.as_str())
}

/// `int(11) unsigned` → `int`.
fn base_type(column_type: &str) -> String {
    column_type
        .split(['(', ' '])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn is_binary(column_type: &str) -> bool {
    matches!(
        base_type(column_type).as_str(),
        "binary"
            | "varbinary"
            | "tinyblob"
            | "blob"
            | "mediumblob"
            | "longblob"
            | "bit"
            | "geometry"
            | "point"
            | "linestring"
            | "polygon"
            | "multipoint"
            | "multilinestring"
            | "multipolygon"
            | "geometrycollection"
    )
}

/// Each column as text: `LEFT(CAST(c AS CHAR), N)`, binary as a `[binary N bytes: HEX]` marker.
fn select_list(t: &TableInfo, max_chars: usize) -> String {
    let prefix = sample::BINARY_PREFIX;
    t.columns
        .iter()
        .map(|c| {
            let q = quote_ident(&c.name);
            if is_binary(&c.data_type) {
                format!(
                    "CASE WHEN {q} IS NULL THEN NULL ELSE CONCAT('[binary ', LENGTH({q}), \
                     ' bytes: ', LOWER(HEX(LEFT({q}, {prefix}))), ']') END"
                )
            } else {
                format!("LEFT(CAST({q} AS CHAR), {max_chars})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_doubles_backticks() {
        assert_eq!(quote_ident("客户"), "`客户`");
        assert_eq!(quote_ident("a`b"), "`a``b`");
    }

    #[test]
    fn types() {
        assert_eq!(base_type("int(11) unsigned"), "int");
        assert!(is_binary("varbinary(16)"));
        assert!(is_binary("LONGBLOB"));
        assert!(!is_binary("varchar(16)"));
    }

    #[test]
    fn session_setup_per_flavour() {
        let [ro, t] = session_setup(true, Duration::from_millis(1500));
        assert_eq!(ro, "SET SESSION TRANSACTION READ ONLY");
        assert_eq!(t, "SET SESSION max_statement_time = 1.500");
        let [_, t] = session_setup(false, Duration::from_secs(30));
        assert_eq!(t, "SET SESSION max_execution_time = 30000");
    }
}
