//! The program's configuration: segment rules, activity catalogue, fatigue rules, incentives.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::StandardSignal;
use super::error::{from_json_str, ProgramError, ProgramErrorKind as K};
use super::hash::FxMap;
use advocacy_core::{Effort, Outreach, Rule, Thresholds};
use advocacy_core::{fmt_num, SignalKind};

/// The default program configuration, as shipped in `models/program.json`.
pub const DEFAULT_PROGRAM_JSON: &str = include_str!("../models/program.json");

/// Everything that decides how the program runs. `Default` is domain.md's program.
///
/// Every section is optional in a file: what is left out keeps its default.
///
/// ```
/// use advocacy_program::ProgramConfig;
/// let cfg = ProgramConfig::from_json(r#"{"fatigue": {"rest_after": {"low": 7, "moderate": 30, "high": 120}}}"#).unwrap();
/// assert_eq!(cfg.fatigue.rest_after.high, 120);
/// assert_eq!(cfg.activities.len(), ProgramConfig::default().activities.len());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramConfig {
    /// Segment rules (active, willing, potential, not advocate material).
    #[serde(default = "d_segments")]
    pub segments: SegmentRules,
    /// The activity catalogue.
    #[serde(default = "d_activities")]
    pub activities: Vec<Activity>,
    /// Fatigue protection rules.
    #[serde(default)]
    pub fatigue: FatigueRules,
    /// Incentives per effort level.
    #[serde(default)]
    pub incentives: Incentives,
    /// Who invites, with what benefits and up to which effort, per tier (as in the model).
    #[serde(default)]
    pub outreach: Outreach,
    /// Tier thresholds, used to re-tier accounts after a points override (keep them as in the model).
    #[serde(default)]
    pub tiers: Thresholds,
    /// The model's maximum total; points overrides are clamped to 0..=max_total.
    #[serde(default = "d_max")]
    pub max_total: f64,
    /// Monthly review settings.
    #[serde(default)]
    pub review: ReviewSettings,
    /// Weights for matching a reference request.
    #[serde(default)]
    pub matching: MatchWeights,
}

fn default_section<T: serde::de::DeserializeOwned>(key: &str) -> T {
    // The embedded file is checked by the test suite; a failure here is a build defect.
    let v: serde_json::Value = serde_json::from_str(DEFAULT_PROGRAM_JSON).unwrap_or(serde_json::Value::Null);
    serde_json::from_value(v.get(key).cloned().unwrap_or(serde_json::Value::Null))
        .unwrap_or_else(|e| panic!("models/program.json `{key}` is invalid: {e}"))
}

fn d_segments() -> SegmentRules {
    default_section("segments")
}
fn d_activities() -> Vec<Activity> {
    default_section("activities")
}
fn d_max() -> f64 {
    100.0
}

fn defaults() -> ProgramConfig {
    ProgramConfig {
        segments: d_segments(),
        activities: d_activities(),
        fatigue: FatigueRules::default(),
        incentives: Incentives::default(),
        outreach: Outreach::default(),
        tiers: Thresholds::default(),
        max_total: 100.0,
        review: ReviewSettings::default(),
        matching: MatchWeights::default(),
    }
}

impl Default for FatigueRules {
    fn default() -> Self {
        FatigueRules {
            rest_after: RestAfter::default(),
            step_down: Some(StepDown { after: Effort::High, max_effort: Effort::Low, days: 180 }),
            min_days_between_asks: 30,
            max_asks: Some(MaxAsks { count: 3, window_days: 180 }),
            rest_after_declined_days: 60,
            rotate_days: 180,
            thank_you_blocks_asks: true,
        }
    }
}

impl Default for RestAfter {
    fn default() -> Self {
        RestAfter { low: 14, moderate: 45, high: 90 }
    }
}

impl Default for Incentives {
    fn default() -> Self {
        Incentives {
            low: "thank-you note and quality swag".into(),
            moderate: "50-150 USD gift card, premium merchandise or a charity donation".into(),
            high: "200-500 USD gift, travel or a VIP experience".into(),
            recognition_only:
                "recognition only: public spotlight, early access, advisory seat or an executive thank-you".into(),
            referral_close: "account credit if the referral closes".into(),
        }
    }
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings { promoter_nps: 9.0, health_trend_points: 5.0, max_suggestions: 50, active_window_days: 365 }
    }
}

impl Default for MatchWeights {
    fn default() -> Self {
        MatchWeights { competitor: 4.0, industry: 3.0, segment: 2.0, region: 1.0, limit: 10 }
    }
}

impl Default for ProgramConfig {
    fn default() -> Self {
        defaults()
    }
}

/// Advocate segments of the program-design guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdvocateSegment {
    /// Already helps unasked. Look after them.
    Active,
    /// Happy and busy; helps when asked specifically and made easy.
    Willing,
    /// Satisfied, no advocacy interest shown yet; offer easy first steps.
    Potential,
    /// Policy or person makes advocacy impossible. Do not push.
    NotAdvocateMaterial,
    /// No rule matched (not yet satisfied, or too little known).
    Unclassified,
}

impl AdvocateSegment {
    /// All segments, in order.
    pub const ALL: [AdvocateSegment; 5] = [
        AdvocateSegment::Active,
        AdvocateSegment::Willing,
        AdvocateSegment::Potential,
        AdvocateSegment::NotAdvocateMaterial,
        AdvocateSegment::Unclassified,
    ];
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            AdvocateSegment::Active => "active",
            AdvocateSegment::Willing => "willing",
            AdvocateSegment::Potential => "potential",
            AdvocateSegment::NotAdvocateMaterial => "not_advocate_material",
            AdvocateSegment::Unclassified => "unclassified",
        }
    }
}

/// Ordered segment rules: the first rule whose condition holds decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentRules {
    /// The rules, checked in order.
    pub rules: Vec<SegmentRule>,
    /// The segment when no rule holds.
    #[serde(default = "unclassified")]
    pub fallback: AdvocateSegment,
    /// Why, for the fallback.
    #[serde(default)]
    pub fallback_reason: String,
    /// Names of the user's own signals the rules may read (from `Account::custom`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_signals: Vec<String>,
}

fn unclassified() -> AdvocateSegment {
    AdvocateSegment::Unclassified
}

/// One segment rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    /// The rule's id, shown in explanations.
    pub id: String,
    /// The segment it gives.
    pub segment: AdvocateSegment,
    /// Why, in words.
    #[serde(default)]
    pub reason: String,
    /// When it holds.
    pub when: Condition,
}

/// A condition over signals: exactly one of `signal` + `rule`, `all`, `any` or `not`.
///
/// A missing signal makes a leaf false (so `not` of it is true).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The signal a leaf reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// The leaf's rule (as in models: `{"op": ">=", "value": 1}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// Holds when every condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    /// Holds when any condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    /// Holds when the condition does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// An activity of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// The activity's id (used in the ledger and in requests).
    pub id: String,
    /// A readable label.
    #[serde(default)]
    pub label: String,
    /// The effort it takes.
    pub effort: Effort,
    /// Typical hours it takes (compared with `available_hours_month`).
    pub typical_hours: f64,
    /// The kind of asset it produces (`review`, `case_study`, `video`, ...).
    pub asset: String,
    /// Tags that stated preferences can avoid (`video`, `speaking`, `travel`, `writing`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A public endorsement: `policy = approval_required` must get approval first.
    #[serde(default)]
    pub public: bool,
    /// The lowest `communication_comfort` (1..=5) it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_communication_comfort: Option<i64>,
}

/// Fatigue protection rules. A `0` number of days switches a day rule off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FatigueRules {
    /// Days of rest after completing an activity, per its effort.
    pub rest_after: RestAfter,
    /// After a demanding activity, the next asks stay light for a while.
    pub step_down: Option<StepDown>,
    /// Days between two asks of the same account.
    pub min_days_between_asks: u32,
    /// At most this many asks in a rolling window.
    pub max_asks: Option<MaxAsks>,
    /// Days of rest after the account declined.
    pub rest_after_declined_days: u32,
    /// Days before the same activity is asked of the same account again (rotate activity types).
    pub rotate_days: u32,
    /// Completed work not yet thanked blocks new asks until the thank-you is recorded.
    pub thank_you_blocks_asks: bool,
}

/// Rest days per effort level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RestAfter {
    /// After a low-effort activity.
    pub low: u32,
    /// After a moderate-effort activity.
    pub moderate: u32,
    /// After a high-effort activity.
    pub high: u32,
}

impl RestAfter {
    /// The rest days after an effort level.
    pub fn of(&self, e: Effort) -> u32 {
        match e {
            Effort::Low => self.low,
            Effort::Moderate => self.moderate,
            Effort::High => self.high,
        }
    }
}

/// After completing an activity of effort `after` or more, asks stay at most `max_effort` for
/// `days` days, or until one such lighter ask has been made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDown {
    /// The effort that triggers it.
    pub after: Effort,
    /// The highest effort of the next ask.
    pub max_effort: Effort,
    /// How long it holds at most.
    pub days: u32,
}

/// At most `count` asks in any `window_days` days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaxAsks {
    /// Asks allowed in the window.
    pub count: u32,
    /// The window's length in days.
    pub window_days: u32,
}

/// Incentives by effort (domain.md's table), and recognition where gifts are not allowed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Incentives {
    /// For low-effort activities.
    pub low: String,
    /// For moderate-effort activities.
    pub moderate: String,
    /// For high-effort activities.
    pub high: String,
    /// Where `gifts_allowed` is false (or unknown).
    pub recognition_only: String,
    /// Added for referrals (asset `referral`) when gifts are allowed.
    pub referral_close: String,
}

impl Incentives {
    /// The gift for an effort level.
    pub fn of(&self, e: Effort) -> &str {
        match e {
            Effort::Low => &self.low,
            Effort::Moderate => &self.moderate,
            Effort::High => &self.high,
        }
    }
}

/// Settings of the monthly review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewSettings {
    /// NPS from which an answer is a promoter.
    pub promoter_nps: f64,
    /// Health points gained since the last review that count as trending up.
    pub health_trend_points: f64,
    /// How many "who to ask for what" suggestions to list, best first.
    pub max_suggestions: usize,
    /// Days after a completed activity during which an account counts as an active advocate.
    pub active_window_days: u32,
}

/// Points for each fact a reference request can match, and how many advocates to list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MatchWeights {
    /// The advocate left the competitor the prospect is leaving.
    pub competitor: f64,
    /// Same industry as the prospect.
    pub industry: f64,
    /// Same size segment.
    pub segment: f64,
    /// Same region.
    pub region: f64,
    /// How many advocates to list when the request does not say.
    pub limit: usize,
}

impl ProgramConfig {
    /// Reads a configuration from JSON and checks it; errors name the config path.
    pub fn from_json(text: &str) -> Result<ProgramConfig, ProgramError> {
        let cfg: ProgramConfig = from_json_str(text, "")?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// The configuration as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The JSON Schema of the configuration file.
    pub fn json_schema() -> String {
        serde_json::to_string_pretty(&schemars::schema_for!(ProgramConfig)).unwrap_or_default()
    }

    /// Checks the configuration.
    pub fn validate(&self) -> Result<(), ProgramError> {
        Prog::new(self).map(|_| ())
    }
}

/// A condition resolved against the signals.
#[derive(Debug)]
pub(crate) enum CCond<'c> {
    Std(StandardSignal, &'c Rule),
    Custom(&'c str, &'c Rule),
    All(Vec<CCond<'c>>),
    Any(Vec<CCond<'c>>),
    Not(Box<CCond<'c>>),
}

/// A configuration checked and resolved, ready to run.
#[derive(Debug)]
pub(crate) struct Prog<'c> {
    pub cfg: &'c ProgramConfig,
    pub act_ids: FxMap<&'c str, u16>,
    /// Lowercased tags per activity.
    pub tags: Vec<Vec<String>>,
    pub segments: Vec<CCond<'c>>,
    /// Activity indices in ranking order, for a target effort (low, moderate, high).
    pub order: [Vec<u16>; 3],
    /// `(length, first 8 bytes)` of each activity id, for the ledger's 5M lookups.
    pub act_keys: Vec<(usize, u64)>,
}

fn prefix8(s: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s[..n]);
    u64::from_le_bytes(b)
}

pub(crate) fn effort_index(e: Effort) -> usize {
    match e {
        Effort::Low => 0,
        Effort::Moderate => 1,
        Effort::High => 2,
    }
}

impl<'c> Prog<'c> {
    pub(crate) fn new(cfg: &'c ProgramConfig) -> Result<Prog<'c>, ProgramError> {
        let bad = |k, p: String, v: String, a: &str, m: &str| Err(ProgramError::new(k, p, v, a, m));
        // Activities.
        if cfg.activities.is_empty() {
            return bad(
                K::InvalidValue,
                "activities".into(),
                "[]".into(),
                "at least one activity",
                "empty activity catalogue",
            );
        }
        if cfg.activities.len() > u16::MAX as usize {
            return bad(
                K::InvalidValue,
                "activities".into(),
                cfg.activities.len().to_string(),
                "at most 65535 activities",
                "catalogue too large",
            );
        }
        let mut act_ids = FxMap::default();
        for (i, a) in cfg.activities.iter().enumerate() {
            let p = format!("activities[{i}]");
            if a.id.trim().is_empty() {
                return bad(
                    K::InvalidValue,
                    format!("{p}.id"),
                    format!("{:?}", a.id),
                    "a non-empty id",
                    "activity id is empty",
                );
            }
            if act_ids.insert(a.id.as_str(), i as u16).is_some() {
                return bad(
                    K::Duplicate,
                    format!("{p}.id"),
                    a.id.clone(),
                    "an id not used by another activity",
                    "duplicate activity id",
                );
            }
            if !a.typical_hours.is_finite() || a.typical_hours < 0.0 {
                return bad(
                    K::InvalidValue,
                    format!("{p}.typical_hours"),
                    fmt_num(a.typical_hours),
                    "a number >= 0",
                    "typical hours out of range",
                );
            }
            if let Some(c) = a.min_communication_comfort {
                if !(1..=5).contains(&c) {
                    return bad(
                        K::InvalidValue,
                        format!("{p}.min_communication_comfort"),
                        c.to_string(),
                        "an integer from 1 to 5",
                        "comfort out of range",
                    );
                }
            }
            if a.asset.trim().is_empty() {
                return bad(
                    K::InvalidValue,
                    format!("{p}.asset"),
                    format!("{:?}", a.asset),
                    "a non-empty asset kind",
                    "asset kind is empty",
                );
            }
        }
        let tags =
            cfg.activities.iter().map(|a| a.tags.iter().map(|t| t.trim().to_ascii_lowercase()).collect()).collect();
        let order = [Effort::Low, Effort::Moderate, Effort::High].map(|target| {
            let mut idx: Vec<u16> = (0..cfg.activities.len() as u16).collect();
            let t = effort_index(target) as i32;
            idx.sort_by_key(|i| ((effort_index(cfg.activities[*i as usize].effort) as i32 - t).abs(), *i));
            idx
        });

        // Fatigue.
        let f = &cfg.fatigue;
        for (name, v) in [
            ("rest_after.low", f.rest_after.low),
            ("rest_after.moderate", f.rest_after.moderate),
            ("rest_after.high", f.rest_after.high),
            ("min_days_between_asks", f.min_days_between_asks),
            ("rest_after_declined_days", f.rest_after_declined_days),
            ("rotate_days", f.rotate_days),
        ] {
            if v > 3650 {
                return bad(
                    K::InvalidValue,
                    format!("fatigue.{name}"),
                    v.to_string(),
                    "0 to 3650 days",
                    "rest too long",
                );
            }
        }
        if let Some(m) = f.max_asks {
            if m.count == 0 {
                return bad(
                    K::InvalidValue,
                    "fatigue.max_asks.count".into(),
                    "0".into(),
                    "at least 1 (set max_asks to null to switch it off)",
                    "no asks allowed at all",
                );
            }
            if m.window_days == 0 || m.window_days > 3650 {
                return bad(
                    K::InvalidValue,
                    "fatigue.max_asks.window_days".into(),
                    m.window_days.to_string(),
                    "1 to 3650 days",
                    "bad window",
                );
            }
        }
        if let Some(s) = f.step_down {
            if s.days > 3650 {
                return bad(
                    K::InvalidValue,
                    "fatigue.step_down.days".into(),
                    s.days.to_string(),
                    "0 to 3650 days",
                    "step down too long",
                );
            }
            if s.max_effort >= s.after {
                return bad(
                    K::InvalidValue,
                    "fatigue.step_down.max_effort".into(),
                    format!("{:?}", s.max_effort).to_lowercase(),
                    "an effort below `after`",
                    "step down does not step down",
                );
            }
        }
        // Numbers elsewhere.
        if !cfg.max_total.is_finite() || cfg.max_total <= 0.0 {
            return bad(K::InvalidValue, "max_total".into(), fmt_num(cfg.max_total), "a number > 0", "bad maximum");
        }
        let t = &cfg.tiers;
        if !(t.platinum >= t.gold && t.gold >= t.silver && t.silver >= 0.0 && t.platinum.is_finite()) {
            return bad(
                K::InvalidValue,
                "tiers".into(),
                format!("platinum {}, gold {}, silver {}", fmt_num(t.platinum), fmt_num(t.gold), fmt_num(t.silver)),
                "platinum >= gold >= silver >= 0",
                "tier thresholds out of order",
            );
        }
        let r = &cfg.review;
        for (name, v) in [("promoter_nps", r.promoter_nps), ("health_trend_points", r.health_trend_points)] {
            if !v.is_finite() || v < 0.0 {
                return bad(
                    K::InvalidValue,
                    format!("review.{name}"),
                    fmt_num(v),
                    "a number >= 0",
                    "bad review setting",
                );
            }
        }
        let m = &cfg.matching;
        for (name, v) in
            [("competitor", m.competitor), ("industry", m.industry), ("segment", m.segment), ("region", m.region)]
        {
            if !v.is_finite() || v < 0.0 {
                return bad(K::InvalidValue, format!("matching.{name}"), fmt_num(v), "a number >= 0", "bad weight");
            }
        }
        // Segments.
        let custom: HashSet<&str> = cfg.segments.custom_signals.iter().map(String::as_str).collect();
        let mut ids = HashSet::new();
        let mut segments = Vec::with_capacity(cfg.segments.rules.len());
        for (i, rule) in cfg.segments.rules.iter().enumerate() {
            let p = format!("segments.rules[{i}]");
            if !ids.insert(rule.id.as_str()) {
                return bad(
                    K::Duplicate,
                    format!("{p}.id"),
                    rule.id.clone(),
                    "an id not used by another rule",
                    "duplicate segment rule id",
                );
            }
            segments.push(compile_cond(&rule.when, &format!("{p}.when"), &custom)?);
        }
        let act_keys = cfg.activities.iter().map(|a| (a.id.len(), prefix8(a.id.as_bytes()))).collect();
        Ok(Prog { cfg, act_ids, tags, segments, order, act_keys })
    }

    /// The activity index of an id: a scan of `(length, prefix)` keys for small catalogues.
    #[inline]
    pub(crate) fn activity(&self, id: &str) -> Option<u16> {
        if self.act_keys.len() > 32 {
            return self.act_ids.get(id).copied();
        }
        let b = id.as_bytes();
        let key = (b.len(), prefix8(b));
        self.act_keys
            .iter()
            .position(|k| *k == key)
            .filter(|i| self.cfg.activities[*i].id.as_bytes() == b)
            .map(|i| i as u16)
            .or_else(|| if b.len() > 8 { self.act_ids.get(id).copied() } else { None })
    }
}

fn compile_cond<'c>(c: &'c Condition, path: &str, custom: &HashSet<&str>) -> Result<CCond<'c>, ProgramError> {
    let forms = c.signal.is_some() as u8 + c.all.is_some() as u8 + c.any.is_some() as u8 + c.not.is_some() as u8;
    if forms != 1 || c.signal.is_some() != c.rule.is_some() {
        return Err(ProgramError::new(
            K::InvalidRule,
            path,
            "",
            "exactly one of: `signal` with `rule`, `all`, `any`, `not`",
            "a condition must have one form",
        ));
    }
    if let Some(list) = c.all.as_ref().or(c.any.as_ref()) {
        let key = if c.all.is_some() { "all" } else { "any" };
        if list.is_empty() {
            return Err(ProgramError::new(
                K::InvalidRule,
                format!("{path}.{key}"),
                "[]",
                "at least one condition",
                "empty condition list",
            ));
        }
        let v = list
            .iter()
            .enumerate()
            .map(|(i, x)| compile_cond(x, &format!("{path}.{key}[{i}]"), custom))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(if c.all.is_some() { CCond::All(v) } else { CCond::Any(v) });
    }
    if let Some(n) = &c.not {
        return Ok(CCond::Not(Box::new(compile_cond(n, &format!("{path}.not"), custom)?)));
    }
    let (Some(signal), Some(rule)) = (&c.signal, &c.rule) else {
        return Err(ProgramError::new(K::InvalidRule, path, "", "`signal` with `rule`", "incomplete condition"));
    };
    if matches!(rule, Rule::Ramp { .. } | Rule::InTarget { .. }) {
        return Err(ProgramError::new(
            K::InvalidRule,
            format!("{path}.rule.op"),
            if matches!(rule, Rule::Ramp { .. }) { "ramp" } else { "in_target" },
            ">, >=, <, <=, ==, !=, between, is, in",
            "segment conditions hold or not",
        ));
    }
    match StandardSignal::from_name(signal) {
        Some(f) => {
            check_fits(rule, f, &format!("{path}.rule"))?;
            Ok(CCond::Std(f, rule))
        }
        None if custom.contains(signal.as_str()) => Ok(CCond::Custom(signal, rule)),
        None => Err(ProgramError::new(
            K::UnknownSignal,
            format!("{path}.signal"),
            signal.clone(),
            "a standard signal or one listed in segments.custom_signals",
            "unknown signal",
        )),
    }
}

fn check_fits(rule: &Rule, f: StandardSignal, path: &str) -> Result<(), ProgramError> {
    // The model's own check (ramp and in_target were refused before this point).
    rule.check(f.spec(), path).map_err(|e| {
        let kind = match e.kind {
            advocacy_core::ModelErrorKind::InvalidRule => K::InvalidRule,
            _ => K::InvalidValue,
        };
        let allowed = if e.path.ends_with(".op") {
            match f.spec().kind {
                SignalKind::Number | SignalKind::Integer => ">, >=, <, <=, ==, !=, between, in".to_string(),
                SignalKind::Bool => "is, ==, !=, in".to_string(),
                SignalKind::Category | SignalKind::Text => "==, !=, in".to_string(),
            }
        } else {
            e.allowed
        };
        ProgramError::new(kind, e.path, e.value, allowed, e.message)
    })
}
