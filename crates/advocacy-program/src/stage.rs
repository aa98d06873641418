//! Pipeline stages (identified, qualified, contacted, enrolled, active): an account's stage from
//! its tier and its ledger entries.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::Tier;

pub use crate::account::Stage;
use crate::account::Status;
use crate::config::CompiledConfig;
use crate::ledger::CompactEntry;

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

impl StageCounts {
    /// Counts one account in `stage`.
    pub(crate) fn add(&mut self, stage: Stage) {
        match stage {
            Stage::Identified => self.identified += 1,
            Stage::Qualified => self.qualified += 1,
            Stage::Contacted => self.contacted += 1,
            Stage::Enrolled => self.enrolled += 1,
            Stage::Active => self.active += 1,
        }
    }
}

/// The pipeline stage of an account from its tier and ledger entries (entries after `day` ignored).
pub(crate) fn stage_of(config: &CompiledConfig, tier: Tier, entries: &[CompactEntry], day: i32) -> Stage {
    let window = config.settings.review.active_window_days as i32;
    let mut stage = if tier.is_qualified() { Stage::Qualified } else { Stage::Identified };
    for e in entries.iter().take_while(|e| e.day <= day) {
        let s = match e.status {
            Status::Asked | Status::Declined => Stage::Contacted,
            Status::Accepted => Stage::Enrolled,
            Status::Completed | Status::Thanked if day - e.day < window => Stage::Active,
            Status::Completed | Status::Thanked => Stage::Enrolled,
        };
        stage = stage.max(s);
    }
    stage
}

/// The stage recorded at enrolment (`Enrolment::stage`), the lowest when none: the ledger can
/// move an account past it, never back.
pub(crate) fn recorded_stage(a: &crate::account::Account) -> Stage {
    a.enrolment.as_ref().and_then(|e| e.stage).unwrap_or(Stage::Identified)
}
