//! Kinds as data, end to end: the built-in `faq` kind in the demo (accordion,
//! JSON-LD, a search hit per question, `svcbook new faq`) and a site that
//! declares its own kind in svcbook.toml (tests/sites/own-kind): it builds,
//! its panel, badge colour, facet label and search work, and every rule of
//! its typed fields is checked.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn svcbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn the_demo_faq_is_an_accordion_with_json_ld_and_a_search_section_per_question() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build_into(&repo(), &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.0, vec![]);
    let faqs: Vec<_> = fs::read_dir(repo().join("content/faqs"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("FAQ-"))
        .collect();
    assert!(faqs.len() >= 6, "{} FAQ articles", faqs.len());

    let page = read(&out, "faqs/FAQ-0001.html");
    // One <details> per `##` question, its anchor on the answer inside it.
    let questions = page.matches("<details class=\"faq-item\">").count();
    assert_eq!(questions, 5, "{page}");
    assert!(page.contains(
        "<summary class=\"faq-question\"><h2>发票丢了还能保修吗？</h2></summary>\n<div class=\"faq-answer\" id=\"发票丢了还能保修吗\">"
    ));
    assert!(page.contains("<span class=\"badge kind-faq\">常见问题</span>"));

    // schema.org FAQPage: @context, @type, a Question per entry with an Answer.
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD in the head")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    assert!(start < page.find("</head>").unwrap());
    let ld: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "FAQPage");
    let entities = ld["mainEntity"].as_array().unwrap();
    assert_eq!(entities.len(), questions);
    for q in entities {
        assert_eq!(q["@type"], "Question");
        assert!(!q["name"].as_str().unwrap().is_empty());
        assert_eq!(q["acceptedAnswer"]["@type"], "Answer");
        assert!(!q["acceptedAnswer"]["text"].as_str().unwrap().is_empty());
    }
    // Plain articles carry none.
    assert!(!read(&out, "procedures/PR-0001.html").contains("application/ld+json"));

    // The index groups the FAQs by topic; the nav and badge come from the registry.
    let index = read(&out, "faqs/index.html");
    assert!(
        index.contains(">保修与退换 <span class=\"count\">2 篇</span></h2>"),
        "{index}"
    );
    assert!(index.contains("<a href=\"../faqs/index.html\" aria-current=\"page\">常见问题</a>"));

    // A search hit lands on the one question, by its anchor.
    let r = search_json(&repo(), &out, &["发票丢了"]);
    assert_eq!(r["hits"][0]["id"], "FAQ-0001");
    assert_eq!(
        r["hits"][0]["sections"][0]["url"],
        "faqs/FAQ-0001.html#发票丢了还能保修吗"
    );
    let only = search_json(&repo(), &out, &["退款", "--kind", "常见问题"]);
    assert!(only["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["kind"] == "faq"));
    assert!(only["total"].as_u64().unwrap() >= 1);

    // The browser's labels come from the manifest, made from the registry.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "search/manifest.json")).unwrap();
    assert_eq!(manifest["kinds"]["faq"], "常见问题");
    assert_eq!(manifest["kinds"]["fault_case"], "故障案例");
}

#[test]
fn new_faq_writes_a_question_and_answer_article_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    svcbook::scaffold::init(&site, false, today()).unwrap();
    let o = svcbook(&[
        "new",
        "faq",
        "保修相关问题",
        "--site",
        site.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let path = site.join("content/faqs/FAQ-0001.md");
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("kind: faq") && text.contains("topic:"),
        "{text}"
    );
    // Published, it builds as an accordion.
    fs::write(
        &path,
        text.replace("status: draft", "status: published")
            .replace("# owner:", "owner:"),
    )
    .unwrap();
    let out = tmp.path().join("public");
    build_into(&site, &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(read(&out, "faqs/FAQ-0001.html").contains("<details class=\"faq-item\">"));
}

#[test]
fn a_site_declared_kind_builds_with_its_panel_badge_facet_label_and_search() {
    let site = fixture("own-kind");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build_into(&site, &out).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.0, vec![]);

    let page = read(&out, "recalls/RC-0001.html");
    assert!(page.contains("<span class=\"badge kind-recall\">召回通知</span>"));
    for row in [
        "<dt>涉及批次</dt><dd>HX2603-B</dd>",
        "<dt>涉及部件</dt><dd>电源板、保险管</dd>",
        "<dt>紧急程度</dt><dd>立即处理</dd>",
        "<dt>截止日期</dt><dd>2027-03-31</dd>",
        "<dt>处理时限</dt><dd>3 个工作日</dd>",
    ] {
        assert!(page.contains(row), "{row} in {page}");
    }
    // `panel = false` keeps the reference out of the panel.
    assert!(!page.contains("<dt>处理流程</dt>"));
    // Its index page, grouped by `urgency`, and its badge colour.
    let index = read(&out, "recalls/index.html");
    assert!(
        index.contains(">立即处理 <span class=\"count\">1 篇</span></h2>"),
        "{index}"
    );
    assert!(read(&out, "assets/kinds.css")
        .contains(".kind-recall.badge { background: var(--warn-soft);"));
    assert!(read(&out, "index.html").contains("召回通知"));
    // A declared duration field joins the time-limit overview, by its label.
    assert!(read(&out, "time-limits.html").contains("HW-60 电源板批次召回：处理时限"));

    // Search: a value only in the front matter (`search = true`) finds it,
    // and the kind filters by name, folder or label.
    let r = search_json(&site, &out, &["HX2603-B"]);
    assert_eq!(r["hits"][0]["id"], "RC-0001");
    for spelling in ["recall", "recalls", "召回通知"] {
        let r = search_json(&site, &out, &["电源板", "--kind", spelling]);
        let hits = r["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "{spelling}");
        assert!(hits.iter().all(|h| h["kind"] == "recall"), "{spelling}");
    }
    let bad = svcbook(&[
        "search",
        site.to_str().unwrap(),
        "电源板",
        "--kind",
        "recal",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("recall (recalls, 召回通知)"), "{stderr}");
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "search/manifest.json")).unwrap();
    assert_eq!(manifest["kinds"]["recall"], "召回通知");

    // `svcbook new recall` writes an archetype made from the declaration.
    let copy = tmp.path().join("copy");
    copy_dir(&site, &copy);
    let o = svcbook(&[
        "new",
        "recall",
        "新的召回",
        "--site",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = fs::read_to_string(copy.join("content/recalls/RC-0002.md")).unwrap();
    for line in ["kind: recall", "batch:", "urgency: high", "## 召回范围"] {
        assert!(text.contains(line), "{line} in {text}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every rule of the declared fields, each reported with file, line and field
/// by one `check` run (the article still reaches the site-wide checks).
#[test]
fn a_site_declared_kind_validates_its_typed_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("own-kind"), &site);
    fs::write(
        site.join("content/recalls/RC-0002.md"),
        "---\ntitle: 坏的召回\nowner: x\nurgency: hgih\ndeadline: 2027-13-01\nhandling_time: soon\nprocedure: [PR-0404]\nafected_parts: [x]\n---\n\n## 召回范围\n\n## 处理办法\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .current_dir(&site)
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<(String, Option<u64>, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
                d["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for want in [
        ("E0107", Some(1), "batch"),
        ("E0105", Some(4), "urgency"),
        ("E0104", Some(5), "deadline"),
        ("E0106", Some(6), "handling_time"),
        ("E0205", Some(7), "procedure"),
        ("E0112", Some(8), "afected_parts"),
    ] {
        assert!(
            got.iter()
                .any(|(c, l, f)| (c.as_str(), *l, f.as_str()) == want),
            "{want:?} in {got:?}"
        );
    }
    let hint = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E0105")
        .unwrap()["hint"]
        .clone();
    assert_eq!(hint, "did you mean `high`?");

    // A broken declaration is a config error naming the entry and field.
    fs::write(
        site.join("svcbook.toml"),
        "[[kinds]]\nname = \"recall\"\nfolder = \"faqs\"\nid_prefix = \"RC\"\nlabel = \"召回\"\n",
    )
    .unwrap();
    let o = svcbook(&["build", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("the folder `faqs` already belongs to `faq`"),
        "{stderr}"
    );
    assert!(!site.join("public/index.html").exists());
}

/// The route table owns every output path: a declared kind whose folder is a
/// generated page's is an error naming both owners, and nothing is written.
#[test]
fn a_declared_kind_cannot_take_a_generated_pages_path() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_files(
        &site,
        &[
            (
                "svcbook.toml",
                "[[kinds]]\nname = \"tag_note\"\nfolder = \"tags\"\nid_prefix = \"TN\"\nlabel = \"标签说明\"\n",
            ),
            ("content/tags/TN-0001.md", "---\ntitle: 说明\nowner: x\n---\n正文\n"),
        ],
    );
    let out = tmp.path().join("public");
    let o = svcbook(&["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("`tags/index.html` would be written twice: by svcbook's overview of the tags and by svcbook's index page of the kind `tag_note`"),
        "{stderr}"
    );
    assert!(stderr.contains("give the kind declared in svcbook.toml another `folder`"));
    assert!(!out.exists());
}

/// Script in a question or answer stays text: escaped in the page, and
/// written `\u003c` in the JSON-LD so it cannot close its `<script>`.
#[test]
fn script_in_an_faq_never_runs_from_the_page_or_its_json_ld() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_files(
        &site,
        &[(
            "content/faqs/FAQ-0001.md",
            "---\ntitle: x\nowner: y\n---\n\n## 问</script><script>alert(1)</script>？\n\n答 <img src=x onerror=alert(2)> </script>\n",
        )],
    );
    let out = tmp.path().join("public");
    build_into(&site, &out).unwrap_or_else(|e| panic!("{e:?}"));
    let page = read(&out, "faqs/FAQ-0001.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    let start = page.find("application/ld+json\">").unwrap();
    let ld = &page[start..page[start..].find("</script>").unwrap() + start];
    assert!(ld.contains("\\u003c/script\\u003e"), "{ld}");
    // The one `</script>` after the JSON-LD's start is its own end.
    let v: serde_json::Value = serde_json::from_str(&ld["application/ld+json\">".len()..]).unwrap();
    assert!(v["mainEntity"][0]["name"]
        .as_str()
        .unwrap()
        .contains("</script><script>alert(1)"));
}

/// A declared kind's label and choice labels are text everywhere they show
/// (badges, nav, panel); the names that reach CSS and URLs are restricted
/// (`[a-z0-9_]` names, `[a-z0-9_-]` folders, a tone from the palette).
#[test]
fn markup_in_a_declared_kind_is_text() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_files(
        &site,
        &[
            (
                "svcbook.toml",
                "[[kinds]]\nname = \"note\"\nfolder = \"notes\"\nid_prefix = \"NT\"\nlabel = \"<img src=x onerror=alert(1)>\"\n[[kinds.fields]]\nkey = \"level\"\nlabel = \"<b>级</b>\"\ntype = \"enum\"\nchoices = [{ name = \"a\", label = \"<script>alert(2)</script>\" }]\n",
            ),
            ("content/notes/NT-0001.md", "---\ntitle: 说明\nowner: x\nlevel: a\n---\n正文\n"),
        ],
    );
    let out = tmp.path().join("public");
    build_into(&site, &out).unwrap_or_else(|e| panic!("{e:?}"));
    for page in ["notes/NT-0001.html", "notes/index.html", "index.html"] {
        let html = read(&out, page);
        assert!(!html.contains("<img src=x"), "{page}: {html}");
        assert!(!html.contains("<script>alert(2)"), "{page}");
        assert!(!html.contains("<b>级"), "{page}");
    }
    let page = read(&out, "notes/NT-0001.html");
    assert!(
        page.contains("<dd>&lt;script&gt;alert(2)&lt;/script&gt;</dd>"),
        "{page}"
    );
    assert!(!read(&out, "assets/kinds.css").contains('<'));

    let declare = |name: &str, folder: &str, tone: &str| {
        format!("[[kinds]]\nname = \"{name}\"\nfolder = \"{folder}\"\nid_prefix = \"NT\"\nlabel = \"x\"\ntone = \"{tone}\"\n")
    };
    for (field, toml) in [
        ("name", declare("a b", "notes", "ok")),
        ("folder", declare("note", "../x", "ok")),
        ("tone", declare("note", "notes", "red")),
    ] {
        fs::write(site.join("svcbook.toml"), toml).unwrap();
        let o = svcbook(&["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{field}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(&format!("kinds[0].{field}")),
            "{field}: {stderr}"
        );
    }
}
