//! Browser search runtime: [`svcbook_search::Engine`] behind a plain C ABI.
//!
//! No wasm-bindgen: the JS side (themes/default/static/search/engine.js) needs
//! only to copy bytes in and JSON out, and a C ABI keeps the toolchain to
//! `rustup target add wasm32-unknown-unknown`.
//!
//! Protocol, all lengths in bytes:
//! * `svcb_alloc(len) -> ptr`, `svcb_free(ptr, len)`: buffers the host fills.
//! * `svcb_open(ptr, len) -> status`: takes the manifest's chunk table (JSON,
//!   `svcbook_search::chunks::ChunkTable`); the index is then read lazily.
//! * `svcb_add(n, ptr, len) -> status`: hands over the script of chunk `n` of
//!   the table (`-1`: the warm file) as loaded, checked against its name and
//!   hash (status 1 if damaged or of another build).
//! * `svcb_search(ptr, len) -> status`: takes a JSON `SearchRequest` (and frees it);
//!   hits carry summary snippets and the name of their body's fragment file.
//!   Status 2 with `{"need": [n, …]}`: the chunks the search (or opening the
//!   index, on the first search) lacks; add them and call again.
//! * `svcb_snippets(ptr, len) -> status`: takes `{"q": …, "hits": [{"summary": …,
//!   "body": … or null}]}` (the hits of a search, with the bodies the host loaded
//!   from their fragments) and answers `[{"snippet": …, "snippet_text": …}]`.
//! * `svcb_result_ptr()`, `svcb_result_len()`: the JSON answer of the last call,
//!   `{"error": "..."}` when its status was 1; valid until the next call.
//! * import `env.svcb_panic(ptr, len)`: receives the panic message before the trap.

use std::cell::RefCell;
use std::sync::Arc;

use svcbook_search::chunks::{ChunkStore, ChunkTable};
use svcbook_search::{Engine, Hit, SearchError, SearchRequest, SearchResponse};

extern "C" {
    fn svcb_panic(ptr: *const u8, len: usize);
}

#[derive(Default)]
struct State {
    store: Option<Arc<ChunkStore>>,
    engine: Option<Arc<Engine>>,
    result: Vec<u8>,
}

/// A failed call: status 2 asks for chunks, status 1 is an error.
enum Failure {
    Need(Vec<usize>),
    Error(String),
}

impl From<SearchError> for Failure {
    fn from(e: SearchError) -> Failure {
        match e {
            SearchError::NeedChunks(n) => Failure::Need(n),
            e => Failure::Error(e.to_string()),
        }
    }
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn set_result(result: Vec<u8>) {
    STATE.with(|s| s.borrow_mut().result = result);
}

fn error_json(message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default()
}

/// Takes ownership of a buffer made by [`svcb_alloc`] and filled by the host.
///
/// # Safety
/// `ptr`/`len` must come from one `svcb_alloc(len)` call not yet freed.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    Vec::from_raw_parts(ptr, len, len)
}

#[no_mangle]
pub extern "C" fn svcb_alloc(len: usize) -> *mut u8 {
    let mut buf = std::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len));
    buf.as_mut_ptr()
}

/// # Safety
/// `ptr`/`len` must come from one `svcb_alloc(len)` call not yet freed.
#[no_mangle]
pub unsafe extern "C" fn svcb_free(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len));
}

/// # Safety
/// `ptr`/`len` must come from one `svcb_alloc(len)` call, filled with the chunk table JSON.
#[no_mangle]
pub unsafe extern "C" fn svcb_open(ptr: *mut u8, len: usize) -> i32 {
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        // SAFETY: the host reads `len` bytes at `ptr` synchronously, while `msg` lives.
        unsafe { svcb_panic(msg.as_ptr(), msg.len()) }
    }));
    let table = take(ptr, len);
    let opened = serde_json::from_slice::<ChunkTable>(&table)
        .map_err(|e| format!("bad chunk table: {e}"))
        .and_then(|table| ChunkStore::new(table, None).map_err(|e| e.to_string()));
    match opened {
        Ok(store) => {
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.store = Some(Arc::new(store));
                s.engine = None;
            });
            set_result(b"{}".to_vec());
            0
        }
        Err(e) => {
            set_result(error_json(&e));
            1
        }
    }
}

/// # Safety
/// `ptr`/`len` must come from one `svcb_alloc(len)` call, filled with the chunk's script.
#[no_mangle]
pub unsafe extern "C" fn svcb_add(n: i32, ptr: *mut u8, len: usize) -> i32 {
    let bytes = take(ptr, len);
    let result = STATE.with(|s| {
        let store = s
            .borrow()
            .store
            .clone()
            .ok_or("no index open: call svcb_open first")?;
        let added = if n < 0 {
            store.add_warm_script(&bytes)
        } else {
            store.add_chunk_script(n as usize, &bytes)
        };
        added.map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => {
            set_result(b"{}".to_vec());
            0
        }
        Err(e) => {
            set_result(error_json(&e));
            1
        }
    }
}

/// The engine, opened on first use (which may need chunks).
fn engine() -> Result<Arc<Engine>, Failure> {
    STATE.with(|s| {
        if let Some(engine) = &s.borrow().engine {
            return Ok(engine.clone());
        }
        let store = s
            .borrow()
            .store
            .clone()
            .ok_or_else(|| Failure::Error("no index open: call svcb_open first".into()))?;
        if store.needs_warm() {
            return Err(Failure::Need(Vec::new()));
        }
        let engine = Arc::new(Engine::open_lazy(store)?);
        s.borrow_mut().engine = Some(engine.clone());
        Ok(engine)
    })
}

/// Runs `f` on the open engine and the request bytes, storing its answer (or error).
fn answer(request: Vec<u8>, f: impl FnOnce(&Engine, &[u8]) -> Result<Vec<u8>, Failure>) -> i32 {
    let result = engine().and_then(|engine| f(&engine, &request));
    match result {
        Ok(json) => {
            set_result(json);
            0
        }
        Err(Failure::Need(chunks)) => {
            set_result(
                serde_json::to_vec(&serde_json::json!({ "need": chunks })).unwrap_or_default(),
            );
            2
        }
        Err(Failure::Error(message)) => {
            set_result(error_json(&message));
            1
        }
    }
}

/// # Safety
/// `ptr`/`len` must come from one `svcb_alloc(len)` call, filled with request JSON.
#[no_mangle]
pub unsafe extern "C" fn svcb_search(ptr: *mut u8, len: usize) -> i32 {
    answer(take(ptr, len), |engine, request| {
        let req: SearchRequest = serde_json::from_slice(request)
            .map_err(|e| Failure::Error(format!("bad request: {e}")))?;
        let res = engine.search(&req)?;
        serde_json::to_vec(&res).map_err(|e| Failure::Error(e.to_string()))
    })
}

/// # Safety
/// `ptr`/`len` must come from one `svcb_alloc(len)` call, filled with request JSON.
#[no_mangle]
pub unsafe extern "C" fn svcb_snippets(ptr: *mut u8, len: usize) -> i32 {
    answer(take(ptr, len), |engine, request| {
        let req: serde_json::Value = serde_json::from_slice(request)
            .map_err(|e| Failure::Error(format!("bad request: {e}")))?;
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let items = req["hits"].as_array().cloned().unwrap_or_default();
        let mut response = SearchResponse {
            query: text(&req["q"]),
            hits: items
                .iter()
                .map(|h| Hit {
                    id: text(&h["id"]),
                    summary: text(&h["summary"]),
                    ..Hit::default()
                })
                .collect(),
            ..SearchResponse::default()
        };
        let bodies: Vec<Option<String>> = items
            .iter()
            .map(|h| h["body"].as_str().map(str::to_string))
            .collect();
        engine.snippets(&mut response, &bodies)?;
        let out: Vec<serde_json::Value> = response
            .hits
            .iter()
            .map(|h| {
                serde_json::json!({
                    "snippet": h.snippet,
                    "snippet_text": h.snippet_text,
                    "sections": h.sections,
                })
            })
            .collect();
        serde_json::to_vec(&out).map_err(|e| Failure::Error(e.to_string()))
    })
}

#[no_mangle]
pub extern "C" fn svcb_result_ptr() -> *const u8 {
    STATE.with(|s| s.borrow().result.as_ptr())
}

#[no_mangle]
pub extern "C" fn svcb_result_len() -> usize {
    STATE.with(|s| s.borrow().result.len())
}

/// getrandom's custom backend (selected by `--cfg getrandom_backend="custom"`;
/// getrandom 0.3 and 0.4 both call this symbol). Only writing an index needs
/// randomness (segment ids); the browser only reads, so this always fails.
///
/// # Safety
/// Called by getrandom with a valid buffer; it is never written.
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(
    _dest: *mut u8,
    _len: usize,
) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}
