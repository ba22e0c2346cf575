//! One error type for everything that can go wrong reading an input: it names the input and
//! says why, so the binary can print `shujian: {path}: {reason}` and go on with the next file.

use std::fmt;
use std::io;

/// An input could not be read (or could be read only in part).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct SourceError {
    /// The input as the user would recognise it (`dir/file.txt`, `<stdin>`).
    pub path: String,
    /// What went wrong.
    pub reason: Reason,
}

impl SourceError {
    /// An error for `path`.
    pub fn new(path: impl Into<String>, reason: Reason) -> SourceError {
        SourceError {
            path: path.into(),
            reason,
        }
    }
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    /// The operating system refused or failed (not found, permission denied, I/O error …).
    #[error("{}", IoMessage(.0))]
    Io(#[source] io::Error),
    /// A gzip stream ended before its end marker and checksum.
    #[error("not valid gzip (truncated at byte {0})")]
    GzipTruncated(u64),
    /// A gzip stream is corrupt (bad header, bad deflate data or checksum mismatch).
    #[error("not valid gzip ({detail}, at or before byte {at})")]
    GzipCorrupt {
        /// Compressed bytes read when the error was noticed.
        at: u64,
        /// What the decompressor reported.
        detail: String,
    },
    /// Walking a directory failed (a loop of symbolic links, a dangling link that was
    /// followed, an unreadable directory …).
    #[error("{0}")]
    Walk(String),
    /// The path names something that is neither a file nor a directory we can read.
    #[error("{0}")]
    Unsupported(&'static str),
    /// The content does not follow its format (`not valid CSV: unterminated quote at line 12`).
    #[error("not valid {format}: {detail}")]
    Malformed {
        /// The format expected (`CSV`, `JSON`, `XLSX` …).
        format: &'static str,
        /// What is wrong and where (line, byte, sheet …).
        detail: String,
    },
    /// A limit that guards memory and disk was reached (archive depth, entry count, expanded
    /// size, compression ratio, cell or member size).
    #[error("{0}")]
    Limit(String),
    /// A database, or one of its tables, could not be read (`connection refused`,
    /// `permission denied (…)`, `statement timeout`); passwords never appear here.
    #[error("{0}")]
    Database(String),
}

/// Renders an I/O error the way a user expects to read it: `permission denied`, not
/// `Permission denied (os error 13)`.
struct IoMessage<'a>(&'a io::Error);

impl fmt::Display for IoMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use io::ErrorKind as K;
        let text = match self.0.kind() {
            K::NotFound => "no such file or directory",
            K::PermissionDenied => "permission denied",
            K::IsADirectory => "is a directory",
            K::NotADirectory => "a path component is not a directory",
            K::UnexpectedEof => "unexpected end of file",
            K::Interrupted => "interrupted",
            K::InvalidFilename => "invalid file name",
            _ => {
                // Strip the "(os error N)" suffix the standard library adds.
                let s = self.0.to_string();
                let s = match s.find(" (os error") {
                    Some(i) => s[..i].to_string(),
                    None => s,
                };
                return f.write_str(&lowercase_first(&s));
            }
        };
        f.write_str(text)
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms ("EOF", "I/O") as they are.
        Some(c) if c.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(s[c.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_path_and_the_reason() {
        let e = SourceError::new(
            "logs/a.txt",
            Reason::Io(io::Error::from(io::ErrorKind::PermissionDenied)),
        );
        assert_eq!(e.to_string(), "logs/a.txt: permission denied");
        let e = SourceError::new("a.gz", Reason::GzipTruncated(120));
        assert_eq!(
            e.to_string(),
            "a.gz: not valid gzip (truncated at byte 120)"
        );
        let e = SourceError::new(
            "x",
            Reason::Io(io::Error::from_raw_os_error(5)), // EIO
        );
        assert!(!e.to_string().contains("os error"), "{e}");
        assert!(e.to_string().starts_with("x: "), "{e}");
    }

    #[test]
    fn lowercases_only_ordinary_words() {
        assert_eq!(lowercase_first("Input/output error"), "input/output error");
        assert_eq!(lowercase_first("EOF reached"), "EOF reached");
        assert_eq!(lowercase_first(""), "");
    }
}
