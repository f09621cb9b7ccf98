//! The `svcbook` binary: exit codes, the summary line, and human-readable errors.

mod common;

use std::process::Command;

use common::*;

fn svcbook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_svcbook"));
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn build_prints_a_summary_and_exits_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = svcbook()
        .args(["build"])
        .arg(fixture("kinds"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("built ") && stderr.contains("0 warnings"),
        "{stderr}"
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn broken_wiki_link_exits_one_with_file_line_and_caret() {
    let tmp = tempfile::tempdir().unwrap();
    let output = svcbook()
        .args(["build"])
        .arg(fixture("invalid/dangling-wiki-link"))
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E0201]: `[[FC-404]]` links to an id that does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dangling-wiki-link/content/fault-cases/FC-1.md:6:13"),
        "{stderr}"
    );
    assert!(
        stderr.contains("第五行之后，这里链接到 [[FC-404]]。"),
        "{stderr}"
    );
    assert!(stderr.contains("^^^^^^^^^^"), "{stderr}");
    assert!(stderr.contains("build failed: 1 error"), "{stderr}");
    assert!(
        !stderr.contains("\u{1b}["),
        "no colour codes when NO_COLOR is set: {stderr}"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn front_matter_error_names_the_field_and_suggests_a_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let output = svcbook()
        .args(["build"])
        .arg(fixture("invalid/bad-severity"))
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("error[E0105]: `urgent` is not a valid `severity`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad-severity/content/fault-cases/FC-1.md:3:11"),
        "{stderr}"
    );
}
