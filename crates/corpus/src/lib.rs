//! # shujian-corpus — seeded synthetic Chinese text with identifiers
//!
//! Generates realistic mixed Chinese text — prose, log lines, CSV- and JSON-like records, chat
//! lines, forms — carrying personal identifiers (resident IDs, mobiles, bank cards, e-mails,
//! credit codes, device ids, secrets, names, addresses …) and look-alikes that are not
//! identifiers (order and transaction numbers, 18-digit numbers with a wrong check character,
//! compact timestamps, amounts, versions, Luhn-valid IMEIs without context).
//!
//! It exists for benchmarks, property tests, fuzz seeds and scale tests of the detectors, so it
//! deliberately does **not** depend on `shujian-detect`: identifiers are built from the
//! specification (`spec §10`) by code of their own, and the two cross-check each other.
//!
//! * **Deterministic.** The same seed and mix give the same bytes, on every platform; a shorter
//!   output is a prefix of a longer one.
//! * **Streaming.** [`Corpus::write_to`] writes multi-gigabyte corpora holding only a small
//!   buffer.
//! * **Ground truth.** [`Corpus::generate_labelled`] returns records with the character spans
//!   and labels of every identifier it inserted; look-alikes are never labelled.
//! * **File fixtures** (feature `fixtures`, on by default): [`fixtures::write_fixtures`] writes
//!   CSV, XLSX, JSON, Parquet, DOCX, PDF and archives with known personal-data columns, broken
//!   copies of each and zip bombs, with a [`Manifest`] of every column's expected label.
//!
//! ```
//! use shujian_corpus::{Corpus, Label, Mix};
//!
//! let corpus = Corpus::new(1, Mix::Dense);
//! let text = corpus.generate(4096);
//! assert!(text.len() <= 4096 && text.len() > 4000);
//! assert_eq!(text, Corpus::new(1, Mix::Dense).generate(4096));
//!
//! for r in corpus.generate_labelled(10) {
//!     for s in &r.spans {
//!         let value: String = r.text.chars().skip(s.start).take(s.end - s.start).collect();
//!         if s.label == Label::Email {
//!             assert!(value.contains('@'));
//!         }
//!     }
//! }
//! ```

#[cfg(feature = "fixtures")]
pub mod fixtures;
mod generator;
mod ids;
mod lines;
mod tables;
mod text;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use generator::Gen;

#[cfg(feature = "fixtures")]
pub use fixtures::{
    ColumnLabel, FixtureFile, Manifest, write_fixtures, write_large_csv, write_large_xlsx,
};

/// How densely identifiers occur.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mix {
    /// Records, logs, chat and forms: most lines carry several identifiers.
    Dense,
    /// Mostly prose: an identifier every few kilobytes.
    Sparse,
}

impl Mix {
    /// Parses `dense` or `sparse`.
    pub fn parse(s: &str) -> Option<Mix> {
        match s {
            "dense" => Some(Mix::Dense),
            "sparse" => Some(Mix::Sparse),
            _ => None,
        }
    }

    /// `dense` or `sparse`.
    pub fn name(self) -> &'static str {
        match self {
            Mix::Dense => "dense",
            Mix::Sparse => "sparse",
        }
    }
}

/// What an inserted value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// 18-character resident ID, or the 15-digit legacy form.
    ResidentId,
    /// Mobile number, with any `+86`/`0086` prefix and separators.
    Phone,
    /// Landline number with area code (and extension).
    Landline,
    /// E-mail address.
    Email,
    /// Bank card number, plain or grouped.
    BankCard,
    /// Unified Social Credit Code.
    Uscc,
    /// Organisation code.
    OrgCode,
    /// PRC passport number.
    Passport,
    /// Mainland residents' permit to Hong Kong and Macau.
    HkMacauPermit,
    /// Vehicle plate.
    VehiclePlate,
    /// IMEI (always written next to a context word).
    Imei,
    /// IMSI.
    Imsi,
    /// ICCID.
    Iccid,
    /// MAC address.
    MacAddress,
    /// IPv4 address.
    Ipv4,
    /// IPv6 address.
    Ipv6,
    /// Latitude/longitude pair.
    GeoCoordinate,
    /// Credential: the value of a password assignment, an access-key id, a PEM block, a JWT.
    Secret,
    /// Personal name.
    Person,
    /// Postal address.
    Address,
    /// Company name.
    Company,
}

impl Label {
    /// Every label.
    pub const ALL: [Label; 21] = [
        Label::ResidentId,
        Label::Phone,
        Label::Landline,
        Label::Email,
        Label::BankCard,
        Label::Uscc,
        Label::OrgCode,
        Label::Passport,
        Label::HkMacauPermit,
        Label::VehiclePlate,
        Label::Imei,
        Label::Imsi,
        Label::Iccid,
        Label::MacAddress,
        Label::Ipv4,
        Label::Ipv6,
        Label::GeoCoordinate,
        Label::Secret,
        Label::Person,
        Label::Address,
        Label::Company,
    ];

    /// The gold-label name, as in the project's evaluation files (`CN_RESIDENT_ID`, `PHONE` …).
    pub fn name(self) -> &'static str {
        match self {
            Label::ResidentId => "CN_RESIDENT_ID",
            Label::Phone => "PHONE",
            Label::Landline => "LANDLINE",
            Label::Email => "EMAIL",
            Label::BankCard => "BANK_CARD",
            Label::Uscc => "CN_USCC",
            Label::OrgCode => "CN_ORG_CODE",
            Label::Passport => "CN_PASSPORT",
            Label::HkMacauPermit => "CN_HK_MACAU_PERMIT",
            Label::VehiclePlate => "CN_VEHICLE_PLATE",
            Label::Imei => "IMEI",
            Label::Imsi => "IMSI",
            Label::Iccid => "ICCID",
            Label::MacAddress => "MAC_ADDRESS",
            Label::Ipv4 => "IPV4",
            Label::Ipv6 => "IPV6",
            Label::GeoCoordinate => "GEO_COORDINATE",
            Label::Secret => "SECRET",
            Label::Person => "PERSON",
            Label::Address => "ADDRESS",
            Label::Company => "COMPANY",
        }
    }

    /// The id of the shujian detector meant to find this kind of value; `None` for companies,
    /// which no detector reports. A plain string, so this crate stays independent of the
    /// detectors.
    pub fn detector_id(self) -> Option<&'static str> {
        Some(match self {
            Label::ResidentId => "cn_resident_id",
            Label::Phone => "cn_mobile",
            Label::Landline => "cn_landline",
            Label::Email => "email",
            Label::BankCard => "bank_card",
            Label::Uscc => "cn_uscc",
            Label::OrgCode => "cn_org_code",
            Label::Passport => "cn_passport",
            Label::HkMacauPermit => "cn_hk_macau_permit",
            Label::VehiclePlate => "cn_vehicle_plate",
            Label::Imei => "imei",
            Label::Imsi => "imsi",
            Label::Iccid => "iccid",
            Label::MacAddress => "mac_address",
            Label::Ipv4 => "ipv4",
            Label::Ipv6 => "ipv6",
            Label::GeoCoordinate => "geo_coordinate",
            Label::Secret => "secret",
            Label::Person => "cn_person_name",
            Label::Address => "cn_address",
            Label::Company => return None,
        })
    }
}

/// One inserted value: character offsets into its record (end exclusive) and its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset one past the last character.
    pub end: usize,
    /// What the value is.
    pub label: Label,
}

/// One generated record with the ground truth of what was inserted into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledRecord {
    /// The record (one line; a PEM block makes it span several).
    pub text: String,
    /// The inserted values, in order of position. Look-alikes have no span.
    pub spans: Vec<Span>,
}

/// A seeded corpus. Cheap to create; every method starts from the seed again, so calling one
/// twice gives the same output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    seed: u64,
    mix: Mix,
    part: u64,
}

/// Bytes gathered before each write in [`Corpus::write_to`].
const WRITE_BUFFER: usize = 1 << 16;

impl Corpus {
    /// A corpus of one mix from one seed.
    pub fn new(seed: u64, mix: Mix) -> Corpus {
        Corpus { seed, mix, part: 0 }
    }

    /// An independent corpus of the same seed and mix, e.g. the `index`-th of several files.
    /// `part(0)` is the corpus itself.
    pub fn part(&self, index: u64) -> Corpus {
        Corpus {
            part: index,
            ..self.clone()
        }
    }

    /// The mix.
    pub fn mix(&self) -> Mix {
        self.mix
    }

    fn text_gen(&self) -> Gen {
        Gen::new(self.seed, self.part.wrapping_mul(2), false)
    }

    fn line(&self, g: &mut Gen) {
        match self.mix {
            Mix::Dense => g.dense_line(),
            Mix::Sparse => g.sparse_line(),
        }
    }

    /// The first `bytes` bytes of the corpus, cut back to a character boundary (so at most 3
    /// bytes short). Lines end with `\n`.
    pub fn generate(&self, bytes: usize) -> String {
        let mut g = self.text_gen();
        g.out.reserve(bytes + 1024);
        while g.out.len() < bytes {
            self.line(&mut g);
            g.lit("\n");
        }
        let cut = floor_char_boundary(&g.out, bytes);
        g.out.truncate(cut);
        g.out
    }

    /// Streams the first `bytes` bytes of the corpus — the same bytes [`Corpus::generate`]
    /// returns — holding only a 64 KiB buffer.
    pub fn write_to(&self, mut w: impl Write, bytes: u64) -> io::Result<()> {
        let mut g = self.text_gen();
        g.out.reserve(WRITE_BUFFER + 4096);
        let mut written = 0u64;
        loop {
            let left = bytes - written;
            if g.out.len() as u64 >= left {
                let cut = floor_char_boundary(&g.out, left as usize);
                w.write_all(&g.out.as_bytes()[..cut])?;
                return w.flush();
            }
            if g.out.len() >= WRITE_BUFFER {
                w.write_all(g.out.as_bytes())?;
                written += g.out.len() as u64;
                g.clear();
                continue;
            }
            self.line(&mut g);
            g.lit("\n");
        }
    }

    /// `records` records (lines of the mix, without their newline) with the spans of every
    /// value inserted into them.
    pub fn generate_labelled(&self, records: usize) -> Vec<LabelledRecord> {
        let mut g = Gen::new(self.seed, self.part.wrapping_mul(2) | 1, true);
        let mut out = Vec::with_capacity(records);
        for _ in 0..records {
            g.clear();
            self.line(&mut g);
            out.push(LabelledRecord {
                text: g.out.clone(),
                spans: g.take_spans(),
            });
        }
        out
    }
}

/// The largest character boundary of `s` at or before `i`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
