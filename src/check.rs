//! `svcbook check`: everything `build` would reject, plus the problems a build
//! lets through, without writing anything.
//!
//! The build's own stages supply schema errors, duplicate ids, dangling `[[ID]]`
//! and `.md` links, missing sections and step lists (W0103) and template errors.
//! This module adds what only a reviewer needs:
//!
//! * `#fragment`s that name no heading of their target page (E0401);
//! * images that are not part of the site (E0402);
//! * relative links to other files that are not part of the site (E0403);
//! * reviews that are past their `review_by` date (W0201);
//! * published articles without an `owner` (W0202).
//!
//! These run on every article that parses, whether or not other files have
//! errors, so one run reports everything. Their output is [`CheckReport`], which
//! renders as rustc-style text or as the stable JSON documented in the README.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use pulldown_cmark::{Event, LinkType, Parser, Tag};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::{Budget, Diagnostic, Diagnostics, LineIndex, Location, Severity};
use crate::load;
use crate::markdown::{self, Links};
use crate::model::{Article, Date, Status};
use crate::pipeline::{self, BuildError, StageTimes};
use crate::urls;
use crate::validate::{self, ValidateOptions, ValidatedSite};

/// Version of the JSON output; bumped only on an incompatible change.
pub const JSON_VERSION: u32 = 1;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub site_dir: PathBuf,
    /// Check as a `--drafts` build would (drafts included).
    pub drafts: bool,
    /// The date `review_by` is judged against.
    pub today: Date,
}

/// Every diagnostic of one check run, sorted by file and line.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub diagnostics: Diagnostics,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.errors().count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.warnings().count()
    }

    /// 0 when clean, 1 on errors, 2 on warnings when they are denied.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        if self.errors() > 0 {
            1
        } else if deny_warnings && self.warnings() > 0 {
            2
        } else {
            0
        }
    }

    /// The stable machine-readable form (see README, "svcbook check").
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            version: JSON_VERSION,
            summary: JsonSummary {
                errors: self.errors(),
                warnings: self.warnings(),
            },
            diagnostics: self
                .diagnostics
                .0
                .iter()
                .map(JsonDiagnostic::from)
                .collect(),
        };
        serde_json::to_string_pretty(&report).expect("plain data serialises")
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'a str>,
    hint: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let loc = d.location.as_ref();
        JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: loc.map(|l| l.path.to_string_lossy().replace('\\', "/")),
            line: loc.map(|l| l.line),
            column: loc.map(|l| l.column),
            field: d.field.as_deref(),
            hint: d.hint.as_deref(),
        }
    }
}

/// Checks the site at `options.site_dir`. Never writes; never fails: a site that
/// cannot even be read is one more diagnostic.
///
/// Validation hands over the site it could build and all its diagnostics;
/// this adds the checks only a reviewer needs to that same site (no second
/// parse, link table or render of it).
pub fn check(options: &CheckOptions) -> CheckReport {
    let mut diagnostics = Diagnostics::default();
    let config = match SiteConfig::load(&options.site_dir) {
        Ok(config) => config,
        Err(d) => {
            diagnostics.push(d);
            return finish(diagnostics);
        }
    };
    let mut site = validate::validate_partial(
        load::load(config),
        &ValidateOptions {
            drafts: options.drafts,
            keep_bodies: true,
            today: options.today,
        },
    );
    let found = site.take_diagnostics();
    // With a valid site, the real output tells exactly which files exist
    // (the pages the templates make, the search index).
    let built: Option<BTreeSet<String>> = if found.has_errors() {
        None
    } else {
        let mut times = StageTimes::default();
        match pipeline::build_files(&site, &mut |_| {}, &mut times) {
            Ok(files) => Some(
                files
                    .iter()
                    .map(crate::output::OutputFile::slash_path)
                    .collect(),
            ),
            Err(BuildError::Invalid(d)) => {
                diagnostics.extend(d);
                None
            }
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    "E0400",
                    format!("the site could not be built: {e}"),
                ));
                None
            }
        }
    };
    diagnostics.extend(found);
    diagnostics.extend(content_checks(&site, built.as_ref(), options));
    finish(diagnostics)
}

/// Sorted, without repeats, and `./svcbook.toml` shown as `svcbook.toml` like
/// the content files are.
fn finish(mut diagnostics: Diagnostics) -> CheckReport {
    for d in &mut diagnostics.0 {
        if let Some(loc) = &mut d.location {
            if let Ok(rest) = loc.path.strip_prefix(".") {
                loc.path = rest.to_path_buf();
            }
        }
    }
    diagnostics.sort();
    diagnostics.0.dedup();
    diagnostics.cap_per_file();
    CheckReport { diagnostics }
}

/// One article as the extra checks see it.
struct Doc<'a> {
    article: &'a Article,
    body: &'a str,
    /// Element ids of the rendered body (heading anchors, footnotes), in order.
    anchors: Vec<String>,
    /// The same, to look up (a body may have 100,000 headings).
    anchor_set: HashSet<String>,
}

fn content_checks(
    site: &ValidatedSite,
    built: Option<&BTreeSet<String>>,
    options: &CheckOptions,
) -> Vec<Diagnostic> {
    // First article wins a duplicate id, as in the build's error message.
    let mut seen = BTreeSet::new();
    let docs: Vec<Doc> = site
        .pages()
        .iter()
        .filter(|p| seen.insert(p.article.id.as_str()))
        .map(|p| {
            let anchors = element_ids(&p.html);
            Doc {
                article: &p.article,
                body: p.body.as_deref().unwrap_or(""),
                anchor_set: anchors.iter().cloned().collect(),
                anchors,
            }
        })
        .collect();
    let files = SiteFiles::new(site, &docs, built);
    let mut out = Vec::new();
    for d in &docs {
        link_checks(d, &docs, site.links(), &files, &mut out);
        lifecycle_checks(d, options.today, &mut out);
    }
    out
}

/// The files of the built site, exactly (valid site) or as far as can be known
/// (a site with errors: articles, assets, static files and fixed pages).
struct SiteFiles<'a> {
    files: BTreeSet<String>,
    exact: bool,
    /// Article URL → index into the docs.
    by_url: HashMap<&'a str, usize>,
}

impl<'a> SiteFiles<'a> {
    /// Exactly the built files for a valid site; for one with errors, the
    /// route table of what did validate (articles, sections, learning paths,
    /// assets, static files and generated pages).
    fn new(
        site: &ValidatedSite,
        docs: &'a [Doc],
        built: Option<&BTreeSet<String>>,
    ) -> SiteFiles<'a> {
        let by_url = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.article.url.as_str(), i))
            .collect();
        match built {
            Some(files) => SiteFiles {
                files: files.clone(),
                exact: true,
                by_url,
            },
            None => SiteFiles {
                files: site.routes().iter().map(|r| r.path.clone()).collect(),
                exact: false,
                by_url,
            },
        }
    }

    /// The site path a root-relative path names: itself, or its `index.html`.
    fn resolve(&self, path: &str) -> Option<String> {
        let path = path.trim_end_matches('/');
        if self.files.contains(path) {
            return Some(path.to_string());
        }
        let index = if path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{path}/index.html")
        };
        self.files.contains(&index).then_some(index)
    }
}

fn link_checks(
    doc: &Doc,
    docs: &[Doc],
    links: &Links,
    site: &SiteFiles,
    out: &mut Vec<Diagnostic>,
) {
    let a = doc.article;
    let lines = LineIndex::new(doc.body);
    let mut budget = Budget::default();
    for (event, range) in Parser::new_ext(doc.body, markdown::options()).into_offset_iter() {
        let (is_image, link_type, dest) = match &event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => (false, *link_type, dest_url),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => (true, *link_type, dest_url),
            _ => continue,
        };
        // Past the listing cap a problem is only counted: its message and
        // hint (a closest-match search over every anchor) are never made.
        let mut report = |code: &'static str, text: &dyn Fn() -> (String, String)| {
            let text = budget.shows_next().then(text);
            out.push(at_link(doc, &lines, range.clone(), code, text));
        };
        let mut check_fragment = |fragment: &str, target: &Doc, url: &str| {
            if let Some(wanted) = broken_fragment(fragment, target) {
                report("E0401", &|| fragment_problem(&wanted, target, url));
            }
        };
        if let LinkType::WikiLink { .. } = link_type {
            // `[[ID#fragment]]`; an unknown ID is the build's E0201.
            if let (id, Some(fragment)) = markdown::split_wiki_dest(dest) {
                if let Some(target) = links.get(id) {
                    if let Some(target_doc) =
                        site.by_url.get(target.url.as_str()).map(|i| &docs[*i])
                    {
                        check_fragment(fragment, target_doc, &target.url);
                    }
                }
            }
            continue;
        }
        let dest = dest.trim();
        if dest.is_empty() || urls::is_external(dest) {
            continue;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() {
            // `#fragment` on the page itself.
            if let Some(fragment) = fragment {
                check_fragment(fragment, doc, &a.url);
            }
            continue;
        }
        let decoded = urls::percent_decode(path);
        // Resolved as the build resolves it (by source file, site-root
        // links, folders); a page link to nothing is the build's E0202.
        match links.resolve(&a.source.rel, &decoded) {
            markdown::Resolved::Page(target) if !is_image => {
                let target = site.by_url.get(target.url.as_str()).map(|&i| &docs[i]);
                if let (Some(target), Some(fragment)) = (target, fragment) {
                    check_fragment(fragment, target, &target.article.url);
                }
                continue;
            }
            markdown::Resolved::Section(_) if !is_image => continue,
            markdown::Resolved::Asset(_) | markdown::Resolved::Failed => continue,
            markdown::Resolved::Missing { page: true, .. }
                if !is_image
                    && (decoded.ends_with(".md")
                        || decoded.ends_with(".markdown")
                        || decoded.starts_with('/')) =>
            {
                continue
            }
            _ => {}
        }
        // Anything else is read relative to the page URL, as the browser
        // will (or to the site root, with a leading `/`).
        let resolved = if decoded.starts_with('/') {
            urls::join("", &decoded)
        } else {
            urls::join(&a.url, &decoded)
        };
        let found = resolved.as_deref().and_then(|r| site.resolve(r));
        match found {
            Some(file) => {
                if let Some(fragment) = fragment {
                    if let Some(target) = site.by_url.get(file.as_str()).map(|i| &docs[*i]) {
                        check_fragment(fragment, target, &file);
                    }
                }
            }
            None => {
                let is_page = decoded.ends_with(".html") || decoded.ends_with('/');
                if !site.exact && is_page && !is_image {
                    // Generated pages are only known once the site builds.
                    continue;
                }
                let (code, what) = if is_image {
                    ("E0402", "image")
                } else {
                    ("E0403", "link")
                };
                report(code, &|| {
                    let message = match &resolved {
                        Some(r) => format!(
                            "{what} `{path}` points to `{r}`, which is not part of the site"
                        ),
                        None => format!("{what} `{path}` points outside the site"),
                    };
                    let hint = if is_image {
                        "put the image in the content folder (next to the article) and check the path"
                    } else {
                        "check the path; files in the content folder are copied to the site, other files are not"
                    };
                    (message, hint.to_string())
                });
            }
        }
    }
}

/// The anchor `#fragment` asks for, when `target` has no element of that id.
fn broken_fragment(fragment: &str, target: &Doc) -> Option<String> {
    let wanted = urls::percent_decode(fragment);
    (!wanted.is_empty() && !target.anchor_set.contains(&wanted)).then_some(wanted)
}

/// The message and hint for `#wanted`, which names no heading of `target`.
fn fragment_problem(wanted: &str, target: &Doc, url: &str) -> (String, String) {
    let names: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
    let hint = match closest_anchor(wanted, &names) {
        Some(c) => format!("did you mean `#{c}`?"),
        None if names.is_empty() => format!("`{url}` has no headings to link to"),
        None => format!(
            "headings of `{url}`: {}",
            names
                .iter()
                .take(8)
                .map(|n| format!("#{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    (format!("`#{wanted}` names no heading of `{url}`"), hint)
}

/// How many anchors of a page a typo is compared with: enough for any real
/// page, and a bound on a page with 100,000 headings.
const MAX_ANCHORS_COMPARED: usize = 2_000;

/// The anchor a typo most likely meant: within a third of its length in
/// characters (not bytes: Chinese anchors are three bytes a character).
fn closest_anchor<'a>(wanted: &str, names: &[&'a str]) -> Option<&'a str> {
    let len = wanted.chars().count();
    names
        .iter()
        .take(MAX_ANCHORS_COMPARED)
        .map(|n| (strsim::levenshtein(wanted, n), *n))
        .filter(|(d, n)| *d <= (len.max(n.chars().count()) / 3).max(1))
        .min()
        .map(|(_, n)| n)
}

/// A diagnostic at the link's source text in `doc`; `text` is its message and
/// hint, or `None` for one that is only counted (past the cap).
fn at_link(
    doc: &Doc,
    lines: &LineIndex,
    range: std::ops::Range<usize>,
    code: &'static str,
    text: Option<(String, String)>,
) -> Diagnostic {
    let body = doc.body;
    let start = range.start.min(body.len());
    let (line, column) = lines.position(start);
    let at = Location::new(
        &doc.article.source.path,
        doc.article.source.body_line + line - 1,
        column,
    );
    let Some((message, hint)) = text else {
        let mut d = Diagnostic::error(code, String::new());
        d.location = Some(at);
        return d;
    };
    let link = body.get(start..range.end.min(body.len())).unwrap_or("");
    let span = link.lines().next().unwrap_or("").chars().count();
    let line_text = lines.line(line).unwrap_or("");
    Diagnostic::error(code, message)
        .at(at)
        .span(span)
        .hint(hint)
        .quote_at(line_text, start - lines.line_start(line), column - 1)
}

/// W0201 and W0202: the review workflow. Plain pages are held to it only when
/// their front matter opts in with `status` or `review_by`.
fn lifecycle_checks(doc: &Doc, today: Date, out: &mut Vec<Diagnostic>) {
    let a = doc.article;
    let live = matches!(a.status, Status::Published | Status::Review);
    if let (true, Some(review_by), Some((line, column, text))) =
        (live, a.review_by, &a.source.review_by_at)
    {
        if review_by < today {
            let days = today.days_since_epoch() - review_by.days_since_epoch();
            out.push(
                Diagnostic::warning(
                    "W0201",
                    format!(
                        "review overdue: `review_by` is {review_by}, {days} day{} before {today}",
                        if days == 1 { "" } else { "s" }
                    ),
                )
                .at(Location::new(&a.source.path, *line, *column))
                .span(10)
                .field("review_by")
                .hint("review the article and move `review_by` forward, or set `status: archived`")
                .quote(text),
            );
        }
    }
    if a.in_review_workflow() && a.status == Status::Published && a.owner.is_none() {
        let (line, text) = &a.source.owner_at;
        out.push(
            Diagnostic::warning("W0202", "published article has no `owner`")
                .at(Location::new(&a.source.path, *line, 1))
                .field("owner")
                .hint("add `owner: <person or team>` so someone keeps it correct")
                .quote(text),
        );
    }
}

/// Values of every `id="…"` attribute in an HTML text, unescaped, in order.
fn element_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let Some(end) = rest.find('"') else { break };
        ids.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    ids
}

/// The text of an attribute value or text node the renderer escaped (the
/// five entities it writes); shared with the FAQ layout.
pub(crate) fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
