//! svcbook: turns an after-sales service knowledge base written in Markdown into a static site.

pub mod config;
pub mod diagnostics;
pub mod output;
pub mod index;
pub mod search_cmd;
