use super::*;

fn links() -> Links {
    let mut links = Links::default();
    links.insert(
        "procedures/PR-0001.md",
        LinkTarget {
            id: "PR-0001".into(),
            title: "上门维修流程".into(),
            url: "procedures/PR-0001.html".into(),
        },
    );
    links.insert(
        "fault-cases/FC-0001.md",
        LinkTarget {
            id: "FC-0001".into(),
            title: "E04 不制冷".into(),
            url: "fault-cases/FC-0001.html".into(),
        },
    );
    links.left_out.insert("FC-0099".into());
    links
}

fn render_body(body: &str, checklist: bool) -> Rendered {
    render_with(body, checklist, RawHtmlPolicy::Escape)
}

fn render_with(body: &str, checklist: bool, raw_html: RawHtmlPolicy) -> Rendered {
    let input = Input {
        body,
        body_line: 5,
        path: Path::new("content/fault-cases/FC-0001.md"),
        source_rel: "fault-cases/FC-0001.md",
        page_url: "fault-cases/FC-0001.html",
        self_id: "FC-0001",
        raw_html,
        step_checklist: checklist,
    };
    render(&input, &links())
}

#[test]
fn wiki_links_resolve_to_title_and_relative_url() {
    let r = render_body(
        "见 [[PR-0001]] 和 [[PR-0001|这个流程]]，以及 [[FC-0001#原因]]。",
        false,
    );
    assert!(
        r.html
            .contains(r#"<a href="../procedures/PR-0001.html">上门维修流程</a>"#),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains(r#"<a href="../procedures/PR-0001.html">这个流程</a>"#),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains(r#"<a href="FC-0001.html#%E5%8E%9F%E5%9B%A0">E04 不制冷</a>"#),
        "{}",
        r.html
    );
    assert_eq!(r.links_to, ["PR-0001", "FC-0001"]);
    assert!(r.diagnostics.is_empty());
    assert!(r.text.contains("上门维修流程"));
}

#[test]
fn dangling_wiki_link_names_file_line_and_column() {
    let r = render_body("第一行\n\n第三行 [[FC-9999]] 结尾\n", false);
    let d = &r.diagnostics[0];
    assert_eq!(d.code, "E0201");
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (7, 5));
    assert_eq!(d.source_line.as_deref(), Some("第三行 [[FC-9999]] 结尾"));
    assert!(r.html.contains("broken-link"));
}

#[test]
fn link_to_left_out_draft_says_so() {
    let r = render_body("[[FC-0099]]", false);
    assert!(r.diagnostics[0].hint.as_deref().unwrap().contains("draft"));
}

#[test]
fn relative_md_links_are_rewritten_or_reported() {
    let r = render_body("[流程](../procedures/PR-0001.md#步骤) [坏](../procedures/nope.md) [外](https://example.com/a.md)", false);
    assert!(
        r.html
            .contains(r#"href="../procedures/PR-0001.html#%E6%AD%A5%E9%AA%A4""#),
        "{}",
        r.html
    );
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(r.diagnostics[0].code, "E0202");
    assert_eq!(r.diagnostics[0].location.as_ref().unwrap().line, 5);
}

#[test]
fn headings_get_unique_anchors_and_toc() {
    let r = render_body(
        "## 现象\n\n## 处理 Steps\n\n### 处理 Steps\n\n#### 深层\n",
        false,
    );
    let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["现象", "处理-steps", "处理-steps-1"]);
    assert!(
        r.html
            .contains(r##"<h2 id="现象">现象<a class="heading-anchor" href="#现象""##),
        "{}",
        r.html
    );
}

#[test]
fn steps_become_a_checklist() {
    let r = render_body(
        "## 步骤\n\n1. 断电\n2. 拆下面板\n   - 注意卡扣\n3. 检查电容\n\n## 注意\n\n1. 不是步骤\n",
        true,
    );
    assert_eq!(r.steps, ["断电", "拆下面板注意卡扣", "检查电容"]);
    assert!(
        r.html.contains("<ol class=\"steps\" data-checklist>"),
        "{}",
        r.html
    );
    assert_eq!(
        r.html.matches("class=\"step-check\"").count(),
        3,
        "{}",
        r.html
    );
    assert!(r.html.contains("<ul>"), "nested list kept: {}", r.html);
    assert!(r.has_steps_heading);
}

#[test]
fn raw_html_is_escaped_by_default() {
    let r = render_body(
        "<script>alert(1)</script>\n\n文字 <img src=x onerror=alert(1)> 文字",
        false,
    );
    assert!(!r.html.contains("<script>"), "{}", r.html);
    assert!(!r.html.contains("<img"), "{}", r.html);
    assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
    assert!(
        r.text.contains("<script>alert(1)</script>") && r.text.contains("onerror"),
        "escaped HTML is searchable text: {}",
        r.text
    );
}

/// No `href`/`src` of the rendered HTML starts a script or a document of its
/// own, however the scheme is spelled (character references decoded first, as
/// the browser decodes them).
fn assert_no_live_script(html: &str) {
    for (attr, image) in [("href=\"", false), ("src=\"", true)] {
        for (i, _) in html.match_indices(attr) {
            let value = &html[i + attr.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let decoded = value
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert!(
                !decoded.contains("&#") && unsafe_scheme(&decoded, image).is_none(),
                "live `{value}` in {html}"
            );
        }
    }
}

#[test]
fn script_urls_never_become_live_links() {
    let cases = [
        "[点我](javascript:alert(1))",
        "[点我](JavaScript:alert(1))",
        "[点我](<  javascript:alert(1)>)",
        "[点我](<\u{1}javascript:alert(1)>)",
        "[点我](<java\tscript:alert(1)>)",
        "[点我](javascript&#58;alert(1))",
        "[点我](javascript&colon;alert(1))",
        "[点我](vbscript:msgbox(1))",
        "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[点我](data:image/png;base64,iVBORw0KGgo=)",
        "[点我][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "<JAVASCRIPT:alert(1)>",
        "![示意图](javascript:alert(1))",
        "![示意图](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        "![示意图](data:text/html,<script>alert(1)</script>)",
    ];
    for body in cases {
        let r = render_body(body, false);
        assert_no_live_script(&r.html);
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["W0107"], "{body}: {:?}\n{}", r.diagnostics, r.html);
        let d = &r.diagnostics[0];
        assert_eq!(d.location.as_ref().unwrap().line, 5, "{body}");
        assert!(
            !r.html.contains("<a") && !r.html.contains("<img"),
            "{body}: {}",
            r.html
        );
        // What the reader sees stays: the link text, or the image's alt text.
        let shown = if body.starts_with('<') {
            "alert(1)"
        } else if body.starts_with('!') {
            "示意图"
        } else {
            "点我"
        };
        assert!(r.html.contains(shown), "{body}: {}", r.html);
    }
}

#[test]
fn a_wiki_link_label_in_a_table_cell_escapes_its_pipe() {
    let r = render_body("| a |\n|---|\n| [[PR-0001\\|流程 <b>x</b>]] |\n", false);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(
        r.html.contains(
            r#"<td><a href="../procedures/PR-0001.html">流程 &lt;b&gt;x&lt;/b&gt;</a></td>"#
        ),
        "{}",
        r.html
    );
}

#[test]
fn wiki_links_cannot_carry_a_script_url() {
    for body in ["[[javascript:alert(1)]]", "[[javascript:alert(1)|点我]]"] {
        let r = render_body(body, false);
        assert_no_live_script(&r.html);
        assert!(!r.html.contains("<a"), "{body}: {}", r.html);
        assert_eq!(r.diagnostics[0].code, "E0201", "{body}");
    }
}

#[test]
fn safe_schemes_and_raster_data_images_stay_live() {
    let r = render_body(
        "[a](https://e.com/) [b](mailto:a@b.c) [c](tel:10086) <https://e.com/x> \
         ![d](data:image/png;base64,iVBORw0KGgo=) ![e](DATA:image/webp,xx) [javascript 教程](https://e.com/javascript:x)",
        false,
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    for live in [
        r#"href="https://e.com/""#,
        r#"href="mailto:a@b.c""#,
        r#"href="tel:10086""#,
        r#"href="https://e.com/x""#,
        r#"src="data:image/png;base64,iVBORw0KGgo=""#,
        r#"src="DATA:image/webp,xx""#,
    ] {
        assert!(r.html.contains(live), "{live}: {}", r.html);
    }
}

#[test]
fn allowed_raw_html_trusts_authors_with_links_too() {
    let r = render_with("[书签](javascript:void(0))", false, RawHtmlPolicy::Allow);
    assert!(
        r.html.contains(r#"href="javascript:void(0)""#),
        "{}",
        r.html
    );
    assert!(r.diagnostics.is_empty());
}

#[test]
fn unsafe_schemes_are_read_as_browsers_read_them() {
    assert_eq!(
        unsafe_scheme(" \u{0}\tJaVa\nScRiPt:x", false).as_deref(),
        Some("javascript")
    );
    assert_eq!(
        unsafe_scheme("vbscript:x", true).as_deref(),
        Some("vbscript")
    );
    assert_eq!(
        unsafe_scheme("data:image/png,x", false).as_deref(),
        Some("data")
    );
    assert_eq!(unsafe_scheme("data:image/jpeg;base64,x", true), None);
    assert_eq!(
        unsafe_scheme("data:image/svg+xml,x", true).as_deref(),
        Some("data")
    );
    assert_eq!(unsafe_scheme("data:,x", true).as_deref(), Some("data"));
    assert_eq!(unsafe_scheme("img/javascript:x.png", true), None);
    assert_eq!(unsafe_scheme("https://e.com", false), None);
    assert_eq!(unsafe_scheme("../a.md", false), None);
}

#[test]
fn wording_blocks_and_alerts() {
    let r = render_body("```say\n您好，<b>请</b>稍等。\n```\n\n```avoid\n不归我管。\n```\n\n> [!WARNING]\n> 先断电。\n", false);
    assert!(r.html.contains(r#"<figure class="wording wording-say"><figcaption>推荐话术</figcaption><blockquote><p>您好，&lt;b&gt;请&lt;/b&gt;稍等。</p>"#), "{}", r.html);
    assert!(r.html.contains("wording-avoid"));
    assert!(
        r.html.contains(
            r#"<aside class="alert alert-warning" role="note"><p class="alert-title">警告</p>"#
        ),
        "{}",
        r.html
    );
}

#[test]
fn gfm_features_render() {
    let r = render_body(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] 完成\n\n~~旧~~ 脚注[^1]\n\n[^1]: 说明\n",
        false,
    );
    assert!(
        r.html.contains("<div class=\"table-wrap\"><table>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            r#"<input type="checkbox" class="task" disabled checked aria-label="已完成">"#
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("<del>旧</del>"), "{}", r.html);
    assert!(r.html.contains("footnote"), "{}", r.html);
}

#[test]
fn unknown_shortcodes_are_dropped_with_one_warning_each() {
    let r = render_body(
        "前\n{{< youtube abc >}}\n{{< youtube def >}}\n{{% notice %}}内文{{% /notice %}}\n后",
        false,
    );
    assert!(!r.html.contains("{{"), "{}", r.html);
    assert!(r.html.contains("内文"));
    let codes: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.as_ref().unwrap().line))
        .collect();
    assert_eq!(codes, [("W0104", 6), ("W0104", 8)]);
}

#[test]
fn slugify_keeps_chinese() {
    assert_eq!(slugify("原因 分析（二）"), "原因-分析-二");
    assert_eq!(slugify("Step 1: Check"), "step-1-check");
    assert_eq!(slugify("!!!"), "");
}

/// Payloads that ran script when they reached the page as markup (issue 11).
const HOSTILE: &[&str] = &[
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<style>*{color:red}</style>",
    "<script>alert(1)</script>",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[x](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
];

/// Every Markdown construct that holds inline content, with `{}` where the
/// payload goes.
const CONSTRUCTS: &[&str] = &[
    "{}",
    "# {}",
    "## 标题 {}",
    "| 列 |\n|---|\n| {} |",
    "| {} |\n|---|\n| 单元格 |",
    "> {}",
    "> [!WARNING]\n> {}",
    "> [!NOTE]\n> 外层\n>\n> > {}",
    "- {}",
    "1. {}",
    "- [ ] {}",
    "- [x] 完成 {}",
    "正文[^1]\n\n[^1]: {}",
    "## 步骤\n\n1. {}\n2. 第二步",
    "[[FC-0001|{}]]",
    "[[PR-0001|前 {} 后]]",
    "[[FC-0001#原因|{}]]",
    "[[FC-9999|{}]]",
    "[链接 {}](https://e.com/)",
    "![图 {}](img.png)",
    "*{}*",
    "**{}**",
    "~~{}~~",
    "`{}`",
    "术语\n: {}",
    "```say\n{}\n```",
    "```avoid\n{}\n```",
    "<details>\n{}\n</details>",
    "- 外层\n  - [[FC-0001|{}]]",
    "> - [[FC-0001|**{}**]]",
    "| [[FC-0001\\|{}]] |\n|---|\n| x |",
];

/// The tags of an HTML text: (lower-case name, attribute names, the tag),
/// read the way a browser tokenizes them (quoted values may hold spaces and `>`).
fn tags(html: &str) -> Vec<(String, Vec<String>, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = html.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut name = String::new();
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' {
            name.push(chars[i]);
            i += 1;
        }
        let mut attrs = Vec::new();
        loop {
            while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
                i += 1;
            }
            if i >= chars.len() || chars[i] == '>' {
                break;
            }
            let mut attr = String::new();
            while i < chars.len() && !chars[i].is_whitespace() && !"=>/".contains(chars[i]) {
                attr.push(chars[i]);
                i += 1;
            }
            if i < chars.len() && chars[i] == '=' {
                i += 1;
                if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                    let q = chars[i];
                    i += 1;
                    while i < chars.len() && chars[i] != q {
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '>' {
                        i += 1;
                    }
                }
            }
            attrs.push(attr.to_ascii_lowercase());
        }
        let end = i.min(chars.len());
        let tag: String = chars[start..end].iter().collect();
        let name = name.trim_start_matches('/').to_ascii_lowercase();
        out.push((name, attrs, format!("{tag}>")));
        i = end + 1;
    }
    out
}

/// No element or attribute the payloads try to create reaches the HTML.
fn assert_inert(html: &str, context: &str) {
    let mut markup = String::new();
    for (name, attrs, tag) in tags(html) {
        markup.push_str(&tag);
        assert!(
            !["svg", "details", "iframe", "meta", "style", "script", "object", "embed"]
                .contains(&name.as_str()),
            "{context}: a `<{name}>` element in {html}"
        );
        for attr in attrs {
            assert!(
                !attr.starts_with("on"),
                "{context}: `{attr}` on `<{name}>` in {html}"
            );
        }
    }
    // URLs only count inside real tags; escaped text may say `href="javascript:`.
    assert_no_live_script(&markup);
}

#[test]
fn hostile_content_in_every_construct_stays_text() {
    for construct in CONSTRUCTS {
        for payload in HOSTILE {
            let body = construct.replace("{}", payload);
            for checklist in [false, true] {
                let r = render_body(&body, checklist);
                assert_inert(&r.html, &body);
            }
        }
    }
}

#[test]
fn wiki_link_labels_are_markdown_through_the_same_path() {
    let r = render_body("[[FC-0001|<img src=x onerror=alert(1)> *强调*]]", false);
    assert!(
        r.html.contains(
            r#"<a href="FC-0001.html">&lt;img src=x onerror=alert(1)&gt; <em>强调</em></a>"#
        ),
        "{}",
        r.html
    );
    assert!(
        r.text.contains("<img src=x onerror=alert(1)> 强调"),
        "{}",
        r.text
    );
    // A script URL inside a label: a warning, and the label's text stays.
    let r = render_body("[[FC-0001|![图](javascript:alert(1))]]", false);
    assert_no_live_script(&r.html);
    assert_eq!(r.diagnostics[0].code, "W0107");
    assert!(r.html.contains(">图</a>"), "{}", r.html);
}

#[test]
fn headings_never_take_the_page_element_ids() {
    let mut table = links();
    table.page_ids = ["main".to_string()].into();
    let input = Input {
        body: "## main\n\n## main\n",
        body_line: 1,
        path: Path::new("content/a.md"),
        source_rel: "a.md",
        page_url: "a.html",
        self_id: "a",
        raw_html: RawHtmlPolicy::Escape,
        step_checklist: false,
    };
    let r = render(&input, &table);
    let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["main-1", "main-2"]);
}

#[test]
fn many_copies_of_one_heading_get_distinct_ids_in_linear_time() {
    // 20,000 copies: the old loop tried every taken suffix again for each copy
    // (200 million tries); this must take well under a second.
    let body = "## 步骤\n\n".repeat(20_000) + "## 步骤-1\n";
    let r = render_body(&body, false);
    let ids: HashSet<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), 20_001);
    assert!(ids.contains("步骤-19999"));
}

/// A docs tree: `ai/_index.md` (a section page), `ai/guides/x.md`, a folder
/// without a section file, and an image at the root.
fn docs_links() -> Links {
    let mut links = Links::default();
    for (rel, id, url) in [
        ("ai/_index.md", "ai/_index", "ai/index.html"),
        ("ai/guides/x.md", "ai/guides/x", "ai/guides/x.html"),
        ("overview.md", "overview", "overview.html"),
    ] {
        links.insert(
            rel,
            LinkTarget {
                id: id.into(),
                title: id.into(),
                url: url.into(),
            },
        );
    }
    links.insert_section("ai/guides", "ai/guides/index.html");
    links.insert_section("", "index.html");
    links.insert_intro("_index.md", "index.html");
    links.insert_asset("media/a b.png");
    links
}

#[test]
fn links_resolve_as_the_docs_tools_resolve_them() {
    let links = docs_links();
    let page = |from: &str, path: &str| match links.resolve(from, path) {
        Resolved::Page(t) => t.url.clone(),
        Resolved::Section(url) => format!("section {url}"),
        Resolved::Asset(rel) => format!("asset {rel}"),
        other => format!("{other:?}"),
    };
    // Site-root-absolute, with or without `.md`, as `.html`, as a folder.
    assert_eq!(page("ai/_index.md", "/ai/guides/x.md"), "ai/guides/x.html");
    assert_eq!(page("ai/_index.md", "/ai/guides/x"), "ai/guides/x.html");
    assert_eq!(
        page("ai/_index.md", "/ai/guides/x.html"),
        "ai/guides/x.html"
    );
    assert_eq!(page("overview.md", "/ai/"), "ai/index.html");
    assert_eq!(page("overview.md", "ai"), "ai/index.html");
    assert_eq!(page("overview.md", "/ai/_index.md"), "ai/index.html");
    assert_eq!(page("ai/guides/x.md", "../../overview"), "overview.html");
    // A folder without a section file: its listing; the root: the home page.
    assert_eq!(
        page("overview.md", "/ai/guides/"),
        "section ai/guides/index.html"
    );
    assert_eq!(page("ai/guides/x.md", "/"), "section index.html");
    assert_eq!(page("ai/guides/x.md", "/_index.md"), "section index.html");
    // Files wherever they sit.
    assert_eq!(
        page("ai/guides/x.md", "/media/a b.png"),
        "asset media/a b.png"
    );
    assert_eq!(
        page("ai/guides/x.md", "../../media/a b.png"),
        "asset media/a b.png"
    );
    // Nothing there: what was tried is listed.
    match links.resolve("overview.md", "/ai/nope") {
        Resolved::Missing { tried, page: true } => {
            assert_eq!(tried[0], "ai/nope.md");
            assert!(tried.contains(&"ai/nope/_index.md".to_string()));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        links.resolve("a.md", "../../x.md"),
        Resolved::Outside
    ));
}

#[test]
fn a_dead_site_root_link_is_an_error_that_says_what_it_tried() {
    let links = docs_links();
    let input = Input {
        body: "见 [缺失](/ai/missing.md) 与 [目录](/ai/guides/) 和 ![图](/media/a%20b.png)",
        body_line: 3,
        path: Path::new("content/ai/guides/x.md"),
        source_rel: "ai/guides/x.md",
        page_url: "ai/guides/x.html",
        self_id: "ai/guides/x",
        raw_html: RawHtmlPolicy::Escape,
        step_checklist: false,
    };
    let r = render(&input, &links);
    assert!(r.html.contains(r#"href="index.html""#), "{}", r.html);
    assert!(
        r.html.contains(r#"src="../../media/a%20b.png""#),
        "{}",
        r.html
    );
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!((d.code, d.location.as_ref().unwrap().line), ("E0202", 3));
    assert!(d.message.contains("`ai/missing.md`"), "{}", d.message);
}

#[test]
fn github_slug_matches_the_documentation_tools() {
    assert_eq!(
        github_slug("TiDB 中文技术文档风格 — 极简指南"),
        "tidb-中文技术文档风格--极简指南"
    );
    assert_eq!(
        github_slug("tidb_enable_fast_create_table 从 v8.0.0 版本开始引入"),
        "tidb_enable_fast_create_table-从-v800-版本开始引入"
    );
    assert_eq!(
        github_slug("Storage async write duration、Store duration 和 Apply duration"),
        "storage-async-write-durationstore-duration-和-apply-duration"
    );
}

#[test]
fn a_heading_also_answers_to_its_github_slug() {
    let html = render_body("## 从 v8.0.0 版本开始\n\n正文\n\n## 现象\n", false).html;
    assert!(html.contains(r#"<h2 id="从-v8-0-0-版本开始">"#), "{html}");
    assert!(
        html.contains(r#"<span id="从-v800-版本开始" class="anchor-alias"></span>"#),
        "{html}"
    );
    // Where both slugs agree there is one id, no alias.
    assert!(
        !html.contains(r#"id="现象" class="anchor-alias""#),
        "{html}"
    );
    assert_eq!(html.matches(r#"id="现象""#).count(), 1, "{html}");
}
