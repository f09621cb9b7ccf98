//! Listings split into pages: a kind's index, a term's page, the time limits,
//! the review report and a folder's listing hold `paginate_by` entries each
//! (`svcbook.toml`), so no file grows with the knowledge base — at 50,000
//! articles a single `fault-cases/index.html` was 11.6 MB, over what static
//! hosts take for one file and far too much for a phone.
//!
//! Page 1 keeps the listing's URL; page N is `page/N.html` in the folder
//! named after it, the way Hugo and Zola lay out `page/N/` but as a file, so
//! that links work from `file://` without a server answering for a folder:
//! `fault-cases/index.html` → `fault-cases/page/2.html`, `time-limits.html`
//! → `time-limits/page/2.html`, `tags/物流.html` → `tags/物流/page/2.html`.
//! The route table owns every page (a file already there is a collision).

use std::ops::Range;

use serde::Serialize;

use crate::urls;

/// Page `number` (from 1) of a listing of `count` pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageOf {
    pub number: usize,
    pub count: usize,
}

impl PageOf {
    /// The pages of a listing of `entries` entries, `per_page` on each. An
    /// empty listing still has its one page (it says there is nothing).
    pub fn all(entries: usize, per_page: usize) -> impl Iterator<Item = PageOf> {
        let count = entries.div_ceil(per_page.max(1)).max(1);
        (1..=count).map(move |number| PageOf { number, count })
    }

    /// The entries of this page, as positions in the whole listing.
    pub fn range(self, entries: usize, per_page: usize) -> Range<usize> {
        let start = ((self.number - 1) * per_page).min(entries);
        start..(start + per_page).min(entries)
    }
}

/// The file of page `number` of the listing whose first page is `first`.
pub fn page_url(first: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_string();
    }
    if first == "index.html" {
        return format!("page/{number}.html");
    }
    let folder = first
        .strip_suffix("/index.html")
        .or_else(|| first.strip_suffix(".html"))
        .unwrap_or(first);
    format!("{folder}/page/{number}.html")
}

/// The page-number nav of a page of a listing, its links relative to the
/// page; what templates print (`pager`).
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub number: usize,
    pub count: usize,
    /// Entries of the whole listing.
    pub total: usize,
    /// Positions (from 1) of the first and last entry shown here.
    pub first: usize,
    pub last: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The numbers to show: the first and last page, and two either side of
    /// this one; a gap (`…`) stands for the pages left out.
    pub links: Vec<PagerLink>,
    /// This page's own address: absolute when the site has a `base_url`.
    pub canonical: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    /// 0 for a gap.
    pub number: usize,
    /// `None` for a gap.
    pub url: Option<String>,
    pub current: bool,
}

/// How many page numbers either side of the current one the nav shows.
const AROUND: usize = 2;

impl Pager {
    /// The nav of `page` of the listing at `first` (`total` entries, `per_page`
    /// a page), for a site published at `base_url` (may be empty).
    pub fn new(first: &str, page: PageOf, total: usize, per_page: usize, base_url: &str) -> Pager {
        let here = page_url(first, page.number);
        let link = |n: usize| urls::relative(&here, &page_url(first, n));
        let range = page.range(total, per_page);
        let mut links = Vec::new();
        let mut last_shown = 0;
        for n in 1..=page.count {
            let near = n.abs_diff(page.number) <= AROUND;
            // A gap that would hide a single page shows it instead.
            let lone = n == 2 || n + 1 == page.count;
            let edge_of_window = n.abs_diff(page.number) == AROUND + 1;
            if n == 1 || n == page.count || near || (lone && edge_of_window) {
                if last_shown + 1 < n {
                    links.push(PagerLink {
                        number: 0,
                        url: None,
                        current: false,
                    });
                }
                links.push(PagerLink {
                    number: n,
                    url: Some(link(n)),
                    current: n == page.number,
                });
                last_shown = n;
            }
        }
        Pager {
            number: page.number,
            count: page.count,
            total,
            first: if range.is_empty() { 0 } else { range.start + 1 },
            last: range.end,
            prev: (page.number > 1).then(|| link(page.number - 1)),
            next: (page.number < page.count).then(|| link(page.number + 1)),
            links,
            canonical: if base_url.is_empty() {
                urls::relative(&here, &here)
            } else {
                format!("{base_url}{}", urls::encode_path(&here))
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_are_files_in_a_folder_named_after_the_listing() {
        assert_eq!(
            page_url("fault-cases/index.html", 1),
            "fault-cases/index.html"
        );
        assert_eq!(
            page_url("fault-cases/index.html", 2),
            "fault-cases/page/2.html"
        );
        assert_eq!(page_url("time-limits.html", 12), "time-limits/page/12.html");
        assert_eq!(page_url("tags/物流.html", 3), "tags/物流/page/3.html");
        assert_eq!(page_url("index.html", 2), "page/2.html");
    }

    #[test]
    fn entries_split_into_pages_with_none_lost() {
        let pages: Vec<PageOf> = PageOf::all(5, 2).collect();
        assert_eq!(pages.len(), 3);
        let ranges: Vec<_> = pages.iter().map(|p| p.range(5, 2)).collect();
        assert_eq!(ranges, [0..2, 2..4, 4..5]);
        assert_eq!(PageOf::all(4, 2).count(), 2);
        let empty: Vec<PageOf> = PageOf::all(0, 2).collect();
        assert_eq!(
            empty,
            [PageOf {
                number: 1,
                count: 1
            }]
        );
        assert_eq!(empty[0].range(0, 2), 0..0);
    }

    fn shown(number: usize, count: usize) -> String {
        let pager = Pager::new("a/index.html", PageOf { number, count }, count * 10, 10, "");
        pager
            .links
            .iter()
            .map(|l| match (l.number, l.current) {
                (0, _) => "…".to_string(),
                (n, true) => format!("[{n}]"),
                (n, false) => n.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_nav_shows_the_ends_and_the_pages_around_with_gaps() {
        assert_eq!(shown(1, 1), "[1]");
        assert_eq!(shown(2, 5), "1 [2] 3 4 5");
        assert_eq!(shown(1, 10), "[1] 2 3 … 10");
        assert_eq!(shown(6, 12), "1 … 4 5 [6] 7 8 … 12");
        // A gap never hides one page: 2 and 11 are shown instead.
        assert_eq!(shown(5, 12), "1 2 3 4 [5] 6 7 … 12");
        assert_eq!(shown(8, 12), "1 … 6 7 [8] 9 10 11 12");
        assert_eq!(shown(12, 12), "1 … 10 11 [12]");
    }

    #[test]
    fn links_are_relative_to_the_page_and_canonical_is_the_page_itself() {
        let p = Pager::new(
            "fault-cases/index.html",
            PageOf {
                number: 2,
                count: 3,
            },
            25,
            10,
            "https://kb.example/",
        );
        assert_eq!(p.prev.as_deref(), Some("../index.html"));
        assert_eq!(p.next.as_deref(), Some("3.html"));
        assert_eq!((p.first, p.last), (11, 20));
        assert_eq!(p.canonical, "https://kb.example/fault-cases/page/2.html");
        // Page `number` of three of the 25 time limits, 10 a page.
        let time_limits =
            |number| Pager::new("time-limits.html", PageOf { number, count: 3 }, 25, 10, "");
        let first = time_limits(1);
        assert_eq!(first.prev, None);
        assert_eq!(first.next.as_deref(), Some("time-limits/page/2.html"));
        assert_eq!(first.canonical, "time-limits.html");
        let last = time_limits(3);
        assert_eq!((last.first, last.last, last.next), (21, 25, None));
        assert_eq!(last.links[0].url.as_deref(), Some("../../time-limits.html"));
    }
}
