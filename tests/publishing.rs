//! Publishing and training: changes.html order, the Atom feed, `svcbook changes`,
//! the review report, learning paths, and lifecycle banners on the demo site.

mod common;

use std::process::Command;

use common::*;
use svcbook::model::Date;
use svcbook::pipeline::{self, BuildOptions};

fn built(site: &std::path::Path, today: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let options = BuildOptions {
        site_dir: site.to_path_buf(),
        output_dir: Some(out.clone()),
        drafts: false,
        today: Date::parse(today),
    };
    pipeline::build(&options, &mut |_| {}).unwrap_or_else(|e| panic!("{e:?}"));
    (tmp, out)
}

/// Values of `attr="..."` in document order.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    html.split(&needle)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn changes_page_lists_every_change_newest_first() {
    let (_tmp, out) = built(&fixture("kinds"), "2026-06-01");
    let html = read(&out, "changes.html");
    assert_eq!(
        attr_values(&html, "data-change-id"),
        ["PR-1", "ST-1", "FC-1", "PR-1"]
    );
    assert!(html.contains("<td>v1.1</td><td>补充步骤</td>"), "{html}");
    assert!(html.contains(r#"href="procedures/PR-1.html""#));
}

#[test]
fn atom_feed_parses_back_and_matches_the_changes() {
    let (_tmp, out) = built(&fixture("kinds"), "2026-06-01");
    let xml = read(&out, "changes.xml");
    let feed: atom_syndication::Feed = xml
        .parse()
        .unwrap_or_else(|e| panic!("invalid Atom: {e}\n{xml}"));
    assert_eq!(feed.title.as_str(), "测试知识库 · 更新记录");
    assert_eq!(feed.updated.to_rfc3339(), "2026-03-01T00:00:00+00:00");
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_str().to_string())
        .collect();
    assert_eq!(
        titles,
        [
            "上门维修（v1.1）",
            "响应时限标准",
            "XR-1 不制冷 E04",
            "上门维修（v1.0）"
        ]
    );
    let mut ids: Vec<_> = feed.entries.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "entry ids are unique");
    assert!(feed
        .entries
        .iter()
        .all(|e| e.links.len() == 1 && !e.links[0].href.is_empty()));
    assert_eq!(feed.entries[0].links[0].href, "procedures/PR-1.html");
    assert_eq!(
        feed.entries[0].id,
        "https://kb.test/procedures/PR-1.html#v1.1-2026-03-01"
    );
}

#[test]
fn changes_command_filters_by_date_in_text_and_json() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_svcbook"))
            .arg("changes")
            .arg(fixture("kinds"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["--since", "2026-01-01"]);
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("2026-03-01  PR-1")
            && lines[0].contains("v1.1")
            && lines[0].contains("补充步骤"),
        "{text}"
    );
    assert!(lines[2].starts_with("2026-01-02  FC-1"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&["--since", "2026-02-01", "--json"])).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["since"], "2026-02-01");
    let ids: Vec<_> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["PR-1", "ST-1"]);
    assert_eq!(json["changes"][0]["url"], "procedures/PR-1.html");
    let bad = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .args(["changes", ".", "--since", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn review_page_and_check_agree_on_articles_without_owner() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let files = [
        (
            "content/guide/plain.md",
            "---\ntitle: 普通说明\n---\n正文\n",
        ),
        ("content/guide/no-front-matter.md", "# 没有前言\n"),
        (
            "content/guide/opted-status.md",
            "---\ntitle: 声明了状态\nstatus: published\n---\n",
        ),
        (
            "content/guide/opted-review.md",
            "---\ntitle: 有复审日期\nreview_by: 2027-01-01\n---\n",
        ),
        (
            "content/guide/owned.md",
            "---\ntitle: 有负责人\nstatus: published\nowner: 培训组\n---\n",
        ),
        ("content/standards/ST-1.md", "---\ntitle: 时限标准\n---\n"),
    ];
    for (rel, text) in files {
        let path = site.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let options = BuildOptions {
        site_dir: site.clone(),
        ..Default::default()
    };
    let validated =
        pipeline::load_and_validate(&options, &mut |_| {}, &mut Default::default()).unwrap();
    let report = svcbook::review::report(&validated, today());
    let mut listed: Vec<_> = report.no_owner.iter().map(|i| i.id.clone()).collect();
    listed.sort();
    assert_eq!(listed, ["ST-1", "guide/opted-review", "guide/opted-status"]);

    let check = svcbook::check::check(&svcbook::check::CheckOptions {
        site_dir: site.clone(),
        drafts: false,
        today: today(),
    });
    let mut warned: Vec<_> = check
        .diagnostics
        .warnings()
        .filter(|d| d.code == "W0202")
        .map(|d| {
            let path = &d.location.as_ref().unwrap().path;
            let rel = path.strip_prefix(site.join("content")).unwrap();
            rel.to_string_lossy().trim_end_matches(".md").to_string()
        })
        .collect();
    warned.sort();
    assert_eq!(
        warned,
        ["guide/opted-review", "guide/opted-status", "standards/ST-1"]
    );
}

#[test]
fn review_report_counts_on_the_fixture() {
    let options = BuildOptions {
        site_dir: fixture("kinds"),
        ..Default::default()
    };
    let site = pipeline::load_and_validate(&options, &mut |_| {}, &mut Default::default()).unwrap();
    let report = svcbook::review::report(&site, Date::parse("2026-06-01").unwrap());
    let ids = |items: &[svcbook::review::ReviewItem]| {
        items.iter().map(|i| i.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&report.overdue), ["FC-1"]);
    assert_eq!(report.overdue[0].days_overdue, 142);
    assert_eq!(ids(&report.due_soon), ["ST-1"]);
    // `about` is a plain page that does not opt into the review workflow.
    assert_eq!(ids(&report.no_owner), ["PR-1", "SC-1", "PB-1"]);
    // A public build neither lists nor counts the draft it leaves out, and a
    // status no article has is no column.
    assert!(report.drafts.is_empty());
    let by_status: Vec<_> = report.by_status.iter().map(|c| (c.name, c.count)).collect();
    assert_eq!(by_status, [("published", 6), ("archived", 1)]);
    assert_eq!(report.total, 7);
    let procedure = report
        .by_kind
        .iter()
        .find(|k| k.kind == "procedure")
        .unwrap();
    assert_eq!((procedure.counts.clone(), procedure.total), (vec![1, 0], 1));

    // The page shows the same numbers.
    let (_tmp, out) = built(&fixture("kinds"), "2026-06-01");
    let html = read(&out, "review.html");
    assert!(
        html.contains("复审逾期（1）") && html.contains("142 天"),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<tr data-kind="all"><th scope="row">合计</th><td>6</td><td>1</td><td>7</td></tr>"#
        ),
        "{html}"
    );
}

#[test]
fn learning_path_pages_navigation_and_print() {
    let (_tmp, out) = built(&fixture("kinds"), "2026-06-01");
    let path = read(&out, "paths/basics.html");
    assert_eq!(
        attr_values(&path, "data-path-item"),
        ["FC-1", "PR-1", "SC-1"]
    );
    assert!(path.contains(r#"href="../fault-cases/FC-1.html""#));
    let pr = read(&out, "procedures/PR-1.html");
    assert!(pr.contains("第 2 / 3 篇"), "{pr}");
    assert!(pr.contains(r#"<a class="path-prev" rel="prev" href="../fault-cases/FC-1.html">← XR-1 不制冷 E04</a>"#), "{pr}");
    assert!(
        pr.contains(
            r#"<a class="path-next" rel="next" href="../scripts/SC-1.html">报修来电 →</a>"#
        ),
        "{pr}"
    );
    let print = read(&out, "paths/basics-print.html");
    let order: Vec<_> = attr_values(&print, "id")
        .into_iter()
        .filter(|i| i.starts_with("a-"))
        .collect();
    assert_eq!(order, ["a-fc-1", "a-pr-1", "a-sc-1"]);
    assert_eq!(print.matches("print-article print-break").count(), 3);
    // Links inside the gathered articles were rebased to the print page's folder.
    assert!(
        print.contains(r#"<a href="../procedures/PR-1.html">上门维修</a>"#),
        "{print}"
    );
    assert!(read(&out, "paths/index.html").contains(r#"href="basics.html""#));
}

#[test]
fn demo_site_shows_archived_and_overdue_articles() {
    let (_tmp, out) = built(&repo(), "2026-11-22");
    let archived = read(&out, "standards/ST-0006.html");
    assert!(archived.contains("banner-archived"));
    assert!(!read(&out, "standards/index.html").contains("ST-0006.html"));
    let overdue = read(&out, "fault-cases/FC-0009.html");
    assert!(
        overdue.contains("banner-overdue") && overdue.contains("2026-06-30"),
        "FC-0009 is past review_by"
    );
    let not_overdue = read(&out, "fault-cases/FC-0001.html");
    assert!(!not_overdue.contains("banner-overdue"));
    assert!(read(&out, "review.html").contains("FC-0009.html"));
    let paths = read(&out, "paths/index.html");
    assert!(paths.matches("article-card-title").count() >= 2);
    assert!(read(&out, "changes.html").matches("data-change-id").count() >= 10);
}

/// Copies a fixture folder (files and folders only) to `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn public_review_page_shows_no_draft_and_no_absolute_path() {
    // Built as `svcbook build /abs/path/to/site`, the way a trainer's script
    // or CI calls it: nothing of that path may reach the public pages.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site-at-an-absolute-path");
    copy_tree(&fixture("kinds"), &site);
    let site = site.canonicalize().unwrap();
    assert!(site.is_absolute());
    let out = site.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("build")
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    let html = read(&out, "review.html");
    assert!(
        html.contains("按类型和状态统计"),
        "the report is there: {html}"
    );
    for leak in ["草稿流程", "PR-9", "草稿（"] {
        assert!(!html.contains(leak), "the draft `{leak}` leaks: {html}");
    }
    let abs = site.to_string_lossy();
    assert!(!html.contains(abs.as_ref()), "the build path leaks: {html}");
    assert!(!html.contains(&*tmp.path().to_string_lossy()));
    // Nor does any other page of the site.
    for (rel, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(abs.as_ref()), "{rel} holds the build path");
        assert!(!text.contains("草稿流程"), "{rel} holds the draft's title");
    }

    // With --drafts the draft is built, linked and listed by its page.
    let status = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("build")
        .arg(&site)
        .arg("--drafts")
        .status()
        .unwrap();
    assert!(status.success());
    let html = read(&out, "review.html");
    assert!(html.contains("草稿（1）"), "{html}");
    assert!(html.contains(r#"href="procedures/PR-9.html""#), "{html}");
    assert!(!html.contains(abs.as_ref()), "{html}");
}

#[test]
fn error_code_index_lists_each_code_with_its_cases_and_models() {
    let (_tmp, out) = built(&fixture("kinds"), "2026-06-01");
    let html = read(&out, "error-codes/index.html");
    let row = html
        .split("<tr data-code=\"E04\">")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row for E04: {html}"));
    assert!(row.contains(r#"href="E04.html""#), "{row}");
    assert!(
        row.contains(r#"<a href="../fault-cases/FC-1.html">XR-1 不制冷 E04</a>"#),
        "{row}"
    );
    assert!(row.contains(">XR-1</code>"), "the models: {row}");
}

#[test]
fn changes_page_leaves_out_a_column_no_row_fills() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(
        site.join("content/a.md"),
        "---\ntitle: 只有日期\nupdated: 2026-01-02\n---\n正文\n",
    )
    .unwrap();
    let (_out_tmp, out) = built(&site, "2026-06-01");
    let html = read(&out, "changes.html");
    assert!(html.contains("只有日期"), "{html}");
    assert!(!html.contains("<th scope=\"col\">说明</th>"), "{html}");
    assert!(!html.contains("<th scope=\"col\">版本</th>"), "{html}");
    // The fixture's changes have versions and notes: both columns are there.
    let (_tmp2, out) = built(&fixture("kinds"), "2026-06-01");
    let html = read(&out, "changes.html");
    assert!(html.contains("<th scope=\"col\">说明</th>"));
}

#[test]
fn feedback_link_is_off_by_default_and_carries_the_article_when_configured() {
    let (_tmp, out) = built(&fixture("kinds"), "2026-06-01");
    assert!(!read(&out, "procedures/PR-1.html").contains("data-feedback"));

    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&fixture("kinds"), &site);
    let toml = std::fs::read_to_string(site.join("svcbook.toml")).unwrap();
    std::fs::write(
        site.join("svcbook.toml"),
        format!("{toml}\n[feedback]\nurl = \"https://kb.test/feedback?article={{id}}&v={{version}}\"\nlabel = \"没帮到我\"\n"),
    )
    .unwrap();
    let (_tmp2, out) = built(&site, "2026-06-01");
    let html = read(&out, "procedures/PR-1.html");
    assert!(
        html.contains(r#"<a href="https://kb.test/feedback?article=PR-1&amp;v=1.1" rel="nofollow noopener" data-feedback>没帮到我</a>"#),
        "{html}"
    );
}
