//! Markdown rendering throughput (MB/s of Markdown source), with criterion.
//!
//!     cargo bench --bench markdown
//!
//! Input: the bodies of the demo knowledge base in content/ (every kind, with
//! tables, lists, `[[ID]]` links, alerts and wording blocks), or the articles of
//! a generated corpus when `SVCBOOK_BENCH_CORPUS` names its folder
//! (bench/gen_corpus.py). Two measurements on the same bytes:
//! * `svcbook` — `svcbook::markdown::render`, what the build runs per article
//!   (wiki-links, anchors and TOC, checklists, plain text for search);
//! * `pulldown-cmark` — the bare parser and HTML writer with the same options,
//!   the floor under svcbook's additions.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pulldown_cmark::{Options, Parser};
use svcbook::config::RawHtmlPolicy;
use svcbook::markdown::{self, Input, LinkTarget, Links};

struct Doc {
    path: PathBuf,
    rel: String,
    id: String,
    url: String,
    body: String,
    procedure: bool,
}

/// Markdown files of a content folder, front matter cut off; ids are file stems
/// (as in the demo and the generated corpora).
fn load(content: &Path) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".md") || name.starts_with('_') {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable Markdown");
            let body = match text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---\n"))
            {
                Some((_, body)) => body.to_string(),
                None => text,
            };
            let rel = path
                .strip_prefix(content)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let id = name.trim_end_matches(".md").to_string();
            docs.push(Doc {
                url: rel.replace(".md", ".html"),
                procedure: rel.starts_with("procedures/"),
                path,
                rel,
                id,
                body,
            });
        }
    }
    docs.sort_by(|a, b| a.rel.cmp(&b.rel));
    docs
}

fn bench(c: &mut Criterion) {
    let content = match std::env::var_os("SVCBOOK_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir).join("content"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
    };
    let docs = load(&content);
    assert!(!docs.is_empty(), "no Markdown in {}", content.display());
    let mut links = Links::default();
    for d in &docs {
        links.insert(
            &d.rel,
            LinkTarget {
                id: d.id.clone(),
                title: d.id.clone(),
                url: d.url.clone(),
            },
        );
    }
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    eprintln!(
        "markdown bench: {} files, {:.2} MB from {}",
        docs.len(),
        bytes as f64 / 1e6,
        content.display()
    );

    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("svcbook", |b| {
        b.iter(|| {
            let mut html = 0;
            for d in &docs {
                let input = Input {
                    body: &d.body,
                    body_line: 1,
                    path: &d.path,
                    source_rel: &d.rel,
                    page_url: &d.url,
                    self_id: &d.id,
                    raw_html: RawHtmlPolicy::Escape,
                    step_checklist: d.procedure,
                };
                html += markdown::render(black_box(&input), &links).html.len();
            }
            html
        })
    });
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    group.bench_function("pulldown-cmark", |b| {
        b.iter(|| {
            let mut html = 0;
            for d in &docs {
                let mut out = String::with_capacity(d.body.len() * 2);
                pulldown_cmark::html::push_html(
                    &mut out,
                    Parser::new_ext(black_box(&d.body), options),
                );
                html += out.len();
            }
            html
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
