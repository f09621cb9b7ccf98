//! Stage 1 — load: find the site's Markdown and asset files and read them.
//!
//! Nothing is interpreted here; the stage only guarantees that what it hands on is
//! inside the site, readable, UTF-8 and of sane size, so that later stages can be
//! pure functions over text.

use std::path::{Path, PathBuf};

use crate::access::{self, AccessError};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::frontmatter;
use crate::theme::Theme;

pub use crate::access::MAX_ARTICLE_BYTES;

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
    pub paths: Vec<crate::learning_paths::PathSource>,
    /// Content-relative paths of Markdown files that could not be read (their
    /// error is in `diagnostics`), so links to them are not reported again.
    pub unreadable: Vec<String>,
    /// The theme after the site's overrides; `None` when it could not be loaded
    /// (its error is in `diagnostics`).
    pub theme: Option<Theme>,
    pub diagnostics: Diagnostics,
}

/// An SVG opened on its own (a link to it, not an `<img>`) is a document that
/// runs its scripts with the site's origin. Under the escape policy no author
/// markup may execute, so an SVG that could run script — or that is not
/// well-formed enough to tell — is refused, naming the line ([`crate::svg`]).
fn svg_problem(real: &Path, shown: &Path) -> Option<Diagnostic> {
    let bytes = match access::read_regular(real, access::MAX_SVG_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => return Some(e.diagnostic(shown)),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Some(
            Diagnostic::error(
                "E0007",
                "this SVG is not UTF-8 text, so what it would run cannot be checked",
            )
            .at(Location::file(shown))
            .hint("save it as UTF-8"),
        );
    };
    let refusal = crate::svg::check(&text)?;
    let d = if refusal.malformed {
        Diagnostic::error("E0007", format!("{}, so what it would run cannot be checked", refusal.reason))
            .hint("fix the file (an editor or `xmllint --noout` shows where), or set `raw_html = \"allow\"` under [markdown] if every author is trusted")
    } else {
        Diagnostic::error("E0006", format!("this SVG carries script ({}), which would run when the file is opened", refusal.reason))
            .hint("remove the script or event handler, or set `raw_html = \"allow\"` under [markdown] if every author is trusted")
    };
    Some(
        d.at(Location::new(shown, refusal.line, refusal.column))
            .with_source_line(&text),
    )
}

/// Walks the content folder. Unreadable, oversized, special or escaping files
/// become diagnostics; everything else is returned sorted by path, so the build
/// is deterministic whatever order the file system lists entries in.
pub fn load(config: SiteConfig) -> LoadedSite {
    let mut diagnostics = Diagnostics::default();
    let mut sources = Vec::new();
    let mut assets = Vec::new();
    let mut unreadable = Vec::new();
    let policy = config.access_policy();
    let content = &config.content_dir;
    let site_root = access::canonical(&config.site_dir);
    let output = access::canonical(&config.output_dir);
    let content_is_root = access::canonical(content) == site_root;

    let walk = policy.walk(content, |e| {
        if !e.file_type().is_dir() {
            return false;
        }
        if access::canonical(e.path()) == output {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        content_is_root && e.depth() == 1 && NON_CONTENT_DIRS.contains(&name.as_ref())
    });
    for (path, e) in walk.refused {
        diagnostics.push(e.diagnostic(&display(&path)));
    }
    for found in walk.files {
        let path = found.path.as_path();
        let shown = display(path);
        let rel = relative_slash_path(path, content);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let is_markdown = ext == "md" || ext == "markdown";
        if !is_markdown && !ASSET_EXTENSIONS.contains(&ext.as_str()) {
            continue;
        }
        if !found.regular {
            diagnostics.push(AccessError::NotRegular(found.kind).diagnostic(&shown));
            if is_markdown {
                unreadable.push(rel);
            }
            continue;
        }
        if is_markdown {
            match read_article(&found.real, &shown) {
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
        } else {
            if ext == "svg" && config.markdown.raw_html == crate::config::RawHtmlPolicy::Escape {
                if let Some(d) = svg_problem(&found.real, &shown) {
                    diagnostics.push(d);
                    continue;
                }
            }
            assets.push(AssetFile {
                rel,
                abs: found.real,
            });
        }
    }
    let (paths, path_diagnostics) = crate::learning_paths::load(&config.site_dir, &policy);
    diagnostics.extend(path_diagnostics);
    let theme = match Theme::load(&config.site_dir, &config.theme) {
        Ok(theme) => Some(theme),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    LoadedSite {
        config,
        sources,
        assets,
        paths,
        unreadable,
        theme,
        diagnostics,
    }
}

/// Reads one Markdown file as `load` does (`real` is where it really is, see
/// [`access::Policy::resolve`]); `svcbook serve` re-reads an edited one.
pub(crate) fn read_article(real: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = access::read_regular(real, MAX_ARTICLE_BYTES).map_err(|e| {
        let d = e.diagnostic(shown);
        if matches!(e, AccessError::TooLarge { .. }) {
            d.hint("split it into several articles")
        } else {
            d
        }
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

/// Drops a leading `./` so messages read `content/a.md:3`.
fn display(path: &Path) -> PathBuf {
    access::shown(path)
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
