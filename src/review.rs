//! Review health: which articles need a trainer's attention. Feeds `review.html`.
//! (`svcbook check` reports the same facts as warnings, one by one.)
//!
//! The page is part of the public site, so it holds only what the build
//! publishes: drafts left out of the build are not listed or counted (they
//! appear with `--drafts`, and `svcbook check` warns about them), and a source
//! file is named by its path inside the content folder, never by where the site
//! happened to be built.

use serde::Serialize;

use crate::model::{Article, Choice, Date, Status};
use crate::validate::ValidatedSite;

/// Reviews due within this many days count as "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: String,
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    pub kind_label: &'static str,
    pub owner: Option<String>,
    pub review_by: Option<Date>,
    /// Days past (`> 0`) or until (`<= 0`) the review date.
    pub days_overdue: i64,
    /// The source file relative to the content folder, `/`-separated.
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub label: &'static str,
    pub name: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindCounts {
    pub kind: &'static str,
    pub label: &'static str,
    /// In the order of the report's `by_status`.
    pub counts: Vec<usize>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewReport {
    pub today: Date,
    pub due_soon_days: i64,
    /// Oldest deadline first.
    pub overdue: Vec<ReviewItem>,
    pub due_soon: Vec<ReviewItem>,
    /// Published articles with no `owner` (plain pages only when they opt into
    /// the review workflow, as for `svcbook check`'s W0202).
    pub no_owner: Vec<ReviewItem>,
    /// Drafts built with `--drafts`; always empty in a public build.
    pub drafts: Vec<ReviewItem>,
    /// The statuses some article of the build has, in a fixed order.
    pub by_status: Vec<Count>,
    pub by_kind: Vec<KindCounts>,
    pub total: usize,
}

const STATUSES: [Status; 4] = [
    Status::Published,
    Status::Review,
    Status::Draft,
    Status::Archived,
];

pub fn report(site: &ValidatedSite, today: Date) -> ReviewReport {
    let all: Vec<&Article> = site.pages.iter().map(|p| &p.article).collect();
    let item = |a: &Article| ReviewItem {
        id: a.id.clone(),
        title: a.title.clone(),
        url: a.url.clone(),
        kind_label: a.kind.label(),
        owner: a.owner.clone(),
        review_by: a.review_by,
        days_overdue: a
            .review_by
            .map(|d| today.days_since_epoch() - d.days_since_epoch())
            .unwrap_or(0),
        source: a.source.rel.clone(),
    };
    let live = |a: &Article| a.status != Status::Archived && a.status != Status::Draft;
    let mut overdue: Vec<_> = all
        .iter()
        .filter(|a| live(a) && a.review_by.is_some_and(|d| d < today))
        .map(|a| item(a))
        .collect();
    overdue.sort_by(|a, b| (a.review_by, &a.id).cmp(&(b.review_by, &b.id)));
    let mut due_soon: Vec<_> = all
        .iter()
        .filter(|a| {
            live(a)
                && a.review_by.is_some_and(|d| {
                    d >= today && d.days_since_epoch() - today.days_since_epoch() <= DUE_SOON_DAYS
                })
        })
        .map(|a| item(a))
        .collect();
    due_soon.sort_by(|a, b| (a.review_by, &a.id).cmp(&(b.review_by, &b.id)));
    let no_owner = all
        .iter()
        .filter(|a| a.in_review_workflow() && a.status == Status::Published && a.owner.is_none())
        .map(|a| item(a))
        .collect();
    let drafts = all
        .iter()
        .filter(|a| a.status == Status::Draft)
        .map(|a| item(a))
        .collect();
    // A status no article has would be a column of zeros: it is left out.
    let statuses: Vec<Status> = STATUSES
        .into_iter()
        .filter(|s| all.iter().any(|a| a.status == *s))
        .collect();
    let by_status = statuses
        .iter()
        .map(|s| Count {
            label: s.label(),
            name: s.name(),
            count: all.iter().filter(|a| a.status == *s).count(),
        })
        .collect();
    let by_kind = site
        .config
        .kinds
        .all()
        .map(|k| {
            let counts: Vec<usize> = statuses
                .iter()
                .map(|s| all.iter().filter(|a| a.kind == k && a.status == *s).count())
                .collect();
            KindCounts {
                kind: k.name(),
                label: k.label(),
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    ReviewReport {
        today,
        due_soon_days: DUE_SOON_DAYS,
        overdue,
        due_soon,
        no_owner,
        drafts,
        by_status,
        by_kind,
        total: all.len(),
    }
}
