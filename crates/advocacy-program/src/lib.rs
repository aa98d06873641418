//! # advocacy-program
//!
//! Running the advocacy program over scored accounts: segments, overrides, activities, fatigue
//! protection, matching reference requests, pipeline movement and program metrics.
//!
//! This crate sits above `advocacy-core` (scores, tiers, signals, models) and must never be
//! needed by it: a user who only scores does not compile it. Like the core it does no I/O and
//! knows nothing of Python or JavaScript.
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

mod account;
mod activities;
mod config;
mod error;
mod fatigue;
mod hash;
pub mod json;
mod matching;
mod metrics;
mod movement;
mod overrides;
mod segments;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use account::{accounts_from_records, split_list, Account, LedgerEntry, Status};
pub use activities::{Ask, Excluded, Incentive, IncentiveKind, Reason};
pub use config::{
    Activity, AdvocateSegment, Condition, FatigueRules, Incentives, MatchWeights, MaxAsks, ProgramConfig, RestAfter,
    ReviewSettings, SegmentRule, SegmentRules, StepDown, DEFAULT_PROGRAM_JSON,
};
pub use error::{ProgramError, ProgramErrorKind};
pub use fatigue::{Refusal, ThankYouOwed};
pub use matching::{Candidate, LaterCandidate, MatchRequest, Matches};
pub use metrics::{
    AssetCount, Metrics, QuarterTiers, Rate, RenewalRecord, Retention, RetentionGroup, TierCounts, TimeToFirst,
};
pub use movement::{Movement, Promoter, Review, Revisit, Stage, StageCounts, Suggestion, TierChange, Trend};
pub use overrides::{apply_overrides, AppliedOverride, Overridden, Override};
pub use segments::{Evidence, SegmentResult};

use account::validate_accounts;
use config::Prog;
use error::ProgramErrorKind as K;
use fatigue::LedgerIndex;
use hash::{IdIndex, IdIndexError};
use overrides::{validate_overrides, OverrideIndex};

use advocacy_core::Date;
use advocacy_core::{Effort, Model, Tier};
use advocacy_core::Record;

fn config_or_default(c: &Option<ProgramConfig>) -> std::borrow::Cow<'_, ProgramConfig> {
    match c {
        Some(c) => std::borrow::Cow::Borrowed(c),
        None => std::borrow::Cow::Owned(ProgramConfig::default()),
    }
}

fn prog(cfg: &ProgramConfig) -> Result<Prog<'_>, ProgramError> {
    Prog::new(cfg).map_err(|e| e.under("config"))
}

/// Accounts, their ledger and a configuration, checked and indexed once.
///
/// Building it validates the accounts, maps ids to positions and groups the ledger by account;
/// its methods then answer requests in one pass over the accounts.
pub struct Prepared<'a> {
    prog: Prog<'a>,
    accounts: &'a [Account],
    ids: IdIndex,
    ledger: LedgerIndex,
    /// Compact per-account rows for matching, built on the first request.
    rows: std::sync::OnceLock<matching::Rows>,
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

    fn new_named(
        config: &'a ProgramConfig,
        accounts: &'a [Account],
        ledger: &[LedgerEntry],
        list: &str,
    ) -> Result<Prepared<'a>, ProgramError> {
        let prog = prog(config)?;
        validate_accounts(accounts, list)?;
        let ids = id_map(accounts, list)?;
        let ledger = LedgerIndex::new(&prog, ledger, accounts.len(), fatigue::Ids::Index(&ids))?;
        Ok(Prepared { prog, accounts, ids, ledger, rows: std::sync::OnceLock::new() })
    }

    /// The position of an account.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.get(id).map(|i| i as usize)
    }

    /// Ledger entries whose account is not among the accounts.
    pub fn unmatched_ledger_entries(&self) -> usize {
        self.ledger.unmatched
    }

    fn overrides(&self, overrides: &'a [Override]) -> OverrideIndex<'a> {
        OverrideIndex::new(overrides, |id| self.ids.get(id))
    }
}

fn id_map(accounts: &[Account], list: &str) -> Result<IdIndex, ProgramError> {
    if accounts.len() >= u32::MAX as usize {
        return Err(ProgramError::new(
            K::InvalidValue,
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
                K::Duplicate,
                format!("{list}[{i}].id"),
                a.id.clone(),
                "an id not used by another account of the snapshot",
                "duplicate account id",
            )
            .at(i, Some(&a.id))
        }
        IdIndexError::TooLarge => ProgramError::new(
            K::InvalidValue,
            list,
            accounts.len().to_string(),
            "ids taking less than 4 GiB in all",
            "too many accounts",
        ),
    })
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
    let cfg = config_or_default(&input.config);
    let p = prog(&cfg)?;
    validate_accounts(&input.accounts, "accounts")?;
    let results: Vec<SegmentResult> = input.accounts.iter().map(|a| p.classify(a)).collect();
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
    let cfg = config_or_default(&input.config);
    let accounts = std::slice::from_ref(&input.account);
    validate_overrides(&input.overrides, "overrides")?;
    let ledger: Vec<LedgerEntry> = input.ledger.iter().filter(|e| e.account == input.account.id).cloned().collect();
    // Activity ids are checked for every entry (paths point into the caller's ledger).
    let p0 = prog(&cfg)?;
    for (i, e) in input.ledger.iter().enumerate() {
        if p0.activity(&e.activity).is_none() {
            return Err(fatigue::unknown_activity(&p0, i, e));
        }
    }
    let prep = Prepared::new_named(&cfg, accounts, &ledger, "account")
        .map_err(|e| ProgramError { path: e.path.replacen("account[0]", "account", 1), ..e })?;
    Ok(prep.eligibility_at(0, &input.overrides, input.as_of))
}

impl Prepared<'_> {
    /// The eligibility of the account at position `i`.
    pub fn eligibility_at(&self, i: usize, overrides: &[Override], as_of: Date) -> Eligibility {
        let p = &self.prog;
        let a = &self.accounts[i];
        let ov = apply_overrides(&a.id, a.total, a.tier, a.gated, overrides, as_of, &p.cfg.tiers, p.cfg.max_total);
        let seg = p.classify(a);
        let entries = self.ledger.of(i);
        let day = as_of.to_days() as i32;
        let mut raws = Vec::new();
        p.refusals(entries, day, &mut raws);
        let refusals: Vec<Refusal> = raws.iter().map(|r| p.refusal(r)).collect();
        let (eligible, excluded) = p.explain_activities(a, ov.tier, seg.segment, entries, &raws, &refusals);
        let plan = p.cfg.outreach.plan(ov.tier);
        let mut thanks = Vec::new();
        p.thanks_owed(entries, day, |e| thanks.push(thank(p, a, e, day)));
        Eligibility {
            account: a.id.clone(),
            tier: ov.tier,
            total: ov.total,
            overrides: ov.overrides,
            segment: seg,
            invited_by: plan.invited_by.clone(),
            benefits: plan.benefits.clone(),
            max_effort: plan.max_effort,
            start_effort: p.target_effort(a, ov.tier, entries),
            stage: movement::stage_of(p, ov.tier, entries, day),
            eligible,
            excluded,
            refusals,
            thanks_owed: thanks,
        }
    }
}

fn thank(p: &Prog, a: &Account, e: &fatigue::E, day: i32) -> ThankYouOwed {
    ThankYouOwed {
        account: a.id.clone(),
        activity: p.cfg.activities[e.act as usize].id.clone(),
        completed: Date::from_days(e.days as i64),
        days_waiting: (day - e.days) as i64,
    }
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
    let cfg = config_or_default(&input.config);
    let p = prog(&cfg)?;
    let ix = LedgerIndex::new(&p, &input.ledger, 1, fatigue::Ids::One(&input.account))?;
    let entries = ix.of(0);
    let day = input.as_of.to_days() as i32;
    let mut raws = Vec::new();
    p.refusals(entries, day, &mut raws);
    let all: Vec<&fatigue::Raw> = raws.iter().filter(|r| matches!(r.scope, fatigue::Scope::All)).collect();
    let resting = !all.is_empty();
    let resting_until =
        if resting { all.iter().filter_map(|r| r.until).max().map(|d| Date::from_days(d as i64)) } else { None };
    let refused_activities = (0..cfg.activities.len() as u16)
        .filter(|a| raws.iter().any(|r| r.blocks(&p, *a)))
        .map(|a| cfg.activities[a as usize].id.clone())
        .collect();
    let dummy = Account::new(input.account.clone(), 0.0, Tier::NotYetQualified);
    let mut thanks = Vec::new();
    p.thanks_owed(entries, day, |e| thanks.push(thank(&p, &dummy, e, day)));
    Ok(FatigueReport {
        account: input.account.clone(),
        resting,
        resting_until,
        refusals: raws.iter().map(|r| p.refusal(r)).collect(),
        refused_activities,
        thanks_owed: thanks,
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
    /// The day of the ask.
    pub as_of: Date,
}

/// Ranks the advocates who fit a reference request and are not resting, with reasons.
pub fn match_request(input: &MatchInput) -> Result<Matches, ProgramError> {
    let cfg = config_or_default(&input.config);
    let prep = Prepared::new(&cfg, &input.accounts, &input.ledger)?;
    prep.match_request(&input.request, &input.overrides, input.as_of)
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
    let cfg = config_or_default(&input.config);
    let prep = Prepared::new_named(&cfg, &input.current, &input.ledger, "current")?;
    prep.review(&input.previous, input.previous_as_of, &input.overrides, input.as_of)
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
}

/// Program metrics from the ledger, the accounts and renewal outcomes.
pub fn metrics(input: &MetricsInput) -> Result<Metrics, ProgramError> {
    let cfg = config_or_default(&input.config);
    let p = prog(&cfg)?;
    validate_accounts(&input.accounts, "accounts")?;
    metrics::compute(&p, input)
}

#[cfg(test)]
mod tests {
    use advocacy_core::StandardSignal;
    use super::hash::{IdIndex, IdIndexError};
    use super::*;
    use advocacy_core::standard_signals;

    #[test]
    fn the_default_file_is_the_default() {
        let from_file = ProgramConfig::from_json(DEFAULT_PROGRAM_JSON).unwrap();
        assert_eq!(from_file, ProgramConfig::default());
        let again = ProgramConfig::from_json(&from_file.to_json()).unwrap();
        assert_eq!(again, from_file);
        assert_eq!(ProgramConfig::from_json("{}").unwrap(), ProgramConfig::default());
    }

    #[test]
    fn typed_fields_are_the_standard_signals() {
        let names: Vec<&str> = StandardSignal::ALL.iter().map(|f| f.name()).collect();
        let std: Vec<&str> = standard_signals().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), std.len());
        for n in &std {
            assert!(names.contains(n), "{n} has no typed field");
        }
        for f in StandardSignal::ALL {
            assert_eq!(f.spec().name, f.name());
        }
    }

    #[test]
    fn schemas_cover_every_type() {
        let v = json::schemas();
        for k in [
            "ProgramConfig",
            "ReviewInput",
            "Review",
            "MatchInput",
            "Matches",
            "MetricsInput",
            "Metrics",
            "ProgramError",
        ] {
            assert!(v.get(k).is_some(), "{k}");
        }
        assert!(ProgramConfig::json_schema().contains("fatigue"));
    }

    #[test]
    fn id_index_finds_every_id_and_rejects_duplicates() {
        let ids: Vec<String> = (0..5000).map(|i| format!("id-{}", i * 7919 % 10007)).collect();
        let ix = IdIndex::build(ids.iter().map(String::as_str)).ok().unwrap();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(ix.get(id), Some(i as u32));
        }
        assert_eq!(ix.get("id-x"), None);
        assert_eq!(ix.get(""), None);
        let mut many = vec![None; ids.len() + 1];
        ix.get_many(ids.iter().map(String::as_str).chain(["nope"]), |i, p| many[i] = Some(p));
        for (i, p) in many.iter().enumerate() {
            assert_eq!(*p, Some(if i < ids.len() { Some(i as u32) } else { None }));
        }
        let dup = ["a", "b", "a"];
        assert!(matches!(IdIndex::build(dup.iter().copied()), Err(IdIndexError::Duplicate(2))));
    }

    #[test]
    fn previous_snapshot_joins_by_id_in_any_order() {
        let tiers = advocacy_core::Thresholds::default();
        let mk = |i: usize, total: f64| Account::new(format!("a{i}"), total, tiers.tier(total));
        let current: Vec<Account> = (0..10).map(|i| mk(i, (i * 10) as f64)).collect();
        let same: Vec<Account> = (0..10).map(|i| mk(i, 45.0)).collect();
        let mut shuffled = same.clone();
        shuffled.reverse();
        shuffled.swap(0, 4);
        let cfg = ProgramConfig::default();
        let p = Prepared::new(&cfg, &current, &[]).unwrap();
        let day = Date::new(2026, 1, 1).unwrap();
        let a = p.review(&same, None, &[], day).unwrap();
        let b = p.review(&shuffled, None, &[], day).unwrap();
        assert_eq!(a.movement, b.movement);
        assert!(a.movement.new_accounts.is_empty() && a.movement.removed_accounts.is_empty());
        assert_eq!((a.movement.dropped_out.len(), a.movement.moved_up.len()), (4, 4));
        // Some paired by position, the rest by id; one previous account gone, one current new.
        let mut mixed = same.clone();
        mixed.swap(2, 7);
        mixed[9] = mk(99, 45.0);
        let c = p.review(&mixed, None, &[], day).unwrap();
        assert_eq!(c.movement.new_accounts, vec!["a9".to_string()]);
        assert_eq!(c.movement.removed_accounts, vec!["a99".to_string()]);
        // A duplicate of a paired id is found.
        let mut dup = same.clone();
        dup[8] = mk(3, 45.0);
        let e = p.review(&dup, None, &[], day).unwrap_err();
        assert_eq!((e.kind, e.path.as_str(), e.value.as_str()), (ProgramErrorKind::Duplicate, "previous[8].id", "a3"));
    }

    #[test]
    fn errors_read_well() {
        let e = ProgramConfig::from_json(r#"{"fatigue": {"max_asks": {"count": 0, "window_days": 90}}}"#).unwrap_err();
        assert_eq!(e.to_string(), "fatigue.max_asks.count: no asks allowed at all (value 0); allowed: at least 1 (set max_asks to null to switch it off)");
        let e =
            json::call("segments", serde_json::json!({"accounts": [{"id": "a", "signals": {"nps": 11}}]})).unwrap_err();
        assert_eq!(e.to_string(), "account \"a\", accounts[0].signals.nps: signal `nps` has a bad value (value 11); allowed: an integer from 0 to 10");
    }
}
