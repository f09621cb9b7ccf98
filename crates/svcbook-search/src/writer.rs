//! Build time: documents in, one index bundle out.

use std::path::Path;

use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexSettings, IndexWriter, TantivyDocument};

use crate::bundle::{self, META_ENTRY};
use crate::schema::{build_schema, register_tokenizers, Fields};
use crate::{BundleMeta, SearchDoc, SearchError, BUNDLE_VERSION};

/// Segment id written into every bundle in place of tantivy's random one, so the
/// same articles always give the same bytes (and so the same content-hashed file
/// name, which keeps browser caches valid across rebuilds).
const FIXED_SEGMENT_ID: &str = "5eac5b00c0de4b0bb0a0d1e5ea2c4000";

/// Indexes `docs` into a single merged segment and returns the bundle bytes.
pub fn build_bundle(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Result<Vec<u8>, SearchError> {
    let schema = build_schema();
    let f = Fields::new(&schema)?;
    let settings = IndexSettings { docstore_compress_dedicated_thread: false, ..IndexSettings::default() };
    let index = Index::builder().schema(schema).settings(settings).create_in_ram()?;
    register_tokenizers(&index);
    // One thread and a budget no knowledge base reaches: the writer then produces
    // exactly one segment, so there is nothing to merge.
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 200_000_000)?;
    for d in docs {
        writer.add_document(to_tantivy(&f, d))?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;

    let metas = index.searchable_segment_metas()?;
    let dir = index.directory();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut rename: Option<String> = None;
    for meta in &metas {
        let id = meta.id().uuid_string();
        if metas.len() == 1 {
            rename = Some(id.clone());
        }
        let mut files: Vec<_> = meta.list_files().into_iter().filter(|p| dir.exists(p).unwrap_or(false)).collect();
        files.sort();
        for path in files {
            let bytes = dir.open_read(&path)?.read_bytes()?.as_slice().to_vec();
            let mut name = path_name(&path);
            if let Some(old) = &rename {
                name = name.replace(old.as_str(), FIXED_SEGMENT_ID);
            }
            entries.push((name, bytes));
        }
    }
    let mut meta_json = String::from_utf8(dir.atomic_read(Path::new("meta.json"))?)
        .map_err(|_| SearchError::Bundle("meta.json is not UTF-8".into()))?;
    if let Some(old) = &rename {
        meta_json = meta_json.replace(old.as_str(), FIXED_SEGMENT_ID);
    }
    entries.push(("meta.json".to_string(), meta_json.into_bytes()));
    let meta = BundleMeta { version: BUNDLE_VERSION, docs: docs.len() as u64, synonyms: synonyms.to_vec() };
    entries.push((META_ENTRY.to_string(), serde_json::to_vec(&meta).map_err(|e| SearchError::Bundle(e.to_string()))?));
    Ok(bundle::pack(&entries))
}

fn path_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn to_tantivy(f: &Fields, d: &SearchDoc) -> TantivyDocument {
    let mut doc = doc!(
        f.id => d.id.as_str(),
        f.url => d.url.as_str(),
        f.kind => d.kind.as_str(),
        f.status => d.status.as_str(),
        f.title => d.title.as_str(),
        f.summary => d.summary.as_str(),
        f.body => d.body.as_str(),
    );
    doc.add_facet(f.facets, Facet::from_path(["kind", d.kind.as_str()]));
    doc.add_facet(f.facets, Facet::from_path(["status", d.status.as_str()]));
    for h in &d.headings {
        doc.add_text(f.headings, h);
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
