//! `svcbook search` on the built demo site: what issue 14 asks the terminal to
//! do — prefixes while typing, filters by any spelling of a kind or product,
//! exit 2 with the valid values for an unknown one, and `--json` with
//! complete/partial counts and each hit's best sections.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("build")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    (tmp, out)
}

fn search(out: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("search")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg("-o")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json(out: &Path, args: &[&str]) -> serde_json::Value {
    common::search_json(Path::new(env!("CARGO_MANIFEST_DIR")), out, args)
}

#[test]
fn search_cli_prefixes_filters_exit_codes_and_sections() {
    let (_tmp, out) = demo_site();

    // As typed: `XR-2` on the way to `XR-200`.
    let r = json(&out, &["XR-2"]);
    let first = &r["hits"][0];
    assert!(
        first["products"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "XR-200"),
        "{first}"
    );
    assert!(r["total"].as_u64().unwrap() > 0);

    // Any spelling of a kind; a product in lower case.
    for kind in ["procedures", "维修流程", "PROCEDURE"] {
        let r = json(&out, &["上门", "--kind", kind]);
        let hits = r["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "{kind}");
        assert!(hits.iter().all(|h| h["kind"] == "procedure"), "{kind}: {r}");
    }
    let r = json(&out, &["kind:故障案例 product:xr-200 不制冷"]);
    assert_eq!(r["hits"][0]["id"], "FC-0001", "{r}");

    // Unknown values: exit 2, with the values that would work.
    let o = search(&out, &["不制冷", "--product", "XR-999"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown product `XR-999`") && stderr.contains("XR-200"),
        "{stderr}"
    );
    let o = search(&out, &["kind:bogus 不制冷"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("fault_case") && stderr.contains("故障案例"),
        "{stderr}"
    );

    // Complete matches counted; a nonsense word alone finds nothing (exit 1).
    let r = json(&out, &["不制冷 zzqqxx"]);
    assert_eq!(r["total"], 0, "{r}");
    assert!(r["partial_total"].as_u64().unwrap() > 0);
    assert!(r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["partial"] == true));
    assert_eq!(search(&out, &["zzqqxx"]).status.code(), Some(1));

    // A mistyped code: partial hits and the index's spelling, in JSON and text.
    let r = json(&out, &["XR-2OO 噪音"]);
    assert_eq!(r["total"], 0, "{r}");
    assert_eq!(r["did_you_mean"], "XR-200 噪音", "{r}");
    let o = search(&out, &["XR-2OO 噪音"]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("did you mean \"XR-200 噪音\"?"), "{stdout}");

    // Sections: FC-0001's symptom section, linked by anchor.
    let r = json(&out, &["外机粗管结霜"]);
    let hit = &r["hits"][0];
    assert_eq!(hit["id"], "FC-0001");
    let sections = hit["sections"].as_array().unwrap();
    assert!(!sections.is_empty() && sections.len() <= 3, "{hit}");
    for s in sections {
        let url = s["url"].as_str().unwrap();
        assert!(url.starts_with("fault-cases/FC-0001.html#"), "{url}");
        let page = std::fs::read_to_string(out.join(url.split('#').next().unwrap())).unwrap();
        let anchor = url.split('#').nth(1).unwrap();
        assert!(
            page.contains(&format!("id=\"{anchor}\"")),
            "no #{anchor} on the page"
        );
    }
}
