//! `shujian eval`: measure detection accuracy against labelled data.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, bail};
use shujian_detect::{Confidence, Engine};

use super::EXIT_CLEAN;
use super::engine_args::EngineArgs;

use crate::eval::gold::{GoldFormat, GoldSet, read_gold};
use crate::eval::labels::{LabelMap, parse_assignment};
use crate::eval::render::sweep_text;
use crate::eval::report::SpanReport;
use crate::eval::spans::{RunOptions, evaluate, prepare};

/// Exit code: `eval` ran, but a `--require` target was missed.
pub const EXIT_TARGET_MISSED: u8 = 1;

/// Evaluation subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Score span detection in text against gold records: precision, recall and F1 per
    /// label, under exact and overlap match.
    ///
    /// Matching is one-to-one and needs the same label; a finding whose label is not in the
    /// gold label set is not counted. Exit status: 0, or 1 when a --require target is missed,
    /// 2 on error. Results and commands: docs/ACCURACY.md.
    #[command(after_help = SPANS_HELP)]
    Spans(SpansArgs),
    /// Score column labels against a labels CSV: precision, recall and F1 per label, macro-F1
    /// over the personal labels and personal-versus-none F1, with and without doubtful rows.
    ///
    /// Exit status: 0, or 1 when a --require target is missed, 2 on error.
    #[command(after_help = crate::eval::columns::cli::HELP)]
    Columns(crate::eval::columns::cli::ColumnsArgs),
}

const SPANS_HELP: &str = "\
Gold formats:
  jsonl    {\"text\": …, \"spans\": [{\"start\", \"end\", \"label\"}]} a line; code points, end exclusive
  cluener  CLUENER2020: {\"text\": …, \"label\": {type: {mention: [[start, end]]}}}; end inclusive
  conll    Weibo NER: CHAR<segmentation digit><TAB>TAG a line, blank line between sentences
  bio      People's Daily: CHAR TAG a line, blank line between sentences

Default label mapping: cn_resident_id→CN_RESIDENT_ID, cn_mobile/cn_landline→PHONE, email→EMAIL,
bank_card→BANK_CARD, ipv4→IPV4, cn_person_name→PERSON, cn_address→ADDRESS, any other detector→
its id in upper case. CLUENER name→PERSON, address→ADDRESS, company→COMPANY; Weibo PER.NAM→PERSON,
LOC.NAM/GPE.NAM→PLACE, *.NOM ignored (not names); People's Daily PER→PERSON, LOC→PLACE.

Examples:
  shujian eval spans --gold dev.jsonl
  shujian eval spans --gold weiboNER_2nd_conll.dev --labels PERSON --show-errors 5
  shujian eval spans --gold dev.jsonl --min-confidence high --format json";

/// Output formats of `eval spans`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A table for the terminal.
    Table,
    /// Machine-readable, with every count.
    Json,
    /// Markdown tables (as in docs/ACCURACY.md).
    Markdown,
}

/// Arguments of `shujian eval spans`.
#[derive(Debug, clap::Args)]
pub struct SpansArgs {
    /// The gold file.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Format of the gold file (auto: decided from its first lines).
    #[arg(long, value_enum, default_value = "auto", value_name = "FORMAT")]
    pub gold_format: GoldFormat,
    /// Count a detector's findings as LABEL (`-` ignores them). May be repeated.
    #[arg(long = "map", value_name = "DETECTOR=LABEL", value_parser = parse_assignment)]
    pub map: Vec<(String, String)>,
    /// Read a gold label, as the file spells it, as LABEL (`-` ignores those spans). May be
    /// repeated.
    #[arg(long = "gold-map", value_name = "GOLD=LABEL", value_parser = parse_assignment)]
    pub gold_map: Vec<(String, String)>,
    /// Score only these labels (comma-separated, after mapping); default: every label in the
    /// gold file.
    #[arg(long, value_delimiter = ',', value_name = "LABELS")]
    pub labels: Option<Vec<String>>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Print up to N false positives, false negatives and boundary errors per label.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub show_errors: usize,
    /// Show raw values in error examples (masked by default).
    #[arg(long)]
    pub show_values: bool,
    /// Score only the first N records.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Exit with status 1 unless LABEL reaches this exact-match F1. May be repeated.
    #[arg(long, value_name = "LABEL=F1", value_parser = parse_target)]
    pub require: Vec<(String, f64)>,
    /// Score at each confidence level (low, medium, high) and print them side by side;
    /// --min-confidence is then ignored.
    #[arg(long, conflicts_with_all = ["require", "show_errors"])]
    pub sweep: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

fn parse_target(s: &str) -> Result<(String, f64), String> {
    let (label, f1) = parse_assignment(s)?;
    match f1.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok((label, x)),
        _ => Err(format!("`{f1}` is not an F1 between 0 and 1")),
    }
}

/// Runs an evaluation subcommand.
pub fn run(cmd: EvalCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        EvalCommand::Spans(args) => match args.threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .context("cannot start the worker threads")?
                .install(|| spans(&args)),
            None => spans(&args),
        },
        EvalCommand::Columns(args) => crate::eval::columns::cli::run(&args),
    }
}

fn spans(args: &SpansArgs) -> anyhow::Result<ExitCode> {
    let engine = args.engine.engine()?;
    let read_started = Instant::now();
    let mut gold = read_gold(&args.gold, args.gold_format)?;
    let read_time = read_started.elapsed();
    if let Some(n) = args.limit {
        gold.records.truncate(n);
    }
    eprintln!(
        "shujian: read {} ({}, {} records) in {:.2} s",
        args.gold.display(),
        gold.format.code(),
        gold.records.len(),
        read_time.as_secs_f64()
    );
    let map = label_map(args, &engine, &gold)?;
    let opts = RunOptions {
        show_errors: args.show_errors,
        show_values: args.show_values,
    };
    let path = args.gold.display().to_string();
    let run = |engine: &Engine| -> anyhow::Result<SpanReport> {
        let prepared = prepare(engine, &map, &gold.records, args.labels.as_deref());
        for (label, _) in &args.require {
            if !prepared.scoring.labels.contains(label) {
                bail!(
                    "--require: `{label}` is not a scored label (scored: {})",
                    prepared.scoring.labels.join(", ")
                );
            }
        }
        let outcome = evaluate(engine, &prepared, opts);
        let report = SpanReport::new(
            &path,
            gold.format.code(),
            engine.options().min_confidence.code(),
            &prepared,
            outcome,
            args.show_errors > 0,
        );
        eprintln!(
            "shujian: confidence >= {}: {}",
            report.min_confidence,
            report.timing_line()
        );
        Ok(report)
    };

    if args.sweep {
        let mut reports = Vec::new();
        for level in [Confidence::Low, Confidence::Medium, Confidence::High] {
            let mut at = args.engine.clone();
            at.min_confidence = level;
            reports.push(run(&at.engine()?)?);
        }
        match args.format {
            ReportFormat::Table => print!("{}", sweep_text(&reports, false)),
            ReportFormat::Markdown => print!("{}", sweep_text(&reports, true)),
            ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&reports)?),
        }
        return Ok(ExitCode::from(EXIT_CLEAN));
    }

    let mut report = run(&engine)?;
    let met = report.check_targets(&args.require);
    match args.format {
        ReportFormat::Table => print!("{}", report.to_table()),
        ReportFormat::Markdown => print!("{}", report.to_markdown()),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    for t in report.targets.iter().filter(|t| !t.met) {
        eprintln!(
            "shujian: target missed: {} exact F1 {:.4} < {}",
            t.label, t.f1, t.min_f1
        );
    }
    Ok(ExitCode::from(if met {
        EXIT_CLEAN
    } else {
        EXIT_TARGET_MISSED
    }))
}

/// The default mapping for the gold file's format with the `--map` and `--gold-map`
/// overrides.
fn label_map(args: &SpansArgs, engine: &Engine, gold: &GoldSet) -> anyhow::Result<LabelMap> {
    let mut map = LabelMap::new(gold.format);
    for (id, label) in &args.map {
        if engine.find(id).is_none() {
            let known: Vec<&str> = engine.detectors().iter().map(|d| d.id.as_str()).collect();
            bail!(
                "--map: unknown detector `{id}` (known: {})",
                known.join(", ")
            );
        }
        map.set_detector(id, label);
    }
    for (raw, label) in &args.gold_map {
        let occurs = gold
            .records
            .iter()
            .any(|r| r.spans.iter().any(|s| &s.label == raw));
        if !occurs {
            eprintln!("shujian: note: --gold-map `{raw}` does not occur in the gold file");
        }
        map.set_gold(raw, label);
    }
    if args.labels.as_ref().is_some_and(Vec::is_empty) {
        bail!("--labels: give at least one label");
    }
    Ok(map)
}
