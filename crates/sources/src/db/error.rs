//! Errors of database reading: which database (redacted), which object, what went wrong.
//!
//! Every [`DbError`] names the database by its redacted display name
//! (`postgres://alice@db:5432/crm`), the object when there is one (`public.客户`), a
//! [`DbErrorKind`] a program can branch on, and the driver's detail with any occurrence of the
//! password scrubbed out — drivers do not normally repeat a password, but a message that names
//! it must not reach a log even if one does.

use std::fmt;

use super::url::Engine;

/// What went wrong, coarsely, so callers (and the report) can react per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DbErrorKind {
    /// The URL could not be parsed.
    InvalidUrl,
    /// The password file could not be read.
    PasswordFile,
    /// Nothing listens at the address (TCP connection refused, no socket file).
    ConnectionRefused,
    /// The server could not be reached otherwise (unknown host, network down, no free
    /// connection in time).
    Unreachable,
    /// The server rejected the user name or password.
    AuthenticationFailed,
    /// The database (or SQLite file) does not exist or is not a database.
    DatabaseNotFound,
    /// The user may not read this object.
    PermissionDenied,
    /// The table was listed but no longer exists (dropped or renamed during the scan).
    TableVanished,
    /// The statement timeout or the per-table time budget ran out.
    Timeout,
    /// TLS could not be set up or the certificate was rejected.
    Tls,
    /// Any other failure of a query.
    Query,
}

impl DbErrorKind {
    /// A short English phrase for messages.
    pub fn describe(self) -> &'static str {
        match self {
            DbErrorKind::InvalidUrl => "invalid database URL",
            DbErrorKind::PasswordFile => "cannot read the password file",
            DbErrorKind::ConnectionRefused => "connection refused",
            DbErrorKind::Unreachable => "server unreachable",
            DbErrorKind::AuthenticationFailed => "authentication failed",
            DbErrorKind::DatabaseNotFound => "database not found",
            DbErrorKind::PermissionDenied => "permission denied",
            DbErrorKind::TableVanished => "table no longer exists",
            DbErrorKind::Timeout => "timed out",
            DbErrorKind::Tls => "TLS failure",
            DbErrorKind::Query => "query failed",
        }
    }
}

impl fmt::Display for DbErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A failure reading a database or one of its objects.
///
/// Displays as `DATABASE: OBJECT: KIND (DETAIL)`, e.g.
/// `postgres://scan@db:5432/crm: table public.客户: permission denied (permission denied for table 客户)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    /// The database's redacted display name.
    pub database: String,
    /// `schema.table` (or `table` for SQLite), when the failure concerns one object.
    pub object: Option<String>,
    pub kind: DbErrorKind,
    /// The driver's or server's own words, with any password scrubbed out.
    pub detail: String,
}

impl DbError {
    pub(crate) fn new(
        database: String,
        object: Option<String>,
        kind: DbErrorKind,
        detail: String,
    ) -> Self {
        DbError {
            database,
            object,
            kind,
            detail,
        }
    }

    /// Replaces every occurrence of `secret` in the detail with `***`.
    pub(crate) fn scrub(mut self, secret: Option<&str>) -> Self {
        if let Some(s) = secret.filter(|s| !s.is_empty()) {
            if self.detail.contains(s) {
                self.detail = self.detail.replace(s, "***");
            }
            if self.database.contains(s) {
                self.database = self.database.replace(s, "***");
            }
        }
        self
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.database)?;
        if let Some(object) = &self.object {
            write!(f, "table {object}: ")?;
        }
        write!(f, "{}", self.kind)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}

/// Sorts a driver error into a [`DbErrorKind`] by SQLSTATE / error number / I/O kind, and
/// renders its detail.
pub(crate) fn classify(engine: Engine, err: &sqlx::Error) -> (DbErrorKind, String) {
    use std::io::ErrorKind as Io;
    let kind = match err {
        // rustls failures surface as I/O errors ("invalid peer certificate: UnknownIssuer").
        sqlx::Error::Io(io) if looks_like_tls(io) => DbErrorKind::Tls,
        sqlx::Error::Io(io) => match io.kind() {
            Io::ConnectionRefused => DbErrorKind::ConnectionRefused,
            Io::NotFound if engine != Engine::Sqlite => DbErrorKind::ConnectionRefused,
            Io::TimedOut => DbErrorKind::Timeout,
            _ => DbErrorKind::Unreachable,
        },
        sqlx::Error::Tls(_) => DbErrorKind::Tls,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => DbErrorKind::Unreachable,
        sqlx::Error::Database(db) => classify_database(engine, db.as_ref()),
        _ => DbErrorKind::Query,
    };
    (kind, render(err))
}

fn looks_like_tls(io: &std::io::Error) -> bool {
    let text = io.to_string().to_ascii_lowercase();
    ["certificate", "tls", "handshake", "alert"]
        .iter()
        .any(|w| text.contains(w))
}

fn classify_database(engine: Engine, db: &dyn sqlx::error::DatabaseError) -> DbErrorKind {
    let code = db
        .code()
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default();
    let message = db.message().to_ascii_lowercase();
    match engine {
        Engine::Postgres => match code.as_str() {
            "28P01" | "28000" => DbErrorKind::AuthenticationFailed,
            "3D000" => DbErrorKind::DatabaseNotFound,
            "42501" => DbErrorKind::PermissionDenied,
            "42P01" | "3F000" => DbErrorKind::TableVanished,
            // query_canceled: statement_timeout (and lock_timeout is 55P03).
            "57014" | "55P03" => DbErrorKind::Timeout,
            _ => DbErrorKind::Query,
        },
        Engine::MySql => {
            let number = db
                .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
                .map(sqlx::mysql::MySqlDatabaseError::number);
            match number {
                Some(1045 | 1698) => DbErrorKind::AuthenticationFailed,
                Some(1044 | 1142 | 1143 | 1227 | 1370) => DbErrorKind::PermissionDenied,
                Some(1049) => DbErrorKind::DatabaseNotFound,
                Some(1146) => DbErrorKind::TableVanished,
                // MariaDB max_statement_time (1969), MySQL max_execution_time (3024),
                // query interrupted (1317), lock wait timeout (1205).
                Some(1969 | 3024 | 1317 | 1205) => DbErrorKind::Timeout,
                _ => DbErrorKind::Query,
            }
        }
        Engine::Sqlite => {
            // sqlx reports SQLite's (extended) result code as the code.
            let primary = code.parse::<i32>().map(|c| c & 0xff).unwrap_or(-1);
            match primary {
                9 => DbErrorKind::Timeout,     // SQLITE_INTERRUPT (progress handler)
                5 | 6 => DbErrorKind::Timeout, // SQLITE_BUSY / SQLITE_LOCKED
                3 | 23 => DbErrorKind::PermissionDenied, // SQLITE_PERM / SQLITE_AUTH
                14 | 26 => DbErrorKind::DatabaseNotFound, // SQLITE_CANTOPEN / SQLITE_NOTADB
                _ if message.contains("no such table") => DbErrorKind::TableVanished,
                _ if message.contains("interrupted") => DbErrorKind::Timeout,
                _ => DbErrorKind::Query,
            }
        }
    }
}

/// The error and its causes on one line, without the driver's type names.
fn render(err: &sqlx::Error) -> String {
    let mut text = match err {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    };
    let mut source = std::error::Error::source(err);
    // Database errors carry their whole story in the message.
    if matches!(err, sqlx::Error::Database(_)) {
        source = None;
    }
    while let Some(cause) = source {
        let s = cause.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_database_object_kind_and_detail() {
        let e = DbError::new(
            "postgres://scan@db:5432/crm".into(),
            Some("public.客户".into()),
            DbErrorKind::PermissionDenied,
            "permission denied for table 客户".into(),
        );
        assert_eq!(
            e.to_string(),
            "postgres://scan@db:5432/crm: table public.客户: permission denied (permission denied for table 客户)"
        );
    }

    #[test]
    fn scrub_removes_the_password_everywhere() {
        let e = DbError::new(
            "x".into(),
            None,
            DbErrorKind::Query,
            "bad hunter2 and hunter2".into(),
        )
        .scrub(Some("hunter2"));
        assert_eq!(e.detail, "bad *** and ***");
        let e = DbError::new("x".into(), None, DbErrorKind::Query, "keep".into()).scrub(Some(""));
        assert_eq!(e.detail, "keep");
    }

    #[test]
    fn io_errors_are_sorted() {
        let refused = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(
            classify(Engine::Postgres, &refused).0,
            DbErrorKind::ConnectionRefused
        );
        assert_eq!(
            classify(Engine::MySql, &sqlx::Error::PoolTimedOut).0,
            DbErrorKind::Unreachable
        );
    }
}
