//! A build killed at any point (SIGKILL: no cleanup runs) leaves `public/` as
//! the old site or the new one, complete, never a mix and never missing; the
//! next build removes what the killed one left beside it.
//!
//! Two sites of a few hundred articles take turns building into one output
//! folder with the real binary; each build is killed at a different point:
//! fractions of a full build's time, the moment its staging folder appears,
//! and the moment the output folder is swapped (while the old site is being
//! removed). After each kill the output must equal one of the two complete
//! reference builds, byte for byte.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const ARTICLES: usize = 200;

fn write_site(dir: &Path, version: &str) {
    for i in 0..ARTICLES {
        let body: String = (0..12)
            .map(|p| format!("第{p}段：{version}版本的处理说明，检查连接管与喇叭口，确认压力正常后再开机。\n\n"))
            .collect();
        let text = format!(
            "---\ntitle: {version} 故障 {i}\nerror_codes: [E{:02}]\ntags: [制冷, 批量{}]\n---\n## 现象\n\n{body}## 环境\n\n室外。\n\n## 原因\n\n漏。\n\n## 处理\n\n补。\n\n## 预防\n\n查。\n",
            i % 40,
            i % 7
        );
        let path = dir.join(format!("content/fault-cases/FC-{i:04}.md"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

fn build(site: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What the build left beside the output: staging folders and old sites.
fn leftovers(out: &Path) -> Vec<String> {
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp-build") || n.contains("old-build"))
        .collect()
}

enum KillAt {
    After(Duration),
    /// As soon as the staging folder has some pages in it.
    Staging,
    /// As soon as the output folder has been replaced.
    Swapped,
}

fn wait_and_kill(mut child: Child, out: &Path, at: &KillAt) {
    let parent = out.parent().unwrap().to_path_buf();
    let inode = fs::metadata(out).map(|m| m.ino()).ok();
    let start = Instant::now();
    loop {
        let now = match at {
            KillAt::After(d) => start.elapsed() >= *d,
            KillAt::Staging => leftovers(out).iter().any(|n| {
                fs::read_dir(parent.join(n).join("fault-cases")).is_ok_and(|d| d.count() > 20)
            }),
            KillAt::Swapped => fs::metadata(out).map(|m| m.ino()).ok() != inode,
        };
        if now || child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the build hangs"
        );
        std::thread::sleep(Duration::from_micros(500));
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_and_the_next_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("site-a"), tmp.path().join("site-b"));
    write_site(&a, "甲");
    write_site(&b, "乙");
    let out = tmp.path().join("out/public");

    // The two complete sites, built undisturbed.
    finish(build(&a, &out));
    let site_a = snapshot(&out);
    let reference = tmp.path().join("reference/public");
    let start = Instant::now();
    finish(build(&b, &reference));
    let full = start.elapsed();
    let site_b = snapshot(&reference);
    assert!(site_a.len() > ARTICLES && site_a != site_b);

    let which = |snap: &BTreeMap<String, Vec<u8>>| {
        if *snap == site_a {
            Some('a')
        } else if *snap == site_b {
            Some('b')
        } else {
            None
        }
    };
    let mut points: Vec<KillAt> = [0.02, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0, 1.1]
        .iter()
        .map(|f| KillAt::After(full.mul_f64(*f)))
        .collect();
    points.extend([KillAt::Staging, KillAt::Swapped, KillAt::Swapped]);
    let mut current = 'a';
    let mut outcomes = Vec::new();
    for at in &points {
        let next: &PathBuf = if current == 'a' { &b } else { &a };
        wait_and_kill(build(next, &out), &out, at);
        let now = which(&snapshot(&out)).unwrap_or_else(|| {
            panic!(
                "after a kill the output is neither site, complete ({} files)",
                snapshot(&out).len()
            )
        });
        outcomes.push(if now == current { "old" } else { "new" });
        current = now;
        // At most the killed build's own staging folder is left.
        assert!(leftovers(&out).len() <= 1, "{:?}", leftovers(&out));
    }
    assert!(
        outcomes.contains(&"old") && outcomes.contains(&"new"),
        "kills landed both before and after the swap: {outcomes:?}"
    );
    // The swapped kills stop the build while it removes the old site.
    println!("outcomes: {outcomes:?}");

    // The next build runs to its end and leaves nothing beside the output.
    finish(build(if current == 'a' { &b } else { &a }, &out));
    assert_eq!(leftovers(&out), Vec::<String>::new());
    let last = which(&snapshot(&out));
    assert!(last.is_some() && last != Some(current));
}

#[test]
fn a_second_build_of_the_same_output_changes_nothing_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    write_site(&site, "甲");
    let out = tmp.path().join("public");
    finish(build(&site, &out));
    let before = snapshot(&out);
    // Hold the output's lock as a running build does (its process id inside).
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(tmp.path().join(".public.lock"))
        .unwrap();
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive).unwrap();
    lock.set_len(0).unwrap();
    std::io::Write::write_all(&mut &lock, std::process::id().to_string().as_bytes()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "another svcbook build (process {})",
            std::process::id()
        )) && stderr.contains("changed nothing"),
        "{stderr}"
    );
    assert!(!stderr.contains("left as it was"), "{stderr}");
    assert!(snapshot(&out) == before);
    drop(lock);
    finish(build(&site, &out));
}
