//! A small, fast, non-cryptographic hasher for id lookups (FxHash's mixing step).
//!
//! Ids come from the caller's own data; hash flooding is not a concern for a library that
//! reads its user's files, and std's SipHash costs a third of the review's time on 6M lookups.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl Fx {
    #[inline(always)]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // A final avalanche so that the low bits hashbrown uses are well mixed.
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

pub(crate) fn map_with_capacity<K, V>(n: usize) -> FxMap<K, V> {
    HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

/// The 64-bit hash of an id.
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = Fx::default();
    h.write(s.as_bytes());
    h.finish()
}

const EMPTY: u32 = u32::MAX;

/// Ids to positions: an open-addressing table of `(hash tag, arena offset)` over one contiguous
/// arena of `[position, length, bytes]` records. A lookup touches one slot and one arena record,
/// where a map of `&str` touches a control group, a slot and the caller's string.
pub(crate) struct IdIndex {
    slots: Vec<[u32; 2]>,
    arena: Vec<u8>,
    mask: usize,
}

/// Why an [`IdIndex`] could not be built.
pub(crate) enum IdIndexError {
    /// The id at this position repeats an earlier one.
    Duplicate(usize),
    /// The ids take more than 4 GiB.
    TooLarge,
}

impl IdIndex {
    pub(crate) fn build<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> Result<IdIndex, IdIndexError> {
        let n = ids.len();
        let cap = (n * 4).next_power_of_two().max(16);
        let mut ix = IdIndex { slots: vec![[0, EMPTY]; cap], arena: Vec::with_capacity(n * 24), mask: cap - 1 };
        for (i, s) in ids.enumerate() {
            let h = hash_str(s);
            let tag = (h >> 32) as u32;
            let mut pos = h as usize & ix.mask;
            loop {
                let [t, off] = ix.slots[pos];
                if off == EMPTY {
                    let off = ix.arena.len();
                    if off + 8 + s.len() >= EMPTY as usize || s.len() >= u32::MAX as usize {
                        return Err(IdIndexError::TooLarge);
                    }
                    ix.arena.extend_from_slice(&(i as u32).to_le_bytes());
                    ix.arena.extend_from_slice(&(s.len() as u32).to_le_bytes());
                    ix.arena.extend_from_slice(s.as_bytes());
                    ix.slots[pos] = [tag, off as u32];
                    break;
                }
                if t == tag && ix.key(off) == s.as_bytes() {
                    return Err(IdIndexError::Duplicate(i));
                }
                pos = (pos + 1) & ix.mask;
            }
        }
        Ok(ix)
    }

    #[inline]
    fn word(&self, at: usize) -> u32 {
        let mut b = [0u8; 4];
        if let Some(s) = self.arena.get(at..at + 4) {
            b.copy_from_slice(s);
        }
        u32::from_le_bytes(b)
    }

    #[inline]
    fn key(&self, off: u32) -> &[u8] {
        let off = off as usize;
        let len = self.word(off + 4) as usize;
        self.arena.get(off + 8..off + 8 + len).unwrap_or(&[])
    }

    /// The position of an id.
    #[inline]
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        let h = hash_str(s);
        let tag = (h >> 32) as u32;
        let mut pos = h as usize & self.mask;
        loop {
            let [t, off] = self.slots[pos];
            if off == EMPTY {
                return None;
            }
            if t == tag && self.key(off) == s.as_bytes() {
                return Some(self.word(off as usize));
            }
            pos = (pos + 1) & self.mask;
        }
    }
}

const BATCH: usize = 32;

impl IdIndex {
    /// Looks up many ids, `f(i, position)` for each, in batches: the slot and arena loads of a
    /// batch are issued before any is needed, so their cache misses overlap.
    pub(crate) fn get_many<'a>(&self, keys: impl Iterator<Item = &'a str>, mut f: impl FnMut(usize, Option<u32>)) {
        let mut ks: [&str; BATCH] = [""; BATCH];
        let mut hs = [0u64; BATCH];
        let mut slot = [[0u32; 2]; BATCH];
        let mut head = [[0u32; 2]; BATCH];
        let mut keys = keys.peekable();
        let mut base = 0;
        while keys.peek().is_some() {
            let mut n = 0;
            while n < BATCH {
                match keys.next() {
                    Some(k) => {
                        ks[n] = k;
                        n += 1;
                    }
                    None => break,
                }
            }
            for k in 0..n {
                hs[k] = hash_str(ks[k]);
            }
            for k in 0..n {
                slot[k] = self.slots[hs[k] as usize & self.mask];
            }
            for k in 0..n {
                let off = slot[k][1];
                head[k] =
                    if off == EMPTY { [EMPTY, 0] } else { [self.word(off as usize), self.word(off as usize + 4)] };
            }
            for k in 0..n {
                let [tag, off] = slot[k];
                let r = if off == EMPTY {
                    None
                } else if tag == (hs[k] >> 32) as u32
                    && head[k][1] as usize == ks[k].len()
                    && self.key(off) == ks[k].as_bytes()
                {
                    Some(head[k][0])
                } else {
                    // A collision in the first slot: probe on.
                    self.get(ks[k])
                };
                f(base + k, r);
            }
            base += n;
        }
    }
}
