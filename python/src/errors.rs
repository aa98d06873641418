//! The exceptions Python sees: `SignalError` and `ModelError`, both `ValueError`s with the core
//! error's fields as attributes.

use advocacy_core::{ColumnError, Error, ModelError as CoreModelError, ModelErrorKind, RecordError};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    advocacy,
    SignalError,
    PyValueError,
    "A bad signal value in an account record or table row.\n\nAttributes: row (int | None), id (str | None), signal, value, allowed, code."
);
create_exception!(
    advocacy,
    ModelError,
    PyValueError,
    "A bad model: the config path, the value seen and what is allowed.\n\nAttributes: path, value, allowed, code, message."
);

/// Sets class-level defaults so that instances raised from Python code still have every field.
pub fn init_types(py: Python<'_>) -> PyResult<()> {
    let s = py.get_type::<SignalError>();
    for (k, v) in [("row", None::<String>), ("id", None), ("signal", Some(String::new()))] {
        s.setattr(k, v)?;
    }
    for k in ["value", "allowed", "code"] {
        s.setattr(k, "")?;
    }
    let m = py.get_type::<ModelError>();
    for k in ["path", "value", "allowed", "code", "message"] {
        m.setattr(k, "")?;
    }
    Ok(())
}

/// A core record error as a `SignalError`.
pub fn signal_error(py: Python<'_>, e: &RecordError) -> PyErr {
    let err = SignalError::new_err(e.to_string());
    let set = || -> PyResult<()> {
        let v = err.value(py);
        v.setattr("row", e.row)?;
        v.setattr("id", e.id.clone())?;
        v.setattr("signal", e.signal.clone())?;
        v.setattr("value", e.value.clone())?;
        v.setattr("allowed", e.allowed.clone())?;
        v.setattr("code", e.kind.code())?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// A core model error as a `ModelError`.
pub fn model_error(py: Python<'_>, e: &CoreModelError) -> PyErr {
    model_error_fields(py, &e.to_string(), &e.path, &e.value, &e.allowed, e.kind.code(), &e.message)
}

/// A `ModelError` from its fields (for checks the binding makes itself, e.g. an unknown criterion).
pub fn model_error_fields(
    py: Python<'_>,
    text: &str,
    path: &str,
    value: &str,
    allowed: &str,
    code: &str,
    message: &str,
) -> PyErr {
    let err = ModelError::new_err(text.to_string());
    let set = || -> PyResult<()> {
        let v = err.value(py);
        v.setattr("path", path)?;
        v.setattr("value", value)?;
        v.setattr("allowed", allowed)?;
        v.setattr("code", code)?;
        v.setattr("message", message)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// A binding-made model error with the core's message layout (`model <path>: <message>; allowed: ...`).
pub fn model_error_new(
    py: Python<'_>,
    kind: ModelErrorKind,
    path: &str,
    value: &str,
    allowed: &str,
    message: &str,
) -> PyErr {
    let shown = if path.is_empty() { "(root)" } else { path };
    let text = if allowed.is_empty() {
        format!("model {shown}: {message}")
    } else {
        format!("model {shown}: {message}; allowed: {allowed}")
    };
    model_error_fields(py, &text, path, value, allowed, kind.code(), message)
}

fn column_error(e: &ColumnError) -> PyErr {
    PyTypeError::new_err(e.to_string())
}

/// Any core error as the matching Python exception.
pub fn core_error(py: Python<'_>, e: &Error) -> PyErr {
    match e {
        Error::Record(r) => signal_error(py, r),
        Error::Model(m) => model_error(py, m),
        Error::Column(c) => column_error(c),
        other => PyTypeError::new_err(other.to_string()),
    }
}
