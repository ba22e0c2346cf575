//! PostgreSQL 15 (`SHUJIAN_TEST_PG_URL`): one schema per test.

use std::time::Duration;

use shujian_sources::db::{DbErrorKind, DbOptions, SampleStrategy, TableKind};
use sqlx::AssertSqlSafe;

use crate::common::*;
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
fn sessions_are_read_only() {
    let Some(f) = fixture("pg_read_only", false) else {
        return;
    };
    let s = &f.schema;
    // A view whose every read tries to write.
    f.exec(&format!(
        "CREATE TABLE {s}.audit (x int);
         CREATE FUNCTION {s}.write_audit() RETURNS int LANGUAGE sql VOLATILE
           AS 'INSERT INTO {s}.audit VALUES (1) RETURNING 1';
         CREATE VIEW {s}.v_write AS SELECT {s}.write_audit() AS x;"
    ));
    let opts = DbOptions {
        include_views: true,
        ..f.opts()
    };
    let db = connect(&f.url, &opts).unwrap();
    let tables = db.list_tables().unwrap();
    let e = db.sample(find(&tables, "v_write")).unwrap_err();
    assert!(e.detail.contains("read-only transaction"), "{e}");
    let written: i64 =
        f.rt.block_on(
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {s}.audit")))
                .fetch_one(&f.pool),
        )
        .unwrap();
    assert_eq!(written, 0);
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
