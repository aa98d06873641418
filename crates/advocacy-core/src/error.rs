//! Errors: every one names where it happened, the value seen and what was allowed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::DateError;

/// What was wrong with a signal value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// The value is not of the signal's kind (text for a number, a number for a category, ...).
    WrongType,
    /// A number outside the signal's range, or infinite.
    OutOfRange,
    /// A fractional number for an integer signal.
    NotInteger,
    /// Text that is not one of a category's values.
    UnknownCategory,
    /// The record itself is not a mapping of signal names to values.
    NotARecord,
    /// The account id is empty where every row needs one.
    MissingId,
    /// Another row has the same account id.
    DuplicateId,
}

impl RecordErrorKind {
    /// The stable code bindings expose (`"out_of_range"`, ...).
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A bad value in an account record.
///
/// ```
/// use advocacy_core::{Model, Record};
/// let model = Model::default();
/// let err = model.score(&Record::new().with("nps", 11)).unwrap_err();
/// assert_eq!(err.signal, "nps");
/// assert_eq!(err.value, "11");
/// assert_eq!(err.allowed, "an integer from 0 to 10");
/// assert_eq!(err.to_string(), "signal `nps`: value 11 is out of range; allowed: an integer from 0 to 10");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("{}signal `{signal}`: value {value} {}; allowed: {allowed}", where_(.row, .id), describe(.kind))]
pub struct RecordError {
    /// What was wrong.
    #[serde(rename = "code")]
    pub kind: RecordErrorKind,
    /// The row index in a batch, when scored in one.
    pub row: Option<usize>,
    /// The account id, when known.
    pub id: Option<String>,
    /// The signal's name.
    pub signal: String,
    /// The value seen, as text.
    pub value: String,
    /// What the signal allows.
    pub allowed: String,
}

impl RecordError {
    /// A record error: what was wrong, where (row, account id), the signal, the value seen and
    /// what the signal allows.
    pub fn new(
        kind: RecordErrorKind,
        row: Option<usize>,
        id: Option<&str>,
        signal: &str,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        RecordError {
            kind,
            row,
            id: id.map(str::to_string),
            signal: signal.to_string(),
            value: value.into(),
            allowed: allowed.into(),
        }
    }
}

fn where_(row: &Option<usize>, id: &Option<String>) -> String {
    // Ids come from the caller's data: at most 80 characters, control characters escaped.
    let id = id.as_deref().map(|id| crate::text::printable(id, 80));
    match (row, id) {
        (Some(r), Some(id)) => format!("row {r} (id {id:?}): "),
        (Some(r), None) => format!("row {r}: "),
        (None, Some(id)) => format!("account {id:?}: "),
        (None, None) => String::new(),
    }
}

fn describe(kind: &RecordErrorKind) -> &'static str {
    match kind {
        RecordErrorKind::WrongType => "has the wrong type",
        RecordErrorKind::OutOfRange => "is out of range",
        RecordErrorKind::NotInteger => "is not a whole number",
        RecordErrorKind::UnknownCategory => "is not an allowed value",
        RecordErrorKind::NotARecord => "is not a record",
        RecordErrorKind::MissingId => "is empty",
        RecordErrorKind::DuplicateId => "is the id of another row too",
    }
}

/// What was wrong with a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum ModelErrorKind {
    /// The file is not valid JSON or TOML, or does not have the model's shape.
    Parse,
    /// A criterion or gate names a signal that is neither standard nor declared.
    UnknownSignal,
    /// A rule does not fit its signal's kind, or its values are invalid.
    InvalidRule,
    /// Points, thresholds or other numbers out of their allowed range.
    InvalidValue,
    /// Two categories, criteria or signals share an id.
    Duplicate,
    /// An edit names a criterion the model does not have.
    UnknownCriterion,
}

impl ModelErrorKind {
    /// The stable code bindings expose (`"unknown_signal"`, ...).
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A bad model: names the config path, the value seen and what was allowed.
///
/// ```
/// use advocacy_core::Model;
/// let err = Model::from_json(r#"{"categories":[{"id":"a","criteria":[
///     {"id":"x","signal":"nps","rule":{"op":">=","value":9},"points":-1}]}]}"#).unwrap_err();
/// assert_eq!(err.path, "categories[0].criteria[0].points");
/// assert_eq!(err.value, "-1");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("model {}: {message}{}", if path.is_empty() { "(root)" } else { path }, value_and_allowed(.value, .allowed))]
pub struct ModelError {
    /// What was wrong.
    #[serde(rename = "code")]
    pub kind: ModelErrorKind,
    /// The config path, e.g. `categories[0].criteria[2].rule.value`.
    pub path: String,
    /// The value seen, as text (empty when not applicable).
    pub value: String,
    /// What is allowed there.
    pub allowed: String,
    /// A readable description.
    pub message: String,
}

fn value_and_allowed(value: &str, allowed: &str) -> String {
    let mut s = String::new();
    if !value.is_empty() {
        s.push_str(&format!(" (value {})", crate::text::printable(value, 80)));
    }
    if !allowed.is_empty() {
        s.push_str(&format!("; allowed: {allowed}"));
    }
    s
}

impl ModelError {
    /// A model error with its path, the value seen, what is allowed there and a description.
    pub fn new(
        kind: ModelErrorKind,
        path: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ModelError { kind, path: path.into(), value: value.into(), allowed: allowed.into(), message: message.into() }
    }
}

/// A batch column whose length does not match the batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("column `{column}` has {len} rows; allowed: exactly {expected} rows, like the batch")]
pub struct ColumnError {
    /// The column's name.
    pub column: String,
    /// Its length.
    pub len: usize,
    /// The batch's length.
    pub expected: usize,
}

/// Any error of the library, for callers that handle them together.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Error {
    /// A bad value in a record.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A bad model.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A batch column of the wrong length.
    #[error(transparent)]
    Column(#[from] ColumnError),
    /// A date that could not be read.
    #[error(transparent)]
    Date(#[from] DateError),
}
