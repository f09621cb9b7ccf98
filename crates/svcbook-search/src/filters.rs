//! Filter values as people type them, and what to say when one matches nothing.
//!
//! Every document carries `dimension=value` keys ([`keys`]) in the
//! `filter_key` field: each facet value folded (case, full width), products
//! also by code key (`XR200` = `XR-200`), and the kind's aliases the indexer
//! gives it (folder name, UI label). A filter value is looked up the same way,
//! so `--kind procedures`, `kind:故障案例` and `product:xr-200` all work. A value
//! whose keys no document has is reported with the values that would work.

use std::collections::BTreeSet;

use tantivy::collector::FacetCollector;
use tantivy::query::AllQuery;
use tantivy::{Searcher, Term};

use crate::analyzer::{code_key, normalize_char};
use crate::query::Filters;
use crate::schema::Fields;
use crate::{SearchError, UnknownFilter};

/// The `filter_key` terms of a filter value in dimension `dim`.
pub fn keys(dim: &str, value: &str) -> Vec<String> {
    let folded: String = value
        .trim()
        .chars()
        .map(normalize_char)
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = vec![format!("{dim}={folded}")];
    if dim == "product" {
        let key = format!("{dim}={}", code_key(value));
        if key != out[0] {
            out.push(key);
        }
    }
    out
}

/// Filter values that no document has, each with the values that would work.
pub fn unknown(
    searcher: &Searcher,
    fields: &Fields,
    filters: &Filters,
) -> Result<Vec<UnknownFilter>, SearchError> {
    let mut out = Vec::new();
    for (dim, values) in [
        ("kind", &filters.kind),
        ("product", &filters.product),
        ("tag", &filters.tag),
    ] {
        for value in values {
            let mut found = false;
            for key in keys(dim, value) {
                let term = Term::from_field_text(fields.filter_key, &key);
                if searcher.doc_freq(&term)? > 0 {
                    found = true;
                    break;
                }
            }
            if !found {
                out.push(UnknownFilter {
                    dimension: dim.to_string(),
                    value: value.clone(),
                    valid: valid(searcher, fields, dim)?,
                });
            }
        }
    }
    Ok(out)
}

/// The values of `dim` in the index, as written; for kinds, with their aliases
/// in parentheses: `fault_case (fault-cases, 故障案例)`.
fn valid(searcher: &Searcher, fields: &Fields, dim: &str) -> Result<Vec<String>, SearchError> {
    let mut collector = FacetCollector::for_field("facets");
    collector.add_facet(format!("/{dim}").as_str());
    let counts = searcher.search(&AllQuery, &collector)?;
    let values: Vec<String> = counts
        .get(format!("/{dim}").as_str())
        .filter_map(|(facet, _)| facet.to_path().last().map(|v| (*v).to_string()))
        .collect();
    if dim != "kind" {
        return Ok(values);
    }
    // Kind aliases: the filter keys of one document of each kind.
    let mut out = Vec::new();
    for kind in values {
        let term = Term::from_field_text(fields.filter_key, &keys("kind", &kind)[0]);
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let top = searcher.search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        let mut aliases = BTreeSet::new();
        if let Some((_, addr)) = top.first() {
            let doc: tantivy::TantivyDocument = searcher.doc(*addr)?;
            use tantivy::schema::Value;
            for v in doc.get_all(fields.kind_aliases).filter_map(|v| v.as_str()) {
                aliases.insert(v.to_string());
            }
        }
        aliases.remove(&kind);
        if aliases.is_empty() {
            out.push(kind);
        } else {
            let list: Vec<String> = aliases.into_iter().collect();
            out.push(format!("{kind} ({})", list.join(", ")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_width_and_code_form() {
        assert_eq!(keys("kind", " Fault_Case "), vec!["kind=fault_case"]);
        assert_eq!(
            keys("product", "ＸＲ-200"),
            vec!["product=xr-200", "product=xr200"]
        );
        assert_eq!(keys("tag", "制冷"), vec!["tag=制冷"]);
    }
}
