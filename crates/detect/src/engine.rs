//! The engine: detectors, tables and automata built once, then shared by every scan.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::address::AddressModel;
use crate::custom::CustomSet;
use crate::detector::{Builtin, DetectorId, DetectorInfo, DetectorKind};
use crate::finding::{Check, Confidence, Finding, Note};
use crate::keywords::{Context, ContextWindow, KeywordIndex, KeywordTable};
use crate::mask;
use crate::names::NameModel;
use crate::resolve::resolve;
use crate::rules::{RuleError, Rules};
use crate::scan::{Candidate, Enabled, Scanner, Tables};
use crate::validate::CivilDate;
use crate::validate::bank_card::IssuerTable;
use crate::validate::mobile::SegmentTable;

/// How an engine behaves. Build with [`EngineOptions::new`] and adjust fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineOptions {
    /// Today's date: birth dates after it are impossible. The engine reads no clock.
    pub today: CivilDate,
    /// Findings below this confidence are not reported.
    pub min_confidence: Confidence,
    /// Only these detectors (by id); `None` means all.
    pub only: Option<Vec<String>>,
    /// Detectors switched off (by id).
    pub disable: Vec<String>,
    /// Whether the Han-text detectors (names and addresses) run. They are the slow ones.
    pub names_and_addresses: bool,
    /// Bytes before a value searched for context keywords.
    pub context_before: usize,
    /// Bytes after a value searched for context keywords.
    pub context_after: usize,
}

impl EngineOptions {
    /// Defaults: every detector, medium confidence and up, a context window of 36 bytes
    /// before (12 Han characters) and 12 after.
    pub fn new(today: CivilDate) -> EngineOptions {
        EngineOptions {
            today,
            min_confidence: Confidence::Medium,
            only: None,
            disable: Vec::new(),
            names_and_addresses: true,
            context_before: 36,
            context_after: 12,
        }
    }
}

/// An engine could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A detector id in the options is unknown.
    #[error("unknown detector `{0}` (known: {1})")]
    UnknownDetector(String, String),
    /// A rule file is invalid.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// A table or automaton could not be compiled.
    #[error("{0}")]
    Build(String),
}

/// Where a text begins within its document, so findings report document positions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// UTF-8 byte offset.
    pub byte: usize,
    /// Code-point offset.
    pub char: usize,
    /// 0-based count of newlines before this point (findings report `line` 1-based).
    pub newlines: usize,
}

/// A piece of a document to scan: the text, the part of it whose findings are reported, and
/// where the text begins in the document.
///
/// Large documents are scanned in windows that overlap their neighbours: the margins give
/// context and let values crossing the edge of `owned` be seen whole. A finding is reported
/// by the window whose `owned` range contains its start, so every value is reported once.
#[derive(Clone, Debug)]
pub struct TextWindow<'a> {
    /// The text, including margins.
    pub text: &'a str,
    /// Byte range of `text` whose findings are reported.
    pub owned: Range<usize>,
    /// Position of `text[0]` in the document.
    pub origin: Position,
}

impl<'a> TextWindow<'a> {
    /// A whole document.
    pub fn whole(text: &'a str) -> TextWindow<'a> {
        TextWindow {
            text,
            owned: 0..text.len(),
            origin: Position::default(),
        }
    }
}

/// Reusable buffers for scanning; keep one per thread to avoid allocating per scan.
#[derive(Debug, Default)]
pub struct Scratch {
    candidates: Vec<Candidate>,
    keywords: KeywordIndex,
}

/// One reason a finding was reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable code (`checksum`, `keyword`, …).
    pub code: &'static str,
    /// Human-readable detail.
    pub detail: String,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

/// The detection engine. Cheap to share across threads (`&Engine` is all a scan needs).
#[derive(Debug)]
pub struct Engine {
    detectors: Vec<DetectorInfo>,
    /// Whether each detector is switched on.
    active: Vec<bool>,
    enabled: Enabled,
    segments: SegmentTable,
    issuers: IssuerTable,
    keywords: KeywordTable,
    custom: Option<CustomSet>,
    names: Option<NameModel>,
    addresses: Option<AddressModel>,
    opts: EngineOptions,
}

impl Engine {
    /// An engine with the built-in rules.
    pub fn builtin(opts: EngineOptions) -> Result<Engine, EngineError> {
        Engine::new(Rules::builtin(), opts)
    }

    /// An engine from rules (built-in plus any user-defined detectors).
    pub fn new(rules: Rules, opts: EngineOptions) -> Result<Engine, EngineError> {
        let mut detectors = rules.detectors;
        let mut custom_specs = Vec::new();
        for (i, mut spec) in rules.custom.into_iter().enumerate() {
            spec.info.kind = DetectorKind::Custom(i as u16);
            let id = DetectorId(detectors.len() as u16);
            detectors.push(spec.info.clone());
            custom_specs.push((id, spec));
        }
        let known = || {
            detectors
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        for id in opts.only.iter().flatten().chain(&opts.disable) {
            if !detectors.iter().any(|d| &d.id == id) {
                return Err(EngineError::UnknownDetector(id.clone(), known()));
            }
        }
        let mut active = Vec::with_capacity(detectors.len());
        let mut enabled = Enabled::default();
        for (i, d) in detectors.iter().enumerate() {
            let han = matches!(d.kind, DetectorKind::Builtin(b) if b.is_han_text());
            let on = opts.only.as_ref().is_none_or(|o| o.contains(&d.id))
                && !opts.disable.contains(&d.id)
                && (opts.names_and_addresses || !han);
            active.push(on);
            if let (true, DetectorKind::Builtin(b)) = (on, d.kind) {
                enabled.set(b, DetectorId(i as u16));
            }
        }
        let custom_specs: Vec<_> = custom_specs
            .into_iter()
            .filter(|(id, _)| active[id.index()])
            .collect();
        let custom = if custom_specs.is_empty() {
            None
        } else {
            Some(CustomSet::new(custom_specs).map_err(EngineError::Build)?)
        };
        let segments = SegmentTable::new(&rules.segments)
            .map_err(|p| EngineError::Build(format!("bad mobile segment prefix `{p}`")))?;
        let issuers = IssuerTable::new(&rules.issuers).map_err(EngineError::Build)?;
        let keywords = KeywordTable::new(&detectors);
        let names = enabled.on(Builtin::PersonName).then(NameModel::builtin);
        let addresses = enabled.on(Builtin::Address).then(AddressModel::builtin);
        Ok(Engine {
            detectors,
            active,
            enabled,
            segments,
            issuers,
            keywords,
            custom,
            names,
            addresses,
            opts,
        })
    }

    /// Every detector the engine knows, switched on or not, indexed by [`DetectorId`].
    pub fn detectors(&self) -> &[DetectorInfo] {
        &self.detectors
    }

    /// The detector behind an id.
    pub fn detector(&self, id: DetectorId) -> &DetectorInfo {
        &self.detectors[id.index()]
    }

    /// Looks a detector up by its string id.
    pub fn find(&self, id: &str) -> Option<DetectorId> {
        self.detectors
            .iter()
            .position(|d| d.id == id)
            .map(|i| DetectorId(i as u16))
    }

    /// Whether a detector is switched on.
    pub fn is_active(&self, id: DetectorId) -> bool {
        self.active[id.index()]
    }

    /// The options the engine was built with.
    pub fn options(&self) -> &EngineOptions {
        &self.opts
    }

    /// Scans a whole text. Offsets are relative to its start.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.scan_window(&TextWindow::whole(text), &mut Scratch::default(), &mut out);
        out
    }

    /// Scans one window of a document, appending the findings that start in its owned range,
    /// in order of position.
    pub fn scan_window(&self, w: &TextWindow<'_>, scratch: &mut Scratch, out: &mut Vec<Finding>) {
        let text = w.text.as_bytes();
        let cands = &mut scratch.candidates;
        cands.clear();
        scratch.keywords.clear();

        Scanner {
            text,
            on: &self.enabled,
            tables: Tables {
                segments: &self.segments,
                issuers: &self.issuers,
                today: self.opts.today,
            },
            out: cands,
        }
        .run();
        if let Some(custom) = &self.custom {
            custom.scan(text, self.opts.today, cands);
        }
        if self.names.is_some() || self.addresses.is_some() {
            // The Han detectors are driven by keywords anywhere in the text: index it whole.
            scratch.keywords.cover(&self.keywords, text, 0, text.len());
            let hits = scratch.keywords.hits();
            if let (Some(m), Some(id)) = (&self.names, self.enabled.get(Builtin::PersonName)) {
                m.scan(text, hits, &self.keywords, id, cands);
            }
            if let (Some(m), Some(id)) = (&self.addresses, self.enabled.get(Builtin::Address)) {
                m.scan(text, hits, &self.keywords, id, cands);
            }
        }

        sort_candidates(cands);
        self.apply_context(text, cands);
        resolve(cands, |c| self.tie_rank(c));
        self.emit_findings(w, cands, out);
    }

    fn tie_rank(&self, c: &Candidate) -> u8 {
        match self.detectors[c.detector.index()].kind {
            DetectorKind::Builtin(b) => b.tie_rank(),
            _ => u8::MAX,
        }
    }

    /// Raises confidence for a keyword in the window, lowers it for a nearer look-alike
    /// marker, and drops values of context-only detectors that have no keyword, and values
    /// below the minimum confidence.
    ///
    /// Candidates must be sorted by start. The window before a value stops at the end of the
    /// previous value: a keyword before that value is its label, not this one's.
    fn apply_context(&self, text: &[u8], cands: &mut Vec<Candidate>) {
        let (before, after) = (self.opts.context_before, self.opts.context_after);
        let min = self.opts.min_confidence;
        let mut ends_max = 0; // largest end of the candidates seen so far
        let mut barrier = 0; // largest end of earlier candidates not overlapping this one
        // Kept candidates are compacted to the front; those after `i` are still unread.
        let mut kept = 0;
        for i in 0..cands.len() {
            let mut c = cands[i];
            // Where the next value not overlapping this one starts. Sorted by start and rarely
            // overlapping: a short forward walk.
            let mut j = i + 1;
            while j < cands.len() && cands[j].start < c.end {
                j += 1;
            }
            let next_value = cands.get(j).map_or(usize::MAX, |x| x.start);
            if ends_max <= c.start {
                barrier = ends_max;
            }
            ends_max = ends_max.max(c.end);
            let info = &self.detectors[c.detector.index()];
            let keep = if c.context_done {
                !info.requires_context || c.keyword.is_some()
            } else {
                let lo = c.start.saturating_sub(before).max(barrier);
                let hi = (c.end + after).min(text.len());
                match self.keywords.context(
                    text,
                    c.detector,
                    c.start,
                    c.end,
                    ContextWindow { lo, hi, next_value },
                ) {
                    Context::Positive(hit) => {
                        c.confidence = c.confidence.raised();
                        c.checks = c.checks.with(Check::Keyword);
                        c.keyword = Some(hit.entry);
                        true
                    }
                    Context::Negative(hit) => {
                        c.confidence = Confidence::Low;
                        c.checks = c.checks.with(Check::NegativeContext);
                        c.keyword = Some(hit.entry);
                        !info.requires_context
                    }
                    Context::None => !info.requires_context,
                }
            };
            if keep && c.confidence >= min {
                cands[kept] = c;
                kept += 1;
            }
        }
        cands.truncate(kept);
    }

    /// Converts the kept candidates of the owned range into findings with positions.
    fn emit_findings(&self, w: &TextWindow<'_>, cands: &[Candidate], out: &mut Vec<Finding>) {
        let text = w.text.as_bytes();
        let (mut pos, mut chars, mut newlines) = (0usize, w.origin.char, w.origin.newlines);
        for c in cands {
            if !w.owned.contains(&c.start) {
                continue;
            }
            let (dc, dn) = count_chars_and_newlines(&text[pos..c.start]);
            chars += dc;
            newlines += dn;
            pos = c.start;
            let (len_chars, _) = count_chars_and_newlines(&text[c.start..c.end]);
            out.push(Finding {
                detector: c.detector,
                start: w.origin.byte + c.start,
                end: w.origin.byte + c.end,
                char_start: chars,
                char_end: chars + len_chars,
                line: newlines + 1,
                confidence: c.confidence,
                checks: c.checks,
                keyword: c.keyword,
                note: c.note,
            });
        }
    }

    /// The masked evidence of a finding, given its raw value (the text it spans).
    pub fn evidence(&self, f: &Finding, value: &str) -> String {
        match self.detectors[f.detector.index()].kind {
            DetectorKind::Builtin(b) => mask::mask_builtin(b, value, f.note),
            DetectorKind::Custom(_) => {
                let keep = self
                    .custom
                    .as_ref()
                    .and_then(|c| c.spec(f.detector))
                    .map_or((1, 1), |s| s.mask_keep);
                mask::mask_custom(value, keep)
            }
            DetectorKind::Unassigned => mask::mask_custom(value, (0, 0)),
        }
    }

    /// The keyword text behind a finding's `keyword` index.
    pub fn keyword_text(&self, index: u32) -> Option<&str> {
        self.keywords
            .entries
            .get(index as usize)
            .map(|e| e.text.as_str())
    }

    /// Why a finding was reported, in a stable order.
    pub fn reasons(&self, f: &Finding) -> Vec<Reason> {
        let mut out = Vec::new();
        for check in f.checks.iter() {
            let detail = self.describe(check, f);
            out.push(Reason {
                code: check.code(),
                detail,
            });
        }
        out
    }

    fn describe(&self, check: Check, f: &Finding) -> String {
        let builtin = match self.detectors[f.detector.index()].kind {
            DetectorKind::Builtin(b) => Some(b),
            _ => None,
        };
        let kw = || {
            f.keyword
                .and_then(|k| self.keyword_text(k))
                .unwrap_or("?")
                .to_string()
        };
        match check {
            Check::Format => "the shape matches".to_string(),
            Check::Checksum => match builtin {
                Some(Builtin::ResidentId) => {
                    "MOD 11-2 check character is correct (GB 11643)".into()
                }
                Some(Builtin::Uscc) => "mod-31 check character is correct (GB 32100)".into(),
                Some(Builtin::OrgCode) => "check character is correct (GB 11714)".into(),
                Some(Builtin::BankCard | Builtin::Imei | Builtin::Iccid) => {
                    "Luhn check digit is correct".into()
                }
                _ => "validator accepted the value".into(),
            },
            Check::Date => "embedded date is a real date, not in the future".into(),
            Check::Division => match f.note {
                Note::Province(p) => {
                    format!("province-level division code {p:02} exists (GB/T 2260)")
                }
                _ => "division code exists (GB/T 2260)".into(),
            },
            Check::Segment => match f.note {
                Note::Carrier(c) | Note::Operator(c) => {
                    format!("number segment allocated to {}", c.name_zh())
                }
                _ => "number segment allocated".into(),
            },
            Check::Issuer => match f.note {
                Note::CardScheme(s) => format!("issuer number belongs to {}", s.name()),
                Note::Operator(c) => format!("issuer prefix belongs to {}", c.name_zh()),
                _ => "issuer number is plausible".into(),
            },
            Check::Range => match f.note {
                Note::PrivateAddress => "valid ranges; private or reserved address".into(),
                Note::PublicAddress => "valid ranges; public address".into(),
                Note::Precision(p) => {
                    format!("latitude and longitude in range; {p} decimal places")
                }
                _ => "values in range".into(),
            },
            Check::Structure => match f.note {
                Note::Secret(s) => format!("structure of a {}", s.name()),
                Note::NewEnergyPlate => "structure of a new-energy plate".into(),
                _ => "internal structure holds".into(),
            },
            Check::Dictionary => "found in the reference list".into(),
            Check::Field => "stands alone as a field of a record".into(),
            Check::Legacy => "legacy 15-digit format without check character".into(),
            Check::EmbeddedChecksum => "embedded organisation code is valid (GB 11714)".into(),
            Check::KnownPrefix => match f.note {
                Note::Secret(s) => format!("known prefix of a {}", s.name()),
                _ => "known prefix".into(),
            },
            Check::Pattern => "user-defined pattern matched".into(),
            Check::NegativeContext => format!("look-alike marker `{}` nearby", kw()),
            Check::Keyword => format!("context keyword `{}` nearby", kw()),
        }
    }
}

/// Sorts candidates by start, longer first at the same start, unless they already are (the
/// scanner emits them nearly in order).
fn sort_candidates(cands: &mut [Candidate]) {
    let key = |c: &Candidate| (c.start, std::cmp::Reverse(c.end));
    if !cands.is_sorted_by_key(key) {
        cands.sort_by_key(key);
    }
}

/// Counts the bytes of `m` whose bit 7 is set (and no other bits are), by a multiply instead
/// of a popcount, which is not in the baseline x86-64 instruction set.
#[inline(always)]
fn count_high_bits(m: u64) -> usize {
    ((m >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// Counts code points and newlines, eight bytes at a time: a byte starts a code point unless
/// it is a continuation byte (`10xxxxxx`).
fn count_chars_and_newlines(bytes: &[u8]) -> (usize, usize) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut continuation = 0usize;
    let mut newlines = 0usize;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        // Bit 7 set and bit 6 clear.
        continuation += count_high_bits(x & !(x << 1) & HIGH);
        // Zero bytes of x ^ '\n', found without carries between bytes.
        let y = x ^ NEWLINES;
        let nonzero = ((y & LOW7) + LOW7) | y;
        newlines += count_high_bits(!nonzero & HIGH);
    }
    let rest = words.remainder();
    continuation += rest.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    newlines += rest.iter().filter(|&&b| b == b'\n').count();
    (bytes.len() - continuation, newlines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting() {
        assert_eq!(count_chars_and_newlines("a\n身份\n".as_bytes()), (5, 2));
        let long = "第一行\n手机 13812345678\r\n\n身份证号码：11010519491231002X\n末尾";
        for end in 0..=long.len() {
            if !long.is_char_boundary(end) {
                continue;
            }
            let slice = &long[..end];
            let expected = (slice.chars().count(), slice.matches('\n').count());
            assert_eq!(
                count_chars_and_newlines(slice.as_bytes()),
                expected,
                "{end}"
            );
        }
    }
}
