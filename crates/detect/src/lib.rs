//! # shujian-detect — finding personal and sensitive data in Chinese text
//!
//! A pure library: no I/O, no clock, no global state. It knows the formats and checksums of
//! Chinese identifiers (resident ID, mobile and landline numbers, bank cards, credit codes,
//! travel documents, plates, device ids …), finds Chinese names and addresses, and explains
//! every finding.
//!
//! ## Design
//!
//! * **One pass.** Built-in identifiers are found by a hand-written scanner that walks the
//!   text once ([`scan`](crate::Engine::scan)), classifying each run of ASCII letters and
//!   digits by length and neighbours before validating it. User-defined patterns are compiled
//!   into one multi-pattern regex; names and addresses ride on one keyword automaton.
//! * **Boundaries on bytes.** `卡号6222021234567890` has no `\b` between `号` and `6` in
//!   Unicode regex semantics; here boundaries are decided on the neighbouring bytes.
//! * **Confidence with reasons.** Format only → [`Confidence::Low`]; validated (checksum,
//!   date, number segment …) → `Medium`; validated and a context keyword in the window →
//!   `High`. [`Engine::reasons`] lists each check passed.
//! * **No raw values.** A [`Finding`] holds offsets, not the value; [`Engine::evidence`]
//!   renders it masked (`110105********002X`).
//! * **Rules are data.** Names, categories, keywords, number segments and issuer ranges come
//!   from `rules/detectors/*.toml` (compiled in, replaceable). Users add detectors in TOML.
//!
//! ## Example
//!
//! ```
//! use shujian_detect::{CivilDate, Confidence, Engine, EngineOptions};
//!
//! let today = CivilDate::new(2026, 11, 23).unwrap();
//! let engine = Engine::builtin(EngineOptions::new(today)).unwrap();
//! let text = "客户身份证号11010519491231002X，手机13812345678。";
//! let findings = engine.scan(text);
//! let id = &findings[0];
//! assert_eq!(engine.detector(id.detector).id, "cn_resident_id");
//! assert_eq!(id.confidence, Confidence::High);
//! assert_eq!(engine.evidence(id, &text[id.start..id.end]), "110105********002X");
//! assert_eq!((id.char_start, id.char_end), (6, 24));
//! assert_eq!(engine.detector(findings[1].detector).id, "cn_mobile");
//! ```

mod address;
mod custom;
mod detector;
mod engine;
mod finding;
mod keywords;
pub mod mask;
mod names;
mod resolve;
pub mod rules;
mod scan;
pub mod validate;

pub use detector::{Builtin, DetectorId, DetectorInfo, DetectorKind, PiCategory};
pub use engine::{Engine, EngineError, EngineOptions, Position, Reason, Scratch, TextWindow};
pub use finding::{
    CardScheme, Carrier, Check, Checks, Confidence, DocumentKind, Finding, Note, SecretKind,
};
pub use rules::{RuleError, RuleFile, Rules};
pub use validate::CivilDate;
