//! `svcbook serve` under slowloris: 1,100 connections on 127.0.0.1 that each
//! send one header line every two seconds (and come back when closed) never
//! finish a request head. Real requests, sent whole every 100 ms meanwhile,
//! must all be answered. Bounded: about 20 seconds.
//!
//! `SVCBOOK_SLOWLORIS_BIN=/path/to/svcbook cargo test --test serve_slowloris`
//! runs the same attack against another binary (an older version, say) and
//! prints what it answered; the assertions still apply.

#![cfg(unix)]

mod serve_support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serve_support::*;

const ATTACKERS: usize = 1_100;
const LINE_EVERY: Duration = Duration::from_secs(2);
const ATTACK: Duration = Duration::from_secs(16);

/// Enough open files for the attack, the real requests and the server's side.
fn raise_open_file_limit() {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut limit = getrlimit(Resource::Nofile);
    let wanted = limit.maximum.unwrap_or(65_536).min(65_536);
    if limit.current.is_some_and(|c| c < wanted) {
        limit.current = Some(wanted);
        setrlimit(Resource::Nofile, limit).unwrap();
    }
    let now = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
    assert!(
        now >= 3 * ATTACKERS as u64,
        "open-file limit {now} is too low for the test"
    );
}

/// A connection that has started a request and trickles its head.
fn open_slow(port: u16) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_nonblocking(true).ok()?;
    stream
        .write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n").as_bytes())
        .ok()?;
    Some(stream)
}

/// Whether the server still holds a slow connection open (it has neither
/// closed it nor answered it).
fn still_open(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 512];
    matches!(stream.read(&mut buf), Err(e) if e.kind() == ErrorKind::WouldBlock)
}

/// One line more on every slow connection the server still holds; closed ones
/// are opened again (after counting, so that reconnecting, which makes the
/// server close others, does not skew the count). Returns how many the server
/// held at the start of the round.
fn trickle(port: u16, conns: &mut [Option<TcpStream>], round: usize) -> usize {
    let open: Vec<bool> = conns
        .iter_mut()
        .map(|slot| slot.as_mut().is_some_and(still_open))
        .collect();
    for (slot, open) in conns.iter_mut().zip(&open) {
        let written = *open
            && slot.as_mut().is_some_and(|stream| {
                stream
                    .write_all(format!("X-Slow-{round}: a\r\n").as_bytes())
                    .is_ok()
            });
        if !written {
            *slot = open_slow(port);
        }
    }
    open.iter().filter(|o| **o).count()
}

fn real_request(port: u16) -> Result<u16, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(
            format!(
                "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))
}

#[test]
fn real_requests_are_answered_during_a_slowloris_attack() {
    raise_open_file_limit();
    let binary = std::env::var_os("SVCBOOK_SLOWLORIS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_svcbook")));
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/kinds");
    let serve = Serve::start_with(&binary, &site);
    let port = serve.port;
    assert_eq!(real_request(port), Ok(200), "answers before the attack");

    let stop = Arc::new(AtomicBool::new(false));
    let most_alive = Arc::new(AtomicUsize::new(0));
    let attacker = {
        let (stop, most_alive) = (stop.clone(), most_alive.clone());
        std::thread::spawn(move || {
            let mut conns: Vec<Option<TcpStream>> =
                (0..ATTACKERS).map(|_| open_slow(port)).collect();
            let mut round = 0;
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(LINE_EVERY);
                round += 1;
                let alive = trickle(port, &mut conns, round);
                most_alive.fetch_max(alive, Ordering::SeqCst);
            }
        })
    };

    // Real requests, sent whole, every 100 ms while the attack runs.
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let mut answers = Vec::new();
    while start.elapsed() < ATTACK {
        answers.push(real_request(port));
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::SeqCst);
    attacker.join().unwrap();

    let ok = answers.iter().filter(|a| **a == Ok(200)).count();
    let failed: Vec<_> = answers.iter().filter(|a| **a != Ok(200)).collect();
    let held = most_alive.load(Ordering::SeqCst);
    println!(
        "{} real requests during the attack: {ok} answered 200; slow connections held open at once, at most: {held}; failures: {:?}",
        answers.len(),
        &failed[..failed.len().min(5)]
    );
    // The attack was real: the server was holding hundreds of slow heads (all
    // of its share for them) at the start of a round.
    assert!(held >= 300, "only {held} slow connections were ever open");
    assert!(answers.len() >= 100, "{} requests", answers.len());
    assert_eq!(
        ok,
        answers.len(),
        "every real request is answered; the first failures: {:?}",
        &failed[..failed.len().min(10)]
    );
    assert_eq!(real_request(port), Ok(200), "and after it");
}

#[test]
fn a_second_host_header_is_refused() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/kinds");
    let serve = Serve::start(&site);
    let port = serve.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 400"), "{raw}");
    assert_eq!(serve.get("/").status, 200);
}
