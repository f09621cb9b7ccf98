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

fn plain_page(rel: &str) -> Article {
    let file = crate::load::SourceFile {
        path: format!("content/{rel}").into(),
        rel: rel.into(),
        text: format!("# {rel}\n"),
    };
    match crate::article::parse(&file).0 {
        Some(crate::article::Parsed::Article(a, _)) => *a,
        other => panic!("{other:?}"),
    }
}

/// The routes of the plain pages at `rels`, `per_page` entries a listing page.
fn plan_pages(rels: &[&str], per_page: usize) -> (RouteTable, Vec<Diagnostic>) {
    let articles: Vec<Article> = rels.iter().map(|rel| plain_page(rel)).collect();
    let refs: Vec<&Article> = articles.iter().collect();
    let tree = crate::sections::SiteTree::build(&refs, "首页", None);
    let kinds = crate::kinds::Registry::default();
    RouteTable::plan(&Inputs {
        articles: &refs,
        paths: &[],
        sections: &tree.sections,
        assets: &[],
        content_dir: Path::new("content"),
        theme: None,
        output_dir: Path::new("/tmp/public"),
        offline: false,
        kinds: &kinds,
        paginate_by: per_page,
        today: Date::parse("2026-06-01").unwrap(),
    })
}

#[test]
fn every_page_of_a_listing_is_a_route() {
    let (table, diagnostics) = plan_pages(&["guide/a.md", "guide/b.md", "guide/c.md"], 2);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let first = table
        .get("guide/index.html")
        .expect("page 1 keeps the listing's URL");
    assert!(matches!(
        first.target,
        Target::Section(
            _,
            PageOf {
                number: 1,
                count: 2
            }
        )
    ));
    let second = table.get("guide/page/2.html").expect("page 2");
    assert!(matches!(
        second.target,
        Target::Section(
            _,
            PageOf {
                number: 2,
                count: 2
            }
        )
    ));
    assert!(second.target.in_sitemap());
    assert!(table.get("guide/page/3.html").is_none());
    // One page: no `page/` files.
    let (table, _) = plan_pages(&["guide/a.md", "guide/b.md"], 2);
    assert!(
        table.iter().all(|r| !r.path.contains("/page/")),
        "{:?}",
        table.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
}

#[test]
fn a_page_of_a_listing_collides_with_a_file_at_its_url() {
    // The folder `guide` lists a, b, c and the subfolder `page`: two pages of
    // three; its page 2 is the article `guide/page/2.md`'s file.
    let (table, diagnostics) = plan_pages(
        &["guide/a.md", "guide/b.md", "guide/c.md", "guide/page/2.md"],
        3,
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d.code, "E0108");
    assert!(
        d.message
            .contains("`guide/page/2.html` would be written twice")
            && d.message
                .contains("page 2 of svcbook's page of the folder `guide`")
            && d.message
                .contains("the article `guide/page/2` (content/guide/page/2.md)"),
        "{}",
        d.message
    );
    // Reported at the file of the site, not at svcbook's own page.
    assert_eq!(
        d.location.as_ref().unwrap().path,
        PathBuf::from("content/guide/page/2.md")
    );
    assert!(matches!(
        table.get("guide/page/2.html").unwrap().target,
        Target::Article(_)
    ));

    // A listing planned before the file: the file is the second owner.
    let mut table = RouteTable::default();
    let overview = Owner::Generated("time-limit overview".into());
    for page in PageOf::all(3, 1) {
        let path = page_url(TIME_LIMITS, page.number);
        assert!(table
            .add(path, Target::TimeLimits(page), paged(&overview, page))
            .is_none());
    }
    assert!(table.get("time-limits/page/3.html").is_some());
    let d = table
        .add(
            "time-limits/page/2.html".into(),
            Target::Article(0),
            owner("limits"),
        )
        .unwrap();
    assert_eq!(d.code, "E0108");
    assert!(
        d.message
            .contains("page 2 of svcbook's time-limit overview"),
        "{}",
        d.message
    );
    assert_eq!(d.location.unwrap().path, PathBuf::from("content/limits.md"));
    // A file where the pages need a folder.
    let d = table
        .add("time-limits/page".into(), Target::Asset(0), owner("page"))
        .unwrap();
    assert!(
        d.message.contains("needs it to be a folder"),
        "{}",
        d.message
    );
}

#[test]
fn a_sitemap_of_more_pages_than_one_file_takes_is_planned_in_parts() {
    let mut table = RouteTable::default();
    for n in 1..=5 {
        table.add(
            format!("a{n}.html"),
            Target::Article(n),
            owner(&format!("a{n}")),
        );
    }
    table.add("b.html".into(), Target::Search, owner("b"));
    assert!(table.add_sitemap_parts(5).is_empty());
    assert_eq!(
        table.sitemap_parts(),
        0,
        "five pages fit in one file of five"
    );
    // A static file where part 2 goes: an error at the file.
    table.add(
        "sitemap-2.xml".into(),
        Target::Static("sitemap-2.xml".into()),
        Owner::Static(PathBuf::from("static/sitemap-2.xml")),
    );
    let d = table.add_sitemap_parts(2);
    assert_eq!(table.sitemap_parts(), 2, "parts 1 and 3 planned");
    assert!(table.get("sitemap-1.xml").is_some() && table.get("sitemap-3.xml").is_some());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "E0108");
    assert!(
        d[0].message.contains("svcbook's sitemap part 2"),
        "{}",
        d[0].message
    );
    assert_eq!(
        d[0].location.as_ref().unwrap().path,
        PathBuf::from("static/sitemap-2.xml")
    );
}
