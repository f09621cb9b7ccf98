//! Stage 5 — write: put the built site on disk, all or nothing.
//!
//! Files go to a fresh sibling folder first ([`Staging`]), as the render and
//! index stages make them; only when every file is written is it swapped in for
//! the old output, in one atomic step: `renameat2(RENAME_EXCHANGE)` on Linux
//! (elsewhere, or on a file system without it, two renames). So `public/` is
//! always the old site or the new one, complete, whenever the build stops —
//! a failed build, a full disk, Ctrl-C or SIGKILL.
//!
//! Around it: a lock on the output (`flock` on `.<name>.lock` beside it), so two
//! builds cannot interleave, and the loser says so truthfully before touching
//! anything; and, under that lock, the staging folders of builds that died
//! (`.<name>.tmp-build-<pid>`) are removed before a new one is made.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

// The error and its helpers live with the `Sink` trait that returns them,
// so that `output` does not import this stage back.
pub use crate::output::WriteError;
pub(crate) use crate::output::{access_err, io_err};
use crate::output::{OutputFile, Sink};

/// A marker file that says "svcbook wrote this folder", so that `-o ~/Documents`
/// by mistake cannot delete someone's files.
pub const MARKER: &str = ".svcbook-output";

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
    /// Held until the staging folder is swapped in or removed.
    _lock: OutputLock,
}

impl Staging {
    /// Checks that `out` may be replaced, takes the output's lock, removes what
    /// dead builds left, and creates the staging folder beside `out`.
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
        let lock = OutputLock::acquire(&parent, &name, out)?;
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.tmp-build-{}", std::process::id()));
        let staging = Staging {
            out: out.to_path_buf(),
            parent,
            name,
            dir,
            made: Mutex::new(HashSet::new()),
            committed: false,
            _lock: lock,
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

/// The output's lock: `flock` on `.<name>.lock` beside the output folder,
/// released when the build ends however it ends (the kernel drops it with the
/// process). The file holds the holder's process id, for the loser's message;
/// it is never deleted (deleting a lock file races with the next taker).
struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    fn acquire(parent: &Path, name: &str, out: &Path) -> Result<OutputLock, WriteError> {
        use std::io::{Read, Seek, Write};
        let path = parent.join(format!(".{name}.lock"));
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(&path))?;
        if !try_lock(&file).map_err(io_err(&path))? {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            return Err(WriteError::Busy {
                out: out.to_path_buf(),
                holder: holder.trim().parse().ok(),
            });
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        Ok(OutputLock { _file: file })
    }
}

/// `true` when the lock was taken; `false` when another process holds it.
#[cfg(unix)]
fn try_lock(file: &fs::File) -> io::Result<bool> {
    use rustix::fs::{flock, FlockOperation};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &fs::File) -> io::Result<bool> {
    Ok(true)
}

/// Removes what builds of this output that died left beside it: their staging
/// folders (`.<name>.tmp-build-<pid>`, a new site half-written, or the old site
/// after a swap they did not finish removing) and, from svcbook versions that
/// swapped with two renames, `.<name>.old-build-<pid>`. Only under the output's
/// lock, so no live build's folder is touched; only folders by those exact
/// names (a process id after the dash), not links. Their marker cannot be
/// relied on: a build killed while it removed an old site may have removed
/// the marker first.
fn remove_stale(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.tmp-build-"), format!(".{name}.old-build-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefixes.iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        let path = entry.path();
        if ours && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Puts `staging` in the place of `out` in one step, then removes the old site.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if fs::symlink_metadata(out).is_err() {
        // Nothing to replace: one rename is atomic already.
        return fs::rename(staging, out).map_err(io_err(out));
    }
    if exchange(staging, out).map_err(io_err(out))? {
        // `staging` now holds the old site. If the build dies while it is
        // removed, the next build removes the rest (see `remove_stale`).
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    // No atomic exchange here: two renames, the old site put back on failure.
    let old = parent.join(format!(".{name}.old-build-{}", std::process::id()));
    let _ = fs::remove_dir_all(&old);
    fs::rename(out, &old).map_err(io_err(out))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(io_err(out)(e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Exchanges two paths atomically; `Ok(false)` when the system or the file
/// system cannot (then nothing was changed).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

fn is_safe_relative(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a folder holds, sorted: no staging or backup folder may be left.
    fn names_in(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    }

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
        assert_eq!(names_in(dir.path()), [".public.lock", "public"]);
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
        assert_eq!(names_in(dir.path()), [".public.lock", "public"]);
    }

    #[test]
    fn a_second_build_of_one_output_waits_its_turn_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, vec![OutputFile::new("a.html", "old")]).unwrap();
        let first = Staging::create(&out).unwrap();
        match Staging::create(&out) {
            Err(e @ WriteError::Busy { .. }) => {
                let text = e.to_string();
                assert!(
                    text.contains(&format!("(process {})", std::process::id()))
                        && text.contains("changed nothing"),
                    "{text}"
                );
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        first.put(OutputFile::new("a.html", "new")).unwrap();
        first.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "new");
        // The lock is free again.
        write_site(&out, vec![OutputFile::new("a.html", "newer")]).unwrap();
    }

    #[test]
    fn what_dead_builds_left_is_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, vec![OutputFile::new("a.html", "old")]).unwrap();
        for stale in [".public.tmp-build-999999", ".public.old-build-4242"] {
            fs::create_dir_all(dir.path().join(stale).join("d")).unwrap();
            fs::write(dir.path().join(stale).join(MARKER), "").unwrap();
        }
        // Half removed: no marker left.
        fs::create_dir_all(dir.path().join(".public.tmp-build-7/search")).unwrap();
        // Not ours: not a process id.
        fs::create_dir(dir.path().join(".public.tmp-build-mine")).unwrap();
        fs::write(dir.path().join(".public.tmp-build-mine/keep"), "x").unwrap();
        write_site(&out, vec![OutputFile::new("a.html", "new")]).unwrap();
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".public.lock", ".public.tmp-build-mine", "public"]);
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
