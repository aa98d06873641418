//! Program metrics: active advocates by tier per quarter, conversion, completion, time to first
//! activity, assets per quarter, and retention of advocates against the rest.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::account::Status;
use super::config::Prog;
use super::error::ProgramError;
use super::fatigue::unknown_activity;
use super::hash::{map_with_capacity, FxMap};
use super::MetricsInput;
use advocacy_core::Date;
use advocacy_core::Tier;
use advocacy_core::round6;

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

/// Active advocates (accounts that completed an activity) in one quarter, by tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuarterTiers {
    /// The quarter, `2026-Q1`.
    pub quarter: String,
    /// Active advocates by their tier in `accounts`.
    pub tiers: TierCounts,
    /// Active advocates not in `accounts` (tier unknown).
    pub unknown_tier: usize,
    /// All active advocates of the quarter.
    pub total: usize,
}

/// A share: how many of how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rate {
    /// How many did.
    pub count: usize,
    /// Out of how many.
    pub of: usize,
    /// `count / of` (6 decimals), `null` when `of` is 0.
    pub rate: Option<f64>,
}

fn rate(count: usize, of: usize) -> Rate {
    Rate { count, of, rate: (of > 0).then(|| round6(count as f64 / of as f64)) }
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
    /// Retention of advocates against the rest (`null` without renewals).
    pub retention: Option<Retention>,
}

fn quarter(days: i32) -> String {
    let d = Date::from_days(days as i64);
    format!("{}-Q{}", d.year(), d.quarter())
}

pub(crate) fn compute(p: &Prog, input: &MetricsInput) -> Result<Metrics, ProgramError> {
    let from = input.from.map_or(i32::MIN, |d| d.to_days() as i32);
    let to = input.to.map_or(i32::MAX, |d| d.to_days() as i32);
    // Group entries by account (first-seen order), then by date.
    let mut local: FxMap<&str, u32> = map_with_capacity(1024);
    let mut rows: Vec<(u32, i32, u32, u16, Status)> = Vec::with_capacity(input.ledger.len());
    for (i, e) in input.ledger.iter().enumerate() {
        let act = p.activity(&e.activity).ok_or_else(|| unknown_activity(p, i, e))?;
        let d = e.date.to_days() as i32;
        if d < from || d > to {
            continue;
        }
        let n = local.len() as u32;
        let k = *local.entry(e.account.as_str()).or_insert(n);
        rows.push((k, d, i as u32, act, e.status));
    }
    rows.sort_unstable_by_key(|r| (r.0, r.1, r.2));
    let mut names: Vec<&str> = vec![""; local.len()];
    for (name, k) in &local {
        names[*k as usize] = name;
    }
    let tiers: FxMap<&str, Tier> = input.accounts.iter().map(|a| (a.id.as_str(), a.tier)).collect();

    let mut active: BTreeMap<String, (TierCounts, usize, usize)> = BTreeMap::new();
    let mut assets: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut asked, mut yes, mut committed, mut done) = (0, 0, 0, 0);
    let mut waits: Vec<i64> = Vec::new();
    let mut completions: Vec<Vec<i32>> = vec![Vec::new(); local.len()];

    let mut start = 0;
    while start < rows.len() {
        let k = rows[start].0;
        let end = start + rows[start..].iter().take_while(|r| r.0 == k).count();
        let es = &rows[start..end];
        let name = names[k as usize];
        let first_ask = es.iter().find(|r| r.4 == Status::Asked).map(|r| r.1);
        if first_ask.is_some() {
            asked += 1;
            if es.iter().any(|r| matches!(r.4, Status::Accepted | Status::Completed)) {
                yes += 1;
            }
        }
        if let Some(fa) = first_ask {
            if let Some(c) = es.iter().find(|r| r.4 == Status::Completed && r.1 >= fa) {
                waits.push((c.1 - fa) as i64);
            }
        }
        // Commitments: each activity accepted, completed on or after its first acceptance.
        let mut acts: Vec<u16> = es.iter().filter(|r| r.4 == Status::Accepted).map(|r| r.3).collect();
        acts.sort_unstable();
        acts.dedup();
        for act in acts {
            committed += 1;
            let acc = es.iter().find(|r| r.4 == Status::Accepted && r.3 == act).map_or(i32::MAX, |r| r.1);
            if es.iter().any(|r| r.4 == Status::Completed && r.3 == act && r.1 >= acc) {
                done += 1;
            }
        }
        let mut last_q = String::new();
        for r in es.iter().filter(|r| r.4 == Status::Completed) {
            let q = quarter(r.1);
            *assets.entry((q.clone(), p.cfg.activities[r.3 as usize].asset.clone())).or_insert(0) += 1;
            completions[k as usize].push(r.1);
            if q != last_q {
                let slot = active.entry(q.clone()).or_insert_with(|| (TierCounts::default(), 0, 0));
                match tiers.get(name) {
                    Some(t) => slot.0.add(*t),
                    None => slot.1 += 1,
                }
                slot.2 += 1;
                last_q = q;
            }
        }
        start = end;
    }

    waits.sort_unstable();
    let time_to_first_activity = TimeToFirst {
        accounts: waits.len(),
        mean_days: (!waits.is_empty()).then(|| round6(waits.iter().sum::<i64>() as f64 / waits.len() as f64)),
        median_days: (!waits.is_empty()).then(|| {
            let n = waits.len();
            if n % 2 == 1 {
                waits[n / 2] as f64
            } else {
                round6((waits[n / 2 - 1] + waits[n / 2]) as f64 / 2.0)
            }
        }),
    };

    let retention = (!input.renewals.is_empty()).then(|| {
        let (mut a, mut o) = ([0usize; 4], [0usize; 4]); // renewed, renewals, expanded, known expansion
        for r in &input.renewals {
            let cutoff = r.date.map_or(i32::MAX, |d| d.to_days() as i32);
            let advocate =
                local.get(r.account.as_str()).is_some_and(|k| completions[*k as usize].iter().any(|d| *d <= cutoff));
            let g = if advocate { &mut a } else { &mut o };
            g[1] += 1;
            g[0] += r.renewed as usize;
            if let Some(x) = r.expanded {
                g[3] += 1;
                g[2] += x as usize;
            }
        }
        let group = |g: [usize; 4]| RetentionGroup { retention: rate(g[0], g[1]), expansion: rate(g[2], g[3]) };
        Retention { advocates: group(a), others: group(o) }
    });

    Ok(Metrics {
        entries: rows.len(),
        active_advocates: active
            .into_iter()
            .map(|(quarter, (tiers, unknown_tier, total))| QuarterTiers { quarter, tiers, unknown_tier, total })
            .collect(),
        recruitment: rate(yes, asked),
        completion: rate(done, committed),
        time_to_first_activity,
        assets: assets.into_iter().map(|((quarter, asset), count)| AssetCount { quarter, asset, count }).collect(),
        retention,
    })
}
