//! The decision, rule family by rule family, through the public API.

use proptest::prelude::*;
use shujian_classify::{Classifier, ColumnInput, ColumnProfile, Label};
use shujian_detect::CivilDate;

fn classifier() -> &'static Classifier {
    use std::sync::OnceLock;
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::builtin(CivilDate::new(2026, 11, 23).unwrap()).unwrap())
}

fn col<'a>(table: &'a str, column: &'a str, comment: &'a str) -> ColumnInput<'a> {
    ColumnInput {
        table,
        column,
        comment,
        ..ColumnInput::default()
    }
}

fn label(table: &str, column: &str, comment: &str, values: &[&str]) -> Label {
    classify(table, column, comment, values).label
}

fn classify(table: &str, column: &str, comment: &str, values: &[&str]) -> ColumnProfile {
    classifier().classify(&col(table, column, comment), values)
}

fn has_reason(p: &ColumnProfile, code: &str) -> bool {
    p.reasons.iter().any(|r| r.code.starts_with(code))
}

#[test]
fn english_names_decide_alone() {
    assert_eq!(label("t_user", "mobile", "", &[]), Label::Phone);
    assert_eq!(label("t_user", "contact_email", "", &[]), Label::Email);
    assert_eq!(label("t_user", "idCard", "", &[]), Label::CnResidentId);
    assert_eq!(label("t_user", "birthday", "", &[]), Label::Birthdate);
    assert_eq!(label("t_user", "gender", "", &[]), Label::Gender);
    assert_eq!(label("t_user", "login_ip", "", &[]), Label::IpAddress);
    assert_eq!(
        label("t_user", "password", "", &[]),
        Label::PasswordOrSecret
    );
    assert_eq!(
        label("t_user", "nick_name", "", &[]),
        Label::UsernameOrNickname
    );
    assert_eq!(
        label("t_user", "avatar_url", "", &[]),
        Label::PhotoOrBiometric
    );
    assert_eq!(label("t_car", "plate_no", "", &[]), Label::LicensePlate);
    assert_eq!(label("t_org", "credit_code", "", &[]), Label::OrgCreditCode);
    assert_eq!(label("t_user", "device_id", "", &[]), Label::DeviceId);
    assert_eq!(label("t_user", "bank_card_no", "", &[]), Label::BankCard);
    assert_eq!(label("t_user", "nation", "", &[]), Label::OtherPi);
    assert_eq!(label("t_patient", "diagnosis", "", &[]), Label::Health);
    assert_eq!(label("t_user", "latitude", "", &[]), Label::GeoLocation);
}

#[test]
fn pinyin_abbreviations_decide_alone() {
    for (name, l) in [
        ("sfzh", Label::CnResidentId),
        ("xm", Label::PersonName),
        ("brxm", Label::PersonName),
        ("sjhm", Label::Phone),
        ("lxdh", Label::Phone),
        ("jtdz", Label::Address),
        ("csrq", Label::Birthdate),
        ("xb", Label::Gender),
        ("mz", Label::OtherPi),
        ("yhkh", Label::BankCard),
        ("hyzk", Label::OtherPi),
    ] {
        assert_eq!(label("ryxx", name, "", &[]), l, "{name}");
        assert_eq!(label("ryxx", &name.to_uppercase(), "", &[]), l, "{name}");
    }
}

#[test]
fn comments_and_headers_decide() {
    assert_eq!(label("t", "col_a", "收货人手机号", &[]), Label::Phone);
    assert_eq!(label("t", "col_b", "详细地址(街道)", &[]), Label::Address);
    assert_eq!(
        label("t", "f1", "用户性别（0男 1女 2未知）", &[]),
        Label::Gender
    );
    assert_eq!(
        label("t", "f2", "最近一次登录IP地址", &[]),
        Label::IpAddress
    );
    assert_eq!(label("t", "身份证号码", "", &[]), Label::CnResidentId);
    assert_eq!(label("t", "联系电话", "", &[]), Label::Phone);
}

#[test]
fn blockers_keys_times_counts() {
    assert_eq!(label("t_user", "user_id", "用户ID", &[]), Label::None);
    assert_eq!(label("t_user", "phone_count", "", &[]), Label::None);
    assert_eq!(
        label("t_user", "pwd_update_date", "密码最后更新时间", &[]),
        Label::None
    );
    assert_eq!(label("t_menu", "url", "请求地址", &[]), Label::None);
    assert_eq!(
        label(
            "ums_member_level",
            "priviledge_birthday",
            "是否有生日特权",
            &[]
        ),
        Label::None
    );
    assert_eq!(label("t", "attend_count", "参与人数", &[]), Label::None);
}

#[test]
fn detectors_decide_without_hints() {
    let ids = [
        "11010519491231002X",
        "440524188001010014",
        "11010519491231002X",
    ];
    let p = classify("t", "col_x", "", &ids);
    assert_eq!(p.label, Label::CnResidentId);
    assert!(has_reason(&p, "hit_ratio:cn_resident_id=1.00"));
    assert_eq!(p.hit_ratios["cn_resident_id"], 1.0);
    assert_eq!(
        label("t", "c", "", &["13812345678", "13912345678", ""]),
        Label::Phone
    );
    assert_eq!(
        label("t", "c", "", &["a@example.com", "b@example.cn"]),
        Label::Email
    );
    assert_eq!(
        label("t", "c", "", &["10.0.0.1", "192.168.1.20", "8.8.8.8"]),
        Label::IpAddress
    );
    // Mobile numbers in a login-name column are phone numbers (the data as it is).
    let p = classify(
        "user",
        "login_name",
        "登陆名称(默认为手机号)",
        &["13700002703", "13811113333", "13912345678"],
    );
    assert_eq!(p.label, Label::Phone);
}

#[test]
fn enumerations_of_values() {
    assert_eq!(
        label("t", "c", "", &["男", "女", "女", "男", "男"]),
        Label::Gender
    );
    assert_eq!(
        label("t", "c", "", &["汉族", "回族", "汉族", "满族", "壮族"]),
        Label::OtherPi
    );
    assert_eq!(
        label("t", "c", "", &["已婚", "未婚", "已婚", "离异", "未婚"]),
        Label::OtherPi
    );
    // Codes alone are no gender; with a hint they help.
    assert_eq!(label("t", "c", "", &["0", "1", "1", "2", "0"]), Label::None);
    let p = classify("t", "sex", "", &["0", "1", "1", "2", "0"]);
    assert_eq!(p.label, Label::Gender);
    assert!(has_reason(&p, "shape:gender_code"));
}

#[test]
fn shapes_support_hints_only() {
    let hashes = ["$2a$10$NZ5o7r2E.ayT2ZoxgjlI.eJ6OEYqjH7INR/F.mXDbjZJi9HF0YCVG"; 3];
    assert_eq!(label("t", "c", "", &hashes), Label::PasswordOrSecret);
    let imgs = [
        "https://x.cn/a.png",
        "https://x.cn/b.jpg",
        "https://x.cn/c.png",
    ];
    assert_eq!(label("t_goods", "c", "", &imgs), Label::None);
    let p = classify("t_user", "icon", "", &imgs);
    assert_eq!(p.label, Label::PhotoOrBiometric);
    assert!(has_reason(&p, "shape:image_url"));
    let money = ["12.50", "199.00", "3.10"];
    assert_eq!(label("t_x", "c", "", &money), Label::None);
}

#[test]
fn person_references_follow_their_values() {
    // Operators default to login names …
    assert_eq!(
        label("sys_dept", "create_by", "创建者", &[]),
        Label::UsernameOrNickname
    );
    assert_eq!(
        label("sys_dept", "create_by", "创建者", &["admin", "ry", "admin"]),
        Label::UsernameOrNickname
    );
    // … unless the values are Chinese names …
    assert_eq!(
        label("sys_dept", "create_by", "创建者", &["张伟", "王芳", "李娜"]),
        Label::PersonName
    );
    // … or numbers (creator ids) or role words.
    assert_eq!(
        label("sys_dept", "create_by", "创建者", &["1", "2", "15"]),
        Label::None
    );
    assert_eq!(
        label(
            "h",
            "operate_man",
            "操作人",
            &["后台管理员", "后台管理员", "系统用户名称"]
        ),
        Label::None
    );
    // A contact person is a real name unless the values are logins.
    assert_eq!(
        label("sys_dept", "leader", "负责人", &[]),
        Label::PersonName
    );
    assert_eq!(
        label(
            "apply",
            "receive_man",
            "收货人",
            &["admin", "admin", "test"]
        ),
        Label::UsernameOrNickname
    );
}

#[test]
fn weak_keywords_need_the_table() {
    assert_eq!(
        label("ums_member_receive_address", "name", "", &[]),
        Label::PersonName
    );
    assert_eq!(label("t_patient", "name", "", &[]), Label::PersonName);
    assert_eq!(label("pms_brand", "name", "", &[]), Label::None);
    assert_eq!(
        label(
            "ums_member_level",
            "name",
            "",
            &["黄金会员", "白金会员", "普通会员"]
        ),
        Label::None
    );
    assert_eq!(label("pms_product", "goods_name", "", &[]), Label::None);
}

#[test]
fn table_context_for_amounts_places_and_dictionaries() {
    assert_eq!(
        label("oms_order", "pay_amount", "支付金额", &[]),
        Label::FinancialAmount
    );
    assert_eq!(
        label("oms_cart_item", "price", "", &[]),
        Label::FinancialAmount
    );
    assert_eq!(label("pms_product", "price", "", &[]), Label::None);
    assert_eq!(label("sms_coupon", "amount", "金额", &[]), Label::None);
    let p = classify("sys_logininfor", "login_location", "登录地点", &[]);
    assert_eq!(p.label, Label::GeoLocation);
    let p = classify("ums_member_login_log", "city", "", &["上海", "北京"]);
    assert_eq!(p.label, Label::GeoLocation);
    assert!(has_reason(&p, "table:access_log"));
    assert_eq!(
        label("ums_member_receive_address", "city", "城市", &[]),
        Label::Address
    );
    assert_eq!(
        label("sys_dict_data", "dict_label", "性别", &[]),
        Label::None
    );
}

#[test]
fn contradicting_values_lower_rich_labels() {
    let p = classify("t", "phone_verified", "", &["0", "1", "1", "0", "1"]);
    assert_eq!(p.label, Label::None);
    let p = classify("t", "mobile", "", &["1", "0", "1", "1"]);
    assert!(has_reason(&p, "contradiction:tiny_values"));
}

#[test]
fn profiles_never_hold_raw_values() {
    let values = [
        "13812345678",
        "张伟",
        "上海市浦东新区世纪大道100号",
        "admin@example.com",
    ];
    let p = classify("t", "c", "", &values);
    let json = serde_json::to_string(&p).unwrap();
    for v in values {
        assert!(!json.contains(v), "{v} leaked: {json}");
    }
}

#[test]
fn confidence_and_candidates() {
    let ids = ["11010519491231002X"; 5];
    let p = classifier().classify(&col("patient", "sfzh", "身份证号"), &ids);
    assert_eq!(p.confidence, shujian_detect::Confidence::High);
    assert_eq!(p.candidates[0].label, Label::CnResidentId);
    assert!(p.confidence_score > 0.9);
    let p = classify("t", "status", "状态", &["0", "1"]);
    assert_eq!(p.label, Label::None);
    assert!(p.candidates.is_empty());
}

fn profile_of_batches(
    values: &[String],
    cuts: &[usize],
) -> (u64, u64, Vec<u64>, Vec<u64>, u64, Label) {
    let c = classifier();
    let mut acc = c.accumulator();
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&values.len())) {
        let cut = cut.clamp(start, values.len());
        let mut text = String::new();
        let mut ends = Vec::new();
        for (i, v) in values[start..cut].iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(v);
            ends.push(text.len() as u32);
        }
        acc.push_batch(&text, &ends);
        start = cut;
    }
    let cnt = acc.counts().clone();
    let p = c.decide(&col("t_user", "contact", ""), &acc);
    (
        cnt.non_empty,
        cnt.empty,
        cnt.whole_hits,
        cnt.shapes,
        acc.distinct_estimate(),
        p.label,
    )
}

fn value_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("13812345678".to_string()),
        Just("11010519491231002X".to_string()),
        Just("男".to_string()),
        Just("a@example.com".to_string()),
        "[0-9]{1,12}",
        "[a-z]{2,8}",
        "[\\u{4e00}-\\u{4e20}]{1,6}",
    ]
}

proptest! {
    #[test]
    fn accumulation_is_independent_of_batching(
        values in proptest::collection::vec(value_strategy(), 0..60),
        cuts in proptest::collection::vec(0usize..60, 0..5),
    ) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let one = profile_of_batches(&values, &[]);
        let many = profile_of_batches(&values, &cuts);
        prop_assert_eq!(one, many);
    }

    #[test]
    fn arbitrary_names_comments_and_values_never_panic(
        table in "\\PC{0,20}",
        column in "\\PC{0,20}",
        comment in "\\PC{0,30}",
        values in proptest::collection::vec("\\PC{0,30}", 0..10),
    ) {
        let vs: Vec<&str> = values.iter().map(String::as_str).collect();
        let p = classifier().classify(&col(&table, &column, &comment), &vs);
        prop_assert!(p.confidence_score >= 0.0 && p.confidence_score <= 1.0);
    }
}

#[test]
fn long_columns_sample_shapes_but_keep_exact_counts() {
    let c = classifier();
    let mut acc = c.accumulator();
    let values: Vec<String> = (0..10_000)
        .map(|i| {
            if i % 2 == 0 {
                format!("{}.{:02}", i, i % 100)
            } else {
                format!("item-{i}")
            }
        })
        .collect();
    for chunk in values.chunks(777) {
        let v: Vec<&str> = chunk.iter().map(String::as_str).collect();
        acc.push_values(&v);
    }
    assert_eq!(acc.counts().non_empty, 10_000);
    assert!(acc.counts().shape_values < 10_000);
    let p = c.decide(&col("t_order", "pay_amount", "支付金额"), &acc);
    assert_eq!(p.label, Label::FinancialAmount);
    let money = p.shape_ratios["money"];
    assert!((money - 0.5).abs() < 0.05, "{money}");
    let d = p.distinct_estimate as f64;
    assert!((d - 10_000.0).abs() < 800.0, "{d}");
}
