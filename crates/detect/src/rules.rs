//! Loading detector rules from TOML: the built-in set (compiled in) and user files.
//!
//! The crate does no I/O: callers hand in [`RuleFile`]s (a name for messages plus the text).
//! Every error names the file and, where the TOML parser or a field span knows it, the line
//! and column.

use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::detector::{Builtin, DetectorInfo, DetectorKind, PiCategory};
use crate::finding::{CardScheme, Carrier, Confidence};
use crate::validate::NamedValidator;
use crate::validate::bank_card::IssuerRange;
use crate::validate::mobile::Segment;

/// One rule file: where it came from (for messages) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleFile {
    /// Path or `builtin:…` name shown in errors.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl RuleFile {
    /// A rule file from a name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> RuleFile {
        RuleFile {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A rule file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    /// The file's name.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl RuleError {
    /// An error at a byte span of `file` (line and column computed from it), or about the
    /// whole file when the span is unknown. For every rule-file parser of the project.
    pub fn at(
        file: &RuleFile,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> RuleError {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = line_col(&file.text, s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        RuleError {
            file: file.name.clone(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A TOML syntax or shape error in `file`.
    pub fn from_toml(file: &RuleFile, e: &toml::de::Error) -> RuleError {
        RuleError::at(file, e.span(), e.message().trim().to_string())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The compiled-in rule files.
pub mod builtin {
    /// `rules/detectors/builtin.toml`.
    pub const DETECTORS: &str = include_str!("../../../rules/detectors/builtin.toml");
    /// `rules/detectors/mobile_segments.toml`.
    pub const MOBILE_SEGMENTS: &str = include_str!("../../../rules/detectors/mobile_segments.toml");
    /// `rules/detectors/card_issuers.toml`.
    pub const CARD_ISSUERS: &str = include_str!("../../../rules/detectors/card_issuers.toml");
}

/// A user-defined detector, as declared in a rule file.
#[derive(Clone, Debug)]
pub struct CustomDetectorSpec {
    /// Descriptive part.
    pub info: DetectorInfo,
    /// The regular expression (Rust `regex` syntax).
    pub pattern: String,
    /// Optional built-in validator.
    pub validator: Option<NamedValidator>,
    /// Require that the match does not touch an ASCII letter or digit on either side. This is
    /// what `\b` fails to do next to Han characters (see TRAPS.md).
    pub boundary: bool,
    /// Confidence of a match that passed its validator (or has none), before context.
    pub confidence: Confidence,
    /// Alphanumerics kept visible at the start and end when masking.
    pub mask_keep: (u8, u8),
    /// Where it was declared, for error messages (`file:line`).
    pub origin: String,
}

/// All rules an engine is built from.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Built-in detectors in file order.
    pub detectors: Vec<DetectorInfo>,
    /// Mobile number segments.
    pub segments: Vec<Segment>,
    /// Bank-card issuer ranges.
    pub issuers: Vec<IssuerRange>,
    /// User-defined detectors.
    pub custom: Vec<CustomDetectorSpec>,
}

impl Rules {
    /// The compiled-in rules. They are tested, so this cannot fail at run time.
    pub fn builtin() -> Rules {
        Rules::load(
            &RuleFile::new("builtin:rules/detectors/builtin.toml", builtin::DETECTORS),
            &RuleFile::new(
                "builtin:rules/detectors/mobile_segments.toml",
                builtin::MOBILE_SEGMENTS,
            ),
            &RuleFile::new(
                "builtin:rules/detectors/card_issuers.toml",
                builtin::CARD_ISSUERS,
            ),
        )
        .unwrap_or_else(|e| panic!("built-in rules are invalid: {e}"))
    }

    /// Loads the three built-in rule files (possibly user replacements of them).
    pub fn load(
        detectors: &RuleFile,
        segments: &RuleFile,
        issuers: &RuleFile,
    ) -> Result<Rules, RuleError> {
        Ok(Rules {
            detectors: parse_builtin_detectors(detectors)?,
            segments: parse_segments(segments)?,
            issuers: parse_issuers(issuers)?,
            custom: Vec::new(),
        })
    }

    /// Adds the user-defined detectors of one file. Ids must be new.
    pub fn add_custom(&mut self, file: &RuleFile) -> Result<(), RuleError> {
        let parsed = parse_custom(file)?;
        for spec in parsed {
            let clash = self.detectors.iter().any(|d| d.id == spec.info.id)
                || self.custom.iter().any(|c| c.info.id == spec.info.id);
            if clash {
                return Err(RuleError {
                    file: file.name.clone(),
                    line: None,
                    column: None,
                    message: format!(
                        "{}: detector id `{}` is already defined",
                        spec.origin, spec.info.id
                    ),
                });
            }
            self.custom.push(spec);
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorFile {
    detector: Vec<Spanned<DetectorRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorRow {
    id: Spanned<String>,
    name_zh: String,
    name_en: String,
    category: PiCategory,
    sensitive: bool,
    #[serde(default)]
    requires_context: bool,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    negative_keywords: Vec<String>,
    #[serde(default)]
    source: String,
}

fn parse_builtin_detectors(file: &RuleFile) -> Result<Vec<DetectorInfo>, RuleError> {
    let parsed: DetectorFile =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    let mut out: Vec<DetectorInfo> = Vec::new();
    for row in parsed.detector {
        let row = row.into_inner();
        let id_span = row.id.span();
        let id = row.id.into_inner();
        let Some(b) = Builtin::from_id(&id) else {
            let known: Vec<_> = Builtin::ALL.iter().map(|b| b.id()).collect();
            return Err(RuleError::at(
                file,
                Some(id_span),
                format!(
                    "`{id}` is not a built-in detector (known: {})",
                    known.join(", ")
                ),
            ));
        };
        if out.iter().any(|d| d.id == id) {
            return Err(RuleError::at(
                file,
                Some(id_span),
                format!("detector `{id}` appears twice"),
            ));
        }
        check_keywords(file, id_span, &row.keywords)?;
        out.push(DetectorInfo {
            id,
            name_zh: row.name_zh,
            name_en: row.name_en,
            category: row.category,
            sensitive: row.sensitive,
            requires_context: row.requires_context,
            keywords: row.keywords,
            negative_keywords: row.negative_keywords,
            source: row.source,
            kind: DetectorKind::Builtin(b),
        });
    }
    Ok(out)
}

fn check_keywords(
    file: &RuleFile,
    span: std::ops::Range<usize>,
    keywords: &[String],
) -> Result<(), RuleError> {
    if let Some(k) = keywords.iter().find(|k| k.trim().is_empty()) {
        return Err(RuleError::at(
            file,
            Some(span),
            format!("empty keyword {k:?}"),
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentFile {
    segment: Vec<SegmentRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentRow {
    carrier: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)] // documented in the data; the carrier is what findings report
    kind: String,
    prefixes: Vec<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // [U] rows are loaded like the others; the flag is for reviewers
    unverified: bool,
}

fn carrier(code: &str) -> Option<Carrier> {
    Some(match code {
        "china_mobile" => Carrier::ChinaMobile,
        "china_unicom" => Carrier::ChinaUnicom,
        "china_telecom" => Carrier::ChinaTelecom,
        "china_broadnet" => Carrier::ChinaBroadnet,
        "china_tietong" => Carrier::ChinaTietong,
        "satellite" => Carrier::Satellite,
        "mvno" => Carrier::Mvno,
        _ => return None,
    })
}

fn parse_segments(file: &RuleFile) -> Result<Vec<Segment>, RuleError> {
    let parsed: SegmentFile =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    let mut out = Vec::new();
    for row in parsed.segment {
        let c = carrier(row.carrier.get_ref()).ok_or_else(|| {
            RuleError::at(
                file,
                Some(row.carrier.span()),
                format!("unknown carrier `{}`", row.carrier.get_ref()),
            )
        })?;
        for p in row.prefixes {
            let bytes = p.get_ref().as_bytes();
            if !(3..=5).contains(&bytes.len())
                || bytes[0] != b'1'
                || !bytes.iter().all(u8::is_ascii_digit)
            {
                return Err(RuleError::at(
                    file,
                    Some(p.span()),
                    format!(
                        "segment prefix `{}` must be 3–5 digits starting with 1",
                        p.get_ref()
                    ),
                ));
            }
            out.push(Segment {
                prefix: p.into_inner(),
                carrier: c,
            });
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerFile {
    issuer: Vec<Spanned<IssuerRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerRow {
    scheme: String,
    low: String,
    high: String,
    lengths: Vec<u8>,
}

fn parse_issuers(file: &RuleFile) -> Result<Vec<IssuerRange>, RuleError> {
    let parsed: IssuerFile =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    let mut out = Vec::new();
    for row in parsed.issuer {
        let span = row.span();
        let row = row.into_inner();
        let scheme = match row.scheme.as_str() {
            "union_pay" => CardScheme::UnionPay,
            "visa" => CardScheme::Visa,
            "mastercard" => CardScheme::Mastercard,
            "jcb" => CardScheme::Jcb,
            "amex" => CardScheme::Amex,
            other => {
                return Err(RuleError::at(
                    file,
                    Some(span),
                    format!("unknown card scheme `{other}`"),
                ));
            }
        };
        let range = IssuerRange {
            scheme,
            low: row.low,
            high: row.high,
            lengths: row.lengths,
        };
        // Compile it alone to report a bad row where it is.
        crate::validate::bank_card::IssuerTable::new(std::slice::from_ref(&range))
            .map_err(|m| RuleError::at(file, Some(span.clone()), m))?;
        out.push(range);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomFile {
    #[serde(default)]
    detector: Vec<Spanned<CustomRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomRow {
    id: Spanned<String>,
    name_zh: Option<String>,
    name_en: Option<String>,
    pattern: Spanned<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    negative_keywords: Vec<String>,
    validator: Option<Spanned<String>>,
    category: Option<PiCategory>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    requires_context: bool,
    boundary: Option<bool>,
    confidence: Option<Spanned<String>>,
    mask_keep_start: Option<u8>,
    mask_keep_end: Option<u8>,
    source: Option<String>,
}

fn parse_custom(file: &RuleFile) -> Result<Vec<CustomDetectorSpec>, RuleError> {
    let parsed: CustomFile =
        toml::from_str(&file.text).map_err(|e| RuleError::from_toml(file, &e))?;
    let mut out = Vec::new();
    for row in parsed.detector {
        let row = row.into_inner();
        let id_span = row.id.span();
        let id = row.id.into_inner();
        let (line, _) = line_col(&file.text, id_span.start);
        let origin = format!("{}:{line}", file.name);
        let id_ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            return Err(RuleError::at(
                file,
                Some(id_span),
                format!("detector id `{id}` must be lowercase letters, digits and underscores"),
            ));
        }
        if Builtin::from_id(&id).is_some() {
            return Err(RuleError::at(
                file,
                Some(id_span),
                format!("`{id}` is a built-in detector; choose another id"),
            ));
        }
        let pattern_span = row.pattern.span();
        let pattern = row.pattern.into_inner();
        if let Err(e) = regex_automata::meta::Regex::new(&pattern) {
            return Err(RuleError::at(
                file,
                Some(pattern_span),
                format!("pattern of `{id}` is not a valid regular expression: {e}"),
            ));
        }
        let validator = match row.validator {
            None => None,
            Some(v) => Some(NamedValidator::from_name(v.get_ref()).ok_or_else(|| {
                RuleError::at(
                    file,
                    Some(v.span()),
                    format!(
                        "unknown validator `{}` (known: {})",
                        v.get_ref(),
                        NamedValidator::names()
                    ),
                )
            })?),
        };
        let confidence = match row.confidence {
            None => Confidence::Medium,
            Some(c) => Confidence::parse(c.get_ref()).ok_or_else(|| {
                RuleError::at(
                    file,
                    Some(c.span()),
                    format!(
                        "confidence must be low, medium or high, not `{}`",
                        c.get_ref()
                    ),
                )
            })?,
        };
        check_keywords(file, id_span.clone(), &row.keywords)?;
        if row.requires_context && row.keywords.is_empty() {
            return Err(RuleError::at(
                file,
                Some(id_span),
                format!("`{id}` requires context but has no keywords"),
            ));
        }
        out.push(CustomDetectorSpec {
            info: DetectorInfo {
                name_zh: row.name_zh.unwrap_or_else(|| id.clone()),
                name_en: row.name_en.unwrap_or_else(|| id.clone()),
                id,
                category: row.category.unwrap_or(PiCategory::Other),
                sensitive: row.sensitive,
                requires_context: row.requires_context,
                keywords: row.keywords,
                negative_keywords: row.negative_keywords,
                source: row.source.unwrap_or_else(|| origin.clone()),
                kind: DetectorKind::Unassigned,
            },
            pattern,
            validator,
            boundary: row.boundary.unwrap_or(true),
            confidence,
            mask_keep: (
                row.mask_keep_start.unwrap_or(1),
                row.mask_keep_end.unwrap_or(1),
            ),
            origin,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load_and_cover_every_builtin() {
        let r = Rules::builtin();
        assert_eq!(r.detectors.len(), Builtin::ALL.len());
        for b in Builtin::ALL {
            let d = r
                .detectors
                .iter()
                .find(|d| d.id == b.id())
                .unwrap_or_else(|| panic!("{}", b.id()));
            assert!(!d.name_zh.is_empty() && !d.name_en.is_empty());
            assert!(!d.keywords.is_empty(), "{} has no keywords", d.id);
        }
        assert!(r.segments.iter().any(|s| s.prefix == "138"));
        assert!(r.issuers.iter().any(|i| i.scheme == CardScheme::UnionPay));
    }

    fn custom(text: &str) -> Result<Rules, RuleError> {
        let mut r = Rules::builtin();
        r.add_custom(&RuleFile::new("my.toml", text))?;
        Ok(r)
    }

    #[test]
    fn custom_detector_loads() {
        let r = custom(
            r#"
[[detector]]
id = "employee_no"
name_zh = "员工编号"
pattern = 'E\d{6}'
keywords = ["工号"]
validator = "luhn"
category = "education_work"
"#,
        )
        .unwrap();
        let c = &r.custom[0];
        assert_eq!(c.info.id, "employee_no");
        assert_eq!(c.info.name_en, "employee_no");
        assert_eq!(c.validator, Some(NamedValidator::Luhn));
        assert_eq!(c.info.category, PiCategory::EducationWork);
        assert_eq!(c.origin, "my.toml:3");
        assert!(c.boundary);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = custom("[[detector]]\nid = \"x\"\npattern = '('\n").unwrap_err();
        assert_eq!(e.file, "my.toml");
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().starts_with("my.toml:3:"), "{e}");
        assert!(e.message.contains("not a valid regular expression"), "{e}");

        let e =
            custom("[[detector]]\nid = \"x\"\npattern = 'a'\nvalidator = \"crc\"\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("unknown validator `crc`"), "{e}");

        let e = custom("[[detector]]\nid = \"cn_mobile\"\npattern = 'a'\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("built-in"), "{e}");

        let e = custom("[[detector]]\nid = \"x\"\npattern = 'a'\nbogus = 1\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("bogus"), "{e}");

        let e = custom("[[detector]\nid = 1").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");

        let e = custom("[[detector]]\nid = \"Bad Id\"\npattern = 'a'\n").unwrap_err();
        assert!(e.message.contains("lowercase"), "{e}");

        let e = custom(
            "[[detector]]\nid = \"a\"\npattern = 'a'\n[[detector]]\nid = \"a\"\npattern = 'b'\n",
        )
        .unwrap_err();
        assert!(e.message.contains("already defined"), "{e}");
        assert!(e.message.contains("my.toml:5"), "{e}");

        let e = custom("[[detector]]\nid = \"a\"\npattern = 'a'\nrequires_context = true\n")
            .unwrap_err();
        assert!(e.message.contains("no keywords"), "{e}");
    }

    #[test]
    fn builtin_file_errors() {
        let seg = RuleFile::new("s.toml", builtin::MOBILE_SEGMENTS);
        let iss = RuleFile::new("i.toml", builtin::CARD_ISSUERS);
        let bad = RuleFile::new(
            "d.toml",
            "[[detector]]\nid = \"cn_nothing\"\nname_zh = \"x\"\nname_en = \"x\"\ncategory = \"other\"\nsensitive = false\n",
        );
        let e = Rules::load(&bad, &seg, &iss).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("not a built-in detector"));

        let bad_cat = RuleFile::new(
            "d.toml",
            "[[detector]]\nid = \"email\"\nname_zh = \"x\"\nname_en = \"x\"\ncategory = \"secretish\"\nsensitive = false\n",
        );
        let e = Rules::load(&bad_cat, &seg, &iss).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");

        let bad_seg = RuleFile::new(
            "s.toml",
            "[[segment]]\ncarrier = \"china_mobile\"\nprefixes = [\"238\"]\n",
        );
        let det = RuleFile::new("d.toml", builtin::DETECTORS);
        let e = Rules::load(&det, &bad_seg, &iss).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("s.toml", Some(3)));

        let bad_iss = RuleFile::new(
            "i.toml",
            "[[issuer]]\nscheme = \"visa\"\nlow = \"5\"\nhigh = \"4\"\nlengths = [16]\n",
        );
        let e = Rules::load(&det, &seg, &bad_iss).unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        assert!(e.message.contains("empty"), "{e}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n身份c", 3), (2, 1));
        assert_eq!(line_col("ab\n身份c", 9), (2, 3));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
