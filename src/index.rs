//! Stage 4 — index: turns the validated articles into the search files written into the site.
//!
//! (Placeholder: the search index lands with the search issue. The signature is
//! the contract the pipeline codes against.)

use svcbook_search::SearchDoc;

use crate::config::SiteConfig;
use crate::output::OutputFile;

/// Everything the search feature adds to the built site.
#[derive(Debug, Default)]
pub struct SearchOutput {
    pub files: Vec<OutputFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Build(String),
}

/// Builds the search index over `docs` (one per built article, drafts excluded
/// unless the build includes them) and returns the files to write.
pub fn index(docs: Vec<SearchDoc>, config: &SiteConfig) -> Result<SearchOutput, IndexError> {
    let _ = (docs, config);
    Ok(SearchOutput::default())
}
