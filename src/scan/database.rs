//! `shujian scan postgres://… | mysql://… | sqlite:…`: list a database's tables, sample each
//! (read-only, with a statement timeout and a per-table budget, a few tables at a time), profile
//! and label every column from its name, comment, type and sampled values, classify and grade
//! each table as a data asset, and write the result in the chosen format.
//!
//! **Incremental rescans.** A fingerprint of every table scanned (its schema and row-count
//! estimate, see `shujian_sources::db::fingerprint`) is kept in a state file; the next scan of
//! the same database skips tables whose fingerprint has not changed and says so (`--full`
//! rescans everything). The state holds no values, only names, types and counts.
//!
//! One table failing (permission denied, vanished, timed out) is reported with its name and
//! the reason; the other tables are still scanned.

use std::path::PathBuf;
use std::time::Instant;

use shujian_classify::{Classifier, ColumnInput};
use shujian_sources::db::{
    BlockingDbSource, DbError, DbOptions, DbUrl, FingerprintSet, TableSample,
};
use shujian_sources::{Reason, SourceError};

use super::grading::{ColumnContext, Grader};
use super::output::{self, ColumnReport, FileSummary, Format, Sink, Summary};
use super::pipeline::{ScanOutcome, count_assets};

/// What a database scan needs.
#[derive(Debug, Clone)]
pub struct DbScanConfig {
    /// Database URLs (`postgres://user@host/db`, `mysql://…`, `sqlite:path`).
    pub targets: Vec<String>,
    /// How to read them (sample size, timeouts, concurrency, TLS, schemas).
    pub db: DbOptions,
    /// A file holding the password (instead of the URL or the environment).
    pub password_file: Option<PathBuf>,
    /// Rescan every table, changed or not.
    pub full: bool,
    /// Where fingerprints are kept between scans (`None`: not kept).
    pub state: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Write the output to this file instead of standard output.
    pub output: Option<PathBuf>,
    /// No progress messages.
    pub quiet: bool,
}

fn db_error(e: &DbError) -> SourceError {
    let path = match &e.object {
        Some(o) => format!("{}: {o}", e.database),
        None => e.database.clone(),
    };
    let detail = if e.detail.is_empty() {
        e.kind.describe().to_string()
    } else {
        format!("{} ({})", e.kind.describe(), e.detail)
    };
    SourceError::new(path, Reason::Database(detail))
}

/// Scans the databases, writing one document.
pub fn scan_databases(
    classifier: &Classifier,
    grader: &Grader,
    cfg: &DbScanConfig,
) -> anyhow::Result<ScanOutcome> {
    let started = Instant::now();
    let mut sink = match &cfg.output {
        Some(path) => Sink::file(std::fs::File::create(path).map_err(|e| {
            anyhow::anyhow!("cannot create the output file {}: {e}", path.display())
        })?),
        None => Sink::stdout(None),
    };
    let mut state = match &cfg.state {
        Some(p) if p.exists() => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("cannot read the state file {}: {e}", p.display()))?;
            FingerprintSet::from_json(&text).map_err(|e| {
                anyhow::anyhow!(
                    "the state file {} is not valid (delete it or pass --full): {e}",
                    p.display()
                )
            })?
        }
        _ => FingerprintSet::default(),
    };
    let mut doc = output::document(cfg.format, false);
    let mut summary = Summary::default();
    let mut labels = vec![0u64; shujian_classify::Label::COUNT];
    doc.begin(&mut sink)?;
    for target in &cfg.targets {
        let r = scan_one(
            classifier,
            grader,
            cfg,
            target,
            &mut state,
            &mut *doc,
            &mut sink,
            &mut summary,
            &mut labels,
        );
        if let Err(e) = r {
            summary.files_failed += 1;
            let err = db_error(&e);
            eprintln!("shujian: {err}");
            doc.error(&mut sink, &err)?;
        }
    }
    if let Some(p) = &cfg.state {
        write_state(p, &state)?;
    }
    summary.columns_by_label = shujian_classify::Label::ALL
        .iter()
        .filter(|l| labels[l.index()] > 0)
        .map(|l| output::LabelCount {
            label: l.code(),
            name_zh: l.name_zh(),
            count: labels[l.index()],
        })
        .collect();
    summary
        .columns_by_label
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(b.label)));
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    doc.finish(&mut sink, &summary)?;
    std::io::Write::flush(&mut sink)?;
    Ok(ScanOutcome {
        findings: 0,
        pi_columns: summary.pi_columns,
        failed: summary.files_failed,
    })
}

/// Writes the state file whole, through a temporary file, so a crash never leaves half of it.
fn write_state(path: &std::path::Path, state: &FingerprintSet) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, state.to_json())
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| anyhow::anyhow!("cannot write the state file {}: {e}", path.display()))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call site; the pieces of one scan"
)]
fn scan_one(
    classifier: &Classifier,
    grader: &Grader,
    cfg: &DbScanConfig,
    target: &str,
    state: &mut FingerprintSet,
    doc: &mut dyn output::Document,
    sink: &mut Sink,
    summary: &mut Summary,
    labels: &mut [u64],
) -> Result<(), DbError> {
    let url = DbUrl::parse(target)?.resolve_password(cfg.password_file.as_deref())?;
    let source = BlockingDbSource::connect(&url, &cfg.db)?;
    let name = source.name().to_string();
    let tables = source.list_tables()?;
    state.retain_present(&name, &tables);
    let (todo, unchanged): (Vec<_>, Vec<_>) = tables
        .into_iter()
        .partition(|t| cfg.full || state.changed(&name, t));
    summary.tables_unchanged += unchanged.len() as u64;
    if !cfg.quiet && !unchanged.is_empty() {
        eprintln!(
            "shujian: {name}: {} table(s) unchanged since the last scan, skipped (--full rescans them)",
            unchanged.len()
        );
    }
    // Each sample is profiled as it arrives and dropped: only the (small) reports are kept,
    // so memory does not grow with the number of tables sampled.
    let mut results = Vec::new();
    for r in source.samples(todo) {
        match r {
            Ok(sample) => {
                let (mut columns, context) = profile_table(classifier, &name, &sample);
                let rows = sample.table.row_estimate.map(|e| e.max(sample.rows as u64));
                let table = sample.table.qualified_name();
                let asset = grader.grade_table(
                    &name,
                    &table,
                    &mut columns,
                    &context,
                    rows,
                    sample.rows as u64,
                );
                state.record(&name, &sample.table);
                results.push((table, columns, asset));
            }
            Err(e) => {
                summary.files_failed += 1;
                let err = db_error(&e);
                eprintln!("shujian: {err}");
                let _ = doc.error(sink, &err);
            }
        }
    }
    // Completion order varies; the output does not.
    results.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, columns, asset) in &results {
        for c in columns {
            labels[c.profile.label.index()] += 1;
        }
        summary.tables += 1;
        summary.columns += columns.len() as u64;
        summary.pi_columns += columns.iter().filter(|c| c.profile.is_pi()).count() as u64;
        count_assets(summary, std::slice::from_ref(asset));
        let _ = doc.columns(sink, columns);
        let _ = doc.assets(sink, std::slice::from_ref(asset));
    }
    summary.files_scanned += 1;
    let _ = doc.file(
        sink,
        &FileSummary {
            path: name,
            format: url.engine().scheme(),
            encoding: "",
            encoding_origin: "",
            gzip: false,
            bytes: 0,
            findings: 0,
            replaced: 0,
        },
    );
    Ok(())
}

/// Profiles every column of a sampled table.
fn profile_table<'s>(
    classifier: &Classifier,
    source: &str,
    sample: &'s TableSample,
) -> (Vec<ColumnReport>, Vec<ColumnContext<'s>>) {
    let t = &sample.table;
    let table = t.qualified_name();
    let table_comment = t.comment.as_deref().unwrap_or("");
    let mut reports = Vec::with_capacity(t.columns.len());
    let mut context = Vec::with_capacity(t.columns.len());
    for (col, values) in t.columns.iter().zip(&sample.columns) {
        let comment = col.comment.as_deref().unwrap_or("");
        let input = ColumnInput {
            table: &table,
            table_comment,
            column: &col.name,
            comment,
            declared_type: &col.data_type,
        };
        let vals: Vec<&str> = values.iter().map(|v| v.as_deref().unwrap_or("")).collect();
        let profile = classifier.classify(&input, &vals);
        let hits = profile
            .hit_ratios
            .iter()
            .map(|(d, r)| {
                (
                    d.clone(),
                    (f64::from(*r) * profile.non_empty as f64).round() as u64,
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        reports.push(ColumnReport {
            path: source.to_string(),
            profile,
            hits,
            classification: None,
        });
        context.push(ColumnContext {
            table_comment,
            comment,
        });
    }
    (reports, context)
}
