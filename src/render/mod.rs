//! Stage 3 — render: the validated site → HTML pages, sitemap and static files.
//!
//! It reads the [`ValidatedSite`] and the [`Theme`] and hands each finished file
//! to a [`Sink`]: the write stage's staging folder (`build`, so pages do not pile
//! up in memory) or a list in memory (`serve`, `check`). Either way nothing
//! reaches the real output folder until the write stage swaps it in, so a
//! render error can never leave a half-written site behind.

mod faq;
mod listings;
mod publishing;
mod views;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{Date, Kind, Status};
use crate::output::{Collect, OutputFile, Sink};
use crate::routes::Target;
use crate::sections;
use crate::theme::Theme;
use crate::urls;
use crate::validate::{Page, ValidatedSite};
use crate::write::WriteError;
use views::SiteView;
pub use views::{term_file_stem, ArticleView, LinkView, Taxonomy, TimeLimitRow};

#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The date "review overdue" is judged against.
    pub today: Date,
}

/// One page to render: its URL, template and what its context is made from.
struct Job<'a> {
    url: String,
    template: &'static str,
    content: Content<'a>,
}

/// Contexts are built when their page is rendered, on the rendering thread,
/// and dropped with it: an article's carries its body HTML and a listing's a
/// view of every article in it, and holding them all up front doubled the
/// render stage's memory on big sites.
enum Content<'a> {
    Lazy(Box<dyn FnOnce() -> Context + Send + 'a>),
    Article(&'a Page),
}

/// Which pages to render.
#[derive(Clone, Copy)]
enum Want<'a> {
    All,
    /// These URLs only: `serve` re-renders the page of an edited article, and
    /// must not pay for the site's listings (grouping 10k articles by taxonomy
    /// term was most of a one-page rebuild).
    Only(&'a HashSet<String>),
}

impl Want<'_> {
    fn url(self, url: &str) -> bool {
        match self {
            Want::All => true,
            Want::Only(urls) => urls.contains(url),
        }
    }
}

/// The pages to render, limited to those `want` names.
struct Jobs<'a> {
    list: Vec<Job<'a>>,
    want: Want<'a>,
}

impl<'a> Jobs<'a> {
    fn add(
        &mut self,
        url: String,
        template: &'static str,
        context: impl FnOnce() -> Context + Send + 'a,
    ) {
        if self.want.url(&url) {
            self.list.push(Job {
                url,
                template,
                content: Content::Lazy(Box::new(context)),
            });
        }
    }
}

/// The render stage failed: a template error (reported like input errors) or a
/// file that could not be handed on.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the theme has {} error(s)", .0.errors().count())]
    Invalid(Diagnostics),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The theme's templates, compiled once, ready to render any page of a site.
pub struct Renderer<'t> {
    tera: Tera,
    theme: &'t Theme,
}

impl<'t> Renderer<'t> {
    pub fn new(theme: &'t Theme) -> Result<Renderer<'t>, Diagnostics> {
        Ok(Renderer {
            tera: compile(theme)?,
            theme,
        })
    }

    /// Renders every page of the site, plus the sitemap, the feed and the
    /// theme's static files, handing each file to `sink` as soon as it is made,
    /// so no more than a page per core is held in memory. Returns the number of
    /// HTML pages.
    pub fn render_into(
        &self,
        site: &ValidatedSite,
        options: &RenderOptions,
        sink: &dyn Sink,
    ) -> Result<usize, RenderError> {
        let pages = self.render_pages(site, options, Want::All, sink)?;
        for route in site.routes().iter() {
            let bytes = match &route.target {
                Target::Sitemap => sitemap(site).into_bytes(),
                Target::SitemapPart(n) => {
                    sitemap_part(site, *n, crate::routes::SITEMAP_MAX_URLS).into_bytes()
                }
                Target::ChangesFeed => {
                    let changes = crate::changes::list(site, None);
                    crate::changes::atom(site, &changes, publishing::FEED_ENTRIES).into_bytes()
                }
                Target::Redirect(i) => {
                    redirect(&route.path, &site.pages()[*i].article).into_bytes()
                }
                Target::Static(name) => match self.theme.static_files.get(name) {
                    Some(bytes) => bytes.clone(),
                    None => continue,
                },
                Target::KindStyles => site.config().kinds.stylesheet().into_bytes(),
                // Pages are rendered above; assets are copied by the write stage.
                _ => continue,
            };
            sink.put(OutputFile::new(route.path.clone(), bytes))?;
        }
        Ok(pages)
    }

    /// Renders only the HTML pages at `urls` (site-relative, as in the output);
    /// for a rebuild after one article changed.
    pub fn render_only(
        &self,
        site: &ValidatedSite,
        options: &RenderOptions,
        urls: &HashSet<String>,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        in_memory(|files| self.render_pages(site, options, Want::Only(urls), files))
    }

    fn render_pages(
        &self,
        site: &ValidatedSite,
        options: &RenderOptions,
        want: Want,
        sink: &dyn Sink,
    ) -> Result<usize, RenderError> {
        let site_view = SiteView::new(site);
        let mut jobs = Jobs {
            list: Vec::new(),
            want,
        };
        jobs_for(site, options, &mut jobs);
        let pages = jobs.list.len();

        let errors: Vec<RenderError> = jobs
            .list
            .into_par_iter()
            .filter_map(|job| {
                let mut context = match job.content {
                    Content::Lazy(context) => context(),
                    Content::Article(page) => article_context(page, site, options),
                };
                context.insert("site", &site_view);
                context.insert("root", &urls::root_prefix(&job.url));
                context.insert("page_url", &job.url);
                if !context.contains_key("section") {
                    context.insert("section", "");
                }
                let result = match self.tera.render(job.template, &context) {
                    Ok(html) => sink
                        .put(OutputFile::new(job.url, html))
                        .map_err(RenderError::from),
                    Err(e) => Err(RenderError::Invalid(Diagnostics(vec![template_error(
                        &e,
                        self.theme,
                        job.template,
                        "E0302",
                    )]))),
                };
                result.err()
            })
            .collect();
        let mut diagnostics = Diagnostics::default();
        for e in errors {
            match e {
                RenderError::Write(e) => return Err(e.into()),
                RenderError::Invalid(ds) => {
                    for d in ds.0 {
                        // One broken template fails every page that uses it; report it once.
                        if !diagnostics.0.contains(&d) {
                            diagnostics.push(d);
                        }
                    }
                }
            }
        }
        if diagnostics.has_errors() {
            return Err(RenderError::Invalid(diagnostics));
        }
        Ok(pages)
    }
}

/// Renders every page of the site into memory (`svcbook check`, tests).
pub fn render(
    site: &ValidatedSite,
    theme: &Theme,
    options: &RenderOptions,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let renderer = Renderer::new(theme)?;
    in_memory(|files| renderer.render_into(site, options, files))
}

/// Runs `render` into a list in memory, where a file cannot fail to be put, so
/// only template errors remain.
fn in_memory(
    render: impl FnOnce(&Collect) -> Result<usize, RenderError>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let files = Collect::default();
    match render(&files) {
        Ok(_) => Ok(files.into_sorted()),
        Err(RenderError::Invalid(d)) => Err(d),
        Err(RenderError::Write(e)) => unreachable!("collecting in memory cannot fail: {e}"),
    }
}

/// Breadcrumbs, the section navigation and (on a section page) the section's
/// entries, for a plain page of a tree with folders or a table of contents.
/// `url` is the page's place in the tree; `shown_at` the file written, which
/// is another for page 2 and on of a folder's listing (`guide/page/2.html`
/// is `guide/index.html`, its links made from there); `entries`, the range of
/// the section's entries that page lists (all of them when `None`).
fn tree_context(
    ctx: &mut Context,
    site: &ValidatedSite,
    url: &str,
    shown_at: &str,
    entries: Option<std::ops::Range<usize>>,
) {
    let tree = &site.tree();
    if !tree.has_navigation() {
        return;
    }
    let rebase = |link: &mut String| {
        if url != shown_at {
            if let Some(moved) = urls::rebase(link, url, shown_at) {
                *link = moved;
            }
        }
    };
    let articles: Vec<&crate::model::Article> = site.pages().iter().map(|p| &p.article).collect();
    let mut crumbs = sections::crumbs(tree, url);
    crumbs.iter_mut().for_each(|c| rebase(&mut c.url));
    let mut nav = sections::flatten(sections::nav(tree, &articles, url));
    nav.iter_mut()
        .filter_map(|line| line.url.as_mut())
        .for_each(rebase);
    ctx.insert("crumbs", &crumbs);
    ctx.insert("nav", &nav);
    if let Some(s) = tree
        .section_of(url)
        .filter(|&s| tree.sections[s].url == url)
    {
        let mut listed = sections::listing(tree, &articles, s, url);
        if let Some(range) = entries {
            listed.truncate(range.end);
            listed.drain(..range.start.min(listed.len()));
        }
        listed.iter_mut().for_each(|e| rebase(&mut e.url));
        ctx.insert("entries", &listed);
    }
}

fn article_context(page: &Page, site: &ValidatedSite, options: &RenderOptions) -> Context {
    let mut ctx = Context::new();
    if page.article.kind == Kind::PAGE {
        tree_context(&mut ctx, site, &page.article.url, &page.article.url, None);
    }
    ctx.insert("page_title", &page.article.title);
    ctx.insert("article", &ArticleView::new(page, site, options.today));
    ctx.insert("section", &page.article.kind.name());
    let a = &page.article;
    if let Some(url) = site
        .config()
        .feedback
        .link(&a.id, a.version.as_deref(), &a.title)
    {
        ctx.insert(
            "feedback",
            &LinkPair {
                url,
                label: site.config().feedback.label().to_string(),
            },
        );
    }
    ctx.insert(
        "path_navs",
        &publishing::path_navs(site, &page.article.id, &page.article.url),
    );
    ctx
}

fn compile(theme: &Theme) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let sources: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    tera.add_raw_templates(sources)
        .map_err(|e| Diagnostics(vec![template_error(&e, theme, "", "E0301")]))?;
    Ok(tera)
}

/// Turns a Tera error into a diagnostic at the template file and line.
fn template_error(
    e: &tera::Error,
    theme: &Theme,
    template: &str,
    code: &'static str,
) -> Diagnostic {
    use tera::ErrorKind;
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let name = report
        .map(|r| r.filename().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| template.to_string());
    let source = theme.templates.get(&name);
    let origin = source
        .map(|s| s.origin.clone())
        .unwrap_or_else(|| name.clone().into());
    let what = if code == "E0301" {
        "template error"
    } else {
        "error while rendering"
    };
    let message = match report {
        Some(r) => format!("{what} in `{name}`: {}", r.message()),
        None => format!("{what} in `{name}`: {e}"),
    };
    let mut d = Diagnostic::error(code, message)
        .hint("fix the template, or delete your override to use the theme's");
    if let Some(r) = report {
        let span = r.span();
        d = d.at(Location::new(&origin, span.start_line, span.start_col + 1));
        if span.end_line == span.start_line {
            d = d.span(span.end_col.saturating_sub(span.start_col));
        }
        if let Some(s) = source {
            d = d.with_source_line(&s.text);
        }
    } else {
        d = d.at(Location::file(&origin));
    }
    d
}

/// The optional feedback link under an article (`[feedback]` in svcbook.toml).
#[derive(Serialize)]
struct LinkPair {
    url: String,
    label: String,
}

/// The pages of the route table, each with its template and the context it
/// is rendered with. Which pages exist is the table's business; this only says
/// how each kind of page is made.
fn jobs_for<'a>(site: &'a ValidatedSite, options: &RenderOptions, jobs: &mut Jobs<'a>) {
    let listed = move || {
        site.pages()
            .iter()
            .filter(|p| p.article.status != Status::Archived)
    };
    let today = options.today;
    // What the pages of one listing share, made by the first of them rendered.
    let mut kind_orders: HashMap<Kind, listings::Shared<listings::KindOrder>> = HashMap::new();
    let time_limits: listings::Shared<listings::TimeLimits> = Default::default();
    for route in site.routes().iter() {
        let url = route.path.clone();
        match &route.target {
            Target::Home => jobs.add(url, "index.html", move || {
                let mut recent: Vec<_> = listed().filter(|p| p.article.updated.is_some()).collect();
                recent.sort_by(|a, b| {
                    (b.article.updated, &a.article.id).cmp(&(a.article.updated, &b.article.id))
                });
                let mut ctx = Context::new();
                ctx.insert("page_title", &site.config().title);
                ctx.insert("intro", &site.home_intro());
                ctx.insert(
                    "recent",
                    &recent
                        .iter()
                        .take(8)
                        .map(|p| LinkView::new(&p.article, "index.html"))
                        .collect::<Vec<_>>(),
                );
                ctx.insert(
                    "pages",
                    &listed()
                        .filter(|p| p.article.kind == Kind::PAGE)
                        .map(|p| LinkView::new(&p.article, "index.html"))
                        .collect::<Vec<_>>(),
                );
                ctx
            }),
            Target::KindIndex(kind, page) => {
                let (kind, page) = (*kind, *page);
                let shared = kind_orders.entry(kind).or_default().clone();
                jobs.add(url.clone(), "kind.html", move || {
                    listings::kind_context(site, kind, &shared, page, &url)
                })
            }
            // Articles: their contexts are built as they are rendered (see `Content`).
            Target::Article(i) => {
                if jobs.want.url(&url) {
                    jobs.list.push(Job {
                        url,
                        template: "article.html",
                        content: Content::Article(&site.pages()[*i]),
                    });
                }
            }
            Target::TaxonomyIndex(tax, page) => {
                let (tax, page) = (*tax, *page);
                jobs.add(url.clone(), "taxonomy.html", move || {
                    listings::taxonomy_context(site, tax, page, &url)
                })
            }
            Target::Term {
                taxonomy,
                term,
                articles,
                page,
            } => {
                let (tax, page) = (*taxonomy, *page);
                jobs.add(url.clone(), "term.html", move || {
                    listings::term_context(site, tax, term, articles, page, &url)
                })
            }
            // The service time-limit overview.
            Target::TimeLimits(page) => {
                let (page, shared) = (*page, time_limits.clone());
                jobs.add(url.clone(), "time_limits.html", move || {
                    listings::time_limits_context(site, &shared, page, &url)
                })
            }
            Target::NotFound => jobs.add(url, "404.html", || {
                let mut ctx = Context::new();
                ctx.insert("page_title", "页面不存在");
                ctx
            }),
            Target::Search => jobs.add(url, "search.html", || {
                let mut ctx = Context::new();
                ctx.insert("page_title", "搜索");
                ctx
            }),
            Target::Changes => jobs.add(url, "changes.html", move || {
                publishing::changes_context(site)
            }),
            Target::Review { page, lists } => {
                let (page, lists) = (*page, lists.clone());
                jobs.add(url.clone(), "review.html", move || {
                    listings::review_context(site, today, &lists, page, &url)
                })
            }
            Target::PathsIndex => jobs.add(url.clone(), "paths.html", move || {
                publishing::paths_context(site, &url)
            }),
            Target::LearningPath(i) => {
                let path = &site.paths()[*i];
                jobs.add(url, "path.html", move || {
                    publishing::path_context(site, path)
                })
            }
            Target::PathPrint(i) => {
                let path = &site.paths()[*i];
                jobs.add(url, "path_print.html", move || {
                    publishing::print_context(site, path, today)
                })
            }
            Target::Section(i, page) => {
                let (section, page) = (&site.tree().sections[*i], *page);
                jobs.add(url.clone(), "section.html", move || {
                    let mut ctx = Context::new();
                    ctx.insert("page_title", &listings::page_title(&section.title, page));
                    ctx.insert("section_title", &section.title);
                    let total = section.children.len();
                    let here = page.range(total, site.config().paginate_by);
                    tree_context(&mut ctx, site, &section.url, &url, Some(here));
                    ctx.insert("pager", &listings::pager(site, &section.url, page, total));
                    ctx
                })
            }
            // Files, not pages: the sitemap, the feed and static files are
            // made above, assets copied and the offline files made by the
            // write stage's callers once everything else is written.
            Target::Sitemap
            | Target::SitemapPart(_)
            | Target::ChangesFeed
            | Target::Static(_)
            | Target::KindStyles
            | Target::Asset(_)
            | Target::WebManifest
            | Target::OfflineList
            | Target::ServiceWorker
            | Target::Redirect(_) => {}
        }
    }
}

/// A page at an old URL of `article` (its `aliases`), as Hugo writes one:
/// it refreshes to the page at once, names it canonical for search engines,
/// and links to it for a reader whose browser does not follow the refresh.
/// No script: it works from `file://` and with scripts off.
fn redirect(path: &str, article: &crate::model::Article) -> String {
    let href = crate::markdown::escape(&urls::relative(path, &article.url));
    let title = crate::markdown::escape(&article.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{href}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n<p>本页已移至 <a href=\"{href}\">{title}</a>。</p>\n</body>\n</html>\n"
    )
}

/// sitemap.xml. The protocol wants absolute URLs; they are made from `base_url`
/// when it is set, and left relative (which crawlers resolve against the sitemap's
/// own URL) when it is not. Over the protocol's 50,000 pages it is an index of
/// its parts, `sitemap-1.xml` and on (the route table plans them).
fn sitemap(site: &ValidatedSite) -> String {
    let base = &site.config().base_url;
    match site.routes().sitemap_parts() {
        0 => urlset(base, site.routes().sitemap_pages(), |t| lastmod(site, t)),
        parts => sitemap_index(base, parts),
    }
}

/// Part `n` (from 1) of a sitemap of more than `max` pages.
fn sitemap_part(site: &ValidatedSite, n: usize, max: usize) -> String {
    let pages = site.routes().sitemap_pages().skip((n - 1) * max).take(max);
    urlset(&site.config().base_url, pages, |t| lastmod(site, t))
}

/// An article's `updated` date, for its sitemap entry.
fn lastmod(site: &ValidatedSite, target: &Target) -> Option<Date> {
    match target {
        Target::Article(i) => site.pages()[*i].article.updated,
        _ => None,
    }
}

/// A `<urlset>` of `pages` (paths of the site) under `base`.
fn urlset<'r>(
    base: &str,
    pages: impl Iterator<Item = &'r crate::routes::Route>,
    lastmod: impl Fn(&Target) -> Option<Date>,
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for route in pages {
        out.push_str(&format!(
            "  <url><loc>{}</loc>",
            crate::markdown::escape(&format!("{base}{}", urls::encode_path(&route.path)))
        ));
        if let Some(d) = lastmod(&route.target) {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// A `<sitemapindex>` of the sitemap's `parts` under `base`.
fn sitemap_index(base: &str, parts: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        let loc = format!("{base}{}", crate::routes::sitemap_part(n));
        out.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            crate::markdown::escape(&loc)
        ));
    }
    out.push_str("</sitemapindex>\n");
    out
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::pipeline::{load_and_validate, BuildOptions, StageTimes};

    /// A fixture site of tests/sites/, loaded and validated as a build does.
    pub(super) fn fixture_site(name: &str) -> ValidatedSite {
        let options = BuildOptions {
            site_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/sites")
                .join(name),
            ..BuildOptions::default()
        };
        load_and_validate(&options, &mut |_| {}, &mut StageTimes::default()).unwrap()
    }

    #[test]
    fn render_only_gives_the_wanted_pages_exactly_as_a_full_render() {
        let site = fixture_site("kinds");
        let theme = Theme::load(&site.config().site_dir, &site.config().theme).unwrap();
        let render_options = RenderOptions {
            today: Date::today(),
        };
        let all = render(&site, &theme, &render_options).unwrap();
        let find = |prefix: &str| {
            all.iter()
                .map(OutputFile::slash_path)
                .find(|p| p.starts_with(prefix) && p.ends_with(".html"))
                .unwrap_or_else(|| panic!("no page under {prefix}"))
        };
        let wanted: HashSet<String> = [
            site.pages()[0].article.url.clone(),
            find("tags/"),
            "index.html".to_string(),
        ]
        .into();
        let some = Renderer::new(&theme)
            .unwrap()
            .render_only(&site, &render_options, &wanted)
            .unwrap();
        let got: HashSet<String> = some.iter().map(OutputFile::slash_path).collect();
        assert_eq!(got, wanted);
        for file in &some {
            assert_eq!(Some(file), all.iter().find(|f| f.path == file.path));
        }
    }

    #[test]
    fn a_long_sitemap_is_an_index_of_its_parts() {
        let route = |path: &str, target: Target| crate::routes::Route {
            path: path.into(),
            target,
            owner: crate::routes::Owner::Generated("x".into()),
        };
        let pages = [
            route("index.html", Target::Home),
            route("tags/售后 服务.html", Target::Article(0)),
        ];
        let xml = urlset("https://kb.example/", pages.iter(), |t| {
            matches!(t, Target::Article(_)).then(|| Date::parse("2026-03-01").unwrap())
        });
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url><loc>https://kb.example/index.html</loc></url>\n  <url><loc>https://kb.example/tags/售后%20服务.html</loc><lastmod>2026-03-01</lastmod></url>\n</urlset>\n"
        );
        assert_eq!(
            sitemap_index("https://kb.example/", 2),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <sitemap><loc>https://kb.example/sitemap-1.xml</loc></sitemap>\n  <sitemap><loc>https://kb.example/sitemap-2.xml</loc></sitemap>\n</sitemapindex>\n"
        );
        // A site under the limit has one sitemap, and no parts.
        let site = fixture_site("paginated");
        assert_eq!(site.routes().sitemap_parts(), 0);
        assert!(sitemap(&site).contains("<loc>https://kb.example/fault-cases/page/2.html</loc>"));
    }
}
