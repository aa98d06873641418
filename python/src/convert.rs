//! Python objects -> core values and records (one account at a time).
//!
//! The rules follow `advocacy_core::Record::from_json`, so a dict loaded from a JSON vector scores
//! exactly like the JSON object does in Rust: `None` and NaN are missing, booleans stay booleans,
//! numbers are `f64`, strings are text, and nested values become text (JSON form, cut at 200
//! characters) that fails validation under a known signal.

use advocacy_core::{Date, Record, RecordError, RecordErrorKind, Value};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

/// Cuts text the way the core cuts nested values (200 characters, then `...`).
pub fn truncate(s: &str) -> String {
    if s.len() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

/// A Python string as Rust text; lone surrogates are replaced rather than failing.
pub fn py_str(s: &Bound<'_, PyString>) -> String {
    match s.to_str() {
        Ok(t) => t.to_string(),
        Err(_) => s.to_string_lossy().into_owned(),
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> (String, String) {
    let t = v.get_type();
    let module = t.module().map(|m| m.to_string()).unwrap_or_default();
    let name = t.name().map(|n| n.to_string()).unwrap_or_default();
    (module, name)
}

/// A Python int as `f64`; ints too big for a float become +-infinity (out of range everywhere).
fn int_to_f64(v: &Bound<'_, PyAny>) -> f64 {
    match v.extract::<f64>() {
        Ok(x) => x,
        Err(_) => {
            let negative = v.lt(0i64).unwrap_or(false);
            if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
    }
}

/// The compact JSON form of a nested value (what serde_json prints), or its repr.
pub fn nested_text(v: &Bound<'_, PyAny>) -> String {
    let py = v.py();
    let json = py.import(intern!(py, "json")).and_then(|json| {
        let kwargs = PyDict::new(py);
        kwargs.set_item("separators", (",", ":"))?;
        kwargs.set_item("ensure_ascii", false)?;
        json.call_method(intern!(py, "dumps"), (v,), Some(&kwargs))
    });
    let text = match json {
        Ok(s) => s.extract::<String>().ok(),
        Err(_) => None,
    };
    let text = text.or_else(|| v.repr().ok().map(|r| py_str(&r)));
    truncate(&text.unwrap_or(format!("<{}>", type_name(v).1)))
}

/// A float as a value: NaN is missing (pandas' marker), like `Value::is_missing` says.
fn number(x: f64) -> Value {
    if x.is_nan() {
        Value::Null
    } else {
        Value::Number(x)
    }
}

/// One Python value as a core value.
pub fn py_to_value(v: &Bound<'_, PyAny>) -> Value {
    if v.is_none() {
        return Value::Null;
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Value::Bool(b.is_true());
    }
    if v.is_instance_of::<PyInt>() {
        return Value::Number(int_to_f64(v));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return number(f.value());
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Value::Text(py_str(s));
    }
    let (module, name) = type_name(v);
    let root = module.split('.').next().unwrap_or("");
    // pandas.NA, pandas.NaT, numpy.datetime64('NaT') and friends are missing values.
    if matches!(name.as_str(), "NAType" | "NaTType") {
        return Value::Null;
    }
    if root == "numpy" && (name == "bool" || name == "bool_") {
        return Value::Bool(v.is_truthy().unwrap_or(false));
    }
    let py = v.py();
    // numpy integers and other int-likes.
    if root == "numpy" || v.hasattr(intern!(py, "__index__")).unwrap_or(false) {
        if let Ok(i) = v.call_method0(intern!(py, "__index__")) {
            return Value::Number(int_to_f64(&i));
        }
    }
    // numpy floats, Decimal, Fraction.
    if v.hasattr(intern!(py, "__float__")).unwrap_or(false) {
        if let Ok(x) = v.extract::<f64>() {
            return number(x);
        }
    }
    // numpy.str_ is a str subclass and was handled above; what is left is nested or foreign.
    Value::Text(nested_text(v))
}

/// The account id of a record: text as is, numbers and booleans in their JSON form.
fn py_to_id(v: &Bound<'_, PyAny>) -> Option<String> {
    match py_to_value(v) {
        Value::Null => None,
        Value::Text(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(x) if x.is_nan() => None,
        Value::Number(x) => {
            if v.is_instance_of::<PyInt>() {
                v.str().ok().map(|s| py_str(&s))
            } else {
                Some(serde_json::Value::from(x).to_string())
            }
        }
    }
}

fn not_a_record(v: &Bound<'_, PyAny>) -> RecordError {
    let text = nested_text(v);
    let parsed = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => v,
        Err(_) => serde_json::Value::String(text),
    };
    match Record::from_json(&parsed, "id") {
        Err(e) => e,
        // A JSON object in text form that is not a mapping in Python (cannot happen in practice).
        Ok(_) => RecordError::new(
            RecordErrorKind::NotARecord,
            None,
            None,
            "",
            truncate(&parsed.to_string()),
            "a JSON object of signal names to values",
        ),
    }
}

/// A record from a mapping of signal names to values; keys that are not text are ignored.
///
/// Returns the core's `not_a_record` error when `obj` is no mapping at all.
pub fn py_to_record(obj: &Bound<'_, PyAny>, id_field: &str) -> PyResult<Result<Record, RecordError>> {
    let py = obj.py();
    let mut rec = Record::new();
    let mut put = |k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>| {
        let Ok(key) = k.cast::<PyString>() else { return };
        let key = py_str(key);
        if key == id_field {
            rec.id = py_to_id(v);
        } else {
            rec.values.insert(key, py_to_value(v));
        }
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        for (k, v) in d.iter() {
            put(&k, &v);
        }
        return Ok(Ok(rec));
    }
    let is_mapping = py
        .import(intern!(py, "collections.abc"))
        .and_then(|m| m.getattr(intern!(py, "Mapping")))
        .and_then(|mapping| obj.is_instance(&mapping))
        .unwrap_or(false);
    // pandas Series rows behave like mappings (`.items()`), without being registered as one.
    let (module, _) = type_name(obj);
    let is_series = module.starts_with("pandas") && obj.hasattr(intern!(py, "items")).unwrap_or(false);
    if !(is_mapping || is_series) || obj.is_instance_of::<PyString>() {
        return Ok(Err(not_a_record(obj)));
    }
    let items = obj
        .call_method0(intern!(py, "items"))
        .and_then(|it| it.try_iter())
        .map_err(|e| PyTypeError::new_err(format!("record: cannot read its items: {e}")))?;
    for item in items {
        let item = item.map_err(|e| PyTypeError::new_err(format!("record: cannot read its items: {e}")))?;
        let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            item.extract().map_err(|_| PyTypeError::new_err("record: items() must yield (name, value) pairs"))?;
        put(&k, &v);
    }
    Ok(Ok(rec))
}

/// An as-of date from `None`, a `datetime.date`/`datetime`, a numpy/pandas timestamp or `"YYYY-MM-DD"`.
pub fn py_to_date(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Date>> {
    let Some(v) = v else { return Ok(None) };
    if v.is_none() {
        return Ok(None);
    }
    let py = v.py();
    let text = if let Ok(s) = v.cast::<PyString>() {
        py_str(s)
    } else if v.hasattr(intern!(py, "isoformat")).unwrap_or(false) {
        v.call_method0(intern!(py, "isoformat"))
            .and_then(|s| s.extract::<String>())
            .map_err(|_| PyTypeError::new_err("as_of: a date, a datetime or 'YYYY-MM-DD' text"))?
    } else {
        return Err(PyTypeError::new_err(format!(
            "as_of: needs a date, a datetime or 'YYYY-MM-DD' text, got {}",
            type_name(v).1
        )));
    };
    text.parse::<Date>().map(Some).map_err(|e| crate::errors::error(py, &e))
}

/// The full JSON text of a Python value (dicts, lists, numbers, text), for model dicts.
pub fn nested_text_full(v: &Bound<'_, PyAny>) -> Result<String, String> {
    let py = v.py();
    let json = py.import(intern!(py, "json")).map_err(|e| e.to_string())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false).map_err(|e| e.to_string())?;
    kwargs.set_item("allow_nan", false).map_err(|e| e.to_string())?;
    json.call_method(intern!(py, "dumps"), (v,), Some(&kwargs))
        .and_then(|s| s.extract::<String>())
        .map_err(|e| e.to_string())
}
