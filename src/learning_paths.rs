//! Learning paths: ordered curricula defined in `paths/*.yaml` at the site root.
//!
//! ```yaml
//! title: 新员工入职：售后服务基础
//! summary: …
//! sections:
//!   - heading: 第一周：服务标准
//!     articles: [ST-0001, SC-0001]
//! ```
//!
//! Loading reads and parses the files; [`resolve`] checks every id against the
//! built articles, so a path naming a missing (or left-out draft) article fails
//! the build with its file and line.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::access::{self, AccessError, Found, Policy, MAX_TEXT_BYTES};
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::frontmatter::{self, Value};

/// The folder of learning paths, beside `content/`.
pub const PATHS_DIR: &str = "paths";

/// A path as written, before its ids are checked.
#[derive(Debug, Clone)]
pub struct PathSource {
    pub file: PathBuf,
    /// File stem: the path's id and URL name.
    pub id: String,
    pub title: String,
    pub summary: String,
    pub sections: Vec<(String, Vec<(String, usize)>)>,
    /// The file's text, to quote a line in a later error (read once).
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LearningPath {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub sections: Vec<PathSection>,
    /// Root-relative URLs of the path page and its printable page.
    pub url: String,
    pub print_url: String,
    /// The `paths/*.yaml` file it comes from.
    #[serde(skip)]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathSection {
    pub heading: String,
    pub articles: Vec<String>,
}

impl LearningPath {
    /// All article ids in order.
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.sections.iter().flat_map(|s| s.articles.iter())
    }
}

/// Reads every `paths/*.yaml` (sorted by name), through the site's file policy
/// (no links out of the site, regular files only, at most 1 MiB each). Returns
/// the parsed paths and the problems found; a file with an error is left out.
pub fn load(site_dir: &Path, policy: &Policy) -> (Vec<PathSource>, Vec<Diagnostic>) {
    let dir = site_dir.join(PATHS_DIR);
    let shown_of = |p: &Path| p.strip_prefix(".").unwrap_or(p).to_path_buf();
    match policy.folder(&dir) {
        Ok(Some(_)) => {}
        Ok(None) => return (Vec::new(), Vec::new()),
        Err(e) => return (Vec::new(), vec![e.diagnostic(&shown_of(&dir))]),
    }
    let walk = policy.walk(&dir, |e| e.file_type().is_dir());
    let mut paths = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = walk
        .refused
        .iter()
        .map(|(p, e)| e.diagnostic(&shown_of(p)))
        .collect();
    for found in walk.files {
        if !matches!(
            found.path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            continue;
        }
        let shown = shown_of(&found.path);
        if !found.regular {
            diagnostics.push(AccessError::NotRegular(found.kind).diagnostic(&shown));
            continue;
        }
        match read_one(&found, &shown) {
            Ok(p) => paths.push(p),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    (paths, diagnostics)
}

fn read_one(found: &Found, shown: &Path) -> Result<PathSource, Vec<Diagnostic>> {
    let file = &found.path;
    let bytes =
        access::read_regular(&found.real, MAX_TEXT_BYTES).map_err(|e| vec![e.diagnostic(shown)])?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        vec![Diagnostic::error("E0003", "file is not valid UTF-8 text")
            .at(Location::new(shown, line, 1))]
    })?;
    let text = frontmatter::normalise(&text);
    let doc = frontmatter::parse_document(shown, &text).map_err(|d| vec![d])?;
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut errors = Vec::new();
    let at = |key: &str| Location::new(shown, doc.line_of(key), 1);
    let text_of = |key: &str| {
        doc.get(key)
            .and_then(Value::as_scalar_text)
            .unwrap_or_default()
    };
    let title = text_of("title");
    if title.trim().is_empty() {
        errors.push(
            Diagnostic::error("E0107", "a learning path needs a `title`")
                .at(at("title"))
                .field("title")
                .with_source_line(&text),
        );
    }
    let mut sections = Vec::new();
    match doc.get("sections") {
        Some(Value::List(items)) => {
            for item in items {
                let heading = item
                    .get("heading")
                    .and_then(Value::as_scalar_text)
                    .unwrap_or_default();
                let ids: Vec<String> = match item.get("articles") {
                    Some(Value::List(ids)) => {
                        ids.iter().filter_map(Value::as_scalar_text).collect()
                    }
                    _ => {
                        errors.push(
                            Diagnostic::error("E0103", "every section needs `articles: [ID, …]`")
                                .at(at("sections"))
                                .field("sections"),
                        );
                        Vec::new()
                    }
                };
                sections.push((heading, ids));
            }
        }
        _ => errors.push(
            Diagnostic::error(
                "E0103",
                "a learning path needs `sections:`, a list of `{ heading, articles }`",
            )
            .at(at("sections"))
            .field("sections"),
        ),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Point each id at its own line, in one pass: ids appear in file order.
    let all_ids: Vec<&str> = sections
        .iter()
        .flat_map(|(_, ids)| ids.iter().map(String::as_str))
        .collect();
    let mut lines = doc.positions_in("sections", all_ids).into_iter();
    let sections = sections
        .into_iter()
        .map(|(heading, ids)| {
            let with_lines = ids
                .into_iter()
                .map(|id| (id, lines.next().map_or(1, |(line, _)| line)))
                .collect();
            (heading, with_lines)
        })
        .collect();
    Ok(PathSource {
        file: shown.to_path_buf(),
        id,
        title,
        summary: text_of("summary"),
        sections,
        text,
    })
}

/// Checks every id of every path against `exists`; ids that are left-out drafts
/// get a hint saying so.
pub fn resolve(
    sources: Vec<PathSource>,
    exists: impl Fn(&str) -> bool,
    is_left_out_draft: impl Fn(&str) -> bool,
) -> (Vec<LearningPath>, Vec<Diagnostic>) {
    let mut paths = Vec::new();
    let mut diagnostics = Vec::new();
    for src in sources {
        let lines = LineIndex::new(&src.text);
        let mut sections = Vec::new();
        for (heading, ids) in src.sections {
            let mut articles = Vec::new();
            for (id, line) in ids {
                if exists(&id) {
                    articles.push(id);
                    continue;
                }
                let line_text = lines.line(line).unwrap_or("");
                let column = line_text
                    .find(&id)
                    .map(|b| line_text[..b].chars().count() + 1)
                    .unwrap_or(1);
                let mut d = Diagnostic::error(
                    "E0204",
                    format!(
                        "learning path `{}` names `{id}`, which does not exist",
                        src.id
                    ),
                )
                .at(Location::new(&src.file, line, column))
                .field("sections")
                .span(id.chars().count())
                .quote(line_text);
                if is_left_out_draft(&id) {
                    d = d.hint(format!("`{id}` is a draft and drafts are left out; build with --drafts or remove it"));
                }
                diagnostics.push(d);
            }
            sections.push(PathSection { heading, articles });
        }
        paths.push(LearningPath {
            url: format!("paths/{}.html", src.id),
            print_url: format!("paths/{}-print.html", src.id),
            file: src.file,
            id: src.id,
            title: src.title,
            summary: src.summary,
            sections,
        });
    }
    (paths, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(path_yaml: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(PATHS_DIR)).unwrap();
        std::fs::write(dir.path().join("paths/p.yaml"), path_yaml).unwrap();
        dir
    }

    #[test]
    fn loads_and_resolves_a_path() {
        let dir = site_with(
            "title: 入职\nsummary: s\nsections:\n  - heading: 第一周\n    articles: [A, B]\n",
        );
        let (sources, d) = load(dir.path(), &Policy::new(dir.path()));
        assert!(d.is_empty(), "{d:?}");
        let (paths, d) = resolve(sources, |id| id == "A" || id == "B", |_| false);
        assert!(d.is_empty());
        assert_eq!(paths[0].ids().collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(paths[0].url, "paths/p.html");
    }

    #[test]
    fn missing_id_names_file_line_and_column() {
        let dir = site_with("title: 入职\nsections:\n  - heading: 一\n    articles: [A]\n  - heading: 二\n    articles:\n      - A\n      - GONE\n");
        let (sources, _) = load(dir.path(), &Policy::new(dir.path()));
        let (_, d) = resolve(sources, |id| id == "A", |id| id == "GONE");
        assert_eq!(d.len(), 1);
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!((d[0].code, loc.line, loc.column), ("E0204", 8, 9));
        assert!(d[0].hint.as_deref().unwrap().contains("draft"));
    }

    #[test]
    fn malformed_path_is_an_error() {
        let dir = site_with("title: 入职\nsections: 不是列表\n");
        let (sources, d) = load(dir.path(), &Policy::new(dir.path()));
        assert!(sources.is_empty());
        assert_eq!(
            (d[0].code, d[0].location.as_ref().unwrap().line),
            ("E0103", 2)
        );
    }
}
