//! Pinyin spellings for the search index, made at build time so the browser
//! needs no dictionary: a trainee who types `buzhileng` or `bzl` finds 不制冷.
//!
//! The table is the `pinyin` crate's (mozillazg/rust-pinyin, the Rust port of
//! the widely used python-pinyin data); it is a dependency of the native
//! binary only, never of the wasm search runtime. Each character takes its
//! most common reading: heteronyms would multiply the spellings of a phrase.

use std::collections::BTreeSet;

use pinyin::ToPinyin;

/// Shortest and longest Chinese phrase (in characters) spelled out.
const MIN_PHRASE: usize = 2;
const MAX_PHRASE: usize = 6;
/// Most spellings kept per article: a page of many long headings stops here.
const MAX_SPELLINGS: usize = 2000;

/// Every 2–6-character run of Chinese characters in `texts`, spelled in full
/// syllables (`buzhileng`) and in initials (`bzl`), deduplicated and sorted.
pub fn spellings<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = BTreeSet::new();
    for text in texts {
        let mut run: Vec<(&'static str, char)> = Vec::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            match c.to_pinyin() {
                Some(p) => {
                    let full = p.plain();
                    run.push((full, full.chars().next().unwrap_or('x')));
                }
                None => {
                    add_runs(&run, &mut out);
                    run.clear();
                }
            }
            if out.len() >= MAX_SPELLINGS {
                return out.into_iter().collect();
            }
        }
    }
    out.into_iter().collect()
}

fn add_runs(run: &[(&str, char)], out: &mut BTreeSet<String>) {
    for start in 0..run.len() {
        for len in MIN_PHRASE..=MAX_PHRASE {
            let Some(phrase) = run.get(start..start + len) else {
                break;
            };
            out.insert(phrase.iter().map(|(full, _)| *full).collect());
            out.insert(phrase.iter().map(|(_, initial)| *initial).collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_syllables_and_initials_of_each_phrase() {
        let s = spellings(["XR-200 不制冷，E04"]);
        for want in ["buzhileng", "bzl", "buzhi", "zhileng", "zl"] {
            assert!(s.contains(&want.to_string()), "{want} missing from {s:?}");
        }
        // No spelling crosses the comma or takes in the code.
        assert!(!s.iter().any(|p| p.contains("xr") || p.contains("e04")));
    }

    #[test]
    fn single_characters_are_not_spelled() {
        assert!(spellings(["冷 E04"]).is_empty());
    }
}
