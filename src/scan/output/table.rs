//! `--format table`: findings grouped by file, one line each, and a summary by detector.
//!
//! ```text
//! samples/customers.txt
//!      3  居民身份证号  110105********002X  高  checksum,date,division,keyword
//! ```

use std::io::{self, Write};

use shujian_detect::{Confidence, Finding};
use shujian_sources::SourceError;
use unicode_width::UnicodeWidthStr;

use super::columns::{self, ColumnReport};
use super::{Document, FileSummary, Renderer, Sink, Summary};
use crate::scan::grading::AssetReport;

/// Display width in terminal columns (Han characters take two).
pub(super) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `w` columns.
pub(super) fn pad(out: &mut Vec<u8>, s: &str, w: usize) {
    out.extend_from_slice(s.as_bytes());
    out.resize(out.len() + w.saturating_sub(width(s)), b' ');
}

/// `高`, `中`, `低`: confidence as every human-readable format writes it.
pub(super) fn confidence_zh(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "高",
        Confidence::Medium => "中",
        Confidence::Low => "低",
    }
}

/// One line for one finding.
pub(super) fn render(
    r: &Renderer<'_>,
    f: &Finding,
    evidence: &str,
    value: Option<&str>,
    out: &mut Vec<u8>,
) {
    let info = r.engine.detector(f.detector);
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{:>7}  ", f.line);
    pad(out, &info.name_zh, r.name_width);
    out.extend_from_slice(b"  ");
    // One line per finding: a PEM key shown with --show-values has its newlines escaped.
    let shown = value
        .unwrap_or(evidence)
        .replace('\n', "\\n")
        .replace('\r', "\\r");
    pad(out, &shown, 22);
    let _ = write!(out, "  {}  ", confidence_zh(f.confidence));
    let mut first = true;
    for check in f.checks.iter() {
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(check.code().as_bytes());
    }
    out.push(b'\n');
}

/// The table document.
#[derive(Debug, Default)]
pub struct TableDocument {
    current: Option<String>,
    skipped: Vec<(String, String)>,
    errors: Vec<String>,
}

impl Document for TableDocument {
    fn begin(&mut self, _out: &mut Sink) -> io::Result<()> {
        Ok(())
    }

    fn findings(&mut self, out: &mut Sink, path: &str, rendered: &[u8]) -> io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        if self.current.as_deref() != Some(path) {
            if self.current.is_some() {
                out.write_all(b"\n")?;
            }
            writeln!(out, "{path}")?;
            self.current = Some(path.to_string());
        }
        out.write_all(rendered)
    }

    fn columns(&mut self, out: &mut Sink, columns: &[ColumnReport]) -> io::Result<()> {
        if columns.is_empty() {
            return Ok(());
        }
        let mut v = Vec::new();
        let mut start = 0;
        // Columns come grouped by input (archive members differ from the file).
        for i in 1..=columns.len() {
            if i == columns.len() || columns[i].path != columns[start].path {
                let path = &columns[start].path;
                if self.current.as_deref() != Some(path.as_str()) {
                    if self.current.is_some() {
                        v.push(b'\n');
                    }
                    let _ = writeln!(v, "{path}");
                    self.current = Some(path.clone());
                }
                columns::render_table(&columns[start..i], &mut v);
                start = i;
            }
        }
        out.write_all(&v)
    }

    fn assets(&mut self, out: &mut Sink, assets: &[AssetReport]) -> io::Result<()> {
        for a in assets {
            let g = &a.grade;
            let mut line = format!("  资产 asset {}: 分级 grade {}", a.table, g.grade.name_zh());
            if let Some(c) = &g.candidate_grade {
                line.push_str(&format!("，建议人工确认 candidate {}", c.grade().name_zh()));
            }
            if g.spi {
                line.push_str("，含敏感个人信息 SPI");
            } else if g.pi {
                line.push_str("，含个人信息 PI");
            }
            if let Some(p) = &g.persons {
                line.push_str(&format!("，约 {} 人 persons", p.persons));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    fn file(&mut self, _out: &mut Sink, _file: &FileSummary) -> io::Result<()> {
        Ok(())
    }

    fn error(&mut self, _out: &mut Sink, error: &SourceError) -> io::Result<()> {
        self.errors.push(error.to_string());
        Ok(())
    }

    fn skipped(&mut self, _out: &mut Sink, path: &str, reason: &str) -> io::Result<()> {
        self.skipped.push((path.to_string(), reason.to_string()));
        Ok(())
    }

    fn warning(&mut self, _out: &mut Sink, _path: &str, _message: &str) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, out: &mut Sink, s: &Summary) -> io::Result<()> {
        if self.current.is_some() {
            out.write_all(b"\n")?;
        }
        writeln!(out, "汇总 Summary")?;
        writeln!(
            out,
            "  文件 files     {} 已扫描 scanned, {} 跳过 skipped, {} 失败 failed",
            s.files_scanned, s.files_skipped, s.files_failed
        )?;
        writeln!(
            out,
            "  文本 text      {} in {:.2} s",
            human_bytes(s.bytes_scanned),
            s.elapsed_seconds
        )?;
        if s.columns > 0 {
            writeln!(
                out,
                "  字段 columns   {} in {} 表 tables, 个人信息字段 PI columns: {}",
                s.columns, s.tables, s.pi_columns
            )?;
            let mut line = Vec::new();
            for l in s.columns_by_label.iter().filter(|l| l.label != "NONE") {
                line.extend_from_slice(b"    ");
                pad(&mut line, l.name_zh, 20);
                pad(&mut line, l.label, 22);
                let _ = writeln!(line, "{:>7}", l.count);
            }
            out.write_all(&line)?;
        }
        if s.assets > 0 {
            let grades: Vec<String> = s
                .assets_by_grade
                .iter()
                .map(|(g, n)| format!("{g}: {n}"))
                .collect();
            writeln!(out, "  资产 assets   {} ({})", s.assets, grades.join(", "))?;
        }
        if s.tables_unchanged > 0 {
            writeln!(
                out,
                "  未变化 unchanged tables skipped: {} (--full rescans them)",
                s.tables_unchanged
            )?;
        }
        if s.findings == 0 && s.pi_columns == 0 {
            writeln!(
                out,
                "  发现 findings  0 — 未发现敏感数据 no sensitive data found"
            )?;
        } else if s.findings == 0 {
            writeln!(out, "  发现 findings  0 in text")?;
        } else {
            writeln!(
                out,
                "  发现 findings  {} (敏感个人信息 sensitive: {})",
                s.findings, s.sensitive_findings
            )?;
            writeln!(out)?;
            let zh_w = s.by_detector.iter().map(|d| width(&d.name_zh)).max();
            let id_w = s.by_detector.iter().map(|d| d.detector.len()).max();
            let (zh_w, id_w) = (zh_w.unwrap_or(0).max(10), id_w.unwrap_or(0).max(8));
            let mut line = Vec::new();
            pad(&mut line, "  检测器", zh_w + 2);
            pad(&mut line, "  detector", id_w + 2);
            line.extend_from_slice("     数量 count\n".as_bytes());
            for d in &s.by_detector {
                line.extend_from_slice(b"  ");
                pad(&mut line, &d.name_zh, zh_w);
                line.extend_from_slice(b"  ");
                pad(&mut line, &d.detector, id_w);
                let _ = write!(line, "  {:>9}", d.count);
                if d.sensitive {
                    line.extend_from_slice("  敏感 sensitive".as_bytes());
                }
                line.push(b'\n');
            }
            out.write_all(&line)?;
        }
        if !self.skipped.is_empty() {
            writeln!(out, "\n跳过 skipped")?;
            for (path, reason) in &self.skipped {
                writeln!(out, "  {path}: {reason}")?;
            }
        }
        if !self.errors.is_empty() {
            writeln!(out, "\n失败 failed (详见标准错误 also on stderr)")?;
            for e in &self.errors {
                writeln!(out, "  {e}")?;
            }
        }
        Ok(())
    }
}

/// `12.3 MiB`.
pub(super) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_han_as_two_columns() {
        assert_eq!(width("手机号码"), 8);
        let mut v = Vec::new();
        pad(&mut v, "手机", 6);
        assert_eq!(v, "手机  ".as_bytes());
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
