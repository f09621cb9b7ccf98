#!/usr/bin/env python3
"""Writes this fixture: hostile markup in every construct that holds inline text.

Every Markdown construct that can hold inline content (paragraphs, headings,
table cells, quotes, GFM alerts, lists, task lists, footnotes, procedure steps,
wiki-link labels, link text, image alt text, emphasis, strikethrough,
say/avoid blocks, definition-like lines, admonitions of Docusaurus, VitePress
and MkDocs, Hugo shortcodes) gets every payload; front-matter
fields shown on pages (title, summary, tags, products, error codes, symptoms,
parts, tools, safety, owner, changelog, scenario, escalation, SLA metrics) and
a learning path (shown on its page and its print page) get one too. Every
element a payload would create carries `data-hostile`, so a browser test can
look for it. Run from this folder: python3 make.py
"""
import os

HTML = [
    '<img src=x onerror=alert(1) data-hostile>',
    '<svg onload=alert(2) data-hostile>',
    '<details open ontoggle=alert(3) data-hostile>',
    '<iframe src=javascript:alert(4) data-hostile></iframe>',
    '<meta http-equiv=refresh content="0;url=javascript:alert(5)" data-hostile>',
    '<style data-hostile>body{display:none}</style>',
    '<script data-hostile>alert(6)</script>',
    '<a href="javascript:alert(10)" data-hostile>点</a>',
]
# Script URLs in Markdown's own syntax: each is a W0107 warning, kept to a few
# constructs so that no file passes the 100-diagnostic listing cap.
JS = ['<javascript:alert(7)>', '![图](javascript:alert(8))', '[链接](javascript:alert(9))']

CONSTRUCTS = [
    "段落 {}",
    "### 标题 {}",
    "| 列 {} |\n|---|\n| 格 {} |",
    "> 引用 {}",
    "> [!WARNING]\n> 警告 {}",
    "- 列表 {}\n  - 嵌套 {}",
    "1. 编号 {}",
    "- [ ] 任务 {}\n- [x] 完成 {}",
    "正文[^n{n}]\n\n[^n{n}]: 脚注 {}",
    "[[FC-0001|标签 {}]]",
    "> - [[PR-0001|**加粗标签 {}**]]",
    "| [[SC-0001\\|表格里的标签 {}]] |\n|---|\n| x |",
    "> [!NOTE]\n> [[PB-0001#原因分析|警示里的标签 {}]]",
    "[链接文字 {}](https://example.com/)",
    "![图片说明 {}](../safe.png)",
    "*强调 {}* **加粗 {}** ~~删除 {}~~",
    "术语\n: 定义 {}",
    # Other tools' dialects (src/markdown/dialects.rs) turn into Markdown that
    # takes the same gate: admonitions with titles, and Hugo shortcodes.
    ":::tip 标题 {}\n提示内容 {}\n:::",
    "::: warning\n警告内容 {}\n:::",
    "!!! note \"标题 {}\"\n    缩进内容 {}",
    "{{< figure src=\"../safe.png\" alt=\"{}\" caption=\"说明 {}\" >}}",
    "{{< figure src=\"{}\" >}}",
    "{{< hint danger >}}\n提示短代码 {}\n{{< /hint >}}",
    "[引用 {}]({{< ref \"../fault-cases/FC-0001.md\" >}})",
    "{{< highlight html >}}\n{}\n{{< /highlight >}}",
]


def fill(template, payloads, n):
    out = []
    for i, p in enumerate(payloads):
        out.append(template.replace("{n}", f"{n}-{i}").replace("{}", p))
    return "\n\n".join(out)


def body(js_in=()):
    """Every construct with every HTML payload; the script-URL payloads in the
    constructs numbered in `js_in`."""
    parts = []
    for n, c in enumerate(CONSTRUCTS):
        payloads = HTML + (JS if n in js_in else [])
        parts.append(f"### 结构 {n}\n\n" + fill(c, payloads, n))
    return "\n\n".join(parts) + "\n"


Y = '"<img src=x onerror=alert(11) data-hostile> 与 <script data-hostile>alert(12)</script>"'
T = '"<svg onload=alert(13) data-hostile>"'
SECTIONS = "## 环境\n\n环境\n\n## 原因\n\n原因\n\n## 处理\n\n处理\n\n## 预防\n\n预防\n"


def write(rel, text):
    os.makedirs(os.path.dirname(rel) or ".", exist_ok=True)
    with open(rel, "w", encoding="utf-8") as f:
        f.write(text)


write("content/fault-cases/FC-0001.md", f"""---
title: {Y}
summary: {Y}
tags: [{T}, "a b", "a/b"]
products: [{T}]
error_codes: [E04, {T}]
symptoms: [{Y}]
parts: [{Y}]
severity: high
category: hardware
owner: {Y}
version: "1.0"
updated: 2026-01-02
changelog:
  - {{ version: {Y}, date: 2026-01-02, note: {Y} }}
related: [PR-0001]
---
## 现象

{body(js_in=(0, 9, 10))}
{SECTIONS}""")

write("content/procedures/PR-0001.md", f"""---
title: 维修流程 {Y}
summary: {Y}
time_limit: {{ value: 7, unit: working_days }}
tools: [{Y}]
parts: [{Y}]
safety: [{Y}]
---
## 步骤

1. 第一步 [[FC-0001|{HTML[0]}]] {HTML[1]}
2. 第二步 {HTML[2]} {JS[1]}
3. 第三步 [[SC-0001|{JS[2]} {HTML[6]}]]
4. 第四步 {HTML[7]}

## 说明

{body(js_in=(3, 11))}""")

write("content/scripts/SC-0001.md", f"""---
title: 话术 {Y}
channel: phone
scenario: {Y}
---
```say
{HTML[0]} {HTML[6]}
您好 [[FC-0001|{HTML[1]}]]
```

```avoid
{HTML[2]} {HTML[3]}
```

{fill("[[FC-0001|话术标签 {}]]", HTML + JS, 0)}
""")

write("content/playbooks/PB-0001.md", f"""---
title: 投诉 {Y}
complaint_type: {Y}
escalation:
  - {{ after: "24h", to: {Y} }}
response_time: 2h
resolution_time: 7wd
---
## 原因分析

{fill("[[FC-0001|{}]]", HTML + JS, 0)}

## 处理技巧

技巧

## 预防措施

措施
""")

write("content/standards/ST-0001.md", f"""---
title: 标准 {Y}
sla:
  - {{ metric: {Y}, target: 24, unit: hours }}
---
{fill("{}", HTML + JS, 0)}
""")

write("content/guide/hostile.md", f"""---
title: 页面 {Y}
summary: {Y}
updated: 2026-01-03
---
{body(js_in=(2, 5, 12, 14, 16))}""")

write("content/_index.md", f"""---
title: 首页 {Y}
---
{fill("首页介绍 [[FC-0001|{}]]", HTML, 0)}
""")

# A 1x1 PNG, for the image constructs.
with open("content/safe.png", "wb") as f:
    f.write(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea73581840000"
        "000049454e44ae426082"))

write("paths/hostile.yaml", f"""title: {Y}
summary: {Y}
sections:
  - heading: {Y}
    articles: [FC-0001, PR-0001, SC-0001]
  - heading: 第二部分
    articles: [PB-0001, ST-0001, guide/hostile]
""")
