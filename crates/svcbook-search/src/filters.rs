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
use crate::query::{Filters, ParsedQuery, WordOccur};
use crate::schema::Fields;
use crate::{Hit, SearchError, UnknownFilter};

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

/// Edit distance, for short words.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// "Did you mean": the query with each ASCII word that is one or two edits
/// (look-alike digits counted as none) from a code or tag of the partial hits
/// replaced by it. Those hits were found by the typo matching, so their codes
/// are the index's own terms closest to what was typed. A word that is no
/// code takes its pair in `closest` (lowercased word, the index's term one
/// edit away, see `Engine::closest_terms`): `compresor` → `compressor`.
pub fn did_you_mean(
    parsed: &ParsedQuery,
    hits: &[Hit],
    closest: &[(String, String)],
) -> Option<String> {
    let candidates: BTreeSet<&String> = hits
        .iter()
        .flat_map(|h| h.error_codes.iter().chain(&h.products).chain(&h.tags))
        .collect();
    let mut changed = false;
    let mut words = Vec::new();
    for w in &parsed.words {
        if w.occur == WordOccur::MustNot {
            continue;
        }
        let key = code_key(&w.text);
        let fixed = crate::analyzer::code_key_confusables(&key).unwrap_or_else(|| key.clone());
        let code = (key.len() >= 3 && key.is_ascii())
            .then(|| {
                candidates
                    .iter()
                    .map(|c| (distance(&fixed, &code_key(c)), *c))
                    .filter(|(d, c)| *d <= 2 && code_key(c) != key)
                    .min()
            })
            .flatten()
            .map(|(_, c)| c);
        let typed = w.text.to_ascii_lowercase();
        let word = closest
            .iter()
            .find(|(t, _)| *t == typed)
            .map(|(_, term)| cased_like(&w.text, term));
        match code.cloned().or(word) {
            Some(c) => {
                changed = true;
                words.push(c);
            }
            None => words.push(w.text.clone()),
        }
    }
    changed.then(|| words.join(" "))
}

/// `term` (lowercase, as the index holds it) in the case the reader typed
/// `typed`: all capitals stay capitals, otherwise letter by letter
/// (`TiFlahs` → `TiFlash`, `Plcement` → `Placement`). ASCII only, as the
/// words the typo matching tries are: the Unicode case tables that
/// `to_uppercase` pulls in added 16 KB gzip to the wasm runtime.
fn cased_like(typed: &str, term: &str) -> String {
    let letters = typed.chars().filter(char::is_ascii_alphabetic);
    if letters.clone().count() > 1 && letters.clone().all(|c| c.is_ascii_uppercase()) {
        return term.to_ascii_uppercase();
    }
    let mut cases = typed.chars().map(|c| c.is_ascii_uppercase());
    term.chars()
        .map(|c| match cases.next() {
            Some(true) => c.to_ascii_uppercase(),
            _ => c,
        })
        .collect()
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

    #[test]
    fn suggestions_take_the_case_as_typed() {
        assert_eq!(cased_like("TiFlahs", "tiflash"), "TiFlash");
        assert_eq!(cased_like("Plcement", "placement"), "Placement");
        assert_eq!(cased_like("RESLVE", "resolve"), "RESOLVE");
        assert_eq!(cased_like("compresor", "compressor"), "compressor");
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("xr200", "xr200"), 0);
        assert_eq!(distance("xr20", "xr200"), 1);
        assert_eq!(distance("e40", "e04"), 2);
    }
}
