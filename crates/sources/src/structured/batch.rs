//! Column-major batches: each column's values appended into one `String`.

use super::{Emitter, Flow, Item, TableBatch, TableEnd};

/// The values of one column for the rows of a batch.
///
/// Value `i` is `text[start_i..ends[i]]`, where `start_0 = 0` and `start_i = ends[i-1] + 1`:
/// one `'\n'` separates consecutive values (values may themselves contain `'\n'`). An empty
/// value is an empty or null cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnValues {
    /// The values, separated by `'\n'`.
    pub text: String,
    /// The end of each value in `text`.
    pub ends: Vec<u32>,
}

impl ColumnValues {
    /// Number of values.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Value `i`. Panics if `i >= len()`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
        &self.text[start..self.ends[i] as usize]
    }

    /// The values in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Appends a value.
    pub fn push(&mut self, value: &str) {
        if !self.ends.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(value);
        self.ends.push(self.text.len() as u32);
    }

    /// Appends `value` to the last value, after a `'\n'` (several values of one cell, such as
    /// the elements of a JSON array of scalars).
    fn extend_last(&mut self, value: &str) {
        self.text.push('\n');
        self.text.push_str(value);
        if let Some(e) = self.ends.last_mut() {
            *e = self.text.len() as u32;
        }
    }

    fn pad_to(&mut self, n: usize) {
        while self.ends.len() < n {
            self.push("");
        }
    }
}

/// Cuts `s` to at most `max` bytes on a character boundary; says whether it cut.
pub(crate) fn cut(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (&s[..end], true)
}

/// Builds the batches of one table and sends them when full.
#[derive(Debug)]
pub(crate) struct BatchBuilder {
    table: usize,
    /// Data row of the first row of the current batch.
    first_row: u64,
    /// Complete rows in the current batch.
    rows: usize,
    columns: Vec<ColumnValues>,
    width: usize,
    max_rows: usize,
    max_bytes: usize,
    max_cell: usize,
    /// Bytes of cell text pushed into the current batch by `push_row`.
    pushed: usize,
    pub(crate) end: TableEnd,
}

impl BatchBuilder {
    pub(crate) fn new(em: &Emitter<'_>, table: usize, width: usize) -> BatchBuilder {
        BatchBuilder {
            table,
            first_row: 0,
            rows: 0,
            columns: vec![ColumnValues::default(); width],
            width,
            max_rows: em.opts.batch_rows.max(1),
            max_bytes: em.opts.batch_bytes.max(1),
            max_cell: em.opts.max_cell_bytes.max(4),
            pushed: 0,
            end: TableEnd {
                table,
                ..TableEnd::default()
            },
        }
    }

    /// Columns of the table so far.
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// Adds a column (JSON: a new field path).
    pub(crate) fn add_column(&mut self) {
        self.width += 1;
        self.columns.push(ColumnValues::default());
    }

    /// Sets column `col` of the current row; a second value for the same cell is appended
    /// after a `'\n'`. Columns past the width are ignored (the row is counted as ragged by
    /// the caller).
    pub(crate) fn set(&mut self, col: usize, value: &str) {
        let Some(c) = self.columns.get_mut(col) else {
            return;
        };
        let (value, was_cut) = cut(value, self.max_cell);
        if was_cut {
            self.end.truncated_cells += 1;
        }
        if c.ends.len() > self.rows {
            if value.is_empty() {
                return;
            }
            if c.text.len()
                - c.ends
                    .len()
                    .checked_sub(2)
                    .map_or(0, |i| c.ends[i] as usize + 1)
                + value.len()
                < self.max_cell
            {
                c.extend_last(value);
            } else {
                self.end.truncated_cells += 1;
            }
            return;
        }
        c.pad_to(self.rows);
        c.push(value);
    }

    /// Appends a complete row of fields (CSV fast path). Fields past the width are dropped
    /// and missing ones left empty; either counts the row as ragged.
    pub(crate) fn push_row<'f>(&mut self, fields: impl ExactSizeIterator<Item = &'f [u8]>) {
        if fields.len() != self.width {
            self.end.ragged_rows += 1;
        }
        let max_cell = self.max_cell;
        let mut n = 0;
        for (c, f) in self.columns.iter_mut().zip(fields) {
            n += 1;
            // Fields are slices of valid UTF-8 cut at ASCII delimiters, so valid UTF-8.
            let s = std::str::from_utf8(f).unwrap_or("\u{FFFD}");
            let (s, was_cut) = cut(s, max_cell);
            self.end.truncated_cells += u64::from(was_cut);
            if !c.ends.is_empty() {
                c.text.push('\n');
            }
            c.text.push_str(s);
            c.ends.push(c.text.len() as u32);
            self.pushed += s.len() + 1;
        }
        for c in &mut self.columns[n..] {
            c.push("");
        }
        self.rows += 1;
    }

    /// Ends the current row without sending (the caller checks [`is_full`](Self::is_full)).
    pub(crate) fn end_row_quiet(&mut self) {
        self.rows += 1;
    }

    /// Whether the batch should be sent.
    pub(crate) fn is_full(&self) -> bool {
        self.rows >= self.max_rows || self.bytes() >= self.max_bytes
    }

    /// The table the batches belong to (JSON announces a table after its first rows).
    pub(crate) fn set_table(&mut self, table: usize) {
        self.table = table;
        self.end.table = table;
    }

    /// Sends the batch if it is full (after [`push_row`](Self::push_row)).
    pub(crate) fn maybe_flush(&mut self, em: &mut Emitter<'_>) -> Flow {
        if self.rows >= self.max_rows || self.pushed >= self.max_bytes {
            self.flush(em)?;
        }
        Ok(())
    }

    fn bytes(&self) -> usize {
        self.columns.iter().map(|c| c.text.len()).sum()
    }

    /// Sends the rows so far as a batch.
    pub(crate) fn flush(&mut self, em: &mut Emitter<'_>) -> Flow {
        if self.rows == 0 {
            return Ok(());
        }
        let mut columns: Vec<ColumnValues> = self
            .columns
            .iter()
            .map(|c| ColumnValues {
                text: String::with_capacity(c.text.capacity()),
                ends: Vec::with_capacity(c.ends.capacity()),
            })
            .collect();
        std::mem::swap(&mut columns, &mut self.columns);
        for c in &mut columns {
            c.pad_to(self.rows);
        }
        let batch = TableBatch {
            table: self.table,
            first_row: self.first_row,
            rows: self.rows,
            columns,
        };
        self.pushed = 0;
        self.end.rows += self.rows as u64;
        self.first_row += self.rows as u64;
        self.rows = 0;
        em.emit(Item::Batch(batch))
    }

    /// Sends the last batch and the table's end.
    pub(crate) fn finish(mut self, em: &mut Emitter<'_>) -> Flow {
        self.flush(em)?;
        em.emit(Item::TableEnd(self.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_separated_by_one_newline() {
        let mut c = ColumnValues::default();
        c.push("a");
        c.push("");
        c.push("b\nc");
        assert_eq!(c.text, "a\n\nb\nc");
        assert_eq!(c.ends, [1, 2, 6]);
        assert_eq!(c.iter().collect::<Vec<_>>(), ["a", "", "b\nc"]);
    }

    #[test]
    fn cut_keeps_characters_whole() {
        assert_eq!(cut("身份证", 4), ("身", true));
        assert_eq!(cut("abc", 3), ("abc", false));
    }
}
