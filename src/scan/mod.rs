//! `shujian scan`: from paths to findings on standard output.
//!
//! [`pipeline`] runs the workers and writes the output; [`output`] renders the formats;
//! [`progress`] draws the bar. Reading inputs is `shujian-sources`' job and detection is
//! `shujian-detect`'s: this module only wires them together with threads and I/O.

pub mod database;
pub mod grading;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod structured;

pub use output::Format;
pub use pipeline::{ScanConfig, scan};
