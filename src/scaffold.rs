//! `svcbook init` and `svcbook new`: starting a site, and starting an article.
//!
//! `init` writes a small working site (config, one published example per kind,
//! a `.gitignore`) that builds with zero warnings. `new` writes an article from
//! its kind's archetype: the site's `archetypes/<kind>.md` if it has one, else
//! the built-in one (`themes/default/archetypes/`). Archetypes are Markdown with
//! four placeholders: `{{ title }}` (written as a quoted YAML string), `{{ id }}`,
//! `{{ date }}` (today) and `{{ review_by }}` (a year from today).

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::access::{Policy, MAX_TEXT_BYTES};
use crate::config::{SiteConfig, CONFIG_FILE};
use crate::kinds::Registry;
use crate::model::{Date, Kind};

static INIT_SITE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

/// Days from today to the `review_by` date of new articles.
const REVIEW_AFTER_DAYS: i64 = 365;

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} is not empty; use --force to write the example site into it anyway")]
    NotEmpty(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unknown kind `{0}`: expected one of {1}")]
    UnknownKind(String, String),
    #[error("invalid id `{}`: ids may use letters, digits, `-`, `_` and `.` only, and must not start with `.` or `-` or contain `..`", .0.escape_debug())]
    InvalidId(String),
    #[error("id `{id}` is already used by {path}")]
    DuplicateId { id: String, path: PathBuf },
    #[error("{0} already exists")]
    Exists(PathBuf),
    #[error("the title is empty")]
    EmptyTitle,
    #[error("cannot read the site: {0}")]
    Site(String),
    #[error("{0} is not a svcbook site (it has neither svcbook.toml nor content/); run `svcbook init` first, or pass --site")]
    NotASite(PathBuf),
    #[error("{}: {source}", path.display())]
    Access {
        path: PathBuf,
        source: crate::access::AccessError,
    },
}

fn access_err(path: &Path) -> impl FnOnce(crate::access::AccessError) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Access {
        path: path.to_path_buf(),
        source,
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The values the placeholders are replaced with.
struct Fill<'a> {
    title: &'a str,
    id: &'a str,
    today: Date,
}

/// Replaces the placeholders of `template` in one pass over it, so text that a
/// value brings in (a title that says `{{ id }}`) is never expanded itself.
fn fill(template: &str, f: &Fill) -> String {
    let review_by = Date::from_days_since_epoch(f.today.days_since_epoch() + REVIEW_AFTER_DAYS);
    // A JSON string is a valid YAML double-quoted scalar: safe for any title.
    let title = serde_json::to_string(f.title).expect("a string serialises");
    let values = [
        ("{{ title }}", title),
        ("{{ id }}", f.id.to_string()),
        ("{{ date }}", f.today.to_string()),
        ("{{ review_by }}", review_by.to_string()),
    ];
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(at) = rest.find("{{ ") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match values.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &rest[name.len()..];
            }
            None => {
                out.push_str("{{ ");
                rest = &rest[3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes the example site into `dir`. Returns the files written, relative to `dir`.
pub fn init(dir: &Path, force: bool, today: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io_err(dir))?;
        if entries.next().is_some() && !force {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    // `--force` replaces regular files of the same names; it never writes
    // through a link (`svcbook.toml` or `content` pointing out of the folder).
    let policy = Policy::new(dir);
    let files: Vec<_> = crate::theme::all_files(&INIT_SITE)
        .into_iter()
        .map(|file| {
            let rel = match file.path().to_str() {
                Some("gitignore") => PathBuf::from(".gitignore"),
                _ => file.path().to_path_buf(),
            };
            (rel, file)
        })
        .collect();
    // Every file is checked before the first is written: a refusal writes nothing.
    for (rel, _) in &files {
        let path = dir.join(rel);
        policy
            .check_write(&path, force)
            .map_err(access_err(&path))?;
    }
    let mut written = Vec::new();
    for (rel, file) in files {
        let text = String::from_utf8_lossy(file.contents());
        let text = fill(
            &text,
            &Fill {
                title: "",
                id: "",
                today,
            },
        );
        let path = dir.join(&rel);
        policy
            .write(&path, text.as_bytes(), force)
            .map_err(access_err(&path))?;
        written.push(rel);
    }
    written.sort();
    Ok(written)
}

/// What `new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    pub id: String,
    pub path: PathBuf,
    /// Where the archetype came from: the site's file, or `(built-in)`.
    pub archetype: String,
}

/// Writes a new article of `kind` titled `title` into the site at `site_dir`.
pub fn new_article(
    site_dir: &Path,
    kind: &str,
    title: &str,
    id: Option<&str>,
    today: Date,
) -> Result<NewArticle, ScaffoldError> {
    if !looks_like_site(site_dir) {
        // An unknown kind is named before the missing site.
        parse_kind(kind, &Registry::default())?;
        if title.trim().is_empty() {
            return Err(ScaffoldError::EmptyTitle);
        }
        return Err(ScaffoldError::NotASite(site_dir.to_path_buf()));
    }
    let config = SiteConfig::load(site_dir).map_err(|d| ScaffoldError::Site(d.to_string()))?;
    // The site's own kinds (`[[kinds]]` in svcbook.toml) are kinds too.
    let kind = parse_kind(kind, &config.kinds)?;
    let title = title.trim();
    if title.is_empty() {
        return Err(ScaffoldError::EmptyTitle);
    }
    let existing = existing_ids(&config);
    let id = match id {
        Some(id) => {
            if !valid_id(id) {
                return Err(ScaffoldError::InvalidId(id.to_string()));
            }
            if let Some((_, path)) = existing.iter().find(|(i, _)| i == id) {
                return Err(ScaffoldError::DuplicateId {
                    id: id.to_string(),
                    path: path.clone(),
                });
            }
            id.to_string()
        }
        None => next_id(kind, &existing),
    };
    let folder = match kind.folder() {
        Some(folder) => config.content_dir.join(folder),
        None => config.content_dir.clone(),
    };
    let path = folder.join(format!("{id}.md"));
    if path.exists() {
        return Err(ScaffoldError::Exists(path));
    }
    let policy = config.access_policy();
    let (archetype, origin) = archetype(site_dir, &policy, kind)?;
    let text = fill(
        &archetype,
        &Fill {
            title,
            id: &id,
            today,
        },
    );
    // Never over a file that appeared since the check above, never through a link.
    policy
        .write(&path, text.as_bytes(), false)
        .map_err(access_err(&path))?;
    Ok(NewArticle {
        id,
        path,
        archetype: origin,
    })
}

/// `fault_case`, or its folder name `fault-cases`.
fn parse_kind(name: &str, kinds: &Registry) -> Result<Kind, ScaffoldError> {
    kinds
        .lookup(name)
        .ok_or_else(|| ScaffoldError::UnknownKind(name.to_string(), kinds.names().join(", ")))
}

/// The site's `archetypes/<kind>.md`, else the built-in one.
fn archetype(
    site_dir: &Path,
    policy: &Policy,
    kind: Kind,
) -> Result<(String, String), ScaffoldError> {
    let own = site_dir
        .join("archetypes")
        .join(format!("{}.md", kind.name()));
    if std::fs::symlink_metadata(&own).is_ok() {
        let bytes = policy
            .read(&own, MAX_TEXT_BYTES)
            .map_err(access_err(&own))?;
        let text = String::from_utf8(bytes).map_err(|_| ScaffoldError::Access {
            path: own.clone(),
            source: crate::access::AccessError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the archetype is not UTF-8 text",
            )),
        })?;
        return Ok((text, own.display().to_string()));
    }
    // Every built-in kind has its file (a test in `kinds` sees to it); a
    // site's own kind gets one made from its registry entry.
    match crate::theme::builtin_archetype(kind.name()) {
        Some(text) => Ok((text.to_string(), "(built-in)".to_string())),
        None => Ok((Registry::archetype(kind), "(from svcbook.toml)".to_string())),
    }
}

/// Every id in the site with the file that has it: the `id:` of each Markdown
/// file, else its file stem. Files with errors count too, so a broken article
/// never has its id handed out again.
fn existing_ids(config: &SiteConfig) -> Vec<(String, PathBuf)> {
    let loaded = crate::load::load(config.clone());
    let mut ids = Vec::new();
    for source in &loaded.sources {
        let stem = source
            .rel
            .rsplit('/')
            .next()
            .unwrap_or(&source.rel)
            .trim_end_matches(".md")
            .trim_end_matches(".markdown")
            .to_string();
        let explicit = crate::frontmatter::split(&source.path, &source.text)
            .ok()
            .and_then(|s| match s.front_matter.get("id") {
                Some(crate::frontmatter::Value::String(id)) => Some(id.clone()),
                _ => None,
            });
        ids.push((explicit.unwrap_or(stem), source.path.clone()));
    }
    ids
}

/// `FC-0013` after `FC-0012`: the prefix of the kind, one more than the largest
/// number in use, at least four digits.
fn next_id(kind: Kind, existing: &[(String, PathBuf)]) -> String {
    let prefix = format!("{}-", kind.id_prefix());
    let mut max = 0u64;
    let mut width = 4;
    for (id, _) in existing {
        if let Some(digits) = id.strip_prefix(&prefix) {
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                if let Ok(n) = digits.parse::<u64>() {
                    max = max.max(n);
                    width = width.max(digits.len());
                }
            }
        }
    }
    let mut n = max + 1;
    loop {
        let id = format!("{prefix}{n:0width$}");
        if !existing.iter().any(|(i, _)| *i == id) {
            return id;
        }
        n += 1;
    }
}

/// The build's rules for an explicit id, so `new` never writes an article the
/// build would refuse.
fn valid_id(id: &str) -> bool {
    crate::article::valid_id(id, false)
}

/// Whether `dir` looks like a site `new` can write into (it has a config or content).
pub fn looks_like_site(dir: &Path) -> bool {
    dir.join(CONFIG_FILE).is_file() || dir.join("content").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-22").unwrap()
    }

    #[test]
    fn next_id_counts_up_and_keeps_the_width() {
        let ids = |list: &[&str]| -> Vec<(String, PathBuf)> {
            list.iter()
                .map(|i| (i.to_string(), PathBuf::from("x")))
                .collect()
        };
        assert_eq!(next_id(Kind::FAULT_CASE, &ids(&[])), "FC-0001");
        assert_eq!(
            next_id(
                Kind::FAULT_CASE,
                &ids(&["FC-0012", "FC-0003", "PR-0044", "FC-x"])
            ),
            "FC-0013"
        );
        assert_eq!(next_id(Kind::PROCEDURE, &ids(&["PR-00009"])), "PR-00010");
        assert_eq!(
            next_id(
                Registry::default().by_name("standard").unwrap(),
                &ids(&["ST-9999"])
            ),
            "ST-10000"
        );
    }

    #[test]
    fn titles_are_quoted_for_yaml_and_dates_filled() {
        let out = fill(
            "title: {{ title }}\nid: {{ id }}\nupdated: {{ date }}\nreview_by: {{ review_by }}\n",
            &Fill {
                title: "E04: \"不制冷\" # 测试",
                id: "FC-0002",
                today: today(),
            },
        );
        assert_eq!(
            out,
            "title: \"E04: \\\"不制冷\\\" # 测试\"\nid: FC-0002\nupdated: 2026-11-22\nreview_by: 2027-11-22\n"
        );
        let file = format!("---\n{out}---\n");
        let fm = crate::frontmatter::split(Path::new("a.md"), &file).unwrap();
        assert_eq!(
            fm.front_matter.get("title"),
            Some(&crate::frontmatter::Value::String(
                "E04: \"不制冷\" # 测试".into()
            ))
        );
    }

    #[test]
    fn placeholders_inside_values_are_not_expanded() {
        let out = fill(
            "title: {{ title }}\nid: {{ id }}\n{{ other }}\n",
            &Fill {
                title: "写着 {{ id }} 和 {{ date }} 的标题",
                id: "FC-0002",
                today: today(),
            },
        );
        assert_eq!(
            out,
            "title: \"写着 {{ id }} 和 {{ date }} 的标题\"\nid: FC-0002\n{{ other }}\n"
        );
    }

    #[test]
    fn ids_follow_the_build_rules() {
        for good in ["FC-0001", "故障一", "a_b.c"] {
            assert!(valid_id(good), "{good}");
        }
        for bad in [
            "",
            "../../x",
            ".x",
            "-x",
            "a b",
            "a/b",
            "a..b",
            "a#b",
            "a%b",
            "a\u{202e}b",
            "a(b)",
        ] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn kinds_by_name_or_folder() {
        assert_eq!(
            parse_kind("fault_case", &Registry::default()).unwrap(),
            Kind::FAULT_CASE
        );
        assert_eq!(
            parse_kind("fault-cases", &Registry::default()).unwrap(),
            Kind::FAULT_CASE
        );
        assert_eq!(
            parse_kind("fault-case", &Registry::default()).unwrap(),
            Kind::FAULT_CASE
        );
        assert!(matches!(
            parse_kind("recall", &Registry::default()),
            Err(ScaffoldError::UnknownKind(..))
        ));
    }

    #[test]
    fn every_kind_has_a_builtin_archetype_with_its_placeholders() {
        for kind in Registry::default().all() {
            let text = crate::theme::builtin_archetype(kind.name()).unwrap();
            for p in ["{{ title }}", "{{ id }}", "{{ date }}", "{{ review_by }}"] {
                assert!(text.contains(p), "{kind}: {p}");
            }
        }
    }
}
