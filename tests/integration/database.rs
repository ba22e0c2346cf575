//! `shujian scan` on databases: SQLite (always), PostgreSQL and MariaDB (started by
//! `scripts/db.sh`, which prints `SHUJIAN_TEST_PG_URL` / `SHUJIAN_TEST_MYSQL_URL`; without them
//! these tests say they are skipped, and fail instead when `SHUJIAN_REQUIRE_DB` is set, as
//! `scripts/test.sh` does). Each test creates its own schema with Chinese comments and
//! generated personal data, scans it, and checks labels, grades and counts.

use std::process::Command;

use serde_json::Value;

use crate::common::run;

const ROWS: usize = 120;

/// A resident ID with a correct MOD 11-2 check character (GB 11643, spec §10.1).
fn resident_id(i: usize) -> String {
    let body = format!(
        "110105{:04}{:02}{:02}{:03}",
        1960 + i % 40,
        1 + i % 12,
        1 + i % 28,
        i % 1000
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn person(i: usize) -> (String, String, String, String) {
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳"];
    let name = format!(
        "{}{}{}",
        SURNAMES[i % 8],
        GIVEN[(i / 8) % 8],
        GIVEN[(i / 3) % 8]
    );
    let phone = format!("138{:08}", 10_000_000 + i * 7919 % 89_999_999);
    let addr = format!(
        "北京市朝阳区建国路{}号{}单元{}室",
        1 + i % 300,
        1 + i % 6,
        101 + i % 20
    );
    (name, resident_id(i), phone, addr)
}

/// The statements creating the test tables (comments added per engine).
fn inserts(table: &str) -> Vec<String> {
    (0..ROWS)
        .map(|i| {
            let (n, id, p, a) = person(i);
            format!(
                "INSERT INTO {table} (id, xm, sfzh, sjhm, jtzz, bm) VALUES ({}, '{n}', '{id}', '{p}', '{a}', '{}')",
                i + 1,
                ["财务部", "研发部", "人事部"][i % 3]
            )
        })
        .collect()
}

const EXPECTED: [(&str, &str); 6] = [
    ("id", "NONE"),
    ("xm", "PERSON_NAME"),
    ("sfzh", "CN_RESIDENT_ID"),
    ("sjhm", "PHONE"),
    ("jtzz", "ADDRESS"),
    ("bm", "NONE"),
];

fn scan(target: &str, extra: &[&str]) -> (Vec<Value>, i32, String) {
    let mut args = vec!["scan", "-q", "-f", "ndjson"];
    args.extend_from_slice(extra);
    args.push(target);
    let out = run(&args);
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        records,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn of_type<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == kind).collect()
}

/// Checks labels, grades and counts of a scan of the employee and config tables.
fn check_scan(records: &[Value], employee: &str, config: &str) {
    let columns = of_type(records, "column");
    for (column, label) in EXPECTED {
        let c = columns
            .iter()
            .find(|c| c["table"] == employee && c["column"] == column)
            .unwrap_or_else(|| panic!("no column {employee}.{column} in {columns:#?}"));
        assert_eq!(c["label"], label, "{employee}.{column}: {c:#}");
        assert_eq!(c["non_empty"], ROWS as u64, "{c}");
    }
    let sfzh = columns
        .iter()
        .find(|c| c["table"] == employee && c["column"] == "sfzh")
        .unwrap();
    assert_eq!(sfzh["classification"]["spi"], true, "{sfzh:#}");
    assert!(sfzh["examples"][0].as_str().unwrap().contains('*'));
    let assets = of_type(records, "asset");
    let emp = assets.iter().find(|a| a["table"] == employee).unwrap();
    assert_eq!(emp["pi"], true);
    assert_eq!(emp["spi"], true);
    assert_eq!(emp["grade"], "general-4", "{emp:#}");
    let persons = emp["persons"]["persons"].as_u64().unwrap();
    assert!(
        (ROWS as u64 * 9 / 10..=ROWS as u64 * 11 / 10).contains(&persons),
        "{emp:#}"
    );
    let conf = assets.iter().find(|a| a["table"] == config).unwrap();
    assert_eq!(conf["pi"], false, "{conf:#}");
    let summary = of_type(records, "summary")[0];
    assert_eq!(summary["tables"], 2, "{summary}");
    assert_eq!(summary["columns"], 8, "{summary}");
    assert_eq!(summary["pi_columns"], 4, "{summary}");
}

#[test]
fn sqlite_tables_are_labelled_graded_and_rescanned_incrementally() {
    let t = tempfile::tempdir().unwrap();
    let db = t.path().join("hr.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE employee (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, sjhm TEXT, jtzz TEXT, bm TEXT);
         CREATE TABLE config (config_key TEXT, config_value TEXT);
         INSERT INTO config VALUES ('sys.theme', 'dark'), ('sys.lang', 'zh');
         CREATE TABLE _column_comments (table_name TEXT, column_name TEXT, column_type TEXT, column_comment TEXT, table_comment TEXT);
         INSERT INTO _column_comments VALUES
           ('employee','xm','varchar(30)','姓名','员工信息表'),
           ('employee','sfzh','varchar(18)','身份证号码','员工信息表'),
           ('employee','sjhm','varchar(11)','手机号码','员工信息表'),
           ('employee','jtzz','varchar(200)','家庭住址','员工信息表'),
           ('employee','bm','varchar(30)','部门','员工信息表');",
    )
    .unwrap();
    for s in inserts("employee") {
        conn.execute(&s, []).unwrap();
    }
    drop(conn);
    let target = format!("sqlite:{}", db.display());
    let state = t.path().join("state.json");
    let state_arg = state.to_str().unwrap();
    let (records, code, err) = scan(&target, &["--state", state_arg]);
    assert_eq!(code, 1, "PI found: exit 1; stderr {err}");
    check_scan(&records, "employee", "config");
    // The state holds names and counts, never values.
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(!saved.contains(&resident_id(0)) && saved.contains("employee"));

    // Nothing changed: nothing is rescanned, and the output says so.
    let (records, _, _) = scan(&target, &["--state", state_arg]);
    assert!(of_type(&records, "column").is_empty());
    assert_eq!(of_type(&records, "summary")[0]["tables_unchanged"], 2);
    // `--full` rescans.
    let (records, _, _) = scan(&target, &["--state", state_arg, "--full"]);
    check_scan(&records, "employee", "config");

    // A changed table is rescanned, the unchanged one is not.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("ALTER TABLE config ADD COLUMN note TEXT", [])
        .unwrap();
    drop(conn);
    let (records, _, _) = scan(&target, &["--state", state_arg]);
    let tables: Vec<&Value> = of_type(&records, "asset")
        .iter()
        .map(|a| &a["table"])
        .collect();
    assert_eq!(tables, vec!["config"]);
}

#[test]
fn unreachable_databases_are_reported_without_their_password() {
    let t = tempfile::tempdir().unwrap();
    let state = t.path().join("s.json");
    let (records, code, err) = scan(
        "postgres://someone:Secret-pw-42@127.0.0.1:1/nothing",
        &[
            "--state",
            state.to_str().unwrap(),
            "--statement-timeout",
            "5",
        ],
    );
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("127.0.0.1:1") && err.to_lowercase().contains("refused"),
        "{err}"
    );
    let all = format!("{err}{records:?}");
    assert!(!all.contains("Secret-pw-42"), "password leaked: {all}");
    assert_eq!(of_type(&records, "error").len(), 1);

    let missing = t.path().join("none.sqlite");
    let (_, code, err) = scan(
        &format!("sqlite:{}", missing.display()),
        &["--state", state.to_str().unwrap()],
    );
    assert_eq!(code, 3);
    assert!(err.contains("none.sqlite"), "{err}");
}

/// The server URL from the environment, or `None` (skipped, said so) — unless the suite
/// requires the servers.
fn server_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var_os("SHUJIAN_REQUIRE_DB").is_some() => {
            panic!("{var} is not set but SHUJIAN_REQUIRE_DB is: run eval \"$(scripts/db.sh)\"")
        }
        _ => {
            eprintln!("skipped: {var} not set (run eval \"$(scripts/db.sh)\")");
            None
        }
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}_{}_{nanos}", std::process::id())
}

fn sh(cmd: &mut Command, input: &str) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the database client");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn postgresql_tables_are_labelled_and_graded() {
    let Some(url) = server_url("SHUJIAN_TEST_PG_URL") else {
        return;
    };
    let schema = unique("it_scan");
    let mut sql = format!(
        "SET client_encoding = 'UTF8';
         CREATE SCHEMA {schema};
         CREATE TABLE {schema}.employee (id int PRIMARY KEY, xm varchar(30), sfzh varchar(18), sjhm varchar(11), jtzz varchar(200), bm varchar(30));
         COMMENT ON TABLE {schema}.employee IS '员工信息表';
         COMMENT ON COLUMN {schema}.employee.xm IS '姓名';
         COMMENT ON COLUMN {schema}.employee.sfzh IS '身份证号码';
         COMMENT ON COLUMN {schema}.employee.sjhm IS '手机号码';
         COMMENT ON COLUMN {schema}.employee.jtzz IS '家庭住址';
         COMMENT ON COLUMN {schema}.employee.bm IS '部门';
         CREATE TABLE {schema}.config (config_key varchar(50), config_value varchar(50));
         INSERT INTO {schema}.config VALUES ('sys.theme', 'dark');
"
    );
    for s in inserts(&format!("{schema}.employee")) {
        sql.push_str(&s);
        sql.push_str(";\n");
    }
    sql.push_str(&format!("ANALYZE {schema}.employee;\n"));
    sh(
        Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", &url]),
        &sql,
    );
    let t = tempfile::tempdir().unwrap();
    let state = t.path().join("s.json");
    let (records, code, err) = scan(
        &url,
        &[
            "--schema",
            &schema,
            "--state",
            state.to_str().unwrap(),
            "--tls",
            "disable",
        ],
    );
    sh(
        Command::new("psql").args(["-q", &url]),
        &format!("DROP SCHEMA {schema} CASCADE;"),
    );
    assert_eq!(code, 1, "{err}");
    check_scan(
        &records,
        &format!("{schema}.employee"),
        &format!("{schema}.config"),
    );
}

#[test]
fn mariadb_tables_are_labelled_and_graded() {
    let Some(url) = server_url("SHUJIAN_TEST_MYSQL_URL") else {
        return;
    };
    // mysql://user:password@host:port/db
    let rest = url.strip_prefix("mysql://").expect("a mysql:// URL");
    let (auth, hostpart) = rest.split_once('@').unwrap();
    let (user, password) = auth.split_once(':').unwrap();
    let (hostport, _) = hostpart.split_once('/').unwrap();
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
    let db = unique("it_scan");
    let client = || {
        let mut c = Command::new("mariadb");
        c.args([
            "-h",
            host,
            "-P",
            port,
            "-u",
            user,
            "--default-character-set=utf8mb4",
        ])
        .env("MYSQL_PWD", password);
        c
    };
    let mut sql = format!(
        "CREATE DATABASE {db} CHARACTER SET utf8mb4;
         USE {db};
         CREATE TABLE employee (id int PRIMARY KEY, xm varchar(30) COMMENT '姓名', sfzh varchar(18) COMMENT '身份证号码',
           sjhm varchar(11) COMMENT '手机号码', jtzz varchar(200) COMMENT '家庭住址', bm varchar(30) COMMENT '部门') COMMENT='员工信息表';
         CREATE TABLE config (config_key varchar(50), config_value varchar(50));
         INSERT INTO config VALUES ('sys.theme', 'dark');
"
    );
    for s in inserts("employee") {
        sql.push_str(&s);
        sql.push_str(";\n");
    }
    sql.push_str("ANALYZE TABLE employee;\n");
    sh(&mut client(), &sql);
    let target = format!("mysql://{user}:{password}@{host}:{port}/{db}");
    let t = tempfile::tempdir().unwrap();
    let state = t.path().join("s.json");
    let (records, code, err) = scan(
        &target,
        &["--state", state.to_str().unwrap(), "--tls", "disable"],
    );
    // TLS (scripts/db.sh gives the server a self-signed certificate): required encryption
    // works, verifying that certificate fails with a TLS error naming the database.
    let (tls_records, tls_code, tls_err) = scan(
        &target,
        &[
            "--state",
            state.to_str().unwrap(),
            "--full",
            "--tls",
            "require",
        ],
    );
    let (_, verify_code, verify_err) = scan(
        &target,
        &[
            "--state",
            state.to_str().unwrap(),
            "--full",
            "--tls",
            "verify-full",
        ],
    );
    sh(&mut client(), &format!("DROP DATABASE {db};"));
    assert_eq!(tls_code, 1, "{tls_err}");
    assert_eq!(of_type(&tls_records, "asset").len(), 2);
    assert_eq!(verify_code, 3);
    assert!(
        verify_err.contains("TLS") && verify_err.contains(&db),
        "{verify_err}"
    );
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains(password) || password.is_empty());
    check_scan(&records, &format!("{db}.employee"), &format!("{db}.config"));
}
