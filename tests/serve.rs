//! `svcbook serve` over real HTTP on 127.0.0.1: MIME types, the live-reload
//! script (only in served HTML, never in `svcbook build` output), path traversal
//! in every encoding, rebuild-and-notify on edits, the last good site kept on a
//! build error, and a bounded load test with many concurrent clients.
//! The browser side (a page that reloads) is tests/serve_reload.rs.

mod common;
mod serve_support;

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;
use serve_support::*;

fn kinds_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_site(&fixture("kinds"), &site);
    (tmp, site)
}

#[test]
fn serves_the_site_with_mime_types_and_live_reload_only_in_html() {
    let (tmp, site) = kinds_copy();
    let serve = Serve::start(&site);

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), "no-store");
    let html = home.text();
    let tag = "<script src=\"/__svcbook/live.js\" data-generation=\"1\"></script>\n</body>";
    assert!(html.contains(tag), "{html}");

    let js = serve.get("/__svcbook/live.js");
    assert_eq!(js.header("content-type"), "text/javascript; charset=utf-8");
    assert!(js.text().contains("new EventSource('/__svcbook/events')"));

    // What `build` writes for the same site: same files, and no live reload in any.
    let out = tmp.path().join("built");
    // Built for today, as serve does (a review date may change a page).
    svcbook::pipeline::build(
        &svcbook::pipeline::BuildOptions {
            site_dir: site.clone(),
            output_dir: Some(out.clone()),
            drafts: true,
            today: None,
        },
        &mut |_| {},
    )
    .unwrap();
    let built = snapshot(&out);
    let mut seen_exts = std::collections::BTreeSet::new();
    for (path, bytes) in &built {
        assert!(
            // The live-reload script and its event stream, by their URLs: the
            // service worker may name serve's reserved `__svcbook/` folder to skip it.
            !["/__svcbook/live.js", "/__svcbook/events"]
                .iter()
                .any(|url| String::from_utf8_lossy(bytes).contains(url)),
            "{path}: svcbook build output must not carry the live-reload script"
        );
        if path == svcbook::write::MARKER {
            continue;
        }
        let ext = path
            .rsplit_once('.')
            .map(|(_, e)| e)
            .unwrap_or("")
            .to_string();
        if !seen_exts.insert(ext.clone()) && ext != "html" {
            continue;
        }
        let url = format!("/{}", svcbook::serve::percent_encode(path));
        let reply = serve.get(&url);
        assert_eq!(reply.status, 200, "{url}");
        if ext != "html" {
            assert_eq!(
                &reply.body, bytes,
                "{url}: served bytes are the built bytes"
            );
        }
        let expected = match ext.as_str() {
            "html" => "text/html; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            "wasm" => "application/wasm",
            "xml" => "application/xml",
            "svg" => "image/svg+xml",
            "json" => "application/json",
            _ => continue,
        };
        assert_eq!(reply.header("content-type"), expected, "{url}");
    }
    assert!(seen_exts.contains("wasm"), "{seen_exts:?}");

    let missing = serve.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("/__svcbook/live.js"),
        "the 404 page reloads too"
    );
    let folder = serve.get("/fault-cases");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), "/fault-cases/");
    assert_eq!(serve.get("/fault-cases/").status, 200);
    let tag_page = serve.get(&format!(
        "/tags/{}.html",
        svcbook::serve::percent_encode("上门")
    ));
    assert_eq!(tag_page.status, 200, "percent-encoded Chinese paths");

    let head = request(
        serve.port,
        "HEAD",
        "/",
        &format!("127.0.0.1:{}", serve.port),
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = request(
        serve.port,
        "POST",
        "/",
        &format!("127.0.0.1:{}", serve.port),
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
    let rebound = request(serve.port, "GET", "/", "attacker.example");
    assert_eq!(rebound.status, 403, "DNS rebinding: foreign Host refused");
    assert!(
        !site.join("public").exists(),
        "serve never writes the output folder"
    );
}

#[test]
fn path_traversal_is_refused_in_every_encoding() {
    let (tmp, site) = kinds_copy();
    fs::write(tmp.path().join("secret.txt"), "TOP-SECRET").unwrap();
    let serve = Serve::start(&site);
    for target in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/fault-cases/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/fault-cases/..%2f..%2fsecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/secret.txt%00.html",
    ] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 400, "{target}");
        assert!(!reply.text().contains("TOP-SECRET"), "{target}");
    }
    // Harmless look-alikes are plain misses inside the site, never files outside it.
    for target in [
        "//etc/passwd",
        "/%252e%252e/secret.txt",
        "/svcbook.toml",
        "/content/fault-cases/FC-1.md",
        "/secret.txt",
    ] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("TOP-SECRET") && !reply.text().contains("root:"));
    }
    // Origin-form targets only.
    let host = format!("127.0.0.1:{}", serve.port);
    let absolute = format!("http://{host}/../secret.txt");
    assert_eq!(request(serve.port, "GET", &absolute, &host).status, 400);
}

#[test]
fn edits_rebuild_notify_and_a_broken_build_keeps_the_last_good_site() {
    let (_tmp, site) = kinds_copy();
    let serve = Serve::start(&site);
    let mut events = Events::connect(serve.port);
    let (name, hello) = events.next();
    assert_eq!(name, "hello");
    assert_eq!(hello["generation"], 1);
    assert_eq!(hello["errors"], serde_json::Value::Null);

    let fc = site.join("content/fault-cases/FC-1.md");
    let original = fs::read_to_string(&fc).unwrap();
    fs::write(
        &fc,
        original.replace("## 现象", "## 现象\n\n改动后的第一段。"),
    )
    .unwrap();
    let (name, reload) = events.next();
    assert_eq!(name, "reload");
    assert_eq!(reload["generation"], 2);
    let changed: Vec<&str> = reload["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(changed.contains(&"fault-cases/FC-1.html"), "{changed:?}");
    assert!(
        !changed.contains(&"procedures/PR-1.html"),
        "only pages whose bytes changed: {changed:?}"
    );
    let page = serve.get("/fault-cases/FC-1.html").text();
    assert!(page.contains("改动后的第一段。"));
    assert!(page.contains("data-generation=\"2\""));

    // A build error: every page hears about it; the last good site stays.
    fs::write(&fc, original.replace("severity: high", "severity: urgent")).unwrap();
    let (name, errors) = events.next();
    assert_eq!(name, "errors");
    let text = errors["errors"].as_str().unwrap();
    assert!(
        text.contains("error[E0105]: `urgent` is not a valid `severity`")
            && text.contains("FC-1.md:"),
        "{text}"
    );
    let kept = serve.get("/fault-cases/FC-1.html");
    assert_eq!(kept.status, 200);
    assert!(
        kept.text().contains("改动后的第一段。"),
        "last good site still served"
    );
    let late = Events::connect(serve.port).next();
    assert_eq!(late.0, "hello");
    assert!(
        late.1["errors"].as_str().unwrap().contains("E0105"),
        "a page opened now shows the overlay too"
    );
    wait_for(
        || serve.stderr().contains("build failed"),
        "terminal report",
    );
    assert!(
        serve.stderr().contains("error[E0105]"),
        "{}",
        serve.stderr()
    );

    // Fixed: reload, and the overlay goes.
    fs::write(&fc, &original).unwrap();
    let (name, reload) = events.next();
    assert_eq!(name, "reload");
    assert_eq!(reload["generation"], 3);
    assert!(!serve
        .get("/fault-cases/FC-1.html")
        .text()
        .contains("改动后的第一段。"));

    // A new article appears as a new page.
    fs::write(
        site.join("content/scripts/SC-2.md"),
        "---\ntitle: 新话术\nchannel: online\n---\n```say\n您好！\n```\n",
    )
    .unwrap();
    let (name, reload) = events.next();
    assert_eq!(name, "reload");
    assert!(reload["changed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "scripts/SC-2.html"));
    assert_eq!(serve.get("/scripts/SC-2.html").status, 200);
}

fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Bounded (3 s, 16 connections at a time, a new connection per request) on
/// 127.0.0.1, while 100 pages listen for reloads. Reports requests per second;
/// asserts only that nothing failed.
#[test]
fn many_concurrent_clients_and_a_bounded_load_test() {
    let (_tmp, site) = kinds_copy();
    let serve = Serve::start(&site);
    let listeners: Vec<Events> = (0..100).map(|_| Events::connect(serve.port)).collect();
    let port = serve.port;
    let paths = [
        "/",
        "/fault-cases/FC-1.html",
        "/assets/style.css",
        "/procedures/index.html",
        "/sitemap.xml",
        "/tags/index.html",
    ];
    let deadline = Instant::now() + Duration::from_secs(3);
    let workers: Vec<_> = (0..16)
        .map(|w| {
            std::thread::spawn(move || {
                let (mut ok, mut failed) = (0u64, 0u64);
                let mut i = w;
                while Instant::now() < deadline {
                    let reply = request(
                        port,
                        "GET",
                        paths[i % paths.len()],
                        &format!("127.0.0.1:{port}"),
                    );
                    if reply.status == 200 && !reply.body.is_empty() {
                        ok += 1;
                    } else {
                        failed += 1;
                    }
                    i += 1;
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut ok, mut failed) = (0, 0);
    for w in workers {
        let (o, f) = w.join().unwrap();
        ok += o;
        failed += f;
    }
    println!(
        "load: {ok} requests in 3 s = {:.0} req/s, {failed} errors, 100 event streams open",
        ok as f64 / 3.0
    );
    assert_eq!(failed, 0);
    assert!(ok > 100, "{ok}");
    // Every listener is still connected and hears the next rebuild.
    let fc = site.join("content/fault-cases/FC-1.md");
    let text = fs::read_to_string(&fc).unwrap();
    fs::write(&fc, text.replace("## 现象", "## 现象\n\n负载后。")).unwrap();
    for mut l in listeners {
        assert_eq!(l.next().0, "hello");
        assert_eq!(l.next().0, "reload");
    }
}
