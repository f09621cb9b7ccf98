//! Where a lazily read index's bytes go: the warm set and the chunks each query
//! of a list needs. `[FACETS=1] cargo run --release -p svcbook-search --example chunk_stats -- BUNDLE [QUERY...]`
use std::sync::Arc;

use svcbook_search::chunks::{chunk_index, ChunkStore};
use svcbook_search::{Engine, SearchError, SearchRequest};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // FACETS=1: the queries also count facets (as the search box does while
    // its filter panel is open); by default they do not, as its first query.
    let skip_facets = std::env::var_os("FACETS").is_none();
    let bundle = std::fs::read(&args[0]).expect("bundle");
    let entries = svcbook_search::bundle::unpack(&bundle).unwrap();
    let len = bundle.len();
    let t = std::time::Instant::now();
    let chunked = chunk_index(bundle.clone()).unwrap();
    eprintln!("chunking took {:?}", t.elapsed());
    let table = chunked.table.clone();
    let mut by_ext = std::collections::BTreeMap::<String, (u64, u64)>::new();
    for (name, r) in &entries {
        let ext = name.rsplit('.').next().unwrap().to_string();
        let e = by_ext.entry(ext).or_default();
        e.0 += r.len() as u64;
        for w in &table.warm_ranges {
            let (s, l) = (w[0] as usize, w[1] as usize);
            let lo = s.max(r.start);
            let hi = (s + l).min(r.end);
            if hi > lo {
                e.1 += (hi - lo) as u64;
            }
        }
    }
    println!(
        "bundle {len} bytes, {} chunks, warm {} bytes in {} ranges",
        table.chunk_count(),
        table.warm_ranges.iter().map(|r| r[1]).sum::<u64>(),
        table.warm_ranges.len()
    );
    for (ext, (size, warm)) in &by_ext {
        println!("  {ext:<10} {size:>10} warm {warm:>10}");
    }
    let pieces: Vec<&[u8]> = bundle.chunks(table.chunk_size as usize).collect();
    let warm_script = &chunked.files.last().unwrap().1;
    for q in &args[1..] {
        let store = Arc::new(ChunkStore::new(table.clone(), None).unwrap());
        store.add_warm_script(warm_script).unwrap();
        let mut trips = 0;
        let mut fetched = 0;
        let engine = loop {
            match Engine::open_lazy(store.clone()) {
                Ok(e) => break e,
                Err(SearchError::NeedChunks(n)) => {
                    trips += 1;
                    for c in n {
                        fetched += 1;
                        store.add_chunk(c, pieces[c].to_vec()).unwrap();
                    }
                }
                Err(e) => panic!("{e}"),
            }
        };
        let req = SearchRequest {
            q: q.clone(),
            skip_facets,
            ..SearchRequest::default()
        };
        let res = loop {
            match engine.search(&req) {
                Ok(r) => break r,
                Err(SearchError::NeedChunks(n)) => {
                    trips += 1;
                    let cs = table.chunk_size as usize;
                    let names: Vec<String> = n
                        .iter()
                        .map(|&c| {
                            entries
                                .iter()
                                .filter(|(_, r)| r.start < (c + 1) * cs && r.end > c * cs)
                                .map(|(name, _)| name.rsplit('.').next().unwrap().to_string())
                                .collect::<Vec<_>>()
                                .join("+")
                        })
                        .collect();
                    eprintln!("  need {} {names:?}", n.len());
                    for c in n {
                        fetched += 1;
                        store.add_chunk(c, pieces[c].to_vec()).unwrap();
                    }
                }
                Err(e) => panic!("{e}"),
            }
        };
        let full = Engine::open(&bundle).unwrap().search(&req).unwrap();
        assert_eq!(
            serde_json::to_string(&res).unwrap(),
            serde_json::to_string(&full).unwrap()
        );
        println!(
            "{q:?}: {} hits, {trips} round trips, {fetched} chunks ({} KiB)",
            res.total,
            fetched * table.chunk_size as usize / 1024
        );
    }
}
