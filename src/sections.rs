//! The folder tree of plain pages: section pages, breadcrumbs and the
//! section navigation beside an article.
//!
//! Every folder that holds plain pages (at any depth) is a section. Its page
//! is its `_index.md`, `index.md` or `README.md` when it has one (an article,
//! see [`crate::article::section_files`]), or a listing svcbook makes itself.
//! The navigation follows the tree's own table of contents when it has one —
//! `SUMMARY.md` (mdBook, GitBook) or `TOC.md`, nested lists of links at the
//! content root — and the folders otherwise, ordered by `weight`, then title.

use std::collections::{BTreeSet, HashMap};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::markdown::{Links, Resolved};
use crate::model::{Article, Kind};
use crate::urls;

/// Above this many entries, an open folder of the navigation lists its
/// subfolders and the page shown, and links to its listing for the rest.
const MAX_OPEN_ENTRIES: usize = 60;

/// Files at the content root read as the tree's table of contents, in order of preference.
pub const TOC_FILES: &[&str] = &["SUMMARY.md", "TOC.md"];

#[derive(Debug, Clone)]
pub struct Section {
    /// Content-relative folder, `""` for the root.
    pub folder: String,
    pub title: String,
    /// Root-relative URL of its page.
    pub url: String,
    pub weight: i64,
    /// The article that is its page (index into the site's pages), if any.
    pub page: Option<usize>,
    pub parent: Option<usize>,
    /// Subsections and pages, in order.
    pub children: Vec<Child>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Section(usize),
    Page(usize),
}

/// One entry of a table of contents (`SUMMARY.md`, `TOC.md`).
#[derive(Debug, Clone, Default)]
pub struct TocItem {
    pub title: String,
    /// Root-relative URL, when the entry is a link to a page of the site.
    pub url: Option<String>,
    pub children: Vec<TocItem>,
}

#[derive(Debug, Default)]
pub struct SiteTree {
    pub sections: Vec<Section>,
    by_folder: HashMap<String, usize>,
    /// Page URL → the section it is listed in.
    section_of_page: HashMap<String, usize>,
    /// The table of contents, when the tree has one.
    pub toc: Option<Vec<TocItem>>,
}

/// The folders (with their ancestors, the root `""` included) that hold plain
/// pages: each is a section. A section page belongs to its own folder.
pub fn folders<'a>(articles: impl IntoIterator<Item = &'a Article>) -> BTreeSet<String> {
    let mut out = BTreeSet::from([String::new()]);
    for a in articles {
        if a.kind != Kind::PAGE {
            continue;
        }
        let mut folder = match &a.section_of {
            Some(f) => f.as_str(),
            None => crate::article::section_folder(&a.source.rel),
        };
        while !folder.is_empty() && out.insert(folder.to_string()) {
            folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    out
}

/// URL of a folder's section page.
pub fn section_url(folder: &str) -> String {
    if folder.is_empty() {
        "index.html".to_string()
    } else {
        format!("{folder}/index.html")
    }
}

impl SiteTree {
    /// The tree of the plain pages among `articles` (the site's pages, in order).
    pub fn build(articles: &[&Article], home_title: &str, toc: Option<Vec<TocItem>>) -> SiteTree {
        let mut tree = SiteTree {
            toc,
            ..SiteTree::default()
        };
        for folder in folders(articles.iter().copied()) {
            let i = tree.sections.len();
            let name = folder.rsplit('/').next().unwrap_or(&folder).to_string();
            tree.sections.push(Section {
                url: section_url(&folder),
                title: if folder.is_empty() {
                    home_title.to_string()
                } else {
                    name
                },
                folder: folder.clone(),
                weight: 0,
                page: None,
                parent: None,
                children: Vec::new(),
            });
            tree.by_folder.insert(folder, i);
        }
        for i in 0..tree.sections.len() {
            let folder = &tree.sections[i].folder;
            if folder.is_empty() {
                continue;
            }
            let parent = folder.rsplit_once('/').map_or("", |(p, _)| p);
            let p = tree.by_folder[parent];
            tree.sections[i].parent = Some(p);
            tree.sections[p].children.push(Child::Section(i));
        }
        for (i, a) in articles.iter().enumerate() {
            if a.kind != Kind::PAGE {
                continue;
            }
            if let Some(folder) = &a.section_of {
                let s = tree.by_folder[folder.as_str()];
                let section = &mut tree.sections[s];
                section.page = Some(i);
                section.title = a.title.clone();
                section.weight = a.weight;
                tree.section_of_page.insert(a.url.clone(), s);
                continue;
            }
            let s = tree.by_folder[crate::article::section_folder(&a.source.rel)];
            tree.sections[s].children.push(Child::Page(i));
            tree.section_of_page.insert(a.url.clone(), s);
        }
        // A listing svcbook makes is the page of its own section.
        for (i, section) in tree.sections.iter().enumerate() {
            tree.section_of_page.entry(section.url.clone()).or_insert(i);
        }
        let keys: Vec<Vec<(i64, bool, String, String)>> = tree
            .sections
            .iter()
            .map(|s| {
                s.children
                    .iter()
                    .map(|c| tree.child_key(articles, *c))
                    .collect()
            })
            .collect();
        for (s, keys) in tree.sections.iter_mut().zip(keys) {
            let mut pairs: Vec<_> = keys.into_iter().zip(s.children.drain(..)).collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            s.children = pairs.into_iter().map(|(_, c)| c).collect();
        }
        tree
    }

    /// Order of entries: `weight`, then subsections before pages (a folder
    /// of hundreds of pages keeps its subfolders in sight), then title.
    fn child_key(&self, articles: &[&Article], child: Child) -> (i64, bool, String, String) {
        match child {
            Child::Section(i) => {
                let s = &self.sections[i];
                (s.weight, false, s.title.clone(), s.url.clone())
            }
            Child::Page(i) => {
                let a = articles[i];
                (a.weight, true, a.title.clone(), a.url.clone())
            }
        }
    }

    /// Whether the tree is deep enough to need navigation: a subfolder or a
    /// table of contents.
    pub fn has_navigation(&self) -> bool {
        self.toc.is_some() || self.sections.len() > 1
    }

    pub fn section(&self, folder: &str) -> Option<&Section> {
        self.by_folder.get(folder).map(|&i| &self.sections[i])
    }

    /// The section a page (by URL) is listed in, or is the page of.
    pub fn section_of(&self, url: &str) -> Option<usize> {
        self.section_of_page.get(url).copied()
    }

    /// The sections from the root down to `section`, inclusive.
    pub fn ancestors(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut at = section;
        while let Some(p) = self.sections[at].parent {
            chain.push(p);
            at = p;
        }
        chain.reverse();
        chain
    }
}

/// Reads a table of contents: nested lists whose items are links (or plain
/// text, for a group), and headings that start a group of their own (mdBook's
/// parts, GitBook's groups). Links are resolved like any other link of the file.
pub fn read_toc(rel: &str, text: &str, links: &Links) -> Vec<TocItem> {
    let body = crate::frontmatter::split(std::path::Path::new(rel), text)
        .map(|s| s.body)
        .unwrap_or(text);
    // Stack of open items; the bottom one is the root.
    let mut stack: Vec<TocItem> = vec![TocItem::default()];
    let mut in_heading = false;
    let mut heading = String::new();
    let mut seen_heading = false;
    let mut item_has_link = Vec::new();
    let mut in_link = false;
    let mut bare_link = false;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                // The first `# Summary` names the file, not a group.
                let title = heading.trim().to_string();
                if level as u8 == 1 && !seen_heading {
                    seen_heading = true;
                    continue;
                }
                seen_heading = true;
                while stack.len() > 1 {
                    let done = stack.pop().unwrap_or_default();
                    if let Some(p) = stack.last_mut() {
                        p.children.push(done);
                    }
                }
                if !title.is_empty() {
                    stack.push(TocItem {
                        title,
                        ..TocItem::default()
                    });
                    item_has_link.clear();
                }
            }
            Event::Start(Tag::Item) => {
                stack.push(TocItem::default());
                item_has_link.push(false);
            }
            Event::End(TagEnd::Item) => {
                let mut done = stack.pop().unwrap_or_default();
                item_has_link.pop();
                done.title = done.title.trim().to_string();
                if let Some(parent) = stack.last_mut() {
                    if !done.title.is_empty() || !done.children.is_empty() {
                        parent.children.push(done);
                    }
                }
            }
            // The first link of a list item is the item's; a link outside
            // any list (mdBook's prefix and suffix chapters) is an entry.
            Event::Start(Tag::Link { dest_url, .. })
                if !in_heading
                    && (item_has_link.is_empty() || item_has_link.last() == Some(&false)) =>
            {
                let path_end = dest_url.find(['#', '?']).unwrap_or(dest_url.len());
                let path = urls::percent_decode(&dest_url[..path_end]);
                let url = if urls::is_external(&dest_url) || path.is_empty() {
                    None
                } else {
                    match links.resolve(rel, &path) {
                        Resolved::Page(t) => Some(t.url.clone()),
                        Resolved::Section(u) => Some(u),
                        _ => None,
                    }
                };
                in_link = true;
                if let Some(flag) = item_has_link.last_mut() {
                    *flag = true;
                    if let Some(item) = stack.last_mut() {
                        item.url = url;
                        item.title.clear();
                    }
                } else {
                    bare_link = true;
                    stack.push(TocItem {
                        url,
                        ..TocItem::default()
                    });
                }
            }
            Event::End(TagEnd::Link) => {
                in_link = false;
                if bare_link {
                    bare_link = false;
                    let mut done = stack.pop().unwrap_or_default();
                    done.title = done.title.trim().to_string();
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(done);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                } else if in_link || !item_has_link.is_empty() {
                    if let Some(item) = stack.last_mut() {
                        // Text after the item's link (a description) is not its title.
                        if in_link || item.url.is_none() && item.children.is_empty() {
                            item.title.push_str(&t);
                        }
                    }
                }
            }
            Event::Start(Tag::List(_)) if stack.len() > 1 => {
                if let Some(item) = stack.last_mut() {
                    item.title = item.title.trim().to_string();
                }
            }
            _ => {}
        }
    }
    while stack.len() > 1 {
        let done = stack.pop().unwrap_or_default();
        if let Some(p) = stack.last_mut() {
            p.children.push(done);
        }
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

/// One entry of the navigation as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct NavNode {
    pub title: String,
    /// Relative to the page shown; `None` for a group heading.
    pub url: Option<String>,
    pub current: bool,
    /// Whether the page shown is inside it (its details are open).
    pub open: bool,
    pub children: Vec<NavNode>,
}

/// The navigation as a flat list for templates: `kind` is `item` (an entry
/// without entries), `open` (an entry whose entries follow, up to the
/// matching `close`) or `close`.
#[derive(Debug, Clone, Serialize)]
pub struct NavLine {
    pub kind: &'static str,
    pub title: String,
    pub url: Option<String>,
    pub current: bool,
    pub open: bool,
}

pub fn flatten(nodes: Vec<NavNode>) -> Vec<NavLine> {
    fn walk(nodes: Vec<NavNode>, out: &mut Vec<NavLine>) {
        for n in nodes {
            let has_children = !n.children.is_empty();
            out.push(NavLine {
                kind: if has_children { "open" } else { "item" },
                title: n.title,
                url: n.url,
                current: n.current,
                open: n.open,
            });
            if has_children {
                walk(n.children, out);
                out.push(NavLine {
                    kind: "close",
                    title: String::new(),
                    url: None,
                    current: false,
                    open: false,
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(nodes, &mut out);
    out
}

/// One step of the breadcrumbs.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// The navigation beside the page at `page_url`: the table of contents, or
/// the folder tree, open along the way to the page. Branches the page is not
/// in show their entries one level deep (a group) or not at all (a section,
/// whose page lists them), so a tree of thousands of pages stays a small
/// block on each page.
pub fn nav(tree: &SiteTree, articles: &[&Article], page_url: &str) -> Vec<NavNode> {
    // A page the table of contents leaves out gets the folder tree, which
    // has it.
    if let Some(toc) = tree
        .toc
        .as_ref()
        .filter(|toc| toc.iter().any(|item| toc_contains(item, page_url)))
    {
        return toc.iter().map(|item| toc_node(item, page_url)).collect();
    }
    let Some(root) = tree.section("") else {
        return Vec::new();
    };
    let open: BTreeSet<usize> = tree
        .section_of(page_url)
        .map(|s| tree.ancestors(s).into_iter().collect())
        .unwrap_or_default();
    root.children
        .iter()
        .map(|c| folder_node(tree, articles, *c, page_url, &open))
        .collect()
}

fn toc_contains(item: &TocItem, page_url: &str) -> bool {
    item.url.as_deref() == Some(page_url) || item.children.iter().any(|c| toc_contains(c, page_url))
}

/// An entry of the table of contents: with all its entries when the page
/// shown is inside it, with its entries one level deep when it is a group
/// without a page of its own, else alone.
fn toc_node(item: &TocItem, page_url: &str) -> NavNode {
    let open = toc_contains(item, page_url);
    let children = if open {
        item.children
            .iter()
            .map(|c| toc_node(c, page_url))
            .collect()
    } else if item.url.is_none() {
        item.children
            .iter()
            .map(|c| NavNode {
                children: Vec::new(),
                ..toc_node(c, page_url)
            })
            .collect()
    } else {
        Vec::new()
    };
    NavNode {
        title: item.title.clone(),
        url: item.url.as_deref().map(|u| urls::relative(page_url, u)),
        current: item.url.as_deref() == Some(page_url),
        open,
        children,
    }
}

fn folder_node(
    tree: &SiteTree,
    articles: &[&Article],
    child: Child,
    page_url: &str,
    open: &BTreeSet<usize>,
) -> NavNode {
    match child {
        Child::Page(i) => {
            let a = articles[i];
            NavNode {
                title: a.title.clone(),
                url: Some(urls::relative(page_url, &a.url)),
                current: a.url == page_url,
                open: false,
                children: Vec::new(),
            }
        }
        Child::Section(s) => {
            let section = &tree.sections[s];
            let is_open = open.contains(&s);
            NavNode {
                title: section.title.clone(),
                url: Some(urls::relative(page_url, &section.url)),
                current: section.url == page_url,
                open: is_open,
                children: if !is_open {
                    Vec::new()
                } else if section.children.len() <= MAX_OPEN_ENTRIES {
                    section
                        .children
                        .iter()
                        .map(|c| folder_node(tree, articles, *c, page_url, open))
                        .collect()
                } else {
                    // A folder of hundreds of pages would put hundreds of
                    // links on each of them: its subfolders, the page shown,
                    // and a link to the folder's own listing stand in.
                    let mut shown: Vec<NavNode> = section
                        .children
                        .iter()
                        .filter(|c| match **c {
                            Child::Section(_) => true,
                            Child::Page(i) => articles[i].url == page_url,
                        })
                        .map(|c| folder_node(tree, articles, *c, page_url, open))
                        .collect();
                    shown.push(NavNode {
                        title: format!("本节全部 {} 项…", section.children.len()),
                        url: Some(urls::relative(page_url, &section.url)),
                        current: false,
                        open: false,
                        children: Vec::new(),
                    });
                    shown
                },
            }
        }
    }
}

/// The breadcrumbs of the page at `page_url`: the home page and each section
/// above it (not the page itself).
pub fn crumbs(tree: &SiteTree, page_url: &str) -> Vec<Crumb> {
    let Some(s) = tree.section_of(page_url) else {
        return Vec::new();
    };
    let mut chain = tree.ancestors(s);
    if tree.sections[s].url == page_url {
        chain.pop();
    }
    chain
        .into_iter()
        .map(|i| {
            let section = &tree.sections[i];
            Crumb {
                title: if section.folder.is_empty() {
                    "首页".to_string()
                } else {
                    section.title.clone()
                },
                url: urls::relative(page_url, &section.url),
            }
        })
        .collect()
}

/// A section's entries, as links from `page_url`.
pub fn listing(
    tree: &SiteTree,
    articles: &[&Article],
    section: usize,
    page_url: &str,
) -> Vec<ListingEntry> {
    tree.sections[section]
        .children
        .iter()
        .map(|c| match *c {
            Child::Page(i) => ListingEntry {
                title: articles[i].title.clone(),
                url: urls::relative(page_url, &articles[i].url),
                summary: articles[i].summary.clone(),
                is_section: false,
            },
            Child::Section(s) => {
                let sec = &tree.sections[s];
                ListingEntry {
                    title: sec.title.clone(),
                    url: urls::relative(page_url, &sec.url),
                    summary: sec
                        .page
                        .map(|p| articles[p].summary.clone())
                        .unwrap_or_default(),
                    is_section: true,
                }
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct ListingEntry {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub is_section: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::LinkTarget;

    fn page(rel: &str, title: &str, weight: i64, section_of: Option<&str>) -> Article {
        let file = crate::load::SourceFile {
            path: format!("content/{rel}").into(),
            rel: rel.into(),
            text: format!("# {title}\n"),
        };
        let mut a = match crate::article::parse(&file).0 {
            Some(crate::article::Parsed::Article(a, _)) => *a,
            other => panic!("{other:?}"),
        };
        a.weight = weight;
        a.section_of = section_of.map(str::to_string);
        if let Some(folder) = section_of {
            a.url = section_url(folder);
        }
        a
    }

    #[test]
    fn folders_become_sections_ordered_by_weight_then_title() {
        let pages = [
            page("guide/_index.md", "指南", 0, Some("guide")),
            page("guide/b.md", "乙", 1, None),
            page("guide/a.md", "甲", 2, None),
            page("guide/deep/c.md", "丙", 0, None),
            page("top.md", "顶层", 0, None),
        ];
        let refs: Vec<&Article> = pages.iter().collect();
        let tree = SiteTree::build(&refs, "首页", None);
        let guide = tree.section("guide").unwrap();
        assert_eq!(guide.title, "指南");
        assert_eq!(guide.page, Some(0));
        let order: Vec<String> = listing(&tree, &refs, tree.by_folder["guide"], "guide/index.html")
            .into_iter()
            .map(|e| e.title)
            .collect();
        // The subfolder (weight 0) first, then by weight.
        assert_eq!(order, ["deep", "乙", "甲"]);
        let crumbs: Vec<String> = crumbs(&tree, "guide/deep/c.html")
            .into_iter()
            .map(|c| format!("{} {}", c.title, c.url))
            .collect();
        assert_eq!(
            crumbs,
            [
                "首页 ../../index.html",
                "指南 ../index.html",
                "deep index.html"
            ]
        );
        // The navigation is open along the way to the page only.
        let nav = nav(&tree, &refs, "guide/deep/c.html");
        let guide_node = nav.iter().find(|n| n.title == "指南").unwrap();
        assert!(guide_node.open);
        let deep = guide_node
            .children
            .iter()
            .find(|n| n.title == "deep")
            .unwrap();
        assert!(deep.open && deep.children[0].current);
    }

    #[test]
    fn a_summary_is_read_as_nested_entries_with_groups() {
        let mut links = Links::default();
        for (rel, url) in [
            ("README.md", "README.html"),
            ("a.md", "a.html"),
            ("b/c.md", "b/c.html"),
        ] {
            links.insert(
                rel,
                LinkTarget {
                    id: rel.into(),
                    title: rel.into(),
                    url: url.into(),
                },
            );
        }
        let toc = read_toc(
            "SUMMARY.md",
            "# Summary\n\n[前言](README.md)\n\n## 第一部分\n\n- [甲](a.md)\n  - [丙](b/c.md) 说明文字\n- 草稿章节\n",
            &links,
        );
        let shape: Vec<String> = toc
            .iter()
            .map(|t| format!("{}:{}", t.title, t.children.len()))
            .collect();
        assert_eq!(shape, ["前言:0", "第一部分:2"], "{toc:?}");
        assert_eq!(toc[0].url.as_deref(), Some("README.html"));
        let toc = &toc[1..];
        let first = &toc[0].children[0];
        assert_eq!(
            (first.title.as_str(), first.url.as_deref()),
            ("甲", Some("a.html"))
        );
        assert_eq!(first.children[0].title, "丙");
        assert_eq!(first.children[0].url.as_deref(), Some("b/c.html"));
        assert_eq!(toc[0].children[1].url, None);
    }
}
