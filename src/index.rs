//! Stage 4 — index: turns the validated articles into the search files written into the site.
//!
//! Everything lands under `search/` in the output:
//! * `index/<id>-<n>.js` — the index bundle (see `svcbook_search::bundle`) cut
//!   into 4 KiB chunks, each a script holding its bytes in base64 and their
//!   hash, named by the bundle and position, plus the *warm* file (the ranges every query reads); the
//!   browser loads only the chunks a query touches (see `svcbook_search::chunks`).
//!   Scripts, because browsers refuse `fetch` on `file://` but do run
//!   `<script>`, and static hosts gzip `.js`: one copy serves both.
//! * `svcbook-search.<hash>.wasm` — the browser runtime, compiled by build.rs,
//!   and `svcbook-search.<hash>.js`, the same bytes as base64 for `file://`;
//! * `manifest.js` / `manifest.json` — the fixed-name pointers to the hashed files
//!   and the chunk table, for the page (as a script, so it loads on `file://`
//!   too) and for `svcbook search`;
//! * `text/<n>.<hash>.js` — the article bodies, a few per file, fetched only for
//!   the hits a query shows (see `svcbook_search::fragments`).
//!
//! Hashed names let a server cache the big files forever; only the
//! manifest is re-read after a rebuild.

use serde::{Deserialize, Serialize};
use svcbook_search::chunks::{chunk_index, ChunkTable};
use svcbook_search::{
    build_bundle_streamed, content_hash, Fragment, SearchDoc, SearchError, Section,
};

use crate::config::SiteConfig;
use crate::model::Article;
use crate::output::{OutputFile, Sink};
use crate::validate::Page;
use crate::write::WriteError;

/// The browser search runtime, built from crates/svcbook-search-wasm by build.rs.
pub const SEARCH_WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/svcbook_search.wasm"));

/// Folder of the output that holds the search files.
pub const SEARCH_DIR: &str = "search";
/// Fixed-name manifest `svcbook search` reads.
pub const MANIFEST_JSON: &str = "manifest.json";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Search(#[from] SearchError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Names of the hashed search files, relative to `search/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub docs: usize,
    /// How the index bundle is cut into chunk scripts (`index/<hash>.js`).
    pub index: ChunkTable,
    pub wasm: String,
    pub wasm_js: String,
    /// Every kind's label by name, from the kind registry: the search script
    /// shows them on results and facets.
    #[serde(default)]
    pub kinds: std::collections::BTreeMap<String, String>,
}

/// Indexes `pages` (every built article: drafts only when the build includes
/// them) and hands the search files to `sink`: the fragment files as each
/// segment makes them, then the bundle, the runtime and the manifests.
pub fn index(pages: &[Page], config: &SiteConfig, sink: &dyn Sink) -> Result<(), IndexError> {
    let bundle = build_bundle_streamed(
        pages.len(),
        &config.search.synonym_groups(),
        |range| pages[range].iter().map(search_doc).collect(),
        |_, fragment: Fragment| {
            sink.put(OutputFile::new(
                format!("{SEARCH_DIR}/{}", fragment.name),
                fragment.bytes,
            ))
            .map_err(IndexError::from)
        },
    )?;
    let kinds = config
        .kinds
        .labels()
        .into_iter()
        .map(|(name, label)| (name.to_string(), label.to_string()))
        .collect();
    for file in search_files(bundle, SEARCH_WASM, pages.len(), kinds)? {
        sink.put(file)?;
    }
    Ok(())
}

/// What the search index sees of a page.
pub fn search_doc(page: &Page) -> SearchDoc {
    let a = &page.article;
    SearchDoc {
        id: a.id.clone(),
        url: a.url.clone(),
        title: a.title.clone(),
        kind: a.kind.name().to_string(),
        status: crate::model::Choice::name(a.status).to_string(),
        summary: a.summary.clone(),
        body: page.text.clone(),
        headings: page.toc.iter().map(|t| t.title.clone()).collect(),
        products: a.products.clone(),
        error_codes: a.fields.error_codes().to_vec(),
        tags: a.tags.clone(),
        facts: facts(a),
        kind_aliases: a
            .kind
            .folder()
            .into_iter()
            .chain([a.kind.label()])
            .map(str::to_string)
            .collect(),
        pinyin: crate::pinyin::spellings(
            std::iter::once(a.title.as_str())
                .chain(a.tags.iter().map(String::as_str))
                .chain(page.toc.iter().map(|t| t.title.as_str()))
                .chain(a.products.iter().map(String::as_str)),
        ),
        sections: sections(&page.text, &page.toc),
    }
}

/// The typed front-matter values people search by, as text: the fields its
/// kind's registry entry marks as searched, in the kind's order.
fn facts(a: &Article) -> Vec<String> {
    a.kind
        .spec()
        .fields
        .iter()
        .filter(|f| f.searched)
        .filter_map(|f| a.fields.get(f.key))
        .flat_map(|v| v.texts())
        .collect()
}

/// Where each heading of the table of contents starts in the body's plain
/// text: the renderer writes a heading's words on a line of their own, in
/// order, so each is found at a line start after the previous one.
fn sections(text: &str, toc: &[crate::markdown::TocEntry]) -> Vec<Section> {
    let mut out = Vec::new();
    let mut from = 0;
    for entry in toc {
        let title = entry.title.trim();
        if title.is_empty() {
            continue;
        }
        let mut at = from;
        let found = loop {
            let Some(i) = text[at..].find(title) else {
                break None;
            };
            let start = at + i;
            if start == 0 || text[..start].ends_with('\n') {
                break Some(start);
            }
            at = start + title.len();
        };
        if let Some(start) = found {
            out.push(Section {
                heading: title.to_string(),
                anchor: entry.id.clone(),
                start,
            });
            from = start + title.len();
        }
    }
    out
}

/// The files for a bundle and a runtime; split from [`index`] for tests. The
/// bundle is moved in and freed once cut: at 50k articles it is ~70 MB.
pub fn search_files(
    bundle: Vec<u8>,
    wasm: &[u8],
    docs: usize,
    kinds: std::collections::BTreeMap<String, String>,
) -> Result<Vec<OutputFile>, SearchError> {
    let (table, chunks) = index_files(bundle)?;
    let wasm_hash = content_hash(wasm);
    let manifest = Manifest {
        version: svcbook_search::BUNDLE_VERSION,
        docs,
        index: table,
        wasm: format!("svcbook-search.{wasm_hash}.wasm"),
        wasm_js: format!("svcbook-search.{wasm_hash}.js"),
        kinds,
    };
    let at = |name: &str| format!("{SEARCH_DIR}/{name}");
    let mut files = chunks;
    files.push(OutputFile::new(
        at(&manifest.wasm_js),
        script_form(&manifest.wasm, wasm),
    ));
    files.push(OutputFile::new(at(&manifest.wasm), wasm.to_vec()));
    files.extend(manifest_files(&manifest));
    Ok(files)
}

/// The chunk table of `bundle` and its chunk and warm scripts (paths in the output).
pub fn index_files(bundle: Vec<u8>) -> Result<(ChunkTable, Vec<OutputFile>), SearchError> {
    let chunked = chunk_index(bundle)?;
    let files = chunked
        .files
        .into_iter()
        .map(|(name, bytes)| OutputFile::new(format!("{SEARCH_DIR}/{name}"), bytes))
        .collect();
    Ok((chunked.table, files))
}

/// `manifest.js` and `manifest.json` for `manifest`.
pub fn manifest_files(manifest: &Manifest) -> [OutputFile; 2] {
    let json = serde_json::to_string(manifest).expect("manifest serialises");
    [
        OutputFile::new(
            format!("{SEARCH_DIR}/manifest.js"),
            format!("self.svcbookSearchManifest={json};\n"),
        ),
        OutputFile::new(format!("{SEARCH_DIR}/{MANIFEST_JSON}"), json),
    ]
}

/// `bytes` as a script that files them under `name` in `self.svcbookSearchData`.
pub(crate) fn script_form(name: &str, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 96);
    out.push_str("(self.svcbookSearchData=self.svcbookSearchData||{})[");
    out.push_str(&serde_json::to_string(name).expect("string serialises"));
    out.push_str("]=\"");
    base64_into(bytes, &mut out);
    out.push_str("\";\n");
    out
}

use svcbook_search::chunks::base64_into;

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        let mut s = String::new();
        base64_into(bytes, &mut s);
        s
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(b64(input), expected);
        }
        assert_eq!(b64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    fn bundle(title: &str) -> Vec<u8> {
        let doc = SearchDoc {
            id: "FC-1".into(),
            url: "a.html".into(),
            title: title.into(),
            kind: "fault_case".into(),
            status: "published".into(),
            ..SearchDoc::default()
        };
        svcbook_search::build_bundle(&[doc], &[]).unwrap().index
    }

    #[test]
    fn files_are_under_search_and_named_by_content() {
        let files = search_files(bundle("压缩机"), b"\0asm", 1, Default::default()).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| n.starts_with("search/")), "{names:?}");
        let manifest: Manifest = serde_json::from_slice(&files.last().unwrap().bytes).unwrap();
        let other = search_files(bundle("电机"), b"\0asm", 1, Default::default()).unwrap();
        let other_manifest: Manifest =
            serde_json::from_slice(&other.last().unwrap().bytes).unwrap();
        assert_ne!(
            manifest.index, other_manifest.index,
            "chunks follow content"
        );
        assert_eq!(
            manifest.wasm, other_manifest.wasm,
            "same runtime, same name"
        );
        // Every chunk and the warm file is written under its name, as a script
        // that decodes back to the chunk.
        let table = &manifest.index;
        for name in table.names() {
            let path = format!("search/{}", ChunkTable::script_name(&name));
            let file = files.iter().find(|f| f.path.to_string_lossy() == path);
            let file = file.unwrap_or_else(|| panic!("{path} missing from {names:?}"));
            svcbook_search::chunks::read_chunk_script(&file.bytes, &name).unwrap();
        }
        // No whole-index copy beside the chunks.
        assert!(!names.iter().any(|n| n.ends_with(".bin")), "{names:?}");
    }

    #[test]
    fn embedded_runtime_is_wasm() {
        assert_eq!(
            &SEARCH_WASM[..4],
            b"\0asm",
            "build.rs must embed a wasm module"
        );
    }
}
