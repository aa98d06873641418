//! Pairing the previous snapshot with the current one: by position where the ids agree (snapshots
//! usually list accounts in the same order), by id for the rest, checking previous ids are unique.

use super::review::NO_PREVIOUS;
use crate::account::Account;
use crate::error::{ProgramError, ProgramErrorKind};
use crate::ids::{IdIndex, IdIndexError};
use crate::overrides::{Override, OverrideIndex};
use crate::Prepared;

/// The duplicate-id error of the previous account at position `j`.
fn duplicate(previous: &[Account], j: usize) -> ProgramError {
    let b = &previous[j];
    ProgramError::new(
        ProgramErrorKind::Duplicate,
        format!("previous[{j}].id"),
        b.id.clone(),
        "an id not used by another account of the snapshot",
        "duplicate account id",
    )
    .at_row(j, Some(&b.id))
}

/// The error for a previous snapshot too large to index.
fn too_many(previous: &[Account], allowed: &str) -> ProgramError {
    ProgramError::new(
        ProgramErrorKind::InvalidValue,
        "previous",
        previous.len().to_string(),
        allowed,
        "too many accounts",
    )
}

impl Prepared<'_> {
    /// The previous position of each current account ([`NO_PREVIOUS`]: new), checking the
    /// previous ids are unique. Accounts are first paired by position; only the others go
    /// through an id index.
    pub(super) fn join_previous(&self, previous: &[Account]) -> Result<Vec<u32>, ProgramError> {
        if previous.len() >= u32::MAX as usize {
            return Err(too_many(previous, "fewer than 4294967295 accounts"));
        }
        let n = self.accounts.len();
        let mut positions = vec![NO_PREVIOUS; n];
        let mut paired = vec![false; previous.len()];
        let mut any_paired = false;
        for (i, (a, b)) in self.accounts.iter().zip(previous).enumerate() {
            if a.id == b.id {
                positions[i] = i as u32;
                paired[i] = true;
                any_paired = true;
            }
        }
        let unpaired: Vec<u32> = (0..previous.len() as u32).filter(|j| !paired[*j as usize]).collect();
        let unpaired_ids =
            IdIndex::build(unpaired.iter().map(|j| previous[*j as usize].id.as_str())).map_err(|e| match e {
                IdIndexError::Duplicate(k) => duplicate(previous, unpaired[k] as usize),
                IdIndexError::TooLarge => too_many(previous, "ids taking less than 4 GiB in all"),
            })?;
        // An unpaired previous id equal to a paired one is a duplicate (current ids are unique).
        if any_paired {
            for &j in &unpaired {
                if let Some(i) = self.ids.get(&previous[j as usize].id) {
                    if paired.get(i as usize) == Some(&true) {
                        return Err(duplicate(previous, (j as usize).max(i as usize)));
                    }
                }
            }
        }
        let open: Vec<u32> = (0..n as u32).filter(|i| positions[*i as usize] == NO_PREVIOUS).collect();
        unpaired_ids.get_many(open.iter().map(|i| self.accounts[*i as usize].id.as_str()), |k, found| {
            if let Some(r) = found {
                positions[open[k] as usize] = unpaired[r as usize];
            }
        });
        Ok(positions)
    }

    /// The overrides by previous position. Overrides are few: their previous positions are found
    /// through the current ones, or by a scan.
    pub(super) fn previous_override_index<'o>(
        &self,
        overrides: &'o [Override],
        previous: &[Account],
        previous_positions: &[u32],
    ) -> OverrideIndex<'o> {
        if overrides.is_empty() {
            return OverrideIndex::new(overrides, |_| None);
        }
        OverrideIndex::new(overrides, |id| match self.ids.get(id).map(|i| previous_positions[i as usize]) {
            Some(k) if k != NO_PREVIOUS => Some(k),
            _ => previous.iter().position(|b| b.id == id).map(|k| k as u32),
        })
    }
}
