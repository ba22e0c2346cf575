//! Accuracy measurement: reading labelled data and scoring the engine's findings against it.
//!
//! * [`gold`] reads gold records (faker-zh JSON lines, CLUENER2020, Weibo NER CoNLL,
//!   People's Daily BIO) into one shape: text plus spans in code points, end exclusive.
//! * [`labels`] maps detector ids and the sets' own labels onto one vocabulary.
//! * [`metrics`] matches spans (exact, overlap; one-to-one) and computes P/R/F1.
//! * [`spans`] runs the engine over every record in parallel and tallies per label;
//!   [`examples`] renders the errors (masked); [`report`] holds the results (JSON) and
//!   [`render`] prints them as tables.
//! * [`columns`] scores column labels (`eval columns`) against a labels CSV.
//!
//! The commands and the measured numbers are in `docs/ACCURACY.md`.

pub mod columns;
pub mod examples;
pub mod gold;
pub mod labels;
pub mod metrics;
pub mod render;
pub mod report;
pub mod spans;
