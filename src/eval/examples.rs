//! Error examples: what a false positive, false negative or boundary error looked like.
//!
//! Values are masked by default, as everywhere in shujian: a finding by its detector's rule
//! (`138****5678`), a gold span by the rule of a detector of its label, or else keeping its
//! first character. The context around an error masks every labelled or detected value in
//! it the same generic way, so no raw value is printed unless `--show-values` asks.

use std::cell::OnceCell;

use serde::Serialize;
use shujian_detect::{Engine, Finding, Note, mask};

use super::metrics::Span;
use super::spans::{Record, Scoring};

/// Characters of context shown on each side of an error.
const CONTEXT: usize = 12;

/// One error, ready to print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorExample {
    /// 1-based line of the gold file where the record begins.
    pub line: usize,
    /// Code-point offset of the value in the record.
    pub start: usize,
    /// One past the value's last code point.
    pub end: usize,
    /// The value (masked unless `--show-values`).
    pub value: String,
    /// The detector, for a prediction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detector: Option<String>,
    /// The finding's confidence, for a prediction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// The gold span a boundary error overlaps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gold: Option<GoldRef>,
    /// The text around the error, the error between ⟦ and ⟧, values masked.
    pub context: String,
}

/// A gold span referred to by a boundary error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoldRef {
    /// Code-point start.
    pub start: usize,
    /// Code-point end (exclusive).
    pub end: usize,
    /// The value (masked unless `--show-values`).
    pub value: String,
}

/// A record seen through its findings, for rendering error examples.
pub struct RecordView<'a> {
    engine: &'a Engine,
    scoring: &'a Scoring,
    record: &'a Record,
    findings: &'a [Finding],
    show_values: bool,
    /// Byte offset of each code point, plus the text length; built on first use.
    byte_of: OnceCell<Vec<usize>>,
}

impl<'a> RecordView<'a> {
    /// A view of `record` and every finding in it (counted or not).
    pub fn new(
        engine: &'a Engine,
        scoring: &'a Scoring,
        record: &'a Record,
        findings: &'a [Finding],
        show_values: bool,
    ) -> RecordView<'a> {
        RecordView {
            engine,
            scoring,
            record,
            findings,
            show_values,
            byte_of: OnceCell::new(),
        }
    }

    /// A prediction that overlaps no gold span of its label.
    pub fn false_positive(&self, f: &Finding) -> ErrorExample {
        self.prediction(f, None)
    }

    /// A prediction that overlaps gold span `g` but has other boundaries.
    pub fn boundary(&self, f: &Finding, g: &Span) -> ErrorExample {
        self.prediction(f, Some(g))
    }

    /// A gold span that no prediction of its label overlaps.
    pub fn false_negative(&self, g: &Span) -> ErrorExample {
        ErrorExample {
            line: self.record.line,
            start: g.start,
            end: g.end,
            value: self.gold_value(g),
            detector: None,
            confidence: None,
            gold: None,
            context: self.context(g.start, g.end),
        }
    }

    fn prediction(&self, f: &Finding, g: Option<&Span>) -> ErrorExample {
        let raw = &self.record.text[f.start..f.end];
        let value = if self.show_values {
            raw.to_string()
        } else {
            self.engine.evidence(f, raw)
        };
        let (lo, hi) = g.map_or((f.char_start, f.char_end), |g| {
            (g.start.min(f.char_start), g.end.max(f.char_end))
        });
        ErrorExample {
            line: self.record.line,
            start: f.char_start,
            end: f.char_end,
            value: one_line(&value),
            detector: Some(self.engine.detector(f.detector).id.clone()),
            confidence: Some(f.confidence.code().to_string()),
            gold: g.map(|g| GoldRef {
                start: g.start,
                end: g.end,
                value: self.gold_value(g),
            }),
            context: self.context(lo, hi),
        }
    }

    fn byte_of(&self) -> &[usize] {
        self.byte_of.get_or_init(|| {
            let text = &self.record.text;
            text.char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect()
        })
    }

    fn gold_value(&self, g: &Span) -> String {
        let b = self.byte_of();
        let raw = &self.record.text[b[g.start]..b[g.end]];
        let value = if self.show_values {
            raw.to_string()
        } else {
            match self.scoring.mask_as(g.label) {
                Some(builtin) => mask::mask_builtin(builtin, raw, Note::None),
                None => mask_generic(raw),
            }
        };
        one_line(&value)
    }

    /// The text around `start..end` (code points), that range between ⟦ and ⟧.
    fn context(&self, start: usize, end: usize) -> String {
        let b = self.byte_of();
        let n = b.len() - 1;
        let (lo, hi) = (start.saturating_sub(CONTEXT), (end + CONTEXT).min(n));
        let sensitive: Vec<(usize, usize)> = self
            .record
            .gold
            .iter()
            .map(|g| (g.start, g.end))
            .chain(self.findings.iter().map(|f| (f.char_start, f.char_end)))
            .collect();
        let mut out = String::new();
        if lo > 0 {
            out.push('…');
        }
        for (i, c) in self.record.text[b[lo]..b[hi]].chars().enumerate() {
            let i = lo + i;
            if i == start {
                out.push('⟦');
            }
            if i == end {
                out.push('⟧');
            }
            let masked = !self.show_values
                && c.is_alphanumeric()
                && sensitive.iter().any(|&(s, e)| s < i && i < e)
                && !sensitive.iter().any(|&(s, _)| s == i);
            out.push(if masked { '*' } else { printable(c) });
        }
        if end == hi {
            out.push('⟧');
        }
        if hi < n {
            out.push('…');
        }
        out
    }
}

/// Keeps the first character and every separator; masks the other letters, digits and Han
/// characters.
fn mask_generic(value: &str) -> String {
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i > 0 && c.is_alphanumeric() { '*' } else { c })
        .collect()
}

fn printable(c: char) -> char {
    match c {
        '\n' => '⏎',
        c if c.is_control() => ' ',
        c => c,
    }
}

fn one_line(s: &str) -> String {
    s.chars().map(printable).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_mask_keeps_first_character_and_separators() {
        assert_eq!(mask_generic("易动力网络有限公司"), "易********");
        assert_eq!(mask_generic("ab-12"), "a*-**");
        assert_eq!(mask_generic(""), "");
    }

    #[test]
    fn control_characters_are_printable() {
        assert_eq!(one_line("a\nb\tc"), "a⏎b c");
    }
}
