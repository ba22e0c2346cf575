//! Telling formats apart: by content (magic bytes) first, by the file name second.

use std::io::Read;
use std::path::Path;

/// What a file holds, by its content (magic bytes) first and its extension second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Plain text (read with [`open`](crate::open)).
    Text,
    /// Delimited text: CSV, TSV, `;`- or `|`-separated.
    Csv {
        /// The field delimiter, sniffed from the first lines.
        delimiter: u8,
    },
    /// One JSON document.
    Json,
    /// JSON values, one per line (`.ndjson`, `.jsonl`).
    Ndjson,
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Apache Parquet.
    Parquet,
    /// Word 2007+ document.
    Docx,
    /// PDF document.
    Pdf,
    /// Zip archive.
    Zip,
    /// Tar archive.
    Tar,
    /// Gzip-compressed tar archive.
    TarGz,
    /// Gzip-compressed file other than a tar (read as text with [`open`](crate::open)).
    Gzip,
    /// Some other binary format, not read.
    Binary,
}

impl FileFormat {
    /// Whether [`open_structured`](super::open_structured) reads it (everything but text,
    /// gzipped text and unknown binaries).
    pub fn is_structured(self) -> bool {
        !matches!(
            self,
            FileFormat::Text | FileFormat::Gzip | FileFormat::Binary
        )
    }

    /// A short name for messages: `CSV`, `XLSX` …
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Text => "text",
            FileFormat::Csv { .. } => "CSV",
            FileFormat::Json => "JSON",
            FileFormat::Ndjson => "NDJSON",
            FileFormat::Xlsx => "XLSX",
            FileFormat::Xls => "XLS",
            FileFormat::Ods => "ODS",
            FileFormat::Parquet => "Parquet",
            FileFormat::Docx => "DOCX",
            FileFormat::Pdf => "PDF",
            FileFormat::Zip => "zip",
            FileFormat::Tar => "tar",
            FileFormat::TarGz => "tar.gz",
            FileFormat::Gzip => "gzip",
            FileFormat::Binary => "binary",
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const GZIP: &[u8] = b"\x1F\x8B";

/// What a file holds, from its first bytes (`head`, a few KiB; [`SNIFF`](crate::SNIFF) is
/// plenty) and its name. Magic bytes decide between families (zip, OLE, gzip, PDF, Parquet,
/// tar); the extension and the names inside a zip decide within one; for text, the extension
/// picks CSV/TSV (delimiter sniffed from the first lines) or JSON.
pub fn sniff_format(path: &Path, head: &[u8]) -> FileFormat {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let ext = |e: &str| name.ends_with(e);
    if head.starts_with(ZIP) || head.starts_with(ZIP_EMPTY) {
        return if ext(".xlsx") || ext(".xlsm") || ext(".xltx") {
            FileFormat::Xlsx
        } else if ext(".docx") || ext(".docm") || ext(".dotx") {
            FileFormat::Docx
        } else if ext(".ods")
            || contains(
                head,
                b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            )
        {
            FileFormat::Ods
        } else if zip_names(head).iter().any(|n| n.starts_with(b"xl/")) {
            FileFormat::Xlsx
        } else if zip_names(head).iter().any(|n| n.starts_with(b"word/")) {
            FileFormat::Docx
        } else {
            FileFormat::Zip
        };
    }
    if head.starts_with(OLE) {
        // OLE also holds .doc and .msg, which are not read.
        return if ext(".xls") || ext(".xlt") {
            FileFormat::Xls
        } else {
            FileFormat::Binary
        };
    }
    if head.starts_with(b"PAR1") {
        return FileFormat::Parquet;
    }
    if head.starts_with(b"%PDF-") {
        return FileFormat::Pdf;
    }
    if is_tar(head) {
        return FileFormat::Tar;
    }
    if head.starts_with(GZIP) {
        if ext(".tgz") || ext(".tar.gz") {
            return FileFormat::TarGz;
        }
        let inner = gunzip_head(head);
        if is_tar(&inner) {
            return FileFormat::TarGz;
        }
        // `users.csv.gz`: the format of what is inside, read through the decompressor.
        let stem = name.strip_suffix(".gz").unwrap_or(&name);
        return match text_format(stem, &inner) {
            FileFormat::Text => FileFormat::Gzip,
            f => f,
        };
    }
    if crate::open::binary_kind_of(head).is_some() {
        return FileFormat::Binary;
    }
    text_format(&name, head)
}

/// CSV or JSON by extension (the delimiter by content), else text.
fn text_format(name: &str, head: &[u8]) -> FileFormat {
    let ext = |e: &str| name.ends_with(e);
    if ext(".csv") || ext(".tsv") || ext(".tab") || ext(".psv") {
        let fallback = if ext(".tsv") || ext(".tab") {
            b'\t'
        } else if ext(".psv") {
            b'|'
        } else {
            b','
        };
        let text = head_text(head);
        let delimiter = sniff_delimiter(text.as_bytes()).unwrap_or(fallback);
        return FileFormat::Csv { delimiter };
    }
    if ext(".ndjson") || ext(".jsonl") {
        return FileFormat::Ndjson;
    }
    if ext(".json") {
        return if looks_ndjson(head_text(head).as_bytes()) {
            FileFormat::Ndjson
        } else {
            FileFormat::Json
        };
    }
    FileFormat::Text
}

/// The names of the zip members whose local headers lie in `head`, walking header to header
/// (stops at a member whose size is only given after its data). Only the archive's own
/// members: the bytes of a stored member (say an `.xlsx` inside a plain zip) are skipped,
/// so its inner names do not make the outer zip look like a workbook.
fn zip_names(head: &[u8]) -> Vec<&[u8]> {
    let le16 = |i: usize| {
        head.get(i..i + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let le32 = |i: usize| {
        head.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let mut names = Vec::new();
    let mut at = 0usize;
    while head.get(at..at + 4) == Some(ZIP) {
        let (Some(flags), Some(size), Some(n), Some(extra)) =
            (le16(at + 6), le32(at + 18), le16(at + 26), le16(at + 28))
        else {
            break;
        };
        let Some(name) = head.get(at + 30..at + 30 + n) else {
            break;
        };
        names.push(name);
        if flags & 0x08 != 0 {
            // Sizes follow the data: the next header cannot be found without inflating.
            break;
        }
        at = at + 30 + n + extra + size;
    }
    names
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// POSIX and GNU tar: `ustar` at offset 257.
fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// As much of a gzip stream's start as decompresses from `head`.
fn gunzip_head(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut d = flate2::read::GzDecoder::new(head).take(8 << 10);
    let mut buf = [0u8; 1024];
    loop {
        match d.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    out
}

/// The head as text, for sniffing: UTF-16 decoded, other encodings as they are (the
/// delimiters and JSON punctuation are ASCII in UTF-8, GBK and GB18030 alike).
fn head_text(head: &[u8]) -> String {
    match encoding_rs::Encoding::for_bom(head) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&head[bom..]).0.into_owned(),
        None => String::from_utf8_lossy(head).into_owned(),
    }
}

/// Several lines that each start with `{` and the first ends with `}`.
fn looks_ndjson(head: &[u8]) -> bool {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty());
    match (lines.next(), lines.next()) {
        (Some(a), Some(b)) => a.starts_with(b"{") && a.ends_with(b"}") && b.starts_with(b"{"),
        _ => false,
    }
}

/// The delimiter among `,` `\t` `;` `|` that splits the first lines (up to 20, the last one
/// possibly cut off is ignored) into the same number of fields, more than one; ties go to the
/// one with more fields. Delimiters inside double quotes do not count.
pub(crate) fn sniff_delimiter(text: &[u8]) -> Option<u8> {
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                lines.push(&text[start..i]);
                start = i + 1;
                if lines.len() == 20 {
                    break;
                }
            }
            _ => {}
        }
    }
    if lines.is_empty() {
        lines.push(&text[start..]);
    }
    let mut best: Option<(usize, usize, u8)> = None; // (consistent lines, fields, delimiter)
    for d in CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let first = counts[0];
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        // Most lines must agree.
        if consistent * 10 < counts.len() * 8 {
            continue;
        }
        let score = (consistent, first, d);
        if best.is_none_or(|b| (score.0, score.1) > (b.0, b.1)) {
            best = Some(score);
        }
    }
    best.map(|b| b.2)
}

fn count_outside_quotes(line: &[u8], d: u8) -> usize {
    let mut n = 0;
    let mut in_quotes = false;
    for &b in line {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == d && !in_quotes {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod zip_name_tests {
    use super::*;

    fn local_header(name: &str, data: &[u8]) -> Vec<u8> {
        let mut h = ZIP.to_vec();
        h.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let size = (data.len() as u32).to_le_bytes();
        h.extend_from_slice(&size);
        h.extend_from_slice(&size);
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&[0, 0]);
        h.extend_from_slice(name.as_bytes());
        h.extend_from_slice(data);
        h
    }

    #[test]
    fn a_zip_holding_a_stored_workbook_is_a_zip() {
        let inner = [
            local_header("[Content_Types].xml", b"<x/>"),
            local_header("xl/workbook.xml", b"<w/>"),
        ]
        .concat();
        let outer = local_header("hr.xlsx", &inner);
        assert_eq!(zip_names(&outer), vec![b"hr.xlsx".as_slice()]);
        assert_eq!(
            sniff_format(Path::new("inner.zip"), &outer),
            FileFormat::Zip
        );
        assert_eq!(sniff_format(Path::new("book"), &inner), FileFormat::Xlsx);
        let doc = [
            local_header("_rels/.rels", b""),
            local_header("word/document.xml", b""),
        ]
        .concat();
        assert_eq!(sniff_format(Path::new("x.bin"), &doc), FileFormat::Docx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(name: &str, head: &[u8]) -> FileFormat {
        sniff_format(Path::new(name), head)
    }

    #[test]
    fn magic_first_then_extension() {
        assert_eq!(sniff("a.xlsx", b"PK\x03\x04rest"), FileFormat::Xlsx);
        assert_eq!(sniff("a.docx", b"PK\x03\x04rest"), FileFormat::Docx);
        assert_eq!(sniff("a.zip", b"PK\x03\x04rest"), FileFormat::Zip);
        // Workbooks without their extension: see `zip_name_tests`.
        assert_eq!(sniff("a.xls", OLE), FileFormat::Xls);
        assert_eq!(sniff("a.doc", OLE), FileFormat::Binary);
        assert_eq!(sniff("a.csv", b"PAR1...."), FileFormat::Parquet);
        assert_eq!(sniff("x", b"%PDF-1.7\n"), FileFormat::Pdf);
        assert_eq!(sniff("x.png", b"\x89PNG\r\n\x1a\n"), FileFormat::Binary);
        assert_eq!(sniff("a.txt", "身份证".as_bytes()), FileFormat::Text);
        // A .csv that is really a zip is a zip.
        assert_eq!(sniff("a.csv", b"PK\x03\x04"), FileFormat::Zip);
    }

    #[test]
    fn tar_and_gzip() {
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff("a", &tar), FileFormat::Tar);
        let gz = |b: &[u8]| {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(b).unwrap();
            e.finish().unwrap()
        };
        assert_eq!(sniff("a.bin", &gz(&tar)), FileFormat::TarGz);
        assert_eq!(sniff("a.tgz", &gz(b"x")), FileFormat::TarGz);
        assert_eq!(sniff("a.log.gz", &gz(b"hello")), FileFormat::Gzip);
        assert_eq!(
            sniff("a.csv.gz", &gz(b"a;b;c\n1;2;3\n")),
            FileFormat::Csv { delimiter: b';' }
        );
    }

    #[test]
    fn csv_delimiters_and_json_kinds() {
        assert_eq!(
            sniff("a.csv", b"name,phone\nzhang,138\n"),
            FileFormat::Csv { delimiter: b',' }
        );
        assert_eq!(
            sniff(
                "a.csv",
                "姓名\t地址\n张三\t北京市,朝阳区\n李四\t上海\n".as_bytes()
            ),
            FileFormat::Csv { delimiter: b'\t' }
        );
        assert_eq!(
            sniff("a.txt.csv", b"a|b|c\n\"x|y\"|2|3\n"),
            FileFormat::Csv { delimiter: b'|' }
        );
        assert_eq!(
            sniff("a.tsv", b"single\n"),
            FileFormat::Csv { delimiter: b'\t' }
        );
        assert_eq!(sniff("a.json", b"[{\"a\":1}]"), FileFormat::Json);
        assert_eq!(
            sniff("a.json", b"{\"a\":1}\n{\"a\":2}\n"),
            FileFormat::Ndjson
        );
        assert_eq!(sniff("a.jsonl", b"{}"), FileFormat::Ndjson);
    }
}
