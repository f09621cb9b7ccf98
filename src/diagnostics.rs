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
    /// The offending source line, shown under the message with a caret; a
    /// window of it around the column when the line is long (see
    /// [`Diagnostic::quote`]).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Characters of the real line left out before `source_line` starts.
    #[serde(skip)]
    pub source_skip: usize,
    /// How many characters the caret underlines.
    #[serde(skip)]
    pub span_chars: usize,
    /// For the one diagnostic that stands for those not listed (E0009/W0009),
    /// how many it stands for; 0 for every other.
    #[serde(skip)]
    pub hidden: usize,
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
            source_skip: 0,
            span_chars: 1,
            hidden: 0,
        }
    }

    /// The diagnostic that stands for `n` of a file's not listed (see
    /// [`Diagnostics::cap_per_file`]).
    fn summary(at: Location, n: usize, error: bool) -> Diagnostic {
        let (severity, code) = if error {
            (Severity::Error, "E0009")
        } else {
            (Severity::Warning, "W0009")
        };
        let mut d = Diagnostic::new(
            severity,
            code,
            format!(
                "{n} more problem{} in this file {} not listed: only the first {MAX_PER_FILE} of a file are",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" }
            ),
        );
        d.location = Some(at);
        d.hint = Some("fix the ones listed and run again".into());
        d.hidden = n;
        d
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

    /// Attaches the line the location points at, taken from the whole file
    /// text. Costs time in how far into the file the line is: code that makes
    /// many diagnostics of one file uses a [`LineIndex`] and [`Diagnostic::quote`].
    pub fn with_source_line(self, file_text: &str) -> Diagnostic {
        let Some(line) = self.location.as_ref().map(|l| l.line) else {
            return self;
        };
        match file_text.split('\n').nth(line - 1) {
            Some(text) => self.quote(text.strip_suffix('\r').unwrap_or(text)),
            None => self,
        }
    }

    /// Attaches `line` (the text of the line the location points at) as the
    /// quoted source line. A line longer than [`QUOTE_CHARS`] is quoted as a
    /// window around the column, so that a 400 KB line is not copied into every
    /// diagnostic on it; the window is found in time proportional to its size
    /// plus the column.
    pub fn quote(mut self, line: &str) -> Diagnostic {
        let column = self.location.as_ref().map(|l| l.column).unwrap_or(1);
        if line.len() <= QUOTE_CHARS {
            self.source_line = Some(line.to_string());
            self.source_skip = 0;
            return self;
        }
        // Byte offset of the column, walking no further than needed.
        let at = line
            .char_indices()
            .nth(column - 1)
            .map(|(i, _)| i)
            .unwrap_or(line.len());
        self.quote_at(line, at, column - 1)
    }

    /// [`Diagnostic::quote`] when the byte offset `at` of the column in `line`
    /// is known (and `column_chars` characters precede it).
    pub fn quote_at(mut self, line: &str, at: usize, column_chars: usize) -> Diagnostic {
        if line.len() <= QUOTE_CHARS {
            self.source_line = Some(line.to_string());
            self.source_skip = 0;
            return self;
        }
        let floor = |mut i: usize| {
            i = i.min(line.len());
            while !line.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(at.saturating_sub(QUOTE_CHARS / 3));
        let end = floor((start + QUOTE_CHARS).max(at + 1));
        let mut window = String::with_capacity(end - start + 8);
        let skipped = column_chars - line[start..at.min(line.len()).max(start)].chars().count();
        if start > 0 {
            window.push('…');
        }
        window.push_str(&line[start..end]);
        if end < line.len() {
            window.push('…');
        }
        self.source_line = Some(window);
        self.source_skip = skipped.saturating_sub(usize::from(start > 0));
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

    /// Whether `source_line` is a window that starts inside the real line.
    fn is_windowed(&self) -> bool {
        self.source_line
            .as_deref()
            .is_some_and(|l| l.starts_with('…'))
            && self.source_skip > 0
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
                let column = (loc.column - 1).saturating_sub(self.source_skip);
                let start = char_to_byte(line, column);
                let end = char_to_byte(line, column + self.span_chars).max(start);
                let mut snippet = Snippet::source(line.as_str())
                    .line_start(loc.line)
                    .annotation(AnnotationKind::Primary.span(start..end));
                // A window of a long line: annotate-snippets would count the
                // column from the window's start; the real one is printed below.
                if !self.is_windowed() {
                    snippet = snippet.path(path.as_str());
                }
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
        // Without a source line (or with a window of it) annotate-snippets
        // prints no path; say where anyway.
        if let (Some(loc), true) = (
            &self.location,
            self.source_line.is_none() || self.is_windowed(),
        ) {
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

/// How many bytes of a source line a diagnostic quotes at most.
pub const QUOTE_CHARS: usize = 240;

/// Most diagnostics listed for one file; the rest are counted in one more
/// (E0009 when an error is among them, else W0009).
pub const MAX_PER_FILE: usize = 100;

/// Lines of a text: byte offsets to (line, column) and line numbers to line
/// text, in time that does not grow with how far into the text they are.
/// Offsets asked for in increasing order (as a parser meets links) cost only
/// the distance between them, even on one endless line.
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// The last position found: (byte offset, line, column in characters).
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            cursor: std::cell::Cell::new((0, 1, 1)),
        }
    }

    /// 1-based (line, column in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let (c_offset, c_line, c_column) = self.cursor.get();
        let column = if c_line == line && c_offset <= offset {
            c_column + self.text[c_offset..offset].chars().count()
        } else {
            self.text[line_start..offset].chars().count() + 1
        };
        self.cursor.set((offset, line, column));
        (line, column)
    }

    /// The text of 1-based line `n`, without its line end.
    pub fn line(&self, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self
            .starts
            .get(n)
            .map(|&next| next - 1)
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// Byte offset where 1-based line `n` starts.
    pub fn line_start(&self, n: usize) -> usize {
        self.starts
            .get(n.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

/// Counts diagnostics one producer makes for one file, so that past
/// [`MAX_PER_FILE`] it can make cheap ones (code and place only): those are
/// never shown, only counted, and a file with 280,000 broken links must not
/// cost 280,000 formatted messages and quoted lines.
#[derive(Debug, Default)]
pub struct Budget {
    made: usize,
}

impl Budget {
    /// Whether the next diagnostic will be listed (and deserves its text).
    pub fn shows_next(&mut self) -> bool {
        self.made += 1;
        self.made <= MAX_PER_FILE
    }
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

    /// Keeps the first [`MAX_PER_FILE`] diagnostics of each file (in sorted
    /// order) and says how many more there were in one more diagnostic: E0009
    /// if an error is among them (the run still fails), else W0009. Capping
    /// twice (`check` caps what validation capped, plus its own) keeps one
    /// summary per file with the total. Sorts.
    pub fn cap_per_file(&mut self) {
        self.sort();
        let mut kept = Vec::with_capacity(self.0.len().min(4096));
        // The file being read, how many of its diagnostics were kept, and its
        // summary so far: (where, how many hidden, whether an error is hidden).
        let mut current: Option<Option<PathBuf>> = None;
        let mut count = 0;
        let mut hidden: Option<(Location, usize, bool)> = None;
        let flush = |kept: &mut Vec<Diagnostic>, hidden: &mut Option<(Location, usize, bool)>| {
            if let Some((at, n, error)) = hidden.take() {
                kept.push(Diagnostic::summary(at, n, error));
            }
        };
        for d in std::mem::take(&mut self.0) {
            let path = d.location.as_ref().map(|l| l.path.clone());
            if current.as_ref() != Some(&path) {
                flush(&mut kept, &mut hidden);
                current = Some(path);
                count = 0;
            }
            let Some(location) = d.location.clone() else {
                kept.push(d);
                continue;
            };
            let (n, error) = if d.hidden > 0 {
                (d.hidden, d.is_error())
            } else {
                count += 1;
                if count <= MAX_PER_FILE {
                    kept.push(d);
                    continue;
                }
                (1, d.is_error())
            };
            match &mut hidden {
                Some((at, total, any_error)) => {
                    *at = (*at).clone().min(location);
                    *total += n;
                    *any_error |= error;
                }
                None => hidden = Some((location, n, error)),
            }
        }
        flush(&mut kept, &mut hidden);
        self.0 = kept;
        self.sort();
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

mod codes;
pub use codes::{codes_markdown, meaning, Code, CODES};

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
    fn line_index_finds_lines_and_columns_anywhere() {
        let text = "第一行\r\n标题: 值\n\nlast";
        let index = LineIndex::new(text);
        for offset in [
            0,
            3,
            text.find('值').unwrap(),
            text.find("last").unwrap(),
            text.len(),
        ] {
            assert_eq!(index.position(offset), line_col(text, offset), "{offset}");
        }
        // Backwards after forwards still gives the right answer.
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.line(1), Some("第一行"));
        assert_eq!(index.line(2), Some("标题: 值"));
        assert_eq!(index.line(3), Some(""));
        assert_eq!(index.line(4), Some("last"));
        assert_eq!(index.line(5), None);
    }

    #[test]
    fn long_lines_are_quoted_as_a_window_with_the_caret_in_place() {
        let line = format!("{}[y](#nope){}", "链".repeat(5000), "x".repeat(5000));
        let column = 5001;
        let d = Diagnostic::error("E0401", "bad")
            .at(Location::new(Path::new("a.md"), 3, column))
            .span(10)
            .quote(&line);
        let quoted = d.source_line.as_deref().unwrap();
        assert!(quoted.len() < QUOTE_CHARS * 2, "{}", quoted.len());
        let text = d.render(false);
        let caret_line = text.lines().find(|l| l.contains("^^^^^^^^^^")).unwrap();
        let source_line = text.lines().find(|l| l.contains("[y](#nope)")).unwrap();
        // The carets sit under `[y](#nope)` (both lines in display columns: the
        // window's Chinese characters are two columns wide each).
        let width = |s: &str| {
            s.chars()
                .map(|c| if c.is_ascii() || c == '…' { 1 } else { 2 })
                .sum::<usize>()
        };
        let caret_at = width(&caret_line[..caret_line.find('^').unwrap()]);
        let link_at = width(&source_line[..source_line.find("[y]").unwrap()]);
        assert_eq!(caret_at, link_at, "{text}");
        assert!(text.contains("--> a.md:3:5001"), "the real column: {text}");
    }

    #[test]
    fn diagnostics_past_the_cap_are_counted_in_one() {
        let path = Path::new("a.md");
        let mut all = Diagnostics::default();
        for line in 1..=150 {
            all.push(Diagnostic::warning("W0101", "x").at(Location::new(path, line, 1)));
        }
        all.push(Diagnostic::error("E0201", "y").at(Location::new(path, 149, 1)));
        all.push(Diagnostic::warning("W0101", "z").at(Location::new(Path::new("b.md"), 1, 1)));
        all.cap_per_file();
        assert_eq!(all.0.len(), MAX_PER_FILE + 2);
        let summary = all.0.iter().find(|d| d.code == "E0009").unwrap();
        assert!(
            summary.message.starts_with("51 more problems"),
            "{}",
            summary.message
        );
        assert!(all.has_errors(), "a hidden error still fails the run");
        // Capping again (check adds its own to what validation capped) keeps
        // one summary with the total.
        for line in 200..=205 {
            all.push(Diagnostic::error("E0401", "w").at(Location::new(path, line, 1)));
        }
        all.cap_per_file();
        let summaries: Vec<_> = all.0.iter().filter(|d| d.hidden > 0).collect();
        assert_eq!(summaries.len(), 1, "{summaries:?}");
        assert!(
            summaries[0].message.starts_with("57 more problems"),
            "{}",
            summaries[0].message
        );
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
