//! `--format xlsx`: a workbook for people (an auditor, a reviewer), with Chinese headers.
//!
//! Sheets: 汇总 (summary: totals, columns by label, findings by detector), 资产 (tables as
//! data assets: grade, candidate 重要/核心, PI/SPI, persons, volume flags), 字段 (one row per
//! column of the structured inputs: label, confidence, reasons, counts, masked examples), 发现
//! (findings in text, at most [`MAX_FINDING_ROWS`]; the CSV or NDJSON format has them all),
//! 问题 (inputs that failed or were skipped). The workbook is written when the scan ends.
//! Findings arrive as CSV rows from the workers (the CSV renderer) and are parsed back here.

use std::io::{self, Write};

use shujian_report::{Cell, Sheet, Workbook};
use shujian_sources::SourceError;

use super::columns::ColumnReport;
use super::csv::HEADER;
use super::table::confidence_zh;
use super::{Document, FileSummary, Sink, Summary};
use crate::scan::grading::AssetReport;
use shujian_detect::Confidence;

/// Findings kept for the 发现 sheet; a workbook is for reading, and this keeps memory bounded.
pub(super) const MAX_FINDING_ROWS: usize = 100_000;

/// The workbook document.
#[derive(Debug)]
pub struct XlsxDocument {
    show_values: bool,
    findings: Vec<Vec<Cell>>,
    findings_dropped: u64,
    columns: Vec<ColumnReport>,
    assets: Vec<AssetReport>,
    files: Vec<FileSummary>,
    problems: Vec<(String, &'static str, String)>,
}

impl XlsxDocument {
    /// An empty workbook document.
    pub fn new(show_values: bool) -> XlsxDocument {
        XlsxDocument {
            show_values,
            findings: Vec::new(),
            findings_dropped: 0,
            columns: Vec::new(),
            assets: Vec::new(),
            files: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn summary_sheet(&self, s: &Summary) -> Sheet {
        let mut sheet = Sheet::new("汇总", &[("项目", 28.0), ("数值", 16.0), ("说明", 40.0)]);
        let mut row = |k: &str, v: Cell, note: &str| {
            sheet.push_row(vec![Cell::text(k), v, Cell::text(note)]);
        };
        row("已扫描文件", Cell::count(s.files_scanned), "files scanned");
        row(
            "跳过文件",
            Cell::count(s.files_skipped),
            "files skipped (not text)",
        );
        row(
            "失败文件",
            Cell::count(s.files_failed),
            "files that could not be read, whole or in part",
        );
        row(
            "扫描字节",
            Cell::count(s.bytes_scanned),
            "bytes of text and cells scanned",
        );
        row(
            "表",
            Cell::count(s.tables),
            "tables, sheets and JSON arrays read",
        );
        row("字段", Cell::count(s.columns), "columns profiled");
        row(
            "个人信息字段",
            Cell::count(s.pi_columns),
            "columns holding personal information",
        );
        row("发现", Cell::count(s.findings), "values found in text");
        row(
            "敏感个人信息发现",
            Cell::count(s.sensitive_findings),
            "of which sensitive personal information",
        );
        if s.assets > 0 {
            sheet.push_row(Vec::new());
            sheet.push_row(vec![
                Cell::text("资产分级"),
                Cell::text("资产数"),
                Cell::text("grade (candidate-*: 建议人工确认)"),
            ]);
            for (grade, n) in &s.assets_by_grade {
                let zh = grade_zh(grade);
                sheet.push_row(vec![Cell::text(zh), Cell::count(*n), Cell::text(grade)]);
            }
            let persons: u64 = self
                .assets
                .iter()
                .filter_map(|a| a.grade.persons.as_ref().map(|p| p.persons))
                .sum();
            sheet.push_row(vec![
                Cell::text("估计人数（各资产之和）"),
                Cell::count(persons),
                Cell::text("persons, summed over assets: an upper bound when assets share persons"),
            ]);
        }
        if !s.columns_by_label.is_empty() {
            sheet.push_row(Vec::new());
            sheet.push_row(vec![
                Cell::text("字段标签"),
                Cell::text("字段数"),
                Cell::text("label"),
            ]);
            for l in &s.columns_by_label {
                sheet.push_row(vec![
                    Cell::text(l.name_zh),
                    Cell::count(l.count),
                    Cell::text(l.label),
                ]);
            }
        }
        if !s.by_detector.is_empty() {
            sheet.push_row(Vec::new());
            sheet.push_row(vec![
                Cell::text("检测器"),
                Cell::text("发现数"),
                Cell::text("detector"),
            ]);
            for d in &s.by_detector {
                sheet.push_row(vec![
                    Cell::text(&d.name_zh),
                    Cell::count(d.count),
                    Cell::text(&d.detector),
                ]);
            }
        }
        sheet
    }

    fn columns_sheet(&self) -> Sheet {
        let mut sheet = Sheet::new(
            "字段",
            &[
                ("文件", 36.0),
                ("表", 18.0),
                ("字段", 20.0),
                ("标签", 16.0),
                ("标签代码", 20.0),
                ("个人信息", 8.0),
                ("置信度", 8.0),
                ("置信分", 8.0),
                ("非空值数", 10.0),
                ("去重估计", 10.0),
                ("检测命中", 28.0),
                ("依据", 48.0),
                ("示例（已脱敏）", 40.0),
                ("分类", 36.0),
                ("分级", 12.0),
                ("敏感个人信息", 10.0),
                ("待确认", 10.0),
                ("依据条款", 40.0),
            ],
        );
        for c in &self.columns {
            let p = &c.profile;
            let reasons = p
                .reasons
                .iter()
                .map(|r| format!("{}（{}）", r.zh, r.code))
                .collect::<Vec<_>>()
                .join("；");
            let mut row = vec![
                Cell::text(&c.path),
                Cell::text(&p.table),
                Cell::text(&p.column),
                Cell::text(p.label.name_zh()),
                Cell::text(p.label.code()),
                Cell::Bool(p.is_pi()),
                Cell::text(confidence_zh(p.confidence)),
                Cell::Float(f64::from(p.confidence_score)),
                Cell::count(p.non_empty),
                Cell::count(p.distinct_estimate),
                Cell::text(c.hits_text()),
                Cell::text(reasons),
                Cell::text(p.examples.join(" | ")),
            ];
            match &c.classification {
                Some(cl) => row.extend([
                    Cell::text(&cl.category),
                    Cell::text(cl.grade.name_zh()),
                    Cell::Bool(cl.spi),
                    Cell::text(
                        cl.candidate_grade
                            .map(|g| format!("建议{}", g.grade().name_zh()))
                            .unwrap_or_default(),
                    ),
                    Cell::text(&cl.citation),
                ]),
                None => row.resize(row.len() + 5, Cell::Empty),
            }
            sheet.push_row(row);
        }
        sheet
    }

    fn assets_sheet(&self) -> Sheet {
        let mut sheet = Sheet::new(
            "资产",
            &[
                ("来源", 36.0),
                ("表", 24.0),
                ("行数", 10.0),
                ("字段数", 8.0),
                ("分级", 12.0),
                ("定级字段", 18.0),
                ("建议确认为", 12.0),
                ("个人信息", 8.0),
                ("敏感个人信息", 10.0),
                ("估计人数", 10.0),
                ("规模提示", 48.0),
                ("依据", 60.0),
                ("含未核实依据", 10.0),
            ],
        );
        for a in &self.assets {
            let g = &a.grade;
            sheet.push_row(vec![
                Cell::text(&a.path),
                Cell::text(&a.table),
                a.rows.map_or(Cell::Empty, Cell::count),
                Cell::count(a.columns as u64),
                Cell::text(g.grade.name_zh()),
                Cell::text(g.grade_set_by.clone().unwrap_or_default()),
                Cell::text(
                    g.candidate_grade
                        .map(|c| c.grade().name_zh())
                        .unwrap_or_default(),
                ),
                Cell::Bool(g.pi),
                Cell::Bool(g.spi),
                g.persons
                    .as_ref()
                    .map_or(Cell::Empty, |p| Cell::count(p.persons)),
                Cell::text(
                    g.flags
                        .iter()
                        .map(|f| format!("{}（{} {}）", f.title_zh, f.bounds, f.rule))
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                Cell::text(
                    g.reasons
                        .iter()
                        .map(|r| format!("{}（{}）", r.zh, r.code))
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                Cell::Bool(g.unverified),
            ]);
        }
        sheet
    }

    fn findings_sheet(&self) -> Sheet {
        let mut headers = vec![
            ("文件", 36.0),
            ("行", 8.0),
            ("字符起", 8.0),
            ("字符止", 8.0),
            ("检测器", 18.0),
            ("类型", 16.0),
            ("敏感", 6.0),
            ("置信度", 8.0),
            ("依据", 40.0),
            ("证据（已脱敏）", 26.0),
        ];
        if self.show_values {
            headers.push(("原值", 26.0));
        }
        let mut sheet = Sheet::new("发现", &headers);
        sheet.rows.clone_from(&self.findings);
        sheet
    }

    fn problems_sheet(&self) -> Sheet {
        let mut sheet = Sheet::new("问题", &[("文件", 40.0), ("类别", 10.0), ("原因", 60.0)]);
        for (path, kind, reason) in &self.problems {
            sheet.push_row(vec![
                Cell::text(path),
                Cell::text(*kind),
                Cell::text(reason),
            ]);
        }
        if self.findings_dropped > 0 {
            sheet.push_row(vec![
                Cell::Empty,
                Cell::text("截断"),
                Cell::text(format!(
                    "发现表只列出前 {MAX_FINDING_ROWS} 条，另有 {} 条未列出；全部发现请用 --format csv 或 ndjson",
                    self.findings_dropped
                )),
            ]);
        }
        sheet
    }
}

/// `一般数据4级` for `general-4`, `建议重要数据` for `candidate-important`.
fn grade_zh(code: &str) -> String {
    match code.strip_prefix("candidate-") {
        Some(c) => format!("建议{}", grade_zh(c)),
        None => shujian_classify::Grade::parse(code)
            .map_or_else(|| code.to_string(), shujian_classify::Grade::name_zh),
    }
}

/// Index of a header field in the CSV rows the workers render.
fn field(name: &str) -> usize {
    HEADER.iter().position(|h| *h == name).unwrap_or(0)
}

impl Document for XlsxDocument {
    fn begin(&mut self, _out: &mut Sink) -> io::Result<()> {
        Ok(())
    }

    fn findings(&mut self, _out: &mut Sink, _path: &str, rendered: &[u8]) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(rendered);
        let text = |rec: &csv::StringRecord, name: &str| {
            Cell::text(rec.get(field(name)).unwrap_or_default())
        };
        let number = |rec: &csv::StringRecord, name: &str| {
            rec.get(field(name))
                .and_then(|s| s.parse::<u64>().ok())
                .map_or(Cell::Empty, Cell::count)
        };
        for rec in r.records() {
            let rec = rec.map_err(io::Error::other)?;
            if self.findings.len() >= MAX_FINDING_ROWS {
                self.findings_dropped += 1;
                continue;
            }
            let mut row = vec![
                text(&rec, "path"),
                number(&rec, "line"),
                number(&rec, "char_start"),
                number(&rec, "char_end"),
                text(&rec, "detector"),
                text(&rec, "name_zh"),
                Cell::Bool(rec.get(field("sensitive")) == Some("true")),
                Cell::text(
                    rec.get(field("confidence"))
                        .and_then(Confidence::parse)
                        .map_or("", confidence_zh),
                ),
                text(&rec, "reasons"),
                text(&rec, "evidence"),
            ];
            if self.show_values {
                row.push(text(&rec, "value"));
            }
            self.findings.push(row);
        }
        Ok(())
    }

    fn columns(&mut self, _out: &mut Sink, columns: &[ColumnReport]) -> io::Result<()> {
        self.columns.extend_from_slice(columns);
        Ok(())
    }

    fn assets(&mut self, _out: &mut Sink, assets: &[AssetReport]) -> io::Result<()> {
        self.assets.extend_from_slice(assets);
        Ok(())
    }

    fn file(&mut self, _out: &mut Sink, file: &FileSummary) -> io::Result<()> {
        self.files.push(file.clone());
        Ok(())
    }

    fn error(&mut self, _out: &mut Sink, error: &SourceError) -> io::Result<()> {
        self.problems
            .push((error.path.clone(), "失败", error.reason.to_string()));
        Ok(())
    }

    fn skipped(&mut self, _out: &mut Sink, path: &str, reason: &str) -> io::Result<()> {
        self.problems
            .push((path.to_string(), "跳过", reason.to_string()));
        Ok(())
    }

    fn warning(&mut self, _out: &mut Sink, path: &str, message: &str) -> io::Result<()> {
        self.problems
            .push((path.to_string(), "警告", message.to_string()));
        Ok(())
    }

    fn finish(&mut self, out: &mut Sink, summary: &Summary) -> io::Result<()> {
        let book = Workbook::new(vec![
            self.summary_sheet(summary),
            self.assets_sheet(),
            self.columns_sheet(),
            self.findings_sheet(),
            self.problems_sheet(),
        ]);
        let bytes = book.to_xlsx().map_err(io::Error::other)?;
        out.write_all(&bytes)
    }
}
