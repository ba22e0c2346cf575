//! `shujian scan` tests: inputs, encodings, formats, chunk edges, errors and exit codes.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{run, run_with_stdin};

/// A valid resident ID (MOD 11-2 check character X).
const ID: &str = "11010519491231002X";
/// Its masked evidence.
const ID_MASKED: &str = "110105********002X";
const MOBILE: &str = "13812345678";
const NOTE: &str = "客户身份证号11010519491231002X，手机13812345678。\n";

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs a scan with `--format json` and parses the document.
fn scan_json(args: &[&str]) -> (Value, Output) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (doc, out)
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings array")
}

fn detectors(doc: &Value) -> Vec<&str> {
    findings(doc)
        .iter()
        .map(|f| f["detector"].as_str().unwrap())
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn finds_masks_and_explains() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("note.txt");
    fs::write(&f, NOTE).unwrap();

    let out = run(&["scan", s(&f)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains(ID_MASKED), "{table}");
    assert!(table.contains("居民身份证号码"), "{table}");
    assert!(
        !table.contains(ID) && !table.contains(MOBILE),
        "raw value leaked:\n{table}"
    );

    let (doc, _) = scan_json(&[s(&f)]);
    let id = &findings(&doc)[0];
    assert_eq!(id["detector"], "cn_resident_id");
    assert_eq!(id["evidence"], ID_MASKED);
    assert_eq!(id["line"], 1);
    assert_eq!(
        (id["char_start"].as_u64(), id["char_end"].as_u64()),
        (Some(6), Some(24))
    );
    assert_eq!(
        (id["byte_start"].as_u64(), id["byte_end"].as_u64()),
        (Some(18), Some(36))
    );
    assert_eq!(id["sensitive"], true);
    assert_eq!(id["confidence"], "high");
    assert!(id.get("value").is_none(), "value without --show-values");
    let codes: Vec<&str> = id["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"checksum") && codes.contains(&"keyword"),
        "{codes:?}"
    );
    assert!(!stdout(&run(&["scan", "-f", "json", s(&f)])).contains(ID));
}

#[test]
fn show_values_adds_the_raw_value() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("note.txt");
    fs::write(&f, NOTE).unwrap();
    let (doc, _) = scan_json(&["--show-values", s(&f)]);
    assert_eq!(findings(&doc)[0]["value"], ID);
    assert_eq!(findings(&doc)[0]["evidence"], ID_MASKED);
    assert!(stdout(&run(&["scan", "--show-values", s(&f)])).contains(ID));
    let csv = stdout(&run(&["scan", "-f", "csv", "--show-values", s(&f)]));
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",evidence,table,column,label,non_empty,distinct_estimate,hits,grade,value"),
        "{csv}"
    );
    assert!(csv.contains(ID));
}

#[test]
fn every_format_parses_and_agrees() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("a.txt");
    fs::write(&f, NOTE.repeat(3)).unwrap();
    fs::write(t.path().join("b.bin"), b"abc\0def").unwrap();

    let (doc, _) = scan_json(&[s(t.path())]);
    let n = findings(&doc).len();
    assert_eq!(n, 6);
    assert_eq!(doc["summary"]["findings"], 6);
    assert_eq!(doc["summary"]["files_scanned"], 1);
    assert_eq!(doc["summary"]["files_skipped"], 1);
    assert_eq!(doc["files"][0]["findings"], 6);

    let nd = stdout(&run(&["scan", "-f", "ndjson", s(t.path())]));
    let lines: Vec<Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "finding").count(), n);
    assert_eq!(kinds.last(), Some(&"summary"));
    assert!(
        kinds.contains(&"file") && kinds.contains(&"skipped"),
        "{kinds:?}"
    );
    assert_eq!(lines[0]["evidence"], findings(&doc)[0]["evidence"]);

    let csv_out = run(&["scan", "-f", "csv", s(t.path())]);
    let mut rdr = csv::Reader::from_reader(csv_out.stdout.as_slice());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.first().map(String::as_str), Some("path"));
    assert!(header.contains(&"evidence".to_string()) && !header.contains(&"value".to_string()));
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n);
    let det = header.iter().position(|h| h == "detector").unwrap();
    assert_eq!(&rows[0][det], "cn_resident_id");

    let table = stdout(&run(&["scan", s(t.path())]));
    assert!(
        table.contains("汇总 Summary") && table.contains("cn_resident_id"),
        "{table}"
    );
    assert!(table.contains("b.bin: binary file (NUL byte)"), "{table}");
}

#[test]
fn exit_codes() {
    let t = tempfile::tempdir().unwrap();
    let clean = t.path().join("clean.txt");
    fs::write(&clean, "nothing to see here\n").unwrap();
    let dirty = t.path().join("dirty.txt");
    fs::write(&dirty, NOTE).unwrap();

    assert_eq!(code(&run(&["scan", s(&clean)])), 0);
    assert_eq!(code(&run(&["scan", s(&dirty)])), 1);
    let missing = t.path().join("missing.txt");
    let out = run(&["scan", s(&missing), s(&dirty)]);
    assert_eq!(code(&out), 3);
    assert!(
        stdout(&out).contains(ID_MASKED),
        "the readable file is still scanned"
    );
    assert!(
        stderr(&out).contains(&format!(
            "shujian: {}: no such file or directory",
            s(&missing)
        )),
        "{}",
        stderr(&out)
    );
    // Usage and configuration errors.
    assert_eq!(code(&run(&["scan"])), 2);
    assert_eq!(code(&run(&["scan", "--format", "xml", s(&dirty)])), 2);
    assert_eq!(code(&run(&["scan", "--encoding", "klingon", s(&dirty)])), 2);
    assert_eq!(
        code(&run(&["scan", "--only", "no_such_detector", s(&dirty)])),
        2
    );
    assert_eq!(code(&run(&["scan", "-", "-"])), 2);
    let out = run(&["scan", "--rules", s(&t.path().join("no-rules")), s(&dirty)]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no-rules"), "{}", stderr(&out));
    // The help documents them.
    let help = stdout(&run(&["scan", "--help"]));
    assert!(
        help.contains("Exit status") && help.contains("3  some inputs"),
        "{help}"
    );
}

#[test]
fn directories_honour_ignore_files_scan_hidden_files_and_skip_binaries() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    fs::create_dir_all(d.join("sub/deeper")).unwrap();
    fs::create_dir_all(d.join(".git")).unwrap();
    fs::write(d.join("sub/deeper/c.txt"), NOTE).unwrap();
    fs::write(d.join("a.txt"), NOTE).unwrap();
    fs::write(d.join(".env"), format!("OWNER_PHONE=手机{MOBILE}\n")).unwrap();
    fs::write(d.join(".git/config"), NOTE).unwrap();
    fs::write(d.join("ignored_by_git.txt"), NOTE).unwrap();
    fs::write(d.join("ignored_by_us.txt"), NOTE).unwrap();
    fs::write(d.join(".gitignore"), "ignored_by_git.txt\n").unwrap();
    fs::write(d.join(".shujianignore"), "ignored_by_us.txt\n").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(NOTE.as_bytes());
    fs::write(d.join("image.png"), png).unwrap();
    let mut nul = NOTE.as_bytes().to_vec();
    nul.push(0);
    fs::write(d.join("data.bin"), nul).unwrap();

    let paths = |doc: &Value| -> Vec<String> {
        let mut v: Vec<String> = findings(doc)
            .iter()
            .map(|f| {
                let p = f["path"].as_str().unwrap();
                Path::new(p)
                    .strip_prefix(d)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        v.dedup();
        v
    };
    let (doc, out) = scan_json(&[s(d)]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        paths(&doc),
        [".env", "a.txt", "sub/deeper/c.txt"],
        "sorted, ignored files left out"
    );
    let skipped: Vec<&str> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        ["binary file (NUL byte)", "binary file (PNG image)"]
    );

    let (doc, _) = scan_json(&["--no-ignore", s(d)]);
    let p = paths(&doc);
    assert!(
        p.contains(&"ignored_by_git.txt".to_string())
            && p.contains(&"ignored_by_us.txt".to_string()),
        "{p:?}"
    );
    assert!(
        !p.iter().any(|x| x.starts_with(".git/")),
        "never inside .git: {p:?}"
    );

    let (doc, _) = scan_json(&["--no-hidden", s(d)]);
    assert_eq!(paths(&doc), ["a.txt", "sub/deeper/c.txt"]);

    // A file named on the command line is scanned even if ignored.
    let (doc, _) = scan_json(&[s(&d.join("ignored_by_us.txt"))]);
    assert_eq!(findings(&doc).len(), 2);
}

#[test]
fn standard_input() {
    let out = run_with_stdin(&["scan", "-f", "ndjson", "-"], NOTE.as_bytes());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["path"], "<stdin>");
    assert_eq!(first["evidence"], ID_MASKED);
    // GBK on standard input is detected too.
    let gbk = encoding_rs::GBK.encode(&NOTE.repeat(4)).0.into_owned();
    let out = run_with_stdin(&["scan", "-f", "json", "-"], &gbk);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["files"][0]["encoding"], "gb18030");
    assert_eq!(findings(&doc).len(), 8);
}

#[test]
fn chinese_encodings_are_detected_and_offsets_are_in_characters() {
    let t = tempfile::tempdir().unwrap();
    let text = format!("第一行：客户回访记录，内容较长，用于检测编码。\n{NOTE}");
    let utf8 = t.path().join("utf8.txt");
    fs::write(&utf8, &text).unwrap();
    let (gbk, _, e1) = encoding_rs::GBK.encode(&text);
    // € and 𠀀 are only in GB18030 (four-byte sequences).
    let text18 = format!("{text}欧元€ 罕见字𠀀\n");
    let (gb18030, _, e2) = encoding_rs::GB18030.encode(&text18);
    assert!(!e1 && !e2);
    fs::write(t.path().join("gbk.txt"), &gbk).unwrap();
    fs::write(t.path().join("gb18030.txt"), &gb18030).unwrap();
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(t.path().join("utf16le.txt"), le).unwrap();
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    fs::write(t.path().join("utf16be.txt"), be).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    fs::write(t.path().join("utf8bom.txt"), bom).unwrap();

    let (doc, out) = scan_json(&[s(t.path())]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let encodings: Vec<(String, String)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap()).file_name().unwrap();
            (
                name.to_string_lossy().into_owned(),
                f["encoding"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        ("gb18030.txt", "gb18030"),
        ("gbk.txt", "gb18030"),
        ("utf16be.txt", "UTF-16BE"),
        ("utf16le.txt", "UTF-16LE"),
        ("utf8.txt", "UTF-8"),
        ("utf8bom.txt", "UTF-8"),
    ];
    let got: Vec<(&str, &str)> = encodings
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(got, expect);
    // The same characters and lines in every encoding.
    let ids: Vec<(u64, u64, u64)> = findings(&doc)
        .iter()
        .filter(|f| f["detector"] == "cn_resident_id")
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["char_start"].as_u64().unwrap(),
                f["char_end"].as_u64().unwrap(),
            )
        })
        .collect();
    let char_start = text
        .find(ID)
        .map(|b| text[..b].chars().count() as u64)
        .unwrap();
    assert_eq!(ids, vec![(2, char_start, char_start + 18); 6]);

    // --encoding overrides detection.
    let (doc, _) = scan_json(&["--encoding", "gbk", s(&t.path().join("gbk.txt"))]);
    assert_eq!(doc["files"][0]["encoding"], "GBK");
    assert_eq!(doc["files"][0]["encoding_origin"], "override");
}

#[test]
fn malformed_sequences_are_replaced_with_a_warning() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("mixed.txt");
    let mut bytes = encoding_rs::GBK.encode(&NOTE.repeat(3)).0.into_owned();
    bytes.extend(b"bad \x81\x20 end\n");
    fs::write(&f, &bytes).unwrap();
    let (doc, out) = scan_json(&[s(&f)]);
    assert_eq!(code(&out), 1, "a warning is not a failure");
    assert_eq!(doc["files"][0]["replaced"], 1);
    assert!(
        stderr(&out).contains("warning:") && stderr(&out).contains("replaced with U+FFFD"),
        "{}",
        stderr(&out)
    );
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 1);
    let quiet = run(&["scan", "-q", s(&f)]);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}

#[test]
fn gzip_is_read_and_broken_inputs_are_reported_while_the_rest_is_scanned() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let good = gzip(NOTE.repeat(50).as_bytes());
    fs::write(d.join("a_good.log.gz"), &good).unwrap();
    let big = gzip(NOTE.repeat(5000).as_bytes());
    let cut = &big[..big.len() / 2];
    fs::write(d.join("b_truncated.log.gz"), cut).unwrap();
    // The gzip magic, then compression method 7 (only 8, deflate, exists).
    let mut bad = vec![0x1F, 0x8B, 0x07, 0x00];
    bad.extend([0u8; 28]);
    fs::write(d.join("c_bad_header.gz"), bad).unwrap();
    fs::write(d.join("d_plain.txt"), NOTE).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("e_dangling.txt")).unwrap();

    let truncated = d.join("b_truncated.log.gz");
    let dangling = d.join("e_dangling.txt");
    let (doc, out) = scan_json(&[s(d), s(&dangling)]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "shujian: {}: not valid gzip (truncated at byte {})",
            s(&truncated),
            cut.len()
        )),
        "{err}"
    );
    assert!(
        err.contains("c_bad_header.gz: not valid gzip (invalid gzip header"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: no such file or directory", s(&dangling))),
        "{err}"
    );
    let errors: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors.contains(&s(&truncated)));
    assert_eq!(doc["summary"]["files_failed"], 3);
    let per_file = |name: &str| {
        findings(&doc)
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(name))
            .count()
    };
    assert_eq!(per_file("a_good.log.gz"), 100);
    assert_eq!(
        per_file("d_plain.txt"),
        2,
        "files after the broken ones are still scanned"
    );
    assert!(
        per_file("b_truncated.log.gz") > 0,
        "what was readable is reported"
    );
    let gz = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("a_good.log.gz"))
        .unwrap();
    assert_eq!(gz["gzip"], true);

    let nd = stdout(&run(&["scan", "-f", "ndjson", s(&truncated)]));
    let last_error = nd
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["type"] == "error")
        .expect("an error line");
    assert_eq!(last_error["path"], s(&truncated));
    assert!(
        last_error["message"]
            .as_str()
            .unwrap()
            .starts_with("not valid gzip")
    );
}

#[test]
fn a_directory_named_like_a_file_is_walked_not_read() {
    let t = tempfile::tempdir().unwrap();
    let odd = t.path().join("looks_like.txt");
    fs::create_dir(&odd).unwrap();
    fs::write(odd.join("inner.txt"), NOTE).unwrap();
    let (doc, out) = scan_json(&[s(&odd)]);
    assert_eq!(code(&out), 1);
    assert_eq!(findings(&doc).len(), 2);
}

/// A value crossing a window edge is found exactly once, with document offsets, at any
/// window size.
#[test]
fn values_crossing_window_edges_are_found_once() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("long.txt");
    let mut text = String::new();
    let mut expect = Vec::new();
    for i in 0..30 {
        // Lines of varying length so IDs fall across edges at every chunk size.
        text.push_str(&"填充文字".repeat(i % 7));
        text.push_str(&"x".repeat(i % 5));
        text.push_str("身份证号");
        let b = text.len();
        let c = text.chars().count();
        let line = text.matches('\n').count() + 1;
        expect.push((b, c, line));
        text.push_str(ID);
        text.push('\n');
    }
    fs::write(&f, &text).unwrap();
    for chunk in ["7", "16", "33", "64", "1000"] {
        let (doc, out) = scan_json(&[
            "--only",
            "cn_resident_id",
            "--chunk-size",
            chunk,
            "-j",
            "2",
            s(&f),
        ]);
        assert_eq!(code(&out), 1);
        let got: Vec<(usize, usize, usize)> = findings(&doc)
            .iter()
            .map(|f| {
                assert_eq!(
                    f["byte_end"].as_u64().unwrap() - f["byte_start"].as_u64().unwrap(),
                    18
                );
                assert_eq!(
                    f["char_end"].as_u64().unwrap() - f["char_start"].as_u64().unwrap(),
                    18
                );
                (
                    f["byte_start"].as_u64().unwrap() as usize,
                    f["char_start"].as_u64().unwrap() as usize,
                    f["line"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(got, expect, "chunk size {chunk}");
    }
}

#[test]
fn custom_detectors_and_their_errors() {
    let t = tempfile::tempdir().unwrap();
    let rules = t.path().join("employee.toml");
    fs::write(
        &rules,
        "[[detector]]\nid = \"employee_no\"\nname_zh = \"员工编号\"\npattern = 'EMP\\d{6}'\nkeywords = [\"工号\"]\ncategory = \"education_work\"\n",
    )
    .unwrap();
    let f = t.path().join("hr.txt");
    fs::write(&f, "员工工号EMP123456，入职。\n").unwrap();
    let (doc, out) = scan_json(&["--detectors", s(&rules), s(&f)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(detectors(&doc), ["employee_no"]);
    assert_eq!(findings(&doc)[0]["name_zh"], "员工编号");

    let bad = t.path().join("bad.toml");
    fs::write(&bad, "[[detector]]\nid = \"x\"\npattern = '('\n").unwrap();
    let out = run(&["scan", "--detectors", s(&bad), s(&f)]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(&format!("{}:3", s(&bad))),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "nothing scanned with bad rules");
}

#[test]
fn no_progress_bar_when_piped_and_output_order_is_stable() {
    let t = tempfile::tempdir().unwrap();
    for i in 0..20 {
        fs::write(t.path().join(format!("f{i:02}.txt")), NOTE.repeat(i + 1)).unwrap();
    }
    let a = run(&[
        "scan",
        "-f",
        "ndjson",
        "-j",
        "2",
        "--chunk-size",
        "50",
        s(t.path()),
    ]);
    assert!(a.stderr.is_empty(), "stderr when piped: {}", stderr(&a));
    let b = run(&["scan", "-f", "ndjson", "-j", "1", s(t.path())]);
    assert_eq!(
        stdout(&a),
        stdout(&b),
        "same output whatever the threads and windows"
    );
    let first_paths: Vec<String> = stdout(&a)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "file")
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = first_paths.clone();
    sorted.sort();
    assert_eq!(first_paths, sorted);
    assert_eq!(first_paths.len(), 20);
}
