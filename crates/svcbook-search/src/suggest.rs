//! "Did you mean": when no page holds every word of a query, the query with
//! its mistyped words replaced by the index's own spelling. A code takes the
//! nearest code or tag of the partial hits (which the typo matching found);
//! another ASCII word takes the title, keyword or heading term one edit away
//! that most pages hold.

use std::collections::BTreeSet;

use tantivy::schema::Field;
use tantivy::Searcher;

use crate::analyzer::code_key;
use crate::automata::Matcher;
use crate::query::{ParsedQuery, WordOccur};
use crate::schema::Fields;
use crate::Hit;

/// For "did you mean": each ASCII word the typo matching tried on the
/// title, keyword and heading fields that no page holds as typed, mapped
/// to the term one edit away that most pages hold (ties: the first in
/// order). The dictionaries were read by the query itself, so a lazily
/// read index fetches nothing more; a read that fails only drops a
/// suggestion.
pub fn closest_terms(
    searcher: &Searcher,
    fields: &Fields,
    matchers: &[(Field, Matcher)],
) -> Vec<(String, String)> {
    // Plain vectors, not maps: each map type is more generic code in the
    // wasm runtime (two BTreeMaps here cost it 4 KB gzip).
    let word_fields = [fields.title, fields.keywords, fields.headings];
    // (typed, term, pages holding the term), summed over fields and segments.
    let mut seen: Vec<(String, String, u64)> = Vec::new();
    let mut held: Vec<String> = Vec::new();
    for (field, matcher) in matchers {
        let Matcher::OneEdit(edit) = matcher else {
            continue;
        };
        if !word_fields.contains(field) {
            continue;
        }
        let typed = edit.term();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(*field) else {
                continue;
            };
            let Ok(mut terms) = inverted.terms().search(matcher.clone()).into_stream() else {
                continue;
            };
            while terms.advance() {
                let Ok(term) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                let pages = u64::from(terms.value().doc_freq);
                if term == typed {
                    held.push(typed.clone());
                } else if let Some(e) = seen.iter_mut().find(|e| e.0 == typed && e.1 == term) {
                    e.2 += pages;
                } else {
                    seen.push((typed.clone(), term.to_string(), pages));
                }
            }
        }
    }
    // Per typed word, the term most pages hold (ties: the first in order).
    let mut best: Vec<(String, String, u64)> = Vec::new();
    for (typed, term, pages) in seen {
        if held.contains(&typed) {
            continue;
        }
        match best.iter_mut().find(|b| b.0 == typed) {
            Some(b) if pages > b.2 || (pages == b.2 && term < b.1) => *b = (typed, term, pages),
            Some(_) => {}
            None => best.push((typed, term, pages)),
        }
    }
    best.into_iter()
        .map(|(typed, term, _)| (typed, term))
        .collect()
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
/// edit away, see [`closest_terms`]): `compresor` → `compressor`.
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
