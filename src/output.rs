//! The product of the pipeline: files to write, paths relative to the output root.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::routes::RouteTable;

/// Why a file of the site could not be written (or copied) by a [`Sink`].
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write the site to {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("refusing to write `{0}`: output paths must stay inside the output folder")]
    UnsafePath(PathBuf),
    #[error("refusing to replace {0}: it is not a folder svcbook created (no .svcbook marker) and it is not empty")]
    ForeignOutput(PathBuf),
    #[error("another svcbook build{} is writing {}; this build changed nothing there (run it again when that one has finished)", holder.map(|p| format!(" (process {p})")).unwrap_or_default(), out.display())]
    Busy { out: PathBuf, holder: Option<u32> },
    #[error("internal error: `{0}` is not a file of the site's route table")]
    Unrouted(String),
    #[error("internal error: `{0}` was written twice")]
    Twice(String),
}

/// A file of the site refused by the file policy while being copied.
pub(crate) fn access_err(path: &Path, e: crate::access::AccessError) -> WriteError {
    let source = match e {
        crate::access::AccessError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    };
    WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One file of the built site, held in memory until the write stage swaps the
/// whole site in at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated, never containing `..`.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// The path as a `/`-separated string, whatever the platform.
    pub fn slash_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }
}

/// Where finished files go, from any thread: the staging folder of a build
/// ([`crate::write::Staging`]) or memory ([`Collect`]).
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), WriteError>;

    /// Copies a file of the site (an asset, at its real path) to `rel`. The
    /// default reads it into memory; the staging folder copies on disk instead.
    /// Either way it is opened as the file policy opens files: a file swapped
    /// for a FIFO or a device since it was found is refused, not read.
    fn copy(&self, rel: &str, source: &Path) -> Result<(), WriteError> {
        let bytes = crate::access::read_regular(source, crate::access::MAX_ASSET_BYTES)
            .map_err(|e| access_err(source, e))?;
        self.put(OutputFile::new(rel, bytes))
    }
}

/// A sink that takes only the files the route table owns, each once: the
/// guarantee that no stage writes past the table, and that no file of the
/// site replaces another.
pub struct Routed<'r, S> {
    inner: S,
    routes: &'r RouteTable,
    written: Mutex<HashSet<String>>,
    /// What was written: path, size and a fingerprint, for the offline list.
    record: Mutex<Vec<Written>>,
}

/// One file a build wrote, as the offline list and the build hash see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// `/`-separated, relative to the output folder.
    pub path: String,
    pub bytes: u64,
    /// FNV-1a of the content (of the size and modification time for a copied
    /// asset, which is not read into memory).
    pub fingerprint: u64,
}

impl<'r, S: Sink> Routed<'r, S> {
    pub fn new(inner: S, routes: &'r RouteTable) -> Routed<'r, S> {
        Routed {
            inner,
            routes,
            written: Mutex::new(HashSet::new()),
            record: Mutex::new(Vec::new()),
        }
    }

    /// Every file written so far, sorted by path.
    pub fn written(&self) -> Vec<Written> {
        let mut files = self
            .record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    fn note(&self, file: Written) {
        self.record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
    }

    pub fn into_inner(self) -> S {
        self.inner
    }

    fn claim(&self, path: &str) -> Result<(), WriteError> {
        if !self.routes.owns(path) {
            return Err(WriteError::Unrouted(path.to_string()));
        }
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if !written.insert(path.to_string()) {
            return Err(WriteError::Twice(path.to_string()));
        }
        Ok(())
    }
}

impl<S: Sink> Sink for Routed<'_, S> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        let path = file.slash_path();
        self.claim(&path)?;
        let written = Written {
            path,
            bytes: file.bytes.len() as u64,
            fingerprint: crate::routes::fnv1a(&file.bytes),
        };
        self.inner.put(file)?;
        self.note(written);
        Ok(())
    }

    fn copy(&self, rel: &str, source: &Path) -> Result<(), WriteError> {
        self.claim(rel)?;
        self.inner.copy(rel, source)?;
        let meta = std::fs::metadata(source).map_err(io_err(source))?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut id = meta.len().to_le_bytes().to_vec();
        id.extend_from_slice(&modified.to_le_bytes());
        self.note(Written {
            path: rel.to_string(),
            bytes: meta.len(),
            fingerprint: crate::routes::fnv1a(&id),
        });
        Ok(())
    }
}

/// Files collected in memory.
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path (the order every in-memory build returns).
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}
