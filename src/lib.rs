//! svcbook: turns an after-sales service knowledge base written in Markdown into a static site.
//!
//! The build is a pipeline of stages, one module each, every stage a function of
//! the previous one's output: [`load`] → [`validate`] → [`render`] → [`index`] →
//! [`write`], sequenced by [`pipeline`]. The CLI (`main.rs`) is a thin layer over it.

// A `Diagnostic` is a few hundred bytes; it is only ever returned on the cold
// error path, where boxing would buy nothing but noise.
#![allow(clippy::result_large_err)]

pub mod access;
pub mod article;
pub mod changes;
pub mod check;
pub mod config;
pub mod diagnostics;
pub mod fields;
pub mod frontmatter;
pub mod index;
pub mod kinds;
pub mod learning_paths;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod offline;
pub mod output;
pub mod pagination;
pub mod pinyin;
pub mod pipeline;
pub mod render;
pub mod review;
pub mod routes;
pub mod scaffold;
pub mod search_cmd;
pub mod sections;
pub mod serve;
pub mod site;
pub mod svg;
pub mod theme;
pub mod time_limits;
pub mod urls;
pub mod validate;
pub mod write;
