//! Front matter: the YAML block between `---` lines at the top of an article.
//!
//! This is the only module that touches YAML, so the YAML library can be swapped
//! without the rest of the code noticing. It hands out a [`FrontMatter`] of plain
//! values plus the line each top-level key sits on, because every later error must
//! name the file *line* of the field it is about, and serde_yaml keeps no spans.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

/// A YAML value as the validators see it. Numbers keep their source text so that
/// `version: 1.10` is not silently turned into `1.1`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// A short name of the value's type for error messages ("a list", "a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Scalars as text (strings, numbers, booleans); `None` for lists and maps.
    pub fn as_scalar_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The parsed front matter of one file.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Top-level keys in source order.
    pub entries: Vec<(String, Value)>,
    /// File line (1-based) of each top-level key.
    key_lines: BTreeMap<String, usize>,
    /// The raw front-matter lines with their file line numbers, for nested look-ups.
    lines: Vec<(usize, String)>,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// File line of a top-level key, or the first front-matter line if absent.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(1)
    }

    /// (line, column) of `needle` inside the block of `key` (its own line and the
    /// indented lines under it); falls back to the key itself. Used to point at the
    /// exact bad item of a list or nested mapping.
    pub fn position_in(&self, key: &str, needle: &str) -> (usize, usize) {
        let start = self.line_of(key);
        let mut in_block = false;
        for (line_no, text) in &self.lines {
            if *line_no == start {
                in_block = true;
            } else if in_block && !text.starts_with([' ', '\t', '-']) && !text.trim().is_empty() {
                break;
            }
            if in_block {
                if let Some(byte) = text.find(needle) {
                    return (*line_no, text[..byte].chars().count() + 1);
                }
            }
        }
        (start, 1)
    }

    /// Column (1-based) where the value of a top-level key starts on its line.
    pub fn value_column(&self, key: &str) -> usize {
        let line = self.line_of(key);
        self.lines
            .iter()
            .find(|(n, _)| *n == line)
            .and_then(|(_, text)| {
                let colon = text.find(':')?;
                let rest = &text[colon + 1..];
                let pad = rest.len() - rest.trim_start().len();
                Some(text[..colon + 1 + pad].chars().count() + 1)
            })
            .unwrap_or(1)
    }
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    /// Whether the file had a front-matter block at all.
    pub has_front_matter: bool,
    pub body: &'a str,
    /// File line (1-based) on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (already BOM-stripped and LF-normalised) and parses the YAML.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text == "---").then_some(""))
    else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            has_front_matter: false,
            body: text,
            body_line: 1,
        });
    };
    // Find the closing fence: a line that is exactly `---` (or YAML's `...`).
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return Err(Diagnostic::error(
            "E0101",
            "front matter is never closed: add a line `---` after the last field",
        )
        .at(Location::new(path, 1, 1))
        .span(3)
        .with_source_line(text));
    };
    let yaml = &after_open[..yaml_end];
    let front_matter = parse_yaml(path, text, yaml)?;
    let body_line = 2 + yaml.matches('\n').count() + 1;
    Ok(Split {
        front_matter,
        has_front_matter: true,
        body: &after_open[body_start..],
        body_line,
    })
}

/// Parses the YAML between the fences. `file_text` is only used to quote the bad line.
fn parse_yaml(path: &Path, file_text: &str, yaml: &str) -> Result<FrontMatter, Diagnostic> {
    // Front-matter line n is file line n + 1 (the opening `---` is line 1).
    let lines: Vec<(usize, String)> = yaml
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 2, l.to_string()))
        .collect();
    if let Some((line_no, text)) = lines.iter().find(|(_, l)| l.starts_with('\t')) {
        let _ = text;
        return Err(
            Diagnostic::error("E0102", "front matter is indented with a tab")
                .at(Location::new(path, *line_no, 1))
                .hint("YAML allows only spaces for indentation; replace the tab with spaces")
                .with_source_line(file_text),
        );
    }
    let parsed: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let (mut line, mut column) = e
                .location()
                .map(|l| (l.line() + 1, l.column()))
                .unwrap_or((2, 1));
            let raw = e.to_string();
            // Where the trouble began beats where the reader gave up: an unclosed
            // quote is reported at the end of the block, its context at the quote.
            if let Some((l, c)) = context_mark(&raw) {
                (line, column) = (l + 1, c);
            } else if let Some(l) = duplicate_key_line(&raw, &lines) {
                (line, column) = (l, 1);
            }
            if let Some(big) = TooLarge::from_yaml_message(&raw) {
                return Err(big.diagnostic(path, (line, column), file_text));
            }
            let message = clean_yaml_message(&raw);
            return Err(Diagnostic::error(
                "E0102",
                format!("front matter is not valid YAML: {message}"),
            )
            .at(Location::new(path, line, column))
            .with_source_line(file_text));
        }
    };
    let converted = match convert(parsed, "") {
        Ok(value) => value,
        Err(big) => {
            let at = big.position(&lines);
            return Err(big.diagnostic(path, at, file_text));
        }
    };
    let entries = match converted {
        Value::Null => Vec::new(),
        Value::Map(entries) => entries,
        other => {
            return Err(Diagnostic::error(
                "E0102",
                format!(
                    "front matter must be `key: value` lines, found {}",
                    other.type_name()
                ),
            )
            .at(Location::new(path, 2, 1))
            .with_source_line(file_text))
        }
    };
    let mut key_lines = BTreeMap::new();
    for (line_no, text) in &lines {
        if text.starts_with([' ', '#', '-']) {
            continue;
        }
        if let Some(colon) = text.find(':') {
            let key = text[..colon].trim().trim_matches(['"', '\'']);
            key_lines.entry(key.to_string()).or_insert(*line_no);
        }
    }
    Ok(FrontMatter {
        entries,
        key_lines,
        lines,
    })
}

/// serde_yaml appends " at line X column Y" to its messages; we print the location
/// ourselves, in file coordinates rather than front-matter coordinates. A context
/// (", while scanning a quoted scalar at line X column Y") is kept, without its mark.
fn clean_yaml_message(message: &str) -> String {
    let mut out = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    };
    if let Some(i) = message.find(", while ") {
        let context = &message[i..];
        out.push_str(context.split(" at line ").next().unwrap_or(context));
    }
    out
}

/// The YAML (line, column) of the context mark in a serde_yaml message:
/// `…, while scanning a quoted scalar at line 1 column 8`.
fn context_mark(message: &str) -> Option<(usize, usize)> {
    let context = &message[message.find(", while ")?..];
    let mark = &context[context.find(" at line ")? + " at line ".len()..];
    let (line, rest) = mark.split_once(" column ")?;
    let column = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The file line of the second top-level `key:` named in a duplicate-key message
/// (serde_yaml points at the start of the mapping instead).
fn duplicate_key_line(message: &str, lines: &[(usize, String)]) -> Option<usize> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .split('"')
        .next()?;
    lines
        .iter()
        .filter(|(_, text)| {
            !text.starts_with([' ', '#', '-'])
                && text
                    .split_once(':')
                    .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
        })
        .nth(1)
        .map(|(line, _)| *line)
}

/// A whole number that does not fit in 64 bits, and where it was written
/// (`weight`, `time_limit.value`, `tags[2]`; empty at the top level).
#[derive(Debug, Clone, PartialEq)]
struct TooLarge {
    path: String,
    number: String,
}

impl TooLarge {
    /// serde_yaml refuses integers wider than 64 bits with "weight: invalid type:
    /// integer `99999999999999999999` as u128, expected any YAML value" — true,
    /// but no help to someone who typed a long number.
    fn from_yaml_message(message: &str) -> Option<TooLarge> {
        const MARK: &str = "invalid type: integer `";
        let start = message.find(MARK)?;
        let rest = &message[start + MARK.len()..];
        let number = &rest[..rest.find('`')?];
        let path = message[..start].trim_end().trim_end_matches(':').trim();
        Some(TooLarge {
            path: path.to_string(),
            number: number.to_string(),
        })
    }

    /// The first front-matter (line, column) where the number is written.
    fn position(&self, lines: &[(usize, String)]) -> (usize, usize) {
        lines
            .iter()
            .find_map(|(n, text)| {
                let byte = text.find(&self.number)?;
                Some((*n, text[..byte].chars().count() + 1))
            })
            .unwrap_or((2, 1))
    }

    fn diagnostic(
        &self,
        path: &Path,
        (line, column): (usize, usize),
        file_text: &str,
    ) -> Diagnostic {
        let number = &self.number;
        let message = if self.path.is_empty() {
            format!("the number {number} is too large")
        } else {
            format!("`{}` is too large: {number}", self.path)
        };
        let mut d = Diagnostic::error(
            "E0102",
            format!(
                "{message} does not fit in a whole number of 64 bits (from {} to {})",
                i64::MIN,
                i64::MAX
            ),
        )
        .at(Location::new(path, line, column))
        .span(number.chars().count())
        .hint("use a smaller number; if it is a code or serial number rather than a quantity, quote it: \"…\"")
        .with_source_line(file_text);
        let field = self.path.split(['.', '[']).next().unwrap_or("");
        if !field.is_empty() {
            d = d.field(field);
        }
        d
    }
}

fn convert(value: serde_yaml::Value, path: &str) -> Result<Value, TooLarge> {
    Ok(match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            // Between i64::MAX and u64::MAX: as wide a number as serde_yaml refuses.
            None if n.is_u64() => {
                return Err(TooLarge {
                    path: path.to_string(),
                    number: n.to_string(),
                })
            }
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| convert(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(map) => Value::Map(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match convert(k, path)? {
                        Value::String(s) => s,
                        other => other.as_scalar_text().unwrap_or_default(),
                    };
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    Ok((key, convert(v, &inner)?))
                })
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Tagged(tagged) => convert(tagged.value, path)?,
    })
}

/// Parses a standalone YAML document (learning paths, data files) with the same
/// value model and error style as front matter.
pub fn parse_document(path: &Path, text: &str) -> Result<FrontMatter, Diagnostic> {
    // Reuse the front-matter parser by pretending the document sits between fences,
    // then shift lines back by one.
    let mut fm = parse_yaml(path, text, text).map_err(|mut d| {
        if let Some(loc) = &mut d.location {
            loc.line = loc.line.saturating_sub(1).max(1);
        }
        d.with_source_line(text)
    })?;
    for line in fm.key_lines.values_mut() {
        *line -= 1;
    }
    for (line, _) in &mut fm.lines {
        *line -= 1;
    }
    Ok(fm)
}

/// Strips a UTF-8 byte-order mark and turns CRLF/CR line ends into LF, keeping
/// line numbers intact.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn integers_wider_than_64_bits_are_too_large_and_name_their_field() {
        let cases = [
            // serde_yaml refuses these (wider than u64) ...
            (
                "---\ntitle: x\nweight: 99999999999999999999\n---\n",
                "`weight` is too large: 99999999999999999999",
                Some("weight"),
                (3, 9),
            ),
            (
                "---\ntime_limit: { value: 99999999999999999999, unit: hours }\n---\n",
                "`time_limit.value` is too large: 99999999999999999999",
                Some("time_limit"),
                (2, 22),
            ),
            (
                "---\nweight: -99999999999999999999\n---\n",
                "`weight` is too large: -99999999999999999999",
                Some("weight"),
                (2, 9),
            ),
            // ... and reads these (above i64, within u64) as u64.
            (
                "---\ntitle: x\nweight: 10000000000000000000\n---\n",
                "`weight` is too large: 10000000000000000000",
                Some("weight"),
                (3, 9),
            ),
            (
                "---\nsla:\n  - { metric: x, target: 18446744073709551615 }\n---\n",
                "`sla[0].target` is too large: 18446744073709551615",
                Some("sla"),
                (3, 26),
            ),
        ];
        for (text, start, field, (line, column)) in cases {
            let d = split(p(), text).err().unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.code, "E0102", "{text}");
            assert!(d.message.starts_with(start), "{}", d.message);
            assert!(
                d.message
                    .contains("does not fit in a whole number of 64 bits"),
                "{}",
                d.message
            );
            assert!(
                !d.message.contains("u128") && !d.message.contains("i128"),
                "{}",
                d.message
            );
            assert_eq!(d.field.as_deref(), field, "{text}");
            let loc = d.location.unwrap();
            assert_eq!((loc.line, loc.column), (line, column), "{text}");
        }
        let ok = split(p(), "---\nweight: 9223372036854775807\n---\n").unwrap();
        assert_eq!(ok.front_matter.get("weight"), Some(&Value::Int(i64::MAX)));
    }

    #[test]
    fn splits_front_matter_and_records_key_lines() {
        let text =
            "---\ntitle: 标题\ntags: [a, b]\nsla:\n  - metric: x\n    target: 24\n---\n正文\n";
        let s = split(p(), text).unwrap();
        assert!(s.has_front_matter);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 8);
        assert_eq!(s.front_matter.line_of("title"), 2);
        assert_eq!(s.front_matter.line_of("sla"), 4);
        assert_eq!(s.front_matter.position_in("sla", "target"), (6, 5));
        assert_eq!(s.front_matter.value_column("title"), 8);
        assert_eq!(
            s.front_matter.get("tags"),
            Some(&Value::List(vec![
                Value::String("a".into()),
                Value::String("b".into())
            ]))
        );
    }

    #[test]
    fn file_without_front_matter_is_all_body() {
        let s = split(p(), "# 标题\n内容").unwrap();
        assert!(!s.has_front_matter);
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_one() {
        let e = split(p(), "---\ntitle: x\n正文\n").unwrap_err();
        assert_eq!(e.code, "E0101");
        assert_eq!(e.location.unwrap().line, 1);
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let e = split(p(), "---\ntitle: x\nsummary: \"unclosed\n---\n").unwrap_err();
        assert_eq!(e.code, "E0102");
        assert!(e.location.unwrap().line >= 3);
    }

    #[test]
    fn tabs_and_duplicate_keys_are_errors() {
        let e = split(p(), "---\ntitle: x\n\tsummary: y\n---\n").unwrap_err();
        assert_eq!(e.location.unwrap().line, 3);
        let e = split(p(), "---\ntitle: x\ntitle: y\n---\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_and_unclosed_quotes_point_at_their_line() {
        let e = split(p(), "---\ntitle: x\nsummary: s\ntitle: y\n---\n").unwrap_err();
        assert_eq!(e.location.as_ref().unwrap().line, 4, "the second `title`");
        let e = split(p(), "---\ntitle: \"关于\nsummary: s\n---\n正文\n").unwrap_err();
        let loc = e.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 8), "{}", e.message);
        assert!(
            e.message.ends_with("while scanning a quoted scalar"),
            "{}",
            e.message
        );
    }

    #[test]
    fn normalise_strips_bom_and_crlf() {
        assert_eq!(
            normalise("\u{feff}---\r\ntitle: x\r\n---\r\n"),
            "---\ntitle: x\n---\n"
        );
    }

    #[test]
    fn document_lines_are_file_lines() {
        let fm = parse_document(p(), "title: x\nsections:\n  - heading: y\n").unwrap();
        assert_eq!(fm.line_of("sections"), 2);
        assert_eq!(fm.position_in("sections", "heading"), (3, 5));
    }
}
