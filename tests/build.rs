//! The build spine end to end, through the library API: every kind, links,
//! taxonomies, the time-limit overview, relative URLs, determinism, plain docs,
//! and the atomic swap on failure.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use svcbook::pipeline::BuildError;
use svcbook::urls::percent_decode;

fn built_kinds() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build_into(&fixture("kinds"), &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.0, vec![], "the kinds fixture is clean");
    (tmp, out)
}

#[test]
fn every_kind_gets_its_page_and_panel() {
    let (_tmp, out) = built_kinds();
    let fc = read(&out, "fault-cases/FC-1.html");
    assert!(
        fc.contains(r#"<a class="code code-error" href="../error-codes/E04.html">E04</a>"#),
        "{fc}"
    );
    assert!(fc.contains(r#"href="../products/XR-1.html">XR-1</a>"#));
    assert!(fc.contains("<dt>严重程度</dt><dd>高</dd>"));
    assert!(fc.contains("<dt>涉及配件</dt><dd>电容</dd>"));
    let pr = read(&out, "procedures/PR-1.html");
    assert!(pr.contains("<dt>完成时限</dt><dd>4 小时</dd>"), "{pr}");
    assert!(pr.contains("<li>先断电</li>"));
    assert_eq!(pr.matches("class=\"step-check\"").count(), 3);
    let sc = read(&out, "scripts/SC-1.html");
    assert!(sc.contains("<dt>沟通渠道</dt><dd>电话</dd>"));
    assert!(sc.contains("wording-say") && sc.contains("wording-avoid"));
    let pb = read(&out, "playbooks/PB-1.html");
    assert!(pb.contains("<dt>响应时限</dt><dd>2 小时</dd>"), "{pb}");
    assert!(pb.contains("<dt>解决时限</dt><dd>7 个工作日</dd>"));
    assert!(pb.contains("超过 24 小时仍未解决 → 客服主管"));
    let st = read(&out, "standards/ST-1.html");
    assert!(st.contains("<td>投诉首次答复</td><td>24 小时</td>"), "{st}");
    let about = read(&out, "about.html");
    assert!(about.contains("<h1>关于</h1>"));
    // Home intro from _index.md, with its wiki-link resolved relative to the root.
    let home = read(&out, "index.html");
    assert!(
        home.contains(r#"<a href="fault-cases/FC-1.html">XR-1 不制冷 E04</a>"#),
        "{home}"
    );
}

#[test]
fn drafts_are_left_out_and_archived_are_marked() {
    let (_tmp, out) = built_kinds();
    assert!(!out.join("procedures/PR-9.html").exists());
    let old = read(&out, "standards/ST-0.html");
    assert!(old.contains("banner-archived"));
    let index = read(&out, "standards/index.html");
    assert!(
        index.contains("ST-1.html") && !index.contains("ST-0.html"),
        "archived drops out of the index"
    );
}

#[test]
fn wiki_links_related_and_backlinks() {
    let (_tmp, out) = built_kinds();
    let fc = read(&out, "fault-cases/FC-1.html");
    assert!(
        fc.contains(r#"按 <a href="../procedures/PR-1.html">上门维修</a> 上门处理"#),
        "{fc}"
    );
    assert!(fc.contains(r#"<a href="../scripts/SC-1.html">电话话术</a>"#));
    let pr = read(&out, "procedures/PR-1.html");
    // PR-1 is in FC-1's `related` → FC-1 is a backlink of PR-1; its .md link was rewritten.
    let backlinks = &pr[pr.find("backlinks-title").expect("backlinks section")..];
    assert!(
        backlinks.contains(r#"href="../fault-cases/FC-1.html""#),
        "{pr}"
    );
    assert!(pr.contains(r#"<a href="../standards/ST-1.html">标准</a>"#));
    let st = read(&out, "standards/ST-1.html");
    assert!(
        st.contains("PB-1.html") && st.contains("ST-0.html"),
        "two articles link to ST-1"
    );
}

#[test]
fn taxonomy_pages_list_their_articles() {
    let (_tmp, out) = built_kinds();
    let xr1 = read(&out, "products/XR-1.html");
    assert!(xr1.contains("FC-1.html") && xr1.contains("PR-1.html"));
    let xr2 = read(&out, "products/XR-2.html");
    assert!(xr2.contains("PR-1.html") && !xr2.contains("FC-1.html"));
    let products = read(&out, "products/index.html");
    assert!(
        products.contains(r#"<a href="XR-1.html">XR-1 <span class="count">2</span></a>"#),
        "{products}"
    );
    assert!(read(&out, "error-codes/E04.html").contains("FC-1.html"));
    let tag = read(&out, "tags/上门.html");
    assert!(tag.contains("PR-1.html") && tag.contains("SC-1.html"));
}

#[test]
fn time_limit_overview_gathers_every_limit_with_its_source() {
    let (_tmp, out) = built_kinds();
    let html = read(&out, "time-limits.html");
    let rows: Vec<&str> = html.split("<tr>").skip(2).collect();
    let cells: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let tds: Vec<&str> = r.split("<td").skip(1).collect();
            let text = |s: &str| {
                s.split_once('>')
                    .unwrap()
                    .1
                    .split("</td>")
                    .next()
                    .unwrap()
                    .to_string()
            };
            (text(tds[0]), text(tds[1]), tds[2].to_string())
        })
        .collect();
    let summary: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, b, _)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("运输损坏：首次响应", "2 小时"),
            ("上门维修", "4 小时"),
            ("运输损坏：升级至客服主管", "24 小时"),
            ("投诉首次答复", "24 小时"),
            ("运输损坏：处理完结", "7 个工作日"),
            ("配件维修完成", "7 个工作日"),
        ],
        "sorted shortest first, ties by source id; the archived standard is left out"
    );
    assert!(cells[1].2.contains(r#"href="procedures/PR-1.html""#));
    assert!(cells[3].2.contains(r#"href="standards/ST-1.html""#));
}

/// Every link in every page is relative and leads to a file that exists, so the
/// site works from file:// and under any sub-path.
fn assert_links_resolve(out: &Path) {
    let mut checked = 0;
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links(&html) {
            assert!(!link.starts_with('/'), "{rel}: root-absolute link {link}");
            assert!(
                !link.starts_with("http:")
                    && !link.starts_with("https:")
                    && !link.starts_with("//"),
                "{rel}: external link {link}"
            );
            let path = link.split(['#', '?']).next().unwrap();
            if path.is_empty() {
                continue;
            }
            let target = out
                .join(Path::new(&rel).parent().unwrap())
                .join(percent_decode(path));
            assert!(
                target.is_file(),
                "{rel}: link {link} → missing {}",
                target.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn all_urls_are_relative_and_resolve() {
    let (_tmp, out) = built_kinds();
    assert_links_resolve(&out);
}

#[test]
fn images_next_to_an_article_in_a_subfolder_resolve() {
    // `fault-cases/cooling/FC-0001.md` is published as `fault-cases/FC-0001.html`,
    // while its images and PDF are copied to `fault-cases/cooling/`.
    let site = fixture("nested-assets");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build_into(&site, &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.0, vec![]);
    for copied in [
        "fault-cases/cooling/img/frost.png",
        "fault-cases/cooling/img/外机 照片.png",
        "fault-cases/cooling/manual.pdf",
    ] {
        assert!(out.join(copied).is_file(), "{copied} copied");
    }
    let page = read(&out, "fault-cases/FC-0001.html");
    for link in [
        r#"src="cooling/img/frost.png""#,
        r#"src="cooling/img/%E5%A4%96%E6%9C%BA%20%E7%85%A7%E7%89%87.png""#,
        r#"href="cooling/manual.pdf#page=3""#,
        r#"href="cooling/manual.pdf?v=2""#,
    ] {
        assert!(page.contains(link), "{link}:\n{page}");
    }
    // Written relative to the page URL, as the old check hint advised: still works.
    assert_eq!(page.matches(r#"src="cooling/img/frost.png""#).count(), 2);
    assert_links_resolve(&out);

    let report = svcbook::check::check(&svcbook::check::CheckOptions {
        site_dir: site,
        drafts: false,
        today: today(),
    });
    assert_eq!(report.diagnostics.0, vec![], "check agrees");
}

#[test]
fn demo_site_builds_clean_and_its_links_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build_into(&repo(), &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.0, vec![], "the demo has zero warnings");
    assert!(report.articles >= 40, "{} articles", report.articles);
    assert_links_resolve(&out);
    let lang = read(&out, "index.html");
    assert!(lang.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn building_twice_is_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    build_into(&repo(), &tmp.path().join("a")).unwrap();
    build_into(&repo(), &tmp.path().join("b")).unwrap();
    let (a, b) = (
        snapshot(&tmp.path().join("a")),
        snapshot(&tmp.path().join("b")),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&fixture("kinds"), &out).unwrap();
    let before = snapshot(&out);
    let err = build_into(&fixture("invalid/dangling-wiki-link"), &out).unwrap_err();
    let BuildError::Invalid(diagnostics) = err else {
        panic!("{err:?}")
    };
    let d = diagnostics.errors().next().unwrap();
    assert_eq!(d.code, "E0201");
    assert!(
        d.to_string().contains("content/fault-cases/FC-1.md:6:"),
        "{d}"
    );
    assert_eq!(snapshot(&out), before, "previous site unchanged");
    // The output and the lock file the first build took on it.
    let mut leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [".public.lock", "public"],
        "no staging folder left behind"
    );
}

#[test]
fn write_failure_leaves_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&fixture("kinds"), &out).unwrap();
    let before = snapshot(&out);
    // A file where the staging folder's parent should be makes every write fail, even as root.
    let blocked = tmp.path().join("blocked");
    fs::write(&blocked, "not a folder").unwrap();
    let err = build_into(&fixture("kinds"), &blocked.join("public")).unwrap_err();
    assert!(matches!(err, BuildError::Write(_)), "{err:?}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn plain_markdown_docs_build_as_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build_into(&fixture("plain-docs"), &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.errors().count(), 0);
    let codes: Vec<_> = report.warnings.0.iter().map(|d| d.code).collect();
    assert!(
        codes.iter().all(|c| *c == "W0104"),
        "only shortcode warnings: {codes:?}"
    );
    let install = read(&out, "guide/install.html");
    assert!(install.contains("<h1>Installation</h1>") && install.contains("Back up first."));
    assert!(!install.contains("{{"), "shortcodes removed");
    assert!(read(&out, "notes.html").contains("No front matter at all"));
    // README.md is the home page's intro; its .md link is rewritten.
    assert!(read(&out, "index.html").contains(r#"href="guide/install.html""#));
}

#[test]
fn site_templates_override_the_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::create_dir_all(site.join("content")).unwrap();
    fs::write(site.join("content/a.md"), "---\ntitle: A\n---\n").unwrap();
    fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}自定义 404{% endblock content %}",
    )
    .unwrap();
    build_into(&site, &tmp.path().join("out")).unwrap();
    assert!(read(&tmp.path().join("out"), "404.html").contains("自定义 404"));
}

#[test]
fn invalid_sites_fail_with_the_expected_diagnostic() {
    let dir = fixture("invalid");
    let mut cases = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        let expect = fs::read_to_string(case.join("expect")).unwrap();
        let mut parts = expect.split_whitespace();
        let (code, place, field) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(svcbook::write::MARKER), "").unwrap();
        fs::write(out.join("index.html"), "previous").unwrap();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let err = build_into(&case, &out).expect_err(&name);
        let BuildError::Invalid(diagnostics) = err else {
            panic!("{name}: {err:?}")
        };
        let found = diagnostics.errors().any(|d| {
            let loc = d.location.as_ref().unwrap();
            let rel = loc
                .path
                .strip_prefix(&case)
                .unwrap_or(&loc.path)
                .to_string_lossy()
                .replace('\\', "/");
            d.code == code
                && format!("{rel}:{}", loc.line) == place
                && field.is_none_or(|f| d.field.as_deref() == Some(f))
        });
        assert!(
            found,
            "{name}: expected {expect}, got:\n{}",
            diagnostics
                .0
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(
            read(&out, "index.html"),
            "previous",
            "{name}: previous output kept"
        );
        cases += 1;
    }
    assert!(cases >= 13, "{cases} cases");
}
