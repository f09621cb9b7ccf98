//! The index schema, one definition for the writer and every reader.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

use crate::analyzer::{
    CharTokenizer, CodeTokenizer, ZhTokenizer, CHAR_TOKENIZER, CODE_TOKENIZER, ZH_TOKENIZER,
};

/// Handles to every field, resolved once per index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub url: Field,
    pub kind: Field,
    pub status: Field,
    pub title: Field,
    pub summary: Field,
    /// Indexed with positions (so a remembered fragment is found as a phrase,
    /// not as scattered bigrams) but not stored: the text itself lives in
    /// fragment files ([`crate::fragments`]).
    pub body: Field,
    pub headings: Field,
    /// Error codes, model codes and tags as full text, so `200` finds `XR-200`.
    pub keywords: Field,
    /// Error and model codes as exact [`crate::analyzer::code_key`]s.
    pub code_exact: Field,
    /// Tags as exact keys.
    pub tag_exact: Field,
    /// Codes whose numbers have leading zeros, without them (`e4` for `E04`):
    /// apart from [`Fields::code_exact`] so typo matching never starts from them.
    pub code_unpadded: Field,
    /// Typed front-matter text (symptoms, parts, tools, safety notes, …), with positions.
    pub facts: Field,
    /// Pinyin spellings made at build time, one exact term each (`buzhileng`, `bzl`).
    pub pinyin: Field,
    /// `dimension=value` keys, lowercased, that the filters look up: every facet
    /// value plus the kind's aliases (`kind=故障案例`, `kind=fault-cases`).
    pub filter_key: Field,
    /// Stored only: the kind's aliases, to list them when a filter value is unknown.
    pub kind_aliases: Field,
    /// Stored only: the body's sections as `start\tanchor\theading`.
    pub sections: Field,
    /// Title, summary, headings and body as single characters: recall fallback.
    pub chars: Field,
    /// `/kind/…`, `/product/…`, `/tag/…`, `/status/…`.
    pub facets: Field,
    /// Stored only, for display.
    pub products: Field,
    pub error_codes: Field,
    pub tags: Field,
    /// Stored only: the fragment file holding the article's body.
    pub fragment: Field,
    /// Fast field, 1 for archived articles: ranking puts them last in the same pass.
    pub archived: Field,
}

/// Name of the [`Fields::archived`] fast field.
pub const ARCHIVED_FIELD: &str = "archived";

fn zh_text(stored: bool) -> TextOptions {
    // Positions are what make phrase queries (and so fragment search) possible.
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ZH_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// Body text: bigrams with positions, not stored. Without positions, "every
/// bigram of the fragment somewhere in the page" stood in for contiguity, and
/// a long page scattering the bigrams outranked the page holding the fragment
/// (issue 14). The positions cost disk; with a lazily fetched index a query
/// reads only the positions of its own terms.
fn body_text() -> TextOptions {
    zh_text(false)
}

fn chars_text() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(CHAR_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqs);
    TextOptions::default().set_indexing_options(indexing)
}

fn exact_text() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(CODE_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqs);
    TextOptions::default().set_indexing_options(indexing)
}

pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("url", STRING | STORED);
    b.add_text_field("kind", STRING | STORED);
    b.add_text_field("status", STRING | STORED);
    b.add_text_field("title", zh_text(true));
    b.add_text_field("summary", zh_text(true));
    b.add_text_field("body", body_text());
    b.add_text_field("headings", zh_text(false));
    b.add_text_field("keywords", zh_text(false));
    b.add_text_field("code_exact", exact_text());
    b.add_text_field("tag_exact", exact_text());
    b.add_text_field("chars", chars_text());
    b.add_text_field("code_unpadded", exact_text());
    b.add_text_field("facts", zh_text(false));
    b.add_text_field("pinyin", exact_text());
    b.add_text_field("filter_key", STRING);
    b.add_text_field("kind_aliases", STORED);
    b.add_text_field("sections", STORED);
    b.add_facet_field("facets", FacetOptions::default());
    b.add_text_field("products", STORED);
    b.add_text_field("error_codes", STORED);
    b.add_text_field("tags", STORED);
    b.add_text_field("fragment", STORED);
    b.add_u64_field(ARCHIVED_FIELD, FAST);
    b.build()
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            url: f("url")?,
            kind: f("kind")?,
            status: f("status")?,
            title: f("title")?,
            summary: f("summary")?,
            body: f("body")?,
            headings: f("headings")?,
            keywords: f("keywords")?,
            code_exact: f("code_exact")?,
            tag_exact: f("tag_exact")?,
            chars: f("chars")?,
            code_unpadded: f("code_unpadded")?,
            facts: f("facts")?,
            pinyin: f("pinyin")?,
            filter_key: f("filter_key")?,
            kind_aliases: f("kind_aliases")?,
            sections: f("sections")?,
            facets: f("facets")?,
            products: f("products")?,
            error_codes: f("error_codes")?,
            tags: f("tags")?,
            fragment: f("fragment")?,
            archived: f(ARCHIVED_FIELD)?,
        })
    }
}

/// Tokenizers are not stored in the index: every opener must register them,
/// which is what makes index-time and query-time analysis the same code.
pub fn register_tokenizers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(ZH_TOKENIZER, TextAnalyzer::from(ZhTokenizer::default()));
    manager.register(CODE_TOKENIZER, TextAnalyzer::from(CodeTokenizer::default()));
    manager.register(CHAR_TOKENIZER, TextAnalyzer::from(CharTokenizer::default()));
}
