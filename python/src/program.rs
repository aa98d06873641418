//! `advocacy.program`: the program functions of `advocacy_core::program` (segments, overrides,
//! eligibility, fatigue, matching, the monthly review and metrics) for plain Python data.
//!
//! Each function takes one dict shaped like the JSON form of the core's input type and returns
//! a dict shaped like the JSON form of its output. The dict is read with pythonize into JSON and
//! handed to `program::run_vector`, the one entry point the Rust CLI and the cross-language
//! vectors use too, so paths in errors (`accounts[1].signals.nps`) and every rule are the core's.
//! Errors are `advocacy.ProgramError` (a `ValueError`) with the core error's fields.

use advocacy_core::program::{self, ProgramError as CoreProgramError};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyModule;

use crate::util::OrValue;

create_exception!(
    advocacy,
    ProgramError,
    PyValueError,
    "A bad program input or configuration: where (path, in the input's terms), what was seen and what is allowed.\n\nAttributes: code, path, row (int | None), id (str | None), value, allowed, message."
);

/// Class-level defaults, so that instances raised from Python code still have every field.
fn init_type(py: Python<'_>) -> PyResult<()> {
    let t = py.get_type::<ProgramError>();
    for k in ["code", "path", "value", "allowed", "message"] {
        t.setattr(k, "")?;
    }
    for k in ["row", "id"] {
        t.setattr(k, py.None())?;
    }
    Ok(())
}

/// A core program error as a `ProgramError` with its fields as attributes.
fn program_error(py: Python<'_>, e: &CoreProgramError) -> PyErr {
    error_fields(py, &e.to_string(), e.kind.code(), &e.path, e.row, e.id.as_deref(), &e.value, &e.allowed, &e.message)
}

#[allow(clippy::too_many_arguments)]
fn error_fields(
    py: Python<'_>,
    text: &str,
    code: &str,
    path: &str,
    row: Option<usize>,
    id: Option<&str>,
    value: &str,
    allowed: &str,
    message: &str,
) -> PyErr {
    let err = ProgramError::new_err(text.to_string());
    let set = || -> PyResult<()> {
        let v = err.value(py);
        v.setattr("code", code)?;
        v.setattr("path", path)?;
        v.setattr("row", row)?;
        v.setattr("id", id)?;
        v.setattr("value", value)?;
        v.setattr("allowed", allowed)?;
        v.setattr("message", message)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Runs one program function: Python data -> JSON -> the core -> JSON -> Python data.
fn run<'py>(py: Python<'py>, kind: &str, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let json: serde_json::Value = pythonize::depythonize(input).map_err(|e| {
        let type_name = input.get_type().name().map(|n| n.to_string()).or_value("object".to_string());
        let message = format!("the input could not be read as JSON-like data: {e}");
        error_fields(
            py,
            &format!("(root): {message} (value {type_name}); allowed: dicts, lists, str, int, float, bool and None (dates as \"YYYY-MM-DD\" text)"),
            "parse",
            "",
            None,
            None,
            &type_name,
            "dicts, lists, str, int, float, bool and None (dates as \"YYYY-MM-DD\" text)",
            &message,
        )
    })?;
    let kind = kind.to_string();
    // (boxed: the core's error is large, and only the rare failure should pay for moving it)
    let out =
        py.detach(move || program::run_vector(&kind, json).map_err(Box::new)).map_err(|e| program_error(py, &e))?;
    pythonize::pythonize(py, &out).map_err(|e| {
        let message = format!("the result could not be converted to Python: {e}");
        error_fields(py, &message, "internal", "", None, None, "", "", &message)
    })
}

/// Runs one program function, reading the dict straight into the core's input type and writing
/// its output straight to Python (no JSON value in between: about twice as fast on large
/// inputs). When the dict does not read, [`run`] reads it again the core's way, so that the
/// error (its code, path and message) is exactly the one `run_vector` gives.
fn run_typed<'py, I, O>(
    py: Python<'py>,
    kind: &str,
    input: &Bound<'py, PyAny>,
    f: fn(&I) -> Result<O, CoreProgramError>,
) -> PyResult<Bound<'py, PyAny>>
where
    I: serde::de::DeserializeOwned + Send,
    O: serde::Serialize + Send,
{
    let typed: I = match pythonize::depythonize::<I>(input) {
        Ok(i) => i,
        Err(_) => return run(py, kind, input),
    };
    let out = py.detach(move || f(&typed).map_err(Box::new)).map_err(|e| program_error(py, &e))?;
    pythonize::pythonize(py, &out).map_err(|e| {
        let message = format!("the result could not be converted to Python: {e}");
        error_fields(py, &message, "internal", "", None, None, "", "", &message)
    })
}

/// Classifies accounts as active, willing, potential or not advocate material, explained.
///
/// input: {"accounts": [...], "config": None}; returns {"results": [...], "counts": [...]}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn segments<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "segments", input, program::segments)
}

/// Scores a record with a model and applies the overrides valid on `as_of`, explaining each.
///
/// input: {"record": {...}, "overrides": [...], "as_of": "YYYY-MM-DD", "model": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn overrides<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "overrides", input, program::overrides)
}

/// What an account can be asked for now, best first, and why not the rest.
///
/// input: {"account": {...}, "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD", "config": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn eligibility<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "eligibility", input, program::eligibility)
}

/// Applies the fatigue rules to one account's ledger: every refusal names its rule and until when.
///
/// input: {"account": "id", "ledger": [...], "as_of": "YYYY-MM-DD", "config": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn fatigue<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "fatigue", input, program::fatigue)
}

/// Ranks the advocates who fit a reference request and are not resting, with reasons.
///
/// input: {"request": {...}, "accounts": [...], "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD"}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn match_request<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "match", input, program::match_request)
}

/// The monthly review: movement, due revisits, pipeline stages, who to ask for what, thank-yous owed.
///
/// input: {"previous": [...], "current": [...], "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD"}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn review<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "review", input, program::review)
}

/// Program metrics from the ledger, the accounts and renewal outcomes.
///
/// input: {"ledger": [...], "accounts": [...], "renewals": [...], "from": None, "to": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn metrics<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run_typed(py, "metrics", input, program::metrics)
}

/// The JSON Schemas of every program input and output type, by type name (JSON text).
#[pyfunction]
fn json_schemas() -> PyResult<String> {
    serde_json::to_string_pretty(&program::json_schemas()).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Adds the private submodule `_program` to `advocacy._core` (re-exported as `advocacy.program`).
pub fn register(parent: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = parent.py();
    init_type(py)?;
    let m = PyModule::new(py, "_program")?;
    m.add("ProgramError", py.get_type::<ProgramError>())?;
    m.add_function(wrap_pyfunction!(segments, &m)?)?;
    m.add_function(wrap_pyfunction!(overrides, &m)?)?;
    m.add_function(wrap_pyfunction!(eligibility, &m)?)?;
    m.add_function(wrap_pyfunction!(fatigue, &m)?)?;
    m.add_function(wrap_pyfunction!(match_request, &m)?)?;
    m.add_function(wrap_pyfunction!(review, &m)?)?;
    m.add_function(wrap_pyfunction!(metrics, &m)?)?;
    m.add_function(wrap_pyfunction!(json_schemas, &m)?)?;
    // An attribute, not `add_submodule`: that would list the private module in `_core.__all__`.
    parent.setattr("_program", m)
}
