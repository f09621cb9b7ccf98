//! The service time limits an article states — its SLA rows, escalation
//! steps and duration fields — for `time-limits.html`. The route table counts
//! them (the page is split into pages of `paginate_by` rows) and the render
//! stage lists them, both from here.

use crate::model::{Article, Duration, FieldValue, Status};

/// One time limit: what it is for and how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLimit {
    pub item: String,
    pub limit: Duration,
}

/// The time limits of one article, in the order of its fields.
pub fn of(a: &Article) -> Vec<TimeLimit> {
    let mut out = Vec::new();
    let mut push = |item: String, limit: Duration| out.push(TimeLimit { item, limit });
    // A playbook's limits are named after its complaint type.
    let what = a
        .fields
        .text("complaint_type")
        .map(str::to_string)
        .unwrap_or_else(|| a.title.clone());
    for (key, value) in a.fields.iter() {
        match (key, value) {
            (_, FieldValue::Sla(rows)) => {
                rows.iter().for_each(|s| push(s.metric.clone(), s.target))
            }
            (_, FieldValue::Escalation(steps)) => {
                for e in steps {
                    push(format!("{what}：升级至{}", e.to), e.after);
                }
            }
            ("response_time", FieldValue::Duration(t)) => push(format!("{what}：首次响应"), *t),
            ("resolution_time", FieldValue::Duration(t)) => push(format!("{what}：处理完结"), *t),
            ("time_limit", FieldValue::Duration(t)) => push(a.title.clone(), *t),
            // Any other duration field (a declared kind's) is listed by its label.
            (key, FieldValue::Duration(t)) => {
                let label = a.kind.field(key).map_or(key, |f| f.label);
                push(format!("{}：{label}", a.title), *t)
            }
            _ => {}
        }
    }
    out
}

/// Every time limit of `articles` but the archived ones (their limits no
/// longer apply), with the position of its article, shortest first (then by
/// article id and item, so the order is the same in every build).
pub fn all(articles: &[&Article]) -> Vec<(usize, TimeLimit)> {
    let mut rows: Vec<(usize, TimeLimit)> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.status != Status::Archived)
        .flat_map(|(i, a)| of(a).into_iter().map(move |t| (i, t)))
        .collect();
    rows.sort_by(|(i, a), (j, b)| {
        (a.limit.sort_key(), &articles[*i].id, &a.item).cmp(&(
            b.limit.sort_key(),
            &articles[*j].id,
            &b.item,
        ))
    });
    rows
}
