//! # advocacy-program
//!
//! Running the advocacy program over scored accounts: segments, overrides, activities, fatigue
//! protection, matching reference requests, pipeline movement and program metrics.
//!
//! This crate sits above `advocacy-core` (scores, tiers, signals, models) and must never be
//! needed by it: a user who only scores does not compile it. Like the core it does no I/O and
//! knows nothing of Python or JavaScript.
//!
//! ## What it depends on, and what it must never depend on
//!
//! It depends on `advocacy-core` and on small, pure libraries for what is not the domain: serde,
//! serde_json and serde_path_to_error (the JSON forms and their error paths), schemars (JSON
//! Schemas), thiserror, strum (enum names) and rustc-hash (id maps). It must never depend on the
//! CLI (`advocacy-cli`), on the bindings or their frameworks (`python/`, `wasm/`, pyo3,
//! wasm-bindgen), nor on anything that reads files, the network, the environment or the clock:
//! the surfaces do that and pass plain values in.
//!
//! ## Layout
//!
//! | module | what |
//! |---|---|
//! | `config` | the configuration file (`file`), checked and compiled for a run (`compiled`, `condition`) |
//! | `account` | accounts (a core score plus signals), their checks, ledger entries |
//! | `ledger` | the ledger indexed by account |
//! | `segments`, `overrides`, `activities`, `fatigue` | the program's rules, each explained |
//! | `matching`, `movement`, `metrics` | the request-level features over all accounts |
//! | `request_log`, `requests` | the request log (caps, open requests) and its open requests with their candidates |
//! | `deals`, `rate` | deals: referral conversion, pipeline influence, the referral chain; shares with their counts |
//! | `prepared` | [`Prepared`]: checked and indexed data for many requests |
//! | `history` | [`History`]: scored snapshots over time, and what they say about each account |
//! | `flat` | accounts written as flat rows (a table's rows) read into accounts ([`accounts_from_rows`]) |
//! | `ids`, `error`, [`json`] | id lookups, errors with paths, the JSON entry point |
//! | [`lang`] | the texts in English, Indonesian, Malay, German and Spanish; localized models and configurations |
//!
//! Everything here is a pure function of what the caller passes in: accounts (a core score and
//! their signals), an activity ledger, overrides, a configuration and an as-of date. Nothing is
//! stored and nothing reads the clock.
//!
//! Each feature is one function over one typed input, and every input and output is a serde and
//! JSON Schema type, so the Python and JavaScript bindings can expose them by converting
//! dictionaries and objects:
//!
//! | function | input | output | vector kind |
//! |---|---|---|---|
//! | [`segments`] | [`SegmentsInput`] | [`SegmentsOutput`] | `segments` |
//! | [`overrides`] | [`OverridesInput`] | [`Overridden`] | `overrides` |
//! | [`eligibility`] | [`EligibilityInput`] | [`Eligibility`] | `eligibility` |
//! | [`fatigue`] | [`FatigueInput`] | [`FatigueReport`] | `fatigue` |
//! | [`match_request`] | [`MatchInput`] | [`Matches`] | `match` |
//! | [`review`] | [`ReviewInput`] | [`Review`] | `review` (alias `movement`) |
//! | [`metrics`] | [`MetricsInput`] | [`Metrics`] | `metrics` |
//! | [`history`] | [`HistoryInput`] | [`HistoryReport`] | `history` |
//! | [`requests`] | [`RequestsInput`] | [`RequestsReport`] | `requests` |
//!
//! [`json::call`] runs a function by its name with JSON in and out (what the bindings and the
//! cross-language vectors call). For repeated work over large
//! data (many requests against the same accounts and ledger), [`Prepared`] indexes the ledger once.
//!
//! ```
//! use advocacy_core::{Tier, Date};
//! use advocacy_program::{self as program, Account, LedgerEntry, Status, FatigueInput};
//! let day = |s: &str| s.parse::<Date>().unwrap();
//! let report = program::fatigue(&FatigueInput {
//!     config: None,
//!     account: "acme".into(),
//!     ledger: vec![
//!         LedgerEntry::new("acme", "conference_speaking", Status::Asked, day("2026-01-05")),
//!         LedgerEntry::new("acme", "conference_speaking", Status::Completed, day("2026-03-10")),
//!         LedgerEntry::new("acme", "conference_speaking", Status::Thanked, day("2026-03-11")),
//!     ],
//!     as_of: day("2026-04-01"),
//! }).unwrap();
//! assert!(report.resting);
//! assert_eq!(report.refusals[0].rule, "rest_after.high");
//! assert_eq!(report.refusals[0].until, Some(day("2026-06-08")));
//! ```

// Errors carry the path, row, id, value and what was allowed, by design; they are the cold path.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod account;
mod activities;
#[doc(hidden)]
pub mod bench_support;
mod config;
mod deals;
mod draft;
mod enrolment;
mod error;
mod fatigue;
mod flat;
mod history;
mod ids;
pub mod json;
pub mod lang;
mod ledger;
mod match_table;
mod matching;
mod metrics;
mod movement;
mod overrides;
mod prepared;
mod rate;
mod request_log;
mod requests;
mod segments;
mod stage;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use account::{accounts_from_records, split_list, Account, Enrolment, LedgerEntry, QualificationCall, Status};
pub use activities::{Ask, Excluded, Incentive, IncentiveKind, Reason};
pub use config::{
    Activity, AdvocateSegment, AskRules, Condition, FatigueRules, Goals, Incentives, MatchWeights, MaxAsks,
    ProgramConfig, RequestRules, RestAfter, ReviewSettings, SegmentRule, SegmentRules, StepDown, DEFAULT_PROGRAM_JSON,
    TEMPLATE_LANGS, TEMPLATE_PLACEHOLDERS,
};
pub use deals::{
    ChainLink, DaysToClose, Deal, DealSource, PipelineInfluence, ReferralChain, ReferralMetrics, SourceStats,
};
pub use draft::{draft, Draft, DraftInput, MessageKind};
pub use enrolment::{attach_enrolment, read_enrolment, EnrolmentRow, ENROLMENT_COLUMNS};
pub use error::{ProgramError, ProgramErrorKind};
pub use fatigue::{Refusal, ThankYouOwed};
pub use flat::{accounts_from_rows, is_flat, ACCOUNT_ALLOWED, ACCOUNT_FIELDS, PROGRAM_COLUMNS};
pub use history::{
    history, AccountHistory, CarriedRevisit, Direction, History, HistoryInput, HistoryReport, HistoryTrend,
    QuarterHistory, QuarterTier, Snapshot, SnapshotTiers, TimeInTier, TimelinePoint, DEFAULT_MIN_CHANGE,
    DEFAULT_WINDOW_DAYS,
};
pub use lang::{localize_model, localize_program, Lang};
pub use matching::{Candidate, LaterCandidate, MatchRequest, Matches};
pub use metrics::{
    AssetCount, AssetGoal, EffortCounts, Metrics, QuarterTiers, Rate, RenewalRecord, Retention, RetentionGroup,
    TierCounts, TimeToFirst,
};
pub use movement::{Movement, Promoter, Resting, Review, Revisit, Stage, StageCounts, Suggestion, TierChange, Trend};
pub use overrides::{apply_overrides, AppliedOverride, Overridden, Override};
pub use prepared::Prepared;
pub use request_log::{Request, RequestExclusion, RequestOutcome, RequestStatus};
pub use requests::{KindCount, OpenRequest, RequestOutcomes, RequestsInput, RequestsReport, StatusCount};
pub use segments::{Evidence, SegmentResult};

use advocacy_core::{Date, Effort, Model, Record, Tier};

use account::validate_accounts;
use ledger::{AccountLookup, LedgerIndex};
use overrides::validate_overrides;
use prepared::{compile_config, thank_you_owed};

/// The configuration given, or the default one.
fn config_or_default(c: &Option<ProgramConfig>) -> std::borrow::Cow<'_, ProgramConfig> {
    match c {
        Some(c) => std::borrow::Cow::Borrowed(c),
        None => std::borrow::Cow::Owned(ProgramConfig::default()),
    }
}

// ---------------------------------------------------------------------------------------------
// Segments

/// Input of [`segments`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentsInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The accounts to classify.
    pub accounts: Vec<Account>,
}

/// How many accounts are in one segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SegmentCount {
    /// The segment.
    pub segment: AdvocateSegment,
    /// Accounts in it.
    pub accounts: usize,
}

/// Output of [`segments`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SegmentsOutput {
    /// Each account's segment, explained, in input order.
    pub results: Vec<SegmentResult>,
    /// Accounts per segment.
    pub counts: Vec<SegmentCount>,
}

/// Classifies accounts as active, willing, potential or not advocate material, explained.
pub fn segments(input: &SegmentsInput) -> Result<SegmentsOutput, ProgramError> {
    let settings = config_or_default(&input.config);
    let config = compile_config(&settings)?;
    validate_accounts(&input.accounts, "accounts")?;
    let results: Vec<SegmentResult> = input.accounts.iter().map(|a| config.classify(a)).collect();
    let counts = AdvocateSegment::ALL
        .iter()
        .map(|s| SegmentCount { segment: *s, accounts: results.iter().filter(|r| r.segment == *s).count() })
        .collect();
    Ok(SegmentsOutput { results, counts })
}

// ---------------------------------------------------------------------------------------------
// Overrides

/// Input of [`overrides`]: a record scored by a model, and overrides applied on top.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverridesInput {
    /// The scoring model (`null`: the default model). Its tiers and maximum re-tier points overrides.
    #[serde(default)]
    pub model: Option<Model>,
    /// The account's record; its `id` names the account.
    pub record: Record,
    /// Overrides (those of other accounts are ignored).
    pub overrides: Vec<Override>,
    /// The day to apply them on.
    pub as_of: Date,
}

/// Scores a record with a model and applies the overrides valid on `as_of`, explaining each.
pub fn overrides(input: &OverridesInput) -> Result<Overridden, ProgramError> {
    let default_model;
    let model = match &input.model {
        Some(m) => m,
        None => {
            default_model = Model::default();
            &default_model
        }
    };
    validate_overrides(&input.overrides, "overrides")?;
    let score = model.score_as_of(&input.record, input.as_of).map_err(|e| ProgramError::from(e).under("record"))?;
    let id = input.record.id.clone().unwrap_or_default();
    Ok(apply_overrides(
        &id,
        score.total,
        score.tier,
        score.gate.is_some(),
        &input.overrides,
        input.as_of,
        model.tiers(),
        model.max_points(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Eligibility

/// Input of [`eligibility`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The account.
    pub account: Account,
    /// The ledger (entries of other accounts are ignored).
    #[serde(default)]
    pub ledger: Vec<LedgerEntry>,
    /// Overrides (those of other accounts are ignored).
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// The day of the ask.
    pub as_of: Date,
}

/// What an account can be asked for now, and why not the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Eligibility {
    /// The account.
    pub account: String,
    /// The tier after overrides.
    pub tier: Tier,
    /// The total after overrides.
    pub total: f64,
    /// Overrides of the account and what became of them.
    pub overrides: Vec<AppliedOverride>,
    /// The segment, explained.
    pub segment: SegmentResult,
    /// Who invites, for this tier.
    pub invited_by: String,
    /// The benefit level, for this tier.
    pub benefits: String,
    /// The highest effort the tier asks for.
    pub max_effort: Option<Effort>,
    /// The effort to start from (the tier's maximum once the account has delivered, low before).
    pub start_effort: Effort,
    /// The pipeline stage.
    pub stage: Stage,
    /// Activities that can be asked for now, best first.
    pub eligible: Vec<Ask>,
    /// Activities that cannot, with every reason, in catalogue order.
    pub excluded: Vec<Excluded>,
    /// Fatigue refusals in force.
    pub refusals: Vec<Refusal>,
    /// Completed work not yet thanked.
    pub thanks_owed: Vec<ThankYouOwed>,
}

/// Lists the activities an account can be asked for now, best first, with who invites, the
/// benefit level and an incentive; and every excluded activity with its reasons.
pub fn eligibility(input: &EligibilityInput) -> Result<Eligibility, ProgramError> {
    let settings = config_or_default(&input.config);
    let accounts = std::slice::from_ref(&input.account);
    validate_overrides(&input.overrides, "overrides")?;
    let ledger: Vec<LedgerEntry> = input.ledger.iter().filter(|e| e.account == input.account.id).cloned().collect();
    // Activity ids are checked for every entry (paths point into the caller's ledger).
    let config = compile_config(&settings)?;
    for (i, e) in input.ledger.iter().enumerate() {
        if config.activity(&e.activity).is_none() {
            return Err(ledger::unknown_activity(&config, i, e));
        }
    }
    let prepared = Prepared::new_named(&settings, accounts, &ledger, "account")
        .map_err(|e| ProgramError { path: e.path.replacen("account[0]", "account", 1), ..e })?;
    Ok(prepared.eligibility_at(0, &input.overrides, input.as_of))
}

// ---------------------------------------------------------------------------------------------
// Fatigue

/// Input of [`fatigue`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FatigueInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The account id.
    pub account: String,
    /// The ledger (entries of other accounts are ignored).
    pub ledger: Vec<LedgerEntry>,
    /// The day of the ask.
    pub as_of: Date,
}

/// The fatigue state of one account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FatigueReport {
    /// The account.
    pub account: String,
    /// True when some rule refuses every activity now.
    pub resting: bool,
    /// The first day no rule with a date refuses every activity (`null` when not resting, or
    /// when only a thank-you is in the way).
    pub resting_until: Option<Date>,
    /// Every refusal in force.
    pub refusals: Vec<Refusal>,
    /// Activities refused now (by any rule), in catalogue order.
    pub refused_activities: Vec<String>,
    /// Completed work not yet thanked.
    pub thanks_owed: Vec<ThankYouOwed>,
}

/// Applies the fatigue rules to one account's ledger: every refusal names its rule and until when.
pub fn fatigue(input: &FatigueInput) -> Result<FatigueReport, ProgramError> {
    let settings = config_or_default(&input.config);
    let config = compile_config(&settings)?;
    let ledger = LedgerIndex::new(&config, &input.ledger, 1, AccountLookup::Single(&input.account))?;
    let entries = ledger.entries_of(0);
    let day = input.as_of.to_days() as i32;
    let mut refusals = Vec::new();
    config.refusals_in_force(entries, day, &mut refusals);
    let resting = refusals.iter().any(|r| r.rests_account());
    let resting_until = if resting {
        refusals.iter().filter(|r| r.rests_account()).filter_map(|r| r.until).max().map(|d| Date::from_days(d as i64))
    } else {
        None
    };
    let refused_activities = (0..settings.activities.len() as u16)
        .filter(|a| refusals.iter().any(|r| r.blocks(&config, *a)))
        .map(|a| settings.activities[a as usize].id.clone())
        .collect();
    let mut thanks_owed = Vec::new();
    config.thanks_owed(entries, day, |e| thanks_owed.push(thank_you_owed(&config, &input.account, e, day)));
    Ok(FatigueReport {
        account: input.account.clone(),
        resting,
        resting_until,
        refusals: refusals.iter().map(|r| config.explain_refusal(r)).collect(),
        refused_activities,
        thanks_owed,
    })
}

// ---------------------------------------------------------------------------------------------
// Matching

/// Input of [`match_request`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The reference request.
    pub request: MatchRequest,
    /// The accounts (current snapshot).
    pub accounts: Vec<Account>,
    /// The ledger.
    #[serde(default)]
    pub ledger: Vec<LedgerEntry>,
    /// Overrides.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// The request log: advocates on another open request, or at the quarter's cap for the
    /// kind (`requests` in the configuration), are not offered, and are listed in `excluded`.
    #[serde(default)]
    pub requests: Vec<Request>,
    /// The day of the ask.
    pub as_of: Date,
}

/// Ranks the advocates who fit a reference request and are not resting, with reasons; with a
/// request log, those it keeps off the request are listed apart with why.
pub fn match_request(input: &MatchInput) -> Result<Matches, ProgramError> {
    let settings = config_or_default(&input.config);
    let prepared = Prepared::new(&settings, &input.accounts, &input.ledger)?;
    prepared.match_with_requests(&input.request, &input.requests, &input.overrides, input.as_of)
}

// ---------------------------------------------------------------------------------------------
// Requests

/// The open requests of the log, each with its state, owner, age and best candidates, and the
/// log's counts by status and kind.
///
/// Open requests are taken the one needed soonest first (no need date last, then by creation
/// date and id). Each `open` one gets the best candidates of [`match_request`] that the log
/// leaves free: nobody already named on another open request, nobody at the quarter's cap for
/// the kind; and the first candidate of each request is held for it, as if matched, so the
/// requests below do not all get the same advocate.
pub fn requests(input: &RequestsInput) -> Result<RequestsReport, ProgramError> {
    let settings = config_or_default(&input.config);
    let prepared = Prepared::new(&settings, &input.accounts, &input.ledger)?;
    prepared.requests(&input.requests, &input.overrides, input.as_of, input.top.unwrap_or(requests::DEFAULT_TOP))
}

// ---------------------------------------------------------------------------------------------
// Review

/// Input of [`review`]: last month's and this month's scored snapshots, the ledger and overrides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The review date.
    pub as_of: Date,
    /// The previous snapshot.
    #[serde(default)]
    pub previous: Vec<Account>,
    /// The date of the previous snapshot (overrides are applied to it as of that day).
    #[serde(default)]
    pub previous_as_of: Option<Date>,
    /// The current snapshot.
    pub current: Vec<Account>,
    /// The ledger.
    #[serde(default)]
    pub ledger: Vec<LedgerEntry>,
    /// Overrides.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// The monthly review: movement since the previous snapshot, due revisits, pipeline stages, who
/// to ask for what, and thank-yous owed.
pub fn review(input: &ReviewInput) -> Result<Review, ProgramError> {
    let settings = config_or_default(&input.config);
    let prepared = Prepared::new_named(&settings, &input.current, &input.ledger, "current")?;
    prepared.review(&input.previous, input.previous_as_of, &input.overrides, input.as_of)
}

// ---------------------------------------------------------------------------------------------
// Metrics

/// Input of [`metrics`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricsInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The accounts (their tiers count active advocates by tier).
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The ledger.
    pub ledger: Vec<LedgerEntry>,
    /// Renewal outcomes, for retention of advocates against the rest.
    #[serde(default)]
    pub renewals: Vec<RenewalRecord>,
    /// Only ledger entries on or after this day.
    #[serde(default)]
    pub from: Option<Date>,
    /// Only ledger entries on or before this day.
    #[serde(default)]
    pub to: Option<Date>,
    /// A history (the long form of [`HistoryInput::rows`]): when given, each quarter's active
    /// advocates are counted by their tier in that quarter (their last snapshot in it), not by
    /// their tier in `accounts` today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<serde_json::Value>>,
    /// Deals (source, referring account, created, closed, won, value, advocacy attached): for
    /// referral conversion and time to close against the other sources, the pipeline influenced
    /// by advocacy and the referral chain. Deals created inside `from`..=`to` are counted.
    #[serde(default)]
    pub deals: Vec<Deal>,
}

/// Program metrics from the ledger, the accounts and renewal outcomes.
pub fn metrics(input: &MetricsInput) -> Result<Metrics, ProgramError> {
    let settings = config_or_default(&input.config);
    let config = compile_config(&settings)?;
    validate_accounts(&input.accounts, "accounts")?;
    let quarter_tiers = match &input.history {
        Some(rows) => Some(
            History::from_rows(rows, "history")?
                .quarter_tiers()
                .into_iter()
                .flat_map(|q| {
                    let quarter = q.quarter;
                    q.accounts.into_iter().map(move |a| ((quarter.clone(), a.account), a.tier))
                })
                .collect::<ids::FxHashMap<(String, String), Tier>>(),
        ),
        None => None,
    };
    metrics::compute(&config, input, quarter_tiers.as_ref())
}

#[cfg(test)]
mod tests;
