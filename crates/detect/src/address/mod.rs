//! Chinese postal addresses (`cn_address`).
//!
//! Placeholder: the model is being built (GB/T 2260 division names, address structure).

use crate::detector::DetectorId;
use crate::keywords::{KeywordHit, KeywordTable};
use crate::scan::Candidate;

/// The address model, built once per engine.
#[derive(Debug, Default)]
pub(crate) struct AddressModel {}

impl AddressModel {
    /// The built-in model.
    pub fn builtin() -> AddressModel {
        AddressModel {}
    }

    /// Finds addresses in `text`. `hits` are all keyword hits of the text, sorted by start;
    /// `me` is this detector's id (keywords targeting it are address cues).
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
