//! Stage 1 — load: find the site's Markdown and asset files and read them.
//!
//! Nothing is interpreted here; the stage only guarantees that what it hands on is
//! inside the site, readable, UTF-8 and of sane size, so that later stages can be
//! pure functions over text.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::frontmatter;

/// Articles larger than this are refused: no real article is, and a runaway
/// generated file would otherwise stall the whole build.
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// Extensions copied from the content folder into the site beside the pages.
const ASSET_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "pdf", "mp4", "webm", "txt", "csv", "xlsx",
];

/// Folders of the site root that are never content, when the site root itself is
/// the content folder (a plain docs folder without `content/`).
const NON_CONTENT_DIRS: &[&str] = &[
    "templates",
    "themes",
    "static",
    "paths",
    "archetypes",
    "node_modules",
    "target",
    "public",
];

/// One Markdown file, read and normalised (BOM stripped, LF line ends).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path for messages, as the user would type it.
    pub path: PathBuf,
    /// Path relative to the content folder, `/`-separated.
    pub rel: String,
    pub text: String,
}

/// A non-Markdown file from the content folder, copied as it is.
#[derive(Debug, Clone)]
pub struct AssetFile {
    pub rel: String,
    pub abs: PathBuf,
}

#[derive(Debug)]
pub struct LoadedSite {
    pub config: SiteConfig,
    pub sources: Vec<SourceFile>,
    pub assets: Vec<AssetFile>,
    /// Learning paths from `paths/*.yaml`, ids not yet checked.
    pub paths: Vec<crate::paths::PathSource>,
    /// Content-relative paths of Markdown files that could not be read (their
    /// error is in `diagnostics`), so links to them are not reported again.
    pub unreadable: Vec<String>,
    pub diagnostics: Diagnostics,
}

/// Markers of active content in an SVG, lowercased: scripts, event handlers,
/// `javascript:` URLs, embedded HTML.
const SVG_ACTIVE: &[&str] = &["<script", "javascript:", "<foreignobject", " on", "\ton"];

/// An SVG opened on its own (a link to it, not an `<img>`) is a document that
/// runs its scripts with the site's origin. Under the escape policy no author
/// markup may execute, so an SVG carrying script is refused, naming the line.
fn svg_script(path: &Path, shown: &Path) -> Option<Diagnostic> {
    let text = String::from_utf8_lossy(&std::fs::read(path).ok()?).to_ascii_lowercase();
    for (n, line) in text.lines().enumerate() {
        for marker in SVG_ACTIVE {
            let Some(col) = line.find(marker) else {
                continue;
            };
            // ` on` only counts as an event handler attribute: ` onload=`, ` onclick =`.
            if marker.trim_start().starts_with("on") {
                let rest = &line[col + marker.len()..];
                let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
                if name_len == 0 || !rest[name_len..].trim_start().starts_with('=') {
                    continue;
                }
            }
            return Some(
                Diagnostic::error("E0006", "this SVG carries script, which would run when the file is opened")
                    .at(Location::new(shown, n + 1, line[..col].chars().count() + 1))
                    .hint("remove the script or event handler, or set `raw_html = \"allow\"` under [markdown] if every author is trusted"),
            );
        }
    }
    None
}

/// Walks the content folder. Unreadable, oversized or escaping files become
/// diagnostics; everything else is returned sorted by path, so the build is
/// deterministic whatever order the file system lists entries in.
pub fn load(config: SiteConfig) -> LoadedSite {
    let mut diagnostics = Diagnostics::default();
    let mut sources = Vec::new();
    let mut assets = Vec::new();
    let mut unreadable = Vec::new();
    let content = &config.content_dir;
    let site_root = canonical(&config.site_dir);
    let output = canonical(&config.output_dir);
    let content_is_root = canonical(content) == site_root;

    let walker = WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let walker = walker.filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') {
            return false;
        }
        if e.file_type().is_dir() {
            if canonical(e.path()) == output {
                return false;
            }
            if content_is_root && e.depth() == 1 && NON_CONTENT_DIRS.contains(&name.as_ref()) {
                return false;
            }
        }
        true
    });
    let mut seen_real = BTreeSet::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content.clone());
                let message = if err.loop_ancestor().is_some() {
                    "symbolic link loop: this link points back to a folder that contains it".into()
                } else {
                    format!("cannot read: {err}")
                };
                diagnostics
                    .push(Diagnostic::error("E0005", message).at(Location::file(&display(&path))));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let shown = display(path);
        if entry.path_is_symlink() || path.ancestors().any(|a| a.is_symlink()) {
            let real = canonical(path);
            if !real.starts_with(&site_root) {
                diagnostics.push(
                    Diagnostic::error(
                        "E0005",
                        format!(
                            "symbolic link points outside the site, to {}",
                            real.display()
                        ),
                    )
                    .at(Location::file(&shown))
                    .hint("copy the file into the site instead; svcbook never reads outside it"),
                );
                continue;
            }
            // Two links to one file would otherwise make two articles with one id.
            if !seen_real.insert(real) {
                continue;
            }
        }
        let rel = relative_slash_path(path, content);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if ext == "md" || ext == "markdown" {
            match read_article(path, &shown) {
                Ok(text) => sources.push(SourceFile {
                    path: shown,
                    rel,
                    text,
                }),
                Err(d) => {
                    diagnostics.push(d);
                    unreadable.push(rel);
                }
            }
        } else if ASSET_EXTENSIONS.contains(&ext.as_str()) {
            if ext == "svg" && config.markdown.raw_html == crate::config::RawHtmlPolicy::Escape {
                if let Some(d) = svg_script(path, &shown) {
                    diagnostics.push(d);
                    continue;
                }
            }
            assets.push(AssetFile {
                rel,
                abs: path.to_path_buf(),
            });
        }
    }
    let (paths, path_diagnostics) = crate::paths::load(&config.site_dir);
    diagnostics.extend(path_diagnostics);
    LoadedSite {
        config,
        sources,
        assets,
        paths,
        unreadable,
        diagnostics,
    }
}

/// Reads one Markdown file as `load` does; `svcbook serve` re-reads an edited one.
pub(crate) fn read_article(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_ARTICLE_BYTES {
        return Err(Diagnostic::error(
            "E0004",
            format!(
                "file is too large: {:.1} MiB, the limit is {} MiB",
                size as f64 / 1048576.0,
                MAX_ARTICLE_BYTES / 1048576
            ),
        )
        .at(Location::file(shown))
        .hint("split it into several articles"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error("E0003", format!("cannot read file: {e}")).at(Location::file(shown))
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(frontmatter::normalise(&text)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            Err(Diagnostic::error("E0003", "file is not valid UTF-8 text")
                .at(Location::new(shown, line, 1))
                .hint("save it as UTF-8 (GBK/GB18030 files must be converted, e.g. with iconv -f gb18030 -t utf-8)"))
        }
    }
}

/// `a/b/c.md` relative to `base`, with `/` separators on every platform.
pub fn relative_slash_path(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Drops a leading `./` so messages read `content/a.md:3`.
fn display(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, bytes) in files {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        dir
    }

    #[test]
    fn svg_with_script_is_refused_unless_raw_html_is_allowed() {
        let files: &[(&str, &[u8])] = &[
            ("content/ok.svg", b"<svg>\n<text>done one</text>\n</svg>"),
            ("content/tag.svg", b"<svg>\n<SCRIPT>alert(1)</SCRIPT></svg>"),
            (
                "content/tab.svg",
                b"<svg>\n\n<a\tonclick=\"x()\">x</a></svg>",
            ),
            (
                "content/href.svg",
                b"<svg><a href=\"JavaScript:x()\">x</a></svg>",
            ),
        ];
        let dir = site(files);
        let loaded = load(SiteConfig::load(dir.path()).unwrap());
        let assets: Vec<_> = loaded.assets.iter().map(|a| a.rel.as_str()).collect();
        assert_eq!(assets, ["ok.svg"]);
        let mut lines: Vec<String> = loaded
            .diagnostics
            .0
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                let name = at.path.file_name().unwrap().to_string_lossy();
                format!("{} {name}:{}", d.code, at.line)
            })
            .collect();
        lines.sort();
        assert_eq!(
            lines,
            ["E0006 href.svg:1", "E0006 tab.svg:3", "E0006 tag.svg:2"]
        );

        let trusted = site(files);
        fs::write(
            trusted.path().join("svcbook.toml"),
            "[markdown]\nraw_html = \"allow\"\n",
        )
        .unwrap();
        let loaded = load(SiteConfig::load(trusted.path()).unwrap());
        assert_eq!(loaded.assets.len(), 4);
        assert!(loaded.diagnostics.0.is_empty());
    }

    #[test]
    fn finds_markdown_and_assets_in_order_and_skips_output() {
        let dir = site(&[
            ("content/b.md", b"# b"),
            ("content/a/c.md", b"# c"),
            ("content/a/pic.png", b"png"),
            ("content/.hidden.md", b"# h"),
            ("public/old.md", b"# old"),
        ]);
        let loaded = load(SiteConfig::load(dir.path()).unwrap());
        let rels: Vec<_> = loaded.sources.iter().map(|s| s.rel.as_str()).collect();
        assert_eq!(rels, ["a/c.md", "b.md"]);
        assert_eq!(loaded.assets[0].rel, "a/pic.png");
        assert!(loaded.diagnostics.0.is_empty());
    }

    #[test]
    fn non_utf8_names_the_file_and_line() {
        let dir = site(&[("content/gbk.md", b"---\ntitle: ok\n---\n\xd6\xd0\xce\xc4\n")]);
        let loaded = load(SiteConfig::load(dir.path()).unwrap());
        let d = &loaded.diagnostics.0[0];
        assert_eq!(d.code, "E0003");
        assert_eq!(d.location.as_ref().unwrap().line, 4);
        assert!(loaded.sources.is_empty());
        assert_eq!(loaded.unreadable, ["gbk.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_outside_the_site_and_loops_are_errors() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), "# secret").unwrap();
        let dir = site(&[("content/a.md", b"# a")]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            dir.path().join("content/s.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path().join("content"), dir.path().join("content/loop"))
            .unwrap();
        let loaded = load(SiteConfig::load(dir.path()).unwrap());
        let codes: Vec<_> = loaded.diagnostics.0.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0005", "E0005"], "{:?}", loaded.diagnostics);
        assert_eq!(loaded.sources.len(), 1);
    }
}
