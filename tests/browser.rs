//! Runs the real-browser tests (`tests/browser/*.test.mjs`, node's test runner
//! driving Debian's chromium through playwright-core) against a fresh build of
//! the demo site. `./dev test` installs chromium and the npm packages first; if
//! they are missing this test fails and says so rather than skipping silently.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn require(what: &str, ok: bool) {
    assert!(
        ok,
        "{what} is missing: run `./dev test`, which installs it (see README)"
    );
}

#[test]
fn browser_tests_pass_on_the_demo_site() {
    let browser_dir = repo().join("tests/browser");
    require(
        "/usr/bin/chromium (Debian package chromium)",
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
    );
    require(
        "tests/browser/node_modules (npm ci in tests/browser)",
        browser_dir.join("node_modules/playwright-core").is_dir(),
    );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    build_into(&repo(), &site).unwrap_or_else(|e| panic!("demo build failed: {e:?}"));

    let mut files: Vec<_> = std::fs::read_dir(&browser_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let output = Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .args(&files)
        .env("SVCBOOK_SITE", &site)
        .env("SVCBOOK_ARTEFACTS", repo().join("target/browser"))
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("# fail 0") || stdout.contains("ℹ fail 0"),
        "{stdout}"
    );
}
