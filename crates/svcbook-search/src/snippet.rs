//! Snippets: the best window of an article's text for a query, with its matches marked.
//!
//! The selection is tantivy's (`SnippetGenerator`): the text is cut into windows
//! of at most [`SNIPPET_BYTES`], each scored by the sum of its matched tokens'
//! weights `1 / (1 + document frequency)`, so a rare word counts more than a
//! common one; the earliest best window wins. It is redone here over
//! [`analyze_each`] because tantivy's version allocates a lowercased copy of every
//! token of every body, which made cutting ten snippets cost more than ranking.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::Searcher;

use crate::analyzer::analyze_each;
use crate::SearchError;

/// Snippet window in bytes: about 70 Chinese characters.
pub const SNIPPET_BYTES: usize = 210;

/// The query's terms in one field, with their weights.
pub struct FieldSnippets {
    weights: HashMap<String, f32>,
}

/// A chosen window of a text: its byte range and the byte ranges of its matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub range: Range<usize>,
    pub marks: Vec<Range<usize>>,
}

struct Candidate {
    score: f32,
    window: Window,
}

impl FieldSnippets {
    /// Collects the terms `query` looks for in `field`, weighted by rarity.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
    ) -> Result<FieldSnippets, SearchError> {
        let mut terms = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.push(term.clone());
            }
        });
        let mut weights = HashMap::new();
        for term in terms {
            let value = term.value();
            let Some(text) = value.as_str().map(str::to_string) else {
                continue;
            };
            if weights.contains_key(&text) {
                continue;
            }
            let doc_freq = searcher.doc_freq(&term)?;
            if doc_freq > 0 {
                weights.insert(text, 1.0 / (1.0 + doc_freq as f32));
            }
        }
        Ok(FieldSnippets { weights })
    }

    /// How well `text` covers the query: the summed weights of the distinct
    /// terms it holds (a section with both rare words beats one that repeats one).
    pub fn coverage(&self, text: &str) -> f32 {
        let mut seen = std::collections::HashSet::new();
        let mut score = 0.0;
        analyze_each(text, |token, _, _, _, _| {
            if let Some(weight) = self.weights.get(token) {
                if seen.insert(token.to_string()) {
                    score += weight;
                }
            }
        });
        score
    }

    /// The best window of `text`, or `None` when no term occurs in it.
    pub fn window(&self, text: &str) -> Option<Window> {
        if self.weights.is_empty() {
            return None;
        }
        let fresh = |start: usize| Candidate {
            score: 0.0,
            window: Window {
                range: start..start,
                marks: Vec::new(),
            },
        };
        let mut current = fresh(0);
        let mut best: Option<Candidate> = None;
        let mut consider = |c: Candidate| {
            if c.score > 0.0 && best.as_ref().is_none_or(|b| c.score > b.score) {
                best = Some(c);
            }
        };
        analyze_each(text, |token, from, to, _, _| {
            if to - current.window.range.start > SNIPPET_BYTES {
                consider(std::mem::replace(&mut current, fresh(from)));
            }
            current.window.range.end = to;
            if let Some(weight) = self.weights.get(token) {
                current.score += weight;
                current.window.marks.push(from..to);
            }
        });
        consider(current);
        best.map(|c| c.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippets(terms: &[(&str, f32)]) -> FieldSnippets {
        FieldSnippets {
            weights: terms.iter().map(|(t, w)| (t.to_string(), *w)).collect(),
        }
    }

    #[test]
    fn picks_the_window_with_the_rarest_matches_and_marks_them() {
        let filler = "常规说明文字。".repeat(20);
        let text = format!("制冷{filler}压缩机启动电容失效{filler}");
        let s = snippets(&[("制冷", 0.1), ("电容", 0.5)]);
        let w = s.window(&text).unwrap();
        let marked: Vec<&str> = w.marks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(marked, vec!["电容"]);
        assert!(w.range.end - w.range.start <= SNIPPET_BYTES);
        assert!(w.range.contains(&w.marks[0].start));
    }

    #[test]
    fn no_terms_or_no_match_is_none() {
        assert_eq!(snippets(&[]).window("制冷"), None);
        assert_eq!(snippets(&[("漏水", 1.0)]).window("制冷不良"), None);
    }

    #[test]
    fn ties_go_to_the_earliest_window() {
        let filler = "甲乙".repeat(120);
        let text = format!("漏水{filler}漏水");
        let w = snippets(&[("漏水", 1.0)]).window(&text).unwrap();
        assert_eq!(w.range.start, 0);
    }
}
