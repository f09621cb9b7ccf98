//! Bytes per field in each per-field index file of a bundle (term dictionary,
//! postings, positions, fieldnorms, fast columns), raw and gzip, to see what a
//! lazily read index's warm file and chunks carry; with DIR, each is written
//! there as `<file>.<field>` (to compress and compare).
//! `cargo run --release -p svcbook-search --example field_sizes -- BUNDLE [DIR]`
use tantivy::directory::{CompositeFile, FileSlice, OwnedBytes};

fn main() {
    let path = std::env::args().nth(1).expect("BUNDLE");
    let bundle = std::fs::read(path).expect("bundle");
    let entries = svcbook_search::bundle::unpack(&bundle).unwrap();
    let schema = svcbook_search::schema::build_schema();
    for (name, range) in &entries {
        let ext = name.rsplit('.').next().unwrap_or("");
        if !["term", "idx", "pos", "fieldnorm"].contains(&ext) {
            println!("{name}: {} B", range.len());
            continue;
        }
        // Each file ends in tantivy's footer: JSON, its u32 length, a u32 magic.
        let file = &bundle[range.clone()];
        let json_len = u32::from_le_bytes(file[file.len() - 8..file.len() - 4].try_into().unwrap());
        let body = &file[..file.len() - 8 - json_len as usize];
        let slice = FileSlice::new(std::sync::Arc::new(OwnedBytes::new(body.to_vec())));
        let composite = CompositeFile::open(&slice).unwrap();
        for (field, entry) in schema.fields() {
            if let Some(file) = composite.open_read(field) {
                let bytes = file.read_bytes().unwrap();
                println!("{ext:<10} {:<14} {:>10}", entry.name(), bytes.len());
                if let Some(dir) = std::env::args().nth(2) {
                    let out = format!("{dir}/{ext}.{}", entry.name());
                    std::fs::write(out, bytes.as_slice()).unwrap();
                }
            }
        }
    }
}
