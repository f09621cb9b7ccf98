#!/usr/bin/env python3
"""Known-item relevance on real Chinese docs corpora (pingcap/docs-cn,
oceanbase/oceanbase-doc).

    python3 bench/docs_relevance.py corpus SRC_DIR SITE_DIR      # docs-cn checkout -> svcbook site
    python3 bench/docs_relevance.py corpus SRC_DIR SITE_DIR --copies 10   # each page 10 times (10k+)
    python3 bench/docs_relevance.py corpus SRC_DIR SITE_DIR --source oceanbase   # its zh-CN/ folder
    python3 bench/docs_relevance.py queries SITE_DIR OUT.json    # 200 pages (seed 14), 4 query forms

How each corpus is cleaned (front matter, title, summary, markup) is in
bench/docs_corpora.py; `--source` picks one (default docs-cn).

Then `cargo run --release --example relevance -- SITE_DIR OUT.json` prints MRR@10
and recall@10 per query form. The site keeps each page's `title` and `summary`
(other front matter is dropped), the body with links turned into their text,
and a flat `docs/` folder (page kind) so ids come from the path. With
`--copies N` every page is written N times (`x.md`, `x-copy1.md`, ...): make the
queries from the 1x site and run them on the Nx one; relevance.rs counts any
copy as the page.

Each query also says whether it `identifies` its page: on a docs corpus many
sentences are boilerplate shared word for word by several pages (a "see also"
line, a parameter's description), and generic keyword pairs ("TiDB 版本") fit
dozens of release notes, so no ranking can put the one sampled page first
except by luck. relevance.rs prints the table for all queries and for those.

Query forms, as a reader remembers a page:
* summary: the page's summary as written (pasted);
* title: the title as written;
* keywords: 2-3 words from title and summary (ASCII words, Han runs cut to 2-4 chars);
* fragment: 8-16 characters of one sentence from the middle of the body, cut on
  word boundaries (never inside an ASCII word, never across punctuation).
"""

import json
import os
import random
import re
import sys

from docs_corpora import FM, SOURCES

SEED = 14
SAMPLE = 200


def yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def corpus(src: str, site: str, copies: int = 1, source: str = "docs-cn") -> None:
    clean = SOURCES[source]
    os.makedirs(os.path.join(site, "content", "docs"), exist_ok=True)
    with open(os.path.join(site, "svcbook.toml"), "w") as f:
        f.write(f'title = "{source}"\n')
    n = 0
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("media", "resources"))
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith("TOC") or name.startswith("_"):
                continue
            path = os.path.join(root, name)
            page = clean(os.path.relpath(path, src)[:-3], open(path, encoding="utf-8").read())
            if page is None:
                continue
            slug, title, summary, body = page
            for k in range(copies):
                out = slug + (f"-copy{k}" if k else "") + ".md"
                with open(os.path.join(site, "content", "docs", out), "w", encoding="utf-8") as f:
                    f.write(f"---\ntitle: {yaml_str(title)}\nsummary: {yaml_str(summary)}\n---\n\n{body}")
                n += 1
    print(f"{n} pages", file=sys.stderr)


def is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def plain_lines(body: str):
    """Prose lines of a Markdown body: no code blocks, tables, headings or markup."""
    fence = False
    for line in body.split("\n"):
        s = line.strip()
        if s.startswith("```"):
            fence = not fence
            continue
        if fence or not s or s[0] in "#|<>!" or s.startswith("---"):
            continue
        s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)
        s = re.sub(r"[`*_]", "", s)
        if sum(map(is_han, s)) >= 12:
            yield s


PUNCT = set("，。；：！？、（）()《》「」“”\"',.;:!?[]{}")


def fragment(rng: random.Random, body: str) -> str:
    lines = list(plain_lines(body))
    if not lines:
        return ""
    mid = lines[len(lines) // 3: 2 * len(lines) // 3 + 1] or lines
    sentences = [s for line in mid for s in re.split(r"[。！？；]", line) if sum(map(is_han, s)) >= 8]
    if not sentences:
        return ""
    s = rng.choice(sentences)
    # Word boundaries: any Han char starts/ends a word; ASCII words whole.
    starts = [i for i in range(len(s)) if s[i] not in PUNCT and not s[i].isspace()
              and (i == 0 or not (s[i].isascii() and s[i].isalnum() and s[i - 1].isascii() and s[i - 1].isalnum()))]
    rng.shuffle(starts)
    for st in starts:
        want = rng.randint(8, 16)
        end = st
        while end < len(s) and end - st < want and s[end] not in PUNCT:
            end += 1
        while end < len(s) and s[end].isascii() and s[end].isalnum() and s[end - 1].isascii() and s[end - 1].isalnum():
            end += 1
        frag = s[st:end].strip()
        if 8 <= len(frag) <= 18 and sum(map(is_han, frag)) >= 4:
            return frag
    return ""


def keywords(rng: random.Random, title: str, summary: str) -> str:
    words = []
    for text in (title, summary):
        # Function characters split Han runs into word-like pieces (no dictionary).
        text = re.sub(r"[的了和与及在是中对将从到为并或]", " ", text)
        for run in re.findall(r"[A-Za-z][A-Za-z0-9_.-]{2,}|[\u4e00-\u9fff]{2,}", text):
            if is_han(run[0]):
                if len(run) > 4:
                    i = rng.randrange(0, len(run) - 1)
                    run = run[i:i + rng.randint(2, 4)]
                    if len(run) < 2:
                        continue
            words.append(run)
    words = list(dict.fromkeys(words))
    if len(words) < 2:
        return ""
    return " ".join(rng.sample(words, min(len(words), rng.randint(2, 3))))


def queries(site: str, out: str) -> None:
    folder = os.path.join(site, "content", "docs")
    names = sorted(os.listdir(folder))
    rng = random.Random(SEED)
    picked = rng.sample(names, min(SAMPLE, len(names)))
    # Every page's text, to tell whether a query can name its page at all.
    def norm(t: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"[`*_]", "", t)).lower()
    pages = {}
    for name in names:
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        m = FM.match(text)
        head = json.loads(re.search(r"^title: (.*)$", m.group(1), re.M).group(1)) + " " + \
            json.loads(re.search(r"^summary: (.*)$", m.group(1), re.M).group(1))
        pages[name] = (norm(head), norm(text[m.end():]))

    def identifies(form: str, q: str, name: str) -> bool:
        # A fragment names its page when no other page holds it word for word;
        # keywords (drawn from title and summary) when no other page's title and
        # summary hold them all. Title and summary queries always count.
        if form == "fragment":
            f = norm(q)
            return not any(f in body for other, (_, body) in pages.items() if other != name)
        if form == "keywords":
            words = norm(q).split()
            return not any(all(w in head for w in words) for other, (head, _) in pages.items() if other != name)
        return True

    qs = []
    for name in picked:
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        m = FM.match(text)
        title = json.loads(re.search(r"^title: (.*)$", m.group(1), re.M).group(1))
        summary = json.loads(re.search(r"^summary: (.*)$", m.group(1), re.M).group(1))
        body = text[m.end():]
        url = "docs/" + name[:-3] + ".html"
        for form, q in [("summary", summary), ("title", title),
                        ("keywords", keywords(rng, title, summary)), ("fragment", fragment(rng, body))]:
            if q:
                qs.append({"form": form, "q": q, "url": url, "identifies": identifies(form, q, name)})
    with open(out, "w", encoding="utf-8") as f:
        json.dump(qs, f, ensure_ascii=False, indent=0)
    print(f"{len(qs)} queries", file=sys.stderr)


def main(args: list) -> None:
    source = "docs-cn"
    if "--source" in args:
        i = args.index("--source")
        source = args[i + 1] if i + 1 < len(args) else ""
        del args[i:i + 2]
    if len(args) == 3 and args[0] == "corpus" and source in SOURCES:
        corpus(args[1], args[2], source=source)
    elif len(args) == 5 and args[0] == "corpus" and args[3] == "--copies" and source in SOURCES:
        corpus(args[1], args[2], int(args[4]), source)
    elif len(args) == 3 and args[0] == "queries":
        queries(args[1], args[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
