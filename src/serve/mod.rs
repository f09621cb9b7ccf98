//! `svcbook serve`: a live preview on 127.0.0.1.
//!
//! The site is built in memory with the same pipeline as `svcbook build` and
//! served from memory; `public/` is never touched. A watcher (notify, debounced)
//! sees edits to content, templates, config and static files; each batch of
//! edits triggers a rebuild. When the rebuild succeeds, the files whose bytes
//! changed are swapped in and every open page that shows one of them reloads
//! (server-sent events; the script is injected into HTML responses only here).
//! When it fails, the last good site keeps being served, and the diagnostics go
//! to the terminal and to an overlay in every open page. An edit to an
//! article's body alone skips the full rebuild ([`incremental`]).
//!
//! HTTP is a small blocking HTTP/1.1 server on `std::net` ([`conn`]): a thread
//! per connection, keep-alive, `GET`/`HEAD` only. Each event-stream client holds
//! its connection's thread (bounded by [`MAX_EVENT_CLIENTS`]).

mod conn;
mod http;
mod incremental;
mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;

use conn::{Reply, Request, Response};

use crate::diagnostics::Diagnostics;
use crate::model::Date;
use crate::output::OutputFile;
use crate::pipeline::{self, BuildError, BuildOptions, StageTimes};
use crate::validate::ValidatedSite;
use incremental::{Live, Patch};

pub use http::{host_allowed, inject_live_reload, mime_type, percent_encode, site_path, Refused};

/// Most connections waiting for a request head at once (each holds a
/// thread); past it, the one waiting longest is closed ([`conn`]).
pub const MAX_READING: usize = 512;
/// Most connections with a complete request at once: a share slow clients
/// never take. Must be larger than [`MAX_EVENT_CLIENTS`].
pub const MAX_SERVING: usize = 512;
/// Most browsers listening for reloads at once; each holds a thread.
pub const MAX_EVENT_CLIENTS: usize = 256;
/// A comment line on idle event streams, so dead connections are noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How long the watcher waits for a burst of writes (an editor's save) to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

const LIVE_JS_SOURCE: &str = include_str!("live.js");

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site_dir: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// The date review deadlines are judged against; defaults to today.
    pub today: Option<Date>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on 127.0.0.1:{port}: {message}")]
    Bind { port: u16, message: String },
    #[error("cannot watch {path}: {message}")]
    Watch { path: PathBuf, message: String },
}

/// One good build, as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts the good builds that changed something; pages carry it so that a
    /// page loaded just before a rebuild still learns it is stale.
    pub generation: u64,
    pub files: HashMap<String, Arc<[u8]>>,
}

/// What the server shares between its threads.
struct State {
    port: u16,
    site: RwLock<Arc<Snapshot>>,
    /// The last failed build's diagnostics, as plain text; `None` when it succeeded.
    errors: RwLock<Option<String>>,
    clients: Mutex<Vec<SyncSender<String>>>,
    event_clients: AtomicUsize,
}

impl State {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn errors(&self) -> Option<String> {
        self.errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sends one server-sent event to every listening page; drops the gone ones.
    fn broadcast(&self, event: &str, data: &impl Serialize) -> usize {
        let message = sse_message(event, data);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|tx| {
            !matches!(
                tx.try_send(message.clone()),
                Err(TrySendError::Disconnected(_))
            )
        });
        clients.len()
    }
}

fn sse_message(event: &str, data: &impl Serialize) -> String {
    let json = serde_json::to_string(data).expect("plain data serialises");
    format!("event: {event}\ndata: {json}\n\n")
}

#[derive(Serialize)]
struct Hello {
    generation: u64,
    errors: Option<String>,
}

#[derive(Serialize)]
struct Reload<'a> {
    generation: u64,
    changed: &'a [String],
}

#[derive(Serialize)]
struct Errors<'a> {
    errors: &'a str,
}

/// The outcome of one rebuild, for the terminal.
#[derive(Debug)]
pub enum Rebuild {
    /// Files changed and pages were told.
    Changed {
        changed: Vec<String>,
        took: Duration,
        warnings: Diagnostics,
        /// `Some(n)` when only the `n` pages an edit touched were rendered
        /// again; `None` after a full rebuild.
        pages: Option<usize>,
    },
    /// The build succeeded with the same bytes as before.
    Unchanged(Duration, Diagnostics),
    /// The build failed; the previous site stays.
    Failed(Duration, String, Diagnostics),
}

/// A running preview server. Dropping it does not stop the worker threads; the
/// process exiting does (this is a command, not a library service).
pub struct Server {
    state: Arc<State>,
    options: BuildOptions,
    addr: SocketAddr,
    watcher: watch::Watcher,
    changes: mpsc::Receiver<notify::Event>,
    /// The last good build, kept for edits that need not rebuild everything;
    /// `None` until a full build succeeds, and after one fails (its errors must
    /// stay shown until a full build clears them).
    live: Mutex<Option<Live>>,
}

impl Server {
    /// Starts watching the site, builds it once and starts answering on
    /// 127.0.0.1:`port`. The watcher comes first, so that an edit made while the
    /// first build runs is not missed.
    pub fn start(options: &ServeOptions) -> Result<(Server, Rebuild), ServeError> {
        raise_open_file_limit();
        let listener =
            TcpListener::bind(("127.0.0.1", options.port)).map_err(|e| ServeError::Bind {
                port: options.port,
                message: e.to_string(),
            })?;
        let addr = listener.local_addr().map_err(|e| ServeError::Bind {
            port: options.port,
            message: e.to_string(),
        })?;
        let state = Arc::new(State {
            port: addr.port(),
            site: RwLock::new(Arc::new(Snapshot::default())),
            errors: RwLock::new(None),
            clients: Mutex::new(Vec::new()),
            event_clients: AtomicUsize::new(0),
        });
        let config = crate::config::SiteConfig::load(&options.site_dir).ok();
        let (tx, changes) = mpsc::channel();
        let watcher = watch::Watcher::start(&options.site_dir, config.as_ref(), tx)?;
        let server = Server {
            state: state.clone(),
            options: BuildOptions {
                site_dir: options.site_dir.clone(),
                output_dir: None,
                drafts: options.drafts,
                today: options.today,
            },
            addr,
            watcher,
            changes,
            live: Mutex::new(None),
        };
        let first = server.rebuild();
        let app_state = state.clone();
        std::thread::spawn(move || {
            let slots = conn::Slots {
                reading: MAX_READING,
                serving: MAX_SERVING,
            };
            conn::serve(listener, slots, move |request| handle(request, &app_state))
        });
        Ok((server, first))
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The site being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.state.snapshot()
    }

    /// Rebuilds the whole site in memory and swaps in what changed.
    pub fn rebuild(&self) -> Rebuild {
        let start = Instant::now();
        let today = self.options.today.unwrap_or_else(Date::today);
        let options = BuildOptions {
            today: Some(today),
            ..self.options.clone()
        };
        match build_in_memory(&options) {
            Ok((site, files)) => {
                let warnings = site.diagnostics().clone();
                let files: HashMap<String, Arc<[u8]>> = files
                    .into_iter()
                    .map(|f| (f.slash_path(), Arc::from(f.bytes)))
                    .collect();
                let old = self.state.snapshot();
                let changed = changed_paths(&old.files, &files);
                let elapsed = start.elapsed();
                let result = if changed.is_empty() {
                    self.unchanged(elapsed, warnings)
                } else {
                    self.publish(files, changed, elapsed, warnings, None)
                };
                // After the reload went out: this only prepares the next edit.
                // The snapshot now holds this build's files either way.
                let served = self.state.snapshot();
                let live = Live::new(site, &served.files, today, self.options.today.is_none());
                *self.live.lock().unwrap_or_else(|e| e.into_inner()) = live;
                result
            }
            Err((text, diagnostics)) => {
                *self.live.lock().unwrap_or_else(|e| e.into_inner()) = None;
                *self.state.errors.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
                self.state.broadcast("errors", &Errors { errors: &text });
                Rebuild::Failed(start.elapsed(), text, diagnostics)
            }
        }
    }

    /// Rebuilds after changes to `paths`: only the pages an edit touched when
    /// it is a body edit of existing articles ([`incremental`]), else everything.
    pub fn rebuild_after(&self, paths: &[PathBuf]) -> Rebuild {
        let start = Instant::now();
        let mut guard = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let Some(live) = guard.as_mut() else {
            drop(guard);
            return self.rebuild();
        };
        let old = self.state.snapshot();
        match live.apply(paths, &old.files) {
            Ok(Patch::Applied {
                files,
                removed,
                warnings,
                pages,
            }) => {
                drop(guard);
                let mut served = old.files.clone();
                let mut changed = Vec::new();
                for path in removed {
                    if served.remove(&path).is_some() {
                        changed.push(path);
                    }
                }
                for f in files {
                    let path = f.slash_path();
                    if served.get(&path).is_none_or(|o| o.as_ref() != f.bytes) {
                        served.insert(path.clone(), Arc::from(f.bytes));
                        changed.push(path);
                    }
                }
                changed.sort();
                changed.dedup();
                let elapsed = start.elapsed();
                if changed.is_empty() {
                    return self.unchanged(elapsed, warnings);
                }
                self.publish(served, changed, elapsed, warnings, Some(pages))
            }
            Ok(Patch::Unchanged(warnings)) => self.unchanged(start.elapsed(), warnings),
            Ok(Patch::Rebuild) => {
                drop(guard);
                self.rebuild()
            }
            Err(incremental::Stale) => {
                *guard = None;
                drop(guard);
                self.rebuild()
            }
        }
    }

    /// Serves `files` as the next generation and tells the pages.
    fn publish(
        &self,
        files: HashMap<String, Arc<[u8]>>,
        changed: Vec<String>,
        took: Duration,
        warnings: Diagnostics,
        pages: Option<usize>,
    ) -> Rebuild {
        *self.state.errors.write().unwrap_or_else(|e| e.into_inner()) = None;
        let generation = self.state.snapshot().generation + 1;
        *self.state.site.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(Snapshot { generation, files });
        self.state.broadcast(
            "reload",
            &Reload {
                generation,
                changed: &changed,
            },
        );
        Rebuild::Changed {
            changed,
            took,
            warnings,
            pages,
        }
    }

    fn unchanged(&self, took: Duration, warnings: Diagnostics) -> Rebuild {
        *self.state.errors.write().unwrap_or_else(|e| e.into_inner()) = None;
        // Also clears the overlay if the previous build had failed.
        self.state.broadcast(
            "reload",
            &Reload {
                generation: self.state.snapshot().generation,
                changed: &[],
            },
        );
        Rebuild::Unchanged(took, warnings)
    }

    /// Watches the site and rebuilds on every batch of changes, forever,
    /// calling `report` after each rebuild. A batch ends when no change has
    /// arrived for [`DEBOUNCE`] (an editor's save is often several writes).
    pub fn watch(mut self, mut report: impl FnMut(&Rebuild)) -> Result<(), ServeError> {
        while let Ok(event) = self.changes.recv() {
            if !self.watcher.relevant(&event) {
                continue;
            }
            let mut paths = event.paths;
            loop {
                match self.changes.recv_timeout(DEBOUNCE) {
                    Ok(more) => {
                        if self.watcher.relevant(&more) {
                            paths.extend(more.paths);
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            paths.sort();
            paths.dedup();
            report(&self.rebuild_after(&paths));
        }
        Ok(())
    }
}

/// Each connection is a socket, and every build opens files: the soft limit
/// on open files (often 1,024) would cap serve below its connection slots, so
/// it is raised to the hard limit, as most servers do at start.
fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, setrlimit, Resource};
        let mut limit = getrlimit(Resource::Nofile);
        let wanted = limit.maximum.unwrap_or(65_536).min(65_536);
        if limit.current.is_some_and(|c| c < wanted) {
            limit.current = Some(wanted);
            let _ = setrlimit(Resource::Nofile, limit);
        }
    }
}

/// The full pipeline short of writing: the site and its files in memory; or
/// the diagnostics as plain text (for the overlay) and as data (for the terminal).
fn build_in_memory(
    options: &BuildOptions,
) -> Result<(ValidatedSite, Vec<OutputFile>), (String, Diagnostics)> {
    let mut times = StageTimes::default();
    let result = pipeline::build_in_memory(options, &mut |_| {}, &mut times);
    result.map_err(|e| match e {
        BuildError::Invalid(d) => {
            let text =
                d.0.iter()
                    .map(|d| d.render(false))
                    .collect::<Vec<_>>()
                    .join("\n\n");
            (text, d)
        }
        other => (format!("error: {other}"), Diagnostics::default()),
    })
}

/// Paths added, removed or with different bytes, sorted.
fn changed_paths(
    old: &HashMap<String, Arc<[u8]>>,
    new: &HashMap<String, Arc<[u8]>>,
) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path).is_none_or(|o| o != *bytes))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}

fn no_store(response: Response) -> Response {
    response
        .with("Cache-Control", "no-store")
        .with("X-Content-Type-Options", "nosniff")
}

fn handle(request: &Request, state: &Arc<State>) -> Reply {
    match route(request, state) {
        Ok(response) => Reply::Response(no_store(response)),
        Err(stream) => stream,
    }
}

/// A response, or (as `Err`) the event stream taking over the connection.
fn route(request: &Request, state: &Arc<State>) -> Result<Response, Reply> {
    if request.method != "GET" && request.method != "HEAD" {
        return Ok(Response::text(405, "method not allowed\n").with("Allow", "GET, HEAD"));
    }
    if !http::host_allowed(request.header("host"), state.port) {
        return Ok(Response::text(403, "forbidden host\n"));
    }
    let url = request.target.as_str();
    let path_only = url.split(['?', '#']).next().unwrap_or("");
    if path_only == http::EVENTS {
        let state = state.clone();
        return Err(Reply::Stream(Box::new(move |stream| {
            event_stream(stream, &state)
        })));
    }
    if path_only == http::LIVE_JS {
        return Ok(Response::new(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS_SOURCE.as_bytes().to_vec(),
        ));
    }
    let rel = match http::site_path(url) {
        Ok(rel) => rel,
        Err(_) => return Ok(Response::text(400, "bad request path\n")),
    };
    let site = state.snapshot();
    if let Some(bytes) = site.files.get(&rel) {
        return Ok(file_response(&rel, bytes, 200, site.generation));
    }
    let index = format!("{rel}/index.html");
    if site.files.contains_key(&index) {
        let location = http::percent_encode(&format!("/{rel}/"));
        return Ok(Response::text(301, "moved\n").with("Location", &location));
    }
    use crate::routes::NOT_FOUND;
    Ok(match site.files.get(NOT_FOUND) {
        Some(page) => file_response(NOT_FOUND, page, 404, site.generation),
        // No good build yet: a bare page that still shows the error overlay.
        None => file_response(NOT_FOUND, NO_SITE_YET.as_bytes(), 404, site.generation),
    })
}

const NO_SITE_YET: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>svcbook serve</title><body><p>站点尚未构建成功。</p></body></html>";

fn file_response(rel: &str, bytes: &[u8], status: u16, generation: u64) -> Response {
    let mime = http::mime_type(rel);
    let body = if mime.starts_with("text/html") {
        http::inject_live_reload(bytes, generation)
    } else {
        bytes.to_vec()
    };
    Response::new(status, mime, body)
}

/// One browser listening for reloads, on its connection's thread until it goes away.
fn event_stream(mut stream: TcpStream, state: &Arc<State>) {
    let count = state.event_clients.fetch_add(1, Ordering::SeqCst) + 1;
    struct Leave<'a>(&'a AtomicUsize);
    impl Drop for Leave<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let _leave = Leave(&state.event_clients);
    if count > MAX_EVENT_CLIENTS {
        let response = no_store(Response::text(503, "too many live-reload clients\n"))
            .with("Retry-After", "5");
        let _ = conn::write_response(&mut stream, &response, false, false);
        return;
    }
    let (tx, rx) = mpsc::sync_channel::<String>(64);
    state
        .clients
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(tx);
    // Registered before the greeting: a rebuild in between is seen twice, never missed.
    let hello = sse_message(
        "hello",
        &Hello {
            generation: state.snapshot().generation,
            errors: state.errors(),
        },
    );
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if stream.write_all(head.as_bytes()).is_err()
        || stream.write_all(hello.as_bytes()).is_err()
        || stream.flush().is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(KEEPALIVE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(message.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_finds_added_removed_and_edited() {
        let old: HashMap<String, Arc<[u8]>> = [
            ("a.html".to_string(), Arc::from(&b"1"[..])),
            ("b.html".to_string(), Arc::from(&b"2"[..])),
            ("gone.html".to_string(), Arc::from(&b"3"[..])),
        ]
        .into_iter()
        .collect();
        let new: HashMap<String, Arc<[u8]>> = [
            ("a.html".to_string(), Arc::from(&b"1"[..])),
            ("b.html".to_string(), Arc::from(&b"changed"[..])),
            ("new.html".to_string(), Arc::from(&b"4"[..])),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            changed_paths(&old, &new),
            ["b.html", "gone.html", "new.html"]
        );
    }

    #[test]
    fn events_are_one_json_line() {
        let m = sse_message(
            "reload",
            &Reload {
                generation: 3,
                changed: &["a\nb.html".to_string()],
            },
        );
        assert_eq!(
            m,
            "event: reload\ndata: {\"generation\":3,\"changed\":[\"a\\nb.html\"]}\n\n"
        );
    }
}
