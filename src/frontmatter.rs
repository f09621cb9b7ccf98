//! Front matter: the YAML block between `---` lines at the top of an article.
//!
//! This is the only module that touches YAML, so the YAML library can be swapped
//! without the rest of the code noticing. It hands out a [`FrontMatter`] of plain
//! values plus the line each top-level key sits on, because every later error must
//! name the file *line* of the field it is about, and serde_yaml keeps no spans.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

mod value;
use value::{read_value, Expansion, Stop};

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
        self.positions_in(key, [needle])
            .pop()
            .unwrap_or((self.line_of(key), 1))
    }

    /// [`FrontMatter::position_in`] for several needles that appear in this
    /// order (the items of a list): each search starts where the previous one
    /// was found, so a list of n items costs one pass, not n.
    pub fn positions_in<'n>(
        &self,
        key: &str,
        needles: impl IntoIterator<Item = &'n str>,
    ) -> Vec<(usize, usize)> {
        let start = self.line_of(key);
        let needles = needles.into_iter();
        if !self.key_lines.contains_key(key) {
            return needles.map(|_| (start, 1)).collect();
        }
        let first = self.lines.first().map(|(n, _)| *n).unwrap_or(1);
        let block_start = start.saturating_sub(first);
        let block_end = self.lines[block_start.min(self.lines.len())..]
            .iter()
            .skip(1)
            .position(|(_, text)| !text.starts_with([' ', '\t', '-']) && !text.trim().is_empty())
            .map_or(self.lines.len(), |i| block_start + 1 + i);
        let block = &self.lines[block_start.min(block_end)..block_end];
        // Where the last needle was found: (index in block, byte in its line).
        let mut cursor = (0, 0);
        needles
            .map(|needle| {
                let mut i = cursor.0;
                let mut from = cursor.1;
                while i < block.len() {
                    let text = &block[i].1;
                    if let Some(byte) = text.get(from..).and_then(|t| t.find(needle)) {
                        let byte = from + byte;
                        cursor = (i, byte + needle.len().max(1));
                        return (block[i].0, text[..byte].chars().count() + 1);
                    }
                    i += 1;
                    from = 0;
                }
                // Not found after the previous one: search the block again.
                block
                    .iter()
                    .find_map(|(n, text)| {
                        text.find(needle)
                            .map(|b| (*n, text[..b].chars().count() + 1))
                    })
                    .unwrap_or((start, 1))
            })
            .collect()
    }

    /// The raw text of front-matter line `line` (a file line).
    fn raw_line(&self, line: usize) -> Option<&str> {
        let first = self.lines.first()?.0;
        self.lines
            .get(line.checked_sub(first)?)
            .map(|(_, text)| text.as_str())
    }

    /// The value of a top-level key as written on its line, when it is a plain
    /// one-line scalar (`id: 0x1F` → `0x1F`, `version: 1.10` → `1.10`): numbers
    /// that YAML would read as `31` or `1.1` keep the author's text.
    pub fn raw_scalar(&self, key: &str) -> Option<&str> {
        let text = self.raw_line(*self.key_lines.get(key)?)?;
        let (_, value) = text.split_once(':')?;
        let value = match value.find(" #") {
            Some(comment) => &value[..comment],
            None => value,
        }
        .trim();
        (!value.is_empty() && !value.starts_with(['[', '{', '"', '\'', '&', '*', '!', '|', '>']))
            .then_some(value)
    }

    /// Column (1-based) where the value of a top-level key starts on its line.
    pub fn value_column(&self, key: &str) -> usize {
        let line = self.line_of(key);
        self.raw_line(line)
            .and_then(|text| {
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
    if let Some(after_open) = text.strip_prefix("+++\n") {
        return split_toml(path, text, after_open);
    }
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
    if let Some((line, column, c)) = control_character(yaml) {
        // serde_yaml reports these with a byte position and no line.
        return Err(Diagnostic::error(
            "E0102",
            format!(
                "front matter contains the control character U+{:04X}, which YAML does not allow",
                u32::from(c)
            ),
        )
        .at(Location::new(path, line + 1, column))
        .hint("delete it (it is invisible in most editors; it often comes from pasted text)")
        .with_source_line(file_text));
    }
    let expansion = Expansion::new(yaml.len());
    let converted = match read_value(yaml, &expansion) {
        Ok(v) => v,
        Err(e) => {
            match expansion.stop.take() {
                Some(Stop::TooLarge(big)) => {
                    let at = big.position(&lines);
                    return Err(big.diagnostic(path, at, file_text));
                }
                Some(Stop::Expansion) => {
                    let line = first_alias_line(&lines).unwrap_or(2);
                    return Err(Diagnostic::error(
                        "E0102",
                        format!(
                            "front matter expands its YAML aliases (`*name`) to more than {} KiB, four times its own size; svcbook stops reading there",
                            expansion.limit / 1024
                        ),
                    )
                    .at(Location::new(path, line, 1))
                    .hint("write the repeated values out, or repeat a shorter anchor")
                    .with_source_line(file_text));
                }
                None => {}
            }
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
            let message = clean_yaml_message(&raw);
            return Err(Diagnostic::error(
                "E0102",
                format!("front matter is not valid YAML: {message}"),
            )
            .at(Location::new(path, line, column))
            .with_source_line(file_text));
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

/// Hugo's TOML front matter, between `+++` lines.
fn split_toml<'a>(
    path: &Path,
    text: &'a str,
    after_open: &'a str,
) -> Result<Split<'a>, Diagnostic> {
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((toml_end, body_start)) = close else {
        return Err(Diagnostic::error(
            "E0101",
            "front matter is never closed: add a line `+++` after the last field",
        )
        .at(Location::new(path, 1, 1))
        .span(3)
        .with_source_line(text));
    };
    let source = &after_open[..toml_end];
    let table: toml::Table = toml::from_str(source).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| {
                let before = &source[..span.start.min(source.len())];
                let line = before.matches('\n').count();
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                (line + 2, column)
            })
            .unwrap_or((2, 1));
        Diagnostic::error(
            "E0102",
            format!("front matter is not valid TOML: {}", e.message()),
        )
        .at(Location::new(path, line, column))
        .with_source_line(text)
    })?;
    fn convert(v: toml::Value) -> Value {
        match v {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(i) => Value::Int(i),
            toml::Value::Float(f) => Value::Float(f),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(items) => Value::List(items.into_iter().map(convert).collect()),
            toml::Value::Table(t) => {
                Value::Map(t.into_iter().map(|(k, v)| (k, convert(v))).collect())
            }
        }
    }
    let lines: Vec<(usize, String)> = source
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 2, l.to_string()))
        .collect();
    let mut key_lines = BTreeMap::new();
    for (line_no, l) in &lines {
        if let Some((key, _)) = l.split_once('=') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() && !l.starts_with([' ', '#', '[']) {
                key_lines.entry(key.to_string()).or_insert(*line_no);
            }
        }
    }
    let entries = table.into_iter().map(|(k, v)| (k, convert(v))).collect();
    Ok(Split {
        front_matter: FrontMatter {
            entries,
            key_lines,
            lines,
        },
        has_front_matter: true,
        body: &after_open[body_start..],
        body_line: 2 + source.matches('\n').count() + 1,
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

/// The first character YAML does not allow in a document (C0 controls but
/// tab and line ends, DEL, C1 controls but NEL, U+FFFE/U+FFFF): its 1-based
/// line in the YAML text and column.
fn control_character(yaml: &str) -> Option<(usize, usize, char)> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || c == '\u{7f}'
            || (('\u{80}'..='\u{9f}').contains(&c) && c != '\u{85}')
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    let at = yaml.find(bad)?;
    let c = yaml[at..].chars().next()?;
    let (line, column) = crate::diagnostics::line_col(yaml, at);
    Some((line, column, c))
}

/// File line of the first `*alias` in the front matter, if any.
fn first_alias_line(lines: &[(usize, String)]) -> Option<usize> {
    lines.iter().find_map(|(n, text)| {
        let bytes = text.as_bytes();
        (1..bytes.len())
            .any(|i| {
                bytes[i - 1] == b'*'
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80)
                    && (i == 1 || b" \t[{,:-".contains(&bytes[i - 2]))
            })
            .then_some(*n)
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
    fn control_characters_are_reported_on_their_own_line() {
        let e = split(p(), "---\ntitle: ok\nsummary: \"a\u{7}b\"\n---\n").unwrap_err();
        let loc = e.location.as_ref().unwrap();
        assert_eq!(
            (e.code, loc.line, loc.column),
            ("E0102", 3, 12),
            "{}",
            e.message
        );
        assert!(e.message.contains("U+0007"), "{}", e.message);
        let e = split(p(), "---\ntitle: x\u{0}y\n---\n").unwrap_err();
        assert_eq!(e.location.as_ref().unwrap().line, 2);
        // Tabs inside values and NEL are allowed by YAML.
        assert!(split(p(), "---\ntitle: \"a\tb\u{85}c\"\n---\n").is_ok());
    }

    #[test]
    fn alias_expansion_is_capped_and_says_so() {
        let item = "很长的一段文字，用来把锚点撑大。";
        let mut yaml = String::from("---\ntitle: x\nbig: &big\n");
        for i in 0..2_000 {
            yaml.push_str(&format!("  - {item}{i}\n"));
        }
        yaml.push_str("refs:\n");
        for _ in 0..300 {
            yaml.push_str("  - *big\n");
        }
        yaml.push_str("---\n");
        let e = split(p(), &yaml).unwrap_err();
        assert_eq!(e.code, "E0102");
        assert!(
            e.message.contains("expands its YAML aliases"),
            "{}",
            e.message
        );
        assert_eq!(e.location.as_ref().unwrap().line, 2_005, "the first `*big`");
        // A few aliases of a small anchor are fine.
        let ok = split(p(), "---\nbase: &b { unit: hours }\na: *b\nc: *b\n---\n").unwrap();
        assert_eq!(ok.front_matter.get("a"), ok.front_matter.get("c"));
    }

    #[test]
    fn numbers_keep_the_text_they_were_written_as() {
        let s = split(p(), "---\nid: 0x1F\nversion: 1.10 # 注释\nweight: 3\n---\n").unwrap();
        let fm = &s.front_matter;
        assert_eq!(fm.get("id"), Some(&Value::Int(31)));
        assert_eq!(fm.raw_scalar("id"), Some("0x1F"));
        assert_eq!(fm.raw_scalar("version"), Some("1.10"));
        assert_eq!(fm.raw_scalar("weight"), Some("3"));
        assert_eq!(fm.raw_scalar("missing"), None);
    }

    #[test]
    fn positions_of_list_items_follow_each_other() {
        let s = split(
            p(),
            "---\nrelated: [A, B, A]\nsections:\n  - A\n  - AB\n  - B\n---\n",
        )
        .unwrap();
        let fm = &s.front_matter;
        assert_eq!(
            fm.positions_in("related", ["A", "B", "A"]),
            [(2, 11), (2, 14), (2, 17)]
        );
        assert_eq!(
            fm.positions_in("sections", ["A", "AB", "B"]),
            [(4, 5), (5, 5), (6, 5)]
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
