//! The data model of a workbook: named sheets of typed cells under a header row.

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, written as a string (so identifiers never turn into numbers such as `1.1E+17`).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Yes or no, written as `是` / `否` so the sheet reads in Chinese.
    Bool(bool),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A whole-number cell from an unsigned count (saturating at `i64::MAX`).
    pub fn count(n: u64) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// One sheet: a name, column headers with widths, and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters; `[]:*?/\` are replaced).
    pub name: String,
    /// Column headers and widths (in characters).
    pub headers: Vec<(String, f64)>,
    /// Rows under the header, each at most as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// An empty sheet with these headers.
    pub fn new(name: &str, headers: &[(&str, f64)]) -> Sheet {
        Sheet {
            name: name.to_string(),
            headers: headers.iter().map(|&(h, w)| (h.to_string(), w)).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push_row(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

/// Sheets in order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Workbook {
    /// The sheets, first shown first.
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// A workbook of these sheets.
    pub fn new(sheets: Vec<Sheet>) -> Workbook {
        Workbook { sheets }
    }
}
