//! The build, stage by stage: load → validate → render → index → write.
//!
//! Each stage is a function from the previous stage's output to its own; this
//! module only sequences them, times them and decides what is fatal.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::index::{self, IndexError};
use crate::load;
use crate::model::Date;
use crate::output::{Collect, OutputFile, Routed, Sink};
use crate::render::{self, RenderError, RenderOptions};
use crate::routes::Target;
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

impl From<RenderError> for BuildError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Invalid(d) => BuildError::Invalid(d),
            RenderError::Write(e) => BuildError::Write(e),
        }
    }
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
            keep_bodies: false,
            today: options.today.unwrap_or_else(Date::today),
        },
    )
    .map_err(BuildError::Invalid)?;
    times.validate = t.elapsed();
    Ok(site)
}

/// Every stage short of writing: the validated site and its files in memory.
/// `svcbook serve` serves them.
pub fn build_in_memory(
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
    times: &mut StageTimes,
) -> Result<(ValidatedSite, Vec<OutputFile>), BuildError> {
    let site = load_and_validate(options, on_stage, times)?;
    let files = build_files(&site, on_stage, times)?;
    Ok((site, files))
}

/// Builds the site. On any error the previous output is left untouched.
pub fn build(
    options: &BuildOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let mut times = StageTimes::default();
    let mut site = load_and_validate(options, on_stage, &mut times)?;
    // The write stage starts first and ends last: render and index put their
    // files into its staging folder as they make them, so a big site is never
    // held in memory whole; dropped on any error, the staging folder goes away.
    let staging = Counted::new(write::Staging::create(&site.config().output_dir)?);
    let routed = Routed::new(staging, site.routes());
    let pages = render_and_index(&site, &routed, on_stage, &mut times)?;

    on_stage(Stage::Write);
    let t = Instant::now();
    copy_assets(&site, &routed)?;
    crate::offline::write(&site, &routed, || routed.written())?;
    let staging = routed.into_inner();
    let files = staging.count();
    staging.into_inner().commit()?;
    times.write = t.elapsed();

    Ok(BuildReport {
        output_dir: site.config().output_dir.clone(),
        articles: site.pages().len(),
        pages,
        files,
        warnings: site.take_diagnostics(),
        times,
        elapsed: start.elapsed(),
    })
}

/// The render and index stages into memory: every file of the site, sorted by
/// path. `svcbook serve` serves them and `svcbook check` only looks at them.
pub fn build_files(
    site: &ValidatedSite,
    on_stage: &mut dyn FnMut(Stage),
    times: &mut StageTimes,
) -> Result<Vec<OutputFile>, BuildError> {
    let files = Routed::new(Collect::default(), site.routes());
    render_and_index(site, &files, on_stage, times)?;
    copy_assets(site, &files)?;
    crate::offline::write(site, &files, || files.written())?;
    Ok(files.into_inner().into_sorted())
}

/// Renders and indexes `site` into `sink`; returns the number of HTML pages.
/// Review deadlines are judged against the date the site was validated on.
fn render_and_index(
    site: &ValidatedSite,
    sink: &dyn Sink,
    on_stage: &mut dyn FnMut(Stage),
    times: &mut StageTimes,
) -> Result<usize, BuildError> {
    on_stage(Stage::Render);
    let t = Instant::now();
    let renderer = render::Renderer::new(site.theme()).map_err(BuildError::Invalid)?;
    let pages = renderer.render_into(
        site,
        &RenderOptions {
            today: site.today(),
        },
        sink,
    )?;
    times.render = t.elapsed();

    on_stage(Stage::Index);
    let t = Instant::now();
    index::index(site.pages(), site.config(), sink)?;
    times.index = t.elapsed();
    Ok(pages)
}

/// The content files the route table copies as they are.
fn copy_assets(site: &ValidatedSite, sink: &dyn Sink) -> Result<(), WriteError> {
    let assets: Vec<(&str, &std::path::Path)> = site
        .routes()
        .iter()
        .filter_map(|r| match r.target {
            Target::Asset(i) => Some((r.path.as_str(), site.assets()[i].abs.as_path())),
            _ => None,
        })
        .collect();
    assets
        .par_iter()
        .try_for_each(|(rel, source)| sink.copy(rel, source))
}

/// A sink that counts what passes through it, for the build report.
struct Counted<S> {
    inner: S,
    files: AtomicUsize,
}

impl<S: Sink> Counted<S> {
    fn new(inner: S) -> Counted<S> {
        Counted {
            inner,
            files: AtomicUsize::new(0),
        }
    }

    fn count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Sink> Sink for Counted<S> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.inner.put(file)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn copy(&self, rel: &str, source: &std::path::Path) -> Result<(), WriteError> {
        self.inner.copy(rel, source)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
