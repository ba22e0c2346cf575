//! SQLite: a temporary file per test, no server needed.

use std::time::Duration;

use shujian_sources::db::{DbErrorKind, DbOptions, SampleStrategy, TableKind};
use sqlx::AssertSqlSafe;

use crate::common::*;
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
