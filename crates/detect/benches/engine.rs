//! Engine throughput on seeded corpora (`cargo bench -p shujian-detect --bench engine`).
//!
//! Targets (issue 2, recorded in `docs/PERFORMANCE.md`): identifiers without names and
//! addresses ≥ 500 MB/s on the dense mix and ≥ 800 MB/s on the sparse mix, everything
//! including names and addresses ≥ 100 MB/s on the dense mix — one thread each.
//!
//! The corpus is scanned the way `shujian scan` scans a large file: in windows of 1 MiB with
//! margins on both sides, reusing one `Scratch`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shujian_corpus::{Corpus, Mix};
use shujian_detect::{CivilDate, Engine, EngineOptions, Position, Scratch, TextWindow};

/// Corpus size: large enough to defeat the caches, small enough to generate quickly.
const CORPUS_BYTES: usize = 12 << 20;
/// Fixed seed: every run scans the same bytes.
const SEED: u64 = 20_261_123;
/// Bytes of a window's owned range.
const WINDOW: usize = 1 << 20;
/// Margin on each side of the owned range (context and values crossing the edge).
const MARGIN: usize = 256;

fn options(names_and_addresses: bool) -> EngineOptions {
    let mut opts = EngineOptions::new(CivilDate::new(2026, 11, 23).expect("valid date"));
    opts.names_and_addresses = names_and_addresses;
    opts
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Cuts a text into windows of about `WINDOW` owned bytes with margins.
fn windows(text: &str) -> Vec<TextWindow<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = floor_boundary(text, (start + WINDOW).min(text.len()));
        let lo = floor_boundary(text, start.saturating_sub(MARGIN));
        let hi = floor_boundary(text, (end + MARGIN).min(text.len()));
        out.push(TextWindow {
            text: &text[lo..hi],
            owned: start - lo..end - lo,
            origin: Position {
                byte: lo,
                ..Position::default()
            },
        });
        start = end;
    }
    out
}

fn scan_all(engine: &Engine, windows: &[TextWindow<'_>], scratch: &mut Scratch) -> usize {
    let mut found = 0;
    let mut out = Vec::new();
    for w in windows {
        out.clear();
        engine.scan_window(w, scratch, &mut out);
        found += out.len();
    }
    found
}

fn bench_scan(c: &mut Criterion, name: &str, mix: Mix, names_and_addresses: bool) {
    let text = Corpus::new(SEED, mix).generate(CORPUS_BYTES);
    let engine = Engine::builtin(options(names_and_addresses)).expect("built-in engine");
    let windows = windows(&text);
    let mut scratch = Scratch::default();
    // Warm the scratch buffers to their working size.
    let findings = scan_all(&engine, &windows, &mut scratch);
    eprintln!("{name}: {} bytes, {findings} findings", text.len());

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(if names_and_addresses {
        15
    } else {
        8
    }));
    group.bench_function(name, |b| {
        b.iter(|| black_box(scan_all(&engine, black_box(&windows), &mut scratch)));
    });
    group.finish();
}

fn scan_identifiers_dense(c: &mut Criterion) {
    bench_scan(c, "identifiers/dense", Mix::Dense, false);
}

fn scan_identifiers_sparse(c: &mut Criterion) {
    bench_scan(c, "identifiers/sparse", Mix::Sparse, false);
}

fn scan_all_dense(c: &mut Criterion) {
    bench_scan(c, "all/dense", Mix::Dense, true);
}

fn build_engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine_build");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (name, names) in [("identifiers", false), ("all", true)] {
        group.bench_function(name, |b| {
            b.iter(|| Engine::builtin(black_box(options(names))).expect("built-in engine"));
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    scan_identifiers_dense,
    scan_identifiers_sparse,
    scan_all_dense,
    build_engine
);
criterion_main!(benches);
