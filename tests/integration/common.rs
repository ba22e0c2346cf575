//! Helpers shared by the black-box tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `shujian` binary built by cargo for these tests.
pub fn shujian() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shujian"))
}

/// Runs `shujian` with arguments and returns its output.
pub fn run(args: &[&str]) -> Output {
    shujian().args(args).output().expect("run shujian")
}

/// `../shared/eval` if it exists (it is not part of the project; tests using it skip when
/// it is absent and say so).
pub fn shared_eval() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/eval is absent; this test needs the shared evaluation data");
        None
    }
}
