//! The one table of diagnostic codes. Code sites write the code itself
//! (`Diagnostic::error("E0104", …)`); a test finds every such code here, and
//! the README's table is printed from this one.

/// One row of the table of diagnostic codes: a code (or a pair that are one
/// problem at two severities or two sides) and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub codes: &'static [&'static str],
    /// Markdown, as the README prints it.
    pub meaning: &'static str,
}

/// Every code svcbook reports, in the README's order. The README's table is
/// [`codes_markdown`] of this (a test keeps them equal), and a test finds
/// every code the source reports here.
pub const CODES: &[Code] = &[
    Code {
        codes: &["E0001", "E0002"],
        meaning: "`svcbook.toml` unreadable (a folder, a FIFO, a link out) / invalid (unknown key, wrong type, unknown theme)",
    },
    Code {
        codes: &["E0003"],
        meaning: "a file cannot be read or is not UTF-8",
    },
    Code {
        codes: &["E0004"],
        meaning: "a file is larger than its limit (articles 8 MiB; see \"Odd input\")",
    },
    Code {
        codes: &["E0005"],
        meaning: "a symbolic link loop, or a link pointing outside the site (or written through by `init`/`new`)",
    },
    Code {
        codes: &["E0006"],
        meaning: "an SVG file can run script (`<script>`, `<foreignObject>`, `on…` handlers, `javascript:`/`data:` in `href`, animations of `href`, `xml-stylesheet`), judged as parsed XML; refused under `raw_html = \"escape\"`",
    },
    Code {
        codes: &["E0007"],
        meaning: "an SVG file is not well-formed XML (or not UTF-8), so what it would run cannot be judged",
    },
    Code {
        codes: &["E0008"],
        meaning: "not a regular file (a FIFO, device, socket or folder where a file belongs), or a file where a folder belongs",
    },
    Code {
        codes: &["E0009", "W0009"],
        meaning: "more than 100 problems in one file: the rest are counted in this one (E0009 if an error is among them)",
    },
    Code {
        codes: &["E0101"],
        meaning: "front matter is never closed",
    },
    Code {
        codes: &["E0102"],
        meaning: "front matter is not valid YAML (tabs, unclosed quotes, duplicate keys…)",
    },
    Code {
        codes: &["E0103"],
        meaning: "a field has the wrong type",
    },
    Code {
        codes: &["E0104"],
        meaning: "a date is not a valid `YYYY-MM-DD`",
    },
    Code {
        codes: &["E0105"],
        meaning: "a value is not one of the allowed names",
    },
    Code {
        codes: &["E0106"],
        meaning: "a duration is invalid or out of range",
    },
    Code {
        codes: &["E0107"],
        meaning: "a required field is missing",
    },
    Code {
        codes: &["E0108"],
        meaning: "an id or path is unsafe, or its output file is another's (a generated page, an article, a static or content file, a term page differing only in case)",
    },
    Code {
        codes: &["E0109"],
        meaning: "two articles share an id",
    },
    Code {
        codes: &["E0110"],
        meaning: "unknown `kind`",
    },
    Code {
        codes: &["E0111"],
        meaning: "a name is too long to be a file name (over 255 bytes), or a path too long for the system",
    },
    Code {
        codes: &["E0112"],
        meaning: "a front-matter key of a typed kind is a near miss of one of its keys (`error_code:` for `error_codes:`); the hint names it",
    },
    Code {
        codes: &["E0201"],
        meaning: "`[[ID]]` names no article (or a draft left out of the build)",
    },
    Code {
        codes: &["E0202"],
        meaning: "a `.md` link (or a site-root link to a page) names no article, section or file",
    },
    Code {
        codes: &["E0203"],
        meaning: "`related` names no article",
    },
    Code {
        codes: &["E0204"],
        meaning: "a learning path names no article (or a draft left out of the build)",
    },
    Code {
        codes: &["E0205"],
        meaning: "a `reference` field of a kind declared in `svcbook.toml` names no article",
    },
    Code {
        codes: &["E0301", "E0302"],
        meaning: "a template does not compile / fails to render (names template and line)",
    },
    Code {
        codes: &["W0101"],
        meaning: "unknown front-matter key on a typed kind",
    },
    Code {
        codes: &["W0102"],
        meaning: "a fault case or playbook lacks an expected section",
    },
    Code {
        codes: &["W0103"],
        meaning: "a procedure has no numbered list under `## 步骤`",
    },
    Code {
        codes: &["W0104"],
        meaning: "an unsupported shortcode was left out (one per name for the site)",
    },
    Code {
        codes: &["W0106"],
        meaning: "an article links to itself",
    },
    Code {
        codes: &["W0108"],
        meaning: "two pages list the same old URL in `aliases`; the first keeps it",
    },
    Code {
        codes: &["W0107"],
        meaning: "a `javascript:`, `vbscript:` or `data:` link or image was shown as plain text",
    },
    Code {
        codes: &["E0400"],
        meaning: "`svcbook check`: the site could not be rendered or indexed",
    },
    Code {
        codes: &["E0401"],
        meaning: "`svcbook check`: a `#anchor` names no heading of its page",
    },
    Code {
        codes: &["E0402"],
        meaning: "`svcbook check`: an image is not part of the built site",
    },
    Code {
        codes: &["E0403"],
        meaning: "`svcbook check`: a relative link leads to no file of the built site",
    },
    Code {
        codes: &["W0201"],
        meaning: "`svcbook check`: an article in review or published is past its `review_by` date",
    },
    Code {
        codes: &["W0202"],
        meaning: "`svcbook check`: a published article has no `owner`",
    },
];

/// The table of codes as the README prints it.
pub fn codes_markdown() -> String {
    let mut out = String::from("| code | meaning |\n|---|---|\n");
    for c in CODES {
        out.push_str(&format!("| {} | {} |\n", c.codes.join(" / "), c.meaning));
    }
    out
}

/// What `code` means, from [`CODES`].
pub fn meaning(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|c| c.codes.contains(&code))
        .map(|c| c.meaning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_prints_the_table_of_codes() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&codes_markdown()),
            "README's table of codes differs from diagnostics::CODES; paste codes_markdown():\n{}",
            codes_markdown()
        );
        assert_eq!(
            meaning("E0112").map(|m| m.contains("near miss")),
            Some(true)
        );
    }
}
