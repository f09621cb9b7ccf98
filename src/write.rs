//! Stage 5 — write: put the built site on disk, all or nothing.
//!
//! Files go to a fresh sibling folder first; only when every file is written is
//! it swapped in for the old output (two renames). A build that fails at any
//! point — including here, say on a full disk — leaves the previous site as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::output::OutputFile;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write the site to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("refusing to write `{0}`: output paths must stay inside the output folder")]
    UnsafePath(PathBuf),
    #[error("refusing to replace {0}: it is not a folder svcbook created (no .svcbook marker) and it is not empty")]
    ForeignOutput(PathBuf),
}

/// A marker file that says "svcbook wrote this folder", so that `-o ~/Documents`
/// by mistake cannot delete someone's files.
pub const MARKER: &str = ".svcbook-output";

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` as the new content of `out`, replacing what was there atomically
/// from the reader's point of view.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    for f in files {
        if !is_safe_relative(&f.path) {
            return Err(WriteError::UnsafePath(f.path.clone()));
        }
    }
    if out.exists()
        && !out.join(MARKER).exists()
        && fs::read_dir(out).map_err(io_err(out))?.next().is_some()
    {
        return Err(WriteError::ForeignOutput(out.to_path_buf()));
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.tmp-build-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = write_all(&staging, files).and_then(|()| swap(&staging, out, parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    fs::create_dir_all(staging).map_err(io_err(staging))?;
    fs::write(
        staging.join(MARKER),
        b"built by svcbook; this folder is replaced on every build\n",
    )
    .map_err(io_err(staging))?;
    // Folders first, each once; then the files in parallel: creating thousands
    // of inodes is mostly kernel time, which then runs on every core. The first
    // error in file order is the one reported, as when writing one by one.
    let dirs: std::collections::BTreeSet<&Path> =
        files.iter().filter_map(|f| f.path.parent()).collect();
    for dir in dirs {
        let dir = staging.join(dir);
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    }
    let results: Vec<Result<(), WriteError>> = files
        .par_iter()
        .map(|f| {
            let path = staging.join(&f.path);
            fs::write(&path, &f.bytes).map_err(io_err(&path))
        })
        .collect();
    results.into_iter().collect()
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
            &[
                OutputFile::new("a.html", "1"),
                OutputFile::new("d/b.html", "2"),
            ],
        )
        .unwrap();
        write_site(&out, &[OutputFile::new("c.html", "3")]).unwrap();
        assert!(!out.join("a.html").exists(), "stale files are gone");
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "3");
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
                write_site(&out, &[OutputFile::new(bad, "x")]),
                Err(WriteError::UnsafePath(_))
            ));
        }
        assert!(!out.exists());
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(dir.path(), &[OutputFile::new("a.html", "1")]).unwrap_err();
        assert!(matches!(err, WriteError::ForeignOutput(_)));
        assert!(dir.path().join("precious.txt").exists());
    }

    #[cfg(unix)]
    #[test]
    fn failed_write_keeps_the_previous_site() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("a.html", "old")]).unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores permissions; the integration tests cover that case with a file in the way.
        let privileged = fs::write(dir.path().join("probe"), "").is_ok();
        let result = write_site(&out, &[OutputFile::new("a.html", "new")]);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        if privileged {
            return;
        }
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
    }
}
