//! MariaDB 10.11 (`SHUJIAN_TEST_MYSQL_URL`, MySQL protocol): one database per test.

use std::time::Duration;

use shujian_sources::db::{DbErrorKind, DbOptions, SampleStrategy, TableKind};
use sqlx::AssertSqlSafe;

use crate::common::*;
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
fn sessions_are_read_only() {
    let Some(f) = fixture("my_read_only", false) else {
        return;
    };
    let d = &f.database;
    // A view whose every read tries to write.
    f.exec(&format!("CREATE TABLE {d}.audit (x INT)"));
    f.exec(&format!(
        "CREATE FUNCTION {d}.write_audit() RETURNS INT MODIFIES SQL DATA
         BEGIN INSERT INTO {d}.audit VALUES (1); RETURN 1; END"
    ));
    f.exec(&format!(
        "CREATE VIEW {d}.v_write AS SELECT {d}.write_audit() AS x"
    ));
    let opts = DbOptions {
        include_views: true,
        ..DbOptions::default()
    };
    let db = connect(&f.url, &opts).unwrap();
    let tables = db.list_tables().unwrap();
    let e = db.sample(find(&tables, "v_write")).unwrap_err();
    assert!(e.detail.to_ascii_lowercase().contains("read only"), "{e}");
    let written: i64 =
        f.rt.block_on(
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {d}.audit")))
                .fetch_one(&f.pool),
        )
        .unwrap();
    assert_eq!(written, 0);
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
