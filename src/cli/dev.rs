//! `shujian dev`: developer tools.

use std::process::ExitCode;

/// Developer subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DevCommand {
    /// Write a seeded synthetic corpus to standard output.
    Corpus,
}

/// Runs a developer subcommand.
pub fn run(_cmd: DevCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("dev corpus is not implemented yet")
}
