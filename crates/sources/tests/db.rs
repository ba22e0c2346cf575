//! Database readers against real engines: SQLite (a temporary file), PostgreSQL 15 and
//! MariaDB 10.11 (started by `scripts/db.sh`).
//!
//! ```sh
//! eval "$(scripts/db.sh)"              # sets SHUJIAN_TEST_PG_URL and SHUJIAN_TEST_MYSQL_URL
//! cargo test -p shujian-sources --test db
//! ```
//!
//! Without those variables the PostgreSQL and MariaDB tests print `skipped: …` and pass,
//! unless `SHUJIAN_REQUIRE_DB` is set, when they fail. Every test works in its own schema
//! (PostgreSQL) or database (MariaDB) named after the test and the process, so tests run in
//! parallel and reruns start clean.

use std::time::Duration;

use shujian_sources::db::{
    BlockingDbSource, DbError, DbErrorKind, DbOptions, DbUrl, SampleStrategy, TableInfo, TableKind,
    TableSample,
};
use sqlx::AssertSqlSafe;

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// The server URL from `var`, or `None` (after saying so) when the test should be skipped.
fn server_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("SHUJIAN_REQUIRE_DB").is_some() => {
            panic!(
                "{var} is not set but SHUJIAN_REQUIRE_DB is: run eval \"$(scripts/db.sh)\" first"
            )
        }
        _ => {
            println!("skipped: {var} not set (run eval \"$(scripts/db.sh)\")");
            None
        }
    }
}

/// A name unique to this test and process.
fn unique(test: &str) -> String {
    format!("shujian_t_{test}_{}", std::process::id())
}

/// The same server URL with another database (our URLs carry no query string).
fn with_database(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("URL with a database");
    format!("{base}/{db}")
}

/// The same server URL with other credentials.
fn with_credentials(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (_, host) = rest.rsplit_once('@').unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn connect(url: &str, opts: &DbOptions) -> Result<BlockingDbSource, DbError> {
    BlockingDbSource::connect(&DbUrl::parse(url)?, opts)
}

fn find<'a>(tables: &'a [TableInfo], name: &str) -> &'a TableInfo {
    tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("table {name} not listed"))
}

/// Samples every table through the concurrent stream; returns successes by name and errors.
fn sample_all(db: &BlockingDbSource, tables: Vec<TableInfo>) -> (Vec<TableSample>, Vec<DbError>) {
    let (mut ok, mut failed) = (Vec::new(), Vec::new());
    for r in db.samples(tables) {
        match r {
            Ok(s) => ok.push(s),
            Err(e) => failed.push(e),
        }
    }
    (ok, failed)
}

/// Generated personal data: a Chinese name, a mobile number, a resident ID with a valid
/// MOD 11-2 check character, an e-mail address.
struct Person {
    name: String,
    mobile: String,
    id_card: String,
    email: String,
}

fn person(i: usize) -> Person {
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强"];
    let body = format!(
        "110101{:04}{:02}{:02}{:03}",
        1960 + i % 40,
        1 + i % 12,
        1 + i % 28,
        i % 1000
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    Person {
        name: format!("{}{}", SURNAMES[i % 8], GIVEN[(i / 8) % 8]),
        mobile: format!("13{}{:08}", 8 + i % 2, 12_345_678 + i * 7919),
        id_card: format!("{body}{check}"),
        email: format!("user{i}@example.com"),
    }
}

const CUSTOMERS: usize = 50;

fn assert_customer_sample(s: &TableSample) {
    assert_eq!(s.strategy, SampleStrategy::Whole);
    assert_eq!(s.rows, CUSTOMERS);
    assert!(s.columns.iter().all(|c| c.len() == CUSTOMERS));
    let names = s.column("姓名").unwrap();
    let mobiles = s.column("mobile").unwrap();
    let ids = s.column("id_card").unwrap();
    for i in 0..CUSTOMERS {
        let p = person(i);
        assert!(names.contains(&Some(p.name.clone())), "{}", p.name);
        assert!(mobiles.contains(&Some(p.mobile.clone())));
        assert!(ids.contains(&Some(p.id_card)));
    }
    let photo = s.column("photo").unwrap();
    let marker = photo.iter().flatten().next().expect("a photo");
    assert!(
        marker.starts_with("[binary 1024 bytes: ffd8ffe0"),
        "binary marker: {marker}"
    );
    assert!(marker.len() < 80, "binary marker stays short: {marker}");
    // A NULL stays a NULL.
    assert!(s.column("email").unwrap().contains(&None));
}

fn photo() -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xe0];
    v.resize(1024, 0x42);
    v
}

fn assert_big_sample(s: &TableSample, expected: &SampleStrategy) {
    assert_eq!(&s.strategy, expected);
    assert_eq!(s.rows, 1000, "the requested number of rows");
    let mut ids: Vec<i64> = s
        .column("id")
        .unwrap()
        .iter()
        .map(|v| v.as_deref().unwrap().parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1000, "no row twice");
    // Spread over the table, not just its head.
    assert!(
        *ids.last().unwrap() > 100_000,
        "max id {}",
        ids.last().unwrap()
    );
    assert!(s.column("phone").unwrap().iter().all(|p| {
        p.as_deref()
            .is_some_and(|p| p.len() == 11 && p.starts_with("138"))
    }));
}

fn assert_secret_absent(e: &DbError, secret: &str) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(secret), "password leaked: {shown}");
}

// ---------------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------------

mod sqlite {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

    fn writable(path: &std::path::Path) -> (tokio::runtime::Runtime, SqlitePool) {
        let rt = runtime();
        let pool = rt
            .block_on(SqlitePool::connect_with(
                SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true),
            ))
            .unwrap();
        (rt, pool)
    }

    fn exec(rt: &tokio::runtime::Runtime, pool: &SqlitePool, sql: &str) {
        rt.block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A database like a MySQL export: tables with `_column_comments`, a big table, a view.
    fn fixture(path: &std::path::Path) -> (tokio::runtime::Runtime, SqlitePool) {
        let (rt, pool) = writable(path);
        exec(
            &rt,
            &pool,
            r#"
            CREATE TABLE "客户" (id INTEGER PRIMARY KEY, "姓名" TEXT NOT NULL, mobile TEXT,
                                 id_card TEXT, email TEXT, photo BLOB);
            CREATE TABLE _column_comments (table_name TEXT, column_name TEXT, column_type TEXT,
                                           column_comment TEXT, table_comment TEXT);
            INSERT INTO _column_comments VALUES
              ('客户', 'id', 'bigint(20)', '', '客户信息表'),
              ('客户', '姓名', 'varchar(32)', '客户姓名', '客户信息表'),
              ('客户', 'mobile', 'varchar(20)', '手机号码', '客户信息表'),
              ('客户', 'id_card', 'char(18)', '身份证号', '客户信息表');
            CREATE TABLE big (id INTEGER PRIMARY KEY, phone TEXT, note TEXT);
            WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 200000)
              INSERT INTO big SELECT i, '138' || substr('00000000' || i, -8, 8), hex(randomblob(8)) FROM g;
            CREATE TABLE pairs (a INTEGER, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
            INSERT INTO pairs VALUES (1, 'x'), (2, 'y');
            CREATE VIEW v_mobile AS SELECT "姓名", mobile FROM "客户";
            CREATE VIEW v_slow AS
              WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)
              SELECT max(x) AS m FROM c;
            "#,
        );
        for i in 0..CUSTOMERS {
            let p = person(i);
            rt.block_on(
                sqlx::query(
                    r#"INSERT INTO "客户" (id, "姓名", mobile, id_card, email, photo) VALUES (?, ?, ?, ?, ?, ?)"#,
                )
                .bind(i as i64 + 1)
                .bind(&p.name)
                .bind(&p.mobile)
                .bind(&p.id_card)
                .bind((i % 5 != 0).then_some(p.email))
                .bind(photo())
                .execute(&pool),
            )
            .unwrap();
        }
        (rt, pool)
    }

    #[test]
    fn catalog_comments_and_samples() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crm.sqlite");
        let _admin = fixture(&path);
        let url = format!("sqlite:{}", path.display());
        let db = connect(&url, &DbOptions::default()).unwrap();
        assert_eq!(db.name(), url);
        let tables = db.list_tables().unwrap();
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["big", "pairs", "客户"],
            "no views, no _column_comments"
        );

        let customer = find(&tables, "客户");
        assert_eq!(customer.schema, None);
        assert_eq!(customer.comment.as_deref(), Some("客户信息表"));
        assert_eq!(customer.primary_key, ["id"]);
        assert_eq!(customer.row_estimate, Some(CUSTOMERS as u64));
        let col = |n: &str| customer.columns.iter().find(|c| c.name == n).unwrap();
        assert_eq!(col("姓名").comment.as_deref(), Some("客户姓名"));
        assert_eq!(
            col("姓名").data_type,
            "varchar(32)",
            "original type from _column_comments"
        );
        assert!(!col("姓名").nullable);
        assert_eq!(col("mobile").comment.as_deref(), Some("手机号码"));
        assert_eq!(col("id").comment, None, "empty comment is none");
        assert_eq!(
            col("photo").data_type,
            "BLOB",
            "declared type without a comment row"
        );
        assert!(col("email").nullable);

        assert_customer_sample(&db.sample(customer).unwrap());
        let pairs = db.sample(find(&tables, "pairs")).unwrap();
        assert_eq!(pairs.rows, 2);
        assert_eq!(find(&tables, "pairs").primary_key, ["a", "b"]);

        let with_views = connect(
            &url,
            &DbOptions {
                include_views: true,
                ..DbOptions::default()
            },
        )
        .unwrap();
        let tables = with_views.list_tables().unwrap();
        let view = find(&tables, "v_mobile");
        assert_eq!(view.kind, TableKind::View);
        assert_eq!(view.row_estimate, None);
        let s = with_views.sample(view).unwrap();
        assert_eq!((s.rows, s.strategy), (CUSTOMERS, SampleStrategy::FirstRows));
    }

    #[test]
    fn large_table_is_sampled_by_rowid_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.db");
        let _admin = fixture(&path);
        let db = connect(path.to_str().unwrap(), &DbOptions::default()).unwrap();
        let tables = db.list_tables().unwrap();
        let big = find(&tables, "big");
        assert_eq!(big.row_estimate, Some(200_000), "max(rowid)");
        let s = db.sample(big).unwrap();
        assert_big_sample(
            &s,
            &SampleStrategy::KeyRange {
                key: "rowid".into(),
                ranges: 10,
            },
        );
        // Reproducible: the same table gives the same sample.
        assert_eq!(db.sample(big).unwrap().columns, s.columns);
    }

    #[test]
    fn errors_per_table_while_others_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("errors.sqlite");
        let (rt, pool) = fixture(&path);
        exec(
            &rt,
            &pool,
            "CREATE TABLE gone (x TEXT); INSERT INTO gone VALUES ('a');",
        );
        let opts = DbOptions {
            include_views: true,
            statement_timeout: Duration::from_secs(1),
            ..DbOptions::default()
        };
        let db = connect(&format!("sqlite://{}", path.display()), &opts).unwrap();
        let tables = db.list_tables().unwrap();
        assert_eq!(tables.len(), 6);
        exec(&rt, &pool, "DROP TABLE gone");
        let started = std::time::Instant::now();
        let (ok, failed) = sample_all(&db, tables);
        assert_eq!(ok.len(), 4, "{failed:?}");
        assert_eq!(failed.len(), 2, "{failed:?}");
        let gone = failed
            .iter()
            .find(|e| e.object.as_deref() == Some("gone"))
            .unwrap();
        assert_eq!(gone.kind, DbErrorKind::TableVanished, "{gone}");
        assert!(
            gone.to_string()
                .contains("table gone: table no longer exists"),
            "{gone}"
        );
        let slow = failed
            .iter()
            .find(|e| e.object.as_deref() == Some("v_slow"))
            .unwrap();
        assert_eq!(slow.kind, DbErrorKind::Timeout, "{slow}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn missing_and_corrupt_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.sqlite");
        let e = connect(
            &format!("sqlite:{}", missing.display()),
            &DbOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind, DbErrorKind::DatabaseNotFound, "{e}");
        assert!(e.to_string().contains("nope.sqlite"), "{e}");
        assert!(!missing.exists(), "read-only: never created");
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
        let e = connect(junk.to_str().unwrap(), &DbOptions::default()).unwrap_err();
        assert_eq!(e.kind, DbErrorKind::DatabaseNotFound, "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// The evaluation schemas (SQLite exports of real MySQL schemas with `_column_comments`)
// ---------------------------------------------------------------------------------------------

#[test]
fn dev_schemas_take_comments_from_column_comments() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/schemas/dev");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .filter_map(|e| std::fs::read_dir(e.path()).ok())
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .sqlite under {}", dir.display());
    let rt = runtime();
    for file in files {
        let db = connect(&format!("sqlite:{}", file.display()), &DbOptions::default()).unwrap();
        let tables = db.list_tables().unwrap();
        // What the file itself says.
        let pool = rt
            .block_on(sqlx::SqlitePool::connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&file)
                    .read_only(true),
            ))
            .unwrap();
        let count: i64 = rt
            .block_on(
                sqlx::query_scalar(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_one(&pool),
            )
            .unwrap();
        assert_eq!(
            tables.len() as i64,
            count - 1,
            "{}: all but _column_comments",
            file.display()
        );
        assert!(tables.iter().all(|t| t.name != "_column_comments"));
        let comments: Vec<(String, String, String)> = rt
            .block_on(
                sqlx::query_as(
                    "SELECT table_name, column_name, column_comment FROM _column_comments
                     WHERE column_comment <> ''",
                )
                .fetch_all(&pool),
            )
            .unwrap();
        assert!(!comments.is_empty(), "{}", file.display());
        for (table, column, comment) in &comments {
            let Some(t) = tables.iter().find(|t| &t.name == table) else {
                continue;
            };
            let c = t.columns.iter().find(|c| &c.name == column);
            if let Some(c) = c {
                assert_eq!(
                    c.comment.as_deref(),
                    Some(comment.as_str()),
                    "{table}.{column}"
                );
            }
        }
        let commented = tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter(|c| c.comment.is_some())
            .count();
        assert!(
            commented * 2 >= comments.len(),
            "{}: {commented} comments",
            file.display()
        );
        let (ok, failed) = sample_all(&db, tables.clone());
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(ok.len(), tables.len());
        rt.block_on(pool.close());
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

mod postgres {
    use super::*;
    use sqlx::postgres::PgPool;

    struct Fixture {
        rt: tokio::runtime::Runtime,
        pool: PgPool,
        schema: String,
        url: String,
    }

    impl Fixture {
        fn exec(&self, sql: &str) {
            self.rt
                .block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(&self.pool))
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }

        fn opts(&self) -> DbOptions {
            DbOptions {
                schemas: vec![self.schema.clone()],
                ..DbOptions::default()
            }
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema);
            let _ = self
                .rt
                .block_on(sqlx::raw_sql(AssertSqlSafe(sql)).execute(&self.pool));
        }
    }

    /// A schema with a commented customer table, optionally a 200k-row table, and a view.
    fn fixture(test: &str, big: bool) -> Option<Fixture> {
        let url = server_url("SHUJIAN_TEST_PG_URL")?;
        let rt = runtime();
        let pool = rt
            .block_on(PgPool::connect(&url))
            .expect("admin connection");
        let schema = unique(test);
        let f = Fixture {
            rt,
            pool,
            schema: schema.clone(),
            url,
        };
        let s = &schema;
        f.exec(&format!(
            r#"DROP SCHEMA IF EXISTS {s} CASCADE;
            CREATE SCHEMA {s};
            CREATE TABLE {s}."客户" (id bigint PRIMARY KEY, "姓名" text NOT NULL,
                mobile varchar(20), id_card char(18), email text, photo bytea, created date);
            COMMENT ON TABLE {s}."客户" IS '客户信息表';
            COMMENT ON COLUMN {s}."客户"."姓名" IS '客户姓名';
            COMMENT ON COLUMN {s}."客户".mobile IS '手机号码';
            COMMENT ON COLUMN {s}."客户".id_card IS '身份证号';
            CREATE VIEW {s}.v_mobile AS SELECT "姓名", mobile FROM {s}."客户";
            COMMENT ON VIEW {s}.v_mobile IS '手机号视图';"#
        ));
        for i in 0..CUSTOMERS {
            let p = person(i);
            let sql = format!(
                r#"INSERT INTO {s}."客户" (id, "姓名", mobile, id_card, email, photo, created)
                   VALUES ($1, $2, $3, $4, $5, $6, DATE '2024-01-01' + $1::int)"#
            );
            f.rt.block_on(
                sqlx::query(AssertSqlSafe(sql))
                    .bind(i as i64 + 1)
                    .bind(&p.name)
                    .bind(&p.mobile)
                    .bind(&p.id_card)
                    .bind((i % 5 != 0).then_some(p.email))
                    .bind(photo())
                    .execute(&f.pool),
            )
            .unwrap();
        }
        if big {
            f.exec(&format!(
                "CREATE TABLE {s}.big (id bigint PRIMARY KEY, phone text, note text);
                 INSERT INTO {s}.big SELECT g, '138' || lpad(g::text, 8, '0'), md5(g::text)
                   FROM generate_series(1, 200000) g;"
            ));
        }
        f.exec(&format!(
            "ANALYZE {s}.\"客户\"; {}",
            if big {
                format!("ANALYZE {s}.big;")
            } else {
                String::new()
            }
        ));
        Some(f)
    }

    #[test]
    fn catalog_comments_and_samples() {
        let Some(f) = fixture("pg_catalog", false) else {
            return;
        };
        let db = connect(&f.url, &f.opts()).unwrap();
        assert!(!db.name().contains("shujian-test-only"), "{}", db.name());
        let tables = db.list_tables().unwrap();
        assert_eq!(tables.len(), 1, "views only when asked: {tables:?}");
        let t = find(&tables, "客户");
        assert_eq!(t.schema.as_deref(), Some(f.schema.as_str()));
        assert_eq!(t.comment.as_deref(), Some("客户信息表"));
        assert_eq!(t.row_estimate, Some(CUSTOMERS as u64));
        assert_eq!(t.primary_key, ["id"]);
        let cols: Vec<(&str, &str, Option<&str>, bool)> = t
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.data_type.as_str(),
                    c.comment.as_deref(),
                    c.nullable,
                )
            })
            .collect();
        assert_eq!(
            cols,
            [
                ("id", "bigint", None, false),
                ("姓名", "text", Some("客户姓名"), false),
                ("mobile", "character varying(20)", Some("手机号码"), true),
                ("id_card", "character(18)", Some("身份证号"), true),
                ("email", "text", None, true),
                ("photo", "bytea", None, true),
                ("created", "date", None, true),
            ]
        );
        let s = db.sample(t).unwrap();
        assert_customer_sample(&s);
        assert!(
            s.column("created")
                .unwrap()
                .contains(&Some("2024-01-02".into()))
        );

        let db = connect(
            &f.url,
            &DbOptions {
                include_views: true,
                ..f.opts()
            },
        )
        .unwrap();
        let tables = db.list_tables().unwrap();
        let v = find(&tables, "v_mobile");
        assert_eq!(
            (v.kind, v.comment.as_deref()),
            (TableKind::View, Some("手机号视图"))
        );
        let s = db.sample(v).unwrap();
        assert_eq!((s.rows, s.strategy), (CUSTOMERS, SampleStrategy::FirstRows));
    }

    #[test]
    fn large_table_is_sampled_by_tablesample() {
        let Some(f) = fixture("pg_large", true) else {
            return;
        };
        let db = connect(&f.url, &f.opts()).unwrap();
        let tables = db.list_tables().unwrap();
        let big = find(&tables, "big");
        let estimate = big.row_estimate.unwrap();
        assert!(
            (180_000..=220_000).contains(&estimate),
            "estimate {estimate}"
        );
        let s = db.sample(big).unwrap();
        let SampleStrategy::TableSample { percent } = s.strategy else {
            panic!("strategy {:?}", s.strategy);
        };
        assert!(percent > 1.0 && percent < 6.5, "percent {percent}");
        assert_big_sample(&s, &SampleStrategy::TableSample { percent });
    }

    #[test]
    fn errors_per_table_while_others_succeed() {
        let Some(f) = fixture("pg_errors", true) else {
            return;
        };
        let s = &f.schema;
        f.exec(&format!(
            "CREATE TABLE {s}.gone (x text); INSERT INTO {s}.gone VALUES ('a');
             CREATE VIEW {s}.v_slow AS SELECT pg_sleep(5)::text AS z;"
        ));
        let opts = DbOptions {
            include_views: true,
            statement_timeout: Duration::from_secs(1),
            ..f.opts()
        };
        let db = connect(&f.url, &opts).unwrap();
        let tables = db.list_tables().unwrap();
        assert_eq!(tables.len(), 5);
        f.exec(&format!("DROP TABLE {s}.gone"));
        let (ok, failed) = sample_all(&db, tables.clone());
        assert_eq!(ok.len(), 3, "{failed:?}");
        let object = |name: &str| Some(format!("{s}.{name}"));
        let gone = failed.iter().find(|e| e.object == object("gone")).unwrap();
        assert_eq!(gone.kind, DbErrorKind::TableVanished, "{gone}");
        let slow = failed
            .iter()
            .find(|e| e.object == object("v_slow"))
            .unwrap();
        assert_eq!(slow.kind, DbErrorKind::Timeout, "{slow}");
        assert!(slow.detail.contains("statement timeout"), "{slow}");

        // The per-table budget, shorter than the statement timeout.
        let budget = connect(
            &f.url,
            &DbOptions {
                table_budget: Duration::from_millis(500),
                statement_timeout: Duration::from_secs(20),
                ..opts.clone()
            },
        )
        .unwrap();
        let e = budget.sample(find(&tables, "v_slow")).unwrap_err();
        assert_eq!(e.kind, DbErrorKind::Timeout, "{e}");
        assert!(e.detail.contains("budget"), "{e}");

        // A second role that may read 客户 but not big.
        let role = unique("pg_reader");
        let password = "reader-Secret-42";
        f.exec(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD '{password}';
             GRANT USAGE ON SCHEMA {s} TO {role}; GRANT SELECT ON {s}.\"客户\" TO {role};"
        ));
        let reader_url = with_credentials(&f.url, &role, password);
        let reader = connect(&reader_url, &f.opts()).unwrap();
        let tables = reader.list_tables().unwrap();
        let (ok, failed) = sample_all(&reader, tables);
        assert_eq!(ok.len(), 1, "{failed:?}");
        assert_eq!(ok[0].table.name, "客户");
        assert_eq!(failed.len(), 1);
        assert_eq!(
            failed[0].kind,
            DbErrorKind::PermissionDenied,
            "{}",
            failed[0]
        );
        assert_eq!(failed[0].object, object("big"));
        assert_secret_absent(&failed[0], password);
        drop(reader);
        f.exec(&format!(
            "REVOKE ALL ON {s}.\"客户\" FROM {role}; REVOKE USAGE ON SCHEMA {s} FROM {role};
             DROP ROLE {role};"
        ));
    }

    #[test]
    fn connection_errors_name_the_cause_never_the_password() {
        let Some(url) = server_url("SHUJIAN_TEST_PG_URL") else {
            return;
        };
        let secret = "Wrong-Secret-9731";
        let bad = with_credentials(&url, "shujian_test", secret);
        let e = connect(&bad, &DbOptions::default()).unwrap_err();
        assert_eq!(e.kind, DbErrorKind::AuthenticationFailed, "{e}");
        assert!(e.to_string().contains("password from the URL"), "{e}");
        assert_secret_absent(&e, secret);

        let refused = format!("postgres://shujian_test:{secret}@127.0.0.1:1/x");
        let e = connect(&refused, &DbOptions::default()).unwrap_err();
        assert_eq!(e.kind, DbErrorKind::ConnectionRefused, "{e}");
        assert!(
            e.to_string()
                .starts_with("postgres://shujian_test@127.0.0.1:1/x: "),
            "{e}"
        );
        assert_secret_absent(&e, secret);

        let e = connect(
            &with_database(&url, "no_such_db_here"),
            &DbOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind, DbErrorKind::DatabaseNotFound, "{e}");

        // TLS: the Debian cluster serves a self-signed certificate.
        let rt = runtime();
        let pool = rt.block_on(PgPool::connect(&url)).unwrap();
        let ssl: String = rt
            .block_on(sqlx::query_scalar("SHOW ssl").fetch_one(&pool))
            .unwrap();
        if ssl != "on" {
            println!("skipped TLS part: the server has ssl = {ssl}");
            return;
        }
        let require = connect(&format!("{url}?sslmode=require"), &DbOptions::default());
        assert!(require.is_ok(), "{:?}", require.err());
        let e = connect(&format!("{url}?sslmode=verify-full"), &DbOptions::default()).unwrap_err();
        assert_eq!(e.kind, DbErrorKind::Tls, "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// MariaDB (MySQL protocol)
// ---------------------------------------------------------------------------------------------

mod mysql {
    use super::*;
    use sqlx::mysql::MySqlPool;

    struct Fixture {
        rt: tokio::runtime::Runtime,
        pool: MySqlPool,
        database: String,
        /// URL of the test's own database.
        url: String,
        server: String,
    }

    impl Fixture {
        fn exec(&self, sql: &str) {
            self.rt
                .block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(&self.pool))
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let sql = format!("DROP DATABASE IF EXISTS {}", self.database);
            let _ = self
                .rt
                .block_on(sqlx::raw_sql(AssertSqlSafe(sql)).execute(&self.pool));
        }
    }

    fn fixture(test: &str, big: bool) -> Option<Fixture> {
        let server = server_url("SHUJIAN_TEST_MYSQL_URL")?;
        let rt = runtime();
        let pool = rt
            .block_on(MySqlPool::connect(&server))
            .expect("admin connection");
        let database = unique(test);
        let f = Fixture {
            rt,
            pool,
            url: with_database(&server, &database),
            database: database.clone(),
            server,
        };
        let d = &database;
        f.exec(&format!(
            "DROP DATABASE IF EXISTS {d};
             CREATE DATABASE {d} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
             CREATE TABLE {d}.`客户` (
               id BIGINT PRIMARY KEY,
               `姓名` VARCHAR(32) NOT NULL COMMENT '客户姓名',
               mobile VARCHAR(20) COMMENT '手机号码',
               id_card CHAR(18) COMMENT '身份证号',
               email VARCHAR(64),
               photo BLOB
             ) COMMENT = '客户信息表';
             CREATE VIEW {d}.v_mobile AS SELECT `姓名`, mobile FROM {d}.`客户`;"
        ));
        for i in 0..CUSTOMERS {
            let p = person(i);
            let sql = format!(
                "INSERT INTO {d}.`客户` (id, `姓名`, mobile, id_card, email, photo) VALUES (?, ?, ?, ?, ?, ?)"
            );
            f.rt.block_on(
                sqlx::query(AssertSqlSafe(sql))
                    .bind(i as i64 + 1)
                    .bind(&p.name)
                    .bind(&p.mobile)
                    .bind(&p.id_card)
                    .bind((i % 5 != 0).then_some(p.email))
                    .bind(photo())
                    .execute(&f.pool),
            )
            .unwrap();
        }
        if big {
            f.exec(&format!(
                "CREATE TABLE {d}.big (id INT UNSIGNED PRIMARY KEY, phone VARCHAR(11), note CHAR(32));
                 INSERT INTO {d}.big SELECT seq, CONCAT('138', LPAD(seq, 8, '0')), MD5(seq)
                   FROM seq_1_to_200000;
                 ANALYZE TABLE {d}.big;"
            ));
        }
        f.exec(&format!("ANALYZE TABLE {d}.`客户`;"));
        Some(f)
    }

    #[test]
    fn catalog_comments_and_samples() {
        let Some(f) = fixture("my_catalog", false) else {
            return;
        };
        let db = connect(&f.url, &DbOptions::default()).unwrap();
        let tables = db.list_tables().unwrap();
        assert_eq!(
            tables.len(),
            1,
            "only the URL's database, no views: {tables:?}"
        );
        let t = find(&tables, "客户");
        assert_eq!(t.schema.as_deref(), Some(f.database.as_str()));
        assert_eq!(t.comment.as_deref(), Some("客户信息表"));
        assert_eq!(t.primary_key, ["id"]);
        let estimate = t.row_estimate.unwrap();
        assert!((25..=100).contains(&estimate), "InnoDB estimate {estimate}");
        let cols: Vec<(&str, &str, Option<&str>, bool)> = t
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.data_type.as_str(),
                    c.comment.as_deref(),
                    c.nullable,
                )
            })
            .collect();
        assert_eq!(
            cols,
            [
                ("id", "bigint(20)", None, false),
                ("姓名", "varchar(32)", Some("客户姓名"), false),
                ("mobile", "varchar(20)", Some("手机号码"), true),
                ("id_card", "char(18)", Some("身份证号"), true),
                ("email", "varchar(64)", None, true),
                ("photo", "blob", None, true),
            ]
        );
        assert_customer_sample(&db.sample(t).unwrap());

        // Naming databases explicitly, views included, from a URL without a database.
        let db = connect(
            &f.server,
            &DbOptions {
                schemas: vec![f.database.clone()],
                include_views: true,
                ..DbOptions::default()
            },
        )
        .unwrap();
        let tables = db.list_tables().unwrap();
        let v = find(&tables, "v_mobile");
        assert_eq!((v.kind, v.comment.as_deref()), (TableKind::View, None));
        let s = db.sample(v).unwrap();
        assert_eq!((s.rows, s.strategy), (CUSTOMERS, SampleStrategy::FirstRows));
    }

    #[test]
    fn large_table_is_sampled_by_key_ranges() {
        let Some(f) = fixture("my_large", true) else {
            return;
        };
        let db = connect(&f.url, &DbOptions::default()).unwrap();
        let tables = db.list_tables().unwrap();
        let big = find(&tables, "big");
        let estimate = big.row_estimate.unwrap();
        assert!(
            (100_000..=300_000).contains(&estimate),
            "InnoDB estimate {estimate}"
        );
        let s = db.sample(big).unwrap();
        assert_big_sample(
            &s,
            &SampleStrategy::KeyRange {
                key: "id".into(),
                ranges: 10,
            },
        );
    }

    #[test]
    fn errors_per_table_while_others_succeed() {
        let Some(f) = fixture("my_errors", true) else {
            return;
        };
        let d = &f.database;
        f.exec(&format!(
            "CREATE TABLE {d}.gone (x TEXT); INSERT INTO {d}.gone VALUES ('a');
             CREATE VIEW {d}.v_slow AS SELECT SLEEP(5) AS z;"
        ));
        let opts = DbOptions {
            include_views: true,
            statement_timeout: Duration::from_secs(1),
            ..DbOptions::default()
        };
        let db = connect(&f.url, &opts).unwrap();
        let tables = db.list_tables().unwrap();
        assert_eq!(tables.len(), 5);
        f.exec(&format!("DROP TABLE {d}.gone"));
        let started = std::time::Instant::now();
        let (ok, failed) = sample_all(&db, tables);
        assert_eq!(ok.len(), 3, "{failed:?}");
        let object = |name: &str| Some(format!("{d}.{name}"));
        let gone = failed.iter().find(|e| e.object == object("gone")).unwrap();
        assert_eq!(gone.kind, DbErrorKind::TableVanished, "{gone}");
        let slow = failed
            .iter()
            .find(|e| e.object == object("v_slow"))
            .unwrap();
        assert_eq!(slow.kind, DbErrorKind::Timeout, "{slow}");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );

        // A second user that may read 客户, and only insert into big (so big is listed).
        let user = unique("my_reader");
        let password = "reader-Secret-42";
        f.exec(&format!(
            "DROP USER IF EXISTS '{user}'@'%'; CREATE USER '{user}'@'%' IDENTIFIED BY '{password}';
             GRANT SELECT ON {d}.`客户` TO '{user}'@'%'; GRANT INSERT ON {d}.big TO '{user}'@'%';"
        ));
        let reader = connect(
            &with_credentials(&f.url, &user, password),
            &DbOptions::default(),
        )
        .unwrap();
        let tables = reader.list_tables().unwrap();
        assert_eq!(tables.len(), 2, "{tables:?}");
        let (ok, failed) = sample_all(&reader, tables);
        assert_eq!(ok.len(), 1, "{failed:?}");
        assert_eq!(
            failed[0].kind,
            DbErrorKind::PermissionDenied,
            "{}",
            failed[0]
        );
        assert_eq!(failed[0].object, object("big"));
        assert_secret_absent(&failed[0], password);
        drop(reader);
        f.exec(&format!("DROP USER '{user}'@'%'"));
    }

    #[test]
    fn connection_errors_name_the_cause_never_the_password() {
        let Some(url) = server_url("SHUJIAN_TEST_MYSQL_URL") else {
            return;
        };
        let secret = "Wrong-Secret-9731";
        let e = connect(
            &with_credentials(&url, "shujian_test", secret),
            &DbOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind, DbErrorKind::AuthenticationFailed, "{e}");
        assert_secret_absent(&e, secret);

        let e = connect(
            &format!("mariadb://shujian_test:{secret}@127.0.0.1:1/x"),
            &DbOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind, DbErrorKind::ConnectionRefused, "{e}");
        assert!(
            e.to_string()
                .starts_with("mysql://shujian_test@127.0.0.1:1/x: "),
            "{e}"
        );
        assert_secret_absent(&e, secret);

        let e = connect(
            &with_database(&url, "no_such_db_here"),
            &DbOptions::default(),
        )
        .unwrap_err();
        assert!(
            matches!(
                e.kind,
                DbErrorKind::DatabaseNotFound | DbErrorKind::PermissionDenied
            ),
            "{e}"
        );
    }
}
