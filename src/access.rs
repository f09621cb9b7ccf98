//! One policy for every file svcbook reads or writes in a site: content,
//! learning paths, templates, themes, static files, archetypes, `svcbook.toml`,
//! and the files `init` and `new` write.
//!
//! * No leaving the site through a symbolic link: a link may point anywhere
//!   inside the site folder (or inside a content folder the config names), never
//!   out of it, and a link that points back at a folder containing it is a loop.
//! * Regular files only. FIFOs, devices and sockets are refused from their
//!   metadata, before anything opens them (opening a FIFO blocks until a writer
//!   comes; a device can be endless, like `/dev/zero`); the file is then opened
//!   non-blocking and without following a link, and checked again on the open
//!   handle, so a file swapped in between is caught too.
//! * A size cap per kind of file, read with a bound as well (a file may grow
//!   after its size was taken).
//! * Errors name the file; each has its code in the README's table.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};

/// Markdown articles: no real article is larger, and a runaway generated file
/// would otherwise stall the whole build.
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;
/// `svcbook.toml`, learning paths, templates and archetypes.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;
/// Static files of the theme and the site, which are held in memory.
pub const MAX_STATIC_BYTES: u64 = 64 * 1024 * 1024;
/// SVG files, which are parsed to check them for script.
pub const MAX_SVG_BYTES: u64 = 16 * 1024 * 1024;
/// Other files of the content folder (images, PDFs, videos), copied as they are.
pub const MAX_ASSET_BYTES: u64 = 1024 * 1024 * 1024;

/// Why a file of the site was not read or written.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("symbolic link points outside the site, to {}", .0.display())]
    Outside(PathBuf),
    #[error("symbolic link loop: this link points back to a folder that contains it")]
    Loop,
    #[error("a symbolic link cannot be written through")]
    LinkNotWritten,
    #[error("not a regular file: it is {0}")]
    NotRegular(&'static str),
    #[error("not a folder: it is {0}")]
    NotFolder(&'static str),
    #[error("file is too large: {}, the limit is {}", size_text(*.size), size_text(*.limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl AccessError {
    /// The diagnostic code of this kind of refusal (see the README's table).
    pub fn code(&self) -> &'static str {
        match self {
            AccessError::Outside(_) | AccessError::Loop | AccessError::LinkNotWritten => "E0005",
            AccessError::NotRegular(_) | AccessError::NotFolder(_) => "E0008",
            AccessError::TooLarge { .. } => "E0004",
            AccessError::Io(_) => "E0003",
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, AccessError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }

    /// An error diagnostic at `path` (shown as the user would type it).
    pub fn diagnostic(&self, path: &Path) -> Diagnostic {
        let shown = shown(path);
        let shown = shown.as_path();
        let message = match self {
            AccessError::Io(e) => format!("cannot read: {e}"),
            other => other.to_string(),
        };
        let d = Diagnostic::error(self.code(), message).at(Location::file(shown));
        match self {
            AccessError::Outside(_) => {
                d.hint("copy the file into the site instead; svcbook never reads outside it")
            }
            AccessError::Loop => d.hint("remove the link, or point it at a folder beside this one"),
            AccessError::LinkNotWritten => {
                d.hint("remove the link (or replace it with a regular file) and run again")
            }
            AccessError::NotRegular(_) => {
                d.hint("svcbook reads regular files only; replace it with a file or remove it")
            }
            AccessError::NotFolder(_) => d.hint("this must be a folder"),
            AccessError::TooLarge { .. } => d.hint("split it, or make it smaller"),
            AccessError::Io(_) => d,
        }
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / 1048576.0)
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file system entry is, for messages: "a FIFO", "a folder".
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        return "a regular file";
    }
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    "not a regular file"
}

/// The folders a site's files may live in: the site folder, and a content
/// folder outside it when `svcbook.toml` names one.
#[derive(Debug, Clone)]
pub struct Policy {
    roots: Vec<PathBuf>,
}

impl Policy {
    /// The policy for the site at `site_dir` (which need not exist).
    pub fn new(site_dir: &Path) -> Policy {
        Policy {
            roots: vec![canonical(site_dir)],
        }
    }

    /// Also allows `folder` (a content folder the config names explicitly).
    pub fn allowing(mut self, folder: &Path) -> Policy {
        let real = canonical(folder);
        if !self.roots.iter().any(|r| real.starts_with(r)) {
            self.roots.push(real);
        }
        self
    }

    fn inside(&self, real: &Path) -> bool {
        self.roots.iter().any(|r| real.starts_with(r))
    }

    /// Where `path` really is, if that is inside the site.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, AccessError> {
        let real = fs::canonicalize(path).map_err(|e| {
            if is_link_loop(&e) {
                AccessError::Loop
            } else {
                AccessError::Io(e)
            }
        })?;
        if self.inside(&real) {
            Ok(real)
        } else {
            Err(AccessError::Outside(real))
        }
    }

    /// A folder of the site (`content/`, `static/`, `paths/`…): `Ok(None)` when
    /// there is none, an error when it is a file, a FIFO or a link out.
    pub fn folder(&self, path: &Path) -> Result<Option<PathBuf>, AccessError> {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        let real = self.resolve(path)?;
        let meta = fs::metadata(&real)?;
        if !meta.is_dir() {
            return Err(AccessError::NotFolder(kind_of(&meta)));
        }
        Ok(Some(real))
    }

    /// Reads a whole file of the site, at most `limit` bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, AccessError> {
        let real = self.resolve(path)?;
        read_regular(&real, limit)
    }

    /// Opens a file of the site for reading (to copy it).
    pub fn open(&self, path: &Path, limit: u64) -> Result<File, AccessError> {
        let real = self.resolve(path)?;
        open_regular(&real, limit).map(|(file, _)| file)
    }

    /// Writes `bytes` to `path` inside the site, creating its folders. Never
    /// writes through a link (the file itself must not be one, and its folders
    /// must stay inside the site); `replace` allows replacing a regular file,
    /// else the file must not exist.
    pub fn write(&self, path: &Path, bytes: &[u8], replace: bool) -> Result<(), AccessError> {
        use std::io::Write;
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.create_folders(parent)?;
        self.check_target(path, replace)?;
        let mut options = OpenOptions::new();
        options.write(true);
        if replace {
            options.create(true).truncate(true);
        } else {
            options.create_new(true);
        }
        no_follow_non_blocking(&mut options);
        let mut file = options.open(path)?;
        if !file.metadata()?.is_file() {
            return Err(AccessError::NotRegular("not a regular file"));
        }
        file.write_all(bytes)?;
        Ok(())
    }

    /// Whether [`Policy::write`] may write `path`, checked without writing:
    /// so that a command writing several files refuses before the first.
    pub fn check_write(&self, path: &Path, replace: bool) -> Result<(), AccessError> {
        // The nearest folder that exists must be inside the site.
        let mut folder = path.parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            match fs::symlink_metadata(f) {
                Ok(_) => {
                    let real = self.resolve(f)?;
                    let meta = fs::metadata(&real)?;
                    if !meta.is_dir() {
                        return Err(AccessError::NotFolder(kind_of(&meta)));
                    }
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => folder = f.parent(),
                Err(e) => return Err(e.into()),
            }
        }
        self.check_target(path, replace)
    }

    fn check_target(&self, path: &Path, replace: bool) -> Result<(), AccessError> {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(AccessError::LinkNotWritten),
            Ok(meta) if !meta.is_file() => Err(AccessError::NotRegular(kind_of(&meta))),
            Ok(_) if !replace => Err(AccessError::Io(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the file already exists",
            ))),
            _ => Ok(()),
        }
    }

    /// Creates `folder` and its parents; every part that exists must be a folder
    /// inside the site (a link to one inside is fine, a link out is not).
    pub fn create_folders(&self, folder: &Path) -> Result<(), AccessError> {
        match fs::symlink_metadata(folder) {
            Ok(_) => {
                let real = self.resolve(folder)?;
                let meta = fs::metadata(&real)?;
                if meta.is_dir() {
                    Ok(())
                } else {
                    Err(AccessError::NotFolder(kind_of(&meta)))
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = folder.parent().filter(|p| !p.as_os_str().is_empty()) {
                    self.create_folders(parent)?;
                }
                match fs::create_dir(folder) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                        self.create_folders(folder)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Opens `real` (a path without links, as [`Policy::resolve`] gives) if it is
/// a regular file of at most `limit` bytes; returns it with its size.
pub fn open_regular(real: &Path, limit: u64) -> Result<(File, u64), AccessError> {
    // Metadata first: a FIFO or a device is refused without being opened.
    regular_within(&fs::symlink_metadata(real)?, limit)?;
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow_non_blocking(&mut options);
    let file = options.open(real)?;
    // Again on the handle: the path may have been swapped since.
    let size = regular_within(&file.metadata()?, limit)?;
    Ok((file, size))
}

/// The size of a regular file of at most `limit` bytes; else why not.
fn regular_within(meta: &Metadata, limit: u64) -> Result<u64, AccessError> {
    if !meta.is_file() {
        return Err(AccessError::NotRegular(kind_of(meta)));
    }
    if meta.len() > limit {
        return Err(AccessError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(meta.len())
}

/// Reads `real` as [`open_regular`] opens it, never more than `limit` bytes.
pub fn read_regular(real: &Path, limit: u64) -> Result<Vec<u8>, AccessError> {
    let (file, size) = open_regular(real, limit)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(AccessError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn no_follow_non_blocking(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    options.custom_flags(flags.bits() as i32);
}

#[cfg(not(unix))]
fn no_follow_non_blocking(_options: &mut OpenOptions) {}

/// ELOOP: a chain of links that never ends.
fn is_link_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// A file found by [`Policy::walk`].
#[derive(Debug, Clone)]
pub struct Found {
    /// The path as walked (under the folder given), for messages and relative paths.
    pub path: PathBuf,
    /// Where it really is, inside the site.
    pub real: PathBuf,
    /// What it is, links followed: a regular file, or a FIFO, a device…
    pub regular: bool,
    pub kind: &'static str,
}

/// A walk's files, and what it refused on the way (with the path as walked).
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Found>,
    pub refused: Vec<(PathBuf, AccessError)>,
}

impl Policy {
    /// Every file under `dir`, sorted by path, following links that stay inside
    /// the site; hidden files and folders are left out, and so is any folder
    /// `skip` says to. A link out of the site, or back to a folder above it, is
    /// refused once, at the link, and not walked into. A file reached twice (a
    /// link to a file or folder inside the site) is listed once.
    pub fn walk(&self, dir: &Path, mut skip: impl FnMut(&walkdir::DirEntry) -> bool) -> Walk {
        use std::cell::RefCell;
        use std::collections::HashSet;
        let refused = RefCell::new(Vec::new());
        let linked: RefCell<Vec<PathBuf>> = RefCell::new(Vec::new());
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                if e.file_name().to_string_lossy().starts_with('.') || skip(e) {
                    return false;
                }
                if e.path_is_symlink() && e.file_type().is_dir() {
                    match self.resolve(e.path()) {
                        Ok(target) => {
                            let here = e.path().parent().map(canonical).unwrap_or_default();
                            if here.starts_with(&target) {
                                refused
                                    .borrow_mut()
                                    .push((e.path().to_path_buf(), AccessError::Loop));
                                return false;
                            }
                            linked.borrow_mut().push(e.path().to_path_buf());
                        }
                        Err(err) => {
                            refused.borrow_mut().push((e.path().to_path_buf(), err));
                            return false;
                        }
                    }
                }
                true
            });
        let dir_real = canonical(dir);
        let mut files = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.to_path_buf());
                    let e = if err.loop_ancestor().is_some() {
                        AccessError::Loop
                    } else {
                        match err.into_io_error() {
                            Some(io) if is_link_loop(&io) => AccessError::Loop,
                            Some(io) => AccessError::Io(io),
                            None => AccessError::Loop,
                        }
                    };
                    refused.borrow_mut().push((path, e));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path();
            let via_link =
                entry.path_is_symlink() || linked.borrow().iter().any(|l| path.starts_with(l));
            let real = if via_link {
                match self.resolve(path) {
                    Ok(real) => real,
                    Err(e) => {
                        refused.borrow_mut().push((path.to_path_buf(), e));
                        continue;
                    }
                }
            } else {
                dir_real.join(path.strip_prefix(dir).unwrap_or(path))
            };
            let meta = entry.metadata().ok();
            files.push((
                via_link,
                Found {
                    path: path.to_path_buf(),
                    real,
                    regular: entry.file_type().is_file(),
                    kind: meta.as_ref().map(kind_of).unwrap_or("not a regular file"),
                },
            ));
        }
        // A file reached directly and through a link is listed once, under its
        // own path; reached through two links, under the first.
        let mut direct = HashSet::new();
        for (via_link, found) in &files {
            if !via_link {
                direct.insert(found.real.clone());
            }
        }
        let mut seen = HashSet::new();
        let files = files
            .into_iter()
            .filter(|(via_link, found)| {
                !(*via_link && direct.contains(&found.real)) && seen.insert(found.real.clone())
            })
            .map(|(_, found)| found)
            .collect();
        Walk {
            files,
            refused: refused.into_inner(),
        }
    }
}

/// A path as messages show it: without a leading `./` (`content/a.md:3`).
pub fn shown(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The canonical form of `path`, or the path itself when it does not exist.
pub fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use std::time::{Duration, Instant};

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("paths")).unwrap();
        (tmp, site)
    }

    #[test]
    fn regular_files_inside_the_site_are_read() {
        let (_tmp, site) = site();
        fs::write(site.join("paths/a.yaml"), "title: x\n").unwrap();
        symlink(site.join("paths/a.yaml"), site.join("paths/b.yaml")).unwrap();
        let policy = Policy::new(&site);
        assert_eq!(
            policy.read(&site.join("paths/a.yaml"), 100).unwrap(),
            b"title: x\n"
        );
        assert_eq!(
            policy.read(&site.join("paths/b.yaml"), 100).unwrap(),
            b"title: x\n"
        );
        let big = policy.read(&site.join("paths/a.yaml"), 3).unwrap_err();
        assert_eq!(big.code(), "E0004", "{big}");
    }

    #[test]
    fn links_out_fifos_and_devices_are_refused_without_blocking() {
        let (tmp, site) = site();
        fs::write(tmp.path().join("secret"), "root:x:0:0\n").unwrap();
        symlink(tmp.path().join("secret"), site.join("paths/out.yaml")).unwrap();
        symlink("/dev/zero", site.join("paths/zero.yaml")).unwrap();
        let fifo = site.join("paths/fifo.yaml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        symlink(&fifo, site.join("paths/to-fifo.yaml")).unwrap();
        symlink(site.join("paths/loop1"), site.join("paths/loop2")).unwrap();
        symlink(site.join("paths/loop2"), site.join("paths/loop1")).unwrap();
        let policy = Policy::new(&site);
        let start = Instant::now();
        for (name, code) in [
            ("out.yaml", "E0005"),
            ("zero.yaml", "E0005"),
            ("fifo.yaml", "E0008"),
            ("to-fifo.yaml", "E0008"),
            ("loop1", "E0005"),
            ("missing.yaml", "E0003"),
        ] {
            let e = policy
                .read(&site.join("paths").join(name), 1 << 20)
                .unwrap_err();
            assert_eq!(e.code(), code, "{name}: {e}");
            assert!(!e.to_string().contains("root:x"), "{e}");
        }
        // /dev/zero itself, were it inside a site: refused from its metadata.
        let e = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(e.code(), "E0008", "{e}");
        assert!(start.elapsed() < Duration::from_secs(5), "nothing blocked");
        let folder = policy.folder(&site.join("paths/a.yaml"));
        assert!(matches!(folder, Ok(None)), "{folder:?}");
        fs::write(site.join("content"), "a file").unwrap();
        let e = policy.folder(&site.join("content")).unwrap_err();
        assert_eq!(e.code(), "E0008", "{e}");
    }

    #[test]
    fn writes_never_go_through_links() {
        let (tmp, site) = site();
        let outside = tmp.path().join("victim.toml");
        fs::write(&outside, "precious").unwrap();
        symlink(&outside, site.join("svcbook.toml")).unwrap();
        fs::create_dir(tmp.path().join("elsewhere")).unwrap();
        symlink(tmp.path().join("elsewhere"), site.join("content")).unwrap();
        let policy = Policy::new(&site);
        let e = policy
            .write(&site.join("svcbook.toml"), b"x", true)
            .unwrap_err();
        assert_eq!(e.code(), "E0005", "{e}");
        let e = policy
            .write(&site.join("content/fault-cases/FC-1.md"), b"x", true)
            .unwrap_err();
        assert_eq!(e.code(), "E0005", "{e}");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "precious");
        assert_eq!(
            fs::read_dir(tmp.path().join("elsewhere")).unwrap().count(),
            0
        );
        policy.write(&site.join("a/b/c.md"), b"new", false).unwrap();
        assert!(policy
            .write(&site.join("a/b/c.md"), b"again", false)
            .is_err());
        policy
            .write(&site.join("a/b/c.md"), b"again", true)
            .unwrap();
        assert_eq!(fs::read_to_string(site.join("a/b/c.md")).unwrap(), "again");
    }
}
