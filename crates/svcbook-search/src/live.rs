//! Serve time: an index kept open and patched one article at a time.
//!
//! `svcbook serve` rebuilt the whole index after every edit (seconds at 10k
//! articles). A [`LiveIndex`] instead opens the bundle the last full build
//! made and, for an edited article, deletes its document by id and adds the new
//! one: tantivy writes a one-document segment and a delete bitset for the old
//! segment, and [`LiveIndex::bundle`] packs the result into the same bundle
//! layout [`crate::Engine`] opens. Nothing is ever merged, so the untouched
//! segments keep their bytes and each edit costs one tiny segment.
//!
//! The result is not byte-identical to what a full build of the same articles
//! would give (more segments; BM25 statistics still count the deleted copy
//! until the next full build), which is fine for a preview: serve's next full
//! rebuild replaces it.

use std::path::Path;

use tantivy::directory::{Directory, OwnedBytes, RamDirectory};
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::bundle::{self, META_ENTRY};
use crate::fragments::{self, Fragment};
use crate::schema::{register_tokenizers, Fields};
use crate::writer::{segment_files, to_tantivy};
use crate::{BundleMeta, SearchDoc, SearchError};

/// The writer's arena: tantivy's minimum, far more than one article needs.
const WRITER_BUDGET: usize = 15_000_000;

pub struct LiveIndex {
    /// Our own handle on the files: the index's `ManagedDirectory` strips
    /// footers on read, and the bundle carries files exactly as stored.
    ram: RamDirectory,
    index: Index,
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
    meta: BundleMeta,
}

impl LiveIndex {
    /// Opens a bundle made by [`crate::build_bundle`] (or by [`LiveIndex::bundle`]) for patching.
    pub fn from_bundle(bytes: &[u8]) -> Result<LiveIndex, SearchError> {
        let ram = RamDirectory::create();
        let (meta, entries) = bundle::unpack_index(bytes)?;
        for (name, range) in entries {
            ram.atomic_write(Path::new(&name), &bytes[range])?;
        }
        let index = Index::open(ram.clone())?;
        register_tokenizers(&index);
        let fields = Fields::new(&index.schema())?;
        let writer: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, WRITER_BUDGET)?;
        // A merge would rewrite (and re-pack) big segments in the background
        // for the sake of a few tiny ones; serve's next full rebuild compacts.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        Ok(LiveIndex {
            ram,
            index,
            writer,
            fields,
            meta,
        })
    }

    /// Replaces the document whose id is `doc.id` (or adds it) and commits.
    /// Returns the fragment file that now holds its body: a new file of its
    /// own, so the build's fragment files stay valid for the other documents.
    pub fn replace(&mut self, doc: &SearchDoc) -> Result<Fragment, SearchError> {
        let fragment = fragments::single(doc);
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, &doc.id));
        self.writer
            .add_document(to_tantivy(&self.fields, doc, &fragment.name))?;
        self.writer.commit()?;
        Ok(fragment)
    }

    /// A name for the current state, cheap next to hashing the bundle (tens
    /// of megabytes at 10k articles): a hash of `meta.json`, which lists every
    /// segment by id (random for each segment this index writes) with its
    /// delete opstamp, so it changes with every [`LiveIndex::replace`].
    pub fn state_id(&self) -> Result<String, SearchError> {
        Ok(bundle::content_hash(
            &self.ram.atomic_read(Path::new("meta.json"))?,
        ))
    }

    /// The current state as bundle bytes, for [`crate::Engine::open`].
    pub fn bundle(&self) -> Result<Vec<u8>, SearchError> {
        let paths = segment_files(&self.ram, &self.index.load_metas()?);
        let mut entries = Vec::with_capacity(paths.len() + 2);
        for path in paths {
            let bytes = self.ram.open_read(&path)?.read_bytes()?;
            entries.push((path.to_string_lossy().into_owned(), bytes));
        }
        let meta_json = self.ram.atomic_read(Path::new("meta.json"))?;
        entries.push(("meta.json".to_string(), OwnedBytes::new(meta_json)));
        let meta =
            serde_json::to_vec(&self.meta).map_err(|e| SearchError::Bundle(e.to_string()))?;
        entries.push((META_ENTRY.to_string(), OwnedBytes::new(meta)));
        Ok(bundle::pack(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fragments::DOCS_PER_FRAGMENT;
    use crate::writer::build_bundle_split;
    use crate::{Engine, SearchRequest};

    fn doc(id: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            url: format!("{id}.html"),
            title: title.into(),
            kind: "fault_case".into(),
            status: "published".into(),
            body: body.into(),
            ..SearchDoc::default()
        }
    }

    fn docs() -> Vec<SearchDoc> {
        vec![
            doc(
                "FC-1",
                "压缩机不启动",
                "开机三分钟后面板显示报警。更换启动电容。",
            ),
            doc("FC-2", "运行噪音大", "夜间噪音明显，风扇叶片松动。"),
            doc("FC-3", "不制冷", "冷媒泄漏，补充冷媒后恢复制冷。"),
            doc("FC-4", "遥控器失灵", "更换遥控器电池。"),
            doc("FC-5", "漏水", "排水管堵塞，疏通后不再漏水。"),
            doc("FC-6", "显示乱码", "主板受潮，烘干后显示正常。"),
        ]
    }

    fn ids(engine: &Engine, q: &str) -> Vec<String> {
        let req = SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        };
        engine
            .search(&req)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    /// Two segments (the smallest a segment may be is one fragment file).
    fn built() -> Vec<u8> {
        build_bundle_split(&docs(), &[], DOCS_PER_FRAGMENT)
            .unwrap()
            .index
    }

    #[test]
    fn a_replaced_doc_is_found_by_its_new_text_only() {
        let mut live = LiveIndex::from_bundle(&built()).unwrap();
        let mut edited = docs()[0].clone();
        edited.body = "开机后面板显示报警。鹦鹉螺接线端子松动。".into();
        let id = live.state_id().unwrap();
        assert_eq!(live.state_id().unwrap(), id);
        let fragment = live.replace(&edited).unwrap();
        assert_ne!(live.state_id().unwrap(), id);
        let engine = Engine::open(&live.bundle().unwrap()).unwrap();
        assert_eq!(engine.num_docs(), 6);
        assert_eq!(ids(&engine, "鹦鹉螺"), ["FC-1"]);
        assert!(ids(&engine, "三分钟").is_empty());
        let req = SearchRequest {
            q: "鹦鹉螺".into(),
            ..SearchRequest::default()
        };
        let response = engine
            .search_with_text(&req, |name| {
                (name == fragment.name).then(|| fragment.bytes.clone())
            })
            .unwrap();
        assert_eq!(response.hits[0].fragment, fragment.name);
        assert!(
            response.hits[0].snippet.contains("<mark>鹦鹉螺</mark>"),
            "{}",
            response.hits[0].snippet
        );
    }

    #[test]
    fn other_queries_rank_as_before_and_edits_stack() {
        let before = Engine::open(&built()).unwrap();
        let mut live = LiveIndex::from_bundle(&built()).unwrap();
        for word in ["第一次", "第二次", "第三次"] {
            let mut edited = docs()[2].clone();
            edited.body = format!("冷媒泄漏，补充冷媒后恢复制冷。{word}");
            live.replace(&edited).unwrap();
        }
        // A bundle made by a live index opens as a live index again.
        let live = LiveIndex::from_bundle(&live.bundle().unwrap()).unwrap();
        let after = Engine::open(&live.bundle().unwrap()).unwrap();
        assert_eq!(after.num_docs(), 6);
        assert_eq!(ids(&after, "第三次"), ["FC-3"]);
        assert!(ids(&after, "第一次").is_empty());
        for q in ["冷媒", "更换", "噪音 风扇", "漏水"] {
            assert_eq!(ids(&before, q), ids(&after, q), "query {q}");
        }
    }

    #[test]
    fn foreign_bytes_are_errors() {
        assert!(LiveIndex::from_bundle(b"not a bundle").is_err());
    }
}
