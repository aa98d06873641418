//! Account records: name-keyed values, and a typed struct of the standard signals.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{RecordError, RecordErrorKind};
use crate::signal::Value;

/// One account's signals, keyed by signal name. Any signal may be missing.
///
/// ```
/// use advocacy_core::Record;
/// let r = Record::new().id("acme").with("nps", 9).with("industry", "software");
/// assert_eq!(r.get("nps").and_then(|v| v.as_f64()), Some(9.0));
/// assert!(r.get("health_score").is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    /// The account id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The values, by signal name. Names that are not signals of the model are ignored.
    #[serde(flatten)]
    pub values: BTreeMap<String, Value>,
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the id.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
    /// Sets a value.
    pub fn with(mut self, signal: &str, value: impl Into<Value>) -> Self {
        self.values.insert(signal.to_string(), value.into());
        self
    }
    /// Sets a value in place.
    pub fn set(&mut self, signal: &str, value: impl Into<Value>) {
        self.values.insert(signal.to_string(), value.into());
    }
    /// The value of a signal, if present.
    pub fn get(&self, signal: &str) -> Option<&Value> {
        self.values.get(signal)
    }

    /// Builds a record from a JSON object, taking the id from `id_field`.
    ///
    /// Nested arrays and objects are kept as text and fail validation if they sit under a
    /// known signal; under other names they are ignored like every unknown name.
    pub fn from_json(v: &serde_json::Value, id_field: &str) -> Result<Record, RecordError> {
        let obj = v.as_object().ok_or_else(|| RecordError {
            kind: RecordErrorKind::NotARecord,
            row: None,
            id: None,
            signal: String::new(),
            value: truncate(&v.to_string()),
            allowed: "a JSON object of signal names to values".into(),
        })?;
        let mut rec = Record::new();
        for (k, val) in obj {
            if k == id_field {
                rec.id = match val {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                };
                continue;
            }
            let value = match val {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(*b),
                serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                serde_json::Value::String(s) => Value::Text(s.clone()),
                nested => Value::Text(truncate(&nested.to_string())),
            };
            rec.values.insert(k.clone(), value);
        }
        Ok(rec)
    }
}

fn truncate(s: &str) -> String {
    if s.len() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

/// How the last renewal went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RenewalOutcome {
    /// Renewed early.
    Early,
    /// Renewed on time.
    OnTime,
    /// A hard negotiation: not a candidate now.
    Negotiated,
    /// Renewed late.
    Late,
}

/// Company size segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Small and medium businesses.
    Smb,
    /// Mid-market.
    MidMarket,
    /// Enterprise.
    Enterprise,
}

/// Company rules on public endorsement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Free to endorse.
    Open,
    /// Needs approval first.
    ApprovalRequired,
    /// May not endorse publicly.
    Prohibited,
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

macro_rules! signals_struct {
    ($( $(#[$m:meta])* $name:ident : $ty:ty => $conv:ident ),* $(,)?) => {
        /// The standard signals of one account, typed. Every field may be `None` (missing).
        ///
        /// Types do not enforce ranges: [`crate::Model::score`] checks them.
        ///
        /// ```
        /// use advocacy_core::{Model, Signals};
        /// let s = Signals { nps: Some(9), roi_achieved: Some(true), ..Default::default() };
        /// let score = Model::default().score(&s.to_record()).unwrap();
        /// assert_eq!(score.total, 20.0);
        /// ```
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(default)]
        pub struct Signals {
            /// The account id.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub id: Option<String>,
            $( $(#[$m])* #[serde(skip_serializing_if = "Option::is_none")] pub $name: Option<$ty>, )*
        }

        impl Signals {
            /// The same account as a name-keyed [`Record`].
            pub fn to_record(&self) -> Record {
                let mut r = Record { id: self.id.clone(), values: BTreeMap::new() };
                $( if let Some(v) = &self.$name { r.values.insert(stringify!($name).to_string(), signals_struct!(@conv $conv v)); } )*
                r
            }
        }
    };
    (@conv int $v:ident) => { Value::Number(*$v as f64) };
    (@conv num $v:ident) => { Value::Number(*$v) };
    (@conv bool $v:ident) => { Value::Bool(*$v) };
    (@conv text $v:ident) => { Value::Text($v.clone()) };
    (@conv enm $v:ident) => { Value::Text(enum_str($v)) };
}

signals_struct! {
    /// Latest NPS answer, 0..=10.
    nps: i64 => int,
    /// Health, 0..=100.
    health_score: f64 => num,
    /// Health at the previous review, 0..=100.
    health_score_prev: f64 => num,
    /// Days with logins in the last 30 days.
    active_days_30d: i64 => int,
    /// Distinct features in use.
    features_used: i64 => int,
    /// Integrations with other tools.
    integrations: i64 => int,
    /// Builds custom workflows.
    power_user: bool => bool,
    /// Months as a customer.
    tenure_months: f64 => num,
    /// Completed renewals.
    renewals: i64 => int,
    /// How the last renewal went.
    renewal_outcome: RenewalOutcome => enm,
    /// Expansions.
    expansions: i64 => int,
    /// Enthusiasm, 1..=5.
    enthusiasm: i64 => int,
    /// Sells the product internally.
    internal_champion: bool => bool,
    /// Values alignment, 1..=5.
    values_alignment: i64 => int,
    /// Unsolicited referrals, last 12 months.
    unsolicited_referrals: i64 => int,
    /// Public reviews, last 12 months.
    public_reviews: i64 => int,
    /// Community posts, last 12 months.
    community_posts: i64 => int,
    /// Feature requests, last 12 months.
    feature_requests: i64 => int,
    /// Survey responses, last 12 months.
    survey_responses: i64 => int,
    /// Proactive positive feedback, last 12 months.
    proactive_feedback: i64 => int,
    /// CSM rapport, 1..=5.
    csm_rapport: i64 => int,
    /// Engaged contacts.
    engaged_contacts: i64 => int,
    /// Executive sponsor engagement, 1..=5.
    exec_sponsor: i64 => int,
    /// Typical hours to answer.
    response_hours: f64 => num,
    /// Meeting engagement, 1..=5.
    meeting_engagement: i64 => int,
    /// Clear, quantified ROI.
    roi_achieved: bool => bool,
    /// May share attributable numbers.
    public_metrics_allowed: bool => bool,
    /// Uses the product in novel ways.
    innovative_usage: bool => bool,
    /// Has repeatable workflows others could copy.
    best_practices: bool => bool,
    /// Has a before/after story.
    transformation_story: bool => bool,
    /// Industry.
    industry: String => text,
    /// Segment.
    segment: Segment => enm,
    /// Region.
    region: String => text,
    /// Brand strength, 1..=5.
    brand_strength: i64 => int,
    /// Competitor they left.
    switched_from: String => text,
    /// Earlier advocacy activities.
    past_advocacy: i64 => int,
    /// Communication comfort, 1..=5.
    communication_comfort: i64 => int,
    /// Marketing savvy, 1..=5.
    marketing_savvy: i64 => int,
    /// Hours per month available for advocacy.
    available_hours_month: f64 => num,
    /// Endorsement policy.
    policy: Policy => enm,
    /// May accept gifts.
    gifts_allowed: bool => bool,
    /// Opted out of advocacy.
    opted_out: bool => bool,
}

/// Reads rows of text cells (a CSV file, a spreadsheet) into records for one model, the same way
/// everywhere: headers are trimmed, the id column's cell (trimmed, empty = none) is the id, each
/// known signal's cell is parsed by [`crate::SignalSpec::parse_text`], empty cells are left out
/// and other columns are ignored.
///
/// ```
/// use advocacy_core::{Model, Value};
/// let model = Model::default();
/// let reader = model.cell_reader(&["id", " nps ", "roi_achieved", "notes"], "id");
/// let r = reader.record(&["acme", "9", "yes", "anything"]);
/// assert_eq!(r.id.as_deref(), Some("acme"));
/// assert_eq!(r.get("nps"), Some(&Value::Number(9.0)));
/// assert_eq!(r.get("roi_achieved"), Some(&Value::Bool(true)));
/// assert!(r.get("notes").is_none());
/// ```
#[derive(Debug)]
pub struct CellReader<'m> {
    names: Vec<String>,
    specs: Vec<Option<&'m crate::SignalSpec>>,
    id_column: String,
}

impl crate::Model {
    /// A [`CellReader`] for rows with these headers.
    pub fn cell_reader<S: AsRef<str>>(&self, headers: &[S], id_column: &str) -> CellReader<'_> {
        let names: Vec<String> = headers.iter().map(|h| h.as_ref().trim().to_string()).collect();
        let specs = names.iter().map(|h| if h == id_column { None } else { self.signal(h) }).collect();
        CellReader { names, specs, id_column: id_column.to_string() }
    }
}

impl CellReader<'_> {
    /// The trimmed headers.
    pub fn headers(&self) -> &[String] {
        &self.names
    }
    /// Whether a header is a signal of the model.
    pub fn is_signal(&self, column: usize) -> bool {
        self.specs.get(column).is_some_and(Option::is_some)
    }
    /// One row of cells as a record (missing trailing cells are missing values).
    pub fn record<S: AsRef<str>>(&self, cells: &[S]) -> Record {
        let mut rec = Record::new();
        for ((h, cell), spec) in self.names.iter().zip(cells).zip(&self.specs) {
            let cell = cell.as_ref();
            if *h == self.id_column {
                let id = cell.trim();
                rec.id = (!id.is_empty()).then(|| id.to_string());
            } else if let Some(spec) = spec {
                let v = spec.parse_text(cell);
                if v != Value::Null {
                    rec.values.insert(h.clone(), v);
                }
            }
        }
        rec
    }
}
