"""Per-corpus cleaning for docs_relevance.py: one source Markdown file ->
(slug, title, summary, body), or None to leave the file out.

* docs-cn (pingcap/docs-cn): YAML front matter with `title` and `summary`;
  files without either are left out.
* oceanbase (oceanbase/oceanbase-doc, the `zh-CN/` folder): no YAML front
  matter but a Markdown metadata table (`|description||`, `|keywords||`, ...,
  all empty in practice), the title as the first `# ` or setext (`====`)
  heading, notes as `<main id="notice"><h4>说明</h4><p>...</p></main>`
  blocks. It has no summaries, so the summary is the page's lead: the first
  prose paragraph after the title (no heading, table, list, code block or
  notice), as plain text, whole sentences up to 120 characters (at least the
  first sentence). Files without a title or such a paragraph are left out.
  The lead stays in the body too, as on the page.

Both drop HTML comments (never searchable, never a query source), keep link
text without the target, and strip remaining HTML tags (keeping their text).
"""

import hashlib
import re

FM = re.compile(r"\A---\n(.*?)\n---\n", re.S)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def field(fm: str, key: str) -> str:
    m = re.search(rf"^{key}:\s*(.*)$", fm, re.M)
    if not m:
        return ""
    v = m.group(1).strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1]
    return v


def links_and_tags(body: str) -> str:
    """Links become their text, without their target."""
    body = LINK.sub(r"\1", body)
    # Links whose text holds brackets (`[SHOW [FULL] X](/x.md)`) keep their text only.
    body = re.sub(r"\]\([^)\s]*\)", "]", body)
    return body


def docs_cn(rel: str, text: str):
    m = FM.match(text)
    if not m:
        return None
    title, summary = field(m.group(1), "title"), field(m.group(1), "summary")
    if not title or not summary:
        return None
    body = links_and_tags(text[m.end():])
    body = re.sub(r"^# .*\n", "", body, count=1, flags=re.M)
    body = re.sub(r"\{\{<.*?>\}\}|<[^>\n]+>", "", body)
    slug = re.sub(r"[^a-z0-9-]+", "-", rel.lower()).strip("-")
    return slug, title, summary, body


NOTICE = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
SENTENCE_END = re.compile(r"(?<=[。！？])")


def plain(text: str) -> str:
    """Markdown inline text as a reader sees it."""
    text = links_and_tags(text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|~])", r"\1", text)
    text = re.sub(r"`|\*\*|__", "", text)
    return re.sub(r"\s+", " ", text).strip()


def lead(body: str) -> str:
    """The first prose paragraph's first sentences (see the module docstring)."""
    body = NOTICE.sub("", body)
    body = re.sub(r"^(```|~~~).*?^\1", "", body, flags=re.S | re.M)
    for para in re.split(r"\n\s*\n", body):
        s = para.strip()
        if not s or s[0] in "#|<>!*-+=" or re.match(r"\d+\.\s", s) or para.startswith("    "):
            continue
        s = plain(s)
        if sum("\u4e00" <= c <= "\u9fff" for c in s) < 8:
            continue
        out = ""
        for sentence in SENTENCE_END.split(s):
            if out and len(out) + len(sentence) > 120:
                break
            out += sentence
        return out.strip()
    return ""


def notice_text(m: re.Match) -> str:
    """A notice block as plain paragraphs: its label, then its text."""
    lines = [re.sub(r"<[^>\n]+>", "", line).strip() for line in m.group(1).split("\n")]
    return "\n\n".join(line for line in lines if line) + "\n"


def oceanbase(rel: str, text: str):
    text = COMMENT.sub("", text).lstrip()
    # The metadata table: leading `|...|` lines.
    text = re.sub(r"\A(?:\|.*\n)+", "", text)
    # Setext headings as ATX, so the title and plain_lines see them.
    text = re.sub(r"^(\S.*?)\s*\n=+[ \t]*$", r"# \1", text, flags=re.M)
    text = re.sub(r"^([^\s|].*?)\s*\n-{3,}[ \t]*$", r"## \1", text, flags=re.M)
    m = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    if not m or "```" in text[:m.start()]:
        return None
    title = plain(m.group(1))
    body = text[m.end():]
    summary = lead(body)
    if not title or not summary:
        return None
    body = NOTICE.sub(notice_text, body)
    body = links_and_tags(body)
    body = re.sub(r"<[^>\n]+>", "", body)
    # Flat slugs without the ordering prefixes (`700.reference` -> `reference`),
    # kept under the file-name limit.
    parts = [re.sub(r"^\d+\.", "", p) for p in rel.split("/")]
    slug = re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")
    if len(slug) > 150:
        slug = slug[:140].rstrip("-") + "-" + hashlib.sha1(rel.encode()).hexdigest()[:8]
    return slug, title, summary, body


SOURCES = {"docs-cn": docs_cn, "oceanbase": oceanbase}
