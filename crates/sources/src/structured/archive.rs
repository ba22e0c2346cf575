//! Zip and tar (plain or gzip) archives, entered recursively.
//!
//! Members are read as streams through a [`LimitedReader`] (never extracted to disk); a
//! member that needs random access (XLSX, DOCX, Parquet, PDF, a nested zip) is buffered in
//! memory up to [`ArchiveLimits::max_buffered_bytes`](super::ArchiveLimits). Every member is
//! bracketed by [`Item::Entry`] and [`Item::EntryEnd`]; a member that fails gives an
//! [`Item::Error`] and the next one is read; a limit that is reached (depth, entries,
//! expanded bytes, ratio) gives an [`Item::Error`] naming the member and the limit and stops
//! the archive. Binary members of formats that are not read are passed over silently.

use std::cell::Cell;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;

use super::limits::LimitedReader;
use super::{
    Emitter, FileFormat, Flow, Halt, Item, ReadSeek, Source, guarded, io_error, malformed,
    read_source, sniff_format,
};
use crate::error::{Reason, SourceError};
use crate::open::SNIFF;

/// Whether to go on with the next member.
enum Next {
    Go,
    StopArchive,
}

/// Reads one member: sniffs its format from its first bytes and its name, then reads it.
fn member(
    em: &mut Emitter<'_>,
    archive: &str,
    member_name: &str,
    reader: &mut dyn Read,
    depth: u32,
) -> Result<Next, Halt> {
    let path = format!("{archive}!/{member_name}");
    em.entries += 1;
    if em.entries > em.opts.limits.max_entries {
        em.error(SourceError::new(
            path,
            Reason::Limit(format!(
                "limit reached: more than {} archive members; the rest of {archive} is not read",
                em.opts.limits.max_entries
            )),
        ))?;
        return Ok(Next::StopArchive);
    }
    let mut head = Vec::with_capacity(SNIFF);
    if let Err(e) = reader.take(SNIFF as u64).read_to_end(&mut head) {
        return report(em, io_error(&path, e));
    }
    let format = sniff_format(Path::new(member_name), &head);
    if format == FileFormat::Binary || head.is_empty() {
        return Ok(Next::Go);
    }
    let nested_archive = matches!(
        format,
        FileFormat::Zip | FileFormat::Tar | FileFormat::TarGz
    );
    if nested_archive && depth + 1 > em.opts.limits.max_depth {
        em.emit(Item::Entry { path: path.clone() })?;
        em.error(SourceError::new(
            path,
            Reason::Limit(format!(
                "limit reached: archives nested more than {} deep are not entered",
                em.opts.limits.max_depth
            )),
        ))?;
        em.emit(Item::EntryEnd)?;
        return Ok(Next::Go);
    }
    em.emit(Item::Entry { path: path.clone() })?;
    let stream: Box<dyn Read + '_> = Box::new(io::Cursor::new(head).chain(reader));
    let r = read_source(em, &path, Source::Stream(stream), format, depth + 1);
    let next = match r {
        Ok(()) => Next::Go,
        Err(Halt::Stopped) => return Err(Halt::Stopped),
        Err(Halt::Failed(e)) => report(em, e)?,
    };
    em.emit(Item::EntryEnd)?;
    Ok(next)
}

/// Reports a member's failure; a limit stops the archive.
fn report(em: &mut Emitter<'_>, e: SourceError) -> Result<Next, Halt> {
    let stop = matches!(e.reason, Reason::Limit(_));
    em.error(e)?;
    Ok(if stop { Next::StopArchive } else { Next::Go })
}

pub(super) fn read_zip(
    em: &mut Emitter<'_>,
    name: &str,
    rs: Box<dyn ReadSeek>,
    depth: u32,
) -> Flow {
    let mut zip = guarded(name, "zip", || {
        zip::ZipArchive::new(rs).map_err(|e| zip_error(name, &e))
    })?;
    for i in 0..zip.len() {
        let start = em.expanded;
        let mut expanded = start;
        let z = &mut zip;
        let opened = guarded(name, "zip", move || match z.by_index(i) {
            Ok(f) => Ok(Some(f)),
            Err(e) => Err(zip_error(name, &e)),
        });
        let mut file = match opened {
            Ok(Some(f)) => f,
            Ok(None) => continue,
            Err(e) => {
                em.error(e)?;
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let member_name = match file.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
        };
        let compressed = file.compressed_size();
        let mut limited =
            LimitedReader::new(&mut file, &em.opts.limits, Some(compressed), &mut expanded);
        let mut guarded_read = PanicFreeRead(&mut limited);
        // The limited reader counts into `expanded` while the member is read; nested archives
        // count into `em.expanded` meanwhile; both are added up after.
        let next = member(em, name, &member_name, &mut guarded_read, depth)?;
        drop(limited);
        em.expanded += expanded - start;
        if let Next::StopArchive = next {
            break;
        }
    }
    Ok(())
}

/// Turns a panic of a decompressor into an I/O error.
struct PanicFreeRead<'r>(&'r mut dyn Read);

impl Read for PanicFreeRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.0.read(buf))) {
            Ok(r) => r,
            Err(_) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "corrupt compressed data",
            )),
        }
    }
}

fn zip_error(name: &str, e: &zip::result::ZipError) -> SourceError {
    match e {
        zip::result::ZipError::Io(io) => io_error(name, io::Error::new(io.kind(), io.to_string())),
        other => malformed(name, "zip", other.to_string()),
    }
}

/// Counts compressed bytes read, to bound the expansion ratio of a gzip-compressed tar.
struct Counted<R> {
    inner: R,
    n: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.set(self.n.get() + k as u64);
        Ok(k)
    }
}

/// Fails once the decompressed stream has grown past `ratio` times the compressed bytes
/// read so far (plus slack).
struct RatioGuard<R> {
    inner: R,
    compressed: Rc<Cell<u64>>,
    out: u64,
    ratio: u64,
}

impl<R: Read> Read for RatioGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.out += k as u64;
        let allowed = self
            .compressed
            .get()
            .saturating_mul(self.ratio)
            .saturating_add(8 << 20);
        if self.out > allowed {
            return Err(io::Error::other(format!(
                "limit reached: the archive expands more than {}:1 (a gzip bomb?)",
                self.ratio
            )));
        }
        Ok(k)
    }
}

pub(super) fn read_tar(
    em: &mut Emitter<'_>,
    name: &str,
    reader: Box<dyn Read + '_>,
    depth: u32,
    gzip: bool,
) -> Flow {
    let reader: Box<dyn Read + '_> = if gzip {
        let n = Rc::new(Cell::new(0));
        let counted = Counted {
            inner: reader,
            n: Rc::clone(&n),
        };
        Box::new(RatioGuard {
            inner: flate2::read::MultiGzDecoder::new(counted),
            compressed: n,
            out: 0,
            ratio: em.opts.limits.max_ratio,
        })
    } else {
        reader
    };
    let mut tar = tar::Archive::new(reader);
    let entries = match tar.entries() {
        Ok(e) => e,
        Err(e) => return Err(tar_error(name, &e).into()),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let err = tar_error(name, &e);
                let stop = matches!(err.reason, Reason::Limit(_));
                em.error(err)?;
                if stop {
                    break;
                }
                // The stream position is lost after a bad header: stop.
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let member_name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "?".into());
        let start = em.expanded;
        let mut expanded = start;
        let mut limited = LimitedReader::new(&mut entry, &em.opts.limits, None, &mut expanded);
        let next = member(em, name, &member_name, &mut limited, depth)?;
        drop(limited);
        em.expanded += expanded - start;
        if let Next::StopArchive = next {
            break;
        }
    }
    Ok(())
}

fn tar_error(name: &str, e: &io::Error) -> SourceError {
    let s = e.to_string();
    if let Some(i) = s.find("limit reached: ") {
        return SourceError::new(
            name,
            Reason::Limit(s[i + "limit reached: ".len()..].to_string()),
        );
    }
    if let Some(m) = super::limits::limit_message(e) {
        return SourceError::new(name, Reason::Limit(m));
    }
    malformed(name, "tar", s)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::testutil::{errors, run, run_with, tables, texts};
    use super::super::{ArchiveLimits, FileFormat, Item, StructuredOptions};

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        for (name, data) in members {
            z.start_file(*name, o).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    fn entries(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Entry { path } => Some(path.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn members_of_any_format_recursively() {
        let docx = super::super::docx::tests::docx("<w:p><w:r><w:t>合同</w:t></w:r></w:p>");
        let inner = zip_of(&[("deep/users.csv", b"name,phone\nzhang,13812345678\n")]);
        let mut tar = tar::Builder::new(Vec::new());
        let data = b"{\"phone\":\"13912345678\"}\n";
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_cksum();
        tar.append_data(&mut h, "x.ndjson", &data[..]).unwrap();
        let tar = tar.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        let tgz = gz.finish().unwrap();
        let outer = zip_of(&[
            ("a.txt", "备注 手机13812345678".as_bytes()),
            ("inner.zip", &inner),
            ("c.docx", &docx),
            ("d.tar.gz", &tgz),
            ("e.png", b"\x89PNG\r\n\x1a\n...."),
        ]);
        let (items, r) = run(&outer, FileFormat::Zip);
        r.unwrap();
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        assert_eq!(
            entries(&items),
            [
                "t!/a.txt",
                "t!/inner.zip",
                "t!/inner.zip!/deep/users.csv",
                "t!/c.docx",
                "t!/d.tar.gz",
                "t!/d.tar.gz!/x.ndjson"
            ]
        );
        let t = tables(&items);
        assert_eq!(t[0].0, "users.csv");
        assert_eq!(t[0].2, [["zhang", "13812345678"]]);
        assert_eq!(t[1].2, [["13912345678"]]);
        assert!(texts(&items).contains("手机13812345678"));
        assert!(texts(&items).contains("合同"));
        let starts = items
            .iter()
            .filter(|i| matches!(i, Item::Entry { .. }))
            .count();
        let ends = items.iter().filter(|i| matches!(i, Item::EntryEnd)).count();
        assert_eq!(starts, ends);
    }

    /// A raw deflate stream of `blocks` MiB of zeros, made from one compressed block repeated
    /// (every back-reference points at zeros whatever block precedes it).
    fn deflated_zeros(blocks: usize) -> Vec<u8> {
        deflated(&[], blocks, false, b'0')
    }

    /// `prefix` then `blocks` MiB of zeros, deflated (raw, or with a zlib-free gzip frame
    /// when `gzip`; the gzip CRC is left zero).
    fn deflated(prefix: &[u8], blocks: usize, gzip: bool, fill: u8) -> Vec<u8> {
        use flate2::{Compress, Compression, FlushCompress};
        let zeros = vec![fill; 1 << 20];
        let mut c = Compress::new(Compression::best(), false);
        let mut out = Vec::new();
        if gzip {
            out.extend_from_slice(&[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]);
        }
        let mut head = Vec::with_capacity(prefix.len() + 1024);
        c.compress_vec(prefix, &mut head, FlushCompress::Full)
            .unwrap();
        out.extend_from_slice(&head);
        let mut block = Vec::with_capacity(1 << 16);
        c.compress_vec(&zeros, &mut block, FlushCompress::Full)
            .unwrap();
        for _ in 0..blocks {
            out.extend_from_slice(&block);
        }
        let mut tail = Vec::with_capacity(64);
        c.compress_vec(&[], &mut tail, FlushCompress::Finish)
            .unwrap();
        out.extend_from_slice(&tail);
        if gzip {
            out.extend_from_slice(&[0; 8]);
        }
        out
    }

    /// A zip holding `name` as the given raw deflate data of `size` bytes (the CRC is left
    /// zero: a reader stopped by a limit never gets to check it).
    fn raw_zip(members: &[(&str, &[u8], u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data, size) in members {
            let offset = out.len() as u32;
            let fields = |v: &mut Vec<u8>| {
                v.extend_from_slice(&20u16.to_le_bytes()); // version needed
                v.extend_from_slice(&0u16.to_le_bytes()); // flags
                v.extend_from_slice(&8u16.to_le_bytes()); // deflate
                v.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
                v.extend_from_slice(&0u32.to_le_bytes()); // crc
                v.extend_from_slice(&(data.len() as u32).to_le_bytes());
                v.extend_from_slice(&size.to_le_bytes());
                v.extend_from_slice(&(name.len() as u16).to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes()); // extra
            };
            out.extend_from_slice(b"PK\x03\x04");
            fields(&mut out);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&20u16.to_le_bytes()); // made by
            fields(&mut central);
            central.extend_from_slice(&[0; 6]); // comment len, disk, int attr
            central.extend_from_slice(&0u32.to_le_bytes()); // ext attr
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        let n = members.len() as u16;
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn a_zip_bomb_is_refused_quickly() {
        // 1 GiB of zeros compressed to about 1 MiB, then a member that must not be reached.
        let zeros = deflated_zeros(1024);
        let after = deflated_zeros(0);
        let bomb = raw_zip(&[("zeros.txt", &zeros, 1 << 30), ("after.txt", &after, 0)]);
        assert!(bomb.len() < 8 << 20, "{}", bomb.len());
        let started = std::time::Instant::now();
        // Keep only what the test looks at: the member's text would be 200 MB.
        let mut items = Vec::new();
        super::super::read_structured_bytes(
            "t",
            bomb,
            FileFormat::Zip,
            &StructuredOptions::default(),
            &mut |i| {
                if matches!(i, Item::Error(_) | Item::Entry { .. }) {
                    items.push(i);
                }
                std::ops::ControlFlow::Continue(())
            },
        )
        .unwrap();
        let e = errors(&items);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("t!/zeros.txt: "), "{e:?}");
        assert!(e[0].contains("200:1"), "{e:?}");
        assert!(
            !entries(&items).iter().any(|p| p.contains("after")),
            "archive stopped"
        );
        assert!(started.elapsed().as_secs() < 60);
    }

    #[test]
    fn nesting_and_entry_limits() {
        let mut z = zip_of(&[("x.txt", b"deepest")]);
        for i in 0..6 {
            z = zip_of(&[(&format!("level{i}.zip"), &z)]);
        }
        let (items, r) = run(&z, FileFormat::Zip);
        r.unwrap();
        let e = errors(&items);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("nested more than 4 deep"), "{e:?}");
        assert!(!texts(&items).contains("deepest"));

        let many: Vec<(String, Vec<u8>)> = (0..20)
            .map(|i| (format!("{i}.txt"), b"x".to_vec()))
            .collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), &d[..])).collect();
        let opts = StructuredOptions {
            limits: ArchiveLimits {
                max_entries: 5,
                ..ArchiveLimits::default()
            },
            ..StructuredOptions::default()
        };
        let (items, r) = run_with(&zip_of(&refs), FileFormat::Zip, &opts);
        r.unwrap();
        assert_eq!(entries(&items).len(), 5);
        assert!(errors(&items)[0].contains("more than 5 archive members"));
    }

    #[test]
    fn a_gzip_bomb_in_a_tar_is_refused() {
        // A tar header announcing 1 GiB of zeros, gzip-compressed to about 1 MiB.
        let mut h = tar::Header::new_gnu();
        h.set_path("zeros.txt").unwrap();
        h.set_size(1 << 30);
        h.set_cksum();
        let tgz = deflated(h.as_bytes(), 1024, true, b' ');
        let (items, r) = run(&tgz, FileFormat::TarGz);
        r.unwrap();
        let e = errors(&items);
        assert!(e.iter().any(|e| e.contains("200:1")), "{e:?}");
    }

    #[test]
    fn broken_archives_are_errors() {
        let z = zip_of(&[("a.csv", b"a,b\n1,2\n")]);
        let (_, r) = run(&z[..z.len() - 10], FileFormat::Zip);
        assert!(r.unwrap_err().to_string().contains("zip"));
        let (items, r) = run(b"not a tar at all, not at all", FileFormat::Tar);
        assert!(r.is_err() || !errors(&items).is_empty() || items.is_empty());
        let (items, r) = run(b"\x1f\x8b\x08\x00garbage", FileFormat::TarGz);
        assert!(r.is_err() || !errors(&items).is_empty());
    }
}
