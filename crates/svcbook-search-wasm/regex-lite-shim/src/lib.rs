//! `regex` for svcbook's browser search runtime, served by `regex-lite`.
//!
//! tantivy links the full `regex` crate (≈ 170 KB of gzipped wasm: Unicode
//! tables, DFAs, literal optimisers) although the search path reaches it only
//! through `Facet`'s `Display` (`escape_slashes`, the pattern `[\\/]`), which
//! every `dyn Query` vtable keeps alive via `Debug`. `regex-lite`, by the same
//! authors, is a complete regex engine with the same API (`Regex::new`, `find`,
//! `replace_all`, `escape`, `Match`, `Error`), without Unicode classes and
//! without the speed work; every pattern tantivy builds (`[\\/]`, escaped
//! globs with `.*`) means the same under both. So nothing here is stubbed:
//! this crate only renames.
pub use regex_lite::*;
