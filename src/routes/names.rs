//! Output file names made from what authors write (taxonomy terms), and the
//! stable hash they use.

/// A term as a file name (without `.html`). A term that is a clean name —
/// letters and digits of any script, `-`, `_` and `.` inside — is its own file
/// name (`E04`, `XR-200`, `制冷`). Any other gets a readable slug (runs of other
/// characters become one `-`) and `~` plus eight hex digits of a hash of the
/// exact term, so `a b`, `a-b`, `a/b` and `a?b` get four pages and `.`, `..`
/// and `...` three, with names that stay the same from build to build
/// (`tags/a-b.html`, `tags/a-b~1c2d3e4f.html`…). `~` never occurs in a clean
/// name, so the two forms cannot meet.
pub fn term_file_stem(term: &str) -> String {
    let clean = !term.is_empty()
        && !term.starts_with(['.', '-'])
        && !term.ends_with('.')
        && !term.contains("..")
        && term
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if clean {
        return term.to_string();
    }
    let mut slug = String::new();
    let mut dash = false;
    for c in term.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    format!("{slug}~{:08x}", fnv1a(term.as_bytes()) >> 32)
}

/// FNV-1a, 64 bits: a stable hash (the same on every platform and version),
/// for names only — nothing depends on it being hard to collide, and a
/// collision would still be caught as two owners of one path.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
