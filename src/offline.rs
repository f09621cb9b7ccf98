//! Offline over http(s): the web app manifest, the service worker and the list
//! of files it reads (`offline.json`).
//!
//! The list is made last, from what the other stages actually wrote (the
//! [`Written`] record of the route-checked sink) and from the route table, so
//! it names every file with its real size without knowing how any stage lays
//! out its files — the search index's folder in particular is taken whole,
//! whatever files it holds. The worker carries a hash of every file of the
//! build: a rebuilt site is a new worker, which caches under a new name and
//! deletes the old build's cache when it takes over.

use serde::Serialize;

use crate::output::{OutputFile, Sink, Written};
use crate::routes::{
    fnv1a, Target, OFFLINE_LIST, OFFLINE_MANIFEST, SEARCH_FOLDER, SERVE_FOLDER, SERVICE_WORKER,
};
use crate::validate::ValidatedSite;
use crate::write::WriteError;

/// The worker's code; the build puts its version and list name in front.
const WORKER_JS: &str = include_str!("offline/sw.js");

/// A file and its size in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry(pub String, pub u64);

#[derive(Debug, Clone, Serialize)]
pub struct PathFiles {
    pub id: String,
    pub title: String,
    pub url: String,
    /// The path's page, the pages of its articles and the content files
    /// (images, PDFs) those pages use.
    pub files: Vec<Entry>,
}

/// `offline.json`: what the service worker caches, and when.
#[derive(Debug, Clone, Serialize)]
pub struct OfflineList {
    /// Hash of every file of the build; the worker's cache is named by it.
    pub version: String,
    /// The search folder is cached on the first visit when it is at most this big.
    pub search_precache_bytes: u64,
    /// What every page needs: the home, search and 404 pages, the theme's files
    /// and the manifest; cached on the first visit.
    pub shell: Vec<Entry>,
    /// Every file of the search folder a browser reads over http(s), whatever
    /// its layout (not the `file://` twins).
    pub search: Vec<Entry>,
    /// Per learning path, for "save this path for offline".
    pub paths: Vec<PathFiles>,
    /// Every other file of the site but the worker and this list ("save the
    /// whole site" takes these and `search`). Not the search files again: at
    /// 50k articles naming them twice made this list 10.6 MB.
    pub other: Vec<Entry>,
}

/// A hash of the whole build, from every file's path and fingerprint.
pub fn build_version(written: &[Written]) -> String {
    let mut bytes = Vec::with_capacity(written.len() * 48);
    for w in written {
        bytes.extend_from_slice(w.path.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(&w.bytes.to_le_bytes());
        bytes.extend_from_slice(&w.fingerprint.to_le_bytes());
    }
    format!("{:016x}", fnv1a(&bytes))
}

/// The list, from the files written so far (everything but this list and the worker).
pub fn list(site: &ValidatedSite, written: &[Written]) -> OfflineList {
    let size = |path: &str| {
        written
            .binary_search_by(|w| w.path.as_str().cmp(path))
            .ok()
            .map(|i| Entry(path.to_string(), written[i].bytes))
    };
    let mut shell: Vec<Entry> = [
        crate::routes::HOME,
        crate::routes::SEARCH_PAGE,
        crate::routes::NOT_FOUND,
        OFFLINE_MANIFEST,
    ]
    .iter()
    .filter_map(|p| size(p))
    .collect();
    // The theme's files and the kinds' generated stylesheet: every page uses them.
    for route in site.routes().iter() {
        if let Target::Static(_) | Target::KindStyles = route.target {
            shell.extend(size(&route.path));
        }
    }
    let search = written
        .iter()
        .filter(|w| in_search_folder(&w.path) && !is_file_protocol_twin(&w.path, written))
        .map(|w| Entry(w.path.clone(), w.bytes))
        .collect();
    let paths = site
        .paths()
        .iter()
        .map(|p| {
            let mut files: Vec<Entry> = size(&p.url).into_iter().collect();
            for page in p.ids().filter_map(|id| site.page(id)) {
                files.extend(size(&page.article.url));
                // Its images and documents, once each across the path.
                for asset in &page.assets {
                    if !files.iter().any(|f| &f.0 == asset) {
                        files.extend(size(asset));
                    }
                }
            }
            PathFiles {
                id: p.id.clone(),
                title: p.title.clone(),
                url: p.url.clone(),
                files,
            }
        })
        .collect();
    OfflineList {
        version: build_version(written),
        search_precache_bytes: site.config().offline.search_precache_bytes(),
        shell,
        search,
        paths,
        other: written
            .iter()
            .filter(|w| !in_search_folder(&w.path))
            .map(|w| Entry(w.path.clone(), w.bytes))
            .collect(),
    }
}

fn in_search_folder(path: &str) -> bool {
    path.strip_prefix(SEARCH_FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether `path` is a `file://`-only twin: a script `X.js` at the top of the
/// search folder next to the runtime `X.wasm`. file:// cannot `fetch`, so the
/// runtime also comes as a base64 script; a worker only runs over http(s),
/// where the `.wasm` is read, so caching the twin would only double the bytes
/// (2.4 MB of the demo's 5 MB search folder) and the size a reader is shown.
/// Index chunks and fragments are scripts with no sibling: one copy serves
/// both protocols, and they stay; so does `manifest.js`, which every page loads.
fn is_file_protocol_twin(path: &str, written: &[Written]) -> bool {
    let Some(rest) = path.strip_prefix(SEARCH_FOLDER) else {
        return false;
    };
    let Some(stem) = rest.strip_prefix('/').and_then(|r| r.strip_suffix(".js")) else {
        return false;
    };
    !stem.contains('/') && {
        let runtime = format!("{SEARCH_FOLDER}/{stem}.wasm");
        written
            .binary_search_by(|w| w.path.as_str().cmp(&runtime))
            .is_ok()
    }
}

/// The service worker for a build of this version.
pub fn worker(version: &str) -> String {
    format!(
        "// svcbook service worker, generated for one build: a rebuilt site is a new worker.\nconst VERSION = {};\nconst LIST = {};\nconst SERVE_FOLDER = {};\n{WORKER_JS}",
        serde_json::to_string(version).unwrap_or_default(),
        serde_json::to_string(OFFLINE_LIST).unwrap_or_default(),
        serde_json::to_string(SERVE_FOLDER).unwrap_or_default(),
    )
}

#[derive(Serialize)]
struct Icon {
    src: &'static str,
    sizes: &'static str,
    #[serde(rename = "type")]
    mime: &'static str,
    purpose: &'static str,
}

#[derive(Serialize)]
struct WebManifest<'a> {
    name: &'a str,
    short_name: String,
    description: &'a str,
    lang: &'a str,
    start_url: &'static str,
    scope: &'static str,
    display: &'static str,
    background_color: &'static str,
    theme_color: &'static str,
    icons: Vec<Icon>,
}

/// `manifest.webmanifest`: lets a phone install the site to its home screen.
pub fn web_manifest(site: &ValidatedSite) -> String {
    let title = &site.config().title;
    let manifest = WebManifest {
        name: title,
        short_name: title.chars().take(12).collect(),
        description: &site.config().description,
        lang: &site.config().language,
        start_url: "index.html",
        scope: "./",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#12325a",
        icons: vec![Icon {
            src: "assets/favicon.svg",
            sizes: "any",
            mime: "image/svg+xml",
            purpose: "any",
        }],
    };
    serde_json::to_string_pretty(&manifest).unwrap_or_default()
}

/// Writes the manifest, then (with `[offline] enabled`) the list and the worker,
/// made from `written()`: what the sink has taken so far, read after the manifest.
pub fn write(
    site: &ValidatedSite,
    sink: &dyn Sink,
    written: impl FnOnce() -> Vec<Written>,
) -> Result<(), WriteError> {
    if site.routes().get(OFFLINE_MANIFEST).is_some() {
        sink.put(OutputFile::new(OFFLINE_MANIFEST, web_manifest(site)))?;
    }
    if site.routes().get(OFFLINE_LIST).is_none() {
        return Ok(());
    }
    let list = list(site, &written());
    let json = serde_json::to_string(&list).unwrap_or_default();
    let worker = worker(&list.version);
    sink.put(OutputFile::new(OFFLINE_LIST, json))?;
    if site.routes().get(SERVICE_WORKER).is_some() {
        sink.put(OutputFile::new(SERVICE_WORKER, worker))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(path: &str, bytes: u64, fingerprint: u64) -> Written {
        Written {
            path: path.into(),
            bytes,
            fingerprint,
        }
    }

    #[test]
    fn the_version_changes_with_any_file_and_only_then() {
        let a = [w("a.html", 3, 1), w("search/x.bin", 9, 2)];
        let same = a.clone();
        let changed = [w("a.html", 3, 1), w("search/x.bin", 9, 3)];
        let renamed = [w("a.html", 3, 1), w("search/y.bin", 9, 2)];
        assert_eq!(build_version(&a), build_version(&same));
        assert_ne!(build_version(&a), build_version(&changed));
        assert_ne!(build_version(&a), build_version(&renamed));
    }

    #[test]
    fn the_worker_carries_its_version() {
        let js = worker("00ff");
        assert!(js.contains("const VERSION = \"00ff\";"));
        assert!(js.contains("const LIST = \"offline.json\";"));
        assert!(js.contains("addEventListener('fetch'"));
    }
}
