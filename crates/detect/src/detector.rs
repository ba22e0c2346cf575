//! What a detector is: its identity, names, personal-information category and flags.
//!
//! The descriptive part of every built-in detector (names, category, keywords, flags) is data in
//! `rules/detectors/builtin.toml`; only the validators are code (see [`crate::validate`]).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Index of a detector inside one [`crate::Engine`]. Stable for the life of the engine only;
/// use [`DetectorInfo::id`] (e.g. `cn_resident_id`) anywhere outside the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DetectorId(pub u16);

impl DetectorId {
    /// The position of this detector in [`crate::Engine::detectors`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// The personal-information category a detector's values belong to.
///
/// The groups follow GB/T 35273-2020 Appendix A (spec §9.3), with `authentication` from the
/// 身份鉴别信息 category of GB/T 45574 (spec §9.4) and `organisation` for identifiers of
/// organisations, which are not personal information.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiCategory {
    /// 个人基本资料: name, birthday, gender, ethnicity, address, phone, e-mail.
    BasicProfile,
    /// 个人身份信息: identity documents.
    IdentityDocument,
    /// 个人生物识别信息.
    Biometric,
    /// 网络身份标识信息: accounts, IP addresses, certificates.
    NetworkIdentifier,
    /// 个人健康生理信息.
    Health,
    /// 个人教育工作信息.
    EducationWork,
    /// 个人财产信息: bank accounts, transactions.
    Property,
    /// 个人通信信息.
    Communication,
    /// 联系人信息.
    Contacts,
    /// 个人上网记录.
    Browsing,
    /// 个人常用设备信息: IMEI, IMSI, MAC, serials.
    Device,
    /// 个人位置信息.
    Location,
    /// 身份鉴别信息: passwords, keys, tokens (spec §9.4).
    Authentication,
    /// Identifiers of organisations (not personal information).
    Organisation,
    /// 其他信息.
    Other,
}

impl PiCategory {
    /// Every category, in declaration order.
    pub const ALL: [PiCategory; 15] = [
        Self::BasicProfile,
        Self::IdentityDocument,
        Self::Biometric,
        Self::NetworkIdentifier,
        Self::Health,
        Self::EducationWork,
        Self::Property,
        Self::Communication,
        Self::Contacts,
        Self::Browsing,
        Self::Device,
        Self::Location,
        Self::Authentication,
        Self::Organisation,
        Self::Other,
    ];

    /// The snake_case code used in rule files and output.
    pub fn code(self) -> &'static str {
        match self {
            Self::BasicProfile => "basic_profile",
            Self::IdentityDocument => "identity_document",
            Self::Biometric => "biometric",
            Self::NetworkIdentifier => "network_identifier",
            Self::Health => "health",
            Self::EducationWork => "education_work",
            Self::Property => "property",
            Self::Communication => "communication",
            Self::Contacts => "contacts",
            Self::Browsing => "browsing",
            Self::Device => "device",
            Self::Location => "location",
            Self::Authentication => "authentication",
            Self::Organisation => "organisation",
            Self::Other => "other",
        }
    }

    /// The Chinese name of the category (GB/T 35273 Appendix A wording).
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::BasicProfile => "个人基本资料",
            Self::IdentityDocument => "个人身份信息",
            Self::Biometric => "个人生物识别信息",
            Self::NetworkIdentifier => "网络身份标识信息",
            Self::Health => "个人健康生理信息",
            Self::EducationWork => "个人教育工作信息",
            Self::Property => "个人财产信息",
            Self::Communication => "个人通信信息",
            Self::Contacts => "联系人信息",
            Self::Browsing => "个人上网记录",
            Self::Device => "个人常用设备信息",
            Self::Location => "个人位置信息",
            Self::Authentication => "身份鉴别信息",
            Self::Organisation => "组织机构信息",
            Self::Other => "其他信息",
        }
    }

    /// Whether values of this category are personal information at all.
    pub fn is_personal(self) -> bool {
        self != Self::Organisation
    }
}

impl fmt::Display for PiCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Everything the engine and its users know about one detector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DetectorInfo {
    /// Stable identifier, e.g. `cn_resident_id`.
    pub id: String,
    /// Chinese display name.
    pub name_zh: String,
    /// English display name.
    pub name_en: String,
    /// Personal-information category.
    pub category: PiCategory,
    /// Whether the values are sensitive personal information (PIPL Art 28, spec §9.1–9.2).
    pub sensitive: bool,
    /// Report a value only when a context keyword is near it.
    pub requires_context: bool,
    /// Context keywords (Chinese and English) that raise confidence.
    pub keywords: Vec<String>,
    /// Keywords that, when nearer than any positive keyword, mark a look-alike (e.g. 订单号).
    pub negative_keywords: Vec<String>,
    /// The rule's own citation of its source, e.g. `spec §10.1`.
    pub source: String,
    /// Which code path finds the values.
    #[serde(skip)]
    pub kind: DetectorKind,
}

/// The code path behind a detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum DetectorKind {
    /// One of the built-in detectors of the single-pass scanner.
    Builtin(Builtin),
    /// A user-defined detector; the index is into the custom rule set.
    Custom(u16),
    /// Not yet assigned (only while loading).
    #[default]
    Unassigned,
}

/// The built-in detectors. Each has a row in `rules/detectors/builtin.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Builtin {
    ResidentId,
    Mobile,
    Landline,
    Email,
    BankCard,
    Uscc,
    OrgCode,
    Passport,
    HkMacauPermit,
    TaiwanPermit,
    VehiclePlate,
    Imei,
    Imsi,
    Iccid,
    MacAddress,
    Ipv4,
    Ipv6,
    GeoCoordinate,
    PersonName,
    Address,
    Secret,
    BirthDate,
    PostalCode,
}

impl Builtin {
    /// Every built-in detector.
    pub const ALL: [Builtin; 23] = [
        Self::ResidentId,
        Self::Mobile,
        Self::Landline,
        Self::Email,
        Self::BankCard,
        Self::Uscc,
        Self::OrgCode,
        Self::Passport,
        Self::HkMacauPermit,
        Self::TaiwanPermit,
        Self::VehiclePlate,
        Self::Imei,
        Self::Imsi,
        Self::Iccid,
        Self::MacAddress,
        Self::Ipv4,
        Self::Ipv6,
        Self::GeoCoordinate,
        Self::PersonName,
        Self::Address,
        Self::Secret,
        Self::BirthDate,
        Self::PostalCode,
    ];

    /// The stable id used in rule files and output.
    pub fn id(self) -> &'static str {
        match self {
            Self::ResidentId => "cn_resident_id",
            Self::Mobile => "cn_mobile",
            Self::Landline => "cn_landline",
            Self::Email => "email",
            Self::BankCard => "bank_card",
            Self::Uscc => "cn_uscc",
            Self::OrgCode => "cn_org_code",
            Self::Passport => "cn_passport",
            Self::HkMacauPermit => "cn_hk_macau_permit",
            Self::TaiwanPermit => "cn_taiwan_permit",
            Self::VehiclePlate => "cn_vehicle_plate",
            Self::Imei => "imei",
            Self::Imsi => "imsi",
            Self::Iccid => "iccid",
            Self::MacAddress => "mac_address",
            Self::Ipv4 => "ipv4",
            Self::Ipv6 => "ipv6",
            Self::GeoCoordinate => "geo_coordinate",
            Self::PersonName => "cn_person_name",
            Self::Address => "cn_address",
            Self::Secret => "secret",
            Self::BirthDate => "birth_date",
            Self::PostalCode => "cn_postal_code",
        }
    }

    /// Looks a built-in detector up by its id.
    pub fn from_id(id: &str) -> Option<Builtin> {
        Self::ALL.into_iter().find(|b| b.id() == id)
    }

    /// Whether this detector reads Han text (names, addresses) rather than ASCII identifiers.
    /// These are the slow detectors; they can be switched off together.
    pub fn is_han_text(self) -> bool {
        matches!(self, Self::PersonName | Self::Address)
    }

    /// Rank used to break ties between overlapping findings of equal confidence and length:
    /// a lower number wins. An 18-digit number that is a valid resident ID is not also a
    /// bank card (issue #2).
    pub(crate) fn tie_rank(self) -> u8 {
        match self {
            Self::Secret => 0,
            Self::ResidentId => 1,
            Self::Email => 2,
            Self::Uscc => 3,
            Self::BankCard => 4,
            Self::Iccid => 5,
            Self::Mobile => 6,
            Self::Landline => 7,
            Self::Imsi => 8,
            Self::Imei => 9,
            Self::Passport => 10,
            Self::HkMacauPermit => 11,
            Self::TaiwanPermit => 12,
            Self::OrgCode => 13,
            Self::VehiclePlate => 14,
            Self::MacAddress => 15,
            Self::Ipv6 => 16,
            Self::Ipv4 => 17,
            Self::GeoCoordinate => 18,
            Self::Address => 19,
            Self::PersonName => 20,
            Self::BirthDate => 21,
            Self::PostalCode => 22,
        }
    }
}

impl fmt::Display for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for b in Builtin::ALL {
            assert_eq!(Builtin::from_id(b.id()), Some(b));
            assert!(seen.insert(b.id()), "duplicate id {}", b.id());
        }
        assert_eq!(Builtin::from_id("no_such_detector"), None);
    }

    #[test]
    fn tie_ranks_are_distinct() {
        let mut ranks: Vec<u8> = Builtin::ALL.iter().map(|b| b.tie_rank()).collect();
        ranks.sort_unstable();
        ranks.dedup();
        assert_eq!(ranks.len(), Builtin::ALL.len());
    }

    #[test]
    fn organisation_is_not_personal() {
        assert!(!PiCategory::Organisation.is_personal());
        assert!(PiCategory::IdentityDocument.is_personal());
        for c in PiCategory::ALL {
            assert!(!c.name_zh().is_empty());
            assert!(!c.code().is_empty());
        }
    }
}
