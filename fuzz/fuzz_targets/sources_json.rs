//! Arbitrary bytes → the JSON and NDJSON readers (the first byte chooses which). Reading must
//! never panic; batches must be well formed: as many columns as announced (tables grow with
//! `ColumnsAdded`), `rows` values in each.

#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use shujian_sources::{FileFormat, Item, StructuredOptions, read_structured_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    let format = if first & 1 == 0 {
        FileFormat::Json
    } else {
        FileFormat::Ndjson
    };
    let opts = StructuredOptions {
        batch_rows: usize::from(first / 2) + 1,
        ..StructuredOptions::default()
    };
    let mut widths: Vec<usize> = Vec::new();
    let _ = read_structured_bytes("fuzz.json", input.to_vec(), format, &opts, &mut |item| {
        match item {
            Item::Table(t) => widths.push(t.columns.len()),
            Item::ColumnsAdded { table, columns } => widths[table] += columns.len(),
            Item::Batch(b) => {
                assert_eq!(b.columns.len(), widths[b.table]);
                for c in &b.columns {
                    assert_eq!(c.len(), b.rows);
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
});
