/* svcbook search engine glue: instantiates the wasm runtime over a lazily loaded index.
 *
 * One self-contained function on purpose. search.js turns its source text into
 * a Web Worker (Function.prototype.toString → Blob), which works where a Worker
 * cannot be loaded from a file URL; the golden test runs the very same
 * function under Node; and it also runs on the main thread (file://, or if
 * workers are blocked).
 *
 * The wasm side is a plain C ABI (crates/svcbook-search-wasm/src/lib.rs):
 * bytes in through svcb_alloc, JSON out through svcb_result_ptr/len.
 *
 * The index is cut into chunks (search/index/<id>-<n>.js, see
 * crates/svcbook-search/src/chunks.rs). `table` is the manifest's chunk table;
 * `loadChunk(name)` resolves to a chunk script's text. A search the runtime
 * cannot finish answers status 2 with the chunks it lacks: they are loaded
 * (all at once), handed over as loaded (the runtime decodes each and checks
 * its name and hash) and the search runs again. Chunks stay in the runtime
 * for the session.
 */
/* exported svcbookSearchEngine */
async function svcbookSearchEngine(wasmBytes, table, loadChunk) {
  'use strict';
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let memory = null;
  let panic = null;
  let dead = null;
  const imports = {
    env: {
      svcb_panic(ptr, len) {
        panic = decoder.decode(new Uint8Array(memory.buffer, ptr, len).slice());
      },
    },
  };
  /** Chunks loaded, their bytes (decoded), and search rounds that waited for chunks. */
  const loaded = { chunks: 0, bytes: 0, rounds: 0 };

  const chunkName = (n) => (n < 0 ? table.warm : table.id + '-' + n);

  let t = performance.now();
  const [{ instance }, warmText] = await Promise.all([
    WebAssembly.instantiate(wasmBytes, imports),
    loadChunk(chunkName(-1)),
  ]);
  const timing = { instantiateMs: performance.now() - t, openMs: 0 };
  const x = instance.exports;
  memory = x.memory;

  // → { status, result }; throws on status 1 (an error) and after a crash.
  function call(fn, bytes) {
    if (dead) throw new Error(dead);
    const ptr = x.svcb_alloc(bytes.length);
    // memory.buffer may be replaced by growth inside alloc: take it afterwards.
    new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
    let status;
    try {
      status = fn(ptr, bytes.length);
    } catch (e) {
      // A panic aborts (trap); the instance must not be used again.
      dead = 'svcbook search runtime crashed: ' + (panic || e);
      throw new Error(dead);
    }
    const out = new Uint8Array(memory.buffer, x.svcb_result_ptr(), x.svcb_result_len());
    const result = JSON.parse(decoder.decode(out));
    if (status === 1) throw new Error(result.error || 'search failed');
    return { status, result };
  }

  function add(n, text) {
    const script = encoder.encode(text);
    loaded.chunks += 1;
    // The chunk's own bytes: its base64 is a third longer than they are.
    loaded.bytes += n < 0 ? table.warm_ranges.reduce((sum, r) => sum + r[1], 0)
      : Math.min(table.chunk_size, table.len - n * table.chunk_size);
    call((ptr, len) => x.svcb_add(n, ptr, len), script);
  }

  // Calls fn until the runtime has every chunk it needs.
  async function withChunks(fn, req) {
    const bytes = encoder.encode(JSON.stringify(req));
    for (let round = 0; round < 32; round++) {
      const { status, result } = call(fn, bytes);
      if (status !== 2) return result;
      loaded.rounds += 1;
      const need = result.need.length ? result.need : [-1];
      const texts = await Promise.all(need.map((n) => loadChunk(chunkName(n))));
      need.forEach((n, i) => add(n, texts[i]));
    }
    throw new Error('search index: chunks keep missing');
  }

  t = performance.now();
  call(x.svcb_open, encoder.encode(JSON.stringify(table)));
  add(-1, warmText);
  timing.openMs = performance.now() - t;
  return {
    /** Where loading went: compiling + instantiating the wasm, opening the index. */
    timing,
    loaded,
    /** req: { q, kind, product, tag, limit, offset, skip_facets } → Promise of the SearchResponse object. */
    search(req) {
      return withChunks(x.svcb_search, req);
    },
    /** req: { q, hits: [{ id, summary, body }] } → Promise of [{ snippet, snippet_text, sections }], one per hit. */
    snippets(req) {
      return withChunks(x.svcb_snippets, req);
    },
  };
}
