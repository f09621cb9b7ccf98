//! The HTTP/1.1 subset a local preview needs, on `std::net`: one thread per
//! connection (bounded), keep-alive, `GET` and `HEAD` without bodies, bounded
//! request heads. Anything else gets a 4xx/5xx and the connection is closed.
//!
//! Slow clients cannot starve the rest (slowloris): a request head must arrive
//! whole within [`HEAD_DEADLINE`] of the connection being ready for it, and
//! the connection slots are split in two. A connection waiting for its request
//! head holds a *reading* slot; when those run out, the one that has waited
//! longest is closed to make room, so 1,100 connections trickling one header
//! line every few seconds only ever hold connections that are about to be
//! dropped. A request that has arrived whole moves to a *serving* slot, which
//! slow clients never reach: that share is kept for real requests.
//!
//! Why not a crate: tiny_http 0.12 was tried first; its connection thread pool
//! loses wake-ups (a connection accepted while a notified worker has not yet
//! woken waits in the queue until some other connection ends), which left
//! Chromium's page loads hanging on two of eight parallel requests. hyper would
//! bring an async runtime for a server that holds a handful of connections.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most bytes in a request line plus headers.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Most headers in one request.
const MAX_HEADERS: usize = 100;
/// A request head must be complete this long after the connection is ready
/// for it (opened, or done with the previous response): this is also how long
/// an idle keep-alive connection stays open.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// How the connection slots are shared out.
#[derive(Debug, Clone, Copy)]
pub struct Slots {
    /// Connections waiting for a request head, at most.
    pub reading: usize,
    /// Connections with a complete request (being answered, or an event stream).
    pub serving: usize,
}

/// One parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// `(lower-case name, value)` in order.
    pub headers: Vec<(String, String)>,
    pub keep_alive: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A complete response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    pub fn with(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// What the application does with a request.
pub enum Reply {
    Response(Response),
    /// Take over the connection (server-sent events); it is not reused.
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Why a request head was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// The client closed the connection or went idle: nothing to answer.
    Gone,
    /// Malformed or too large: answer with this status, then close.
    Bad(u16),
}

/// The connections waiting for a request head, oldest first, each with a
/// handle that can close it from another thread.
#[derive(Default)]
struct Waiting {
    by_age: Mutex<BTreeMap<u64, TcpStream>>,
    next: AtomicU64,
}

impl Waiting {
    /// Registers a connection as waiting; when `max` already wait, first
    /// closes the one that has waited longest (its thread sees the end of the
    /// stream and leaves). Returns the ticket to [`Waiting::done`] with.
    fn enter(&self, stream: &TcpStream, max: usize) -> Option<u64> {
        let handle = stream.try_clone().ok()?;
        let ticket = self.next.fetch_add(1, Ordering::Relaxed);
        let mut by_age = self.by_age.lock().unwrap_or_else(|e| e.into_inner());
        while by_age.len() >= max.max(1) {
            let Some((_, oldest)) = by_age.pop_first() else {
                break;
            };
            let _ = oldest.shutdown(Shutdown::Both);
        }
        by_age.insert(ticket, handle);
        Some(ticket)
    }

    /// The connection's head arrived (or it is gone): it waits no longer.
    fn done(&self, ticket: u64) {
        self.by_age
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&ticket);
    }
}

struct Shared<A: ?Sized> {
    waiting: Waiting,
    serving: AtomicUsize,
    slots: Slots,
    app: A,
}

/// Accepts connections forever, one thread each, within `slots`.
pub fn serve(
    listener: TcpListener,
    slots: Slots,
    app: impl Fn(&Request) -> Reply + Send + Sync + 'static,
) {
    let shared = Arc::new(Shared {
        waiting: Waiting::default(),
        serving: AtomicUsize::new(0),
        slots,
        app,
    });
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // Out of file descriptors, most likely: a pause lets
                // connections end, where retrying at once would spin.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let Some(ticket) = shared.waiting.enter(&stream, slots.reading) else {
            continue;
        };
        let shared_here = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("svcbook-serve-conn".into())
            .stack_size(256 * 1024)
            .spawn(move || connection(stream, ticket, &shared_here));
        if spawned.is_err() {
            // Out of threads: the stream was moved into the closure and
            // dropped unserved; give its place back.
            shared.waiting.done(ticket);
        }
    }
}

/// A stream that gives up at a deadline, however slowly bytes trickle in.
struct Deadline {
    stream: TcpStream,
    until: Instant,
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn connection<A: Fn(&Request) -> Reply + ?Sized>(
    stream: TcpStream,
    first_ticket: u64,
    shared: &Shared<A>,
) {
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        shared.waiting.done(first_ticket);
        return;
    };
    let mut reader = BufReader::new(Deadline {
        stream: read_half,
        until: Instant::now() + HEAD_DEADLINE,
    });
    let mut writer = stream;
    let mut ticket = Some(first_ticket);
    loop {
        let Some(waiting) = ticket.or_else(|| shared.waiting.enter(&writer, shared.slots.reading))
        else {
            return;
        };
        reader.get_mut().until = Instant::now() + HEAD_DEADLINE;
        let head = read_head(&mut reader);
        shared.waiting.done(waiting);
        ticket = None;
        let request = match head {
            Ok(r) => r,
            Err(HeadError::Gone) => return,
            Err(HeadError::Bad(status)) => {
                let _ = write_response(
                    &mut writer,
                    &Response::text(status, "bad request\n"),
                    false,
                    false,
                );
                return;
            }
        };
        // A complete request: a serving slot, which slow clients never hold.
        if shared.serving.fetch_add(1, Ordering::SeqCst) >= shared.slots.serving {
            shared.serving.fetch_sub(1, Ordering::SeqCst);
            let _ = write_response(
                &mut writer,
                &Response::text(503, "too many connections\n").with("Retry-After", "1"),
                false,
                false,
            );
            return;
        }
        let keep_going = answer(&request, &mut writer, &shared.app);
        shared.serving.fetch_sub(1, Ordering::SeqCst);
        if !keep_going {
            return;
        }
    }
}

/// Answers one request; `false` when the connection is done (closed, or
/// taken over by an event stream).
fn answer<A: Fn(&Request) -> Reply + ?Sized>(
    request: &Request,
    writer: &mut TcpStream,
    app: &A,
) -> bool {
    // No request of ours has a body; one that announces a body is refused
    // (reading it would be needed to find the next request).
    let has_body = request
        .header("content-length")
        .is_some_and(|v| v.trim() != "0")
        || request.header("transfer-encoding").is_some();
    if has_body {
        let _ = write_response(
            writer,
            &Response::text(413, "request bodies are not accepted\n"),
            false,
            false,
        );
        return false;
    }
    let head_only = request.method == "HEAD";
    match app(request) {
        Reply::Response(response) => {
            write_response(writer, &response, head_only, request.keep_alive).is_ok()
                && request.keep_alive
        }
        Reply::Stream(take) => {
            let _ = writer.set_read_timeout(None);
            match writer.try_clone() {
                Ok(stream) => take(stream),
                Err(_) => return false,
            }
            false
        }
    }
}

/// Reads one request head (request line and headers), bounded in size.
pub fn read_head(reader: &mut impl BufRead) -> Result<Request, HeadError> {
    let mut used = 0;
    let mut line = Vec::new();
    // RFC 9112 §2.2: ignore empty lines before the request line.
    let request_line = loop {
        line.clear();
        let n = read_line(reader, &mut line, &mut used)?;
        if n == 0 {
            return Err(HeadError::Gone);
        }
        let text = trim_eol(&line);
        if !text.is_empty() {
            break std::str::from_utf8(text)
                .map_err(|_| HeadError::Bad(400))?
                .to_string();
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Bad(400));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return Err(HeadError::Bad(400));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => return Err(HeadError::Bad(505)),
        _ => return Err(HeadError::Bad(400)),
    };
    let mut headers = Vec::new();
    loop {
        line.clear();
        if read_line(reader, &mut line, &mut used)? == 0 {
            return Err(HeadError::Gone);
        }
        let text = trim_eol(&line);
        if text.is_empty() {
            break;
        }
        if headers.len() >= MAX_HEADERS {
            return Err(HeadError::Bad(431));
        }
        let text = std::str::from_utf8(text).map_err(|_| HeadError::Bad(400))?;
        let (name, value) = text.split_once(':').ok_or(HeadError::Bad(400))?;
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(HeadError::Bad(400));
        }
        let name = name.to_ascii_lowercase();
        // RFC 9112 §3.2: a second Host is a 400, whatever the two say.
        if name == "host" && headers.iter().any(|(n, _)| n == "host") {
            return Err(HeadError::Bad(400));
        }
        headers.push((name, value.trim().to_string()));
    }
    let connection = headers
        .iter()
        .find(|(n, _)| n == "connection")
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    let keep_alive = if http11 {
        !connection.contains("close")
    } else {
        connection.contains("keep-alive")
    };
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        keep_alive,
    })
}

/// One line into `line`, counting against the head's size limit.
fn read_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    used: &mut usize,
) -> Result<usize, HeadError> {
    let budget = (MAX_HEAD_BYTES - *used) as u64 + 1;
    let n = reader
        .take(budget)
        .read_until(b'\n', line)
        .map_err(|_| HeadError::Gone)?;
    *used += n;
    if *used > MAX_HEAD_BYTES {
        return Err(HeadError::Bad(431));
    }
    if n > 0 && !line.ends_with(b"\n") {
        // The connection ended in the middle of a line.
        return Err(HeadError::Gone);
    }
    Ok(n)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Writes a response with its length; the body is left out for `HEAD`.
pub fn write_response(
    w: &mut impl Write,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    w.write_all(head.as_bytes())?;
    if !head_only {
        w.write_all(&response.body)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Request, HeadError> {
        read_head(&mut BufReader::new(text.as_bytes()))
    }

    #[test]
    fn parses_request_heads() {
        let r = head("\r\nGET /a%20b.html?x HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nX-A:  b \r\n\r\n")
            .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/a%20b.html?x");
        assert_eq!(r.header("host"), Some("127.0.0.1:8000"));
        assert_eq!(r.header("x-a"), Some("b"));
        assert!(r.keep_alive);
        assert!(
            !head("GET / HTTP/1.1\nConnection: close\n\n")
                .unwrap()
                .keep_alive
        );
        assert!(!head("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        assert!(
            head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                .unwrap()
                .keep_alive
        );
    }

    #[test]
    fn refuses_malformed_and_oversized_heads() {
        assert_eq!(head(""), Err(HeadError::Gone));
        assert_eq!(head("GET / HTTP/1.1\r\nHost: x"), Err(HeadError::Gone));
        assert_eq!(head("GET /\r\n\r\n"), Err(HeadError::Bad(400)));
        assert_eq!(head("GET / HTTP/2.0\r\n\r\n"), Err(HeadError::Bad(505)));
        assert_eq!(head("get / HTTP/1.1\r\n\r\n"), Err(HeadError::Bad(400)));
        assert_eq!(head("GET  / HTTP/1.1\r\n\r\n"), Err(HeadError::Bad(400)));
        assert_eq!(
            head("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n"),
            Err(HeadError::Bad(400))
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nNoColon\r\n\r\n"),
            Err(HeadError::Bad(400))
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nhost: evil.example\r\n\r\n"),
            Err(HeadError::Bad(400))
        );
        let huge = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(head(&huge), Err(HeadError::Bad(431)));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(&many), Err(HeadError::Bad(431)));
        assert_eq!(
            head("GET /\u{ff} HTTP/1.1\r\n\r\n").unwrap().target,
            "/\u{ff}"
        );
        assert_eq!(
            read_head(&mut BufReader::new(&b"GET /\xff HTTP/1.1\r\n\r\n"[..])),
            Err(HeadError::Bad(400))
        );
    }

    #[test]
    fn responses_carry_length_and_connection() {
        let mut out = Vec::new();
        let r = Response::text(404, "no\n").with("X-A", "b");
        write_response(&mut out, &r, false, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nX-A: b\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nno\n"
        );
        let mut out = Vec::new();
        write_response(&mut out, &r, true, false).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .ends_with("Connection: close\r\n\r\n"));
    }
}
