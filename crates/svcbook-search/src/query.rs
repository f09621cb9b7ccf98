//! Query text → tantivy query.
//!
//! The syntax is what people type into a search box, never an error:
//! whitespace-separated words; `"…"` (or `“…”`, `「…」`) for a required phrase;
//! `+word` required; `-word` excluded; `kind:`, `product:`, `tag:` filters.
//! Anything else — stray quotes, lone `+`, `field:` with an unknown field — is
//! searched for as text.
//!
//! When `-` excludes. Text pasted from a page must never exclude that page
//! (a summary holding `-h, --help` used to), so `-word` is an exclusion only if
//! * the `-` starts a whitespace-separated word and a letter or Han character
//!   follows it (`-5℃`, `- 注意` and `a-b` are text);
//! * the word holds nothing but letters, digits, Han and code connectors
//!   (`-h,` and `-v。` are text);
//! * the query does not look pasted: at most 6 words, no `--`, no sentence
//!   punctuation (`，。、；！？,;!?`);
//! * and even then a page holding the whole query contiguously as typed, dash
//!   and all (`rm -rf` on a page about `rm -rf`), is not excluded.
//!
//! Otherwise the `-` is part of the text and the word is searched for.
//!
//! Matching. A page *holds* a word when the word's tokens occur contiguously in
//! a text field, as an exact code or tag, as a pinyin spelling made at build
//! time (`buzhileng`, `bzl`), or — for the last word while it is being typed
//! (no trailing space) — when a code, ASCII word or pinyin spelling starts with
//! it (`XR-2` → `XR-200`, `E0` → `E04`). `E4` finds `E04` (numbers compare
//! without leading zeros). Pages holding every word are the *complete* matches:
//! they rank first (a [`COMPLETE_TIER`] is added to their score) and are what
//! the count counts. Pages holding some of the words, or a word only with one
//! edit (codes and ASCII words of 4+ characters; look-alike `O`/`0`), follow as
//! *partial* matches. A word nothing holds, alone, gives no complete match.
//!
//! Scoring, summed by tantivy's BooleanQuery:
//! * every word as a bag of its tokens in each field (recall: a query whose words
//!   do not all occur still finds the pages that have some of them);
//! * every word as a phrase in each field, weighted higher, so a page holding
//!   `客户情绪激动` contiguously beats one that scatters `客户` … `激动`;
//! * field weights: title > typed fields (symptoms, parts, …) > summary >
//!   headings > body;
//! * an exact code (`E04`, `XR-200`) or tag match, boosted strongly; a prefix
//!   or pinyin match at half that or less, a typo match lower still;
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
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;
use tantivy_fst::Automaton;

use crate::automata::{Matcher, MatcherQuery, OneEdit, Prefix};

use crate::analyzer::{
    code_key, code_key_confusables, code_key_unpadded, is_cjk, query_tokens, Token,
};
use crate::schema::Fields;

/// Longest query considered, in chars; the rest is ignored rather than rejected.
const MAX_QUERY_CHARS: usize = 256;
/// Most words considered; each word becomes a few dozen tantivy clauses.
const MAX_WORDS: usize = 16;
/// Most synonym variants of one word.
const MAX_VARIANTS: usize = 6;
/// A query of more words than this is read as pasted text: no `-` excludes.
const MAX_OPERATOR_WORDS: usize = 6;

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
/// Typed fields (symptoms, parts, …): short, written to be searched for.
const FACTS_WEIGHT: f32 = 3.0;
/// A pinyin spelling of a title, tag, heading or fact.
const PINYIN_WEIGHT: f32 = 3.0;
/// A prefix match of the word being typed, relative to the exact word.
const PREFIX_FACTOR: f32 = 0.5;
/// A one-edit (or look-alike) match, relative to the exact word.
const TYPO_FACTOR: f32 = 0.3;
/// Shortest code or ASCII word matched as a prefix while typing.
const MIN_PREFIX_CHARS: usize = 2;
/// Shortest code or ASCII word matched with one edit.
const MIN_TYPO_CHARS: usize = 4;
/// Added to the score of a page holding every word of the query: such pages
/// come first whatever their BM25, and are what the count counts.
pub const COMPLETE_TIER: f32 = 100_000.0;
/// Added when every word is in the page's own description — title, summary,
/// headings, codes, tags, typed fields — rather than only in the body: among
/// complete matches, the page that is *about* the words comes first (as
/// Algolia's and Pagefind's attribute ranking do).
const DESCRIBED_TIER: f32 = 1_000.0;
/// Added on top when every word is in the title itself: the page named by the
/// query (`返厂维修` → 返厂维修流程) comes before one that mentions it in passing.
const TITLED_TIER: f32 = 500.0;
/// Added when a query of several words is found as typed, contiguous across
/// its words (`义了 OceanBase 数据`): a pasted fragment is one phrase, and a page
/// holding it beats pages whose BM25 sums of the separate words run higher
/// (on docs-cn, body fragments MRR@10 0.813 → 0.838; the per-word phrase
/// boost alone was too weak to lift the page above rank 5).
const AS_TYPED_TIER: f32 = 200.0;

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
    /// The last word is still being typed (the query does not end in
    /// whitespace or a closing quote): it also matches as a prefix.
    pub typing: bool,
    /// The query's text words in order, signs dropped, for the exclusion
    /// waiver: a page holding the query as typed is never excluded.
    pub as_typed: String,
}

/// Sentence punctuation and option lists mark a query as text pasted from a
/// page, where a `-` is part of the text (`-h, --help`), never an operator.
fn looks_pasted(chars: &[char]) -> bool {
    // Filters (`kind:x`) are not words of the text.
    let words = chars
        .split(|c| c.is_whitespace())
        .filter(|w| !w.is_empty() && !w.iter().any(|&c| c == ':' || c == '：'))
        .count();
    words > MAX_OPERATOR_WORDS
        || chars.windows(2).any(|w| w == ['-', '-'])
        || chars.iter().any(|c| {
            matches!(
                c,
                '，' | '。' | '、' | '；' | '！' | '？' | ',' | ';' | '!' | '?'
            )
        })
}

/// Whether the word starting at `chars[0]` (a `-`) is an exclusion: a letter
/// or Han character right after the dash, and nothing but letters, digits, Han
/// and code connectors up to the next space (`-h,` and `-5℃` are text).
fn is_exclusion(chars: &[char]) -> bool {
    let word: Vec<char> = chars[1..]
        .iter()
        .copied()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let Some(&first) = word.first() else {
        return false;
    };
    let first = crate::analyzer::normalize_char(first);
    (first.is_alphabetic() || is_cjk(first))
        && word.iter().all(|&c| {
            let c = crate::analyzer::normalize_char(c);
            c.is_alphanumeric() || is_cjk(c) || matches!(c, '-' | '_' | '.' | '/')
        })
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
    let pasted = looks_pasted(&chars);
    let mut last_plain = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (occur, start) = match c {
            '+' | '＋' => (WordOccur::Must, i + 1),
            '-' | '－' if !pasted && is_exclusion(&chars[i..]) => (WordOccur::MustNot, i + 1),
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
                last_plain = false;
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
                    last_plain = false;
                    continue;
                }
            }
        }
        push_word(&mut out, word, occur);
        last_plain = occur != WordOccur::MustNot;
    }
    out.typing = last_plain && !chars.last().is_some_and(|c| c.is_whitespace());
    out.as_typed = out
        .words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
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

/// Extra matches of a word as typed: see [`QueryBuilder::loose_queries`].
#[derive(Default)]
struct Loose {
    scoring: Vec<Box<dyn Query>>,
    present: Vec<Box<dyn Query>>,
}

/// `text` with the regex metacharacters of tantivy's term regexes escaped
/// (tests only: the regexes are the reference the automata are checked against).
#[cfg(test)]
pub(crate) fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A regex matching every term within one edit of `term` (a character
/// replaced, dropped, added, or two neighbours swapped). Written out rather
/// than tantivy's `FuzzyTermQuery`, whose Levenshtein automaton builder added
/// ~70 KB to the wasm runtime. Now only the reference `automata::OneEdit`
/// is tested against (the regex compiler cost ~60 KB gzip in the runtime).
#[cfg(test)]
pub(crate) fn one_edit_pattern(term: &str) -> String {
    // Typos are matched in codes and ASCII words only: an edit is an ASCII
    // letter, digit or code connector, which keeps the automaton small.
    const ANY: &str = "[0-9a-z_./\\-]";
    let chars: Vec<String> = term.chars().map(|c| regex_escape(&c.to_string())).collect();
    let join = |parts: &[String]| parts.concat();
    let n = chars.len();
    let mut alternatives = Vec::with_capacity(4 * n + 1);
    for i in 0..=n {
        let (pre, post) = (join(&chars[..i]), join(&chars[i..]));
        // Added before position i.
        alternatives.push(format!("{pre}{ANY}{post}"));
        if i < n {
            let rest = join(&chars[i + 1..]);
            // Replaced, then dropped.
            alternatives.push(format!("{pre}{ANY}{rest}"));
            alternatives.push(format!("{pre}{rest}"));
        }
        if i + 1 < n {
            let rest = join(&chars[i + 2..]);
            alternatives.push(format!("{pre}{}{}{rest}", chars[i + 1], chars[i]));
        }
    }
    alternatives.sort();
    alternatives.dedup();
    alternatives.join("|")
}

/// Builds tantivy queries from a parsed query.
pub struct QueryBuilder<'a> {
    pub fields: &'a Fields,
    pub synonyms: &'a [Vec<String>],
    /// Every [`NearCharQuery`] built, as (field, char): a lazily read index
    /// reads their terms' postings ahead (see `Engine::prefetch`).
    pub near_chars: RefCell<Vec<(Field, char)>>,
    /// Every prefix and one-edit query built, for the same prefetch.
    pub matchers: RefCell<Vec<(Field, Matcher)>>,
}

impl<'a> QueryBuilder<'a> {
    pub fn new(fields: &'a Fields, synonyms: &'a [Vec<String>]) -> QueryBuilder<'a> {
        QueryBuilder {
            fields,
            synonyms,
            near_chars: RefCell::new(Vec::new()),
            matchers: RefCell::new(Vec::new()),
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
    /// Pages holding every positive word and no excluded one: what the count
    /// counts. Their scores carry [`COMPLETE_TIER`].
    pub complete: Option<Box<dyn Query>>,
}

impl QueryBuilder<'_> {
    /// (field, weight, has positions). Every text field has them now; the
    /// flag stays for a field that may be indexed without.
    fn text_fields(&self) -> [(Field, f32, bool); 6] {
        let f = self.fields;
        [
            (f.title, 4.0, true),
            (f.summary, 2.0, true),
            (f.headings, 1.5, true),
            (f.keywords, 2.0, true),
            (f.facts, FACTS_WEIGHT, true),
            (f.body, 1.0, true),
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

    /// What a word as typed also matches, beyond its exact tokens:
    /// * pinyin: an ASCII-letter word looked up among the pinyin spellings made
    ///   at build time (counts as holding the word);
    /// * the word being typed (`typing`): its code key and its last ASCII token
    ///   as a prefix (counts as holding the word, ranked below the exact word);
    /// * typos: one edit in a code or an ASCII word of 4+ characters, and
    ///   look-alike letters in codes (`XR-2OO`): scoring only, so such a page is
    ///   a partial match, after every page that holds the word as typed.
    fn loose_queries(&self, text: &str, typing: bool) -> Loose {
        let mut out = Loose::default();
        let f = self.fields;
        let key = code_key(text);
        let ascii_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric());
        let letters = ascii_key && key.chars().all(|c| c.is_ascii_alphabetic());
        let boosted =
            |q: Box<dyn Query>, w: f32| -> Box<dyn Query> { Box::new(BoostQuery::new(q, w)) };
        let exact = |field: Field, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let matcher = |field: Field, m: Matcher| -> Box<dyn Query> {
            self.matchers.borrow_mut().push((field, m.clone()));
            Box::new(MatcherQuery::new(field, m))
        };
        let prefix = |field: Field, t: &str| -> Option<Box<dyn Query>> {
            Some(matcher(field, Matcher::Prefix(Prefix::new(t))))
        };
        if letters && key.len() >= 2 {
            out.scoring
                .push(boosted(exact(f.pinyin, &key), PINYIN_WEIGHT));
            out.present.push(exact(f.pinyin, &key));
        }
        if ascii_key {
            // `E4` is `E04`, and `E04` is `E4` (codes written either way).
            let unpadded = code_key_unpadded(&key).unwrap_or_else(|| key.clone());
            out.scoring
                .push(boosted(exact(f.code_unpadded, &unpadded), CODE_BOOST));
            out.present.push(exact(f.code_unpadded, &unpadded));
        }
        if typing && ascii_key && key.chars().count() >= MIN_PREFIX_CHARS {
            let unpadded = code_key_unpadded(&key).unwrap_or_else(|| key.clone());
            for (field, k) in [(f.code_exact, &key), (f.code_unpadded, &unpadded)] {
                if let Some(q) = prefix(field, k) {
                    out.scoring
                        .push(boosted(q.box_clone(), CODE_BOOST * PREFIX_FACTOR));
                    out.present.push(q);
                }
            }
            if letters {
                if let Some(q) = prefix(f.pinyin, &key) {
                    out.scoring
                        .push(boosted(q.box_clone(), PINYIN_WEIGHT * PREFIX_FACTOR));
                    out.present.push(q);
                }
            }
            let last = match_tokens(text).pop().filter(|t| t.text.is_ascii());
            if let Some(last) = last {
                for (field, weight, _) in self.text_fields() {
                    if field == f.body {
                        continue;
                    }
                    if let Some(q) = prefix(field, &last.text) {
                        out.scoring
                            .push(boosted(q.box_clone(), weight * PREFIX_FACTOR));
                        out.present.push(q);
                    }
                }
            }
        }
        // A code of 4+ characters with one dropped is 3: codes are matched with
        // one edit from 3 characters on, other ASCII words from 4.
        let typo_len = if looks_like_code(&key) {
            MIN_TYPO_CHARS - 1
        } else {
            MIN_TYPO_CHARS
        };
        if ascii_key && key.chars().count() >= typo_len {
            let fuzzy = |field: Field, t: &str| -> Box<dyn Query> {
                match OneEdit::new(t) {
                    Some(a) => matcher(field, Matcher::OneEdit(a)),
                    None => Box::new(tantivy::query::EmptyQuery),
                }
            };
            out.scoring
                .push(boosted(fuzzy(f.code_exact, &key), CODE_BOOST * TYPO_FACTOR));
            if let Some(fixed) = code_key_confusables(&key) {
                out.scoring.push(boosted(
                    exact(f.code_exact, &fixed),
                    CODE_BOOST * TYPO_FACTOR,
                ));
                if typing {
                    if let Some(q) = prefix(f.code_exact, &fixed) {
                        out.scoring.push(boosted(q, CODE_BOOST * TYPO_FACTOR));
                    }
                }
            }
            if letters {
                out.scoring
                    .push(boosted(fuzzy(f.pinyin, &key), PINYIN_WEIGHT * TYPO_FACTOR));
            }
            for t in match_tokens(text) {
                if t.text.is_ascii() && t.text.chars().count() >= MIN_TYPO_CHARS {
                    for field in [f.title, f.keywords, f.headings] {
                        out.scoring
                            .push(boosted(fuzzy(field, &t.text), TYPO_FACTOR));
                    }
                }
            }
        }
        out
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
        typing: bool,
        terms: &mut Vec<String>,
    ) -> Option<(Box<dyn Query>, Box<dyn Query>)> {
        let mut scoring = Vec::new();
        let mut present = Vec::new();
        for (n, (variant, factor)) in variants(word, self.synonyms).into_iter().enumerate() {
            if let Some((mut s, mut p)) = self.variant_queries(&variant, factor, terms) {
                // As typed, not a synonym's spelling: the word may be unfinished,
                // misspelt, or typed in pinyin.
                if n == 0 {
                    let extra = self.loose_queries(&variant, typing);
                    if !extra.scoring.is_empty() {
                        let mut all = vec![(Occur::Should, s)];
                        all.extend(extra.scoring.into_iter().map(|q| (Occur::Should, q)));
                        s = Box::new(BooleanQuery::new(all));
                    }
                    if !extra.present.is_empty() {
                        let mut all = vec![(Occur::Should, p)];
                        all.extend(extra.present.into_iter().map(|q| (Occur::Should, q)));
                        p = Box::new(BooleanQuery::new(all));
                    }
                }
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
        let mut excluded: Vec<Box<dyn Query>> = Vec::new();
        // `None` once a word has no descriptive form (the tier is then skipped).
        let mut all_described: Option<Vec<Box<dyn Query>>> = Some(Vec::new());
        let mut all_titled: Option<Vec<Box<dyn Query>>> = Some(Vec::new());
        let mut rerank: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut terms = Vec::new();
        let mut positives = 0;
        let last_positive = parsed
            .words
            .iter()
            .rposition(|w| w.occur != WordOccur::MustNot);
        let waiver = if parsed.words.iter().any(|w| w.occur == WordOccur::MustNot) {
            self.as_typed(&parsed.as_typed)
        } else {
            None
        };
        for (n, word) in parsed.words.iter().enumerate() {
            let mut ignored = Vec::new();
            let sink = if word.occur == WordOccur::MustNot {
                &mut ignored
            } else {
                &mut terms
            };
            let typing = parsed.typing && Some(n) == last_positive;
            let Some((scoring, present)) = self.word_queries(&word.text, typing, sink) else {
                continue;
            };
            match word.occur {
                WordOccur::MustNot => {
                    // A page holding the query exactly as typed, dash and all,
                    // is the page the text was copied from: never excluded.
                    let exclusion: Box<dyn Query> = match &waiver {
                        Some(w) => Box::new(BooleanQuery::new(vec![
                            (Occur::Must, present),
                            (Occur::MustNot, w.box_clone()),
                        ])),
                        None => present,
                    };
                    clauses.push((Occur::MustNot, exclusion.box_clone()));
                    excluded.push(exclusion);
                }
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
                    match (self.described(&word.text), &mut all_described) {
                        (Some(q), Some(list)) => list.push(q),
                        _ => all_described = None,
                    }
                    match (self.titled(&word.text), &mut all_titled) {
                        (Some(q), Some(list)) => list.push(q),
                        _ => all_titled = None,
                    }
                }
            }
        }
        if positives == 0 {
            // Only exclusions: show nothing rather than everything-but.
            return BuiltQuery {
                text: None,
                highlight: None,
                terms,
                complete: None,
            };
        }
        let all: Box<dyn Query> = if all_present.len() == 1 {
            all_present.pop().expect("one word")
        } else {
            Box::new(BooleanQuery::intersection(all_present))
        };
        if positives > 1 {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(all.box_clone(), ALL_WORDS_BOOST)),
            ));
            if let Some(q) = self.as_typed(&parsed.as_typed) {
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(q, AS_TYPED_TIER)),
                ));
            }
        }
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(all.box_clone(), COMPLETE_TIER)),
        ));
        if let Some(titled) = all_titled.filter(|d| !d.is_empty()) {
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::intersection(titled)),
                    TITLED_TIER,
                )),
            ));
        }
        if let Some(described) = all_described.filter(|d| !d.is_empty()) {
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::intersection(described)),
                    DESCRIBED_TIER,
                )),
            ));
        }
        let mut complete = vec![(Occur::Must, all)];
        complete.extend(excluded.into_iter().map(|q| (Occur::MustNot, q)));
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
            complete: Some(Box::new(BooleanQuery::new(complete))),
        }
    }

    /// Pages holding `word` as typed in the title.
    fn titled(&self, word: &str) -> Option<Box<dyn Query>> {
        let toks = match_tokens(word);
        let field = self.fields.title;
        let term = |t: &str| Term::from_field_text(field, t);
        match toks.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                term(&toks[0].text),
                IndexRecordOption::WithFreqs,
            ))),
            _ => {
                let first = toks[0].position;
                Some(Box::new(PhraseQuery::new_with_offset(
                    toks.iter()
                        .map(|t| (t.position - first, term(&t.text)))
                        .collect(),
                )))
            }
        }
    }

    /// Pages holding `word` as typed in a descriptive field (not the body):
    /// contiguously in title, summary, headings, keywords or typed fields, or
    /// as an exact code, tag or pinyin spelling.
    fn described(&self, word: &str) -> Option<Box<dyn Query>> {
        let toks = match_tokens(word);
        if toks.is_empty() {
            return None;
        }
        let f = self.fields;
        let mut any: Vec<Box<dyn Query>> = Vec::new();
        for field in [f.title, f.summary, f.headings, f.keywords, f.facts] {
            let term = |t: &str| Term::from_field_text(field, t);
            if toks.len() == 1 {
                any.push(Box::new(TermQuery::new(
                    term(&toks[0].text),
                    IndexRecordOption::WithFreqs,
                )));
            } else {
                let first = toks[0].position;
                any.push(Box::new(PhraseQuery::new_with_offset(
                    toks.iter()
                        .map(|t| (t.position - first, term(&t.text)))
                        .collect(),
                )));
            }
        }
        let key = code_key(word);
        if !key.is_empty() {
            // Pinyin spellings are ASCII letters only, so any other key cannot
            // be one: not looking it up changes no result, and keeps a lazily
            // read index from loading the pinyin term dictionary (the largest:
            // 171 of 368 KB at 10k articles) for Chinese words and codes.
            let spellable = key.chars().all(|c| c.is_ascii_lowercase());
            let fields = [f.code_exact, f.tag_exact, f.pinyin];
            for &field in &fields[..if spellable { 3 } else { 2 }] {
                any.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, &key),
                    IndexRecordOption::Basic,
                )));
            }
        }
        Some(Box::new(BooleanQuery::union(any)))
    }

    /// Pages holding `text` contiguously in a field with positions (the
    /// exclusion waiver); `None` for a single token, which proves nothing.
    fn as_typed(&self, text: &str) -> Option<Box<dyn Query>> {
        let toks = match_tokens(text);
        if toks.len() < 2 {
            return None;
        }
        let first = toks[0].position;
        let any = self
            .text_fields()
            .into_iter()
            .filter(|&(_, _, positional)| positional)
            .map(|(field, _, _)| {
                Box::new(PhraseQuery::new_with_offset(
                    toks.iter()
                        .map(|t| (t.position - first, Term::from_field_text(field, &t.text)))
                        .collect(),
                )) as Box<dyn Query>
            })
            .collect();
        Some(Box::new(BooleanQuery::union(any)))
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
                .flat_map(|v| crate::filters::keys(dim, v))
                .map(|key| {
                    let term = Term::from_field_text(self.fields.filter_key, &key);
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
    fn one_edit_pattern_lists_each_kind_of_edit() {
        let p = one_edit_pattern("e04");
        let alts: Vec<&str> = p.split('|').collect();
        for want in [
            "#e04", "e#04", "e04#", "#04", "e4", "e0", "0e4", "e40", "e#4",
        ] {
            let want = want.replace('#', "[0-9a-z_./\\-]");
            assert!(alts.contains(&want.as_str()), "{want} missing from {p}");
        }
        assert!(
            one_edit_pattern("xr-2").contains("xr\\-2"),
            "metacharacters escaped"
        );
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
    use crate::automata::tests::run;

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
