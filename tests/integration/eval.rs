//! `shujian eval` tests.
//!
//! Gold files are written here from values of the project's own examples (the resident ID of
//! the `shujian-detect` docs, made-up phone numbers and names), never copied from the shared
//! evaluation sets; one test runs over the real faker-zh dev set when `../shared` is present.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{run, shared_eval};

/// A gold span located by its text (first occurrence), in code points, end exclusive.
fn span(text: &str, value: &str, label: &str) -> Value {
    let byte = text.find(value).expect("value in text");
    let start = text[..byte].chars().count();
    json!({"start": start, "end": start + value.chars().count(), "label": label})
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// Runs `eval spans --format json` and returns the parsed report.
fn eval_json(gold: &Path, extra: &[&str]) -> Value {
    let gold = gold.to_str().unwrap();
    let mut args = vec!["eval", "spans", "--gold", gold, "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "status {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn label<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == name)
        .unwrap_or_else(|| panic!("label {name} in {report}"))
}

fn counts(score: &Value) -> (u64, u64, u64) {
    (
        score["tp"].as_u64().unwrap(),
        score["fp"].as_u64().unwrap(),
        score["fn"].as_u64().unwrap(),
    )
}

fn close(x: &Value, want: f64) -> bool {
    (x.as_f64().unwrap() - want).abs() < 1e-9
}

const ONLY_IDS: &str = "--only=cn_mobile,cn_resident_id,email";

/// Five records: two right, one missed (Han digits), one spurious, one with a wrong boundary
/// in the gold span; and a company name, which no detector finds.
fn faker_style(dir: &Path) -> PathBuf {
    let records = [
        (
            "客户身份证号11010519491231002X，手机13812345678。",
            vec![
                ("11010519491231002X", "CN_RESIDENT_ID"),
                ("13812345678", "PHONE"),
            ],
        ),
        (
            "联系邮箱 zhang@example.com，公司 甲乙丙有限公司",
            vec![
                ("zhang@example.com", "EMAIL"),
                ("甲乙丙有限公司", "COMPANY"),
            ],
        ),
        ("备用号码13912345678", vec![]),
        (
            "电话一三八一二三四五六七八",
            vec![("一三八一二三四五六七八", "PHONE")],
        ),
        ("手机13812345678号", vec![("13812345678号", "PHONE")]),
    ];
    let lines: Vec<String> = records
        .iter()
        .map(|(text, spans)| {
            let spans: Vec<Value> = spans.iter().map(|(v, l)| span(text, v, l)).collect();
            json!({"text": text, "spans": spans}).to_string()
        })
        .collect();
    write(dir, "gold.jsonl", &(lines.join("\n") + "\n"))
}

#[test]
fn spans_scores_exact_and_overlap_per_label() {
    let dir = tempfile::tempdir().unwrap();
    let gold = faker_style(dir.path());
    let r = eval_json(&gold, &[ONLY_IDS]);

    assert_eq!(r["gold"]["format"], "jsonl");
    assert_eq!(r["gold"]["records"], 5);
    assert_eq!(r["gold"]["spans"], 6);
    assert_eq!(r["min_confidence"], "medium");
    let names: Vec<&str> = r["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    // Labels with a detector first, alphabetical; then those without.
    assert_eq!(names, ["CN_RESIDENT_ID", "EMAIL", "PHONE", "COMPANY"]);

    let phone = label(&r, "PHONE");
    assert_eq!(phone["detectors"], json!(["cn_mobile"]));
    assert_eq!(
        (phone["gold"].as_u64(), phone["predicted"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(counts(&phone["exact"]), (1, 2, 2));
    assert_eq!(counts(&phone["overlap"]), (2, 1, 1));
    assert!(close(&phone["exact"]["precision"], 1.0 / 3.0));
    assert!(close(&phone["overlap"]["f1"], 2.0 / 3.0));
    for id in ["CN_RESIDENT_ID", "EMAIL"] {
        assert_eq!(counts(&label(&r, id)["exact"]), (1, 0, 0), "{id}");
        assert!(close(&label(&r, id)["exact"]["f1"], 1.0));
    }
    let company = label(&r, "COMPANY");
    assert_eq!(company["detectors"], json!([]));
    assert_eq!(counts(&company["exact"]), (0, 0, 1));
    assert!(close(&company["exact"]["recall"], 0.0));

    assert_eq!(counts(&r["micro"]["exact"]), (3, 2, 2));
    assert!(close(&r["micro"]["exact"]["f1"], 0.6));
    assert_eq!(counts(&r["micro"]["overlap"]), (4, 1, 1));
    assert!(close(&r["micro"]["overlap"]["f1"], 0.8));
    assert_eq!(counts(&r["micro_all"]["exact"]), (3, 2, 3));
    assert!(r["timing"]["seconds"].as_f64().unwrap() >= 0.0);
    assert!(r.get("errors").is_none());
}

#[test]
fn spans_ignores_findings_whose_label_is_not_in_the_gold_set() {
    let dir = tempfile::tempdir().unwrap();
    let text = "手机13812345678，邮箱 li@example.com";
    let line = json!({"text": text, "spans": [span(text, "13812345678", "PHONE")]});
    let gold = write(dir.path(), "g.jsonl", &line.to_string());
    let r = eval_json(&gold, &[ONLY_IDS]);
    assert_eq!(r["labels"].as_array().unwrap().len(), 1);
    assert_eq!(counts(&label(&r, "PHONE")["exact"]), (1, 0, 0));
    assert_eq!(r["not_counted"], json!({"email": 1}));
    // Scoring EMAIL explicitly makes the same finding a false positive.
    let r = eval_json(&gold, &[ONLY_IDS, "--labels", "PHONE,EMAIL"]);
    assert_eq!(counts(&label(&r, "EMAIL")["exact"]), (0, 1, 0));
    assert_eq!(r["not_counted"], json!({}));
    // So does mapping the e-mail detector onto PHONE; `-` drops a detector.
    let r = eval_json(&gold, &[ONLY_IDS, "--map", "email=PHONE"]);
    assert_eq!(counts(&label(&r, "PHONE")["exact"]), (1, 1, 0));
    let r = eval_json(&gold, &[ONLY_IDS, "--map", "cn_mobile=-"]);
    assert_eq!(counts(&label(&r, "PHONE")["exact"]), (0, 0, 1));
    assert_eq!(label(&r, "PHONE")["detectors"], json!([]));
}

#[test]
fn spans_reads_cluener_with_inclusive_ends() {
    let dir = tempfile::tempdir().unwrap();
    let line = r#"{"text": "请拨打13812345678联系叶老桂", "label": {"mobile": {"13812345678": [[3, 13]]}, "name": {"叶老桂": [[16, 18]]}}}"#;
    let gold = write(dir.path(), "clue.json", line);
    let r = eval_json(&gold, &["--only=cn_mobile", "--gold-map", "mobile=PHONE"]);
    assert_eq!(r["gold"]["format"], "cluener");
    assert_eq!(counts(&label(&r, "PHONE")["exact"]), (1, 0, 0));
    let person = label(&r, "PERSON");
    assert_eq!(
        (person["gold"].as_u64(), person["detectors"].clone()),
        (Some(1), json!([]))
    );
    let r = eval_json(
        &gold,
        &[
            "--only=cn_mobile",
            "--gold-map",
            "mobile=PHONE",
            "--labels",
            "PHONE",
        ],
    );
    assert_eq!(r["gold"]["ignored"], json!({"name": 1}));
}

/// One `CHAR TAG` line per character of `text`, tagging `value` as `tag`.
fn tagged(text: &str, entities: &[(&str, &str)], sep: &str, seg: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut tags = vec!["O".to_string(); chars.len()];
    for (value, tag) in entities {
        let start = text[..text.find(value).unwrap()].chars().count();
        for i in 0..value.chars().count() {
            tags[start + i] = format!("{}-{tag}", if i == 0 { "B" } else { "I" });
        }
    }
    chars
        .iter()
        .zip(tags)
        .enumerate()
        .map(|(i, (c, t))| {
            let seg = if seg {
                (i % 2).to_string()
            } else {
                String::new()
            };
            format!("{c}{seg}{sep}{t}\n")
        })
        .collect()
}

#[test]
fn spans_reads_weibo_conll() {
    let dir = tempfile::tempdir().unwrap();
    let content = tagged(
        "王老师电话13812345678",
        &[
            ("王", "PER.NAM"),
            ("老师", "PER.NOM"),
            ("13812345678", "TEL.NAM"),
        ],
        "\t",
        true,
    ) + "\n"
        + &tagged("他在北京", &[("北京", "GPE.NAM")], "\t", true);
    let gold = write(dir.path(), "weibo.conll", &content);
    let r = eval_json(&gold, &["--only=cn_mobile", "--gold-map", "TEL.NAM=PHONE"]);
    assert_eq!(r["gold"]["format"], "conll");
    assert_eq!(r["gold"]["records"], 2);
    assert_eq!(counts(&label(&r, "PHONE")["exact"]), (1, 0, 0));
    assert_eq!(counts(&label(&r, "PERSON")["exact"]), (0, 0, 1));
    assert_eq!(counts(&label(&r, "PLACE")["exact"]), (0, 0, 1));
    // Nominal mentions are not names.
    assert_eq!(r["gold"]["ignored"], json!({"PER.NOM": 1}));
}

#[test]
fn spans_reads_peoples_daily_bio() {
    let dir = tempfile::tempdir().unwrap();
    let content = tagged(
        "张三的手机是13812345678",
        &[("张三", "PER"), ("13812345678", "TEL")],
        " ",
        false,
    ) + "\n"
        + &tagged("人民大会堂", &[("人民大会堂", "LOC")], " ", false);
    let gold = write(dir.path(), "pd.bio", &content);
    let r = eval_json(&gold, &["--only=cn_mobile", "--gold-map", "TEL=PHONE"]);
    assert_eq!(r["gold"]["format"], "bio");
    assert_eq!(counts(&label(&r, "PHONE")["exact"]), (1, 0, 0));
    assert_eq!(label(&r, "PERSON")["gold"], 1);
    assert_eq!(label(&r, "PLACE")["gold"], 1);
    // The format can be forced; read as CoNLL the digits would be taken for segmentation.
    let r = eval_json(
        &gold,
        &[
            "--only=cn_mobile",
            "--gold-format",
            "bio",
            "--gold-map",
            "TEL=PHONE",
        ],
    );
    assert_eq!(r["gold"]["format"], "bio");
}

#[test]
fn spans_shows_errors_masked_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let gold = faker_style(dir.path());
    let r = eval_json(&gold, &[ONLY_IDS, "--show-errors", "5"]);
    let errors = &r["errors"]["PHONE"];
    let fp = &errors["false_positives"][0];
    assert_eq!(fp["line"], 3);
    assert_eq!(fp["detector"], "cn_mobile");
    assert_eq!(fp["value"], "139****5678");
    assert_eq!(fp["context"], "备用号码⟦1**********⟧");
    assert_eq!(errors["false_negatives"][0]["line"], 4);
    assert_eq!(errors["boundary"][0]["gold"]["start"], 2);
    let raw = eval_json(&gold, &[ONLY_IDS, "--show-errors", "5", "--show-values"]);
    assert_eq!(
        raw["errors"]["PHONE"]["false_positives"][0]["value"],
        "13912345678"
    );

    let out = run(&[
        "eval",
        "spans",
        "--gold",
        gold.to_str().unwrap(),
        ONLY_IDS,
        "--show-errors",
        "1",
    ]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("139****5678"), "{table}");
    assert!(!table.contains("13912345678"), "{table}");
    assert!(table.contains("(no detector)"), "{table}");
}

#[test]
fn spans_markdown_and_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let gold = faker_style(dir.path());
    let g = gold.to_str().unwrap();
    let out = run(&[
        "eval", "spans", "--gold", g, ONLY_IDS, "--format", "markdown",
    ]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains(
            "| PHONE | `cn_mobile` | 3 | 3 | 0.3333 | 0.3333 | 0.3333 | 0.6667 | 0.6667 | 0.6667 |"
        ),
        "{md}"
    );
    assert!(md.contains("| COMPANY | *no detector* | 1 |"), "{md}");
    let out = run(&[
        "eval", "spans", "--gold", g, ONLY_IDS, "--sweep", "--format", "json",
    ]);
    assert!(out.status.success());
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["min_confidence"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["low", "medium", "high"]);
}

#[test]
fn spans_exit_status_reflects_targets() {
    let dir = tempfile::tempdir().unwrap();
    let gold = faker_style(dir.path());
    let g = gold.to_str().unwrap();
    let met = run(&[
        "eval",
        "spans",
        "--gold",
        g,
        ONLY_IDS,
        "--require",
        "EMAIL=0.99",
    ]);
    assert_eq!(met.status.code(), Some(0));
    let missed = run(&[
        "eval",
        "spans",
        "--gold",
        g,
        ONLY_IDS,
        "--require",
        "PHONE=0.5",
    ]);
    assert_eq!(missed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missed.stderr).contains("target missed: PHONE"));
    let unknown = run(&[
        "eval",
        "spans",
        "--gold",
        g,
        ONLY_IDS,
        "--require",
        "IMEI=0.5",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn spans_rejects_malformed_gold_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "bad.jsonl",
            "{\"text\": \"ab\", \"spans\": []}\n{\"text\": \"ab\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"X\"}]}\n",
            ":2: span 0",
        ),
        (
            "bad.json",
            "{\"text\": \"叶老桂\", \"label\": {\"name\": {\"叶老桂\": [[0, 3]]}}}\n",
            ":1: `name` span",
        ),
        (
            "bad.bio",
            "张 B-PER\n三 I-PER\n\n的 Q-X\n",
            ":4: unknown tag",
        ),
        ("bad.txt", "张\n", ":1: expected a character and a tag"),
    ];
    for (name, content, want) in cases {
        let p = write(dir.path(), name, content);
        let out = run(&["eval", "spans", "--gold", p.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}{want}")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let p = dir.path().join("binary.bin");
    std::fs::write(&p, [0xffu8, 0xfe, 0x00, 0x12]).unwrap();
    let out = run(&["eval", "spans", "--gold", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    let out = run(&["eval", "spans", "--gold", "/nonexistent/gold.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn spans_on_the_faker_dev_set_reports_every_label() {
    let Some(shared) = shared_eval() else { return };
    let gold = shared.join("text/faker-zh/dev.jsonl");
    let r = eval_json(&gold, &[]);
    assert_eq!(r["gold"]["records"], 10_000);
    let mut names: Vec<&str> = r["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "ADDRESS",
            "BANK_CARD",
            "CN_RESIDENT_ID",
            "COMPANY",
            "EMAIL",
            "IPV4",
            "PERSON",
            "PHONE"
        ]
    );
    for l in r["labels"].as_array().unwrap() {
        assert!(l["gold"].as_u64().unwrap() > 0, "{l}");
        let has_detector = !l["detectors"].as_array().unwrap().is_empty();
        assert_eq!(has_detector, l["label"] != "COMPANY", "{l}");
    }
}
