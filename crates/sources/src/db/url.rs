//! Database URLs: which engine, where, as whom — and a password that is never shown.
//!
//! Accepted forms:
//!
//! | form | engine |
//! |---|---|
//! | `postgres://user:pass@host:5432/db?sslmode=require` (also `postgresql://`) | PostgreSQL |
//! | `mysql://user:pass@host:3306/db?ssl-mode=REQUIRED` (also `mariadb://`) | MySQL / MariaDB |
//! | `sqlite:PATH`, `sqlite://PATH` (`sqlite:///abs/path` too), a path ending `.sqlite`, `.sqlite3` or `.db` | SQLite |
//!
//! User and password may be percent-encoded (`p%40ss` for `p@ss`). IPv6 hosts go in brackets
//! (`[::1]`). Query parameters: `sslmode` / `ssl-mode` / `tls` (a [`TlsMode`]), `sslrootcert` /
//! `ssl-ca` (a CA file), `host` (PostgreSQL: a Unix-socket directory), `socket` (MySQL: a
//! Unix-socket path); `application_name`, `connect_timeout` and `charset` are accepted and
//! ignored; anything else is an error naming the parameter.
//!
//! The password comes, first found wins, from `--password-file` (see
//! [`DbUrl::resolve_password`]), the URL, `SHUJIAN_DB_PASSWORD`, then the engine's own variable
//! (`PGPASSWORD` for PostgreSQL, `MYSQL_PWD` for MySQL). It is kept in a [`Password`] whose
//! `Debug` prints `***`, and [`DbUrl`]'s `Display` and `Debug` leave it out, so neither
//! errors nor logs can echo it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::error::{DbError, DbErrorKind};

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    /// MySQL and MariaDB (one wire protocol; dialect differences are detected on connect).
    MySql,
    Sqlite,
}

impl Engine {
    /// The scheme used in display names: `postgres`, `mysql`, `sqlite`.
    pub fn scheme(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::MySql => "mysql",
            Engine::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Postgres => "PostgreSQL",
            Engine::MySql => "MySQL/MariaDB",
            Engine::Sqlite => "SQLite",
        })
    }
}

/// Transport encryption for PostgreSQL and MySQL (ignored for SQLite).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Plain TCP.
    Disable,
    /// TLS when the server offers it, plain otherwise (no certificate check).
    #[default]
    Prefer,
    /// TLS or fail; the certificate is not checked.
    Require,
    /// TLS with the certificate checked against the CA (`ca_file` or the built-in roots), not the
    /// host name.
    VerifyCa,
    /// TLS with the certificate and the host name checked.
    VerifyFull,
}

impl FromStr for TlsMode {
    type Err = String;

    /// Accepts the PostgreSQL (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`) and
    /// MySQL (`DISABLED`, `PREFERRED`, `REQUIRED`, `VERIFY_CA`, `VERIFY_IDENTITY`) spellings.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match norm.as_str() {
            "disable" | "disabled" | "off" | "false" => TlsMode::Disable,
            "allow" | "prefer" | "preferred" => TlsMode::Prefer,
            "require" | "required" | "on" | "true" => TlsMode::Require,
            "verify-ca" => TlsMode::VerifyCa,
            "verify-full" | "verify-identity" => TlsMode::VerifyFull,
            _ => {
                return Err(format!(
                    "unknown TLS mode `{s}` (expected disable, prefer, require, verify-ca or verify-full)"
                ));
            }
        })
    }
}

impl fmt::Display for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        })
    }
}

/// A secret that never prints: `Debug` shows `***` and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(secret: impl Into<String>) -> Self {
        Password(secret.into())
    }

    /// The secret itself, for the driver only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where a password came from (for messages such as "authentication failed (password from
/// PGPASSWORD)"), never the password itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordOrigin {
    Url,
    File,
    /// An environment variable, by name.
    Env(&'static str),
}

impl fmt::Display for PasswordOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordOrigin::Url => f.write_str("the URL"),
            PasswordOrigin::File => f.write_str("the password file"),
            PasswordOrigin::Env(name) => f.write_str(name),
        }
    }
}

/// A parsed database URL. `Display` and `Debug` print a redacted form
/// (`postgres://alice@db.example:5432/crm`), never the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    engine: Engine,
    host: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    password: Option<(Password, PasswordOrigin)>,
    database: Option<String>,
    sqlite_path: Option<PathBuf>,
    socket: Option<PathBuf>,
    tls: Option<TlsMode>,
    ca_file: Option<PathBuf>,
}

/// Names of the environment variables that may hold a password.
pub const PASSWORD_ENV: &str = "SHUJIAN_DB_PASSWORD";

impl DbUrl {
    /// Parses a URL (or a SQLite path). Errors name the problem but never repeat the input,
    /// which may hold a password.
    pub fn parse(input: &str) -> Result<DbUrl, DbError> {
        parse(input.trim()).map_err(|reason| {
            DbError::new(
                "<database URL>".to_owned(),
                None,
                DbErrorKind::InvalidUrl,
                reason,
            )
        })
    }

    /// Whether `arg` (a command-line argument) names a database rather than a file to read as
    /// text: a database scheme, or a path ending `.sqlite` / `.sqlite3` / `.db`.
    pub fn is_database_target(arg: &str) -> bool {
        let lower = arg.trim().to_ascii_lowercase();
        [
            "postgres://",
            "postgresql://",
            "mysql://",
            "mariadb://",
            "sqlite:",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
            || has_sqlite_extension(&lower)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }
    pub fn port(&self) -> Option<u16> {
        self.port
    }
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }
    /// The database file, for SQLite.
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.sqlite_path.as_deref()
    }
    /// A Unix socket (PostgreSQL: its directory; MySQL: the socket file).
    pub fn socket(&self) -> Option<&Path> {
        self.socket.as_deref()
    }
    /// The TLS mode the URL asks for (`sslmode=`); it wins over [`DbOptions::tls`](super::DbOptions).
    pub fn tls(&self) -> Option<TlsMode> {
        self.tls
    }
    /// The CA file the URL names (`sslrootcert=`).
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }
    pub fn password_origin(&self) -> Option<PasswordOrigin> {
        self.password.as_ref().map(|(_, o)| *o)
    }
    pub(crate) fn password(&self) -> Option<&Password> {
        self.password.as_ref().map(|(p, _)| p)
    }

    /// Sets the password (e.g. from a prompt).
    pub fn with_password(mut self, password: Password, origin: PasswordOrigin) -> Self {
        self.password = Some((password, origin));
        self
    }

    /// Completes the credentials: a password file (`--password-file`, its first line) wins,
    /// then a password in the URL, then `SHUJIAN_DB_PASSWORD`, then `PGPASSWORD` (PostgreSQL)
    /// or `MYSQL_PWD` (MySQL). SQLite needs none.
    pub fn resolve_password(self, password_file: Option<&Path>) -> Result<DbUrl, DbError> {
        self.resolve_password_with(password_file, |name| std::env::var(name).ok())
    }

    /// [`resolve_password`](Self::resolve_password) with the environment given as a function.
    pub fn resolve_password_with(
        mut self,
        password_file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<DbUrl, DbError> {
        if self.engine == Engine::Sqlite {
            return Ok(self);
        }
        if let Some(path) = password_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                DbError::new(
                    self.to_string(),
                    None,
                    DbErrorKind::PasswordFile,
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
            let line = text.lines().next().unwrap_or("");
            self.password = Some((Password::new(line), PasswordOrigin::File));
            return Ok(self);
        }
        if self.password.is_some() {
            return Ok(self);
        }
        let engine_var = match self.engine {
            Engine::Postgres => "PGPASSWORD",
            Engine::MySql => "MYSQL_PWD",
            Engine::Sqlite => unreachable!("returned above"),
        };
        for name in [PASSWORD_ENV, engine_var] {
            if let Some(secret) = env(name).filter(|s| !s.is_empty()) {
                self.password = Some((Password::new(secret), PasswordOrigin::Env(name)));
                break;
            }
        }
        Ok(self)
    }
}

impl FromStr for DbUrl {
    type Err = DbError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DbUrl::parse(s)
    }
}

impl fmt::Display for DbUrl {
    /// `postgres://alice@db:5432/crm`, `mysql://root@[::1]/shop`, `sqlite:/data/app.db`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.engine == Engine::Sqlite {
            let path = self.sqlite_path.as_deref().unwrap_or(Path::new(""));
            return write!(f, "sqlite:{}", path.display());
        }
        write!(f, "{}://", self.engine.scheme())?;
        if let Some(user) = &self.user {
            write!(f, "{user}@")?;
        }
        match &self.host {
            Some(h) if h.contains(':') => write!(f, "[{h}]")?,
            Some(h) => f.write_str(h)?,
            None => {}
        }
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        if let Some(db) = &self.database {
            write!(f, "/{db}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbUrl")
            .field("url", &format_args!("{self}"))
            .field("password", &self.password.as_ref().map(|(_, o)| o))
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

fn has_sqlite_extension(lower: &str) -> bool {
    [".sqlite", ".sqlite3", ".db"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn parse(input: &str) -> Result<DbUrl, String> {
    let Some((scheme, rest)) = input.split_once(':') else {
        return sqlite_file(input);
    };
    let engine = match scheme.to_ascii_lowercase().as_str() {
        "postgres" | "postgresql" => Engine::Postgres,
        "mysql" | "mariadb" => Engine::MySql,
        "sqlite" | "sqlite3" => {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split_once('?').map_or(path, |(p, _)| p);
            if path.is_empty() {
                return Err("sqlite URL without a file path (expected sqlite:PATH)".into());
            }
            return Ok(sqlite_url(PathBuf::from(percent_decode(path)?)));
        }
        // A Windows drive letter or a plain path with a colon in it.
        _ if has_sqlite_extension(&input.to_ascii_lowercase()) => return sqlite_file(input),
        other => {
            return Err(format!(
                "unknown scheme `{}` (expected postgres://, mysql://, mariadb:// or sqlite:)",
                truncate(other, 20)
            ));
        }
    };
    let rest = rest
        .strip_prefix("//")
        .ok_or_else(|| format!("expected `{scheme}://` followed by a host"))?;
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => (&before_query[..i], &before_query[i + 1..]),
        None => (before_query, ""),
    };
    // The password may contain '@' only percent-encoded; the last '@' ends the credentials.
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let mut url = DbUrl {
        engine,
        host: None,
        port: None,
        user: None,
        password: None,
        database: None,
        sqlite_path: None,
        socket: None,
        tls: None,
        ca_file: None,
    };
    if let Some(info) = userinfo {
        let (user, pass) = match info.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (info, None),
        };
        if !user.is_empty() {
            url.user = Some(percent_decode(user).map_err(|e| format!("user name: {e}"))?);
        }
        if let Some(p) = pass {
            // Never include the password text in the error.
            let secret = percent_decode(p).map_err(|_| "password: bad percent-encoding")?;
            url.password = Some((Password::new(secret), PasswordOrigin::Url));
        }
    }
    let (host, port) = split_host_port(hostport)?;
    url.host = host;
    url.port = port;
    let db = path.trim_end_matches('/');
    if !db.is_empty() {
        url.database = Some(percent_decode(db).map_err(|e| format!("database name: {e}"))?);
    }
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value).map_err(|e| format!("parameter `{key}`: {e}"))?;
        match key {
            "sslmode" | "ssl-mode" | "ssl_mode" | "tls" => url.tls = Some(value.parse()?),
            "sslrootcert" | "ssl-ca" | "ssl_ca" => url.ca_file = Some(PathBuf::from(value)),
            "host" if engine == Engine::Postgres && value.starts_with('/') => {
                url.socket = Some(PathBuf::from(value));
            }
            "socket" if engine == Engine::MySql => url.socket = Some(PathBuf::from(value)),
            "application_name" | "connect_timeout" | "charset" => {}
            other => {
                return Err(format!(
                    "unknown parameter `{}` (known: sslmode, sslrootcert, host, socket)",
                    truncate(other, 40)
                ));
            }
        }
    }
    if url.host.is_none() && url.socket.is_none() {
        url.host = Some("localhost".to_owned());
    }
    Ok(url)
}

fn sqlite_file(input: &str) -> Result<DbUrl, String> {
    if has_sqlite_extension(&input.to_ascii_lowercase()) {
        Ok(sqlite_url(PathBuf::from(input)))
    } else {
        Err("not a database URL (expected postgres://, mysql://, sqlite:PATH or a .sqlite/.db file)".into())
    }
}

fn sqlite_url(path: PathBuf) -> DbUrl {
    DbUrl {
        engine: Engine::Sqlite,
        host: None,
        port: None,
        user: None,
        password: None,
        database: None,
        sqlite_path: Some(path),
        socket: None,
        tls: None,
        ca_file: None,
    }
}

fn split_host_port(s: &str) -> Result<(Option<String>, Option<u16>), String> {
    if s.is_empty() {
        return Ok((None, None));
    }
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or("IPv6 host without closing `]`".to_owned())?;
        let after = &rest[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err("unexpected text after `]`".into()),
        };
        (&rest[..end], port)
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let port = match port {
        Some(p) => Some(
            p.parse::<u16>()
                .map_err(|_| format!("port `{}` is not a number 0–65535", truncate(p, 10)))?,
        ),
        None => None,
    };
    let host = percent_decode(host).map_err(|e| format!("host: {e}"))?;
    Ok(((!host.is_empty()).then_some(host), port))
}

/// Decodes `%XX` escapes (as UTF-8). `+` stays `+`.
fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("bad percent-encoding (expected %XX)")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoding is not UTF-8".to_owned())
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_url_with_everything() {
        let u = DbUrl::parse("postgresql://al%40ice:p%40ss:w@db.example:6543/crm?sslmode=verify-full&sslrootcert=/ca.pem").unwrap();
        assert_eq!(u.engine(), Engine::Postgres);
        assert_eq!(u.user(), Some("al@ice"));
        assert_eq!(u.password().unwrap().expose(), "p@ss:w");
        assert_eq!(u.password_origin(), Some(PasswordOrigin::Url));
        assert_eq!(u.host(), Some("db.example"));
        assert_eq!(u.port(), Some(6543));
        assert_eq!(u.database(), Some("crm"));
        assert_eq!(u.tls(), Some(TlsMode::VerifyFull));
        assert_eq!(u.ca_file(), Some(Path::new("/ca.pem")));
        assert_eq!(u.to_string(), "postgres://al@ice@db.example:6543/crm");
    }

    #[test]
    fn display_and_debug_never_show_the_password() {
        let u = DbUrl::parse("mysql://root:s3cret-Pw@[::1]:3307/shop").unwrap();
        assert_eq!(u.to_string(), "mysql://root@[::1]:3307/shop");
        let dbg = format!("{u:?}");
        assert!(!dbg.contains("s3cret"), "{dbg}");
        assert!(dbg.contains("Url"), "{dbg}");
        assert_eq!(format!("{:?}", Password::new("s3cret")), "***");
    }

    #[test]
    fn mariadb_scheme_and_defaults() {
        let u = DbUrl::parse("mariadb://app@localhost").unwrap();
        assert_eq!(u.engine(), Engine::MySql);
        assert_eq!(u.port(), None);
        assert_eq!(u.database(), None);
        assert!(!u.has_password());
        let u = DbUrl::parse("mysql:///x?socket=/run/mysqld/mysqld.sock").unwrap();
        assert_eq!(u.socket(), Some(Path::new("/run/mysqld/mysqld.sock")));
        assert_eq!(u.host(), None);
        let u = DbUrl::parse("postgres:///crm").unwrap();
        assert_eq!(u.host(), Some("localhost"));
    }

    #[test]
    fn sqlite_forms() {
        for (input, path) in [
            ("sqlite:data/app.db", "data/app.db"),
            ("sqlite://data/app.db", "data/app.db"),
            ("sqlite:///abs/app.sqlite", "/abs/app.sqlite"),
            ("SQLite:/x/y%20z.db?mode=ro", "/x/y z.db"),
            ("shop.sqlite", "shop.sqlite"),
            ("/srv/a.sqlite3", "/srv/a.sqlite3"),
            ("C:/data/a.db", "C:/data/a.db"),
        ] {
            let u = DbUrl::parse(input).unwrap();
            assert_eq!(u.engine(), Engine::Sqlite, "{input}");
            assert_eq!(u.sqlite_path(), Some(Path::new(path)), "{input}");
        }
        assert_eq!(
            DbUrl::parse("sqlite:/x/a.db").unwrap().to_string(),
            "sqlite:/x/a.db"
        );
    }

    #[test]
    fn errors_are_clear_and_never_repeat_the_password() {
        for (input, expect) in [
            ("oracle://u:pw@h/db", "unknown scheme `oracle`"),
            ("postgres:h/db", "expected `postgres://`"),
            ("postgres://u:pw@h:99999/db", "port `99999`"),
            ("postgres://u:pw@h/db?foo=1", "unknown parameter `foo`"),
            ("postgres://u:pw@h/db?sslmode=maybe", "unknown TLS mode"),
            ("sqlite:", "without a file path"),
            ("notes.txt", "not a database URL"),
        ] {
            let e = DbUrl::parse(input).unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(expect), "{input}: {msg}");
            assert_eq!(e.kind, DbErrorKind::InvalidUrl);
        }
        let e = DbUrl::parse("postgres://u:hunter%zz@h/db").unwrap_err();
        assert!(!e.to_string().contains("hunter"), "{e}");
    }

    #[test]
    fn password_precedence_file_then_url_then_env() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "from-file\nignored\n").unwrap();
        let env = |name: &str| match name {
            "SHUJIAN_DB_PASSWORD" => Some("from-shujian-env".to_owned()),
            "PGPASSWORD" => Some("from-pg-env".to_owned()),
            _ => None,
        };
        let with_url = DbUrl::parse("postgres://u:from-url@h/db").unwrap();
        let u = with_url
            .clone()
            .resolve_password_with(Some(&file), env)
            .unwrap();
        assert_eq!(u.password().unwrap().expose(), "from-file");
        assert_eq!(u.password_origin(), Some(PasswordOrigin::File));
        let u = with_url.resolve_password_with(None, env).unwrap();
        assert_eq!(u.password().unwrap().expose(), "from-url");

        let bare = DbUrl::parse("postgres://u@h/db").unwrap();
        let u = bare.clone().resolve_password_with(None, env).unwrap();
        assert_eq!(u.password().unwrap().expose(), "from-shujian-env");
        let u = bare
            .resolve_password_with(None, |n: &str| {
                (n == "PGPASSWORD").then(|| "from-pg-env".to_owned())
            })
            .unwrap();
        assert_eq!(u.password_origin(), Some(PasswordOrigin::Env("PGPASSWORD")));
        // MYSQL_PWD is MySQL's, not PostgreSQL's.
        let u = DbUrl::parse("postgres://u@h/db")
            .unwrap()
            .resolve_password_with(None, |n: &str| (n == "MYSQL_PWD").then(|| "x".to_owned()))
            .unwrap();
        assert!(!u.has_password());
        let e = DbUrl::parse("mysql://u@h/db")
            .unwrap()
            .resolve_password_with(Some(&dir.path().join("missing")), env)
            .unwrap_err();
        assert_eq!(e.kind, DbErrorKind::PasswordFile);
    }

    #[test]
    fn recognises_database_targets() {
        for yes in [
            "postgres://h/db",
            "MYSQL://h",
            "sqlite:x",
            "a/b.sqlite",
            "x.DB",
        ] {
            assert!(DbUrl::is_database_target(yes), "{yes}");
        }
        for no in ["notes.txt", "dir/", "-", "data.csv"] {
            assert!(!DbUrl::is_database_target(no), "{no}");
        }
    }

    #[test]
    fn tls_mode_spellings() {
        assert_eq!(
            "VERIFY_IDENTITY".parse::<TlsMode>(),
            Ok(TlsMode::VerifyFull)
        );
        assert_eq!("REQUIRED".parse::<TlsMode>(), Ok(TlsMode::Require));
        assert_eq!("disable".parse::<TlsMode>(), Ok(TlsMode::Disable));
        assert!("sometimes".parse::<TlsMode>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = DbUrl::parse(&s);
        }

        #[test]
        fn parse_never_echoes_a_url_password(pw in "[a-zA-Z0-9]{12,20}", port in "[0-9a-z%]{0,7}") {
            let input = format!("postgres://u:{pw}@h:{port}/db?x=%zz");
            match DbUrl::parse(&input) {
                Ok(u) => {
                    let shown = format!("{u} {u:?}");
                    proptest::prop_assert!(!shown.contains(&pw));
                }
                Err(e) => proptest::prop_assert!(!e.to_string().contains(&pw)),
            }
        }
    }
}
