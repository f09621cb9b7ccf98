//! Analyzer and indexer throughput (MB/s of text), with criterion.
//!
//!     cargo bench -p svcbook-search --bench analyzer
//!
//! Input: the article bodies of the demo knowledge base (content/ at the repo
//! root), or of a generated corpus when `SVCBOOK_BENCH_CORPUS` names its folder
//! (bench/gen_corpus.py). Markdown is fed as it is: the analyzer sees mostly Han
//! text with codes and punctuation, as in the built index.
//! * `analyze` — [`svcbook_search::analyzer::analyze`], Han bigrams and codes;
//! * `zh_tokenizer` — the same through the tantivy `Tokenizer` adapter, every
//!   token visited (what the index writer pays per field);
//! * `build_bundle` — the whole index bundle over those documents.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use svcbook_search::analyzer::{analyze, ZhTokenizer};
use svcbook_search::{build_bundle, SearchDoc};
use tantivy::tokenizer::{TokenStream, Tokenizer};

fn bodies(content: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).expect("readable Markdown");
                let body = match text
                    .strip_prefix("---\n")
                    .and_then(|t| t.split_once("\n---\n"))
                {
                    Some((_, body)) => body.to_string(),
                    None => text,
                };
                let id = path.file_stem().unwrap().to_string_lossy().into_owned();
                out.push((id, body));
            }
        }
    }
    out.sort();
    out
}

fn bench(c: &mut Criterion) {
    let content = match std::env::var_os("SVCBOOK_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir).join("content"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"),
    };
    let docs = bodies(&content);
    assert!(!docs.is_empty(), "no Markdown in {}", content.display());
    let bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "analyzer bench: {} files, {:.2} MB from {}",
        docs.len(),
        bytes as f64 / 1e6,
        content.display()
    );

    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("analyze", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(_, body)| analyze(black_box(body)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("zh_tokenizer", |b| {
        let mut tokenizer = ZhTokenizer::default();
        b.iter(|| {
            let mut n = 0usize;
            for (_, body) in &docs {
                let mut stream = tokenizer.token_stream(black_box(body));
                while stream.advance() {
                    n += stream.token().text.len();
                }
            }
            n
        })
    });
    group.finish();

    let search_docs: Vec<SearchDoc> = docs
        .iter()
        .map(|(id, body)| SearchDoc {
            id: id.clone(),
            url: format!("{id}.html"),
            title: id.clone(),
            kind: "page".into(),
            status: "published".into(),
            body: body.clone(),
            ..SearchDoc::default()
        })
        .collect();
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("build_bundle", |b| {
        b.iter(|| {
            build_bundle(black_box(&search_docs), &[])
                .unwrap()
                .index
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
