//! Chinese personal names (`cn_person_name`).
//!
//! Placeholder: the model is being built (surname list, given-name characters, context cues).

use crate::detector::DetectorId;
use crate::keywords::{KeywordHit, KeywordTable};
use crate::scan::Candidate;

/// The name model: dictionaries and cues, built once per engine.
#[derive(Debug, Default)]
pub(crate) struct NameModel {}

impl NameModel {
    /// The built-in model.
    pub fn builtin() -> NameModel {
        NameModel {}
    }

    /// Finds names in `text`. `hits` are all keyword hits of the text, sorted by start;
    /// `me` is this detector's id (keywords targeting it are name cues).
    pub fn scan(
        &self,
        _text: &[u8],
        _hits: &[KeywordHit],
        _table: &KeywordTable,
        _me: DetectorId,
        _out: &mut Vec<Candidate>,
    ) {
    }
}
