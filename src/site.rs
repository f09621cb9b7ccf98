//! The site model every stage after validation takes: the checked articles
//! as pages, their link table, learning paths, assets, theme and route table,
//! with the named operations that change it (serve's incremental patch).
//!
//! Validation ([`crate::validate`]) is the one place that builds it; it always
//! builds as much of it as it can, so `svcbook check` works on the same site
//! a build would write.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::learning_paths::LearningPath;
use crate::load::AssetFile;
use crate::markdown::{Links, TocEntry};
use crate::model::{Article, Kind};
use crate::routes::{self, RouteTable};
use crate::sections::SiteTree;
use crate::theme::Theme;

/// An article with its rendered body and its place in the link graph.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    #[serde(flatten)]
    pub article: Article,
    /// Body HTML (links already relative to this page).
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Plain text of the body, for the search index.
    #[serde(skip)]
    pub text: String,
    /// Procedure steps, in order.
    pub steps: Vec<String>,
    /// Ids of the articles this one links to in its body.
    pub links_to: Vec<String>,
    /// Content files (images, PDFs) the body uses, as site paths.
    #[serde(skip)]
    pub assets: Vec<String>,
    /// Ids of the articles whose body or `related` list points here, sorted.
    pub backlinks: Vec<String>,
    /// The Markdown body, when validation was asked to keep it.
    #[serde(skip)]
    pub body: Option<String>,
}

/// The intro text of the home page or of a kind's index page (`_index.md`).
#[derive(Debug, Clone, Serialize)]
pub struct Intro {
    pub title: Option<String>,
    pub html: String,
}

/// The whole site, checked. Pages are sorted by kind, weight, then id.
///
/// Its fields are private: later stages read it through the accessors below,
/// and the only changes after validation are the named operations
/// ([`ValidatedSite::replace_page`], [`ValidatedSite::set_diagnostics`],
/// [`ValidatedSite::take_diagnostics`]).
#[derive(Debug)]
pub struct ValidatedSite {
    parts: SiteParts,
    /// Position in `pages` by id: `page()` runs for every related link and
    /// backlink of every page, and a scan made the render stage quadratic.
    by_id: HashMap<String, usize>,
}

/// What validation assembles a [`ValidatedSite`] from.
#[derive(Debug)]
pub(crate) struct SiteParts {
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub home_intro: Option<Intro>,
    pub section_intros: BTreeMap<Kind, Intro>,
    pub assets: Vec<AssetFile>,
    pub paths: Vec<LearningPath>,
    /// Its diagnostics: only warnings for a site a build may write; errors
    /// too for the partial site of `validate_partial`.
    pub diagnostics: Diagnostics,
    /// The link table the bodies were rendered against; `svcbook serve` renders
    /// an edited body against it again (`validate::check_article`).
    pub links: Links,
    /// The theme the site renders with (templates and static files).
    pub theme: Theme,
    /// Every file of the site and its owner; the render and write stages go by it.
    pub routes: RouteTable,
    /// The folder tree of the plain pages (sections, navigation).
    pub tree: SiteTree,
    /// The date review deadlines were judged against when the routes were
    /// planned; the render stage judges them against the same.
    pub today: crate::model::Date,
}

impl ValidatedSite {
    pub(crate) fn from_parts(parts: SiteParts) -> ValidatedSite {
        let by_id = parts
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.article.id.clone(), i))
            .collect();
        ValidatedSite { parts, by_id }
    }

    pub fn config(&self) -> &SiteConfig {
        &self.parts.config
    }

    pub fn pages(&self) -> &[Page] {
        &self.parts.pages
    }

    pub fn home_intro(&self) -> &Option<Intro> {
        &self.parts.home_intro
    }

    pub fn section_intros(&self) -> &BTreeMap<Kind, Intro> {
        &self.parts.section_intros
    }

    pub fn assets(&self) -> &[AssetFile] {
        &self.parts.assets
    }

    pub fn paths(&self) -> &[LearningPath] {
        &self.parts.paths
    }

    pub fn diagnostics(&self) -> &Diagnostics {
        &self.parts.diagnostics
    }

    pub fn links(&self) -> &Links {
        &self.parts.links
    }

    pub fn theme(&self) -> &Theme {
        &self.parts.theme
    }

    pub fn routes(&self) -> &RouteTable {
        &self.parts.routes
    }

    pub fn tree(&self) -> &SiteTree {
        &self.parts.tree
    }

    /// The date review deadlines are judged against.
    pub fn today(&self) -> crate::model::Date {
        self.parts.today
    }

    /// Hands the diagnostics over (`svcbook check` reports them with its own).
    pub fn take_diagnostics(&mut self) -> Diagnostics {
        std::mem::take(&mut self.parts.diagnostics)
    }

    /// Puts an edited article's page in place of the one at `at` (`svcbook
    /// serve`'s incremental patch: same id and front matter, so routes and the
    /// link graph stand); the page keeps its backlinks.
    pub fn replace_page(&mut self, at: usize, mut page: Page) -> &Page {
        let old = &mut self.parts.pages[at];
        debug_assert_eq!(old.article.id, page.article.id);
        page.backlinks = std::mem::take(&mut old.backlinks);
        *old = page;
        &self.parts.pages[at]
    }

    /// The site's warnings after an incremental patch replaced some.
    pub fn set_diagnostics(&mut self, diagnostics: Diagnostics) {
        self.parts.diagnostics = diagnostics;
    }

    /// The output paths, besides its own, that carry article `id`'s body:
    /// the printable pages of the learning paths that hold it.
    pub fn pages_showing(&self, id: &str) -> Vec<String> {
        self.parts
            .routes
            .iter()
            .filter(|route| match route.target {
                routes::Target::PathPrint(i) => self.parts.paths[i].ids().any(|p| p == id),
                _ => false,
            })
            .map(|route| route.path.clone())
            .collect()
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        // Checked against the page found, so `pages` changed after validation
        // still gives the right answer (by the slow path).
        match self.by_id.get(id).and_then(|&i| self.parts.pages.get(i)) {
            Some(p) if p.article.id == id => Some(p),
            _ => self.parts.pages.iter().find(|p| p.article.id == id),
        }
    }
}
