//! `svcbook check`: the JSON report on fixture sites (golden file), exit codes
//! 0 / 1 / 2, check-only errors reported alongside build errors in one run, and
//! no output written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn check_in(site: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .current_dir(site)
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(".")
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `(severity, code, file:line)` of every diagnostic in a JSON report.
fn summary(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap_or("-"),
                d["line"]
            )
        })
        .collect()
}

#[test]
fn json_report_matches_the_golden_file_and_exits_one() {
    let site = fixture("check/errors");
    let output = check_in(&site, &["--format", "json", "--today", "2026-06-01"]);
    assert_eq!(output.status.code(), Some(1), "errors exit with 1");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("expected.json")).unwrap())
            .unwrap();
    let got = json(&output);
    assert_eq!(
        got,
        expected,
        "to accept a deliberate change: cd tests/sites/check/errors && svcbook check . --today 2026-06-01 --format json > expected.json\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
    assert_eq!(
        summary(&got),
        [
            "error E0401 content/fault-cases/FC-1.md:9",
            "error E0401 content/fault-cases/FC-1.md:13",
            "error E0401 content/fault-cases/FC-1.md:17",
            "error E0402 content/fault-cases/FC-1.md:19",
            "error E0403 content/fault-cases/FC-1.md:23",
            "error E0403 content/fault-cases/FC-1.md:23",
            "warning W0201 content/procedures/PR-1.md:4",
            "warning W0103 content/procedures/PR-1.md:6",
            "warning W0202 content/scripts/SC-1.md:2",
        ]
    );
    // Every documented key is there, in every diagnostic, with its JSON type.
    assert_eq!(got["version"], 1);
    for d in got["diagnostics"].as_array().unwrap() {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["code", "column", "field", "file", "hint", "line", "message", "severity"]
        );
        assert!(d["line"].is_u64() && d["column"].is_u64());
    }
    assert!(!site.join("public").exists(), "check writes nothing");
}

#[test]
fn check_only_errors_are_reported_with_build_errors_in_one_run() {
    let output = check_in(
        &fixture("check/broken"),
        &["--format", "json", "--today", "2026-06-01"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        summary(&json(&output)),
        [
            "error E0105 content/fault-cases/FC-1.md:3",
            "error E0201 content/scripts/SC-1.md:8",
            "error E0401 content/scripts/SC-1.md:8",
        ]
    );
}

#[test]
fn warnings_exit_zero_or_two_when_denied() {
    let site = fixture("check/warnings");
    let expected = [
        "warning W0201 content/procedures/PR-1.md:5",
        "warning W0202 content/standards/ST-1.md:2",
        "warning W0201 content/standards/ST-1.md:5",
    ];
    let output = check_in(&site, &["--format", "json", "--today", "2026-06-01"]);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    assert_eq!(summary(&report), expected);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 3);
    let denied = check_in(
        &site,
        &[
            "--format",
            "json",
            "--today",
            "2026-06-01",
            "--deny-warnings",
        ],
    );
    assert_eq!(denied.status.code(), Some(2));
    assert_eq!(summary(&json(&denied)), expected);
    // Before any review date has passed, one warning is left: the missing owner.
    let early = check_in(&site, &["--format", "json", "--today", "2026-01-01"]);
    assert_eq!(
        summary(&json(&early)),
        ["warning W0202 content/standards/ST-1.md:2"]
    );
}

#[test]
fn the_demo_is_clean_and_exits_zero_even_with_deny_warnings() {
    let output = check_in(
        &repo(),
        &[
            "--format",
            "json",
            "--today",
            "2026-06-01",
            "--deny-warnings",
        ],
    );
    let report = json(&output);
    assert_eq!(summary(&report), Vec::<String>::new());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn human_output_is_rustc_style_on_stderr() {
    let output = check_in(&fixture("check/errors"), &["--today", "2026-06-01"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "error[E0401]: `#注意事向` names no heading of `procedures/PR-1.html`\n  --> content/fault-cases/FC-1.md:13:36\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `#注意事项`?"),
        "{stderr}"
    );
    assert!(stderr.contains("^^^^"), "{stderr}");
    assert!(
        stderr.ends_with("checked .: 6 errors, 3 warnings\n"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "no colour when NO_COLOR is set");
}

#[test]
fn config_errors_are_reported_too() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("svcbook.toml"),
        "title = \"x\"\ntitel = 1\n",
    )
    .unwrap();
    let output = check_in(tmp.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(summary(&json(&output)), ["error E0002 svcbook.toml:2"]);
}

/// A file with a bad date, a dangling `[[ID]]` and a bad anchor: the date no
/// longer hides the other two (validation keeps the article, with the date
/// unset, and check adds its anchor check to that same site).
#[test]
fn a_bad_date_a_dangling_id_and_a_bad_anchor_in_one_file_are_reported_in_one_run() {
    let output = check_in(
        &fixture("check/one-run"),
        &["--format", "json", "--today", "2026-06-01"],
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(
        summary(&report),
        [
            "error E0104 content/fault-cases/FC-0001.md:4",
            "error E0201 content/fault-cases/FC-0001.md:9",
            "error E0401 content/fault-cases/FC-0001.md:21",
        ]
    );
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].contains("2027-13-01"), "{messages:?}");
    assert!(messages[1].contains("PR-0009"), "{messages:?}");
    assert!(messages[2].contains("检测步骤"), "{messages:?}");
}

/// `error_code:` for `error_codes:` on a fault case is an error naming the
/// key it meant, so E04 cannot silently drop out of the error-code pages.
#[test]
fn a_misspelled_key_of_a_typed_kind_is_an_error_with_the_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::create_dir_all(site.join("content/fault-cases")).unwrap();
    std::fs::write(
        site.join("content/fault-cases/FC-0001.md"),
        "---\ntitle: 不制冷\nowner: 培训组\nerror_code: [E04]\n---\n\n## 现象\n## 环境\n## 原因\n## 处理\n## 预防\n",
    )
    .unwrap();
    let output = check_in(site, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(
        summary(&report),
        ["error E0112 content/fault-cases/FC-0001.md:4"]
    );
    let d = &report["diagnostics"][0];
    assert_eq!(d["field"], "error_code");
    assert_eq!(d["hint"], "did you mean `error_codes`?");
    // The build refuses it too, writing nothing.
    let out = tmp.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .args(["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(build.status.code(), Some(1));
    assert!(!out.join("index.html").exists());
}
