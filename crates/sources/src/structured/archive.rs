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
