//! Signals: what is known about an account, their kinds, ranges and validation.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{RecordError, RecordErrorKind};

/// The kind of value a signal holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Any finite number.
    Number,
    /// A whole number; `9.0` is accepted as `9`.
    Integer,
    /// `true` or `false`; `1`/`0` (as numbers) are accepted as data frames produce them.
    Bool,
    /// One of a fixed set of values (`values`), compared case-insensitively.
    Category,
    /// Free text (compared case-insensitively with target lists and sets).
    Text,
}

impl SignalKind {
    /// Whether values of this kind are numbers (`Number` or `Integer`).
    pub fn is_numeric(&self) -> bool {
        matches!(self, SignalKind::Number | SignalKind::Integer)
    }
}

/// The declaration of a signal: its name, kind and optional range.
///
/// ```
/// use advocacy_core::{SignalSpec, SignalKind};
/// let spec = SignalSpec::integer("seats", Some(0.0), None);
/// assert_eq!(spec.name, "seats");
/// assert!(matches!(spec.kind, SignalKind::Integer));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalSpec {
    /// The signal's name, as it appears in records and columns.
    pub name: String,
    /// The kind of value.
    pub kind: SignalKind,
    /// The allowed values of a category signal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The smallest allowed value (numbers only, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The largest allowed value (numbers only, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// What the signal means.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl SignalSpec {
    fn new(name: &str, kind: SignalKind, min: Option<f64>, max: Option<f64>) -> Self {
        SignalSpec { name: name.to_string(), kind, values: Vec::new(), min, max, description: String::new() }
    }
    /// A number signal with an optional range.
    pub fn number(name: &str, min: Option<f64>, max: Option<f64>) -> Self {
        Self::new(name, SignalKind::Number, min, max)
    }
    /// An integer signal with an optional range.
    pub fn integer(name: &str, min: Option<f64>, max: Option<f64>) -> Self {
        Self::new(name, SignalKind::Integer, min, max)
    }
    /// A boolean signal.
    pub fn bool(name: &str) -> Self {
        Self::new(name, SignalKind::Bool, None, None)
    }
    /// A category signal with its allowed values.
    pub fn category(name: &str, values: &[&str]) -> Self {
        let mut spec = Self::new(name, SignalKind::Category, None, None);
        spec.values = values.iter().map(|v| v.to_string()).collect();
        spec
    }
    /// A free-text signal.
    pub fn text(name: &str) -> Self {
        Self::new(name, SignalKind::Text, None, None)
    }

    /// A human-readable statement of what this signal allows, used in error messages.
    pub fn allowed(&self) -> String {
        let range = |what: &str| match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{what} from {} to {}", fmt_num(a), fmt_num(b)),
            (Some(a), None) => format!("{what} >= {}", fmt_num(a)),
            (None, Some(b)) => format!("{what} <= {}", fmt_num(b)),
            (None, None) => what.to_string(),
        };
        match &self.kind {
            SignalKind::Number => range("a number"),
            SignalKind::Integer => range("an integer"),
            SignalKind::Bool => "true or false".to_string(),
            SignalKind::Category => format!("one of {}", self.values.join(", ")),
            SignalKind::Text => "text".to_string(),
        }
    }

    /// Checks a number against this signal's kind and range.
    ///
    /// NaN is "missing" and returns `Ok(None)`.
    #[inline]
    pub fn check_number(&self, v: f64) -> Result<Option<f64>, RecordErrorKind> {
        if v.is_nan() {
            return Ok(None);
        }
        match self.kind {
            SignalKind::Number | SignalKind::Integer => {
                if !v.is_finite() {
                    return Err(RecordErrorKind::OutOfRange);
                }
                if matches!(self.kind, SignalKind::Integer) && !crate::score::is_whole(v) {
                    return Err(RecordErrorKind::NotInteger);
                }
                if self.min.is_some_and(|m| v < m) || self.max.is_some_and(|m| v > m) {
                    return Err(RecordErrorKind::OutOfRange);
                }
                // Normalise -0.0 so that outputs are identical everywhere.
                Ok(Some(v + 0.0))
            }
            _ => Err(RecordErrorKind::WrongType),
        }
    }

    /// Checks a raw value against this signal and returns its clean form (`None` = missing).
    pub fn check(&self, raw: &Value) -> Result<Option<Value>, RecordErrorKind> {
        match (self.kind, raw) {
            (_, Value::Null) => Ok(None),
            (SignalKind::Number | SignalKind::Integer, Value::Number(v)) => {
                Ok(self.check_number(*v)?.map(Value::Number))
            }
            (SignalKind::Bool, Value::Bool(b)) => Ok(Some(Value::Bool(*b))),
            (SignalKind::Bool, Value::Number(v)) if v.is_nan() => Ok(None),
            (SignalKind::Bool, Value::Number(v)) if *v == 0.0 || *v == 1.0 => Ok(Some(Value::Bool(*v == 1.0))),
            (SignalKind::Bool, Value::Number(_)) => Err(RecordErrorKind::WrongType),
            (SignalKind::Category, Value::Text(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                match self.values.iter().find(|v| v.eq_ignore_ascii_case(t)) {
                    Some(v) => Ok(Some(Value::Text(v.clone()))),
                    None => Err(RecordErrorKind::UnknownCategory),
                }
            }
            (SignalKind::Text, Value::Text(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    Ok(None)
                } else {
                    Ok(Some(Value::Text(t.to_string())))
                }
            }
            _ => Err(RecordErrorKind::WrongType),
        }
    }

    /// Parses a text cell (CSV and similar) into a raw value for this signal.
    ///
    /// Empty cells, `NA`, `NaN`, `null` and `None` are missing. Numbers and booleans are parsed
    /// according to the kind; anything unparseable stays text and fails [`SignalSpec::check`].
    pub fn parse_text(&self, cell: &str) -> Value {
        let t = cell.trim();
        if t.is_empty() || ["na", "nan", "null", "none", "n/a"].iter().any(|m| t.eq_ignore_ascii_case(m)) {
            return Value::Null;
        }
        match self.kind {
            SignalKind::Number | SignalKind::Integer => match t.parse::<f64>() {
                Ok(v) if !v.is_nan() => Value::Number(v),
                _ => Value::Text(t.to_string()),
            },
            SignalKind::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => Value::Bool(true),
                "false" | "no" | "n" | "0" => Value::Bool(false),
                _ => Value::Text(t.to_string()),
            },
            _ => Value::Text(t.to_string()),
        }
    }
}

/// A signal value as it arrives: null, a boolean, a number or text.
///
/// Missing values are `Null`; a `NaN` number is missing as well.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Value {
    /// Missing.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (integers are carried as exact `f64`).
    Number(f64),
    /// Text, for category and text signals.
    Text(String),
}

impl Value {
    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(v) => Some(*v),
            _ => None,
        }
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The text, if this is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }
    /// True when the value is missing (`Null` or a NaN number).
    pub fn is_missing(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Number(v) => v.is_nan(),
            _ => false,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(v) => f.write_str(&fmt_num(*v)),
            Value::Text(s) => {
                // Error messages must stay readable whatever was sent.
                if s.chars().count() > 80 {
                    let cut: String = s.chars().take(77).collect();
                    write!(f, "{cut:?}...")
                } else {
                    write!(f, "{s:?}")
                }
            }
        }
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Number(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Number(v as f64)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Number(v as f64)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Number(v as f64)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Formats a number the way every binding prints it: integers without a fraction.
pub fn fmt_num(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

pub(crate) fn record_error(
    row: Option<usize>,
    id: Option<&str>,
    spec: &SignalSpec,
    value: &Value,
    kind: RecordErrorKind,
) -> RecordError {
    RecordError {
        kind,
        row,
        id: id.map(str::to_string),
        signal: spec.name.clone(),
        value: value.to_string(),
        allowed: spec.allowed(),
    }
}

/// The standard signals of the domain, with their kinds and hard ranges.
///
/// ```
/// let nps = advocacy_core::standard_signals().iter().find(|s| s.name == "nps").unwrap();
/// assert_eq!(nps.allowed(), "an integer from 0 to 10");
/// ```
pub fn standard_signals() -> &'static [SignalSpec] {
    use std::sync::OnceLock;
    static SIGNALS: OnceLock<Vec<SignalSpec>> = OnceLock::new();
    SIGNALS.get_or_init(|| {
        let pct = (Some(0.0), Some(100.0));
        let rating = (Some(1.0), Some(5.0));
        let count = (Some(0.0), None);
        let i = |n: &str, (a, b): (Option<f64>, Option<f64>)| SignalSpec::integer(n, a, b);
        let f = |n: &str, (a, b): (Option<f64>, Option<f64>)| SignalSpec::number(n, a, b);
        let b = SignalSpec::bool;
        let t = SignalSpec::text;
        let c = SignalSpec::category;
        let mut v = vec![
            // quantitative
            i("nps", (Some(0.0), Some(10.0))),
            f("health_score", pct),
            f("health_score_prev", pct),
            i("active_days_30d", (Some(0.0), Some(30.0))),
            i("features_used", count),
            i("integrations", count),
            b("power_user"),
            f("tenure_months", count),
            i("renewals", count),
            c("renewal_outcome", &["early", "on_time", "negotiated", "late"]),
            i("expansions", count),
            // qualitative
            i("enthusiasm", rating),
            b("internal_champion"),
            i("values_alignment", rating),
            // behavioural
            i("unsolicited_referrals", count),
            i("public_reviews", count),
            i("community_posts", count),
            i("feature_requests", count),
            i("survey_responses", count),
            i("proactive_feedback", count),
            // relationship
            i("csm_rapport", rating),
            i("engaged_contacts", count),
            i("exec_sponsor", rating),
            f("response_hours", count),
            i("meeting_engagement", rating),
            // success and value
            b("roi_achieved"),
            b("public_metrics_allowed"),
            b("innovative_usage"),
            b("best_practices"),
            b("transformation_story"),
            // organisational fit
            t("industry"),
            c("segment", &["smb", "mid_market", "enterprise"]),
            t("region"),
            i("brand_strength", rating),
            t("switched_from"),
            // readiness
            i("past_advocacy", count),
            i("communication_comfort", rating),
            i("marketing_savvy", rating),
            f("available_hours_month", count),
            c("policy", &["open", "approval_required", "prohibited"]),
            b("gifts_allowed"),
            b("opted_out"),
        ];
        for s in &mut v {
            s.description = describe(&s.name).to_string();
        }
        v
    })
}

fn describe(name: &str) -> &'static str {
    match name {
        "nps" => "latest Net Promoter Score answer; 9-10 = promoter",
        "health_score" => "overall customer health",
        "health_score_prev" => "health at the previous review",
        "active_days_30d" => "days with logins in the last 30 days",
        "features_used" => "distinct features or modules in use",
        "integrations" => "integrations with other tools in their stack",
        "power_user" => "builds custom workflows, automations",
        "tenure_months" => "months as a customer",
        "renewals" => "completed renewals",
        "renewal_outcome" => "how the last renewal went",
        "expansions" => "expansions: seats, modules, products",
        "enthusiasm" => "genuinely excited communication (CSM rating)",
        "internal_champion" => "sells the product inside their own company",
        "values_alignment" => "shared mission, culture, communication style (CSM rating)",
        "unsolicited_referrals" => "introductions to peers nobody asked for, last 12 months",
        "public_reviews" => "public reviews posted, last 12 months",
        "community_posts" => "community answers, tips and events, last 12 months",
        "feature_requests" => "constructive product feedback, last 12 months",
        "survey_responses" => "surveys and research calls, last 12 months",
        "proactive_feedback" => "unprompted positive feedback and success stories, last 12 months",
        "csm_rapport" => "warmth, trust and collaboration with the CSM",
        "engaged_contacts" => "distinct engaged people in the account",
        "exec_sponsor" => "executive sponsor engagement",
        "response_hours" => "typical time to answer our emails",
        "meeting_engagement" => "comes prepared, brings strategic questions",
        "roi_achieved" => "clear, quantified ROI",
        "public_metrics_allowed" => "may share attributable numbers publicly",
        "innovative_usage" => "uses the product in novel ways",
        "best_practices" => "has built repeatable workflows others could copy",
        "transformation_story" => "a clear before/after story",
        "industry" => "the account's industry",
        "segment" => "company size segment",
        "region" => "the account's region",
        "brand_strength" => "name recognition in the target market",
        "switched_from" => "competitor they left",
        "past_advocacy" => "earlier references, case studies, events, betas",
        "communication_comfort" => "articulate, comfortable on camera, phone, stage",
        "marketing_savvy" => "values visibility and their own profile",
        "available_hours_month" => "realistic hours per month for advocacy",
        "policy" => "company rules on public endorsement",
        "gifts_allowed" => "may accept gifts or incentives",
        "opted_out" => "said no to advocacy",
        _ => "",
    }
}
