//! Stage 2 — validate: source files → a checked, cross-linked [`ValidatedSite`]
//! (the site model, in [`crate::site`]).
//!
//! Per-file checks run in parallel (front matter, then Markdown); the whole-site
//! checks run once: unique ids, `related` references, wiki-links and `.md` links,
//! kind-specific body sections. All problems are collected so one run reports
//! them all. Drafts are dropped here unless the build asks for them.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::article::{self, Parsed};
use crate::config::RawHtmlPolicy;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::learning_paths;
use crate::load::LoadedSite;
use crate::markdown::{self, LinkTarget, Links};
use crate::model::{Article, Date, Kind, SourceRef, Status};
use crate::routes::{self, RouteTable};
use crate::sections::{self, SiteTree};
use crate::theme::Theme;

#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Include `status: draft` articles.
    pub drafts: bool,
    /// Keep each article's Markdown body on its page (`svcbook check` reads
    /// its links with their lines); a build drops it once rendered.
    pub keep_bodies: bool,
    /// The date review deadlines are judged against (the review report's
    /// length, and so its pages, depend on it).
    pub today: Date,
}

use crate::site::SiteParts;
pub use crate::site::{Intro, Page, ValidatedSite};

/// The site for a build: every problem, or a site without errors.
pub fn validate(
    loaded: LoadedSite,
    options: &ValidateOptions,
) -> Result<ValidatedSite, Diagnostics> {
    let mut site = validate_partial(loaded, options);
    if site.diagnostics().has_errors() {
        Err(site.take_diagnostics())
    } else {
        Ok(site)
    }
}

/// The site as far as it could be built, whatever its errors, with every
/// diagnostic of validation in `diagnostics`: the articles whose front matter
/// was readable (a bad field left unset), their rendered bodies, links, the
/// learning paths and the route table. `svcbook check` adds its own checks to
/// it; a build refuses it when it has errors. A theme that failed to load is
/// the built-in one here (its error is among the diagnostics).
pub fn validate_partial(loaded: LoadedSite, options: &ValidateOptions) -> ValidatedSite {
    let LoadedSite {
        config,
        sources,
        assets,
        paths: path_sources,
        unreadable,
        theme,
        mut diagnostics,
    } = loaded;

    // Files that fail to load or parse are remembered under the ids they were
    // probably meant to have, so that links and `related` entries pointing at
    // them do not bury the root cause under E0201/E0202/E0203/E0204 errors.
    let mut links = Links::default();
    if let Some(theme) = &theme {
        links.page_ids = theme.element_ids();
    }
    for asset in &assets {
        links.insert_asset(&asset.rel);
    }
    for rel in &unreadable {
        links.insert_failed(rel, article::probable_ids(rel, None));
    }
    let section_files = article::section_files(sources.iter().map(|s| s.rel.as_str()));
    let parsed: Vec<(Option<Parsed>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|s| article::parse_in(s, &section_files, &config.kinds))
        .collect();
    // The tree's own table of contents, read once every link target is known.
    let toc_source = sections::TOC_FILES
        .iter()
        .find_map(|name| sources.iter().find(|s| s.rel == *name))
        .map(|s| (s.rel.clone(), s.text.clone()));
    let mut articles: Vec<(Article, String)> = Vec::new();
    let mut intros: Vec<(Option<Kind>, Option<String>, String, SourceRef)> = Vec::new();
    for (source, (result, diags)) in sources.iter().zip(parsed) {
        if result.is_none() && diags.iter().any(Diagnostic::is_error) {
            let ids = article::probable_ids(&source.rel, Some(&source.text));
            links.insert_failed(&source.rel, ids);
        }
        diagnostics.extend(diags);
        match result {
            Some(Parsed::Article(a, body)) => articles.push((*a, body)),
            Some(Parsed::Intro {
                section,
                title,
                body,
                source,
            }) => {
                let url = sections::section_url(section.and_then(Kind::folder).unwrap_or(""));
                links.insert_intro(&source.rel, &url);
                intros.push((section, title, body, *source))
            }
            None => {}
        }
    }

    drop(sources);
    check_unique_ids(&articles, &mut diagnostics);

    articles.retain(|(a, _)| {
        if a.status == Status::Draft && !options.drafts {
            links.left_out.insert(a.id.clone());
            false
        } else {
            true
        }
    });
    for (a, _) in &articles {
        links.insert(
            &a.source.rel,
            LinkTarget {
                id: a.id.clone(),
                title: a.title.clone(),
                url: a.url.clone(),
            },
        );
    }
    // A link to a folder goes to its section page: a kind's index for a
    // kind's folder, the home page for the root.
    for folder in sections::folders(articles.iter().map(|(a, _)| a)) {
        links.insert_section(&folder, &sections::section_url(&folder));
    }
    for kind in config.kinds.typed() {
        let folder = kind.folder().unwrap_or_default();
        links.insert_section(folder, &sections::section_url(folder));
    }
    let toc = toc_source.map(|(rel, text)| sections::read_toc(&rel, &text, &links));

    let raw_html = config.markdown.raw_html;
    // Each body is dropped as soon as it is rendered, and the Markdown sources
    // were dropped above: on a big site the sources, the bodies and the HTML
    // together were the build's peak memory.
    let checked: Vec<(Page, Vec<Diagnostic>)> = articles
        .into_par_iter()
        .map(|(a, body)| {
            let kept = options.keep_bodies.then(|| body.clone());
            let (mut page, diags) = check_article(a, body, &links, raw_html);
            page.body = kept;
            (page, diags)
        })
        .collect();
    let mut pages = Vec::with_capacity(checked.len());
    for (page, diags) in checked {
        diagnostics.extend(diags);
        pages.push(page);
    }
    fill_backlinks(&mut pages);

    let render_intro = |body: &str, source: &SourceRef, page_url: &str, d: &mut Diagnostics| {
        let input = markdown::Input {
            body,
            body_line: source.body_line,
            path: &source.path,
            source_rel: &source.rel,
            page_url,
            self_id: "",
            raw_html,
            step_checklist: false,
        };
        let mut r = markdown::render(&input, &links);
        d.extend(std::mem::take(&mut r.diagnostics));
        r.html
    };
    let mut home_intro = None;
    let mut section_intros = BTreeMap::new();
    for (section, title, body, source) in intros {
        match section {
            None => {
                let html = render_intro(&body, &source, "index.html", &mut diagnostics);
                home_intro = Some(Intro { title, html });
            }
            Some(kind) => {
                let url = routes::kind_index(kind).unwrap_or_else(|| "./index.html".into());
                let html = render_intro(&body, &source, &url, &mut diagnostics);
                section_intros.insert(kind, Intro { title, html });
            }
        }
    }

    let (paths, path_diagnostics) = learning_paths::resolve(
        path_sources,
        |id| links.get(id).is_some() || links.is_failed(id),
        |id| links.left_out.contains(id),
    );
    diagnostics.extend(path_diagnostics);

    pages.sort_by(|a, b| {
        (a.article.kind, a.article.weight, &a.article.id).cmp(&(
            b.article.kind,
            b.article.weight,
            &b.article.id,
        ))
    });
    // Every output path, one owner each; computed even when other files have
    // errors, so that a run reports every problem.
    let articles: Vec<&Article> = pages.iter().map(|p| &p.article).collect();
    let tree = SiteTree::build(&articles, &config.title, toc);
    let (routes, route_diagnostics) = RouteTable::plan(&routes::Inputs {
        articles: &articles,
        sections: &tree.sections,
        paths: &paths,
        assets: &assets,
        content_dir: &config.content_dir,
        theme: theme.as_ref(),
        output_dir: &config.output_dir,
        offline: config.offline.enabled,
        kinds: &config.kinds,
        paginate_by: config.paginate_by,
        today: options.today,
    });
    drop(articles);
    diagnostics.extend(route_diagnostics);

    markdown::merge_shortcode_warnings(&mut diagnostics);
    diagnostics.cap_per_file();
    let theme = theme.unwrap_or_else(|| {
        let mut builtin = Theme::default();
        builtin.add_builtin();
        builtin
    });
    ValidatedSite::from_parts(SiteParts {
        config,
        pages,
        links,
        home_intro,
        section_intros,
        assets,
        paths,
        diagnostics,
        theme,
        routes,
        tree,
        today: options.today,
    })
}

fn check_unique_ids(articles: &[(Article, String)], diagnostics: &mut Diagnostics) {
    let mut first: HashMap<&str, &SourceRef> = HashMap::new();
    for (a, _) in articles {
        if let Some(other) = first.get(a.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "E0109",
                    format!(
                        "duplicate id `{}`: {} already uses it",
                        a.id,
                        other.path.display()
                    ),
                )
                .at(Location::new(&a.source.path, a.source.id_line, 1))
                .field("id")
                .hint("every article needs its own id; rename this file or set a different `id:`"),
            );
        } else {
            first.insert(&a.id, &a.source);
        }
    }
}

/// Renders one article's body against the site's link table and runs the
/// checks that need it. Returns its page (backlinks not yet filled) and the
/// diagnostics of its body, in the order a full validation reports them.
/// Validation runs it for every article; `svcbook serve` again for an edited one.
pub fn check_article(
    article: Article,
    body: String,
    links: &Links,
    raw_html: RawHtmlPolicy,
) -> (Page, Vec<Diagnostic>) {
    let a = &article;
    let input = markdown::Input {
        body: &body,
        body_line: a.source.body_line,
        path: &a.source.path,
        source_rel: &a.source.rel,
        page_url: &a.url,
        self_id: &a.id,
        raw_html,
        step_checklist: a.kind.spec().steps,
    };
    let mut r = markdown::render(&input, links);
    drop(body);
    // Built by appending, these have up to twice the capacity they use.
    r.html.shrink_to_fit();
    r.text.shrink_to_fit();
    let extra = body_checks(a, &r, links);
    let mut diagnostics = std::mem::take(&mut r.diagnostics);
    diagnostics.extend(extra);
    let page = Page {
        article,
        html: r.html,
        toc: r.toc,
        text: r.text,
        steps: r.steps,
        links_to: r.links_to,
        assets: r.assets,
        backlinks: Vec::new(),
        body: None,
    };
    (page, diagnostics)
}

/// Checks that need the rendered body or the link table: `related` ids, self
/// references, and the sections a kind's body should have.
fn body_checks(a: &Article, r: &markdown::Rendered, links: &Links) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let line_of = |i: usize| a.source.related_lines.get(i).copied().unwrap_or(1);
    for (i, id) in a.related.iter().enumerate() {
        if id == &a.id {
            out.push(
                Diagnostic::warning(
                    "W0106",
                    format!("`related` lists the article itself (`{id}`)"),
                )
                .at(Location::new(&a.source.path, line_of(i), 1))
                .field("related"),
            );
        } else if links.get(id).is_none() && !links.is_failed(id) {
            let hint = if links.left_out.contains(id) {
                format!(
                    "`{id}` is a draft and drafts are left out; build with --drafts or remove it"
                )
            } else {
                "check the id, or remove it from `related`".into()
            };
            out.push(
                Diagnostic::error(
                    "E0203",
                    format!("`related` names `{id}`, which does not exist"),
                )
                .at(Location::new(&a.source.path, line_of(i), 1))
                .field("related")
                .hint(hint),
            );
        }
    }
    // Reference fields of a kind (declared `type = "reference"`) name articles.
    for field in a.kind.spec().fields {
        if field.ty != crate::kinds::FieldType::Reference {
            continue;
        }
        let lines = a.source.term_lines.get(field.key);
        for (i, id) in a.fields.list(field.key).iter().enumerate() {
            let line = lines.and_then(|l| l.get(i)).copied().unwrap_or(1);
            if links.get(id).is_none() && !links.is_failed(id) {
                out.push(
                    Diagnostic::error(
                        "E0205",
                        format!("`{}` names `{id}`, which does not exist", field.key),
                    )
                    .at(Location::new(&a.source.path, line, 1))
                    .field(field.key)
                    .hint(format!("check the id, or remove it from `{}`", field.key)),
                );
            }
        }
    }
    if r.links_to.iter().any(|l| l == &a.id) {
        out.push(
            Diagnostic::warning("W0106", "the body links to the article itself").at(Location::new(
                &a.source.path,
                a.source.body_line,
                1,
            )),
        );
    }
    let headings: Vec<&str> = r
        .toc
        .iter()
        .filter(|t| t.level == 2)
        .map(|t| t.title.as_str())
        .collect();
    let required = a.kind.spec().sections;
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|s| !headings.contains(s))
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::warning(
                "W0102",
                format!(
                    "a {} should have the sections {}; missing: {}",
                    a.kind,
                    required.join(" / "),
                    missing.join(", ")
                ),
            )
            .at(Location::new(&a.source.path, a.source.body_line, 1))
            .hint(format!("add `## {}`", missing[0])),
        );
    }
    if a.kind.spec().steps && r.steps.is_empty() {
        let message = if r.has_steps_heading {
            "the `## 步骤` section has no numbered list"
        } else {
            "a procedure should have a `## 步骤` section with a numbered list"
        };
        out.push(
            Diagnostic::warning("W0103", message)
                .at(Location::new(&a.source.path, a.source.body_line, 1))
                .hint("write the steps as `1. ...`, `2. ...` under `## 步骤`"),
        );
    }
    out
}

fn fill_backlinks(pages: &mut [Page]) {
    let mut back: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pages.iter() {
        for target in p.links_to.iter().chain(&p.article.related) {
            if target != &p.article.id {
                back.entry(target.clone())
                    .or_default()
                    .push(p.article.id.clone());
            }
        }
    }
    for p in pages.iter_mut() {
        let mut list = back.remove(&p.article.id).unwrap_or_default();
        list.sort();
        list.dedup();
        p.backlinks = list;
    }
}
