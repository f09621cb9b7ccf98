//! `search-times SITE_DIR QUERIES.json [ROUNDS]`: where `svcbook search`'s time
//! goes, in process: reading the bundle, opening it, and each query, with the
//! same library calls `svcbook search` makes. Prints one JSON line.
//!
//! bench/run uses it next to the whole-process timing of `svcbook search`.
//! Built with `cargo build --release --example search-times`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use svcbook::search_cmd::{open_index, search_built_site};
use svcbook_search::SearchRequest;

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (site, queries, rounds) = match args.as_slice() {
        [site, queries] => (site, queries, 3),
        [site, queries, rounds] => (site, queries, rounds.parse().unwrap_or(3)),
        _ => {
            eprintln!("usage: search-times SITE_DIR QUERIES.json [ROUNDS]");
            return ExitCode::from(2);
        }
    };
    let queries: Vec<String> = match std::fs::read(queries)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(q) => q,
        Err(e) => {
            eprintln!("cannot read {queries}: {e}");
            return ExitCode::from(2);
        }
    };
    let t = Instant::now();
    let (engine, output_dir) = match open_index(Path::new(site), None) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::new();
    let mut rank_times = Vec::new();
    let mut by_query: Vec<(f64, &str)> = Vec::new();
    let mut hits = 0usize;
    for round in 0..rounds {
        for q in &queries {
            let req = SearchRequest {
                q: q.clone(),
                limit: 10,
                ..SearchRequest::default()
            };
            // Ranking alone, then the whole query as `svcbook search` runs it
            // (ranking again, plus reading fragments and cutting snippets).
            let t = Instant::now();
            let _ = engine.search(&req);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            rank_times.push(ms);
            by_query.push((ms, q.as_str()));
            let t = Instant::now();
            let res = search_built_site(&engine, &output_dir, &req);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if round == 0 && res.is_ok_and(|r| !r.hits.is_empty()) {
                hits += 1;
            }
        }
    }
    times.sort_by(f64::total_cmp);
    rank_times.sort_by(f64::total_cmp);
    // The slowest queries to rank (worst of the rounds): where to look next.
    by_query.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut slowest: Vec<(f64, &str)> = Vec::new();
    for (ms, q) in by_query {
        if slowest.len() < 5 && !slowest.iter().any(|(_, s)| *s == q) {
            slowest.push((ms, q));
        }
    }
    let json = serde_json::json!({
        "open_ms": open_ms,
        "queries": queries.len(),
        "rounds": rounds,
        "queries_with_hits": hits,
        "query_ms": {
            "median": pct(&times, 50.0),
            "p95": pct(&times, 95.0),
            "max": pct(&times, 100.0),
        },
        "rank_ms": {
            "median": pct(&rank_times, 50.0),
            "p95": pct(&rank_times, 95.0),
        },
        "slowest_rank_ms": slowest.iter().map(|(ms, q)| serde_json::json!({"q": q, "ms": ms})).collect::<Vec<_>>(),
    });
    println!("{json}");
    ExitCode::SUCCESS
}
