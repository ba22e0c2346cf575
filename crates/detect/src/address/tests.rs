//! Scan-level tests of the address model, through the engine that wires it.

use std::sync::OnceLock;

use proptest::prelude::*;

use crate::finding::{Check, Confidence};
use crate::{CivilDate, Engine, EngineOptions};

/// One engine per confidence level, shared by the tests (built once: proptest runs many cases).
fn engine(min: Confidence) -> &'static Engine {
    static ENGINES: [OnceLock<Engine>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    ENGINES[min as usize].get_or_init(|| {
        let mut o = EngineOptions::new(CivilDate::new(2026, 11, 23).unwrap());
        o.only = Some(vec!["cn_address".into()]);
        o.min_confidence = min;
        Engine::builtin(o).unwrap()
    })
}

/// The addresses found at `min` confidence and up, as text with their confidence.
fn found(text: &str, min: Confidence) -> Vec<(String, Confidence)> {
    engine(min)
        .scan(text)
        .iter()
        .map(|f| (text[f.start..f.end].to_string(), f.confidence))
        .collect()
}

fn medium(text: &str) -> Vec<String> {
    found(text, Confidence::Medium)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

#[test]
fn real_addresses_are_found_whole() {
    for addr in [
        "北京市海淀区中关村大街27号中关村大厦1101室",
        "广东省深圳市南山区科技园南区深南大道9988号",
        "上海市浦东新区张江镇xx村3组12号",
        "浙江省杭州市西湖区文三路478号华星时代广场A座1502",
        "广东深圳南山区科技园",
        "湖南省衡阳市雁峰区黄茶岭街道黄路179号",
        "中国浙江省杭州市西湖区文三路478号",
        "浙江省 杭州市 西湖区 文三路478号",
        "北京市朝阳区幸福小区3-2-501",
        "天津市和平区南京道12号",
        "江苏省南京市玄武区中山路十二号三楼",
    ] {
        let text = format!("请寄到{addr}，谢谢");
        assert_eq!(medium(&text), vec![addr.to_string()], "in {text}");
    }
}

#[test]
fn cue_keywords_raise_to_high_and_anchor_addresses_without_divisions() {
    let text = "收货地址：浙江省杭州市西湖区文三路478号华星时代广场A座1502";
    let f = engine(Confidence::Medium).scan(text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].confidence, Confidence::High);
    assert!(f[0].checks.has(Check::Keyword) && f[0].checks.has(Check::Dictionary));
    assert!(f[0].checks.has(Check::Structure));
    assert!(f[0].keyword.is_some());
    assert_eq!(
        &text[f[0].start..],
        "浙江省杭州市西湖区文三路478号华星时代广场A座1502"
    );

    // No division name: the cue alone anchors it.
    assert_eq!(
        found(
            "收货地址：文三路478号华星时代广场A座1502",
            Confidence::Medium
        ),
        vec![(
            "文三路478号华星时代广场A座1502".to_string(),
            Confidence::Medium
        )]
    );
    assert_eq!(
        found("家住在北京市海淀区中关村大街27号。", Confidence::Medium),
        vec![("北京市海淀区中关村大街27号".to_string(), Confidence::High)]
    );
    // A cue far away does not count.
    assert_eq!(
        found(
            "地址在附件里，另外北京市海淀区中关村大街27号也行",
            Confidence::Medium
        ),
        vec![("北京市海淀区中关村大街27号".to_string(), Confidence::Medium)]
    );
    // A cue introduces a division chain with no structure: Medium.
    assert_eq!(
        found("住址：北京市海淀区", Confidence::Medium),
        vec![("北京市海淀区".to_string(), Confidence::Medium)]
    );
}

#[test]
fn prose_that_mentions_a_place_is_not_an_address() {
    for text in [
        "我明天去北京出差",
        "北京市",
        "他在北京市工作了三年",
        "北京路上车很多",
        "我们在湖南大学读书",
        "上海5月3号下雨",
        "乘坐北京地铁4号线到达",
        "北京是一座城市",
        "北京市政府召开会议",
    ] {
        assert!(medium(text).is_empty(), "{text}: {:?}", medium(text));
    }
    // Weak evidence is still visible at Low.
    assert_eq!(
        found("北京路上车很多", Confidence::Low),
        vec![("北京路".to_string(), Confidence::Low)]
    );
    assert_eq!(
        found("北京市海淀区", Confidence::Low),
        vec![("北京市海淀区".to_string(), Confidence::Low)]
    );
}

#[test]
fn spans_stop_at_punctuation_and_prose() {
    for stop in [
        "，", "。", "；", ")", "）", "\t", "|", "\"", "\n", "、", "的", " 电话",
    ] {
        let text = format!("浙江省杭州市西湖区文三路478号{stop}华星广场");
        assert_eq!(
            medium(&text),
            vec!["浙江省杭州市西湖区文三路478号".to_string()],
            "stop {stop:?}"
        );
    }
    assert_eq!(
        medium("他在北京市海淀区中关村大街27号工作"),
        vec!["北京市海淀区中关村大街27号".to_string()]
    );
    // A phone number glued on is not part of the address.
    assert_eq!(
        medium("浙江省杭州市西湖区文三路478号13812345678"),
        vec!["浙江省杭州市西湖区文三路478号".to_string()]
    );
}

#[test]
fn trailing_postcodes_belong_to_the_address() {
    let text = "家住山西省张家港市长寿沈阳街P座 696236，紧急联系人";
    let f = engine(Confidence::Medium).scan(text);
    assert_eq!(f.len(), 1);
    assert_eq!(
        &text[f[0].start..f[0].end],
        "山西省张家港市长寿沈阳街P座 696236"
    );
    assert!(f[0].checks.has(Check::Format));
    assert_eq!(
        medium("北京市海淀区中关村大街27号100080"),
        vec!["北京市海淀区中关村大街27号100080".to_string()]
    );
    // Seven digits are not a postcode; two spaces are too far.
    assert_eq!(
        medium("北京市海淀区中关村大街27号 1000801"),
        vec!["北京市海淀区中关村大街27号".to_string()]
    );
    assert_eq!(
        medium("北京市海淀区中关村大街27号  100080"),
        vec!["北京市海淀区中关村大街27号".to_string()]
    );
}

#[test]
fn addresses_in_csv_and_json_fields() {
    let csv = "姓名,电话,地址,邮编\n张三,13812345678,浙江省杭州市西湖区文三路478号,310012\n";
    assert_eq!(
        medium(csv),
        vec!["浙江省杭州市西湖区文三路478号".to_string()]
    );
    let json = r#"{"name":"张三","address":"广东省深圳市南山区深南大道9988号","zip":"518000"}"#;
    let f = found(json, Confidence::Medium);
    assert_eq!(
        f,
        vec![(
            "广东省深圳市南山区深南大道9988号".to_string(),
            Confidence::High
        )]
    );
    let tsv = "王五\t上海市浦东新区张江镇xx村3组12号\t200120";
    assert_eq!(
        medium(tsv),
        vec!["上海市浦东新区张江镇xx村3组12号".to_string()]
    );
}

#[test]
fn full_width_digits_and_letters() {
    assert_eq!(
        medium("浙江省杭州市西湖区文三路４７８号Ａ座１５０２室"),
        vec!["浙江省杭州市西湖区文三路４７８号Ａ座１５０２室".to_string()]
    );
}

#[test]
fn several_addresses_in_one_text_and_character_offsets() {
    let text = "发货：广东省深圳市南山区深南大道9988号；收货：北京市海淀区中关村大街27号。";
    let f = engine(Confidence::Medium).scan(text);
    let spans: Vec<_> = f.iter().map(|f| &text[f.start..f.end]).collect();
    assert_eq!(
        spans,
        vec![
            "广东省深圳市南山区深南大道9988号",
            "北京市海淀区中关村大街27号"
        ]
    );
    assert_eq!(f[0].char_start, 3);
    assert_eq!(
        f[0].char_end,
        3 + "广东省深圳市南山区深南大道9988号".chars().count()
    );
}

fn text_strategy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "北京市",
        "海淀区",
        "北京",
        "朝阳",
        "中关村",
        "大街",
        "路",
        "街",
        "27",
        "号",
        "A",
        "座",
        "室",
        "小区",
        "3-2-501",
        " ",
        "，",
        "。",
        "\n",
        "100080",
        "地址：",
        "家住",
        "的",
        "一",
        "十二",
        "楼",
        "村",
        "组",
        "Ａ",
        "１",
        "😀",
        "é",
        "x",
        "\"",
        "中国",
        "省",
        "市",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn random_text_never_panics_and_spans_are_sane(text in text_strategy()) {
        let e = engine(Confidence::Low);
        for f in e.scan(&text) {
            prop_assert!(f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            let s = &text[f.start..f.end];
            prop_assert!(!s.contains('\n') && !s.contains('，') && !s.contains('。'));
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        for f in engine(Confidence::Low).scan(&text) {
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
    }
}
