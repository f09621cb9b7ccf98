//! svcbook's search core (stub: the schema, analyzer and query logic land here).
//!
//! The interface the site pipeline codes against: it hands over one [`SearchDoc`]
//! per article and gets back an index bundle to write into the site.

use serde::{Deserialize, Serialize};

/// One article as the search index sees it. Built by `svcbook::index` from a validated article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchDoc {
    /// Stable article id, e.g. `FC-0012`.
    pub id: String,
    /// URL relative to the site root, e.g. `fault-cases/FC-0012.html`.
    pub url: String,
    pub title: String,
    /// `fault_case`, `procedure`, `script`, `playbook`, `standard` or `page`.
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
}
