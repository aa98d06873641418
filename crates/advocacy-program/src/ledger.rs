//! The activity ledger indexed by account: each entry resolved to its account's position and its
//! activity's catalogue position, grouped by account and sorted by date, in one flat array.

use advocacy_core::Date;

use crate::account::{LedgerEntry, Status};
use crate::config::CompiledConfig;
use crate::error::{ProgramError, ProgramErrorKind};
use crate::ids::IdIndex;

/// How ledger entries find their account.
pub(crate) enum AccountLookup<'a> {
    /// Positions of a snapshot's accounts.
    Positions(&'a IdIndex),
    /// Only this account (position 0); entries of other accounts are unmatched.
    Single(&'a str),
}

/// One ledger entry, compact: day number, input row, activity position, status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CompactEntry {
    /// The entry's date as a day number ([`advocacy_core::Date::to_days`]).
    pub day: i32,
    /// Its position in the caller's ledger.
    pub row: u32,
    /// Its activity's position in the catalogue.
    pub activity: u16,
    /// What happened.
    pub status: Status,
}

/// Marks a ledger entry whose account is not among the accounts.
const NO_ACCOUNT: u32 = u32::MAX;

/// The ledger grouped by account position (CSR layout), each account's entries by date.
pub(crate) struct LedgerIndex {
    /// Account `i`'s entries are `entries[offsets[i]..offsets[i + 1]]`.
    offsets: Vec<u32>,
    entries: Vec<CompactEntry>,
    /// Entries whose account is not among the accounts.
    pub unmatched: usize,
    /// The latest entry: its date and its row in the ledger.
    pub latest: Option<(Date, usize)>,
}

impl LedgerIndex {
    /// Groups the ledger of `n_accounts` accounts, found through `accounts`, by account.
    /// An activity that is not in the catalogue fails, naming its row.
    pub(crate) fn new(
        config: &CompiledConfig,
        ledger: &[LedgerEntry],
        n_accounts: usize,
        accounts: AccountLookup,
    ) -> Result<LedgerIndex, ProgramError> {
        if ledger.len() >= u32::MAX as usize || n_accounts >= u32::MAX as usize {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                "ledger",
                ledger.len().to_string(),
                "fewer than 4294967295 entries",
                "ledger too large",
            ));
        }
        let activities = resolve_activities(config, ledger)?;
        let (owners, counts, unmatched) = resolve_accounts(ledger, n_accounts, accounts);
        let offsets = offsets_of(&counts);
        let entries = group_by_account(ledger, &owners, &activities, &offsets);
        let latest =
            ledger.iter().enumerate().map(|(i, e)| (e.date, i)).max_by_key(|(d, i)| (*d, std::cmp::Reverse(*i)));
        Ok(LedgerIndex { offsets, entries, unmatched, latest })
    }

    /// Refuses a ledger with an entry dated after `as_of`: the review and the matches are as of
    /// that day, so a later entry is a mistake in one of the two (named with its row).
    pub(crate) fn check_not_after(&self, as_of: Date) -> Result<(), ProgramError> {
        match self.latest {
            Some((date, row)) if date > as_of => Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                format!("ledger[{row}].date"),
                date.to_string(),
                format!("a date on or before as_of ({as_of})"),
                "a ledger entry is dated after the as-of date",
            )
            .at_row(row, None)),
            _ => Ok(()),
        }
    }

    /// The entries of account `i`, by date.
    #[inline]
    pub(crate) fn entries_of(&self, i: usize) -> &[CompactEntry] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(a), Some(b)) => &self.entries[*a as usize..*b as usize],
            _ => &[],
        }
    }
}

/// The catalogue position of every entry's activity.
fn resolve_activities(config: &CompiledConfig, ledger: &[LedgerEntry]) -> Result<Vec<u16>, ProgramError> {
    let mut activities = Vec::with_capacity(ledger.len());
    for (row, e) in ledger.iter().enumerate() {
        activities.push(config.activity(&e.activity).ok_or_else(|| unknown_activity(config, row, e))?);
    }
    Ok(activities)
}

/// The account position of every entry ([`NO_ACCOUNT`] when not found), entries per account
/// (one slot more than accounts), and how many entries found no account.
fn resolve_accounts(ledger: &[LedgerEntry], n_accounts: usize, accounts: AccountLookup) -> (Vec<u32>, Vec<u32>, usize) {
    let mut owners = vec![NO_ACCOUNT; ledger.len()];
    let mut counts = vec![0u32; n_accounts + 1];
    let mut unmatched = 0;
    let mut set = |row: usize, account: Option<u32>| match account {
        Some(a) => {
            counts[a as usize] += 1;
            owners[row] = a;
        }
        None => unmatched += 1,
    };
    match accounts {
        AccountLookup::Positions(ids) => ids.get_many(ledger.iter().map(|e| e.account.as_str()), set),
        AccountLookup::Single(id) => {
            ledger.iter().enumerate().for_each(|(row, e)| set(row, (e.account == id).then_some(0)))
        }
    }
    (owners, counts, unmatched)
}

/// Where each account's entries start, from entries per account; the last offset is the total.
fn offsets_of(counts: &[u32]) -> Vec<u32> {
    let n_accounts = counts.len() - 1;
    let mut offsets = Vec::with_capacity(n_accounts + 1);
    let mut sum = 0u32;
    for c in &counts[..n_accounts] {
        offsets.push(sum);
        sum += c;
    }
    offsets.push(sum);
    offsets
}

/// The matched entries placed in their account's range, each range sorted by date then row.
fn group_by_account(ledger: &[LedgerEntry], owners: &[u32], activities: &[u16], offsets: &[u32]) -> Vec<CompactEntry> {
    let n_accounts = offsets.len() - 1;
    let mut next: Vec<u32> = offsets[..n_accounts].to_vec();
    let placeholder = CompactEntry { day: 0, row: 0, activity: 0, status: Status::Asked };
    let mut entries = vec![placeholder; offsets[n_accounts] as usize];
    for (row, ((owner, activity), e)) in owners.iter().zip(activities).zip(ledger).enumerate() {
        if *owner == NO_ACCOUNT {
            continue;
        }
        let slot = &mut next[*owner as usize];
        entries[*slot as usize] =
            CompactEntry { day: e.date.to_days() as i32, row: row as u32, activity: *activity, status: e.status };
        *slot += 1;
    }
    for range in offsets.windows(2) {
        let account_entries = &mut entries[range[0] as usize..range[1] as usize];
        if account_entries.len() > 1 {
            account_entries.sort_unstable_by_key(|e| (e.day, e.row));
        }
    }
    entries
}

/// The error for a ledger entry whose activity is not in the catalogue.
pub(crate) fn unknown_activity(config: &CompiledConfig, row: usize, e: &LedgerEntry) -> ProgramError {
    let ids: Vec<&str> = config.settings.activities.iter().map(|a| a.id.as_str()).collect();
    ProgramError::new(
        ProgramErrorKind::UnknownActivity,
        format!("ledger[{row}].activity"),
        e.activity.clone(),
        ids.join(", "),
        "the activity is not in the catalogue",
    )
    .at_row(row, Some(&e.account))
}
