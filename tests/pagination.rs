//! Listings split into pages (`paginate_by`), on the built site of
//! tests/sites/paginated (two entries a page) made by the binary: every page
//! file exists and holds its entries in order, none lost or doubled across
//! pages; the pager's links lead to files that exist; a group that runs over
//! a page break starts the next page under its heading again; a listing of
//! one page writes no `page/` files; the sitemap and the offline list name
//! every page.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;

/// Builds `site` with the binary into a temporary folder.
fn build(site: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, out)
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// `href` of the first `<a …>` or `<link …>` whose attributes contain `marker`.
fn href_with(html: &str, tag: &str, marker: &str) -> Option<String> {
    html.split(tag)
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap()])
        .find(|attrs| attrs.contains(marker))
        .and_then(|attrs| between(attrs, "href=\"", "\"").map(str::to_string))
}

/// A site path from a link on the page at `page` (both `/`-separated).
fn resolve(page: &str, link: &str) -> String {
    svcbook::urls::join(page, link).unwrap_or_else(|| panic!("{link} climbs out of {page}"))
}

/// One page of a listing: its path and HTML.
struct Page {
    path: String,
    html: String,
}

/// The pages of the listing whose first page is `first`, following each
/// page's "next" link, checking the pager of each on the way.
fn pages_of(out: &Path, first: &str) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut path = first.to_string();
    loop {
        assert!(out.join(&path).is_file(), "{path} is missing");
        let html = read(out, &path);
        let number = pages.len() + 1;
        let pager = between(&html, "<nav class=\"pager\" aria-label=\"分页\">", "</nav>")
            .unwrap_or_else(|| panic!("{path}: no pager"));
        // Every link of the pager is a file of the site; the current page's
        // number is marked, and is this very file.
        let hrefs = links(pager);
        assert!(!hrefs.is_empty(), "{path}");
        for href in &hrefs {
            let target = resolve(&path, href);
            assert!(
                out.join(&target).is_file(),
                "{path}: {href} → {target} is no file"
            );
        }
        let current = href_with(pager, "<a ", "aria-current=\"page\"")
            .unwrap_or_else(|| panic!("{path}: no current page"));
        assert_eq!(resolve(&path, &current), path);
        assert_eq!(pager.matches("aria-current=\"page\"").count(), 1, "{path}");
        assert!(
            pager.contains(&format!(
                "aria-label=\"第 {number} 页\" aria-current=\"page\">{number}<"
            )),
            "{path}: page {number} marked\n{pager}"
        );
        // Head: canonical is the page itself; prev/next as in the nav.
        assert_eq!(
            href_with(&html, "<link ", "rel=\"canonical\"").as_deref(),
            Some(format!("https://kb.example/{path}").as_str()),
            "{path}"
        );
        let title = between(&html, "<title>", "</title>").unwrap();
        assert_eq!(
            number > 1,
            title.contains(&format!("（第 {number} 页）")),
            "{path}: {title}"
        );
        let prev = href_with(pager, "<a ", "rel=\"prev\"");
        assert_eq!(prev, href_with(&html, "<link ", "rel=\"prev\""), "{path}");
        match &prev {
            Some(prev) => assert_eq!(resolve(&path, prev), pages.last().unwrap().path),
            None => assert_eq!(number, 1, "{path}: only page 1 has no previous page"),
        }
        let next = href_with(pager, "<a ", "rel=\"next\"");
        assert_eq!(next, href_with(&html, "<link ", "rel=\"next\""), "{path}");
        let next = next.map(|n| resolve(&path, &n));
        pages.push(Page { path, html });
        match next {
            Some(next) => path = next,
            None => break,
        }
        assert!(pages.len() < 50, "the pages of {first} loop");
    }
    // The navs name every page (each page names itself), and no other file.
    let named: BTreeSet<String> = pages
        .iter()
        .flat_map(|p| {
            let pager = between(&p.html, "<nav class=\"pager\"", "</nav>").unwrap();
            links(pager)
                .iter()
                .map(|l| resolve(&p.path, l))
                .collect::<Vec<_>>()
        })
        .collect();
    let walked: BTreeSet<String> = pages.iter().map(|p| p.path.clone()).collect();
    assert_eq!(named, walked, "{first}");
    pages
}

/// The site paths of the links with `class="{class}"` of a page, in order.
fn linked(page: &Page, class: &str) -> Vec<String> {
    let marker = format!("class=\"{class}\" href=\"");
    page.html
        .split(&marker)
        .skip(1)
        .map(|rest| resolve(&page.path, &rest[..rest.find('"').unwrap()]))
        .collect()
}

/// Each page's entries (by `entries`), checked to be at most two a page, and
/// all of them in order.
fn entries(pages: &[Page], entries: impl Fn(&Page) -> Vec<String>) -> Vec<Vec<String>> {
    pages
        .iter()
        .map(|p| {
            let e = entries(p);
            assert!(!e.is_empty() && e.len() <= 2, "{}: {e:?}", p.path);
            e
        })
        .collect()
}

fn flat(pages: &[Vec<String>]) -> Vec<String> {
    pages.concat()
}

#[test]
fn listings_are_split_into_pages_with_every_entry_once_in_order() {
    let (_tmp, out) = build(&fixture("paginated"));

    // A kind's index: five fault cases (the archived sixth is not listed).
    let pages = pages_of(&out, "fault-cases/index.html");
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "fault-cases/index.html",
            "fault-cases/page/2.html",
            "fault-cases/page/3.html"
        ]
    );
    let cases = entries(&pages, |p| linked(p, "article-card-title"));
    assert_eq!(
        flat(&cases),
        (1..=5)
            .map(|i| format!("fault-cases/FC-{i}.html"))
            .collect::<Vec<_>>()
    );
    for p in &pages {
        assert!(
            p.html.contains("<p class=\"count\">共 5 篇</p>"),
            "{}",
            p.path
        );
    }

    // A term's page and the taxonomy overview.
    let tag = entries(&pages_of(&out, "tags/制冷.html"), |p| {
        linked(p, "article-card-title")
    });
    assert_eq!(flat(&tag), flat(&cases));
    let code = pages_of(&out, "error-codes/E04.html");
    assert_eq!(code[1].path, "error-codes/E04/page/2.html");
    assert_eq!(
        flat(&entries(&code, |p| linked(p, "article-card-title"))),
        flat(&cases)
    );
    let codes = entries(&pages_of(&out, "error-codes/index.html"), |p| {
        p.html
            .split("<tr data-code=\"")
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].to_string())
            .collect()
    });
    assert_eq!(
        codes,
        [vec!["E04", "F01"], vec!["F02", "F03"], vec!["F04", "F05"]]
    );

    // The time limits, shortest first across the pages.
    let limits = entries(&pages_of(&out, "time-limits.html"), |p| {
        let body = between(&p.html, "<tbody>", "</tbody>").unwrap();
        body.split("<tr><td>")
            .skip(1)
            .map(|r| r[..r.find('<').unwrap()].to_string())
            .collect()
    });
    assert_eq!(
        limits,
        [
            vec!["电话接通", "预约上门"],
            vec!["首次答复", "回访完成"],
            vec!["维修完成"]
        ]
    );

    // A folder's listing (no section file): its entries, and the folder's
    // breadcrumbs on every page.
    let guide = pages_of(&out, "guide/index.html");
    let chapters = entries(&guide, |p| linked(p, "article-card-title"));
    assert_eq!(guide.len(), 10);
    assert_eq!(
        flat(&chapters),
        (1..=20)
            .map(|i| format!("guide/ch{i:02}.html"))
            .collect::<Vec<_>>()
    );
    // Ten pages: the nav of page 5 leaves a gap for the pages far from it
    // (and shows page 2 rather than a gap for it alone).
    let pager = between(&guide[4].html, "<ul class=\"pager-list\">", "</ul>").unwrap();
    let shown: Vec<&str> = pager
        .split("<li")
        .skip(1)
        .map(|li| {
            if li.contains("pager-gap") {
                "…"
            } else if li.contains("aria-current") {
                "[5]"
            } else {
                between(li, "aria-label=\"第 ", " 页\"").unwrap_or("step")
            }
        })
        .collect();
    assert_eq!(
        shown,
        ["step", "1", "2", "3", "4", "[5]", "6", "7", "…", "10", "step"]
    );
    for p in &guide {
        let crumbs = between(&p.html, "<nav class=\"breadcrumbs\"", "</nav>").unwrap();
        assert_eq!(
            links(crumbs)
                .iter()
                .map(|l| resolve(&p.path, l))
                .collect::<Vec<_>>(),
            ["index.html"],
            "{}",
            p.path
        );
    }
}

#[test]
fn a_group_that_runs_over_a_page_break_continues_under_its_heading() {
    let (_tmp, out) = build(&fixture("paginated"));
    // FAQs by topic: 保修 (three), 安装 (one), none (one, under 其他).
    let pages = pages_of(&out, "faqs/index.html");
    let groups: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            p.html
                .split("<section class=\"kind-group\"")
                .skip(1)
                .map(|g| {
                    let heading = between(g, "<h2 ", "</h2>").unwrap();
                    let heading = &heading[heading.find('>').unwrap() + 1..];
                    let heading = heading.split(" <span class=\"count\">").next().unwrap();
                    let titles: Vec<String> = g
                        .split("class=\"article-card-title\" href=\"")
                        .skip(1)
                        .map(|r| {
                            r[..r.find('"').unwrap()]
                                .rsplit('/')
                                .next()
                                .unwrap()
                                .to_string()
                        })
                        .collect();
                    format!("{heading}: {}", titles.join(" "))
                })
                .collect()
        })
        .collect();
    assert_eq!(
        groups,
        [
            vec!["保修: FAQ-1.html FAQ-2.html"],
            vec![
                "保修<span class=\"continued\">（续）</span>: FAQ-3.html",
                "安装: FAQ-4.html"
            ],
            vec!["其他: FAQ-5.html"],
        ]
    );
    // The group's count is the whole group's, on both pages.
    assert!(pages[1]
        .html
        .contains("（续）</span> <span class=\"count\">3 篇</span>"));

    // The review report: its lists one after the other, page 1 naming the
    // page a list starts on when none of it is there.
    let pages = pages_of(&out, "review.html");
    let listed: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            p.html
                .split("<h2 id=\"")
                .skip(1)
                .filter(|s| !s.starts_with("counts-title"))
                .map(|s| {
                    let heading = between(s, "\">", "</h2>").unwrap();
                    let body = &s[..s.find("</section>").unwrap()];
                    let items: Vec<String> =
                        links(body).iter().map(|l| resolve(&p.path, l)).collect();
                    format!("{heading}: {}", items.join(" "))
                })
                .collect()
        })
        .collect();
    assert_eq!(
        listed,
        [
            vec![
                "复审逾期（3）: fault-cases/FC-1.html fault-cases/FC-2.html",
                "30 天内到期（0）: ",
                "已发布但没有负责人（2）: review/page/2.html",
            ],
            vec![
                "复审逾期（3）<span class=\"continued\">（续）</span>: fault-cases/FC-3.html",
                "已发布但没有负责人（2）: fault-cases/FC-4.html",
            ],
            vec![
                "已发布但没有负责人（2）<span class=\"continued\">（续）</span>: fault-cases/FC-5.html"
            ],
        ]
    );
    assert!(pages[0].html.contains("data-review=\"counts\""));
    assert!(!pages[1].html.contains("data-review=\"counts\""));
}

#[test]
fn every_page_is_in_the_sitemap_and_the_offline_list() {
    let (_tmp, out) = build(&fixture("paginated"));
    let sitemap = read(&out, "sitemap.xml");
    for page in [
        "fault-cases/index.html",
        "fault-cases/page/2.html",
        "fault-cases/page/3.html",
        "time-limits/page/3.html",
        "guide/page/2.html",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://kb.example/{page}</loc>")),
            "{page} not in the sitemap"
        );
    }
    let offline: serde_json::Value = serde_json::from_str(&read(&out, "offline.json")).unwrap();
    let all: BTreeSet<&str> = offline["other"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[0].as_str().unwrap())
        .collect();
    let written: Vec<String> = walk(&out)
        .into_iter()
        .filter(|p| p.contains("/page/"))
        .collect();
    assert_eq!(written.len(), 26, "{written:?}");
    for page in &written {
        assert!(all.contains(page.as_str()), "{page} not in offline.json");
    }
}

/// Every file under `dir`, as site paths.
fn walk(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

#[test]
fn listings_of_one_page_write_no_page_files_and_no_pager() {
    for site in ["kinds", "own-kind", "plain-docs"] {
        let (_tmp, out) = build(&fixture(site));
        let files = walk(&out);
        assert!(
            files
                .iter()
                .all(|f| !f.contains("/page/") && !f.starts_with("page/")),
            "{site}: {files:?}"
        );
        for f in files.iter().filter(|f| f.ends_with(".html")) {
            let html = read(&out, f);
            assert!(!html.contains("class=\"pager\""), "{site}/{f}");
            assert!(!html.contains("rel=\"canonical\""), "{site}/{f}");
        }
    }
}
