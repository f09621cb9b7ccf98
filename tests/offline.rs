//! The offline files of a build: `offline.json` lists every file the build
//! wrote with its real size (the search folder whole, whatever its layout),
//! `sw.js` carries the build's hash, and `[offline] enabled = false` leaves
//! both out. (The service worker itself is tested in a browser:
//! tests/browser/offline.test.mjs.)

mod common;

use std::collections::BTreeMap;

use common::*;

fn entries(v: &serde_json::Value) -> BTreeMap<String, u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].as_str().unwrap().to_string(), e[1].as_u64().unwrap()))
        .collect()
}

#[test]
fn offline_list_names_every_file_with_its_size() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&fixture("kinds"), &out).unwrap();
    let list: serde_json::Value = serde_json::from_str(&read(&out, "offline.json")).unwrap();
    let files = snapshot(&out);

    // The file:// twin of the search runtime: a script next to the .wasm a
    // worker reads over http(s). It is on disk, not in the list.
    let twins: Vec<&String> = files
        .keys()
        .filter(|p| {
            p.starts_with("search/")
                && p.matches('/').count() == 1
                && p.ends_with(".js")
                && files.contains_key(&format!("{}.wasm", p.strip_suffix(".js").unwrap()))
        })
        .collect();
    assert_eq!(twins.len(), 1, "the runtime's .js: {twins:?}");

    // Every other file but the list, the worker and the build marker, at its size.
    let mut all = entries(&list["other"]);
    let search = entries(&list["search"]);
    assert!(
        all.keys().all(|p| !p.starts_with("search/")),
        "the search files are listed once, under search"
    );
    all.extend(search.clone());
    let expected: BTreeMap<String, u64> = files
        .iter()
        .filter(|(p, _)| !matches!(p.as_str(), "offline.json" | "sw.js" | ".svcbook-output"))
        .filter(|(p, _)| !twins.contains(p))
        .map(|(p, b)| (p.clone(), b.len() as u64))
        .collect();
    assert_eq!(all, expected);

    // The search folder as the index stage wrote it, chunks and fragments included.
    let on_disk: BTreeMap<String, u64> = expected
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .map(|(p, b)| (p.clone(), *b))
        .collect();
    assert!(search.len() >= 3, "{search:?}");
    assert!(
        search.keys().any(|p| p.starts_with("search/index/")),
        "{search:?}"
    );
    assert!(search.keys().any(|p| p.ends_with(".wasm")), "{search:?}");
    assert!(search.contains_key("search/manifest.js"), "{search:?}");
    assert_eq!(search, on_disk);

    // The shell: the pages and theme files every page needs.
    let shell = entries(&list["shell"]);
    for file in [
        "index.html",
        "search.html",
        "assets/style.css",
        "assets/kinds.css",
        "assets/site.js",
        "manifest.webmanifest",
    ] {
        assert!(shell.contains_key(file), "{file} in the shell: {shell:?}");
    }

    // A learning path: its page and its articles' pages.
    let path = &list["paths"][0];
    assert_eq!(path["id"], "basics");
    let path_files: Vec<String> = entries(&path["files"]).into_keys().collect();
    assert_eq!(
        path_files,
        [
            "fault-cases/FC-1.html",
            "paths/basics.html",
            "procedures/PR-1.html",
            "scripts/SC-1.html"
        ]
    );
    assert_eq!(list["search_precache_bytes"], 10_000_000);

    // The worker names this build.
    let version = list["version"].as_str().unwrap();
    assert_eq!(version.len(), 16);
    assert!(read(&out, "sw.js").contains(&format!("const VERSION = \"{version}\";")));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "manifest.webmanifest")).unwrap();
    assert_eq!(manifest["start_url"], "index.html");
    assert!(read(&out, "index.html").contains(r#"data-offline="on""#));
}

#[test]
fn a_changed_article_is_a_new_version_and_offline_can_be_turned_off() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    let article = site.join("content/a.md");
    std::fs::write(&article, "---\ntitle: 一\n---\n正文\n").unwrap();
    let version = |out: &std::path::Path| {
        let list: serde_json::Value = serde_json::from_str(&read(out, "offline.json")).unwrap();
        list["version"].as_str().unwrap().to_string()
    };
    let out = tmp.path().join("out");
    build_into(&site, &out).unwrap();
    let first = version(&out);
    build_into(&site, &out).unwrap();
    assert_eq!(version(&out), first, "the same site is the same version");
    std::fs::write(&article, "---\ntitle: 一\n---\n正文改了\n").unwrap();
    build_into(&site, &out).unwrap();
    assert_ne!(version(&out), first, "an edit is a new version");

    std::fs::write(site.join("svcbook.toml"), "[offline]\nenabled = false\n").unwrap();
    build_into(&site, &out).unwrap();
    assert!(!out.join("sw.js").exists());
    assert!(!out.join("offline.json").exists());
    assert!(out.join("manifest.webmanifest").exists());
    assert!(!read(&out, "index.html").contains("data-offline"));
}

#[test]
fn saving_a_path_for_offline_takes_its_articles_images_and_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&fixture("nested-assets"), &out).unwrap_or_else(|e| panic!("{e:?}"));
    let list: serde_json::Value = serde_json::from_str(&read(&out, "offline.json")).unwrap();
    let path = &list["paths"][0];
    assert_eq!(path["id"], "cooling");
    let files = entries(&path["files"]);
    let on_disk = snapshot(&out);
    let expected: BTreeMap<String, u64> = [
        "paths/cooling.html",
        "fault-cases/FC-0001.html",
        "fault-cases/cooling/img/frost.png",
        "fault-cases/cooling/img/外机 照片.png",
        "fault-cases/cooling/manual.pdf",
    ]
    .iter()
    .map(|p| (p.to_string(), on_disk[*p].len() as u64))
    .collect();
    assert_eq!(files, expected);
}
