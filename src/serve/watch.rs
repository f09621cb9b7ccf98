//! What `svcbook serve` watches: the site folder's top level (svcbook.toml, new
//! folders) and every folder in it recursively, except the output folder,
//! hidden folders and build-tool folders (`target/`, `node_modules/`), whose churn
//! would only cost rebuilds. A content folder outside the site is watched too.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::ServeError;
use crate::config::SiteConfig;

/// Folders of the site root never watched.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

pub struct Watcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    output: Option<PathBuf>,
}

impl Watcher {
    pub fn start(
        site_dir: &Path,
        config: Option<&SiteConfig>,
        tx: Sender<Event>,
    ) -> Result<Watcher, ServeError> {
        let root = canonical(site_dir);
        let output = config.map(|c| canonical(&c.output_dir));
        let inner = notify::recommended_watcher(move |result: notify::Result<Event>| {
            // Watcher errors (a folder vanished mid-scan…) are not worth stopping for.
            if let Ok(event) = result {
                let _ = tx.send(event);
            }
        })
        .map_err(|e| ServeError::Watch {
            path: root.clone(),
            message: e.to_string(),
        })?;
        let mut watcher = Watcher {
            watcher: inner,
            root: root.clone(),
            output,
        };
        watcher.add(&root, RecursiveMode::NonRecursive)?;
        let mut children: Vec<PathBuf> = std::fs::read_dir(&root)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        children.sort();
        for child in children {
            watcher.add_dir_if_wanted(&child);
        }
        if let Some(content) = config.map(|c| canonical(&c.content_dir)) {
            if !content.starts_with(&root) {
                watcher.add(&content, RecursiveMode::Recursive)?;
            }
        }
        Ok(watcher)
    }

    fn add(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), ServeError> {
        self.watcher
            .watch(path, mode)
            .map_err(|e| ServeError::Watch {
                path: path.to_path_buf(),
                message: e.to_string(),
            })
    }

    /// Watches a top-level folder recursively unless it is one to skip.
    fn add_dir_if_wanted(&mut self, path: &Path) {
        if !path.is_dir() || self.ignored(path) {
            return;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if SKIPPED_DIRS.contains(&name) {
            return;
        }
        // A folder that cannot be watched (permissions) is simply not live.
        let _ = self.add(path, RecursiveMode::Recursive);
    }

    /// Whether an event may change the site; also starts watching new
    /// top-level folders. Reads (the build's own, an editor's) are not changes.
    pub fn relevant(&mut self, event: &Event) -> bool {
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let mut any = false;
        for path in &event.paths {
            if path.parent() == Some(self.root.as_path()) && path.is_dir() {
                self.add_dir_if_wanted(path);
            }
            any |= !self.ignored(path);
        }
        any
    }

    /// Output, hidden files and folders, editor backups and swap files.
    fn ignored(&self, path: &Path) -> bool {
        if let Some(out) = &self.output {
            if path.starts_with(out) {
                return true;
            }
        }
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let hidden = rel.components().any(|c| match c {
            Component::Normal(name) => name.to_string_lossy().starts_with('.'),
            _ => false,
        });
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        hidden
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913"
            || rel
                .components()
                .next()
                .is_some_and(|c| SKIPPED_DIRS.iter().any(|s| c.as_os_str() == *s))
    }
}

/// The canonical form of `path`, also for a path that does not exist yet (an
/// output folder before the first build): its parent's, joined with its name.
fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical(parent).join(name)
        }
        _ => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}
