//! Conversions between JavaScript values and the core's values, records and errors.
//!
//! Nothing here decides anything about scoring: a JS value becomes the core `Value` of the same
//! kind (number, boolean, text, null), and the core validates it. Every error crosses as the
//! core's `ErrorEnvelope` (its JSON, parsed into a plain object), which the wrapper turns into an
//! `AdvocacyError` field by field.

use advocacy_core::{
    parse_json as strict_json, ErrorEnvelope, ErrorKind, ModelError, ModelErrorKind, Record, RecordError, Value,
};
use js_sys::{Array, Object, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// The record field that holds the account id (as in `Record::from_json(v, "id")`).
pub const ID_FIELD: &str = "id";

/// The batch column that holds the observation dates (`Columns::set_observed`).
pub const OBSERVED_FIELD: &str = "observed";

/// A JS value as the core's `Value`. Objects and arrays become text the way
/// `Record::from_json` turns nested JSON into text (so they fail validation the same way).
pub fn value_from_js(v: &JsValue) -> Value {
    if let Some(x) = v.as_f64() {
        return Value::Number(x);
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(s) = v.as_string() {
        return Value::Text(s);
    }
    if v.is_null() || v.is_undefined() {
        return Value::Null;
    }
    if v.is_bigint() {
        // Arrow int64 columns and `123n` literals: a number, like any other integer.
        // `Number(v)`: the constructor call converts (a plain cast would not).
        #[allow(deprecated)]
        let n = js_sys::Number::new(v);
        return Value::Number(n.value_of());
    }
    nested_from_js(v)
}

/// Nested objects and arrays: the core's own conversion of nested JSON (text, truncated).
fn nested_from_js(v: &JsValue) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("v".to_string(), json_of(v));
    match Record::from_json(&serde_json::Value::Object(obj), ID_FIELD) {
        Ok(mut r) => r.values.remove("v").unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

/// The JSON value of a JS value (`null` when it has none, e.g. `undefined`).
pub fn json_of(v: &JsValue) -> serde_json::Value {
    match JSON::stringify(v) {
        Ok(s) => match s.as_string() {
            Some(text) => serde_json::from_str(&text).unwrap_or_default(),
            // Functions and symbols have no JSON: their type stands for them in the value seen.
            None => match v.js_typeof().as_string() {
                Some(t) => serde_json::Value::String(format!("<{t}>")),
                None => serde_json::Value::Null,
            },
        },
        // BigInt inside an object, cyclic structures: a readable marker as the value seen.
        Err(_) => serde_json::Value::String("<unserialisable value>".to_string()),
    }
}

/// A JS object as a core `Record` (`id` field = account id). Anything but a plain object
/// fails with the core's `not_a_record` error.
pub fn record_from_js(v: &JsValue) -> Result<Record, RecordError> {
    if !v.is_object() || Array::is_array(v) || v.is_function() {
        // Let the core build the error from the value's JSON form.
        return Record::from_json(&json_of(v), ID_FIELD);
    }
    let obj: &Object = v.unchecked_ref();
    let mut rec = Record::new();
    for entry in Object::entries(obj).iter() {
        let pair: Array = entry.unchecked_into();
        let Some(key) = pair.get(0).as_string() else { continue };
        let val = pair.get(1);
        if key == ID_FIELD {
            rec.id = id_from_js(&val);
        } else {
            rec.values.insert(key, value_from_js(&val));
        }
    }
    Ok(rec)
}

/// An id as `Record::from_json` reads it: the one canonical id text of the value (`Value::to_id`:
/// text trimmed, numbers as the core prints them, empty = none).
pub fn id_from_js(v: &JsValue) -> Option<String> {
    value_from_js(v).to_id()
}

/// Parses JSON text into a JS value (the way results cross the boundary: one string, one parse).
pub fn parse_json(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// The value to throw for an error of the core: its `ErrorEnvelope`, as a plain JS object.
pub fn throw<E>(err: E) -> JsValue
where
    ErrorEnvelope: From<E>,
{
    parse_json(&ErrorEnvelope::from(err).to_json())
}

/// The value to throw for an argument the binding cannot take (the core's usage envelope).
pub fn usage(code: &str, argument: &str, value: &str, allowed: &str) -> JsValue {
    throw(ErrorEnvelope::usage(code, argument, value, allowed))
}

/// The value to throw when a result could not be written as JSON (a defect, never expected).
pub fn internal(err: &serde_json::Error) -> JsValue {
    throw(ErrorEnvelope::new(ErrorKind::Usage, "internal", err.to_string()))
}

/// JSON text read by `read` with the core's rules for JSON input (`advocacy_core::parse_json`):
/// a byte-order mark is skipped and an object with the same key twice is refused. The error is
/// the reader's own when it has one (its path), else the strict reader's (the duplicate key).
pub fn read_strict<T>(text: &str, read: impl Fn(&str) -> Result<T, ModelError>) -> Result<T, JsValue> {
    read_strict_model(text, read).map_err(throw)
}

/// [`read_strict`] with the core's error as it is (for errors that name where the text was).
pub fn read_strict_model<T>(text: &str, read: impl Fn(&str) -> Result<T, ModelError>) -> Result<T, ModelError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    match strict_json(text) {
        Ok(_) => read(body),
        Err(why) => match read(body) {
            Err(e) => Err(e),
            Ok(_) => Err(ModelError::new(ModelErrorKind::Parse, "", "", "", why)),
        },
    }
}
