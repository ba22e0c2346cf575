#!/usr/bin/env bash
# The whole test suite of shujian: formatting, lints, unit, property, integration and doc tests,
# against real database servers. Run from anywhere on a Debian machine with the Rust toolchain,
# as root: it installs and starts PostgreSQL 15 and MariaDB 10.11 through scripts/db.sh (apt-get,
# only when missing). `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> database servers (scripts/db.sh)"
eval "$(scripts/db.sh)"
# The database tests fail, rather than skip, when a server is missing.
export SHUJIAN_REQUIRE_DB=1

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> cargo test (unit, property, integration, doc)"
cargo test --workspace --locked
