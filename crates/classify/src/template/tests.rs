//! Tests of the built-in templates and of loading, matching and grading through them.

use super::{ColumnFacts, TemplateSet, UnknownTemplate};
use crate::classifier::ColumnInput;
use crate::grading::{CandidateGrade, Classification, Grade};
use crate::label::Label;

fn set() -> TemplateSet {
    TemplateSet::builtin().unwrap()
}

fn facts<'a>(
    table: &'a str,
    table_comment: &'a str,
    column: &'a str,
    label: Label,
) -> ColumnFacts<'a> {
    ColumnFacts {
        table,
        table_comment,
        column,
        column_comment: "",
        label,
    }
}

fn classify(template: &str, f: &ColumnFacts<'_>) -> Classification {
    set().classify(template, f).unwrap().unwrap()
}

fn has_reason(c: &Classification, prefix: &str) -> bool {
    c.reasons.iter().any(|r| r.code.starts_with(prefix))
}

fn g(n: u8) -> Grade {
    Grade::general(n).unwrap()
}

#[test]
fn every_builtin_template_loads_and_names_its_source() {
    let s = set();
    let ids: Vec<&str> = s.templates().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["gbt43697", "ydt3813", "miit-industrial"]);
    for t in s.templates() {
        assert!(!t.title_zh.is_empty() && !t.title_en.is_empty() && !t.source.is_empty());
        assert!(t.spec.contains('§'), "{}", t.id);
        assert!(
            t.rules.iter().all(|r| r.cite.contains("spec §")),
            "{}",
            t.id
        );
        assert!(t.rules.iter().all(|r| r.origin.starts_with(&t.file)));
    }
    assert_eq!(s.get("ydt3813").unwrap().base.as_deref(), Some("gbt43697"));
    assert_eq!(
        s.get("miit-industrial").unwrap().base.as_deref(),
        Some("gbt43697")
    );
}

#[test]
fn every_label_has_its_own_rule_in_gbt43697() {
    let s = set();
    let t = s.get("gbt43697").unwrap();
    for label in Label::ALL {
        // A rule that names the label, with no other condition: the fallback for that label.
        assert!(
            t.rules.iter().any(|r| r.labels.is_explicit()
                && r.labels.contains(label)
                && r.table_context.is_empty()
                && r.column_keywords.is_empty()),
            "no plain rule for {label}"
        );
        let c = s
            .classify("gbt43697", &facts("t_data", "", "c1", label))
            .unwrap()
            .unwrap();
        assert_eq!(
            c.pi,
            label.is_pi() && label != Label::OrgCreditCode,
            "{label}"
        );
        assert!(
            c.category.starts_with(if c.pi { "个人信息/" } else { "" }),
            "{label}"
        );
        assert!(matches!(c.grade, Grade::General(_)), "{label}");
        assert!(c.candidate_grade.is_none());
        assert!(c.confirmed_by.is_none());
    }
}

// spec §9.2: ID card is sensitive (GB/T 35273 App B); spec §2.3 (S10): ID number → 一般数据4级.
#[test]
fn resident_id_in_an_employee_table_is_sensitive_identity_grade_4() {
    let f = ColumnFacts {
        column_comment: "身份证号码",
        ..facts("hr_staff", "员工信息表", "sfzh", Label::CnResidentId)
    };
    let c = classify("gbt43697", &f);
    assert_eq!(c.category, "个人信息/个人身份信息/身份证件号码");
    assert!(c.pi && c.spi);
    assert!(c.spi_basis.as_deref().unwrap().contains("35273"));
    assert_eq!(c.grade, g(4));
    assert_eq!(c.template, "gbt43697");
    assert_eq!(c.rule, "gbt43697/pi.identity.resident_id");
    assert!(c.citation.contains("spec §9.2"));
    assert!(!c.unverified, "resident ID rests on [C] and [S] items only");
    assert!(has_reason(&c, "table_context:employee="));
    assert!(has_reason(&c, "table_context:persons="));
    assert!(has_reason(&c, "spi:pi.identity.resident_id"));
    assert_eq!(c.confirmed_by, None);
}

#[test]
fn name_birthdate_gender_are_grade_3_and_not_sensitive() {
    for label in [Label::PersonName, Label::Birthdate, Label::Gender] {
        let c = classify("gbt43697", &facts("user", "", "x", label));
        assert_eq!(c.grade, g(3), "{label}");
        assert!(c.pi && !c.spi, "{label}");
        assert!(!c.unverified, "{label}");
    }
}

#[test]
fn table_and_column_context_choose_the_more_specific_rule() {
    let amount = classify(
        "gbt43697",
        &facts("t_order", "订单表", "pay_amount", Label::FinancialAmount),
    );
    assert_eq!(amount.category, "个人信息/个人财产信息/交易和消费记录");
    assert!(amount.spi);
    let plain = classify(
        "gbt43697",
        &facts("t_account", "", "balance", Label::FinancialAmount),
    );
    assert_eq!(plain.category, "个人信息/个人财产信息/存款和财产信息");

    let marital = ColumnFacts {
        column_comment: "婚姻状况",
        ..facts("person", "", "hyzk", Label::OtherPi)
    };
    let c = classify("gbt43697", &marital);
    assert_eq!(c.category, "个人信息/其他个人信息/婚史");
    assert!(c.spi);
    assert!(has_reason(&c, "column_keyword:"));

    let city = classify(
        "gbt43697",
        &facts("login_log", "", "ip_city", Label::GeoLocation),
    );
    assert_eq!(city.category, "个人信息/个人位置信息/粗略位置");
    assert!(!city.spi);
    let gps = classify(
        "gbt43697",
        &facts("track", "", "lat_lng", Label::GeoLocation),
    );
    assert!(gps.spi);

    let patient = classify(
        "gbt43697",
        &facts("his_patient", "患者信息", "blh", Label::OtherPi),
    );
    assert_eq!(patient.category, "个人信息/个人健康生理信息/医疗相关记录");
    assert!(patient.spi && patient.unverified);
}

#[test]
fn ascii_keywords_match_whole_words_and_chinese_anywhere() {
    // `user` is a word of `t_user_info`, not of `username_log`.
    let c = classify(
        "gbt43697",
        &facts("t_user_info", "", "x", Label::PersonName),
    );
    assert!(has_reason(&c, "table_context:persons=user"));
    let c = classify(
        "gbt43697",
        &facts("username_log", "", "x", Label::PersonName),
    );
    assert!(!has_reason(&c, "table_context:persons"));
    let c = classify("gbt43697", &facts("t1", "会员资料", "x", Label::PersonName));
    assert!(has_reason(&c, "table_context:persons=会员"));
}

// spec §9.1 (PIPL Art 28, under 14), §9.2 (35273: 14 and under).
#[test]
fn minors_context_makes_any_pi_sensitive_and_is_flagged_unverified() {
    let c = classify(
        "gbt43697",
        &facts("child_member", "儿童会员", "mobile", Label::Phone),
    );
    assert!(c.spi);
    assert!(c.spi_basis.as_deref().unwrap().contains("十四周岁"));
    assert_eq!(c.grade, g(4));
    assert!(has_reason(&c, "modifier:gbt43697/minors"));
    assert!(c.unverified && has_reason(&c, "unverified:gbt43697/minors"));
    // Not personal: untouched.
    let n = classify(
        "gbt43697",
        &facts("child_member", "", "created_at", Label::None),
    );
    assert!(!n.spi && !n.pi);
}

// spec §3: the YD/T 3813 tree and levels are [U].
#[test]
fn telecom_cdr_table_under_ydt3813() {
    let t = "cdr_voice_202411";
    let calling = classify(
        "ydt3813",
        &facts(t, "语音话单", "calling_number", Label::Phone),
    );
    assert_eq!(
        calling.category,
        "用户相关数据/用户服务衍生数据/通信记录（话单）"
    );
    assert_eq!(calling.sector_grade.as_ref().unwrap().name, "第三级");
    assert!(calling.pi && calling.spi);
    assert_eq!(
        calling.baseline_category.as_deref(),
        Some("个人信息/个人基本资料/电话号码")
    );
    // The baseline's sub-grade is higher than nothing: general-4 for a phone number.
    assert_eq!(calling.grade, g(4));
    assert!(calling.unverified && has_reason(&calling, "unverified:ydt3813"));
    assert!(has_reason(&calling, "table_context:cdr="));
    assert!(has_reason(&calling, "rule:gbt43697/pi.basic.phone"));

    let duration = classify("ydt3813", &facts(t, "语音话单", "duration", Label::None));
    assert_eq!(duration.category, calling.category);
    assert!(
        duration.pi && duration.spi,
        "a call record is communication-record PI"
    );

    // Outside a CDR table the phone number is a network identifier at 第二级.
    let msisdn = classify(
        "ydt3813",
        &facts("subscriber", "用户资料", "msisdn", Label::Phone),
    );
    assert_eq!(
        msisdn.category,
        "用户相关数据/用户身份相关数据/网络身份标识"
    );
    assert_eq!(msisdn.sector_grade.as_ref().unwrap().name, "第二级");

    let pwd = classify(
        "ydt3813",
        &facts("subscriber", "", "login_pwd", Label::PasswordOrSecret),
    );
    assert_eq!(pwd.sector_grade.as_ref().unwrap().name, "第四级");

    // Signalling: a candidate 重要, never asserted.
    let sig = classify(
        "ydt3813",
        &facts("s1ap_signalling", "信令", "imsi", Label::DeviceId),
    );
    assert_eq!(sig.candidate_grade, Some(CandidateGrade::Important));
    assert!(matches!(sig.grade, Grade::General(_)));

    let net = classify(
        "ydt3813",
        &facts("ne_config", "网元配置", "route_table", Label::None),
    );
    assert_eq!(
        net.category,
        "企业自身相关数据/网络与系统的建设与运行维护类数据"
    );
    assert!(!net.pi && !net.spi);
    assert_eq!(net.candidate_grade, Some(CandidateGrade::Important));

    for label in Label::ALL {
        let c = classify("ydt3813", &facts("x", "", "y", label));
        assert!(c.unverified, "every ydt3813 result is unverified: {label}");
    }
}

// spec §4.1 domains [C]; candidates per MIIT Art 10 (spec §1.3).
#[test]
fn industrial_production_table_under_miit_industrial() {
    let s = set();
    let t = "mes_production_line";
    let tc = "产线生产记录";
    let cls = |col: &str, label| {
        s.classify("miit-industrial", &facts(t, tc, col, label))
            .unwrap()
            .unwrap()
    };

    let temp = cls("furnace_temperature", Label::None);
    assert_eq!(temp.category, "工业数据/生产数据域/工况状态");
    assert!(!temp.pi && !temp.spi);
    assert!(temp.candidate_grade.is_none());

    let setpoint = cls("speed_setpoint", Label::None);
    assert_eq!(setpoint.category, "工业数据/生产数据域/控制信息");
    assert_eq!(setpoint.grade, g(3));
    assert_eq!(setpoint.candidate_grade, Some(CandidateGrade::Important));
    assert!(has_reason(&setpoint, "candidate:important="));

    let other = cls("batch_no", Label::None);
    assert_eq!(other.category, "工业数据/生产数据域");

    let operator = cls("operator_name", Label::PersonName);
    assert_eq!(operator.category, "工业数据/生产数据域/系统日志");
    assert_eq!(
        operator.baseline_category.as_deref(),
        Some("个人信息/个人基本资料/姓名")
    );
    assert!(operator.pi && !operator.spi);
    assert_eq!(operator.grade, g(3));

    // Table-level sub-domain: a process-recipe table.
    let recipe = s
        .classify(
            "miit-industrial",
            &facts("process_recipe", "工艺配方", "value", Label::None),
        )
        .unwrap()
        .unwrap();
    assert_eq!(recipe.category, "工业数据/生产数据域/工艺参数");

    let rd = s
        .classify(
            "miit-industrial",
            &facts("plm_drawing", "", "version", Label::None),
        )
        .unwrap()
        .unwrap();
    assert_eq!(rd.category, "工业数据/研发数据域/研发设计数据");

    let idno = s
        .classify(
            "miit-industrial",
            &facts("hr_employee", "员工", "idno", Label::CnResidentId),
        )
        .unwrap()
        .unwrap();
    assert_eq!(idno.category, "工业数据/企业管理数据域/人事财务数据");
    assert!(idno.spi);
    assert_eq!(idno.grade, g(4));

    let unassigned = s
        .classify("miit-industrial", &facts("t_x", "", "v", Label::None))
        .unwrap()
        .unwrap();
    assert_eq!(unassigned.category, "工业数据/待归类");
}

#[test]
fn unverified_items_are_flagged_and_confirmed_ones_are_not() {
    let ip = classify("gbt43697", &facts("t", "", "ip", Label::IpAddress));
    assert!(ip.unverified);
    assert!(has_reason(&ip, "unverified:gbt43697/pi.network.ip"));
    let phone = classify("gbt43697", &facts("t", "", "phone", Label::Phone));
    assert!(!phone.unverified);
    assert!(!has_reason(&phone, "unverified:"));
}

#[test]
fn unknown_template_is_an_error() {
    assert_eq!(
        set().classify("nope", &facts("t", "", "c", Label::None)),
        Err(UnknownTemplate("nope".to_string()))
    );
}

#[test]
fn facts_from_classifier_input() {
    let input = ColumnInput {
        table: "patient",
        table_comment: "患者",
        column: "sfzh",
        comment: "身份证",
        declared_type: "varchar(18)",
    };
    let f = ColumnFacts::from_input(&input, Label::CnResidentId);
    assert_eq!(
        (f.table, f.table_comment, f.column, f.column_comment),
        ("patient", "患者", "sfzh", "身份证")
    );
}

#[test]
fn confirming_sets_the_person_and_settles_the_candidate() {
    let s = set();
    let mut c = s
        .classify(
            "miit-industrial",
            &facts("plc_control", "控制指令", "cmd", Label::None),
        )
        .unwrap()
        .unwrap();
    assert_eq!(c.candidate_grade, Some(CandidateGrade::Important));
    assert_eq!(c.grade, g(3));
    c.confirm("张三", Grade::Important);
    assert_eq!(c.grade, Grade::Important);
    assert_eq!(c.confirmed_by.as_deref(), Some("张三"));
    assert_eq!(c.candidate_grade, None);
    assert!(has_reason(&c, "confirmed:important"));
}

#[test]
fn classification_serializes_with_codes_and_an_empty_confirmation() {
    let c = classify("ydt3813", &facts("cdr", "话单", "calling", Label::Phone));
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["label"], "PHONE");
    assert_eq!(v["grade"], "general-4");
    assert_eq!(v["sector_grade"]["name"], "第三级");
    assert_eq!(v["confirmed_by"], serde_json::Value::Null);
    assert_eq!(v["unverified"], true);
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "unverified:ydt3813")
    );
}

/// The national baseline, label by label, in a neutral table: category, sub-grade, PI, SPI,
/// unverified. spec §9.1–9.3 for the flags and paths; spec §2.3 for the sub-grades ([S] for
/// resident ID, contact, address, name, birthday, gender; extrapolated and so unverified for
/// the rest).
#[test]
fn gbt43697_label_by_label() {
    use Label as L;
    let table: [(Label, &str, u8, bool, bool, bool); 20] = [
        (L::None, "非个人信息/组织业务数据", 2, false, false, true),
        (
            L::PersonName,
            "个人信息/个人基本资料/姓名",
            3,
            true,
            false,
            false,
        ),
        (
            L::CnResidentId,
            "个人信息/个人身份信息/身份证件号码",
            4,
            true,
            true,
            false,
        ),
        (
            L::Phone,
            "个人信息/个人基本资料/电话号码",
            4,
            true,
            false,
            false,
        ),
        (
            L::Email,
            "个人信息/个人基本资料/电子邮箱",
            4,
            true,
            false,
            false,
        ),
        (
            L::Address,
            "个人信息/个人基本资料/个人地址",
            4,
            true,
            false,
            false,
        ),
        (
            L::BankCard,
            "个人信息/个人财产信息/银行账户",
            4,
            true,
            true,
            true,
        ),
        (
            L::PasswordOrSecret,
            "个人信息/身份鉴别信息/口令和密钥",
            4,
            true,
            true,
            true,
        ),
        (
            L::IpAddress,
            "个人信息/网络身份标识信息/IP地址",
            2,
            true,
            false,
            true,
        ),
        (
            L::GeoLocation,
            "个人信息/个人位置信息/精准定位",
            4,
            true,
            true,
            true,
        ),
        (
            L::Birthdate,
            "个人信息/个人基本资料/出生日期",
            3,
            true,
            false,
            false,
        ),
        (
            L::Gender,
            "个人信息/个人基本资料/性别",
            3,
            true,
            false,
            false,
        ),
        (
            L::UsernameOrNickname,
            "个人信息/网络身份标识信息/账号和昵称",
            2,
            true,
            false,
            true,
        ),
        (
            L::PhotoOrBiometric,
            "个人信息/个人生物识别信息/面部特征和生物识别信息",
            4,
            true,
            true,
            true,
        ),
        (
            L::Health,
            "个人信息/个人健康生理信息/健康生理信息",
            4,
            true,
            true,
            true,
        ),
        (
            L::FinancialAmount,
            "个人信息/个人财产信息/存款和财产信息",
            3,
            true,
            true,
            true,
        ),
        (
            L::DeviceId,
            "个人信息/个人常用设备信息/设备标识",
            2,
            true,
            false,
            true,
        ),
        (
            L::LicensePlate,
            "个人信息/其他个人信息/车牌号码",
            3,
            true,
            false,
            true,
        ),
        (
            L::OrgCreditCode,
            "组织数据/组织身份信息/统一社会信用代码",
            1,
            false,
            false,
            true,
        ),
        (L::OtherPi, "个人信息/其他个人信息", 3, true, false, true),
    ];
    for (label, category, grade, pi, spi, unverified) in table {
        let c = classify("gbt43697", &facts("t_data", "", "c1", label));
        assert_eq!(c.category, category, "{label}");
        assert_eq!(c.grade, g(grade), "{label}");
        assert_eq!(
            (c.pi, c.spi, c.unverified),
            (pi, spi, unverified),
            "{label}"
        );
        assert_eq!(c.spi_basis.is_some(), spi, "{label}");
    }
}
