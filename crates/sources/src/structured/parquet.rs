//! Parquet files: one table whose columns are the schema's top-level fields, read one row
//! group at a time through the record API (no Arrow).
//!
//! Values as text: strings as they are, integers exactly, floats without exponent, dates
//! `2024-01-31`, timestamps `2024-01-31 08:30:00.123` (UTC), binary as UTF-8 when it is,
//! nested groups, lists and maps in Parquet's own notation. Memory: one row group's column
//! chunks at a time (plus the file's metadata); inside an archive or from a stream, the
//! whole file is buffered up to the limit, as Parquet needs random access.

use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};
use parquet::record::Field;

use super::batch::BatchBuilder;
use super::xlsx::float_text;
use super::{ColumnMeta, Emitter, Flow, Source, TableMeta, guarded, malformed};

pub(super) fn read(em: &mut Emitter<'_>, name: &str, source: Source<'_>) -> Flow {
    match source {
        Source::File(f) => read_from(em, name, f),
        other => {
            let bytes = other.into_bytes(name, em.opts.limits.max_buffered_bytes)?;
            read_from(em, name, bytes::Bytes::from(bytes))
        }
    }
}

fn read_from<R: ChunkReader + 'static>(em: &mut Emitter<'_>, name: &str, data: R) -> Flow {
    let reader = guarded(name, "Parquet", || {
        SerializedFileReader::new(data).map_err(|e| malformed(name, "Parquet", e.to_string()))
    })?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let columns: Vec<ColumnMeta> = schema
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| ColumnMeta {
            name: f.name().to_string(),
            declared_type: Some(declared(f)),
        })
        .collect();
    let width = columns.len();
    let table = em.table(TableMeta {
        name: super::csv::base_name(name).to_string(),
        columns,
        header_row: None,
    })?;
    let mut b = BatchBuilder::new(em, table, width);
    let mut cells: Vec<String> = vec![String::new(); width];
    for g in 0..reader.num_row_groups() {
        let rows = guarded(name, "Parquet", || {
            reader
                .get_row_group(g)
                .and_then(|rg| rg.get_row_iter(None).map(Iterator::collect::<Vec<_>>))
                .map_err(|e| malformed(name, "Parquet", format!("row group {g}: {e}")))
        });
        let rows = match rows {
            Ok(r) => r,
            Err(e) => {
                em.error(e)?;
                continue;
            }
        };
        for row in rows {
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    em.error(malformed(name, "Parquet", format!("row group {g}: {e}")))?;
                    break;
                }
            };
            for (i, (_, field)) in row.get_column_iter().enumerate().take(width) {
                cells[i] = field_text(field);
            }
            b.push_row(cells.iter().map(String::as_bytes));
            b.maybe_flush(em)?;
        }
    }
    b.finish(em)
}

fn declared(t: &parquet::schema::types::Type) -> String {
    if !t.is_primitive() {
        return "GROUP".to_string();
    }
    let info = t.get_basic_info();
    match info.logical_type_ref() {
        Some(l) => format!("{} ({l:?})", t.get_physical_type()),
        None if info.converted_type() != parquet::basic::ConvertedType::NONE => {
            format!("{} ({})", t.get_physical_type(), info.converted_type())
        }
        None => t.get_physical_type().to_string(),
    }
}

fn field_text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => String::from_utf8_lossy(b.data()).into_owned(),
        Field::Float(v) => float_text(f64::from(*v)),
        Field::Double(v) => float_text(*v),
        Field::Date(days) => date_text(i64::from(*days)),
        Field::TimestampMillis(ms) => timestamp_text(*ms, 1_000),
        Field::TimestampMicros(us) => timestamp_text(*us, 1_000_000),
        other => other.to_string(),
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian).
fn date_text(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn timestamp_text(v: i64, per_second: i64) -> String {
    let secs = v.div_euclid(per_second);
    let frac = v.rem_euclid(per_second);
    let (days, s) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let mut out = format!(
        "{} {:02}:{:02}:{:02}",
        date_text(days),
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if frac != 0 {
        let digits = if per_second == 1_000 { 3 } else { 6 };
        out.push_str(&format!(".{frac:0digits$}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use super::super::FileFormat;
    use super::super::testutil::{run, tables};
    use super::*;

    fn parquet_file(groups: usize) -> Vec<u8> {
        let schema = Arc::new(
            parse_message_type(
                "message m { required binary name (UTF8); required int64 id; optional int32 born (DATE); }",
            )
            .unwrap(),
        );
        let mut out = Vec::new();
        let mut w = SerializedFileWriter::new(&mut out, schema, Default::default()).unwrap();
        for g in 0..groups {
            let mut rg = w.next_row_group().unwrap();
            let mut col = rg.next_column().unwrap().unwrap();
            col.typed::<ByteArrayType>()
                .write_batch(
                    &[ByteArray::from("张三"), ByteArray::from("李四")],
                    None,
                    None,
                )
                .unwrap();
            col.close().unwrap();
            let mut col = rg.next_column().unwrap().unwrap();
            col.typed::<Int64Type>()
                .write_batch(&[110105194912310021, g as i64], None, None)
                .unwrap();
            col.close().unwrap();
            let mut col = rg.next_column().unwrap().unwrap();
            col.typed::<Int32Type>()
                .write_batch(&[19_000], Some(&[1, 0]), None)
                .unwrap();
            col.close().unwrap();
            rg.close().unwrap();
        }
        w.close().unwrap();
        out
    }

    #[test]
    fn row_groups_stream_as_one_table() {
        let (items, r) = run(&parquet_file(3), FileFormat::Parquet);
        r.unwrap();
        let t = tables(&items);
        assert_eq!(t[0].1, ["name", "id", "born"]);
        assert_eq!(t[0].2.len(), 6);
        assert_eq!(t[0].2[0], ["张三", "110105194912310021", "2022-01-08"]);
        assert_eq!(t[0].2[1], ["李四", "0", ""]);
        let Some(super::super::Item::Table(meta)) = items.first() else {
            panic!()
        };
        assert_eq!(meta.columns[1].declared_type.as_deref(), Some("INT64"));
    }

    #[test]
    fn truncated_parquet_is_an_error() {
        let f = parquet_file(1);
        for cut in [4, f.len() / 2, f.len() - 3] {
            let (_, r) = run(&f[..cut], FileFormat::Parquet);
            assert!(r.unwrap_err().to_string().contains("Parquet"), "cut {cut}");
        }
    }

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(date_text(0), "1970-01-01");
        assert_eq!(date_text(-1), "1969-12-31");
        assert_eq!(date_text(19_753), "2024-01-31");
        assert_eq!(
            timestamp_text(1_706_689_800_123, 1000),
            "2024-01-31 08:30:00.123"
        );
    }
}
