//! The HTTP side of `svcbook serve`, as pure functions: request paths to site
//! paths (refusing traversal), MIME types, and the live-reload script injected
//! into HTML responses.

/// Where the live-reload script and its event stream live. Nothing a site
/// builds can be there: output paths never start with `__svcbook/`.
pub const LIVE_JS: &str = "/__svcbook/live.js";
pub const EVENTS: &str = "/__svcbook/events";

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// `..` segments (in any encoding), backslashes, NUL, or not UTF-8.
    Traversal,
    /// Not an origin-form path (`/…`).
    BadRequest,
}

/// Maps a request target (`/a/b.html?x#y`) to a site path.
///
/// The path is percent-decoded once; after decoding no segment may be `..` and
/// no byte may be a backslash or NUL. Empty and `.` segments are dropped; a
/// trailing slash names the folder's `index.html`.
pub fn site_path(url: &str) -> Result<String, Refused> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let decoded = percent_decode(path).ok_or(Refused::Traversal)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refused::Traversal);
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(Refused::Traversal),
            s => parts.push(s),
        }
    }
    let mut rel = parts.join("/");
    if rel.is_empty() {
        rel = "index.html".into();
    } else if decoded.ends_with('/') || decoded.ends_with("/.") {
        rel.push_str("/index.html");
    }
    Ok(rel)
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes a site path for a `Location` header: everything but unreserved ASCII
/// and `/` is percent-encoded.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Content-Type` for a site path, by extension.
pub fn mime_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page, before its last `</body>` (or
/// at the end). `generation` tells the script which build the page came from.
pub fn inject_live_reload(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS}\" data-generation=\"{generation}\"></script>\n");
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Whether a `Host` header names this server (loopback, on our port): a page on
/// another site that rebinds its DNS name to 127.0.0.1 must not read the preview.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return true };
    let (name, host_port) = match host.rsplit_once(':') {
        Some((n, p)) if !n.is_empty() && !p.contains(']') => (n, p.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]") && host_port == Some(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_path("/").unwrap(), "index.html");
        assert_eq!(site_path("/a/b.html?x=1#y").unwrap(), "a/b.html");
        assert_eq!(
            site_path("/fault-cases/").unwrap(),
            "fault-cases/index.html"
        );
        assert_eq!(site_path("//a//./b.html").unwrap(), "a/b.html");
        assert_eq!(
            site_path("/tags/%E5%88%B6%E5%86%B7.html").unwrap(),
            "tags/制冷.html"
        );
        assert_eq!(
            site_path("/tags/售后 服务.html").unwrap(),
            "tags/售后 服务.html"
        );
        // Double encoding decodes once: a literal `%2e%2e` name, not a parent.
        assert_eq!(site_path("/%252e%252e/x").unwrap(), "%2e%2e/x");
    }

    #[test]
    fn traversal_in_any_encoding_is_refused() {
        for bad in [
            "/../Cargo.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/..%2f..%2fetc/passwd",
            "/.%2e/x",
            "/a/..",
            "/..\\..\\windows",
            "/a%5c..%5cb",
            "/a%00.html",
            "/%ff%fe",
            "/%zz",
            "/%2",
        ] {
            assert_eq!(site_path(bad), Err(Refused::Traversal), "{bad}");
        }
        assert_eq!(site_path("http://evil/x"), Err(Refused::BadRequest));
        assert_eq!(site_path("*"), Err(Refused::BadRequest));
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("search/engine.wasm"), "application/wasm");
        assert_eq!(mime_type("a/index.HTML"), "text/html; charset=utf-8");
        assert_eq!(
            mime_type("assets/site.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(mime_type("sitemap.xml"), "application/xml");
        assert_eq!(
            mime_type("search/index.3f2a.bin"),
            "application/octet-stream"
        );
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject_live_reload(page, 7)).unwrap();
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script src=\"/__svcbook/live.js\" data-generation=\"7\"></script>\n</BODY></html>"
        );
        let bare = String::from_utf8(inject_live_reload(b"<p>x</p>", 1)).unwrap();
        assert!(bare.starts_with("<p>x</p><script"), "{bare}");
    }

    #[test]
    fn only_loopback_hosts_on_our_port() {
        assert!(host_allowed(Some("127.0.0.1:8000"), 8000));
        assert!(host_allowed(Some("localhost:8000"), 8000));
        assert!(host_allowed(Some("[::1]:8000"), 8000));
        assert!(host_allowed(None, 8000));
        assert!(!host_allowed(Some("evil.example:8000"), 8000));
        assert!(!host_allowed(Some("127.0.0.1:9000"), 8000));
        assert!(!host_allowed(Some("localhost"), 8000));
    }

    #[test]
    fn redirect_locations_are_encoded() {
        assert_eq!(
            percent_encode("/tags/售后 服务/"),
            "/tags/%E5%94%AE%E5%90%8E%20%E6%9C%8D%E5%8A%A1/"
        );
    }
}
