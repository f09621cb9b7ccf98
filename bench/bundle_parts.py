#!/usr/bin/env python3
"""Lists the files inside an svcbook index bundle with raw and gzip sizes.

    python3 bench/bundle_parts.py BUNDLE

A built site holds the bundle cut into chunk scripts (search/index/<hash>.js, in the
order search/manifest.json lists them); bench/run puts them back together into one file
for this script.

Layout (crates/svcbook-search/src/bundle.rs): b"SVCBIDX2", u32 count, then
count x { u16 name_len, name, u32 data_len, zero padding to 8, data }, little-endian. Shows which
parts of the index the first download carries: the evidence for lazy loading.
"""
import gzip
import struct
import sys


def parts(path):
    """[(part, file name, raw bytes, gzip -6 bytes)] of a bundle, largest first."""
    data = open(path, "rb").read()
    assert data[:8] == b"SVCBIDX2", "not an svcbook bundle (version 3 layout)"
    (count,) = struct.unpack_from("<I", data, 8)
    at = 12
    rows = []
    for _ in range(count):
        (n,) = struct.unpack_from("<H", data, at)
        name = data[at + 2:at + 2 + n].decode()
        at += 2 + n
        (size,) = struct.unpack_from("<I", data, at)
        at += 4
        at += (8 - at % 8) % 8  # data starts 8-aligned
        body = data[at:at + size]
        at += size
        ext = name.rsplit(".", 1)[-1] if "." in name else name
        rows.append((ext, name, size, len(gzip.compress(body, 6))))
    return sorted(rows, key=lambda r: -r[2])


def main(path):
    rows = parts(path)
    total = sum(r[2] for r in rows)
    print(f"{'part':<10} {'raw KiB':>10} {'share':>7} {'gzip KiB':>10}  file")
    for ext, name, size, gz in rows:
        print(f"{ext:<10} {size / 1024:>10.0f} {100 * size / total:>6.1f}% {gz / 1024:>10.0f}  {name}")
    print(f"{'total':<10} {total / 1024:>10.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
