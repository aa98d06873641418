//! The monthly review: movement between two snapshots, pipeline stages, who to ask for what.
//!
//! This module holds the review's output types and the pipeline stage of an account;
//! [`review`] runs the review pass over the accounts and [`previous`] pairs the previous
//! snapshot's accounts with the current ones.

mod previous;
mod review;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{Date, Effort, Tier};

use crate::activities::Incentive;
use crate::config::AdvocateSegment;
use crate::fatigue::ThankYouOwed;
use crate::metrics::TierCounts;
pub(crate) use crate::stage::stage_of;
pub use crate::stage::{Stage, StageCounts};
use crate::SegmentCount;

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

/// An account resting under a fatigue rule that refuses every activity, and until when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Resting {
    /// The account.
    pub account: String,
    /// The rule that rests it longest, named as in the configuration (`rest_after.high`, ...).
    pub rule: String,
    /// The first day it can be asked again; `null` when the rest lasts until an event (a
    /// thank-you owed).
    pub until: Option<Date>,
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
    /// Why this activity suits the account (its `suits` conditions that hold).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fit: Vec<String>,
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
    /// Those accounts, each with the rule that rests it longest and until when, soonest end
    /// first (rests until an event last; ties by id).
    pub resting_accounts: Vec<Resting>,
    /// Accounts that can be asked for something now.
    pub askable: usize,
    /// Who to ask for what, best first (at most `review.max_suggestions`).
    pub suggestions: Vec<Suggestion>,
    /// Completed work not yet thanked, oldest first.
    pub thanks_owed: Vec<ThankYouOwed>,
    /// Ledger entries whose account is not in the current snapshot.
    pub unmatched_ledger_entries: usize,
    /// Overrides whose account is not in the current snapshot.
    pub unmatched_overrides: usize,
}
