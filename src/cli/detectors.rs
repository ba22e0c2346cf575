//! `shujian detectors`: what the engine knows, for choosing `--only`/`--disable` and for
//! checking a rules directory or a file of user-defined detectors before a scan.

use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;
use shujian_detect::{DetectorKind, Engine};
use unicode_width::UnicodeWidthStr;

use super::engine_args::EngineArgs;

/// Arguments of `shujian detectors`.
#[derive(Debug, clap::Args)]
pub struct DetectorsArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: DetectorsFormat,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Output formats of `shujian detectors`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DetectorsFormat {
    /// One line per detector.
    Table,
    /// A JSON array.
    Json,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    category: &'a str,
    category_zh: &'a str,
    sensitive: bool,
    requires_context: bool,
    active: bool,
    builtin: bool,
    keywords: &'a [String],
    negative_keywords: &'a [String],
    source: &'a str,
}

fn rows(engine: &Engine) -> Vec<Row<'_>> {
    engine
        .detectors()
        .iter()
        .enumerate()
        .map(|(i, d)| Row {
            id: &d.id,
            name_zh: &d.name_zh,
            name_en: &d.name_en,
            category: d.category.code(),
            category_zh: d.category.name_zh(),
            sensitive: d.sensitive,
            requires_context: d.requires_context,
            active: engine.is_active(shujian_detect::DetectorId(i as u16)),
            builtin: matches!(d.kind, DetectorKind::Builtin(_)),
            keywords: &d.keywords,
            negative_keywords: &d.negative_keywords,
            source: &d.source,
        })
        .collect()
}

/// Pads `s` with spaces to `width` terminal columns (Han characters take two).
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Runs `shujian detectors`.
pub fn run(args: &DetectorsArgs) -> anyhow::Result<ExitCode> {
    let engine = args.engine.engine()?;
    let rows = rows(&engine);
    let mut out = std::io::stdout().lock();
    match args.format {
        DetectorsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        DetectorsFormat::Table => {
            writeln!(
                out,
                "{} {} {} {} {} 状态",
                pad("id", 20),
                pad("名称", 28),
                pad("类别", 18),
                pad("敏感", 5),
                pad("需上下文", 9),
            )?;
            for r in &rows {
                let yes_no = |b: bool| if b { "是" } else { "否" };
                writeln!(
                    out,
                    "{} {} {} {} {} {}",
                    pad(r.id, 20),
                    pad(r.name_zh, 28),
                    pad(r.category_zh, 18),
                    pad(yes_no(r.sensitive), 5),
                    pad(yes_no(r.requires_context), 9),
                    if r.active { "启用" } else { "停用" }
                )?;
            }
        }
    }
    Ok(ExitCode::from(super::EXIT_CLEAN))
}
