//! CSV and TSV: decoded as they stream (any encoding the text reader knows), split with
//! `csv-core` straight into the column buffers.
//!
//! Memory: one decode block (256 KiB of text) plus the record being split plus one batch;
//! a record longer than [`MAX_RECORD`] (an unterminated quote swallowing the file) is
//! reported and skipped rather than held.

use std::io::Read;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use super::batch::BatchBuilder;
use super::header::detect_header;
use super::{ColumnMeta, Emitter, Flow, Halt, TableMeta, io_error, malformed};
use crate::chunk::TextSource;
use crate::decode::TextDecoder;
use crate::open::SNIFF;

/// Decoded text read at a time.
const BLOCK: usize = 256 << 10;
/// Rows of a CSV file that may hold the header: title lines may come first.
const CSV_HEADER_SCAN_ROWS: usize = 5;

/// Rows read before deciding on a header.
const SAMPLE_ROWS: usize = 10;
/// A record may hold at most this many bytes of fields.
const MAX_RECORD: usize = 64 << 20;
/// A record may hold at most this many fields.
const MAX_FIELDS: usize = 1 << 16;

/// Splits decoded text into records.
struct Splitter<R> {
    name: String,
    decoder: TextDecoder<R>,
    buf: String,
    pos: usize,
    eof: bool,
    core: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Quotes seen in the record being read: an odd count means a malformed quote.
    quotes: usize,
    /// Line (1-based) where the record being read started.
    start_line: u64,
    /// Records whose quotes do not pair up.
    bad_quotes: u64,
}

enum Next {
    /// A record: its fields are `out` cut at `ends`.
    Record {
        fields: usize,
    },
    /// A record too long to hold, skipped.
    TooLong {
        line: u64,
    },
    End,
}

impl<R: Read> Splitter<R> {
    fn new(name: &str, decoder: TextDecoder<R>, delimiter: u8) -> Splitter<R> {
        Splitter {
            name: name.to_string(),
            decoder,
            buf: String::with_capacity(BLOCK + 64),
            pos: 0,
            eof: false,
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            quotes: 0,
            start_line: 1,
            bad_quotes: 0,
        }
    }

    fn refill(&mut self) -> Result<(), Halt> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let want = self.buf.len() + BLOCK;
        self.eof = self
            .decoder
            .fill(&mut self.buf, want)
            .map_err(|e| io_error(&self.name, e))?;
        Ok(())
    }

    fn next(&mut self) -> Result<Next, Halt> {
        let (mut nout, mut nend) = (0, 0);
        let mut too_long = false;
        self.quotes = 0;
        self.start_line = self.core.line();
        loop {
            if self.pos == self.buf.len() && !self.eof {
                self.refill()?;
            }
            let input = &self.buf.as_bytes()[self.pos..];
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            if memchr::memchr(b'"', &input[..nin]).is_some() {
                self.quotes += memchr::memchr_iter(b'"', &input[..nin]).count();
            }
            self.pos += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::InputEmpty => {
                    if self.eof && nin == 0 && self.pos == self.buf.len() {
                        // Tell csv-core the input ended: it returns the last record or End.
                        let (res, _, o, e) = self.core.read_record(
                            &[],
                            &mut self.out[nout..],
                            &mut self.ends[nend..],
                        );
                        nout += o;
                        nend += e;
                        match res {
                            ReadRecordResult::Record => return Ok(self.record(nend, too_long)),
                            ReadRecordResult::End => return Ok(Next::End),
                            ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                                self.grow(&mut nout, &mut nend, &mut too_long);
                            }
                            ReadRecordResult::InputEmpty => return Ok(Next::End),
                        }
                    }
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    self.grow(&mut nout, &mut nend, &mut too_long);
                }
                ReadRecordResult::Record => return Ok(self.record(nend, too_long)),
                ReadRecordResult::End => return Ok(Next::End),
            }
        }
    }

    /// Makes room for more output; past the limits, drops what the record holds so far.
    fn grow(&mut self, nout: &mut usize, nend: &mut usize, too_long: &mut bool) {
        if *nout + 16 >= self.out.len() {
            if self.out.len() < MAX_RECORD {
                self.out.resize(self.out.len() * 2, 0);
            } else {
                *too_long = true;
                *nout = 0;
                *nend = 0;
            }
        }
        if *nend + 1 >= self.ends.len() {
            if self.ends.len() < MAX_FIELDS {
                self.ends.resize(self.ends.len() * 2, 0);
            } else {
                *too_long = true;
                *nout = 0;
                *nend = 0;
            }
        }
    }

    fn record(&mut self, nend: usize, too_long: bool) -> Next {
        if self.quotes % 2 == 1 {
            self.bad_quotes += 1;
        }
        if too_long {
            Next::TooLong {
                line: self.start_line,
            }
        } else {
            Next::Record { fields: nend }
        }
    }

    fn fields(&self, n: usize) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        (0..n).map(move |i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.out[start..self.ends[i]]
        })
    }

    fn field_strings(&self, n: usize) -> Vec<String> {
        self.fields(n)
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }
}

/// Reads a delimited file as one table named after the file.
pub(super) fn read(
    em: &mut Emitter<'_>,
    name: &str,
    reader: Box<dyn Read + '_>,
    delimiter: u8,
) -> Flow {
    let reader = ungzip(name, reader)?;
    let decoder =
        TextDecoder::new(reader, em.opts.encoding, SNIFF).map_err(|e| io_error(name, e))?;
    let mut sp = Splitter::new(name, decoder, delimiter);

    // The first rows decide the header and the width.
    let mut sample: Vec<Vec<String>> = Vec::new();
    let mut ended = false;
    let mut first_bad_reported = false;
    while sample.len() < SAMPLE_ROWS {
        match sp.next()? {
            Next::Record { fields } => {
                if !(fields == 1 && sp.ends[0] == 0) {
                    sample.push(sp.field_strings(fields));
                }
            }
            Next::TooLong { line } => em.error(too_long(name, line))?,
            Next::End => {
                ended = true;
                break;
            }
        }
        report_quotes(em, &mut sp, &mut first_bad_reported)?;
    }
    // The header may follow title lines (`企业名录（截至…）`, an export's caption); a row of
    // data before any header still means there is none (see `detect_header`).
    let header = detect_header(&sample, CSV_HEADER_SCAN_ROWS);
    let width = match header {
        Some(h) => sample[h].len(),
        None => sample.iter().map(Vec::len).max().unwrap_or(0),
    };
    let columns = (0..width)
        .map(|i| ColumnMeta {
            name: match header {
                Some(h) if !sample[h][i].trim().is_empty() => sample[h][i].trim().to_string(),
                _ => format!("column {}", i + 1),
            },
            declared_type: None,
        })
        .collect();
    let table = em.table(TableMeta {
        name: base_name(name).to_string(),
        columns,
        header_row: header.map(|h| h as u64),
    })?;
    let mut batch = BatchBuilder::new(em, table, width);
    for row in sample.iter().skip(header.map_or(0, |h| h + 1)) {
        batch.push_row(row.iter().map(String::as_bytes));
        batch.maybe_flush(em)?;
    }
    while !ended {
        match sp.next()? {
            Next::Record { fields } => {
                // Blank lines are not rows.
                if !(fields == 1 && sp.ends[0] == 0) {
                    batch.push_row(sp.fields(fields));
                    batch.maybe_flush(em)?;
                }
                if sp.bad_quotes > 0 && !first_bad_reported {
                    report_quotes(em, &mut sp, &mut first_bad_reported)?;
                }
            }
            Next::TooLong { line } => em.error(too_long(name, line))?,
            Next::End => ended = true,
        }
    }
    if sp.bad_quotes > 1 {
        em.error(malformed(
            name,
            "CSV",
            format!("{} records have quotes that do not pair up", sp.bad_quotes),
        ))?;
    }
    batch.finish(em)
}

fn report_quotes<R>(em: &mut Emitter<'_>, sp: &mut Splitter<R>, reported: &mut bool) -> Flow {
    if sp.bad_quotes > 0 && !*reported {
        *reported = true;
        em.error(malformed(
            &sp.name,
            "CSV",
            format!(
                "a quote does not pair up in the record starting at line {}",
                sp.start_line
            ),
        ))?;
    }
    Ok(())
}

fn too_long(name: &str, line: u64) -> crate::SourceError {
    malformed(
        name,
        "CSV",
        format!(
            "the record starting at line {line} is longer than {} (an unterminated quote?); skipped",
            super::limits::human_bytes(MAX_RECORD as u64)
        ),
    )
}

/// `users.csv.gz`: a gzip stream is decompressed on the fly.
pub(super) fn ungzip<'a>(
    name: &str,
    mut reader: Box<dyn Read + 'a>,
) -> Result<Box<dyn Read + 'a>, Halt> {
    let mut head = [0u8; 2];
    let mut n = 0;
    while n < 2 {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(name, e).into()),
        }
    }
    let rest = std::io::Cursor::new(head[..n].to_vec()).chain(reader);
    Ok(if head[..n] == [0x1F, 0x8B] {
        Box::new(flate2::read::MultiGzDecoder::new(rest))
    } else {
        Box::new(rest)
    })
}

/// The last component of `a/b.zip!/c/d.csv`.
pub(super) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{errors, run, run_with, tables};
    use super::super::{FileFormat, Item, StructuredOptions};

    const COMMA: FileFormat = FileFormat::Csv { delimiter: b',' };

    #[test]
    fn header_quotes_and_ragged_rows() {
        let csv = "姓名,手机,备注\n张三,13812345678,\"北京,朝阳\"\n李四,13912345678,\"多\n行\"\n王五,13712345678\n";
        let (items, r) = run(csv.as_bytes(), COMMA);
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].1, ["姓名", "手机", "备注"]);
        assert_eq!(t[0].2[0], ["张三", "13812345678", "北京,朝阳"]);
        assert_eq!(t[0].2[1][2], "多\n行");
        assert_eq!(t[0].2[2], ["王五", "13712345678", ""]);
        let end = items
            .iter()
            .find_map(|i| match i {
                Item::TableEnd(e) => Some(e.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!((end.rows, end.ragged_rows), (3, 1));
        let Some(Item::Table(meta)) = items.first() else {
            panic!()
        };
        assert_eq!(meta.header_row, Some(0));
        assert_eq!(meta.name, "t");
    }

    #[test]
    fn a_title_line_above_the_header_is_skipped() {
        let csv = "企业名录（截至2024年12月31日）\n企业名称,统一社会信用代码,成立日期\n甲公司,91440305F892114004,2014-07-24\n乙公司,92440305294601548M,2012-12-15\n";
        let (items, r) = run(csv.as_bytes(), COMMA);
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t[0].1, ["企业名称", "统一社会信用代码", "成立日期"]);
        assert_eq!(t[0].2.len(), 2);
        assert_eq!(t[0].2[0][0], "甲公司");
        let Some(Item::Table(meta)) = items.first() else {
            panic!()
        };
        assert_eq!(meta.header_row, Some(1));
    }

    #[test]
    fn no_header_names_columns_by_number() {
        let (items, r) = run(
            b"13812345678,110105194912310021\n13912345678,11010519491231002X\n",
            COMMA,
        );
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t[0].1, ["column 1", "column 2"]);
        assert_eq!(t[0].2.len(), 2);
    }

    #[test]
    fn gbk_and_utf16_are_decoded() {
        let text = "姓名,身份证号\n张伟,11010519491231002X\n".repeat(3);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let (items, r) = run(&gbk, COMMA);
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t[0].1, ["姓名", "身份证号"]);
        assert_eq!(t[0].2[0], ["张伟", "11010519491231002X"]);

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (items, r) = run(&utf16, COMMA);
        r.unwrap();
        assert_eq!(tables(&items)[0].2[0][0], "张伟");
    }

    #[test]
    fn malformed_quotes_name_the_line() {
        let csv = "a,b\n1,2\n3,\"unterminated\n4,5\n6,7\n";
        let (items, r) = run(csv.as_bytes(), COMMA);
        r.unwrap();
        let e = errors(&items);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("line 3"), "{e:?}");
    }

    #[test]
    fn batches_split_by_rows_and_long_cells_are_cut() {
        let mut csv = String::from("id,name\n");
        for i in 0..2500 {
            csv.push_str(&format!("{i},{}\n", "名".repeat(i % 7)));
        }
        let opts = StructuredOptions {
            batch_rows: 1000,
            max_cell_bytes: 7,
            ..StructuredOptions::default()
        };
        let (items, r) = run_with(csv.as_bytes(), COMMA, &opts);
        r.unwrap();
        let batches = items.iter().filter(|i| matches!(i, Item::Batch(_))).count();
        assert_eq!(batches, 3);
        let t = tables(&items);
        assert_eq!(t[0].2.len(), 2500);
        assert_eq!(t[0].2[6][1], "名名"); // 18 bytes cut to 6
        assert_eq!(t[0].2[2499][0], "2499");
    }

    #[test]
    fn gzipped_csv_and_empty_input() {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"name;phone\nzhang;13812345678\n").unwrap();
        let gz = e.finish().unwrap();
        let (items, r) = run(&gz, FileFormat::Csv { delimiter: b';' });
        r.unwrap();
        assert_eq!(tables(&items)[0].2[0], ["zhang", "13812345678"]);

        let (items, r) = run(b"", COMMA);
        r.unwrap();
        assert!(tables(&items)[0].1.is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn round_trip_of_written_cells(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z0-9张三,\"\n\r ;|]{0,12}", 3), 1..30),
        ) {
            // A header that is surely a header, then the arbitrary rows.
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["name", "phone", "email"]).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let (items, r) = run(&bytes, COMMA);
            r.unwrap();
            let t = tables(&items);
            // csv::Writer writes a row of one empty field as `""`, which reads back as a
            // row; blank lines cannot occur with three fields.
            proptest::prop_assert_eq!(&t[0].2, &rows);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000)) {
            let _ = run(&bytes, COMMA);
            let _ = run(&bytes, FileFormat::Csv { delimiter: b'\t' });
        }
    }
}
