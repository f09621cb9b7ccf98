#!/usr/bin/env python3
"""Inputs that used to take quadratic time or unbounded memory, timed before and after.

    bench/hostile.py --before OLD_BINARY [--after NEW_BINARY] [--timeout 90] [--mem-gib 6]

Every case is a generated site (under bench/out/hostile/) built or checked by each binary in
turn, in the same run, so the two columns are comparable on this shared machine. A run that
passes --timeout seconds is killed and shown as "> N s"; a run that passes the memory cap
(RLIMIT_AS, --mem-gib) dies and is shown as "out of memory". Both binaries must be release
builds. The cases are the ones issue 11 lists:

* 8,000 and 100,000 copies of one heading (`svcbook build`);
* 100,000 unknown front-matter keys on a typed article (`build` and `check`);
* one line of 40,000 `[y](#nope)` links (`check`);
* 280,000 broken `#anchor` links, one per line (`check`);
* a 100 KB YAML anchor aliased 3,000 times (`build`), with peak RSS.

Writes bench/out/hostile-<UTC time>.json and prints a table. Not run by `cargo test`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
SITES = OUT / "hostile"

FAULT_SECTIONS = "## 现象\n\n无。\n\n## 环境\n\n无。\n\n## 原因\n\n无。\n\n## 处理\n\n无。\n\n## 预防\n\n无。\n"


def write_site(name: str, files: dict[str, str]) -> Path:
    site = SITES / name
    if site.exists():
        shutil.rmtree(site)
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def page(front: str, body: str) -> str:
    return f"---\n{front}---\n{body}"


def headings(n: int) -> dict[str, str]:
    return {"content/guide.md": page("title: 重复标题\n", "## 步骤\n\n正文。\n\n" * n)}


def unknown_keys(n: int) -> dict[str, str]:
    keys = "".join(f"extra_key_{i}: 值{i}\n" for i in range(n))
    return {"content/fault-cases/FC-0001.md": page("title: 很多未知字段\n" + keys, FAULT_SECTIONS)}


def one_line_anchors(n: int) -> dict[str, str]:
    return {"content/guide.md": page("title: 一行锚点\n", "## 标题\n\n" + "[y](#nope)" * n + "\n")}


def broken_anchors(n: int) -> dict[str, str]:
    lines = "".join(f"[第{i}处](#nope-{i})\n" for i in range(n))
    return {"content/guide.md": page("title: 很多坏锚点\n", "## 标题\n\n" + lines)}


def alias_bomb(kib: int, aliases: int) -> dict[str, str]:
    item = "很长的一段文字，用来把锚点撑到一百 KB。"
    count = kib * 1024 // len(item.encode())
    anchor = "big: &big\n" + "".join(f"  - {item}{i}\n" for i in range(count))
    uses = "refs:\n" + "".join("  - *big\n" for _ in range(aliases))
    return {"content/guide.md": page("title: 别名\n" + anchor + uses, "正文。\n")}


CASES = [
    ("8,000 copies of one heading", "build", lambda: headings(8_000)),
    ("100,000 copies of one heading", "build", lambda: headings(100_000)),
    ("100,000 unknown front-matter keys", "build", lambda: unknown_keys(100_000)),
    ("100,000 unknown front-matter keys", "check", lambda: unknown_keys(100_000)),
    ("one line of 40,000 [y](#nope)", "check", lambda: one_line_anchors(40_000)),
    ("280,000 broken anchors", "check", lambda: broken_anchors(280_000)),
    ("100 KB YAML anchor aliased 3,000 times", "build", lambda: alias_bomb(100, 3_000)),
]


def run(binary: Path, command: str, site: Path, timeout: float, mem_bytes: int) -> dict:
    out = site / "public"
    if out.exists():
        shutil.rmtree(out)
    args = [str(binary), command, str(site)]
    if command == "check":
        args += ["--format", "json", "--today", "2026-06-01"]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))

    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=limit, env={**os.environ, "NO_COLOR": "1"})
    try:
        _, stderr = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
        timed_out = True
    wall = time.monotonic() - start
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    text = stderr.decode("utf-8", "replace")
    oom = (not timed_out) and ("memory allocation" in text or proc.returncode in (-6, 134, -9))
    last = [l for l in text.strip().splitlines() if l.strip()][-1:] or [""]
    return {
        "wall_s": round(wall, 2),
        "timed_out": timed_out,
        "out_of_memory": oom,
        "exit": proc.returncode,
        "last_line": last[0][:200],
        "max_rss_children_kib": rss_kib,
    }


def peak_rss(binary: Path, command: str, site: Path, timeout: float, mem_bytes: int) -> dict:
    """Runs in a fresh child Python so RUSAGE_CHILDREN is this run's peak alone."""
    code = (
        "import json,sys;sys.path.insert(0,%r);import hostile as h;from pathlib import Path;"
        "print(json.dumps(h.run(Path(%r),%r,Path(%r),%r,%r)))"
    ) % (str(BENCH), str(binary), command, str(site), timeout, mem_bytes)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def shown(r: dict | None, timeout: float) -> str:
    if r is None:
        return "-"
    if r["timed_out"]:
        return f"> {timeout:.0f} s (killed)"
    if r["out_of_memory"]:
        return f"out of memory after {r['wall_s']:.1f} s"
    return f"{r['wall_s']:.2f} s, {r['max_rss_children_kib'] / 1024:.0f} MiB, exit {r['exit']}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, help="the old svcbook binary")
    ap.add_argument("--after", type=Path, default=REPO / "target" / "release" / "svcbook")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--mem-gib", type=float, default=6.0)
    ap.add_argument("--only", help="run only cases whose name contains this text")
    args = ap.parse_args()
    mem = int(args.mem_gib * 1024**3)
    SITES.mkdir(parents=True, exist_ok=True)
    results = []
    for name, command, make in CASES:
        if args.only and args.only not in name:
            continue
        site = write_site(f"{len(results):02}", make())
        row = {"case": name, "command": command}
        for label, binary in (("before", args.before), ("after", args.after)):
            if binary is None:
                row[label] = None
                continue
            print(f"[hostile] {name} / svcbook {command} / {label} ...", file=sys.stderr, flush=True)
            row[label] = peak_rss(binary, command, site, args.timeout, mem)
            print(f"[hostile]   {shown(row[label], args.timeout)}: {row[label]['last_line']}",
                  file=sys.stderr, flush=True)
        results.append(row)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "when": stamp,
        "load_average": os.getloadavg(),
        "before": str(args.before),
        "after": str(args.after),
        "timeout_s": args.timeout,
        "mem_cap_gib": args.mem_gib,
        "cases": results,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / f"hostile-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\n| case | command | before | after |\n|---|---|---|---|")
    for r in results:
        print(f"| {r['case']} | {r['command']} | {shown(r['before'], args.timeout)} | {shown(r['after'], args.timeout)} |")


if __name__ == "__main__":
    main()
