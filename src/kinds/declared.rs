//! A site's own kinds, declared in `svcbook.toml`:
//!
//! ```toml
//! [[kinds]]
//! name = "recall"            # the value of `kind:`
//! folder = "recalls"         # content folder and URL section
//! id_prefix = "RC"           # `svcbook new recall` → RC-0001
//! label = "召回通知"
//! tone = "warn"              # badge colour: danger ok violet warn accent neutral
//! sections = ["范围", "处理办法"]
//!
//! [[kinds.fields]]
//! key = "batch"
//! label = "批次"
//! type = "string"            # string list enum date duration reference
//! required = true
//! search = true              # its values are searchable text
//! choices = [{ name = "a", label = "甲" }]   # enum only
//! ```
//!
//! Every rule is checked here, once, when the configuration loads; the kinds
//! then join the registry and no later stage knows they were declared.

use serde::Deserialize;

use super::{BodyLayout, FieldSpec, FieldType, Kind, KindSpec, Registry, Show, Tone};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDecl {
    pub name: String,
    pub folder: String,
    pub id_prefix: String,
    pub label: String,
    #[serde(default)]
    pub tone: Option<String>,
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub fields: Vec<FieldDecl>,
    /// A string or enum field whose values group the kind's index page.
    #[serde(default)]
    pub group_by: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDecl {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub search: bool,
    /// Shown in the article's panel (default yes).
    #[serde(default = "yes")]
    pub panel: bool,
    #[serde(default)]
    pub choices: Vec<ChoiceDecl>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDecl {
    pub name: String,
    pub label: String,
}

/// A broken declaration: which field of which `[[kinds]]` entry, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DeclError {
    /// `kinds[1].fields[0].type`
    pub field: String,
    pub message: String,
}

/// Keys every kind has; a declared field may not take one of them.
pub const COMMON_KEYS: &[&str] = &[
    "title",
    "id",
    "kind",
    "summary",
    "tags",
    "products",
    "audience",
    "status",
    "version",
    "updated",
    "review_by",
    "owner",
    "related",
    "weight",
    "changelog",
    // Hugo's, for migrated trees: `draft: true` is `status: draft`,
    // `lastmod` or `date` stand for `updated`, and `aliases` are old URLs.
    "draft",
    "date",
    "lastmod",
    "aliases",
];

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks the declarations and returns the site's registry.
pub fn registry(decls: &[KindDecl]) -> Result<Registry, DeclError> {
    let mut own: Vec<Kind> = Vec::new();
    for (i, d) in decls.iter().enumerate() {
        let err = |field: &str, message: String| DeclError {
            field: format!(
                "kinds[{i}]{}{field}",
                if field.is_empty() { "" } else { "." }
            ),
            message,
        };
        let taken = Registry::with(own.clone());
        if !plain_name(&d.name) {
            return Err(err(
                "name",
                format!(
                    "kind name `{}` must be lowercase letters, digits and `_`",
                    d.name
                ),
            ));
        }
        if taken.by_name(&d.name).is_some() {
            return Err(err(
                "name",
                format!("there is already a kind named `{}`", d.name),
            ));
        }
        let folder_ok = !d.folder.is_empty()
            && !d.folder.starts_with(['.', '-'])
            && d.folder
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !folder_ok {
            return Err(err(
                "folder",
                format!(
                    "folder `{}` must be lowercase letters, digits, `-` and `_`",
                    d.folder
                ),
            ));
        }
        if let Some(other) = taken.by_folder(&d.folder) {
            return Err(err(
                "folder",
                format!("the folder `{}` already belongs to `{other}`", d.folder),
            ));
        }
        if d.id_prefix.is_empty()
            || !d
                .id_prefix
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err(err(
                "id_prefix",
                format!(
                    "id_prefix `{}` must be capital letters and digits",
                    d.id_prefix
                ),
            ));
        }
        if let Some(other) = taken.all().find(|k| k.id_prefix() == d.id_prefix) {
            return Err(err(
                "id_prefix",
                format!(
                    "the id prefix `{}` already belongs to `{other}`",
                    d.id_prefix
                ),
            ));
        }
        if d.label.trim().is_empty() {
            return Err(err("label", "a kind needs a label".into()));
        }
        let tone = match &d.tone {
            None => Tone::Neutral,
            Some(t) => Tone::from_name(t).ok_or_else(|| {
                let names: Vec<&str> = Tone::ALL.iter().map(|t| t.name()).collect();
                err(
                    "tone",
                    format!("unknown tone `{t}`: expected one of {}", names.join(", ")),
                )
            })?,
        };
        let mut fields = Vec::new();
        let mut panel = Vec::new();
        for (j, f) in d.fields.iter().enumerate() {
            let ferr = |what: &str, message: String| err(&format!("fields[{j}].{what}"), message);
            if !plain_name(&f.key) {
                return Err(ferr(
                    "key",
                    format!(
                        "field key `{}` must be lowercase letters, digits and `_`",
                        f.key
                    ),
                ));
            }
            if COMMON_KEYS.contains(&f.key.as_str()) {
                return Err(ferr(
                    "key",
                    format!("`{}` is a key every kind has already", f.key),
                ));
            }
            if d.fields[..j].iter().any(|g| g.key == f.key) {
                return Err(ferr(
                    "key",
                    format!("the field `{}` is declared twice", f.key),
                ));
            }
            let ty = match f.ty.as_str() {
                "string" => FieldType::String,
                "list" => FieldType::List,
                "date" => FieldType::Date,
                "duration" => FieldType::Duration,
                "reference" => FieldType::Reference,
                "enum" => {
                    if f.choices.is_empty() {
                        return Err(ferr(
                            "choices",
                            "an enum field needs `choices = [{ name = \"…\", label = \"…\" }]`"
                                .into(),
                        ));
                    }
                    for c in &f.choices {
                        if !plain_name(&c.name) {
                            return Err(ferr(
                                "choices",
                                format!(
                                    "choice `{}` must be lowercase letters, digits and `_`",
                                    c.name
                                ),
                            ));
                        }
                    }
                    let choices: Vec<(&'static str, &'static str)> = f
                        .choices
                        .iter()
                        .map(|c| (leak(&c.name), leak(&c.label)))
                        .collect();
                    FieldType::Enum(Box::leak(choices.into_boxed_slice()))
                }
                other => {
                    return Err(ferr(
                        "type",
                        format!(
                            "unknown field type `{other}`: expected one of {}",
                            FieldType::DECLARABLE.join(", ")
                        ),
                    ))
                }
            };
            if !f.choices.is_empty() && f.ty != "enum" {
                return Err(ferr("choices", "only an enum field has choices".into()));
            }
            let key = leak(&f.key);
            fields.push(FieldSpec {
                key,
                label: leak(&f.label),
                ty,
                required: f.required,
                searched: f.search,
            });
            if f.panel {
                panel.push((key, Show::Row));
            }
        }
        let group_by = match &d.group_by {
            None => None,
            Some(key) => match fields.iter().find(|f| f.key == key.as_str()) {
                Some(f) if matches!(f.ty, FieldType::String | FieldType::Enum(_)) => Some(f.key),
                _ => {
                    return Err(err(
                        "group_by",
                        format!(
                            "`group_by` must name a string or enum field of the kind, not `{key}`"
                        ),
                    ))
                }
            },
        };
        let sections: Vec<&'static str> = d.sections.iter().map(|s| leak(s)).collect();
        let spec = KindSpec {
            name: leak(&d.name),
            folder: Some(leak(&d.folder)),
            id_prefix: leak(&d.id_prefix),
            label: leak(d.label.trim()),
            tone,
            fields: Box::leak(fields.into_boxed_slice()),
            panel: Box::leak(panel.into_boxed_slice()),
            sections: Box::leak(sections.into_boxed_slice()),
            steps: false,
            layout: BodyLayout::Plain,
            group_by,
            // After the built-in kinds, in the order declared; before pages.
            order: 100 + i as u16,
        };
        own.push(Kind::new(Box::leak(Box::new(spec))));
    }
    Ok(Registry::with(own))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<Registry, DeclError> {
        #[derive(Deserialize)]
        struct File {
            kinds: Vec<KindDecl>,
        }
        let file: File = toml::from_str(toml_text).unwrap();
        registry(&file.kinds)
    }

    #[test]
    fn a_declared_kind_joins_the_registry() {
        let r = parse(
            r#"
[[kinds]]
name = "recall"
folder = "recalls"
id_prefix = "RC"
label = "召回通知"
tone = "warn"
[[kinds.fields]]
key = "urgency"
label = "紧急程度"
type = "enum"
choices = [{ name = "high", label = "高" }, { name = "low", label = "低" }]
"#,
        )
        .unwrap();
        let recall = r.by_folder("recalls").unwrap();
        assert_eq!(recall.label(), "召回通知");
        assert_eq!(recall.field("urgency").unwrap().ty.name(), "enum");
        assert_eq!(r.all().last(), Some(Kind::PAGE));
        assert!(r.stylesheet().contains(".kind-recall.badge"));
    }

    #[test]
    fn clashes_and_bad_types_are_refused_naming_the_field() {
        let base = "[[kinds]]\nname = \"x\"\nfolder = \"xs\"\nid_prefix = \"X\"\nlabel = \"X\"\n";
        let e = parse(&base.replace("\"xs\"", "\"faqs\"")).unwrap_err();
        assert_eq!(e.field, "kinds[0].folder");
        assert!(e.message.contains("faq"), "{}", e.message);
        let e = parse(&base.replace("\"X\"\nlabel", "\"FC\"\nlabel")).unwrap_err();
        assert_eq!(e.field, "kinds[0].id_prefix");
        let e = parse(&format!(
            "{base}[[kinds.fields]]\nkey = \"n\"\nlabel = \"n\"\ntype = \"number\"\n"
        ))
        .unwrap_err();
        assert_eq!(e.field, "kinds[0].fields[0].type");
        assert!(e.message.contains("string, list, enum"), "{}", e.message);
        let e = parse(&format!(
            "{base}[[kinds.fields]]\nkey = \"title\"\nlabel = \"n\"\ntype = \"string\"\n"
        ))
        .unwrap_err();
        assert_eq!(e.field, "kinds[0].fields[0].key");
        let e = parse(&format!(
            "{base}[[kinds.fields]]\nkey = \"e\"\nlabel = \"n\"\ntype = \"enum\"\n"
        ))
        .unwrap_err();
        assert_eq!(e.field, "kinds[0].fields[0].choices");
    }
}
