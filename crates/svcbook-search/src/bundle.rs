//! The index bundle: every file of a one-segment tantivy index, plus svcbook's own
//! metadata, concatenated into one blob.
//!
//! One file means one request (or one `<script>` on `file://`) and one cache
//! entry named by its content hash. Layout, all integers little-endian:
//!
//! ```text
//! b"SVCBIDX2"  u32 entry_count
//! entry_count × { u16 name_len, name (UTF-8), u32 data_len, zero padding, data }
//! ```
//!
//! The padding starts every `data` at a multiple of 8 from the start of the
//! bundle, so a reader can hand tantivy slices of one buffer (a memory map, or
//! the wasm heap copy) instead of copying each file to get it aligned.
//!
//! On the read side the files are served to tantivy by [`BundleDirectory`], a
//! read-only in-memory `Directory` with no locks and no watching, which is all
//! that a `ReloadPolicy::Manual` reader needs and all that works in wasm (no
//! threads, no clock, no file system).

use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, WatchCallback, WatchHandle, WritePtr,
};

use crate::SearchError;

const MAGIC: &[u8; 8] = b"SVCBIDX2";
const ALIGN: usize = 8;

fn padding(offset: usize) -> usize {
    (ALIGN - offset % ALIGN) % ALIGN
}
/// Name of svcbook's own metadata entry (JSON), not a tantivy file.
pub const META_ENTRY: &str = "svcbook.json";

/// Packs `(name, bytes)` entries in the given order.
/// Takes the entries by value and frees each once copied, so packing needs
/// little more memory than the bundle itself. Any bytes will do: a live index
/// packs tantivy's shared buffers without copying them first.
pub fn pack<B: AsRef<[u8]>>(entries: Vec<(String, B)>) -> Vec<u8> {
    let total: usize = entries
        .iter()
        .map(|(n, d)| 6 + ALIGN + n.len() + d.as_ref().len())
        .sum();
    let mut out = Vec::with_capacity(12 + total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (name, data) in entries {
        let data = data.as_ref();
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.resize(out.len() + padding(out.len()), 0);
        out.extend_from_slice(data);
    }
    out
}

/// A bundle's entries: each a name and the byte range of its data.
pub type Entries = Vec<(String, Range<usize>)>;

/// [`unpack`], with the svcbook metadata entry read and its version checked:
/// the metadata and the other (tantivy) entries.
pub(crate) fn unpack_index(bytes: &[u8]) -> Result<(crate::BundleMeta, Entries), SearchError> {
    let mut meta = None;
    let mut files = Vec::new();
    for (name, range) in unpack(bytes)? {
        if name == META_ENTRY {
            meta = Some(read_meta(&bytes[range])?);
        } else {
            files.push((name, range));
        }
    }
    let meta = meta.ok_or_else(|| SearchError::Bundle(format!("missing {META_ENTRY}")))?;
    Ok((meta, files))
}

/// svcbook's metadata entry, its version checked.
pub(crate) fn read_meta(bytes: &[u8]) -> Result<crate::BundleMeta, SearchError> {
    let meta = serde_json::from_slice::<crate::BundleMeta>(bytes)
        .map_err(|e| SearchError::Bundle(e.to_string()))?;
    if meta.version != crate::BUNDLE_VERSION {
        return Err(SearchError::Version {
            found: meta.version,
            expected: crate::BUNDLE_VERSION,
        });
    }
    Ok(meta)
}

/// Splits a bundle back into its entries, validating every length. Each entry
/// is a `(name, byte range of bytes)`.
pub fn unpack(bytes: &[u8]) -> Result<Entries, SearchError> {
    unpack_with(bytes.len(), |range| Ok(bytes[range].to_vec()))
}

/// [`unpack`] for a bundle of `len` bytes read piece by piece through `read`
/// (which gets ranges within `len`): a lazily loaded bundle reads its header
/// without the files.
pub fn unpack_with(
    len: usize,
    mut read: impl FnMut(Range<usize>) -> Result<Vec<u8>, SearchError>,
) -> Result<Entries, SearchError> {
    let bad = |why: &str| SearchError::Bundle(why.to_string());
    if len < MAGIC.len() || read(0..MAGIC.len())? != MAGIC {
        return Err(bad("not an svcbook index bundle (bad magic)"));
    }
    let mut at = MAGIC.len();
    let mut take = |n: usize| -> Result<Range<usize>, SearchError> {
        if len - at < n {
            return Err(bad("truncated"));
        }
        at += n;
        Ok(at - n..at)
    };
    let int = |bytes: Vec<u8>| {
        bytes
            .iter()
            .rev()
            .fold(0usize, |v, &b| (v << 8) | usize::from(b))
    };
    let count = int(read(take(4)?)?);
    let mut entries = Vec::new();
    for _ in 0..count {
        let name_len = int(read(take(2)?)?);
        let name = String::from_utf8(read(take(name_len)?)?)
            .map_err(|_| bad("entry name is not UTF-8"))?;
        let data_len = int(read(take(4)?)?);
        let end_of_header = take(0)?.end;
        take(padding(end_of_header))?;
        entries.push((name, take(data_len)?));
    }
    Ok(entries)
}

/// Names output files by content so browsers may cache them forever, and
/// checks index chunks on load. Not cryptographic; it only has to change when
/// the bytes change. FNV-1a's step over 8-byte words, then a final mix
/// (MurmurHash3's fmix64) so every input bit reaches every output bit: byte by
/// byte FNV-1a took ~60 ms per 40 MB, what `svcbook serve` hashes after each
/// edit at 10k articles.
pub fn content_hash(bytes: &[u8]) -> String {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = (h ^ u64::from_le_bytes(w.try_into().expect("8 bytes"))).wrapping_mul(PRIME);
        h ^= h >> 29;
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    format!("{h:016x}")
}

/// Read-only tantivy directory over the files of a bundle: in memory, or read
/// lazily through a [`crate::chunks::ChunkStore`].
#[derive(Debug, Clone, Default)]
pub struct BundleDirectory {
    files: Arc<HashMap<PathBuf, Arc<dyn FileHandle>>>,
}

impl BundleDirectory {
    pub fn new(files: HashMap<PathBuf, Arc<dyn FileHandle>>) -> BundleDirectory {
        BundleDirectory {
            files: Arc::new(files),
        }
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("index bundle is read-only: {}", path.display()),
    )
}

impl Directory for BundleDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.files.get(path) {
            Some(file) => Ok(Arc::clone(file)),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match self.files.get(path) {
            Some(file) => file
                .read_bytes(0..file.len())
                .map(|bytes| bytes.as_slice().to_vec())
                .map_err(|e| OpenReadError::IoError {
                    io_error: Arc::new(e),
                    filepath: path.to_path_buf(),
                }),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    // Nothing can write, so there is nothing to exclude; the default would try to
    // create a lock file and spin on a clock wasm does not have.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_unpack_round_trip() {
        let entries = vec![
            ("a.idx".to_string(), vec![1, 2, 3]),
            ("meta.json".to_string(), b"{}".to_vec()),
        ];
        let bytes = pack(entries.clone());
        let back = unpack(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].0, "a.idx");
        assert_eq!(&bytes[back[0].1.clone()], &[1u8, 2, 3][..]);
        assert_eq!(&bytes[back[1].1.clone()], b"{}");
        for (_, range) in &back {
            assert_eq!(range.start % ALIGN, 0, "data must start 8-aligned");
        }
    }

    #[test]
    fn truncated_or_foreign_bytes_are_errors_not_panics() {
        let bytes = pack(vec![("x".to_string(), vec![9; 10])]);
        for cut in 0..bytes.len() {
            assert!(unpack(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(unpack(b"<html>").is_err());
    }

    #[test]
    fn content_hash_changes_with_content() {
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        assert_eq!(content_hash(b"").len(), 16);
        // Every single-bit flip of a chunk-sized input changes the hash.
        let base: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
        let h = content_hash(&base);
        for at in (0..base.len()).step_by(97) {
            for bit in 0..8 {
                let mut flipped = base.clone();
                flipped[at] ^= 1 << bit;
                assert_ne!(content_hash(&flipped), h, "byte {at} bit {bit}");
            }
        }
        // Trailing zeros count.
        assert_ne!(content_hash(&[0; 8]), content_hash(&[0; 9]));
    }
}
