//! The column labels: one kind of personal information per column, or none.
//!
//! The set maps one to one onto the labels of the evaluation schemas
//! (`../shared/eval/README.md`); the groups follow GB/T 35273-2020 Appendix A (spec §9.3).

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    /// Not personal information.
    None,
    /// 姓名: a natural person's name.
    PersonName,
    /// 居民身份证号码.
    CnResidentId,
    /// 电话号码: mobile or landline.
    Phone,
    /// 电子邮箱.
    Email,
    /// 地址: full address or a part of it (province, city, district, postal code).
    Address,
    /// 银行卡号 / 银行账号.
    BankCard,
    /// 口令、密钥、会话标识、验证码 (spec §9.4 身份鉴别信息).
    PasswordOrSecret,
    /// IP 地址.
    IpAddress,
    /// 位置: coordinates or an IP-derived location.
    GeoLocation,
    /// 出生日期.
    Birthdate,
    /// 性别.
    Gender,
    /// 用户名、账号、昵称.
    UsernameOrNickname,
    /// 头像、照片、生物识别信息 (or a reference to one).
    PhotoOrBiometric,
    /// 健康生理信息.
    Health,
    /// 个人财产/交易金额.
    FinancialAmount,
    /// 设备标识 (IMEI, MAC …) and device descriptions (browser, OS).
    DeviceId,
    /// 车牌号码.
    LicensePlate,
    /// 统一社会信用代码.
    OrgCreditCode,
    /// 其他个人信息: ethnicity, marital and political status, education, occupation, age,
    /// employee number, native place, account identifiers (openid), card and record numbers.
    OtherPi,
}

impl Label {
    /// Every label, `None` first.
    pub const ALL: [Label; 20] = [
        Label::None,
        Label::PersonName,
        Label::CnResidentId,
        Label::Phone,
        Label::Email,
        Label::Address,
        Label::BankCard,
        Label::PasswordOrSecret,
        Label::IpAddress,
        Label::GeoLocation,
        Label::Birthdate,
        Label::Gender,
        Label::UsernameOrNickname,
        Label::PhotoOrBiometric,
        Label::Health,
        Label::FinancialAmount,
        Label::DeviceId,
        Label::LicensePlate,
        Label::OrgCreditCode,
        Label::OtherPi,
    ];

    /// Number of labels.
    pub const COUNT: usize = Label::ALL.len();

    /// The evaluation code, e.g. `CN_RESIDENT_ID`.
    pub fn code(self) -> &'static str {
        match self {
            Label::None => "NONE",
            Label::PersonName => "PERSON_NAME",
            Label::CnResidentId => "CN_RESIDENT_ID",
            Label::Phone => "PHONE",
            Label::Email => "EMAIL",
            Label::Address => "ADDRESS",
            Label::BankCard => "BANK_CARD",
            Label::PasswordOrSecret => "PASSWORD_OR_SECRET",
            Label::IpAddress => "IP_ADDRESS",
            Label::GeoLocation => "GEO_LOCATION",
            Label::Birthdate => "BIRTHDATE",
            Label::Gender => "GENDER",
            Label::UsernameOrNickname => "USERNAME_OR_NICKNAME",
            Label::PhotoOrBiometric => "PHOTO_OR_BIOMETRIC",
            Label::Health => "HEALTH",
            Label::FinancialAmount => "FINANCIAL_AMOUNT",
            Label::DeviceId => "DEVICE_ID",
            Label::LicensePlate => "LICENSE_PLATE",
            Label::OrgCreditCode => "ORG_CREDIT_CODE",
            Label::OtherPi => "OTHER_PI",
        }
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Label::None => "非个人信息",
            Label::PersonName => "姓名",
            Label::CnResidentId => "居民身份证号码",
            Label::Phone => "电话号码",
            Label::Email => "电子邮箱",
            Label::Address => "地址",
            Label::BankCard => "银行卡号",
            Label::PasswordOrSecret => "口令或密钥",
            Label::IpAddress => "IP地址",
            Label::GeoLocation => "位置信息",
            Label::Birthdate => "出生日期",
            Label::Gender => "性别",
            Label::UsernameOrNickname => "用户名或昵称",
            Label::PhotoOrBiometric => "照片或生物识别信息",
            Label::Health => "健康生理信息",
            Label::FinancialAmount => "财产交易金额",
            Label::DeviceId => "设备标识",
            Label::LicensePlate => "车牌号码",
            Label::OrgCreditCode => "统一社会信用代码",
            Label::OtherPi => "其他个人信息",
        }
    }

    /// Parses an evaluation code (case-insensitive).
    pub fn parse(code: &str) -> Option<Label> {
        let code = code.trim();
        Label::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// Whether the label is personal information (every label but `None`).
    pub fn is_pi(self) -> bool {
        self != Label::None
    }

    /// Position in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_index_matches_order() {
        for (i, l) in Label::ALL.into_iter().enumerate() {
            assert_eq!(l.index(), i);
            assert_eq!(Label::parse(l.code()), Some(l));
            assert_eq!(Label::parse(&l.code().to_lowercase()), Some(l));
        }
        assert_eq!(Label::parse("ETHNICITY"), None);
        assert!(!Label::None.is_pi());
        assert!(Label::OtherPi.is_pi());
    }

    #[test]
    fn serde_uses_the_evaluation_codes() {
        let json = serde_json::to_string(&Label::CnResidentId).unwrap();
        assert_eq!(json, "\"CN_RESIDENT_ID\"");
        let back: Label = serde_json::from_str("\"USERNAME_OR_NICKNAME\"").unwrap();
        assert_eq!(back, Label::UsernameOrNickname);
    }
}
