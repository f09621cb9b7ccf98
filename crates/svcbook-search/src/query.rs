//! Query text → tantivy query.
//!
//! The syntax is what people type into a search box, never an error:
//! whitespace-separated words; `"…"` (or `“…”`, `「…」`) for a required phrase;
//! `+word` required; `-word` excluded; `kind:`, `product:`, `tag:` filters.
//! Anything else — stray quotes, lone `+`, `field:` with an unknown field — is
//! searched for as text.
//!
//! Scoring, summed by tantivy's BooleanQuery:
//! * every word as a bag of its tokens in each field (recall: a query whose words
//!   do not all occur still finds the pages that have some of them);
//! * every word as a phrase in each field, weighted higher, so a page holding
//!   `客户情绪激动` contiguously beats one that scatters `客户` … `激动`;
//! * field weights: title > summary > headings > body;
//! * an exact code (`E04`, `XR-200`) or tag match, boosted strongly;
//! * a bonus when every word of a multi-word query occurs.
//!
//! Synonyms from the site config are expanded here, at query time, so changing
//! them needs no re-index of anything but the config stored in the bundle.

use std::cell::RefCell;
use std::sync::Arc;

use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur,
    PhraseQuery, Query, TermQuery, Weight,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::Term;
use tantivy_fst::Automaton;

use crate::analyzer::{code_key, is_cjk, query_tokens, Token};
use crate::schema::Fields;

/// Longest query considered, in chars; the rest is ignored rather than rejected.
const MAX_QUERY_CHARS: usize = 256;
/// Most words considered; each word becomes a few dozen tantivy clauses.
const MAX_WORDS: usize = 16;
/// Most synonym variants of one word.
const MAX_VARIANTS: usize = 6;

const PHRASE_FACTOR: f32 = 2.0;
/// Added per query word found contiguously, times the word's token count less
/// one: a 3-character word (2 bigrams) adjacent is weak evidence, a remembered
/// 8-character fragment found as typed is decisive and outweighs any BM25 sum.
const PHRASE_TIER_PER_TOKEN: f32 = 25.0;
const CODE_BOOST: f32 = 8.0;
const TAG_BOOST: f32 = 3.0;
const ALL_WORDS_BOOST: f32 = 1.5;
const SYNONYM_FACTOR: f32 = 0.8;
/// Weight of single-character matches: enough to rank pages that share no
/// bigram with the query, too little to reorder pages that do.
const CHAR_WEIGHT: f32 = 0.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordOccur {
    Should,
    Must,
    MustNot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub occur: WordOccur,
}

/// Facet filters, each dimension OR-ed within and AND-ed across.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: Vec<String>,
    pub product: Vec<String>,
    pub tag: Vec<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty() && self.product.is_empty() && self.tag.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub words: Vec<Word>,
    pub filters: Filters,
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

/// Parses what a user typed. Never fails.
pub fn parse(input: &str) -> ParsedQuery {
    let text: String = input.chars().take(MAX_QUERY_CHARS).collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = ParsedQuery::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (occur, start) = match c {
            '+' | '＋' => (WordOccur::Must, i + 1),
            '-' | '－' if i + 1 < chars.len() && !chars[i + 1].is_whitespace() => {
                (WordOccur::MustNot, i + 1)
            }
            _ => (WordOccur::Should, i),
        };
        if let Some(close) = chars.get(start).copied().and_then(closing_quote) {
            if let Some(len) = chars[start + 1..].iter().position(|&x| x == close) {
                let phrase: String = chars[start + 1..start + 1 + len].iter().collect();
                let occur = if occur == WordOccur::Should {
                    WordOccur::Must
                } else {
                    occur
                };
                push_word(&mut out, phrase, occur);
                i = start + len + 2;
                continue;
            }
        }
        let mut end = start;
        while end < chars.len() && !chars[end].is_whitespace() {
            end += 1;
        }
        let word: String = chars[start..end].iter().collect();
        i = end;
        if occur == WordOccur::Should {
            if let Some((key, value)) = word.split_once(':').or_else(|| word.split_once('：')) {
                let value = value.trim();
                let list = match key.to_ascii_lowercase().as_str() {
                    "kind" => Some(&mut out.filters.kind),
                    "product" => Some(&mut out.filters.product),
                    "tag" => Some(&mut out.filters.tag),
                    _ => None,
                };
                if let (Some(list), false) = (list, value.is_empty()) {
                    list.push(value.to_string());
                    continue;
                }
            }
        }
        push_word(&mut out, word, occur);
    }
    out
}

fn push_word(out: &mut ParsedQuery, text: String, occur: WordOccur) {
    // A word of punctuation only has no tokens and would match nothing.
    if out.words.len() < MAX_WORDS && !query_tokens(&text).is_empty() {
        out.words.push(Word { text, occur });
    }
}

/// `word` plus its synonym variants (with their weight factor). A synonym may
/// sit inside a longer word: `退货流程` also searches `退款流程`.
pub fn variants(word: &str, synonyms: &[Vec<String>]) -> Vec<(String, f32)> {
    let mut out = vec![(word.to_string(), 1.0)];
    let folded = fold(word);
    for group in synonyms {
        for member in group {
            let m = fold(member);
            if m.is_empty() || !folded.contains(&m) {
                continue;
            }
            for other in group {
                let o = fold(other);
                if o == m {
                    continue;
                }
                let v = folded.replace(&m, &o);
                if out.len() < MAX_VARIANTS && !out.iter().any(|(t, _)| fold(t) == v) {
                    out.push((v, SYNONYM_FACTOR));
                }
            }
        }
    }
    out
}

/// Normalised, lowercased text, for comparing words with synonyms.
fn fold(s: &str) -> String {
    s.chars()
        .map(crate::analyzer::normalize_char)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The tokens a word is matched by. A lone Han character next to other tokens
/// (`报E04`, `换了`) is mostly a particle and is never indexed on its own inside
/// running text (there it is part of bigrams), so it is dropped; the phrase keeps
/// the others' original positions, gap included.
fn match_tokens(text: &str) -> Vec<Token> {
    let toks = query_tokens(text);
    if toks.len() < 2 {
        return toks;
    }
    let kept: Vec<Token> = toks
        .iter()
        .filter(|t| !(t.text.chars().count() == 1 && t.text.chars().all(is_cjk)))
        .cloned()
        .collect();
    if kept.is_empty() {
        toks
    } else {
        kept
    }
}

/// The contiguity bonus of a word: nothing for one token, which is either
/// there or not.
fn phrase_tier(word: &str) -> f32 {
    let n = match_tokens(word).len();
    PHRASE_TIER_PER_TOKEN * n.saturating_sub(1) as f32
}

/// An ASCII token with both a letter and a digit: `e04`, `xr200`, `h1`, `v2`.
fn looks_like_code(token: &str) -> bool {
    token.chars().all(|c| c.is_ascii_alphanumeric())
        && token.chars().any(|c| c.is_ascii_digit())
        && token.chars().any(|c| c.is_ascii_alphabetic())
}

/// Builds tantivy queries from a parsed query.
pub struct QueryBuilder<'a> {
    pub fields: &'a Fields,
    pub synonyms: &'a [Vec<String>],
    /// Every [`NearCharQuery`] built, as (field, char): a lazily read index
    /// reads their terms' postings ahead (see `Engine::prefetch`).
    pub near_chars: RefCell<Vec<(Field, char)>>,
}

impl<'a> QueryBuilder<'a> {
    pub fn new(fields: &'a Fields, synonyms: &'a [Vec<String>]) -> QueryBuilder<'a> {
        QueryBuilder {
            fields,
            synonyms,
            near_chars: RefCell::new(Vec::new()),
        }
    }
}

/// Terms of one or two characters that hold `c` (text is indexed as bigrams,
/// so a lone character is found inside them): what a `RegexQuery` of
/// `c.?|.c` matches, scored the same way (an `AutomatonWeight`), without
/// compiling a regex engine into the wasm runtime.
#[derive(Debug, Clone)]
pub struct NearCharQuery {
    field: Field,
    automaton: Arc<NearChar>,
}

impl NearCharQuery {
    pub fn new(field: Field, c: char) -> NearCharQuery {
        NearCharQuery {
            field,
            automaton: Arc::new(NearChar { c }),
        }
    }
}

impl Query for NearCharQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<NearChar>::new(
            self.field,
            self.automaton.clone(),
        )))
    }
}

/// The byte automaton of [`NearCharQuery`]: a state is the bytes read so far
/// (two characters take at most 8), `None` once no match can follow.
#[derive(Debug, Clone, Copy)]
pub struct NearChar {
    pub c: char,
}

impl NearChar {
    /// The complete characters of `bytes` and the length of an unfinished one
    /// at the end; `None` if `bytes` cannot start valid UTF-8.
    fn split(bytes: &[u8]) -> Option<(Vec<char>, &[u8])> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Some((s.chars().collect(), &[])),
            Err(e) if e.error_len().is_none() => {
                let (done, tail) = bytes.split_at(e.valid_up_to());
                let done = std::str::from_utf8(done).ok()?;
                Some((done.chars().collect(), tail))
            }
            Err(_) => None,
        }
    }

    fn accepts(&self, bytes: &[u8]) -> bool {
        let c = self.c;
        match Self::split(bytes) {
            Some((chars, [])) => match chars.as_slice() {
                [a] => *a == c,
                [a, b] => (*a == c && *b != '\n') || (*b == c && *a != '\n'),
                _ => false,
            },
            _ => false,
        }
    }

    fn viable(&self, bytes: &[u8]) -> bool {
        let Some((chars, tail)) = Self::split(bytes) else {
            return false;
        };
        let mut own = [0u8; 4];
        let own = self.c.encode_utf8(&mut own).as_bytes();
        match chars.as_slice() {
            [] => true,
            [a] if *a == self.c => true,
            [a] => *a != '\n' && own.starts_with(tail),
            [_, _] => tail.is_empty() && self.accepts(bytes),
            _ => false,
        }
    }
}

impl Automaton for NearChar {
    type State = Option<(u8, [u8; 8])>;

    fn start(&self) -> Self::State {
        Some((0, [0; 8]))
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.is_some_and(|(n, b)| self.accepts(&b[..n as usize]))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some_and(|(n, b)| self.viable(&b[..n as usize]))
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let (n, mut b) = (*state)?;
        if n as usize >= b.len() {
            return None;
        }
        b[n as usize] = byte;
        let n = n + 1;
        self.viable(&b[..n as usize]).then_some((n, b))
    }
}

/// The parts of a built query the engine needs separately.
pub struct BuiltQuery {
    /// Text part only: scoring plus required/excluded words. `None` when the
    /// query has no words (a filter-only browse).
    pub text: Option<Box<dyn Query>>,
    /// Positive scoring clauses only, for snippet terms (excluded words must not be highlighted).
    pub highlight: Option<Box<dyn Query>>,
    /// Token texts of all positive words and variants, for highlighting titles.
    pub terms: Vec<String>,
}

impl QueryBuilder<'_> {
    /// (field, weight, has positions). The body has none (see `schema`).
    fn text_fields(&self) -> [(Field, f32, bool); 5] {
        let f = self.fields;
        [
            (f.title, 4.0, true),
            (f.summary, 2.0, true),
            (f.headings, 1.5, true),
            (f.keywords, 2.0, true),
            (f.body, 1.0, false),
        ]
    }

    /// (scoring query, presence query) for one variant of a word.
    fn variant_queries(
        &self,
        text: &str,
        factor: f32,
        terms: &mut Vec<String>,
    ) -> Option<(Box<dyn Query>, Box<dyn Query>)> {
        let toks = match_tokens(text);
        if toks.is_empty() {
            return None;
        }
        terms.extend(toks.iter().map(|t| t.text.clone()));
        let mut scoring: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut present: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let lone_char = toks.len() == 1
            && toks[0].text.chars().count() == 1
            && toks[0].text.chars().all(is_cjk);
        for (field, weight, positional) in self.text_fields() {
            let term = |t: &str| Term::from_field_text(field, t);
            let single = |t: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(term(t), IndexRecordOption::WithFreqs))
            };
            if lone_char {
                // Text is indexed as bigrams, so one character is found inside them.
                let c = toks[0].text.chars().next().expect("one char");
                let q = NearCharQuery::new(field, c);
                self.near_chars.borrow_mut().push((field, c));
                scoring.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q.clone()), weight * factor)),
                ));
                present.push((Occur::Should, Box::new(q)));
                continue;
            }
            if toks.len() == 1 {
                scoring.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(single(&toks[0].text), weight * factor)),
                ));
                present.push((Occur::Should, single(&toks[0].text)));
                continue;
            }
            let mut distinct: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let bag = BooleanQuery::union(distinct.iter().map(|t| single(t)).collect());
            scoring.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(bag), weight * factor)),
            ));
            let first = toks[0].position;
            // Without positions, "contiguous" becomes "every bigram present":
            // for 不制冷 a page needs both 不制 and 制冷, which scattered words rarely give.
            let phrase = || -> Box<dyn Query> {
                if positional {
                    Box::new(PhraseQuery::new_with_offset(
                        toks.iter()
                            .map(|t| (t.position - first, term(&t.text)))
                            .collect(),
                    ))
                } else {
                    Box::new(BooleanQuery::intersection(
                        distinct.iter().map(|t| single(t)).collect(),
                    ))
                }
            };
            scoring.push((
                Occur::Should,
                Box::new(BoostQuery::new(phrase(), weight * factor * PHRASE_FACTOR)),
            ));
            present.push((Occur::Should, phrase()));
        }
        let exact = |field: Field, key: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, key),
                IndexRecordOption::WithFreqs,
            ))
        };
        // Every code-like token of the word (`报E04` holds `E04`) is looked up exactly.
        for t in &toks {
            if looks_like_code(&t.text) {
                let key = code_key(&t.text);
                scoring.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        exact(self.fields.code_exact, &key),
                        CODE_BOOST * factor,
                    )),
                ));
                if toks.len() == 1 {
                    present.push((Occur::Should, exact(self.fields.code_exact, &key)));
                }
            }
        }
        let key = code_key(text);
        if !key.is_empty() {
            scoring.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    exact(self.fields.tag_exact, &key),
                    TAG_BOOST * factor,
                )),
            ));
            present.push((Occur::Should, exact(self.fields.tag_exact, &key)));
        }
        Some((
            Box::new(BooleanQuery::new(scoring)),
            Box::new(BooleanQuery::new(present)),
        ))
    }

    /// The word's CJK characters one by one, at [`CHAR_WEIGHT`]. Used only to
    /// re-rank pages the word already matched: on its own, a common character
    /// such as `的` would match every page.
    fn char_bag(&self, word: &str) -> Option<Box<dyn Query>> {
        let mut chars: Vec<char> = word
            .chars()
            .map(crate::analyzer::normalize_char)
            .filter(|c| is_cjk(*c))
            .collect();
        chars.sort_unstable();
        chars.dedup();
        if chars.len() < 2 {
            return None;
        }
        let each = chars
            .iter()
            .map(|c| {
                let term = Term::from_field_text(self.fields.chars, &c.to_string());
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>
            })
            .collect();
        Some(Box::new(BoostQuery::new(
            Box::new(BooleanQuery::union(each)),
            CHAR_WEIGHT,
        )))
    }

    /// (scoring, presence) for a word with all its synonym variants.
    fn word_queries(
        &self,
        word: &str,
        terms: &mut Vec<String>,
    ) -> Option<(Box<dyn Query>, Box<dyn Query>)> {
        let mut scoring = Vec::new();
        let mut present = Vec::new();
        for (variant, factor) in variants(word, self.synonyms) {
            if let Some((s, p)) = self.variant_queries(&variant, factor, terms) {
                scoring.push((Occur::Should, s));
                present.push((Occur::Should, p));
            }
        }
        if scoring.is_empty() {
            return None;
        }
        Some((
            Box::new(BooleanQuery::new(scoring)),
            Box::new(BooleanQuery::new(present)),
        ))
    }

    pub fn build(&self, parsed: &ParsedQuery) -> BuiltQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut highlight: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut all_present: Vec<Box<dyn Query>> = Vec::new();
        let mut rerank: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut terms = Vec::new();
        let mut positives = 0;
        for word in &parsed.words {
            let mut ignored = Vec::new();
            let sink = if word.occur == WordOccur::MustNot {
                &mut ignored
            } else {
                &mut terms
            };
            let Some((scoring, present)) = self.word_queries(&word.text, sink) else {
                continue;
            };
            match word.occur {
                WordOccur::MustNot => clauses.push((Occur::MustNot, present)),
                WordOccur::Must | WordOccur::Should => {
                    positives += 1;
                    rerank.extend(self.char_bag(&word.text).map(|q| (Occur::Should, q)));
                    highlight.push((Occur::Should, scoring.box_clone()));
                    clauses.push((Occur::Should, scoring));
                    // Contiguous occurrence is a tier, not a nudge: any page holding the
                    // word as typed outranks every page that only scatters its parts.
                    clauses.push((
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(
                            present.box_clone(),
                            phrase_tier(&word.text),
                        )),
                    ));
                    if word.occur == WordOccur::Must {
                        clauses.push((Occur::Must, present.box_clone()));
                    }
                    all_present.push(present);
                }
            }
        }
        if positives > 1 {
            let all = BooleanQuery::intersection(all_present);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(all), ALL_WORDS_BOOST)),
            ));
        }
        if positives == 0 {
            // Only exclusions: show nothing rather than everything-but.
            return BuiltQuery {
                text: None,
                highlight: None,
                terms,
            };
        }
        terms.sort();
        terms.dedup();
        let mut text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        if !rerank.is_empty() {
            rerank.push((Occur::Must, text));
            text = Box::new(BooleanQuery::new(rerank));
        }
        BuiltQuery {
            text: Some(text),
            highlight: Some(Box::new(BooleanQuery::new(highlight))),
            terms,
        }
    }

    /// `text` AND the filters, skipping the dimension `except` (for facet counts
    /// that show what choosing another value of that dimension would give).
    pub fn with_filters(
        &self,
        text: Option<&dyn Query>,
        filters: &Filters,
        except: Option<&str>,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match text {
            Some(q) => clauses.push((Occur::Must, q.box_clone())),
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        for (dim, values) in [
            ("kind", &filters.kind),
            ("product", &filters.product),
            ("tag", &filters.tag),
        ] {
            if values.is_empty() || except == Some(dim) {
                continue;
            }
            let any: Vec<Box<dyn Query>> = values
                .iter()
                .map(|v| {
                    let term =
                        Term::from_facet(self.fields.facets, &Facet::from_path([dim, v.as_str()]));
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::union(any))));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(text: &str, occur: WordOccur) -> Word {
        Word {
            text: text.into(),
            occur,
        }
    }

    #[test]
    fn words_phrases_required_excluded_and_filters() {
        let q = parse("E04 不制冷 +XR-200 -噪音 \"漏 水\" kind:fault_case tag:制冷");
        assert_eq!(
            q.words,
            vec![
                w("E04", WordOccur::Should),
                w("不制冷", WordOccur::Should),
                w("XR-200", WordOccur::Must),
                w("噪音", WordOccur::MustNot),
                w("漏 水", WordOccur::Must),
            ]
        );
        assert_eq!(q.filters.kind, vec!["fault_case"]);
        assert_eq!(q.filters.tag, vec!["制冷"]);
    }

    #[test]
    fn chinese_quotes_and_full_width_colon() {
        let q = parse("“客户 投诉” product：XR-200");
        assert_eq!(q.words, vec![w("客户 投诉", WordOccur::Must)]);
        assert_eq!(q.filters.product, vec!["XR-200"]);
    }

    #[test]
    fn junk_is_text_not_an_error() {
        let q = parse("\" + - foo: :bar ，。");
        assert_eq!(
            q.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(),
            vec!["foo:", ":bar"]
        );
        assert!(q.filters.is_empty());
    }

    #[test]
    fn synonyms_expand_inside_words() {
        let groups = vec![
            vec!["退货".to_string(), "退款".to_string()],
            vec!["保修".into(), "质保".into()],
        ];
        let v = variants("退货流程", &groups);
        assert_eq!(
            v.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
            vec!["退货流程", "退款流程"]
        );
        assert_eq!(v[1].1, SYNONYM_FACTOR);
        assert_eq!(variants("噪音", &groups).len(), 1);
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_bounds_words(input in any::<String>()) {
            let q = parse(&input);
            prop_assert!(q.words.len() <= MAX_WORDS);
            for word in &q.words {
                prop_assert!(!query_tokens(&word.text).is_empty());
            }
        }
    }
}

#[cfg(test)]
mod near_char_tests {
    use super::*;

    fn run<A: Automaton>(a: &A, text: &str) -> bool
    where
        A::State: Clone,
    {
        let mut state = a.start();
        for &b in text.as_bytes() {
            if !a.can_match(&state) {
                return false;
            }
            state = a.accept(&state, b);
        }
        a.is_match(&state)
    }

    /// The automaton accepts exactly what the regex it replaces accepted.
    #[test]
    fn near_char_matches_what_the_regex_matched() {
        let texts = [
            "压",
            "压缩",
            "缩压",
            "压压",
            "缩",
            "缩机",
            "压缩机",
            "a压",
            "压a",
            "ab",
            "",
            "压\n",
            "\n压",
            "éa",
            "压é",
            "é压",
            "𠀀压",
            "压𠀀",
            "压缩压",
            "aa压",
        ];
        for c in ['压', 'é', '𠀀'] {
            let regex = tantivy_fst::Regex::new(&format!("{c}.?|.{c}")).unwrap();
            let ours = NearChar { c };
            for t in texts {
                assert_eq!(run(&ours, t), run(&regex, t), "{c} on {t:?}");
            }
        }
    }
}
