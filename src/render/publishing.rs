//! Pages for publishing and training: what changed, review health, and learning
//! paths (a page with progress, a printable page, and previous/next navigation on
//! the articles of a path).

use serde::Serialize;
use tera::Context;

use super::views::{ArticleView, LinkView};
use crate::changes;
use crate::learning_paths::LearningPath;
use crate::model::Date;
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
    site.paths()
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

/// How many changes `changes.html` lists, newest first. A 50,000-article
/// knowledge base has ~72,000 of them: all on one page made a 23.6 MB file
/// (over the 10 MiB a static host takes, and useless on a phone). Older ones
/// stay on each article's 修订记录 and in `svcbook changes --since`.
pub(super) const CHANGES_SHOWN: usize = 1000;

/// `changes.html`: the newest [`CHANGES_SHOWN`] changelog entries and updates.
pub(super) fn changes_context(site: &ValidatedSite) -> Context {
    changes_context_with(site, CHANGES_SHOWN)
}

fn changes_context_with(site: &ValidatedSite, shown: usize) -> Context {
    let all = changes::list(site, None);
    let total = all.len();
    let changes: Vec<ChangeView> = all
        .into_iter()
        .take(shown)
        .map(|c| ChangeView {
            kind_label: site
                .config()
                .kinds
                .by_name(c.kind)
                .map(|k| k.label())
                .unwrap_or(""),
            url: urls::relative(crate::routes::CHANGES, &c.url),
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
    ctx.insert("changes_total", &total);
    ctx
}

/// `paths/index.html`: every learning path.
pub(super) fn paths_context(site: &ValidatedSite, url: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("page_title", "学习路径");
    ctx.insert(
        "paths",
        &site
            .paths()
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

#[cfg(test)]
mod tests {
    use super::super::tests::fixture_site;
    use super::*;

    #[test]
    fn the_changes_page_lists_the_newest_changes_and_counts_them_all() {
        let site = fixture_site("kinds");
        let all = changes::list(&site, None);
        assert!(all.len() > 2, "the fixture has changes: {}", all.len());
        let shown = |ctx: &Context| -> Vec<serde_json::Value> {
            serde_json::from_value(serde_json::to_value(ctx.get("changes").unwrap()).unwrap())
                .unwrap()
        };
        let ctx = changes_context_with(&site, 2);
        let rows = shown(&ctx);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["id"], all[0].id.as_str(), "newest first");
        assert_eq!(rows[1]["id"], all[1].id.as_str());
        assert_eq!(
            ctx.get("changes_total").unwrap().as_u64(),
            Some(all.len() as u64)
        );
        // Under the cap, every change is listed.
        assert_eq!(shown(&changes_context(&site)).len(), all.len());
    }
}
