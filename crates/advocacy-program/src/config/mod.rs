//! The program's configuration: segment rules, activity catalogue, fatigue rules, incentives,
//! outreach, review and matching settings.
//!
//! [`mod@file`] is the file format (serde types and their defaults); [`compiled`] checks a
//! configuration and compiles it for a run, with segment conditions compiled in [`condition`].

mod compiled;
mod condition;
mod file;

pub(crate) use compiled::{effort_index, CompiledConfig};
pub(crate) use condition::CompiledCondition;
pub(crate) use file::placeholders;
pub use file::{
    Activity, AdvocateSegment, AskRules, Condition, FatigueRules, Goals, Incentives, MatchWeights, MaxAsks,
    ProgramConfig, RequestRules, RestAfter, ReviewSettings, SegmentRule, SegmentRules, StepDown, DEFAULT_PROGRAM_JSON,
    TEMPLATE_LANGS, TEMPLATE_PLACEHOLDERS,
};
