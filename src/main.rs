//! `shujian` (数鉴): find, classify and grade personal and important data.
//!
//! The binary only wires the crates together: argument parsing, I/O, threads and output.

mod cli;
mod eval;
mod scan;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shujian: error: {e:#}");
            ExitCode::from(cli::EXIT_ERROR)
        }
    }
}
