//! The fast path of `svcbook serve`: an edit to the body of an article or
//! two, applied to the last good build instead of building the site again.
//!
//! A full rebuild takes seconds at 10k articles; an edited body changes only
//! its own page, the printable pages of the learning paths that gather it, and
//! its search document. So serve keeps the last good build's [`ValidatedSite`],
//! theme and search index ([`LiveIndex`]) and, when a batch of changes is only
//! existing articles whose front matter, title and outgoing links are as
//! before, re-renders those pages against the same link table, patches the
//! index and swaps in the changed files.
//!
//! Anything else returns [`Patch::Rebuild`] and the caller builds the whole
//! site: other files, new or deleted ones, front matter (listings, taxonomies,
//! the feed and every page linking here show it), the set of body links
//! (backlinks on other pages), and any error, so that errors are reported by
//! exactly the code that reports them in a full build.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use svcbook_search::chunks::{read_chunk_script, ChunkTable};
use svcbook_search::LiveIndex;

use crate::article::{self, Parsed};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::index::{self, Manifest, MANIFEST_JSON, SEARCH_DIR};
use crate::load::{self, SourceFile};
use crate::model::Date;
use crate::output::OutputFile;
use crate::render::{RenderOptions, Renderer};
use crate::validate::{self, Page, ValidatedSite};

/// More edited files than this in one batch (a checkout, a search-and-replace)
/// go to a full rebuild, which does them on all cores at once.
const MAX_FILES: usize = 8;

/// The last good build, kept to patch.
pub(super) struct Live {
    site: ValidatedSite,
    /// The date the build judged review deadlines against.
    today: Date,
    /// Whether `today` follows the clock (no fixed date given).
    today_is_clock: bool,
    index: LiveIndex,
    /// The content folder, canonical, as the watcher reports paths.
    content_dir: PathBuf,
    /// Position in `site.pages()` by source path relative to the content folder.
    by_rel: HashMap<String, usize>,
}

/// What became of a batch of changes.
pub(super) enum Patch {
    /// Applied: files to add or replace, paths no longer served, the site's
    /// warnings now, and how many pages were rendered.
    Applied {
        files: Vec<OutputFile>,
        removed: Vec<String>,
        warnings: Diagnostics,
        pages: usize,
    },
    /// The files were saved without a change that shows.
    Unchanged(Diagnostics),
    /// Not for the fast path; nothing was modified.
    Rebuild,
}

/// A step failed after the state was modified, so it no longer matches what
/// is served (a template error, an index write error): drop it and rebuild.
#[derive(Debug)]
pub(super) struct Stale;

/// One edited article, checked, not yet applied.
struct Edit {
    at: usize,
    page: Page,
    diagnostics: Vec<Diagnostic>,
}

impl Live {
    /// Keeps a successful full build. `None` when its search bundle cannot be
    /// found or opened (then every change takes a full rebuild).
    pub(super) fn new(
        site: ValidatedSite,
        served: &HashMap<String, Arc<[u8]>>,
        today: Date,
        today_is_clock: bool,
    ) -> Option<Live> {
        let manifest = served_manifest(served)?;
        let bundle = assemble(&manifest.index, served)?;
        let index = LiveIndex::from_bundle(&bundle).ok()?;
        let content_dir = site.config().content_dir.canonicalize().ok()?;
        let by_rel = site
            .pages()
            .iter()
            .enumerate()
            .map(|(i, p)| (p.article.source.rel.clone(), i))
            .collect();
        Some(Live {
            site,
            today,
            today_is_clock,
            index,
            content_dir,
            by_rel,
        })
    }

    /// Applies the changes at `paths` (as the watcher reported them) if they
    /// are edits the fast path handles. After an `Err`, this state no longer
    /// matches what is served and must be dropped for a full rebuild.
    pub(super) fn apply(
        &mut self,
        paths: &[PathBuf],
        served: &HashMap<String, Arc<[u8]>>,
    ) -> Result<Patch, Stale> {
        let Some(edits) = self.check(paths) else {
            return Ok(Patch::Rebuild);
        };
        let mut warnings = self.site.diagnostics().clone();
        let mut shows = false;
        for e in &edits {
            let old = &self.site.pages()[e.at];
            let path = &old.article.source.path;
            warnings
                .0
                .retain(|d| d.location.as_ref().is_none_or(|l| l.path != *path));
            warnings.extend(e.diagnostics.iter().cloned());
            shows |= old.html != e.page.html || old.text != e.page.text || old.toc != e.page.toc;
        }
        warnings.sort();
        if !shows && warnings == *self.site.diagnostics() {
            return Ok(Patch::Unchanged(warnings));
        }

        let Some(manifest) = served_manifest(served) else {
            return Ok(Patch::Rebuild);
        };

        let mut urls = HashSet::new();
        let mut docs = Vec::new();
        for e in edits {
            let page = self.site.replace_page(e.at, e.page);
            docs.push(index::search_doc(page));
            urls.insert(page.article.url.clone());
            let id = page.article.id.clone();
            urls.extend(self.site.pages_showing(&id));
        }
        self.site.set_diagnostics(warnings.clone());

        // Pages and index do not depend on each other: one core each.
        let (site, theme, today) = (&self.site, self.site.theme(), self.today);
        let live_index = &mut self.index;
        let (rendered, search) = rayon::join(
            || {
                Renderer::new(theme)
                    .and_then(|r| r.render_only(site, &RenderOptions { today }, &urls))
                    .map_err(|_| Stale)
            },
            || patch_index(live_index, &docs, manifest, site.pages().len()).map_err(|_| Stale),
        );
        let rendered = rendered?;
        let (mut files, removed) = search?;
        let pages = rendered.len();
        files.extend(rendered);
        Ok(Patch::Applied {
            files,
            removed,
            warnings,
            pages,
        })
    }

    /// The edits, if every path is an article of the site whose change stays
    /// within its own page; reads and checks without modifying anything.
    fn check(&self, paths: &[PathBuf]) -> Option<Vec<Edit>> {
        if paths.is_empty() || paths.len() > MAX_FILES {
            return None;
        }
        // Review deadlines are judged against the date on every page.
        if self.today_is_clock && Date::today() != self.today {
            return None;
        }
        let mut seen = HashSet::new();
        let mut edits = Vec::new();
        for path in paths {
            let at = self.page_at(path)?;
            if seen.insert(at) {
                edits.push(self.edit(at)?);
            }
        }
        Some(edits)
    }

    fn page_at(&self, path: &Path) -> Option<usize> {
        let real = path.canonicalize().ok()?;
        let rel = real.strip_prefix(&self.content_dir).ok()?;
        let rel = load::relative_slash_path(rel, Path::new(""));
        self.by_rel.get(&rel).copied()
    }

    /// Re-reads the page at `at` and checks it as validation would.
    fn edit(&self, at: usize) -> Option<Edit> {
        let old = &self.site.pages()[at];
        let source = &old.article.source;
        let real = self
            .site
            .config()
            .access_policy()
            .resolve(&source.path)
            .ok()?;
        let text = load::read_article(&real, &source.path).ok()?;
        let file = SourceFile {
            path: source.path.clone(),
            rel: source.rel.clone(),
            text,
        };
        let (parsed, mut diagnostics) = article::parse_one(&file, &self.site.config().kinds);
        let Some(Parsed::Article(article, body)) = parsed else {
            return None;
        };
        if !same_front_matter(&old.article, &article) {
            return None;
        }
        let raw_html = self.site.config().markdown.raw_html;
        let (page, body_diagnostics) =
            validate::check_article(*article, body, self.site.links(), raw_html);
        diagnostics.extend(body_diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) || page.links_to != old.links_to {
            return None;
        }
        Some(Edit {
            at,
            page,
            diagnostics,
        })
    }
}

/// Whether everything but the body is as before: every front-matter field,
/// the title (which may come from the body's heading) and where each line is.
fn same_front_matter(old: &crate::model::Article, new: &crate::model::Article) -> bool {
    old.source == new.source
        && serde_json::to_value(old)
            .ok()
            .is_some_and(|o| serde_json::to_value(new).ok().is_some_and(|n| o == n))
}

/// Replaces `docs` in the index and returns the search files that changed:
/// each doc's fragment file, the new chunk scripts and the manifests; and the
/// paths of the chunk scripts the new index no longer uses. Chunks are named by
/// content, so the untouched start of the bundle keeps its chunk files.
fn patch_index(
    live: &mut LiveIndex,
    docs: &[svcbook_search::SearchDoc],
    old: Manifest,
    count: usize,
) -> Result<(Vec<OutputFile>, Vec<String>), svcbook_search::SearchError> {
    let mut files = Vec::new();
    for doc in docs {
        let fragment = live.replace(doc)?;
        files.push(OutputFile::new(
            format!("{SEARCH_DIR}/{}", fragment.name),
            fragment.bytes,
        ));
    }
    let (table, chunks) = index::index_files(live.bundle()?)?;
    let script = |name: String| format!("{SEARCH_DIR}/{}", ChunkTable::script_name(&name));
    let new: HashSet<String> = table.names().map(script).collect();
    let removed = old
        .index
        .names()
        .map(script)
        .filter(|path| !new.contains(path))
        .collect();
    files.extend(chunks);
    let manifest = Manifest {
        docs: count,
        index: table,
        ..old
    };
    files.extend(index::manifest_files(&manifest));
    Ok((files, removed))
}

/// The index bundle from the chunk scripts being served, each checked.
fn assemble(table: &ChunkTable, served: &HashMap<String, Arc<[u8]>>) -> Option<Vec<u8>> {
    let mut bundle = Vec::with_capacity(table.len as usize);
    for n in 0..table.chunk_count() {
        let name = table.chunk_name(n);
        let script = served.get(&format!("{SEARCH_DIR}/{}", ChunkTable::script_name(&name)))?;
        bundle.extend(read_chunk_script(script, &name).ok()?);
    }
    (bundle.len() as u64 == table.len).then_some(bundle)
}

fn served_manifest(served: &HashMap<String, Arc<[u8]>>) -> Option<Manifest> {
    let bytes = served.get(&format!("{SEARCH_DIR}/{MANIFEST_JSON}"))?;
    serde_json::from_slice(bytes).ok()
}
