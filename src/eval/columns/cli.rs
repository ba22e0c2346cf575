//! Arguments and entry point of `shujian eval columns` (wired into `src/cli/eval.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use shujian_classify::Classifier;

use super::{PredictionSource, RunOptions, run as run_sets};
use crate::cli::EXIT_CLEAN;
use crate::cli::engine_args::today;
use crate::cli::eval::{EXIT_TARGET_MISSED, ReportFormat};

/// Help text after the options.
pub const HELP: &str = "\
Labels CSV: table,column,comment,label,notes with a header row; a note ending in `?` marks a
doubtful label. Labels: NONE, PERSON_NAME, CN_RESIDENT_ID, PHONE, EMAIL, ADDRESS, BANK_CARD,
PASSWORD_OR_SECRET, IP_ADDRESS, GEO_LOCATION, BIRTHDATE, GENDER, USERNAME_OR_NICKNAME,
PHOTO_OR_BIOMETRIC, HEALTH, FINANCIAL_AMOUNT, DEVICE_ID, LICENSE_PLATE, ORG_CREDIT_CODE, OTHER_PI.

Give --labels once per data set, each with one --sqlite or one --predictions (in the same
order). Macro-F1 averages the personal labels that occur in the gold labels or the predictions.
--require targets: `macro`, `binary` (personal versus none) or a label, checked on the overall
scores without doubtful rows.

Examples:
  shujian eval columns --labels dev/mall/labels.csv --sqlite dev/mall/mall.sqlite --errors
  shujian eval columns --labels a/labels.csv --sqlite a/a.sqlite --labels b/labels.csv \\
      --sqlite b/b.sqlite --require macro=0.85 --require binary=0.95
  shujian eval columns --labels labels.csv --predictions predicted.jsonl --format json";

/// Arguments of `shujian eval columns`.
#[derive(Debug, clap::Args)]
pub struct ColumnsArgs {
    /// A labels CSV. May be repeated, one per data set.
    #[arg(long, value_name = "FILE", required = true)]
    pub labels: Vec<PathBuf>,
    /// Classify the columns of this SQLite database (one per --labels, same order).
    #[arg(long, value_name = "FILE", conflicts_with = "predictions")]
    pub sqlite: Vec<PathBuf>,
    /// Read predicted labels from JSON lines {"table","column","label"} (one per --labels).
    #[arg(long, value_name = "FILE")]
    pub predictions: Vec<PathBuf>,
    /// Rows sampled per table from a database.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub sample_rows: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// List every wrongly labelled column (gold → predicted, with the reasons).
    #[arg(long)]
    pub errors: bool,
    /// Write every prediction (with its column profile, masked) as JSON lines to FILE.
    #[arg(long, value_name = "FILE")]
    pub write_predictions: Option<PathBuf>,
    /// Exit with status 1 unless TARGET (`macro`, `binary` or a label) reaches this F1.
    #[arg(long, value_name = "TARGET=F1", value_parser = parse_target)]
    pub require: Vec<(String, f64)>,
}

fn parse_target(s: &str) -> Result<(String, f64), String> {
    let (t, f1) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not TARGET=F1"))?;
    match f1.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok((t.trim().to_string(), x)),
        _ => Err(format!("`{f1}` is not an F1 between 0 and 1")),
    }
}

/// Runs `eval columns`.
pub fn run(args: &ColumnsArgs) -> anyhow::Result<ExitCode> {
    let sources: Vec<PredictionSource> = if !args.sqlite.is_empty() {
        args.sqlite
            .iter()
            .map(|p| PredictionSource::Sqlite(p.clone(), args.sample_rows))
            .collect()
    } else {
        args.predictions
            .iter()
            .map(|p| PredictionSource::File(p.clone()))
            .collect()
    };
    if sources.len() != args.labels.len() {
        bail!(
            "give one --sqlite or --predictions per --labels ({} labels files, {} sources)",
            args.labels.len(),
            sources.len()
        );
    }
    let classifier = Classifier::builtin(today())?;
    let sets: Vec<_> = args.labels.iter().cloned().zip(sources).collect();
    let opts = RunOptions {
        errors: args.errors,
        write_predictions: args.write_predictions.clone(),
    };
    let mut report = run_sets(&classifier, &sets, &opts)?;
    let met = report.check_targets(&args.require)?;
    match args.format {
        ReportFormat::Table => print!("{}", report.to_table()),
        ReportFormat::Markdown => print!("{}", report.to_markdown()),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    eprintln!("shujian: eval columns took {:.2} s", report.seconds);
    for t in report.targets.iter().filter(|t| !t.met) {
        eprintln!(
            "shujian: target missed: {} F1 {:.4} < {}",
            t.target, t.f1, t.min_f1
        );
    }
    Ok(ExitCode::from(if met {
        EXIT_CLEAN
    } else {
        EXIT_TARGET_MISSED
    }))
}
