//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use svcbook::model::Date;
use svcbook::pipeline::{self, BuildError, BuildOptions, BuildReport};
use svcbook_search::{Engine, Hit, SearchRequest};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/sites").join(name)
}

/// A fixed "today" so review-overdue output does not change with the calendar.
pub fn today() -> Date {
    Date::parse("2026-06-01").unwrap()
}

pub fn build_into(site: &Path, out: &Path) -> Result<BuildReport, BuildError> {
    let options = BuildOptions {
        site_dir: site.to_path_buf(),
        output_dir: Some(out.to_path_buf()),
        drafts: false,
        today: Some(today()),
    };
    pipeline::build(&options, &mut |_| {})
}

/// Every file under `dir` (relative path → bytes), for byte-exact comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                svcbook::load::relative_slash_path(e.path(), dir),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Writes `files` (`(path under dir, text)`) into `dir`, folders included:
/// a small site made in a test.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

pub fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// All `href="..."` and `src="..."` values of an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// `tests/browser/`, once it is sure that what the browser tests need is
/// there: Debian's chromium and the npm packages. `./dev test` installs both;
/// a test that finds them missing fails and says so rather than skipping.
pub fn browser_dir() -> PathBuf {
    let dir = repo().join("tests/browser");
    let require = |what: &str, ok: bool| {
        assert!(
            ok,
            "{what} is missing: run `./dev test`, which installs it (see README)"
        );
    };
    require(
        "/usr/bin/chromium (Debian package chromium)",
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
    );
    require(
        "tests/browser/node_modules (npm ci in tests/browser)",
        dir.join("node_modules/playwright-core").is_dir(),
    );
    dir
}

/// Runs `files` with node's test runner (spec reporter) and `env`, prints what
/// it said, and fails unless every test passed; returns its standard output
/// for further checks. Artefacts (screenshots, JSON) go to `target/browser`.
#[allow(dead_code)]
pub fn run_node_tests(files: &[PathBuf], env: &[(&str, &Path)]) -> String {
    let mut cmd = std::process::Command::new("node");
    cmd.arg("--test")
        .arg("--test-reporter=spec")
        .args(files)
        .env("SVCBOOK_ARTEFACTS", repo().join("target/browser"));
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().expect("node is installed");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
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
    stdout
}

/// `svcbook search SITE ARGS… -o OUT --json`, which must exit 0 (results
/// found), as JSON.
pub fn search_json(site: &Path, out: &Path, args: &[&str]) -> serde_json::Value {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("search")
        .arg(site)
        .args(args)
        .arg("-o")
        .arg(out)
        .arg("--json")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The demo site built into a temporary folder (today's date, as `svcbook
/// build` would): (folder guard, output folder).
pub fn build_demo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let options = BuildOptions {
        site_dir: repo(),
        output_dir: Some(out.clone()),
        drafts: false,
        today: None,
    };
    pipeline::build(&options, &mut |_| {}).expect("demo site builds");
    (tmp, out)
}

/// The demo built ([`build_demo`]) and its index opened the way `svcbook
/// search` opens it.
pub fn demo_search() -> (tempfile::TempDir, Engine) {
    let (tmp, out) = build_demo();
    let (engine, _) = svcbook::search_cmd::open_index(&repo(), Some(&out)).unwrap();
    (tmp, engine)
}

/// Every article an index holds: an empty query needs a filter to browse, so
/// kind by kind, over the registry's built-in kinds (a new kind is included
/// without a list here to forget).
pub fn every_article(engine: &Engine) -> Vec<Hit> {
    let mut out = Vec::new();
    for kind in svcbook::kinds::BUILTIN {
        let req = SearchRequest {
            kind: vec![kind.name().into()],
            limit: 100,
            ..Default::default()
        };
        out.extend(engine.search(&req).unwrap().hits);
    }
    out
}
