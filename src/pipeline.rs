//! The build, stage by stage: load → validate → render → index → write.
//!
//! Each stage is a function from the previous stage's output to its own; this
//! module only sequences them, times them and decides what is fatal.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use svcbook_search::SearchDoc;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::index::{self, IndexError};
use crate::load;
use crate::model::Date;
use crate::render::{self, RenderOptions};
use crate::theme::Theme;
use crate::validate::{self, ValidateOptions, ValidatedSite};
use crate::write::{self, WriteError};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    /// Overrides the config's output folder.
    pub output_dir: Option<PathBuf>,
    pub drafts: bool,
    /// The date review deadlines are judged against; defaults to today.
    pub today: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Load,
    Validate,
    Render,
    Index,
    Write,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Load => "loading",
            Stage::Validate => "validating",
            Stage::Render => "rendering",
            Stage::Index => "indexing",
            Stage::Write => "writing",
        }
    }
}

/// Wall time per stage, for the summary line and the benchmarks.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub validate: Duration,
    pub render: Duration,
    pub index: Duration,
    pub write: Duration,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    /// Article pages built.
    pub articles: usize,
    /// HTML pages written (articles, indexes, taxonomies, ...).
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    pub times: StageTimes,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the user's input; all of them, sorted.
    #[error("the site has {} error(s)", .0.errors().count())]
    Invalid(Diagnostics),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError::Invalid(Diagnostics(vec![d]))
    }
}

/// Loads and validates a site without writing anything (`svcbook check` and the
/// first half of `build`).
pub fn load_and_validate(
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
    times: &mut StageTimes,
) -> Result<ValidatedSite, BuildError> {
    on_stage(Stage::Load);
    let t = Instant::now();
    let mut config = SiteConfig::load(&options.site_dir)?;
    if let Some(out) = &options.output_dir {
        config.output_dir = out.clone();
    }
    let loaded = load::load(config);
    times.load = t.elapsed();

    on_stage(Stage::Validate);
    let t = Instant::now();
    let site = validate::validate(
        loaded,
        &ValidateOptions {
            drafts: options.drafts,
        },
    )
    .map_err(BuildError::Invalid)?;
    times.validate = t.elapsed();
    Ok(site)
}

/// Every stage short of writing: the validated site and its files in memory.
/// `build` writes them; `svcbook serve` serves them.
pub fn build_in_memory(
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
    times: &mut StageTimes,
) -> Result<(ValidatedSite, Vec<crate::output::OutputFile>), BuildError> {
    let site = load_and_validate(options, on_stage, times)?;
    let today = options.today.unwrap_or_else(Date::today);
    let files = build_files(&site, today, on_stage, times)?;
    Ok((site, files))
}

/// Builds the site. On any error the previous output is left untouched.
pub fn build(
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let mut times = StageTimes::default();
    let (site, files) = build_in_memory(options, on_stage, &mut times)?;

    on_stage(Stage::Write);
    let t = Instant::now();
    write::write_site(&site.config.output_dir, &files)?;
    times.write = t.elapsed();

    let pages = files
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
        .count();
    Ok(BuildReport {
        output_dir: site.config.output_dir.clone(),
        articles: site.pages.len(),
        pages,
        files: files.len(),
        warnings: site.diagnostics,
        times,
        elapsed: start.elapsed(),
    })
}

/// The render and index stages: every file of the site, in memory, sorted by
/// path. `build` writes them; `svcbook serve` serves them and `svcbook check`
/// only looks at them.
pub fn build_files(
    site: &ValidatedSite,
    today: Date,
    on_stage: &mut dyn FnMut(Stage),
    times: &mut StageTimes,
) -> Result<Vec<crate::output::OutputFile>, BuildError> {
    on_stage(Stage::Render);
    let t = Instant::now();
    let theme = Theme::load(&site.config.site_dir, &site.config.theme)?;
    let mut files =
        render::render(site, &theme, &RenderOptions { today }).map_err(BuildError::Invalid)?;
    for asset in &site.assets {
        let bytes = std::fs::read(&asset.abs).map_err(|source| WriteError::Io {
            path: asset.abs.clone(),
            source,
        })?;
        files.push(crate::output::OutputFile::new(asset.rel.clone(), bytes));
    }
    times.render = t.elapsed();

    on_stage(Stage::Index);
    let t = Instant::now();
    let docs = site.pages.iter().map(search_doc).collect();
    let search = index::index(docs, &site.config)?;
    files.extend(search.files);
    times.index = t.elapsed();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What the search index sees of a page.
pub fn search_doc(page: &validate::Page) -> SearchDoc {
    let a = &page.article;
    SearchDoc {
        id: a.id.clone(),
        url: a.url.clone(),
        title: a.title.clone(),
        kind: a.kind.name().to_string(),
        status: crate::model::Choice::name(a.status).to_string(),
        summary: a.summary.clone(),
        body: page.text.clone(),
        headings: page.toc.iter().map(|t| t.title.clone()).collect(),
        products: a.products.clone(),
        error_codes: a.fields.error_codes().to_vec(),
        tags: a.tags.clone(),
    }
}
