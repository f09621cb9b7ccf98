//! Markdown → HTML for one article body, with svcbook's additions:
//! heading anchors and a table of contents, `[[ID]]` wiki-links, checked relative
//! `.md` links, GFM alerts with titles, procedure step checklists, script wording
//! blocks (```` ```say ```` / ```` ```avoid ````) and the raw-HTML policy.
//!
//! It works on pulldown-cmark's event stream rather than on the HTML it writes, so
//! every link and heading is seen with its source offset, and a broken link can be
//! reported with its file line.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use serde::Serialize;

use crate::config::RawHtmlPolicy;
use crate::diagnostics::{Budget, Diagnostic, LineIndex, Location};
use crate::urls;

// The site's link table lives in its own module; the renderer resolves
// against it, and everything that used it from here still can.
pub use crate::links::{LinkTarget, Links, Resolved};

/// One article body to render.
pub struct Input<'a> {
    pub body: &'a str,
    /// File line where `body` starts, to turn offsets into file lines.
    pub body_line: usize,
    pub path: &'a Path,
    /// Source path relative to the content folder (for resolving `.md` links).
    pub source_rel: &'a str,
    /// Root-relative URL of the page being rendered.
    pub page_url: &'a str,
    pub self_id: &'a str,
    pub raw_html: RawHtmlPolicy,
    /// Turn the numbered list under `## 步骤` into a checklist.
    pub step_checklist: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Plain text of the body, blocks separated by newlines, for search and summaries.
    pub text: String,
    /// Ids this body links to, in order of first appearance.
    pub links_to: Vec<String>,
    /// Content files (images, PDFs) this body shows or links to, as site paths,
    /// in order of first appearance: "save for offline" caches them with the page.
    pub assets: Vec<String>,
    /// Text of each procedure step, when the body has a `## 步骤` list.
    pub steps: Vec<String>,
    /// Whether a `## 步骤` heading was found at all.
    pub has_steps_heading: bool,
    pub diagnostics: Vec<Diagnostic>,
}

const STEPS_HEADING: &str = "步骤";

/// The Markdown extensions svcbook enables; `check` parses with the same set.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Renders one body. Never fails: problems come back as diagnostics, and the
/// HTML still renders (a dangling link becomes marked text).
pub fn render(input: &Input, links: &Links) -> Rendered {
    let (body, mut diagnostics) = dialects::shortcodes(input);
    let body = dialects::admonitions(&body);
    let mut state = State::new(input, links, &body);
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(&body, options())
        .into_offset_iter()
        .collect();
    let mut out = Out::new(input.raw_html, events.len());
    let mut i = 0;
    while i < events.len() {
        i = state.handle(&events, i, &mut out);
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out.events.into_iter());
    diagnostics.append(&mut state.diagnostics);
    Rendered {
        html,
        toc: state.toc,
        text: state.text.trim().to_string(),
        links_to: state.links_to,
        assets: state.assets,
        steps: state.steps,
        has_steps_heading: state.has_steps_heading,
        diagnostics,
    }
}

/// The rendered body as events for pulldown-cmark's HTML writer, and the one
/// gate they pass. svcbook's own markup goes in through [`Out::markup`]; every
/// event that comes from the author — text, inline HTML, links, images, in a
/// heading, a table cell, a wiki-link label or anywhere else — goes in through
/// [`Out::content`], which applies the raw-HTML policy and the URL-scheme filter.
/// The events are private to this type, so no construct can skip the gate.
struct Out<'e> {
    events: Vec<Event<'e>>,
    policy: RawHtmlPolicy,
    /// For each open link or image: whether the gate dropped its start tag (a
    /// script URL), so that its end tag is dropped too.
    open_links: Vec<bool>,
}

impl<'e> Out<'e> {
    fn new(policy: RawHtmlPolicy, capacity: usize) -> Out<'e> {
        Out {
            events: Vec::with_capacity(capacity),
            policy,
            open_links: Vec::new(),
        }
    }

    /// Markup svcbook writes itself; any author text in it is already escaped.
    fn markup(&mut self, html: impl Into<CowStr<'e>>) {
        self.events.push(Event::Html(html.into()));
    }

    /// An event of the author's. Under the escape policy raw HTML becomes text,
    /// and a link or image whose URL would run code loses its tag (its text
    /// stays). `State::handle` already does both, with a warning; this is the
    /// guarantee that holds whatever path an event took to get here.
    fn content(&mut self, event: Event<'e>) {
        if self.policy != RawHtmlPolicy::Escape {
            self.events.push(event);
            return;
        }
        match event {
            Event::Html(html) | Event::InlineHtml(html) => self.events.push(Event::Text(html)),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let blocked = match &tag {
                    Tag::Link { dest_url, .. } => unsafe_scheme(dest_url, false).is_some(),
                    Tag::Image { dest_url, .. } => unsafe_scheme(dest_url, true).is_some(),
                    _ => false,
                };
                self.open_links.push(blocked);
                if !blocked {
                    self.events.push(Event::Start(tag));
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if !self.open_links.pop().unwrap_or(false) {
                    self.events.push(Event::End(end));
                }
            }
            other => self.events.push(other),
        }
    }
}

struct State<'a> {
    input: &'a Input<'a>,
    links: &'a Links,
    body: &'a str,
    used_ids: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    toc: Vec<TocEntry>,
    text: String,
    links_to: Vec<String>,
    assets: Vec<String>,
    steps: Vec<String>,
    has_steps_heading: bool,
    /// Set after `## 步骤` until the next heading: the next top-level ordered list is the checklist.
    awaiting_steps: bool,
    /// Nesting depth of lists while inside the checklist (1 = the checklist itself).
    checklist_depth: usize,
    list_depth: usize,
    diagnostics: Vec<Diagnostic>,
    lines: LineIndex<'a>,
    budget: Budget,
}

impl<'a> State<'a> {
    fn new(input: &'a Input<'a>, links: &'a Links, body: &'a str) -> State<'a> {
        State {
            input,
            links,
            body,
            // The page's own element ids (`main`…) are taken before any heading.
            used_ids: links.page_ids.iter().cloned().collect(),
            next_suffix: HashMap::new(),
            toc: Vec::new(),
            text: String::new(),
            links_to: Vec::new(),
            assets: Vec::new(),
            steps: Vec::new(),
            has_steps_heading: false,
            awaiting_steps: false,
            checklist_depth: 0,
            list_depth: 0,
            diagnostics: Vec::new(),
            lines: LineIndex::new(body),
            budget: Budget::default(),
        }
    }

    fn error_at(
        &mut self,
        code: &'static str,
        offset: usize,
        len: usize,
        message: String,
    ) -> &mut Diagnostic {
        self.report_at(Diagnostic::error(code, message), offset, len)
    }

    /// Records `d` at byte `offset` of the body, underlining `len` characters.
    /// Past [`crate::diagnostics::MAX_PER_FILE`] of them only code and place
    /// are kept: they are counted, never shown.
    fn report_at(&mut self, d: Diagnostic, offset: usize, len: usize) -> &mut Diagnostic {
        let (line, column) = self.lines.position(offset);
        let at = Location::new(self.input.path, self.input.body_line + line - 1, column);
        let d = if self.budget.shows_next() {
            let in_line = offset.min(self.body.len()) - self.lines.line_start(line);
            d.at(at)
                .span(len)
                .quote_at(self.lines.line(line).unwrap_or(""), in_line, column - 1)
        } else {
            let mut bare = if d.is_error() {
                Diagnostic::error(d.code, String::new())
            } else {
                Diagnostic::warning(d.code, String::new())
            };
            bare.location = Some(at);
            bare
        };
        self.diagnostics.push(d);
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// The scheme of a link or image that must not go live on the page, if any
    /// (only under the escape policy: with `raw_html = "allow"` the authors are
    /// trusted and could write `<a href="javascript:…">` anyway).
    fn blocked_scheme(&self, tag: &Tag) -> Option<String> {
        if self.input.raw_html != RawHtmlPolicy::Escape {
            return None;
        }
        match tag {
            Tag::Link { dest_url, .. } => unsafe_scheme(dest_url, false),
            Tag::Image { dest_url, .. } => unsafe_scheme(dest_url, true),
            _ => None,
        }
    }

    /// Handles the event at `i`, pushing output events; returns the next index.
    fn handle<'e>(
        &mut self,
        events: &[(Event<'e>, std::ops::Range<usize>)],
        i: usize,
        out: &mut Out<'e>,
    ) -> usize {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let end = find_end(events, i);
                let inner = &events[i + 1..end];
                let title: String = inner.iter().filter_map(|(e, _)| plain(e)).collect();
                let anchor = self.unique_id(
                    id.as_deref()
                        .map(str::to_string)
                        .unwrap_or_else(|| slugify(&title)),
                );
                let n = heading_number(*level);
                if n == 2 {
                    self.awaiting_steps = title.trim() == STEPS_HEADING;
                    self.has_steps_heading |= self.awaiting_steps;
                }
                if (2..=3).contains(&n) {
                    self.toc.push(TocEntry {
                        level: n,
                        id: anchor.clone(),
                        title: title.trim().to_string(),
                    });
                }
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                out.markup(format!("<h{n} id=\"{}\"{class_attr}>", escape(&anchor)));
                // Documentation brought from GitHub, Hugo, Docusaurus or VitePress
                // links to headings by those tools' slugs (`v8.0.0` → `v800`, not our
                // `v8-0-0`): the heading answers to that name too, so such links land
                // and `check` accepts them. Only when the name differs and is free.
                let alias = github_slug(&title);
                if !alias.is_empty() && alias != anchor && self.used_ids.insert(alias.clone()) {
                    out.markup(format!(
                        "<span id=\"{}\" class=\"anchor-alias\"></span>",
                        escape(&alias)
                    ));
                }
                let mut j = i + 1;
                while j < end {
                    j = self.handle(events, j, out);
                }
                out.markup(
                    format!("<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"本节链接\">#</a></h{n}>\n", escape(&anchor)),
                );
                // The heading's words reached `self.text` through the inner events.
                self.text.push('\n');
                end + 1
            }
            Event::Start(Tag::List(Some(first)))
                if self.awaiting_steps && self.list_depth == 0 && self.input.step_checklist =>
            {
                self.awaiting_steps = false;
                self.checklist_depth = 1;
                self.list_depth += 1;
                let start = if *first == 1 {
                    String::new()
                } else {
                    format!(" start=\"{first}\"")
                };
                out.markup(format!("<ol class=\"steps\" data-checklist{start}>\n"));
                i + 1
            }
            Event::Start(Tag::List(_)) => {
                self.list_depth += 1;
                if self.checklist_depth > 0 {
                    self.checklist_depth += 1;
                }
                out.content(event.clone());
                i + 1
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth -= 1;
                if self.checklist_depth == 1 {
                    self.checklist_depth = 0;
                    out.markup("</ol>\n");
                } else {
                    self.checklist_depth = self.checklist_depth.saturating_sub(1);
                    out.content(event.clone());
                }
                i + 1
            }
            Event::Start(Tag::Item) if self.checklist_depth == 1 => {
                let end = find_end(events, i);
                let step_text: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| plain(e))
                    .collect();
                self.steps.push(step_text.trim().to_string());
                let n = self.steps.len();
                out.markup(
                    format!(
                        "<li class=\"step\"><input type=\"checkbox\" class=\"step-check\" data-step=\"{n}\" aria-label=\"第 {n} 步已完成\"> "
                    ),
                );
                let mut j = i + 1;
                while j < end {
                    j = self.handle(events, j, out);
                }
                out.markup("</li>\n");
                end + 1
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_wording(info) => {
                let end = find_end(events, i);
                let text: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| plain(e))
                    .collect();
                out.markup(wording_block(info, &text));
                self.text.push_str(&text);
                self.text.push('\n');
                end + 1
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(*kind);
                out.markup(
                    format!("<aside class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{label}</p>\n"),
                );
                i + 1
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.markup("</aside>\n");
                i + 1
            }
            Event::Start(Tag::Table(_)) => {
                out.markup("<div class=\"table-wrap\">");
                out.content(event.clone());
                i + 1
            }
            Event::End(TagEnd::Table) => {
                out.content(event.clone());
                out.markup("</div>\n");
                i + 1
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                title,
                ..
            }) => {
                let end = find_end(events, i);
                self.wiki_link(
                    dest_url,
                    title,
                    *has_pothole,
                    range.clone(),
                    (events, i + 1..end),
                    out,
                );
                end + 1
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. }))
                if self.blocked_scheme(tag).is_some() =>
            {
                // Keep what the reader sees (the link text, or the image's alt
                // text) and drop the element that would run the URL.
                let scheme = self.blocked_scheme(tag).unwrap_or_default();
                let what = if matches!(tag, Tag::Image { .. }) {
                    "image"
                } else {
                    "link"
                };
                let len = self.body[range.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .count();
                self.report_at(
                    Diagnostic::warning(
                        "W0107",
                        format!("{what} to a `{scheme}:` URL was rendered as plain text"),
                    ),
                    range.start,
                    len,
                )
                .hint = Some(
                    "`javascript:`, `vbscript:` and `data:` URLs can run code in the reader's browser; link to a page of the site or an https:// address".into(),
                );
                let end = find_end(events, i);
                let mut j = i + 1;
                while j < end {
                    j = self.handle(events, j, out);
                }
                end + 1
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.content(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: self.check_link(dest_url, range.clone(), true),
                    title: title.clone(),
                    id: id.clone(),
                }));
                i + 1
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.check_link(dest_url, range.clone(), false);
                out.content(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
                i + 1
            }
            Event::Html(html) | Event::InlineHtml(html)
                if self.input.raw_html == RawHtmlPolicy::Escape =>
            {
                // Shown as text on the page (by the gate), so searchable as text too.
                self.text.push_str(html);
                out.content(event.clone());
                i + 1
            }
            Event::Text(t) | Event::Code(t) => {
                self.text.push_str(t);
                out.content(event.clone());
                i + 1
            }
            Event::TaskListMarker(checked) => {
                // pulldown-cmark's own checkbox has no accessible name; give it one.
                let (attr, label) = if *checked {
                    (" checked", "已完成")
                } else {
                    ("", "未完成")
                };
                out.markup(
                    format!("<input type=\"checkbox\" class=\"task\" disabled{attr} aria-label=\"{label}\"> "),
                );
                i + 1
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                out.content(event.clone());
                i + 1
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableRow) => {
                self.text.push('\n');
                out.content(event.clone());
                i + 1
            }
            Event::End(TagEnd::TableCell) => {
                self.text.push(' ');
                out.content(event.clone());
                i + 1
            }
            _ => {
                out.content(event.clone());
                i + 1
            }
        }
    }

    /// `base`, or `base-1`, `base-2`… when taken. Each base remembers the next
    /// number to try, so n copies of one heading take linear time, not n².
    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        if self.used_ids.insert(base.clone()) {
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{next}");
            *next += 1;
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn note_link(&mut self, id: &str) {
        if !self.links_to.iter().any(|l| l == id) {
            self.links_to.push(id.to_string());
        }
    }

    fn wiki_link<'e>(
        &mut self,
        dest: &CowStr<'e>,
        title: &CowStr<'e>,
        has_pothole: bool,
        range: std::ops::Range<usize>,
        (events, inner): (
            &[(Event<'e>, std::ops::Range<usize>)],
            std::ops::Range<usize>,
        ),
        out: &mut Out<'e>,
    ) {
        let (id, fragment) = split_wiki_dest(dest);
        let Some(target) = self.links.get(id).cloned() else {
            if self.links.is_failed(id) {
                // The target's own error is the root cause; say nothing more here.
                out.markup(format!(
                    "<span class=\"broken-link\">{}</span>",
                    escape(dest)
                ));
                return;
            }
            let message = format!("`[[{id}]]` links to an id that does not exist");
            let hint = if self.links.left_out.contains(id) {
                format!("`{id}` is a draft and drafts are left out; build with --drafts or link to a published article")
            } else {
                "check the id, or create the article it names".to_string()
            };
            let len = self.body[range.clone()].chars().count();
            self.error_at("E0201", range.start, len, message).hint = Some(hint);
            out.markup(format!(
                "<span class=\"broken-link\">{}</span>",
                escape(dest)
            ));
            return;
        };
        self.note_link(&target.id);
        let mut href = urls::relative(self.input.page_url, &target.url);
        if let Some(frag) = fragment {
            href.push('#');
            href.push_str(frag);
        }
        out.content(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: href.into(),
            title: title.clone(),
            id: CowStr::Borrowed(""),
        }));
        if has_pothole {
            // The label is Markdown like any other: it takes the same path.
            let mut j = inner.start;
            while j < inner.end {
                j = self.handle(events, j, out);
            }
        } else {
            out.content(Event::Text(target.title.clone().into()));
            self.text.push_str(&target.title);
        }
        out.content(Event::End(TagEnd::Link));
    }

    /// Rewrites a link or image to what it names in the built site — another
    /// article's page (from its `.md` source, its `.html` URL, its path without
    /// extension), a folder's section page, or a content file (copied to the
    /// same place in the site, so rebased from the Markdown file's folder to the
    /// page URL) — and reports `.md` and site-root links that lead nowhere.
    /// Anything else is kept as written: it may name a generated page or be
    /// written relative to the page URL, which then works (`check` looks).
    fn check_link<'e>(
        &mut self,
        dest: &CowStr<'e>,
        range: std::ops::Range<usize>,
        image: bool,
    ) -> CowStr<'e> {
        if dest.is_empty() || dest.starts_with(['#', '?']) || urls::is_external(dest) {
            return dest.clone();
        }
        let split = dest.find(['?', '#']).unwrap_or(dest.len());
        let (raw_path, suffix) = dest.split_at(split);
        let path = urls::percent_decode(raw_path);
        let page_url = self.input.page_url;
        let url = match self.links.resolve(self.input.source_rel, &path) {
            Resolved::Page(target) if !image => {
                let id = target.id.clone();
                let url = urls::relative(page_url, &target.url);
                // A page's link to one of its own headings, written with its
                // own file name (`/a.md#x`), is no self-reference.
                if !(id == self.input.self_id && suffix.contains('#')) {
                    self.note_link(&id);
                }
                url
            }
            Resolved::Section(url) if !image => urls::relative(page_url, &url),
            Resolved::Asset(rel) => {
                let url = urls::relative(page_url, &rel);
                if !self.assets.contains(&rel) {
                    self.assets.push(rel);
                }
                url
            }
            Resolved::Missing { tried, page }
                if !image
                    && (path.ends_with(".md")
                        || path.ends_with(".markdown")
                        || (page && path.starts_with('/'))) =>
            {
                let len = self.body[range.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .count();
                let shown: Vec<String> = tried.iter().map(|t| format!("`{t}`")).collect();
                self.error_at(
                    "E0202",
                    range.start,
                    len,
                    format!(
                        "link to `{path}`, which is not an article of this site (looked for {})",
                        shown.join(", ")
                    ),
                )
                .hint = Some(
                    "links name a Markdown file of the content folder, relative to this file or, with a leading `/`, to the content folder"
                        .into(),
                );
                return dest.clone();
            }
            _ => return dest.clone(),
        };
        let mut url = url;
        url.push_str(suffix);
        url.into()
    }
}

/// The scheme of `dest` when a browser would run it or treat it as a document of
/// its own: `javascript:`, `vbscript:` and `data:` (images may use `data:` with a
/// raster type, which cannot run script). The scheme is read the way browsers
/// read it: leading spaces and control characters are skipped, tabs and line
/// breaks anywhere are ignored, and case does not matter. Character references
/// (`&#58;`) are already decoded by the Markdown parser.
pub fn unsafe_scheme(dest: &str, image: bool) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, rest) = cleaned.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "javascript" | "vbscript" => Some(scheme),
        "data" => {
            let mime = rest
                .split([';', ','])
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let raster = matches!(
                mime.as_str(),
                "image/png" | "image/gif" | "image/jpeg" | "image/webp"
            );
            (!(image && raster)).then_some(scheme)
        }
        _ => None,
    }
}

/// `[[ID#fragment]]`'s id and fragment. In a table cell the label's pipe is
/// written `\|` (`[[ID\|label]]`), and the parser leaves the backslash on the
/// destination: no id or anchor ends in one, so it is dropped.
pub fn split_wiki_dest(dest: &str) -> (&str, Option<&str>) {
    let dest = dest.trim().trim_end_matches('\\');
    match dest.split_once('#') {
        Some((id, frag)) => (id.trim(), Some(frag)),
        None => (dest, None),
    }
}

fn find_end(events: &[(Event, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn plain<'a>(event: &'a Event) -> Option<&'a str> {
    match event {
        Event::Text(t) | Event::Code(t) => Some(t),
        Event::SoftBreak | Event::HardBreak => Some(" "),
        _ => None,
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn is_wording(info: &str) -> bool {
    matches!(info.split_whitespace().next(), Some("say" | "avoid"))
}

/// Recommended wording and wording to avoid: a quoted figure with a caption, so it
/// reads as dialogue and not as code, and screen readers announce which it is.
fn wording_block(info: &str, text: &str) -> String {
    let avoid = info.starts_with("avoid");
    let (class, caption) = if avoid {
        ("avoid", "避免这样说")
    } else {
        ("say", "推荐话术")
    };
    let lines: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<p>{}</p>", escape(l.trim())))
        .collect();
    format!("<figure class=\"wording wording-{class}\"><figcaption>{caption}</figcaption><blockquote>{lines}</blockquote></figure>\n")
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "说明"),
        BlockQuoteKind::Tip => ("tip", "提示"),
        BlockQuoteKind::Important => ("important", "重要"),
        BlockQuoteKind::Warning => ("warning", "警告"),
        BlockQuoteKind::Caution => ("caution", "注意"),
    }
}

/// Heading anchor from text: lowercase ASCII, keep letters and digits of any script
/// (Chinese headings get Chinese anchors), collapse the rest into `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

/// Heading anchor as GitHub, Hugo (goldmark), Docusaurus and VitePress make it:
/// lowercase; letters, digits, `_` and `-` kept; each space becomes `-`; every
/// other character (punctuation, `.`, `、`, `—`) dropped without a trace.
pub fn github_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.extend(c.to_lowercase());
        } else if c == ' ' {
            slug.push('-');
        }
    }
    slug
}

/// HTML-escapes text; one implementation for pages and search snippets.
pub use svcbook_search::escape_html as escape;

mod dialects;
pub use dialects::merge_shortcode_warnings;

#[cfg(test)]
mod tests;
