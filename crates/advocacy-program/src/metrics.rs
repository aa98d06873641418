//! Program metrics: active advocates by tier per quarter, conversion, completion, time to first
//! activity, assets per quarter, and retention of advocates against the rest.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{round6, Date, Tier};

use crate::account::Status;
use crate::config::CompiledConfig;
use crate::error::ProgramError;
use crate::ids::{map_with_capacity, FxHashMap};
use crate::ledger::unknown_activity;
use crate::rate::rate;
pub use crate::rate::Rate;
use crate::MetricsInput;

/// Accounts per tier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TierCounts {
    /// Platinum.
    pub platinum: usize,
    /// Gold.
    pub gold: usize,
    /// Silver.
    pub silver: usize,
    /// Not yet qualified.
    pub not_yet_qualified: usize,
    /// Not advocate material.
    pub not_advocate_material: usize,
}

impl TierCounts {
    /// Counts one account in tier `t`.
    pub(crate) fn add(&mut self, t: Tier) {
        match t {
            Tier::Platinum => self.platinum += 1,
            Tier::Gold => self.gold += 1,
            Tier::Silver => self.silver += 1,
            Tier::NotYetQualified => self.not_yet_qualified += 1,
            Tier::NotAdvocateMaterial => self.not_advocate_material += 1,
        }
    }
}

/// Active advocates by the effort level of the activity catalogue (the program guide's Tier 1
/// low, Tier 2 moderate, Tier 3 high): each at the highest level it completed in the quarter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EffortCounts {
    /// Tier 1: low-effort activities only (reviews, quotes, surveys).
    pub low: usize,
    /// Tier 2: a moderate-effort activity at most (case studies, testimonials, referrals).
    pub moderate: usize,
    /// Tier 3: a high-effort activity (speaking, advisory boards, executive references).
    pub high: usize,
}

/// Active advocates (accounts that completed an activity) in one quarter, by tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuarterTiers {
    /// The quarter, `2026-Q1`.
    pub quarter: String,
    /// Active advocates by their tier in `accounts`.
    pub tiers: TierCounts,
    /// Active advocates by the effort level of what they did in the quarter.
    pub effort: EffortCounts,
    /// Active advocates not in `accounts` (tier unknown).
    pub unknown_tier: usize,
    /// All active advocates of the quarter.
    pub total: usize,
}

/// Days from an account's first ask to its first completed activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimeToFirst {
    /// Accounts that were asked and completed an activity afterwards.
    pub accounts: usize,
    /// Mean days.
    pub mean_days: Option<f64>,
    /// Median days.
    pub median_days: Option<f64>,
}

/// Assets produced in a quarter, by kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssetCount {
    /// The quarter, `2026-Q1`.
    pub quarter: String,
    /// The asset kind.
    pub asset: String,
    /// Completed activities that produced it.
    pub count: usize,
}

/// Assets of one kind in one quarter against the quarter's goal (`goals.assets_per_quarter`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AssetGoal {
    /// The quarter, `2026-Q1`.
    pub quarter: String,
    /// The asset kind.
    pub asset: String,
    /// The goal for the quarter.
    pub goal: u32,
    /// Completed activities that produced it in the quarter.
    pub count: usize,
    /// `count >= goal`.
    pub met: bool,
}

/// One account's renewal outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalRecord {
    /// The account.
    pub account: String,
    /// Whether it renewed.
    pub renewed: bool,
    /// Whether it expanded (optional).
    #[serde(default)]
    pub expanded: Option<bool>,
    /// The renewal date: only activities completed on or before it make the account an advocate.
    #[serde(default)]
    pub date: Option<Date>,
}

/// Retention of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RetentionGroup {
    /// Renewed, out of the group's renewals.
    pub retention: Rate,
    /// Expanded, out of the group's renewals that say whether they expanded.
    pub expansion: Rate,
}

/// Retention of advocates (completed at least one activity) against the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Retention {
    /// Accounts that completed an activity.
    pub advocates: RetentionGroup,
    /// The others.
    pub others: RetentionGroup,
}

/// Program metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Metrics {
    /// Ledger entries counted (inside `from`..=`to`).
    pub entries: usize,
    /// Active advocates by tier, per quarter (oldest first).
    pub active_advocates: Vec<QuarterTiers>,
    /// Recruitment conversion: accounts that said yes (accepted or completed) out of accounts asked.
    pub recruitment: Rate,
    /// Activity completion: (account, activity) commitments completed out of those accepted.
    pub completion: Rate,
    /// Days from first ask to first completed activity.
    pub time_to_first_activity: TimeToFirst,
    /// Assets per quarter by kind (quarter, then kind).
    pub assets: Vec<AssetCount>,
    /// Assets against the quarterly goals, for every quarter with ledger entries and every kind
    /// with a goal (quarter, then kind); empty without goals.
    pub asset_goals: Vec<AssetGoal>,
    /// Where the tiers of `active_advocates` come from: `history` (each quarter's own tier) or
    /// `accounts` (the accounts' tier today).
    pub tiers_from: String,
    /// Retention of advocates against the rest (`null` without renewals).
    pub retention: Option<Retention>,
    /// Referrals against the other sources, pipeline influenced by advocacy and the referral
    /// chain (`null` without deals).
    pub referrals: Option<crate::deals::ReferralMetrics>,
}

/// The quarter of a day number, `2026-Q1`.
fn quarter(days: i32) -> String {
    let d = Date::from_days(days as i64);
    format!("{}-Q{}", d.year(), d.quarter())
}

/// One ledger entry inside the period, compact.
#[derive(Clone, Copy)]
struct PeriodEntry {
    /// The account's number in [`PeriodLedger::ids`].
    account: u32,
    day: i32,
    /// Its position in the caller's ledger.
    row: u32,
    activity: u16,
    status: Status,
}

/// The ledger entries inside the period, by account (numbered in first-seen order), then by
/// date and row.
struct PeriodLedger<'i> {
    entries: Vec<PeriodEntry>,
    /// Account ids to their numbers.
    numbers: FxHashMap<&'i str, u32>,
    /// Account ids by number.
    ids: Vec<&'i str>,
}

/// Reads the entries dated inside `from..=to`; every entry's activity must be in the catalogue.
fn period_ledger<'i>(config: &CompiledConfig, input: &'i MetricsInput) -> Result<PeriodLedger<'i>, ProgramError> {
    let from = input.from.map_or(i32::MIN, |d| d.to_days() as i32);
    let to = input.to.map_or(i32::MAX, |d| d.to_days() as i32);
    let mut numbers: FxHashMap<&str, u32> = map_with_capacity(1024);
    let mut entries: Vec<PeriodEntry> = Vec::with_capacity(input.ledger.len());
    for (row, e) in input.ledger.iter().enumerate() {
        let activity = config.activity(&e.activity).ok_or_else(|| unknown_activity(config, row, e))?;
        let day = e.date.to_days() as i32;
        if day < from || day > to {
            continue;
        }
        let next = numbers.len() as u32;
        let account = *numbers.entry(e.account.as_str()).or_insert(next);
        entries.push(PeriodEntry { account, day, row: row as u32, activity, status: e.status });
    }
    entries.sort_unstable_by_key(|e| (e.account, e.day, e.row));
    let mut ids: Vec<&str> = vec![""; numbers.len()];
    for (id, k) in &numbers {
        ids[*k as usize] = id;
    }
    Ok(PeriodLedger { entries, numbers, ids })
}

/// Active advocates of one quarter.
#[derive(Default)]
struct QuarterTally {
    tiers: TierCounts,
    effort: EffortCounts,
    unknown_tier: usize,
    total: usize,
}

/// What the metrics count, gathered account by account.
struct Tally {
    /// Active advocates per quarter.
    active: BTreeMap<String, QuarterTally>,
    /// Completed activities per (quarter, asset kind).
    assets: BTreeMap<(String, String), usize>,
    /// Accounts asked, and those of them that said yes.
    asked: usize,
    said_yes: usize,
    /// (account, activity) commitments, and those completed.
    committed: usize,
    completed: usize,
    /// Days from first ask to first completion, per account.
    waits: Vec<i64>,
    /// Completion days per account number.
    completions: Vec<Vec<i32>>,
}

impl Tally {
    fn new(accounts: usize) -> Tally {
        Tally {
            active: BTreeMap::new(),
            assets: BTreeMap::new(),
            asked: 0,
            said_yes: 0,
            committed: 0,
            completed: 0,
            waits: Vec::new(),
            completions: vec![Vec::new(); accounts],
        }
    }

    /// Counts one account's entries (by date); `tier` gives its tier in a quarter, if known.
    fn count_account(&mut self, config: &CompiledConfig, entries: &[PeriodEntry], tier: &dyn Fn(&str) -> Option<Tier>) {
        let first_ask = entries.iter().find(|e| e.status == Status::Asked).map(|e| e.day);
        if let Some(first_ask) = first_ask {
            self.asked += 1;
            if entries.iter().any(|e| matches!(e.status, Status::Accepted | Status::Completed)) {
                self.said_yes += 1;
            }
            if let Some(done) = entries.iter().find(|e| e.status == Status::Completed && e.day >= first_ask) {
                self.waits.push((done.day - first_ask) as i64);
            }
        }
        self.count_commitments(entries);
        // Completed entries by quarter (entries are by date, so each quarter's are together).
        let mut quarters: Vec<(String, advocacy_core::Effort)> = Vec::new();
        for done in entries.iter().filter(|e| e.status == Status::Completed) {
            let q = quarter(done.day);
            let activity = &config.settings.activities[done.activity as usize];
            *self.assets.entry((q.clone(), activity.asset.clone())).or_insert(0) += 1;
            self.completions[done.account as usize].push(done.day);
            match quarters.last_mut() {
                Some((last, effort)) if *last == q => *effort = (*effort).max(activity.effort),
                _ => quarters.push((q, activity.effort)),
            }
        }
        for (q, effort) in quarters {
            let t = tier(&q);
            let slot = self.active.entry(q).or_default();
            match t {
                Some(t) => slot.tiers.add(t),
                None => slot.unknown_tier += 1,
            }
            match effort {
                advocacy_core::Effort::Low => slot.effort.low += 1,
                advocacy_core::Effort::Moderate => slot.effort.moderate += 1,
                advocacy_core::Effort::High => slot.effort.high += 1,
            }
            slot.total += 1;
        }
    }

    /// Commitments: each activity accepted counts once, completed when completed on or after
    /// its first acceptance.
    fn count_commitments(&mut self, entries: &[PeriodEntry]) {
        let mut accepted: Vec<u16> =
            entries.iter().filter(|e| e.status == Status::Accepted).map(|e| e.activity).collect();
        accepted.sort_unstable();
        accepted.dedup();
        for activity in accepted {
            self.committed += 1;
            let first_yes = entries
                .iter()
                .find(|e| e.status == Status::Accepted && e.activity == activity)
                .map_or(i32::MAX, |e| e.day);
            if entries.iter().any(|e| e.status == Status::Completed && e.activity == activity && e.day >= first_yes) {
                self.completed += 1;
            }
        }
    }
}

/// Mean and median of the days from first ask to first completion.
fn time_to_first(mut waits: Vec<i64>) -> TimeToFirst {
    waits.sort_unstable();
    let n = waits.len();
    TimeToFirst {
        accounts: n,
        mean_days: (n > 0).then(|| round6(waits.iter().sum::<i64>() as f64 / n as f64)),
        median_days: (n > 0).then(|| {
            if n % 2 == 1 {
                waits[n / 2] as f64
            } else {
                round6((waits[n / 2 - 1] + waits[n / 2]) as f64 / 2.0)
            }
        }),
    }
}

/// Renewal outcomes of one group.
#[derive(Default)]
struct RenewalTally {
    renewed: usize,
    renewals: usize,
    expanded: usize,
    /// Renewals that say whether they expanded.
    expansion_known: usize,
}

impl RenewalTally {
    fn add(&mut self, r: &RenewalRecord) {
        self.renewals += 1;
        self.renewed += r.renewed as usize;
        if let Some(expanded) = r.expanded {
            self.expansion_known += 1;
            self.expanded += expanded as usize;
        }
    }

    fn group(&self) -> RetentionGroup {
        RetentionGroup {
            retention: rate(self.renewed, self.renewals),
            expansion: rate(self.expanded, self.expansion_known),
        }
    }
}

/// Retention of advocates (an activity completed by the renewal date) against the others.
fn retention(renewals: &[RenewalRecord], ledger: &PeriodLedger, completions: &[Vec<i32>]) -> Option<Retention> {
    if renewals.is_empty() {
        return None;
    }
    let (mut advocates, mut others) = (RenewalTally::default(), RenewalTally::default());
    for r in renewals {
        let cutoff = r.date.map_or(i32::MAX, |d| d.to_days() as i32);
        let advocate = ledger
            .numbers
            .get(r.account.as_str())
            .is_some_and(|k| completions[*k as usize].iter().any(|d| *d <= cutoff));
        let group = if advocate { &mut advocates } else { &mut others };
        group.add(r);
    }
    Some(Retention { advocates: advocates.group(), others: others.group() })
}

/// The program metrics of [`crate::metrics()`].
/// `quarter_tiers`: with a history, `(quarter, account)` to the account's tier at its last
/// snapshot in the quarter.
pub(crate) fn compute(
    config: &CompiledConfig,
    input: &MetricsInput,
    quarter_tiers: Option<&FxHashMap<(String, String), Tier>>,
) -> Result<Metrics, ProgramError> {
    let ledger = period_ledger(config, input)?;
    let tiers: FxHashMap<&str, Tier> = input.accounts.iter().map(|a| (a.id.as_str(), a.tier)).collect();
    let mut tally = Tally::new(ledger.ids.len());
    for entries in ledger.entries.chunk_by(|x, y| x.account == y.account) {
        let id = ledger.ids[entries[0].account as usize];
        let tier = |q: &str| match quarter_tiers {
            Some(by_quarter) => by_quarter.get(&(q.to_string(), id.to_string())).copied(),
            None => tiers.get(id).copied(),
        };
        tally.count_account(config, entries, &tier);
    }
    let goals = &config.settings.goals.assets_per_quarter;
    let mut period_quarters: Vec<String> = ledger.entries.iter().map(|e| quarter(e.day)).collect();
    period_quarters.sort_unstable();
    period_quarters.dedup();
    let asset_goals = period_quarters
        .iter()
        .flat_map(|q| {
            goals.iter().map(|(asset, goal)| {
                let count = tally.assets.get(&(q.clone(), asset.clone())).copied().unwrap_or(0);
                AssetGoal { quarter: q.clone(), asset: asset.clone(), goal: *goal, count, met: count >= *goal as usize }
            })
        })
        .collect();
    Ok(Metrics {
        entries: ledger.entries.len(),
        active_advocates: std::mem::take(&mut tally.active)
            .into_iter()
            .map(|(quarter, q)| QuarterTiers {
                quarter,
                tiers: q.tiers,
                effort: q.effort,
                unknown_tier: q.unknown_tier,
                total: q.total,
            })
            .collect(),
        recruitment: rate(tally.said_yes, tally.asked),
        completion: rate(tally.completed, tally.committed),
        time_to_first_activity: time_to_first(std::mem::take(&mut tally.waits)),
        assets: std::mem::take(&mut tally.assets)
            .into_iter()
            .map(|((quarter, asset), count)| AssetCount { quarter, asset, count })
            .collect(),
        asset_goals,
        tiers_from: if quarter_tiers.is_some() { "history" } else { "accounts" }.to_string(),
        retention: retention(&input.renewals, &ledger, &tally.completions),
        referrals: if input.deals.is_empty() {
            None
        } else {
            Some(crate::deals::referral_metrics(config, &input.deals, &input.ledger, input.from, input.to)?)
        },
    })
}
