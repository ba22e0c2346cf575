//! `shujian scan`.

use std::process::ExitCode;

/// Arguments of `shujian scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
}

/// Runs `shujian scan`.
pub fn run(_args: ScanArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("scan is not implemented yet")
}
