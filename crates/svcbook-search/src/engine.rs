//! Query time: an opened bundle answers [`SearchRequest`]s. The same code runs
//! in `svcbook search` and, compiled to wasm, in the browser.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::{CompositeFile, FileHandle, OwnedBytes};
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, Segment, SegmentReader,
    TantivyDocument, Term,
};

use crate::analyzer::analyze;
use crate::automata::Matcher;
use crate::bundle::{self, BundleDirectory};
use crate::chunks::{ChunkStore, LazyFile};
use crate::query::{parse, Filters, NearChar, QueryBuilder, COMPLETE_TIER};
use crate::schema::{register_tokenizers, Fields, ARCHIVED_FIELD};
use crate::snippet::FieldSnippets;
use crate::{BundleMeta, Facets, Hit, SearchError, SearchRequest, SearchResponse};

/// Leading text shown when no matched word occurs in body or summary.
const LEAD_CHARS: usize = 70;
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 100;

pub struct Engine {
    // Kept so the reader's directory stays alive; also gives `docs()`.
    _index: Index,
    reader: IndexReader,
    fields: Fields,
    meta: BundleMeta,
    /// Where a lazily opened engine's bytes come from (`None`: all in memory).
    store: Option<Arc<ChunkStore>>,
    /// A lazily read engine's per-field files of each segment, for
    /// [`Engine::prefetch`] (opened once: each open parses the index's meta
    /// and reads the files' tables of fields).
    segment_files: HashMap<SegmentId, SegmentFiles>,
    /// The sections of the pages the last searches showed, by id: the
    /// snippet call that follows a search finds them here.
    sections_seen: Mutex<HashMap<String, Vec<SectionRef>>>,
}

/// Where a section starts in the body, its anchor and its heading.
type SectionRef = (usize, String, String);

/// Pages whose sections are kept: a few result pages' worth.
const SECTIONS_KEPT: usize = 4 * MAX_LIMIT;

/// What a lazy read's result means once the store has had its say.
fn lazy_outcome<T>(store: &ChunkStore, result: Result<T, SearchError>) -> Result<T, SearchError> {
    if let Some(failure) = store.take_failure() {
        return Err(SearchError::Corrupt(failure));
    }
    let missing = store.take_missing();
    if !missing.is_empty() {
        return Err(SearchError::NeedChunks(missing));
    }
    result
}

impl Engine {
    /// Opens an index bundle (the bytes of `search/index.<hash>.bin`).
    pub fn open(bundle_bytes: &[u8]) -> Result<Engine, SearchError> {
        Engine::open_owned(OwnedBytes::new(bundle_bytes.to_vec()))
    }

    /// Opens an index bundle without copying it: tantivy reads slices of `bundle`.
    pub fn open_owned(bundle: OwnedBytes) -> Result<Engine, SearchError> {
        let (meta, entries) = bundle::unpack_index(bundle.as_slice())?;
        let files = entries
            .into_iter()
            .map(|(name, range)| {
                let file: Arc<dyn FileHandle> = Arc::new(bundle.slice(range));
                (PathBuf::from(name), file)
            })
            .collect();
        Engine::open_files(files, meta, None)
    }

    /// Opens a bundle read lazily through `store`. In a store without a loader
    /// (the browser) this fails with [`SearchError::NeedChunks`] until the store
    /// holds what opening reads; add those chunks and call again.
    pub fn open_lazy(store: Arc<ChunkStore>) -> Result<Engine, SearchError> {
        let attempt = || -> Result<Engine, SearchError> {
            let len = store.table().len as usize;
            let read = |range: Range<usize>| -> Result<Vec<u8>, SearchError> {
                Ok(store
                    .read(range.start as u64..range.end as u64)?
                    .as_slice()
                    .to_vec())
            };
            let entries = bundle::unpack_with(len, read)?;
            let mut meta = None;
            let mut files = HashMap::new();
            for (name, range) in entries {
                if name == bundle::META_ENTRY {
                    meta = Some(bundle::read_meta(&read(range)?)?);
                } else {
                    let file: Arc<dyn FileHandle> = Arc::new(LazyFile::new(store.clone(), range));
                    files.insert(PathBuf::from(name), file);
                }
            }
            let meta =
                meta.ok_or_else(|| SearchError::Bundle(format!("missing {}", bundle::META_ENTRY)))?;
            Engine::open_files(files, meta, Some(store.clone()))
        };
        lazy_outcome(&store, attempt())
    }

    fn open_files(
        files: HashMap<PathBuf, Arc<dyn FileHandle>>,
        meta: BundleMeta,
        store: Option<Arc<ChunkStore>>,
    ) -> Result<Engine, SearchError> {
        let index = Index::open(BundleDirectory::new(files))?;
        register_tokenizers(&index);
        let fields = Fields::new(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let segment_files = match store {
            Some(_) => index
                .searchable_segments()?
                .iter()
                .map(|segment| (segment.id(), SegmentFiles::open(segment)))
                .collect(),
            None => HashMap::new(),
        };
        Ok(Engine {
            _index: index,
            reader,
            fields,
            meta,
            store,
            segment_files,
            sections_seen: Mutex::new(HashMap::new()),
        })
    }

    /// Runs `f` and, for a lazily read engine, turns what the store saw into
    /// the outcome: chunks missed (even by reads whose error tantivy swallowed)
    /// or a damaged chunk win over `f`'s own result.
    fn checked<T>(&self, f: impl FnOnce() -> Result<T, SearchError>) -> Result<T, SearchError> {
        match &self.store {
            None => f(),
            Some(store) => {
                store.take_missing();
                store.take_failure();
                lazy_outcome(store, f())
            }
        }
    }

    pub fn meta(&self) -> &BundleMeta {
        &self.meta
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        self.checked(|| Ok(self.rank(req)?.0))
    }

    /// [`Engine::search`], also handing back the snippet terms it weighed, so
    /// [`Engine::search_with_text`] cuts body snippets without building them again.
    fn rank(&self, req: &SearchRequest) -> Result<(SearchResponse, Option<Snippets>), SearchError> {
        let searcher = self.reader.searcher();
        let mut parsed = parse(&req.q);
        parsed.filters.kind.extend(req.kind.iter().cloned());
        parsed.filters.product.extend(req.product.iter().cloned());
        parsed.filters.tag.extend(req.tag.iter().cloned());
        let builder = QueryBuilder::new(&self.fields, &self.meta.synonyms);
        let built = builder.build(&parsed);
        let mut response = SearchResponse {
            query: req.q.clone(),
            ..SearchResponse::default()
        };
        response.unknown_filters =
            crate::filters::unknown(&searcher, &self.fields, &parsed.filters)?;
        if !response.unknown_filters.is_empty() {
            return Ok((response, None));
        }
        if built.text.is_none() && (parsed.filters.is_empty() || !parsed.words.is_empty()) {
            return Ok((response, None));
        }
        let limit = if req.limit == 0 {
            DEFAULT_LIMIT
        } else {
            req.limit.min(MAX_LIMIT)
        };
        let full = builder.with_filters(built.text.as_deref(), &parsed.filters, None);
        let complete = built
            .complete
            .as_ref()
            .map(|c| builder.with_filters(Some(c.as_ref()), &parsed.filters, None));
        for q in std::iter::once(&full).chain(complete.as_ref()) {
            self.prefetch(
                &searcher,
                q.as_ref(),
                &builder.near_chars.borrow(),
                &builder.matchers.borrow(),
            );
        }
        // On a lazily read index a failing stage most likely lacks chunks. The
        // stages that do not need its answer still run, so that one round trip
        // fetches what all of them read (the first error is returned at the end,
        // and `checked` turns the recorded misses into `NeedChunks`). In memory
        // an error is final at once.
        let mut first_error: Option<SearchError> = None;
        let mut keep = |e: SearchError| -> Result<(), SearchError> {
            if self.store.is_none() {
                return Err(e);
            }
            first_error.get_or_insert(e);
            Ok(())
        };
        // Without filters every facet dimension counts the same matches, so
        // one pass over them ranks, counts and tallies facets together.
        let ranked = self.ranked(
            &searcher,
            full,
            limit,
            req.offset,
            !req.skip_facets && parsed.filters.is_empty() && built.complete.is_none(),
        );
        let (total, top, facets) = match ranked {
            Ok(r) => r,
            Err(e) => {
                keep(e)?;
                (0, Vec::new(), None)
            }
        };
        response.total = total as u64;
        // `None`: no complete query; `Some(None)`: its count is not known yet.
        let complete_total = match &complete {
            None => None,
            Some(q) => match q.count(&searcher) {
                Ok(n) => Some(Some(n)),
                Err(e) => {
                    keep(e.into())?;
                    Some(None)
                }
            },
        };
        if let Some(Some(n)) = complete_total {
            response.total = n as u64;
            response.partial_total = (total as u64).saturating_sub(n as u64);
        }
        // Facets count what the count counts: the complete matches when there
        // are any (a filter chip must not promise pages the count leaves out),
        // else the partial ones the reader is shown. An unknown count counts
        // the complete matches, to learn their chunks.
        let counted = built
            .complete
            .as_deref()
            .filter(|_| complete_total != Some(Some(0)));
        let facets = match (counted, facets) {
            _ if req.skip_facets => Ok(Facets::default()),
            (Some(c), _) => self.facets(&searcher, &builder, Some(c), &parsed.filters),
            (None, Some(facets)) => Ok(facets),
            (None, None) => {
                self.facets(&searcher, &builder, built.text.as_deref(), &parsed.filters)
            }
        };
        match facets {
            Ok(f) => response.facets = f,
            Err(e) => keep(e)?,
        }
        let snippets = match Snippets::new(&searcher, built.highlight.as_deref(), &self.fields) {
            Ok(s) => Some(s),
            Err(e) => {
                keep(e)?;
                None
            }
        };
        // Every hit's document is read before any error is returned, so a lazily
        // read index learns all the doc-store chunks the page needs at once.
        let mut docs = Vec::with_capacity(top.len());
        for (score, addr) in top {
            match searcher.doc::<TantivyDocument>(addr) {
                Ok(doc) => docs.push((score, doc)),
                Err(e) => keep(e.into())?,
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let snippets = snippets.expect("no error, so the snippet terms were read");
        for (score, doc) in docs {
            let mut hit = self.hit(&doc, score, &snippets, &built.terms);
            if built.complete.is_some() {
                hit.partial = score < COMPLETE_TIER;
                if !hit.partial {
                    hit.score -= COMPLETE_TIER;
                }
            }
            // The snippet call after the bodies arrive needs the hit's
            // sections: kept now, it need not look the page up by id again
            // (a lazily read index would spend round trips on that lookup).
            self.remember_sections(&hit.id, &doc);
            response.hits.push(hit);
        }
        if response.total == 0 && !response.hits.is_empty() {
            let closest =
                crate::suggest::closest_terms(&searcher, &self.fields, &builder.matchers.borrow());
            response.did_you_mean = crate::suggest::did_you_mean(&parsed, &response.hits, &closest);
        }
        Ok((response, Some(snippets)))
    }

    /// Replaces each hit's snippet by one from its body, when `bodies` (same
    /// order as `response.hits`, from the hits' fragment files) holds it. The
    /// query is parsed again, exactly as [`Engine::search`] did, so the marks
    /// are the terms that ranked the hit.
    pub fn snippets(
        &self,
        response: &mut SearchResponse,
        bodies: &[Option<String>],
    ) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let parsed = parse(&response.query);
        let builder = QueryBuilder::new(&self.fields, &self.meta.synonyms);
        let built = builder.build(&parsed);
        let snippets =
            self.checked(|| Snippets::new(&searcher, built.highlight.as_deref(), &self.fields))?;
        snippets.apply(response, bodies);
        // Sections read each hit's stored document: on a lazily read index
        // that may need chunks, which must come back as `NeedChunks`.
        self.checked(|| self.add_sections(&searcher, &snippets, response, bodies))?;
        Ok(())
    }

    /// [`Engine::search`] then [`Engine::snippets`], reading each needed
    /// fragment file once through `read` (`None` leaves those hits' summary snippets).
    pub fn search_with_text(
        &self,
        req: &SearchRequest,
        mut read: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<SearchResponse, SearchError> {
        let (mut response, snippets) = self.checked(|| self.rank(req))?;
        let Some(snippets) = snippets else {
            return Ok(response);
        };
        let mut texts: HashMap<String, BTreeMap<String, String>> = HashMap::new();
        for hit in &response.hits {
            if !hit.fragment.is_empty() && !texts.contains_key(&hit.fragment) {
                let parsed = match read(&hit.fragment) {
                    Some(bytes) => crate::fragments::parse(&bytes)?,
                    None => BTreeMap::new(),
                };
                texts.insert(hit.fragment.clone(), parsed);
            }
        }
        let bodies: Vec<Option<String>> = response
            .hits
            .iter()
            .map(|h| texts.get(&h.fragment).and_then(|t| t.get(&h.id)).cloned())
            .collect();
        snippets.apply(&mut response, &bodies);
        let searcher = self.reader.searcher();
        self.checked(|| self.add_sections(&searcher, &snippets, &mut response, &bodies))?;
        Ok(response)
    }

    /// Fills each hit's [`Hit::sections`] from its body: the sections (as the
    /// indexer recorded them) that hold the most of the query's rarer terms, up
    /// to [`MAX_SECTIONS`], each with a snippet cut inside it.
    fn add_sections(
        &self,
        searcher: &Searcher,
        snippets: &Snippets,
        response: &mut SearchResponse,
        bodies: &[Option<String>],
    ) -> Result<(), SearchError> {
        let Some(gen) = &snippets.body else {
            return Ok(());
        };
        // Every hit's sections are read before any failure is returned, so a
        // lazily read index records all the chunks they need in one round trip.
        let refs: Vec<Result<_, SearchError>> = response
            .hits
            .iter()
            .zip(bodies)
            .map(|(hit, body)| match body {
                Some(_) => self.section_refs(searcher, &hit.id),
                None => Ok(Vec::new()),
            })
            .collect();
        let refs = refs.into_iter().collect::<Result<Vec<_>, _>>()?;
        for ((hit, body), refs) in response.hits.iter_mut().zip(bodies).zip(refs) {
            if let Some(body) = body {
                hit.sections = section_hits(gen, body, &refs);
            }
        }
        Ok(())
    }

    /// The stored sections of the article `id`: (start, anchor, heading).
    fn section_refs(&self, searcher: &Searcher, id: &str) -> Result<Vec<SectionRef>, SearchError> {
        if let Some(refs) = self.sections_seen.lock().expect("not poisoned").get(id) {
            return Ok(refs.clone());
        }
        let term = tantivy::Term::from_field_text(self.fields.id, id);
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        Ok(self.sections_of(&doc))
    }

    fn sections_of(&self, doc: &TantivyDocument) -> Vec<SectionRef> {
        doc.get_all(self.fields.sections)
            .filter_map(|v| v.as_str())
            .filter_map(|s| {
                let mut parts = s.splitn(3, '\t');
                let start = parts.next()?.parse().ok()?;
                Some((start, parts.next()?.to_string(), parts.next()?.to_string()))
            })
            .collect()
    }

    fn remember_sections(&self, id: &str, doc: &TantivyDocument) {
        let mut seen = self.sections_seen.lock().expect("not poisoned");
        if seen.len() >= SECTIONS_KEPT {
            seen.clear();
        }
        seen.insert(id.to_string(), self.sections_of(doc));
    }

    /// For a lazily read index: reads, for every segment, what `query`'s terms
    /// will need (fieldnorms, postings, positions), ignoring failures, so that
    /// one pass records every missing chunk instead of the first one only: a
    /// first query then costs one round trip for its postings, not one per term.
    fn prefetch(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        near_chars: &[(Field, char)],
        matchers: &[(Field, Matcher)],
    ) {
        if self.store.is_none() {
            return;
        }
        let mut terms: Vec<(Term, bool)> = Vec::new();
        query.query_terms(&mut |term, positions| terms.push((term.clone(), positions)));
        for segment in searcher.segment_readers() {
            let Some(files) = self.segment_files.get(&segment.segment_id()) else {
                continue;
            };
            let inverted = |field: Field| {
                let _ = segment.get_fieldnorms_reader(field);
                let opened = segment.inverted_index(field).ok();
                if opened.is_none() {
                    // Opening a term dictionary reads it in several steps, each
                    // of which would fail (and cost a round trip) in turn: the
                    // whole of it is asked for at once instead.
                    files.touch_terms(field);
                }
                opened
            };
            for (term, positions) in &terms {
                let Some(inverted) = inverted(term.field()) else {
                    continue;
                };
                let Ok(Some(info)) = inverted.get_term_info(term) else {
                    continue;
                };
                // Postings and positions are read apart: tantivy reads the
                // positions only once the postings are in, which would cost a
                // round trip of their own.
                let _ =
                    inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs);
                if *positions {
                    files.touch_positions(term.field(), info.positions_range.clone());
                }
            }
            // A lone character: every one- or two-character term holding it.
            for &(field, c) in near_chars {
                let Some(inverted) = inverted(field) else {
                    continue;
                };
                let Ok(mut terms) = inverted.terms().search(NearChar { c }).into_stream() else {
                    continue;
                };
                while terms.advance() {
                    let _ = inverted
                        .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic);
                }
            }
            // Prefixes of the word being typed and one-edit typos: their terms.
            for (field, matcher) in matchers {
                let Some(inverted) = inverted(*field) else {
                    continue;
                };
                let Ok(mut terms) = inverted.terms().search(matcher.clone()).into_stream() else {
                    continue;
                };
                while terms.advance() {
                    let _ = inverted
                        .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic);
                }
            }
        }
    }

    /// Top hits by score, except that archived articles come after all others:
    /// they stay findable (someone may look for the old rule) but never push a
    /// current article down. The order is (current first, then score), read
    /// from the `archived` fast field in the same pass, so paging across the
    /// boundary is exact. With `with_facets`, facet counts come from that pass too.
    #[allow(clippy::type_complexity)]
    fn ranked(
        &self,
        searcher: &Searcher,
        query: Box<dyn Query>,
        limit: usize,
        offset: usize,
        with_facets: bool,
    ) -> Result<(usize, Vec<(f32, tantivy::DocAddress)>, Option<Facets>), SearchError> {
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .tweak_score(|segment: &SegmentReader| {
                let archived = segment
                    .fast_fields()
                    .u64(ARCHIVED_FIELD)
                    .map(|c| c.first_or_default_col(0))
                    .ok();
                move |doc: DocId, score: Score| {
                    let old = archived.as_ref().is_some_and(|c| c.get_val(doc) == 1);
                    // Archived articles last, as before; complete matches first within each.
                    (u8::from(!old), u8::from(score >= COMPLETE_TIER), score)
                }
            });
        let unranked = |hits: Vec<((u8, u8, Score), tantivy::DocAddress)>| {
            hits.into_iter().map(|((_, _, s), a)| (s, a)).collect()
        };
        if !with_facets {
            let (total, hits) = searcher.search(query.as_ref(), &(Count, top))?;
            return Ok((total, unranked(hits), None));
        }
        let collector = facet_collector(&FACET_DIMENSIONS);
        let (total, hits, counts) = searcher.search(query.as_ref(), &(Count, top, collector))?;
        let mut facets = Facets::default();
        for dim in FACET_DIMENSIONS {
            fill_counts(&counts, dim, facets.dimension_mut(dim));
        }
        Ok((total, unranked(hits), Some(facets)))
    }

    /// Counts per facet value. Each dimension is counted with the other
    /// dimensions' filters applied but not its own, so the kind list still shows
    /// the other kinds after one is chosen. Without filters the three queries
    /// are one, so one pass counts every dimension.
    fn facets(
        &self,
        searcher: &Searcher,
        builder: &QueryBuilder,
        text: Option<&dyn Query>,
        filters: &Filters,
    ) -> Result<Facets, SearchError> {
        let mut facets = Facets::default();
        if filters.is_empty() {
            let q = builder.with_filters(text, filters, None);
            let counts = searcher.search(q.as_ref(), &facet_collector(&FACET_DIMENSIONS))?;
            for dim in FACET_DIMENSIONS {
                fill_counts(&counts, dim, facets.dimension_mut(dim));
            }
            return Ok(facets);
        }
        for dim in FACET_DIMENSIONS {
            let q = builder.with_filters(text, filters, Some(dim));
            let counts = searcher.search(q.as_ref(), &facet_collector(&[dim]))?;
            fill_counts(&counts, dim, facets.dimension_mut(dim));
        }
        Ok(facets)
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: &Snippets, terms: &[String]) -> Hit {
        let f = &self.fields;
        let first = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let all = |field: Field| {
            doc.get_all(field)
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let title = first(f.title);
        let summary = first(f.summary);
        let (snippet, snippet_text) = snippets.best_or_lead("", &summary);
        Hit {
            id: first(f.id),
            url: first(f.url),
            title_html: render(&title, &highlight_ranges(&title, terms)),
            title,
            kind: first(f.kind),
            status: first(f.status),
            snippet,
            snippet_text,
            products: all(f.products),
            error_codes: all(f.error_codes),
            tags: all(f.tags),
            fragment: first(f.fragment),
            summary,
            score,
            partial: false,
            sections: Vec::new(),
        }
    }
}

/// A segment's per-field files, for [`Engine::prefetch`] to read parts of
/// them directly (their tables of fields are in the warm file).
struct SegmentFiles {
    terms: Option<CompositeFile>,
    positions: Option<CompositeFile>,
}

impl SegmentFiles {
    fn open(segment: &Segment) -> SegmentFiles {
        let composite = |component| {
            let file = segment.open_read(component).ok()?;
            CompositeFile::open(&file).ok()
        };
        SegmentFiles {
            terms: composite(SegmentComponent::Terms),
            positions: composite(SegmentComponent::Positions),
        }
    }

    fn touch_terms(&self, field: Field) {
        if let Some(file) = self.terms.as_ref().and_then(|c| c.open_read(field)) {
            let _ = file.read_bytes();
        }
    }

    fn touch_positions(&self, field: Field, range: Range<usize>) {
        if let Some(file) = self.positions.as_ref().and_then(|c| c.open_read(field)) {
            let _ = file.read_bytes_slice(range);
        }
    }
}

struct Snippets {
    body: Option<FieldSnippets>,
    summary: Option<FieldSnippets>,
}

impl Snippets {
    fn new(
        searcher: &Searcher,
        query: Option<&dyn Query>,
        fields: &Fields,
    ) -> Result<Snippets, SearchError> {
        let make = |field| -> Result<Option<FieldSnippets>, SearchError> {
            let Some(q) = query else { return Ok(None) };
            Ok(Some(FieldSnippets::new(searcher, q, field)?))
        };
        Ok(Snippets {
            body: make(fields.body)?,
            summary: make(fields.summary)?,
        })
    }

    /// The first of `texts` (body, then summary) holding a matched word, as (HTML, plain text).
    fn best(&self, texts: &[&str; 2]) -> Option<(String, String)> {
        for (gen, text) in [&self.body, &self.summary].into_iter().zip(texts) {
            if let Some(found) = gen.as_ref().and_then(|g| cut(g, text)) {
                return Some(found);
            }
        }
        None
    }
}

impl Snippets {
    /// Replaces each hit's snippet with one from its body, where `bodies` has it.
    fn apply(&self, response: &mut SearchResponse, bodies: &[Option<String>]) {
        for (hit, body) in response.hits.iter_mut().zip(bodies) {
            let Some(body) = body else { continue };
            let (html, plain) = self.best_or_lead(body, &hit.summary);
            hit.snippet = html;
            hit.snippet_text = plain;
        }
    }

    /// The best snippet of body, then summary; else the lead of the summary
    /// (or of the body when the summary is empty).
    fn best_or_lead(&self, body: &str, summary: &str) -> (String, String) {
        self.best(&[body, summary]).unwrap_or_else(|| {
            lead(if summary.trim().is_empty() {
                body
            } else {
                summary
            })
        })
    }
}

/// Most sections listed under one hit.
pub const MAX_SECTIONS: usize = 3;

/// The best sections of `body` for the query `gen` weighs, best first (ties:
/// earlier first), each with a snippet from inside it.
fn section_hits(
    gen: &FieldSnippets,
    body: &str,
    refs: &[(usize, String, String)],
) -> Vec<crate::SectionHit> {
    let mut scored = Vec::new();
    for (i, (start, anchor, heading)) in refs.iter().enumerate() {
        let end = refs.get(i + 1).map_or(body.len(), |r| r.0);
        let (start, end) = (*start, end);
        if start >= end
            || end > body.len()
            || !body.is_char_boundary(start)
            || !body.is_char_boundary(end)
        {
            continue;
        }
        let text = &body[start..end];
        let score = gen.coverage(text);
        if score > 0.0 {
            scored.push((score, i, text, anchor, heading));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(MAX_SECTIONS)
        .map(|(_, _, text, anchor, heading)| {
            // The snippet comes from the section's text after its heading line.
            let inner = text
                .strip_prefix(heading.as_str())
                .unwrap_or(text)
                .trim_start();
            let (snippet, snippet_text) = cut(gen, inner).unwrap_or_else(|| lead(inner));
            crate::SectionHit {
                heading: heading.clone(),
                anchor: anchor.clone(),
                snippet,
                snippet_text,
            }
        })
        .collect()
}

/// The best window of `text` with its matches marked, as (HTML, plain text).
fn cut(gen: &FieldSnippets, text: &str) -> Option<(String, String)> {
    let window = gen.window(text)?;
    let range = window.range;
    let fragment = &text[range.clone()];
    let (pre, post) = (
        if range.start > 0 { "…" } else { "" },
        if range.end < text.len() { "…" } else { "" },
    );
    let marks = window
        .marks
        .iter()
        .map(|m| m.start - range.start..m.end - range.start)
        .collect();
    let html = format!("{pre}{}{post}", render(fragment, &merge_ranges(marks)));
    let plain = format!("{pre}{}{post}", squash(fragment));
    Some((html, plain))
}

const FACET_DIMENSIONS: [&str; 3] = ["kind", "product", "tag"];

/// Counts the values of the `facets` field under each of `dims`.
fn facet_collector(dims: &[&str]) -> FacetCollector {
    let mut collector = FacetCollector::for_field("facets");
    for dim in dims {
        collector.add_facet(format!("/{dim}").as_str());
    }
    collector
}

fn fill_counts(counts: &tantivy::collector::FacetCounts, dim: &str, out: &mut Counts) {
    for (facet, count) in counts.get(format!("/{dim}").as_str()) {
        if let Some(value) = facet.to_path().last() {
            out.insert((*value).to_string(), count);
        }
    }
}

impl Facets {
    fn dimension_mut(&mut self, dim: &str) -> &mut Counts {
        match dim {
            "kind" => &mut self.kind,
            "product" => &mut self.product,
            _ => &mut self.tag,
        }
    }
}

/// First [`LEAD_CHARS`] characters, as (HTML, plain text).
fn lead(text: &str) -> (String, String) {
    let cut: String = text.chars().take(LEAD_CHARS).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    (
        format!("{}{more}", escape_html(&squash(&cut))),
        format!("{}{more}", squash(&cut)),
    )
}

/// Collapses newlines and runs of whitespace: snippets are one line.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte ranges of `text` whose tokens are among `terms`, merged.
pub fn highlight_ranges(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let ranges: Vec<Range<usize>> = analyze(text)
        .into_iter()
        .filter(|t| terms.binary_search(&t.text).is_ok())
        .map(|t| t.from..t.to)
        .collect();
    merge_ranges(ranges)
}

/// Sorts and merges overlapping *and touching* ranges, so `返厂` + `维修` is one
/// `<mark>返厂维修</mark>`, not two marks that render with a seam.
fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// HTML-escapes `text` and wraps the `marks` ranges in `<mark>`. The only
/// markup a snippet may carry is the `<mark>` added here; everything from the
/// article is escaped, so `<script>` in content shows as text.
pub fn render(text: &str, marks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for r in marks {
        let (start, end) = (r.start.max(at).min(text.len()), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&escape_html(&squash_keep_edges(&text[at..start])));
        out.push_str("<mark>");
        out.push_str(&escape_html(&text[start..end]));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&escape_html(&squash_keep_edges(&text[at..])));
    out
}

/// Like [`squash`] but keeps a single leading/trailing space, so text between
/// two marks keeps its word separation.
fn squash_keep_edges(text: &str) -> String {
    let inner = squash(text);
    let lead = if text.starts_with(char::is_whitespace) && !inner.is_empty() {
        " "
    } else {
        ""
    };
    let trail = if text.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    if inner.is_empty() {
        return trail.to_string();
    }
    format!("{lead}{inner}{trail}")
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Facet value counts in a stable (sorted) order for JSON.
pub type Counts = BTreeMap<String, u64>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_escapes_everything_but_marks() {
        let text = "<script>alert('x')</script> E04 报警";
        let marks = highlight_ranges(text, &["e04".to_string()]);
        let html = render(text, &marks);
        assert_eq!(
            html,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>E04</mark> 报警"
        );
    }

    #[test]
    fn overlapping_bigram_marks_merge() {
        let text = "压缩机不制冷";
        let terms = vec!["不制".to_string(), "制冷".to_string()];
        assert_eq!(
            render(text, &highlight_ranges(text, &terms)),
            "压缩机<mark>不制冷</mark>"
        );
    }

    #[test]
    fn lead_cuts_on_chars() {
        let text = "冷".repeat(100);
        let (html, plain) = lead(&text);
        assert_eq!(plain.chars().count(), LEAD_CHARS + 1);
        assert!(html.ends_with('…'));
    }
}
