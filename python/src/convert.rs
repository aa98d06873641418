//! Python objects -> core values, records, dates and JSON (one account or one document at a time).
//!
//! The rules follow `advocacy_core::Record::from_json`, so a dict loaded from a JSON vector scores
//! exactly like the JSON object does in Rust: `None` and NaN are missing, booleans stay booleans,
//! numbers are `f64`, strings are text, and nested values become text (JSON form, cut at 200
//! characters) that fails validation under a known signal. Bytes are text in UTF-8 (never their
//! hex form); bytes that are not UTF-8 are refused under the signals the model reads.

use advocacy_core::{printable, Date, Model, Record, RecordError, RecordErrorKind, Value};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

pub use advocacy_arrow::{bytes_text, truncate, NotUtf8, UTF8_ALLOWED};

use crate::args::type_error;

/// A Python string as Rust text; lone surrogates are replaced rather than failing.
pub fn py_str(s: &Bound<'_, PyString>) -> String {
    match s.to_str() {
        Ok(t) => t.to_string(),
        Err(_) => s.to_string_lossy().into_owned(),
    }
}

/// `(module, qualified name)` of a value's type.
pub fn type_name(v: &Bound<'_, PyAny>) -> (String, String) {
    let t = v.get_type();
    let module = t.module().map(|m| m.to_string()).unwrap_or_default();
    let name = t.name().map(|n| n.to_string()).unwrap_or_default();
    (module, name)
}

/// The record error of a cell of bytes that are not UTF-8 (`signal` is `id` for the id).
pub fn not_utf8_error(
    row: Option<usize>,
    id: Option<&str>,
    signal: &str,
    shown: &NotUtf8,
    column: Option<&str>,
) -> RecordError {
    let value = match column {
        Some(c) if c != signal => format!("{} (column {:?}, not UTF-8)", shown.0, printable(c, 80)),
        _ => format!("{} (not UTF-8)", shown.0),
    };
    RecordError::new(RecordErrorKind::WrongType, row, id, signal, value, UTF8_ALLOWED)
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

/// The bytes of a `bytes` or `bytearray`, if `v` is one.
fn as_bytes(v: &Bound<'_, PyAny>) -> Option<Vec<u8>> {
    if let Ok(b) = v.cast::<PyBytes>() {
        return Some(b.as_bytes().to_vec());
    }
    if let Ok(b) = v.cast::<PyByteArray>() {
        return Some(b.to_vec());
    }
    None
}

/// One Python value as a core value (`Err` for bytes that are not UTF-8).
pub fn py_to_value(v: &Bound<'_, PyAny>) -> Result<Value, NotUtf8> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(Value::Number(int_to_f64(v)));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok(number(f.value()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::Text(py_str(s)));
    }
    if let Some(b) = as_bytes(v) {
        return bytes_text(&b).map(|t| Value::Text(t.to_string()));
    }
    let (module, name) = type_name(v);
    let root = module.split('.').next().unwrap_or("");
    // pandas.NA, pandas.NaT, numpy.datetime64('NaT') and friends are missing values.
    if matches!(name.as_str(), "NAType" | "NaTType") {
        return Ok(Value::Null);
    }
    // Dates and timestamps are their ISO text, as Arrow date columns show them (an observation
    // date reads from it; a number signal refuses it).
    if let Some(text) = date_text(v) {
        return Ok(text.map_or(Value::Null, Value::Text));
    }
    if root == "numpy" && (name == "bool" || name == "bool_") {
        return Ok(Value::Bool(v.is_truthy().unwrap_or(false)));
    }
    let py = v.py();
    // numpy integers and other int-likes.
    if root == "numpy" || v.hasattr(intern!(py, "__index__")).unwrap_or(false) {
        if let Ok(i) = v.call_method0(intern!(py, "__index__")) {
            return Ok(Value::Number(int_to_f64(&i)));
        }
    }
    // numpy floats, Decimal, Fraction.
    if v.hasattr(intern!(py, "__float__")).unwrap_or(false) {
        if let Ok(x) = v.extract::<f64>() {
            return Ok(number(x));
        }
    }
    // numpy.str_ is a str subclass and was handled above; what is left is nested or foreign.
    Ok(Value::Text(nested_text(v)))
}

/// The ISO text of a `datetime.date`/`datetime` (pandas timestamps too) or a numpy
/// `datetime64` (`Some(None)` for numpy's NaT); `None` when `v` is none of them.
fn date_text(v: &Bound<'_, PyAny>) -> Option<Option<String>> {
    let py = v.py();
    let iso = |r: PyResult<Bound<'_, PyAny>>| r.ok().and_then(|s| s.cast_into::<PyString>().ok()).map(|s| py_str(&s));
    if type_name(v).1 == "datetime64" {
        return Some(v.str().ok().map(|s| py_str(&s)).filter(|t| t != "NaT"));
    }
    let date_type = py.import(intern!(py, "datetime")).and_then(|m| m.getattr(intern!(py, "date"))).ok()?;
    if !v.is_instance(&date_type).unwrap_or(false) {
        return None;
    }
    iso(v.call_method0(intern!(py, "isoformat"))).map(Some)
}

/// A mapping's (key, value) pairs.
pub type Items<'py> = Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>;

/// The (key, value) pairs of a mapping (a dict, any `collections.abc.Mapping`, a pandas row);
/// `None` when `obj` is no mapping.
pub fn mapping_items<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Items<'py>>> {
    let py = obj.py();
    if let Ok(d) = obj.cast::<PyDict>() {
        return Ok(Some(d.iter().collect()));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(None);
    }
    let is_mapping = py
        .import(intern!(py, "collections.abc"))
        .and_then(|m| m.getattr(intern!(py, "Mapping")))
        .and_then(|mapping| obj.is_instance(&mapping))
        .unwrap_or(false);
    // pandas Series rows behave like mappings (`.items()`), without being registered as one.
    let (module, name) = type_name(obj);
    let is_series = module.starts_with("pandas") && name == "Series";
    if !(is_mapping || is_series) {
        return Ok(None);
    }
    let mut out = Vec::new();
    for item in obj.call_method0(intern!(py, "items"))?.try_iter()? {
        let item = item?;
        let pair = item.cast::<PyTuple>().ok().filter(|t| t.len() == 2);
        let Some(pair) = pair else {
            return Err(type_error("record", obj, "a mapping whose items() are (name, value) pairs"));
        };
        out.push((pair.get_item(0)?, pair.get_item(1)?));
    }
    Ok(Some(out))
}

/// A record from a mapping of signal names to values; keys that are not text are ignored.
///
/// A value that is not a mapping is a `TypeError` (argument `record`). Bytes that are not UTF-8
/// under the id or a signal the model knows are the record's error (the first in the model's
/// signal order, the id first), like a table cell of them.
pub fn py_to_record(model: &Model, obj: &Bound<'_, PyAny>, id_field: &str) -> PyResult<Result<Record, RecordError>> {
    let Some(items) = mapping_items(obj)? else {
        return Err(type_error("record", obj, "a mapping of signal names to values (a dict or a pandas row)"));
    };
    let mut rec = Record::new();
    let mut bad: Option<(usize, String, NotUtf8)> = None;
    let order = |key: &str| {
        if key == id_field {
            Some(0)
        } else {
            model.known_signals().iter().position(|s| s.name == key).map(|k| k + 1)
        }
    };
    for (k, v) in &items {
        let Ok(key) = k.cast::<PyString>() else { continue };
        let key = py_str(key);
        match py_to_value(v) {
            Ok(value) if key == id_field => rec.id = value.to_id(),
            Ok(value) => {
                rec.values.insert(key, value);
            }
            Err(shown) => {
                if let Some(rank) = order(&key) {
                    if bad.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                        bad = Some((rank, key, shown));
                    }
                }
            }
        }
    }
    if let Some((_, key, shown)) = bad {
        return Ok(Err(not_utf8_error(None, rec.id.as_deref(), &key, &shown, None)));
    }
    Ok(Ok(rec))
}

/// An as-of date from `None`, a `datetime.date`/`datetime`, a numpy/pandas timestamp or
/// `"YYYY-MM-DD"`: a value of another type is a `TypeError`, text that is no date the core's
/// date error.
pub fn py_to_date(argument: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Date>> {
    let Some(v) = v.filter(|v| !v.is_none()) else { return Ok(None) };
    let py = v.py();
    let Some(text) = py_date_text(argument, Some(v))? else { return Ok(None) };
    text.parse::<Date>().map(Some).map_err(|e| crate::errors::error(py, &e))
}

/// The text of a date argument ([`py_to_date`]) before the core reads it.
pub fn py_date_text(argument: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(v) = v.filter(|v| !v.is_none()) else { return Ok(None) };
    let py = v.py();
    let allowed = "a date, a datetime, a pandas/numpy timestamp or \"YYYY-MM-DD\" text";
    let text = if let Ok(s) = v.cast::<PyString>() {
        py_str(s)
    } else if type_name(v).1 == "datetime64" {
        v.call_method1(intern!(py, "astype"), ("datetime64[D]",))
            .and_then(|d| d.str())
            .map(|s| py_str(&s))
            .map_err(|_| type_error(argument, v, allowed))?
    } else if v.hasattr(intern!(py, "isoformat")).unwrap_or(false) && !v.is_instance_of::<PyBytes>() {
        v.call_method0(intern!(py, "isoformat"))
            .and_then(|s| s.cast_into::<PyString>().map_err(PyErr::from))
            .map(|s| py_str(&s))
            .map_err(|_| type_error(argument, v, allowed))?
    } else {
        return Err(type_error(argument, v, allowed));
    };
    Ok(Some(text))
}

/// Why a Python value has no JSON form: where in the document, and the type found there.
pub struct NotJson {
    /// The path, in the program's terms (`accounts[1].signals.nps`; empty at the root).
    pub path: String,
    /// What was found (a type name, or bytes that are not UTF-8).
    pub found: String,
}

/// What [`py_to_json`] takes.
pub const JSON_ALLOWED: &str =
    "dicts with text keys, lists, str, int, float, bool, None and dates (dates as \"YYYY-MM-DD\" text)";

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A float as a JSON number, written the way the core prints numbers ([`advocacy_core::fmt_num`]):
/// `5.0` as `5` (JSON does not tell 5 from 5.0; JavaScript never writes `5.0`), so that a whole
/// float reads wherever the JSON number 5 does. NaN is missing (`null`), like everywhere in the
/// library; infinities, which JSON cannot carry, stay visible as text (`"inf"`) and fail where a
/// number is needed.
fn json_number(x: f64) -> serde_json::Value {
    if x.is_nan() {
        return serde_json::Value::Null;
    }
    if !x.is_finite() {
        return serde_json::Value::String(advocacy_core::fmt_num(x));
    }
    if x.fract() == 0.0 {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&advocacy_core::fmt_num(x)) {
            return v;
        }
    }
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// A Python document (dicts, lists, scalars) as JSON, with exact types: a bool is a JSON bool and
/// nothing else is, text stays text, numbers are numbers ([`json_number`]), dates are their ISO
/// text, numpy scalars and pandas' missing markers read as their values. Other objects are an
/// error naming their path.
pub fn py_to_json(v: &Bound<'_, PyAny>, path: &str) -> Result<serde_json::Value, NotJson> {
    use serde_json::Value as J;
    let py = v.py();
    let not_json = |found: String| NotJson { path: path.to_string(), found };
    if v.is_none() {
        return Ok(J::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(J::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(J::from(i));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(J::from(u));
        }
        return Ok(json_number(int_to_f64(v)));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok(json_number(f.value()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(J::String(py_str(s)));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut out = serde_json::Map::new();
        for (k, val) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(not_json(format!("a key of type {}", type_name(&k).1)));
            };
            let key = py_str(key);
            let item = py_to_json(&val, &join(path, &key))?;
            out.insert(key, item);
        }
        return Ok(J::Object(out));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in v.try_iter().map_err(|_| not_json(type_name(v).1))?.enumerate() {
            let item = item.map_err(|_| not_json(type_name(v).1))?;
            out.push(py_to_json(&item, &format!("{path}[{i}]"))?);
        }
        return Ok(J::Array(out));
    }
    if let Some(b) = as_bytes(v) {
        return bytes_text(&b).map(|t| J::String(t.to_string())).map_err(|e| not_json(e.0));
    }
    if let Ok(Some(items)) = mapping_items(v) {
        let mut out = serde_json::Map::new();
        for (k, val) in items {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(not_json(format!("a key of type {}", type_name(&k).1)));
            };
            let key = py_str(key);
            let item = py_to_json(&val, &join(path, &key))?;
            out.insert(key, item);
        }
        return Ok(J::Object(out));
    }
    let date_type = py.import(intern!(py, "datetime")).and_then(|m| m.getattr(intern!(py, "date")));
    if date_type.is_ok_and(|t| v.is_instance(&t).unwrap_or(false)) {
        return v
            .call_method0(intern!(py, "isoformat"))
            .ok()
            .and_then(|s| s.cast_into::<PyString>().ok())
            .map(|s| J::String(py_str(&s)))
            .ok_or_else(|| not_json(type_name(v).1));
    }
    let (module, name) = type_name(v);
    let root = module.split('.').next().unwrap_or("");
    let scalar = root == "numpy" || matches!(name.as_str(), "NAType" | "NaTType" | "Decimal" | "Fraction");
    if scalar {
        return match py_to_value(v) {
            Ok(Value::Null) => Ok(J::Null),
            Ok(Value::Bool(b)) => Ok(J::Bool(b)),
            Ok(Value::Number(x)) => Ok(json_number(x)),
            _ => Err(not_json(name)),
        };
    }
    Err(not_json(name))
}

/// The JSON text of a Python document as `json.dumps` writes it (so that a model dict's errors
/// name the same line and column as `Model.from_json(json.dumps(d))`); NaN is refused.
pub fn json_dumps(v: &Bound<'_, PyAny>) -> Result<String, String> {
    let py = v.py();
    let json = py.import(intern!(py, "json")).map_err(|e| e.to_string())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false).map_err(|e| e.to_string())?;
    kwargs.set_item("allow_nan", false).map_err(|e| e.to_string())?;
    json.call_method(intern!(py, "dumps"), (v,), Some(&kwargs))
        .and_then(|s| s.extract::<String>())
        .map_err(|e| e.to_string())
}
