//! Account records: name-keyed signal values.

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
