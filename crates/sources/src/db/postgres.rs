//! PostgreSQL: catalog from `pg_catalog` (descriptions by `obj_description` / `col_description`,
//! estimates from `reltuples`), samples by `TABLESAMPLE SYSTEM` on large tables.
//!
//! Every session starts read-only and time-limited through startup parameters
//! (`default_transaction_read_only=on`, `statement_timeout`), so even a statement that slipped
//! through could neither write nor run long.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow, PgSslMode};
use sqlx::{AssertSqlSafe, Connection, Row};

use super::DbOptions;
use super::catalog::{ColumnInfo, TableInfo, TableKind, TableSample, non_empty};
use super::sample::{self, SampleStrategy};
use super::url::{DbUrl, TlsMode};

/// Quotes an identifier: `"` doubled, the whole in `"…"`. The only way names enter SQL here.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn table_ref(t: &TableInfo) -> String {
    match &t.schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&t.name)),
        None => quote_ident(&t.name),
    }
}

#[derive(Debug)]
pub(crate) struct Postgres {
    pool: PgPool,
}

fn connect_options(url: &DbUrl, opts: &DbOptions) -> PgConnectOptions {
    let mut o = PgConnectOptions::new_without_pgpass()
        .application_name("shujian")
        .options([
            ("default_transaction_read_only", "on".to_owned()),
            (
                "statement_timeout",
                opts.statement_timeout.as_millis().max(1).to_string(),
            ),
            (
                "idle_in_transaction_session_timeout",
                opts.statement_timeout
                    .saturating_mul(2)
                    .as_millis()
                    .max(1)
                    .to_string(),
            ),
        ]);
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
        TlsMode::Disable => PgSslMode::Disable,
        TlsMode::Prefer => PgSslMode::Prefer,
        TlsMode::Require => PgSslMode::Require,
        TlsMode::VerifyCa => PgSslMode::VerifyCa,
        TlsMode::VerifyFull => PgSslMode::VerifyFull,
    });
    if let Some(ca) = url.ca_file().or(opts.ca_file.as_deref()) {
        o = o.ssl_root_cert(ca);
    }
    o
}

impl Postgres {
    pub(crate) async fn connect(url: &DbUrl, opts: &DbOptions) -> Result<Self, sqlx::Error> {
        let options = connect_options(url, opts);
        // One connection first, so a refused connection or a bad password is reported as
        // such, not as a pool that timed out retrying.
        let probe = sqlx::postgres::PgConnection::connect_with(&options).await?;
        probe.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(opts.concurrency.max(1) as u32)
            .acquire_timeout(opts.statement_timeout.max(Duration::from_secs(5)))
            .connect_lazy_with(options);
        Ok(Postgres { pool })
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn list_tables(
        &self,
        opts: &DbOptions,
    ) -> Result<Vec<TableInfo>, sqlx::Error> {
        // Relations of user schemas; partitions are read through their parent.
        let tables = sqlx::query(
            "SELECT n.nspname::text, c.relname::text, c.relkind::text,
                    obj_description(c.oid, 'pg_class'), c.reltuples::float8
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'f', 'm', 'v')
               AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
               AND NOT c.relispartition
               AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
             ORDER BY 1, 2",
        )
        .bind(&opts.schemas)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<TableInfo> = Vec::with_capacity(tables.len());
        let mut index = std::collections::HashMap::new();
        for row in &tables {
            let relkind: String = row.try_get(2)?;
            let kind = if relkind == "v" {
                TableKind::View
            } else {
                TableKind::Table
            };
            if kind == TableKind::View && !opts.include_views {
                continue;
            }
            let schema: String = row.try_get(0)?;
            let name: String = row.try_get(1)?;
            let reltuples: Option<f64> = row.try_get(4)?;
            index.insert((schema.clone(), name.clone()), out.len());
            out.push(TableInfo {
                schema: Some(schema),
                name,
                kind,
                comment: non_empty(row.try_get(3)?),
                // −1 means never vacuumed or analysed (PostgreSQL 14+).
                row_estimate: reltuples.filter(|r| *r >= 0.0).map(|r| r.round() as u64),
                columns: Vec::new(),
                primary_key: Vec::new(),
            });
        }

        let columns = sqlx::query(
            "SELECT n.nspname::text, c.relname::text, a.attname::text,
                    format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum::int),
                    NOT a.attnotnull
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE a.attnum > 0 AND NOT a.attisdropped
               AND c.relkind IN ('r', 'p', 'f', 'm', 'v')
               AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
               AND NOT c.relispartition
               AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
             ORDER BY 1, 2, a.attnum",
        )
        .bind(&opts.schemas)
        .fetch_all(&self.pool)
        .await?;
        for row in &columns {
            let key: (String, String) = (row.try_get(0)?, row.try_get(1)?);
            if let Some(&i) = index.get(&key) {
                out[i].columns.push(ColumnInfo {
                    name: row.try_get(2)?,
                    data_type: row.try_get(3)?,
                    comment: non_empty(row.try_get(4)?),
                    nullable: row.try_get(5)?,
                });
            }
        }

        let keys = sqlx::query(
            "SELECT n.nspname::text, c.relname::text, a.attname::text
             FROM pg_index i
             JOIN pg_class c ON c.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
             WHERE i.indisprimary
               AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
               AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1::text[]))
             ORDER BY 1, 2, array_position(i.indkey::int2[], a.attnum)",
        )
        .bind(&opts.schemas)
        .fetch_all(&self.pool)
        .await?;
        for row in &keys {
            let key: (String, String) = (row.try_get(0)?, row.try_get(1)?);
            if let Some(&i) = index.get(&key) {
                out[i].primary_key.push(row.try_get(2)?);
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
            let rows = self.fetch(&first_rows).await?;
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
                let sql = format!("SELECT count(*) FROM (SELECT 1 FROM {from} LIMIT {bound}) s");
                let count: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
                    .fetch_one(&self.pool)
                    .await?;
                sample::is_small(count.max(0) as u64, n)
            }
        };
        if small {
            let rows = self.fetch(&first_rows).await?;
            return Ok(TableSample::from_rows(
                t.clone(),
                SampleStrategy::Whole,
                rows,
            ));
        }

        // Large: random pages, then a shuffle of that small set only.
        let estimate = t.row_estimate.unwrap_or(sample::count_bound(n)).max(1);
        let mut percent = sample::tablesample_percent(estimate, n);
        let cap = n.saturating_mul(sample::TABLESAMPLE_CAP);
        for _attempt in 0..2 {
            let sql = format!(
                "SELECT * FROM (SELECT {list} FROM {from} TABLESAMPLE SYSTEM ({percent}) LIMIT {cap}) s
                 ORDER BY random() LIMIT {n}"
            );
            match self.fetch(&sql).await {
                Ok(rows) if rows.len() >= n => {
                    let strategy = SampleStrategy::TableSample { percent };
                    return Ok(TableSample::from_rows(t.clone(), strategy, rows));
                }
                Ok(_) if percent < 100.0 => percent = (percent * 4.0).min(100.0),
                Ok(_) => break,
                // TABLESAMPLE unsupported here (e.g. a foreign table): read from the start.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("0A000") => break,
                Err(e) => return Err(e),
            }
        }
        let rows = self.fetch(&first_rows).await?;
        Ok(TableSample::from_rows(
            t.clone(),
            SampleStrategy::FirstRows,
            rows,
        ))
    }

    async fn fetch(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
        // The SQL is built from quote_ident'ed names and numbers only.
        let rows = sqlx::query(AssertSqlSafe(sql.to_owned()))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row_values).collect()
    }
}

fn row_values(row: &PgRow) -> Result<Vec<Option<String>>, sqlx::Error> {
    (0..row.len())
        .map(|i| row.try_get::<Option<String>, _>(i))
        .collect()
}

/// Each column as text: `left(c::text, N)`, binary as a `[binary N bytes: HEX]` marker.
fn select_list(t: &TableInfo, max_chars: usize) -> String {
    let prefix = sample::BINARY_PREFIX;
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let q = quote_ident(&c.name);
            let expr = if c.data_type == "bytea" {
                format!(
                    "CASE WHEN {q} IS NULL THEN NULL ELSE '[binary ' || octet_length({q}) || \
                     ' bytes: ' || encode(substring({q} from 1 for {prefix}), 'hex') || ']' END"
                )
            } else {
                format!("left({q}::text, {max_chars})")
            };
            format!("{expr} AS c{i}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_doubles_quotes() {
        assert_eq!(quote_ident("客户"), "\"客户\"");
        assert_eq!(
            quote_ident("a\"; DROP TABLE x; --"),
            "\"a\"\"; DROP TABLE x; --\""
        );
    }
}
