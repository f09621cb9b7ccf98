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
use pulldown_cmark::Parser;
use svcbook::config::{RawHtmlPolicy, SiteConfig};
use svcbook::markdown::{self, Input, LinkTarget, Links};
use svcbook::{frontmatter, load};

struct Doc {
    path: PathBuf,
    rel: String,
    id: String,
    url: String,
    body: String,
    body_line: usize,
    procedure: bool,
}

/// The site's Markdown files through svcbook's own loader and front-matter
/// splitter (section intros `_*.md` left out); ids are file stems, as in the
/// demo and the generated corpora.
fn load(site: &Path) -> Vec<Doc> {
    let config = SiteConfig::load(site).expect("a site folder with svcbook.toml or content/");
    load::load(config)
        .sources
        .into_iter()
        .filter(|s| !s.rel.rsplit('/').next().unwrap_or("").starts_with('_'))
        .map(|s| {
            let split = frontmatter::split(&s.path, &s.text).expect("front matter closes");
            let id = s
                .rel
                .rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".md")
                .to_string();
            Doc {
                url: s.rel.replace(".md", ".html"),
                procedure: s.rel.starts_with("procedures/"),
                id,
                body: split.body.to_string(),
                body_line: split.body_line,
                path: s.path.clone(),
                rel: s.rel,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let site = match std::env::var_os("SVCBOOK_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    };
    let content = site.join("content");
    let docs = load(&site);
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
                    body_line: d.body_line,
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
    // The very option set svcbook renders with.
    let options = markdown::options();
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
