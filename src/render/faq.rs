//! The accordion layout of question-and-answer kinds (`faq`): every `##`
//! section of the body is a question that opens to its answer, and the page
//! carries schema.org `FAQPage` data for search engines.
//!
//! Built on `<details>`, so it opens and closes without JavaScript. The
//! question's anchor sits on its answer, inside the `<details>`: following a
//! link to `#question` makes Chromium open it by itself (the way it opens a
//! `<details>` for find-in-page); `site.js` does the same for other browsers.

use serde::Serialize;

use crate::check::unescape;

/// One question of the body: its anchor, its text and its answer's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub answer_html: String,
}

/// The body's HTML as an accordion, and its questions. A body without `##`
/// sections is returned as it is.
pub fn accordion(html: &str) -> (String, Vec<Question>) {
    let mut questions = Vec::new();
    let Some(first) = html.find("<h2 id=\"") else {
        return (html.to_string(), questions);
    };
    let mut out = String::with_capacity(html.len() + 256);
    out.push_str(&html[..first]);
    out.push_str("<div class=\"faq-list\">\n");
    let mut rest = &html[first..];
    while let Some(section) = rest.strip_prefix("<h2 id=\"") {
        let Some(id_end) = section.find('"') else {
            break;
        };
        let id = &section[..id_end];
        let Some(close) = section.find("</h2>") else {
            break;
        };
        let inner = &section[id_end + 2..close];
        // The heading's own `#` link is moved into the answer.
        let title_html = inner
            .find("<a class=\"heading-anchor\"")
            .map_or(inner, |i| &inner[..i]);
        let after = &section[close + 5..];
        let end = after.find("<h2 id=\"").unwrap_or(after.len());
        let answer = after[..end].trim();
        out.push_str(&format!(
            "<details class=\"faq-item\"><summary class=\"faq-question\"><h2>{title_html}</h2></summary>\n<div class=\"faq-answer\" id=\"{id}\">\n{answer}\n<p class=\"faq-permalink\"><a class=\"heading-anchor\" href=\"#{id}\">本问题链接</a></p>\n</div></details>\n"
        ));
        questions.push(Question {
            id: unescape(id),
            question: plain_text(title_html),
            answer_html: answer.to_string(),
        });
        rest = &after[end..];
    }
    out.push_str("</div>\n");
    out.push_str(rest);
    (out, questions)
}

#[derive(Serialize)]
struct FaqPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "mainEntity")]
    main_entity: Vec<QuestionLd>,
}

#[derive(Serialize)]
struct QuestionLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: AnswerLd,
}

#[derive(Serialize)]
struct AnswerLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: String,
}

/// The schema.org `FAQPage` JSON-LD of a page, safe inside a `<script>`:
/// `<` is written `\u003c`, so no text can close the element.
pub fn json_ld(title: &str, questions: &[Question]) -> Option<String> {
    if questions.is_empty() {
        return None;
    }
    let page = FaqPage {
        context: "https://schema.org",
        kind: "FAQPage",
        name: title,
        main_entity: questions
            .iter()
            .map(|q| QuestionLd {
                kind: "Question",
                name: q.question.clone(),
                accepted_answer: AnswerLd {
                    kind: "Answer",
                    text: plain_text(&q.answer_html),
                },
            })
            .collect(),
    };
    let json = serde_json::to_string(&page).expect("plain data serialises");
    Some(
        json.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    )
}

/// The text of an HTML fragment: tags dropped, entities undone, white space
/// folded. A tag between two words is a space, except next to Chinese, which
/// is written without spaces (`整机<strong>一年</strong>` is `整机一年`); the
/// spaces the author wrote stay.
fn plain_text(html: &str) -> String {
    const TAG: char = '\u{0}';
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(TAG);
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = unescape(&text);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c != TAG {
            out.push(c);
            continue;
        }
        let before = chars[..i].iter().rev().find(|c| **c != TAG);
        let after = chars[i + 1..].iter().find(|c| **c != TAG);
        if let (Some(&a), Some(&b)) = (before, after) {
            if !(is_cjk(a) || is_cjk(b)) {
                out.push(' ');
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>导语</p>\n<h2 id=\"保修多久\">保修多久？<a class=\"heading-anchor\" href=\"#保修多久\" aria-label=\"本节链接\">#</a></h2>\n<p>整机 <strong>6 年</strong>。</p><p>见 <code>ST</code></p>\n<h2 id=\"q2\">A &amp; B?<a class=\"heading-anchor\" href=\"#q2\" aria-label=\"本节链接\">#</a></h2>\n<p>x &lt;script&gt;</p>\n";

    #[test]
    fn every_h2_section_becomes_a_details_with_its_anchor_on_the_answer() {
        let (html, questions) = accordion(BODY);
        assert!(
            html.starts_with("<p>导语</p>\n<div class=\"faq-list\">"),
            "{html}"
        );
        assert_eq!(html.matches("<details class=\"faq-item\">").count(), 2);
        assert!(html.contains("<summary class=\"faq-question\"><h2>保修多久？</h2></summary>"));
        assert!(html.contains(
            "<div class=\"faq-answer\" id=\"保修多久\">\n<p>整机 <strong>6 年</strong>。</p>"
        ));
        assert!(
            !html.contains("<h2 id="),
            "the id moved to the answer: {html}"
        );
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0].question, "保修多久？");
        assert_eq!(questions[1].question, "A & B?");
    }

    #[test]
    fn json_ld_has_the_faq_page_shape_and_cannot_close_its_script() {
        let (_, questions) = accordion(BODY);
        let ld = json_ld("保修问答", &questions).unwrap();
        assert!(!ld.contains('<'), "{ld}");
        let v: serde_json::Value = serde_json::from_str(&ld).unwrap();
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], "FAQPage");
        let q = &v["mainEntity"][0];
        assert_eq!(q["@type"], "Question");
        assert_eq!(q["name"], "保修多久？");
        assert_eq!(q["acceptedAnswer"]["@type"], "Answer");
        assert_eq!(q["acceptedAnswer"]["text"], "整机 6 年。见 ST");
        assert_eq!(v["mainEntity"][1]["acceptedAnswer"]["text"], "x <script>");
        assert_eq!(json_ld("x", &[]), None);
    }

    #[test]
    fn a_body_without_questions_is_left_alone() {
        assert_eq!(accordion("<p>x</p>").0, "<p>x</p>");
    }
}
