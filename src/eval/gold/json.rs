//! JSON-lines gold readers: faker-style span lists and CLUENER2020 label maps.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Deserialize;

use super::{GoldError, GoldRecord, GoldSpan};

/// `{"text": …, "spans": [{"start", "end", "label"}]}`.
#[derive(Deserialize)]
struct SpanRecord {
    text: String,
    spans: Vec<SpanEntry>,
}

#[derive(Deserialize)]
struct SpanEntry {
    start: usize,
    end: usize,
    label: String,
}

/// `{"text": …, "label": {type: {mention: [[start, end_inclusive], …]}}}`. The CLUENER test
/// split has no `label`; such records have no spans.
#[derive(Deserialize)]
struct ClueRecord {
    text: String,
    #[serde(default)]
    label: BTreeMap<String, BTreeMap<String, Vec<[usize; 2]>>>,
}

/// Parses each non-blank line with `parse`, in parallel, and reports the first error in file
/// order.
fn parse_lines(
    name: &str,
    text: &str,
    parse: impl Fn(usize, &str) -> Result<GoldRecord, String> + Sync,
) -> Result<Vec<GoldRecord>, GoldError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    let parsed: Vec<Result<GoldRecord, (usize, String)>> = lines
        .par_iter()
        .map(|&(line, l)| parse(line, l).map_err(|e| (line, e)))
        .collect();
    parsed
        .into_iter()
        .map(|r| r.map_err(|(line, e)| GoldError::at(name, line, e)))
        .collect()
}

/// Reads faker-style JSON lines: code-point offsets, end exclusive.
pub(super) fn parse_jsonl(name: &str, text: &str) -> Result<Vec<GoldRecord>, GoldError> {
    parse_lines(name, text, |line, l| {
        let r: SpanRecord = serde_json::from_str(l).map_err(|e| {
            format!(r#"invalid record ({e}); expected {{"text": …, "spans": [{{"start", "end", "label"}}]}}"#)
        })?;
        let len = r.text.chars().count();
        let mut spans = Vec::with_capacity(r.spans.len());
        for (i, s) in r.spans.into_iter().enumerate() {
            if s.start >= s.end || s.end > len {
                return Err(format!(
                    "span {i} ({}..{} `{}`) is empty or outside the text of {len} characters \
                     (offsets are code points, end exclusive)",
                    s.start, s.end, s.label
                ));
            }
            spans.push(GoldSpan {
                start: s.start,
                end: s.end,
                label: s.label,
            });
        }
        Ok(GoldRecord {
            line,
            text: r.text,
            spans,
        })
    })
}

/// Reads CLUENER2020 JSON lines: `[start, end]` with an inclusive end, checked against the
/// mention text so that an offset convention mistake cannot pass silently.
pub(super) fn parse_cluener(name: &str, text: &str) -> Result<Vec<GoldRecord>, GoldError> {
    parse_lines(name, text, |line, l| {
        let r: ClueRecord = serde_json::from_str(l).map_err(|e| {
            format!(
                r#"invalid record ({e}); expected {{"text": …, "label": {{type: {{mention: [[start, end]]}}}}}}"#
            )
        })?;
        let chars: Vec<char> = r.text.chars().collect();
        let mut spans = Vec::new();
        for (label, mentions) in r.label {
            for (mention, offsets) in mentions {
                for [start, last] in offsets {
                    if last < start {
                        return Err(format!(
                            "`{label}` span [{start}, {last}] ends before it starts"
                        ));
                    }
                    let Some(found) = chars.get(start..=last) else {
                        return Err(format!(
                            "`{label}` span [{start}, {last}] is outside the text of {} \
                             characters (CLUENER ends are inclusive)",
                            chars.len()
                        ));
                    };
                    if !found.iter().copied().eq(mention.chars()) {
                        let found: String = found.iter().collect();
                        return Err(format!(
                            "`{label}` span [{start}, {last}] covers `{found}`, not `{mention}` \
                             (CLUENER ends are inclusive)"
                        ));
                    }
                    spans.push(GoldSpan {
                        start,
                        end: last + 1,
                        label: label.clone(),
                    });
                }
            }
        }
        spans.sort_by_key(|s| (s.start, s.end));
        Ok(GoldRecord {
            line,
            text: r.text,
            spans,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::{GoldFormat, parse_gold};
    use super::*;

    fn span(start: usize, end: usize, label: &str) -> GoldSpan {
        GoldSpan {
            start,
            end,
            label: label.into(),
        }
    }

    #[test]
    fn jsonl_offsets_are_code_points_end_exclusive() {
        let text = concat!(
            r#"{"text": "您好韩萍，电话13812345678", "spans": [{"start": 2, "end": 4, "label": "PERSON"}, {"start": 7, "end": 18, "label": "PHONE"}]}"#,
            "\n\n",
            r#"{"text": "无", "spans": []}"#,
            "\n"
        );
        let set = parse_gold("f.jsonl", text, GoldFormat::Jsonl).unwrap();
        assert_eq!(set.records.len(), 2);
        let r = &set.records[0];
        assert_eq!(r.line, 1);
        assert_eq!(r.spans, vec![span(2, 4, "PERSON"), span(7, 18, "PHONE")]);
        let name: String = r.text.chars().skip(2).take(2).collect();
        assert_eq!(name, "韩萍");
        assert_eq!(set.records[1].line, 3);
        assert!(set.records[1].spans.is_empty());
    }

    #[test]
    fn jsonl_errors_name_file_and_line() {
        let bad = [
            (
                r#"{"text": "ab", "spans": [{"start": 1, "end": 3, "label": "X"}]}"#,
                "outside",
            ),
            (
                r#"{"text": "ab", "spans": [{"start": 1, "end": 1, "label": "X"}]}"#,
                "empty",
            ),
            (r#"{"text": "ab"}"#, "missing field `spans`"),
            (
                r#"{"text": "ab", "spans": [{"start": -1, "end": 1, "label": "X"}]}"#,
                "invalid",
            ),
            ("not json", "invalid record"),
        ];
        for (line, want) in bad {
            let text = format!("{{\"text\": \"ok\", \"spans\": []}}\n{line}\n");
            let e = parse_gold("f.jsonl", &text, GoldFormat::Jsonl).unwrap_err();
            assert_eq!((e.file.as_str(), e.line), ("f.jsonl", Some(2)), "{line}");
            assert!(e.message.contains(want), "{line}: {e}");
        }
    }

    #[test]
    fn cluener_ends_are_inclusive() {
        let text = r#"{"text": "浙商银行企业信贷部叶老桂博士", "label": {"name": {"叶老桂": [[9, 11]]}, "company": {"浙商银行": [[0, 3]]}}}"#;
        let set = parse_gold("c.json", text, GoldFormat::Cluener).unwrap();
        assert_eq!(
            set.records[0].spans,
            vec![span(0, 4, "company"), span(9, 12, "name")]
        );
    }

    #[test]
    fn cluener_without_labels_has_no_spans() {
        let set = parse_gold(
            "c.json",
            r#"{"id": 0, "text": "无标注"}"#,
            GoldFormat::Cluener,
        )
        .unwrap();
        assert!(set.records[0].spans.is_empty());
    }

    #[test]
    fn cluener_offsets_are_checked_against_the_mention() {
        // An exclusive end (the common mistake) covers one character too few.
        let text = r#"{"text": "叶老桂博士", "label": {"name": {"叶老桂": [[0, 3]]}}}"#;
        let e = parse_gold("c.json", text, GoldFormat::Cluener).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("covers `叶老桂博`"), "{e}");
        let text = r#"{"text": "叶老桂", "label": {"name": {"叶老桂": [[1, 3]]}}}"#;
        let e = parse_gold("c.json", text, GoldFormat::Cluener).unwrap_err();
        assert!(e.message.contains("outside the text of 3"), "{e}");
        let text = r#"{"text": "叶老桂", "label": {"name": {"叶老桂": [[2, 0]]}}}"#;
        let e = parse_gold("c.json", text, GoldFormat::Cluener).unwrap_err();
        assert!(e.message.contains("ends before it starts"), "{e}");
        let text = r#"{"text": "叶老桂", "label": {"name": ["叶老桂"]}}"#;
        let e = parse_gold("c.json", text, GoldFormat::Cluener).unwrap_err();
        assert!(e.message.starts_with("invalid record"), "{e}");
    }
}
