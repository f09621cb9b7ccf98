//! Article text for snippets, kept out of the index bundle.
//!
//! The body text is most of what a knowledge base weighs (at 10k articles the
//! stored bodies were 39% of the bundle), yet a query needs only the bodies of
//! the ten hits it shows. So bodies go into small *fragment* files of
//! [`DOCS_PER_FRAGMENT`] consecutive articles, named by content hash, and each
//! hit carries the name of the file holding its text: the browser fetches the
//! few it needs after ranking, the way Pagefind loads its fragments.
//!
//! A fragment is a script, `svcbookSearchText({"ID":"body",…});`, so the same
//! file loads through `<script>` on `file://` (where `fetch` is refused) and over
//! HTTP; [`parse`] reads it natively for `svcbook search`.

use std::collections::BTreeMap;

use crate::bundle::content_hash;
use crate::{SearchDoc, SearchError};

/// Articles per fragment file. One, as Pagefind does: a result page needs
/// the bodies of its ten hits only, and with four per file it fetched four
/// times that (at 10k articles: 44 KB gzip of text for the first query `E04`,
/// against 14 KB one per file). The cost is files: one per article.
pub const DOCS_PER_FRAGMENT: usize = 1;
/// Folder of the fragment files, relative to the search folder.
pub const FRAGMENT_DIR: &str = "text";

const PREFIX: &str = "svcbookSearchText(";
const SUFFIX: &str = ");\n";

/// One fragment file: its name relative to the search folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Splits `docs` (in index order) into fragment files; returns them and, per
/// doc, the name of the file that holds its body.
pub fn build(docs: &[SearchDoc]) -> (Vec<Fragment>, Vec<String>) {
    build_from(0, docs)
}

/// [`build`] for a run of docs that starts at fragment number `first` (a run
/// that starts at doc `first * DOCS_PER_FRAGMENT` of the index), so an index
/// built a chunk at a time names its fragments as one built whole would.
pub fn build_from(first: usize, docs: &[SearchDoc]) -> (Vec<Fragment>, Vec<String>) {
    let mut files = Vec::new();
    let mut names = Vec::with_capacity(docs.len());
    for (n, chunk) in (first..).zip(docs.chunks(DOCS_PER_FRAGMENT)) {
        let bytes = encode(chunk);
        let name = format!("{FRAGMENT_DIR}/{n:05}.{}.js", &content_hash(&bytes)[..12]);
        names.extend(std::iter::repeat_n(name.clone(), chunk.len()));
        files.push(Fragment { name, bytes });
    }
    (files, names)
}

/// A fragment file holding one doc alone, for an index patched in place
/// (`svcbook serve` after an edit). The `live-` prefix keeps it apart from the
/// numbered files of a build, which stay valid for every other doc.
pub fn single(doc: &SearchDoc) -> Fragment {
    let bytes = encode(std::slice::from_ref(doc));
    let name = format!("{FRAGMENT_DIR}/live-{}.js", content_hash(&bytes));
    Fragment { name, bytes }
}

fn encode(docs: &[SearchDoc]) -> Vec<u8> {
    let texts: BTreeMap<&str, &str> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.body.as_str()))
        .collect();
    let json = serde_json::to_string(&texts).expect("strings serialise");
    // U+2028/2029 are valid in JSON but ended string literals in older JS.
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("{PREFIX}{json}{SUFFIX}").into_bytes()
}

/// Reads a fragment file back into `id → body`.
pub fn parse(bytes: &[u8]) -> Result<BTreeMap<String, String>, SearchError> {
    let bad = |why: &str| SearchError::Bundle(format!("fragment file: {why}"));
    let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
    let json = text
        .strip_prefix(PREFIX)
        .and_then(|t| t.strip_suffix(SUFFIX))
        .ok_or_else(|| bad("not an svcbook fragment"))?;
    serde_json::from_str(json).map_err(|e| bad(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            body: body.into(),
            ..SearchDoc::default()
        }
    }

    #[test]
    fn groups_docs_and_round_trips_their_text() {
        let docs: Vec<SearchDoc> = (0..9)
            .map(|i| {
                doc(
                    &format!("FC-{i}"),
                    &format!("正文{i}\n\"引号\" </script> \u{2028}"),
                )
            })
            .collect();
        let (files, names) = build(&docs);
        assert_eq!(files.len(), 9_usize.div_ceil(DOCS_PER_FRAGMENT));
        assert_eq!(names.len(), 9);
        // Docs share a file only with the docs of their own group.
        for (i, a) in names.iter().enumerate() {
            for (j, b) in names.iter().enumerate() {
                assert_eq!(a == b, i / DOCS_PER_FRAGMENT == j / DOCS_PER_FRAGMENT);
            }
        }
        for (d, name) in docs.iter().zip(&names) {
            let file = files.iter().find(|f| &f.name == name).unwrap();
            assert_eq!(parse(&file.bytes).unwrap()[&d.id], d.body);
        }
        assert!(!String::from_utf8_lossy(&files[0].bytes).contains('\u{2028}'));
    }

    #[test]
    fn names_follow_content() {
        let (a, _) = build(&[doc("A", "一")]);
        let (b, _) = build(&[doc("A", "二")]);
        assert_ne!(a[0].name, b[0].name);
        assert!(a[0].name.starts_with("text/00000."));
    }

    #[test]
    fn a_single_doc_file_parses_and_never_takes_a_build_name() {
        let d = doc("FC-7", "新的正文");
        let f = single(&d);
        assert_eq!(parse(&f.bytes).unwrap()["FC-7"], "新的正文");
        assert!(f.name.starts_with("text/live-"), "{}", f.name);
        assert_ne!(f.name, build(&[d]).0[0].name);
    }

    #[test]
    fn foreign_bytes_are_errors() {
        assert!(parse(b"alert(1)").is_err());
        assert!(parse(b"svcbookSearchText([1]);\n").is_err());
        assert!(parse(&[0xff, 0xfe]).is_err());
    }
}
