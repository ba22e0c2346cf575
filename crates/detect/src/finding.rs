//! One detected value, and why the engine believes it.
//!
//! A [`Finding`] is small and `Copy`: it holds offsets into the scanned text, never the value
//! itself. The masked evidence and the human-readable reasons are rendered on demand
//! ([`crate::Engine::evidence`], [`crate::Engine::reasons`]), so the hot path allocates nothing
//! per value and no raw value can leak through a finding.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::detector::DetectorId;

/// How sure the engine is. The levels are ordered: `Low < Medium < High`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The format matches, but nothing else was checked or a check was inconclusive.
    Low,
    /// The format matches and the validator accepted it (checksum, date, number segment …).
    Medium,
    /// Validated, and a context keyword for this detector is within the window.
    High,
}

impl Confidence {
    /// The lowercase code used on the command line and in output.
    pub fn code(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    /// Parses `low`, `medium` or `high`.
    pub fn parse(s: &str) -> Option<Confidence> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            _ => None,
        }
    }

    /// One level up, saturating at `High`.
    pub(crate) fn raised(self) -> Confidence {
        match self {
            Self::Low => Self::Medium,
            _ => Self::High,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The checks a value passed, as a bit set. Rendered into reasons by [`Check::describe`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Checks(pub u32);

/// One check that a value can pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Check {
    /// The shape matched (length, alphabet, separators, boundaries).
    Format = 0,
    /// A check character or check digit is correct (MOD 11-2, Luhn, mod 31 …).
    Checksum,
    /// An embedded date is a real calendar date and not in the future.
    Date,
    /// An embedded administrative-division code names a real province (GB/T 2260).
    Division,
    /// The number segment is allocated to a carrier (spec §10.4).
    Segment,
    /// The issuer identification number belongs to a known card scheme (spec §10.6).
    Issuer,
    /// Numeric ranges hold (IP octets, latitude/longitude, month/day).
    Range,
    /// The internal structure holds (e-mail local part and domain, address structure …).
    Structure,
    /// Found in a dictionary (surname list, division names).
    Dictionary,
    /// The value is a whole field of a record (delimited by tabs, commas, quotes …).
    Field,
    /// A legacy format with no check character (15-digit ID).
    Legacy,
    /// The embedded organisation code's own check character is correct (USCC, spec §10.2).
    EmbeddedChecksum,
    /// A known prefix marks the value (access-key ids, PEM headers, JWT headers).
    KnownPrefix,
    /// A user-defined pattern matched.
    Pattern,
    /// The nearest keyword is a look-alike marker (订单号, 流水号 …), so confidence was lowered.
    NegativeContext,
    /// A context keyword was found in the window.
    Keyword,
}

impl Check {
    const ALL: [Check; 16] = [
        Check::Format,
        Check::Checksum,
        Check::Date,
        Check::Division,
        Check::Segment,
        Check::Issuer,
        Check::Range,
        Check::Structure,
        Check::Dictionary,
        Check::Field,
        Check::Legacy,
        Check::EmbeddedChecksum,
        Check::KnownPrefix,
        Check::Pattern,
        Check::NegativeContext,
        Check::Keyword,
    ];

    /// A stable code for machine-readable output.
    pub fn code(self) -> &'static str {
        match self {
            Check::Format => "format",
            Check::Checksum => "checksum",
            Check::Date => "date",
            Check::Division => "division",
            Check::Segment => "segment",
            Check::Issuer => "issuer",
            Check::Range => "range",
            Check::Structure => "structure",
            Check::Dictionary => "dictionary",
            Check::Field => "field",
            Check::Legacy => "legacy_format",
            Check::EmbeddedChecksum => "embedded_checksum",
            Check::KnownPrefix => "known_prefix",
            Check::Pattern => "pattern",
            Check::NegativeContext => "negative_context",
            Check::Keyword => "keyword",
        }
    }
}

impl Checks {
    /// The empty set.
    pub const NONE: Checks = Checks(0);

    /// A set holding the given checks.
    pub fn of(checks: &[Check]) -> Checks {
        checks.iter().fold(Checks::NONE, |acc, &c| acc.with(c))
    }

    /// This set plus `check`.
    #[must_use]
    pub fn with(self, check: Check) -> Checks {
        Checks(self.0 | (1 << check as u32))
    }

    /// Whether `check` is in the set.
    pub fn has(self, check: Check) -> bool {
        self.0 & (1 << check as u32) != 0
    }

    /// The checks in the set, in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = Check> {
        Check::ALL.into_iter().filter(move |&c| self.has(c))
    }

    /// The number of checks in the set.
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A detector-specific fact about the value, kept as a small code so findings stay `Copy`.
/// Rendered as part of the reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Note {
    /// Nothing to add.
    #[default]
    None,
    /// The carrier that a mobile number segment was allocated to (spec §10.4).
    Carrier(Carrier),
    /// The card scheme inferred from the issuer number (spec §10.6).
    CardScheme(CardScheme),
    /// An IP address in a private, loopback, link-local or other non-public range.
    PrivateAddress,
    /// A public (globally routable) IP address.
    PublicAddress,
    /// The province-level division code of a resident ID (first two digits).
    Province(u8),
    /// The kind of secret found.
    Secret(SecretKind),
    /// Which travel document the value is (for detectors covering several).
    Document(DocumentKind),
    /// New-energy vehicle plate.
    NewEnergyPlate,
    /// Number of decimal places of the less precise coordinate.
    Precision(u8),
    /// Operator from an IMSI's MNC or an ICCID's issuer prefix (spec §10.9).
    Operator(Carrier),
}

/// Mainland carriers (spec §10.4, §10.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Carrier {
    ChinaMobile,
    ChinaUnicom,
    ChinaTelecom,
    ChinaBroadnet,
    ChinaTietong,
    Satellite,
    /// Virtual network operator on the given host network.
    Mvno,
}

impl Carrier {
    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Carrier::ChinaMobile => "中国移动",
            Carrier::ChinaUnicom => "中国联通",
            Carrier::ChinaTelecom => "中国电信",
            Carrier::ChinaBroadnet => "中国广电",
            Carrier::ChinaTietong => "中国铁通",
            Carrier::Satellite => "卫星/应急通信",
            Carrier::Mvno => "虚拟运营商",
        }
    }
}

/// Card schemes recognised by issuer number (spec §10.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum CardScheme {
    UnionPay,
    Visa,
    Mastercard,
    Jcb,
    Amex,
}

impl CardScheme {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            CardScheme::UnionPay => "UnionPay 银联",
            CardScheme::Visa => "Visa",
            CardScheme::Mastercard => "Mastercard",
            CardScheme::Jcb => "JCB",
            CardScheme::Amex => "American Express",
        }
    }
}

/// Kinds of credentials the `secret` detector finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum SecretKind {
    PemPrivateKey,
    PasswordAssignment,
    AwsAccessKeyId,
    AliyunAccessKeyId,
    TencentSecretId,
    Jwt,
}

impl SecretKind {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::PemPrivateKey => "PEM private key",
            SecretKind::PasswordAssignment => "password assignment",
            SecretKind::AwsAccessKeyId => "AWS access key id",
            SecretKind::AliyunAccessKeyId => "Alibaba Cloud AccessKey id",
            SecretKind::TencentSecretId => "Tencent Cloud SecretId",
            SecretKind::Jwt => "JSON Web Token",
        }
    }
}

/// Travel-document variants (spec §10.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum DocumentKind {
    /// Electronic ordinary passport (E…).
    ElectronicPassport,
    /// Older ordinary passport (G…).
    OrdinaryPassport,
    /// Diplomatic, service or public-affairs passport (D/S/P…).
    OfficialPassport,
    /// HK/Macau SAR passport (K, H, MA…).
    SarPassport,
    /// 往来港澳通行证 (mainland residents to HK/Macau, C…).
    ExitEntryPermitHkMacau,
    /// 港澳居民来往内地通行证 (回乡证, H/M…).
    HomeReturnPermit,
    /// 台湾居民来往大陆通行证 (台胞证).
    TaiwanCompatriotPermit,
}

impl DocumentKind {
    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            DocumentKind::ElectronicPassport => "电子普通护照",
            DocumentKind::OrdinaryPassport => "普通护照",
            DocumentKind::OfficialPassport => "外交/公务护照",
            DocumentKind::SarPassport => "特区护照",
            DocumentKind::ExitEntryPermitHkMacau => "往来港澳通行证",
            DocumentKind::HomeReturnPermit => "港澳居民来往内地通行证",
            DocumentKind::TaiwanCompatriotPermit => "台湾居民来往大陆通行证",
        }
    }
}

/// One detected value.
///
/// Offsets are into the text that was scanned (plus the base offset given to the engine, so a
/// chunk of a large file reports positions in the whole file). `start..end` are UTF-8 byte
/// offsets; `char_start..char_end` are Unicode scalar (code point) offsets; `line` is 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Which detector found the value.
    pub detector: DetectorId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Code-point offset of the first character.
    pub char_start: usize,
    /// Code-point offset one past the last character.
    pub char_end: usize,
    /// 1-based line of the first character.
    pub line: usize,
    /// Confidence level.
    pub confidence: Confidence,
    /// Checks the value passed.
    pub checks: Checks,
    /// Index of the context keyword that raised confidence (into the engine's keyword table).
    pub keyword: Option<u32>,
    /// Detector-specific fact.
    pub note: Note,
}

impl Finding {
    /// Byte length of the value.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the value is empty (never true for a finding the engine produced).
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_orders_and_parses() {
        assert!(Confidence::Low < Confidence::Medium);
        assert!(Confidence::Medium < Confidence::High);
        assert_eq!(Confidence::parse("HIGH"), Some(Confidence::High));
        assert_eq!(Confidence::parse("certain"), None);
        assert_eq!(Confidence::Low.raised(), Confidence::Medium);
        assert_eq!(Confidence::High.raised(), Confidence::High);
    }

    #[test]
    fn checks_set_operations() {
        let c = Checks::of(&[Check::Format, Check::Checksum]);
        assert!(c.has(Check::Format));
        assert!(c.has(Check::Checksum));
        assert!(!c.has(Check::Date));
        assert_eq!(c.len(), 2);
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            vec![Check::Format, Check::Checksum]
        );
        assert!(Checks::NONE.is_empty());
        let codes: std::collections::HashSet<_> = Check::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), Check::ALL.len());
    }
}
