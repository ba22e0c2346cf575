//! Workbooks (XLSX, XLS, ODS) through `calamine`: every sheet is a table.
//!
//! * Header: the first row among the first ten that looks like column names
//!   ([`detect_header`]); rows above it (titles such as a merged `员工信息表`) are dropped.
//! * Merged cells: every cell of a merged region takes the value of its top-left cell, in the
//!   header row and in data rows alike (a department merged down a column is repeated on each
//!   row). Regions wider than [`MAX_COLUMNS`] are cut.
//! * Values as text: integers exactly (`110105194912310021` stays whole; a float with no
//!   fraction prints without `.0` or exponent), dates as `2024-01-31` or
//!   `2024-01-31 08:30:00`, booleans `TRUE`/`FALSE`, errors and blanks empty. Rows with no
//!   value are skipped.
//!
//! Memory: XLSX sheets are streamed cell by cell (`worksheet_cells_reader`): a sheet's rows
//! are never all held, but the workbook's shared-string table is (for a sheet of mostly
//! unique strings it is about the size of the text). XLS and ODS sheets are read whole into
//! memory by calamine, one sheet at a time.

use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsx};

use super::batch::BatchBuilder;
use super::header::{HEADER_SCAN_ROWS, detect_header};
use super::{ColumnMeta, Emitter, FileFormat, Flow, ReadSeek, TableMeta, guarded, malformed};

/// Columns per sheet at most.
const MAX_COLUMNS: usize = 16_384;

pub(super) fn read(
    em: &mut Emitter<'_>,
    name: &str,
    rs: Box<dyn ReadSeek>,
    format: FileFormat,
) -> Flow {
    let label = format.label();
    match format {
        FileFormat::Xlsx => {
            let mut wb = guarded(name, label, || {
                Xlsx::new(rs).map_err(|e| malformed(name, label, e.to_string()))
            })?;
            for sheet in wb.sheet_names().clone() {
                let sheet_name = format!("{name} [{sheet}]");
                let merged = guarded(&sheet_name, label, || {
                    Ok(wb.merge_cells_by_sheet_name(&sheet).unwrap_or_default())
                })?;
                let mut table = SheetTable::new(&sheet, merged);
                let r = guarded(&sheet_name, label, || {
                    let mut cells = wb
                        .worksheet_cells_reader(&sheet)
                        .map_err(|e| malformed(&sheet_name, label, e.to_string()))?;
                    let mut row: Vec<String> = Vec::new();
                    let mut row_no = None;
                    loop {
                        let cell = match cells.next_cell() {
                            Ok(Some(c)) => c,
                            Ok(None) => break,
                            Err(e) => return Err(malformed(&sheet_name, label, e.to_string())),
                        };
                        let (r, c) = cell.get_position();
                        if row_no != Some(r) {
                            if let Some(prev) = row_no {
                                table
                                    .row(em, prev, std::mem::take(&mut row))
                                    .map_err(halt_error)?;
                            }
                            row_no = Some(r);
                        }
                        let c = c as usize;
                        if c >= MAX_COLUMNS {
                            continue;
                        }
                        let v = data_ref_text(cell.get_value());
                        if !v.is_empty() {
                            if row.len() <= c {
                                row.resize(c + 1, String::new());
                            }
                            row[c] = v;
                        }
                    }
                    if let Some(prev) = row_no {
                        table.row(em, prev, row).map_err(halt_error)?;
                    }
                    Ok(())
                });
                finish_sheet(em, table, r)?;
            }
            Ok(())
        }
        FileFormat::Xls => {
            let mut wb = guarded(name, label, || {
                Xls::new(rs).map_err(|e| malformed(name, label, e.to_string()))
            })?;
            for sheet in wb.sheet_names().clone() {
                let merged = wb.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
                let sheet_name = format!("{name} [{sheet}]");
                let range = guarded(&sheet_name, label, || {
                    wb.worksheet_range(&sheet)
                        .map_err(|e| malformed(&sheet_name, label, e.to_string()))
                });
                read_range(em, &sheet, &sheet_name, merged, range)?;
            }
            Ok(())
        }
        _ => {
            let mut wb = guarded(name, label, || {
                Ods::new(rs).map_err(|e| malformed(name, label, e.to_string()))
            })?;
            for sheet in wb.sheet_names().clone() {
                let sheet_name = format!("{name} [{sheet}]");
                let range = guarded(&sheet_name, label, || {
                    wb.worksheet_range(&sheet)
                        .map_err(|e| malformed(&sheet_name, label, e.to_string()))
                });
                read_range(em, &sheet, &sheet_name, Vec::new(), range)?;
            }
            Ok(())
        }
    }
}

/// Carries a stop of the consumer through a closure that returns `SourceError`s.
fn halt_error(h: super::Halt) -> crate::SourceError {
    match h {
        super::Halt::Failed(e) => e,
        super::Halt::Stopped => crate::SourceError::new("", crate::Reason::Unsupported(STOPPED)),
    }
}

const STOPPED: &str = "stopped by the consumer";

fn finish_sheet(
    em: &mut Emitter<'_>,
    table: SheetTable,
    r: Result<(), crate::SourceError>,
) -> Flow {
    match r {
        Err(e) if matches!(e.reason, crate::Reason::Unsupported(STOPPED)) => {
            Err(super::Halt::Stopped)
        }
        Err(e) => {
            // What was read of the sheet is kept; the error follows it.
            table.finish(em)?;
            em.error(e)
        }
        Ok(()) => table.finish(em),
    }
}

fn read_range(
    em: &mut Emitter<'_>,
    sheet: &str,
    sheet_name: &str,
    merged: Vec<Dimensions>,
    range: Result<calamine::Range<Data>, crate::SourceError>,
) -> Flow {
    let range = match range {
        Ok(r) => r,
        Err(e) => return em.error(e),
    };
    let _ = sheet_name;
    let mut table = SheetTable::new(sheet, merged);
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = Vec::new();
        for (j, v) in row.iter().enumerate() {
            let c = c0 as usize + j;
            if c >= MAX_COLUMNS {
                break;
            }
            let t = data_text(v);
            if !t.is_empty() {
                if cells.len() <= c {
                    cells.resize(c + 1, String::new());
                }
                cells[c] = t;
            }
        }
        table.row(em, r0 + i as u32, cells)?;
    }
    table.finish(em)
}

/// The rows of one sheet: sampled until the header is known, then batched.
struct SheetTable {
    name: String,
    merged: Vec<Dimensions>,
    /// The top-left value of each merged region, once its row was seen.
    merged_values: Vec<Option<String>>,
    sample: Vec<(u32, Vec<String>)>,
    batch: Option<BatchBuilder>,
}

impl SheetTable {
    fn new(name: &str, merged: Vec<Dimensions>) -> SheetTable {
        let n = merged.len();
        SheetTable {
            name: name.to_string(),
            merged,
            merged_values: vec![None; n],
            sample: Vec::new(),
            batch: None,
        }
    }

    fn row(&mut self, em: &mut Emitter<'_>, r: u32, mut cells: Vec<String>) -> Flow {
        self.fill_merged(r, &mut cells);
        if cells.iter().all(String::is_empty) {
            return Ok(());
        }
        if let Some(b) = &mut self.batch {
            b.push_row(cells.iter().map(String::as_bytes));
            return b.maybe_flush(em);
        }
        self.sample.push((r, cells));
        if self.sample.len() >= HEADER_SCAN_ROWS + 5 {
            self.start(em)?;
        }
        Ok(())
    }

    fn fill_merged(&mut self, r: u32, cells: &mut Vec<String>) {
        for (k, d) in self.merged.iter().enumerate() {
            if r < d.start.0 || r > d.end.0 {
                continue;
            }
            let (c0, c1) = (d.start.1 as usize, (d.end.1 as usize).min(MAX_COLUMNS - 1));
            if r == d.start.0 {
                self.merged_values[k] = cells.get(c0).filter(|v| !v.is_empty()).cloned();
            }
            let Some(v) = &self.merged_values[k] else {
                continue;
            };
            if cells.len() <= c1 {
                cells.resize(c1 + 1, String::new());
            }
            for cell in &mut cells[c0..=c1] {
                if cell.is_empty() {
                    cell.clone_from(v);
                }
            }
        }
    }

    /// Decides the header from the sample, announces the table, sends the sampled rows.
    fn start(&mut self, em: &mut Emitter<'_>) -> Flow {
        let rows: Vec<Vec<String>> = self.sample.iter().map(|(_, c)| c.clone()).collect();
        let header = detect_header(&rows, HEADER_SCAN_ROWS);
        let data_from = header.map_or(0, |h| h + 1);
        let width = rows[header.unwrap_or(0)..]
            .iter()
            .map(|r| r.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1))
            .max()
            .unwrap_or(0);
        let columns = (0..width)
            .map(|i| ColumnMeta {
                name: match header.and_then(|h| rows[h].get(i)) {
                    Some(n) if !n.trim().is_empty() => n.trim().to_string(),
                    _ => format!("column {}", i + 1),
                },
                declared_type: None,
            })
            .collect();
        let table = em.table(TableMeta {
            name: self.name.clone(),
            columns,
            header_row: header.map(|h| u64::from(self.sample[h].0)),
        })?;
        let mut b = BatchBuilder::new(em, table, width);
        for (_, cells) in self.sample.drain(..).skip(data_from) {
            b.push_row(cells.iter().map(String::as_bytes));
            b.maybe_flush(em)?;
        }
        self.batch = Some(b);
        Ok(())
    }

    fn finish(mut self, em: &mut Emitter<'_>) -> Flow {
        if self.batch.is_none() {
            if self.sample.is_empty() {
                return Ok(());
            }
            self.start(em)?;
        }
        match self.batch {
            Some(b) => b.finish(em),
            None => Ok(()),
        }
    }
}

/// A float as text: whole numbers without fraction or exponent.
pub(crate) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

fn datetime_text(dt: &calamine::ExcelDateTime) -> String {
    if dt.is_duration() {
        return float_text(dt.as_f64());
    }
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

fn data_ref_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn data_text(v: &Data) -> String {
    match v {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => datetime_text(dt),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{errors, run, tables};
    use super::*;

    #[test]
    fn floats_print_exactly() {
        assert_eq!(float_text(110105194912310000.0), "110105194912310000");
        assert_eq!(float_text(13812345678.0), "13812345678");
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(-3.0), "-3");
    }

    fn workbook() -> Vec<u8> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("员工").unwrap();
        ws.merge_range(0, 0, 0, 3, "员工信息表", &Format::new())
            .unwrap();
        for (c, h) in ["部门", "姓名", "手机", "身份证号"].iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        ws.merge_range(2, 0, 3, 0, "研发部", &Format::new())
            .unwrap();
        ws.write_string(2, 1, "张三").unwrap();
        ws.write_number(2, 2, 13812345678.0).unwrap();
        ws.write_string(2, 3, "11010519491231002X").unwrap();
        ws.write_string(3, 1, "李四").unwrap();
        ws.write_number(3, 2, 13912345678.0).unwrap();
        ws.write_string(3, 3, "110105194912310021").unwrap();
        let ws2 = wb.add_worksheet();
        ws2.write_number(0, 0, 1.0).unwrap();
        ws2.write_number(0, 1, 2.5).unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn sheets_titles_merged_cells_and_numbers() {
        let (items, r) = run(&workbook(), FileFormat::Xlsx);
        r.unwrap();
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        let t = tables(&items);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0, "员工");
        assert_eq!(t[0].1, ["部门", "姓名", "手机", "身份证号"]);
        assert_eq!(
            t[0].2[0],
            ["研发部", "张三", "13812345678", "11010519491231002X"]
        );
        assert_eq!(t[0].2[1][0], "研发部", "merged down the column");
        assert_eq!(t[1].1, ["column 1", "column 2"]);
        assert_eq!(t[1].2[0], ["1", "2.5"]);
        let Some(super::super::Item::Table(meta)) = items.first() else {
            panic!()
        };
        assert_eq!(meta.header_row, Some(1));
    }

    #[test]
    fn truncated_and_garbage_workbooks_are_errors() {
        let wb = workbook();
        for cut in [10, wb.len() / 2, wb.len() - 10] {
            let (items, r) = run(&wb[..cut], FileFormat::Xlsx);
            assert!(r.is_err() || !errors(&items).is_empty(), "cut at {cut}");
        }
        let (_, r) = run(b"PK\x03\x04garbage", FileFormat::Xlsx);
        assert!(r.unwrap_err().to_string().contains("XLSX"));
        let (_, r) = run(b"garbage", FileFormat::Xls);
        assert!(r.is_err());
        let (_, r) = run(b"garbage", FileFormat::Ods);
        assert!(r.is_err());
    }
}
