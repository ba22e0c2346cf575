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
//!
//! ```
//! use shujian_classify::Label;
//! use shujian_classify::grading::{Grade, PersonsEstimate, VolumeRules, grade_asset};
//! use shujian_classify::template::{ColumnFacts, TemplateSet};
//!
//! let set = TemplateSet::builtin().unwrap();
//! let column = |name, label| ColumnFacts {
//!     table: "member",
//!     table_comment: "会员表",
//!     column: name,
//!     column_comment: "",
//!     label,
//! };
//! let columns: Vec<_> = [("nickname", Label::UsernameOrNickname), ("sfzh", Label::CnResidentId)]
//!     .into_iter()
//!     .map(|(n, l)| set.classify("gbt43697", &column(n, l)).unwrap().unwrap())
//!     .collect();
//! let persons = PersonsEstimate {
//!     persons: 1_000_000,
//!     sensitive_persons: None,
//!     basis: "distinct cn_resident_id".into(),
//! };
//! let asset = grade_asset("member", &columns, Some(&persons), &VolumeRules::builtin().unwrap());
//! assert_eq!(asset.grade, Grade::general(4).unwrap());
//! assert_eq!(asset.grade_set_by.as_deref(), Some("sfzh"));
//! assert!(asset.flags.iter().any(|f| f.flag == "pipl:pi_protection_officer"));
//! // 重要 is only a candidate, with its reasons, for a person to confirm.
//! assert!(asset.candidate_grade.is_some());
//! assert!(matches!(asset.grade, Grade::General(_)));
//! ```

mod asset;
mod classification;
mod grade;
mod volume;

pub use asset::{AssetGrade, PersonsEstimate, grade_asset};
pub use classification::{Classification, ClassificationReason, SectorGrade};
pub use grade::{CandidateGrade, GeneralLevel, Grade};
pub use volume::{Measure, VolumeFlag, VolumeRule, VolumeRules};
