//! Errors of the program functions: each names the config or input path, the record, the value
//! seen and what was allowed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{Error, ModelError, RecordError, RecordErrorKind};

/// What was wrong with a program input or configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum ProgramErrorKind {
    /// Not valid JSON, or not of the expected shape.
    Parse,
    /// A number, date or text outside what is allowed.
    InvalidValue,
    /// A rule names a signal that is neither standard nor a custom one of the account.
    UnknownSignal,
    /// A rule that does not fit its signal.
    InvalidRule,
    /// A ledger entry, request or override names an activity that is not in the catalogue.
    UnknownActivity,
    /// Two items share an id.
    Duplicate,
    /// A signal value outside its range.
    OutOfRange,
    /// A signal value of the wrong type.
    WrongType,
    /// A fractional number for an integer signal.
    NotInteger,
    /// A category value that is not allowed.
    UnknownCategory,
    /// The scoring model is invalid.
    Model,
    /// [`crate::json::call`] was given a function name it does not know.
    UnknownFunction,
}

impl ProgramErrorKind {
    /// The stable code bindings expose.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A bad program input or configuration.
///
/// `path` is where it happened, in the input's own terms: `config.fatigue.max_asks.count`,
/// `accounts[3].signals.nps`, `ledger[12].activity`. `row` is the index in the list concerned and
/// `id` the account id when known.
///
/// ```
/// use advocacy_program::ProgramConfig;
/// let err = ProgramConfig::from_json(r#"{"fatigue": {"max_asks": {"count": 0, "window_days": 90}}}"#).unwrap_err();
/// assert_eq!(err.path, "fatigue.max_asks.count");
/// assert_eq!(err.value, "0");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("{}{}: {message}{}", location(.row, .id), if path.is_empty() { "(root)" } else { path }, value_and_allowed(.value, .allowed))]
pub struct ProgramError {
    /// What was wrong.
    #[serde(rename = "code")]
    pub kind: ProgramErrorKind,
    /// The path in the input or configuration.
    pub path: String,
    /// The row (index in the list concerned), when there is one.
    pub row: Option<usize>,
    /// The account id, when known.
    pub id: Option<String>,
    /// The value seen, as text (empty when not applicable).
    pub value: String,
    /// What is allowed there.
    pub allowed: String,
    /// A readable description.
    pub message: String,
}

/// `account "a", ` or `row 3, ` before the path, when known.
fn location(row: &Option<usize>, id: &Option<String>) -> String {
    match (row, id) {
        (_, Some(id)) => format!("account {id:?}, "),
        (Some(r), None) => format!("row {r}, "),
        (None, None) => String::new(),
    }
}

/// ` (value 11); allowed: ...` after the message, for what is known.
fn value_and_allowed(value: &str, allowed: &str) -> String {
    let mut s = String::new();
    if !value.is_empty() {
        s.push_str(&format!(" (value {value})"));
    }
    if !allowed.is_empty() {
        s.push_str(&format!("; allowed: {allowed}"));
    }
    s
}

impl ProgramError {
    /// A program error with its path, the value seen, what is allowed and a description.
    pub fn new(
        kind: ProgramErrorKind,
        path: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ProgramError {
            kind,
            path: path.into(),
            row: None,
            id: None,
            value: value.into(),
            allowed: allowed.into(),
            message: message.into(),
        }
    }
    /// Names the row (index in the list concerned) and the account id, when known.
    pub(crate) fn at_row(mut self, row: usize, id: Option<&str>) -> Self {
        self.row = Some(row);
        self.id = id.map(str::to_string);
        self
    }
    /// Prefixes the path (`config` + `.fatigue...`).
    pub(crate) fn under(mut self, prefix: &str) -> Self {
        self.path = join(prefix, &self.path);
        self
    }
}

/// `prefix.path`, or `prefix[0]` for an index path, or either alone when the other is empty.
pub(crate) fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        _ => format!("{prefix}.{path}"),
    }
}

impl From<ModelError> for ProgramError {
    fn from(e: ModelError) -> Self {
        ProgramError {
            kind: ProgramErrorKind::Model,
            path: join("model", &e.path),
            row: None,
            id: None,
            value: e.value.clone(),
            allowed: e.allowed.clone(),
            message: e.message.clone(),
        }
    }
}

/// The program error kind of a core record error kind.
pub(crate) fn record_kind(k: RecordErrorKind) -> ProgramErrorKind {
    match k {
        RecordErrorKind::OutOfRange => ProgramErrorKind::OutOfRange,
        RecordErrorKind::NotInteger => ProgramErrorKind::NotInteger,
        RecordErrorKind::UnknownCategory => ProgramErrorKind::UnknownCategory,
        RecordErrorKind::WrongType | RecordErrorKind::NotARecord => ProgramErrorKind::WrongType,
        #[allow(unreachable_patterns)]
        _ => ProgramErrorKind::WrongType,
    }
}

impl From<RecordError> for ProgramError {
    fn from(e: RecordError) -> Self {
        ProgramError {
            kind: record_kind(e.kind),
            path: match e.row {
                Some(r) => format!("records[{r}].{}", e.signal),
                None => e.signal.clone(),
            },
            row: e.row,
            id: e.id.clone(),
            value: e.value.clone(),
            allowed: e.allowed.clone(),
            message: format!("signal `{}` has a bad value", e.signal),
        }
    }
}

impl From<Error> for ProgramError {
    fn from(e: Error) -> Self {
        match e {
            Error::Record(r) => r.into(),
            Error::Model(m) => m.into(),
            other => ProgramError::new(ProgramErrorKind::InvalidValue, "", "", "", other.to_string()),
        }
    }
}

/// Reads JSON into `T`, naming the path of the first problem (prefixed with `prefix`).
pub(crate) fn from_json_value<T: serde::de::DeserializeOwned>(
    v: serde_json::Value,
    prefix: &str,
) -> Result<T, ProgramError> {
    serde_path_to_error::deserialize(v).map_err(|e| parse_error(e, prefix))
}

/// Reads JSON text into `T`, naming the path of the first problem.
pub(crate) fn from_json_str<T: serde::de::DeserializeOwned>(text: &str, prefix: &str) -> Result<T, ProgramError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| parse_error(e, prefix))
}

/// A `parse` error at the path serde stopped at (prefixed with `prefix`).
fn parse_error(e: serde_path_to_error::Error<serde_json::Error>, prefix: &str) -> ProgramError {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    ProgramError::new(ProgramErrorKind::Parse, join(prefix, &path), "", "", e.into_inner().to_string())
}

impl From<&ProgramError> for advocacy_core::ErrorEnvelope {
    fn from(e: &ProgramError) -> Self {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        advocacy_core::ErrorEnvelope {
            path: Some(e.path.clone()),
            row: e.row,
            id: e.id.clone(),
            value: some(&e.value),
            allowed: some(&e.allowed),
            ..advocacy_core::ErrorEnvelope::new(advocacy_core::ErrorKind::Program, e.kind.code(), e.to_string())
        }
    }
}

impl From<ProgramError> for advocacy_core::ErrorEnvelope {
    fn from(e: ProgramError) -> Self {
        (&e).into()
    }
}
