//! Live reload in a real browser: `svcbook serve` on a copy of the demo site,
//! headless Chromium on an article, the article edited on disk → the page
//! reloads and shows the new text; a build error shows the overlay and keeps the
//! page; the fix reloads it. The browser side is tests/browser/serve_reload.mjs.
//! Prints the edit-to-reload times (not asserted: they depend on the machine).

mod common;
mod serve_support;

use std::process::Command;

use common::*;
use serve_support::*;

#[test]
fn an_open_page_reloads_when_its_article_is_edited() {
    let browser_dir = browser_dir();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("demo");
    std::fs::create_dir_all(&site).unwrap();
    for part in ["content", "paths", "svcbook.toml"] {
        let from = repo().join(part);
        if from.is_dir() {
            copy_site(&from, &site.join(part));
        } else if from.is_file() {
            std::fs::copy(&from, site.join(part)).unwrap();
        }
    }
    let serve = Serve::start(&site);
    let output = Command::new("node")
        .arg(browser_dir.join("serve_reload.mjs"))
        .env(
            "SVCBOOK_SERVE_URL",
            format!("http://127.0.0.1:{}/", serve.port),
        )
        .env(
            "SVCBOOK_ARTICLE",
            site.join("content/fault-cases/FC-0001.md"),
        )
        .env("SVCBOOK_PAGE", "fault-cases/FC-0001.html")
        .env("SVCBOOK_OTHER_PAGE", "about.html")
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "live-reload browser test failed:\n{stdout}\n{stderr}\nserver:\n{}",
        serve.stderr()
    );
    let result: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {stdout}"));
    println!("edit-to-reload on the demo site: {result}");
    assert_eq!(result["reload_ms"].as_array().unwrap().len(), 5);
}
