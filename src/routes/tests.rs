use super::*;

#[test]
fn clean_terms_are_their_own_names_and_others_are_distinct() {
    for clean in ["E04", "XR-200", "制冷", "a_b", "v1.2", "a-b"] {
        assert_eq!(term_file_stem(clean), clean);
    }
    let tricky = [
        "a b",
        "a-b",
        "a/b",
        "a?b",
        "a#b",
        "a%b",
        ".",
        "..",
        "...",
        "-x",
        "x.",
        "售后 服务",
        "a\u{202e}b",
        "",
    ];
    let stems: std::collections::HashSet<String> =
        tricky.iter().map(|t| term_file_stem(t)).collect();
    assert_eq!(stems.len(), tricky.len(), "{stems:?}");
    for stem in &stems {
        assert!(
            !stem.is_empty()
                && !stem.starts_with('.')
                && stem
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_.~".contains(c)),
            "{stem}"
        );
    }
    assert!(term_file_stem("售后 服务").starts_with("售后-服务~"));
    assert_eq!(term_file_stem("a b"), term_file_stem("a b"), "stable");
}

fn owner(id: &str) -> Owner {
    Owner::Article {
        id: id.into(),
        source: PathBuf::from(format!("content/{id}.md")),
        line: 1,
    }
}

#[test]
fn a_path_has_one_owner() {
    let mut table = RouteTable::default();
    table.reserve(SEARCH_FOLDER, Owner::Folder("search index"));
    assert!(table
        .add(
            "changes.html".into(),
            Target::Changes,
            Owner::Generated("change log page".into())
        )
        .is_none());
    let d = table
        .add("changes.html".into(), Target::Article(0), owner("changes"))
        .unwrap();
    assert_eq!(d.code, "E0108");
    assert!(
        d.message
            .contains("the article `changes` (content/changes.md)")
            && d.message.contains("change log page"),
        "{}",
        d.message
    );
    assert_eq!(
        d.location.unwrap().path,
        PathBuf::from("content/changes.md")
    );
    let d = table
        .add("Changes.html".into(), Target::Article(1), owner("Changes"))
        .unwrap();
    assert!(d.message.contains("differ only in case"), "{}", d.message);
    let d = table
        .add("search/x.png".into(), Target::Asset(0), owner("x"))
        .unwrap();
    assert!(
        d.message.contains("belongs to svcbook's search index"),
        "{}",
        d.message
    );
    assert!(table
        .add("guide/a.html".into(), Target::Article(2), owner("a"))
        .is_none());
    let d = table
        .add("guide".into(), Target::Asset(1), owner("guide"))
        .unwrap();
    assert!(
        d.message.contains("needs it to be a folder"),
        "{}",
        d.message
    );
    assert!(table
        .add("x.html".into(), Target::Article(3), owner("x"))
        .is_none());
    let d = table
        .add("x.html/y.png".into(), Target::Asset(2), owner("y"))
        .unwrap();
    assert!(
        d.message.contains("needs `x.html` to be a folder"),
        "{}",
        d.message
    );
    assert!(table.owns("search/index.1.bin") && table.owns("guide/a.html"));
    assert!(!table.owns("search") && !table.owns("other.html"));
}

#[test]
fn names_longer_than_file_systems_allow_are_errors() {
    let mut table = RouteTable::default();
    let long = "长".repeat(100);
    table.add(format!("tags/{long}.html"), Target::Home, owner("a"));
    table.add(
        format!("a/{}.html", "b/".repeat(2100)),
        Target::Home,
        owner("b"),
    );
    table.add("fine.html".into(), Target::Home, owner("c"));
    let d = table.long_names(Path::new("/tmp/public"));
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].message.contains("305 bytes long"), "{}", d[0].message);
    assert!(
        d[1].message.contains("the system allows at most 4095"),
        "{}",
        d[1].message
    );
    assert!(d.iter().all(|d| d.code == "E0111"));
}
