//! "What changed": the site's change history, from `updated`/`version` and the
//! `changelog:` entries of every article. One list feeds `changes.html`, the Atom
//! feed `changes.xml` and `svcbook changes`, so they can never disagree.

use serde::Serialize;

use crate::model::{Choice, Date};
use crate::validate::ValidatedSite;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub date: Date,
    pub id: String,
    pub title: String,
    /// Root-relative URL of the article.
    pub url: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub version: Option<String>,
    pub note: String,
}

/// Every change on or after `since` (all when `None`), newest first; ties by id,
/// then version, so the order is stable.
///
/// Each changelog entry is a change. An article whose `updated` date has no
/// changelog entry still counts as changed on that date, with its `version`.
pub fn list(site: &ValidatedSite, since: Option<Date>) -> Vec<Change> {
    let mut out = Vec::new();
    for page in &site.pages {
        let a = &page.article;
        let make = |date: Date, version: Option<String>, note: String| Change {
            date,
            id: a.id.clone(),
            title: a.title.clone(),
            url: a.url.clone(),
            kind: a.kind.name(),
            status: a.status.name(),
            version,
            note,
        };
        for entry in &a.changelog {
            out.push(make(
                entry.date,
                Some(entry.version.clone()),
                entry.note.clone(),
            ));
        }
        if let Some(updated) = a.updated {
            if !a.changelog.iter().any(|e| e.date == updated) {
                out.push(make(updated, a.version.clone(), String::new()));
            }
        }
    }
    out.retain(|c| since.is_none_or(|s| c.date >= s));
    out.sort_by(|a, b| (b.date, &a.id, &b.version).cmp(&(a.date, &b.id, &a.version)));
    out
}

/// `svcbook changes --json`: the stable document (version 1) of `changes`.
pub fn to_json(changes: &[Change], since: Option<Date>) -> String {
    let doc = serde_json::json!({
        "version": 1,
        "since": since.map(|d| d.to_string()),
        "changes": changes,
    });
    serde_json::to_string_pretty(&doc).expect("plain data serialises")
}

/// `svcbook changes`: one line a change, for release notes.
pub fn to_text(changes: &[Change], since: Option<Date>) -> String {
    if changes.is_empty() {
        return format!(
            "no changes{}\n",
            since.map(|d| format!(" since {d}")).unwrap_or_default()
        );
    }
    let mut out = String::new();
    for c in changes {
        let version = c
            .version
            .as_deref()
            .map(|v| format!("v{v}"))
            .unwrap_or_default();
        let note = if c.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", c.note)
        };
        out.push_str(&format!(
            "{}  {:<8} {:<6} {}{}  ({})\n",
            c.date, c.id, version, c.title, note, c.url
        ));
    }
    out
}

/// The Atom feed (RFC 4287) of the newest `limit` changes.
///
/// Atom wants IRIs for ids: with `base_url` set they are the article URLs plus the
/// version; without it, `urn:` ids stable across builds. The feed's `updated` is the
/// newest change's date, not the build time, so builds stay byte-identical.
pub fn atom(site: &ValidatedSite, changes: &[Change], limit: usize) -> String {
    let esc = crate::markdown::escape;
    let base = &site.config.base_url;
    let newest = changes
        .first()
        .map(|c| c.date.to_string())
        .unwrap_or_else(|| "1970-01-01".into());
    let feed_id = if base.is_empty() {
        format!("urn:svcbook:{}:changes", slug(&site.config.title))
    } else {
        format!("{base}changes.xml")
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    if !base.is_empty() {
        xml.push_str(&format!(" xml:base=\"{}\"", esc(base)));
    }
    xml.push_str(&format!(" xml:lang=\"{}\">\n", esc(&site.config.language)));
    xml.push_str(&format!(
        "  <title>{} · 更新记录</title>\n",
        esc(&site.config.title)
    ));
    xml.push_str(&format!("  <id>{}</id>\n", esc(&feed_id)));
    xml.push_str(&format!("  <updated>{newest}T00:00:00Z</updated>\n"));
    xml.push_str("  <link rel=\"alternate\" type=\"text/html\" href=\"changes.html\"/>\n");
    xml.push_str("  <link rel=\"self\" type=\"application/atom+xml\" href=\"changes.xml\"/>\n");
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&site.config.title)
    ));
    xml.push_str("  <generator>svcbook</generator>\n");
    for c in changes.iter().take(limit) {
        let version = c.version.as_deref().unwrap_or("");
        let entry_id = if base.is_empty() {
            format!(
                "urn:svcbook:{}:{}:{}:{}",
                slug(&site.config.title),
                c.id,
                version,
                c.date
            )
        } else {
            format!(
                "{base}{}#v{version}-{}",
                crate::urls::encode_path(&c.url),
                c.date
            )
        };
        let title = if version.is_empty() {
            c.title.clone()
        } else {
            format!("{}（v{version}）", c.title)
        };
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", esc(&title)));
        xml.push_str(&format!("    <id>{}</id>\n", esc(&entry_id)));
        xml.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", c.date));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&crate::urls::encode_path(&c.url))
        ));
        let summary = if c.note.is_empty() {
            format!("{} 已更新", c.id)
        } else {
            c.note.clone()
        };
        xml.push_str(&format!("    <summary>{}</summary>\n", esc(&summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn slug(text: &str) -> String {
    let s = crate::markdown::slugify(text);
    if s.is_empty() {
        "site".into()
    } else {
        s
    }
}
