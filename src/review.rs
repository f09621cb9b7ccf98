//! Review health: which articles need a trainer's attention. Feeds `review.html`.
//! (`svcbook check` reports the same facts as warnings, one by one.)

use serde::Serialize;

use crate::model::{Article, Choice, Date, Kind, Status};
use crate::validate::ValidatedSite;

/// Reviews due within this many days count as "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: String,
    pub title: String,
    /// Root-relative URL; `None` for drafts left out of the build.
    pub url: Option<String>,
    pub kind_label: &'static str,
    pub owner: Option<String>,
    pub review_by: Option<Date>,
    /// Days past (`> 0`) or until (`<= 0`) the review date.
    pub days_overdue: i64,
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
    /// In the order of [`STATUSES`].
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
    pub drafts: Vec<ReviewItem>,
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
    let built = site.pages.iter().map(|p| (&p.article, true));
    let drafts = site.left_out_drafts.iter().map(|a| (a, false));
    let all: Vec<(&Article, bool)> = built.chain(drafts).collect();
    let item = |a: &Article, built: bool| ReviewItem {
        id: a.id.clone(),
        title: a.title.clone(),
        url: built.then(|| a.url.clone()),
        kind_label: a.kind.label(),
        owner: a.owner.clone(),
        review_by: a.review_by,
        days_overdue: a
            .review_by
            .map(|d| today.days_since_epoch() - d.days_since_epoch())
            .unwrap_or(0),
        source: a.source.path.to_string_lossy().into_owned(),
    };
    let live = |a: &Article| a.status != Status::Archived && a.status != Status::Draft;
    let mut overdue: Vec<_> = all
        .iter()
        .filter(|(a, _)| live(a) && a.review_by.is_some_and(|d| d < today))
        .map(|(a, b)| item(a, *b))
        .collect();
    overdue.sort_by(|a, b| (a.review_by, &a.id).cmp(&(b.review_by, &b.id)));
    let mut due_soon: Vec<_> = all
        .iter()
        .filter(|(a, _)| {
            live(a)
                && a.review_by.is_some_and(|d| {
                    d >= today && d.days_since_epoch() - today.days_since_epoch() <= DUE_SOON_DAYS
                })
        })
        .map(|(a, b)| item(a, *b))
        .collect();
    due_soon.sort_by(|a, b| (a.review_by, &a.id).cmp(&(b.review_by, &b.id)));
    let no_owner = all
        .iter()
        .filter(|(a, _)| {
            a.in_review_workflow() && a.status == Status::Published && a.owner.is_none()
        })
        .map(|(a, b)| item(a, *b))
        .collect();
    let drafts = all
        .iter()
        .filter(|(a, _)| a.status == Status::Draft)
        .map(|(a, b)| item(a, *b))
        .collect();
    let by_status = STATUSES
        .iter()
        .map(|s| Count {
            label: s.label(),
            name: s.name(),
            count: all.iter().filter(|(a, _)| a.status == *s).count(),
        })
        .collect();
    let by_kind = Kind::ALL
        .iter()
        .map(|k| {
            let counts: Vec<usize> = STATUSES
                .iter()
                .map(|s| {
                    all.iter()
                        .filter(|(a, _)| a.kind == *k && a.status == *s)
                        .count()
                })
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
