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

/// Runs `shujian` with arguments, feeding `stdin` to its standard input.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = shujian()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start shujian");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The child may exit before reading everything; that is its business.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("run shujian");
    let _ = writer.join();
    out
}
