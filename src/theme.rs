//! Themes: the Tera templates and static files a site is rendered with.
//!
//! The default theme is compiled into the binary (so an installed `svcbook` needs
//! no files beside it). A site overrides it in layers, later winning:
//! built-in `themes/default/` → the site's `themes/<name>/` → the site's `templates/`
//! (templates) and `static/` (files copied to the site root).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::access::{self, AccessError, Policy, MAX_STATIC_BYTES, MAX_TEXT_BYTES};
use crate::diagnostics::{Diagnostic, Location};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's source and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub origin: PathBuf,
    pub text: String,
}

/// Everything a theme contributes, after overrides.
#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`article.html`, `partials/x.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output path relative to the site root → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Output path of each static file → the file it came from, for messages.
    pub static_origins: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Loads the built-in theme, then the site's layers on top. Every file is
    /// read through the site's file policy: a `templates/`, `static/` or theme
    /// folder that is a link out of the site is refused, and so is a special file.
    pub fn load(site_dir: &Path, theme_name: &str) -> Result<Theme, Diagnostic> {
        let policy = Policy::new(site_dir);
        let mut theme = Theme::default();
        theme.add_builtin();
        let site_theme = site_dir.join("themes").join(theme_name);
        let theme_dir = policy
            .folder(&site_theme)
            .map_err(|e| e.diagnostic(&site_theme))?;
        if theme_dir.is_some() {
            theme.add_dir(&policy, &site_theme.join("templates"), Layer::Templates)?;
            theme.add_dir(&policy, &site_theme.join("static"), Layer::ThemeStatic)?;
        } else if theme_name != "default" {
            return Err(
                Diagnostic::error("E0002", format!("theme `{theme_name}` not found"))
                    .at(Location::file(&site_dir.join(crate::config::CONFIG_FILE)))
                    .field("theme")
                    .hint(format!(
                        "create {} or remove the `theme` key",
                        site_theme.display()
                    )),
            );
        }
        theme.add_dir(&policy, &site_dir.join("templates"), Layer::Templates)?;
        theme.add_dir(&policy, &site_dir.join("static"), Layer::SiteStatic)?;
        Ok(theme)
    }

    /// The literal `id="…"` values of every template: element ids a page has
    /// before its body is added, which no heading anchor may take.
    pub fn element_ids(&self) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for source in self.templates.values() {
            let mut rest = source.text.as_str();
            while let Some(at) = rest.find(" id=\"") {
                rest = &rest[at + 5..];
                let Some(end) = rest.find('"') else { break };
                let id = &rest[..end];
                if !id.is_empty() && !id.contains(['{', '}', '<', '>']) {
                    ids.insert(id.to_string());
                }
                rest = &rest[end..];
            }
        }
        ids
    }

    pub(crate) fn add_builtin(&mut self) {
        for file in all_files(&DEFAULT_THEME) {
            let path = file.path();
            let rel = path.to_string_lossy().replace('\\', "/");
            if let Some(name) = rel.strip_prefix("templates/") {
                self.templates.insert(
                    name.to_string(),
                    TemplateSource {
                        origin: PathBuf::from("(built-in theme)/templates").join(name),
                        text: String::from_utf8_lossy(file.contents()).into_owned(),
                    },
                );
            } else if let Some(name) = rel.strip_prefix("static/") {
                let out = format!("assets/{name}");
                self.static_files
                    .insert(out.clone(), file.contents().to_vec());
                self.static_origins
                    .insert(out, PathBuf::from("(built-in theme)/static").join(name));
            }
        }
    }

    fn add_dir(&mut self, policy: &Policy, dir: &Path, layer: Layer) -> Result<(), Diagnostic> {
        if policy.folder(dir).map_err(|e| e.diagnostic(dir))?.is_none() {
            return Ok(());
        }
        let walk = policy.walk(dir, |_| false);
        if let Some((path, e)) = walk.refused.into_iter().next() {
            return Err(e.diagnostic(&path));
        }
        let limit = match layer {
            Layer::Templates => MAX_TEXT_BYTES,
            Layer::ThemeStatic | Layer::SiteStatic => MAX_STATIC_BYTES,
        };
        for found in walk.files {
            let rel = crate::load::relative_slash_path(&found.path, dir);
            // Templates are HTML (or XML); a docs repository's `templates/`
            // of LaTeX or Word files for other tools is not svcbook's.
            if matches!(layer, Layer::Templates)
                && !(rel.ends_with(".html") || rel.ends_with(".xml"))
            {
                continue;
            }
            if !found.regular {
                return Err(AccessError::NotRegular(found.kind).diagnostic(&found.path));
            }
            let bytes =
                access::read_regular(&found.real, limit).map_err(|e| e.diagnostic(&found.path))?;
            match layer {
                Layer::Templates => {
                    let text = String::from_utf8(bytes).map_err(|_| {
                        Diagnostic::error("E0003", "template is not valid UTF-8")
                            .at(Location::file(&found.path))
                    })?;
                    self.templates.insert(
                        rel,
                        TemplateSource {
                            origin: found.path.clone(),
                            text,
                        },
                    );
                }
                Layer::ThemeStatic => {
                    let out = format!("assets/{rel}");
                    self.static_files.insert(out.clone(), bytes);
                    self.static_origins.insert(out, found.path.clone());
                }
                Layer::SiteStatic => {
                    self.static_files.insert(rel.clone(), bytes);
                    self.static_origins.insert(rel, found.path.clone());
                }
            }
        }
        Ok(())
    }
}

enum Layer {
    Templates,
    ThemeStatic,
    SiteStatic,
}

/// Every file under an embedded folder, depth first.
pub(crate) fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(all_files(sub));
    }
    out
}

/// The built-in archetype of a kind for `svcbook new`
/// (`themes/default/archetypes/<kind>.md`), if there is one.
pub fn builtin_archetype(kind_name: &str) -> Option<&'static str> {
    DEFAULT_THEME
        .get_file(format!("archetypes/{kind_name}.md"))
        .and_then(|f| f.contents_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_has_the_core_templates() {
        let theme = Theme::load(Path::new("/nonexistent-site"), "default").unwrap();
        for name in [
            "base.html",
            "article.html",
            "index.html",
            "kind.html",
            "404.html",
        ] {
            assert!(theme.templates.contains_key(name), "missing {name}");
        }
        assert!(theme.static_files.contains_key("assets/style.css"));
    }

    #[test]
    fn site_templates_override_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "mine").unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        assert_eq!(theme.templates["404.html"].text, "mine");
        assert_eq!(
            theme.templates["404.html"].origin,
            dir.path().join("templates/404.html")
        );
    }

    #[test]
    fn element_ids_are_the_literal_ids_of_the_templates() {
        let theme = Theme::load(Path::new("/nonexistent-site"), "default").unwrap();
        let ids = theme.element_ids();
        assert!(ids.contains("main"), "{ids:?}");
        assert!(ids.iter().all(|id| !id.contains('{')), "{ids:?}");
    }

    #[test]
    fn unknown_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = Theme::load(dir.path(), "fancy").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("theme"));
    }
}
