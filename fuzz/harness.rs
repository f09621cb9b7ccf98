// Fuzz entry points, shared by the cargo-fuzz targets (fuzz/fuzz_targets/*.rs,
// nightly) and by tests/bad_input.rs (stable: corpus replay and a bounded
// deterministic loop in `cargo test`). Each takes any bytes and must not panic.
// Kept free of `use` items so that it can be `include!`d anywhere.

/// A fuzz entry point: any bytes in, no panic out.
#[allow(dead_code)]
pub type Target = fn(&[u8]);

/// `(corpus folder name, entry point)` for every target.
#[allow(dead_code)]
pub const TARGETS: &[(&str, Target)] = &[
    ("frontmatter", fuzz_frontmatter),
    ("markdown", fuzz_markdown),
    ("search_query", fuzz_search_query),
];

/// Front matter → article, as every kind (the folder decides the kind), with
/// every diagnostic rendered (carets and spans over arbitrary lines).
#[allow(dead_code)]
pub fn fuzz_frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = svcbook::frontmatter::normalise(text);
    for rel in [
        "fault-cases/a.md",
        "procedures/a.md",
        "scripts/a.md",
        "playbooks/a.md",
        "standards/a.md",
        "guide/a.md",
        "fault-cases/_index.md",
    ] {
        let file = svcbook::load::SourceFile {
            path: std::path::PathBuf::from("content").join(rel),
            rel: rel.to_string(),
            text: text.clone(),
        };
        let (_parsed, diagnostics) = svcbook::article::parse(&file);
        for d in diagnostics {
            let _ = d.render(false);
            let _ = d.to_string();
        }
    }
    let _ = svcbook::frontmatter::parse_document(std::path::Path::new("paths/p.yaml"), &text);
}

/// Markdown body → HTML, with wiki-links, `.md` links, checklists and both
/// raw-HTML policies. With `escape`, no `<script` may reach the HTML.
#[allow(dead_code)]
pub fn fuzz_markdown(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let mut links = svcbook::markdown::Links::default();
    links.insert(
        "fault-cases/FC-1.md",
        svcbook::markdown::LinkTarget {
            id: "FC-1".into(),
            title: "XR-1 <不制冷>".into(),
            url: "fault-cases/FC-1.html".into(),
        },
    );
    links.left_out.insert("PR-9".into());
    for (raw_html, step_checklist) in [
        (svcbook::config::RawHtmlPolicy::Escape, true),
        (svcbook::config::RawHtmlPolicy::Allow, false),
    ] {
        let input = svcbook::markdown::Input {
            body,
            body_line: 5,
            path: std::path::Path::new("content/procedures/a.md"),
            source_rel: "procedures/a.md",
            page_url: "procedures/a.html",
            self_id: "a",
            raw_html,
            step_checklist,
        };
        let rendered = svcbook::markdown::render(&input, &links);
        for d in &rendered.diagnostics {
            let _ = d.render(false);
        }
        if raw_html == svcbook::config::RawHtmlPolicy::Escape {
            assert!(
                !rendered.html.contains("<script"),
                "raw HTML got through the escape policy: {}",
                rendered.html
            );
        }
    }
}

/// What people type into the search box → parsed query → a search of a small
/// in-memory index, with filters and paging taken from the input too.
#[allow(dead_code)]
pub fn fuzz_search_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = svcbook_search::query::parse(&text);
    thread_local! {
        static ENGINE: svcbook_search::Engine = {
            let doc = |id: &str, kind: &str, title: &str, body: &str, codes: &[&str]| {
                svcbook_search::SearchDoc {
                    id: id.into(),
                    url: format!("{id}.html"),
                    title: title.into(),
                    kind: kind.into(),
                    status: "published".into(),
                    summary: title.into(),
                    body: body.into(),
                    headings: vec!["现象".into(), "处理".into()],
                    products: vec!["XR-200".into()],
                    error_codes: codes.iter().map(|c| c.to_string()).collect(),
                    tags: vec!["制冷".into(), "上门".into()],
                    facts: vec!["外机结霜".into()],
                    kind_aliases: vec!["故障案例".into()],
                    pinyin: vec!["buzhileng".into(), "bzl".into()],
                    sections: vec![svcbook_search::Section {
                        heading: "现象".into(),
                        anchor: "xian-xiang".into(),
                        start: 0,
                    }],
                }
            };
            let docs = vec![
                doc("FC-1", "fault_case", "XR-200 不制冷 E04", "客户情绪激动，冷媒慢漏导致不制冷。", &["E04"]),
                doc("PR-1", "procedure", "上门维修流程", "接单后 4 小时内联系客户，24h 内上门。", &[]),
                doc("SC-1", "script", "退货话术", "您好，退款会在 7 个工作日内到账。", &[]),
            ];
            let synonyms = vec![vec!["退货".to_string(), "退款".to_string()]];
            let bundle = svcbook_search::build_bundle(&docs, &synonyms).expect("a small bundle builds");
            svcbook_search::Engine::open(&bundle.index).expect("the bundle opens")
        };
    }
    let mut words = text.split(['\u{1f}', '\n']);
    let q = words.next().unwrap_or("").to_string();
    let filter = |w: Option<&str>| {
        w.filter(|s| !s.is_empty())
            .map(|s| vec![s.to_string()])
            .unwrap_or_default()
    };
    let request = svcbook_search::SearchRequest {
        q,
        kind: filter(words.next()),
        product: filter(words.next()),
        tag: filter(words.next()),
        limit: data.len() % 130,
        offset: data.first().map(|b| *b as usize % 5).unwrap_or(0),
        skip_facets: data.len() % 2 == 1,
    };
    ENGINE.with(|engine| {
        let _ = engine.search(&request);
    });
}
