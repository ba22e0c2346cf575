//! # Databases: catalog and samples from SQLite, PostgreSQL and MySQL/MariaDB
//!
//! [`connect`] opens a [`DbSource`] for a [`DbUrl`]; [`DbSource::list_tables`] reads the
//! catalog — schemas, tables (views with [`DbOptions::include_views`]), columns with their
//! types and comments, primary keys and row estimates — and [`DbSource::sample`] reads up to
//! [`DbOptions::sample_rows`] rows of one table, every value as text. [`DbSource::samples`]
//! samples many tables with bounded concurrency and yields one `Result` per table, so a table
//! that fails (permission denied, dropped meanwhile, too slow) is reported and the others go
//! on. [`BlockingDbSource`] offers the same to thread-based callers.
//!
//! ## Guarantees
//!
//! * **Read-only.** PostgreSQL sessions start with `default_transaction_read_only=on`;
//!   MySQL/MariaDB sessions run `SET SESSION TRANSACTION READ ONLY`; SQLite files are opened
//!   with `SQLITE_OPEN_READONLY`. Nothing here writes.
//! * **Bounded time.** Every statement has [`DbOptions::statement_timeout`] (PostgreSQL
//!   `statement_timeout`, MariaDB `max_statement_time`, MySQL `max_execution_time`, SQLite a
//!   progress handler that interrupts the statement), and every table a total
//!   [`DbOptions::table_budget`] over all its statements (a tokio timeout). Connecting is
//!   bounded by the statement timeout too.
//! * **Bounded work.** At most [`DbOptions::concurrency`] connections and tables at a time;
//!   every sampling strategy reads `O(sample_rows)` rows (see [`sample`](self::sample) for the
//!   strategies: small tables from the start, `TABLESAMPLE SYSTEM` on PostgreSQL, key ranges
//!   on an integer key on MySQL/MariaDB and SQLite — never a sort of a large table). Values are
//!   cut to [`DbOptions::max_value_chars`]; binary values become a short marker.
//! * **Secrets stay secret.** A [`DbUrl`] displays without its password; every [`DbError`]
//!   names the database by that redacted form, and its detail is scrubbed of the password.
//! * **Stable SQL.** Names enter SQL only through one identifier-quoting function per dialect;
//!   values are bound. Runtime queries only: no database is needed to build.
//!
//! [`FingerprintSet`] remembers a fingerprint per table (schema hash and row estimate) so a
//! rescan can skip what did not change.
//!
//! ## Example
//!
//! ```no_run
//! use shujian_sources::db::{BlockingDbSource, DbOptions, DbUrl};
//!
//! let url = DbUrl::parse("postgres://scan@db.example/crm")?.resolve_password(None)?;
//! let db = BlockingDbSource::connect(&url, &DbOptions::default())?;
//! let tables = db.list_tables()?;
//! for result in db.samples(tables) {
//!     match result {
//!         Ok(s) => println!("{}: {} rows ({})", s.table, s.rows, s.strategy),
//!         Err(e) => eprintln!("{e}"), // one table failed; the others go on
//!     }
//! }
//! # Ok::<(), shujian_sources::db::DbError>(())
//! ```

mod blocking;
mod catalog;
mod error;
mod fingerprint;
mod mysql;
mod postgres;
pub mod sample;
mod sqlite;
mod url;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

pub use blocking::{BlockingDbSource, BlockingSamples};
pub use catalog::{ColumnInfo, TableInfo, TableKind, TableSample};
pub use error::{DbError, DbErrorKind};
pub use fingerprint::{FingerprintSet, ROW_CHANGE_RATIO, TableFingerprint};
pub use sample::SampleStrategy;
pub use sqlite::COMMENTS_TABLE;
pub use url::{DbUrl, Engine, PASSWORD_ENV, Password, PasswordOrigin, TlsMode};

/// How to read a database. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct DbOptions {
    /// Rows to sample per table (default 1,000).
    pub sample_rows: usize,
    /// Longest a single statement may run, and a connection attempt may take (default 30 s).
    pub statement_timeout: Duration,
    /// Longest all statements for one table may take together (default 60 s).
    pub table_budget: Duration,
    /// Tables sampled at once, and connections opened at most (default 4).
    pub concurrency: usize,
    /// List views as well as tables (default false: views repeat their tables' data).
    pub include_views: bool,
    /// Schemas (PostgreSQL) or databases (MySQL) to read; empty means every non-system one
    /// (MySQL: the database named in the URL, if any). Ignored for SQLite.
    pub schemas: Vec<String>,
    /// TLS for PostgreSQL and MySQL (default prefer); a mode in the URL wins.
    pub tls: TlsMode,
    /// A CA certificate (PEM) for `verify-ca` / `verify-full`; one in the URL wins.
    pub ca_file: Option<PathBuf>,
    /// Longest text kept of one value, in characters (default 4,096).
    pub max_value_chars: usize,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            sample_rows: 1000,
            statement_timeout: Duration::from_secs(30),
            table_budget: Duration::from_secs(60),
            concurrency: 4,
            include_views: false,
            schemas: Vec::new(),
            tls: TlsMode::Prefer,
            ca_file: None,
            max_value_chars: 4096,
        }
    }
}

/// A connected database. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct DbSource {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    url: DbUrl,
    name: String,
    opts: DbOptions,
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Postgres(postgres::Postgres),
    MySql(mysql::MySql),
    Sqlite(sqlite::Sqlite),
}

/// Connects to the database `url` names and checks that it answers (one connection is made
/// now; a pool of up to `opts.concurrency` follows on demand).
///
/// Errors: [`DbErrorKind::ConnectionRefused`], [`AuthenticationFailed`](DbErrorKind::AuthenticationFailed)
/// (naming where the password came from, never the password), [`Tls`](DbErrorKind::Tls),
/// [`DatabaseNotFound`](DbErrorKind::DatabaseNotFound), [`Timeout`](DbErrorKind::Timeout) …
pub async fn connect(url: &DbUrl, opts: &DbOptions) -> Result<DbSource, DbError> {
    let name = url.to_string();
    let engine = url.engine();
    let attempt = async {
        Ok::<_, sqlx::Error>(match engine {
            Engine::Postgres => Backend::Postgres(postgres::Postgres::connect(url, opts).await?),
            Engine::MySql => Backend::MySql(mysql::MySql::connect(url, opts).await?),
            Engine::Sqlite => Backend::Sqlite(sqlite::Sqlite::connect(url, opts).await?),
        })
    };
    let limit = opts.statement_timeout.max(Duration::from_secs(1));
    let backend = match tokio::time::timeout(limit, attempt).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            let mut err = wrap(url, &name, None, &e);
            if err.kind == DbErrorKind::AuthenticationFailed {
                let from = match url.password_origin() {
                    Some(o) => format!("password from {o}"),
                    None => "no password given".to_owned(),
                };
                err.detail = format!("{}; {from}", err.detail);
            }
            return Err(err);
        }
        Err(_) => {
            return Err(DbError::new(
                name,
                None,
                DbErrorKind::Timeout,
                format!("no connection within {} s", limit.as_secs_f64()),
            ));
        }
    };
    Ok(DbSource {
        inner: Arc::new(Inner {
            url: url.clone(),
            name,
            opts: opts.clone(),
            backend,
        }),
    })
}

fn wrap(url: &DbUrl, name: &str, object: Option<String>, e: &sqlx::Error) -> DbError {
    let (kind, detail) = error::classify(url.engine(), e);
    DbError::new(name.to_owned(), object, kind, detail).scrub(url.password().map(Password::expose))
}

impl DbSource {
    /// The redacted display name (`postgres://scan@db:5432/crm`, `sqlite:/data/app.db`): use
    /// it in reports, logs and as the [`FingerprintSet`] key.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    pub fn engine(&self) -> Engine {
        self.inner.url.engine()
    }

    pub fn options(&self) -> &DbOptions {
        &self.inner.opts
    }

    /// Every table (and view, if asked) of the schemas in scope, sorted by schema and name,
    /// with columns, comments, primary keys and row estimates.
    pub async fn list_tables(&self) -> Result<Vec<TableInfo>, DbError> {
        let opts = &self.inner.opts;
        let listing = async {
            match &self.inner.backend {
                Backend::Postgres(b) => b.list_tables(opts).await,
                Backend::MySql(b) => b.list_tables(opts).await,
                Backend::Sqlite(b) => b.list_tables(opts).await,
            }
        };
        // Listing a large catalog is several statements: give it the table budget.
        match tokio::time::timeout(opts.table_budget, listing).await {
            Ok(Ok(tables)) => Ok(tables),
            Ok(Err(e)) => Err(wrap(&self.inner.url, &self.inner.name, None, &e)),
            Err(_) => Err(DbError::new(
                self.inner.name.clone(),
                None,
                DbErrorKind::Timeout,
                format!(
                    "listing tables took longer than {} s",
                    opts.table_budget.as_secs_f64()
                ),
            )),
        }
    }

    /// Up to `sample_rows` rows of `table`, chosen by the strategy the module docs describe,
    /// within the per-table budget.
    pub async fn sample(&self, table: &TableInfo) -> Result<TableSample, DbError> {
        let opts = &self.inner.opts;
        let sampling = async {
            match &self.inner.backend {
                Backend::Postgres(b) => b.sample(table, opts).await,
                Backend::MySql(b) => b.sample(table, opts).await,
                Backend::Sqlite(b) => b.sample(table, opts).await,
            }
        };
        match tokio::time::timeout(opts.table_budget, sampling).await {
            Ok(Ok(sample)) => Ok(sample),
            Ok(Err(e)) => Err(wrap(
                &self.inner.url,
                &self.inner.name,
                Some(table.qualified_name()),
                &e,
            )),
            Err(_) => Err(DbError::new(
                self.inner.name.clone(),
                Some(table.qualified_name()),
                DbErrorKind::Timeout,
                format!(
                    "per-table budget of {} s exhausted",
                    opts.table_budget.as_secs_f64()
                ),
            )),
        }
    }

    /// Samples `tables`, at most [`DbOptions::concurrency`] at a time, yielding one result per
    /// table in completion order.
    pub fn samples(&self, tables: Vec<TableInfo>) -> SampleStream {
        SampleStream {
            source: self.clone(),
            pending: tables.into(),
            running: JoinSet::new(),
        }
    }

    /// Closes the connection pool (idle connections are closed on drop anyway).
    pub async fn close(&self) {
        match &self.inner.backend {
            Backend::Postgres(b) => b.close().await,
            Backend::MySql(b) => b.close().await,
            Backend::Sqlite(b) => b.close().await,
        }
    }
}

/// The results of [`DbSource::samples`], one per table, as they complete.
#[derive(Debug)]
pub struct SampleStream {
    source: DbSource,
    pending: VecDeque<TableInfo>,
    running: JoinSet<Result<TableSample, DbError>>,
}

impl SampleStream {
    /// The next finished table, or `None` when all are done. Must be called within a tokio
    /// runtime with time enabled.
    pub async fn next(&mut self) -> Option<Result<TableSample, DbError>> {
        let limit = self.source.inner.opts.concurrency.max(1);
        while self.running.len() < limit {
            let Some(table) = self.pending.pop_front() else {
                break;
            };
            let source = self.source.clone();
            self.running
                .spawn(async move { source.sample(&table).await });
        }
        match self.running.join_next().await? {
            Ok(result) => Some(result),
            Err(join) => Some(Err(DbError::new(
                self.source.inner.name.clone(),
                None,
                DbErrorKind::Query,
                format!("sampling task failed: {join}"),
            ))),
        }
    }

    /// Tables not yet finished.
    pub fn remaining(&self) -> usize {
        self.pending.len() + self.running.len()
    }
}
