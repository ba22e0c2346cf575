//! Command-line interface: one module per subcommand.

pub mod detectors;
pub mod dev;
pub mod engine_args;
pub mod eval;
pub mod scan;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: the command ran and found nothing to report (or, for `eval`, met its targets).
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: `scan` found sensitive data.
pub const EXIT_FOUND: u8 = 1;
/// Exit code: usage, configuration or fatal I/O error.
pub const EXIT_ERROR: u8 = 2;
/// Exit code: `scan` finished, but some inputs could not be read (and may also have found data).
pub const EXIT_PARTIAL: u8 = 3;

/// 数鉴 shujian — data-security governance: find, classify and grade personal and important data.
#[derive(Debug, Parser)]
#[command(name = "shujian", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files, directories or standard input for personal and sensitive data.
    Scan(scan::ScanArgs),
    /// List the detectors (built-in and user-defined) with their categories and flags.
    Detectors(detectors::DetectorsArgs),
    /// Measure detection accuracy against labelled data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Developer tools (corpus generation).
    #[command(subcommand, hide = true)]
    Dev(dev::DevCommand),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Scan(a) => scan::run(a),
        Command::Detectors(a) => detectors::run(&a),
        Command::Eval(c) => eval::run(c),
        Command::Dev(c) => dev::run(c),
    }
}
