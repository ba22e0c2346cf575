//! # shujian-report — reports for people
//!
//! Renders what shujian found into documents an auditor or a regulator reads: today, XLSX
//! workbooks of named sheets with Chinese column headers ([`Workbook`]). The data model is
//! plain (sheets of typed cells), so every command that exports (scan results, the data-asset
//! inventory, the filing form) builds its sheets and hands them here; nothing in this crate
//! knows about detectors or databases.
//!
//! ## Example
//!
//! ```
//! use shujian_report::{Cell, Sheet, Workbook};
//!
//! let mut sheet = Sheet::new("字段", &[("文件", 40.0), ("字段", 20.0), ("命中数", 10.0)]);
//! sheet.push_row(vec![Cell::text("员工.csv"), Cell::text("身份证号"), Cell::Int(120)]);
//! let bytes = Workbook::new(vec![sheet]).to_xlsx().unwrap();
//! assert_eq!(&bytes[..2], b"PK"); // an XLSX file is a ZIP archive
//! ```

mod workbook;
mod xlsx;

pub use workbook::{Cell, Sheet, Workbook};
pub use xlsx::ReportError;
