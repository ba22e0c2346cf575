//! `shujian detectors` tests.

use crate::common::run;

fn json(args: &[&str]) -> Vec<serde_json::Value> {
    let out = run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

#[test]
fn lists_every_builtin_detector_with_its_flags() {
    let rows = json(&["detectors", "--format", "json"]);
    assert_eq!(rows.len(), 23);
    let id = rows
        .iter()
        .find(|r| r["id"] == "cn_resident_id")
        .expect("resident id");
    assert_eq!(id["name_zh"], "居民身份证号码");
    assert_eq!(id["category"], "identity_document");
    assert_eq!(id["sensitive"], true);
    assert_eq!(id["active"], true);
    let imei = rows.iter().find(|r| r["id"] == "imei").expect("imei");
    assert_eq!(imei["requires_context"], true);
}

#[test]
fn disabled_and_custom_detectors_show_up() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("staff.toml");
    std::fs::write(
        &rules,
        "[[detector]]\nid = \"staff_no\"\nname_zh = \"员工编号\"\npattern = 'E\\d{6}'\nkeywords = [\"工号\"]\n",
    )
    .unwrap();
    let path = rules.to_str().unwrap();
    let rows = json(&[
        "detectors",
        "--format",
        "json",
        "--detectors",
        path,
        "--disable",
        "imei",
    ]);
    let staff = rows
        .iter()
        .find(|r| r["id"] == "staff_no")
        .expect("custom detector");
    assert_eq!(staff["builtin"], false);
    assert_eq!(staff["name_zh"], "员工编号");
    let imei = rows.iter().find(|r| r["id"] == "imei").unwrap();
    assert_eq!(imei["active"], false);
}

#[test]
fn a_bad_rule_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("bad.toml");
    std::fs::write(&rules, "[[detector]]\nid = \"x\"\npattern = '('\n").unwrap();
    let out = run(&["detectors", "--detectors", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:3:"), "{err}");
    assert!(err.contains("not a valid regular expression"), "{err}");
}

#[test]
fn an_unknown_detector_id_is_an_error() {
    let out = run(&["detectors", "--only", "cn_nothing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown detector `cn_nothing`"));
}
