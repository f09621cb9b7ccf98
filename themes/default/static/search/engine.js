/* svcbook search engine glue: instantiates the wasm runtime over an index bundle.
 *
 * One self-contained function on purpose. search.js turns its source text into
 * a Web Worker (Function.prototype.toString → Blob), which works on file:// where
 * a Worker cannot be loaded from a file URL; the golden test runs the very same
 * function under Node; and it also runs on the main thread if workers are blocked.
 *
 * The wasm side is a plain C ABI (crates/svcbook-search-wasm/src/lib.rs):
 * bytes in through svcb_alloc, JSON out through svcb_result_ptr/len.
 */
/* exported svcbookSearchEngine */
async function svcbookSearchEngine(wasmBytes, indexBytes) {
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
  let t = performance.now();
  const { instance } = await WebAssembly.instantiate(wasmBytes, imports);
  const timing = { instantiateMs: performance.now() - t, openMs: 0 };
  const x = instance.exports;
  memory = x.memory;

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
    if (status !== 0) throw new Error(result.error || 'search failed');
    return result;
  }

  t = performance.now();
  const opened = call(x.svcb_open, new Uint8Array(indexBytes));
  timing.openMs = performance.now() - t;
  return {
    docs: opened.docs,
    /** Where loading went: compiling + instantiating the wasm, opening the index. */
    timing,
    /** req: { q, kind, product, tag, limit, offset } → the SearchResponse object. */
    search(req) {
      return call(x.svcb_search, encoder.encode(JSON.stringify(req)));
    },
    /** req: { q, hits: [{ id, summary, body }] } → [{ snippet, snippet_text, sections }], one per hit. */
    snippets(req) {
      return call(x.svcb_snippets, encoder.encode(JSON.stringify(req)));
    },
  };
}
