//! Pages for publishing and training: what changed, review health, and learning
//! paths (a page with progress, a printable page, and previous/next navigation on
//! the articles of a path).

use serde::Serialize;
use tera::Context;

use super::views::{ArticleView, LinkView};
use crate::changes;
use crate::model::Date;
use crate::paths::LearningPath;
use crate::review;
use crate::urls;
use crate::validate::ValidatedSite;

/// How many changes the Atom feed carries.
pub const FEED_ENTRIES: usize = 50;

#[derive(Serialize)]
struct ChangeView {
    date: Date,
    id: String,
    title: String,
    url: String,
    kind: &'static str,
    kind_label: &'static str,
    version: Option<String>,
    note: String,
}

#[derive(Serialize)]
struct PathSectionView {
    heading: String,
    articles: Vec<LinkView>,
}

#[derive(Serialize)]
struct PathView<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    url: String,
    print_url: String,
    count: usize,
    sections: Vec<PathSectionView>,
}

/// Where an article sits in a learning path: shown as previous/next links.
#[derive(Debug, Clone, Serialize)]
pub struct PathNav {
    pub title: String,
    pub url: String,
    pub position: usize,
    pub total: usize,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
}

/// Previous/next navigation for the article `id`, one entry per path it is in.
pub fn path_navs(site: &ValidatedSite, id: &str, from: &str) -> Vec<PathNav> {
    let link = |id: &String| site.page(id).map(|p| LinkView::new(&p.article, from));
    site.paths
        .iter()
        .filter_map(|path| {
            let ids: Vec<&String> = path.ids().collect();
            let i = ids.iter().position(|x| *x == id)?;
            Some(PathNav {
                title: path.title.clone(),
                url: urls::relative(from, &path.url),
                position: i + 1,
                total: ids.len(),
                prev: i.checked_sub(1).and_then(|j| link(ids[j])),
                next: ids.get(i + 1).and_then(|x| link(x)),
            })
        })
        .collect()
}

fn path_view<'a>(site: &ValidatedSite, path: &'a LearningPath, from: &str) -> PathView<'a> {
    PathView {
        id: &path.id,
        title: &path.title,
        summary: &path.summary,
        url: urls::relative(from, &path.url),
        print_url: urls::relative(from, &path.print_url),
        count: path.ids().count(),
        sections: path
            .sections
            .iter()
            .map(|s| PathSectionView {
                heading: s.heading.clone(),
                articles: s
                    .articles
                    .iter()
                    .filter_map(|id| site.page(id))
                    .map(|p| LinkView::new(&p.article, from))
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct PrintSection {
    heading: String,
    articles: Vec<PrintArticle>,
}

#[derive(Serialize)]
struct PrintArticle {
    anchor: String,
    article: ArticleView,
}

/// `changes.html`: every changelog entry and update, newest first.
pub(super) fn changes_context(site: &ValidatedSite) -> Context {
    let changes: Vec<ChangeView> = changes::list(site, None)
        .into_iter()
        .map(|c| ChangeView {
            kind_label: site
                .config
                .kinds
                .by_name(c.kind)
                .map(|k| k.label())
                .unwrap_or(""),
            url: urls::relative("changes.html", &c.url),
            date: c.date,
            id: c.id,
            title: c.title,
            kind: c.kind,
            version: c.version,
            note: c.note,
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", "更新记录");
    // Version and note share one column (a change without a note is not an
    // empty cell), left out when no row has either.
    ctx.insert("has_versions", &changes.iter().any(|c| c.version.is_some()));
    ctx.insert(
        "has_notes",
        &changes.iter().any(|c| !c.note.trim().is_empty()),
    );
    ctx.insert("changes", &changes);
    ctx
}

/// `review.html`: review deadlines, owners, drafts.
pub(super) fn review_context(site: &ValidatedSite, today: Date) -> Context {
    let mut ctx = Context::new();
    ctx.insert("page_title", "复审与内容健康");
    ctx.insert("report", &review::report(site, today));
    ctx
}

/// `paths/index.html`: every learning path.
pub(super) fn paths_context(site: &ValidatedSite, url: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("page_title", "学习路径");
    ctx.insert(
        "paths",
        &site
            .paths
            .iter()
            .map(|p| path_view(site, p, url))
            .collect::<Vec<_>>(),
    );
    ctx
}

/// A learning path's page, with its progress checkboxes.
pub(super) fn path_context(site: &ValidatedSite, path: &LearningPath) -> Context {
    let mut ctx = Context::new();
    ctx.insert("page_title", &path.title);
    ctx.insert("path", &path_view(site, path, &path.url));
    ctx
}

/// The printable page of a path: the articles themselves, links rebased to it.
pub(super) fn print_context(site: &ValidatedSite, path: &LearningPath, today: Date) -> Context {
    let articles: Vec<PrintSection> = path
        .sections
        .iter()
        .map(|s| PrintSection {
            heading: s.heading.clone(),
            articles: s
                .articles
                .iter()
                .filter_map(|id| site.page(id))
                .map(|p| {
                    let mut view = ArticleView::new(p, site, today);
                    view.html = urls::rebase_html(&view.html, &p.article.url, &path.print_url);
                    PrintArticle {
                        anchor: format!("a-{}", crate::markdown::slugify(&p.article.id)),
                        article: view,
                    }
                })
                .collect(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", &format!("{}（打印版）", path.title));
    ctx.insert("path", &path_view(site, path, &path.print_url));
    ctx.insert("print_sections", &articles);
    ctx
}
