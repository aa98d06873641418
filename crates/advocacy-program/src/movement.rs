//! The monthly review: movement between two snapshots, pipeline stages, who to ask for what.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::account::{validate_accounts, Status};
use super::activities::Incentive;
use super::config::{AdvocateSegment, Prog};
use super::error::ProgramError;
use super::error::ProgramErrorKind as K;
use super::fatigue::{Scope, ThankYouOwed, E};
use super::hash::{IdIndex, IdIndexError};
use super::metrics::TierCounts;
use super::overrides::{effective, validate_overrides, OverrideIndex};
use super::{Prepared, SegmentCount};
use advocacy_core::Date;
use advocacy_core::{Effort, Tier};

/// Pipeline stages, furthest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Known, not qualified.
    Identified,
    /// In a qualified tier, not yet asked.
    Qualified,
    /// Asked at least once.
    Contacted,
    /// Said yes at least once.
    Enrolled,
    /// Completed an activity within the active window.
    Active,
}

/// Accounts per pipeline stage (each account in its furthest stage).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StageCounts {
    /// Identified.
    pub identified: usize,
    /// Qualified.
    pub qualified: usize,
    /// Contacted.
    pub contacted: usize,
    /// Enrolled.
    pub enrolled: usize,
    /// Active.
    pub active: usize,
}

/// The pipeline stage of an account from its tier and ledger entries (entries after `day` ignored).
pub(crate) fn stage_of(p: &Prog, tier: Tier, entries: &[E], day: i32) -> Stage {
    let window = p.cfg.review.active_window_days as i32;
    let mut stage = if tier.is_qualified() { Stage::Qualified } else { Stage::Identified };
    for e in entries.iter().take_while(|e| e.days <= day) {
        let s = match e.status {
            Status::Asked | Status::Declined => Stage::Contacted,
            Status::Accepted => Stage::Enrolled,
            Status::Completed | Status::Thanked if day - e.days < window => Stage::Active,
            Status::Completed | Status::Thanked => Stage::Enrolled,
        };
        stage = stage.max(s);
    }
    stage
}

/// An account whose tier changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TierChange {
    /// The account.
    pub account: String,
    /// Its name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The previous tier.
    pub from: Tier,
    /// The current tier.
    pub to: Tier,
    /// The previous total.
    pub total_from: f64,
    /// The current total.
    pub total_to: f64,
}

/// Movement between the two snapshots (tiers after overrides).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Movement {
    /// Qualified before and now, in a better tier (or not advocate material to not yet qualified).
    pub moved_up: Vec<TierChange>,
    /// Qualified before and now, in a worse tier (or not yet qualified to not advocate material).
    pub moved_down: Vec<TierChange>,
    /// Not qualified before, qualified now.
    pub newly_qualified: Vec<TierChange>,
    /// Qualified before, not now.
    pub dropped_out: Vec<TierChange>,
    /// In the current snapshot only.
    pub new_accounts: Vec<String>,
    /// In the previous snapshot only.
    pub removed_accounts: Vec<String>,
}

/// An account whose health went up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Trend {
    /// The account.
    pub account: String,
    /// Health before (previous snapshot, else `health_score_prev`).
    pub from: f64,
    /// Health now.
    pub to: f64,
}

/// A not-yet-qualified account whose revisit date has come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Revisit {
    /// The account.
    pub account: String,
    /// The revisit date.
    pub revisit: Date,
}

/// An account that became a promoter since the previous snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Promoter {
    /// The account.
    pub account: String,
    /// Its NPS now.
    pub nps: f64,
    /// Its NPS in the previous snapshot (`null`: unknown or new account).
    pub previous_nps: Option<f64>,
}

/// Who to ask for what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Suggestion {
    /// The account.
    pub account: String,
    /// Its name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tier after overrides.
    pub tier: Tier,
    /// Total after overrides.
    pub total: f64,
    /// Segment.
    pub segment: AdvocateSegment,
    /// The activity to ask for.
    pub activity: String,
    /// Its effort.
    pub effort: Effort,
    /// Who invites.
    pub invited_by: String,
    /// The benefit level.
    pub benefits: String,
    /// The incentive.
    pub incentive: Incentive,
    /// Get the company's approval first.
    pub approval_needed: bool,
}

/// The monthly review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Review {
    /// The review date.
    pub as_of: Date,
    /// Accounts in the current snapshot.
    pub accounts: usize,
    /// Accounts in the previous snapshot.
    pub previous_accounts: usize,
    /// Accounts per tier now (after overrides).
    pub tiers: TierCounts,
    /// Accounts per segment now.
    pub segments: Vec<SegmentCount>,
    /// Accounts per pipeline stage now.
    pub stages: StageCounts,
    /// Accounts with an override in force.
    pub overridden: usize,
    /// Tier movement.
    pub movement: Movement,
    /// Accounts trending up in health.
    pub trending_up: Vec<Trend>,
    /// Revisits that have come.
    pub revisits_due: Vec<Revisit>,
    /// New promoters since the previous snapshot.
    pub new_promoters: Vec<Promoter>,
    /// Accounts with new expansions.
    pub new_expansions: Vec<String>,
    /// Accounts with new renewals.
    pub new_renewals: Vec<String>,
    /// Accounts resting under a fatigue rule that refuses every activity.
    pub resting: usize,
    /// Accounts that can be asked for something now.
    pub askable: usize,
    /// Who to ask for what, best first (at most `review.max_suggestions`).
    pub suggestions: Vec<Suggestion>,
    /// Completed work not yet thanked, oldest first.
    pub thanks_owed: Vec<ThankYouOwed>,
    /// Ledger entries whose account is not in the current snapshot.
    pub unmatched_ledger_entries: usize,
}

fn seg_rank(s: AdvocateSegment) -> u8 {
    match s {
        AdvocateSegment::Active => 0,
        AdvocateSegment::Willing => 1,
        AdvocateSegment::Potential => 2,
        AdvocateSegment::Unclassified => 3,
        AdvocateSegment::NotAdvocateMaterial => 4,
    }
}

impl Prepared<'_> {
    /// The monthly review against a previous snapshot (see [`super::review`]).
    pub fn review(
        &self,
        previous: &[super::Account],
        previous_as_of: Option<Date>,
        overrides: &[super::Override],
        as_of: Date,
    ) -> Result<Review, ProgramError> {
        validate_overrides(overrides, "overrides")?;
        validate_accounts(previous, "previous")?;
        let p = &self.prog;
        let prev_pos = self.join_previous(previous)?;
        let ov = self.overrides(overrides);
        let prev_ov = if overrides.is_empty() {
            OverrideIndex::new(overrides, |_| None)
        } else {
            // Overrides are few: find their previous positions through the current ones, or by scan.
            OverrideIndex::new(overrides, |id| match self.ids.get(id).map(|i| prev_pos[i as usize]) {
                Some(k) if k != u32::MAX => Some(k),
                _ => previous.iter().position(|b| b.id == id).map(|k| k as u32),
            })
        };
        let day = as_of.to_days() as i32;
        let rs = &p.cfg.review;
        let tiers_cfg = &p.cfg.tiers;
        let max = p.cfg.max_total;

        let mut out = Review {
            as_of,
            accounts: self.accounts.len(),
            previous_accounts: previous.len(),
            tiers: TierCounts::default(),
            segments: Vec::new(),
            stages: StageCounts::default(),
            overridden: 0,
            movement: Movement::default(),
            trending_up: Vec::new(),
            revisits_due: Vec::new(),
            new_promoters: Vec::new(),
            new_expansions: Vec::new(),
            new_renewals: Vec::new(),
            resting: 0,
            askable: 0,
            suggestions: Vec::new(),
            thanks_owed: Vec::new(),
            unmatched_ledger_entries: self.ledger.unmatched,
        };
        let mut seen_prev = vec![false; previous.len()];
        let mut seg_counts = [0usize; 5];
        let mut raws = Vec::new();
        // (tier, segment rank, total, index, activity) of every askable account.
        let mut asks: Vec<(Tier, u8, f64, u32, u16)> = Vec::new();
        let mut thanks: Vec<(i32, u32, u16)> = Vec::new();

        for (i, a) in self.accounts.iter().enumerate() {
            let (total, tier) = if ov.is_empty() {
                (a.total, a.tier)
            } else {
                effective(a.total, a.tier, a.gated, ov.of(i as u32), as_of, tiers_cfg, max)
            };
            if total != a.total || tier != a.tier {
                out.overridden += 1;
            }
            out.tiers.add(tier);
            let seg = p.segment_of(a);
            seg_counts[seg_rank_index(seg)] += 1;
            let entries = self.ledger.of(i);
            match stage_of(p, tier, entries, day) {
                Stage::Identified => out.stages.identified += 1,
                Stage::Qualified => out.stages.qualified += 1,
                Stage::Contacted => out.stages.contacted += 1,
                Stage::Enrolled => out.stages.enrolled += 1,
                Stage::Active => out.stages.active += 1,
            }

            // Movement.
            let prev = (prev_pos[i] != u32::MAX).then(|| {
                let k = prev_pos[i];
                seen_prev[k as usize] = true;
                (k, &previous[k as usize])
            });
            match prev {
                None => out.movement.new_accounts.push(a.id.clone()),
                Some((k, b)) => {
                    let (ptotal, ptier) = match previous_as_of {
                        Some(d) if !prev_ov.is_empty() => {
                            effective(b.total, b.tier, b.gated, prev_ov.of(k), d, tiers_cfg, max)
                        }
                        _ => (b.total, b.tier),
                    };
                    if ptier != tier {
                        let change = TierChange {
                            account: a.id.clone(),
                            name: a.name.clone(),
                            from: ptier,
                            to: tier,
                            total_from: ptotal,
                            total_to: total,
                        };
                        let list = match (ptier.is_qualified(), tier.is_qualified()) {
                            (false, true) => &mut out.movement.newly_qualified,
                            (true, false) => &mut out.movement.dropped_out,
                            _ if tier < ptier => &mut out.movement.moved_up,
                            _ => &mut out.movement.moved_down,
                        };
                        list.push(change);
                    }
                    if let (Some(x), Some(y)) = (b.signals.expansions, a.signals.expansions) {
                        if y > x {
                            out.new_expansions.push(a.id.clone());
                        }
                    }
                    if let (Some(x), Some(y)) = (b.signals.renewals, a.signals.renewals) {
                        if y > x {
                            out.new_renewals.push(a.id.clone());
                        }
                    }
                }
            }
            let prev_acc = prev.map(|(_, b)| b);
            if let Some(h) = a.signals.health_score {
                let base = prev_acc.and_then(|b| b.signals.health_score).or(a.signals.health_score_prev);
                if let Some(b) = base {
                    if h - b >= rs.health_trend_points {
                        out.trending_up.push(Trend { account: a.id.clone(), from: b, to: h });
                    }
                }
            }
            if let Some(n) = a.signals.nps {
                let n = n as f64;
                let before = prev_acc.and_then(|b| b.signals.nps).map(|x| x as f64);
                if n >= rs.promoter_nps && before.is_none_or(|b| b < rs.promoter_nps) {
                    out.new_promoters.push(Promoter { account: a.id.clone(), nps: n, previous_nps: before });
                }
            }
            if tier == Tier::NotYetQualified {
                let due = match (prev_acc.and_then(|b| b.revisit), a.revisit) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                if let Some(r) = due.filter(|r| *r <= as_of) {
                    out.revisits_due.push(Revisit { account: a.id.clone(), revisit: r });
                }
            }

            // Fatigue, asks and thanks.
            if !entries.is_empty() {
                p.refusals(entries, day, &mut raws);
                if raws.iter().any(|r| matches!(r.scope, Scope::All)) {
                    out.resting += 1;
                }
                p.thanks_owed(entries, day, |e| thanks.push((e.days, i as u32, e.act)));
            } else {
                raws.clear();
            }
            if let Some(act) = p.best_activity(a, tier, seg, entries, &raws) {
                asks.push((tier, seg_rank(seg), total, i as u32, act));
            }
        }
        for (k, b) in previous.iter().enumerate() {
            if !seen_prev[k] {
                out.movement.removed_accounts.push(b.id.clone());
            }
        }
        out.segments = AdvocateSegment::ALL
            .iter()
            .map(|s| SegmentCount { segment: *s, accounts: seg_counts[seg_rank_index(*s)] })
            .collect();
        out.askable = asks.len();
        let cmp = |x: &(Tier, u8, f64, u32, u16), y: &(Tier, u8, f64, u32, u16)| {
            x.0.cmp(&y.0).then(x.1.cmp(&y.1)).then(y.2.total_cmp(&x.2)).then(x.3.cmp(&y.3))
        };
        let k = rs.max_suggestions;
        if asks.len() > k && k > 0 {
            asks.select_nth_unstable_by(k - 1, cmp);
        }
        asks.truncate(k);
        asks.sort_by(cmp);
        out.suggestions = asks
            .iter()
            .map(|(tier, _, total, i, act)| {
                let a = &self.accounts[*i as usize];
                let plan = p.cfg.outreach.plan(*tier);
                let ask = p.ask(a, *act);
                Suggestion {
                    account: a.id.clone(),
                    name: a.name.clone(),
                    tier: *tier,
                    total: *total,
                    segment: p.segment_of(a),
                    activity: ask.activity,
                    effort: ask.effort,
                    invited_by: plan.invited_by.clone(),
                    benefits: plan.benefits.clone(),
                    incentive: ask.incentive,
                    approval_needed: ask.approval_needed,
                }
            })
            .collect();
        thanks.sort_unstable();
        out.thanks_owed = thanks
            .iter()
            .map(|(d, i, act)| ThankYouOwed {
                account: self.accounts[*i as usize].id.clone(),
                activity: p.cfg.activities[*act as usize].id.clone(),
                completed: Date::from_days(*d as i64),
                days_waiting: (day - d) as i64,
            })
            .collect();
        Ok(out)
    }
}

impl Prepared<'_> {
    /// The previous position of each current account (`u32::MAX`: new), checking the previous
    /// ids are unique. Snapshots usually list accounts in the same order, so accounts are first
    /// paired by position; only the others go through an id index.
    fn join_previous(&self, previous: &[super::Account]) -> Result<Vec<u32>, ProgramError> {
        if previous.len() >= u32::MAX as usize {
            return Err(ProgramError::new(
                K::InvalidValue,
                "previous",
                previous.len().to_string(),
                "fewer than 4294967295 accounts",
                "too many accounts",
            ));
        }
        let dup = |j: usize| {
            let b = &previous[j];
            ProgramError::new(
                K::Duplicate,
                format!("previous[{j}].id"),
                b.id.clone(),
                "an id not used by another account of the snapshot",
                "duplicate account id",
            )
            .at(j, Some(&b.id))
        };
        let n = self.accounts.len();
        let mut prev_pos = vec![u32::MAX; n];
        let mut paired = vec![false; previous.len()];
        let mut any_paired = false;
        for (i, (a, b)) in self.accounts.iter().zip(previous).enumerate() {
            if a.id == b.id {
                prev_pos[i] = i as u32;
                paired[i] = true;
                any_paired = true;
            }
        }
        let rest: Vec<u32> = (0..previous.len() as u32).filter(|j| !paired[*j as usize]).collect();
        let rest_ix = IdIndex::build(rest.iter().map(|j| previous[*j as usize].id.as_str())).map_err(|e| match e {
            IdIndexError::Duplicate(k) => dup(rest[k] as usize),
            IdIndexError::TooLarge => ProgramError::new(
                K::InvalidValue,
                "previous",
                previous.len().to_string(),
                "ids taking less than 4 GiB in all",
                "too many accounts",
            ),
        })?;
        // A previous id left over that equals a paired one is a duplicate (current ids are unique).
        if any_paired {
            for &j in &rest {
                if let Some(i) = self.ids.get(&previous[j as usize].id) {
                    if paired.get(i as usize) == Some(&true) {
                        return Err(dup((j as usize).max(i as usize)));
                    }
                }
            }
        }
        let open: Vec<u32> = (0..n as u32).filter(|i| prev_pos[*i as usize] == u32::MAX).collect();
        rest_ix.get_many(open.iter().map(|i| self.accounts[*i as usize].id.as_str()), |k, r| {
            if let Some(r) = r {
                prev_pos[open[k] as usize] = rest[r as usize];
            }
        });
        Ok(prev_pos)
    }
}

fn seg_rank_index(s: AdvocateSegment) -> usize {
    match s {
        AdvocateSegment::Active => 0,
        AdvocateSegment::Willing => 1,
        AdvocateSegment::Potential => 2,
        AdvocateSegment::NotAdvocateMaterial => 3,
        AdvocateSegment::Unclassified => 4,
    }
}
