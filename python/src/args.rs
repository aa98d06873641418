//! Arguments of the public functions, read from Python objects.
//!
//! Every public function takes its arguments as plain Python objects and reads them here, so that
//! a wrong type is a `TypeError` in the API's terms (the core's usage wording: ``argument
//! `on_error`: value of type int is not allowed; allowed: "raise" or "flag"``), never pyo3's
//! extraction text. Wrong values (an `on_error` of `"ignore"`) are the core's usage errors,
//! raised where the value is read.

use std::path::PathBuf;

use advocacy_core::ErrorEnvelope;
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyString};

use crate::convert::{py_str, type_name};

/// A `TypeError`: argument `argument` got a value of `got`'s type where `allowed` was expected.
pub fn type_error(argument: &str, got: &Bound<'_, PyAny>, allowed: &str) -> PyErr {
    let shown = format!("of type {}", type_name(got).1);
    PyTypeError::new_err(ErrorEnvelope::usage("wrong_type", argument, &shown, allowed).message)
}

/// Text (`str`).
pub fn text(argument: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    match v.cast::<PyString>() {
        Ok(s) => Ok(py_str(s)),
        Err(_) => Err(type_error(argument, v, "text (str)")),
    }
}

/// Text or None (an absent argument is None).
pub fn opt_text(argument: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => Ok(Some(py_str(s))),
            Err(_) => Err(type_error(argument, v, "text (str) or None")),
        },
    }
}

/// A number (int, float, or a numpy/Decimal number; not a bool).
pub fn number(argument: &str, v: &Bound<'_, PyAny>) -> PyResult<f64> {
    if v.cast::<PyBool>().is_ok() || v.cast::<PyString>().is_ok() || v.cast::<PyBytes>().is_ok() {
        return Err(type_error(argument, v, "a number"));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok(f.value());
    }
    v.extract::<f64>().map_err(|_| type_error(argument, v, "a number"))
}

/// A number or None.
pub fn opt_number(argument: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => number(argument, v).map(Some).map_err(|_| type_error(argument, v, "a number or None")),
    }
}

/// A whole number as a Python int (not a bool, not a float); `Err(Ok(text))` when it is an int
/// too large for `i64` (a value error for the caller to word).
pub fn whole(argument: &str, v: &Bound<'_, PyAny>, allowed: &str) -> PyResult<Result<i64, String>> {
    let py = v.py();
    let is_int = v.is_instance_of::<PyInt>()
        || (!v.is_instance_of::<PyFloat>() && v.hasattr(intern!(py, "__index__")).unwrap_or(false));
    if v.cast::<PyBool>().is_ok() || !is_int {
        return Err(type_error(argument, v, allowed));
    }
    match v.extract::<i64>() {
        Ok(n) => Ok(Ok(n)),
        Err(_) => Ok(Err(v.str().map(|s| py_str(&s)).unwrap_or_default())),
    }
}

/// Text, or an iterable of text (a single `str` is one entry).
pub fn text_list(argument: &str, v: &Bound<'_, PyAny>, allowed: &str) -> PyResult<Vec<String>> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(vec![py_str(s)]);
    }
    if v.cast::<PyBytes>().is_ok() {
        return Err(type_error(argument, v, allowed));
    }
    let iter = v.try_iter().map_err(|_| type_error(argument, v, allowed))?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item.map_err(|_| type_error(argument, v, allowed))?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(py_str(s)),
            Err(_) => return Err(type_error(&format!("{argument}[{i}]"), &item, "text (str)")),
        }
    }
    Ok(out)
}

/// A file path: `str` or an `os.PathLike` giving text.
pub fn path(argument: &str, v: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    let allowed = "a path (str or os.PathLike)";
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(PathBuf::from(py_str(s)));
    }
    let py = v.py();
    if v.hasattr(intern!(py, "__fspath__")).unwrap_or(false) {
        let p = v.call_method0(intern!(py, "__fspath__")).map_err(|_| type_error(argument, v, allowed))?;
        if let Ok(s) = p.cast::<PyString>() {
            return Ok(PathBuf::from(py_str(s)));
        }
    }
    Err(type_error(argument, v, allowed))
}
