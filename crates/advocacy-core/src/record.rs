//! Account records: name-keyed signal values.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
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
    /// Where and when each value was seen, by signal (records joined from several sources; see
    /// [`crate::join_sources`]). Empty for a record read from one file.
    #[serde(skip)]
    pub provenance: BTreeMap<String, Provenance>,
}

/// Where and when a value was seen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Observation {
    /// The source's name (`crm`, `survey`, `support`).
    pub source: String,
    /// When it was observed, if the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Date>,
}

/// A value another source had for the same signal, overruled by the conflict rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Overruled {
    /// The value it had.
    pub value: Value,
    /// Where and when.
    #[serde(flatten)]
    pub seen: Observation,
}

/// Where a record's value came from, and what it overruled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    /// Where and when the value was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Observation>,
    /// The values other sources had, overruled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overruled: Vec<Overruled>,
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
            let value = Value::from_json(val);
            if k == id_field {
                rec.id = value.to_id();
                continue;
            }
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

/// Parses JSON text like `serde_json`, but refuses an object that has the same key twice (which
/// JSON readers otherwise settle silently, the last one winning) and skips a byte-order mark.
/// The error names the line and column.
///
/// ```
/// use advocacy_core::parse_json;
/// assert!(parse_json("\u{feff}[{\"nps\": 9}]").is_ok());
/// let err = parse_json(r#"{"nps": 9, "nps": 3}"#).unwrap_err();
/// assert_eq!(err, "duplicate key `nps` at line 1 column 16");
/// ```
pub fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str::<StrictJson>(text).map(|v| v.0).map_err(|e| e.to_string())
}

/// A JSON value read with [`parse_json`]'s rules.
struct StrictJson(serde_json::Value);

impl<'de> Deserialize<'de> for StrictJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictJson)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(StrictJson(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key `{}`", crate::text::printable(&key, 80))));
            }
            let StrictJson(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(serde_json::Value::Object(out))
    }
}
