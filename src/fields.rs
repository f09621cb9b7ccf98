//! Typed reading of front-matter fields, with one diagnostic per bad field.
//!
//! Hand-written instead of `#[derive(Deserialize)]` because serde stops at the
//! first error and cannot say which line a value sits on; a trainer fixing a file
//! wants every problem at once, each with its line and field.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{closest, Budget, Diagnostic, LineIndex, Location};
use crate::frontmatter::{FrontMatter, Value};
use crate::model::{Choice, Date, Duration, TimeUnit};

pub struct Fields<'a> {
    fm: &'a FrontMatter,
    path: &'a Path,
    /// The whole file's lines, to quote one in a diagnostic in constant time.
    lines: LineIndex<'a>,
    read: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(fm: &'a FrontMatter, path: &'a Path, text: &'a str) -> Fields<'a> {
        Fields {
            fm,
            path,
            lines: LineIndex::new(text),
            read: BTreeSet::new(),
            diagnostics: Vec::new(),
        }
    }

    fn value(&mut self, key: &str) -> Option<&'a Value> {
        self.read.insert(key.to_string());
        match self.fm.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.fm.get(key).is_some()
    }

    /// Records an error pointing at the value of `key`.
    pub fn error(&mut self, code: &'static str, key: &str, message: String) -> Diagnostic {
        let line = self.fm.line_of(key);
        let column = self.fm.value_column(key);
        Diagnostic::error(code, message)
            .at(Location::new(self.path, line, column))
            .field(key)
            .span(self.value_width(line, column))
            .quote(self.lines.line(line).unwrap_or(""))
    }

    /// Records an error pointing at `needle` inside the block of `key`.
    fn error_in(&mut self, code: &'static str, key: &str, needle: &str, message: String) {
        let (line, column) = self.fm.position_in(key, needle);
        let d = Diagnostic::error(code, message)
            .at(Location::new(self.path, line, column))
            .field(key)
            .span(needle.chars().count())
            .quote(self.lines.line(line).unwrap_or(""));
        self.diagnostics.push(d);
    }

    fn value_width(&self, line: usize, column: usize) -> usize {
        self.lines
            .line(line)
            .map(|l| l.chars().count().saturating_sub(column - 1))
            .unwrap_or(1)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        let d = self.error(
            "E0103",
            key,
            format!("`{key}` must be {expected}, found {}", found.type_name()),
        );
        self.push(d);
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        let value = self.value(key)?;
        // `id: 0x1F` is text to the author, not the number 31.
        if let (Value::Int(_) | Value::Float(_), Some(raw)) = (value, self.fm.raw_scalar(key)) {
            return Some(raw.to_string());
        }
        match value.as_scalar_text() {
            Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            Some(_) => None,
            None => {
                self.wrong_type(key, "a single line of text", value);
                None
            }
        }
    }

    /// A required string: missing or empty is an error on line 1 (the fence).
    pub fn required_string(&mut self, key: &str) -> Option<String> {
        let found = self.string(key);
        if found.is_none()
            && !self
                .diagnostics
                .iter()
                .any(|d| d.field.as_deref() == Some(key))
        {
            let d = Diagnostic::error("E0107", format!("missing required field `{key}`"))
                .at(Location::new(
                    self.path,
                    if self.has(key) {
                        self.fm.line_of(key)
                    } else {
                        1
                    },
                    1,
                ))
                .field(key)
                .hint(format!("add a line `{key}: ...` to the front matter"));
            let d = match d.location.as_ref().map(|l| l.line) {
                Some(line) => d.quote(self.lines.line(line).unwrap_or("")),
                None => d,
            };
            self.push(d);
        }
        found
    }

    /// A list of strings; a single string is accepted as a one-item list.
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.value(key) else {
            return Vec::new();
        };
        match value {
            Value::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_scalar_text() {
                        Some(text) if !text.trim().is_empty() => out.push(text.trim().to_string()),
                        Some(_) => {}
                        None => {
                            self.wrong_type(key, "a list of text items", item);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            other => match other.as_scalar_text() {
                Some(text) => text
                    .split([',', '，'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                None => {
                    self.wrong_type(key, "a list like `[a, b]`", other);
                    Vec::new()
                }
            },
        }
    }

    pub fn date(&mut self, key: &str) -> Option<Date> {
        let text = self.string(key)?;
        match Date::parse(&text) {
            Some(d) => Some(d),
            None => {
                let d = self
                    .error(
                        "E0104",
                        key,
                        format!("`{key}` is not a valid date: `{text}`"),
                    )
                    .hint("write dates as YYYY-MM-DD, e.g. 2026-03-31");
                self.push(d);
                None
            }
        }
    }

    pub fn integer(&mut self, key: &str) -> Option<i64> {
        let value = self.value(key)?;
        match value {
            Value::Int(i) => Some(*i),
            other => {
                self.wrong_type(key, "a whole number", other);
                None
            }
        }
    }

    pub fn choice<T: Choice + PartialEq>(&mut self, key: &str) -> Option<T> {
        let text = self.string(key)?;
        self.parse_choice(key, &text, None)
    }

    pub fn choice_list<T: Choice + PartialEq>(&mut self, key: &str) -> Vec<T> {
        self.string_list(key)
            .into_iter()
            .filter_map(|text| self.parse_choice(key, &text, Some(&text)))
            .collect()
    }

    fn parse_choice<T: Choice + PartialEq>(
        &mut self,
        key: &str,
        text: &str,
        needle: Option<&str>,
    ) -> Option<T> {
        if let Some(v) = T::parse(text) {
            return Some(v);
        }
        self.not_a_choice(key, text, needle, &T::names());
        None
    }

    /// One of `choices` (`(name, label)` pairs, from a kind's registry entry).
    pub fn enum_value(
        &mut self,
        key: &str,
        choices: &'static [(&'static str, &'static str)],
    ) -> Option<(&'static str, &'static str)> {
        let text = self.string(key)?;
        if let Some(found) = choices.iter().find(|(name, _)| *name == text) {
            return Some(*found);
        }
        let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
        self.not_a_choice(key, &text, None, &names);
        None
    }

    /// A required field that is absent: E0107 on line 1 (the fence).
    pub fn missing(&mut self, key: &str) {
        let d = Diagnostic::error("E0107", format!("missing required field `{key}`"))
            .at(Location::new(self.path, 1, 1))
            .field(key);
        self.push(d);
    }

    fn not_a_choice(&mut self, key: &str, text: &str, needle: Option<&str>, names: &[&str]) {
        let message = format!(
            "`{text}` is not a valid `{key}`: expected one of {}",
            names.join(", ")
        );
        let hint = closest(text, names).map(|c| format!("did you mean `{c}`?"));
        match needle {
            Some(needle) => self.error_in("E0105", key, needle, message),
            None => {
                let d = self.error("E0105", key, message);
                self.push(d);
            }
        }
        if let (Some(hint), Some(last)) = (hint, self.diagnostics.last_mut()) {
            last.hint = Some(hint);
        }
    }

    /// A duration: `{ value: 7, unit: working_days }` or the shorthand `"24h"`.
    pub fn duration(&mut self, key: &str) -> Option<Duration> {
        let value = self.value(key)?;
        self.duration_value(key, value)
    }

    pub fn duration_value(&mut self, key: &str, value: &Value) -> Option<Duration> {
        match value {
            Value::Map(_) => {
                let unit_text = value.get("unit").and_then(Value::as_scalar_text);
                let unit = match unit_text.as_deref().map(TimeUnit::parse) {
                    Some(Some(unit)) => unit,
                    _ => {
                        let shown = unit_text.unwrap_or_default();
                        let names = TimeUnit::names();
                        let message = format!(
                            "`{key}` has an invalid unit `{shown}`: expected one of {}",
                            names.join(", ")
                        );
                        self.error_in("E0105", key, "unit", message);
                        if let (Some(c), Some(last)) =
                            (closest(&shown, &names), self.diagnostics.last_mut())
                        {
                            last.hint = Some(format!("did you mean `{c}`?"));
                        }
                        return None;
                    }
                };
                match value.get("value") {
                    Some(Value::Int(n)) if *n > 0 && *n <= i64::from(Duration::MAX_VALUE) => {
                        Some(Duration {
                            value: *n as u32,
                            unit,
                        })
                    }
                    Some(Value::Int(n)) => {
                        self.error_in(
                            "E0106",
                            key,
                            "value",
                            format!(
                                "`{key}` value {n} is out of range: it must be from 1 to {}",
                                Duration::MAX_VALUE
                            ),
                        );
                        None
                    }
                    other => {
                        let found = other.map(Value::type_name).unwrap_or("nothing");
                        self.error_in(
                            "E0103",
                            key,
                            "value",
                            format!("`{key}.value` must be a whole number, found {found}"),
                        );
                        None
                    }
                }
            }
            other => {
                let text = other.as_scalar_text().unwrap_or_default();
                match Duration::parse_shorthand(&text) {
                    Some(d) => Some(d),
                    None => {
                        let message = format!("`{key}` is not a valid time limit: `{text}`");
                        let needle = if text.is_empty() {
                            key.to_string()
                        } else {
                            text.clone()
                        };
                        self.error_in("E0106", key, &needle, message);
                        if let Some(last) = self.diagnostics.last_mut() {
                            last.hint = Some(
                                "write `{ value: 7, unit: working_days }` or a positive shorthand: 30min, 24h, 30d, 7wd"
                                    .into(),
                            );
                        }
                        None
                    }
                }
            }
        }
    }

    /// A list of mappings; each item is handed to `item` with its index.
    pub fn map_list(&mut self, key: &str) -> Vec<&'a Value> {
        let Some(value) = self.value(key) else {
            return Vec::new();
        };
        match value {
            Value::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    if matches!(item, Value::Map(_)) {
                        out.push(item);
                    } else {
                        self.wrong_type(key, "a list of `{ key: value }` items", item);
                    }
                }
                out
            }
            other => {
                self.wrong_type(key, "a list of `{ key: value }` items", other);
                Vec::new()
            }
        }
    }

    /// A required text entry of a list item, reported at the item's field.
    pub fn item_string(&mut self, key: &str, item: &Value, field: &str) -> Option<String> {
        match item.get(field).and_then(Value::as_scalar_text) {
            Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            _ => {
                self.error_in(
                    "E0107",
                    key,
                    key,
                    format!("every `{key}` item needs a `{field}`"),
                );
                None
            }
        }
    }

    pub fn item_date(&mut self, key: &str, item: &Value, field: &str) -> Option<Date> {
        let text = self.item_string(key, item, field)?;
        let date = Date::parse(&text);
        if date.is_none() {
            self.error_in(
                "E0104",
                key,
                &text,
                format!("`{key}.{field}` is not a valid date: `{text}`"),
            );
        }
        date
    }

    /// Warns about keys nobody read, suggesting the nearest known key. Past
    /// [`crate::diagnostics::MAX_PER_FILE`] of them only their place is kept
    /// (they are counted, not shown): 100,000 unknown keys stay linear.
    /// Reports the keys no reader asked for. One that is a near miss of a
    /// `known` key is an error (E0112): a typed kind's field written wrong
    /// would otherwise drop out of pages, filters and search without a word.
    /// Any other is a warning (W0101).
    pub fn check_unknown(&mut self, known: &[&str]) {
        let unknown: Vec<String> = self
            .fm
            .entries
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| !self.read.contains(k))
            .collect();
        let mut budget = Budget::default();
        for key in unknown {
            let line = self.fm.line_of(&key);
            if !budget.shows_next() {
                let mut d = Diagnostic::warning("W0101", String::new());
                d.location = Some(Location::new(self.path, line, 1));
                self.push(d);
                continue;
            }
            let mut d = Diagnostic::warning("W0101", format!("unknown front-matter key `{key}`"))
                .at(Location::new(self.path, line, 1))
                .field(key.clone())
                .span(key.chars().count())
                .quote(self.lines.line(line).unwrap_or(""));
            d = match closest(&key, known) {
                Some(c) => {
                    d.severity = crate::diagnostics::Severity::Error;
                    d.code = "E0112";
                    d.hint(format!("did you mean `{c}`?"))
                }
                None => d.hint("svcbook ignores this key"),
            };
            self.push(d);
        }
    }
}
