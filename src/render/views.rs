//! View models: what templates see. Everything a template prints is computed
//! here (labels, relative URLs, formatted durations), so templates stay simple
//! and a site's own template overrides cannot get the logic wrong.

use serde::Serialize;

use crate::kinds::{BodyLayout, Show};
use crate::markdown::TocEntry;
use crate::model::{Article, ChangeEntry, Choice, Date, FieldValue, Status};
use crate::urls;
use crate::validate::{Page, ValidatedSite};

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub kinds: Vec<KindView>,
    /// The build has a service worker (`[offline] enabled`).
    pub offline: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindView {
    pub name: &'static str,
    pub label: &'static str,
    /// Root-relative URL of the kind's index page.
    pub url: String,
    pub count: usize,
}

impl SiteView {
    pub fn new(site: &ValidatedSite) -> SiteView {
        let kinds = site
            .config()
            .kinds
            .typed()
            .map(|k| KindView {
                name: k.name(),
                label: k.label(),
                url: crate::routes::kind_index(k).unwrap_or_default(),
                count: site
                    .pages()
                    .iter()
                    .filter(|p| p.article.kind == k && p.article.status != Status::Archived)
                    .count(),
            })
            .collect();
        SiteView {
            title: site.config().title.clone(),
            description: site.config().description.clone(),
            language: site.config().language.clone(),
            kinds,
            offline: site.config().offline.enabled,
        }
    }
}

/// A link to an article, as a list item or a card.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub id: String,
    pub title: String,
    /// Relative to the page being rendered.
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub summary: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub updated: Option<Date>,
    pub products: Vec<String>,
    pub error_codes: Vec<String>,
}

impl LinkView {
    pub fn new(a: &Article, from_url: &str) -> LinkView {
        LinkView {
            id: a.id.clone(),
            title: a.title.clone(),
            url: urls::relative(from_url, &a.url),
            kind: a.kind.name(),
            kind_label: a.kind.label(),
            summary: a.summary.clone(),
            status: a.status.name(),
            status_label: a.status.label(),
            updated: a.updated,
            products: a.products.clone(),
            error_codes: a.fields.error_codes().to_vec(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub name: String,
    pub url: String,
}

pub use crate::model::Taxonomy;
pub use crate::routes::term_file_stem;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bullets {
    /// The field's key, also the block's class.
    pub key: &'static str,
    pub title: &'static str,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// Root-relative URL of the kind's index page (empty for plain pages).
    pub section_url: String,
    pub title: String,
    pub summary: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub archived: bool,
    pub version: Option<String>,
    pub updated: Option<Date>,
    pub review_by: Option<Date>,
    /// `review_by` is before the build date.
    pub review_overdue: bool,
    pub owner: Option<String>,
    pub audience: Vec<&'static str>,
    pub tags: Vec<TermLink>,
    pub products: Vec<TermLink>,
    pub error_codes: Vec<TermLink>,
    /// The kind's panel rows, as its registry entry orders them (lists
    /// joined with `、`), plus the blocks that need their own markup.
    pub panel: Vec<Row>,
    /// Bulleted blocks under the panel grid (a procedure's safety notes).
    pub bullets: Vec<Bullets>,
    pub escalation: Vec<Row>,
    pub sla: Vec<Row>,
    pub steps: Vec<String>,
    pub html: String,
    /// schema.org `FAQPage` data of a question-and-answer kind, as JSON.
    pub jsonld: Option<String>,
    pub toc: Vec<TocEntry>,
    pub related: Vec<LinkView>,
    pub backlinks: Vec<LinkView>,
    pub changelog: Vec<ChangeEntry>,
}

impl ArticleView {
    pub fn new(page: &Page, site: &ValidatedSite, today: Date) -> ArticleView {
        let a = &page.article;
        let from = a.url.as_str();
        let terms = |tax: Taxonomy| {
            tax.terms(a)
                .iter()
                .map(|t| TermLink {
                    name: t.clone(),
                    url: urls::relative(from, &tax.term_url(t)),
                })
                .collect::<Vec<_>>()
        };
        let links = |ids: &[String]| {
            ids.iter()
                .filter_map(|id| site.page(id))
                .map(|p| LinkView::new(&p.article, from))
                .collect::<Vec<_>>()
        };
        let mut view = ArticleView {
            id: a.id.clone(),
            kind: a.kind.name(),
            kind_label: a.kind.label(),
            section_url: crate::routes::kind_index(a.kind).unwrap_or_default(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            status: a.status.name(),
            status_label: a.status.label(),
            archived: a.status == Status::Archived,
            version: a.version.clone(),
            updated: a.updated,
            review_by: a.review_by,
            review_overdue: a.review_by.is_some_and(|d| d < today) && a.status != Status::Archived,
            owner: a.owner.clone(),
            audience: a.audience.iter().map(|x| x.label()).collect(),
            tags: terms(Taxonomy::Tags),
            products: terms(Taxonomy::Products),
            error_codes: terms(Taxonomy::ErrorCodes),
            panel: Vec::new(),
            bullets: Vec::new(),
            escalation: Vec::new(),
            sla: Vec::new(),
            steps: page.steps.clone(),
            html: String::new(),
            jsonld: None,
            toc: page.toc.clone(),
            related: links(&a.related),
            backlinks: links(&page.backlinks),
            changelog: a.changelog.clone(),
        };
        match a.kind.spec().layout {
            BodyLayout::Plain => view.html = page.html.clone(),
            BodyLayout::Accordion => {
                let (html, questions) = super::faq::accordion(&page.html);
                view.jsonld = super::faq::json_ld(&a.title, &questions);
                view.html = html;
            }
        }
        let row = |label: &str, value: String| Row {
            label: label.into(),
            value,
        };
        for (key, show) in a.kind.spec().panel {
            let (Some(spec), Some(value)) = (a.kind.field(key), a.fields.get(key)) else {
                continue;
            };
            match (show, value) {
                (Show::Hidden, _) => {}
                (Show::Escalation, FieldValue::Escalation(steps)) => {
                    view.escalation = steps
                        .iter()
                        .map(|e| row(&format!("超过 {}", e.after), e.to.clone()))
                        .collect();
                }
                (Show::Sla, FieldValue::Sla(rows)) => {
                    view.sla = rows
                        .iter()
                        .map(|s| row(&s.metric, s.target.to_string()))
                        .collect();
                }
                (Show::Bullets, value) => view.bullets.push(Bullets {
                    key: spec.key,
                    title: spec.label,
                    items: value.texts(),
                }),
                (_, value) => view.panel.push(row(spec.label, value.texts().join("、"))),
            }
        }
        view
    }
}

/// A group of a kind's index page (`group_by` in the registry): the
/// articles of it on this page.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub label: String,
    pub articles: Vec<LinkView>,
    /// Articles of the group on all pages.
    pub total: usize,
    /// The group began on an earlier page.
    pub continued: bool,
}

/// One line of the service time-limit overview.
#[derive(Debug, Clone, Serialize)]
pub struct TimeLimitRow {
    pub item: String,
    pub limit: String,
    #[serde(skip)]
    pub sort_key: u64,
    pub source: LinkView,
}
