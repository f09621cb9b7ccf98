//! svcbook: turns an after-sales service knowledge base written in Markdown into a static site.

pub mod config;
pub mod diagnostics;
pub mod output;
pub mod index;
pub mod search_cmd;
pub mod frontmatter;
pub mod model;
pub mod load;
pub mod fields;
pub mod article;
pub mod urls;
pub mod markdown;
pub mod validate;
pub mod theme;
pub mod render;
pub mod write;
pub mod pipeline;
