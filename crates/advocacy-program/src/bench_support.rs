//! Not part of the API: the crate's internal id lookups, exposed (hidden from the docs) only so
//! `benches/program.rs` can compare them on the same data in the same run.

use crate::ids::{IdIndex, IdMap};

/// Which id-to-position structure to build.
#[derive(Clone, Copy, Debug)]
pub enum IdLookup {
    /// The crate's own open-addressing `IdIndex` with batched lookups.
    IdIndex,
    /// A `rustc_hash::FxHashMap<&str, u32>` (hashbrown with FxHash), one lookup at a time.
    FxHashMap,
}

/// Builds the structure over `ids` (their positions), then looks up every key in `keys` as
/// `Prepared::new` does for the ledger; returns how many keys were found.
pub fn build_and_look_up(kind: IdLookup, ids: &[&str], keys: &[&str]) -> usize {
    let mut found = 0;
    let mut count = |_: usize, p: Option<u32>| found += p.is_some() as usize;
    match kind {
        IdLookup::IdIndex => match IdIndex::build(ids.iter().copied()) {
            Ok(ix) => ix.get_many(keys.iter().copied(), &mut count),
            Err(_) => return 0,
        },
        IdLookup::FxHashMap => match IdMap::build(ids.iter().copied()) {
            Ok(ix) => ix.get_many(keys.iter().copied(), &mut count),
            Err(_) => return 0,
        },
    }
    found
}

/// Builds the structure over `ids` only; returns how many ids it holds.
pub fn build(kind: IdLookup, ids: &[&str]) -> usize {
    match kind {
        IdLookup::IdIndex => IdIndex::build(ids.iter().copied()).map_or(0, |_| ids.len()),
        IdLookup::FxHashMap => IdMap::build(ids.iter().copied()).map_or(0, |_| ids.len()),
    }
}
