//! Signals: what is known about an account, their kinds, ranges and validation.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{RecordError, RecordErrorKind};
use crate::num::fmt_num;
use crate::text::same_category;

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
    /// Other names a column holding it may have (`"Seats purchased"`), matched like headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

impl SignalSpec {
    fn new(name: &str, kind: SignalKind, min: Option<f64>, max: Option<f64>) -> Self {
        SignalSpec {
            name: name.to_string(),
            kind,
            values: Vec::new(),
            min,
            max,
            description: String::new(),
            aliases: Vec::new(),
        }
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
                if matches!(self.kind, SignalKind::Integer) && !crate::num::is_whole(v) {
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
            // NaN is missing for every kind (data frames write missing numbers as NaN).
            (_, Value::Number(v)) if v.is_nan() => Ok(None),
            // `NA`, `N/A`, `null`, ... are missing for every kind, as in a cell.
            (_, Value::Text(s)) if is_missing_text(s) => Ok(None),
            (SignalKind::Number | SignalKind::Integer, Value::Number(v)) => {
                Ok(self.check_number(*v)?.map(Value::Number))
            }
            (SignalKind::Bool, Value::Bool(b)) => Ok(Some(Value::Bool(*b))),
            (SignalKind::Bool, Value::Number(v)) if v.is_nan() => Ok(None),
            (SignalKind::Bool, Value::Number(v)) if *v == 0.0 || *v == 1.0 => Ok(Some(Value::Bool(*v == 1.0))),
            (SignalKind::Bool, Value::Number(_)) => Err(RecordErrorKind::WrongType),
            // Loosely typed text (`"9"`, `"85%"`, `"yes"`, `"True"`), read as a cell would be.
            (SignalKind::Number | SignalKind::Integer | SignalKind::Bool, Value::Text(s)) => {
                match self.parse_cell(s, &ReadOptions::default()) {
                    Value::Text(_) => Err(RecordErrorKind::WrongType),
                    parsed => self.check(&parsed),
                }
            }
            (SignalKind::Category, Value::Text(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                match self.values.iter().find(|v| same_category(v, t)) {
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

    /// Parses a text cell (CSV and similar) into a raw value for this signal, with the default
    /// [`ReadOptions`]. See [`SignalSpec::parse_cell`].
    pub fn parse_text(&self, cell: &str) -> Value {
        self.parse_cell(cell, &ReadOptions::default())
    }

    /// Parses a text cell into a raw value for this signal: the one reading of loosely typed
    /// text that every surface uses.
    ///
    /// - Empty cells, `NA`, `N/A`, `NaN`, `null` and `None` (any case) are missing.
    /// - Numbers: as written (`9`, `9.0`, `1e3`); a trailing `%` where the signal's range is
    ///   0 to 100 (`85%`); a decimal comma (`85,5`) only when `options.decimal_comma` is set.
    /// - Booleans: `true/false`, `yes/no`, `y/n`, `1/0` in any case.
    /// - Anything else stays text, and fails [`SignalSpec::check`] with what was allowed.
    ///
    /// ```
    /// use advocacy_core::{standard_signal, ReadOptions, Value};
    /// let health = standard_signal("health_score").unwrap();
    /// assert_eq!(health.parse_text("85%"), Value::Number(85.0));
    /// assert_eq!(health.parse_text("85,5"), Value::Text("85,5".into()));
    /// let comma = ReadOptions { decimal_comma: true };
    /// assert_eq!(health.parse_cell("85,5", &comma), Value::Number(85.5));
    /// let roi = standard_signal("roi_achieved").unwrap();
    /// assert_eq!(roi.parse_text("Yes"), Value::Bool(true));
    /// assert_eq!(roi.parse_text("N"), Value::Bool(false));
    /// ```
    pub fn parse_cell(&self, cell: &str, options: &ReadOptions) -> Value {
        let t = trim(cell);
        if is_missing_text(t) {
            return Value::Null;
        }
        match self.kind {
            SignalKind::Number | SignalKind::Integer => match self.parse_number(t, options) {
                Some(v) => Value::Number(v),
                None => Value::Text(t.to_string()),
            },
            SignalKind::Bool => {
                const TRUE: [&str; 4] = ["true", "yes", "y", "1"];
                const FALSE: [&str; 4] = ["false", "no", "n", "0"];
                if TRUE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                    Value::Bool(true)
                } else if FALSE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                    Value::Bool(false)
                } else {
                    Value::Text(t.to_string())
                }
            }
            _ => Value::Text(t.to_string()),
        }
    }

    fn parse_number(&self, t: &str, options: &ReadOptions) -> Option<f64> {
        let percent = self.min == Some(0.0) && self.max == Some(100.0);
        let t = match t.strip_suffix('%') {
            Some(rest) if percent => rest.trim_end(),
            _ => t,
        };
        let parsed = if options.decimal_comma && t.matches(',').count() == 1 && !t.contains('.') {
            t.replacen(',', ".", 1).parse::<f64>()
        } else {
            t.parse::<f64>()
        };
        parsed.ok().filter(|v| !v.is_nan())
    }
}

/// Whether a text means "no value": empty, or `NA`, `N/A`, `NaN`, `null`, `None` in any case.
#[inline]
pub(crate) fn is_missing_text(t: &str) -> bool {
    let t = trim(t);
    let b = t.as_bytes();
    // Every token starts with an `n` and has 2 to 4 letters: most texts are ruled out at once.
    if b.is_empty() {
        return true;
    }
    if b.len() > 4 || (b[0] | 0x20) != b'n' {
        return false;
    }
    ["na", "nan", "null", "none", "n/a"].iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// How text cells are read, where files differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReadOptions {
    /// Numbers are written with a decimal comma (`85,5`), as in Indonesia, Malaysia, Germany
    /// and Spain.
    #[serde(default)]
    pub decimal_comma: bool,
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
    /// A JSON value as a loose value: `null`, booleans, numbers and strings as they are; nested
    /// arrays and objects as their JSON text (at most 200 characters), which no signal accepts.
    ///
    /// ```
    /// use advocacy_core::Value;
    /// assert_eq!(Value::from_json(&serde_json::json!(9)), Value::Number(9.0));
    /// assert_eq!(Value::from_json(&serde_json::json!([1])), Value::Text("[1]".into()));
    /// ```
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::Text(s.clone()),
            nested => {
                let text = nested.to_string();
                if text.len() > 200 {
                    Value::Text(format!("{}...", text.chars().take(200).collect::<String>()))
                } else {
                    Value::Text(text)
                }
            }
        }
    }

    /// The one text of an account id given as a value: text as it is (trimmed; empty = none),
    /// numbers as [`fmt_num`] prints them (`7`, whether it came as `7` or `7.0`), booleans as
    /// `true`/`false`.
    ///
    /// ```
    /// use advocacy_core::Value;
    /// assert_eq!(Value::Number(7.0).to_id().as_deref(), Some("7"));
    /// assert_eq!(Value::Text(" ACC-1 ".into()).to_id().as_deref(), Some("ACC-1"));
    /// assert_eq!(Value::Text("".into()).to_id(), None);
    /// assert_eq!(Value::Number(f64::NAN).to_id(), None);
    /// assert_eq!(Value::Number(1234567890123456.0).to_id().as_deref(), Some("1234567890123456"));
    /// ```
    pub fn to_id(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Number(x) if x.is_nan() => None,
            // Whole numbers as integers up to 2^53, where every one is exact.
            Value::Number(x) if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 => {
                Some(format!("{}", *x as i64))
            }
            Value::Number(x) => Some(fmt_num(*x)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Text(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string),
        }
    }

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

/// `str::trim`, without its Unicode look-ups when the text starts and ends with an ASCII
/// character that is not white space (most cells).
#[inline]
pub(crate) fn trim(t: &str) -> &str {
    let plain = |c: &u8| *c < 0x80 && !matches!(c, b'\t'..=b'\r' | b' ');
    let b = t.as_bytes();
    if b.first().is_some_and(plain) && b.last().is_some_and(plain) {
        t
    } else {
        t.trim()
    }
}

#[cfg(test)]
mod trim_tests {
    /// The quick trim is `str::trim` for every character at either end.
    #[test]
    fn trim_is_str_trim() {
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            for s in [format!("{c}x"), format!("x{c}"), format!("{c}"), format!("{c}x{c}"), format!("{c}{c}")] {
                assert_eq!(super::trim(&s), s.trim(), "{:?}", s);
            }
        }
        assert_eq!(super::trim(""), "");
    }
}
