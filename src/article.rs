//! Front matter → [`Article`]: the per-file half of validation.
//!
//! Each file is checked on its own here (so this runs in parallel); checks that
//! need the whole site — unique ids, links — happen in `validate`.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};
use crate::fields::Fields;
use crate::frontmatter::{self, Value};
use crate::load::SourceFile;
use crate::model::{Article, ChangeEntry, Escalation, Kind, KindFields, Sla, SourceRef, Status};

use crate::kinds::declared::COMMON_KEYS;
use crate::kinds::{FieldType, Registry};
use crate::model::FieldValue;

/// What a Markdown file turned out to be.
#[derive(Debug)]
pub enum Parsed {
    Article(Box<Article>, String),
    /// An `_index.md`: the intro text of the home page (`section == None`) or of a kind's index.
    Intro {
        section: Option<Kind>,
        title: Option<String>,
        body: String,
        source: Box<SourceRef>,
    },
}

/// The names a folder's section file may have, first choice first (Hugo's
/// `_index.md`, then `index.md`, then the `README.md` of mdBook, GitBook and
/// plain repositories).
const SECTION_FILES: &[&str] = &["_index.md", "index.md", "readme.md"];

/// Rank of a file name among [`SECTION_FILES`] (case-blind), if it is one.
fn section_rank(file_name: &str) -> Option<usize> {
    let lower = file_name.to_ascii_lowercase();
    SECTION_FILES.iter().position(|n| *n == lower)
}

/// Of the Markdown files `rels` (content-relative), the one per folder that
/// is the folder's section page: its `_index.md`, else `index.md`, else
/// `README.md`. The others are ordinary pages.
pub fn section_files<'r>(
    rels: impl IntoIterator<Item = &'r str>,
) -> std::collections::HashSet<String> {
    let mut best: std::collections::HashMap<&str, (usize, &str)> = Default::default();
    for rel in rels {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if let Some(rank) = section_rank(name) {
            let entry = best.entry(folder).or_insert((rank, rel));
            if rank < entry.0 || (rank == entry.0 && rel < entry.1) {
                *entry = (rank, rel);
            }
        }
    }
    best.into_values().map(|(_, rel)| rel.to_string()).collect()
}

/// The folder a section file is the page of (`ai/_index.md` → `ai`).
pub fn section_folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Parses one file of a site with only the built-in kinds (see [`parse_one`]).
pub fn parse(file: &SourceFile) -> (Option<Parsed>, Vec<Diagnostic>) {
    parse_one(file, &Registry::default())
}

/// Parses one file, taking any `_index.md`, `index.md` or `README.md` as its
/// folder's section file (for one file on its own; see [`parse_in`]).
pub fn parse_one(file: &SourceFile, kinds: &Registry) -> (Option<Parsed>, Vec<Diagnostic>) {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    parse_as(file, section_rank(name).is_some(), kinds)
}

/// Parses one file of a site whose section files are `section_files`.
pub fn parse_in(
    file: &SourceFile,
    section_files: &std::collections::HashSet<String>,
    kinds: &Registry,
) -> (Option<Parsed>, Vec<Diagnostic>) {
    parse_as(file, section_files.contains(&file.rel), kinds)
}

/// Parses one file. Returns the diagnostics found, and the article whenever it
/// has a title and an id — even with errors in other fields (those are left
/// unset), so the whole-site checks still run on it and one run reports every
/// problem of the file. A section file of the root or of a kind's folder is an
/// intro; one of any other folder is that folder's page.
fn parse_as(
    file: &SourceFile,
    section_file: bool,
    kinds: &Registry,
) -> (Option<Parsed>, Vec<Diagnostic>) {
    let split = match frontmatter::split(&file.path, &file.text) {
        Ok(split) => split,
        Err(d) => return (None, vec![d]),
    };
    let top_folder = file.rel.split_once('/').map(|(first, _)| first);
    let file_name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let folder_kind = top_folder.and_then(|f| kinds.by_folder(f));
    let depth = file.rel.matches('/').count();
    let is_intro = section_file && (depth == 0 || (depth == 1 && folder_kind.is_some()));
    let section_page = section_file && !is_intro;
    let folder = section_folder(&file.rel);
    let fallback_title = if section_page {
        folder.rsplit('/').next().unwrap_or(folder)
    } else {
        file_name
    };
    let mut fields = Fields::new(&split.front_matter, &file.path, &file.text);
    let source = SourceRef {
        path: file.path.clone(),
        rel: file.rel.clone(),
        body_line: split.body_line,
        related_lines: Vec::new(),
        id_line: if split.front_matter.get("id").is_some() {
            split.front_matter.line_of("id")
        } else {
            1
        },
        status_set: split.front_matter.get("status").is_some(),
        term_lines: Default::default(),
        review_by_at: None,
        owner_at: (1, String::new()),
    };
    // The text of file line `n`, without its line end.
    let line_text = |n: usize| {
        file.text
            .split('\n')
            .nth(n.saturating_sub(1))
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .unwrap_or_default()
    };
    let fm = &split.front_matter;
    let review_by_at = fm.get("review_by").map(|_| {
        let line = fm.line_of("review_by");
        (line, fm.value_column("review_by"), line_text(line))
    });
    let owner_line = match (split.has_front_matter, fm.get("status").is_some()) {
        (false, _) => 1,
        (true, true) => fm.line_of("status"),
        (true, false) => fm.line_of("title"),
    };
    let owner_at = (owner_line, line_text(owner_line));
    if is_intro {
        let title = fields.string("title");
        let _ = fields.string("summary");
        return (
            Some(Parsed::Intro {
                section: folder_kind,
                title,
                body: split.body.to_string(),
                source: Box::new(source),
            }),
            fields.diagnostics,
        );
    }

    let kind = match fields.string("kind") {
        Some(name) => match kinds.by_name(&name) {
            Some(kind) => kind,
            None => {
                let names = kinds.names();
                let mut d = fields.error(
                    "E0110",
                    "kind",
                    format!(
                        "unknown kind `{name}`: expected one of {}",
                        names.join(", ")
                    ),
                );
                if let Some(c) = crate::diagnostics::closest(&name, &names) {
                    d = d.hint(format!("did you mean `{c}`?"));
                }
                fields.diagnostics.push(d);
                return (None, fields.diagnostics);
            }
        },
        None if section_page => Kind::PAGE,
        None => folder_kind.unwrap_or(Kind::PAGE),
    };

    let (title, body) = title_and_body(&mut fields, kind, split.body, fallback_title);
    let id = read_id(&mut fields, kind, &file.rel, &file.path);
    let summary = fields.string("summary").unwrap_or_default();
    let tags = fields.string_list("tags");
    let products = fields.string_list("products");
    let audience = fields.choice_list("audience");
    let draft = matches!(split.front_matter.get("draft"), Some(Value::Bool(true)));
    let status = fields.choice::<Status>("status").unwrap_or(if draft {
        Status::Draft
    } else {
        Status::Published
    });
    let version = fields.string("version");
    // Hugo writes `date` and `lastmod` as date-times; their day is what counts.
    let hugo_date = |key: &str| {
        split
            .front_matter
            .get(key)
            .and_then(Value::as_scalar_text)
            .and_then(|t| crate::model::Date::parse(t.get(..10).unwrap_or(&t)))
    };
    let updated = fields
        .date("updated")
        .or_else(|| hugo_date("lastmod"))
        .or_else(|| hugo_date("date"));
    let alias_list = fields.string_list("aliases");
    let slug = if kind.is_page() {
        fields.string("slug").filter(|s| valid_id(s, false))
    } else {
        None
    };
    let review_by = fields.date("review_by");
    let owner = fields.string("owner");
    let related = fields.string_list("related");
    let weight = fields.integer("weight").unwrap_or(0);
    let changelog = read_changelog(&mut fields);
    let kind_fields = read_kind_fields(&mut fields, kind);
    if kind.is_typed() {
        let known: Vec<&str> = COMMON_KEYS
            .iter()
            .copied()
            .chain(kind.spec().fields.iter().map(|f| f.key))
            .collect();
        fields.check_unknown(&known);
    }
    let related_lines = split
        .front_matter
        .positions_in("related", related.iter().map(String::as_str))
        .into_iter()
        .map(|(line, _)| line)
        .collect();

    let mut term_lines = std::collections::BTreeMap::new();
    // Reference fields of a declared kind are placed like terms, for E0205.
    let references = kind
        .spec()
        .fields
        .iter()
        .filter(|f| f.ty == FieldType::Reference)
        .map(|f| (f.key, kind_fields.list(f.key)));
    let terms = [
        ("tags", tags.as_slice()),
        ("products", products.as_slice()),
        ("error_codes", kind_fields.error_codes()),
    ];
    for (field, terms) in terms.into_iter().chain(references) {
        if !terms.is_empty() {
            let lines = split
                .front_matter
                .positions_in(field, terms.iter().map(String::as_str))
                .into_iter()
                .map(|(line, _)| line)
                .collect();
            term_lines.insert(field, lines);
        }
    }

    let (Some(title), Some(mut id)) = (title, id) else {
        return (None, fields.diagnostics);
    };
    // `slug` renames a plain page's file, in its folder.
    let mut url_rel = file.rel.clone();
    if let (Some(slug), false) = (&slug, section_page) {
        let folder = section_folder(&file.rel);
        url_rel = if folder.is_empty() {
            format!("{slug}.md")
        } else {
            format!("{folder}/{slug}.md")
        };
        if !fields.has("id") {
            id = file_id(url_rel.trim_end_matches(".md"));
        }
    }
    let url = match kind.folder() {
        Some(folder) => format!("{folder}/{id}.html"),
        None if section_page => format!("{folder}/index.html"),
        // A plain page's URL follows its file name as its id does: a space
        // (or any character an id cannot have) becomes `-`.
        None => page_url(&file_id(&url_rel)),
    };
    let aliases = alias_paths(&alias_list, &url);
    let article = Article {
        id,
        kind,
        title,
        summary,
        tags,
        products,
        audience,
        status,
        version,
        updated,
        review_by,
        owner,
        related,
        weight,
        changelog,
        fields: kind_fields,
        url,
        section_of: section_page.then(|| folder.to_string()),
        aliases,
        source: SourceRef {
            related_lines,
            term_lines,
            review_by_at,
            owner_at,
            ..source
        },
    };
    (
        Some(Parsed::Article(Box::new(article), body)),
        fields.diagnostics,
    )
}

/// Typed kinds need a `title`. Plain pages may take it from their first `# heading`
/// or, failing that, the file name — plain docs folders often have no front matter.
/// A leading `# heading` equal to the title is dropped, as the page template prints
/// the title itself.
fn title_and_body(
    fields: &mut Fields,
    kind: Kind,
    body: &str,
    file_name: &str,
) -> (Option<String>, String) {
    let first_h1 = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string());
    let title = if kind.is_page() && !fields.has("title") {
        first_h1
            .clone()
            .or_else(|| Some(file_name.trim_end_matches(".md").to_string()))
    } else {
        fields.required_string("title")
    };
    let body = match (&title, &first_h1) {
        (Some(t), Some(h)) if t == h => {
            let start = body.find("# ").unwrap_or(0);
            let end = body[start..]
                .find('\n')
                .map(|i| start + i)
                .unwrap_or(body.len());
            // Keep the line itself (now blank) so body line numbers stay right.
            format!("{}{}", &body[..start], &body[end..])
        }
        _ => body.to_string(),
    };
    (title, body)
}

/// Whether `c` may appear in an id: letters and digits of any script, `-`,
/// `_` and `.` — and nothing else, not even invisible characters such as the
/// right-to-left override U+202E, which makes `FC-1\u{202e}txt.exe` look like
/// another name.
pub fn id_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// A plain page's path as an id: every character an id cannot have becomes `-`.
fn file_id(path: &str) -> String {
    path.chars()
        .map(|c| if id_char(c) || c == '/' { c } else { '-' })
        .collect()
}

/// Whether `id` is a valid id: [`id_char`]s (and `/` between folder names,
/// for plain pages), not starting with `.` or `-`, without `..`.
pub fn valid_id(id: &str, allow_slash: bool) -> bool {
    !id.is_empty()
        && !id.starts_with(['.', '-'])
        && !id.contains("..")
        && !id.contains("//")
        && !id.ends_with('/')
        && id.chars().all(|c| id_char(c) || (allow_slash && c == '/'))
}

/// Ids become file names and URL parts, so they are restricted to characters that
/// are safe in both and can never climb out of the output folder. A plain
/// page's id comes from its file path when it sets none (a typed article's from
/// its file name), with every character an id cannot have (a space, `(`, an
/// invisible one) turned into `-`: `Release Notes.md` → `Release-Notes`.
fn read_id(fields: &mut Fields, kind: Kind, rel: &str, path: &Path) -> Option<String> {
    let explicit = fields.string("id");
    let id = explicit.clone().unwrap_or_else(|| {
        let stem = rel.trim_end_matches(".md").trim_end_matches(".markdown");
        if kind.is_page() {
            // Plain docs often have names like `Release Notes.md`; a space is no
            // mistake there (typed kinds keep E0108: their ids are references).
            file_id(stem)
        } else {
            // A typed article's id is its file name, slugged as a page's is
            // (`电话 话术.md` → `电话-话术`); two names with one slug are
            // duplicate ids (E0109, naming both files).
            file_id(stem.rsplit('/').next().unwrap_or(stem))
        }
    });
    let allow_slash = kind.is_page() && explicit.is_none();
    if !valid_id(&id, allow_slash) {
        let shown: String = id.chars().flat_map(char::escape_debug).collect();
        let message = format!(
            "invalid id `{shown}`: ids may use letters, digits, `-`, `_` and `.` only, and must not start with `.` or `-` or contain `..`"
        );
        let d = if explicit.is_some() {
            fields.error("E0108", "id", message)
        } else {
            Diagnostic::error("E0108", message)
                .at(Location::file(path))
                .hint("rename the file or set a valid `id:` in the front matter")
        };
        fields.diagnostics.push(d);
        return None;
    }
    Some(id)
}

/// The ids a file that failed to parse was most likely meant to have, so that
/// references to it are not reported on top of its own error: the ids its path
/// gives (as a plain page and as a typed kind) and the value of an `id:` line of
/// its front matter, read without YAML since the YAML may be what failed.
pub fn probable_ids(rel: &str, text: Option<&str>) -> Vec<String> {
    let stem = rel.trim_end_matches(".md").trim_end_matches(".markdown");
    let mut ids = vec![
        file_id(stem),
        stem.rsplit('/').next().unwrap_or(stem).to_string(),
    ];
    let front_matter = text
        .and_then(|t| t.strip_prefix("---\n"))
        .into_iter()
        .flat_map(str::lines)
        .take_while(|l| !matches!(l.trim_end(), "---" | "..."));
    for line in front_matter {
        if let Some(value) = line.strip_prefix("id:") {
            let value = value.split(" #").next().unwrap_or("");
            let value = value.trim().trim_matches(['"', '\'']).trim();
            if !value.is_empty() {
                ids.push(value.to_string());
            }
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// The files of the old URLs in `aliases` (Hugo's): `/old/page/` and
/// `/old/page` are `old/page/index.html`, `/old.html` is itself; one without
/// a leading `/` is in the page's folder. One that would leave the site is
/// dropped (the route table checks the rest like any other path).
fn alias_paths(aliases: &[String], url: &str) -> Vec<String> {
    aliases
        .iter()
        .filter_map(|a| {
            let a = a.split(['#', '?']).next().unwrap_or("");
            let base = if a.starts_with('/') { "" } else { url };
            let rel = crate::urls::join(base, &crate::urls::percent_decode(a))?;
            if rel.is_empty() || rel.split('/').any(|s| s.starts_with('.')) {
                return None;
            }
            Some(if rel.ends_with(".html") || rel.ends_with(".htm") {
                rel
            } else {
                format!("{rel}/index.html")
            })
        })
        .collect()
}

/// `guide/install.md` → `guide/install.html`; `guide/index.md` → `guide/index.html`.
fn page_url(rel: &str) -> String {
    let stem = rel.trim_end_matches(".md").trim_end_matches(".markdown");
    format!("{stem}.html")
}

fn read_changelog(fields: &mut Fields) -> Vec<ChangeEntry> {
    let items = fields.map_list("changelog");
    let mut entries = Vec::new();
    for item in items {
        let version = fields.item_string("changelog", item, "version");
        let date = fields.item_date("changelog", item, "date");
        let note = item
            .get("note")
            .and_then(Value::as_scalar_text)
            .unwrap_or_default();
        if let (Some(version), Some(date)) = (version, date) {
            entries.push(ChangeEntry {
                version,
                date,
                note,
            });
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
    entries
}

/// Reads every typed field of `kind`, as its registry entry declares them.
fn read_kind_fields(fields: &mut Fields, kind: Kind) -> KindFields {
    let mut out = KindFields::default();
    for spec in kind.spec().fields {
        let key = spec.key;
        let value = match spec.ty {
            FieldType::String if spec.required => fields.required_string(key).map(FieldValue::Text),
            FieldType::String => fields.string(key).map(FieldValue::Text),
            FieldType::List | FieldType::Reference => {
                Some(FieldValue::List(fields.string_list(key)))
            }
            FieldType::Enum(choices) => fields
                .enum_value(key, choices)
                .map(|(name, label)| FieldValue::Choice { name, label }),
            FieldType::Date => fields.date(key).map(FieldValue::Date),
            FieldType::Duration => fields.duration(key).map(FieldValue::Duration),
            FieldType::Escalation => Some(FieldValue::Escalation(read_escalation(fields, key))),
            FieldType::Sla => Some(FieldValue::Sla(read_sla(fields, key))),
        };
        if spec.required && spec.ty != FieldType::String && value.is_none() && !fields.has(key) {
            fields.missing(key);
        }
        if let Some(value) = value {
            out.push(key, value);
        }
    }
    out
}

fn read_escalation(fields: &mut Fields, key: &str) -> Vec<Escalation> {
    let items = fields.map_list(key);
    let mut escalation = Vec::new();
    for item in items {
        let after = match item.get("after") {
            Some(v) => fields.duration_value(key, v),
            None => {
                fields.item_string(key, item, "after");
                None
            }
        };
        let to = fields.item_string(key, item, "to");
        if let (Some(after), Some(to)) = (after, to) {
            escalation.push(Escalation { after, to });
        }
    }
    escalation
}

fn read_sla(fields: &mut Fields, key: &str) -> Vec<Sla> {
    let items = fields.map_list(key);
    let mut sla = Vec::new();
    for item in items {
        let metric = fields.item_string(key, item, "metric");
        // `target` + `unit` is the documented form; it reads as a duration.
        let target = match (item.get("target"), item.get("unit")) {
            (Some(target), Some(unit)) => {
                let as_duration = Value::Map(vec![
                    ("value".into(), target.clone()),
                    ("unit".into(), unit.clone()),
                ]);
                fields.duration_value(key, &as_duration)
            }
            _ => {
                fields.item_string(
                    key,
                    item,
                    if item.get("target").is_none() {
                        "target"
                    } else {
                        "unit"
                    },
                );
                None
            }
        };
        if let (Some(metric), Some(target)) = (metric, target) {
            sla.push(Sla { metric, target });
        }
    }
    sla
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_text(rel: &str, text: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
        parse(&SourceFile {
            path: PathBuf::from(format!("content/{rel}")),
            rel: rel.into(),
            text: text.into(),
        })
    }

    fn article(rel: &str, text: &str) -> Article {
        match parse_text(rel, text) {
            (Some(Parsed::Article(a, _)), d) if d.is_empty() => *a,
            other => panic!("expected a clean article, got {other:?}"),
        }
    }

    fn codes(rel: &str, text: &str) -> Vec<(&'static str, usize, Option<String>)> {
        parse_text(rel, text)
            .1
            .into_iter()
            .map(|d| (d.code, d.location.map(|l| l.line).unwrap_or(0), d.field))
            .collect()
    }

    #[test]
    fn kind_comes_from_folder_and_id_from_stem() {
        let a = article(
            "fault-cases/FC-0001.md",
            "---\ntitle: 不制冷\nerror_codes: [E04]\n---\n正文",
        );
        assert_eq!(a.kind, Kind::FAULT_CASE);
        assert_eq!(a.id, "FC-0001");
        assert_eq!(a.url, "fault-cases/FC-0001.html");
        assert_eq!(a.fields.error_codes(), ["E04"]);
        assert_eq!(a.status, Status::Published);
    }

    #[test]
    fn fault_case_fields_are_validated() {
        let text =
            "---\ntitle: x\ncategory: hardwre\nseverity: [high]\nerror_codes: E04, E05\n---\n";
        let found = codes("fault-cases/a.md", text);
        assert_eq!(
            found,
            vec![
                ("E0105", 3, Some("category".into())),
                ("E0103", 4, Some("severity".into()))
            ]
        );
        let (_, diags) = parse_text("fault-cases/a.md", text);
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `hardware`?"));
    }

    #[test]
    fn procedure_time_limit_forms_and_ranges() {
        let ok = article(
            "procedures/PR-1.md",
            "---\ntitle: x\ntime_limit: { value: 7, unit: working_days }\ntools: [万用表]\nsafety: [断电]\n---\n",
        );
        assert_eq!(
            ok.fields.duration("time_limit").unwrap().to_string(),
            "7 个工作日"
        );
        assert_eq!(
            codes(
                "procedures/a.md",
                "---\ntitle: x\ntime_limit: { value: -3, unit: days }\n---\n"
            ),
            vec![("E0106", 3, Some("time_limit".into()))]
        );
        assert_eq!(
            codes(
                "procedures/a.md",
                "---\ntitle: x\ntime_limit:\n  value: 99999999\n  unit: days\n---\n"
            ),
            vec![("E0106", 4, Some("time_limit".into()))]
        );
        assert_eq!(
            codes(
                "procedures/a.md",
                "---\ntitle: x\ntime_limit: { value: 3, unit: weeks }\n---\n"
            ),
            vec![("E0105", 3, Some("time_limit".into()))]
        );
    }

    #[test]
    fn script_channel_and_playbook_durations() {
        assert_eq!(
            codes("scripts/a.md", "---\ntitle: x\nchannel: fax\n---\n"),
            vec![("E0105", 3, Some("channel".into()))]
        );
        let p = article(
            "playbooks/PB-1.md",
            "---\ntitle: x\ncomplaint_type: 货不对版\nescalation:\n  - { after: \"24h\", to: 主管 }\nresponse_time: 24h\nresolution_time: 30d\n---\n",
        );
        match p.fields.get("escalation") {
            Some(FieldValue::Escalation(escalation)) => assert_eq!(escalation[0].to, "主管"),
            other => panic!("{other:?}"),
        }
        let r = p.fields.duration("response_time").unwrap();
        assert_eq!(r.to_string(), "24 小时");
        assert!(p.fields.duration("resolution_time").is_some());
        assert_eq!(
            codes(
                "playbooks/a.md",
                "---\ntitle: x\nescalation:\n  - { after: soon, to: 主管 }\n---\n"
            ),
            vec![("E0106", 4, Some("escalation".into()))]
        );
    }

    #[test]
    fn standard_sla_rows() {
        let s = article(
            "standards/ST-1.md",
            "---\ntitle: x\nsla:\n  - { metric: 投诉首次答复, target: 24, unit: hours }\n---\n",
        );
        match s.fields.get("sla") {
            Some(FieldValue::Sla(sla)) => assert_eq!(sla[0].target.to_string(), "24 小时"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            codes(
                "standards/a.md",
                "---\ntitle: x\nsla:\n  - { metric: m, target: 24 }\n---\n"
            ),
            vec![("E0107", 3, Some("sla".into()))]
        );
    }

    #[test]
    fn common_field_errors_name_line_and_field() {
        let text =
            "---\nsummary: [a, b]\nupdated: 2026-02-30\nstatus: live\nreviewby: 2026-01-01\n---\n";
        let found = codes("standards/a.md", text);
        assert!(
            found.contains(&("E0107", 1, Some("title".into()))),
            "{found:?}"
        );
        assert!(
            found.contains(&("E0103", 2, Some("summary".into()))),
            "{found:?}"
        );
        assert!(
            found.contains(&("E0104", 3, Some("updated".into()))),
            "{found:?}"
        );
        assert!(
            found.contains(&("E0105", 4, Some("status".into()))),
            "{found:?}"
        );
        assert!(
            found.contains(&("E0112", 5, Some("reviewby".into()))),
            "{found:?}"
        );
        let (_, diags) = parse_text("standards/a.md", text);
        let unknown = diags.iter().find(|d| d.code == "E0112").unwrap();
        assert_eq!(unknown.hint.as_deref(), Some("did you mean `review_by`?"));
    }

    #[test]
    fn a_misspelled_typed_field_is_an_error_and_a_stranger_a_warning() {
        let text = "---
title: x
error_code: [E04]
author: 王工
---
";
        let (parsed, diags) = parse_text("fault-cases/FC-1.md", text);
        let typo = diags.iter().find(|d| d.code == "E0112").unwrap();
        assert!(typo.is_error());
        assert_eq!(typo.field.as_deref(), Some("error_code"));
        assert_eq!(typo.hint.as_deref(), Some("did you mean `error_codes`?"));
        let other = diags.iter().find(|d| d.code == "W0101").unwrap();
        assert_eq!(other.field.as_deref(), Some("author"));
        // The article is still there for the whole-site checks.
        assert!(matches!(parsed, Some(Parsed::Article(..))));
    }

    #[test]
    fn plain_pages_take_title_from_heading_and_ignore_unknown_keys() {
        let a = article(
            "guide/install.md",
            "---\nlayout: docs\nsidebar_position: 3\n---\n# 安装指南\n\n正文\n",
        );
        assert_eq!(a.title, "安装指南");
        assert_eq!(a.kind, Kind::PAGE);
        assert_eq!(a.id, "guide/install");
        assert_eq!(a.url, "guide/install.html");
        let b = article("notes.md", "没有标题的正文");
        assert_eq!(b.title, "notes");
    }

    #[test]
    fn ids_that_could_escape_the_output_are_refused() {
        assert_eq!(
            codes("fault-cases/a.md", "---\ntitle: x\nid: ../../x\n---\n"),
            vec![("E0108", 3, Some("id".into()))]
        );
        // A typed article's file name is slugged like a page's.
        assert_eq!(
            article("scripts/电话 话术.md", "---\ntitle: x\n---\n").id,
            "电话-话术"
        );
        // A bad id from the file name points at the file as the user sees it.
        let (_, diags) = parse_text("fault-cases/FC..1.md", "---\ntitle: x\n---\n");
        assert_eq!(
            diags[0].location.as_ref().unwrap().path,
            PathBuf::from("content/fault-cases/FC..1.md")
        );
        assert!(codes("fault-cases/故障一.md", "---\ntitle: x\n---\n").is_empty());
    }

    #[test]
    fn ids_are_letters_digits_and_three_marks_only() {
        // An invisible right-to-left override is not a letter.
        let found = codes(
            "fault-cases/a.md",
            "---\ntitle: x\nid: FC-1\u{202e}txt\n---\n",
        );
        assert_eq!(found, vec![("E0108", 3, Some("id".into()))]);
        let (_, diags) = parse_text(
            "fault-cases/a.md",
            "---\ntitle: x\nid: FC-1\u{202e}txt\n---\n",
        );
        assert!(
            diags[0].message.contains("\\u{202e}"),
            "{}",
            diags[0].message
        );
        assert_eq!(
            article("fault-cases/FC\u{200b}1.md", "---\ntitle: x\n---\n").id,
            "FC-1"
        );
        // From a plain page's file name, such characters become `-`.
        assert_eq!(article("guide/a\u{202e}(b).md", "# t\n").id, "guide/a--b-");
        // `id: 0x1F` is the id `0x1F`, not the number 31.
        assert_eq!(
            article("fault-cases/a.md", "---\ntitle: x\nid: 0x1F\n---\n").id,
            "0x1F"
        );
    }

    #[test]
    fn spaces_in_page_file_names_become_dashes() {
        let a = article("guide/Release Notes.md", "# 发布说明\n");
        assert_eq!(a.id, "guide/Release-Notes");
        assert_eq!(a.url, "guide/Release-Notes.html");
        // An explicit id must still be valid as written.
        assert_eq!(
            codes("guide/a.md", "---\ntitle: x\nid: my notes\n---\n")[0].0,
            "E0108"
        );
    }

    #[test]
    fn intro_files_are_not_articles() {
        match parse_text("fault-cases/_index.md", "---\ntitle: 故障案例库\n---\n说明") {
            (
                Some(Parsed::Intro {
                    section: Some(kind),
                    title: Some(t),
                    ..
                }),
                d,
            ) if kind == Kind::FAULT_CASE => {
                assert_eq!(t, "故障案例库");
                assert!(d.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn changelog_is_sorted_newest_first() {
        let a = article(
            "standards/ST-1.md",
            "---\ntitle: x\nchangelog:\n  - { version: \"1.0\", date: 2025-01-01, note: 首发 }\n  - { version: \"1.1\", date: 2026-01-01, note: 修订 }\n---\n",
        );
        assert_eq!(a.changelog[0].version, "1.1");
    }

    #[test]
    fn probable_ids_of_a_file_that_failed() {
        assert_eq!(
            probable_ids("fault-cases/cooling/FC-1.md", None),
            ["FC-1", "fault-cases/cooling/FC-1"]
        );
        let text = "---\ntitle: \"未闭合\nid: 'PR-0007'  # 维修\n---\nid: 正文里的不算\n";
        assert_eq!(
            probable_ids("guide/a b.md", Some(text)),
            ["PR-0007", "a b", "guide/a-b"]
        );
    }
}
