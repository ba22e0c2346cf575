//! Throughput of the structured readers on deterministic generated data.
//!
//! `cargo bench -p shujian-sources --bench structured` — reports MB/s of input per format
//! (CSV comma and GBK, NDJSON), reading every cell into column batches.

use std::ops::ControlFlow;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shujian_sources::{FileFormat, Item, StructuredOptions, read_structured_bytes};

const SURNAMES: [&str; 8] = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄"];
const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊"];
const STREETS: [&str; 4] = [
    "北京市朝阳区建国路",
    "上海市浦东新区世纪大道",
    "广州市天河区体育西路",
    "深圳市南山区科技园",
];

/// `rows` rows of a customer export: id, name, mobile, resident id, address, amount, date,
/// remark (quoted, with a comma).
fn customers_csv(rows: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut out = String::from("编号,姓名,手机号,身份证号,地址,金额,日期,备注\n");
    for i in 0..rows {
        let name = format!(
            "{}{}",
            SURNAMES[rng.gen_range(0..8)],
            GIVEN[rng.gen_range(0..8)]
        );
        let phone = 13_000_000_000u64 + rng.gen_range(0..999_999_999);
        let id = format!("1101051949{:08}", rng.gen_range(0..99_999_999u32));
        let street = STREETS[rng.gen_range(0..4)];
        let amount = rng.gen_range(0..1_000_000) as f64 / 100.0;
        out.push_str(&format!(
            "{i},{name},{phone},{id},{street}{}号,{amount},2024-{:02}-{:02},\"VIP, 第{}次\"\n",
            rng.gen_range(1..999),
            rng.gen_range(1..13),
            rng.gen_range(1..29),
            rng.gen_range(1..50),
        ));
    }
    out
}

fn ndjson(rows: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut out = String::new();
    for i in 0..rows {
        let phone = 13_000_000_000u64 + rng.gen_range(0..999_999_999);
        out.push_str(&format!(
            "{{\"id\":{i},\"user\":{{\"name\":\"{}{}\",\"phone\":\"{phone}\"}},\"orders\":[{{\"tel\":\"{phone}\",\"amount\":{}}}]}}\n",
            SURNAMES[rng.gen_range(0..8)],
            GIVEN[rng.gen_range(0..8)],
            rng.gen_range(0..10_000),
        ));
    }
    out
}

/// Reads `bytes` and returns the number of cells, so the work is not optimised away.
fn read(bytes: &[u8], format: FileFormat) -> usize {
    let mut cells = 0;
    read_structured_bytes(
        "bench",
        bytes.to_vec(),
        format,
        &StructuredOptions::default(),
        &mut |item| {
            if let Item::Batch(b) = item {
                cells += b.rows * b.columns.len();
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    cells
}

fn bench(c: &mut Criterion) {
    let csv = customers_csv(200_000);
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let nd = ndjson(150_000);
    let mut g = c.benchmark_group("structured");
    g.sample_size(10);
    let comma = FileFormat::Csv { delimiter: b',' };
    g.throughput(Throughput::Bytes(csv.len() as u64));
    g.bench_function("csv_utf8", |b| b.iter(|| read(csv.as_bytes(), comma)));
    g.throughput(Throughput::Bytes(gbk.len() as u64));
    g.bench_function("csv_gbk", |b| b.iter(|| read(&gbk, comma)));
    g.throughput(Throughput::Bytes(nd.len() as u64));
    g.bench_function("ndjson", |b| {
        b.iter(|| read(nd.as_bytes(), FileFormat::Ndjson));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
