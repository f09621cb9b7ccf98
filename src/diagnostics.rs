//! Diagnostics: errors and warnings about the user's input, each tied to a file,
//! line and (where it applies) front-matter field.
//!
//! The library collects these instead of stopping at the first problem, so a
//! trainer sees everything wrong with a site in one run. They are plain data;
//! [`Diagnostic::render`] turns one into rustc-style text at the CLI edge.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a diagnostic points: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(path: &Path, line: usize, column: usize) -> Location {
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// A whole-file location (line 1).
    pub fn file(path: &Path) -> Location {
        Location::new(path, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code such as `E0102`, documented in the README.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    /// The front-matter field concerned, if any.
    pub field: Option<String>,
    /// A suggestion such as "did you mean `review_by`?".
    pub hint: Option<String>,
    /// The offending source line, shown under the message with a caret.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters the caret underlines.
    #[serde(skip)]
    pub span_chars: usize,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            field: None,
            hint: None,
            source_line: None,
            span_chars: 1,
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the line the location points at, taken from the whole file text.
    pub fn with_source_line(mut self, file_text: &str) -> Diagnostic {
        if let Some(loc) = &self.location {
            self.source_line = file_text.lines().nth(loc.line - 1).map(|l| l.to_string());
        }
        self
    }

    /// Underlines `chars` characters from the location's column.
    pub fn span(mut self, chars: usize) -> Diagnostic {
        self.span_chars = chars.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders like rustc: `error[E0102]: ...`, ` --> file:line:col`, the line, a caret, help.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut message = self.message.clone();
        if let Some(field) = &self.field {
            if !message.contains(&format!("`{field}`")) {
                message = format!("{message} (field `{field}`)");
            }
        }
        let path_text = self.location.as_ref().map(|l| l.path.display().to_string());
        let title = level.primary_title(message.as_str()).id(self.code);
        let mut groups = Vec::new();
        match (&self.location, &self.source_line, &path_text) {
            (Some(loc), Some(line), Some(path)) => {
                let start = char_to_byte(line, loc.column - 1);
                let end = char_to_byte(line, loc.column - 1 + self.span_chars).max(start);
                let snippet = Snippet::source(line.as_str())
                    .line_start(loc.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end));
                groups.push(title.element(snippet));
            }
            _ => groups.push(Group::with_title(title)),
        }
        if let Some(hint) = &self.hint {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut text = renderer.render(&groups).to_string();
        // Without a source line annotate-snippets prints no path; say where anyway.
        if let (Some(loc), None) = (&self.location, &self.source_line) {
            text = match text.split_once('\n') {
                Some((head, rest)) => format!("{head}\n  --> {loc}\n{rest}"),
                None => format!("{text}\n  --> {loc}"),
            };
        }
        text
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error[E0102]: message (field `x`)`. Used in test
    /// assertions and logs; humans get [`Diagnostic::render`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        Ok(())
    }
}

fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(line.len())
}

/// 1-based (line, column in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All diagnostics of a run, errors and warnings together, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Sorts by file, line, then severity, so output is the same on every run
    /// whatever order parallel stages finished in.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.location, a.severity, a.code, &a.message).cmp(&(
                &b.location,
                b.severity,
                b.code,
                &b.message,
            ))
        });
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Levenshtein-nearest candidate, if it is close enough to be a plausible typo:
/// within a third of the longer word's length, at least 2. Lengths are counted in
/// characters, as the distance is: a Chinese character is three bytes.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word_len = word.chars().count();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(dist, c)| *dist <= (c.chars().count().max(word_len) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "第一行\n标题: 值\n";
        let offset = text.find('值').unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
    }

    #[test]
    fn closest_suggests_typos_only() {
        let keys = ["review_by", "related", "summary"];
        assert_eq!(closest("reviewby", &keys), Some("review_by"));
        assert_eq!(closest("sumary", &keys), Some("summary"));
        assert_eq!(closest("colour", &keys), None);
    }

    #[test]
    fn closest_counts_chinese_characters_not_bytes() {
        let words = ["维修流程", "安装位置", "投诉首次答复"];
        assert_eq!(closest("维修流成", &words), Some("维修流程"));
        assert_eq!(closest("投诉首次回复", &words), Some("投诉首次答复"));
        // Nothing in common: four different characters are no typo of four others
        // (twelve bytes each made the limit four edits instead of two).
        assert_eq!(closest("退货退款", &words), None);
        assert_eq!(closest("客户回访记录", &words), None);
    }

    #[test]
    fn render_shows_code_location_caret_and_help() {
        let d = Diagnostic::error("E0103", "unknown severity `hgih`")
            .at(Location::new(Path::new("content/a.md"), 4, 11))
            .field("severity")
            .span(4)
            .hint("did you mean `high`?")
            .with_source_line("---\ntitle: x\nkind: fault_case\nseverity: hgih\n");
        let text = d.render(false);
        assert!(
            text.starts_with("error[E0103]: unknown severity `hgih`"),
            "{text}"
        );
        assert!(text.contains("content/a.md:4:11"), "{text}");
        assert!(text.contains("severity: hgih"), "{text}");
        assert!(text.contains("^^^^"), "{text}");
        assert!(text.contains("did you mean `high`?"), "{text}");
    }
}
