//! The route table: every file of the built site, and who owns it.
//!
//! Computed once from the validated model — articles, learning paths, the
//! taxonomy terms they use, content assets, the theme's static files and the
//! pages svcbook generates itself — before anything is rendered. This is the
//! one list of the site's output paths: the render stage writes what the table
//! says, the write stage refuses a file the table does not own (or one written
//! twice), `check` knows which files exist from it, and `serve` re-renders from
//! it. Two owners of one path are an error naming both, like Zola's
//! collisions, so a build never replaces one page with another, silently or
//! differently from one run to the next.
//!
//! Paths that differ only in case collide too: on Windows and macOS, and on
//! the USB sticks the site is copied to, one would overwrite the other. And no
//! file name may exceed 255 bytes, nor a path the system's limit: such a
//! name is reported here, with the file and line it comes from, rather than
//! by the operating system half-way through writing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Location};
use crate::learning_paths::LearningPath;
use crate::load::AssetFile;
use crate::model::{Article, Date, Kind, Status, Taxonomy};
pub use crate::pagination::{page_url, PageOf};
use crate::theme::Theme;

mod names;
mod owner;

pub(crate) use names::fnv1a;
pub use names::term_file_stem;
pub use owner::Owner;
use owner::{blamed, collision, paged};

/// The folder the index stage owns whole (its file names are content hashes).
pub const SEARCH_FOLDER: &str = "search";
/// Where `svcbook serve` answers itself (live reload); nothing built goes there.
pub const SERVE_FOLDER: &str = "__svcbook";

/// The web app manifest, the service worker's file list and the worker itself.
pub const OFFLINE_MANIFEST: &str = "manifest.webmanifest";
pub const OFFLINE_LIST: &str = "offline.json";
pub const SERVICE_WORKER: &str = "sw.js";

/// Longest file name (one path component) nearly every file system allows.
pub const MAX_NAME_BYTES: usize = 255;
/// The home page.
pub const HOME: &str = "index.html";
/// The generated pages at fixed paths. These names are the only place the
/// paths are written; everything that links to or lists them uses these.
pub const TIME_LIMITS: &str = "time-limits.html";
pub const NOT_FOUND: &str = "404.html";
pub const SEARCH_PAGE: &str = "search.html";
pub const CHANGES: &str = "changes.html";
pub const CHANGES_FEED: &str = "changes.xml";
pub const REVIEW: &str = "review.html";
pub const SITEMAP: &str = "sitemap.xml";
/// Most URLs one sitemap file may list (the sitemaps.org protocol). A site
/// with more gets `sitemap.xml` as an index of `sitemap-1.xml`, `sitemap-2.xml`…
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Part `n` (from 1) of a sitemap too long for one file.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}
pub const PATHS_INDEX: &str = "paths/index.html";

/// A kind's index page: `fault-cases/index.html`; `None` for plain pages,
/// which have none. The route table and every link to it use this.
pub fn kind_index(kind: Kind) -> Option<String> {
    kind.folder().map(|folder| format!("{folder}/index.html"))
}

/// A taxonomy's overview page: `error-codes/index.html`.
pub fn taxonomy_index(tax: Taxonomy) -> String {
    format!("{}/index.html", tax.folder())
}

/// The generated stylesheet of the kinds' badge colours.
pub const KIND_STYLES: &str = "assets/kinds.css";
/// Longest path the system opens (Linux's PATH_MAX, less its terminating NUL).
pub const MAX_PATH_BYTES: usize = 4095;
/// What the write stage's staging folder adds to the output folder's path:
/// `.` + `.tmp-build-` + a process id of up to 10 digits (the name itself is
/// counted separately).
const STAGING_EXTRA_BYTES: usize = 1 + 11 + 10;

/// What a file of the site is, and so how it is made. A listing that grows
/// with the site is one target per page ([`PageOf`]; see [`crate::pagination`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Home,
    KindIndex(Kind, PageOf),
    TimeLimits(PageOf),
    NotFound,
    Search,
    Changes,
    ChangesFeed,
    /// A page of the review report; its four lists, all of them, shared by
    /// its pages (counted here, shown by the render stage).
    Review {
        page: PageOf,
        lists: Arc<crate::review::Lists>,
    },
    /// `sitemap.xml`: the pages of the site, or the index of its parts.
    Sitemap,
    /// Part `n` (from 1) of a sitemap of more than [`SITEMAP_MAX_URLS`] pages.
    SitemapPart(usize),
    PathsIndex,
    TaxonomyIndex(Taxonomy, PageOf),
    /// A page of a term's listing; the articles (indexes into the article
    /// list) that list the term, all of them, shared by its pages.
    Term {
        taxonomy: Taxonomy,
        term: String,
        articles: Arc<[usize]>,
        page: PageOf,
    },
    /// A learning path's page and its printable page (index into the paths).
    LearningPath(usize),
    PathPrint(usize),
    /// An article's page (index into the article list).
    Article(usize),
    /// A page of the listing svcbook makes for a folder without a section
    /// file (index into the site tree's sections).
    Section(usize, PageOf),
    /// A page at an article's old URL (`aliases`) that sends the reader on
    /// (index into the article list).
    Redirect(usize),
    /// A file of the theme (or the site's `static/`), by its output path.
    Static(String),
    /// The badge colours of the site's kinds (`assets/kinds.css`), made from
    /// the kind registry so a kind's colour is stated once.
    KindStyles,
    /// A file of the content folder copied as it is (index into the assets).
    Asset(usize),
    /// The web app manifest (install to a phone's home screen).
    WebManifest,
    /// Every other file of the site with its size, grouped for the service
    /// worker (`offline.json`); made after all of them are written.
    OfflineList,
    /// The service worker (`sw.js`, at the root so it may serve the whole
    /// site); it carries the build's hash, so a rebuilt site is a new worker.
    ServiceWorker,
}

impl Target {
    /// Whether the page is listed in `sitemap.xml`.
    pub fn in_sitemap(&self) -> bool {
        matches!(
            self,
            Target::Home
                | Target::KindIndex(..)
                | Target::TimeLimits(_)
                | Target::Article(_)
                | Target::Section(..)
        )
    }

    /// Whether the file is an HTML page made from a template.
    pub fn is_page(&self) -> bool {
        !matches!(
            self,
            Target::Sitemap
                | Target::SitemapPart(_)
                | Target::ChangesFeed
                | Target::Static(_)
                | Target::KindStyles
                | Target::Asset(_)
                | Target::WebManifest
                | Target::OfflineList
                | Target::ServiceWorker
        )
    }
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct Route {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub target: Target,
    pub owner: Owner,
}

/// Every file of the site, in a fixed order (generated pages first, then
/// static files, learning paths, articles, terms and assets).
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
    by_path: HashMap<String, usize>,
    /// Lower-cased path → route, for collisions on case-blind file systems.
    by_folded: HashMap<String, usize>,
    /// Every folder some route lies in, with the first route in it.
    folders: HashMap<String, usize>,
    /// Folders owned whole: no route may lie inside them.
    reserved: Vec<(&'static str, Owner)>,
}

/// What the table is computed from.
pub struct Inputs<'a> {
    /// The articles of the build, in the order pages are kept.
    pub articles: &'a [&'a Article],
    pub paths: &'a [LearningPath],
    /// The sections of the plain pages' folder tree.
    pub sections: &'a [crate::sections::Section],
    pub assets: &'a [AssetFile],
    /// The content folder as the user names it, for messages about assets.
    pub content_dir: &'a Path,
    pub theme: Option<&'a Theme>,
    /// Where the site will be written, to check path lengths.
    pub output_dir: &'a Path,
    /// Whether the site gets a service worker and its file list (`[offline]`).
    pub offline: bool,
    /// The site's kinds: one index page each.
    pub kinds: &'a crate::kinds::Registry,
    /// Entries per page of a listing (`paginate_by`).
    pub paginate_by: usize,
    /// The date review deadlines are judged against: it decides how long
    /// the review report is.
    pub today: Date,
}

impl RouteTable {
    /// Computes every file of the site; returns the table (first owner wins
    /// each path) and an error for every path claimed twice or too long.
    pub fn plan(inputs: &Inputs) -> (RouteTable, Vec<Diagnostic>) {
        let mut table = RouteTable::default();
        let mut diagnostics = Vec::new();
        table.reserve(SEARCH_FOLDER, Owner::Folder("search index"));
        table.reserve(SERVE_FOLDER, Owner::Folder("live-reload endpoint"));
        let mut add = |table: &mut RouteTable, path: String, target: Target, owner: Owner| {
            if let Some(d) = table.add(path, target, owner) {
                diagnostics.push(d);
            }
        };
        let generated = |what: &str| Owner::Generated(what.to_string());
        let mut alias_warnings = Vec::new();
        let per_page = inputs.paginate_by;
        let listed = || {
            inputs
                .articles
                .iter()
                .filter(|a| a.status != Status::Archived)
        };
        let terms: Vec<(Taxonomy, TermMap)> = Taxonomy::ALL
            .into_iter()
            .map(|tax| (tax, term_map(inputs.articles, tax)))
            .collect();

        // In this order: the sitemap lists its pages in table order.
        add(
            &mut table,
            HOME.into(),
            Target::Home,
            generated("home page"),
        );
        for kind in inputs.kinds.typed() {
            let first = kind_index(kind).unwrap_or_default();
            let owner = generated(&format!("index page of the kind `{kind}`"));
            let entries = listed().filter(|a| a.kind == kind).count();
            for (path, target, page_owner) in
                listing_pages(&first, entries, per_page, &owner, |page| {
                    Target::KindIndex(kind, page)
                })
            {
                add(&mut table, path, target, page_owner);
            }
        }
        let owner = generated("time-limit overview");
        let entries = listed().map(|a| crate::time_limits::of(a).len()).sum();
        for (path, target, page_owner) in
            listing_pages(TIME_LIMITS, entries, per_page, &owner, Target::TimeLimits)
        {
            add(&mut table, path, target, page_owner);
        }
        add(
            &mut table,
            NOT_FOUND.into(),
            Target::NotFound,
            generated("404 page"),
        );
        // A theme may leave the search page out by overriding it away.
        if inputs
            .theme
            .is_none_or(|t| t.templates.contains_key("search.html"))
        {
            add(
                &mut table,
                SEARCH_PAGE.into(),
                Target::Search,
                generated("search page"),
            );
        }
        add(
            &mut table,
            CHANGES.into(),
            Target::Changes,
            generated("change log page"),
        );
        add(
            &mut table,
            CHANGES_FEED.into(),
            Target::ChangesFeed,
            generated("change log feed"),
        );
        let owner = generated("review page");
        let lists = Arc::new(crate::review::Lists::new(inputs.articles, inputs.today));
        let review_page = |page| Target::Review {
            page,
            lists: lists.clone(),
        };
        for (path, target, page_owner) in
            listing_pages(REVIEW, lists.len(), per_page, &owner, review_page)
        {
            add(&mut table, path, target, page_owner);
        }
        add(
            &mut table,
            SITEMAP.into(),
            Target::Sitemap,
            generated("sitemap"),
        );
        add(
            &mut table,
            PATHS_INDEX.into(),
            Target::PathsIndex,
            generated("learning-path overview"),
        );
        add(
            &mut table,
            OFFLINE_MANIFEST.into(),
            Target::WebManifest,
            generated("web app manifest"),
        );
        if inputs.offline {
            add(
                &mut table,
                OFFLINE_LIST.into(),
                Target::OfflineList,
                generated("offline file list"),
            );
            add(
                &mut table,
                SERVICE_WORKER.into(),
                Target::ServiceWorker,
                generated("service worker"),
            );
        }
        add(
            &mut table,
            KIND_STYLES.into(),
            Target::KindStyles,
            generated("kind badge stylesheet"),
        );
        for (tax, terms) in &terms {
            let first = taxonomy_index(*tax);
            let owner = generated(&format!("overview of the {}", tax.field()));
            for (path, target, page_owner) in
                listing_pages(&first, terms.len(), per_page, &owner, |page| {
                    Target::TaxonomyIndex(*tax, page)
                })
            {
                add(&mut table, path, target, page_owner);
            }
        }

        if let Some(theme) = inputs.theme {
            for name in theme.static_files.keys() {
                let origin = theme
                    .static_origins
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(name));
                add(
                    &mut table,
                    name.clone(),
                    Target::Static(name.clone()),
                    Owner::Static(origin),
                );
            }
        }

        for (i, path) in inputs.paths.iter().enumerate() {
            let owner = Owner::LearningPath(path.file.clone());
            add(
                &mut table,
                path.url.clone(),
                Target::LearningPath(i),
                owner.clone(),
            );
            add(
                &mut table,
                path.print_url.clone(),
                Target::PathPrint(i),
                owner,
            );
        }

        for (i, a) in inputs.articles.iter().enumerate() {
            let owner = Owner::Article {
                id: a.id.clone(),
                source: a.source.path.clone(),
                line: a.source.id_line,
            };
            add(&mut table, a.url.clone(), Target::Article(i), owner.clone());
            let mut seen = std::collections::HashSet::new();
            for alias in &a.aliases {
                if !seen.insert(alias.as_str()) {
                    continue;
                }
                // Two pages that list one old URL: it can lead to one of them
                // only. The first keeps it, with a warning (Hugo keeps the
                // last, silently); an old URL that is a page or file of the
                // site is an error like any other collision.
                if let Some(Target::Redirect(other)) = table.get(alias).map(|r| &r.target) {
                    let other = inputs.articles[*other];
                    alias_warnings.push(
                        Diagnostic::warning(
                            "W0108",
                            format!(
                                "the old URL `{alias}` in `aliases` is also listed by {}; it leads there",
                                other.source.path.display()
                            ),
                        )
                        .at(Location::file(&a.source.path))
                        .field("aliases")
                        .hint("remove it from one of the two pages"),
                    );
                    continue;
                }
                add(
                    &mut table,
                    alias.clone(),
                    Target::Redirect(i),
                    owner.clone(),
                );
            }
        }

        // Terms of the articles listed (archived ones are not), each listing
        // owned by the first article that lists the term.
        for (tax, terms) in terms {
            for (term, (first, nth, articles)) in terms {
                let a = inputs.articles[first];
                let line = a
                    .source
                    .term_lines
                    .get(tax.field())
                    .and_then(|lines| lines.get(nth))
                    .copied()
                    .unwrap_or(1);
                let owner = Owner::Term {
                    taxonomy: tax,
                    term: term.to_string(),
                    source: a.source.path.clone(),
                    line,
                };
                let url = tax.term_url(term);
                let articles: Arc<[usize]> = articles.into();
                for (path, target, page_owner) in
                    listing_pages(&url, articles.len(), per_page, &owner, |page| {
                        Target::Term {
                            taxonomy: tax,
                            term: term.to_string(),
                            articles: articles.clone(),
                            page,
                        }
                    })
                {
                    add(&mut table, path, target, page_owner);
                }
            }
        }

        for (i, asset) in inputs.assets.iter().enumerate() {
            let shown = inputs.content_dir.join(&asset.rel);
            let shown = shown.strip_prefix(".").unwrap_or(&shown).to_path_buf();
            add(
                &mut table,
                asset.rel.clone(),
                Target::Asset(i),
                Owner::Asset(shown),
            );
        }

        // A folder without a section file gets a listing, unless its URL is
        // taken (a kind's index, a static file): a link to the folder then
        // goes to what is there.
        for (i, section) in inputs.sections.iter().enumerate() {
            if section.page.is_some() || section.folder.is_empty() {
                continue;
            }
            if table.get(&section.url).is_some() || table.folders.contains_key(&section.url) {
                continue;
            }
            let owner = Owner::Generated(format!("page of the folder `{}`", section.folder));
            // Its later pages are the folder's own: a file there collides.
            for (path, target, page_owner) in listing_pages(
                &section.url,
                section.children.len(),
                per_page,
                &owner,
                |page| Target::Section(i, page),
            ) {
                add(&mut table, path, target, page_owner);
            }
        }

        diagnostics.extend(table.add_sitemap_parts(SITEMAP_MAX_URLS));
        diagnostics.extend(alias_warnings);
        diagnostics.extend(table.long_names(inputs.output_dir));
        (table, diagnostics)
    }

    /// The parts of the sitemap, when it lists more than `max` pages; planned
    /// last, once every page is known.
    fn add_sitemap_parts(&mut self, max: usize) -> Vec<Diagnostic> {
        let listed = self.sitemap_pages().count();
        if listed <= max {
            return Vec::new();
        }
        (1..=listed.div_ceil(max))
            .filter_map(|n| {
                let owner = Owner::Generated(format!("sitemap part {n}"));
                self.add(sitemap_part(n), Target::SitemapPart(n), owner)
            })
            .collect()
    }

    /// The pages `sitemap.xml` lists, in table order.
    pub fn sitemap_pages(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter().filter(|r| r.target.in_sitemap())
    }

    /// The parts of the sitemap: none when one file holds it.
    pub fn sitemap_parts(&self) -> usize {
        self.routes
            .iter()
            .filter(|r| matches!(r.target, Target::SitemapPart(_)))
            .count()
    }

    fn reserve(&mut self, folder: &'static str, owner: Owner) {
        self.reserved.push((folder, owner));
    }

    /// Adds a route unless its path is taken; returns the error if it is.
    fn add(&mut self, path: String, target: Target, owner: Owner) -> Option<Diagnostic> {
        if let Some(&i) = self.by_path.get(&path) {
            let other = &self.routes[i].owner;
            return Some(collision(
                blamed(&owner, other),
                format!(
                    "`{path}` would be written twice: by {} and by {}",
                    owner.describe(),
                    other.describe()
                ),
            ));
        }
        let folded = path.to_lowercase();
        if let Some(&i) = self.by_folded.get(&folded) {
            let other = &self.routes[i];
            return Some(collision(
                blamed(&owner, &other.owner),
                format!(
                    "`{path}` ({}) and `{}` ({}) differ only in case: on Windows and macOS, and on most USB sticks, one would overwrite the other",
                    owner.describe(),
                    other.path,
                    other.owner.describe()
                ),
            ));
        }
        let top = path.split('/').next().unwrap_or("");
        if let Some((folder, other)) = self
            .reserved
            .iter()
            .find(|(folder, _)| top.eq_ignore_ascii_case(folder))
        {
            return Some(collision(
                &owner,
                format!(
                    "`{path}` ({}) lies in `{folder}/`, which belongs to {}",
                    owner.describe(),
                    other.describe()
                ),
            ));
        }
        // A file where another route needs a folder, or the other way round.
        if let Some(&i) = self.folders.get(&path) {
            let other = &self.routes[i];
            return Some(collision(
                blamed(&owner, &other.owner),
                format!(
                    "`{path}` ({}) would be a file, but `{}` ({}) needs it to be a folder",
                    owner.describe(),
                    other.path,
                    other.owner.describe()
                ),
            ));
        }
        let mut folder = path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(&i) = self.by_path.get(parent) {
                let other = &self.routes[i];
                return Some(collision(
                    blamed(&owner, &other.owner),
                    format!(
                        "`{path}` ({}) needs `{parent}` to be a folder, but it is the file of {}",
                        owner.describe(),
                        other.owner.describe()
                    ),
                ));
            }
            folder = parent;
        }
        let i = self.routes.len();
        let mut folder = path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            self.folders.entry(parent.to_string()).or_insert(i);
            folder = parent;
        }
        self.by_path.insert(path.clone(), i);
        self.by_folded.insert(folded, i);
        self.routes.push(Route {
            path,
            target,
            owner,
        });
        None
    }

    /// File names over 255 bytes, and paths longer than the system opens
    /// (counted in the staging folder the build writes to first).
    fn long_names(&self, output_dir: &Path) -> Vec<Diagnostic> {
        let out = std::path::absolute(output_dir).unwrap_or_else(|_| output_dir.to_path_buf());
        let base = out.as_os_str().len() + STAGING_EXTRA_BYTES + 1;
        let mut out_diagnostics = Vec::new();
        for route in &self.routes {
            let Some(location) = route.owner.location() else {
                continue;
            };
            let long_name = route
                .path
                .split('/')
                .find(|name| name.len() > MAX_NAME_BYTES);
            let message = if let Some(name) = long_name {
                format!(
                    "the output file name `{}…` is {} bytes long; file systems allow at most {MAX_NAME_BYTES}",
                    name.chars().take(24).collect::<String>(),
                    name.len()
                )
            } else if base + route.path.len() > MAX_PATH_BYTES {
                format!(
                    "the output path `{}` would be {} bytes long in {}; the system allows at most {MAX_PATH_BYTES}",
                    route.path,
                    base + route.path.len(),
                    out.display()
                )
            } else {
                continue;
            };
            let mut d = Diagnostic::error("E0111", message)
                .at(location)
                .hint(match route.owner {
                    Owner::Term { .. } => "shorten the term (a page name is made from it)",
                    Owner::Article { .. } => "shorten the id or the file name",
                    _ => "shorten the name, or write the site to a shorter folder (-o)",
                });
            if let Some(field) = route.owner.field() {
                d = d.field(field);
            }
            out_diagnostics.push(d);
        }
        out_diagnostics
    }

    pub fn iter(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter()
    }

    pub fn len(&self) -> usize {
        self.routes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    pub fn get(&self, path: &str) -> Option<&Route> {
        self.by_path.get(path).map(|&i| &self.routes[i])
    }

    /// Whether a stage may write `path`: a route's own path, or a file in a
    /// folder the table leaves to a stage (`search/`).
    pub fn owns(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
            || path
                .strip_prefix(SEARCH_FOLDER)
                .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
    }

    /// The terms of `taxonomy`, sorted, each with the route of its first
    /// page and the articles that list it.
    pub fn terms(&self, taxonomy: Taxonomy) -> impl Iterator<Item = (&Route, &str, &[usize])> {
        self.routes.iter().filter_map(move |r| match &r.target {
            Target::Term {
                taxonomy: t,
                term,
                articles,
                page,
            } if *t == taxonomy && page.number == 1 => Some((r, term.as_str(), &articles[..])),
            _ => None,
        })
    }
}

/// Each term of a taxonomy: the article (position) and term position that
/// first lists it, and every article that lists it, in order. Archived
/// articles list none.
type TermMap<'a> = BTreeMap<&'a str, (usize, usize, Vec<usize>)>;

fn term_map<'a>(articles: &[&'a Article], tax: Taxonomy) -> TermMap<'a> {
    let mut terms = TermMap::new();
    for (i, a) in articles.iter().enumerate() {
        if a.status == Status::Archived {
            continue;
        }
        for (n, term) in tax.terms(a).iter().enumerate() {
            let entry = terms.entry(term.as_str()).or_insert((i, n, Vec::new()));
            if entry.2.last() != Some(&i) {
                entry.2.push(i);
            }
        }
    }
    terms
}

/// The routes of a listing of `entries` entries whose first page is `first`:
/// each page's file, its target and its owner (page N of `owner`'s listing).
fn listing_pages<'a>(
    first: &'a str,
    entries: usize,
    per_page: usize,
    owner: &'a Owner,
    target: impl Fn(PageOf) -> Target + 'a,
) -> impl Iterator<Item = (String, Target, Owner)> + 'a {
    PageOf::all(entries, per_page).map(move |page| {
        (
            page_url(first, page.number),
            target(page),
            paged(owner, page),
        )
    })
}

#[cfg(test)]
mod tests;
