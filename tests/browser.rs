//! Runs the real-browser tests (`tests/browser/*.test.mjs`, node's test runner
//! driving Debian's chromium through playwright-core) against a fresh build of
//! the demo site (and of tests/sites/paginated, for the page numbers). `./dev test` installs chromium and the npm packages first; if
//! they are missing this test fails and says so rather than skipping silently.

mod common;

use common::*;

#[test]
fn browser_tests_pass_on_the_demo_site() {
    let browser_dir = browser_dir();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    build_into(&repo(), &site).unwrap_or_else(|e| panic!("demo build failed: {e:?}"));
    // The demo's listings fit on one page each; the page numbers are tried
    // on a fixture of two entries a page (pager.test.mjs).
    let paginated = tmp.path().join("paginated");
    build_into(&fixture("paginated"), &paginated)
        .unwrap_or_else(|e| panic!("paginated fixture build failed: {e:?}"));

    let mut files: Vec<_> = std::fs::read_dir(&browser_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    run_node_tests(
        &files,
        &[
            ("SVCBOOK_SITE", &site),
            ("SVCBOOK_PAGINATED_SITE", &paginated),
        ],
    );
}
