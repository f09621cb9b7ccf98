//! Site configuration: `svcbook.toml` at the site root, optional.
//!
//! Every key has a default so that a bare folder of Markdown builds. The file is
//! parsed strictly (unknown keys are errors) because a typo in config silently
//! changing the output is worse than a failed build.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::access::{Policy, MAX_TEXT_BYTES};
use crate::diagnostics::{Diagnostic, Location};

/// File name of the optional site configuration.
pub const CONFIG_FILE: &str = "svcbook.toml";

/// What to do with raw HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RawHtmlPolicy {
    /// Show raw HTML as text. The default: knowledge-base articles are written by
    /// many hands and pasted from tickets, so markup must never execute.
    #[default]
    Escape,
    /// Pass raw HTML through unchanged (trusted sites only).
    Allow,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub raw_html: RawHtmlPolicy,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Groups of words that mean the same, written `"退货 = 退款"`; applied at query time.
    pub synonyms: Vec<String>,
}

impl SearchConfig {
    /// Synonym groups split on `=`, each word trimmed, empty words dropped.
    pub fn synonym_groups(&self) -> Vec<Vec<String>> {
        self.synonyms
            .iter()
            .map(|line| {
                line.split('=')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|group| group.len() > 1)
            .collect()
    }
}

/// `[offline]`: the service worker that keeps the site readable without a
/// network when it is opened over http(s). (From `file://` the site works
/// offline anyway, and a service worker cannot run there.)
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OfflineConfig {
    /// Write `sw.js` and `offline.json` and register the worker.
    pub enabled: bool,
    /// The search runtime and index are cached when the site is first opened
    /// if together they are at most this many megabytes (MB = 10^6 bytes);
    /// larger ones are cached as they are used, or with "save for offline".
    pub search_precache_mb: f64,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        OfflineConfig {
            enabled: true,
            search_precache_mb: 10.0,
        }
    }
}

impl OfflineConfig {
    pub fn search_precache_bytes(&self) -> u64 {
        (self.search_precache_mb.max(0.0) * 1e6) as u64
    }
}

/// `[feedback]`: an optional "did this help?" link under every article.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FeedbackConfig {
    /// An `https://`, `http://` or `mailto:` URL; `{id}`, `{version}` and
    /// `{title}` are replaced by the article's (URL-encoded). Empty: no link.
    pub url: String,
    /// The link's text.
    pub label: String,
}

impl FeedbackConfig {
    /// The link for one article: `{id}`, `{version}` and `{title}` replaced by
    /// the article's, percent-encoded (so they are safe in a query or a mailto
    /// subject); `None` when no URL is configured.
    pub fn link(&self, id: &str, version: Option<&str>, title: &str) -> Option<String> {
        let url = self.url.trim();
        if url.is_empty() {
            return None;
        }
        Some(
            url.replace("{id}", &encode_component(id))
                .replace("{version}", &encode_component(version.unwrap_or("")))
                .replace("{title}", &encode_component(title)),
        )
    }

    pub fn label(&self) -> &str {
        if self.label.trim().is_empty() {
            "这篇文章没有帮到你？告诉我们"
        } else {
            self.label.trim()
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Entries per listing page unless `paginate_by` says otherwise: a page of
/// 200 article cards is ~80 KB, quick on a phone on a weak signal, and a
/// 50,000-article knowledge base's biggest listing stays far under the
/// 10 MiB a static host takes for one file.
pub const DEFAULT_PAGINATE_BY: usize = 200;

/// The raw file, as written by the user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ConfigFile {
    title: String,
    description: String,
    language: String,
    base_url: String,
    content_dir: Option<PathBuf>,
    output_dir: PathBuf,
    theme: String,
    paginate_by: usize,
    markdown: MarkdownConfig,
    search: SearchConfig,
    offline: OfflineConfig,
    feedback: FeedbackConfig,
    /// The site's own kinds (`[[kinds]]`), see [`crate::kinds::declared`].
    kinds: Vec<crate::kinds::declared::KindDecl>,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            title: "Service Knowledge Base".into(),
            description: String::new(),
            language: "zh-CN".into(),
            base_url: String::new(),
            content_dir: None,
            output_dir: PathBuf::from("public"),
            theme: "default".into(),
            paginate_by: DEFAULT_PAGINATE_BY,
            markdown: MarkdownConfig::default(),
            search: SearchConfig::default(),
            offline: OfflineConfig::default(),
            feedback: FeedbackConfig::default(),
            kinds: Vec::new(),
        }
    }
}

/// The resolved configuration: paths are absolute-or-relative-to-cwd, ready to use.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub site_dir: PathBuf,
    pub title: String,
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Absolute URL the site is published at, used only where a format demands
    /// absolute URLs (sitemap, feeds). Pages themselves use relative URLs.
    pub base_url: String,
    pub content_dir: PathBuf,
    /// Whether `content_dir` was set in `svcbook.toml` (a folder the user named
    /// may lie outside the site folder; the default `content/` may not).
    pub content_dir_configured: bool,
    pub output_dir: PathBuf,
    /// Theme name; `themes/<name>/` in the site overrides the built-in default theme.
    pub theme: String,
    /// Entries per page of a listing (a kind's index, a term's page, the
    /// time limits, the review report…): a longer listing continues on
    /// `…/page/2.html` and on.
    pub paginate_by: usize,
    pub markdown: MarkdownConfig,
    pub search: SearchConfig,
    pub offline: OfflineConfig,
    pub feedback: FeedbackConfig,
    /// Every kind of the site: the built-in ones and its own `[[kinds]]`.
    pub kinds: crate::kinds::Registry,
}

impl SiteConfig {
    /// Reads `SITE_DIR/svcbook.toml` if present, else uses defaults. A file
    /// that is there but cannot be read — a folder, a FIFO, a link out of the
    /// site or to a device, no permission — is an error, never the defaults.
    ///
    /// `content/` is used when it exists; otherwise the site folder itself is the
    /// content, so that any folder of Markdown docs builds as it is. A `content`
    /// that is a file (or a link out of the site) is an error.
    pub fn load(site_dir: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = site_dir.join(CONFIG_FILE);
        let policy = Policy::new(site_dir);
        let file = if std::fs::symlink_metadata(&path).is_ok() {
            let bytes = policy.read(&path, MAX_TEXT_BYTES).map_err(|e| {
                Diagnostic::error("E0001", format!("cannot read {CONFIG_FILE}: {e}"))
                    .at(Location::file(&crate::access::shown(&path)))
                    .hint("svcbook.toml must be a regular file of the site folder; delete it to use the defaults")
            })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::error(
                    "E0001",
                    format!("cannot read {CONFIG_FILE}: it is not UTF-8 text"),
                )
                .at(Location::file(&path))
            })?;
            parse_config(&path, text.strip_prefix('\u{feff}').unwrap_or(&text))?
        } else {
            ConfigFile::default()
        };
        let content_dir_configured = file.content_dir.is_some();
        let content_dir = match file.content_dir {
            Some(dir) => site_dir.join(dir),
            None => {
                let default = site_dir.join("content");
                match policy.folder(&default) {
                    Ok(Some(_)) => default,
                    Ok(None) => site_dir.to_path_buf(),
                    Err(e) => {
                        return Err(e
                            .diagnostic(&default)
                            .hint("`content` must be the folder of the articles; rename the file, or set `content_dir` in svcbook.toml"))
                    }
                }
            }
        };
        if content_dir_configured {
            let allowed = policy.clone().allowing(&content_dir);
            match allowed.folder(&content_dir) {
                Ok(Some(_)) => {}
                Ok(None) => {
                    return Err(Diagnostic::error(
                        "E0002",
                        format!(
                            "`content_dir` names {}, which does not exist",
                            content_dir.display()
                        ),
                    )
                    .at(Location::file(&path))
                    .field("content_dir"))
                }
                Err(e) => return Err(e.diagnostic(&content_dir).field("content_dir")),
            }
        }
        let url = file.feedback.url.trim();
        if !url.is_empty()
            && !["https://", "http://", "mailto:"].iter().any(|scheme| {
                url.len() > scheme.len() && url[..scheme.len()].eq_ignore_ascii_case(scheme)
            })
        {
            return Err(Diagnostic::error(
                "E0002",
                format!(
                    "`feedback.url` must start with https://, http:// or mailto: (got `{url}`)"
                ),
            )
            .at(Location::file(&path))
            .field("feedback.url")
            .hint("e.g. url = \"mailto:kb@example.com?subject={id}%20v{version}\""));
        }
        if !(file.offline.search_precache_mb.is_finite() && file.offline.search_precache_mb >= 0.0)
        {
            return Err(Diagnostic::error(
                "E0002",
                "`offline.search_precache_mb` must be a number of megabytes, 0 or more",
            )
            .at(Location::file(&path))
            .field("offline.search_precache_mb"));
        }
        if file.paginate_by == 0 {
            return Err(Diagnostic::error(
                "E0002",
                "`paginate_by` must be 1 or more: the number of entries on one page of a listing",
            )
            .at(Location::file(&path))
            .field("paginate_by")
            .hint(format!("the default is {DEFAULT_PAGINATE_BY}; a large number keeps each listing on one page")));
        }
        let kinds = crate::kinds::declared::registry(&file.kinds).map_err(|e| {
            Diagnostic::error("E0002", format!("invalid {CONFIG_FILE}: {}", e.message))
                .at(Location::file(&path))
                .field(e.field.clone())
                .hint("see README, \"Adding a kind\"")
        })?;
        let mut base_url = file.base_url;
        if !base_url.is_empty() && !base_url.ends_with('/') {
            base_url.push('/');
        }
        Ok(SiteConfig {
            site_dir: site_dir.to_path_buf(),
            title: file.title,
            description: file.description,
            language: file.language,
            base_url,
            content_dir,
            content_dir_configured,
            output_dir: site_dir.join(file.output_dir),
            theme: file.theme,
            paginate_by: file.paginate_by,
            markdown: file.markdown,
            search: file.search,
            offline: file.offline,
            feedback: file.feedback,
            kinds,
        })
    }

    /// The file-access policy of this site: the site folder, and the content
    /// folder when `content_dir` names one outside it.
    pub fn access_policy(&self) -> Policy {
        let policy = Policy::new(&self.site_dir);
        if self.content_dir_configured {
            policy.allowing(&self.content_dir)
        } else {
            policy
        }
    }
}

fn parse_config(path: &Path, text: &str) -> Result<ConfigFile, Diagnostic> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| crate::diagnostics::line_col(text, span.start))
            .unwrap_or((1, 1));
        Diagnostic::error("E0002", format!("invalid {CONFIG_FILE}: {}", e.message()))
            .at(Location::new(path, line, column))
            .with_source_line(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonym_lines_become_groups() {
        let cfg = SearchConfig {
            synonyms: vec![
                "退货 = 退款".into(),
                " 保修=质保 = 三包 ".into(),
                "孤词".into(),
            ],
        };
        assert_eq!(
            cfg.synonym_groups(),
            vec![vec!["退货", "退款"], vec!["保修", "质保", "三包"]]
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_a_line() {
        let err = parse_config(
            Path::new("svcbook.toml"),
            "title = \"x\"\n\ntitel = \"y\"\n",
        )
        .unwrap_err();
        assert_eq!(err.location.as_ref().unwrap().line, 3);
        assert!(err.message.contains("titel"), "{}", err.message);
    }

    #[test]
    fn feedback_link_is_off_by_default_and_encodes_the_article() {
        assert_eq!(FeedbackConfig::default().link("FC-1", None, "x"), None);
        let cfg = FeedbackConfig {
            url: "mailto:kb@example.com?subject={id}%20v{version}&body={title}".into(),
            label: String::new(),
        };
        assert_eq!(
            cfg.link("FC-1", Some("1.2"), "不制冷 & E04").unwrap(),
            "mailto:kb@example.com?subject=FC-1%20v1.2&body=%E4%B8%8D%E5%88%B6%E5%86%B7%20%26%20E04"
        );
    }

    #[test]
    fn a_feedback_url_must_be_a_link_a_reader_can_follow() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[feedback]\nurl = \"javascript:alert(1)\"\n",
        )
        .unwrap();
        let err = SiteConfig::load(dir.path()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("feedback.url"), "{err:?}");
        assert!(err.message.contains("mailto:"), "{}", err.message);
    }

    #[test]
    fn listings_hold_200_entries_a_page_unless_paginate_by_says_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(SiteConfig::load(dir.path()).unwrap().paginate_by, 200);
        std::fs::write(dir.path().join(CONFIG_FILE), "paginate_by = 25\n").unwrap();
        assert_eq!(SiteConfig::load(dir.path()).unwrap().paginate_by, 25);
        std::fs::write(dir.path().join(CONFIG_FILE), "paginate_by = 0\n").unwrap();
        let err = SiteConfig::load(dir.path()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("paginate_by"), "{err:?}");
        std::fs::write(dir.path().join(CONFIG_FILE), "paginate_by = -1\n").unwrap();
        let err = SiteConfig::load(dir.path()).unwrap_err();
        assert_eq!(err.location.unwrap().line, 1, "{}", err.message);
    }

    #[test]
    fn missing_config_uses_site_dir_as_content() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = SiteConfig::load(dir.path()).unwrap();
        assert_eq!(cfg.content_dir, dir.path());
        assert_eq!(cfg.language, "zh-CN");
        assert_eq!(cfg.output_dir, dir.path().join("public"));
    }
}
