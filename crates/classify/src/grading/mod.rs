//! Grades, column classifications, asset grades and volume rules.
//!
//! * A column's [`Classification`] comes from a template (see [`crate::template`]): category,
//!   [`Grade`], PI and SPI flags, reasons, citation, and `confirmed_by` left empty for the
//!   person who confirms it.
//! * An asset's grade is the highest grade of its columns (spec §1.5, MIIT Art 13: data of
//!   mixed grades that cannot be separated is protected at the highest grade), and the reason
//!   names the column that set it: [`grade_asset`].
//! * [`VolumeRules`] (data, `rules/templates/volume.toml`) turn the number of persons an asset
//!   holds into flags citing spec §5.1, §7.1 and §9.1.
//! * 重要 and 核心 are never asserted by shujian: templates and volume rules only *propose* a
//!   [`CandidateGrade`] with its reasons, and [`Grade`] stays the highest general sub-grade until
//!   a person confirms otherwise ([`Classification::confirm`]).

mod asset;
mod classification;
mod grade;
mod volume;

pub use asset::{AssetGrade, PersonsEstimate, grade_asset};
pub use classification::{Classification, ClassificationReason, SectorGrade};
pub use grade::{CandidateGrade, GeneralLevel, Grade};
pub use volume::{Measure, VolumeFlag, VolumeRule, VolumeRules};
