#!/usr/bin/env python3
"""Splits a `perf record --call-graph dwarf` profile of `svcbook build` by pipeline stage.

    perf record -e cpu-clock -F 100 --call-graph dwarf,16384 -o build.data \\
        target/release/svcbook build bench/out/corpus/kb-10000
    python3 bench/perf_stages.py build.data [--top 12]

A sample belongs to the first stage whose marker appears in its stack (innermost
frames first are ignored: the stack is searched from the root). CPU samples, not
wall time: parallel stages count once per core. Prints each stage's share of the
samples and its hottest leaf functions and svcbook/tantivy frames.
"""

import argparse
import collections
import re
import subprocess
import sys

# Checked in order against the whole stack; the first match names the stage.
STAGES = [
    ("index", ("svcbook::index::", "svcbook_search::writer", "tantivy::indexer", "build_bundle",
               "svcbook::pipeline::search_doc")),
    ("write", ("svcbook::write::",)),
    ("render", ("svcbook::render::", "tera::")),
    ("validate", ("svcbook::validate::", "svcbook::article::", "svcbook::markdown::", "svcbook::frontmatter::")),
    ("load", ("svcbook::load::", "walkdir::")),
    ("config", ("svcbook::config::", "svcbook::theme::")),
]


def parse(path):
    out = subprocess.run(["perf", "script", "-i", path, "-F", "comm,tid,ip,sym"],
                         capture_output=True, text=True, errors="replace").stdout
    samples = []
    frames = []
    head = None
    for line in out.splitlines():
        if not line.strip():
            if head is not None:
                samples.append((head, frames))
            head, frames = None, []
        elif line[0] not in " \t":
            head = line.strip()
        else:
            sym = line.strip().split(" ", 1)[-1] if " " in line.strip() else line.strip()
            sym = re.sub(r"\s+\(.*\)$", "", sym)
            frames.append(sym)
    if head is not None:
        samples.append((head, frames))
    return samples


def stage_of(frames):
    joined = "\n".join(frames)
    for name, markers in STAGES:
        if any(m in joined for m in markers):
            return name
    return "other"


def short(sym, n=110):
    sym = re.sub(r"<[^<>]*>", "<>", sym)
    sym = re.sub(r"<[^<>]*>", "<>", sym)
    return sym[:n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    samples = parse(args.data)
    if not samples:
        print("no samples", file=sys.stderr)
        return 1
    by_stage = collections.defaultdict(list)
    for head, frames in samples:
        by_stage[stage_of(frames)].append(frames)
    total = len(samples)
    print(f"{total} samples")
    for name, _ in STAGES + [("other", ())]:
        group = by_stage.get(name)
        if not group:
            continue
        print(f"\n{name}: {len(group)} samples, {100 * len(group) / total:.1f}%")
        leaves = collections.Counter(short(f[0]) for f in group if f)
        for sym, n in leaves.most_common(args.top):
            print(f"  leaf {100 * n / total:5.1f}%  {sym}")
        owned = collections.Counter()
        for f in group:
            seen = set()
            for sym in f:
                if re.match(r"<?(svcbook|svcbook_search|tantivy|tera|serde_yaml|pulldown_cmark)::", sym):
                    s = short(sym)
                    if s not in seen:
                        seen.add(s)
                        owned[s] += 1
        for sym, n in owned.most_common(args.top):
            print(f"  incl {100 * n / total:5.1f}%  {sym}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
