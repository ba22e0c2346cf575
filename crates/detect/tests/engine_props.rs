//! Property tests of the whole engine.
//!
//! * Recall on generated data: valid resident IDs, mobiles, e-mails and bank cards produced by
//!   `shujian-corpus` (which computes check characters with code of its own, not the
//!   detectors') are found by the right detector wherever they sit in random text.
//! * Robustness: any text scans without panicking, and the findings are well formed.

use std::ops::Range;
use std::sync::LazyLock;

use proptest::prelude::*;
use shujian_corpus::{Corpus, Label, Mix};
use shujian_detect::{CivilDate, Engine, EngineOptions, Finding, Position, Scratch, TextWindow};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let opts = EngineOptions::new(CivilDate::new(2026, 11, 23).expect("valid date"));
    Engine::builtin(opts).expect("built-in engine")
});

/// Filler pieces: Han text, ASCII words, numbers and punctuation. Chosen so that no piece and
/// no join of pieces spells a look-alike marker (订单, 单号, 流水, 编号, order, uid …), which
/// would rightly lower a value's confidence.
const FILLER: &[&str] = &[
    "的",
    "我",
    "在",
    "是",
    "有",
    "和",
    "客户",
    "资料",
    "已经",
    "更新",
    "请",
    "查收",
    "谢谢",
    "今天",
    "系统",
    "记录",
    "备注",
    "联系",
    "地址",
    "北京市",
    "上海",
    "数据",
    "安全",
    "管理",
    "通知",
    "明天",
    "会议",
    "data",
    "ok",
    "API",
    "hello",
    "test",
    "the",
    "2024",
    "3.5",
    "12",
    "100%",
    "，",
    "。",
    "：",
    "、",
    "；",
    "！",
    "？",
    " ",
    "\n",
    "\t",
    "(",
    ")",
    "[",
    "]",
    "-",
    "/",
    "_",
    "=",
    ":",
    "©",
    "😀",
    "é",
];

/// What may stand between a value and the text around it: Han text or punctuation that ends an
/// identifier (no ASCII letters, digits, spaces or hyphens, which could extend it). Context
/// keywords are added only before the value they describe (see `keyword_for`): a keyword of
/// another kind next to a value may rightly change what the engine takes it for.
const JOINS: &[&str] = &[
    "，", "：", "。", "\n", "（", "）", "、", "；", ",", ";", "\t", "|", "是", "为",
];

/// A context keyword that may precede a value of this label.
fn keyword_for(label: Label) -> &'static str {
    match label {
        Label::ResidentId => "身份证号",
        Label::Phone => "手机",
        Label::Email => "邮箱",
        Label::BankCard => "卡号",
        _ => "",
    }
}

fn filler() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FILLER), 0..12).prop_map(|v| v.concat())
}

/// One generated value of a label this test checks, as text.
fn value_of(record: &shujian_corpus::LabelledRecord, span: &shujian_corpus::Span) -> String {
    record
        .text
        .chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect()
}

/// Valid values from the corpus generator: (label, value).
fn generated_values(seed: u64, n: usize) -> Vec<(Label, String)> {
    let mut out = Vec::new();
    for r in Corpus::new(seed, Mix::Dense).generate_labelled(n) {
        for s in &r.spans {
            let v = value_of(&r, s);
            let wanted = match s.label {
                // The 15-digit legacy form carries no check character; it is not asserted here.
                Label::ResidentId => v.len() == 18,
                Label::Phone | Label::Email | Label::BankCard => true,
                _ => false,
            };
            if wanted {
                out.push((s.label, v));
            }
        }
    }
    out
}

/// Checks the invariants every scan must hold.
fn check_findings(engine: &Engine, text: &str, origin: Position, findings: &[Finding]) {
    let mut prev_end = origin.byte;
    let mut chars = origin.char;
    let mut pos = 0;
    for f in findings {
        let (start, end) = (f.start - origin.byte, f.end - origin.byte);
        assert!(start < end && end <= text.len(), "{f:?} out of range");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{f:?}"
        );
        assert!(f.start >= prev_end, "{f:?} overlaps or is out of order");
        prev_end = f.end;
        chars += text[pos..start].chars().count();
        pos = start;
        assert_eq!(f.char_start, chars, "{f:?}");
        assert_eq!(f.char_end - f.char_start, text[start..end].chars().count());
        let _ = engine.evidence(f, &text[start..end]);
        let _ = engine.reasons(f);
    }
}

fn detector_id(f: &Finding) -> &str {
    &ENGINE.detector(f.detector).id
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_identifiers_are_found_by_the_right_detector(
        seed in any::<u64>(),
        fillers in prop::collection::vec(filler(), 8),
        joins in prop::collection::vec(prop::sample::select(JOINS), 16),
        keywords in prop::collection::vec(any::<bool>(), 8),
    ) {
        let values = generated_values(seed, 6);
        let mut text = String::new();
        let mut inserted: Vec<(Label, Range<usize>)> = Vec::new();
        for (i, (label, v)) in values.iter().enumerate() {
            text.push_str(&fillers[i % fillers.len()]);
            text.push_str(joins[(2 * i) % joins.len()]);
            if keywords[i % keywords.len()] {
                text.push_str(keyword_for(*label));
            }
            let start = text.len();
            text.push_str(v);
            inserted.push((*label, start..text.len()));
            text.push_str(joins[(2 * i + 1) % joins.len()]);
        }
        text.push_str(&fillers[values.len() % fillers.len()]);

        let findings = ENGINE.scan(&text);
        check_findings(&ENGINE, &text, Position::default(), &findings);
        for (label, r) in &inserted {
            let want = label.detector_id().expect("these labels have detectors");
            let hit = findings.iter().find(|f| f.start < r.end && r.start < f.end);
            let Some(f) = hit else {
                panic!("{} `{}` not found in {text:?}", label.name(), &text[r.clone()]);
            };
            prop_assert_eq!(detector_id(f), want, "{} in {:?}", &text[r.clone()], text);
            match label {
                // The value is reported exactly.
                Label::ResidentId | Label::Email | Label::BankCard => {
                    prop_assert_eq!(f.start..f.end, r.clone(), "{:?}", text);
                }
                // With or without its `+86`/`0086` prefix, but all of the number.
                _ => prop_assert!(r.start <= f.start && f.end == r.end, "{:?} {:?}", f, text),
            }
        }
    }

    #[test]
    fn any_text_scans_without_panicking_into_well_formed_findings(
        text in "\\PC{0,400}",
        a in any::<u16>(),
        b in any::<u16>(),
    ) {
        let findings = ENGINE.scan(&text);
        check_findings(&ENGINE, &text, Position::default(), &findings);

        let (a, b) = (usize::from(a) % (text.len() + 1), usize::from(b) % (text.len() + 1));
        let owned = a.min(b)..a.max(b);
        let origin = Position { byte: 10, char: 7, newlines: 1 };
        let window = TextWindow { text: &text, owned: owned.clone(), origin };
        let mut out = Vec::new();
        ENGINE.scan_window(&window, &mut Scratch::default(), &mut out);
        check_findings(&ENGINE, &text, origin, &out);
        for f in &out {
            prop_assert!(owned.contains(&(f.start - origin.byte)), "{:?} outside {:?}", f, owned);
        }
    }

    #[test]
    fn digit_heavy_text_scans_into_well_formed_findings(
        text in "[0-9０-９xX@.:\\-+ ，号卡手机身份证a-f]{0,300}",
    ) {
        let findings = ENGINE.scan(&text);
        check_findings(&ENGINE, &text, Position::default(), &findings);
    }
}

/// The confidence of a value of `detector` spanning exactly `value` in `text`, if reported.
fn reported_as(text: &str, value: &str, detector: &str) -> bool {
    let start = text.find(value).expect("value in text");
    ENGINE
        .scan(text)
        .iter()
        .any(|f| f.start == start && f.end == start + value.len() && detector_id(f) == detector)
}

#[test]
fn a_mobile_next_to_a_qq_mail_address_is_reported() {
    let text = "fangliu@qq.com，+86 135 5231 8677";
    assert!(reported_as(text, "+86 135 5231 8677", "cn_mobile"));
}

#[test]
fn a_resident_id_before_the_next_fields_card_keyword_stays_an_id() {
    // 620102194512299176 is a valid Gansu resident ID, and also Luhn-valid behind the UnionPay
    // prefix 62. `卡号` belongs to the neighbouring field, after or before it.
    let text = "客户620102194512299176，卡号6222021234567890128";
    assert!(reported_as(text, "620102194512299176", "cn_resident_id"));
    let text = "卡号6222021234567890128，客户620102194512299176";
    assert!(reported_as(text, "620102194512299176", "cn_resident_id"));
}
