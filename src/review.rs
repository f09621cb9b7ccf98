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

/// The report's four lists — overdue, due soon, without owner, drafts — as
/// positions in the site's articles, each in the report's order. The route
/// table counts them (`review.html` is split into pages of `paginate_by`
/// entries, the lists one after the other) and the report is made from them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    pub overdue: Vec<usize>,
    pub due_soon: Vec<usize>,
    pub no_owner: Vec<usize>,
    pub drafts: Vec<usize>,
}

impl Lists {
    pub fn new(all: &[&Article], today: Date) -> Lists {
        let live = |a: &Article| a.status != Status::Archived && a.status != Status::Draft;
        let pick = |keep: &dyn Fn(&Article) -> bool| -> Vec<usize> {
            (0..all.len()).filter(|&i| keep(all[i])).collect()
        };
        let by_date = |list: &mut Vec<usize>| {
            list.sort_by(|&i, &j| {
                (all[i].review_by, &all[i].id).cmp(&(all[j].review_by, &all[j].id))
            })
        };
        let mut overdue = pick(&|a| live(a) && a.review_by.is_some_and(|d| d < today));
        by_date(&mut overdue);
        let mut due_soon = pick(&|a| {
            live(a)
                && a.review_by.is_some_and(|d| {
                    d >= today && d.days_since_epoch() - today.days_since_epoch() <= DUE_SOON_DAYS
                })
        });
        by_date(&mut due_soon);
        Lists {
            overdue,
            due_soon,
            no_owner: pick(&|a| {
                a.in_review_workflow() && a.status == Status::Published && a.owner.is_none()
            }),
            drafts: pick(&|a| a.status == Status::Draft),
        }
    }

    /// The lists in the report's order.
    pub fn parts(&self) -> [&[usize]; 4] {
        [&self.overdue, &self.due_soon, &self.no_owner, &self.drafts]
    }

    /// Entries of all four lists.
    pub fn len(&self) -> usize {
        self.parts().iter().map(|p| p.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lists cut to the entries at `range` of the four one after the
    /// other (a page of the report), and where each list starts in that order.
    pub fn slice(&self, range: std::ops::Range<usize>) -> (Lists, [usize; 4]) {
        let mut starts = [0; 4];
        let mut offset = 0;
        let mut cut = |list: &[usize], start: &mut usize| {
            *start = offset;
            let from = range.start.clamp(offset, offset + list.len()) - offset;
            let to = range.end.clamp(offset, offset + list.len()) - offset;
            offset += list.len();
            list[from..to].to_vec()
        };
        let [a, b, c, d] = &mut starts;
        let sliced = Lists {
            overdue: cut(&self.overdue, a),
            due_soon: cut(&self.due_soon, b),
            no_owner: cut(&self.no_owner, c),
            drafts: cut(&self.drafts, d),
        };
        (sliced, starts)
    }
}

/// The whole report.
pub fn report(site: &ValidatedSite, today: Date) -> ReviewReport {
    let all: Vec<&Article> = site.pages().iter().map(|p| &p.article).collect();
    report_of(site, &all, &Lists::new(&all, today), today)
}

/// The report with the entries of `lists` (all of them, or a page's).
pub fn report_of(
    site: &ValidatedSite,
    all: &[&Article],
    lists: &Lists,
    today: Date,
) -> ReviewReport {
    let item = |&i: &usize| {
        let a = all[i];
        ReviewItem {
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
        }
    };
    let items = |list: &[usize]| list.iter().map(item).collect::<Vec<_>>();
    let (overdue, due_soon, no_owner, drafts) = (
        items(&lists.overdue),
        items(&lists.due_soon),
        items(&lists.no_owner),
        items(&lists.drafts),
    );
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
        .config()
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
