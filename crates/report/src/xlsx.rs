//! Writing a [`Workbook`] as an Office Open XML spreadsheet (`.xlsx`).
//!
//! Each sheet gets a bold header row that stays in view (frozen) and an auto-filter over its
//! columns, so an auditor can sort and filter at once. Sheet names are made valid (Excel
//! allows 31 characters and forbids `[]:*?/\`) and unique.

use rust_xlsxwriter::{Format, FormatAlign, Workbook as XlsxBook, Worksheet, XlsxError};

use crate::workbook::{Cell, Sheet, Workbook};

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The XLSX writer refused something (a row or column beyond Excel's limits, …).
    #[error("cannot write the XLSX sheet `{sheet}`: {source}")]
    Xlsx {
        /// The sheet being written.
        sheet: String,
        /// What the writer said.
        #[source]
        source: XlsxError,
    },
    /// A sheet has more rows than a worksheet holds (1,048,575 under the header).
    #[error("the sheet `{sheet}` has {rows} rows; an XLSX sheet holds at most 1,048,575")]
    TooManyRows {
        /// The sheet.
        sheet: String,
        /// Its rows.
        rows: usize,
    },
}

/// Rows an XLSX worksheet holds under its header row.
const MAX_ROWS: usize = 1_048_575;

impl Workbook {
    /// The workbook as the bytes of an `.xlsx` file.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, ReportError> {
        let mut book = XlsxBook::new();
        let header = Format::new()
            .set_bold()
            .set_background_color(0x00DD_EBF7)
            .set_align(FormatAlign::Center);
        let mut used: Vec<String> = Vec::new();
        for sheet in &self.sheets {
            if sheet.rows.len() > MAX_ROWS {
                return Err(ReportError::TooManyRows {
                    sheet: sheet.name.clone(),
                    rows: sheet.rows.len(),
                });
            }
            let name = unique_name(&sheet_name(&sheet.name), &used);
            used.push(name.clone());
            let ws = book.add_worksheet();
            write_sheet(ws, &name, sheet, &header).map_err(|source| ReportError::Xlsx {
                sheet: sheet.name.clone(),
                source,
            })?;
        }
        if self.sheets.is_empty() {
            book.add_worksheet();
        }
        book.save_to_buffer().map_err(|source| ReportError::Xlsx {
            sheet: String::new(),
            source,
        })
    }
}

fn write_sheet(
    ws: &mut Worksheet,
    name: &str,
    sheet: &Sheet,
    header: &Format,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (c, (text, width)) in sheet.headers.iter().enumerate() {
        let c = col(c);
        ws.write_string_with_format(0, c, text, header)?;
        ws.set_column_width(c, *width)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        // MAX_ROWS was checked, so the row number fits.
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = col(c);
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                // Excel keeps 15 significant digits; larger integers are written as text
                // so they stay exact.
                Cell::Int(n) if n.unsigned_abs() >= 1_000_000_000_000_000 => {
                    ws.write_string(r, c, n.to_string())?;
                }
                #[expect(clippy::cast_precision_loss, reason = "below 10^15, exact in f64")]
                Cell::Int(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Cell::Float(x) => {
                    ws.write_number(r, c, *x)?;
                }
                Cell::Bool(b) => {
                    ws.write_string(r, c, if *b { "是" } else { "否" })?;
                }
            }
        }
    }
    if !sheet.headers.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
        ws.autofilter(0, 0, last_row, col(sheet.headers.len() - 1))?;
    }
    Ok(())
}

/// Column index as the writer wants it (Excel has 16,384 columns; more are clamped and then
/// refused by the writer with its own error).
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A valid sheet name: forbidden characters replaced, at most 31 characters, not empty.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let trimmed = cleaned.trim_matches('\'');
    if trimmed.trim().is_empty() {
        "Sheet".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `name`, or `name (2)`, `name (3)` … when taken (Excel compares names case-insensitively).
fn unique_name(name: &str, used: &[String]) -> String {
    let taken = |n: &str| used.iter().any(|u| u.to_lowercase() == n.to_lowercase());
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|i| {
            let suffix = format!(" ({i})");
            let keep = 31 - suffix.chars().count();
            format!("{}{suffix}", name.chars().take(keep).collect::<String>())
        })
        .find(|n| !taken(n))
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn writes_chinese_headers_text_and_numbers() {
        let mut s = Sheet::new("字段", &[("字段名", 20.0), ("命中数", 10.0), ("敏感", 6.0)]);
        s.push_row(vec![
            Cell::text("身份证号"),
            Cell::Int(42),
            Cell::Bool(true),
        ]);
        s.push_row(vec![
            Cell::text("110105194912310021"),
            Cell::Int(1_234_567_890_123_456_789),
            Cell::Empty,
        ]);
        let bytes = Workbook::new(vec![s]).to_xlsx().unwrap();
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("name=\"字段\""), "{workbook}");
        let strings = part(&bytes, "xl/sharedStrings.xml");
        for s in [
            "字段名",
            "命中数",
            "身份证号",
            "是",
            "110105194912310021",
            "1234567890123456789",
        ] {
            assert!(strings.contains(s), "{s} missing from {strings}");
        }
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<v>42</v>"), "{sheet}");
        assert!(sheet.contains("autoFilter ref=\"A1:C3\""), "{sheet}");
        assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    }

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        assert_eq!(sheet_name("a/b:c"), "a_b_c");
        assert_eq!(sheet_name(""), "Sheet");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
        let used = vec!["汇总".to_string(), "Data".to_string()];
        assert_eq!(unique_name("汇总", &used), "汇总 (2)");
        assert_eq!(unique_name("data", &used), "data (2)");
        assert_eq!(unique_name("字段", &used), "字段");
        let long = "x".repeat(31);
        let u = unique_name(&long, std::slice::from_ref(&long));
        assert_eq!(u.chars().count(), 31);
        assert!(u.ends_with(" (2)"));
        let bytes = Workbook::new(vec![Sheet::new("a", &[]), Sheet::new("A", &[])])
            .to_xlsx()
            .unwrap();
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("name=\"A (2)\""), "{workbook}");
    }

    #[test]
    fn refuses_more_rows_than_a_sheet_holds() {
        let mut s = Sheet::new("big", &[("n", 5.0)]);
        s.rows = vec![vec![Cell::Int(1)]; MAX_ROWS + 1];
        let err = Workbook::new(vec![s]).to_xlsx().unwrap_err();
        assert!(err.to_string().contains("has 1048576 rows"), "{err}");
    }
}
