//! `shujian dev`: developer tools.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use rayon::prelude::*;
use shujian_corpus::{Corpus, Mix};

/// Developer subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DevCommand {
    /// Write a seeded synthetic corpus (Chinese text with identifiers and look-alikes).
    ///
    /// The same seed and mix always give the same bytes. Examples:
    ///   shujian dev corpus --mix dense --size 5G --seed 1 --out /tmp/dense-5g.txt
    ///   shujian dev corpus --mix sparse --size 1G --files 64 --dir /tmp/scaling
    ///   shujian dev corpus --labelled 1000 > gold.jsonl
    #[command(verbatim_doc_comment)]
    Corpus(CorpusArgs),
    /// Write seeded file fixtures (CSV, XLSX, JSON, Parquet, DOCX, PDF, archives, broken files,
    /// zip bombs) and `manifest.json` with every column's expected label.
    ///
    /// With `--csv-size` or `--xlsx-size`, write only large files for benchmarks instead.
    /// Examples:
    ///   shujian dev fixtures --out /tmp/fixtures --seed 1 --rows 200
    ///   shujian dev fixtures --out /tmp/big --csv-size 2G --xlsx-size 500M
    #[command(verbatim_doc_comment)]
    Fixtures(FixturesArgs),
}

/// Arguments of `shujian dev fixtures`.
#[derive(Debug, clap::Args)]
pub struct FixturesArgs {
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Data rows in each table.
    #[arg(long, default_value_t = 200)]
    rows: usize,
    /// Write one large CSV (`large.csv`) of at least this size, e.g. `2G`.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    csv_size: Option<u64>,
    /// Write one large XLSX (`large.xlsx`) of about this size, e.g. `500M`.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    xlsx_size: Option<u64>,
}

/// Arguments of `shujian dev corpus`.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// How densely identifiers occur: `dense` (records, logs, chat) or `sparse` (prose).
    #[arg(long, default_value = "dense", value_parser = parse_mix)]
    mix: Mix,
    /// Total size: bytes, or with a K, M, G or T suffix (powers of 1024), e.g. `16M`, `5G`.
    /// With `--files`, the total is shared out between the files.
    #[arg(long, default_value = "16M", value_parser = parse_size)]
    size: u64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["files", "dir"])]
    out: Option<PathBuf>,
    /// Write this many files (`corpus-0000.txt` …) into `--dir`, each an independent part.
    #[arg(long, value_name = "N", requires = "dir")]
    files: Option<u64>,
    /// Directory for `--files` (created if missing).
    #[arg(long, value_name = "DIR", requires = "files")]
    dir: Option<PathBuf>,
    /// Instead of plain text, write N labelled records as JSON lines
    /// (`{"text", "spans": [{"start", "end", "label"}]}`, character offsets), the format of
    /// `shujian eval spans --gold`.
    #[arg(long, value_name = "N", conflicts_with_all = ["files", "dir"])]
    labelled: Option<usize>,
}

fn parse_mix(s: &str) -> Result<Mix, String> {
    Mix::parse(s).ok_or_else(|| format!("unknown mix `{s}` (expected `dense` or `sparse`)"))
}

/// Parses `123`, `16K`, `16M`, `5G`, `1T` (also `5GB`, `5GiB`; powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (num, shift) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => {
                    return Err(format!(
                        "bad size `{s}`: unknown unit `{c}` (use K, M, G or T)"
                    ));
                }
            };
            (&t[..i], shift)
        }
        _ => (t, 0),
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("bad size `{s}`: expected a number such as 16M or 5G"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("size `{s}` is too large"))
}

/// Runs a developer subcommand.
pub fn run(cmd: DevCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DevCommand::Corpus(a) => corpus(&a),
        DevCommand::Fixtures(a) => fixtures(&a),
    }
}

fn fixtures(a: &FixturesArgs) -> anyhow::Result<ExitCode> {
    use shujian_corpus::fixtures::{self, Outcome};
    fs::create_dir_all(&a.out).with_context(|| format!("cannot create {}", a.out.display()))?;
    if a.csv_size.is_some() || a.xlsx_size.is_some() {
        let mut written = Vec::new();
        if let Some(size) = a.csv_size {
            let path = a.out.join("large.csv");
            let f = fixtures::write_large_csv(&path, a.seed, size)
                .with_context(|| format!("writing {}", path.display()))?;
            written.push((path, f));
        }
        if let Some(size) = a.xlsx_size {
            let path = a.out.join("large.xlsx");
            let f = fixtures::write_large_xlsx(&path, a.seed, size)
                .with_context(|| format!("writing {}", path.display()))?;
            written.push((path, f));
        }
        for (path, f) in written {
            let rows: u64 = f.tables.iter().map(|t| t.rows).sum();
            println!("{}: {} bytes, {rows} rows", path.display(), f.bytes);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let m = fixtures::write_fixtures(&a.out, a.seed, a.rows)
        .with_context(|| format!("writing fixtures into {}", a.out.display()))?;
    let all = m.all_files();
    let fail = all
        .iter()
        .filter(|f| f.expect.outcome != Outcome::Scan)
        .count();
    let columns: usize = all.iter().map(|f| f.columns().count()).sum();
    println!(
        "{}: {} files and {} archive members; {} must scan, {fail} must or may fail; \
         {columns} labelled columns; ground truth in {}",
        a.out.display(),
        m.files.len(),
        all.len() - m.files.len(),
        all.len() - fail,
        a.out.join(fixtures::MANIFEST_NAME).display()
    );
    Ok(ExitCode::SUCCESS)
}

fn corpus(a: &CorpusArgs) -> anyhow::Result<ExitCode> {
    let corpus = Corpus::new(a.seed, a.mix);
    if let (Some(n), Some(dir)) = (a.files, &a.dir) {
        write_files(&corpus, a.size, n, dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    let result = match &a.out {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            write_one(&corpus, a, file).with_context(|| format!("writing {}", path.display()))
        }
        None => match write_one(&corpus, a, io::stdout().lock()) {
            // `shujian dev corpus | head` is fine.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            r => r.context("writing standard output"),
        },
    };
    result.map(|()| ExitCode::SUCCESS)
}

fn write_one(corpus: &Corpus, a: &CorpusArgs, w: impl Write) -> io::Result<()> {
    match a.labelled {
        Some(n) => write_labelled(corpus, n, w),
        None => corpus.write_to(w, a.size),
    }
}

fn write_labelled(corpus: &Corpus, n: usize, w: impl Write) -> io::Result<()> {
    let mut w = BufWriter::new(w);
    for r in corpus.generate_labelled(n) {
        let spans: Vec<_> = r
            .spans
            .iter()
            .map(|s| serde_json::json!({"start": s.start, "end": s.end, "label": s.label.name()}))
            .collect();
        serde_json::to_writer(&mut w, &serde_json::json!({"text": r.text, "spans": spans}))?;
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// Writes `n` files sharing `total` bytes, in parallel; file `i` is part `i` of the corpus.
fn write_files(corpus: &Corpus, total: u64, n: u64, dir: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(n > 0, "--files must be at least 1");
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let width = n.saturating_sub(1).to_string().len().max(4);
    (0..n).into_par_iter().try_for_each(|i| {
        let size = total / n + u64::from(i < total % n);
        let path = dir.join(format!("corpus-{i:0width$}.txt"));
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        corpus
            .part(i)
            .write_to(file, size)
            .with_context(|| format!("writing {}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("16K"), Ok(16 << 10));
        assert_eq!(parse_size("16m"), Ok(16 << 20));
        assert_eq!(parse_size("5G"), Ok(5 << 30));
        assert_eq!(parse_size("5GB"), Ok(5 << 30));
        assert_eq!(parse_size("5GiB"), Ok(5 << 30));
        assert_eq!(parse_size("1T"), Ok(1 << 40));
        assert!(parse_size("5Q").is_err());
        assert!(parse_size("G").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
