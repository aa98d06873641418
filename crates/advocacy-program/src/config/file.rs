//! The configuration file: every section a program file can hold, what each defaults to, and
//! reading and writing it as JSON. Checking and compiling it for a run is [`super::compiled`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{Effort, Outreach, RenewalOutcome, Rule, Thresholds};

use crate::error::{from_json_str, ProgramError};

/// The default program configuration, as shipped in `models/program.json`.
pub const DEFAULT_PROGRAM_JSON: &str = include_str!("../../models/program.json");

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
    #[serde(default = "default_segments")]
    pub segments: SegmentRules,
    /// The activity catalogue.
    #[serde(default = "default_activities")]
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
    #[serde(default = "default_max_total")]
    pub max_total: f64,
    /// Monthly review settings.
    #[serde(default)]
    pub review: ReviewSettings,
    /// Weights for matching a reference request.
    #[serde(default)]
    pub matching: MatchWeights,
    /// Who to ask: rules every ask follows, in eligibility, matches and review suggestions.
    #[serde(default)]
    pub asks: AskRules,
    /// Quarterly goals the metrics report against.
    #[serde(default)]
    pub goals: Goals,
    /// Message templates of your own, by message (`recruitment`, `thank_you`) and language code
    /// (`en`, `de`, ..., or `*` for any): they replace the shipped templates of the program guide.
    /// Placeholders: `{name}`, `{company}`, `{timeframe}`, `{outcome}`, `{project}`,
    /// `{commitment}`, `{incentive}`, `{sender}`, `{activity}`, `{result}`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub templates: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// How the request log limits who is offered for a request.
    #[serde(default)]
    pub requests: RequestRules,
}

fn default_section<T: serde::de::DeserializeOwned>(key: &str) -> T {
    // The embedded file is checked by the test suite; a failure here is a build defect.
    let v: serde_json::Value = serde_json::from_str(DEFAULT_PROGRAM_JSON).unwrap_or(serde_json::Value::Null);
    serde_json::from_value(v.get(key).cloned().unwrap_or(serde_json::Value::Null))
        .unwrap_or_else(|e| panic!("models/program.json `{key}` is invalid: {e}"))
}

fn default_segments() -> SegmentRules {
    default_section("segments")
}
fn default_activities() -> Vec<Activity> {
    default_section("activities")
}
fn default_max_total() -> f64 {
    100.0
}

impl Default for ProgramConfig {
    fn default() -> Self {
        ProgramConfig {
            segments: default_segments(),
            activities: default_activities(),
            fatigue: FatigueRules::default(),
            incentives: Incentives::default(),
            outreach: Outreach::default(),
            tiers: Thresholds::default(),
            max_total: default_max_total(),
            review: ReviewSettings::default(),
            matching: MatchWeights::default(),
            asks: AskRules::default(),
            goals: Goals::default(),
            templates: Default::default(),
            requests: RequestRules::default(),
        }
    }
}

impl Default for AskRules {
    fn default() -> Self {
        AskRules {
            approval_first_every_ask: true,
            within_available_hours: true,
            not_now_after_renewal: vec![RenewalOutcome::Negotiated, RenewalOutcome::Late],
            prefer: vec![Condition {
                signal: Some("tenure_months".into()),
                rule: Some(Rule::Ge { value: 12.0 }),
                ..Condition::default()
            }],
        }
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

/// Advocate segments of the program-design guide.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
        self.into()
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
    /// Conditions the account must meet for this activity (an executive reference needs an
    /// engaged executive sponsor). A condition that is false on the account's values excludes
    /// the activity and names the condition; one that cannot be judged because a signal is
    /// missing leaves it eligible with a note to check first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Condition>,
    /// Signals that make this activity the right one to ask for (a transformation story for a
    /// case study). Among the eligible activities of the same effort, the one whose `suits`
    /// hold most often is asked for first; the ask lists the ones that hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suits: Vec<Condition>,
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

/// The guides' rules for who to ask, on every ask: eligible activities, match candidates and
/// review suggestions. Both are on by default.
///
/// ```
/// use advocacy_program::ProgramConfig;
/// let cfg = ProgramConfig::from_json(r#"{"asks": {"within_available_hours": false}}"#).unwrap();
/// assert!(!cfg.asks.within_available_hours);
/// assert!(cfg.asks.approval_first_every_ask);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AskRules {
    /// `policy = approval_required` puts "approval first" on every ask of the account; `false`:
    /// only on the catalogue's `public` activities.
    pub approval_first_every_ask: bool,
    /// No activity whose `typical_hours` exceed the account's `available_hours_month` is asked
    /// for (an unknown `available_hours_month` restricts nothing).
    pub within_available_hours: bool,
    /// Last renewal outcomes after which the account is "not now": no ask until its next
    /// renewal (`next_renewal`, when the accounts carry it; otherwise until the outcome changes).
    /// The identification guide: a hard negotiation or a barely-made renewal means "not your
    /// candidate right now".
    pub not_now_after_renewal: Vec<RenewalOutcome>,
    /// Conditions that make an account the better one to ask, other things equal (the guides
    /// prefer customers of 12 months or more). They order review suggestions and match
    /// candidates after tier; an ask of an account that does not meet one says so.
    pub prefer: Vec<Condition>,
}

/// The program's goals, checked by the metrics.
///
/// ```
/// use advocacy_program::ProgramConfig;
/// let cfg = ProgramConfig::from_json(r#"{"goals": {"assets_per_quarter": {"case_study": 2, "review": 10}}}"#).unwrap();
/// assert_eq!(cfg.goals.assets_per_quarter["case_study"], 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Goals {
    /// Assets to produce each quarter, by asset kind (the catalogue's `asset` values): the
    /// program guide's "set quarterly goals and track".
    pub assets_per_quarter: std::collections::BTreeMap<String, u32>,
}

/// How the request log limits who is offered for a request (`match` and `requests`).
///
/// ```
/// use advocacy_program::ProgramConfig;
/// let cfg = ProgramConfig::from_json(r#"{"requests": {"caps_per_quarter": {"reference_call": 3, "*": 4}}}"#).unwrap();
/// assert_eq!(cfg.requests.caps_per_quarter["reference_call"], 3);
/// assert!(cfg.requests.one_open_request_per_advocate);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RequestRules {
    /// How many requests of one kind (an activity id; `"*"`: any kind without its own cap) an
    /// advocate is given per calendar quarter. A request counts in the quarter it was created,
    /// once it names the advocate and is not cancelled. An advocate at the cap is not offered
    /// for another request of that kind until the next quarter. Default: 2 reference calls, 1
    /// executive reference call and 1 case study a quarter (the guides' "do not over-use your
    /// best references"; a case study takes 4-8 hours).
    pub caps_per_quarter: std::collections::BTreeMap<String, u32>,
    /// An advocate named on an open request (matched, asked or accepted) is not offered for
    /// another one until that one is closed.
    pub one_open_request_per_advocate: bool,
}

impl Default for RequestRules {
    fn default() -> Self {
        RequestRules {
            caps_per_quarter: [("case_study", 1), ("executive_reference_call", 1), ("reference_call", 2)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            one_open_request_per_advocate: true,
        }
    }
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
}

/// The placeholders a message template may use (`templates`).
pub const TEMPLATE_PLACEHOLDERS: &[&str] =
    &["name", "company", "timeframe", "outcome", "project", "commitment", "incentive", "sender", "activity", "result"];

/// The language codes a template may be given for (`*`: any); the languages the texts ship in.
pub const TEMPLATE_LANGS: &[&str] = &["en", "id", "ms", "de", "es", "*"];

/// The placeholder names of a text (`{name}` gives `name`).
pub(crate) fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}
