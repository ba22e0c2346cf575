#!/usr/bin/env bash
# The whole test suite of shujian: formatting, lints, unit, property, integration and doc tests.
# Run from anywhere; it needs only the Rust toolchain (later issues add database servers, which
# this script will install and start). `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> cargo test (unit, property, integration, doc)"
cargo test --workspace --locked
