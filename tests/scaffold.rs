//! `svcbook init` and `svcbook new`: a fresh site builds with zero warnings, new
//! articles get the next free id in the right folder, sites can override
//! archetypes, and nothing is overwritten by accident.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn svcbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_svcbook"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "exit {:?}\n{}\n{stderr}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout)
    );
    stderr
}

/// The issue's sequence, word for word: init, cd, new, build — zero warnings.
#[test]
fn init_new_build_works_with_zero_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("x");
    ok(&svcbook(tmp.path(), &["init", x.to_str().unwrap()]));
    let created = svcbook(&x, &["new", "fault_case", "测试"]);
    ok(&created);
    assert_eq!(
        String::from_utf8_lossy(&created.stdout).trim(),
        "content/fault-cases/FC-0002.md",
        "the next free id after the example FC-0001, as the file name, in the kind's folder"
    );
    let stderr = ok(&svcbook(&x, &["build"]));
    assert!(stderr.contains(", 0 warnings → "), "{stderr}");
    assert!(x.join("public/fault-cases/FC-0001.html").is_file());

    // The new article is a draft: left out of `build`, and clean with `--drafts` too.
    let text = fs::read_to_string(x.join("content/fault-cases/FC-0002.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"测试\"\nid: FC-0002\n"),
        "{text}"
    );
    assert!(text.contains("status: draft"));
    let report = build_into(&x, &tmp.path().join("with-drafts")).unwrap();
    assert_eq!(report.warnings.0, vec![]);
    let drafts = svcbook::pipeline::build(
        &svcbook::pipeline::BuildOptions {
            site_dir: x.clone(),
            output_dir: Some(tmp.path().join("drafts-out")),
            drafts: true,
            today: None,
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(drafts.warnings.0, vec![], "the archetype has every section");
    assert!(tmp
        .path()
        .join("drafts-out/fault-cases/FC-0002.html")
        .is_file());

    // And `check` agrees: nothing to report, even denying warnings.
    let check = svcbook(&x, &["check", "--deny-warnings"]);
    let stderr = ok(&check);
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");

    let gitignore = fs::read_to_string(x.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/public/"));
}

#[test]
fn init_writes_one_example_per_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let files = svcbook::scaffold::init(&site, false, today()).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().replace('\\', "/"))
        .collect();
    for expected in [
        ".gitignore",
        "svcbook.toml",
        "content/_index.md",
        "content/about.md",
        "content/fault-cases/FC-0001.md",
        "content/procedures/PR-0001.md",
        "content/scripts/SC-0001.md",
        "content/playbooks/PB-0001.md",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    // One example of every typed kind in the registry, faq included.
    for kind in svcbook::kinds::Registry::default().typed() {
        let expected = format!(
            "content/{}/{}-0001.md",
            kind.folder().unwrap(),
            kind.id_prefix()
        );
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let report = build_into(&site, &tmp.path().join("out")).unwrap();
    assert_eq!(report.warnings.0, vec![]);
    assert_eq!(report.articles, 7);
    // Review dates are a year ahead of the day of `init`.
    let fc = fs::read_to_string(site.join("content/fault-cases/FC-0001.md")).unwrap();
    assert!(fc.contains("review_by: 2027-06-01"), "{fc}");
    assert!(!fc.contains("{{"), "every placeholder filled");
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let refused = svcbook(tmp.path(), &["init", "."]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("is not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!tmp.path().join("svcbook.toml").exists());
    ok(&svcbook(tmp.path(), &["init", ".", "--force"]));
    assert!(tmp.path().join("svcbook.toml").is_file());
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine",
        "--force leaves other files alone"
    );
    // An empty folder needs no --force.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    ok(&svcbook(tmp.path(), &["init", "empty"]));
}

#[test]
fn new_picks_the_next_free_id_per_kind_and_every_kind_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    svcbook::scaffold::init(&site, false, today()).unwrap();
    // An article with an explicit id far ahead, and a broken one with a high number:
    // both count, so neither id is handed out again.
    fs::write(
        site.join("content/fault-cases/old-case.md"),
        "---\ntitle: 旧案例\nid: FC-0012\n---\n## 现象\n## 环境\n## 原因\n## 处理\n## 预防\n",
    )
    .unwrap();
    let expected = [
        ("fault_case", "content/fault-cases/FC-0013.md"),
        ("fault-cases", "content/fault-cases/FC-0014.md"),
        ("procedure", "content/procedures/PR-0002.md"),
        ("script", "content/scripts/SC-0002.md"),
        ("playbook", "content/playbooks/PB-0002.md"),
        ("standard", "content/standards/ST-0002.md"),
        ("faq", "content/faqs/FAQ-0002.md"),
        ("page", "content/PG-0001.md"),
    ];
    for (kind, path) in expected {
        let created = svcbook::scaffold::new_article(&site, kind, "新文章：测试", None, today())
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(created.path, site.join(path), "{kind}");
        assert_eq!(created.archetype, "(built-in)");
        // Published as written, each is clean: the archetypes are valid articles.
        let text = fs::read_to_string(&created.path).unwrap();
        fs::write(
            &created.path,
            text.replace("status: draft", "status: published")
                .replace("# owner:", "owner:"),
        )
        .unwrap();
    }
    let report = build_into(&site, &tmp.path().join("out")).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.warnings.0, vec![]);
    assert_eq!(report.articles, 7 + 1 + expected.len());
    let page = read(&tmp.path().join("out"), "fault-cases/FC-0013.html");
    assert!(
        page.contains("新文章：测试"),
        "the title, with its colon, survived YAML"
    );
}

#[test]
fn new_with_an_id_and_the_errors_it_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    svcbook::scaffold::init(&site, false, today()).unwrap();
    let created =
        svcbook::scaffold::new_article(&site, "procedure", "拆机", Some("PR-0100"), today())
            .unwrap();
    assert_eq!(created.path, site.join("content/procedures/PR-0100.md"));
    let next = svcbook::scaffold::new_article(&site, "procedure", "装机", None, today()).unwrap();
    assert_eq!(next.id, "PR-0101");

    let err = |kind: &str, id: Option<&str>| {
        svcbook::scaffold::new_article(&site, kind, "标题", id, today())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("procedure", Some("PR-0100")),
        format!(
            "id `PR-0100` is already used by {}",
            site.join("content/procedures/PR-0100.md").display()
        )
    );
    assert!(err("fault_case", Some("../../x")).starts_with("invalid id `../../x`"));
    assert!(err("fault_case", Some("a b")).starts_with("invalid id"));
    let unknown = err("recall", None);
    assert!(unknown.starts_with("unknown kind `recall`"), "{unknown}");
    // The list of kinds comes from the registry, the new `faq` included.
    assert!(unknown.contains("standard, faq, page"), "{unknown}");
    assert!(
        svcbook::scaffold::new_article(&site, "script", "  ", None, today())
            .unwrap_err()
            .to_string()
            .contains("empty")
    );
    // Not a site: no config and no content folder.
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let output = svcbook(&elsewhere, &["new", "fault_case", "标题"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a svcbook site"));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_site_archetype_overrides_the_builtin_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    svcbook::scaffold::init(&site, false, today()).unwrap();
    fs::create_dir_all(site.join("archetypes")).unwrap();
    fs::write(
        site.join("archetypes/script.md"),
        "---\ntitle: {{ title }}\nid: {{ id }}\nchannel: online\nowner: 客服中心\nupdated: {{ date }}\n---\n```say\n您好，这里是在线客服。\n```\n",
    )
    .unwrap();
    let created = svcbook(&site, &["new", "script", "在线咨询开场"]);
    let stderr = ok(&created);
    assert!(stderr.contains("archetypes/script.md"), "{stderr}");
    let text = fs::read_to_string(site.join("content/scripts/SC-0002.md")).unwrap();
    assert_eq!(
        text,
        "---\ntitle: \"在线咨询开场\"\nid: SC-0002\nchannel: online\nowner: 客服中心\nupdated: 2026-06-01\n---\n```say\n您好，这里是在线客服。\n```\n"
            .replace("2026-06-01", &svcbook::model::Date::today().to_string())
    );
    let report = build_into(&site, &tmp.path().join("out")).unwrap();
    assert_eq!(report.warnings.0, vec![]);
    assert!(read(&tmp.path().join("out"), "scripts/SC-0002.html").contains("这里是在线客服"));
}
