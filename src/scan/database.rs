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

use super::grading::AssetReport;
use super::grading::{ColumnContext, Grader};
use super::output::{self, ColumnReport, FileSummary, Format, Sink, Summary};
use super::pipeline::ScanOutcome;

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
    let mut sink = Sink::create(cfg.output.as_deref(), None)?;
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
    doc.begin(&mut sink)?;
    for target in &cfg.targets {
        match read_database(classifier, grader, cfg, target, &mut state) {
            Ok(db) => {
                for e in &db.table_errors {
                    summary.files_failed += 1;
                    report_error(&mut *doc, &mut sink, e)?;
                }
                summary.tables_unchanged += db.unchanged;
                for (columns, asset) in &db.tables {
                    summary.tables += 1;
                    summary.add_tables(columns, std::slice::from_ref(asset));
                    doc.columns(&mut sink, columns)?;
                    doc.assets(&mut sink, std::slice::from_ref(asset))?;
                }
                summary.files_scanned += 1;
                doc.file(
                    &mut sink,
                    &FileSummary {
                        path: db.name,
                        format: db.scheme,
                        encoding: "",
                        encoding_origin: "",
                        gzip: false,
                        bytes: 0,
                        findings: 0,
                        replaced: 0,
                    },
                )?;
            }
            Err(e) => {
                summary.files_failed += 1;
                report_error(&mut *doc, &mut sink, &e)?;
            }
        }
    }
    if let Some(p) = &cfg.state {
        write_state(p, &state)?;
    }
    summary.sort_labels();
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    doc.finish(&mut sink, &summary)?;
    std::io::Write::flush(&mut sink)?;
    Ok(ScanOutcome {
        findings: 0,
        pi_columns: summary.pi_columns,
        failed: summary.files_failed,
    })
}

fn report_error(
    doc: &mut dyn output::Document,
    sink: &mut Sink,
    e: &DbError,
) -> std::io::Result<()> {
    let err = db_error(e);
    eprintln!("shujian: {err}");
    doc.error(sink, &err)
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

/// What one database gave.
struct DatabaseRead {
    /// Redacted display name.
    name: String,
    /// `postgres`, `mysql`, `sqlite`.
    scheme: &'static str,
    /// Profiled columns and the graded asset of every table read, by table name.
    tables: Vec<(Vec<ColumnReport>, AssetReport)>,
    /// Tables that could not be read.
    table_errors: Vec<DbError>,
    /// Tables skipped as unchanged since the last scan.
    unchanged: u64,
}

/// Lists, samples, profiles and grades the tables of one database that changed since the
/// last scan (all with `--full`), recording their fingerprints.
fn read_database(
    classifier: &Classifier,
    grader: &Grader,
    cfg: &DbScanConfig,
    target: &str,
    state: &mut FingerprintSet,
) -> Result<DatabaseRead, DbError> {
    let url = DbUrl::parse(target)?.resolve_password(cfg.password_file.as_deref())?;
    let source = BlockingDbSource::connect(&url, &cfg.db)?;
    let name = source.name().to_string();
    let tables = source.list_tables()?;
    state.retain_present(&name, &tables);
    let (todo, unchanged): (Vec<_>, Vec<_>) = tables
        .into_iter()
        .partition(|t| cfg.full || state.changed(&name, t));
    if !cfg.quiet && !unchanged.is_empty() {
        eprintln!(
            "shujian: {name}: {} table(s) unchanged since the last scan, skipped (--full rescans them)",
            unchanged.len()
        );
    }
    // Each sample is profiled as it arrives and dropped: only the (small) reports are kept,
    // so memory does not grow with the number of tables sampled.
    let mut read = Vec::new();
    let mut table_errors = Vec::new();
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
                read.push((columns, asset));
            }
            Err(e) => table_errors.push(e),
        }
    }
    // Completion order varies; the output does not.
    read.sort_by(|a, b| a.1.table.cmp(&b.1.table));
    Ok(DatabaseRead {
        name,
        scheme: url.engine().scheme(),
        tables: read,
        table_errors,
        unchanged: unchanged.len() as u64,
    })
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
