//! Black-box tests of the `shujian` binary, in one test binary (one link, fast CI).

mod common;
mod database;
mod detectors;
mod eval;
mod scan;
mod structured;
