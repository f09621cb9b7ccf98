//! The bad-input catalogue: every kind of broken input a knowledge base meets,
//! each with its exact outcome, and the guarantee that none of them panics or
//! touches the previous `public/`.
//!
//! Static cases are folders under `tests/sites/bad/<case>/` with an `expect`
//! file; cases that cannot live in git (symbolic links, FIFOs, links to
//! `/dev/zero`, a 20 MB file, inputs of 40,000 headings or keys, an unwritable
//! output folder) are made here, each under a deadline so that a hang fails. An `expect` file lists, one per line:
//!
//! ```text
//! # a comment saying what the case is about
//! ok                                  the build succeeds (default: it fails)
//! error E0102 content/a.md:3          every diagnostic, exactly: severity, code, file:line
//! warning W0106 content/a.md:5
//! contains about.html &lt;script&gt;  an output file contains a text (ok cases)
//! absent about.html <script>alert     an output file does not contain it
//! ```
//!
//! Each case is built twice: through the library (exact diagnostics, output
//! unchanged on failure) and through the binary (exit code, `error[CODE]` on
//! stderr, no panic message); `svcbook check` must report at least the same
//! errors. The file also replays the fuzz corpora (fuzz/corpus/*) and runs a
//! short deterministic fuzz loop over the same three entry points.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use svcbook::diagnostics::{Diagnostic, Severity};
use svcbook::pipeline::BuildError;

#[derive(Debug, Default)]
struct Expect {
    ok: bool,
    write_error: bool,
    diagnostics: Vec<String>,
    contains: Vec<(String, String)>,
    absent: Vec<(String, String)>,
}

fn parse_expect(text: &str) -> Expect {
    let mut e = Expect::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "ok" => e.ok = true,
            "write-error" => e.write_error = true,
            "error" | "warning" => e.diagnostics.push(line.to_string()),
            "contains" | "absent" => {
                let (file, needle) = rest.split_once(' ').expect("file and text");
                let pair = (file.to_string(), needle.to_string());
                if word == "contains" {
                    e.contains.push(pair);
                } else {
                    e.absent.push(pair);
                }
            }
            other => panic!("unknown expect line `{other}`"),
        }
    }
    e
}

/// `error E0102 content/a.md:3`, with the path relative to the case folder.
fn describe(d: &Diagnostic, case: &Path) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = match &d.location {
        Some(loc) => {
            let rel = loc.path.strip_prefix(case).unwrap_or(&loc.path);
            format!("{}:{}", rel.to_string_lossy().replace('\\', "/"), loc.line)
        }
        None => "-".to_string(),
    };
    format!("{severity} {} {place}", d.code)
}

/// A previous site in `out`, as a real build leaves it.
fn previous_site(out: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::create_dir_all(out.join("fault-cases")).unwrap();
    fs::write(out.join(svcbook::write::MARKER), "").unwrap();
    fs::write(out.join("index.html"), "previous").unwrap();
    fs::write(out.join("fault-cases/FC-9.html"), "previous article").unwrap();
    snapshot(out)
}

fn run_case(name: &str, case: &Path, out: &Path, expect: &Expect) {
    let before = previous_site(out);
    let result = catch_unwind(AssertUnwindSafe(|| build_into(case, out)))
        .unwrap_or_else(|_| panic!("{name}: the build panicked"));
    let mut got: Vec<String> = Vec::new();
    match &result {
        Ok(report) => got.extend(report.warnings.0.iter().map(|d| describe(d, case))),
        Err(BuildError::Invalid(d)) => got.extend(d.0.iter().map(|d| describe(d, case))),
        Err(_) => {}
    }
    let mut want = expect.diagnostics.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{name}: diagnostics ({result:?})");
    match &result {
        Ok(_) => {
            assert!(expect.ok, "{name}: expected the build to fail");
            for (file, needle) in &expect.contains {
                let text = read(out, file);
                assert!(
                    text.contains(needle.as_str()),
                    "{name}: {file} lacks {needle}:\n{text}"
                );
            }
            for (file, needle) in &expect.absent {
                let text = read(out, file);
                assert!(
                    !text.contains(needle.as_str()),
                    "{name}: {file} has {needle}"
                );
            }
        }
        Err(e) => {
            assert!(!expect.ok, "{name}: expected success, got {e:?}");
            assert_eq!(
                expect.write_error,
                matches!(e, BuildError::Write(_)),
                "{name}: {e:?}"
            );
            assert!(
                snapshot(out) == before,
                "{name}: the previous public/ changed"
            );
            let parent = out.parent().unwrap();
            let leftovers: Vec<_> = fs::read_dir(parent)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("tmp-build") || n.contains("old-build"))
                .collect();
            assert!(leftovers.is_empty(), "{name}: {leftovers:?}");
        }
    }
    binary_agrees(name, case, out, expect);
    if !expect.write_error {
        check_agrees(name, case, expect);
    }
}

/// The CLI: exit code, the codes on stderr, and never a panic message.
fn binary_agrees(name: &str, case: &Path, out: &Path, expect: &Expect) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_svcbook"));
    command
        .env("NO_COLOR", "1")
        .arg("build")
        .arg(case)
        .arg("-o")
        .arg(out.with_file_name("cli-out"));
    let output = run_bounded(name, command);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert_eq!(
        output.status.code(),
        Some(if expect.ok { 0 } else { 1 }),
        "{name}: {stderr}"
    );
    for line in &expect.diagnostics {
        let mut parts = line.split(' ');
        let (severity, code) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(
            stderr.contains(&format!("{severity}[{code}]")),
            "{name}: stderr lacks {severity}[{code}]:\n{stderr}"
        );
    }
}

/// `svcbook check` reports at least every error the build does, and never panics.
fn check_agrees(name: &str, case: &Path, expect: &Expect) {
    let report = catch_unwind(|| {
        svcbook::check::check(&svcbook::check::CheckOptions {
            site_dir: case.to_path_buf(),
            drafts: false,
            today: today(),
        })
    })
    .unwrap_or_else(|_| panic!("{name}: check panicked"));
    let got: Vec<String> = report
        .diagnostics
        .0
        .iter()
        .map(|d| describe(d, case))
        .collect();
    for line in expect.diagnostics.iter().filter(|l| l.starts_with("error")) {
        assert!(got.contains(line), "{name}: check lacks {line}: {got:?}");
    }
}

/// How long any one case may take (debug build, shared machine): a case that
/// hangs fails instead of stalling the suite.
const CASE_DEADLINE: Duration = Duration::from_secs(120);

/// Runs a command to its end, failing the test if it outlives the deadline.
fn run_bounded(name: &str, mut command: Command) -> std::process::Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > CASE_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: svcbook hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Runs `f` on its own thread, failing the test if it outlives the deadline
/// (the thread is left behind; the test has failed anyway).
fn within<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(f));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(CASE_DEADLINE) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("{name}: hangs"),
    }
}

/// [`run_case`] for a case made at run time (by [`made_case`]), under the
/// deadline; the temporary folder goes when it is done.
fn run_made_case(name: &'static str, (tmp, site): (tempfile::TempDir, PathBuf), expect: &str) {
    let expect = parse_expect(expect);
    within(name, move || {
        run_case(name, &site, &tmp.path().join("public"), &expect);
        drop(tmp);
    });
}

#[test]
fn the_static_catalogue() {
    let dir = fixture("bad");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        let case = dir.join(name);
        let expect = fs::read_to_string(case.join("expect"))
            .unwrap_or_else(|e| panic!("{name}/expect: {e}"));
        let tmp = tempfile::tempdir().unwrap();
        run_case(
            name,
            &case,
            &tmp.path().join("public"),
            &parse_expect(&expect),
        );
    }
    assert!(names.len() >= 40, "{} static cases", names.len());
}

/// A case made at run time in a temp folder: `(path, bytes)` files.
fn made_case(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    for (rel, bytes) in files {
        let path = site.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    (tmp, site)
}

const FAULT_CASE: &[u8] =
    "---\ntitle: 不制冷\n---\n## 现象\n## 环境\n## 原因\n## 处理\n## 预防\n".as_bytes();

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_content() {
    let (tmp, site) = made_case(&[("content/fault-cases/FC-1.md", FAULT_CASE)]);
    std::os::unix::fs::symlink(site.join("content"), site.join("content/fault-cases/loop"))
        .unwrap();
    let expect = parse_expect("error E0005 content/fault-cases/loop:1");
    run_case("symlink-loop", &site, &tmp.path().join("public"), &expect);
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_outside_the_site() {
    let (tmp, site) = made_case(&[("content/fault-cases/FC-1.md", FAULT_CASE)]);
    let outside = tmp.path().join("secret.md");
    fs::write(&outside, "---\ntitle: 机密\n---\n不该出现在站点里\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.join("content/secret.md")).unwrap();
    // A link to a folder outside is refused the same way, once, at the link:
    // the folder out of the site is not walked.
    fs::create_dir(tmp.path().join("elsewhere")).unwrap();
    fs::write(tmp.path().join("elsewhere/x.md"), "# x\n").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), site.join("content/elsewhere"))
        .unwrap();
    let expect = parse_expect("error E0005 content/elsewhere:1\nerror E0005 content/secret.md:1");
    run_case(
        "symlink-outside",
        &site,
        &tmp.path().join("public"),
        &expect,
    );
    // A link inside the site is fine, and is not a second article.
    let (tmp, site) = made_case(&[("content/fault-cases/FC-1.md", FAULT_CASE)]);
    std::os::unix::fs::symlink(
        site.join("content/fault-cases/FC-1.md"),
        site.join("content/fault-cases/FC-1-link.md"),
    )
    .unwrap();
    run_case(
        "symlink-inside",
        &site,
        &tmp.path().join("public"),
        &parse_expect("ok\ncontains fault-cases/FC-1.html 不制冷"),
    );
}

#[test]
fn a_20_mb_file() {
    let mut big = b"---\ntitle: \xe5\xa4\xa7\n---\n".to_vec();
    let line = "很长的一行文字，重复很多次。\n".as_bytes();
    while big.len() < 20 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    let (tmp, site) = made_case(&[
        ("content/fault-cases/FC-1.md", FAULT_CASE),
        ("content/huge.md", &big),
    ]);
    let expect = parse_expect("error E0004 content/huge.md:1");
    run_case("20-mb-file", &site, &tmp.path().join("public"), &expect);
}

#[test]
fn an_unwritable_output_folder() {
    let (tmp, site) = made_case(&[("content/fault-cases/FC-1.md", FAULT_CASE)]);
    // A file where the output's parent folder should be: no write can succeed,
    // even as root (who ignores permission bits).
    let blocked = tmp.path().join("blocked");
    fs::write(&blocked, "a file, not a folder").unwrap();
    let result = build_into(&site, &blocked.join("public"));
    assert!(matches!(result, Err(BuildError::Write(_))), "{result:?}");
    let output = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .env("NO_COLOR", "1")
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(blocked.join("public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: cannot write the site to")
            && stderr.contains("the previous output was left as it was"),
        "{stderr}"
    );
    // A read-only output folder (meaningful when not root) and a folder svcbook
    // did not create: the previous site survives both.
    let out = tmp.path().join("public");
    let before = previous_site(&out);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o555)).unwrap();
        let result = catch_unwind(|| build_into(&site, &out)).expect("no panic");
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        if result.is_err() {
            assert!(matches!(result, Err(BuildError::Write(_))), "{result:?}");
            assert!(snapshot(&out) == before);
        }
    }
    let foreign = tmp.path().join("documents");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("precious.txt"), "keep").unwrap();
    let result = build_into(&site, &foreign);
    assert!(matches!(result, Err(BuildError::Write(_))), "{result:?}");
    assert_eq!(
        fs::read_to_string(foreign.join("precious.txt")).unwrap(),
        "keep"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_back_to_the_site_folder_is_one_error() {
    // `content/loop -> ..` walked the whole site again: 49 duplicate ids.
    let (tmp, site) = made_case(&[
        ("content/fault-cases/FC-1.md", FAULT_CASE),
        (
            "paths/p.yaml",
            b"title: x\nsections:\n  - heading: a\n    articles: [FC-1]\n",
        ),
    ]);
    std::os::unix::fs::symlink("..", site.join("content/loop")).unwrap();
    run_made_case(
        "symlink-to-site-folder",
        (tmp, site),
        "error E0005 content/loop:1",
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_links_out_are_refused_without_hanging_or_leaking() {
    let (tmp, site) = made_case(&[("content/fault-cases/FC-1.md", FAULT_CASE)]);
    let secret = tmp.path().join("secret.yaml");
    fs::write(&secret, "title: root:x:0:0:secret-first-line\n").unwrap();
    fs::create_dir_all(site.join("paths")).unwrap();
    mkfifo(&site.join("paths/fifo.yaml"));
    std::os::unix::fs::symlink("/dev/zero", site.join("paths/zero.yaml")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("paths/passwd.yaml")).unwrap();
    mkfifo(&site.join("content/pipe.md"));
    mkfifo(&site.join("content/pipe.png"));
    // The outside file's first line is in no message, of check or build.
    let report = check_report(&site);
    let text = report.to_json();
    assert!(!text.contains("secret-first-line"), "{text}");
    assert_eq!(report.errors(), 5, "{text}");
    run_made_case(
        "special-files",
        (tmp, site),
        "error E0008 content/pipe.md:1\n\
         error E0008 content/pipe.png:1\n\
         error E0008 paths/fifo.yaml:1\n\
         error E0005 paths/passwd.yaml:1\n\
         error E0005 paths/zero.yaml:1",
    );
}

#[cfg(unix)]
#[test]
fn theme_folders_linked_out_of_the_site_are_refused() {
    for folder in ["static", "templates", "themes/default"] {
        let (tmp, site) = made_case(&[("content/about.md", b"# about\n")]);
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("leak.txt"), "outside the site").unwrap();
        fs::write(outside.join("404.html"), "{{ broken").unwrap();
        if let Some(parent) = Path::new(folder).parent() {
            fs::create_dir_all(site.join(parent)).unwrap();
        }
        std::os::unix::fs::symlink(&outside, site.join(folder)).unwrap();
        let name: &'static str = Box::leak(format!("{folder}-linked-out").into_boxed_str());
        run_made_case(name, (tmp, site), &format!("error E0005 {folder}:1"));
    }
}

#[cfg(unix)]
#[test]
fn a_config_that_cannot_be_read_is_an_error_never_the_defaults() {
    let (tmp, site) = made_case(&[("content/about.md", b"# about\n")]);
    mkfifo(&site.join("svcbook.toml"));
    run_made_case("config-fifo", (tmp, site), "error E0001 svcbook.toml:1");
    let (tmp, site) = made_case(&[("content/about.md", b"# about\n")]);
    std::os::unix::fs::symlink("/dev/zero", site.join("svcbook.toml")).unwrap();
    run_made_case("config-dev-zero", (tmp, site), "error E0001 svcbook.toml:1");
}

#[cfg(unix)]
#[test]
fn init_force_never_writes_through_links() {
    for link in ["svcbook.toml", "content"] {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let victim = tmp.path().join("victim");
        fs::create_dir_all(&site).unwrap();
        fs::create_dir_all(&victim).unwrap();
        fs::write(victim.join("svcbook.toml"), "precious").unwrap();
        let target = if link == "content" {
            victim.clone()
        } else {
            victim.join("svcbook.toml")
        };
        std::os::unix::fs::symlink(&target, site.join(link)).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_svcbook"));
        command
            .env("NO_COLOR", "1")
            .arg("init")
            .arg(&site)
            .arg("--force");
        let output = run_bounded("init --force", command);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{link}: {stderr}");
        assert!(stderr.contains(link), "{link}: {stderr}");
        assert_eq!(
            fs::read_to_string(victim.join("svcbook.toml")).unwrap(),
            "precious"
        );
        assert_eq!(
            fs::read_dir(&victim).unwrap().count(),
            1,
            "{link}: nothing written out"
        );
        // Checked before the first write: nothing half-written in the site either.
        assert_eq!(
            fs::read_dir(&site).unwrap().count(),
            1,
            "{link}: only the link"
        );
    }
}

#[test]
fn new_keeps_placeholders_typed_in_a_title() {
    let (_tmp, site) = made_case(&[("content/fault-cases/FC-0001.md", FAULT_CASE)]);
    let mut command = Command::new(env!("CARGO_BIN_EXE_svcbook"));
    command
        .arg("new")
        .arg("fault_case")
        .arg("写着 {{ id }} 和 {{ date }} 的标题")
        .arg("--site")
        .arg(&site);
    let output = run_bounded("new", command);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = fs::read_to_string(site.join("content/fault-cases/FC-0002.md")).unwrap();
    assert!(
        text.contains("title: \"写着 {{ id }} 和 {{ date }} 的标题\""),
        "{text}"
    );
}

#[test]
fn search_for_an_unknown_kind_lists_the_kinds() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_svcbook"));
    command
        .arg("search")
        .arg(fixture("kinds"))
        .arg("E04")
        .arg("--kind")
        .arg("bogus");
    let output = run_bounded("search --kind bogus", command);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for kind in svcbook::kinds::Registry::default().all() {
        assert!(stderr.contains(kind.name()), "{stderr}");
    }
}

// ---- inputs that took quadratic time or unbounded memory ----
//
// Sizes here are what a debug build handles in seconds and the quadratic code
// could not (8,000 copies of a heading took 5 s, so 40,000 took minutes);
// bench/hostile.py times the issue's full sizes, before and after, in release.

/// `svcbook check` of `site`, under the deadline.
fn check_report(site: &Path) -> svcbook::check::CheckReport {
    let site = site.to_path_buf();
    within("check", move || {
        svcbook::check::check(&svcbook::check::CheckOptions {
            site_dir: site,
            drafts: false,
            today: today(),
        })
    })
}

/// `check`'s diagnostics of one file as `code line` lines, for exact listings.
fn check_lines(site: &Path) -> Vec<String> {
    check_report(site)
        .diagnostics
        .0
        .iter()
        .map(|d| format!("{} {}", d.code, d.location.as_ref().map_or(0, |l| l.line)))
        .collect()
}

#[test]
fn forty_thousand_copies_of_one_heading_build() {
    let mut text = b"---\ntitle: \xe9\x87\x8d\xe5\xa4\x8d\n---\n".to_vec();
    text.extend("## 步骤\n\n正文。\n\n".repeat(40_000).as_bytes());
    let (tmp, site) = made_case(&[("content/guide.md", &text)]);
    run_made_case(
        "40k-headings",
        (tmp, site),
        "ok\ncontains guide.html id=\"步骤-39999\"",
    );
}

#[test]
fn forty_thousand_unknown_keys_are_capped_and_counted() {
    let mut text = String::from("---\ntitle: 未知字段\n");
    for i in 0..40_000 {
        text.push_str(&format!("extra_{i}: 值\n"));
    }
    text.push_str("---\n## 现象\n## 环境\n## 原因\n## 处理\n## 预防\n");
    let (tmp, site) = made_case(&[("content/fault-cases/FC-1.md", text.as_bytes())]);
    // The first 100 (lines 3 to 102), then one warning for the other 39,900.
    let mut expect: Vec<String> = (3..=102)
        .map(|line| format!("warning W0101 content/fault-cases/FC-1.md:{line}"))
        .collect();
    expect.push("warning W0009 content/fault-cases/FC-1.md:103".into());
    expect.insert(0, "ok".into());
    let lines = check_lines(&site);
    assert!(lines.iter().any(|l| l.starts_with("W0009 ")), "{lines:?}");
    assert!(lines.len() <= 110, "{} diagnostics", lines.len());
    run_made_case("40k-unknown-keys", (tmp, site), &expect.join("\n"));
}

#[test]
fn forty_thousand_broken_anchors_on_one_line_are_checked_in_bounded_memory() {
    let mut text = String::from("---\ntitle: 一行\n---\n## 标题\n\n");
    text.push_str(&"[y](#nope)".repeat(40_000));
    text.push('\n');
    let (_tmp, site) = made_case(&[("content/guide.md", text.as_bytes())]);
    let lines = check_lines(&site);
    let broken = lines.iter().filter(|l| *l == "E0401 6").count();
    assert_eq!(broken, 100, "{lines:?}");
    assert!(lines.contains(&"E0009 6".to_string()), "{lines:?}");
    // The quoted line is a window, not 400 KB per diagnostic.
    let report = check_report(&site);
    let first = &report.diagnostics.0[0];
    let quoted = first.source_line.as_deref().unwrap_or("");
    assert!(
        quoted.contains("[y](#nope)") && quoted.len() < 1000,
        "{quoted}"
    );
    let summary = report
        .diagnostics
        .0
        .iter()
        .find(|d| d.code == "E0009")
        .unwrap();
    assert!(
        summary.message.starts_with("39900 more problems"),
        "{}",
        summary.message
    );
}

#[test]
fn a_hundred_thousand_broken_anchors_are_checked_in_linear_time() {
    let mut text = String::from("---\ntitle: 很多坏锚点\n---\n## 标题\n\n");
    for i in 0..100_000 {
        text.push_str(&format!("[第{i}处](#nope-{i})\n"));
    }
    let (_tmp, site) = made_case(&[("content/guide.md", text.as_bytes())]);
    let lines = check_lines(&site);
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("E0401 ")).count(),
        100
    );
    assert_eq!(
        lines.last().map(String::as_str),
        Some("E0009 106"),
        "{lines:?}"
    );
}

#[test]
fn a_large_anchor_aliased_thousands_of_times_is_refused_at_its_first_alias() {
    let mut text = String::from("---\ntitle: 别名\nbig: &big\n");
    for i in 0..3_000 {
        text.push_str(&format!("  - 很长的一段文字，用来把锚点撑到一百 KB。{i}\n"));
    }
    text.push_str("refs:\n");
    for _ in 0..3_000 {
        text.push_str("  - *big\n");
    }
    text.push_str("---\n正文。\n");
    let (tmp, site) = made_case(&[("content/guide.md", text.as_bytes())]);
    run_made_case(
        "alias-expansion",
        (tmp, site),
        "error E0102 content/guide.md:3005",
    );
}

// ---- fuzz corpus replay and a bounded deterministic fuzz loop ----

include!("../fuzz/harness.rs");

/// Every file in fuzz/corpus/<target>/ (seeds and whatever cargo-fuzz found and
/// was kept) goes through its target once. This is how CI runs the fuzz targets
/// on stable Rust, within `cargo test`.
#[test]
fn fuzz_corpora_replay_without_panics() {
    let corpus = repo().join("fuzz/corpus");
    let mut total = 0;
    for (target, run) in TARGETS {
        let dir = corpus.join(target);
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{target}: empty corpus");
        for file in &files {
            let data = fs::read(file).unwrap();
            if catch_unwind(|| run(&data)).is_err() {
                panic!("{target}: {} panics", file.display());
            }
        }
        total += files.len();
    }
    println!("replayed {total} corpus inputs");
}

/// A few thousand deterministic mutations of the corpus per target (a fixed-seed
/// xorshift, so a failure reproduces): byte flips, insertions of YAML/Markdown
/// punctuation, truncation, splicing. Bounded by count, not time.
#[test]
fn bounded_fuzz_loop_without_panics() {
    const ROUNDS: usize = 1500;
    let corpus = repo().join("fuzz/corpus");
    let tokens: &[&[u8]] = &[
        b"---\n",
        b"\n",
        b"\t",
        b": ",
        b"- ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"\"",
        b"'",
        b"&a ",
        b"*a",
        b"!!",
        b"#",
        b"[[",
        b"]]",
        b"|",
        b"](",
        b")",
        b"`",
        b"```",
        b"> [!WARNING]",
        b"1. ",
        b"## \xe6\xad\xa5\xe9\xaa\xa4\n",
        b"<script>",
        b"{{< x >}}",
        b"\r\n",
        b"\xef\xbb\xbf",
        b"\xe4\xb8\xad",
        b"\xff",
        b"+",
        b"-",
        b"kind:",
        b"E04",
        b"\"",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (target, run) in TARGETS {
        let seeds: Vec<Vec<u8>> = fs::read_dir(corpus.join(target))
            .unwrap()
            .map(|e| fs::read(e.unwrap().path()).unwrap())
            .collect();
        for round in 0..ROUNDS {
            let mut data = seeds[(next() as usize) % seeds.len()].clone();
            for _ in 0..1 + next() % 8 {
                let at = if data.is_empty() {
                    0
                } else {
                    (next() as usize) % (data.len() + 1)
                };
                match next() % 5 {
                    0 if !data.is_empty() => {
                        let i = at.min(data.len() - 1);
                        data[i] ^= 1 << (next() % 8);
                    }
                    1 => {
                        let t = tokens[(next() as usize) % tokens.len()];
                        data.splice(at..at, t.iter().copied());
                    }
                    2 => data.truncate(at),
                    3 => {
                        let other = &seeds[(next() as usize) % seeds.len()];
                        let from = (next() as usize) % (other.len() + 1);
                        data.splice(at..at, other[from..].iter().copied());
                    }
                    _ => {
                        let end = (at + (next() as usize) % 16).min(data.len());
                        data.drain(at..end);
                    }
                }
            }
            data.truncate(64 * 1024);
            if catch_unwind(|| run(&data)).is_err() {
                let path = std::env::temp_dir().join(format!("svcbook-fuzz-{target}-{round}"));
                fs::write(&path, &data).unwrap();
                panic!("{target} panics on input saved to {}", path.display());
            }
        }
    }
}

/// Every diagnostic code in the source is a row of the table of codes, and
/// every row is a code the source reports.
#[test]
fn every_code_is_in_the_readme_table() {
    let is_code = |w: &str| {
        w.len() == 5
            && (w.starts_with('E') || w.starts_with('W'))
            && w[1..].bytes().all(|b| b.is_ascii_digit())
    };
    let mut in_source = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(entry.path()).unwrap();
            // Every `"E0123"` literal (whatever quotes come before it).
            for (at, _) in text.match_indices('"') {
                if let Some(code) = text.get(at + 1..at + 6) {
                    if is_code(code) && text[at + 6..].starts_with('"') {
                        in_source.insert(code.to_string());
                    }
                }
            }
        }
    }
    // The table in src/diagnostics/codes.rs, which the README prints (a
    // unit test there keeps the README equal to it).
    let in_table: std::collections::BTreeSet<String> = svcbook::diagnostics::CODES
        .iter()
        .flat_map(|c| c.codes.iter().map(|s| s.to_string()))
        .collect();
    assert!(in_source.len() > 30, "{in_source:?}");
    assert_eq!(in_source, in_table);
}

// ---- a damaged search index ----

/// Flips one byte at many offsets of every index file (chunk scripts and the
/// warm file). `svcbook search` reads the chunks its query needs, so a flip in
/// one of those (and anywhere in the warm file, which opening reads) must name
/// the damage and exit 2 with nothing printed; a flip in a chunk the query
/// never reads may leave the answer as it was, but never change it. Never a
/// panic (exit 101).
#[test]
fn search_on_a_damaged_index_is_an_error_at_any_offset() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&fixture("kinds"), &out).unwrap();
    let index_dir = out.join("search/index");
    let mut files: Vec<PathBuf> = fs::read_dir(&index_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "chunks and a warm file: {files:?}");
    let search = |name: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_svcbook"));
        command
            .arg("search")
            .arg(fixture("kinds"))
            .arg("-o")
            .arg(&out)
            .arg("E04");
        run_bounded(name, command)
    };
    let intact = search("intact index");
    assert_eq!(intact.status.code(), Some(0), "the intact index finds E04");
    let mut cases = 0;
    let mut refused_chunks = 0;
    for file in &files {
        let original = fs::read(file).unwrap();
        let len = original.len();
        // The script's head, its first and last base64 letters, and spread offsets.
        let mut offsets: Vec<usize> = vec![0, 5, 14, 33, 40, len - 4, len - 2, len - 1];
        offsets.extend((1..12).map(|i| i * len / 12));
        offsets.sort_unstable();
        offsets.dedup();
        for at in offsets {
            let mut damaged = original.clone();
            // A different letter of the same class, so the script still parses
            // where it can: the hash must catch what the syntax does not.
            damaged[at] = match damaged[at] {
                b'A' => b'B',
                b'0' => b'1',
                b if b.is_ascii_alphanumeric() => b'A',
                b => b ^ 0x20,
            };
            fs::write(file, &damaged).unwrap();
            let name = format!("{} flipped at {at}", file.display());
            let output = search(&name);
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let is_warm = !file_stem_has_dash(file);
            if output.status.code() == Some(0) && !is_warm {
                // A chunk this query does not read: the same answer as before.
                assert_eq!(output.stdout, intact.stdout, "{name}: the answer changed");
                cases += 1;
                continue;
            }
            if !is_warm {
                refused_chunks += 1;
            }
            assert_eq!(output.status.code(), Some(2), "{name}: {stdout}{stderr}");
            assert!(stdout.is_empty(), "{name}: printed results {stdout}");
            assert!(
                stderr.contains("damaged search index") && stderr.contains("rebuild"),
                "{name}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            cases += 1;
        }
        fs::write(file, &original).unwrap();
    }
    assert!(cases >= 2 * 12, "{cases} cases");
    assert!(refused_chunks > 0, "no damaged chunk was ever refused");
}

/// Chunks are `<id>-<n>.js`; the warm file is named by its hash alone.
fn file_stem_has_dash(file: &Path) -> bool {
    file.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.contains('-'))
}
