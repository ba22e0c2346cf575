//! Arbitrary bytes → the CSV reader (delimiter chosen by the first byte; gzip, encodings,
//! quoting, header detection). Reading must never panic, and every batch must be well formed:
//! each column holds exactly `rows` values and the rows follow on.

#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use shujian_sources::{FileFormat, Item, StructuredOptions, read_structured_bytes};

const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    let format = FileFormat::Csv {
        delimiter: DELIMITERS[usize::from(first % 4)],
    };
    let opts = StructuredOptions {
        batch_rows: usize::from(first / 4) + 1,
        max_cell_bytes: 64,
        ..StructuredOptions::default()
    };
    let mut width = 0;
    let mut next_row = 0;
    let _ = read_structured_bytes("fuzz.csv", input.to_vec(), format, &opts, &mut |item| {
        match item {
            Item::Table(t) => width = t.columns.len(),
            Item::Batch(b) => {
                assert_eq!(b.columns.len(), width);
                assert_eq!(b.first_row, next_row);
                next_row += b.rows as u64;
                for c in &b.columns {
                    assert_eq!(c.len(), b.rows);
                    for v in c.iter() {
                        assert!(v.len() <= 64);
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
});
