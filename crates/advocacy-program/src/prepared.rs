//! [`Prepared`]: accounts, their ledger and a configuration checked and indexed once, for many
//! requests over the same data; and the eligibility of one account from it.

use std::sync::OnceLock;

use advocacy_core::{Date, Tier};

use crate::account::{validate_accounts, Account, LedgerEntry};
use crate::config::{CompiledConfig, ProgramConfig};
use crate::error::{ProgramError, ProgramErrorKind};
use crate::fatigue::{Refusal, ThankYouOwed};
use crate::ids::{IdIndex, IdIndexError};
use crate::ledger::{AccountLookup, CompactEntry, LedgerIndex};
use crate::match_table::MatchTable;
use crate::overrides::{apply_overrides, effective_score, Override, OverrideIndex};
use crate::stage::stage_of;
use crate::Eligibility;

/// Accounts, their ledger and a configuration, checked and indexed once.
///
/// Building it validates the accounts, maps ids to positions and groups the ledger by account;
/// its methods then answer requests in one pass over the accounts.
pub struct Prepared<'a> {
    pub(crate) config: CompiledConfig<'a>,
    pub(crate) accounts: &'a [Account],
    pub(crate) ids: IdIndex,
    pub(crate) ledger: LedgerIndex,
    /// Compact per-account rows for matching, built on the first request.
    pub(crate) match_table: OnceLock<MatchTable>,
}

/// Checks and compiles a configuration; error paths start at `config`.
pub(crate) fn compile_config(config: &ProgramConfig) -> Result<CompiledConfig<'_>, ProgramError> {
    CompiledConfig::new(config).map_err(|e| e.under("config"))
}

impl<'a> Prepared<'a> {
    /// Checks the configuration and accounts and indexes the ledger.
    pub fn new(
        config: &'a ProgramConfig,
        accounts: &'a [Account],
        ledger: &[LedgerEntry],
    ) -> Result<Prepared<'a>, ProgramError> {
        Self::new_named(config, accounts, ledger, "accounts")
    }

    /// [`Prepared::new`], naming the accounts `list` in error paths (`current[3].id`).
    pub(crate) fn new_named(
        config: &'a ProgramConfig,
        accounts: &'a [Account],
        ledger: &[LedgerEntry],
        list: &str,
    ) -> Result<Prepared<'a>, ProgramError> {
        let config = compile_config(config)?;
        validate_accounts(accounts, list)?;
        let ids = index_account_ids(accounts, list)?;
        let ledger = LedgerIndex::new(&config, ledger, accounts.len(), AccountLookup::Positions(&ids))?;
        Ok(Prepared { config, accounts, ids, ledger, match_table: OnceLock::new() })
    }

    /// The position of an account.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.get(id).map(|i| i as usize)
    }

    /// Ledger entries whose account is not among the accounts.
    pub fn unmatched_ledger_entries(&self) -> usize {
        self.ledger.unmatched
    }

    /// Overrides by account position (those of other accounts are left out).
    pub(crate) fn override_index(&self, overrides: &'a [Override]) -> OverrideIndex<'a> {
        OverrideIndex::new(overrides, |id| self.ids.get(id))
    }

    /// The total and tier of the account at position `i` after its overrides in force on `as_of`.
    #[inline]
    pub(crate) fn effective_score_at(&self, i: usize, overrides: &OverrideIndex, as_of: Date) -> (f64, Tier) {
        let a = &self.accounts[i];
        let settings = self.config.settings;
        effective_score(
            a.total,
            a.tier,
            a.gated,
            overrides.of_account(i as u32),
            as_of,
            &settings.tiers,
            settings.max_total,
        )
    }

    /// The eligibility of the account at position `i`.
    pub fn eligibility_at(&self, i: usize, overrides: &[Override], as_of: Date) -> Eligibility {
        let config = &self.config;
        let settings = config.settings;
        let a = &self.accounts[i];
        let overridden =
            apply_overrides(&a.id, a.total, a.tier, a.gated, overrides, as_of, &settings.tiers, settings.max_total);
        let segment = config.classify(a);
        let entries = self.ledger.entries_of(i);
        let day = as_of.to_days() as i32;
        let mut compact_refusals = Vec::new();
        config.refusals_in_force(entries, day, &mut compact_refusals);
        config.agreed_asks_refusal(a.enrolment.as_ref(), entries, day, &mut compact_refusals);
        let refusals: Vec<Refusal> = compact_refusals.iter().map(|r| config.explain_refusal(r)).collect();
        let (eligible, excluded) =
            config.explain_activities(a, overridden.tier, segment.segment, entries, day, &compact_refusals, &refusals);
        let plan = settings.outreach.plan(overridden.tier);
        let mut thanks_owed = Vec::new();
        config.thanks_owed(entries, day, |e| thanks_owed.push(thank_you_owed(config, &a.id, e, day)));
        Eligibility {
            account: a.id.clone(),
            tier: overridden.tier,
            total: overridden.total,
            overrides: overridden.overrides,
            segment,
            invited_by: plan.invited_by.clone(),
            benefits: plan.benefits.clone(),
            max_effort: plan.max_effort,
            start_effort: config.target_effort(a, overridden.tier, entries),
            stage: stage_of(config, overridden.tier, entries, day).max(crate::stage::recorded_stage(a)),
            eligible,
            excluded,
            refusals,
            thanks_owed,
        }
    }
}

/// The thank-you the account `account` is owed for a completed entry, on day `day`.
pub(crate) fn thank_you_owed(config: &CompiledConfig, account: &str, e: &CompactEntry, day: i32) -> ThankYouOwed {
    ThankYouOwed {
        account: account.to_string(),
        activity: config.settings.activities[e.activity as usize].id.clone(),
        completed: Date::from_days(e.day as i64),
        days_waiting: (day - e.day) as i64,
    }
}

/// Maps the ids of `accounts` (named `list` in errors) to their positions; ids must be unique.
fn index_account_ids(accounts: &[Account], list: &str) -> Result<IdIndex, ProgramError> {
    if accounts.len() >= u32::MAX as usize {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            list,
            accounts.len().to_string(),
            "fewer than 4294967295 accounts",
            "too many accounts",
        ));
    }
    IdIndex::build(accounts.iter().map(|a| a.id.as_str())).map_err(|e| match e {
        IdIndexError::Duplicate(i) => {
            let a = &accounts[i];
            ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("{list}[{i}].id"),
                a.id.clone(),
                "an id not used by another account of the snapshot",
                "duplicate account id",
            )
            .at_row(i, Some(&a.id))
        }
        IdIndexError::TooLarge => ProgramError::new(
            ProgramErrorKind::InvalidValue,
            list,
            accounts.len().to_string(),
            "ids taking less than 4 GiB in all",
            "too many accounts",
        ),
    })
}
