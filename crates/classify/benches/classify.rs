//! Column classification speed: from 100-value samples (target ≥ 1,000 columns/s on one
//! thread) and the streaming accumulator over full columns (target ≥ 200 MB/s of cell text).
//!
//! The columns are generated with a fixed seed: a mix of personal columns (IDs, mobiles,
//! e-mails, names, genders, amounts, dates, avatars) and ordinary ones (ids, statuses,
//! times, product names, free text), with names, comments and tables to match.
//!
//! Run: `cargo bench -p shujian-classify --bench classify`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shujian_classify::{Classifier, ColumnInput};
use shujian_detect::CivilDate;

struct Column {
    table: String,
    name: String,
    comment: String,
    ty: String,
    values: Vec<String>,
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
];
const WORDS: [&str; 8] = [
    "商品", "优惠", "新品", "包邮", "限时", "热卖", "推荐", "特价",
];

fn resident_id(rng: &mut ChaCha8Rng) -> String {
    let mut s = format!(
        "{}{:04}{:04}{:02}{:02}{:03}",
        ["11", "31", "44", "51"][rng.gen_range(0..4)],
        rng.gen_range(100..9999),
        rng.gen_range(1950..2005),
        rng.gen_range(1..13),
        rng.gen_range(1..29),
        rng.gen_range(0..1000)
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = s.bytes().zip(W).map(|(b, w)| u32::from(b - b'0') * w).sum();
    s.push(b"10X98765432"[(sum % 11) as usize] as char);
    s
}

fn value(kind: usize, rng: &mut ChaCha8Rng) -> String {
    match kind {
        0 => resident_id(rng),
        1 => format!(
            "13{}{:08}",
            rng.gen_range(0..10),
            rng.gen_range(0..100_000_000)
        ),
        2 => format!("user{}@example.com", rng.gen_range(0..100_000)),
        3 => format!(
            "{}{}{}",
            SURNAMES[rng.gen_range(0..12)],
            GIVEN[rng.gen_range(0..12)],
            GIVEN[rng.gen_range(0..12)]
        ),
        4 => ["男", "女"][rng.gen_range(0..2)].to_string(),
        5 => format!("{}.{:02}", rng.gen_range(1..5000), rng.gen_range(0..100)),
        6 => format!(
            "{}-{:02}-{:02}",
            rng.gen_range(1950..2010),
            rng.gen_range(1..13),
            rng.gen_range(1..29)
        ),
        7 => format!(
            "https://cdn.example.com/avatar/{}.png",
            rng.gen_range(0..100_000)
        ),
        8 => rng.gen_range(1..1_000_000).to_string(),
        9 => rng.gen_range(0..3).to_string(),
        10 => format!(
            "2024-{:02}-{:02} {:02}:{:02}:{:02}",
            rng.gen_range(1..13),
            rng.gen_range(1..29),
            rng.gen_range(0..24),
            rng.gen_range(0..60),
            rng.gen_range(0..60)
        ),
        _ => (0..rng.gen_range(2..12))
            .map(|_| WORDS[rng.gen_range(0..8)])
            .collect(),
    }
}

const KINDS: [(&str, &str, &str, &str); 12] = [
    ("id_card", "身份证号", "patient", "varchar(18)"),
    ("mobile", "手机号码", "user", "varchar(11)"),
    ("email", "邮箱", "member", "varchar(64)"),
    ("real_name", "姓名", "customer", "varchar(32)"),
    ("gender", "性别", "user", "varchar(2)"),
    ("pay_amount", "支付金额", "order", "decimal(10,2)"),
    ("birthday", "生日", "member", "date"),
    ("avatar", "头像", "user", "varchar(255)"),
    ("id", "", "goods", "bigint"),
    ("status", "状态", "order", "tinyint"),
    ("create_time", "创建时间", "order", "datetime"),
    ("product_name", "商品名称", "goods", "varchar(200)"),
];

fn columns(n: usize, rows: usize, seed: u64) -> Vec<Column> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let kind = rng.gen_range(0..KINDS.len());
            let (name, comment, table, ty) = KINDS[kind];
            Column {
                table: format!("t_{table}_{}", i % 50),
                name: name.to_string(),
                comment: if rng.gen_bool(0.5) {
                    comment.to_string()
                } else {
                    String::new()
                },
                ty: ty.to_string(),
                values: (0..rows)
                    .map(|_| {
                        if rng.gen_bool(0.05) {
                            String::new()
                        } else {
                            value(kind, &mut rng)
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let classifier = Classifier::builtin(CivilDate::new(2026, 11, 23).unwrap()).unwrap();

    let sample = columns(1_000, 100, 20_261_123);
    let mut g = c.benchmark_group("classify_sample");
    g.throughput(Throughput::Elements(sample.len() as u64));
    g.sample_size(10);
    g.bench_function("1000_columns_x_100_values", |b| {
        b.iter(|| {
            for col in &sample {
                let values: Vec<&str> = col.values.iter().map(String::as_str).collect();
                let input = ColumnInput {
                    table: &col.table,
                    table_comment: "",
                    column: &col.name,
                    comment: &col.comment,
                    declared_type: &col.ty,
                };
                black_box(classifier.classify(&input, &values));
            }
        });
    });
    g.finish();

    // Full columns: batches of 4,096 values joined by '\n'.
    let full = columns(24, 40_000, 7);
    let batches: Vec<Vec<(String, Vec<u32>)>> = full
        .iter()
        .map(|col| {
            col.values
                .chunks(4096)
                .map(|chunk| {
                    let mut text = String::new();
                    let mut ends = Vec::new();
                    for (i, v) in chunk.iter().enumerate() {
                        if i > 0 {
                            text.push('\n');
                        }
                        text.push_str(v);
                        ends.push(text.len() as u32);
                    }
                    (text, ends)
                })
                .collect()
        })
        .collect();
    let bytes: usize = full.iter().flat_map(|c| &c.values).map(String::len).sum();
    let mut g = c.benchmark_group("accumulate");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("24_columns_x_40000_values", |b| {
        b.iter(|| {
            for col in &batches {
                let mut acc = classifier.accumulator();
                for (text, ends) in col {
                    acc.push_batch(text, ends);
                }
                black_box(acc.counts().non_empty);
            }
        });
    });
    // The detection engine alone on the same batches: the floor of the accumulator's cost.
    g.bench_function("engine_scan_only", |b| {
        let engine = classifier.engine();
        let mut scratch = shujian_detect::Scratch::default();
        let mut out = Vec::new();
        b.iter(|| {
            for col in &batches {
                for (text, _) in col {
                    out.clear();
                    engine.scan_window(
                        &shujian_detect::TextWindow::whole(text),
                        &mut scratch,
                        &mut out,
                    );
                    black_box(out.len());
                }
            }
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
