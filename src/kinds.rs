//! The kind registry: one entry describes a kind end to end — its folder, id
//! prefix, label (pages, badges, facets, the search script), typed fields with
//! their types and rules, the body sections it should have, its panel rows,
//! its archetype and what search indexes of it.
//!
//! The built-in kinds are the constants below; a site declares its own in
//! `svcbook.toml` (`[[kinds]]`, read by [`crate::config`]) and they join the
//! same registry, so every stage treats them alike. Nothing else in the code
//! lists kinds: a new built-in kind is one more entry in [`BUILTIN`].

use std::fmt;

use serde::Serialize;

mod builtin;
pub mod declared;

/// The colour a kind's badge wears: the theme's palette, not one rule per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Danger,
    Ok,
    Violet,
    Warn,
    Accent,
    Neutral,
}

impl Tone {
    pub const ALL: [Tone; 6] = [
        Tone::Danger,
        Tone::Ok,
        Tone::Violet,
        Tone::Warn,
        Tone::Accent,
        Tone::Neutral,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tone::Danger => "danger",
            Tone::Ok => "ok",
            Tone::Violet => "violet",
            Tone::Warn => "warn",
            Tone::Accent => "accent",
            Tone::Neutral => "neutral",
        }
    }

    pub fn from_name(name: &str) -> Option<Tone> {
        Tone::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// What a typed field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// One line of text.
    String,
    /// A list of short texts (a single text counts as a list of one).
    List,
    /// One of a closed set: `(name, label)` pairs.
    Enum(&'static [(&'static str, &'static str)]),
    /// `YYYY-MM-DD`.
    Date,
    /// `{ value: 7, unit: working_days }` or `24h`, `30d`, `7wd`, `45min`.
    Duration,
    /// Ids of other articles; each must exist.
    Reference,
    /// Playbooks' escalation steps: `[{ after: 24h, to: 主管 }]`.
    Escalation,
    /// Standards' service levels: `[{ metric: …, target: 24, unit: hours }]`.
    Sla,
}

impl FieldType {
    /// The name used in `svcbook.toml` (`type = "enum"`).
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::List => "list",
            FieldType::Enum(_) => "enum",
            FieldType::Date => "date",
            FieldType::Duration => "duration",
            FieldType::Reference => "reference",
            FieldType::Escalation => "escalation",
            FieldType::Sla => "sla",
        }
    }

    /// The types a site's own kinds may use.
    pub const DECLARABLE: [&'static str; 6] =
        ["string", "list", "enum", "date", "duration", "reference"];
}

/// How the article's panel shows a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Not in the panel.
    Hidden,
    /// A label/value row of the panel grid (lists joined with `、`).
    Row,
    /// A bulleted block under the grid (safety notes).
    Bullets,
    /// The escalation ladder.
    Escalation,
    /// The service-level table.
    Sla,
}

/// One typed front-matter field of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    /// Chinese label in the panel and the archetype's comment.
    pub label: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Its values are searchable text of the article (the index's facts).
    pub searched: bool,
}

/// How the body is laid out on the article page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLayout {
    /// As written.
    Plain,
    /// Every `##` section is a question that opens to its answer
    /// (`<details>`), with schema.org `FAQPage` data.
    Accordion,
}

/// Everything about one kind.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    /// `fault_case`: the value of `kind:` and of the search filter.
    pub name: &'static str,
    /// The content folder that implies the kind, and its URL section.
    /// `None` only for plain pages.
    pub folder: Option<&'static str>,
    /// Prefix of generated ids (`svcbook new`).
    pub id_prefix: &'static str,
    /// Chinese label: badges, index pages, facets, search results.
    pub label: &'static str,
    pub tone: Tone,
    pub fields: &'static [FieldSpec],
    /// Keys of `fields` shown in the panel, in order, and how.
    pub panel: &'static [(&'static str, Show)],
    /// `##` sections the body should have (W0102 when missing).
    pub sections: &'static [&'static str],
    /// The body's `## 步骤` list becomes a checklist, and should exist (W0103).
    pub steps: bool,
    pub layout: BodyLayout,
    /// The field (a string or enum) whose values group the kind's index page.
    pub group_by: Option<&'static str>,
    /// Where the kind sorts among kinds (pages, navigation).
    pub order: u16,
}

/// The built-in kinds, in their order; plain pages last.
pub const BUILTIN: [Kind; 7] = [
    Kind(&builtin::FAULT_CASE),
    Kind(&builtin::PROCEDURE),
    Kind(&builtin::SCRIPT),
    Kind(&builtin::PLAYBOOK),
    Kind(&builtin::STANDARD),
    Kind(&builtin::FAQ),
    Kind(&builtin::PAGE),
];

/// A kind: a handle on its registry entry. Cheap to copy; equal by name.
#[derive(Clone, Copy)]
pub struct Kind(&'static KindSpec);

impl Kind {
    pub const FAULT_CASE: Kind = Kind(&builtin::FAULT_CASE);
    pub const PROCEDURE: Kind = Kind(&builtin::PROCEDURE);
    pub const FAQ: Kind = Kind(&builtin::FAQ);
    /// Plain pages: no folder, no schema.
    pub const PAGE: Kind = Kind(&builtin::PAGE);

    /// A kind for `spec`, which lives as long as the program (a site's own
    /// kinds are leaked once per configuration load: a few hundred bytes).
    pub fn new(spec: &'static KindSpec) -> Kind {
        Kind(spec)
    }

    pub fn spec(self) -> &'static KindSpec {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name
    }

    pub fn folder(self) -> Option<&'static str> {
        self.0.folder
    }

    pub fn label(self) -> &'static str {
        self.0.label
    }

    pub fn id_prefix(self) -> &'static str {
        self.0.id_prefix
    }

    pub fn tone(self) -> Tone {
        self.0.tone
    }

    /// A kind with a folder, an index page and a schema (not a plain page).
    pub fn is_typed(self) -> bool {
        self.0.folder.is_some()
    }

    pub fn is_page(self) -> bool {
        self.0.folder.is_none()
    }

    pub fn field(self, key: &str) -> Option<&'static FieldSpec> {
        self.0.fields.iter().find(|f| f.key == key)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Kind {}

impl std::hash::Hash for Kind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Kind) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kind {
    fn cmp(&self, other: &Kind) -> std::cmp::Ordering {
        (self.0.order, self.0.name).cmp(&(other.0.order, other.0.name))
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kind({})", self.0.name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name)
    }
}

/// The kinds of one site: the built-in ones and the site's own, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    kinds: Vec<Kind>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            kinds: BUILTIN.to_vec(),
        }
    }
}

impl Registry {
    /// The built-in kinds plus `own` (already checked not to clash).
    pub fn with(own: Vec<Kind>) -> Registry {
        let mut kinds = BUILTIN.to_vec();
        kinds.extend(own);
        kinds.sort();
        Registry { kinds }
    }

    /// Every kind, plain pages included, in order.
    pub fn all(&self) -> impl Iterator<Item = Kind> + '_ {
        self.kinds.iter().copied()
    }

    /// The kinds with a folder and an index page, in order.
    pub fn typed(&self) -> impl Iterator<Item = Kind> + '_ {
        self.all().filter(|k| k.is_typed())
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.all().map(Kind::name).collect()
    }

    pub fn by_name(&self, name: &str) -> Option<Kind> {
        self.all().find(|k| k.name() == name)
    }

    pub fn by_folder(&self, folder: &str) -> Option<Kind> {
        self.typed().find(|k| k.folder() == Some(folder))
    }

    /// `fault_case`, its folder `fault-cases`, or `fault-case`.
    pub fn lookup(&self, name: &str) -> Option<Kind> {
        self.by_name(name)
            .or_else(|| self.by_folder(name))
            .or_else(|| self.by_name(&name.replace('-', "_")))
    }

    /// The badge colours of every kind, for the generated `assets/kinds.css`.
    pub fn stylesheet(&self) -> String {
        let mut css = String::from(
            "/* Generated by svcbook from the kind registry: one badge colour per kind. */\n",
        );
        for kind in self.typed() {
            let tone = kind.tone().name();
            if kind.tone() == Tone::Neutral {
                continue;
            }
            css.push_str(&format!(
                ".kind-{}.badge {{ background: var(--{tone}-soft); border-color: var(--{tone}-line); color: var(--{tone}-ink); }}\n",
                kind.name()
            ));
        }
        css
    }

    /// `{ name: label }` of every kind, for the search script's results and facets.
    pub fn labels(&self) -> std::collections::BTreeMap<&'static str, &'static str> {
        self.all().map(|k| (k.name(), k.label())).collect()
    }

    /// A front-matter archetype for a kind (a site's own kinds have no file):
    /// the common keys, then every typed field with its type as a comment.
    pub fn archetype(kind: Kind) -> String {
        let mut out = format!(
            "---\ntitle: {{{{ title }}}}\nid: {{{{ id }}}}\nkind: {}\nstatus: draft                 # draft → review → published\nsummary: 一句话说明这篇{}的要点。\n",
            kind.name(),
            kind.label()
        );
        for f in kind.spec().fields {
            let (value, note) = match f.ty {
                FieldType::String => ("\"\"".to_string(), "text".to_string()),
                FieldType::List | FieldType::Reference => ("[]".to_string(), f.ty.name().into()),
                FieldType::Enum(choices) => (
                    choices.first().map(|c| c.0).unwrap_or("").to_string(),
                    choices.iter().map(|c| c.0).collect::<Vec<_>>().join(" | "),
                ),
                FieldType::Date => ("{{ review_by }}".to_string(), "YYYY-MM-DD".into()),
                FieldType::Duration => ("24h".to_string(), "24h | 3d | 7wd | 45min".into()),
                FieldType::Escalation | FieldType::Sla => ("[]".to_string(), f.ty.name().into()),
            };
            let required = if f.required { ", required" } else { "" };
            out.push_str(&format!(
                "{}: {value}    # {}: {note}{required}\n",
                f.key, f.label
            ));
        }
        out.push_str("tags: []\nproducts: []\nversion: \"0.1\"\nupdated: {{ date }}\nreview_by: {{ review_by }}\n# owner: 负责人或小组（发布前填写）\nrelated: []\n---\n");
        for s in kind.spec().sections {
            out.push_str(&format!("\n## {s}\n\n"));
        }
        if kind.spec().sections.is_empty() {
            out.push_str("\n## 要点\n\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_kind_is_complete() {
        let registry = Registry::default();
        let mut folders = std::collections::HashSet::new();
        let mut prefixes = std::collections::HashSet::new();
        for kind in registry.all() {
            assert!(!kind.label().is_empty(), "{kind} has no label");
            assert!(prefixes.insert(kind.id_prefix()), "{kind}: prefix reused");
            assert_eq!(registry.by_name(kind.name()), Some(kind));
            if let Some(folder) = kind.folder() {
                assert!(folders.insert(folder), "{kind}: folder reused");
                assert_eq!(registry.by_folder(folder), Some(kind));
                // A built-in kind without an archetype file would make
                // `svcbook new` fall back to the generated one silently.
                assert!(
                    crate::theme::builtin_archetype(kind.name()).is_some(),
                    "{kind} has no archetype in themes/default/archetypes"
                );
            }
            for (key, _) in kind.spec().panel {
                assert!(kind.field(key).is_some(), "{kind}: panel names `{key}`");
            }
            if let Some(key) = kind.spec().group_by {
                assert!(kind.field(key).is_some(), "{kind}: groups by `{key}`");
            }
        }
        assert_eq!(registry.all().last(), Some(Kind::PAGE));
    }

    #[test]
    fn every_tone_but_neutral_has_its_colours_in_the_default_theme() {
        let css = include_str!("../themes/default/static/style.css");
        for tone in Tone::ALL.into_iter().filter(|t| *t != Tone::Neutral) {
            for part in ["soft", "line", "ink"] {
                assert!(
                    css.contains(&format!("--{}-{part}:", tone.name())),
                    "style.css lacks --{}-{part}",
                    tone.name()
                );
            }
        }
        let generated = Registry::default().stylesheet();
        assert!(generated.contains(".kind-fault_case.badge { background: var(--danger-soft);"));
    }

    #[test]
    fn lookup_takes_names_folders_and_dashes() {
        let r = Registry::default();
        assert_eq!(r.lookup("fault_case"), Some(Kind::FAULT_CASE));
        assert_eq!(r.lookup("fault-cases"), Some(Kind::FAULT_CASE));
        assert_eq!(r.lookup("fault-case"), Some(Kind::FAULT_CASE));
        assert_eq!(r.lookup("faqs"), Some(Kind::FAQ));
        assert_eq!(r.lookup("guides"), None);
    }
}
