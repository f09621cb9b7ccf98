//! Per-field bytes of an index bundle (term dictionary, postings, positions,
//! fieldnorms, fast fields) and its doc store, from tantivy's own accounting:
//! what the warm file and a query's chunks are made of.
//! `cargo run -p svcbook-search --example space_usage -- BUNDLE`
use std::path::Path;

use tantivy::directory::{Directory, RamDirectory};

fn main() {
    let path = std::env::args().nth(1).expect("usage: space_usage BUNDLE");
    let bundle = std::fs::read(path).expect("bundle");
    let ram = RamDirectory::create();
    for (name, range) in svcbook_search::bundle::unpack(&bundle).expect("a bundle") {
        ram.atomic_write(Path::new(&name), &bundle[range])
            .expect("in memory");
    }
    let index = tantivy::Index::open(ram).expect("an index");
    let searcher = index.reader().expect("reader").searcher();
    let usage = searcher.space_usage().expect("space usage");
    for (n, seg) in usage.segments().iter().enumerate() {
        println!(
            "segment {n}: {} docs, {} bytes",
            seg.num_docs(),
            seg.total()
        );
        for (part, per_field) in [
            ("termdict", seg.termdict()),
            ("postings", seg.postings()),
            ("positions", seg.positions()),
            ("fieldnorms", seg.fieldnorms()),
            ("fast", seg.fast_fields()),
        ] {
            println!("  {part:<10} {:>10}", per_field.total());
            let mut fields: Vec<_> = per_field.fields().collect();
            fields.sort_by_key(|f| std::cmp::Reverse(f.total()));
            for f in fields {
                println!("    {:<14} {:>10}", f.field_name(), f.total());
            }
        }
        println!(
            "  store      {:>10} (offsets {})",
            seg.store().total(),
            seg.store().offsets_usage()
        );
    }
}
