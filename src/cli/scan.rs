//! `shujian scan`.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use shujian_sources::db::{DbOptions, DbUrl, TlsMode};
use shujian_sources::{ChunkConfig, Encoding, OpenOptions, StructuredOptions, WalkOptions};

use crate::scan::database::DbScanConfig;

use super::engine_args::EngineArgs;
use super::{EXIT_CLEAN, EXIT_FOUND, EXIT_PARTIAL};
use crate::scan::{Format, ScanConfig};

const AFTER_HELP: &str = "\
Inputs:
  Directories are walked recursively in a fixed order. .gitignore, .ignore and .shujianignore
  files are honoured (--no-ignore: not); hidden files such as .env are scanned (--no-hidden:
  not); .git, .hg and .svn are never entered. Files named on the command line are always
  scanned. gzip is recognised by its magic bytes. CSV/TSV, JSON/NDJSON, XLSX/XLS/ODS, Parquet,
  DOCX, PDF and ZIP/tar/tar.gz archives (recursively, with limits against zip bombs) are read
  as tables: every column is profiled and labelled, every table graded (--template); DOCX and
  PDF text is scanned like text. Other binary files (a NUL byte in the first 8 KiB, or a known
  binary format) are skipped and listed as skipped.

Databases:
  postgres://user@host:5432/db, mysql://user@host:3306/db (MariaDB too), sqlite:path.db.
  Tables are listed with their comments and row estimates and sampled (--sample-rows, random or
  key-range sampling, never a full sort), read-only, with a statement timeout and a per-table
  budget. Passwords come from the URL, --password-file, SHUJIAN_DB_PASSWORD, PGPASSWORD or
  MYSQL_PWD and are never printed. Fingerprints of the tables scanned are kept in --state; the
  next scan reads only tables whose schema or row count changed (--full: all). Encodings: UTF-8 (with or
  without BOM), UTF-16LE/BE with a BOM, and GBK/GB18030 (or others) detected automatically;
  --encoding forces one.

Offsets:
  line is 1-based; char_start/char_end count characters from the start of the file;
  byte_start/byte_end are offsets in the text decoded to UTF-8 (the same as file offsets for
  UTF-8 files, not for GBK or UTF-16 ones).

Values are masked (110105********002X) unless --show-values is given.

Exit status:
  0  nothing found
  1  sensitive data found (a finding in text, or a column labelled as personal information)
  2  usage or configuration error (bad flag, unreadable or invalid --rules/--detectors file)
  3  some inputs (files, archive members, tables) could not be read (each is reported on
     stderr as `shujian: PATH: REASON`, and in json/ndjson output); the others were scanned
     and may also have findings

Examples:
  shujian scan samples/
  shujian scan --format json exports/ > findings.json
  zcat dump.sql.gz | shujian scan --only cn_resident_id,bank_card -";

/// Arguments of `shujian scan`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input; or databases:
    /// `postgres://user@host/db`, `mysql://user@host/db`, `sqlite:path.db`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format: table (for people), json (one document), ndjson (one object per line,
    /// each with a `type`), csv, xlsx (a workbook with Chinese headers: summary, columns,
    /// findings, problems).
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write the output to FILE instead of standard output (needed for `--format xlsx` when
    /// standard output is a terminal).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write the raw values found (a `value` field). Without it, values are masked.
    #[arg(long)]
    pub show_values: bool,

    /// Worker threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<NonZeroUsize>,

    /// Decode every input with this encoding (gb18030, gbk, utf-8, utf-16le, big5 …)
    /// instead of detecting it.
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<&'static Encoding>,

    /// Do not honour .gitignore, .ignore and .shujianignore files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Skip hidden files and directories (by default they are scanned: `.env` files hold
    /// secrets).
    #[arg(long)]
    pub no_hidden: bool,

    /// Follow symbolic links inside directories.
    #[arg(long, short = 'L')]
    pub follow: bool,

    /// No progress bar and no warnings (errors are still reported).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Classification template for categories and grades: gbt43697 (national rules),
    /// ydt3813 (basic telecom), miit-industrial (industrial data), or a user's from
    /// `--rules DIR/templates/`.
    #[arg(long, value_name = "ID", default_value = "gbt43697")]
    pub template: String,

    /// Databases: rows sampled per table.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub sample_rows: usize,

    /// Databases: read the password from this file (else from the URL, SHUJIAN_DB_PASSWORD,
    /// PGPASSWORD or MYSQL_PWD). Passwords are never printed.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Databases: only these schemas (PostgreSQL) or databases (MySQL); may be repeated.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,

    /// Databases: include views.
    #[arg(long)]
    pub include_views: bool,

    /// Databases: TLS mode: disable, prefer, require, verify-ca, verify-full.
    #[arg(long, value_name = "MODE", default_value = "prefer", value_parser = parse_tls)]
    pub tls: TlsMode,

    /// Databases: longest a statement may run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub statement_timeout: u64,

    /// Databases: rescan every table, even those unchanged since the last scan.
    #[arg(long)]
    pub full: bool,

    /// Databases: where table fingerprints are kept between scans, for incremental rescans
    /// [default: .shujian/db-state.json].
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Bytes of text per window (testing aid) [default: 2 MiB, less with many threads].
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<NonZeroUsize>,

    #[command(flatten)]
    pub engine: EngineArgs,
}

fn parse_tls(s: &str) -> Result<TlsMode, String> {
    s.parse()
}

fn parse_encoding(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label_no_replacement(label.trim().as_bytes()).ok_or_else(|| {
        format!("`{label}` is not an encoding label (e.g. utf-8, gb18030, utf-16le)")
    })
}

/// Runs `shujian scan`.
pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    if args.paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        anyhow::bail!("`-` (standard input) can be given only once");
    }
    if args.format == Format::Xlsx && args.output.is_none() {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            anyhow::bail!("--format xlsx writes a binary workbook: give --output FILE.xlsx");
        }
    }
    let classifier = args.engine.classifier()?;
    let grader = args.engine.grader(&args.template)?;
    let targets: Vec<String> = args
        .paths
        .iter()
        .filter_map(|p| p.to_str())
        .filter(|p| DbUrl::is_database_target(p))
        .map(str::to_string)
        .collect();
    if !targets.is_empty() {
        if targets.len() != args.paths.len() {
            anyhow::bail!("scan databases and files in separate runs (the outputs differ)");
        }
        let cfg = DbScanConfig {
            targets,
            db: DbOptions {
                sample_rows: args.sample_rows.max(1),
                statement_timeout: std::time::Duration::from_secs(args.statement_timeout.max(1)),
                include_views: args.include_views,
                schemas: args.schemas,
                tls: args.tls,
                ..DbOptions::default()
            },
            password_file: args.password_file,
            full: args.full,
            state: Some(
                args.state
                    .unwrap_or_else(|| PathBuf::from(".shujian/db-state.json")),
            ),
            format: args.format,
            output: args.output,
            quiet: args.quiet,
        };
        let outcome = crate::scan::database::scan_databases(&classifier, &grader, &cfg)?;
        return Ok(ExitCode::from(exit_code(outcome)));
    }
    let engine = args.engine.engine()?;
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        NonZeroUsize::get,
    );
    let chunk_size = args.chunk_size.map_or_else(
        || ScanConfig::default_chunk_size(threads),
        NonZeroUsize::get,
    );
    let cfg = ScanConfig {
        paths: args.paths,
        threads,
        open: OpenOptions {
            encoding: args.encoding,
            chunk: ChunkConfig::new(chunk_size),
        },
        walk: WalkOptions {
            no_ignore: args.no_ignore,
            skip_hidden: args.no_hidden,
            follow_links: args.follow,
        },
        format: args.format,
        show_values: args.show_values,
        quiet: args.quiet,
        output: args.output,
        structured: StructuredOptions {
            encoding: args.encoding,
            ..StructuredOptions::default()
        },
    };
    let outcome = crate::scan::scan(&engine, &classifier, &grader, &cfg)?;
    Ok(ExitCode::from(exit_code(outcome)))
}

fn exit_code(outcome: crate::scan::pipeline::ScanOutcome) -> u8 {
    if outcome.failed > 0 {
        EXIT_PARTIAL
    } else if outcome.findings > 0 || outcome.pi_columns > 0 {
        EXIT_FOUND
    } else {
        EXIT_CLEAN
    }
}
