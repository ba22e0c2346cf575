//! `shujian eval`.

use std::process::ExitCode;

/// Evaluation subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Score span detection against gold records.
    Spans {
        /// Gold file.
        #[arg(long)]
        gold: std::path::PathBuf,
    },
}

/// Runs an evaluation subcommand.
pub fn run(_cmd: EvalCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("eval is not implemented yet")
}
