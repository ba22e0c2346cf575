//! User-defined detectors: every pattern compiled into one multi-pattern regex, so the text
//! is searched once for all of them (`regex_automata::meta::Regex::new_many`).

use regex_automata::meta::Regex;
use regex_automata::{Input, util::syntax};

use crate::detector::DetectorId;
use crate::finding::{Check, Checks, Note};
use crate::rules::CustomDetectorSpec;
use crate::scan::Candidate;
use crate::validate::CivilDate;

/// The compiled user-defined detectors.
#[derive(Debug)]
pub(crate) struct CustomSet {
    regex: Regex,
    specs: Vec<(DetectorId, CustomDetectorSpec)>,
}

impl CustomSet {
    pub fn new(specs: Vec<(DetectorId, CustomDetectorSpec)>) -> Result<CustomSet, String> {
        let patterns: Vec<&str> = specs.iter().map(|(_, s)| s.pattern.as_str()).collect();
        let regex = Regex::builder()
            .syntax(syntax::Config::new().multi_line(true))
            .build_many(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(CustomSet { regex, specs })
    }

    pub fn spec(&self, id: DetectorId) -> Option<&CustomDetectorSpec> {
        self.specs.iter().find(|(d, _)| *d == id).map(|(_, s)| s)
    }

    pub fn scan(&self, text: &[u8], today: CivilDate, out: &mut Vec<Candidate>) {
        for m in self.regex.find_iter(Input::new(text)) {
            if m.is_empty() {
                continue;
            }
            let (id, spec) = &self.specs[m.pattern().as_usize()];
            let (s, e) = (m.start(), m.end());
            if spec.boundary {
                let glued_before =
                    s > 0 && text[s - 1].is_ascii_alphanumeric() && text[s].is_ascii_alphanumeric();
                let glued_after = e < text.len()
                    && text[e].is_ascii_alphanumeric()
                    && text[e - 1].is_ascii_alphanumeric();
                if glued_before || glued_after {
                    continue;
                }
            }
            let mut checks = Checks::of(&[Check::Pattern]);
            if let Some(v) = spec.validator {
                if !v.validate(&text[s..e], today) {
                    continue;
                }
                checks = checks.with(Check::Checksum);
            }
            out.push(Candidate {
                detector: *id,
                start: s,
                end: e,
                confidence: spec.confidence,
                checks,
                note: Note::None,
                keyword: None,
                context_done: false,
            });
        }
    }
}
