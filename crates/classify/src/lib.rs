//! # shujian-classify — which kind of personal information a column holds
//!
//! A pure library: no I/O, no clock, no global state. From a column's name, its comment (or
//! header), its table and its values it builds a [`ColumnProfile`]: hit ratios per detector,
//! value shapes, a distinct-value estimate, masked examples, and one [`Label`] with a
//! confidence and the reasons.
//!
//! ## Design
//!
//! * **Evidence as points.** Every label collects points; each point given is a [`Reason`]
//!   (`name_hint:sfzh`, `hit_ratio:cn_resident_id=0.98`, `table:catalog` …). The best label
//!   wins if it reaches the threshold, otherwise the column is [`Label::None`].
//! * **Heads count.** `receiver_phone` is a phone, `phone_count` a count: the keyword ending
//!   the name (after fillers such as `md5`, `url`) or the comment's first clause decides.
//!   Pinyin abbreviations (`sfzh` 身份证号, `brxm` 病人姓名) are matched on words of initials.
//! * **Values are evidence, not the verdict.** Detector hits on whole values (a resident ID,
//!   a mobile number) can decide alone; shapes (2-decimal amounts, image URLs, login names)
//!   only support a hint; gender words and the 56 ethnic groups are recognised over the
//!   distinct values.
//! * **Context.** Catalogue prices are not personal, dictionary tables hold no personal data,
//!   places in login logs are IP-derived locations, operators in audit columns are login
//!   names unless their values are Chinese names.
//! * **Rules are data.** Keyword families, pinyin abbreviations, table words, value rules and
//!   thresholds live in `rules/classify/*.toml` (compiled in, replaceable).
//! * **Streaming.** A [`ColumnAccumulator`] takes batches of values joined by `'\n'`, scans
//!   each batch once with the detection engine, and keeps counts, a HyperLogLog sketch and at
//!   most three masked examples: memory does not grow with the column.
//!
//! ## Example
//!
//! ```
//! use shujian_classify::{Classifier, ColumnInput, Label};
//! use shujian_detect::CivilDate;
//!
//! let c = Classifier::builtin(CivilDate::new(2026, 11, 23).unwrap()).unwrap();
//! let input = ColumnInput { table: "patient", column: "sfzh", ..ColumnInput::default() };
//! let p = c.classify(&input, &["11010519491231002X", "", "440524188001010014"]);
//! assert_eq!(p.label, Label::CnResidentId);
//! assert!(p.reasons.iter().any(|r| r.code == "name_hint:sfzh"));
//! assert_eq!(p.hit_ratios["cn_resident_id"], 1.0);
//! assert_eq!(p.examples[0], "110105********002X");
//!
//! let gender = ColumnInput { column: "xb", comment: "", ..input };
//! assert_eq!(c.classify(&gender, &["男", "女", "女", "男"]).label, Label::Gender);
//! ```

mod accumulator;
mod classifier;
mod decide;
mod distinct;
pub mod grading;
pub mod hints;
mod label;
pub mod mask;
mod profile;
pub mod rules;
pub mod template;
pub mod tokens;
pub mod values;

pub use accumulator::{ColumnAccumulator, ColumnCounts, MAX_EXAMPLES};
pub use classifier::{Classifier, ClassifyError, ColumnInput, default_engine_options};
pub use decide::TableContext;
pub use distinct::{DistinctSketch, SmallCounts, hash_value};
pub use grading::{AssetGrade, Classification, Grade, PersonsEstimate, VolumeRules, grade_asset};
pub use label::Label;
pub use profile::{Candidate, ColumnProfile, Reason};
pub use rules::{ClassifyRules, Target};
pub use template::{ColumnFacts, TemplateSet};
