//! Matching a column to a template's rules, and building its [`Classification`].

use crate::classifier::ColumnInput;
use crate::grading::{
    CandidateGrade, Classification, ClassificationReason, GeneralLevel, Grade, SectorGrade,
};
use crate::label::Label;
use crate::tokens::split_name;

use super::model::{Keyword, LabelSet, Template, TemplateRule, TemplateSet};

/// What the template needs to know about a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnFacts<'a> {
    /// Table (sheet, file) name.
    pub table: &'a str,
    /// The table's comment (may be empty).
    pub table_comment: &'a str,
    /// Column (field, header) name.
    pub column: &'a str,
    /// The column's comment (may be empty).
    pub column_comment: &'a str,
    /// The label the column classifier chose.
    pub label: Label,
}

impl<'a> ColumnFacts<'a> {
    /// The facts of a classifier input and the label chosen for it.
    pub fn from_input(input: &ColumnInput<'a>, label: Label) -> ColumnFacts<'a> {
        ColumnFacts {
            table: input.table,
            table_comment: input.table_comment,
            column: input.column,
            column_comment: input.comment,
            label,
        }
    }
}

/// No template has that id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown template `{0}`")]
pub struct UnknownTemplate(pub String);

/// A name or comment, ready for keyword matching.
struct Text {
    lower: String,
    words: Vec<String>,
}

impl Text {
    fn new(s: &str) -> Text {
        Text {
            lower: s.to_lowercase(),
            words: split_name(s),
        }
    }

    fn contains(&self, k: &Keyword) -> bool {
        if k.words.is_empty() {
            return self.lower.contains(&k.text);
        }
        self.words
            .windows(k.words.len())
            .any(|w| w == k.words.as_slice())
    }
}

struct Prepared {
    table: Text,
    table_comment: Text,
    column: Text,
    column_comment: Text,
}

/// A keyword found: the keyword and where (`table`, `table_comment`, `column`, `column_comment`).
struct Hit<'k> {
    keyword: &'k Keyword,
    place: &'static str,
}

fn place_zh(place: &str) -> &'static str {
    match place {
        "table" => "表名",
        "table_comment" => "表注释",
        "column" => "列名",
        _ => "列注释",
    }
}

fn find_in_table<'k>(p: &Prepared, keywords: &'k [Keyword]) -> Option<Hit<'k>> {
    keywords.iter().find_map(|k| {
        if p.table.contains(k) {
            Some(Hit {
                keyword: k,
                place: "table",
            })
        } else if p.table_comment.contains(k) {
            Some(Hit {
                keyword: k,
                place: "table_comment",
            })
        } else {
            None
        }
    })
}

fn find_in_column<'k>(p: &Prepared, keywords: &'k [Keyword]) -> Option<Hit<'k>> {
    keywords.iter().find_map(|k| {
        if p.column.contains(k) {
            Some(Hit {
                keyword: k,
                place: "column",
            })
        } else if p.column_comment.contains(k) {
            Some(Hit {
                keyword: k,
                place: "column_comment",
            })
        } else {
            None
        }
    })
}

/// Whether conditions hold: label, any of the contexts (if any), any column keyword (if any).
fn conditions_hold(
    labels: &LabelSet,
    contexts: &[String],
    column_keywords: &[Keyword],
    label: Label,
    present: &[(&str, Hit<'_>)],
    p: &Prepared,
) -> bool {
    labels.contains(label)
        && (contexts.is_empty()
            || contexts
                .iter()
                .any(|c| present.iter().any(|(id, _)| id == c)))
        && (column_keywords.is_empty() || find_in_column(p, column_keywords).is_some())
}

impl TemplateSet {
    /// Classifies a column under a template. `Ok(None)` when no rule of the template (nor of
    /// its base) matches the column.
    pub fn classify(
        &self,
        template: &str,
        column: &ColumnFacts<'_>,
    ) -> Result<Option<Classification>, UnknownTemplate> {
        let t = self
            .get(template)
            .ok_or_else(|| UnknownTemplate(template.to_string()))?;
        let p = Prepared {
            table: Text::new(column.table),
            table_comment: Text::new(column.table_comment),
            column: Text::new(column.column),
            column_comment: Text::new(column.column_comment),
        };
        let own = classify_one(t, column, &p);
        let Some(base_id) = &t.base else {
            return Ok(own);
        };
        // Validated at load time: the base exists and has no base.
        let base = self.get(base_id).and_then(|b| classify_one(b, column, &p));
        Ok(match (own, base) {
            (None, None) => None,
            (Some(own), None) => Some(own),
            (None, Some(mut b)) => {
                b.reasons.push(ClassificationReason::new(
                    format!("no_rule:{}", t.id),
                    format!(
                        "模板 {} 无匹配规则，采用基线模板 {} 的结果",
                        t.id, b.template
                    ),
                    format!(
                        "no rule of {} matched; the baseline {} decides",
                        t.id, b.template
                    ),
                ));
                Some(b)
            }
            (Some(own), Some(b)) => Some(merge_base(t, own, b)),
        })
    }
}

/// Applies the base template's flags and grade beneath a sector rule's result.
fn merge_base(t: &Template, mut own: Classification, b: Classification) -> Classification {
    let rule = own
        .rule
        .split_once('/')
        .and_then(|(_, r)| t.rule(r))
        .cloned();
    let (rule_pi, rule_spi, rule_grade) = rule
        .as_ref()
        .map_or((None, None, None), |r| (r.pi, r.spi, r.grade));
    if rule_pi.is_none() {
        own.pi = b.pi;
    }
    // Modifiers of the sector template may already have made it sensitive.
    if rule_spi.is_none() && !own.spi {
        own.spi = b.spi;
        own.spi_basis.clone_from(&b.spi_basis);
    }
    if own.spi && !own.pi {
        own.pi = true;
    }
    // The higher grade applies (spec §1.5); `own.grade` may already have been raised by a
    // modifier of the sector template.
    if b.grade > own.grade {
        if let Some(g) = rule_grade {
            own.reasons.push(
                ClassificationReason::new(
                    format!("grade_from_base:{}", b.rule),
                    format!(
                        "基线 {} 的级别{}高于本模板规则的{}，取较高者",
                        b.rule,
                        b.grade.name_zh(),
                        Grade::General(g).name_zh()
                    ),
                    format!(
                        "the baseline {} grade {} is above the rule's {}; the higher applies",
                        b.rule,
                        b.grade,
                        Grade::General(g)
                    ),
                )
                .cited("spec §1.5 (MIIT Art 13: highest grade)"),
            );
        }
        own.grade = b.grade;
    }
    own.candidate_grade = own.candidate_grade.max(b.candidate_grade);
    own.unverified |= b.unverified;
    own.baseline_category = Some(b.category);
    own.reasons.extend(b.reasons);
    own
}

/// The most specific matching rule of one template, with modifiers applied.
fn classify_one(t: &Template, f: &ColumnFacts<'_>, p: &Prepared) -> Option<Classification> {
    let present: Vec<(&str, Hit<'_>)> = t
        .contexts
        .iter()
        .filter_map(|c| find_in_table(p, &c.keywords).map(|h| (c.id.as_str(), h)))
        .collect();
    let mut best: Option<&TemplateRule> = None;
    for r in &t.rules {
        if conditions_hold(
            &r.labels,
            &r.table_context,
            &r.column_keywords,
            f.label,
            &present,
            p,
        ) && best.is_none_or(|b| r.specificity() > b.specificity())
        {
            best = Some(r);
        }
    }
    let r = best?;

    let mut reasons = vec![ClassificationReason::new(
        format!("label:{}", f.label.code()),
        format!("列标签：{}（{}）", f.label.name_zh(), f.label.code()),
        format!("column label {}", f.label.code()),
    )];
    for (id, h) in &present {
        let c = t
            .context(id)
            .map_or(("", ""), |c| (c.name_zh.as_str(), c.name_en.as_str()));
        reasons.push(ClassificationReason::new(
            format!("table_context:{id}={}", h.keyword.text),
            format!("{}含“{}”：{}", place_zh(h.place), h.keyword.text, c.0),
            format!(
                "{} contains `{}`: {}",
                h.place.replace('_', " "),
                h.keyword.text,
                c.1
            ),
        ));
    }
    if let Some(h) = find_in_column(p, &r.column_keywords) {
        reasons.push(ClassificationReason::new(
            format!("column_keyword:{}", h.keyword.text),
            format!("{}含“{}”", place_zh(h.place), h.keyword.text),
            format!(
                "{} contains `{}`",
                h.place.replace('_', " "),
                h.keyword.text
            ),
        ));
    }
    let grade = r.grade.unwrap_or(GeneralLevel::LOWEST);
    reasons.push(
        ClassificationReason::new(
            format!("rule:{}/{}", t.id, r.id),
            format!(
                "模板 {} 规则 {}：{}{}",
                t.id,
                r.id,
                r.category,
                r.grade.map_or(String::new(), |g| format!(
                    "，{}",
                    Grade::General(g).name_zh()
                ))
            ),
            format!(
                "template {} rule {}: {}{}",
                t.id,
                r.id,
                r.category,
                r.grade
                    .map_or(String::new(), |g| format!(", general-{}", g.get()))
            ),
        )
        .cited(r.cite.clone()),
    );
    let spi = r.spi.unwrap_or(false);
    if spi {
        reasons.push(
            ClassificationReason::new(
                format!("spi:{}", r.id),
                format!("敏感个人信息：{}", r.spi_basis.as_deref().unwrap_or("")),
                format!("sensitive PI: {}", r.spi_basis.as_deref().unwrap_or("")),
            )
            .cited(r.cite.clone()),
        );
    }
    if let Some(n) = &r.note {
        reasons.push(ClassificationReason::new(
            format!("note:{}", r.id),
            n.clone(),
            n.clone(),
        ));
    }
    let mut c = Classification {
        table: f.table.to_string(),
        column: f.column.to_string(),
        label: f.label,
        template: t.id.clone(),
        rule: format!("{}/{}", t.id, r.id),
        category: r.category.clone(),
        baseline_category: None,
        grade: Grade::General(grade),
        sector_grade: r.sector_grade.as_ref().map(|name| SectorGrade {
            name: name.clone(),
            rank: t.sector_grades.iter().position(|g| g == name).unwrap_or(0),
        }),
        candidate_grade: None,
        pi: r.pi.unwrap_or(f.label.is_pi()) || spi,
        spi,
        spi_basis: if spi { r.spi_basis.clone() } else { None },
        citation: r.cite.clone(),
        reasons,
        unverified: false,
        confirmed_by: None,
    };
    if let (Some(g), Some(why)) = (r.candidate, &r.candidate_reason) {
        propose(&mut c, g, &format!("{}/{}", t.id, r.id), why, &r.cite);
    }
    if t.unverified {
        mark_unverified(&mut c, &t.id, t.unverified_note.as_deref().unwrap_or(""));
    }
    if r.unverified {
        mark_unverified(
            &mut c,
            &format!("{}/{}", t.id, r.id),
            r.note.as_deref().unwrap_or(""),
        );
    }

    for m in &t.modifiers {
        if !conditions_hold(
            &m.labels,
            &m.table_context,
            &m.column_keywords,
            f.label,
            &present,
            p,
        ) {
            continue;
        }
        let source = format!("{}/{}", t.id, m.id);
        c.reasons.push(
            ClassificationReason::new(
                format!("modifier:{source}"),
                format!(
                    "修正规则 {source}{}",
                    m.note
                        .as_deref()
                        .map_or(String::new(), |n| format!("：{n}"))
                ),
                format!("modifier {source} applies"),
            )
            .cited(m.cite.clone()),
        );
        if m.spi {
            c.pi = true;
            c.spi = true;
            c.spi_basis = m.spi_basis.clone();
        }
        if let Some(g) = m.min_grade
            && c.grade < Grade::General(g)
        {
            c.grade = Grade::General(g);
        }
        if let (Some(g), Some(why)) = (m.candidate, &m.candidate_reason) {
            propose(&mut c, g, &source, why, &m.cite);
        }
        if m.unverified {
            mark_unverified(&mut c, &source, m.note.as_deref().unwrap_or(""));
        }
    }
    Some(c)
}

/// Proposes 重要/核心 for a person to confirm; `grade` is left as it is.
fn propose(c: &mut Classification, g: CandidateGrade, source: &str, why: &str, cite: &str) {
    c.candidate_grade = c.candidate_grade.max(Some(g));
    c.reasons.push(
        ClassificationReason::new(
            format!("candidate:{}={source}", g.grade().code()),
            format!(
                "建议人工评估是否为{}（仅为候选，未认定）：{why}",
                g.name_zh()
            ),
            format!(
                "proposed as a candidate {} for a person to confirm (not asserted): {why}",
                g.grade()
            ),
        )
        .cited(cite.to_string()),
    );
}

fn mark_unverified(c: &mut Classification, source: &str, note: &str) {
    c.unverified = true;
    c.reasons.push(ClassificationReason::new(
        format!("unverified:{source}"),
        format!("未经核实（spec [U]）：{note}"),
        format!("rests on an item the spec could not confirm ([U]): {note}"),
    ));
}
