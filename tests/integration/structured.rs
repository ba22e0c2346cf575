//! `shujian scan` on structured files: the project's fixture generator (`shujian dev
//! fixtures`) writes CSV (UTF-8, GBK, TSV, titled, headerless, pinyin headers), XLSX, JSON,
//! NDJSON, Parquet, DOCX, PDF, archives, broken copies of each and zip bombs, with a manifest
//! of the expected label of every column; these tests scan them and compare.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::run;

/// Writes the fixtures (seeded: the same files every run) and returns the manifest.
fn fixtures(dir: &Path) -> Value {
    let out = run(&[
        "dev",
        "fixtures",
        "--out",
        dir.to_str().unwrap(),
        "--rows",
        "80",
        "--seed",
        "7",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = dir.join("manifest.json");
    let m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    // The manifest is ground truth, not an input.
    std::fs::remove_file(manifest).unwrap();
    m
}

/// Every NDJSON record of a scan, and its exit code.
fn scan_ndjson(args: &[&str]) -> (Vec<Value>, i32) {
    let mut all = vec!["scan", "-q", "-f", "ndjson"];
    all.extend_from_slice(args);
    let out = run(&all);
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, out.status.code().unwrap_or(-1))
}

fn of_type<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == kind).collect()
}

/// The name `scan` gives a manifest column: its header, its JSON path, or `column N`.
fn column_name(c: &Value) -> String {
    if let Some(p) = c["path"].as_str() {
        return p.to_string();
    }
    if let Some(h) = c["header"].as_str() {
        return h.to_string();
    }
    format!("column {}", c["index"].as_u64().unwrap() + 1)
}

/// (input path, column name, table if the input has several) → expected label, for every
/// column of every input that must scan cleanly, archive members included.
fn expected(
    root: &str,
    files: &[Value],
    out: &mut BTreeMap<(String, String, Option<String>), (String, bool)>,
) {
    for f in files {
        let path = format!("{root}{}", f["path"].as_str().unwrap());
        if f["expect"]["outcome"] != "scan" {
            continue;
        }
        let tables = f["tables"].as_array().unwrap();
        for t in tables {
            let table = (tables.len() > 1).then(|| t["name"].as_str().unwrap().to_string());
            for c in t["columns"].as_array().unwrap() {
                let label = c["label"].as_str().unwrap().to_string();
                let doubtful = c["doubtful"].as_bool().unwrap_or(false);
                out.insert(
                    (path.clone(), column_name(c), table.clone()),
                    (label, doubtful),
                );
            }
        }
        expected(&format!("{path}!/"), f["members"].as_array().unwrap(), out);
    }
}

#[test]
fn every_fixture_column_gets_its_expected_label() {
    let t = tempfile::tempdir().unwrap();
    let manifest = fixtures(t.path());
    let root = format!("{}/", t.path().display());
    let mut want = BTreeMap::new();
    expected(&root, manifest["files"].as_array().unwrap(), &mut want);
    assert!(
        want.len() > 100,
        "the manifest lists {} columns",
        want.len()
    );

    let (records, _) = scan_ndjson(&[t.path().to_str().unwrap()]);
    let columns = of_type(&records, "column");
    // How many tables each input reported, to know when the table name must match.
    let mut got = BTreeMap::new();
    for c in &columns {
        let path = c["path"].as_str().unwrap().to_string();
        let column = c["column"].as_str().unwrap().to_string();
        let table = c["table"].as_str().unwrap().to_string();
        got.insert((path.clone(), column.clone(), Some(table)), c);
        got.entry((path, column, None)).or_insert(c);
    }
    let mut wrong = Vec::new();
    let mut missing = Vec::new();
    for (key, (label, doubtful)) in &want {
        match got.get(key) {
            None => missing.push(format!("{key:?}")),
            Some(c) if c["label"] != label.as_str() && !doubtful => wrong.push(format!(
                "{} [{}] {}: expected {label}, got {} ({})",
                key.0.strip_prefix(&root).unwrap_or(&key.0),
                c["table"].as_str().unwrap_or_default(),
                key.1,
                c["label"],
                c["reasons"]
                    .as_array()
                    .map(|r| r
                        .iter()
                        .map(|r| r["code"].as_str().unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            )),
            Some(_) => {}
        }
    }
    assert!(
        missing.is_empty(),
        "columns not reported:\n{}",
        missing.join("\n")
    );
    assert!(
        wrong.is_empty(),
        "{} of {} columns mislabelled:\n{}",
        wrong.len(),
        want.len(),
        wrong.join("\n")
    );
    // Masked examples only: no resident ID of the fixtures appears whole in the output.
    for c in &columns {
        if c["label"] == "CN_RESIDENT_ID" {
            for e in c["examples"].as_array().unwrap() {
                assert!(e.as_str().unwrap().contains('*'), "unmasked example {e}");
            }
        }
    }
}

#[test]
fn broken_files_are_reported_by_name_and_the_scan_goes_on() {
    let t = tempfile::tempdir().unwrap();
    let manifest = fixtures(t.path());
    let root = format!("{}/", t.path().display());
    let (records, code) = scan_ndjson(&[t.path().to_str().unwrap()]);
    assert_eq!(code, 3, "some inputs could not be read: exit status 3");
    let errors: Vec<String> = of_type(&records, "error")
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    for f in manifest["files"].as_array().unwrap() {
        let path = format!("{root}{}", f["path"].as_str().unwrap());
        let failed = errors
            .iter()
            .any(|e| e == &path || e.starts_with(&format!("{path}!/")));
        let outcome = f["expect"]["outcome"].as_str().unwrap();
        let is_bomb = f["expect"]["error"] == "limit_exceeded";
        match outcome {
            "fail" if is_bomb => {
                // A bomb is defused either by a limit (an error) or by not inflating its
                // binary member at all; either way nothing of it is scanned.
                let file = of_type(&records, "file")
                    .into_iter()
                    .find(|r| r["path"] == path.as_str());
                assert!(
                    failed || file.is_some_and(|r| r["bytes"] == 0),
                    "{path}: a zip bomb was inflated"
                );
            }
            "fail" => assert!(
                failed,
                "{path} must be reported as failed; errors: {errors:#?}"
            ),
            "scan" => assert!(!failed, "{path} must scan cleanly"),
            _ => {}
        }
    }
    // Every error names what was wrong.
    for e in of_type(&records, "error") {
        let m = e["message"].as_str().unwrap();
        assert!(m.len() > 10, "{e}");
    }
    // The clean inputs were still scanned in the same run.
    assert!(of_type(&records, "column").len() > 100);
}

#[test]
fn xlsx_and_csv_outputs_carry_the_columns() {
    use std::io::Read;
    let t = tempfile::tempdir().unwrap();
    fixtures(t.path());
    let csv_in = t.path().join("csv/employees.csv");
    let book = t.path().join("report.xlsx");
    let out = run(&[
        "scan",
        "-q",
        "-f",
        "xlsx",
        "-o",
        book.to_str().unwrap(),
        csv_in.to_str().unwrap(),
        t.path().join("docx/contract.docx").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = part("xl/workbook.xml");
    for sheet in ["汇总", "资产", "字段", "发现", "问题"] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{workbook}"
        );
    }
    let strings = part("xl/sharedStrings.xml");
    for s in [
        "标签",
        "身份证号",
        "居民身份证号码",
        "CN_RESIDENT_ID",
        "示例（已脱敏）",
        "资产分级",
        "一般数据4级",
    ] {
        assert!(strings.contains(s), "{s} missing");
    }

    let out = run(&["scan", "-q", "-f", "csv", csv_in.to_str().unwrap()]);
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let header = r.headers().unwrap().clone();
    let label = header.iter().position(|h| h == "label").unwrap();
    let column = header.iter().position(|h| h == "column").unwrap();
    let grade = header.iter().position(|h| h == "grade").unwrap();
    let sensitive = header.iter().position(|h| h == "sensitive").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|row| row.len() == header.len()));
    assert!(
        rows.iter().any(|row| &row[column] == "身份证号"
            && &row[label] == "CN_RESIDENT_ID"
            && row[grade].starts_with("general-")
            && &row[sensitive] == "true"),
        "{rows:?}"
    );
}

#[test]
fn xlsx_to_a_terminal_needs_an_output_file() {
    // Standard output here is a pipe, so the workbook is written to it.
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("a.csv");
    std::fs::write(&f, "姓名,手机号码\n张三,13812345678\n").unwrap();
    let out = run(&["scan", "-q", "-f", "xlsx", f.to_str().unwrap()]);
    assert_eq!(&out.stdout[..2], b"PK");
}

#[test]
fn rules_directory_replaces_classification_rules_and_templates_with_clear_errors() {
    let t = tempfile::tempdir().unwrap();
    let csv = t.path().join("a.csv");
    std::fs::write(
        &csv,
        "姓名,身份证号\n张三,11010519491231002X\n李四,440524188001010014\n",
    )
    .unwrap();
    let rules = t.path().join("rules");
    std::fs::create_dir_all(rules.join("classify")).unwrap();
    std::fs::write(
        rules.join("classify/signals.toml"),
        "[weights]\nthreshold = \"high\"\n",
    )
    .unwrap();
    let out = run(&[
        "scan",
        "-q",
        "--rules",
        rules.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("signals.toml:2"),
        "the error names file and line: {err}"
    );

    // Templates only (no detectors or classify directory): a broken template names its line.
    std::fs::remove_dir_all(rules.join("classify")).unwrap();
    std::fs::create_dir_all(rules.join("templates")).unwrap();
    std::fs::write(
        rules.join("templates/mine.toml"),
        "id = \"mine\"\n[[rule]\n",
    )
    .unwrap();
    let out = run(&[
        "scan",
        "-q",
        "--rules",
        rules.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("mine.toml:2"), "{err}");

    // An unknown template is refused with the known ones listed.
    std::fs::remove_dir_all(rules.join("templates")).unwrap();
    let out = run(&["scan", "-q", "--template", "nope", csv.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("gbt43697") && err.contains("ydt3813"), "{err}");
}
