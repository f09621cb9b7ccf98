//! `svcbook search`: queries the index the last build wrote, with the same
//! engine the browser runs.

use std::path::{Path, PathBuf};

use serde::Serialize;
use svcbook_search::{Engine, Hit, OwnedBytes, SearchRequest, SearchResponse};

use crate::config::SiteConfig;
use crate::index::{Manifest, MANIFEST_JSON, SEARCH_DIR};

/// One `svcbook search`: what to look for, where.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The site folder (holds svcbook.toml / content/).
    pub site_dir: PathBuf,
    pub query: String,
    /// Kinds by name, folder or label; products; tags (each any of).
    pub kind: Vec<String>,
    pub product: Vec<String>,
    pub tag: Vec<String>,
    pub limit: usize,
    /// The built site, when it was built with `svcbook build -o OUT`.
    pub output: Option<PathBuf>,
    /// Count facets (the `--json` output lists them; the text output does not,
    /// and counting reads the facet column of every match).
    pub facets: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchCmdError {
    #[error("{0}")]
    Config(String),
    #[error("no search index in {dir}: build the site first with `svcbook build {site}`")]
    NoIndex { dir: PathBuf, site: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a search manifest ({source}); rebuild the site with `svcbook build {site}`"
    )]
    Manifest {
        path: PathBuf,
        source: serde_json::Error,
        site: String,
    },
    #[error("search index {path}: {source}; rebuild the site with `svcbook build {site}`")]
    Index {
        path: PathBuf,
        source: svcbook_search::SearchError,
        site: String,
    },
    #[error("search failed: {0}{hint}", hint = rebuild_hint(.0))]
    Search(#[from] svcbook_search::SearchError),
    #[error("{}", .0.iter().map(|u| u.message()).collect::<Vec<_>>().join("\n"))]
    UnknownFilter(Vec<svcbook_search::UnknownFilter>),
}

/// The `--json` form. Field names are a public interface: add, never rename.
#[derive(Debug, Serialize)]
pub struct JsonOutput<'a> {
    pub query: &'a str,
    /// Articles holding every word of the query (they come first).
    pub total: u64,
    /// Articles holding only some words, or a word only with a typo (`partial` hits).
    pub partial_total: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<&'a str>,
    pub hits: Vec<JsonHit<'a>>,
    pub facets: &'a svcbook_search::Facets,
}

#[derive(Debug, Serialize)]
pub struct JsonHit<'a> {
    pub rank: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub status: &'a str,
    /// Relative to the site root (what the page links to).
    pub url: &'a str,
    /// The built file on disk.
    pub path: String,
    /// Plain text, no markup.
    pub snippet: &'a str,
    pub products: &'a [String],
    pub error_codes: &'a [String],
    pub tags: &'a [String],
    pub score: f32,
    /// Lacks a word of the query, or holds it only with a typo.
    pub partial: bool,
    /// Up to 3 best-matching sections of the article.
    pub sections: Vec<JsonSection<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonSection<'a> {
    pub heading: &'a str,
    /// `url#anchor`: the section on the page.
    pub url: String,
    /// Plain text, no markup.
    pub snippet: &'a str,
}

/// A damaged index found mid-query (chunks are read as queries need them) is
/// fixed the way one found at opening is.
fn rebuild_hint(e: &svcbook_search::SearchError) -> &'static str {
    match e {
        svcbook_search::SearchError::Corrupt(_) => "; rebuild the site with `svcbook build`",
        _ => "",
    }
}

/// Opens the search index the last build of `site_dir` wrote (into `output`, if given).
pub fn open_index(
    site_dir: &Path,
    output: Option<&Path>,
) -> Result<(Engine, PathBuf), SearchCmdError> {
    let output_dir = match output {
        Some(dir) => dir.to_path_buf(),
        None => {
            SiteConfig::load(site_dir)
                .map_err(|d| SearchCmdError::Config(d.to_string()))?
                .output_dir
        }
    };
    let dir = output_dir.join(SEARCH_DIR);
    let site = site_dir.display().to_string();
    let manifest_path = dir.join(MANIFEST_JSON);
    if !manifest_path.is_file() {
        return Err(SearchCmdError::NoIndex { dir, site });
    }
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| SearchCmdError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let manifest: Manifest = serde_json::from_slice(&read(&manifest_path)?).map_err(|source| {
        SearchCmdError::Manifest {
            path: manifest_path.clone(),
            source,
            site: site.clone(),
        }
    })?;
    let index_path = dir.join(svcbook_search::chunks::CHUNK_DIR);
    let engine = open_chunked(&dir, manifest.index).map_err(|source| SearchCmdError::Index {
        path: index_path,
        source,
        site,
    })?;
    Ok((engine, output_dir))
}

/// Opens the chunked index in `search_dir` (a built site's `search/`) with
/// `table` (its manifest's). Chunks are read as a query needs them, as the
/// browser reads them, each mapped, decoded and checked against its name and
/// hash before use: a damaged chunk a query reads makes the query an error,
/// never a partial answer. (Decoding every chunk up front cost 53 ms a run at
/// 1k articles and grew with the index.)
pub fn open_chunked(
    search_dir: &Path,
    table: svcbook_search::chunks::ChunkTable,
) -> Result<Engine, svcbook_search::SearchError> {
    use svcbook_search::chunks::{read_chunk_script, ChunkStore, ChunkTable};
    let dir = search_dir.to_path_buf();
    let script = move |name: &str| -> Result<OwnedBytes, svcbook_search::SearchError> {
        let path = dir.join(ChunkTable::script_name(name));
        map(&path)
            .map_err(|e| svcbook_search::SearchError::Corrupt(format!("{}: {e}", path.display())))
    };
    let warm = script(&table.warm)?;
    let load = move |_, name: &str| read_chunk_script(script(name)?.as_slice(), name);
    let store = ChunkStore::new(table, Some(Box::new(load)))?;
    store.add_warm_script(warm.as_slice())?;
    Engine::open_lazy(std::sync::Arc::new(store))
}

/// Maps a chunk script rather than reading it: the page cache shares the
/// scripts between runs and nothing is copied before decoding.
fn map(path: &Path) -> std::io::Result<OwnedBytes> {
    let file = std::fs::File::open(path)?;
    // SAFETY: the map is read-only, and svcbook never changes a written file in
    // place: a build writes a staging folder and swaps it in by rename (write.rs),
    // so this inode keeps its bytes. A hand edit during the query could change
    // them under us, as for any mmap reader; each chunk is decoded and checked
    // against its hash before use.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Ok(OwnedBytes::new(map))
}

/// Kinds are a closed set: a `--kind` value that names none of them is an
/// error before any index is opened (an index may lack a kind it could have).
fn check_kinds(values: &[String], kinds: &crate::kinds::Registry) -> Result<(), SearchCmdError> {
    let fold = |s: &str| s.trim().to_lowercase();
    let unknown: Vec<svcbook_search::UnknownFilter> = values
        .iter()
        .filter(|v| {
            !kinds.all().any(|k| {
                let v = fold(v);
                v == k.name() || Some(v.as_str()) == k.folder() || v == k.label()
            })
        })
        .map(|v| svcbook_search::UnknownFilter {
            dimension: "kind".into(),
            value: v.clone(),
            valid: kinds
                .all()
                .map(|k| match k.folder() {
                    Some(folder) => format!("{} ({folder}, {})", k.name(), k.label()),
                    None => format!("{} ({})", k.name(), k.label()),
                })
                .collect(),
        })
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(SearchCmdError::UnknownFilter(unknown))
    }
}

pub fn search(args: &SearchQuery) -> Result<(SearchResponse, PathBuf), SearchCmdError> {
    // The site's own kinds count too; a site whose config cannot be read
    // is reported by `open_index` below, after the built-in check.
    let kinds = SiteConfig::load(&args.site_dir)
        .map(|c| c.kinds)
        .unwrap_or_default();
    check_kinds(&args.kind, &kinds)?;
    let (engine, output_dir) = open_index(&args.site_dir, args.output.as_deref())?;
    let req = SearchRequest {
        q: args.query.clone(),
        kind: args.kind.clone(),
        product: args.product.clone(),
        tag: args.tag.clone(),
        limit: args.limit,
        offset: 0,
        skip_facets: !args.facets,
    };
    let response = search_built_site(&engine, &output_dir, &req)?;
    if !response.unknown_filters.is_empty() {
        return Err(SearchCmdError::UnknownFilter(response.unknown_filters));
    }
    Ok((response, output_dir))
}

/// Ranks with `engine`, then cuts snippets from the fragment files of the built
/// site in `output_dir`, as the browser does.
pub fn search_built_site(
    engine: &Engine,
    output_dir: &Path,
    req: &SearchRequest,
) -> Result<SearchResponse, SearchCmdError> {
    let search_dir = output_dir.join(SEARCH_DIR);
    Ok(engine.search_with_text(req, |fragment| {
        // A missing fragment (a hand-pruned site) costs a snippet, not the search.
        std::fs::read(search_dir.join(fragment)).ok()
    })?)
}

fn disk_path(output_dir: &Path, hit: &Hit) -> String {
    output_dir.join(&hit.url).display().to_string()
}

pub fn json(response: &SearchResponse, output_dir: &Path) -> String {
    let out = JsonOutput {
        query: &response.query,
        total: response.total,
        partial_total: response.partial_total,
        did_you_mean: response.did_you_mean.as_deref(),
        facets: &response.facets,
        hits: response
            .hits
            .iter()
            .enumerate()
            .map(|(i, h)| JsonHit {
                rank: i + 1,
                id: &h.id,
                title: &h.title,
                kind: &h.kind,
                status: &h.status,
                url: &h.url,
                path: disk_path(output_dir, h),
                snippet: &h.snippet_text,
                products: &h.products,
                error_codes: &h.error_codes,
                tags: &h.tags,
                score: h.score,
                partial: h.partial,
                sections: h
                    .sections
                    .iter()
                    .map(|s| JsonSection {
                        heading: &s.heading,
                        url: format!("{}#{}", h.url, s.anchor),
                        snippet: &s.snippet_text,
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("search output serialises");
    text.push('\n');
    text
}

pub fn human(response: &SearchResponse, output_dir: &Path, color: bool) -> String {
    let (bold, dim, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    if response.hits.is_empty() {
        out.push_str(&format!("no results for \"{}\"\n", response.query));
        return out;
    }
    let partial = if response.partial_total > 0 {
        format!(" (+{} holding only some words)", response.partial_total)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} shown; {} results hold every word of \"{}\"{partial}\n",
        response.hits.len(),
        response.total,
        response.query
    ));
    if let Some(suggestion) = &response.did_you_mean {
        out.push_str(&format!("did you mean \"{suggestion}\"?\n"));
    }
    out.push('\n');
    for (i, h) in response.hits.iter().enumerate() {
        let codes: Vec<&str> = h
            .products
            .iter()
            .chain(&h.error_codes)
            .map(String::as_str)
            .collect();
        let codes = if codes.is_empty() {
            String::new()
        } else {
            format!("  {}", codes.join(" "))
        };
        let partial = if h.partial { "  (partial)" } else { "" };
        out.push_str(&format!(
            "{:>2}. {bold}{}{reset}  [{}]{codes}{partial}\n",
            i + 1,
            h.title,
            h.kind
        ));
        out.push_str(&format!("    {dim}{}{reset}\n", disk_path(output_dir, h)));
        if !h.snippet_text.is_empty() {
            out.push_str(&format!("    {}\n", h.snippet_text));
        }
        for s in &h.sections {
            out.push_str(&format!(
                "    § {} {dim}#{}{reset}\n      {}\n",
                s.heading, s.anchor, s.snippet_text
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_index_names_the_build_command() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_index(dir.path(), None).err().expect("no index yet");
        let text = err.to_string();
        assert!(text.contains("svcbook build"), "{text}");
        assert!(matches!(err, SearchCmdError::NoIndex { .. }));
    }
}
