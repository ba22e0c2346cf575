//! Turning the paths a user names into the inputs to read.
//!
//! * `-` is standard input.
//! * A path that is not a directory is read as it is, even if an ignore file names it or it
//!   is hidden (as in ripgrep: naming a file is asking for it). Pipes such as `<(zcat x.gz)`
//!   work too.
//! * A directory is walked recursively with the `ignore` crate. Rules come from `.gitignore`
//!   (inside or outside a Git repository), `.ignore` and `.shujianignore` files, and Git's
//!   global and `info/exclude` files. **Hidden files are scanned** (`.env` files and dot-config
//!   files are where secrets live) unless [`WalkOptions::skip_hidden`]; version-control
//!   directories (`.git`, `.hg`, `.svn`) are never entered. Symbolic links are not followed
//!   unless [`WalkOptions::follow_links`]; only regular files are read (no sockets, pipes or
//!   devices found inside directories).
//! * Entries are visited in byte order of their names, directory by directory, so the order of
//!   inputs — and of everything reported — is the same on every run.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Reason, SourceError};

/// The name of shujian's own ignore file (same syntax as `.gitignore`).
pub const IGNORE_FILE: &str = ".shujianignore";

/// Directories of version-control systems, never entered.
const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file (or a pipe or device the user named).
    File(PathBuf),
}

impl Input {
    /// The name to show the user.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// The size in bytes, if it is a regular file (for progress only; may be stale).
    pub fn size(&self) -> Option<u64> {
        match self {
            Input::Stdin => None,
            Input::File(p) => std::fs::metadata(p)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len()),
        }
    }
}

/// How to walk directories.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Do not honour ignore files.
    pub no_ignore: bool,
    /// Skip hidden files and directories (names starting with `.`).
    pub skip_hidden: bool,
    /// Follow symbolic links inside directories.
    pub follow_links: bool,
}

/// What walking yields: an input, or a path that could not be walked.
#[derive(Debug)]
pub enum WalkItem {
    /// An input to read.
    Input(Input),
    /// A path that could not be read or walked.
    Error(SourceError),
}

/// The inputs under some paths, lazily, in a deterministic order.
pub struct Walker {
    roots: std::vec::IntoIter<PathBuf>,
    opts: WalkOptions,
    dir: Option<ignore::Walk>,
    dir_root: PathBuf,
}

impl std::fmt::Debug for Walker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walker")
            .field("opts", &self.opts)
            .field("dir_root", &self.dir_root)
            .finish_non_exhaustive()
    }
}

impl Walker {
    /// A walker over `paths`, in the order given.
    pub fn new(paths: Vec<PathBuf>, opts: WalkOptions) -> Walker {
        Walker {
            roots: paths.into_iter(),
            opts,
            dir: None,
            dir_root: PathBuf::new(),
        }
    }

    fn walk_dir(&self, root: &Path) -> ignore::Walk {
        let mut b = ignore::WalkBuilder::new(root);
        let honour = !self.opts.no_ignore;
        b.hidden(self.opts.skip_hidden)
            .follow_links(self.opts.follow_links)
            .ignore(honour)
            .git_ignore(honour)
            .git_global(honour)
            .git_exclude(honour)
            .parents(honour)
            .require_git(false)
            .sort_by_file_name(OsStr::cmp)
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_type().is_some_and(|t| t.is_dir())
                        && VCS_DIRS.iter().any(|d| e.file_name() == *d))
            });
        if honour {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        b.build()
    }

    fn next_in_dir(&mut self) -> Option<WalkItem> {
        let walk = self.dir.as_mut()?;
        for entry in walk.by_ref() {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        return Some(WalkItem::Input(Input::File(e.into_path())));
                    }
                }
                Err(err) => return Some(WalkItem::Error(walk_error(&self.dir_root, &err))),
            }
        }
        self.dir = None;
        None
    }
}

impl Iterator for Walker {
    type Item = WalkItem;

    fn next(&mut self) -> Option<WalkItem> {
        loop {
            if let Some(item) = self.next_in_dir() {
                return Some(item);
            }
            let root = self.roots.next()?;
            if root.as_os_str() == "-" {
                return Some(WalkItem::Input(Input::Stdin));
            }
            match std::fs::metadata(&root) {
                Ok(m) if m.is_dir() => {
                    self.dir = Some(self.walk_dir(&root));
                    self.dir_root = root;
                }
                Ok(_) => return Some(WalkItem::Input(Input::File(root))),
                Err(e) => {
                    return Some(WalkItem::Error(SourceError::new(
                        root.display().to_string(),
                        Reason::Io(e),
                    )));
                }
            }
        }
    }
}

/// Renders a walk error with the path it concerns and the reason.
fn walk_error(root: &Path, err: &ignore::Error) -> SourceError {
    let mut path = None;
    let mut depth_err = err;
    loop {
        match depth_err {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.clone());
                depth_err = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                depth_err = err;
            }
            _ => break,
        }
    }
    let path = path.unwrap_or_else(|| root.to_path_buf());
    let reason = match depth_err {
        ignore::Error::Io(e) => Reason::Io(io::Error::new(e.kind(), e.to_string())),
        ignore::Error::Loop { child, .. } => {
            Reason::Walk(format!("symbolic link loop (back to {})", child.display()))
        }
        other => Reason::Walk(other.to_string()),
    };
    SourceError::new(path.display().to_string(), reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(dir: &Path, opts: WalkOptions) -> Vec<String> {
        Walker::new(vec![dir.to_path_buf()], opts)
            .map(|i| match i {
                WalkItem::Input(Input::File(p)) => p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn walks_sorted_honours_ignore_files_and_scans_hidden_files() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        fs::create_dir_all(d.join("b/sub")).unwrap();
        fs::create_dir_all(d.join(".git")).unwrap();
        fs::create_dir_all(d.join("node_modules")).unwrap();
        for f in [
            "b/sub/z.txt",
            "b/a.txt",
            "a.txt",
            ".env",
            ".git/config",
            "node_modules/x.js",
            "skip.log",
            "keep.log",
        ] {
            fs::write(d.join(f), "x").unwrap();
        }
        fs::write(d.join(".gitignore"), "node_modules/\n").unwrap();
        fs::write(d.join(IGNORE_FILE), "skip.log\n").unwrap();

        let got = names(d, WalkOptions::default());
        assert_eq!(
            got,
            [
                ".env",
                ".gitignore",
                ".shujianignore",
                "a.txt",
                "b/a.txt",
                "b/sub/z.txt",
                "keep.log"
            ]
        );
        let got = names(
            d,
            WalkOptions {
                skip_hidden: true,
                ..WalkOptions::default()
            },
        );
        assert_eq!(got, ["a.txt", "b/a.txt", "b/sub/z.txt", "keep.log"]);
        let got = names(
            d,
            WalkOptions {
                no_ignore: true,
                ..WalkOptions::default()
            },
        );
        assert!(got.contains(&"node_modules/x.js".to_string()));
        assert!(got.contains(&"skip.log".to_string()));
        assert!(!got.iter().any(|g| g.starts_with(".git/")));
    }

    #[test]
    fn stdin_files_and_missing_paths() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("f.txt");
        fs::write(&f, "x").unwrap();
        let items: Vec<WalkItem> = Walker::new(
            vec!["-".into(), f.clone(), t.path().join("missing")],
            WalkOptions::default(),
        )
        .collect();
        assert!(matches!(items[0], WalkItem::Input(Input::Stdin)));
        assert!(matches!(&items[1], WalkItem::Input(Input::File(p)) if *p == f));
        match &items[2] {
            WalkItem::Error(e) => {
                assert!(
                    e.to_string()
                        .ends_with("missing: no such file or directory"),
                    "{e}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn dangling_link_named_explicitly_is_an_error_and_skipped_inside_dirs() {
        let t = tempfile::tempdir().unwrap();
        let link = t.path().join("dangling.txt");
        std::os::unix::fs::symlink(t.path().join("nowhere"), &link).unwrap();
        fs::write(t.path().join("ok.txt"), "x").unwrap();
        let items: Vec<WalkItem> =
            Walker::new(vec![link.clone()], WalkOptions::default()).collect();
        assert!(matches!(&items[0], WalkItem::Error(e) if e.path == link.display().to_string()));
        assert_eq!(names(t.path(), WalkOptions::default()), ["ok.txt"]);
    }
}
