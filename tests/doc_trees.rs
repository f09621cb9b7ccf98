//! Documentation trees written for other tools (tests/sites/docs-trees/: Hugo,
//! Docusaurus, VitePress, mdBook, GitBook, MkDocs) build as they are, with no
//! errors and only the warnings each case expects, and every internal `href`
//! and `src` of every page they make names a file of the output.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

fn tree(name: &str) -> PathBuf {
    fixture("docs-trees").join(name)
}

/// Builds `name`; returns the output folder (kept in `tmp`) and the warnings' codes.
fn build(name: &str, tmp: &Path) -> (PathBuf, Vec<String>) {
    let out = tmp.join(name);
    let report = build_into(&tree(name), &out).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let warnings = report
        .warnings
        .0
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    (out, warnings)
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Every internal link of every page of `out` that names no file of it.
fn broken_links(out: &Path) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in html_files(out) {
        let html = std::fs::read_to_string(&page).unwrap();
        for link in links(&html) {
            let link = link.replace("&amp;", "&");
            let path = link.split(['#', '?']).next().unwrap_or("");
            if path.is_empty() || path.contains(':') || path.starts_with("//") {
                continue;
            }
            checked += 1;
            let mut target = page.parent().unwrap().join(decode(path));
            if path.ends_with('/') {
                target.push("index.html");
            }
            if !target.is_file() {
                broken.push(format!(
                    "{}: {link}",
                    page.strip_prefix(out).unwrap().display()
                ));
            }
        }
    }
    (checked, broken)
}

fn assert_builds_clean(name: &str, expected_warnings: &[&str]) -> PathBuf {
    let tmp = tempfile::tempdir().unwrap().keep();
    let (out, warnings) = build(name, &tmp);
    let codes: Vec<&str> = warnings.iter().map(|w| &w[..5]).collect();
    assert_eq!(codes, expected_warnings, "{name}: {warnings:#?}");
    let (checked, broken) = broken_links(&out);
    assert!(checked > 20, "{name}: only {checked} links walked");
    assert!(
        broken.is_empty(),
        "{name}: links to nothing:\n{}",
        broken.join("\n")
    );
    out
}

#[test]
fn hugo_tree_builds_and_every_link_resolves() {
    let out = assert_builds_clean("hugo", &["W0104"]);
    // Sections: the folder's _index.md is its page, listing its entries.
    let manual = read(&out, "维修手册/index.html");
    assert!(manual.contains("空调/index.html"), "subsection listed");
    assert!(
        manual.contains("class=\"alert alert-warning\""),
        "hint → callout"
    );
    let ac = read(&out, "维修手册/空调/index.html");
    // Ordered by weight: E04 (1) before 外机检查 (2).
    let entries = &ac[ac.find("section-entries").unwrap()..];
    assert!(entries.find("e04.html").unwrap() < entries.find("外机检查.html").unwrap());
    // ref shortcode → resolved link; figure → image; highlight → code block.
    assert!(ac.contains("href=\"e04.html\""), "{ac}");
    let e04 = read(&out, "维修手册/空调/e04.html");
    assert!(
        e04.contains("src=\"../../images/outdoor.png\""),
        "figure: {e04}"
    );
    assert!(e04.contains("<code class=\"language-bash\">"), "highlight");
    assert!(e04.contains("href=\"../../files/%E6%B8%85%E6%B4%97%E8%AE%B0%E5%BD%95.pdf\""));
    assert!(
        e04.contains("<time datetime=\"2026-03-02\">"),
        "lastmod → updated"
    );
    // Breadcrumbs follow the folders.
    assert!(e04.contains("<a href=\"../../index.html\">首页</a> › <a href=\"../index.html\">维修手册</a> › <a href=\"index.html\">空调</a>"), "{e04}");
    // draft: true is left out; the shortcode warning counts both uses.
    assert!(!out.join("维修手册/空调/草稿.html").exists());
    let tmp = tempfile::tempdir().unwrap();
    let (_, warnings) = build("hugo", tmp.path());
    assert!(
        warnings[0].contains("`youtube`") && warnings[0].contains("2 times in 2 files"),
        "{warnings:?}"
    );
    // Redirect pages at the old URLs.
    for old in ["old/e04/index.html", "legacy/e04.html"] {
        let html = read(&out, old);
        assert!(html.contains("http-equiv=\"refresh\""), "{old}");
    }
}

#[test]
fn docusaurus_tree_builds_and_every_link_resolves() {
    let out = assert_builds_clean("docusaurus", &[]);
    let intro = read(&out, "intro.html");
    assert!(
        intro.contains("href=\"故障/index.html\""),
        "folder link → its README: {intro}"
    );
    assert!(intro.contains("href=\"故障/e04.html\""), "link without .md");
    let e04 = read(&out, "故障/e04.html");
    assert!(e04.contains("alert-tip") && e04.contains("<strong>快速判断</strong>"));
    assert!(e04.contains("alert-caution") && e04.contains("<strong>高压危险</strong>"));
}

#[test]
fn vitepress_tree_builds_and_every_link_resolves() {
    let out = assert_builds_clean("vitepress", &[]);
    let booking = read(&out, "guide/booking.html");
    assert!(booking.contains("alert-tip") && booking.contains("提前确认"));
    assert!(booking.contains("href=\"arrival.html\""), "site-root link");
}

#[test]
fn mdbook_tree_follows_its_summary() {
    let out = assert_builds_clean("mdbook", &[]);
    let phone = read(&out, "chapter_1/phone.html");
    let nav = &phone[phone.find("section-nav-tree").unwrap()..];
    let order: Vec<usize> = ["电话受理", "在线受理", "回访"]
        .iter()
        .map(|t| nav.find(t).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "SUMMARY.md order");
    assert!(nav.contains("aria-current=\"page\">电话受理"));
}

#[test]
fn gitbook_tree_follows_its_summary() {
    let out = assert_builds_clean("gitbook", &[]);
    let page = read(&out, "流程/运输损坏.html");
    let nav = &page[page.find("section-nav-tree").unwrap()..];
    assert!(nav.contains("<span>服务流程</span>"), "a group heading");
    assert!(nav.find("退换货").unwrap() < nav.find("投诉升级").unwrap());
}

#[test]
fn mkdocs_tree_builds_and_every_link_resolves() {
    let out = assert_builds_clean("mkdocs", &[]);
    let install = read(&out, "guide/install.html");
    assert!(install.contains("alert-note") && install.contains("<strong>安装前</strong>"));
    assert!(install.contains("准备好膨胀螺栓") && install.contains("alert-caution"));
}

#[test]
fn every_tree_is_walked() {
    let names: BTreeSet<String> = std::fs::read_dir(fixture("docs-trees"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let tested: BTreeSet<String> = [
        "docusaurus",
        "gitbook",
        "hugo",
        "mdbook",
        "mkdocs",
        "vitepress",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names, tested, "a new tree needs its test above");
}

#[test]
fn aliases_redirect_in_chromium_over_http_and_file() {
    let browser_dir = browser_dir();
    let tmp = tempfile::tempdir().unwrap();
    let (out, _) = build("hugo", tmp.path());
    let stdout = run_node_tests(
        &[browser_dir.join("aliases.mjs")],
        &[("SVCBOOK_SITE", &out)],
    );
    assert!(stdout.contains("pass 3"), "{stdout}");
}
