//! Tests of loading template files: user replacements and errors naming file and line.

use proptest::prelude::*;
use shujian_detect::RuleFile;

use super::{ColumnFacts, TemplateSet, builtin};
use crate::grading::Grade;
use crate::label::Label;

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

fn g(n: u8) -> Grade {
    Grade::general(n).unwrap()
}

#[test]
fn a_user_file_replaces_the_builtin_template() {
    let text = r#"
id = "gbt43697"
title_zh = "自定义"
title_en = "custom"
source = "internal policy"
spec = "spec §2"

[[rule]]
id = "all"
labels = ["ANY"]
category = "内部/全部"
grade = 1
pi = false
spi = false
cite = "spec §2.3"
"#;
    let s =
        TemplateSet::load(&[RuleFile::new("/etc/shujian/templates/gbt43697.toml", text)]).unwrap();
    assert_eq!(s.get("gbt43697").unwrap().title_en, "custom");
    let c = s
        .classify("gbt43697", &facts("u", "", "sfzh", Label::CnResidentId))
        .unwrap()
        .unwrap();
    assert_eq!(c.category, "内部/全部");
    // The sector templates now stand on the replaced baseline.
    let y = s
        .classify("ydt3813", &facts("u", "", "sfzh", Label::CnResidentId))
        .unwrap()
        .unwrap();
    assert_eq!(y.baseline_category.as_deref(), Some("内部/全部"));
}

fn load_err(name: &str, text: &str) -> shujian_detect::RuleError {
    TemplateSet::load(&[RuleFile::new(name, text)]).unwrap_err()
}

const HEAD: &str =
    "id = \"mine\"\ntitle_zh = \"我的\"\ntitle_en = \"mine\"\nsource = \"s\"\nspec = \"spec §2\"\n";

#[test]
fn malformed_template_files_name_the_file_and_line() {
    let rule = "\n[[rule]]\nid = \"r\"\nlabels = [\"PHONE\"]\ncategory = \"个人信息/电话\"\ngrade = 3\npi = true\nspi = false\ncite = \"spec §9.3\"\n";
    // Valid as written.
    assert!(
        TemplateSet::load(&[RuleFile::new(
            "dir/templates/mine.toml",
            format!("{HEAD}{rule}")
        )])
        .is_ok()
    );

    let cases: [(&str, String, usize, &str); 9] = [
        // TOML syntax error on line 7.
        ("syntax", format!("{HEAD}\n[[rule]\n"), 7, ""),
        (
            "label",
            format!("{HEAD}{}", rule.replace("PHONE", "TELEPHONE")),
            9,
            "unknown label",
        ),
        (
            "grade",
            format!("{HEAD}{}", rule.replace("grade = 3", "grade = 5")),
            11,
            "sub-grade 1 to 4",
        ),
        ("field", format!("{HEAD}{rule}colour = 1\n"), 15, "colour"),
        (
            "context",
            format!(
                "{HEAD}{}",
                rule.replace("grade = 3", "table_context = [\"cdr\"]\ngrade = 3")
            ),
            11,
            "unknown table context",
        ),
        (
            "spi",
            format!("{HEAD}{}", rule.replace("spi = false", "spi = true")),
            13,
            "spi_basis",
        ),
        (
            "missing",
            format!("{HEAD}{}", rule.replace("pi = true\n", "")),
            8,
            "needs `pi`",
        ),
        (
            "candidate",
            format!("{HEAD}{rule}candidate = \"important\"\n"),
            15,
            "candidate_reason",
        ),
        (
            "unverified",
            format!("{HEAD}{rule}unverified = true\n"),
            8,
            "note",
        ),
    ];
    for (what, text, line, msg) in cases {
        let e = load_err("dir/templates/mine.toml", &text);
        assert_eq!(e.file, "dir/templates/mine.toml", "{what}: {e}");
        assert_eq!(e.line, Some(line), "{what}: {e}");
        assert!(e.message.contains(msg), "{what}: {e}");
        assert!(
            e.to_string()
                .starts_with(&format!("dir/templates/mine.toml:{line}:")),
            "{what}: {e}"
        );
    }
}

#[test]
fn file_name_id_mismatch_and_missing_base_are_errors() {
    let rule =
        "\n[[rule]]\nid = \"r\"\nlabels = [\"ANY\"]\ncategory = \"a/b\"\ncite = \"spec §3\"\n";
    let e = load_err("dir/templates/other.toml", &format!("{HEAD}{rule}"));
    assert_eq!(e.line, Some(1), "{e}");
    assert!(e.message.contains("does not match the file name"), "{e}");

    let e = load_err(
        "dir/templates/mine.toml",
        &format!("{HEAD}base = \"nope\"\n{rule}"),
    );
    assert_eq!(
        (e.file.as_str(), e.line),
        ("dir/templates/mine.toml", Some(6)),
        "{e}"
    );
    assert!(e.message.contains("`nope` is not loaded"), "{e}");

    let e = load_err(
        "dir/templates/mine.toml",
        &format!("{HEAD}base = \"ydt3813\"\n{rule}"),
    );
    assert!(e.message.contains("has a base itself"), "{e}");

    // With a base, grade and flags may be left to it.
    let ok = TemplateSet::load(&[RuleFile::new(
        "dir/templates/mine.toml",
        format!("{HEAD}base = \"gbt43697\"\n{rule}"),
    )])
    .unwrap();
    let c = ok
        .classify("mine", &facts("t", "", "sfzh", Label::CnResidentId))
        .unwrap()
        .unwrap();
    assert_eq!(c.category, "a/b");
    assert!(c.spi);
    assert_eq!(c.grade, g(4));
}

fn line_count(text: &str) -> usize {
    text.lines().count() + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any text: an error or a template, never a panic; a line, when given, is in the file.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        if let Err(e) = TemplateSet::load(&[RuleFile::new("t/templates/x.toml", text.clone())]) {
            prop_assert_eq!(e.file.as_str(), "t/templates/x.toml");
            prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= line_count(&text)));
        }
    }

    /// A built-in template cut anywhere, or with a byte changed: an error naming a line of the
    /// file, or a valid template — never a panic.
    #[test]
    fn damaged_builtin_never_panics(cut in 0usize..30_000, pos in 0usize..30_000, byte in 0u8..128) {
        let src = builtin::YDT3813;
        let mut cut = cut.min(src.len());
        while !src.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut text = src[..cut].to_string().into_bytes();
        if !text.is_empty() {
            let p = pos % text.len();
            text[p] = byte;
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        if let Err(e) = TemplateSet::load(&[RuleFile::new("d/templates/ydt3813.toml", text.clone())]) {
            prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= line_count(&text)));
        }
    }

    /// Any names and comments: classification never panics and always finds a rule in the
    /// baseline (every label is mapped).
    #[test]
    fn any_column_is_classified_under_every_template(
        table in "\\PC{0,40}",
        comment in "\\PC{0,40}",
        column in "\\PC{0,40}",
        label in 0usize..Label::COUNT,
    ) {
        let set = TemplateSet::builtin().unwrap();
        let f = ColumnFacts {
            table: &table,
            table_comment: &comment,
            column: &column,
            column_comment: &comment,
            label: Label::ALL[label],
        };
        for t in ["gbt43697", "ydt3813", "miit-industrial"] {
            let c = set.classify(t, &f).unwrap();
            prop_assert!(c.is_some());
            let c = c.unwrap();
            prop_assert!(matches!(c.grade, Grade::General(_)));
            prop_assert!(!c.spi || c.pi);
        }
    }
}
