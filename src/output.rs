//! The product of the pipeline: files to write, paths relative to the output root.

use std::path::PathBuf;

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
