//! Relative URLs. Every link in the site is relative so that the output works from
//! `file://`, from a USB stick and under any sub-path of a web server.

/// The prefix that leads from a page back to the site root: `""` for `index.html`,
/// `"../"` for `fault-cases/FC-0001.html`.
pub fn root_prefix(page_url: &str) -> String {
    "../".repeat(page_url.matches('/').count())
}

/// URL of `target` (root-relative) as seen from `page` (root-relative).
pub fn relative(page: &str, target: &str) -> String {
    encode_path(&relative_raw(page, target))
}

/// [`relative`] without percent-encoding, for paths that are already encoded.
fn relative_raw(page: &str, target: &str) -> String {
    let from_dir: Vec<&str> = page.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to: Vec<&str> = target.split('/').collect();
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// Rewrites the relative `href`/`src` links of an HTML fragment written for the
/// page `from` so that they work from the page `to` (used to gather articles into
/// one printable page). Fragment-only, external and unresolvable links are kept.
pub fn rebase_html(html: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ["href=\"", "src=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .min();
        let Some((start, len)) = next else { break };
        let value_start = start + len;
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + value_len];
        out.push_str(&rest[..value_start]);
        let rebased = if value.is_empty() || value.starts_with('#') || is_external(value) {
            None
        } else {
            rebase(value, from, to)
        };
        out.push_str(rebased.as_deref().unwrap_or(value));
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// `link`, written relative to the file `from`, as seen from the file `to` (both
/// root-relative); `None` if it climbs above the root. No percent-encoding is
/// added or removed. A `?query` or `#fragment` is kept as it is.
pub fn rebase(link: &str, from: &str, to: &str) -> Option<String> {
    let split = link.find(['?', '#']).unwrap_or(link.len());
    let (path, suffix) = link.split_at(split);
    let root_rel = join(from, path)?;
    Some(relative_raw(to, &root_rel) + suffix)
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as they are.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Percent-encodes what must not appear raw in an href (spaces, `%`, quotes,
/// `?`), leaving Unicode as it is: browsers accept IRIs and the links stay readable.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '"' => out.push_str("%22"),
            '?' => out.push_str("%3F"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            _ => out.push(c),
        }
    }
    out
}

/// Resolves `link` (relative to the folder of `from_rel`, both `/`-separated)
/// into a normalised path; `None` if it climbs above the root.
pub fn join(from_rel: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_rel.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Whether a link leaves the site (scheme, protocol-relative, or mail).
pub fn is_external(link: &str) -> bool {
    link.starts_with("//")
        || link.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_between_pages() {
        assert_eq!(
            relative("fault-cases/FC-1.html", "procedures/PR-1.html"),
            "../procedures/PR-1.html"
        );
        assert_eq!(
            relative("index.html", "procedures/PR-1.html"),
            "procedures/PR-1.html"
        );
        assert_eq!(
            relative("fault-cases/FC-1.html", "fault-cases/FC-2.html"),
            "FC-2.html"
        );
        assert_eq!(relative("a/b/c.html", "index.html"), "../../index.html");
        assert_eq!(
            relative("tags/x.html", "tags/售后 服务.html"),
            "售后%20服务.html"
        );
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
    }

    #[test]
    fn rebases_links_between_pages() {
        let html = r##"<a href="../procedures/PR-1.html#%E6%AD%A5">x</a><a href="#local">y</a><img src="pic.png"><a href="https://e.com/">z</a>"##;
        assert_eq!(
            rebase_html(html, "fault-cases/FC-1.html", "paths/p-print.html"),
            r##"<a href="../procedures/PR-1.html#%E6%AD%A5">x</a><a href="#local">y</a><img src="../fault-cases/pic.png"><a href="https://e.com/">z</a>"##
        );
        assert_eq!(
            rebase_html(r#"<a href="guide/a.html">"#, "index.html", "paths/p.html"),
            r#"<a href="../guide/a.html">"#
        );
    }

    #[test]
    fn rebases_one_link_keeping_query_and_fragment() {
        assert_eq!(
            rebase(
                "img/a%20b.png?v=1#x/y",
                "fault-cases/cooling/FC-1.md",
                "fault-cases/FC-1.html"
            )
            .as_deref(),
            Some("cooling/img/a%20b.png?v=1#x/y")
        );
        assert_eq!(
            rebase("../x.pdf", "guide/a.md", "procedures/a.html").as_deref(),
            Some("../x.pdf")
        );
        assert_eq!(rebase("../../x.png", "a.md", "b/c.html"), None);
        assert_eq!(percent_decode("a%20b%E5%9B%BE.png"), "a b图.png");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn joins_and_refuses_to_climb_out() {
        assert_eq!(
            join("fault-cases/a.md", "../procedures/b.md").as_deref(),
            Some("procedures/b.md")
        );
        assert_eq!(join("a.md", "./b.md").as_deref(), Some("b.md"));
        assert_eq!(join("a.md", "../../b.md"), None);
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://example.com"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
    }
}
