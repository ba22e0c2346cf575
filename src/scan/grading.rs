//! From column labels to categories and grades (数据分类分级): every column of a table is
//! classified under the chosen template and the table, as an asset, takes the highest grade of
//! its columns (spec §1.5) with volume flags from the persons it holds (spec §5.1, §7.1, §9.1).
//! 重要/核心 are only ever proposed (`candidate_grade`) for a person to confirm.

use serde::Serialize;
use shujian_classify::{
    AssetGrade, ColumnFacts, ColumnInput, Label, PersonsEstimate, TemplateSet, VolumeRules,
    grade_asset,
};

use super::output::ColumnReport;

/// The templates and volume rules of a scan, and the template chosen.
#[derive(Debug)]
pub struct Grader {
    templates: TemplateSet,
    volume: VolumeRules,
    template: String,
}

/// One table (sheet, JSON array, database table) graded as a data asset.
#[derive(Clone, Debug, Serialize)]
pub struct AssetReport {
    /// The input (file, archive member, or the database's redacted name).
    pub path: String,
    /// The table.
    pub table: String,
    /// Rows read (files) or the engine's estimate (databases), if known.
    pub rows: Option<u64>,
    /// Columns profiled.
    pub columns: usize,
    /// Grade, candidate grade, PI/SPI flags, volume flags and reasons.
    #[serde(flatten)]
    pub grade: AssetGrade,
}

/// What a column's classification needs besides its profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColumnContext<'a> {
    /// The table's comment.
    pub table_comment: &'a str,
    /// The column's comment.
    pub comment: &'a str,
}

/// Labels that identify a person, best first: the distinct values of such a column
/// estimate the persons in a table.
const IDENTIFYING: [Label; 5] = [
    Label::CnResidentId,
    Label::Phone,
    Label::Email,
    Label::BankCard,
    Label::PersonName,
];

impl Grader {
    /// The built-in templates (or those of `--rules DIR/templates`) with `template` chosen.
    pub fn new(
        templates: TemplateSet,
        volume: VolumeRules,
        template: &str,
    ) -> anyhow::Result<Grader> {
        if templates.get(template).is_none() {
            let known: Vec<&str> = templates
                .templates()
                .iter()
                .map(|t| t.id.as_str())
                .collect();
            anyhow::bail!(
                "unknown template `{template}` (known: {})",
                known.join(", ")
            );
        }
        Ok(Grader {
            templates,
            volume,
            template: template.to_string(),
        })
    }

    /// Classifies the columns of one table (filling their `classification`) and grades the
    /// table. `rows` is the number of rows the table holds, if known, and `sampled` the
    /// number of rows the profiles were built from: distinct counts of a sample are scaled
    /// to the table.
    pub fn grade_table(
        &self,
        path: &str,
        table: &str,
        columns: &mut [ColumnReport],
        context: &[ColumnContext<'_>],
        rows: Option<u64>,
        sampled: u64,
    ) -> AssetReport {
        let mut classified = Vec::with_capacity(columns.len());
        for (i, c) in columns.iter_mut().enumerate() {
            let ctx = context.get(i).copied().unwrap_or_default();
            let input = ColumnInput {
                table,
                table_comment: ctx.table_comment,
                column: &c.profile.column,
                comment: ctx.comment,
                declared_type: "",
            };
            let facts = ColumnFacts::from_input(&input, c.profile.label);
            // The template was checked in `new`.
            if let Ok(Some(cl)) = self.templates.classify(&self.template, &facts) {
                classified.push(cl.clone());
                c.classification = Some(cl);
            }
        }
        let persons = persons(columns, rows, sampled);
        let grade = grade_asset(table, &classified, persons.as_ref(), &self.volume);
        AssetReport {
            path: path.to_string(),
            table: table.to_string(),
            rows,
            columns: columns.len(),
            grade,
        }
    }
}

/// Persons in a table: the distinct values of its best identifying column, scaled from the
/// sample to the table when only a sample was read.
fn persons(columns: &[ColumnReport], rows: Option<u64>, sampled: u64) -> Option<PersonsEstimate> {
    let best = IDENTIFYING.iter().find_map(|label| {
        columns
            .iter()
            .filter(|c| c.profile.label == *label)
            .max_by_key(|c| c.profile.distinct_estimate)
    })?;
    let p = &best.profile;
    let distinct = p.distinct_estimate.min(p.non_empty);
    let persons = match rows {
        Some(total) if sampled > 0 && total > sampled => {
            // distinct/sampled of the rows hold distinct persons.
            let ratio = distinct as f64 / sampled as f64;
            (ratio * total as f64).round() as u64
        }
        _ => distinct,
    };
    Some(PersonsEstimate {
        persons,
        sensitive_persons: None,
        basis: format!(
            "distinct values of `{}` ({}){}",
            p.column,
            p.label.code(),
            if rows.is_some_and(|t| t > sampled) {
                format!(", scaled from {sampled} sampled rows")
            } else {
                String::new()
            }
        ),
    })
}
