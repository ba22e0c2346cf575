//! Token-a-line gold readers: Weibo NER CoNLL and People's Daily BIO.
//!
//! A sentence is a run of `TOKEN TAG` lines ended by a blank line (or the end of the file);
//! its text is the tokens joined without separators, as both sets have one character a token.
//! Tags are BIO, accepting the BIOES/BMES variants too: `B-`/`S-` open a span, `I-`/`M-`/`E-`
//! continue one of the same type (or, as `conlleval` does, open one after `O` or another
//! type), `O` is outside. The label is the tag without its prefix (`PER.NAM`, `LOC`).

use super::{GoldError, GoldRecord, GoldSpan};

/// Parses a token-a-line file. With `segmented`, each token carries the Weibo segmentation
/// digits after its character (`张0`, `p10`), which are dropped.
pub(super) fn parse_tagged(
    name: &str,
    text: &str,
    segmented: bool,
) -> Result<Vec<GoldRecord>, GoldError> {
    let mut records = Vec::new();
    let mut sentence = Sentence::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        if l.trim().is_empty() {
            sentence.finish(&mut records);
            continue;
        }
        let (token, tag) = split_line(l).ok_or_else(|| {
            GoldError::at(
                name,
                line,
                format!("expected a character and a tag separated by a tab or space, found `{l}`"),
            )
        })?;
        let token = if segmented {
            strip_segmentation(token)
        } else {
            token
        };
        let tag = parse_tag(tag).ok_or_else(|| {
            GoldError::at(
                name,
                line,
                format!("unknown tag `{tag}`: expected O, B-TYPE, I-TYPE (or E-, M-, S-)"),
            )
        })?;
        sentence.push(line, token, tag);
    }
    sentence.finish(&mut records);
    Ok(records)
}

/// The first and last fields of a line split on tabs and ASCII spaces (a CJK character such as
/// U+3000 is a token, never a separator).
fn split_line(l: &str) -> Option<(&str, &str)> {
    let mut fields = l.split([' ', '\t']).filter(|f| !f.is_empty());
    let token = fields.next()?;
    let tag = fields.next_back()?;
    Some((token, tag))
}

/// Drops the Weibo segmentation digits: `张0` → `张`, `p10` → `p`, `310` → `3` (the
/// character is the first code point when the rest is digits). A token whose character is
/// longer than one code point keeps everything before its trailing digits (the set has
/// `\u{fffd}\u{fffd}0` where an emoji was damaged).
fn strip_segmentation(token: &str) -> &str {
    let mut chars = token.char_indices();
    let Some((_, first)) = chars.next() else {
        return token;
    };
    let rest = &token[first.len_utf8()..];
    if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
        return &token[..first.len_utf8()];
    }
    let kept = token.trim_end_matches(|c: char| c.is_ascii_digit());
    if kept.is_empty() { token } else { kept }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag<'a> {
    Outside,
    /// `B-` or `S-` (`single` closes the span after this token).
    Begin {
        label: &'a str,
        single: bool,
    },
    /// `I-`, `M-` or `E-` (`last` closes the span after this token).
    Inside {
        label: &'a str,
        last: bool,
    },
}

fn parse_tag(tag: &str) -> Option<Tag<'_>> {
    if tag == "O" {
        return Some(Tag::Outside);
    }
    let (prefix, label) = tag.split_once('-')?;
    if label.is_empty() {
        return None;
    }
    Some(match prefix {
        "B" => Tag::Begin {
            label,
            single: false,
        },
        "S" => Tag::Begin {
            label,
            single: true,
        },
        "I" | "M" => Tag::Inside { label, last: false },
        "E" => Tag::Inside { label, last: true },
        _ => return None,
    })
}

/// The sentence being read.
#[derive(Default)]
struct Sentence {
    line: usize,
    text: String,
    chars: usize,
    spans: Vec<GoldSpan>,
    /// The open span: its start and label.
    open: Option<(usize, String)>,
}

impl Sentence {
    fn push(&mut self, line: usize, token: &str, tag: Tag<'_>) {
        if self.text.is_empty() {
            self.line = line;
        }
        let start = self.chars;
        self.text.push_str(token);
        self.chars += token.chars().count();
        let (label, close_after) = match tag {
            Tag::Outside => {
                self.close(start);
                return;
            }
            Tag::Begin { label, single } => {
                self.close(start);
                (label, single)
            }
            Tag::Inside { label, last } => {
                if self.open.as_ref().is_some_and(|(_, l)| l != label) {
                    self.close(start);
                }
                (label, last)
            }
        };
        if self.open.is_none() {
            self.open = Some((start, label.to_string()));
        }
        if close_after {
            self.close(self.chars);
        }
    }

    fn close(&mut self, end: usize) {
        if let Some((start, label)) = self.open.take() {
            self.spans.push(GoldSpan { start, end, label });
        }
    }

    fn finish(&mut self, records: &mut Vec<GoldRecord>) {
        self.close(self.chars);
        if !self.text.is_empty() {
            let s = std::mem::take(self);
            records.push(GoldRecord {
                line: s.line,
                text: s.text,
                spans: s.spans,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{GoldFormat, parse_gold};
    use super::*;

    fn spans(r: &GoldRecord) -> Vec<(usize, usize, &str, String)> {
        r.spans
            .iter()
            .map(|s| {
                let text: String = r.text.chars().skip(s.start).take(s.end - s.start).collect();
                (s.start, s.end, s.label.as_str(), text)
            })
            .collect()
    }

    #[test]
    fn weibo_conll_drops_segmentation_digits() {
        let text = "我0\tO\n叫1\tO\n张0\tB-PER.NAM\n三1\tI-PER.NAM\n老0\tB-PER.NOM\n师1\tI-PER.NOM\n\n\
                    p10\tO\n310\tO\n\u{fffd}\u{fffd}0\tO\n北0\tB-GPE.NAM\n京1\tI-GPE.NAM\n";
        let set = parse_gold("w.conll", text, GoldFormat::Auto).unwrap();
        assert_eq!(set.format, GoldFormat::Conll);
        assert_eq!(set.records.len(), 2);
        let r = &set.records[0];
        assert_eq!((r.line, r.text.as_str()), (1, "我叫张三老师"));
        assert_eq!(
            spans(r),
            vec![
                (2, 4, "PER.NAM", "张三".to_string()),
                (4, 6, "PER.NOM", "老师".to_string())
            ]
        );
        let r = &set.records[1];
        assert_eq!((r.line, r.text.as_str()), (8, "p3\u{fffd}\u{fffd}北京"));
        assert_eq!(spans(r), vec![(4, 6, "GPE.NAM", "北京".to_string())]);
    }

    #[test]
    fn conll_accepts_unsegmented_space_separated_lines() {
        let set = parse_gold("w", "张 B-PER.NAM\n三 I-PER.NAM\n", GoldFormat::Conll).unwrap();
        assert_eq!(
            spans(&set.records[0]),
            vec![(0, 2, "PER.NAM", "张三".into())]
        );
    }

    #[test]
    fn peoples_daily_bio() {
        let text = "在 O\n北 B-LOC\n京 I-LOC\n的 O\n王 B-PER\n小 I-PER\n明 I-PER\n\n\n人 B-ORG\n民 I-ORG\n";
        let set = parse_gold("p.bio", text, GoldFormat::Auto).unwrap();
        assert_eq!(set.format, GoldFormat::Bio);
        assert_eq!(set.records.len(), 2);
        assert_eq!(
            spans(&set.records[0]),
            vec![(1, 3, "LOC", "北京".into()), (4, 7, "PER", "王小明".into())]
        );
        assert_eq!(set.records[1].line, 10);
        assert_eq!(spans(&set.records[1]), vec![(0, 2, "ORG", "人民".into())]);
    }

    #[test]
    fn bio_keeps_digits_and_cjk_space_as_characters() {
        let text = "1 O\n0 O\n\u{3000} O\n张 B-PER\n";
        let set = parse_gold("p", text, GoldFormat::Bio).unwrap();
        assert_eq!(set.records[0].text, "10\u{3000}张");
        assert_eq!(set.records[0].spans[0].start, 3);
    }

    #[test]
    fn adjacent_and_irregular_tags() {
        // B after B starts a new span; I after O or of another type starts one (conlleval);
        // BIOES tags close where they say.
        let text = "a B-PER\nb B-PER\nc I-LOC\nd O\ne I-PER\nf S-LOC\ng B-ORG\nh M-ORG\ni E-ORG\nj I-ORG\n";
        let set = parse_gold("p", text, GoldFormat::Bio).unwrap();
        let got: Vec<_> = spans(&set.records[0])
            .into_iter()
            .map(|(_, _, l, t)| (l.to_string(), t))
            .collect();
        let want = [
            ("PER", "a"),
            ("PER", "b"),
            ("LOC", "c"),
            ("PER", "e"),
            ("LOC", "f"),
            ("ORG", "ghi"),
            ("ORG", "j"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(l, t)| (l.to_string(), t.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let e = parse_gold("p.bio", "a O\nb\n", GoldFormat::Bio).unwrap_err();
        assert_eq!(e.to_string().split(": ").next(), Some("p.bio:2"));
        assert!(e.message.contains("expected a character and a tag"), "{e}");
        for tag in ["X-PER", "B-", "PER", "b-PER"] {
            let e = parse_gold("p.bio", &format!("a O\n\nb {tag}\n"), GoldFormat::Bio).unwrap_err();
            assert_eq!(e.line, Some(3), "{tag}");
            assert!(e.message.contains("unknown tag"), "{tag}: {e}");
        }
    }

    #[test]
    fn segmentation_stripping() {
        assert_eq!(strip_segmentation("张0"), "张");
        assert_eq!(strip_segmentation("p10"), "p");
        assert_eq!(strip_segmentation("310"), "3");
        assert_eq!(strip_segmentation("\u{fffd}\u{fffd}0"), "\u{fffd}\u{fffd}");
        assert_eq!(strip_segmentation("张"), "张");
        assert_eq!(strip_segmentation("7"), "7");
    }
}
