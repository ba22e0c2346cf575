//! `shujian eval` tests.
