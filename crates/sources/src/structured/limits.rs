//! Limits that keep archives (zip bombs, nested archives, huge members) from exhausting
//! memory or time.

use std::io::{self, Read};

/// Limits on archives and on members buffered in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Archives nested deeper than this are not entered (the top file is depth 0, a zip in it
    /// depth 1 …).
    pub max_depth: u32,
    /// Members read at most, over all levels.
    pub max_entries: u64,
    /// Bytes expanded from archives at most, over all levels and members.
    pub max_expanded_bytes: u64,
    /// Bytes one member may expand to.
    pub max_entry_bytes: u64,
    /// A member may expand to at most this many times its compressed size (plus 1 MiB of
    /// slack so tiny members of repetitive text pass).
    pub max_ratio: u64,
    /// A member (or a stream) that needs random access (XLSX, DOCX, Parquet, PDF, zip) is
    /// buffered in memory up to this size.
    pub max_buffered_bytes: u64,
}

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            max_depth: 4,
            max_entries: 10_000,
            max_expanded_bytes: 4 << 30,
            max_entry_bytes: 1 << 30,
            max_ratio: 200,
            max_buffered_bytes: 128 << 20,
        }
    }
}

/// Slack on top of the ratio limit.
const RATIO_SLACK: u64 = 1 << 20;

/// `1.5 GiB`, `200 MiB`, `512 bytes`.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size {
            let v = n as f64 / size as f64;
            return if v.fract() == 0.0 {
                format!("{v:.0} {unit}")
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

/// The payload of an I/O error raised by [`LimitedReader`].
#[derive(Debug)]
struct LimitExceeded(String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{LIMIT_TAG}{}", self.0)
    }
}

impl std::error::Error for LimitExceeded {}

/// The message of a limit error raised by a [`LimitedReader`], found anywhere in the chain
/// of `e` (decompressors and parsers wrap it).
pub(crate) fn limit_message(e: &io::Error) -> Option<String> {
    if let Some(l) = e.get_ref().and_then(|i| i.downcast_ref::<LimitExceeded>()) {
        return Some(l.0.clone());
    }
    let s = e.to_string();
    s.find(LIMIT_TAG)
        .map(|i| s[i + LIMIT_TAG.len()..].to_string())
}

/// Marks limit messages that pass through a library that stringifies errors.
const LIMIT_TAG: &str = "limit reached: ";

/// A member's decompressed bytes, counted against the member's and the archive's limits.
/// Reading past a limit fails with an error whose message names the limit.
pub(crate) struct LimitedReader<'b, R> {
    pub(crate) inner: R,
    read: u64,
    /// The most this member may give.
    cap: u64,
    why: String,
    total: &'b mut u64,
    total_cap: u64,
}

impl<'b, R: Read> LimitedReader<'b, R> {
    /// Counts `inner` against `limits`: `compressed` is the member's compressed size when the
    /// archive says it (zip), `total` the bytes expanded so far over all members.
    pub(crate) fn new(
        inner: R,
        limits: &ArchiveLimits,
        compressed: Option<u64>,
        total: &'b mut u64,
    ) -> LimitedReader<'b, R> {
        let mut cap = limits.max_entry_bytes;
        let mut why = format!(
            "limit reached: member expands past the limit of {} per member",
            human_bytes(cap)
        );
        if let Some(c) = compressed {
            let by_ratio = c
                .saturating_mul(limits.max_ratio)
                .saturating_add(RATIO_SLACK);
            if by_ratio < cap {
                cap = by_ratio;
                why = format!(
                    "limit reached: member expands more than {}:1 (compressed {}; a zip bomb?)",
                    limits.max_ratio,
                    human_bytes(c)
                );
            }
        }
        LimitedReader {
            inner,
            read: 0,
            cap,
            why,
            total,
            total_cap: limits.max_expanded_bytes,
        }
    }
}

impl<R: Read> Read for LimitedReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read >= self.cap {
            // One byte more tells a member of exactly `cap` bytes from a larger one.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            return Err(limit_error(&self.why));
        }
        if *self.total >= self.total_cap {
            return Err(limit_error(&format!(
                "limit reached: archive expands past the limit of {} in total",
                human_bytes(self.total_cap)
            )));
        }
        let room = (self.cap - self.read).min(self.total_cap - *self.total);
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        *self.total += n as u64;
        Ok(n)
    }
}

fn limit_error(msg: &str) -> io::Error {
    io::Error::other(LimitExceeded(
        msg.strip_prefix(LIMIT_TAG).unwrap_or(msg).to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(4 << 30), "4 GiB");
        assert_eq!(human_bytes(3 << 19), "1.5 MiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }

    #[test]
    fn ratio_limit_stops_a_member() {
        let limits = ArchiveLimits::default();
        let mut total = 0;
        let zeros = io::repeat(0).take(10 << 20);
        let mut r = LimitedReader::new(zeros, &limits, Some(1000), &mut total);
        let e = io::copy(&mut r, &mut io::sink()).unwrap_err();
        let msg = limit_message(&e).unwrap();
        assert!(msg.contains("200:1"), "{msg}");
        assert!(total <= 1000 * 200 + RATIO_SLACK);

        // Exactly at the cap is fine.
        let mut total = 0;
        let data = io::repeat(1).take(RATIO_SLACK + 200);
        let mut r = LimitedReader::new(data, &limits, Some(1), &mut total);
        assert_eq!(
            io::copy(&mut r, &mut io::sink()).unwrap(),
            RATIO_SLACK + 200
        );
    }

    #[test]
    fn total_limit_spans_members() {
        let limits = ArchiveLimits {
            max_expanded_bytes: 100,
            ..ArchiveLimits::default()
        };
        let mut total = 60;
        let mut r = LimitedReader::new(io::repeat(0).take(50), &limits, None, &mut total);
        let e = io::copy(&mut r, &mut io::sink()).unwrap_err();
        assert!(limit_message(&e).unwrap().contains("100 bytes in total"));
    }
}
