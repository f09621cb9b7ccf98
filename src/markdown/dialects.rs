//! Other tools' Markdown dialects, turned into plain Markdown before parsing,
//! line for line (so diagnostics keep their lines): Hugo shortcodes, and the
//! admonitions of Docusaurus and VitePress (`:::note`) and MkDocs (`!!! note`),
//! which become GFM alerts. Whatever they produce is Markdown that goes through
//! the one gate of the renderer like any other author text: nothing here
//! writes HTML.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location};

use super::Input;

/// Shortcodes whose content is ordinary Markdown and which mean a callout:
/// they become an admonition (when their tags stand on lines of their own).
const CALLOUTS: &[&str] = &[
    "hint",
    "notice",
    "alert",
    "admonition",
    "callout",
    "note",
    "tip",
    "warning",
    "info",
    "caution",
    "danger",
    "important",
];

/// Wrapper shortcodes whose content is kept as it is, without a warning:
/// the content is what matters, the wrapper only arranges it.
const WRAPPERS: &[&str] = &[
    "details", "expand", "tabs", "tab", "columns", "center", "markdown",
];

/// The arguments of a shortcode: `name "a" b key="c"`.
fn args(inner: &str) -> (Vec<String>, BTreeMap<String, String>) {
    let mut positional = Vec::new();
    let mut named = BTreeMap::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let (key, after_key) = match rest.find(['=', ' ', '"', '`']) {
            Some(i) if rest.as_bytes()[i] == b'=' => {
                (Some(rest[..i].trim().to_string()), &rest[i + 1..])
            }
            _ => (None, rest),
        };
        let after_key = after_key.trim_start();
        let (value, next) = match after_key.chars().next() {
            Some(q @ ('"' | '`')) => match after_key[1..].find(q) {
                Some(end) => (after_key[1..1 + end].to_string(), &after_key[end + 2..]),
                None => (after_key[1..].to_string(), ""),
            },
            _ => {
                let end = after_key.find(' ').unwrap_or(after_key.len());
                (after_key[..end].to_string(), &after_key[end..])
            }
        };
        match key {
            Some(k) => {
                named.insert(k, value);
            }
            None => positional.push(value),
        }
        rest = next.trim_start();
    }
    (positional, named)
}

/// Backslash-escapes what Markdown would read as markup in inline text.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]()<>#+-.!|~\"&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link destination in angle brackets, where only `<`, `>` and `\` need escapes.
fn escape_dest(dest: &str) -> String {
    let mut out = String::from("<");
    for c in dest.chars() {
        if matches!(c, '<' | '>' | '\\') {
            out.push('\\');
        }
        if c != '\n' {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// Replaces Hugo shortcodes (`{{< name >}}`, `{{% name %}}`) by their Markdown
/// meaning: `figure` an image, `ref`/`relref` the path they name (so the link
/// around them is resolved and checked like any other), `highlight` a fenced
/// code block, a callout an admonition, and a wrapper its content. Others are
/// left out, with one warning per name (with its count) per body, merged
/// across the site by [`merge_shortcode_warnings`].
pub(super) fn shortcodes(input: &Input) -> (String, Vec<Diagnostic>) {
    let body = input.body;
    if !body.contains("{{<") && !body.contains("{{%") {
        return (body.to_string(), Vec::new());
    }
    let lines = LineIndex::new(body);
    let mut out = String::with_capacity(body.len());
    // Unknown names: first use (offset, tag) and count.
    let mut unknown: BTreeMap<String, (usize, String, usize)> = BTreeMap::new();
    // Everything before `copied` is in `out`; the next `{{` is looked for from
    // `search`. Both only move forward: one pass over the body.
    let (mut copied, mut search) = (0, 0);
    while let Some(found) = body[search..].find("{{") {
        let start = search + found;
        let close = match body.as_bytes().get(start + 2) {
            Some(b'<') => ">}}",
            Some(b'%') => "%}}",
            _ => {
                search = start + 2;
                continue;
            }
        };
        // A shortcode is on one line; without its close on this line, no
        // later `{{<` of the line has one either.
        let line_end = body[start..].find('\n').map_or(body.len(), |e| start + e);
        let Some(len) = body[start..line_end].find(close).map(|e| e + close.len()) else {
            search = line_end;
            continue;
        };
        let tag = &body[start..start + len];
        let inner = tag[3..tag.len() - 3].trim();
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/').trim();
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let name = inner[..name_end].to_string();
        let (positional, named) = args(&inner[name_end..]);
        let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
        let alone = body[line_start..start].trim().is_empty()
            && body[start + len..line_end].trim().is_empty();
        let replacement = match name.as_str() {
            "figure" | "img" | "image" => {
                let src = named
                    .get("src")
                    .or(positional.first())
                    .cloned()
                    .unwrap_or_default();
                let alt = named
                    .get("alt")
                    .or(named.get("caption"))
                    .or(named.get("title"))
                    .cloned()
                    .unwrap_or_default();
                let title = named.get("caption").or(named.get("title"));
                let title = title
                    .map(|t| format!(" \"{}\"", t.replace('\\', "\\\\").replace('"', "\\\"")))
                    .unwrap_or_default();
                format!("![{}]({}{title})", escape_text(&alt), escape_dest(&src))
            }
            "ref" | "relref" => {
                let path = named
                    .get("path")
                    .or(positional.first())
                    .cloned()
                    .unwrap_or_default();
                escape_dest(&path)
            }
            "highlight" if alone => {
                if closing {
                    "````".to_string()
                } else {
                    let lang: String = positional
                        .first()
                        .map(|l| {
                            l.chars()
                                .filter(|c| c.is_alphanumeric() || "+-_".contains(*c))
                                .collect()
                        })
                        .unwrap_or_default();
                    format!("````{lang}")
                }
            }
            n if CALLOUTS.contains(&n) && alone => {
                if closing {
                    ":::".to_string()
                } else {
                    let kind = match n {
                        "hint" | "notice" | "alert" | "admonition" | "callout" => {
                            positional.first().map(String::as_str).unwrap_or("note")
                        }
                        other => other,
                    };
                    let kind: String = kind.chars().filter(char::is_ascii_alphabetic).collect();
                    let title = named
                        .get("title")
                        .map(|t| format!(" {t}"))
                        .unwrap_or_default();
                    format!(":::{kind}{}", title.replace('\n', " "))
                }
            }
            n if WRAPPERS.contains(&n) => String::new(),
            _ => {
                let entry = unknown
                    .entry(name.clone())
                    .or_insert((start, tag.to_string(), 0));
                entry.2 += 1;
                String::new()
            }
        };
        out.push_str(&body[copied..start]);
        out.push_str(&replacement);
        copied = start + len;
        search = copied;
    }
    out.push_str(&body[copied..]);
    let mut diagnostics: Vec<Diagnostic> = unknown
        .into_iter()
        .map(|(name, (start, tag, count))| {
            let (line, column) = lines.position(start);
            let d = Diagnostic::warning("W0104", shortcode_message(&name, count, 1))
                .at(Location::new(
                    input.path,
                    input.body_line + line - 1,
                    column,
                ))
                .span(tag.chars().count())
                .hint("svcbook renders plain Markdown; replace the shortcode with Markdown");
            let at = start - lines.line_start(line);
            d.quote_at(lines.line(line).unwrap_or(""), at, column - 1)
        })
        .collect();
    diagnostics.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    (out, diagnostics)
}

fn shortcode_message(name: &str, uses: usize, files: usize) -> String {
    let times = if uses == 1 {
        "once".to_string()
    } else {
        format!("{uses} times")
    };
    let files = if files == 1 {
        String::new()
    } else {
        format!(" in {files} files")
    };
    format!("shortcode `{name}` is not supported; it was left out ({times}{files}, first here)")
}

/// Reads back a W0104 message: the shortcode's name and its uses.
fn parse_shortcode_message(message: &str) -> Option<(String, usize)> {
    let name = message
        .strip_prefix("shortcode `")?
        .split('`')
        .next()?
        .to_string();
    let detail = message.split_once(" (")?.1;
    let uses = if detail.starts_with("once") {
        1
    } else {
        detail.split(' ').next()?.parse().ok()?
    };
    Some((name, uses))
}

/// One W0104 per shortcode name for the whole site, at its first use (in the
/// order of `diagnostics`), counting every use and file: a migrated Hugo site
/// uses a handful of shortcodes thousands of times, and one warning per use
/// (or per file) buries everything else.
pub fn merge_shortcode_warnings(diagnostics: &mut Diagnostics) {
    let mut first: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut keep = vec![true; diagnostics.0.len()];
    for (i, d) in diagnostics.0.iter().enumerate() {
        if d.code != "W0104" {
            continue;
        }
        let Some((name, uses)) = parse_shortcode_message(&d.message) else {
            continue;
        };
        match first.get_mut(&name) {
            Some(entry) => {
                entry.1 += uses;
                entry.2 += 1;
                keep[i] = false;
            }
            None => {
                first.insert(name, (i, uses, 1));
            }
        }
    }
    for (name, (i, uses, files)) in first {
        diagnostics.0[i].message = shortcode_message(&name, uses, files);
    }
    let mut keep = keep.into_iter();
    diagnostics.0.retain(|_| keep.next().unwrap_or(true));
}

/// GFM alert kind of an admonition type of Docusaurus, VitePress or MkDocs.
fn alert_kind(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" | "abstract" | "summary" | "tldr" => "IMPORTANT",
        "warning" | "attention" => "WARNING",
        "caution" | "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        _ => "NOTE",
    }
}

/// Whether `line` opens or closes a fenced code block (which admonition
/// markers inside it do not touch).
fn fence(line: &str) -> Option<&str> {
    let t = line.trim_start();
    (line.len() - t.len() <= 3 && (t.starts_with("```") || t.starts_with("~~~"))).then(|| {
        &t[..t
            .chars()
            .take_while(|c| *c == t.as_bytes()[0] as char)
            .count()]
    })
}

/// Docusaurus/VitePress `:::kind title` … `:::` and MkDocs `!!! kind "title"`
/// (or `???`, collapsible) with an indented body, as GFM alerts
/// (`> [!NOTE]`). A title becomes the alert's first line, in bold; the line
/// it adds is taken back at the closing `:::` when a blank line follows.
pub(super) fn admonitions(body: &str) -> String {
    if !body.contains(":::") && !body.contains("!!!") && !body.contains("???") {
        return body.to_string();
    }
    let lines: Vec<&str> = body.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    // Open `:::` admonitions (depth), and an open MkDocs one (its indent).
    let mut depth = 0usize;
    let mut mkdocs: Option<usize> = None;
    let mut code: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let prefix = "> ".repeat(depth);
        // The MkDocs body: indented lines, and blank lines followed by one.
        if let Some(indent) = mkdocs {
            let blank = raw.trim().is_empty();
            let inside = if blank {
                lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.len() - l.trim_start().len() >= indent)
            } else {
                raw.len() - raw.trim_start().len() >= indent
            };
            if inside {
                let text = if blank { "" } else { &raw[indent..] };
                out.push(format!("{prefix}> {text}").trim_end().to_string());
                i += 1;
                continue;
            }
            mkdocs = None;
        }
        if let Some(open) = &code {
            if fence(raw).is_some_and(|f| f.starts_with(open.as_str())) {
                code = None;
            }
            out.push(format!("{prefix}{raw}").trim_end().to_string());
            i += 1;
            continue;
        }
        if let Some(f) = fence(raw) {
            code = Some(f.to_string());
            out.push(format!("{prefix}{raw}").trim_end().to_string());
            i += 1;
            continue;
        }
        let t = raw.trim();
        if let Some(rest) = t.strip_prefix(":::") {
            let rest = rest.trim_start_matches(':').trim_start();
            if rest.trim().is_empty() {
                if depth > 0 {
                    depth -= 1;
                    let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
                    if !(next_blank && out.len() > i) {
                        out.push("> ".repeat(depth).trim_end().to_string());
                    }
                    i += 1;
                    continue;
                }
            } else {
                let kind_end = rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                let (kind, title) = rest.split_at(kind_end);
                let title = title
                    .trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim();
                let title = title.trim_start_matches('{').trim_end_matches('}');
                if !kind.is_empty() {
                    out.push(format!("{prefix}> [!{}]", alert_kind(kind)));
                    if !title.is_empty() {
                        out.push(format!("{prefix}> **{}**", escape_text(title)));
                    }
                    depth += 1;
                    i += 1;
                    continue;
                }
            }
        }
        for marker in ["!!!", "???+", "???"] {
            if let Some(rest) = t.strip_prefix(marker).filter(|r| r.starts_with(' ')) {
                let rest = rest.trim();
                let kind_end = rest
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .unwrap_or(rest.len());
                let (kind, title) = rest.split_at(kind_end);
                let title = title.trim().trim_matches('"');
                if kind.is_empty() {
                    break;
                }
                let indent = raw.len() - raw.trim_start().len() + 4;
                out.push(format!("{prefix}> [!{}]", alert_kind(kind)));
                if !title.is_empty() {
                    // The title takes the line of the marker; the alert's own
                    // line is the one added.
                    out.push(format!("{prefix}> **{}**", escape_text(title)));
                }
                mkdocs = Some(indent);
                break;
            }
        }
        if mkdocs.is_some() {
            i += 1;
            continue;
        }
        out.push(format!("{prefix}{raw}").trim_end_matches(' ').to_string());
        i += 1;
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docusaurus_and_vitepress_admonitions_become_alerts() {
        let got = admonitions(":::tip 标题\n内容 *强调*\n:::\n\n后文");
        assert_eq!(got, "> [!TIP]\n> **标题**\n> 内容 *强调*\n\n后文");
        let nested = admonitions("::::note\n:::danger\nx\n:::\n::::\n");
        assert_eq!(nested, "> [!NOTE]\n> > [!CAUTION]\n> > x\n>\n\n");
        // Inside code, a marker is code.
        let code = admonitions("```\n:::note\n```\n");
        assert_eq!(code, "```\n:::note\n```\n");
    }

    #[test]
    fn mkdocs_admonitions_take_their_indented_body() {
        let got = admonitions("!!! warning \"断电\"\n    先断电。\n\n    再拆机。\n\n正文");
        assert_eq!(
            got,
            "> [!WARNING]\n> **断电**\n> 先断电。\n>\n> 再拆机。\n\n正文"
        );
    }

    #[test]
    fn shortcode_arguments() {
        let (p, n) = args(r#""a b" c key="v w" k2=x"#);
        assert_eq!(p, ["a b", "c"]);
        assert_eq!(n["key"], "v w");
        assert_eq!(n["k2"], "x");
    }

    #[test]
    fn messages_round_trip_for_the_merge() {
        assert_eq!(
            parse_shortcode_message(&shortcode_message("copyable", 12, 1)),
            Some(("copyable".into(), 12))
        );
        assert_eq!(
            parse_shortcode_message(&shortcode_message("x", 1, 1)),
            Some(("x".into(), 1))
        );
    }
}
