//! The site's link table: every id, source file, section and asset a body may
//! link to, built by validation and read by the Markdown renderer, `svcbook
//! check` and serve's incremental rebuild.

use std::collections::{BTreeSet, HashMap};

use crate::urls;

/// What a link may point at.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub id: String,
    pub title: String,
    /// Root-relative URL.
    pub url: String,
}

/// The site's link table, built once all front matter is known.
#[derive(Debug, Default)]
pub struct Links {
    by_id: HashMap<String, LinkTarget>,
    by_source: HashMap<String, String>,
    /// Ids of drafts left out of this build, for a better error message.
    pub left_out: BTreeSet<String>,
    /// Probable ids and source paths of files that failed to load or parse.
    /// Their own error is the root cause; links to them are not reported again.
    failed_ids: BTreeSet<String>,
    failed_sources: BTreeSet<String>,
    /// Content-relative paths of the non-Markdown files copied into the site.
    assets: BTreeSet<String>,
    /// Page URL → id, for links written as the published `.html` URL.
    by_url: HashMap<String, String>,
    /// Folder (content-relative, `""` for the root) → URL of its section page,
    /// for links to a folder (`/guide/`, `../guide`) and to intro files.
    sections: HashMap<String, String>,
    /// Intro files (`_index.md` of the root or of a kind folder) → the URL of
    /// the page they introduce.
    intro_sources: HashMap<String, String>,
    /// Element ids the theme's page templates use themselves (`main`, …): a
    /// heading never takes one, so `#main` keeps naming the page's main element
    /// and a heading `## main` gets `main-1`.
    pub page_ids: BTreeSet<String>,
}

impl Links {
    pub fn insert(&mut self, source_rel: &str, target: LinkTarget) {
        self.by_source
            .insert(source_rel.to_string(), target.id.clone());
        self.by_url.insert(target.url.clone(), target.id.clone());
        self.by_id.insert(target.id.clone(), target);
    }

    pub fn get(&self, id: &str) -> Option<&LinkTarget> {
        self.by_id.get(id)
    }

    fn by_source(&self, rel: &str) -> Option<&LinkTarget> {
        self.by_source.get(rel).and_then(|id| self.by_id.get(id))
    }

    /// Records a file that failed to load or parse, under the ids it probably has.
    pub fn insert_failed(&mut self, source_rel: &str, ids: impl IntoIterator<Item = String>) {
        self.failed_sources.insert(source_rel.to_string());
        self.failed_ids.extend(ids);
    }

    /// Records a content file that is copied into the site as it is (an image, a PDF).
    pub fn insert_asset(&mut self, rel: &str) {
        self.assets.insert(rel.to_string());
    }

    /// Records a folder's section page (`folder` content-relative, `""` for the root).
    pub fn insert_section(&mut self, folder: &str, url: &str) {
        self.sections.insert(folder.to_string(), url.to_string());
    }

    /// Records an intro file (`_index.md`) as standing for the page at `url`.
    pub fn insert_intro(&mut self, source_rel: &str, url: &str) {
        self.intro_sources
            .insert(source_rel.to_string(), url.to_string());
    }

    /// What a link's path (percent-decoded, without `#fragment` or `?query`)
    /// written in the file `source_rel` names, resolved as the documentation
    /// tools the files come from resolve it: relative to the file's folder, or
    /// to the content root when it starts with `/`; with or without `.md`, as
    /// the published `.html`, or as a folder (its section page).
    pub fn resolve(&self, source_rel: &str, path: &str) -> Resolved<'_> {
        let absolute = path.starts_with('/');
        let Some(rel) = urls::join(if absolute { "" } else { source_rel }, path) else {
            return Resolved::Outside;
        };
        let folder_link = path.is_empty() || path.ends_with('/') || path.ends_with("/.");
        let last = rel.rsplit('/').next().unwrap_or("");
        let ext = last
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let index_files = |dir: &str| -> Vec<String> {
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            ["_index.md", "index.md", "README.md", "readme.md"]
                .iter()
                .map(|f| format!("{prefix}{f}"))
                .collect()
        };
        let mut tried: Vec<String> = Vec::new();
        let mut folder: Option<&str> = None;
        let page = if folder_link {
            tried.extend(index_files(&rel));
            folder = Some(&rel);
            true
        } else if ext == "md" || ext == "markdown" {
            tried.push(rel.clone());
            true
        } else if ext == "html" || ext == "htm" {
            if let Some(id) = self.by_url.get(&rel) {
                return Resolved::Page(&self.by_id[id]);
            }
            let stem = &rel[..rel.len() - ext.len() - 1];
            if last.len() == ext.len() + 1 + "index".len() && last.starts_with("index") {
                let dir = stem.rsplit_once('/').map_or("", |(d, _)| d);
                tried.extend(index_files(dir));
                folder = Some(dir);
            }
            tried.push(format!("{stem}.md"));
            true
        } else if self.assets.contains(&rel) {
            return Resolved::Asset(rel);
        } else {
            // No extension, or a dot in a page name (`release-7.5.0`).
            tried.push(format!("{rel}.md"));
            tried.extend(index_files(&rel));
            folder = Some(&rel);
            ext.is_empty() || ext.chars().all(|c| c.is_ascii_digit())
        };
        for candidate in &tried {
            if let Some(target) = self.by_source(candidate) {
                return Resolved::Page(target);
            }
            if let Some(url) = self.intro_sources.get(candidate) {
                return Resolved::Section(url.clone());
            }
        }
        if let Some(url) = folder.and_then(|f| self.sections.get(f.trim_end_matches('/'))) {
            return Resolved::Section(url.clone());
        }
        if tried.iter().any(|c| self.failed_sources.contains(c)) {
            return Resolved::Failed;
        }
        if self.assets.contains(&rel) {
            return Resolved::Asset(rel);
        }
        if !page && tried.len() > 1 {
            // A file name with an extension that is not there: say so.
            tried = vec![rel];
        }
        Resolved::Missing { tried, page }
    }

    /// Whether `id` is (probably) the id of a file that failed to load or parse,
    /// and no article of the site has it.
    pub fn is_failed(&self, id: &str) -> bool {
        self.get(id).is_none() && self.failed_ids.contains(id)
    }
}

/// What a link names, see [`Links::resolve`].
#[derive(Debug)]
pub enum Resolved<'a> {
    /// An article's page.
    Page(&'a LinkTarget),
    /// A section page, home page or kind index (root-relative URL).
    Section(String),
    /// A content file copied as it is (content-relative = site-relative path).
    Asset(String),
    /// A file that failed to load or parse: its own error says why.
    Failed,
    /// Nothing of the site; `tried` lists the content files looked for.
    /// `page`: the link was written as a link to a page (`.md`, `.html`, no
    /// extension, a folder), not to a file.
    Missing { tried: Vec<String>, page: bool },
    /// It climbs above the content folder.
    Outside,
}
