//! The product of the pipeline: files to write, paths relative to the output root.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::write::WriteError;

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
            .map_err(|e| crate::write::access_err(source, e))?;
        self.put(OutputFile::new(rel, bytes))
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
