//! TypeScript declarations of everything that crosses the boundary, derived with tsify.
//!
//! tsify stays in this crate (the core does not depend on it), so these are declaration-only
//! mirrors of the core's serde types: same field names, same serde attributes. They are never
//! used to convert values (results cross as the core's own serde JSON). `cargo test -p
//! advocacy-wasm` (tests/mirrors.rs) proves each mirror has exactly the core's JSON shape: core values are
//! serialised, read back into the mirror with unknown fields denied, written again, and compared.
#![allow(missing_docs)]

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A signal value: missing (`null`), a boolean, a number or text.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
}

/// Qualification tiers, best first.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Platinum,
    Gold,
    Silver,
    NotYetQualified,
    NotAdvocateMaterial,
}

/// What a criterion made of an account's value.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    Partial,
    NotMet,
    Missing,
    NotApplicable,
}

/// The effort an activity takes.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    Low,
    Moderate,
    High,
}

/// How criteria whose signal is missing count: `zero` earns 0, `rescale` scores over the
/// present criteria and rescales to the model's maximum.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    Zero,
    Rescale,
}

/// Which target list an `in_target` rule reads.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum TargetList {
    Industries,
    Segments,
    Regions,
}

/// Company size segment.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Smb,
    MidMarket,
    Enterprise,
}

/// Company rules on public endorsement.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    Open,
    ApprovalRequired,
    Prohibited,
}

/// How the last renewal went.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum RenewalOutcome {
    Early,
    OnTime,
    Negotiated,
    Late,
}

/// The program's own target lists.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub segments: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
}

/// The score at which each qualified tier starts (inclusive).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub platinum: f64,
    pub gold: f64,
    pub silver: f64,
}

/// When a criterion is met (or a gate closes).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "op", deny_unknown_fields)]
pub enum Rule {
    #[serde(rename = ">")]
    Gt { value: f64 },
    #[serde(rename = ">=")]
    Ge { value: f64 },
    #[serde(rename = "<")]
    Lt { value: f64 },
    #[serde(rename = "<=")]
    Le { value: f64 },
    #[serde(rename = "==")]
    Eq { value: Value },
    #[serde(rename = "!=")]
    Ne { value: Value },
    #[serde(rename = "between")]
    Between { min: f64, max: f64 },
    #[serde(rename = "is")]
    Is { value: bool },
    #[serde(rename = "in")]
    In { values: Vec<Value> },
    #[serde(rename = "in_target")]
    InTarget { list: TargetList },
    #[serde(rename = "ramp")]
    Ramp { points: Vec<[f64; 2]> },
}

/// A gate: when its rule holds, the account gets the gate's tier whatever its score.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub id: String,
    pub signal: String,
    pub rule: Rule,
    #[serde(default = "nam")]
    pub tier: Tier,
    #[serde(default)]
    pub reason: String,
}

fn nam() -> Tier {
    Tier::NotAdvocateMaterial
}

/// One criterion: a rule over one signal, worth some points.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    #[serde(default)]
    pub label: String,
    pub signal: String,
    pub rule: Rule,
    pub points: f64,
}

/// A category of criteria.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    #[serde(default)]
    pub label: String,
    pub criteria: Vec<Criterion>,
}

/// The kind of value a signal holds.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SignalKind {
    Number,
    Integer,
    Bool,
    Category { values: Vec<String> },
    Text,
}

/// The declaration of a signal: its name, kind and optional range.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
// tsify writes a flattened enum as `interface extends`, which TypeScript rejects: spell it out.
#[tsify(type = "{ name: string; min?: number; max?: number; description?: string } & SignalKind")]
pub struct SignalSpec {
    pub name: String,
    #[serde(flatten)]
    pub kind: SignalKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// How an account of a tier is approached.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutreachPlan {
    pub who: String,
    pub invited_by: String,
    pub benefits: String,
    pub asks: Vec<String>,
    pub max_effort: Option<Effort>,
}

/// Outreach per tier.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Outreach {
    pub platinum: OutreachPlan,
    pub gold: OutreachPlan,
    pub silver: OutreachPlan,
    pub not_yet_qualified: OutreachPlan,
    pub not_advocate_material: OutreachPlan,
}

/// An advocacy scoring model, as `Model.toObject()` returns it and `Model.fromObject()` reads it
/// (fields with defaults may be left out).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default = "zero")]
    pub missing: MissingPolicy,
    #[serde(default = "no_targets")]
    pub targets: Targets,
    #[serde(default = "thresholds")]
    pub tiers: Thresholds,
    #[serde(default)]
    pub gates: Vec<Gate>,
    #[serde(default)]
    pub revisit_months: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<SignalSpec>,
    pub categories: Vec<Category>,
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outreach: Option<Outreach>,
}

fn zero() -> MissingPolicy {
    MissingPolicy::Zero
}
fn no_targets() -> Targets {
    Targets { industries: vec![], segments: vec![], regions: vec![] }
}
fn thresholds() -> Thresholds {
    Thresholds { platinum: 80.0, gold: 60.0, silver: 40.0 }
}

/// One criterion's result for an account.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CriterionScore {
    pub id: String,
    pub label: String,
    pub category: String,
    pub signal: String,
    pub rule: String,
    pub outcome: Outcome,
    pub value: Value,
    pub points: f64,
    pub max: f64,
}

/// One category's subtotal.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CategoryScore {
    pub id: String,
    pub label: String,
    pub points: f64,
    pub max: f64,
}

/// The gate that decided an account's tier.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GateHit {
    pub id: String,
    pub signal: String,
    pub tier: Tier,
    pub reason: String,
}

/// The range the total could reach once the missing signals are known.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
    pub tiers: Vec<Tier>,
}

/// What it takes to reach the next tier.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GapToNextTier {
    pub tier: Tier,
    pub points_needed: f64,
    pub criteria: Vec<String>,
    pub reachable: bool,
}

/// A note about a result that is not an error (e.g. targets not set).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    pub code: String,
    pub criterion: Option<String>,
    pub message: String,
}

/// An account's explained advocacy score: exactly the core's `Score` as JSON.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The account id, when the record had one.
    pub id: Option<String>,
    /// The total, on the model's scale (rescaled under the `rescale` policy).
    pub total: f64,
    /// The model's maximum.
    pub max: f64,
    /// The tier, after gates.
    pub tier: Tier,
    /// The tier the total alone reaches.
    pub score_tier: Tier,
    /// The gate that overrode the tier, if any.
    pub gate: Option<GateHit>,
    /// Category subtotals, in model order.
    pub categories: Vec<CategoryScore>,
    /// Every criterion's result, in model order.
    pub criteria: Vec<CriterionScore>,
    /// Signals the model reads that the record lacks.
    pub missing: Vec<String>,
    /// Share of the model's points whose signals were present (0..=1).
    pub completeness: f64,
    /// Where the total could land once missing signals are known.
    pub bounds: Bounds,
    /// The gap to the next tier (none at platinum or when gated).
    pub next_tier: Option<GapToNextTier>,
    /// How to approach the account.
    pub outreach: OutreachPlan,
    /// When to look again (`YYYY-MM-DD`; not-yet-qualified accounts, given an as-of date).
    pub revisit: Option<String>,
    /// Notes such as unset targets.
    pub warnings: Vec<Warning>,
}

/// The codes of bad account values.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum RecordErrorCode {
    WrongType,
    OutOfRange,
    NotInteger,
    UnknownCategory,
    NotARecord,
}

/// The codes of bad models.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum ModelErrorCode {
    Parse,
    UnknownSignal,
    InvalidRule,
    InvalidValue,
    Duplicate,
}

/// A bad value in an account record (the core's `RecordError`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordErrorData {
    pub code: RecordErrorCode,
    pub row: Option<u32>,
    pub id: Option<String>,
    pub signal: String,
    pub value: String,
    pub allowed: String,
}

/// A bad model (the core's `ModelError`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelErrorData {
    pub code: ModelErrorCode,
    pub path: String,
    pub value: String,
    pub allowed: String,
    pub message: String,
}

/// The standard signals of one account, typed (every one may be missing). Records may carry
/// signals of the user's own as well; see `AccountRecord`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    /// The account id.
    #[tsify(optional, type = "string | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_score: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_score_prev: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_days_30d: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features_used: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrations: Option<f64>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_user: Option<bool>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenure_months: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewals: Option<f64>,
    #[tsify(optional, type = "RenewalOutcome | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_outcome: Option<RenewalOutcome>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansions: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enthusiasm: Option<f64>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_champion: Option<bool>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values_alignment: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsolicited_referrals: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_reviews: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_posts: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_requests: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_responses: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive_feedback: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csm_rapport: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engaged_contacts: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec_sponsor: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_hours: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_engagement: Option<f64>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roi_achieved: Option<bool>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_metrics_allowed: Option<bool>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub innovative_usage: Option<bool>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_practices: Option<bool>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation_story: Option<bool>,
    #[tsify(optional, type = "string | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[tsify(optional, type = "Segment | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<Segment>,
    #[tsify(optional, type = "string | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_strength: Option<f64>,
    #[tsify(optional, type = "string | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switched_from: Option<String>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub past_advocacy: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communication_comfort: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_savvy: Option<f64>,
    #[tsify(optional, type = "number | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_hours_month: Option<f64>,
    #[tsify(optional, type = "Policy | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gifts_allowed: Option<bool>,
    #[tsify(optional, type = "boolean | null")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opted_out: Option<bool>,
}
