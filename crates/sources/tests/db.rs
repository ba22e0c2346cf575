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

#[path = "db/common.rs"]
mod common;
#[path = "db/dev_schemas.rs"]
mod dev_schemas;
#[path = "db/mysql.rs"]
mod mysql;
#[path = "db/postgres.rs"]
mod postgres;
#[path = "db/sqlite.rs"]
mod sqlite;
