//! `svcbook serve`'s fast path: an edit to an article's body re-renders only
//! the pages that show it and patches the served search index; everything else
//! (front matter, links, errors) still takes a full rebuild, with the same
//! result a full build gives.

mod common;
mod serve_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serve_support::*;
use svcbook_search::chunks::{read_chunk_script, ChunkTable};
use svcbook_search::{Engine, SearchRequest};

/// A copy of the `kinds` fixture being served, its event stream past `hello`,
/// and the fault case every test edits, with its original text.
struct Session {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    serve: Serve,
    events: Events,
    fc: PathBuf,
    original: String,
}

impl Session {
    fn start() -> Session {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        copy_site(&fixture("kinds"), &site);
        let serve = Serve::start(&site);
        let mut events = Events::connect(serve.port);
        assert_eq!(events.next().0, "hello");
        let fc = site.join("content/fault-cases/FC-1.md");
        let original = fs::read_to_string(&fc).unwrap();
        Session {
            _tmp: tmp,
            site,
            serve,
            events,
            fc,
            original,
        }
    }
}

fn changed(reload: &serde_json::Value) -> Vec<String> {
    reload["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Saves `text` over `path` in one write, without truncating first.
/// `fs::write` truncates and then writes; on a loaded machine the two can fall
/// into different debounce batches, and serve then rightly rebuilds the empty
/// file as an edit of its own (a failed build), which shifts what a test sees.
/// So every edit here makes the file longer, and is one write.
fn save(path: &Path, text: &str) {
    use std::io::Write;
    let old = fs::metadata(path).unwrap().len();
    assert!(
        text.len() as u64 >= old,
        "save() needs a text at least as long as the file"
    );
    let mut file = fs::OpenOptions::new().write(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

/// The next reload that changed something (a save may be seen as two batches
/// of changes, the second changing nothing).
fn next_change(events: &mut Events) -> serde_json::Value {
    loop {
        let (name, data) = events.next();
        if name == "reload" && !changed(&data).is_empty() {
            return data;
        }
    }
}

/// The `n`th rebuild that changed files (1-based: the first build), as serve
/// printed it, once it is there.
fn rebuilt_line(serve: &Serve, n: usize) -> String {
    let start = Instant::now();
    loop {
        let err = serve.stderr();
        // Whole lines only: serve may be halfway through printing the next one.
        let complete = &err[..err.rfind('\n').map_or(0, |i| i + 1)];
        let mut lines = complete
            .lines()
            .filter(|l| l.contains("rebuilt in ") && !l.ends_with("no page changed"));
        if let Some(line) = lines.nth(n - 1) {
            return line.to_string();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no rebuild line {n}:\n{err}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The served search index, opened as `svcbook search` and the browser do.
fn served_engine(serve: &Serve) -> Engine {
    let manifest: serde_json::Value =
        serde_json::from_slice(&serve.get("/search/manifest.json").body).unwrap();
    let table: ChunkTable = serde_json::from_value(manifest["index"].clone()).unwrap();
    // Every chunk as served, checked against its name and hash, put back together.
    let mut bundle = Vec::new();
    for n in 0..table.chunk_count() {
        let name = table.chunk_name(n);
        let chunk = serve.get(&format!("/search/{}", ChunkTable::script_name(&name)));
        assert_eq!(chunk.status, 200, "chunk {name}");
        bundle.extend(read_chunk_script(&chunk.body, &name).unwrap());
    }
    let warm = serve.get(&format!("/search/{}", ChunkTable::script_name(&table.warm)));
    assert_eq!(warm.status, 200, "warm file");
    read_chunk_script(&warm.body, &table.warm).unwrap();
    Engine::open(&bundle).unwrap()
}

fn hits(engine: &Engine, q: &str) -> Vec<svcbook_search::Hit> {
    let req = SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    };
    engine.search(&req).unwrap().hits
}

/// The errors a full build of `site` reports, as serve's overlay shows them.
fn full_build_errors(site: &Path) -> String {
    let options = svcbook::pipeline::BuildOptions {
        site_dir: site.to_path_buf(),
        output_dir: None,
        drafts: true,
        today: None,
    };
    let mut times = svcbook::pipeline::StageTimes::default();
    match svcbook::pipeline::load_and_validate(&options, &mut |_| {}, &mut times) {
        Err(svcbook::pipeline::BuildError::Invalid(d)) => {
            d.0.iter()
                .map(|d| d.render(false))
                .collect::<Vec<_>>()
                .join("\n\n")
        }
        other => panic!("expected input errors, got {other:?}"),
    }
}

#[test]
fn a_body_edit_renders_its_pages_alone_and_patches_the_search_index() {
    // `_tmp` is bound, not left in `..`: it must live until the test ends.
    let Session {
        _tmp,
        serve,
        mut events,
        fc,
        original,
        ..
    } = Session::start();
    let before = served_engine(&serve);
    assert_eq!(hits(&before, "定期检漏")[0].id, "FC-1");
    let old_manifest = serve.get("/search/manifest.json").text();

    save(
        &fc,
        &original.replace("定期检漏。", "每季度清洗冷凝器翅片。"),
    );
    let reload = next_change(&mut events);
    let changed = changed(&reload);
    // FC-1 is in a learning path, whose printable page carries its body.
    assert!(
        rebuilt_line(&serve, 2).contains(" ms (2 pages): "),
        "{}",
        serve.stderr()
    );
    assert!(changed.contains(&"fault-cases/FC-1.html".to_string()));
    assert!(changed.contains(&"paths/basics-print.html".to_string()));
    assert!(changed.contains(&"search/manifest.json".to_string()));
    assert!(
        !changed
            .iter()
            .any(|c| c == "index.html" || c.ends_with("/index.html")),
        "listings do not show bodies: {changed:?}"
    );
    assert!(serve
        .get("/fault-cases/FC-1.html")
        .text()
        .contains("每季度清洗冷凝器翅片。"));
    assert!(serve
        .get("/paths/basics-print.html")
        .text()
        .contains("每季度清洗冷凝器翅片。"));

    // The served index finds the new words and no longer the removed ones.
    let after = served_engine(&serve);
    assert_eq!(after.num_docs(), before.num_docs());
    let found = hits(&after, "冷凝器翅片");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "FC-1");
    assert!(hits(&after, "定期检漏").is_empty());
    // Its snippet text is served from the fragment file the hit names.
    let fragment = serve.get(&format!("/search/{}", found[0].fragment));
    assert_eq!(fragment.status, 200);
    let bodies = svcbook_search::fragments::parse(&fragment.body).unwrap();
    assert!(bodies["FC-1"].contains("每季度清洗冷凝器翅片。"));
    // Other articles are found as before.
    assert_eq!(hits(&after, "话术")[0].id, hits(&before, "话术")[0].id);
    // Chunks the new index no longer uses are no longer served (chunks are
    // named by the bundle, so that is all of the old ones).
    let new: serde_json::Value =
        serde_json::from_slice(&serve.get("/search/manifest.json").body).unwrap();
    let new: ChunkTable = serde_json::from_value(new["index"].clone()).unwrap();
    let old: serde_json::Value = serde_json::from_str(&old_manifest).unwrap();
    let old: ChunkTable = serde_json::from_value(old["index"].clone()).unwrap();
    assert_ne!(old, new);
    let new_names: Vec<String> = new.names().collect();
    for name in old.names() {
        let status = serve
            .get(&format!("/search/{}", ChunkTable::script_name(&name)))
            .status;
        assert_eq!(
            status,
            if new_names.contains(&name) { 200 } else { 404 },
            "{name}"
        );
    }
}

#[test]
fn front_matter_and_link_edits_rebuild_everything() {
    // `_tmp` is bound, not left in `..`: it must live until the test ends.
    let Session {
        _tmp,
        serve,
        mut events,
        fc,
        original,
        ..
    } = Session::start();

    // A new title shows on the listings and on the pages linking here.
    save(
        &fc,
        &original.replace("title: XR-1 不制冷 E04", "title: XR-1 完全不制冷"),
    );
    let changed = changed(&next_change(&mut events));
    let line = rebuilt_line(&serve, 2);
    assert!(!line.contains(" page"), "full rebuild: {line}");
    assert!(
        changed.contains(&"fault-cases/index.html".to_string()),
        "{changed:?}"
    );
    assert!(serve
        .get("/fault-cases/index.html")
        .text()
        .contains("XR-1 完全不制冷"));
    assert!(serve
        .get("/procedures/PR-1.html")
        .text()
        .contains("XR-1 完全不制冷"));

    // A new body link adds a backlink to the page it points at.
    assert!(!serve
        .get("/standards/ST-1.html")
        .text()
        .contains("FC-1.html"));
    save(
        &fc,
        &original.replace("定期检漏。", "定期检漏，标准见 [[ST-1]]。"),
    );
    next_change(&mut events);
    let line = rebuilt_line(&serve, 3);
    assert!(!line.contains(" page"), "full rebuild: {line}");
    assert!(serve
        .get("/standards/ST-1.html")
        .text()
        .contains("FC-1.html"));
}

#[test]
fn an_error_in_an_edited_body_is_reported_as_by_a_full_build_and_the_fix_recovers() {
    let Session {
        _tmp,
        site,
        serve,
        mut events,
        fc,
        original,
    } = Session::start();

    save(
        &fc,
        &original.replace("定期检漏。", "定期检漏，见 [[FC-404]]。"),
    );
    let (name, errors) = events.next();
    assert_eq!(name, "errors");
    let text = errors["errors"].as_str().unwrap();
    assert!(text.contains("E0201"), "{text}");
    assert_eq!(text, full_build_errors(&site));
    assert!(!serve
        .get("/fault-cases/FC-1.html")
        .text()
        .contains("FC-404"));

    // Fixed: the site is rebuilt in full (its errors are cleared only so).
    save(
        &fc,
        &original.replace("定期检漏。", "定期检漏并记录检查结果和日期。"),
    );
    next_change(&mut events);
    assert_eq!(
        Events::connect(serve.port).next().1["errors"],
        serde_json::Value::Null
    );
    assert!(serve
        .get("/fault-cases/FC-1.html")
        .text()
        .contains("定期检漏并记录检查结果和日期。"));
    let line = rebuilt_line(&serve, 2);
    assert!(!line.contains(" page"), "full rebuild: {line}");

    // And the next body edit takes the fast path again.
    save(
        &fc,
        &original.replace("定期检漏。", "定期检漏并记录检查结果和日期，再拍照。"),
    );
    next_change(&mut events);
    assert!(
        rebuilt_line(&serve, 3).contains(" (2 pages): "),
        "{}",
        serve.stderr()
    );
    assert_eq!(hits(&served_engine(&serve), "拍照")[0].id, "FC-1");
}
