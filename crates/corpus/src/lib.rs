//! Corpus generation.
