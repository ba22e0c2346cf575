//! Gold (hand-labelled) span records, read from the formats of the public Chinese NER sets.
//!
//! Every reader yields the same thing: records of text with spans in **code-point offsets,
//! end exclusive** (the convention of [`shujian_detect::Finding::char_start`]) and the label
//! exactly as the file spells it. Mapping labels to shujian's vocabulary is
//! [`crate::eval::labels`]' job, so readers stay faithful to their files.
//!
//! | format | file | offsets |
//! |---|---|---|
//! | `jsonl` | `{"text": …, "spans": [{"start", "end", "label"}]}` a line (faker-zh) | code points, end exclusive |
//! | `cluener` | `{"text": …, "label": {type: {mention: [[start, end]]}}}` a line (CLUENER2020) | code points, end **inclusive** |
//! | `conll` | `CHAR<seg>\tTAG` a line, blank line between sentences (Weibo NER) | one token a line |
//! | `bio` | `CHAR TAG` a line, blank line between sentences (People's Daily) | one token a line |

mod json;
mod tagged;

use std::fmt;
use std::path::Path;

/// One labelled span of a gold record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldSpan {
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset one past the last character.
    pub end: usize,
    /// The label as the file spells it (`PERSON`, `name`, `PER.NAM`, `PER` …).
    pub label: String,
}

/// One gold record: a text and its spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldRecord {
    /// 1-based line of the file where the record begins.
    pub line: usize,
    /// The text.
    pub text: String,
    /// The labelled spans, in file order.
    pub spans: Vec<GoldSpan>,
}

/// The gold file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GoldFormat {
    /// Decide from the content.
    Auto,
    /// `{"text", "spans": [{"start", "end", "label"}]}` a line; code points, end exclusive.
    Jsonl,
    /// CLUENER2020: `{"text", "label": {type: {mention: [[start, end]]}}}`; ends inclusive.
    Cluener,
    /// Weibo NER CoNLL: `CHAR<segmentation digit>\tTAG` (or `CHAR TAG`) a line.
    Conll,
    /// People's Daily: `CHAR TAG` a line, BIO tags.
    Bio,
}

impl GoldFormat {
    /// The lowercase name used on the command line and in reports.
    pub fn code(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Jsonl => "jsonl",
            Self::Cluener => "cluener",
            Self::Conll => "conll",
            Self::Bio => "bio",
        }
    }
}

/// A gold file that could not be read, with the file and line at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldError {
    /// The file, as given.
    pub file: String,
    /// 1-based line, when the fault has one.
    pub line: Option<usize>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl GoldError {
    fn at(file: &str, line: usize, message: impl Into<String>) -> GoldError {
        GoldError {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for GoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for GoldError {}

/// The records of a gold file and the format they were read as.
#[derive(Clone, Debug)]
pub struct GoldSet {
    /// The format actually read (never `Auto`).
    pub format: GoldFormat,
    /// The records, in file order.
    pub records: Vec<GoldRecord>,
}

/// Reads a gold file.
pub fn read_gold(path: &Path, format: GoldFormat) -> Result<GoldSet, GoldError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| GoldError {
        file: name.clone(),
        line: None,
        message: format!("cannot read: {e}"),
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        GoldError::at(&name, line, "not UTF-8 text (gold files must be UTF-8)")
    })?;
    parse_gold(&name, text, format)
}

/// Parses the text of a gold file; `name` is used in errors.
pub fn parse_gold(name: &str, text: &str, format: GoldFormat) -> Result<GoldSet, GoldError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = match format {
        GoldFormat::Auto => detect_format(name, text)?,
        f => f,
    };
    let records = match format {
        GoldFormat::Jsonl => json::parse_jsonl(name, text)?,
        GoldFormat::Cluener => json::parse_cluener(name, text)?,
        GoldFormat::Conll => tagged::parse_tagged(name, text, true)?,
        GoldFormat::Bio | GoldFormat::Auto => tagged::parse_tagged(name, text, false)?,
    };
    Ok(GoldSet { format, records })
}

/// Decides the format from the first lines: JSON objects with `spans` are `jsonl`, with
/// `label` `cluener`; token lines whose tokens carry a trailing segmentation digit after a
/// tab are `conll`, other token lines `bio`.
fn detect_format(name: &str, text: &str) -> Result<GoldFormat, GoldError> {
    let Some((i, first)) = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty()) else {
        return Err(GoldError {
            file: name.to_string(),
            line: None,
            message: "the file is empty: no gold records".into(),
        });
    };
    if first.trim_start().starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(first)
            .map_err(|e| GoldError::at(name, i + 1, format!("invalid JSON: {e}")))?;
        return if value.get("spans").is_some() {
            Ok(GoldFormat::Jsonl)
        } else if value.get("label").is_some() {
            Ok(GoldFormat::Cluener)
        } else {
            Err(GoldError::at(
                name,
                i + 1,
                "cannot tell the format: a JSON record has neither `spans` (jsonl) nor `label` \
                 (cluener); pass --gold-format",
            ))
        };
    }
    let tokens: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(200)
        .filter_map(|l| l.split_once('\t').map(|(token, _)| token))
        .collect();
    let segmented = tokens
        .iter()
        .filter(|t| t.chars().count() >= 2 && t.ends_with(|c: char| c.is_ascii_digit()))
        .count();
    if !tokens.is_empty() && segmented * 10 >= tokens.len() * 9 {
        Ok(GoldFormat::Conll)
    } else {
        Ok(GoldFormat::Bio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_detects_each_format() {
        let cases = [
            (r#"{"text": "a", "spans": []}"#, GoldFormat::Jsonl),
            (r#"{"text": "a", "label": {}}"#, GoldFormat::Cluener),
            ("张0\tB-PER.NAM\n三1\tI-PER.NAM\n", GoldFormat::Conll),
            ("张 B-PER\n三 I-PER\n", GoldFormat::Bio),
            ("张\tB-PER\n三\tI-PER\n", GoldFormat::Bio),
        ];
        for (text, want) in cases {
            let got = parse_gold("t", text, GoldFormat::Auto).unwrap().format;
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn auto_rejects_empty_and_unknown_json() {
        let e = parse_gold("g.jsonl", "\n\n", GoldFormat::Auto).unwrap_err();
        assert_eq!(e.to_string(), "g.jsonl: the file is empty: no gold records");
        let e = parse_gold("g.jsonl", "\n{\"text\": \"a\"}\n", GoldFormat::Auto).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("--gold-format"), "{e}");
        let e = parse_gold("g.jsonl", "{\"text\": ", GoldFormat::Auto).unwrap_err();
        assert!(e.to_string().starts_with("g.jsonl:1: invalid JSON"), "{e}");
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let set = parse_gold(
            "t",
            "\u{feff}{\"text\": \"ab\", \"spans\": []}",
            GoldFormat::Auto,
        )
        .unwrap();
        assert_eq!(set.records[0].text, "ab");
    }

    #[test]
    fn non_utf8_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.txt");
        std::fs::write(&p, b"a O\nb O\n\xff O\n").unwrap();
        let e = read_gold(&p, GoldFormat::Auto).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("UTF-8"));
        let e = read_gold(&dir.path().join("missing"), GoldFormat::Auto).unwrap_err();
        assert!(e.message.starts_with("cannot read"), "{e}");
    }
}
