//! Stage 5 — write: put the built site on disk, all or nothing.
//!
//! Files go to a fresh sibling folder first ([`Staging`]), as the render and
//! index stages make them; only when every file is written is it swapped in for
//! the old output (two renames). A build that fails at any
//! point — including here, say on a full disk — leaves the previous site as it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::output::{OutputFile, Sink};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write the site to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("refusing to write `{0}`: output paths must stay inside the output folder")]
    UnsafePath(PathBuf),
    #[error("refusing to replace {0}: it is not a folder svcbook created (no .svcbook marker) and it is not empty")]
    ForeignOutput(PathBuf),
    #[error("internal error: `{0}` is not a file of the site's route table")]
    Unrouted(String),
    #[error("internal error: `{0}` was written twice")]
    Twice(String),
}

/// A file of the site refused by the file policy while being copied.
pub(crate) fn access_err(path: &Path, e: crate::access::AccessError) -> WriteError {
    let source = match e {
        crate::access::AccessError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    };
    WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A marker file that says "svcbook wrote this folder", so that `-o ~/Documents`
/// by mistake cannot delete someone's files.
pub const MARKER: &str = ".svcbook-output";

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` as the new content of `out`, replacing what was there atomically
/// from the reader's point of view.
pub fn write_site(out: &Path, files: Vec<OutputFile>) -> Result<(), WriteError> {
    let staging = Staging::create(out)?;
    files.into_par_iter().try_for_each(|f| staging.put(f))?;
    staging.commit()
}

/// The new site, being written next to the old one. Files arrive from the
/// render and index stages as they are made (so a big site never sits in
/// memory whole); [`Staging::commit`] swaps the folder in. Dropped without a
/// commit (any error on the way), it deletes itself and the old site stays.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// Folders already made: thousands of files share a few dozen folders.
    made: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and creates the staging folder beside it.
    pub fn create(out: &Path) -> Result<Staging, WriteError> {
        if out.exists()
            && !out.join(MARKER).exists()
            && fs::read_dir(out).map_err(io_err(out))?.next().is_some()
        {
            return Err(WriteError::ForeignOutput(out.to_path_buf()));
        }
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.tmp-build-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let staging = Staging {
            out: out.to_path_buf(),
            parent,
            name,
            dir,
            made: Mutex::new(HashSet::new()),
            committed: false,
        };
        fs::create_dir_all(&staging.dir).map_err(io_err(&staging.dir))?;
        fs::write(
            staging.dir.join(MARKER),
            b"built by svcbook; this folder is replaced on every build\n",
        )
        .map_err(io_err(&staging.dir))?;
        Ok(staging)
    }

    /// Replaces the output folder with everything put so far.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let result = swap(&self.dir, &self.out, &self.parent, &self.name);
        self.committed = result.is_ok();
        result
    }

    /// The folder `rel` goes into, created on first use.
    fn target(&self, rel: &Path) -> Result<PathBuf, WriteError> {
        if !is_safe_relative(rel) {
            return Err(WriteError::UnsafePath(rel.to_path_buf()));
        }
        if let Some(folder) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(folder) {
                let dir = self.dir.join(folder);
                fs::create_dir_all(&dir).map_err(io_err(&dir))?;
                made.insert(folder.to_path_buf());
            }
        }
        Ok(self.dir.join(rel))
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        let path = self.target(&file.path)?;
        fs::write(&path, &file.bytes).map_err(io_err(&path))
    }

    fn copy(&self, rel: &str, source: &Path) -> Result<(), WriteError> {
        let path = self.target(Path::new(rel))?;
        let (mut from, _) = crate::access::open_regular(source, crate::access::MAX_ASSET_BYTES)
            .map_err(|e| access_err(source, e))?;
        let mut to = fs::File::create(&path).map_err(io_err(&path))?;
        io::copy(&mut from, &mut to).map_err(io_err(source))?;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if out.exists() {
        let old = parent.join(format!(".{name}.old-build-{}", std::process::id()));
        let _ = fs::remove_dir_all(&old);
        fs::rename(out, &old).map_err(io_err(out))?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the old site back before reporting.
            let _ = fs::rename(&old, out);
            return Err(io_err(out)(e));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(staging, out).map_err(io_err(out))?;
    }
    Ok(())
}

fn is_safe_relative(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            vec![
                OutputFile::new("a.html", "1"),
                OutputFile::new("d/b.html", "2"),
            ],
        )
        .unwrap();
        write_site(&out, vec![OutputFile::new("c.html", "3")]).unwrap();
        assert!(!out.join("a.html").exists(), "stale files are gone");
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "3");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn staging_dropped_before_commit_leaves_the_old_site_and_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, vec![OutputFile::new("a.html", "old")]).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.put(OutputFile::new("d/a.html", "new")).unwrap();
        assert!(
            matches!(
                staging.put(OutputFile::new("../x.html", "x")),
                Err(WriteError::UnsafePath(_))
            ),
            "a file outside the output is refused while streaming too"
        );
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for bad in ["../x.html", "/etc/x", "a/../../x"] {
            assert!(matches!(
                write_site(&out, vec![OutputFile::new(bad, "x")]),
                Err(WriteError::UnsafePath(_))
            ));
        }
        assert!(!out.exists());
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(dir.path(), vec![OutputFile::new("a.html", "1")]).unwrap_err();
        assert!(matches!(err, WriteError::ForeignOutput(_)));
        assert!(dir.path().join("precious.txt").exists());
    }

    #[cfg(unix)]
    #[test]
    fn failed_write_keeps_the_previous_site() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, vec![OutputFile::new("a.html", "old")]).unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores permissions; the integration tests cover that case with a file in the way.
        let privileged = fs::write(dir.path().join("probe"), "").is_ok();
        let result = write_site(&out, vec![OutputFile::new("a.html", "new")]);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        if privileged {
            return;
        }
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
    }
}
