//! Hostile markup in a real browser: tests/sites/bad/hostile-markup (every
//! construct that holds inline text, and every front-matter field a page
//! shows, with script in it) is built, and every page of it is opened in
//! Chromium from `file://` and from `svcbook serve`, article pages, print
//! pages and term pages alike (tests/browser/hostile.mjs): no dialog fires,
//! no element or attribute made by the content appears. Needs what
//! `./dev test` installs (Debian's chromium, tests/browser/node_modules).

mod common;
#[cfg(unix)]
mod serve_support;

use std::process::Command;

use common::*;

#[cfg(unix)]
#[test]
fn hostile_markup_never_runs_on_any_page_built_or_served() {
    let browser_dir = browser_dir();
    let fixture = fixture("bad/hostile-markup");
    let tmp = tempfile::tempdir().unwrap();
    let built = tmp.path().join("public");
    build_into(&fixture, &built).unwrap_or_else(|e| panic!("the fixture builds: {e:?}"));
    let copy = tmp.path().join("site");
    serve_support::copy_site(&fixture, &copy);
    let serve = serve_support::Serve::start(&copy);

    let output = Command::new("node")
        .arg(browser_dir.join("hostile.mjs"))
        .env("SVCBOOK_HOSTILE_SITE", &built)
        .env(
            "SVCBOOK_SERVE_URL",
            format!("http://127.0.0.1:{}/", serve.port),
        )
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "hostile markup got through:\n{stdout}\n{stderr}"
    );
    let line = stdout.lines().last().unwrap_or("");
    let result: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    let pages = result["pages"].as_u64().unwrap();
    assert!(pages >= 25, "{result}");
    assert_eq!(result["opened"].as_u64(), Some(2 * pages), "{result}");
    assert_eq!(result["dialogs"], serde_json::json!([]), "{result}");
    assert_eq!(result["problems"], serde_json::json!([]), "{result}");
    assert_eq!(result["searched"].as_u64(), Some(5), "{result}");
}
