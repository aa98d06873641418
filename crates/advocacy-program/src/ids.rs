//! Account ids to positions in a snapshot, and the fast hash maps the crate uses for ids and texts.
//!
//! Ids come from the caller's own data; hash flooding is not a concern for a library that reads
//! its user's files, so maps use `rustc_hash`'s FxHash rather than std's SipHash.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;
pub(crate) use rustc_hash::FxHashMap;

/// An empty [`FxHashMap`] with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> FxHashMap<K, V> {
    FxHashMap::with_capacity_and_hasher(n, FxBuildHasher)
}

/// The 64-bit hash of an id.
#[inline]
fn hash_id(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

/// Marks an empty slot of an [`IdIndex`].
const EMPTY: u32 = u32::MAX;

/// Ids to positions: an open-addressing table of `(hash tag, arena offset)` over one contiguous
/// arena of `[position, length, bytes]` records. A lookup touches one slot and one arena record,
/// where a map of `&str` touches a control group, a slot and the caller's string.
///
/// Kept over a plain `FxHashMap<&str, u32>` ([`IdMap`]) because it wins the job it does in
/// `Prepared::new`: `cargo bench --bench program -- ids` (1,000,000 ids of 12 bytes, then the
/// 5,000,000 ledger entries' account ids in random order; release build, 2 cores shared with
/// other builds, five runs, criterion's estimates):
///
/// | run | build, IdIndex | build, FxHashMap | build + 5M lookups, IdIndex | build + 5M lookups, FxHashMap |
/// |---|---|---|---|---|
/// | 1 | 122 ms | 91 ms | 714 ms | 783 ms |
/// | 2 | 103 ms | 132 ms | 494 ms | 975 ms |
/// | 3 | 116 ms | 126 ms | 676 ms | 931 ms |
/// | 4 | 47 ms | 64 ms | 275 ms | 522 ms |
/// | 5 | 79 ms | 103 ms | 468 ms | 1039 ms |
///
/// Building is a wash; the whole job is 1.1 to 2.2 times faster (median 1.9), the lookups alone
/// 1.2 to 2.4 times: 0.07 to 0.57 s saved on a 1M-account review from scratch (2.4 to 3 s).
pub(crate) struct IdIndex {
    slots: Vec<[u32; 2]>,
    arena: Vec<u8>,
    mask: usize,
}

/// Why an [`IdIndex`] could not be built.
#[derive(Debug)]
pub(crate) enum IdIndexError {
    /// The id at this position repeats an earlier one.
    Duplicate(usize),
    /// The ids take more than 4 GiB.
    TooLarge,
}

impl IdIndex {
    /// Indexes ids by their position in `ids`; fails on the first repeated id.
    pub(crate) fn build<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Result<IdIndex, IdIndexError> {
        let n = ids.len();
        let capacity = (n * 4).next_power_of_two().max(16);
        let mut index =
            IdIndex { slots: vec![[0, EMPTY]; capacity], arena: Vec::with_capacity(n * 24), mask: capacity - 1 };
        for (position, id) in ids.enumerate() {
            index.insert(position, id)?;
        }
        Ok(index)
    }

    fn insert(&mut self, position: usize, id: &str) -> Result<(), IdIndexError> {
        let hash = hash_id(id);
        let tag = (hash >> 32) as u32;
        let mut slot = hash as usize & self.mask;
        loop {
            let [slot_tag, offset] = self.slots[slot];
            if offset == EMPTY {
                let offset = self.arena.len();
                if offset + 8 + id.len() >= EMPTY as usize || id.len() >= u32::MAX as usize {
                    return Err(IdIndexError::TooLarge);
                }
                self.arena.extend_from_slice(&(position as u32).to_le_bytes());
                self.arena.extend_from_slice(&(id.len() as u32).to_le_bytes());
                self.arena.extend_from_slice(id.as_bytes());
                self.slots[slot] = [tag, offset as u32];
                return Ok(());
            }
            if slot_tag == tag && self.key(offset) == id.as_bytes() {
                return Err(IdIndexError::Duplicate(position));
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// The little-endian word at `at` in the arena.
    #[inline]
    fn word(&self, at: usize) -> u32 {
        let mut bytes = [0u8; 4];
        if let Some(s) = self.arena.get(at..at + 4) {
            bytes.copy_from_slice(s);
        }
        u32::from_le_bytes(bytes)
    }

    /// The id bytes of the arena record at `offset`.
    #[inline]
    fn key(&self, offset: u32) -> &[u8] {
        let offset = offset as usize;
        let len = self.word(offset + 4) as usize;
        self.arena.get(offset + 8..offset + 8 + len).unwrap_or(&[])
    }

    /// The position of an id.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        let hash = hash_id(id);
        let tag = (hash >> 32) as u32;
        let mut slot = hash as usize & self.mask;
        loop {
            let [slot_tag, offset] = self.slots[slot];
            if offset == EMPTY {
                return None;
            }
            if slot_tag == tag && self.key(offset) == id.as_bytes() {
                return Some(self.word(offset as usize));
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// Ids looked up together by [`IdIndex::get_many`].
const BATCH: usize = 32;

impl IdIndex {
    /// Looks up many ids, `f(i, position)` for each, in batches: the slot and arena loads of a
    /// batch are issued before any is needed, so their cache misses overlap.
    pub(crate) fn get_many<'a>(&self, ids: impl Iterator<Item = &'a str>, mut f: impl FnMut(usize, Option<u32>)) {
        let mut batch: [&str; BATCH] = [""; BATCH];
        let mut hashes = [0u64; BATCH];
        let mut slots = [[0u32; 2]; BATCH];
        let mut heads = [[0u32; 2]; BATCH];
        let mut ids = ids.peekable();
        let mut base = 0;
        while ids.peek().is_some() {
            let mut n = 0;
            while n < BATCH {
                match ids.next() {
                    Some(id) => {
                        batch[n] = id;
                        n += 1;
                    }
                    None => break,
                }
            }
            for k in 0..n {
                hashes[k] = hash_id(batch[k]);
            }
            for k in 0..n {
                slots[k] = self.slots[hashes[k] as usize & self.mask];
            }
            for k in 0..n {
                let offset = slots[k][1];
                heads[k] = if offset == EMPTY {
                    [EMPTY, 0]
                } else {
                    [self.word(offset as usize), self.word(offset as usize + 4)]
                };
            }
            for k in 0..n {
                let [tag, offset] = slots[k];
                let position = if offset == EMPTY {
                    None
                } else if tag == (hashes[k] >> 32) as u32
                    && heads[k][1] as usize == batch[k].len()
                    && self.key(offset) == batch[k].as_bytes()
                {
                    Some(heads[k][0])
                } else {
                    // A collision in the first slot: probe on.
                    self.get(batch[k])
                };
                f(base + k, position);
            }
            base += n;
        }
    }
}

/// The same job as [`IdIndex`] with a plain [`FxHashMap`]: the baseline `benches/program.rs`
/// measures it against (through [`crate::bench_support`]); the crate itself uses `IdIndex`.
pub(crate) struct IdMap<'a> {
    map: FxHashMap<&'a str, u32>,
}

impl<'a> IdMap<'a> {
    /// Indexes ids by their position in `ids`; fails on the first repeated id.
    pub(crate) fn build(ids: impl ExactSizeIterator<Item = &'a str>) -> Result<IdMap<'a>, IdIndexError> {
        let mut map = map_with_capacity(ids.len());
        for (position, id) in ids.enumerate() {
            if map.insert(id, position as u32).is_some() {
                return Err(IdIndexError::Duplicate(position));
            }
        }
        Ok(IdMap { map })
    }

    /// The position of an id.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.map.get(id).copied()
    }

    /// Looks up many ids, `f(i, position)` for each.
    pub(crate) fn get_many<'k>(&self, ids: impl Iterator<Item = &'k str>, mut f: impl FnMut(usize, Option<u32>)) {
        for (i, id) in ids.enumerate() {
            f(i, self.get(id));
        }
    }
}
