//! Stage 3 — render: the validated site → HTML pages, sitemap and static files.
//!
//! Pure: it reads the [`ValidatedSite`] and the [`Theme`] and returns files in
//! memory; writing them is the write stage's job, so a render error can never
//! leave a half-written site behind.

mod publishing;
mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{Date, Kind, Status};
use crate::output::OutputFile;
use crate::theme::Theme;
use crate::urls;
use crate::validate::ValidatedSite;
pub use views::{term_file_stem, ArticleView, LinkView, Taxonomy, TimeLimitRow};
use views::{time_limit_rows, SiteView, TermLink};

#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The date "review overdue" is judged against.
    pub today: Date,
}

/// One page to render: its URL, template and page-specific context.
struct Job {
    url: String,
    template: &'static str,
    context: Context,
}

/// Renders every page of the site.
pub fn render(
    site: &ValidatedSite,
    theme: &Theme,
    options: &RenderOptions,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let tera = compile(theme)?;
    let site_view = SiteView::new(site);
    let mut jobs = jobs(site, options);
    // A site may drop optional pages by overriding the theme without them.
    jobs.retain(|j| j.template != "search.html" || theme.templates.contains_key("search.html"));

    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let mut context = job.context;
            context.insert("site", &site_view);
            context.insert("root", &urls::root_prefix(&job.url));
            context.insert("page_url", &job.url);
            if !context.contains_key("section") {
                context.insert("section", "");
            }
            tera.render(job.template, &context)
                .map(|html| OutputFile::new(job.url.clone(), html))
                .map_err(|e| template_error(&e, theme, job.template, "E0302"))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + theme.static_files.len() + 1);
    let mut diagnostics = Diagnostics::default();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                // One broken template fails every page that uses it; report it once.
                if !diagnostics.0.contains(&d) {
                    diagnostics.push(d);
                }
            }
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    files.push(OutputFile::new("sitemap.xml", sitemap(site)));
    let changes = crate::changes::list(site, None);
    files.push(OutputFile::new(
        "changes.xml",
        crate::changes::atom(site, &changes, publishing::FEED_ENTRIES),
    ));
    for (path, bytes) in &theme.static_files {
        files.push(OutputFile::new(path.clone(), bytes.clone()));
    }
    Ok(files)
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

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
}

fn jobs(site: &ValidatedSite, options: &RenderOptions) -> Vec<Job> {
    let mut jobs = Vec::new();
    let listed: Vec<_> = site
        .pages
        .iter()
        .filter(|p| p.article.status != Status::Archived)
        .collect();

    // Home.
    let mut recent: Vec<_> = listed
        .iter()
        .filter(|p| p.article.updated.is_some())
        .collect();
    recent.sort_by(|a, b| {
        (b.article.updated, &a.article.id).cmp(&(a.article.updated, &b.article.id))
    });
    let mut ctx = Context::new();
    ctx.insert("page_title", &site.config.title);
    ctx.insert("intro", &site.home_intro);
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
        &listed
            .iter()
            .filter(|p| p.article.kind == Kind::Page)
            .map(|p| LinkView::new(&p.article, "index.html"))
            .collect::<Vec<_>>(),
    );
    jobs.push(Job {
        url: "index.html".into(),
        template: "index.html",
        context: ctx,
    });

    // One index per typed kind.
    for kind in Kind::TYPED {
        let url = format!("{}/index.html", kind.folder().unwrap_or_default());
        let mut ctx = Context::new();
        ctx.insert("page_title", kind.label());
        ctx.insert("kind", &kind.name());
        ctx.insert("section", &kind.name());
        ctx.insert("kind_label", kind.label());
        ctx.insert("intro", &site.section_intros.get(&kind));
        let articles: Vec<_> = listed
            .iter()
            .filter(|p| p.article.kind == kind)
            .map(|p| LinkView::new(&p.article, &url))
            .collect();
        ctx.insert("articles", &articles);
        jobs.push(Job {
            url,
            template: "kind.html",
            context: ctx,
        });
    }

    // Articles. Their views (links, backlinks, the body) are most of the work
    // of building contexts, so they are built in parallel, in page order.
    jobs.par_extend(site.pages.par_iter().map(|page| {
        let mut ctx = Context::new();
        ctx.insert("page_title", &page.article.title);
        ctx.insert("article", &ArticleView::new(page, site, options.today));
        ctx.insert("section", &page.article.kind.name());
        ctx.insert(
            "path_navs",
            &publishing::path_navs(site, &page.article.id, &page.article.url),
        );
        Job {
            url: page.article.url.clone(),
            template: "article.html",
            context: ctx,
        }
    }));

    // Taxonomies: an overview per taxonomy and a page per term.
    for tax in Taxonomy::ALL {
        let mut terms: BTreeMap<&str, Vec<&crate::validate::Page>> = BTreeMap::new();
        for p in &listed {
            for t in tax.terms(&p.article) {
                terms.entry(t.as_str()).or_default().push(p);
            }
        }
        let overview_url = format!("{}/index.html", tax.folder());
        let term_views: Vec<TermView> = terms
            .iter()
            .map(|(t, ps)| TermView {
                name: t.to_string(),
                url: urls::relative(&overview_url, &tax.term_url(t)),
                count: ps.len(),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("page_title", tax.label());
        ctx.insert("taxonomy_label", tax.label());
        ctx.insert("taxonomy", tax.folder());
        ctx.insert("terms", &term_views);
        jobs.push(Job {
            url: overview_url.clone(),
            template: "taxonomy.html",
            context: ctx,
        });
        for (term, pages) in terms {
            let url = tax.term_url(term);
            let mut ctx = Context::new();
            ctx.insert("page_title", &format!("{}：{term}", tax.label()));
            ctx.insert("taxonomy_label", tax.label());
            ctx.insert("taxonomy", tax.folder());
            ctx.insert(
                "term",
                &TermLink {
                    name: term.to_string(),
                    url: urls::relative(&url, &overview_url),
                },
            );
            ctx.insert(
                "articles",
                &pages
                    .iter()
                    .map(|p| LinkView::new(&p.article, &url))
                    .collect::<Vec<_>>(),
            );
            jobs.push(Job {
                url,
                template: "term.html",
                context: ctx,
            });
        }
    }

    // The service time-limit overview.
    let mut ctx = Context::new();
    ctx.insert("page_title", "服务时限总览");
    ctx.insert("rows", &time_limit_rows(site, "time-limits.html"));
    jobs.push(Job {
        url: "time-limits.html".into(),
        template: "time_limits.html",
        context: ctx,
    });

    jobs.extend(publishing::jobs(site, options.today));

    let mut ctx = Context::new();
    ctx.insert("page_title", "页面不存在");
    jobs.push(Job {
        url: "404.html".into(),
        template: "404.html",
        context: ctx,
    });

    let mut ctx = Context::new();
    ctx.insert("page_title", "搜索");
    jobs.push(Job {
        url: "search.html".into(),
        template: "search.html",
        context: ctx,
    });
    jobs
}

/// sitemap.xml. The protocol wants absolute URLs; they are made from `base_url`
/// when it is set, and left relative (which crawlers resolve against the sitemap's
/// own URL) when it is not.
fn sitemap(site: &ValidatedSite) -> String {
    let base = &site.config.base_url;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut entry = |url: &str, lastmod: Option<Date>| {
        out.push_str(&format!(
            "  <url><loc>{}</loc>",
            crate::markdown::escape(&format!("{base}{}", urls::encode_path(url)))
        ));
        if let Some(d) = lastmod {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        out.push_str("</url>\n");
    };
    entry("index.html", None);
    for kind in Kind::TYPED {
        entry(
            &format!("{}/index.html", kind.folder().unwrap_or_default()),
            None,
        );
    }
    entry("time-limits.html", None);
    for p in &site.pages {
        entry(&p.article.url, p.article.updated);
    }
    out.push_str("</urlset>\n");
    out
}
