//! Parsing and validating template files. Every error names the file and the line.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;
use shujian_detect::rules::line_col;
use shujian_detect::{RuleError, RuleFile};
use toml::Spanned;

use super::model::{Keyword, LabelSet, Template, TemplateContext, TemplateModifier, TemplateRule};
use crate::grading::{CandidateGrade, GeneralLevel};
use crate::label::Label;
use crate::tokens::split_name;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: Spanned<String>,
    title_zh: String,
    title_en: String,
    source: String,
    spec: String,
    base: Option<Spanned<String>>,
    #[serde(default)]
    sector_grades: Vec<Spanned<String>>,
    #[serde(default)]
    unverified: bool,
    unverified_note: Option<String>,
    #[serde(default)]
    context: Vec<RawContext>,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    modifier: Vec<RawModifier>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    id: Spanned<String>,
    name_zh: String,
    name_en: String,
    keywords: Vec<Spanned<String>>,
    cite: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    labels: Vec<Spanned<String>>,
    #[serde(default)]
    table_context: Vec<Spanned<String>>,
    #[serde(default)]
    column_keywords: Vec<Spanned<String>>,
    category: Spanned<String>,
    grade: Option<Spanned<i64>>,
    sector_grade: Option<Spanned<String>>,
    candidate: Option<Spanned<String>>,
    candidate_reason: Option<String>,
    pi: Option<Spanned<bool>>,
    spi: Option<Spanned<bool>>,
    spi_basis: Option<String>,
    cite: Spanned<String>,
    #[serde(default)]
    unverified: bool,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModifier {
    id: Spanned<String>,
    labels: Vec<Spanned<String>>,
    #[serde(default)]
    table_context: Vec<Spanned<String>>,
    #[serde(default)]
    column_keywords: Vec<Spanned<String>>,
    #[serde(default)]
    spi: Option<Spanned<bool>>,
    spi_basis: Option<String>,
    min_grade: Option<Spanned<i64>>,
    candidate: Option<Spanned<String>>,
    candidate_reason: Option<String>,
    cite: Spanned<String>,
    #[serde(default)]
    unverified: bool,
    note: Option<String>,
}

/// Parses and validates one template file (without resolving its `base`).
pub fn parse_template(file: &RuleFile) -> Result<Template, RuleError> {
    let raw: RawTemplate =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    let at = |span: Range<usize>, msg: String| RuleError::at(file, Some(span), msg);
    let origin =
        |span: &Range<usize>| format!("{}:{}", file.name, line_col(&file.text, span.start).0);

    let id = raw.id.get_ref().trim().to_string();
    if !valid_id(&id) {
        return Err(at(
            raw.id.span(),
            format!("template id `{id}`: expected lowercase letters, digits, `-`, `_` or `.`"),
        ));
    }
    if let Some(stem) = file_stem(&file.name)
        && stem != id
    {
        return Err(at(
            raw.id.span(),
            format!("template id `{id}` does not match the file name `{stem}.toml`"),
        ));
    }
    for (name, value) in [
        ("title_zh", &raw.title_zh),
        ("title_en", &raw.title_en),
        ("source", &raw.source),
        ("spec", &raw.spec),
    ] {
        if value.trim().is_empty() {
            return Err(at(raw.id.span(), format!("`{name}` must not be empty")));
        }
    }
    if raw.unverified
        && raw
            .unverified_note
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        return Err(at(
            raw.id.span(),
            "`unverified = true` needs `unverified_note` saying what is unconfirmed".to_string(),
        ));
    }
    let mut sector_grades = Vec::new();
    for g in &raw.sector_grades {
        let name = g.get_ref().trim().to_string();
        if name.is_empty() || sector_grades.contains(&name) {
            return Err(at(
                g.span(),
                format!("sector grade `{name}` is empty or repeated"),
            ));
        }
        sector_grades.push(name);
    }
    let has_base = raw.base.is_some();

    let mut contexts: Vec<TemplateContext> = Vec::new();
    for c in &raw.context {
        let cid = c.id.get_ref().trim().to_string();
        if !valid_id(&cid) || contexts.iter().any(|x| x.id == cid) {
            return Err(at(
                c.id.span(),
                format!("context id `{cid}` is invalid or repeated"),
            ));
        }
        if c.keywords.is_empty() {
            return Err(at(c.id.span(), format!("context `{cid}` has no keywords")));
        }
        contexts.push(TemplateContext {
            id: cid,
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            keywords: keywords(file, &c.keywords)?,
            cite: c.cite.clone(),
        });
    }
    let check_contexts = |list: &[Spanned<String>]| -> Result<Vec<String>, RuleError> {
        list.iter()
            .map(|s| {
                let name = s.get_ref().trim();
                if contexts.iter().any(|c| c.id == name) {
                    Ok(name.to_string())
                } else {
                    Err(at(
                        s.span(),
                        format!("unknown table context `{name}` (declare it in a [[context]])"),
                    ))
                }
            })
            .collect()
    };

    let mut rules: Vec<TemplateRule> = Vec::new();
    let mut seen = HashSet::new();
    for r in &raw.rule {
        let rid = r.id.get_ref().trim().to_string();
        if !valid_id(&rid) || !seen.insert(rid.clone()) {
            return Err(at(
                r.id.span(),
                format!("rule id `{rid}` is invalid or repeated"),
            ));
        }
        let labels = label_set(file, &r.labels, &r.id)?;
        let category = r.category.get_ref().trim().to_string();
        if category.is_empty() || category.split('/').any(|p| p.trim().is_empty()) {
            return Err(at(
                r.category.span(),
                format!(
                    "category `{category}`: expected a path such as `个人信息/个人基本资料/姓名`"
                ),
            ));
        }
        if r.cite.get_ref().trim().is_empty() {
            return Err(at(
                r.cite.span(),
                format!("rule `{rid}` has an empty `cite`"),
            ));
        }
        let grade = r
            .grade
            .as_ref()
            .map(|g| general_level(file, g))
            .transpose()?;
        let pi = r.pi.as_ref().map(|b| *b.get_ref());
        let spi = r.spi.as_ref().map(|b| *b.get_ref());
        if !has_base {
            for (name, missing) in [
                ("grade", grade.is_none()),
                ("pi", pi.is_none()),
                ("spi", spi.is_none()),
            ] {
                if missing {
                    return Err(at(
                        r.id.span(),
                        format!(
                            "rule `{rid}` needs `{name}` (the template has no `base` to take it from)"
                        ),
                    ));
                }
            }
        }
        if let Some(s) = &r.spi
            && *s.get_ref()
        {
            if pi == Some(false) {
                return Err(at(
                    s.span(),
                    format!("rule `{rid}`: `spi = true` with `pi = false`"),
                ));
            }
            if r.spi_basis.as_deref().is_none_or(|b| b.trim().is_empty()) {
                return Err(at(
                    s.span(),
                    format!("rule `{rid}`: `spi = true` needs `spi_basis` (spec §9.1, §9.2)"),
                ));
            }
        }
        let sector_grade = match &r.sector_grade {
            None => None,
            Some(g) => {
                let name = g.get_ref().trim();
                if !sector_grades.iter().any(|x| x == name) {
                    return Err(at(
                        g.span(),
                        format!(
                            "sector grade `{name}` is not one of the template's `sector_grades` {sector_grades:?}"
                        ),
                    ));
                }
                Some(name.to_string())
            }
        };
        let (candidate, candidate_reason) = candidate(
            file,
            r.candidate.as_ref(),
            r.candidate_reason.as_ref(),
            &rid,
        )?;
        if r.unverified && r.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(at(
                r.id.span(),
                format!(
                    "rule `{rid}`: `unverified = true` needs a `note` saying what is unconfirmed"
                ),
            ));
        }
        rules.push(TemplateRule {
            id: rid,
            labels,
            table_context: check_contexts(&r.table_context)?,
            column_keywords: keywords(file, &r.column_keywords)?,
            category,
            grade,
            sector_grade,
            candidate,
            candidate_reason,
            pi,
            spi,
            spi_basis: r.spi_basis.clone(),
            cite: r.cite.get_ref().trim().to_string(),
            unverified: r.unverified,
            note: r.note.clone(),
            origin: origin(&r.id.span()),
        });
    }
    if rules.is_empty() {
        return Err(at(
            raw.id.span(),
            format!("template `{id}` has no [[rule]]"),
        ));
    }

    let mut modifiers: Vec<TemplateModifier> = Vec::new();
    for m in &raw.modifier {
        let mid = m.id.get_ref().trim().to_string();
        if !valid_id(&mid) || modifiers.iter().any(|x| x.id == mid) {
            return Err(at(
                m.id.span(),
                format!("modifier id `{mid}` is invalid or repeated"),
            ));
        }
        let spi = m.spi.as_ref().is_some_and(|s| *s.get_ref());
        if spi && m.spi_basis.as_deref().is_none_or(|b| b.trim().is_empty()) {
            return Err(at(
                m.id.span(),
                format!("modifier `{mid}`: `spi = true` needs `spi_basis`"),
            ));
        }
        let min_grade = m
            .min_grade
            .as_ref()
            .map(|g| general_level(file, g))
            .transpose()?;
        let (candidate, candidate_reason) = candidate(
            file,
            m.candidate.as_ref(),
            m.candidate_reason.as_ref(),
            &mid,
        )?;
        if !spi && min_grade.is_none() && candidate.is_none() {
            return Err(at(
                m.id.span(),
                format!("modifier `{mid}` changes nothing: set `spi`, `min_grade` or `candidate`"),
            ));
        }
        if m.table_context.is_empty() && m.column_keywords.is_empty() {
            return Err(at(
                m.id.span(),
                format!("modifier `{mid}` needs `table_context` or `column_keywords`"),
            ));
        }
        if m.unverified && m.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(at(
                m.id.span(),
                format!("modifier `{mid}`: `unverified = true` needs a `note`"),
            ));
        }
        modifiers.push(TemplateModifier {
            id: mid,
            labels: label_set(file, &m.labels, &m.id)?,
            table_context: check_contexts(&m.table_context)?,
            column_keywords: keywords(file, &m.column_keywords)?,
            spi,
            spi_basis: m.spi_basis.clone(),
            min_grade,
            candidate,
            candidate_reason,
            cite: m.cite.get_ref().trim().to_string(),
            unverified: m.unverified,
            note: m.note.clone(),
            origin: origin(&m.id.span()),
        });
    }

    Ok(Template {
        id,
        title_zh: raw.title_zh,
        title_en: raw.title_en,
        source: raw.source,
        spec: raw.spec,
        base_origin: raw
            .base
            .as_ref()
            .map(|b| (file.name.clone(), line_col(&file.text, b.span().start).0)),
        base: raw.base.map(|b| b.into_inner().trim().to_string()),
        sector_grades,
        unverified: raw.unverified,
        unverified_note: raw.unverified_note,
        contexts,
        rules,
        modifiers,
        file: file.name.clone(),
    })
}

/// Every `base` names a loaded template that has no base itself (one level: sector template
/// over the national baseline).
pub(crate) fn resolve_bases(templates: &[Template]) -> Result<(), RuleError> {
    for t in templates {
        let Some(base) = &t.base else { continue };
        let (file, line) = t.base_origin.clone().unwrap_or_else(|| (t.file.clone(), 0));
        let err = |message: String| RuleError {
            file: file.clone(),
            line: (line > 0).then_some(line),
            column: None,
            message,
        };
        match templates.iter().find(|x| &x.id == base) {
            None => return Err(err(format!("base template `{base}` is not loaded"))),
            Some(b) if b.base.is_some() => {
                return Err(err(format!(
                    "base template `{base}` has a base itself; only one level is allowed"
                )));
            }
            Some(b) if b.id == t.id => {
                return Err(err(format!("template `{base}` cannot be its own base")));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// `gbt43697` from `…/templates/gbt43697.toml`; `None` when the name does not end in `.toml`.
fn file_stem(name: &str) -> Option<&str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".toml")
}

fn keywords(file: &RuleFile, list: &[Spanned<String>]) -> Result<Vec<Keyword>, RuleError> {
    list.iter()
        .map(|k| {
            let text = k.get_ref().trim().to_lowercase();
            let words = if text.is_ascii() {
                split_name(&text)
            } else {
                Vec::new()
            };
            if text.is_empty() || (text.is_ascii() && words.is_empty()) {
                return Err(RuleError::at(file, Some(k.span()), "empty keyword"));
            }
            Ok(Keyword { text, words })
        })
        .collect()
}

fn label_set(
    file: &RuleFile,
    list: &[Spanned<String>],
    id: &Spanned<String>,
) -> Result<LabelSet, RuleError> {
    if list.is_empty() {
        return Err(RuleError::at(
            file,
            Some(id.span()),
            format!("`{}` needs at least one label in `labels`", id.get_ref()),
        ));
    }
    let mut labels = Vec::new();
    for s in list {
        let code = s.get_ref().trim();
        match code {
            "ANY" | "ANY_PI" if list.len() > 1 => {
                return Err(RuleError::at(
                    file,
                    Some(s.span()),
                    format!("`{code}` must be the only entry of `labels`"),
                ));
            }
            "ANY" => return Ok(LabelSet::Any),
            "ANY_PI" => return Ok(LabelSet::AnyPi),
            _ => match Label::parse(code) {
                Some(l) if !labels.contains(&l) => labels.push(l),
                Some(_) => {
                    return Err(RuleError::at(
                        file,
                        Some(s.span()),
                        format!("label `{code}` repeated"),
                    ));
                }
                None => {
                    return Err(RuleError::at(
                        file,
                        Some(s.span()),
                        format!(
                            "unknown label `{code}`: expected ANY, ANY_PI or one of {}",
                            Label::ALL.map(Label::code).join(", ")
                        ),
                    ));
                }
            },
        }
    }
    Ok(LabelSet::Only(labels))
}

fn general_level(file: &RuleFile, g: &Spanned<i64>) -> Result<GeneralLevel, RuleError> {
    u8::try_from(*g.get_ref())
        .ok()
        .and_then(GeneralLevel::new)
        .ok_or_else(|| {
            RuleError::at(
                file,
                Some(g.span()),
                format!(
                    "grade {}: expected a general-data sub-grade 1 to 4 (spec §2.3); \
                     重要/核心 are only proposed, with `candidate`",
                    g.get_ref()
                ),
            )
        })
}

fn candidate(
    file: &RuleFile,
    c: Option<&Spanned<String>>,
    reason: Option<&String>,
    id: &str,
) -> Result<(Option<CandidateGrade>, Option<String>), RuleError> {
    let Some(c) = c else {
        return Ok((None, None));
    };
    let grade = CandidateGrade::parse(c.get_ref()).ok_or_else(|| {
        RuleError::at(
            file,
            Some(c.span()),
            format!(
                "candidate `{}`: expected `important` or `core`",
                c.get_ref()
            ),
        )
    })?;
    match reason {
        Some(r) if !r.trim().is_empty() => Ok((Some(grade), Some(r.trim().to_string()))),
        _ => Err(RuleError::at(
            file,
            Some(c.span()),
            format!(
                "`{id}`: a `candidate` needs a `candidate_reason` for the person who confirms it"
            ),
        )),
    }
}
