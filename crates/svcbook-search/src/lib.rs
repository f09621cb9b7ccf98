//! svcbook's search core: schema, text analysis and query logic.
//!
//! The native indexer (`svcbook build`), the terminal search (`svcbook search`)
//! and the browser runtime (crates/svcbook-search-wasm) all use this crate, so a
//! page is analysed the same way when indexed and when searched for.
//!
//! * [`build_bundle`]: [`SearchDoc`]s → one index bundle (bytes).
//! * [`Engine::open`] + [`Engine::search`]: bundle + [`SearchRequest`] → [`SearchResponse`],
//!   ranked, with snippets from the summary;
//! * [`Engine::snippets`]: the hits' bodies (from their [`fragments`]) → body snippets.
//!   [`Engine::search_with_text`] does both for hosts that can read fragments at once.
//! * [`LiveIndex`]: a bundle opened for patching one article at a time (`svcbook serve`).

pub mod analyzer;
pub mod automata;
pub mod bundle;
pub mod chunks;
pub mod engine;
mod filters;
pub mod fragments;
pub mod live;
pub mod query;
pub mod schema;
pub mod snippet;
mod suggest;
mod t2s;
mod writer;

use serde::{Deserialize, Deserializer, Serialize};

pub use bundle::content_hash;
pub use engine::{escape_html, Counts, Engine};
pub use filters::keys as filter_keys;
pub use fragments::Fragment;
pub use live::LiveIndex;
pub use tantivy::directory::OwnedBytes;
pub use writer::{build_bundle, build_bundle_streamed, Bundle, DOCS_PER_SEGMENT};

/// Bumped when the bundle layout or schema changes; readers refuse other versions.
pub const BUNDLE_VERSION: u32 = 5;

/// One article as the search index sees it. Built by `svcbook::index` from a validated article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchDoc {
    /// Stable article id, e.g. `FC-0012`.
    pub id: String,
    /// URL relative to the site root, e.g. `fault-cases/FC-0012.html`.
    pub url: String,
    pub title: String,
    /// The kind's name from the site's kind registry (`fault_case`, `procedure`,
    /// `script`, `playbook`, `standard`, `faq`, `page`, or one the site declares).
    pub kind: String,
    /// `published`, `review`, `draft` or `archived`.
    pub status: String,
    pub summary: String,
    /// Plain text of the body (Markdown already stripped), paragraphs separated by newlines.
    pub body: String,
    pub headings: Vec<String>,
    pub products: Vec<String>,
    pub error_codes: Vec<String>,
    pub tags: Vec<String>,
    /// Typed front-matter text people search by: symptoms, parts, tools, safety
    /// notes, scenario, complaint type, escalation targets, SLA metrics.
    pub facts: Vec<String>,
    /// Other names the kind answers to in a `kind:` filter: its folder and its
    /// label in the UI (`fault-cases`, `故障案例`). The kind id always works.
    pub kind_aliases: Vec<String>,
    /// Pinyin spellings (full syllables and initials) of the Chinese phrases of
    /// the title, tags, headings and facts, made by the native indexer so the
    /// browser needs no dictionary: `buzhileng`, `bzl`.
    pub pinyin: Vec<String>,
    /// The body's sections, in order: where each starts in `body`.
    pub sections: Vec<Section>,
}

/// One section of an article's body: the heading, its anchor on the page and
/// the byte offset in [`SearchDoc::body`] where the heading's line starts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Section {
    pub heading: String,
    pub anchor: String,
    pub start: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index bundle: {0}")]
    Bundle(String),
    #[error(
        "index bundle version {found}, this svcbook reads version {expected}; rebuild the site"
    )]
    Version { found: u32, expected: u32 },
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    OpenRead(#[from] tantivy::directory::error::OpenReadError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("request: {0}")]
    Request(String),
    /// A lazily read index lacks these chunks (numbers in its chunk table):
    /// fetch them, add them to the store and ask again.
    #[error("index chunks not loaded yet: {0:?}")]
    NeedChunks(Vec<usize>),
    /// A damaged index file (checksum mismatch, bad encoding).
    #[error("damaged search index: {0}")]
    Corrupt(String),
}

/// What a bundle says about itself, beyond the tantivy files.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BundleMeta {
    pub version: u32,
    pub docs: u64,
    /// Synonym groups from the site config, applied at query time.
    pub synonyms: Vec<Vec<String>>,
}

/// A search, as the JS API and `svcbook search` send it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SearchRequest {
    pub q: String,
    /// Facet filters: a string or a list of strings (any of them).
    #[serde(deserialize_with = "one_or_many")]
    pub kind: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub product: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub tag: Vec<String>,
    /// Hits to return; 0 means the default (10), at most 100.
    pub limit: usize,
    pub offset: usize,
    /// Leave the facet counts out (`facets` comes back empty). The search box
    /// asks for them only while its filter panel is open:
    /// counting reads the facet column of every matching article, which a
    /// lazily read index would otherwise download with the first query (at
    /// 50k articles 340 KB, 280 KB gzip).
    pub skip_facets: bool,
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        None(()),
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::None(()) => Vec::new(),
        OneOrMany::One(s) if s.is_empty() => Vec::new(),
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v.into_iter().filter(|s| !s.is_empty()).collect(),
    })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchResponse {
    pub query: String,
    /// Documents holding every word of the query (as typed, or as the start of
    /// the word being typed), before `limit`. They come first.
    pub total: u64,
    /// Documents holding only some of the words, or a word only with a typo
    /// corrected; they follow the complete matches, marked [`Hit::partial`].
    pub partial_total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Filter values that match no facet value of the index; the search then
    /// returns nothing. Each lists the values that would work.
    pub unknown_filters: Vec<UnknownFilter>,
    /// A respelling of the query from the index's own codes and terms, when
    /// nothing holds every word as typed.
    pub did_you_mean: Option<String>,
}

/// A filter value no article has, with the valid ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UnknownFilter {
    /// `kind`, `product` or `tag`.
    pub dimension: String,
    pub value: String,
    pub valid: Vec<String>,
}

impl UnknownFilter {
    /// `unknown kind `bogus`; valid: fault_case (故障案例, fault-cases), …`
    pub fn message(&self) -> String {
        format!(
            "unknown {} `{}`; valid: {}",
            self.dimension,
            self.value,
            self.valid.join(", ")
        )
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Facets {
    pub kind: Counts,
    pub product: Counts,
    pub tag: Counts,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Hit {
    pub id: String,
    /// Relative to the site root.
    pub url: String,
    /// Plain text: insert with `textContent`.
    pub title: String,
    /// Escaped HTML whose only tags are `<mark>`.
    pub title_html: String,
    pub kind: String,
    pub status: String,
    /// Escaped HTML whose only tags are `<mark>`.
    pub snippet: String,
    /// The same snippet as plain text.
    pub snippet_text: String,
    pub products: Vec<String>,
    pub error_codes: Vec<String>,
    pub tags: Vec<String>,
    /// The article's summary (plain text).
    pub summary: String,
    /// The fragment file (relative to the search folder) holding the body text
    /// that [`Engine::snippets`] turns into `snippet`; until then the snippet
    /// comes from the summary.
    pub fragment: String,
    pub score: f32,
    /// The hit lacks a word of the query (or holds it only with a typo):
    /// it is one of [`SearchResponse::partial_total`], not of `total`.
    pub partial: bool,
    /// Up to 3 sections of the body that best match the query, best first.
    /// Filled with the body snippets ([`Engine::snippets`]).
    pub sections: Vec<SectionHit>,
}

/// A section of a hit that matches the query.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SectionHit {
    /// Plain text.
    pub heading: String,
    /// The heading's id on the page: link to `url#anchor`.
    pub anchor: String,
    /// Escaped HTML whose only tags are `<mark>`.
    pub snippet: String,
    /// The same snippet as plain text.
    pub snippet_text: String,
}

#[cfg(test)]
mod tests;
