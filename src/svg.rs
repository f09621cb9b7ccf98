//! SVG files of the content folder, checked for active content before they are
//! copied into the site.
//!
//! An SVG opened on its own (a link to it, not an `<img>`) is a document that
//! runs its scripts with the site's origin. Under `raw_html = "escape"` no
//! author markup may execute, so an SVG that could run script is refused.
//!
//! The file is parsed as XML (roxmltree: a strict, conforming parser that
//! decodes character and entity references, internal DTD entities included), and
//! judged by element and attribute, after decoding — the way the browser will
//! read it. Text patterns were bypassed by a newline before `=` and by
//! `jav&#x61;script:`. A file that is not well-formed XML cannot be judged and
//! is refused as well: browsers render such a file up to the error.

use roxmltree::{Document, Node, NodeType, ParsingOptions, TextPos};

use crate::markdown::unsafe_scheme;

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const SVG: &str = "http://www.w3.org/2000/svg";

/// Elements that run script or embed a document of their own, by local name
/// (any namespace, any case).
const ACTIVE_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "handler",
    "listener",
    "iframe",
    "frame",
    "frameset",
    "embed",
    "object",
    "applet",
    "portal",
    "base",
    "meta",
];

/// SMIL animation elements: they can set any attribute, `href` and `on…` included.
const ANIMATIONS: &[&str] = &[
    "set",
    "animate",
    "animatetransform",
    "animatemotion",
    "animatecolor",
];

/// Why an SVG was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub column: usize,
    pub reason: String,
    /// The file is not well-formed XML (E0007) rather than active (E0006).
    pub malformed: bool,
}

/// The first thing in `text` that could run script, or why the file cannot be
/// judged; `None` for an SVG that is inert.
pub fn check(text: &str) -> Option<Refusal> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: 2_000_000,
        // External entities are never fetched: they stay unresolved, an error.
        ..ParsingOptions::default()
    };
    let doc = match Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => {
            let pos = e.pos();
            return Some(Refusal {
                line: pos.row as usize,
                column: pos.col as usize,
                reason: format!("this SVG is not well-formed XML ({e})"),
                malformed: true,
            });
        }
    };
    let at = |pos: TextPos, reason: String| Refusal {
        line: pos.row as usize,
        column: pos.col as usize,
        reason,
        malformed: false,
    };
    for node in doc.descendants() {
        let pos = doc.text_pos_at(node.range().start);
        match node.node_type() {
            NodeType::PI => {
                let pi = node.pi().map(|p| p.target).unwrap_or_default();
                if pi.eq_ignore_ascii_case("xml-stylesheet") {
                    // An XSLT stylesheet can turn the file into any HTML at all.
                    return Some(at(pos, "an `<?xml-stylesheet?>` instruction".into()));
                }
            }
            NodeType::Element => {
                if let Some(reason) = element_problem(&node) {
                    return Some(at(pos, reason));
                }
                for attr in node.attributes() {
                    if let Some(reason) = attribute_problem(&node, &attr) {
                        return Some(at(doc.text_pos_at(attr.range().start), reason));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn element_problem(node: &Node) -> Option<String> {
    let name = node.tag_name();
    let local = name.name().to_ascii_lowercase();
    if name.namespace() == Some(XHTML) {
        return Some(format!("an HTML element `<{}>`", name.name()));
    }
    if ACTIVE_ELEMENTS.contains(&local.as_str()) {
        return Some(format!("a `<{}>` element", name.name()));
    }
    if ANIMATIONS.contains(&local.as_str()) {
        let target = node
            .attributes()
            .find(|a| a.name().eq_ignore_ascii_case("attributeName"))
            .map(|a| a.value().trim().to_ascii_lowercase())
            .unwrap_or_default();
        let target_local = target.rsplit(':').next().unwrap_or("");
        if target_local == "href" || target_local.starts_with("on") {
            return Some(format!("a `<{}>` that changes `{target}`", name.name()));
        }
    }
    None
}

fn attribute_problem(node: &Node, attr: &roxmltree::Attribute) -> Option<String> {
    let name = attr.name().to_ascii_lowercase();
    // Event handlers are attributes of no namespace; `inkscape:onsomething`
    // metadata is not one (but a handler spelled with an SVG or XHTML prefix is).
    let plain = matches!(attr.namespace(), None | Some(SVG) | Some(XHTML));
    if plain && name.starts_with("on") {
        return Some(format!("an event handler `{}`", attr.name()));
    }
    let element = node.tag_name().name().to_ascii_lowercase();
    let is_url = matches!(name.as_str(), "href" | "src" | "action" | "formaction");
    if is_url {
        let image = element == "image" || element == "feimage";
        if let Some(scheme) = unsafe_scheme(attr.value(), image) {
            return Some(format!("a `{scheme}:` URL in `{}`", attr.name()));
        }
    }
    // `<animate attributeName="href" values="javascript:…">` is refused above;
    // a script URL in any animation value is refused too, whatever it targets.
    if ANIMATIONS.contains(&element.as_str())
        && matches!(name.as_str(), "values" | "to" | "from" | "by")
    {
        for value in attr.value().split(';') {
            if let Some(scheme) = unsafe_scheme(value, false) {
                return Some(format!("a `{scheme}:` URL in `{}`", attr.name()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(svg: &str) -> Refusal {
        check(svg).unwrap_or_else(|| panic!("accepted: {svg}"))
    }

    #[test]
    fn inert_drawings_pass() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><text>done one</text></svg>"#,
            r##"<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">
  <style>.a { fill: #0a0; }</style>
  <defs><linearGradient id="g"/></defs>
  <a href="https://example.com/"><rect class="a" width="10" height="10"/></a>
  <use xlink:href="#g"/>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
  <animate attributeName="opacity" values="0;1" dur="1s"/>
  <inkscape:foo inkscape:online="metadata, not a handler"/>
</svg>"##,
        ] {
            assert_eq!(check(svg), None, "{svg}");
        }
    }

    #[test]
    fn the_bypasses_of_the_text_check_are_refused() {
        let r = refused("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<image href=\"x\" onerror\n=\"alert(1)\"/></svg>");
        assert_eq!((r.line, r.malformed), (2, false));
        assert!(r.reason.contains("onerror"), "{}", r.reason);
        let r = refused(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="jav&#x61;script:alert(1)"><text>x</text></a></svg>"#,
        );
        assert!(r.reason.contains("javascript"), "{}", r.reason);
    }

    #[test]
    fn active_content_is_refused_by_element_and_attribute() {
        let ns = r#"xmlns="http://www.w3.org/2000/svg""#;
        for (svg, what) in [
            (format!("<svg {ns}><script>alert(1)</script></svg>"), "<script>"),
            (format!("<svg {ns}><SCRIPT>alert(1)</SCRIPT></svg>"), "<SCRIPT>"),
            (format!("<svg {ns}><foreignObject><div/></foreignObject></svg>"), "foreignObject"),
            (format!("<svg {ns} onload=\"alert(1)\"/>"), "onload"),
            (format!("<svg {ns}><a\tonclick='x()'>x</a></svg>"), "onclick"),
            (format!("<svg {ns}><a href=\" JavaScript:x()\">x</a></svg>"), "javascript"),
            (format!("<svg {ns}><a href=\"java&#9;script:x()\">x</a></svg>"), "javascript"),
            (format!("<svg {ns}><a href=\"data:text/html,&lt;script&gt;\">x</a></svg>"), "data"),
            (format!("<svg {ns} xmlns:q=\"http://www.w3.org/1999/xlink\"><a q:href=\"vbscript:x\">x</a></svg>"), "vbscript"),
            (format!("<svg {ns}><a><set attributeName=\"href\" to=\"javascript:alert(1)\"/>x</a></svg>"), "<set>"),
            (format!("<svg {ns}><a><animate attributeName=\"xlink:href\" values=\"#a;javascript:alert(1)\"/>x</a></svg>"), "<animate>"),
            (format!("<svg {ns}><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>"), "onmouseover"),
            (format!("<svg {ns} xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:img src=\"x\"/></svg>"), "HTML element"),
            (format!("<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><svg {ns}/>"), "xml-stylesheet"),
            (format!("<!DOCTYPE svg [<!ENTITY j \"javascript\">]><svg {ns}><a href=\"&j;:alert(1)\">x</a></svg>"), "javascript"),
            (format!("<svg {ns}><iframe src=\"x\"/></svg>"), "<iframe>"),
        ] {
            let r = refused(&svg);
            assert!(!r.malformed, "{svg}");
            assert!(r.reason.contains(what), "{svg}: {}", r.reason);
        }
    }

    #[test]
    fn malformed_files_are_refused_with_their_position() {
        for svg in [
            "<svg><a></svg>",
            "<svg onload=alert(1)/>",
            "<svg><a href=\"x\" href=\"y\"/></svg>",
            "<svg>&undefined;</svg>",
            "",
            "not xml",
        ] {
            let r = refused(svg);
            assert!(r.malformed, "{svg}");
            assert!(r.line >= 1, "{svg}");
        }
    }
}
