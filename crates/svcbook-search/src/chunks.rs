//! The index bundle as fixed-size, content-addressed chunks, read lazily.
//!
//! The browser must not download the whole index before its first answer, so
//! the bundle (see [`crate::bundle`]) is cut into [`CHUNK_SIZE`] pieces, each
//! written as a script `search/index/<id>-<n>.js` holding its bytes in base64:
//! a script loads with `<script>` on `file://` (where `fetch` is refused) and
//! with `fetch` over http(s), and static hosts gzip `.js` by default. `<id>` is
//! the bundle's hash, so a chunk of another build is never taken for one of
//! this build, and the script carries its bytes' hash, which a reader checks
//! before using them ([`read_chunk_script`]). The manifest therefore names the
//! chunks with one id instead of a hash per chunk: at 50k articles the table of
//! ~24,000 hashes was 454 KB (~245 KB gzip) that every first query downloaded.
//!
//! Besides the chunks, a small *warm* file holds copies of the byte ranges that
//! opening the index and any query read whatever the query is (file footers,
//! per-field tables, fieldnorms, fast fields, the term dictionaries' indexes):
//! without it, opening would touch the last chunk of every file. The rest
//! (postings, positions, term-dictionary blocks, stored documents) is read
//! chunk by chunk as a query touches it.
//!
//! [`ChunkStore`] serves tantivy's reads ([`LazyFile`]) from the warm ranges
//! and the chunks it holds. A read that needs a chunk the store lacks fails
//! with an I/O error and records the chunk in [`ChunkStore::take_missing`]:
//! the browser fetches those chunks and runs the query again (every search
//! is also checked for misses it swallowed, see `Engine::search`). Natively a
//! store has a loader and fetches missing chunks itself, synchronously.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::directory::{FileHandle, OwnedBytes};
use tantivy::HasLen;

use crate::bundle::content_hash;
use crate::SearchError;

/// Bytes per chunk. A query's reads are scattered (a postings list per term
/// and field, a stored-document block per hit), so the chunk size is mostly
/// what a read costs. Measured on the 10k generated KB (one segment,
/// `examples/chunk_stats.rs`), chunks fetched by the query `E04` / `压缩机 不启动`:
/// 16 KiB 304 / 1,088 KiB, 8 KiB 184 / 624 KiB, 4 KiB 132 / 396 KiB. 8 KiB
/// was chosen while the manifest listed a hash per chunk; with chunks named
/// by position that cost is gone, and 4 KiB took the first query's wire bytes
/// at 10k from 845,858 to 798,305 B (bench/browser.mjs, no service worker)
/// for 3 more requests (45 → 48): the throttled phone link's first results
/// were the same (5.46 s both), localhost warm p95 rose 180 → 230 ms
/// (HTTP/1.1's six connections per host serialise the extra requests).
pub const CHUNK_SIZE: usize = 4 * 1024;

/// Folder (under `search/`) holding the chunk and warm scripts.
pub const CHUNK_DIR: &str = "index";

/// How the bundle is cut: what the manifest carries for a reader.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkTable {
    /// Length of the whole bundle.
    pub len: u64,
    pub chunk_size: u32,
    /// The bundle's content hash: chunk `n` is `index/<id>-<n>.js`.
    pub id: String,
    /// Content hash (and name) of the warm file.
    pub warm: String,
    /// The bundle ranges the warm file holds, back to back: `[start, len]`.
    pub warm_ranges: Vec<[u64; 2]>,
}

impl ChunkTable {
    /// Path of the script named `name` (a chunk's or the warm file's), relative to `search/`.
    pub fn script_name(name: &str) -> String {
        format!("{CHUNK_DIR}/{name}.js")
    }

    /// How many chunks the bundle is cut into.
    pub fn chunk_count(&self) -> usize {
        self.len.div_ceil(u64::from(self.chunk_size.max(1))) as usize
    }

    /// The name of chunk `n`'s script (without folder and `.js`).
    pub fn chunk_name(&self, n: usize) -> String {
        format!("{}-{n}", self.id)
    }

    /// The names of every chunk's script, then the warm file's.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.chunk_count())
            .map(|n| self.chunk_name(n))
            .chain([self.warm.clone()])
    }

    fn chunk_range(&self, n: usize) -> Range<u64> {
        let size = u64::from(self.chunk_size);
        let start = n as u64 * size;
        start..(start + size).min(self.len)
    }
}

/// Cuts `bundle` into chunks; returns the table (warm part left empty) and the chunks' bytes and hashes.
pub fn split(bundle: &[u8]) -> (ChunkTable, Vec<&[u8]>, Vec<String>) {
    let pieces: Vec<&[u8]> = bundle.chunks(CHUNK_SIZE).collect();
    let hashes = map_all(&pieces, |c| content_hash(c));
    let table = ChunkTable {
        len: bundle.len() as u64,
        chunk_size: CHUNK_SIZE as u32,
        // The hash of the chunks' hashes names the bundle as well as a hash
        // of its bytes would, without a second pass over them (serve redoes
        // this after every edit).
        id: content_hash(hashes.concat().as_bytes()),
        ..ChunkTable::default()
    };
    (table, pieces, hashes)
}

/// `f` over `items`, in order: on every core natively (the build hashes and
/// encodes every chunk, and serve again after each edit); one by one in wasm.
fn map_all<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        items.iter().map(f).collect()
    }
}

/// The script form of a chunk (or the warm file) named `name`, whose bytes
/// hash to `hash`: `svcbookChunk("<name>","<hash>","<base64>");`.
pub fn chunk_script(name: &str, hash: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4 + name.len() + hash.len() + 32);
    out.extend_from_slice(b"svcbookChunk(\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",\"");
    out.extend_from_slice(hash.as_bytes());
    out.extend_from_slice(b"\",\"");
    base64_extend(bytes, &mut out);
    out.extend_from_slice(b"\");\n");
    out
}

/// The bytes of the chunk script named `name`, checked against the hash it carries.
pub fn read_chunk_script(script: &[u8], name: &str) -> Result<Vec<u8>, SearchError> {
    Ok(decode_chunk_script(script, name)?.0)
}

/// [`read_chunk_script`], also handing back the bytes' hash (the warm file's
/// name must be it), so no caller hashes them again.
fn decode_chunk_script(script: &[u8], name: &str) -> Result<(Vec<u8>, String), SearchError> {
    let bad = |why: &str| SearchError::Corrupt(format!("index chunk {name}: {why}"));
    let not_a_chunk = || bad("not a chunk script");
    let mut rest = script
        .strip_prefix(b"svcbookChunk(")
        .ok_or_else(not_a_chunk)?;
    // Three quoted strings, comma-separated: name, hash, base64.
    let mut strings = Vec::with_capacity(3);
    for i in 0..3 {
        if i > 0 {
            rest = rest.strip_prefix(b",").ok_or_else(not_a_chunk)?;
        }
        rest = rest.strip_prefix(b"\"").ok_or_else(not_a_chunk)?;
        let end = rest
            .iter()
            .position(|&b| b == b'"')
            .ok_or_else(not_a_chunk)?;
        strings.push(&rest[..end]);
        rest = &rest[end + 1..];
    }
    if rest.trim_ascii_end() != b");" {
        return Err(not_a_chunk());
    }
    if strings[0] != name.as_bytes() {
        return Err(bad("names another chunk (a file of another build?)"));
    }
    let bytes = base64_decode(strings[2]).ok_or_else(|| bad("bad base64"))?;
    let hash = content_hash(&bytes);
    if hash.as_bytes() != strings[1] {
        return Err(bad(
            "checksum mismatch (the file is damaged; rebuild the site)",
        ));
    }
    Ok((bytes, hash))
}

/// Standard base64 with padding, what `atob` decodes.
pub fn base64_into(bytes: &[u8], out: &mut String) {
    let mut text = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    base64_extend(bytes, &mut text);
    out.push_str(std::str::from_utf8(&text).expect("base64 is ASCII"));
}

/// [`base64_into`] appending to bytes: a chunk script is built without a
/// second pass to check that the letters are text.
fn base64_extend(bytes: &[u8], text: &mut Vec<u8>) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let letter = |n: u32| ALPHABET[(n & 63) as usize];
    let mut groups = bytes.chunks_exact(3);
    for g in &mut groups {
        let n = (u32::from(g[0]) << 16) | (u32::from(g[1]) << 8) | u32::from(g[2]);
        text.extend_from_slice(&[letter(n >> 18), letter(n >> 12), letter(n >> 6), letter(n)]);
    }
    match *groups.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            text.extend_from_slice(&[letter(n >> 18), letter(n >> 12), b'=', b'=']);
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            text.extend_from_slice(&[letter(n >> 18), letter(n >> 12), letter(n >> 6), b'=']);
        }
        _ => {}
    }
}

/// Decodes padded standard base64; `None` on any other input.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let quads = text.len() / 4;
    for (q, quad) in text.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Loads chunk `n` (named `hash`) for a store that can read synchronously.
pub type Loader = Box<dyn Fn(usize, &str) -> Result<Vec<u8>, SearchError> + Send + Sync>;

#[derive(Default)]
struct State {
    chunks: HashMap<usize, OwnedBytes>,
    /// Warm ranges, sorted by start: (start, bytes).
    warm: Vec<(u64, OwnedBytes)>,
    missing: BTreeSet<usize>,
    /// The first integrity or load error met, for a clear message.
    failure: Option<String>,
    /// Every range read, when recording (build time: choosing the warm set).
    recorded: Option<Vec<Range<u64>>>,
}

/// The chunks of one bundle that a reader holds, serving tantivy's reads.
pub struct ChunkStore {
    table: ChunkTable,
    state: Mutex<State>,
    loader: Option<Loader>,
}

impl fmt::Debug for ChunkStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkStore")
            .field("len", &self.table.len)
            .finish()
    }
}

impl ChunkStore {
    /// A store that holds nothing yet; chunks come through [`ChunkStore::add_chunk`]
    /// (the browser) or, when given, `loader` (native readers).
    pub fn new(table: ChunkTable, loader: Option<Loader>) -> Result<ChunkStore, SearchError> {
        if table.chunk_size == 0 || table.id.is_empty() {
            return Err(SearchError::Corrupt(
                "index manifest: the chunk table names no chunks".into(),
            ));
        }
        Ok(ChunkStore {
            table,
            state: Mutex::new(State::default()),
            loader,
        })
    }

    /// A store over a whole bundle in memory (build time, tests).
    pub fn in_memory(bundle: OwnedBytes) -> ChunkStore {
        let table = ChunkTable {
            len: bundle.len() as u64,
            chunk_size: CHUNK_SIZE as u32,
            id: "in-memory".into(),
            ..ChunkTable::default()
        };
        let store = ChunkStore {
            table,
            state: Mutex::new(State::default()),
            loader: None,
        };
        {
            let mut state = store.lock();
            let size = CHUNK_SIZE;
            for n in 0..store.table.chunk_count() {
                let end = ((n + 1) * size).min(bundle.len());
                state.chunks.insert(n, bundle.slice(n * size..end));
            }
        }
        store
    }

    pub fn table(&self) -> &ChunkTable {
        &self.table
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; go on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds chunk `n` from its script, checked against its name and hash.
    pub fn add_chunk_script(&self, n: usize, script: &[u8]) -> Result<(), SearchError> {
        self.add_chunk(n, read_chunk_script(script, &self.table.chunk_name(n))?)
    }

    /// Adds the warm file from its script, checked against its name and hash.
    pub fn add_warm_script(&self, script: &[u8]) -> Result<(), SearchError> {
        let (bytes, hash) = decode_chunk_script(script, &self.table.warm)?;
        self.add_warm_hashed(bytes, &hash)
    }

    /// Adds chunk `n`'s bytes (already checked: see [`ChunkStore::add_chunk_script`]).
    pub fn add_chunk(&self, n: usize, bytes: Vec<u8>) -> Result<(), SearchError> {
        if n >= self.table.chunk_count() {
            return Err(SearchError::Corrupt(format!("no index chunk {n}")));
        }
        let range = self.table.chunk_range(n);
        if bytes.len() as u64 != range.end - range.start {
            return Err(SearchError::Corrupt(format!(
                "index chunk {}: wrong length",
                self.table.chunk_name(n)
            )));
        }
        self.lock().chunks.insert(n, OwnedBytes::new(bytes));
        Ok(())
    }

    /// Adds the warm file, checked against its name in the table.
    pub fn add_warm(&self, bytes: Vec<u8>) -> Result<(), SearchError> {
        let hash = content_hash(&bytes);
        self.add_warm_hashed(bytes, &hash)
    }

    /// [`ChunkStore::add_warm`] for bytes whose hash is known.
    fn add_warm_hashed(&self, bytes: Vec<u8>, hash: &str) -> Result<(), SearchError> {
        let bad = |why: &str| SearchError::Corrupt(format!("index warm file: {why}"));
        if hash != self.table.warm {
            return Err(bad(
                "checksum mismatch (the file is damaged; rebuild the site)",
            ));
        }
        let total: u64 = self.table.warm_ranges.iter().map(|r| r[1]).sum();
        if total != bytes.len() as u64 {
            return Err(bad("wrong length"));
        }
        let bytes = OwnedBytes::new(bytes);
        let mut at = 0usize;
        let mut warm = Vec::new();
        for &[start, len] in &self.table.warm_ranges {
            let end = start.checked_add(len).ok_or_else(|| bad("bad range"))?;
            if end > self.table.len {
                return Err(bad("range beyond the index"));
            }
            warm.push((start, bytes.slice(at..at + len as usize)));
            at += len as usize;
        }
        warm.sort_by_key(|(start, _)| *start);
        self.lock().warm = warm;
        Ok(())
    }

    /// Whether the warm file is needed and not yet added.
    pub fn needs_warm(&self) -> bool {
        !self.table.warm_ranges.is_empty() && self.lock().warm.is_empty()
    }

    /// Chunks reads wanted and did not find since the last call, in order.
    pub fn take_missing(&self) -> Vec<usize> {
        std::mem::take(&mut self.lock().missing)
            .into_iter()
            .collect()
    }

    /// The first integrity or load error since the last call.
    pub fn take_failure(&self) -> Option<String> {
        self.lock().failure.take()
    }

    /// Starts recording every range read (see [`ChunkStore::recorded`]).
    pub fn record(&self) {
        self.lock().recorded = Some(Vec::new());
    }

    /// The ranges read since [`ChunkStore::record`], merged and sorted.
    pub fn recorded(&self) -> Vec<Range<u64>> {
        let mut ranges = self.lock().recorded.take().unwrap_or_default();
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<u64>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// The bytes `range` of the bundle.
    pub fn read(&self, range: Range<u64>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.table.len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "read beyond the index",
            ));
        }
        if let Some(recorded) = &mut self.lock().recorded {
            recorded.push(range.clone());
        }
        if let Some(bytes) = self.try_read(&range) {
            return Ok(bytes);
        }
        if self.loader.is_some() {
            self.load_for(&range)?;
            if let Some(bytes) = self.try_read(&range) {
                return Ok(bytes);
            }
        }
        Err(io::Error::other("svcbook: index chunks not loaded yet"))
    }

    /// Loads (with the loader) every chunk `range` needs and the store lacks.
    fn load_for(&self, range: &Range<u64>) -> io::Result<()> {
        let loader = self.loader.as_ref().expect("checked by caller");
        let size = u64::from(self.table.chunk_size);
        let first = (range.start / size) as usize;
        let last = (range.end.saturating_sub(1) / size) as usize;
        for n in first..=last.max(first) {
            if n >= self.table.chunk_count() || self.lock().chunks.contains_key(&n) {
                continue;
            }
            let loaded = loader(n, &self.table.chunk_name(n)).and_then(|b| self.add_chunk(n, b));
            if let Err(e) = loaded {
                // Reported as `SearchError::Corrupt(failure)`: not twice its prefix.
                let failure = match e {
                    SearchError::Corrupt(why) => why,
                    other => other.to_string(),
                };
                return Err(self.fail(failure));
            }
        }
        self.lock().missing.clear();
        Ok(())
    }

    fn fail(&self, message: String) -> io::Error {
        let mut state = self.lock();
        state.failure.get_or_insert_with(|| message.clone());
        io::Error::new(io::ErrorKind::InvalidData, message)
    }

    /// The bytes of `range` if every one of them is held; records the chunks
    /// that are missing otherwise.
    fn try_read(&self, range: &Range<u64>) -> Option<OwnedBytes> {
        let mut state = self.lock();
        let size = u64::from(self.table.chunk_size);
        // Fast paths: the range lies inside one warm range or one chunk.
        if let Some(bytes) = warm_at(&state.warm, range.start) {
            let (start, bytes) = bytes;
            if range.end <= start + bytes.len() as u64 {
                let at = (range.start - start) as usize;
                return Some(bytes.slice(at..at + (range.end - range.start) as usize));
            }
        }
        let n = (range.start / size) as usize;
        if range.end <= (n as u64 + 1) * size {
            if let Some(chunk) = state.chunks.get(&n) {
                let at = (range.start - n as u64 * size) as usize;
                return Some(chunk.slice(at..at + (range.end - range.start) as usize));
            }
        }
        // Stitch the range together from warm ranges and chunks.
        let mut out = Vec::with_capacity((range.end - range.start) as usize);
        let mut missing = Vec::new();
        let mut pos = range.start;
        while pos < range.end {
            if let Some((start, bytes)) = warm_at(&state.warm, pos) {
                let end = (start + bytes.len() as u64).min(range.end);
                if end > pos {
                    out.extend_from_slice(
                        &bytes.as_slice()[(pos - start) as usize..(end - start) as usize],
                    );
                    pos = end;
                    continue;
                }
            }
            let n = (pos / size) as usize;
            let chunk_end = ((n as u64 + 1) * size).min(range.end);
            // A warm range may start inside this chunk; stop there if the chunk is missing.
            match state.chunks.get(&n) {
                Some(chunk) => {
                    let at = (pos - n as u64 * size) as usize;
                    out.extend_from_slice(&chunk.as_slice()[at..at + (chunk_end - pos) as usize]);
                    pos = chunk_end;
                }
                None => {
                    let next_warm = state
                        .warm
                        .iter()
                        .map(|(s, _)| *s)
                        .find(|&s| s > pos && s < chunk_end);
                    match next_warm {
                        Some(s) => {
                            missing.push(n);
                            pos = s;
                        }
                        None => {
                            missing.push(n);
                            pos = chunk_end;
                        }
                    }
                }
            }
        }
        if missing.is_empty() {
            Some(OwnedBytes::new(out))
        } else {
            state.missing.extend(missing);
            None
        }
    }
}

/// The warm range holding `pos`, if any.
fn warm_at(warm: &[(u64, OwnedBytes)], pos: u64) -> Option<(u64, &OwnedBytes)> {
    let i = warm.partition_point(|(start, _)| *start <= pos);
    let (start, bytes) = warm.get(i.checked_sub(1)?)?;
    (pos < start + bytes.len() as u64).then_some((*start, bytes))
}

/// One file of the bundle, read through a [`ChunkStore`].
#[derive(Clone)]
pub struct LazyFile {
    store: Arc<ChunkStore>,
    start: u64,
    len: usize,
}

impl LazyFile {
    pub fn new(store: Arc<ChunkStore>, range: Range<usize>) -> LazyFile {
        LazyFile {
            store,
            start: range.start as u64,
            len: range.len(),
        }
    }
}

impl fmt::Debug for LazyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LazyFile({}+{})", self.start, self.len)
    }
}

impl HasLen for LazyFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for LazyFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "read beyond the end of an index file",
            ));
        }
        self.store
            .read(self.start + range.start as u64..self.start + range.end as u64)
    }
}

/// Queries run at build time to find the warm ranges: words no index holds,
/// so they read what every query reads (footers, field tables, term
/// dictionary indexes, fieldnorms, the `archived` column) and no postings or
/// documents. They count no facets: the facet column (at 50k articles 340 KB,
/// more than the rest of the fast fields together) is read only by a query
/// that asks for facet counts, which the search box does only while its
/// filter panel is open (`SearchRequest::skip_facets`).
/// Not a letters-only word: that also reads the pinyin term dictionary (only
/// such words can be pinyin; 171 KB at 10k articles, loaded when one is asked),
/// and its one-typo matches found real terms, whose hits' stored documents
/// (43 KB at 10k) then went into the warm file. Two rare Han characters
/// (龘齉) read the per-character dictionary (6 KB at 10k) that every Chinese
/// word consults: left out, every Chinese query paid a round trip for it.
const WARM_QUERIES: &[&str] = &[
    "qzxv9",
    "qzxv9 kind:fault_case",
    "\u{e000}\u{e001}",
    "\u{9f98}\u{9f49}",
];

/// The index cut into chunk scripts, plus the warm file: what `svcbook build` writes.
pub struct ChunkedIndex {
    pub table: ChunkTable,
    /// `(name relative to search/, script bytes)`: the chunks, then the warm file.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Cuts `bundle` into chunk scripts and finds and writes its warm ranges.
pub fn chunk_index(bundle: Vec<u8>) -> Result<ChunkedIndex, SearchError> {
    let bundle = OwnedBytes::new(bundle);
    let store = Arc::new(ChunkStore::in_memory(bundle.clone()));
    store.record();
    let engine = crate::Engine::open_lazy(store.clone())?;
    for q in WARM_QUERIES {
        engine.search(&crate::SearchRequest {
            q: q.to_string(),
            skip_facets: true,
            ..crate::SearchRequest::default()
        })?;
    }
    let ranges = store.recorded();
    let (mut table, pieces, hashes) = split(bundle.as_slice());
    let mut warm = Vec::new();
    for r in &ranges {
        warm.extend_from_slice(&bundle.as_slice()[r.start as usize..r.end as usize]);
    }
    table.warm = content_hash(&warm);
    table.warm_ranges = ranges.iter().map(|r| [r.start, r.end - r.start]).collect();
    let parts: Vec<(String, &str, &[u8])> = pieces
        .iter()
        .zip(&hashes)
        .enumerate()
        .map(|(n, (bytes, hash))| (table.chunk_name(n), hash.as_str(), *bytes))
        .chain([(table.warm.clone(), table.warm.as_str(), warm.as_slice())])
        .collect();
    let files = map_all(&parts, |(name, hash, bytes)| {
        (
            ChunkTable::script_name(name),
            chunk_script(name, hash, bytes),
        )
    });
    Ok(ChunkedIndex { table, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_named_by_bundle_and_position() {
        let bundle: Vec<u8> = (0..(CHUNK_SIZE * 2 + 7)).map(|i| (i % 13) as u8).collect();
        let (table, pieces, hashes) = split(&bundle);
        assert_eq!(table.chunk_count(), 3);
        assert_eq!(hashes[1], content_hash(pieces[1]));
        assert_eq!(table.chunk_name(2), format!("{}-2", table.id));
        // Another bundle (one byte changed) names every chunk differently,
        // even the chunks whose bytes did not change.
        let mut other = bundle.clone();
        other[CHUNK_SIZE * 2] ^= 1;
        let (other_table, _, _) = split(&other);
        assert_ne!(table.chunk_name(0), other_table.chunk_name(0));
        let script = chunk_script(&table.chunk_name(0), &hashes[0], pieces[0]);
        assert_eq!(
            read_chunk_script(&script, &table.chunk_name(0)).unwrap(),
            pieces[0]
        );
        let err = read_chunk_script(&script, &other_table.chunk_name(0)).unwrap_err();
        assert!(err.to_string().contains("another build"), "{err}");
    }

    #[test]
    fn base64_round_trips_and_rejects_junk() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 5) as u8).collect();
            let mut text = String::new();
            base64_into(&bytes, &mut text);
            assert_eq!(base64_decode(text.as_bytes()).unwrap(), bytes);
        }
        assert!(base64_decode(b"ab=c").is_none());
        assert!(base64_decode(b"abc").is_none());
        assert!(base64_decode(b"a*cd").is_none());
    }

    #[test]
    fn chunk_scripts_round_trip_and_catch_damage() {
        let bytes = b"some index bytes".to_vec();
        let script = chunk_script("0123456789abcdef-7", &content_hash(&bytes), &bytes);
        assert_eq!(
            read_chunk_script(&script, "0123456789abcdef-7").unwrap(),
            bytes
        );
        for at in 0..script.len() {
            let mut bad = script.clone();
            bad[at] ^= 0x04;
            assert!(
                read_chunk_script(&bad, "0123456789abcdef-7").is_err(),
                "flip at {at}"
            );
        }
    }

    #[test]
    fn reads_stitch_chunks_and_warm_ranges_and_report_misses() {
        let bundle: Vec<u8> = (0..(CHUNK_SIZE * 3 + 100))
            .map(|i| (i % 251) as u8)
            .collect();
        let (mut table, pieces, _) = split(&bundle);
        let warm_range = CHUNK_SIZE as u64 * 2 - 10..CHUNK_SIZE as u64 * 2 + 10;
        let warm: Vec<u8> = bundle[warm_range.start as usize..warm_range.end as usize].to_vec();
        table.warm = content_hash(&warm);
        table.warm_ranges = vec![[warm_range.start, 20]];
        let store = ChunkStore::new(table, None).unwrap();
        store.add_warm(warm).unwrap();
        // Inside the warm range: no chunk needed.
        let r = warm_range.start + 2..warm_range.end - 2;
        assert_eq!(
            store.read(r.clone()).unwrap().as_slice(),
            &bundle[r.start as usize..r.end as usize]
        );
        assert!(store.take_missing().is_empty());
        // Across chunks 0 and 1: both missing, reported.
        let r = CHUNK_SIZE as u64 - 5..CHUNK_SIZE as u64 + 5;
        assert!(store.read(r.clone()).is_err());
        assert_eq!(store.take_missing(), vec![0, 1]);
        store.add_chunk(0, pieces[0].to_vec()).unwrap();
        store.add_chunk(1, pieces[1].to_vec()).unwrap();
        // From chunk 1 through the warm range into chunk 2's missing tail.
        let r = CHUNK_SIZE as u64 + 3..CHUNK_SIZE as u64 * 2 + 50;
        assert!(store.read(r.clone()).is_err());
        assert_eq!(store.take_missing(), vec![2]);
        store.add_chunk(2, pieces[2].to_vec()).unwrap();
        assert_eq!(
            store.read(r.clone()).unwrap().as_slice(),
            &bundle[r.start as usize..r.end as usize]
        );
        // A damaged chunk script is refused, and so is a chunk of the wrong length.
        let mut bad = chunk_script(
            &store.table().chunk_name(3),
            &content_hash(pieces[3]),
            pieces[3],
        );
        let last_digit = bad.len() - 6;
        bad[last_digit] ^= 1;
        assert!(store.add_chunk_script(3, &bad).is_err());
        assert!(store.add_chunk(3, pieces[3][1..].to_vec()).is_err());
        assert!(store.read(0..bundle.len() as u64 + 1).is_err());
    }
}
