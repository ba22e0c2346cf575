//! The labels CSV of `eval columns` and the predictions file.

use std::path::Path;

use anyhow::{Context as _, bail};
use serde::Deserialize;
use shujian_classify::Label;

/// One labelled column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldColumn {
    /// Table name.
    pub table: String,
    /// Column name.
    pub column: String,
    /// The column's comment as the labels file gives it.
    pub comment: String,
    /// The gold label.
    pub label: Label,
    /// The labeller's note ends in `?`: a doubtful label.
    pub doubtful: bool,
    /// The note.
    pub notes: String,
}

/// Reads a labels CSV: `table,column,comment,label,notes` with a header row.
pub fn read_labels(path: &Path) -> anyhow::Result<Vec<GoldColumn>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("cannot read labels file {}", path.display()))?;
    let headers = rdr
        .headers()
        .with_context(|| format!("{}: cannot read the header row", path.display()))?
        .clone();
    let col = |name: &str| -> anyhow::Result<usize> {
        headers.iter().position(|h| h.trim() == name).with_context(|| {
            format!(
                "{}: no `{name}` column in the header (expected table,column,comment,label,notes)",
                path.display()
            )
        })
    };
    let (t, c, cm, l) = (
        col("table")?,
        col("column")?,
        col("comment")?,
        col("label")?,
    );
    let notes = headers.iter().position(|h| h.trim() == "notes");
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.with_context(|| format!("{}: record {line}", path.display()))?;
        let get = |k: usize| rec.get(k).unwrap_or("").to_string();
        let raw = get(l);
        let Some(label) = Label::parse(&raw) else {
            bail!(
                "{}:{}: unknown label `{raw}` (known: {})",
                path.display(),
                rec.position().map_or(line as u64, csv::Position::line),
                Label::ALL.map(Label::code).join(", ")
            );
        };
        let note = notes.map(&get).unwrap_or_default();
        out.push(GoldColumn {
            table: get(t),
            column: get(c),
            comment: get(cm),
            label,
            doubtful: note.trim_end().ends_with('?'),
            notes: note,
        });
    }
    Ok(out)
}

/// One predicted column label.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Prediction {
    /// Table name.
    pub table: String,
    /// Column name.
    pub column: String,
    /// Predicted label code.
    pub label: String,
}

/// Reads JSON lines `{"table", "column", "label"}` (other fields are ignored).
pub fn read_predictions(path: &Path) -> anyhow::Result<Vec<(String, String, Label)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read predictions file {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let p: Prediction = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a prediction object", path.display(), i + 1))?;
        let Some(label) = Label::parse(&p.label) else {
            bail!("{}:{}: unknown label `{}`", path.display(), i + 1, p.label);
        };
        out.push((p.table, p.column, label));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_with_doubtful_notes_and_multiline_comments() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("labels.csv");
        std::fs::write(
            &p,
            "table,column,comment,label,notes\n\
             u,phone,手机号码,PHONE,\n\
             u,create_by,创建者,USERNAME_OR_NICKNAME,audit login ?\n\
             u,status,\"状态\n0 正常\",NONE,\n",
        )
        .unwrap();
        let g = read_labels(&p).unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].label, Label::Phone);
        assert!(!g[0].doubtful);
        assert!(g[1].doubtful);
        assert_eq!(g[2].comment, "状态\n0 正常");
    }

    #[test]
    fn unknown_label_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("labels.csv");
        std::fs::write(&p, "table,column,comment,label,notes\nu,a,,PHONES,\n").unwrap();
        let e = read_labels(&p).unwrap_err().to_string();
        assert!(e.contains("labels.csv:2") && e.contains("PHONES"), "{e}");
    }

    #[test]
    fn reads_prediction_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.jsonl");
        std::fs::write(
            &p,
            "{\"table\":\"u\",\"column\":\"phone\",\"label\":\"PHONE\",\"x\":1}\n\n",
        )
        .unwrap();
        assert_eq!(
            read_predictions(&p).unwrap(),
            vec![("u".into(), "phone".into(), Label::Phone)]
        );
        std::fs::write(&p, "{\"table\":\"u\"}\n").unwrap();
        assert!(
            read_predictions(&p)
                .unwrap_err()
                .to_string()
                .contains("p.jsonl:1")
        );
    }
}
