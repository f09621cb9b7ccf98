//! `relevance SITE_DIR QUERIES.json`: known-item relevance of a built site's
//! search, through the same engine `svcbook search` opens. QUERIES.json is what
//! `bench/docs_relevance.py queries` writes: `[{form, q, url}]`. Prints, per
//! query form, MRR@10, recall@10 and the share found at rank 1, then the ten
//! worst misses of each form to stderr.
//!
//! On a site made with `docs_relevance.py corpus --copies N`, a page's copies
//! (`docs/x-copy3.html`) are the same text, so any copy counts as the page.
//! Copies tie, so one wrong page above the right one fills the top ten with
//! its N copies: the plain table is then the rank-1 share. A second table
//! ranks distinct pages (copies folded into their original), as a corpus of N
//! times as many different pages would. A third counts only the queries that
//! can name their page (`identifies`: no other page holds their text).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use svcbook::search_cmd::open_index;
use svcbook_search::SearchRequest;

#[derive(serde::Deserialize)]
struct Query {
    form: String,
    q: String,
    url: String,
    /// Whether no other page holds the query's text (docs_relevance.py).
    #[serde(default = "yes")]
    identifies: bool,
}

fn yes() -> bool {
    true
}

/// The page a copy was made from: `docs/x-copy3.html` -> `docs/x.html`.
fn original(url: &str) -> String {
    let Some(stem) = url.strip_suffix(".html") else {
        return url.to_string();
    };
    match stem.rsplit_once("-copy") {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{base}.html")
        }
        _ => url.to_string(),
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    rr: f64,
    found: usize,
    first: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, queries] = args.as_slice() else {
        eprintln!("usage: relevance SITE_DIR QUERIES.json");
        return ExitCode::from(2);
    };
    let queries: Vec<Query> = match std::fs::read(queries)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(q) => q,
        Err(e) => {
            eprintln!("cannot read {queries}: {e}");
            return ExitCode::from(2);
        }
    };
    let (engine, _) = match open_index(Path::new(site), None) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut folded_tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut identifying: BTreeMap<&str, Tally> = BTreeMap::new();
    for q in &queries {
        let req = SearchRequest {
            q: q.q.clone(),
            // Enough for ten distinct pages on a 10x copy.
            limit: 100,
            ..SearchRequest::default()
        };
        let hits = match engine.search(&req) {
            Ok(r) => r.hits,
            Err(e) => {
                eprintln!("{}: {e}", q.q);
                Vec::new()
            }
        };
        let originals: Vec<String> = hits.iter().map(|h| original(&h.url)).collect();
        let rank = originals
            .iter()
            .take(10)
            .position(|u| *u == q.url)
            .map(|i| i + 1);
        let mut distinct: Vec<&String> = Vec::new();
        for u in &originals {
            if !distinct.contains(&u) {
                distinct.push(u);
            }
        }
        let folded = distinct
            .iter()
            .take(10)
            .position(|u| **u == q.url)
            .map(|i| i + 1);
        tallies.entry(q.form.as_str()).or_default().add(rank);
        folded_tallies
            .entry(q.form.as_str())
            .or_default()
            .add(folded);
        if q.identifies {
            identifying.entry(q.form.as_str()).or_default().add(folded);
        }
        if rank.is_none() {
            let top = hits.first().map(|h| h.url.as_str()).unwrap_or("-");
            eprintln!("miss [{}] {:?} want {} got {top}", q.form, q.q, q.url);
        }
    }
    print_table("hits as ranked", &tallies);
    if folded_tallies
        .values()
        .zip(tallies.values())
        .any(|(f, t)| f.rr != t.rr)
    {
        println!();
        print_table("copies folded into their original page", &folded_tallies);
    }
    if identifying.values().map(|t| t.n).sum::<usize>() < queries.len() {
        println!();
        print_table(
            "queries whose text no other page holds (copies folded)",
            &identifying,
        );
    }
    ExitCode::SUCCESS
}

fn print_table(title: &str, tallies: &BTreeMap<&str, Tally>) {
    println!("{title}\n");
    println!("| form | queries | MRR@10 | recall@10 | rank 1 |");
    println!("|---|---|---|---|---|");
    for (form, t) in tallies {
        let n = t.n.max(1) as f64;
        println!(
            "| {form} | {} | {:.3} | {:.3} | {:.3} |",
            t.n,
            t.rr / n,
            t.found as f64 / n,
            t.first as f64 / n
        );
    }
}

impl Tally {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if let Some(r) = rank {
            self.rr += 1.0 / r as f64;
            self.found += 1;
            self.first += usize::from(r == 1);
        }
    }
}
