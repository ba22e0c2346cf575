//! Classification templates: data under `rules/templates/` that map a column's label plus its
//! table's context (table name and comment keywords) and its own name and comment to a
//! category path, a grade, PI and SPI flags, and a citation.
//!
//! Three templates are built in (compiled in with `include_str!`):
//!
//! | id | instrument | spec |
//! |---|---|---|
//! | `gbt43697` | GB/T 43697-2024, PIPL Art 28, GB/T 35273 Appendices A/B — the national baseline | §2, §9 |
//! | `ydt3813` | YD/T 3813-2020, basic telecom enterprises (wholly unverified, spec §3 [U]) | §3 |
//! | `miit-industrial` | 工业数据分类分级指南（试行）2020 domains | §4.1, §1.2 |
//!
//! A user file with the same id replaces a built-in one (`--rules DIR`:
//! `DIR/templates/<id>.toml`); the caller reads the files and hands them in as [`RuleFile`]s —
//! this module does no I/O. `DIR/templates/volume.toml` is not a template: it goes to
//! [`crate::grading::VolumeRules::load`]. Loading validates every field and fails with the file and line.
//!
//! ## Matching
//!
//! A rule matches a column when the column's label is one of the rule's `labels`, one of the
//! rule's `table_context`s was found in the table name or comment (if the rule lists any), and
//! one of its `column_keywords` is in the column name or comment (if it lists any). Of the
//! matching rules the most specific wins (one point each for explicit labels, table context,
//! column keywords); ties go to the rule written first. Modifiers then apply on top (minors →
//! sensitive). A template with a `base` classifies the column under the base too: PI and SPI
//! flags come from the base unless the rule sets them, and the grade is the higher of the two
//! (spec §1.5).
//!
//! ```
//! use shujian_classify::Label;
//! use shujian_classify::template::{ColumnFacts, TemplateSet};
//!
//! let set = TemplateSet::builtin().unwrap();
//! let facts = ColumnFacts {
//!     table: "hr_employee",
//!     table_comment: "员工信息表",
//!     column: "id_no",
//!     column_comment: "身份证号",
//!     label: Label::CnResidentId,
//! };
//! let c = set.classify("gbt43697", &facts).unwrap().unwrap();
//! assert_eq!(c.category, "个人信息/个人身份信息/身份证件号码");
//! assert!(c.pi && c.spi);
//! assert_eq!(c.grade.code(), "general-4");
//! assert_eq!(c.confirmed_by, None);
//! ```

mod load;
mod matching;
mod model;

pub use load::parse_template;
pub use matching::{ColumnFacts, UnknownTemplate};
pub use model::{
    Keyword, LabelSet, Template, TemplateContext, TemplateModifier, TemplateRule, TemplateSet,
};

use shujian_detect::RuleFile;

/// The compiled-in template files.
pub mod builtin {
    /// `rules/templates/gbt43697.toml`.
    pub const GBT43697: &str = include_str!("../../../../rules/templates/gbt43697.toml");
    /// `rules/templates/ydt3813.toml`.
    pub const YDT3813: &str = include_str!("../../../../rules/templates/ydt3813.toml");
    /// `rules/templates/miit-industrial.toml`.
    pub const MIIT_INDUSTRIAL: &str =
        include_str!("../../../../rules/templates/miit-industrial.toml");
    /// `rules/templates/volume.toml`.
    pub const VOLUME: &str = include_str!("../../../../rules/templates/volume.toml");

    /// The template files, as `(name for messages, text)`.
    pub const TEMPLATES: [(&str, &str); 3] = [
        ("builtin:rules/templates/gbt43697.toml", GBT43697),
        ("builtin:rules/templates/ydt3813.toml", YDT3813),
        (
            "builtin:rules/templates/miit-industrial.toml",
            MIIT_INDUSTRIAL,
        ),
    ];
}

/// The built-in template files as [`RuleFile`]s.
pub fn builtin_files() -> Vec<RuleFile> {
    builtin::TEMPLATES
        .iter()
        .map(|(name, text)| RuleFile::new(*name, *text))
        .collect()
}

#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod tests;
