//! Classification rules from TOML: keyword families, pinyin abbreviations, table context,
//! value-evidence rules and thresholds.
//!
//! The crate does no I/O: callers hand in [`RuleFile`]s. The built-in files
//! (`rules/classify/labels.toml`, `rules/classify/signals.toml`) are compiled in; a user file of
//! the same shape replaces one. Every error names the file and, where known, the line.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use shujian_detect::rules::line_col;
use shujian_detect::{RuleError, RuleFile};
use toml::Spanned;

use crate::label::Label;
use crate::values::Shape;

/// The compiled-in rule files.
pub mod builtin {
    /// `rules/classify/labels.toml`.
    pub const LABELS: &str = include_str!("../../../rules/classify/labels.toml");
    /// `rules/classify/signals.toml`.
    pub const SIGNALS: &str = include_str!("../../../rules/classify/signals.toml");
}

/// What a keyword points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A label.
    Label(Label),
    /// A person reference whose kind (real name or login name) the values and the operator
    /// context decide: 操作人, 创建者, `create_by`.
    PersonRef,
    /// Not personal information, and it says so: `id`, `time`, 编号, 数量, 图片地址 … A blocker
    /// at the head of a name or comment lowers every label.
    Blocker,
}

impl Target {
    fn parse(s: &str) -> Option<Target> {
        match s {
            "NONE" => Some(Target::Blocker),
            "PERSON_REF" => Some(Target::PersonRef),
            _ => Label::parse(s).filter(|l| l.is_pi()).map(Target::Label),
        }
    }

    /// The code used in reasons.
    pub fn code(self) -> &'static str {
        match self {
            Target::Label(l) => l.code(),
            Target::PersonRef => "PERSON_REF",
            Target::Blocker => "NONE",
        }
    }
}

/// One keyword of a family.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// The text: lowercase words separated by one space (names), or Chinese/ASCII text
    /// (comments).
    pub text: String,
    /// Where it points.
    pub target: Target,
    /// Strength (1.0 is a plain keyword).
    pub weight: f32,
    /// Only counts with corroboration (a person table, values, another hint).
    pub weak: bool,
}

/// Where a keyword may match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeywordKind {
    Name,
    Pinyin,
    Comment,
}

/// Weights and thresholds (`[weights]` in `signals.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Weights {
    /// A label wins only with at least this score; otherwise the column is `NONE`.
    pub threshold: f32,
    pub name_head: f32,
    pub name_in_token: f32,
    pub name_elsewhere: f32,
    pub comment_head: f32,
    pub comment_near: f32,
    pub comment_elsewhere: f32,
    /// Factor applied to a weak keyword without corroboration.
    pub weak_factor: f32,
    /// Penalty of a blocker at the head of the name / comment.
    pub block_name: f32,
    pub block_comment: f32,
    /// A person reference in an operator context: share given to the other person label.
    pub person_ref_other: f32,
    /// Table context.
    pub person_table: f32,
    pub transaction_table: f32,
    pub catalog_table: f32,
    pub dictionary_table: f32,
    /// Values that contradict a hint (tiny enumerations under a rich label, numbers under a
    /// person label).
    pub contradiction: f32,
    /// A declared type that fits (or contradicts) the label: `decimal(10,2)` for amounts,
    /// `date` for birth dates, an integer type for person references.
    pub declared_type: f32,
    /// Score at which confidence is `high` / `medium`.
    pub high: f32,
    pub medium: f32,
}

/// Table-name context (`[table]`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TableWords {
    /// Words that say the rows are persons (user, member, patient …).
    pub person: Vec<String>,
    /// Words that say a table is a child entity of a person table, not persons
    /// (`member_level`, `user_role`).
    pub not_person: Vec<String>,
    /// Transactions: amounts here belong to one person or transaction.
    pub transaction: Vec<String>,
    /// Catalogue, promotion and rule tables: prices here are not personal.
    pub catalog: Vec<String>,
    /// Dictionary, configuration and template tables: nothing in them is personal, except
    /// the audit columns.
    pub dictionary: Vec<String>,
    /// Login and access logs: places in them are IP-derived locations.
    pub access_log: Vec<String>,
    /// Words ignored when finding a table's head word (`tb`, `t`, `info` …).
    pub generic: Vec<String>,
}

/// Name-splitting context (`[name]`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NameWords {
    /// Trailing words that do not change what a name means (`no`, `num`, `md5`, `url` …).
    pub fillers: Vec<String>,
    /// Words that mark an operator (`create_by`, `operate_man`): person references default to
    /// login names there.
    pub operator: Vec<String>,
    /// Words before `name` that make it a person's name when the table says nothing.
    pub person_modifiers: Vec<String>,
}

/// Comment context (`[comment]`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CommentWords {
    /// Words that mark an operator (操作, 创建 …).
    pub operator: Vec<String>,
    /// Chinese characters allowed after a keyword at the head without weakening it (号, 码 …).
    pub suffix_chars: String,
    /// Beginnings of a comment that make the column a flag (是否 …): a blocker.
    pub flag_prefixes: Vec<String>,
}

/// Value vocabularies (`[values]`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ValueWords {
    /// Words meaning a gender (男, 女, male …), lowercase.
    pub gender_words: Vec<String>,
    /// Codes used for gender in enumerations (0, 1, 2, M, F …), lowercase.
    pub gender_codes: Vec<String>,
    /// The 56 ethnic groups, without the 族 suffix.
    pub ethnic_groups: Vec<String>,
    /// Other enumerations of OTHER_PI (marital status, education, political status …).
    pub other_pi_words: Vec<String>,
    /// Image file extensions (`.jpg` …), lowercase.
    pub image_extensions: Vec<String>,
    /// Substrings of user-agent, browser and OS strings.
    pub device_markers: Vec<String>,
}

/// Value evidence from a detector's hit ratio (`[[detector]]`).
#[derive(Clone, Debug, PartialEq)]
pub struct DetectorRule {
    /// Detector id (`cn_mobile`).
    pub detector: String,
    /// The label it supports.
    pub label: Label,
    /// Ratio of non-empty values below which the rule says nothing.
    pub min_ratio: f32,
    /// Score at `min_ratio`.
    pub weight_min: f32,
    /// Score at ratio 1.
    pub weight_max: f32,
    /// Whether it counts without a name or comment hint for the label.
    pub alone: bool,
    /// Where it was declared (`file:line`).
    pub origin: String,
}

/// Value evidence from a value shape (`[[shape]]`).
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeRule {
    /// The shape.
    pub shape: Shape,
    /// The label it supports.
    pub label: Label,
    /// Ratio of non-empty values below which the rule says nothing.
    pub min_ratio: f32,
    /// Score (added when the ratio reaches `min_ratio`).
    pub weight: f32,
    /// Whether it counts without a hint for the label.
    pub alone: bool,
    /// Fewest non-empty values for the rule to count.
    pub min_values: u64,
}

/// All classification rules.
#[derive(Clone, Debug)]
pub struct ClassifyRules {
    /// Keywords matched on split column names.
    pub names: Vec<Keyword>,
    /// Pinyin abbreviations and words matched on name words.
    pub pinyin: Vec<Keyword>,
    /// Keywords matched in comments and headers.
    pub comments: Vec<Keyword>,
    /// Citation of each label family.
    pub sources: HashMap<String, String>,
    /// Weights and thresholds.
    pub weights: Weights,
    /// Table context words.
    pub table: TableWords,
    /// Name context words.
    pub name: NameWords,
    /// Comment context words.
    pub comment: CommentWords,
    /// Value vocabularies.
    pub values: ValueWords,
    /// Detector evidence.
    pub detectors: Vec<DetectorRule>,
    /// Shape evidence.
    pub shapes: Vec<ShapeRule>,
    /// Labels for which values that are tiny enumerations or bare small numbers contradict a
    /// hint.
    pub rich_labels: Vec<Label>,
}

impl ClassifyRules {
    /// The compiled-in rules. They are tested, so this cannot fail at run time.
    pub fn builtin() -> ClassifyRules {
        ClassifyRules::load(
            &RuleFile::new("builtin:rules/classify/labels.toml", builtin::LABELS),
            &RuleFile::new("builtin:rules/classify/signals.toml", builtin::SIGNALS),
        )
        .unwrap_or_else(|e| panic!("built-in classification rules are invalid: {e}"))
    }

    /// Loads the two rule files (the built-in ones or user replacements).
    pub fn load(labels: &RuleFile, signals: &RuleFile) -> Result<ClassifyRules, RuleError> {
        let mut rules = parse_labels(labels)?;
        parse_signals(signals, &mut rules)?;
        Ok(rules)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelsFile {
    family: Vec<FamilyRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilyRow {
    label: Spanned<String>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    names: Vec<Spanned<String>>,
    #[serde(default)]
    pinyin: Vec<Spanned<String>>,
    #[serde(default)]
    comment: Vec<Spanned<String>>,
}

fn parse_labels(file: &RuleFile) -> Result<ClassifyRules, RuleError> {
    let parsed: LabelsFile =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    let mut names = Vec::new();
    let mut pinyin = Vec::new();
    let mut comments = Vec::new();
    let mut sources = HashMap::new();
    for row in parsed.family {
        let span = row.label.span();
        let Some(target) = Target::parse(row.label.get_ref()) else {
            let known: Vec<&str> = Label::ALL[1..].iter().map(|l| l.code()).collect();
            return Err(RuleError::at(
                file,
                Some(span),
                format!(
                    "`{}` is not a label (known: NONE, PERSON_REF, {})",
                    row.label.get_ref(),
                    known.join(", ")
                ),
            ));
        };
        if !row.source.is_empty() {
            sources.insert(target.code().to_string(), row.source.clone());
        }
        for (list, kind, out) in [
            (&row.names, KeywordKind::Name, &mut names),
            (&row.pinyin, KeywordKind::Pinyin, &mut pinyin),
            (&row.comment, KeywordKind::Comment, &mut comments),
        ] {
            for entry in list {
                let kw = parse_keyword(file, entry, target, kind)?;
                if let Some(prev) = out.iter().find(|k: &&Keyword| k.text == kw.text) {
                    return Err(RuleError::at(
                        file,
                        Some(entry.span()),
                        format!(
                            "keyword `{}` is already listed for {}",
                            kw.text,
                            prev.target.code()
                        ),
                    ));
                }
                out.push(kw);
            }
        }
    }
    Ok(ClassifyRules {
        names,
        pinyin,
        comments,
        sources,
        weights: Weights {
            threshold: 0.6,
            name_head: 1.0,
            name_in_token: 0.85,
            name_elsewhere: 0.35,
            comment_head: 1.1,
            comment_near: 0.9,
            comment_elsewhere: 0.45,
            weak_factor: 0.45,
            block_name: 0.9,
            block_comment: 0.9,
            person_ref_other: 0.6,
            person_table: 0.4,
            transaction_table: 0.3,
            catalog_table: 1.0,
            dictionary_table: 1.2,
            contradiction: 0.8,
            declared_type: 0.3,
            high: 1.6,
            medium: 1.0,
        },
        table: TableWords::default(),
        name: NameWords::default(),
        comment: CommentWords::default(),
        values: ValueWords::default(),
        detectors: Vec::new(),
        shapes: Vec::new(),
        rich_labels: Vec::new(),
    })
}

/// Parses `text`, `text*0.8` (weight) or `text?` (weak; also `text*0.8?`).
fn parse_keyword(
    file: &RuleFile,
    entry: &Spanned<String>,
    target: Target,
    kind: KeywordKind,
) -> Result<Keyword, RuleError> {
    let raw = entry.get_ref().trim();
    let bad = |msg: String| RuleError::at(file, Some(entry.span()), msg);
    let (raw, weak) = match raw.strip_suffix('?') {
        Some(r) => (r, true),
        None => (raw, false),
    };
    let (text, weight) = match raw.rsplit_once('*') {
        Some((t, w)) => {
            let w: f32 = w
                .trim()
                .parse()
                .map_err(|_| bad(format!("`{raw}`: the weight after `*` must be a number")))?;
            if !(0.0..=3.0).contains(&w) {
                return Err(bad(format!("`{raw}`: weight {w} is outside 0..3")));
            }
            (t.trim(), w)
        }
        None => (raw, 1.0),
    };
    if text.is_empty() {
        return Err(bad("empty keyword".to_string()));
    }
    let text = match kind {
        KeywordKind::Name => {
            let words = crate::tokens::split_name(text);
            if words.is_empty() || words.len() > 4 {
                return Err(bad(format!(
                    "`{text}`: a name keyword has one to four words"
                )));
            }
            words.join(" ")
        }
        KeywordKind::Pinyin => {
            if !text.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(bad(format!(
                    "`{text}`: a pinyin keyword is lowercase ASCII letters only"
                )));
            }
            text.to_string()
        }
        KeywordKind::Comment => text.to_lowercase(),
    };
    Ok(Keyword {
        text,
        target,
        weight,
        weak,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalsFile {
    weights: Weights,
    table: TableWords,
    name: NameWords,
    comment: CommentWords,
    values: ValueWords,
    rich_labels: Spanned<Vec<String>>,
    #[serde(default)]
    detector: Vec<Spanned<DetectorRow>>,
    #[serde(default)]
    shape: Vec<Spanned<ShapeRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorRow {
    detector: String,
    label: Spanned<String>,
    min_ratio: f32,
    weight_min: f32,
    weight_max: f32,
    #[serde(default)]
    alone: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeRow {
    shape: Spanned<String>,
    label: Spanned<String>,
    min_ratio: f32,
    weight: f32,
    #[serde(default)]
    alone: bool,
    #[serde(default = "default_min_values")]
    min_values: u64,
}

fn default_min_values() -> u64 {
    1
}

fn pi_label(file: &RuleFile, s: &Spanned<String>) -> Result<Label, RuleError> {
    Label::parse(s.get_ref())
        .filter(|l| l.is_pi())
        .ok_or_else(|| {
            RuleError::at(
                file,
                Some(s.span()),
                format!("`{}` is not a personal-information label", s.get_ref()),
            )
        })
}

fn check_ratio(file: &RuleFile, span: Range<usize>, r: f32) -> Result<(), RuleError> {
    if (0.0..=1.0).contains(&r) {
        Ok(())
    } else {
        Err(RuleError::at(
            file,
            Some(span),
            format!("min_ratio {r} is outside 0..1"),
        ))
    }
}

fn parse_signals(file: &RuleFile, rules: &mut ClassifyRules) -> Result<(), RuleError> {
    let parsed: SignalsFile =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    rules.weights = parsed.weights;
    rules.table = parsed.table;
    rules.name = parsed.name;
    rules.comment = parsed.comment;
    rules.values = parsed.values;
    let span = parsed.rich_labels.span();
    for l in parsed.rich_labels.into_inner() {
        let label = Label::parse(&l).filter(|l| l.is_pi()).ok_or_else(|| {
            RuleError::at(
                file,
                Some(span.clone()),
                format!("rich_labels: `{l}` is not a personal-information label"),
            )
        })?;
        rules.rich_labels.push(label);
    }
    for row in parsed.detector {
        let span = row.span();
        let row = row.into_inner();
        check_ratio(file, span.clone(), row.min_ratio)?;
        let (line, _) = line_col(&file.text, span.start);
        rules.detectors.push(DetectorRule {
            label: pi_label(file, &row.label)?,
            detector: row.detector,
            min_ratio: row.min_ratio,
            weight_min: row.weight_min,
            weight_max: row.weight_max,
            alone: row.alone,
            origin: format!("{}:{line}", file.name),
        });
    }
    for row in parsed.shape {
        let span = row.span();
        let row = row.into_inner();
        check_ratio(file, span, row.min_ratio)?;
        let shape = Shape::parse(row.shape.get_ref()).ok_or_else(|| {
            RuleError::at(
                file,
                Some(row.shape.span()),
                format!(
                    "`{}` is not a value shape (known: {})",
                    row.shape.get_ref(),
                    Shape::ALL.map(Shape::code).join(", ")
                ),
            )
        })?;
        rules.shapes.push(ShapeRule {
            shape,
            label: pi_label(file, &row.label)?,
            min_ratio: row.min_ratio,
            weight: row.weight,
            alone: row.alone,
            min_values: row.min_values,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals() -> RuleFile {
        RuleFile::new("s.toml", builtin::SIGNALS)
    }

    #[test]
    fn builtin_rules_load() {
        let r = ClassifyRules::builtin();
        assert!(r.names.iter().any(|k| k.text == "phone"));
        assert!(r.pinyin.iter().any(|k| k.text == "sfzh"));
        assert!(r.comments.iter().any(|k| k.text == "身份证"));
        assert!(!r.detectors.is_empty());
        assert!(!r.shapes.is_empty());
        assert_eq!(r.values.ethnic_groups.len(), 56);
    }

    #[test]
    fn keyword_weights_and_weak_marks_parse() {
        let f = RuleFile::new(
            "l.toml",
            "[[family]]\nlabel = \"PHONE\"\nnames = [\"userPhone*0.5\", \"tel?\"]\n",
        );
        let r = ClassifyRules::load(&f, &signals()).unwrap();
        assert_eq!(r.names[0].text, "user phone");
        assert!((r.names[0].weight - 0.5).abs() < 1e-6);
        assert!(r.names[1].weak);
        assert_eq!(r.names[1].target, Target::Label(Label::Phone));
    }

    #[test]
    fn errors_name_file_and_line() {
        let f = RuleFile::new(
            "my.toml",
            "[[family]]\nlabel = \"PHONE\"\n\n[[family]]\nlabel = \"PHONES\"\n",
        );
        let e = ClassifyRules::load(&f, &signals()).unwrap_err();
        assert_eq!(e.file, "my.toml");
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("PHONES"), "{e}");

        let f = RuleFile::new(
            "my.toml",
            "[[family]]\nlabel = \"PHONE\"\nnames = [\"tel*x\"]\n",
        );
        let e = ClassifyRules::load(&f, &signals()).unwrap_err();
        assert_eq!(e.line, Some(3));

        let f = RuleFile::new(
            "my.toml",
            "[[family]]\nlabel = \"PHONE\"\npinyin = [\"dh\"]\n[[family]]\nlabel = \"EMAIL\"\npinyin = [\"dh\"]\n",
        );
        let e = ClassifyRules::load(&f, &signals()).unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(e.message.contains("already"), "{e}");

        let f = RuleFile::new("bad.toml", "[[family]\n");
        let e = ClassifyRules::load(&f, &signals()).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.to_string().starts_with("bad.toml:1"), "{e}");
    }

    #[test]
    fn signal_errors_name_the_line() {
        let labels = RuleFile::new("l.toml", builtin::LABELS);
        let text =
            builtin::SIGNALS.replacen("shape = \"gender_word\"", "shape = \"gender_wrd\"", 1);
        assert_ne!(text, builtin::SIGNALS, "the test edits a known shape row");
        let e = ClassifyRules::load(&labels, &RuleFile::new("s.toml", text.clone())).unwrap_err();
        let line = text.lines().position(|l| l.contains("gender_wrd")).unwrap() + 1;
        assert_eq!(e.line, Some(line));
        assert!(e.message.contains("gender_word"), "{e}");
    }
}
