//! A loaded, validated template and the set of templates in force.

use shujian_detect::{RuleError, RuleFile};

use super::load::{parse_template, resolve_bases};
use crate::grading::{CandidateGrade, GeneralLevel};
use crate::label::Label;

/// A keyword of a table context or a rule's column condition.
///
/// ASCII keywords match whole words of a name or comment as [`crate::tokens::split_name`]
/// splits them (`user` matches `t_user_info`, not `username`; `after sales` matches
/// `after_sales_order`); keywords with Chinese characters match anywhere in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyword {
    /// The keyword as written, lowercased.
    pub text: String,
    /// For ASCII keywords, the words it must match consecutively; empty for Chinese ones.
    pub words: Vec<String>,
}

/// Which column labels a rule or modifier applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelSet {
    /// `ANY`: every label, `NONE` included.
    Any,
    /// `ANY_PI`: every label but `NONE`.
    AnyPi,
    /// The labels listed.
    Only(Vec<Label>),
}

impl LabelSet {
    /// Whether the set holds a label.
    pub fn contains(&self, label: Label) -> bool {
        match self {
            LabelSet::Any => true,
            LabelSet::AnyPi => label.is_pi(),
            LabelSet::Only(v) => v.contains(&label),
        }
    }

    /// Whether the labels are listed one by one (counts towards a rule's specificity).
    pub fn is_explicit(&self) -> bool {
        matches!(self, LabelSet::Only(_))
    }
}

/// A table context: keywords that, found in a table's name or comment, say what its rows are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateContext {
    /// Id used by rules (`health`, `cdr`, `production` …).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Keywords, any of which sets the context.
    pub keywords: Vec<Keyword>,
    /// Source, when given.
    pub cite: Option<String>,
}

/// One rule: conditions on the column, and what the column is then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateRule {
    /// Id, unique in the template.
    pub id: String,
    /// Labels it applies to.
    pub labels: LabelSet,
    /// Table contexts, any of which must be present (none listed: no condition).
    pub table_context: Vec<String>,
    /// Column keywords, any of which must be in the column name or comment (none listed: no
    /// condition).
    pub column_keywords: Vec<Keyword>,
    /// Category path, `/`-separated.
    pub category: String,
    /// General-data sub-grade; `None` only in templates with a base (the base decides).
    pub grade: Option<GeneralLevel>,
    /// The sector standard's own level (one of the template's `sector_grades`).
    pub sector_grade: Option<String>,
    /// Proposed 重要/核心, with `candidate_reason`.
    pub candidate: Option<CandidateGrade>,
    /// Why the candidate is proposed.
    pub candidate_reason: Option<String>,
    /// PI flag; `None` only in templates with a base.
    pub pi: Option<bool>,
    /// SPI flag; `None` only in templates with a base.
    pub spi: Option<bool>,
    /// Why sensitive (required when `spi = true`).
    pub spi_basis: Option<String>,
    /// Citation (spec section and instrument).
    pub cite: String,
    /// An item of the spec tagged [U] is part of the basis.
    pub unverified: bool,
    /// A note for the reviewer.
    pub note: Option<String>,
    /// `file:line` where it was declared.
    pub origin: String,
}

impl TemplateRule {
    /// Specificity: one point each for explicit labels, a table-context condition and a
    /// column-keyword condition. The most specific matching rule wins.
    pub fn specificity(&self) -> u8 {
        u8::from(self.labels.is_explicit())
            + u8::from(!self.table_context.is_empty())
            + u8::from(!self.column_keywords.is_empty())
    }
}

/// A modifier: applied on top of the chosen rule whenever its conditions hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateModifier {
    /// Id, unique among the template's modifiers.
    pub id: String,
    /// Labels it applies to.
    pub labels: LabelSet,
    /// Table contexts, any of which must be present.
    pub table_context: Vec<String>,
    /// Column keywords, any of which must be present.
    pub column_keywords: Vec<Keyword>,
    /// Makes the column sensitive (with `spi_basis`).
    pub spi: bool,
    /// Why sensitive.
    pub spi_basis: Option<String>,
    /// Raises the general sub-grade to at least this.
    pub min_grade: Option<GeneralLevel>,
    /// Proposes 重要/核心.
    pub candidate: Option<CandidateGrade>,
    /// Why the candidate is proposed.
    pub candidate_reason: Option<String>,
    /// Citation.
    pub cite: String,
    /// An item of the spec tagged [U] is part of the basis.
    pub unverified: bool,
    /// A note for the reviewer.
    pub note: Option<String>,
    /// `file:line` where it was declared.
    pub origin: String,
}

/// One classification template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Id (`gbt43697` …); a user file with the same id replaces the built-in.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// Source instrument(s).
    pub source: String,
    /// Spec sections it rests on.
    pub spec: String,
    /// The template whose PI/SPI flags and sub-grades apply beneath this one.
    pub base: Option<String>,
    /// The sector standard's own levels, lowest first (YD/T 3813: 第一级 … 第四级).
    pub sector_grades: Vec<String>,
    /// The whole template rests on unconfirmed items ([U]).
    pub unverified: bool,
    /// What is unconfirmed, for the reviewer.
    pub unverified_note: Option<String>,
    /// Table contexts.
    pub contexts: Vec<TemplateContext>,
    /// Rules, in file order.
    pub rules: Vec<TemplateRule>,
    /// Modifiers, in file order.
    pub modifiers: Vec<TemplateModifier>,
    /// The file it came from.
    pub file: String,
    /// `file:line` of `base`, for error messages.
    pub(crate) base_origin: Option<(String, usize)>,
}

impl Template {
    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&TemplateRule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// A context by id.
    pub fn context(&self, id: &str) -> Option<&TemplateContext> {
        self.contexts.iter().find(|c| c.id == id)
    }
}

/// The templates in force: the built-ins, each possibly replaced by a user file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSet {
    pub(crate) templates: Vec<Template>,
}

impl TemplateSet {
    /// The built-in templates.
    pub fn builtin() -> Result<TemplateSet, RuleError> {
        TemplateSet::load(&[])
    }

    /// The built-in templates with user files applied: a file whose `id` is a built-in's
    /// replaces it, any other adds a template. Each file's name should end in `<id>.toml`
    /// (`DIR/templates/<id>.toml`); a mismatch is an error naming the file and line.
    pub fn load(user_files: &[RuleFile]) -> Result<TemplateSet, RuleError> {
        let mut templates: Vec<Template> = Vec::new();
        for file in super::builtin_files().iter().chain(user_files) {
            let t = parse_template(file)?;
            match templates.iter_mut().find(|x| x.id == t.id) {
                Some(slot) => *slot = t,
                None => templates.push(t),
            }
        }
        resolve_bases(&templates)?;
        Ok(TemplateSet { templates })
    }

    /// A template by id.
    pub fn get(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }

    /// The templates, built-ins first.
    pub fn templates(&self) -> &[Template] {
        &self.templates
    }
}
