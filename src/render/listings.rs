//! The contexts of the listings that grow with the site, one page at a time:
//! a kind's index, a taxonomy's overview and a term's page, the time limits
//! and the review report (a folder's listing is in `mod.rs`, with the rest
//! of the folder tree). Each page gets the entries of its range and `pager`
//! (see [`crate::pagination`]); a grouped listing's group that runs over a
//! page break starts the next page again under its heading, marked continued.
//!
//! What a listing's pages share — a kind's articles in their groups, the
//! sorted time limits — is worked out once, by whichever of its pages is
//! rendered first ([`Shared`]): at 50,000 articles the time limits alone are
//! 100,000 rows, sorted, for each of 500 pages. The review report's lists
//! come with its route: the route table makes them to count the pages.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::Context;

use super::views::{Group, LinkView, TermLink, TimeLimitRow};
use crate::model::{Article, Date, Kind, Status, Taxonomy};
use crate::pagination::{page_url, PageOf, Pager};
use crate::review;
use crate::routes;
use crate::urls;
use crate::validate::ValidatedSite;

/// How many article titles a code's row of the error-code overview names;
/// the code's own page lists them all. (A code of 300 fault cases listed
/// them all in one table cell: 3.4 MB at 50,000 articles.)
pub(super) const TITLES_PER_CODE: usize = 5;

/// Something every page of a listing needs, made by the first that asks.
pub(super) type Shared<T> = Arc<OnceLock<T>>;

/// The title of page `page` of a listing called `title`.
pub(super) fn page_title(title: &str, page: PageOf) -> String {
    if page.number == 1 {
        title.to_string()
    } else {
        format!("{title}（第 {} 页）", page.number)
    }
}

/// The pager of `page` of the listing at `first` of `total` entries.
pub(super) fn pager(site: &ValidatedSite, first: &str, page: PageOf, total: usize) -> Pager {
    Pager::new(
        first,
        page,
        total,
        site.config().paginate_by,
        &site.config().base_url,
    )
}

/// The range of entries on `page` of a listing of `total`.
fn range(site: &ValidatedSite, page: PageOf, total: usize) -> Range<usize> {
    page.range(total, site.config().paginate_by)
}

/// A kind's listed articles in the order its index shows them: grouped by
/// its `group_by` field when it has one (groups in order of first
/// appearance, those without a value last, under “其他”).
pub(super) struct KindOrder {
    /// Positions in the site's pages.
    order: Vec<usize>,
    /// Each group's label and range of `order`; empty when the kind does not group.
    groups: Vec<(String, Range<usize>)>,
}

impl KindOrder {
    fn new(site: &ValidatedSite, kind: Kind) -> KindOrder {
        let of_kind: Vec<usize> = (0..site.pages().len())
            .filter(|&i| {
                let a = &site.pages()[i].article;
                a.kind == kind && a.status != Status::Archived
            })
            .collect();
        let Some(key) = kind.spec().group_by else {
            return KindOrder {
                order: of_kind,
                groups: Vec::new(),
            };
        };
        let mut labelled: Vec<(String, Vec<usize>)> = Vec::new();
        let mut other = Vec::new();
        for i in of_kind {
            let fields = &site.pages()[i].article.fields;
            match fields.get(key).and_then(|v| v.texts().pop()) {
                Some(label) => match labelled.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, members)) => members.push(i),
                    None => labelled.push((label, vec![i])),
                },
                None => other.push(i),
            }
        }
        if !other.is_empty() {
            labelled.push(("其他".into(), other));
        }
        let mut order = Vec::new();
        let mut groups = Vec::new();
        for (label, members) in labelled {
            let start = order.len();
            order.extend(members);
            groups.push((label, start..order.len()));
        }
        KindOrder { order, groups }
    }
}

/// A page of a kind's index.
pub(super) fn kind_context(
    site: &ValidatedSite,
    kind: Kind,
    shared: &Shared<KindOrder>,
    page: PageOf,
    url: &str,
) -> Context {
    let listing = shared.get_or_init(|| KindOrder::new(site, kind));
    let first = routes::kind_index(kind).unwrap_or_default();
    let total = listing.order.len();
    let here = range(site, page, total);
    let link = |i: &usize| LinkView::new(&site.pages()[*i].article, url);
    let articles: Vec<LinkView> = listing.order[here.clone()].iter().map(link).collect();
    let groups: Vec<Group> = listing
        .groups
        .iter()
        .filter(|(_, g)| g.start < here.end && here.start < g.end)
        .map(|(label, g)| Group {
            label: label.clone(),
            articles: listing.order[g.start.max(here.start)..g.end.min(here.end)]
                .iter()
                .map(link)
                .collect(),
            total: g.len(),
            continued: g.start < here.start,
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", &page_title(kind.label(), page));
    ctx.insert("kind", &kind.name());
    ctx.insert("section", &kind.name());
    ctx.insert("kind_label", kind.label());
    ctx.insert("intro", &site.section_intros().get(&kind));
    ctx.insert("groups", &groups);
    ctx.insert("articles", &articles);
    ctx.insert("pager", &pager(site, &first, page, total));
    ctx
}

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
    /// The first [`TITLES_PER_CODE`] articles listing the term (filled for
    /// error codes, whose overview says what each code means: its fault
    /// cases' titles); `count` says how many there are in all.
    articles: Vec<LinkView>,
    /// The product models of all those articles, sorted, each once.
    products: Vec<String>,
}

/// A page of a taxonomy's overview: its terms in order, `paginate_by` a page.
pub(super) fn taxonomy_context(
    site: &ValidatedSite,
    tax: Taxonomy,
    page: PageOf,
    url: &str,
) -> Context {
    let all: Vec<_> = site.routes().terms(tax).collect();
    let here = range(site, page, all.len());
    let terms: Vec<TermView> = all[here]
        .iter()
        .map(|(route, term, articles)| {
            let detailed = tax == Taxonomy::ErrorCodes;
            let mut products: Vec<String> = Vec::new();
            let mut links = Vec::new();
            if detailed {
                for (n, &i) in articles.iter().enumerate() {
                    let a = &site.pages()[i].article;
                    products.extend(a.products.iter().cloned());
                    if n < TITLES_PER_CODE {
                        links.push(LinkView::new(a, url));
                    }
                }
            }
            products.sort();
            products.dedup();
            TermView {
                name: term.to_string(),
                url: urls::relative(url, &route.path),
                count: articles.len(),
                articles: links,
                products,
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", &page_title(tax.label(), page));
    ctx.insert("taxonomy_label", tax.label());
    ctx.insert("taxonomy", tax.folder());
    ctx.insert("terms", &terms);
    ctx.insert(
        "pager",
        &pager(site, &routes::taxonomy_index(tax), page, all.len()),
    );
    ctx
}

/// A page of a term's listing.
pub(super) fn term_context(
    site: &ValidatedSite,
    tax: Taxonomy,
    term: &str,
    articles: &[usize],
    page: PageOf,
    url: &str,
) -> Context {
    let overview_url = routes::taxonomy_index(tax);
    let here = range(site, page, articles.len());
    let mut ctx = Context::new();
    ctx.insert(
        "page_title",
        &page_title(&format!("{}：{term}", tax.label()), page),
    );
    ctx.insert("taxonomy_label", tax.label());
    ctx.insert("taxonomy", tax.folder());
    ctx.insert(
        "term",
        &TermLink {
            name: term.to_string(),
            url: urls::relative(url, &overview_url),
        },
    );
    ctx.insert(
        "articles",
        &articles[here]
            .iter()
            .map(|&i| LinkView::new(&site.pages()[i].article, url))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "pager",
        &pager(site, &tax.term_url(term), page, articles.len()),
    );
    ctx
}

/// Every time limit of the site, shortest first, with the position of its article.
pub(super) type TimeLimits = Vec<(usize, crate::time_limits::TimeLimit)>;

/// A page of the service time-limit overview.
pub(super) fn time_limits_context(
    site: &ValidatedSite,
    shared: &Shared<TimeLimits>,
    page: PageOf,
    url: &str,
) -> Context {
    let rows = shared.get_or_init(|| {
        let articles: Vec<&Article> = site.pages().iter().map(|p| &p.article).collect();
        crate::time_limits::all(&articles)
    });
    let here = range(site, page, rows.len());
    let shown: Vec<TimeLimitRow> = rows[here]
        .iter()
        .map(|(i, t)| TimeLimitRow {
            item: t.item.clone(),
            limit: t.limit.to_string(),
            sort_key: t.limit.sort_key(),
            source: LinkView::new(&site.pages()[*i].article, url),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", &page_title("服务时限总览", page));
    ctx.insert("rows", &shown);
    ctx.insert("pager", &pager(site, routes::TIME_LIMITS, page, rows.len()));
    ctx
}

/// One of the review report's lists on a page: how long it is in all,
/// whether it began on an earlier page, and (when none of it is on this
/// page) the page it starts on.
#[derive(Serialize)]
struct ListPart {
    total: usize,
    continued: bool,
    starts_on: Option<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
}

/// A page of the review report: the four lists one after the other,
/// `paginate_by` entries a page; the counts per status and kind on page 1.
pub(super) fn review_context(
    site: &ValidatedSite,
    today: Date,
    lists: &review::Lists,
    page: PageOf,
    url: &str,
) -> Context {
    let all: Vec<&Article> = site.pages().iter().map(|p| &p.article).collect();
    let total = lists.len();
    let here = range(site, page, total);
    let (shown, starts) = lists.slice(here.clone());
    let per_page = site.config().paginate_by;
    let parts: Vec<ListPart> = lists
        .parts()
        .iter()
        .zip(shown.parts())
        .zip(starts)
        .map(|((list, on_page), start)| {
            let starts_on = (on_page.is_empty() && !list.is_empty()).then(|| {
                let number = start / per_page + 1;
                PageLink {
                    number,
                    url: urls::relative(url, &page_url(routes::REVIEW, number)),
                }
            });
            ListPart {
                total: list.len(),
                continued: start < here.start && !on_page.is_empty(),
                starts_on,
            }
        })
        .collect();
    let [overdue, due_soon, no_owner, drafts]: [ListPart; 4] = parts
        .try_into()
        .unwrap_or_else(|_| unreachable!("four lists"));
    let mut ctx = Context::new();
    ctx.insert("page_title", &page_title("复审与内容健康", page));
    ctx.insert("report", &review::report_of(site, &all, &shown, today));
    ctx.insert(
        "parts",
        &serde_json::json!({
            "overdue": overdue,
            "due_soon": due_soon,
            "no_owner": no_owner,
            "drafts": drafts,
        }),
    );
    ctx.insert("pager", &pager(site, routes::REVIEW, page, total));
    ctx
}
