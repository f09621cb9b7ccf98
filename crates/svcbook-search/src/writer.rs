//! Build time: documents in, one index bundle out.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tantivy::directory::{Directory, RamDirectory};
use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexMeta, IndexSettings, IndexWriter, TantivyDocument};

use crate::analyzer::{code_key, code_key_unpadded};
use crate::bundle::{self, META_ENTRY};
use crate::fragments::{self, Fragment};
use crate::schema::{build_schema, register_tokenizers, Fields};
use crate::{BundleMeta, SearchDoc, SearchError, BUNDLE_VERSION};

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

/// Segment ids written into every bundle in place of tantivy's random ones: this
/// prefix plus the segment's number (from 0x4000), so the same articles always
/// give the same bytes (and so the same content-hashed file name, which keeps
/// browser caches valid across rebuilds).
const FIXED_SEGMENT_PREFIX: &str = "5eac5b00c0de4b0bb0a0d1e5ea2c";

/// Articles per index segment while indexing. Segments are built in parallel,
/// one per core at a time, and then merged into one (see [`merge_segments`]);
/// BM25 statistics are summed across segments, so ranking depends on neither
/// the split nor the merge. The split depends only on the article count, never
/// on the machine, so the bytes stay reproducible.
pub const DOCS_PER_SEGMENT: usize = 2500;

/// Indexes `docs` (one segment per [`DOCS_PER_SEGMENT`]) and returns the bundle
/// and its fragments.
pub fn build_bundle(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Result<Bundle, SearchError> {
    build_bundle_split(docs, synonyms, DOCS_PER_SEGMENT)
}

/// [`build_bundle`] with a chosen segment size (tests split small fixtures).
pub(crate) fn build_bundle_split(
    docs: &[SearchDoc],
    synonyms: &[Vec<String>],
    docs_per_segment: usize,
) -> Result<Bundle, SearchError> {
    let fragments = Mutex::new(Vec::new());
    let index = build_chunked(
        docs.len(),
        synonyms,
        docs_per_segment,
        |range| Cow::Borrowed(&docs[range]),
        |n, fragment| {
            fragments.lock().expect("no panics").push((n, fragment));
            Ok::<(), SearchError>(())
        },
    )?;
    let mut fragments = fragments.into_inner().expect("no panics");
    fragments.sort_by_key(|(n, _)| *n);
    Ok(Bundle {
        index,
        fragments: fragments.into_iter().map(|(_, f)| f).collect(),
    })
}

/// Builds the index over `count` documents that `docs` makes a segment at a
/// time (given index ranges), handing each fragment file to `on_fragment` (with
/// its number) as soon as it is made; returns the index bundle. At most one
/// segment's documents per core are alive at once, so a big site's article
/// bodies are never all copied into memory. Same bytes as [`build_bundle`].
pub fn build_bundle_streamed<E: From<SearchError> + Send>(
    count: usize,
    synonyms: &[Vec<String>],
    docs: impl Fn(Range<usize>) -> Vec<SearchDoc> + Sync,
    on_fragment: impl Fn(usize, Fragment) -> Result<(), E> + Sync,
) -> Result<Vec<u8>, E> {
    build_chunked(
        count,
        synonyms,
        DOCS_PER_SEGMENT,
        |range| Cow::Owned(docs(range)),
        on_fragment,
    )
}

/// The core of both: `docs` lends a range of documents when they are all in
/// memory already, and makes them when streaming.
fn build_chunked<'d, E: From<SearchError> + Send>(
    count: usize,
    synonyms: &[Vec<String>],
    docs_per_segment: usize,
    docs: impl Fn(Range<usize>) -> Cow<'d, [SearchDoc]> + Sync,
    on_fragment: impl Fn(usize, Fragment) -> Result<(), E> + Sync,
) -> Result<Vec<u8>, E> {
    assert!(
        docs_per_segment > 0 && docs_per_segment.is_multiple_of(fragments::DOCS_PER_FRAGMENT),
        "segments must hold whole fragments"
    );
    let mut ranges: Vec<Range<usize>> = (0..count)
        .step_by(docs_per_segment)
        .map(|start| start..(start + docs_per_segment).min(count))
        .collect();
    if ranges.is_empty() {
        // An empty site still gets an index: no segments, a valid meta.json.
        ranges.push(0..0);
    }
    let segments = parallel_map(&ranges, |n, range| -> Result<SegmentFiles, E> {
        let chunk = docs(range.clone());
        let first = range.start / fragments::DOCS_PER_FRAGMENT;
        let (files, names) = fragments::build_from(first, &chunk);
        for (i, fragment) in files.into_iter().enumerate() {
            on_fragment(first + i, fragment)?;
        }
        Ok(build_segment(n, &chunk, &names)?)
    });
    let segments = segments.into_iter().collect::<Result<Vec<_>, E>>()?;
    let SegmentFiles {
        files: mut entries,
        meta: meta_json,
    } = merge_segments(segments)?;
    let bundle_err = |e: serde_json::Error| SearchError::Bundle(e.to_string());
    entries.push((
        "meta.json".to_string(),
        serde_json::to_vec(&meta_json).map_err(bundle_err)?,
    ));
    let meta = BundleMeta {
        version: BUNDLE_VERSION,
        docs: count as u64,
        synonyms: synonyms.to_vec(),
    };
    entries.push((
        META_ENTRY.to_string(),
        serde_json::to_vec(&meta).map_err(bundle_err)?,
    ));
    Ok(bundle::pack(entries))
}

/// One segment's files (renamed to its fixed id) and its index's meta.json.
struct SegmentFiles {
    files: Vec<(String, Vec<u8>)>,
    meta: serde_json::Value,
}

/// The segments as one index with one segment. A lazily read index pays per
/// segment: every segment has its own term dictionary (read whole, and the
/// same words recur in each), and a query term's postings lie in every segment,
/// one more chunk each. At 10k articles, four segments merged into one took the
/// warm file from 1,003,672 to 551,350 bytes and the chunks of the query `E04`
/// from 30 to 19. A merge keeps the documents in order, so hits, ties and
/// scores stay as they were.
fn merge_segments(mut segments: Vec<SegmentFiles>) -> Result<SegmentFiles, SearchError> {
    if segments.len() <= 1 {
        return Ok(segments.pop().expect("at least one segment"));
    }
    let ram = RamDirectory::create();
    let mut meta = segments[0].meta.clone();
    let mut list = Vec::new();
    for segment in segments {
        for (name, bytes) in &segment.files {
            ram.atomic_write(Path::new(name), bytes)?;
        }
        if let Some(metas) = segment.meta["segments"].as_array() {
            list.extend(metas.iter().cloned());
        }
    }
    meta["segments"] = serde_json::Value::Array(list);
    let meta_bytes = serde_json::to_vec(&meta).map_err(|e| SearchError::Bundle(e.to_string()))?;
    ram.atomic_write(Path::new("meta.json"), &meta_bytes)?;
    let index = Index::open(ram.clone())?;
    register_tokenizers(&index);
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000)?;
    let ids = index.searchable_segment_ids()?;
    // searchable_segment_ids lists segments in meta.json's order, which is
    // document order: the merge then numbers documents as the split did.
    writer.merge(&ids).wait()?;
    writer.wait_merging_threads()?;
    fixed_segment_files(&ram, &index, 0)
}

/// Indexes one chunk of articles into a one-segment index in memory.
fn build_segment(
    number: usize,
    docs: &[SearchDoc],
    fragment_names: &[String],
) -> Result<SegmentFiles, SearchError> {
    let schema = build_schema();
    let f = Fields::new(&schema)?;
    let settings = IndexSettings {
        docstore_compress_dedicated_thread: false,
        // A shown hit reads its whole doc-store block. 4 KiB blocks instead of
        // tantivy's 16 KiB (~1.6 KB lz4'd instead of ~6 KB) mostly sit within
        // one 8 KiB chunk (chunks are 4 KiB now): at 10k articles `E04` fetched 18 chunks instead of
        // 23, for a store 2.99 MB instead of 2.19 MB on disk.
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    };
    // Our own handle on the RAM directory: tantivy's ManagedDirectory strips each
    // file's footer on read, and the bundle needs the files exactly as stored.
    let ram = RamDirectory::create();
    let index = Index::create(ram.clone(), schema, settings)?;
    register_tokenizers(&index);
    // One thread and a budget a chunk does not reach: the writer then produces
    // exactly one segment, so there is nothing to merge.
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 200_000_000)?;
    for (d, fragment) in docs.iter().zip(fragment_names) {
        writer.add_document(to_tantivy(&f, d, fragment))?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    fixed_segment_files(&ram, &index, number)
}

/// The files of `index`'s one segment (renamed to the fixed id for `number`)
/// and its meta.json.
fn fixed_segment_files(
    ram: &RamDirectory,
    index: &Index,
    number: usize,
) -> Result<SegmentFiles, SearchError> {
    let index_meta = index.load_metas()?;
    let fixed = format!("{FIXED_SEGMENT_PREFIX}{:04x}", 0x4000 + number);
    let rename = match index_meta.segments.as_slice() {
        [only] => Some(only.id().uuid_string()),
        _ => None,
    };
    let paths = segment_files(ram, &index_meta);
    let mut files = Vec::new();
    for path in paths {
        let bytes = ram.open_read(&path)?.read_bytes()?.as_slice().to_vec();
        let mut name = path_name(&path);
        if let Some(old) = &rename {
            name = name.replace(old.as_str(), &fixed);
        }
        files.push((name, bytes));
    }
    let mut meta_json = String::from_utf8(ram.atomic_read(Path::new("meta.json"))?)
        .map_err(|_| SearchError::Bundle("meta.json is not UTF-8".into()))?;
    if let Some(old) = &rename {
        // meta.json spells the id hyphenated, file names without hyphens.
        meta_json = meta_json.replace(&hyphenated(old), &hyphenated(&fixed));
    }
    let meta = serde_json::from_str(&meta_json).map_err(|e| SearchError::Bundle(e.to_string()))?;
    Ok(SegmentFiles { files, meta })
}

/// Every file of the segments `metas` lists that exists in `ram`, sorted.
/// tantivy's own `list_segment_files` names plugin files and delete bitsets
/// only, so the core components are added by extension.
pub(crate) fn segment_files(ram: &RamDirectory, metas: &IndexMeta) -> Vec<PathBuf> {
    let mut candidates = metas.list_segment_files();
    for seg in &metas.segments {
        for ext in ["idx", "pos", "term", "store", "fast", "fieldnorm"] {
            candidates.insert(format!("{}.{ext}", seg.id().uuid_string()).into());
        }
    }
    let mut paths: Vec<PathBuf> = candidates
        .into_iter()
        .filter(|p| ram.exists(p).unwrap_or(false))
        .collect();
    paths.sort();
    paths
}

/// `f` over `items` on all cores (plain scoped threads: this crate also compiles
/// to wasm, where the indexer never runs), results in item order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = f(i, item);
                results.lock().expect("no worker panics while holding it")[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .expect("workers finished")
        .into_iter()
        .map(|r| r.expect("every item was taken by a worker"))
        .collect()
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

pub(crate) fn to_tantivy(f: &Fields, d: &SearchDoc, fragment: &str) -> TantivyDocument {
    let mut doc = doc!(
        f.id => d.id.as_str(),
        f.url => d.url.as_str(),
        f.kind => d.kind.as_str(),
        f.status => d.status.as_str(),
        f.title => d.title.as_str(),
        f.summary => d.summary.as_str(),
        f.body => d.body.as_str(),
        f.fragment => fragment,
        f.archived => u64::from(d.status == "archived"),
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
    for code in d.products.iter().chain(&d.error_codes) {
        if let Some(unpadded) = code_key_unpadded(&code_key(code)) {
            doc.add_text(f.code_unpadded, &unpadded);
        }
    }
    for t in &d.tags {
        doc.add_text(f.tags, t);
        doc.add_text(f.keywords, t);
        doc.add_text(f.tag_exact, t);
        doc.add_facet(f.facets, Facet::from_path(["tag", t.as_str()]));
    }
    for fact in &d.facts {
        doc.add_text(f.facts, fact);
    }
    for p in &d.pinyin {
        doc.add_text(f.pinyin, p);
    }
    for alias in &d.kind_aliases {
        doc.add_text(f.kind_aliases, alias);
    }
    let kinds = std::iter::once(&d.kind).chain(&d.kind_aliases);
    let keys = kinds
        .map(|k| ("kind", k))
        .chain(d.products.iter().map(|p| ("product", p)))
        .chain(d.tags.iter().map(|t| ("tag", t)));
    for (dim, value) in keys {
        for key in crate::filters::keys(dim, value) {
            doc.add_text(f.filter_key, key);
        }
    }
    for s in &d.sections {
        doc.add_text(
            f.sections,
            format!("{}\t{}\t{}", s.start, s.anchor, s.heading),
        );
    }
    doc
}
