//! `shujian scan` tests.
