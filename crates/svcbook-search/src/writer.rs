//! Build time: documents in, one index bundle out.

use std::path::Path;

use tantivy::directory::{Directory, RamDirectory};
use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexSettings, IndexWriter, TantivyDocument};

use crate::bundle::{self, META_ENTRY};
use crate::fragments::{self, Fragment};
use crate::schema::{build_schema, register_tokenizers, Fields};
use crate::{BundleMeta, SearchDoc, SearchError, BUNDLE_VERSION};

/// Segment id written into every bundle in place of tantivy's random one, so the
/// same articles always give the same bytes (and so the same content-hashed file
/// name, which keeps browser caches valid across rebuilds).
const FIXED_SEGMENT_ID: &str = "5eac5b00c0de4b0bb0a0d1e5ea2c4000";

/// What the indexer writes: the index bundle and the fragment files it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// `search/index.<hash>.bin`: everything a query needs to rank.
    pub index: Vec<u8>,
    /// Article bodies for snippets, fetched per hit (names relative to `search/`).
    pub fragments: Vec<Fragment>,
}

impl Bundle {
    /// The fragment file called `name`, for hosts that keep them in memory (tests).
    pub fn fragment(&self, name: &str) -> Option<&[u8]> {
        self.fragments
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.bytes.as_slice())
    }
}

/// Indexes `docs` into a single segment and returns the bundle and its fragments.
pub fn build_bundle(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Result<Bundle, SearchError> {
    let (fragments, fragment_names) = fragments::build(docs);
    let schema = build_schema();
    let f = Fields::new(&schema)?;
    let settings = IndexSettings {
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    };
    // Our own handle on the RAM directory: tantivy's ManagedDirectory strips each
    // file's footer on read, and the bundle needs the files exactly as stored.
    let ram = RamDirectory::create();
    let index = Index::create(ram.clone(), schema, settings)?;
    register_tokenizers(&index);
    // One thread and a budget no knowledge base reaches: the writer then produces
    // exactly one segment, so there is nothing to merge.
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 200_000_000)?;
    for (d, fragment) in docs.iter().zip(&fragment_names) {
        writer.add_document(to_tantivy(&f, d, fragment))?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;

    let index_meta = index.load_metas()?;
    let dir = &ram;
    let rename = match index_meta.segments.as_slice() {
        [only] => Some(only.id().uuid_string()),
        _ => None,
    };
    // tantivy's own list covers plugin files only; add the core components by name.
    let mut candidates = index_meta.list_segment_files();
    for seg in &index_meta.segments {
        for ext in ["idx", "pos", "term", "store", "fast", "fieldnorm"] {
            candidates.insert(format!("{}.{ext}", seg.id().uuid_string()).into());
        }
    }
    let mut files: Vec<std::path::PathBuf> = candidates
        .into_iter()
        .filter(|p| dir.exists(p).unwrap_or(false))
        .collect();
    files.sort();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for path in files {
        let bytes = dir.open_read(&path)?.read_bytes()?.as_slice().to_vec();
        let mut name = path_name(&path);
        if let Some(old) = &rename {
            name = name.replace(old.as_str(), FIXED_SEGMENT_ID);
        }
        entries.push((name, bytes));
    }
    let mut meta_json = String::from_utf8(dir.atomic_read(Path::new("meta.json"))?)
        .map_err(|_| SearchError::Bundle("meta.json is not UTF-8".into()))?;
    if let Some(old) = &rename {
        // meta.json spells the id hyphenated, file names without hyphens.
        meta_json = meta_json.replace(&hyphenated(old), &hyphenated(FIXED_SEGMENT_ID));
    }
    entries.push(("meta.json".to_string(), meta_json.into_bytes()));
    let meta = BundleMeta {
        version: BUNDLE_VERSION,
        docs: docs.len() as u64,
        synonyms: synonyms.to_vec(),
    };
    entries.push((
        META_ENTRY.to_string(),
        serde_json::to_vec(&meta).map_err(|e| SearchError::Bundle(e.to_string()))?,
    ));
    Ok(Bundle {
        index: bundle::pack(&entries),
        fragments,
    })
}

fn hyphenated(simple: &str) -> String {
    let s = simple;
    if s.len() != 32 {
        return s.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &s[..8],
        &s[8..12],
        &s[12..16],
        &s[16..20],
        &s[20..]
    )
}

fn path_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn to_tantivy(f: &Fields, d: &SearchDoc, fragment: &str) -> TantivyDocument {
    let mut doc = doc!(
        f.id => d.id.as_str(),
        f.url => d.url.as_str(),
        f.kind => d.kind.as_str(),
        f.status => d.status.as_str(),
        f.title => d.title.as_str(),
        f.summary => d.summary.as_str(),
        f.body => d.body.as_str(),
        f.fragment => fragment,
    );
    doc.add_facet(f.facets, Facet::from_path(["kind", d.kind.as_str()]));
    doc.add_facet(f.facets, Facet::from_path(["status", d.status.as_str()]));
    for h in &d.headings {
        doc.add_text(f.headings, h);
    }
    for text in [&d.title, &d.summary, &d.body] {
        doc.add_text(f.chars, text);
    }
    for p in &d.products {
        doc.add_text(f.products, p);
        doc.add_text(f.keywords, p);
        doc.add_text(f.code_exact, p);
        doc.add_facet(f.facets, Facet::from_path(["product", p.as_str()]));
    }
    for c in &d.error_codes {
        doc.add_text(f.error_codes, c);
        doc.add_text(f.keywords, c);
        doc.add_text(f.code_exact, c);
    }
    for t in &d.tags {
        doc.add_text(f.tags, t);
        doc.add_text(f.keywords, t);
        doc.add_text(f.tag_exact, t);
        doc.add_facet(f.facets, Facet::from_path(["tag", t.as_str()]));
    }
    doc
}
