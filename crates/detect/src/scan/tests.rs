//! Engine-level tests of the identifier scanner: boundaries, shapes, overlaps.

use crate::{CivilDate, Confidence, Engine, EngineOptions, Finding};

pub(crate) const TODAY: CivilDate = CivilDate {
    year: 2026,
    month: 11,
    day: 23,
};

pub(crate) fn engine_with(min: Confidence) -> Engine {
    let mut o = EngineOptions::new(TODAY);
    o.min_confidence = min;
    Engine::builtin(o).unwrap()
}

/// (detector id, value, confidence) of every finding at `min` and above.
pub(crate) fn found(text: &str, min: Confidence) -> Vec<(String, String, Confidence)> {
    let e = engine_with(min);
    e.scan(text)
        .iter()
        .map(|f: &Finding| {
            (
                e.detector(f.detector).id.clone(),
                text[f.start..f.end].to_string(),
                f.confidence,
            )
        })
        .collect()
}

/// `body` followed by its Luhn check digit.
pub(crate) fn luhn_valid(body: &str) -> String {
    let c = crate::validate::luhn::check_digit(body.as_bytes()).unwrap();
    format!("{body}{}", c as char)
}

fn ids(text: &str) -> Vec<(String, String)> {
    found(text, Confidence::Medium)
        .into_iter()
        .map(|(d, v, _)| (d, v))
        .collect()
}

fn one(text: &str, det: &str, value: &str) {
    let got = ids(text);
    assert!(
        got.iter().any(|(d, v)| d == det && v == value),
        "expected {det} `{value}` in {text:?}, got {got:?}"
    );
}

fn none(text: &str) {
    let got = ids(text);
    assert!(got.is_empty(), "expected nothing in {text:?}, got {got:?}");
}

#[test]
fn han_digit_boundaries() {
    let card = luhn_valid("622202123456789012");
    one(&format!("卡号{card}"), "bank_card", &card);
    one("手机13812345678", "cn_mobile", "13812345678");
    one(
        "身份证号码：11010519491231002X。",
        "cn_resident_id",
        "11010519491231002X",
    );
    one("13812345678的主人", "cn_mobile", "13812345678");
    // Glued to ASCII letters or more digits: not a value.
    none("订单DD2024043094119655已发货");
    none("编号138123456789");
    none("abc13812345678");
}

#[test]
fn resident_ids() {
    one("11010519491231002x", "cn_resident_id", "11010519491231002x");
    one(
        "ID: 110105 19491231 002X",
        "cn_resident_id",
        "110105 19491231 002X",
    );
    none("身份证110105194912310021"); // wrong check character
    // Legacy 15-digit numbers are low confidence unless the context says so.
    assert!(ids("110105491231002").is_empty());
    one(
        "身份证号 110105491231002",
        "cn_resident_id",
        "110105491231002",
    );
}

#[test]
fn an_id_is_not_also_a_bank_card() {
    // 18 digits, valid ID, and (by construction) also Luhn-valid with a 62 prefix would be a
    // card too; the ID wins. Here: a valid ID that happens to pass Luhn.
    let text = "证件 440524188001010014";
    let got = ids(text);
    assert_eq!(
        got,
        vec![(
            "cn_resident_id".to_string(),
            "440524188001010014".to_string()
        )]
    );
}

#[test]
fn phones() {
    one("+86 138 1234 5678", "cn_mobile", "+86 138 1234 5678");
    one("电话+86-14571248344。", "cn_mobile", "+86-14571248344");
    one("(+86)18809613827", "cn_mobile", "(+86)18809613827");
    one("138-1234-5678", "cn_mobile", "138-1234-5678");
    one("0086 13812345678", "cn_mobile", "0086 13812345678");
    one("8613812345678", "cn_mobile", "8613812345678");
    one("tel:010-62345678", "cn_landline", "010-62345678");
    one("(010)62345678", "cn_landline", "(010)62345678");
    one(
        "电话（0755）2345678转123",
        "cn_landline",
        "（0755）2345678转123",
    );
    one("0755-2345-6789", "cn_landline", "0755-2345-6789");
    one("021-62345678-123", "cn_landline", "021-62345678-123");
    // Unallocated segment: format only.
    assert!(ids("14012345678").is_empty());
    let low = found("14012345678", Confidence::Low);
    assert_eq!(low[0].2, Confidence::Low);
}

#[test]
fn bank_cards() {
    let card = luhn_valid("622202123456789012");
    let grouped = format!(
        "{} {} {} {} {}",
        &card[..4],
        &card[4..8],
        &card[8..12],
        &card[12..16],
        &card[16..]
    );
    one(&grouped, "bank_card", &grouped);
    one(
        "卡号4111-1111-1111-1111",
        "bank_card",
        "4111-1111-1111-1111",
    );
    one(
        "card=5413752801575461 uid=1",
        "bank_card",
        "5413752801575461",
    );
    none("1153939001504104247"); // Luhn-valid but no plausible issuer
    none("4111111111111112");
    // An amount with decimals is not a card.
    none("金额6222021234567890.12元");
}

#[test]
fn email_addresses() {
    one(
        "请联系duanxiulan@example.com。",
        "email",
        "duanxiulan@example.com",
    );
    one("<li39@yahoo.com>", "email", "li39@yahoo.com");
    one(
        "user=a.b-c+d@mail.example.cn ip=1",
        "email",
        "a.b-c+d@mail.example.cn",
    );
    assert!(ids("王桂芳@王成：你好").iter().all(|(d, _)| d != "email"));
    none("foo@bar");
    // The phone inside an e-mail does not survive: the longer validated value wins.
    assert_eq!(
        ids("13812345678@qq.com"),
        vec![("email".into(), "13812345678@qq.com".into())]
    );
}

#[test]
fn network_values() {
    one("from 46.53.21.48 port 22", "ipv4", "46.53.21.48");
    one("ip=10.94.255.50", "ipv4", "10.94.255.50");
    none("版本v1.8.28");
    none("1.2.3.4.5");
    none("256.1.1.1");
    one(
        "addr fe80::1ff:fe23:4567:890a%eth0",
        "ipv6",
        "fe80::1ff:fe23:4567:890a",
    );
    one(
        "[2001:db8:85a3:0:0:8a2e:370:7334]",
        "ipv6",
        "2001:db8:85a3:0:0:8a2e:370:7334",
    );
    one("::ffff:192.0.2.1", "ipv6", "::ffff:192.0.2.1");
    none("2024-03-29 15:46:56");
    one("MAC 00:1A:2B:3C:4D:5E", "mac_address", "00:1A:2B:3C:4D:5E");
    one("mac=a4-5e-60-c2-11-08", "mac_address", "a4-5e-60-c2-11-08");
    one("001a.2b3c.4d5e", "mac_address", "001a.2b3c.4d5e");
}

#[test]
fn coordinates() {
    one(
        "经纬度：39.9042,116.4074",
        "geo_coordinate",
        "39.9042,116.4074",
    );
    one(
        "lat/lng -33.8688, 151.2093",
        "geo_coordinate",
        "-33.8688, 151.2093",
    );
    none("金额 81,126.39");
    none("3.14159, 2.71828 是常数"); // format only: low confidence
}

#[test]
fn organisations_and_documents() {
    one(
        "统一社会信用代码91110000600037341L",
        "cn_uscc",
        "91110000600037341L",
    );
    none("91110000600037342L");
    one("组织机构代码：60003734-1", "cn_org_code", "60003734-1");
    none("60003734-1"); // context required
    one("护照号码E12345678", "cn_passport", "E12345678");
    one("passport: G12345678", "cn_passport", "G12345678");
    none("G12345678");
    one("往来港澳通行证C12345678", "cn_hk_macau_permit", "C12345678");
    one("台胞证 12345678", "cn_taiwan_permit", "12345678");
    none("12345678");
}

#[test]
fn plates() {
    one("车牌京A12345违章", "cn_vehicle_plate", "京A12345");
    one("粤B·D12345", "cn_vehicle_plate", "粤B·D12345");
    one("沪AD12345", "cn_vehicle_plate", "沪AD12345");
    one("苏E1234学", "cn_vehicle_plate", "苏E1234学");
    none("中A12345");
    none("京ABCDE");
}

#[test]
fn devices() {
    one("IMEI 490154203237518", "imei", "490154203237518");
    none("490154203237518"); // context required
    one("imsi=460001234567890", "imsi", "460001234567890");
    let mut iccid = b"898600123456789012".to_vec();
    iccid.push(crate::validate::luhn::check_digit(&iccid).unwrap());
    let iccid = String::from_utf8(iccid).unwrap();
    one(&format!("ICCID {iccid}"), "iccid", &iccid);
}

#[test]
fn secrets() {
    one("password=S3cr3t!pw", "secret", "S3cr3t!pw");
    one(r#"{"db_password": "hunter2!x"}"#, "secret", "hunter2!x");
    one("spring.datasource.password: Zx9#kq", "secret", "Zx9#kq");
    one("密码：abc12345", "secret", "abc12345");
    one("我的密码是Qwe12345", "secret", "Qwe12345");
    none("password=${DB_PASSWORD}");
    none("Accepted password for root from host");
    one("key AKIAIOSFODNN7EXAMPLE", "secret", "AKIAIOSFODNN7EXAMPLE");
    one("LTAI5tQ9xYzAbCdEfGhIjK", "secret", "LTAI5tQ9xYzAbCdEfGhIjK");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    one(&format!("Authorization: Bearer {jwt}"), "secret", jwt);
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----";
    one(&format!("key:\n{pem}\n"), "secret", pem);
}

#[test]
fn context_only_detectors() {
    one("出生日期：1990-05-12", "birth_date", "1990-05-12");
    one("生日 1990年5月12日", "birth_date", "1990年5月12日");
    none("2024-03-29 发货");
    one("邮编：518000", "cn_postal_code", "518000");
    none("验证码518000");
}

#[test]
fn negative_context_lowers_confidence() {
    // A valid ID shape after 订单号 is a look-alike: reported only at low confidence.
    let text = "订单号440524188001010014";
    assert!(ids(text).is_empty());
    let low = found(text, Confidence::Low);
    assert_eq!(low.len(), 1);
    assert_eq!(low[0].2, Confidence::Low);
}

#[test]
fn confidence_levels() {
    let f = found("11010519491231002X", Confidence::Low);
    assert_eq!(f[0].2, Confidence::Medium);
    let f = found("身份证11010519491231002X", Confidence::Low);
    assert_eq!(f[0].2, Confidence::High);
}

#[test]
fn offsets_are_bytes_chars_and_lines() {
    let e = engine_with(Confidence::Medium);
    let text = "第一行\n手机：13812345678";
    let f = e.scan(text);
    assert_eq!(f.len(), 1);
    assert_eq!(&text[f[0].start..f[0].end], "13812345678");
    assert_eq!((f[0].char_start, f[0].char_end), (7, 18));
    assert_eq!(f[0].line, 2);
}

#[test]
fn windows_report_owned_findings_with_document_positions() {
    use crate::{Position, Scratch, TextWindow};
    let e = engine_with(Confidence::Medium);
    let doc = "前文：手机13812345678，身份证11010519491231002X。";
    let cut = doc.find("，").unwrap();
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    // Window 1 owns up to the cut, window 2 from the cut; both see the whole text.
    e.scan_window(
        &TextWindow {
            text: doc,
            owned: 0..cut,
            origin: Position::default(),
        },
        &mut scratch,
        &mut out,
    );
    e.scan_window(
        &TextWindow {
            text: doc,
            owned: cut..doc.len(),
            origin: Position::default(),
        },
        &mut scratch,
        &mut out,
    );
    assert_eq!(out.len(), 2);
    assert_eq!(out, e.scan(doc));
    // A window starting mid-document reports document offsets.
    let tail = &doc[cut..];
    let origin = Position {
        byte: cut,
        char: doc[..cut].chars().count(),
        newlines: 0,
    };
    let mut out2 = Vec::new();
    e.scan_window(
        &TextWindow {
            text: tail,
            owned: 0..tail.len(),
            origin,
        },
        &mut scratch,
        &mut out2,
    );
    assert_eq!(out2[0], out[1]);
}

#[test]
fn a_keyword_before_an_earlier_value_does_not_carry_over() {
    // 身份证 labels the first value; the window of the second stops at the first's end.
    let f = found(
        "身份证：11010519491231002X，360426199101010071",
        Confidence::Low,
    );
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].2, Confidence::High);
    assert_eq!(f[1].2, Confidence::Medium);
}

#[test]
fn timestamps_are_not_birth_dates() {
    assert!(ids("出生日期 2024-04-05 16:37:12 登记").is_empty());
    one("出生日期 2024-04-05，登记", "birth_date", "2024-04-05");
}
