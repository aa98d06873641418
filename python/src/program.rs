//! `advocacy.program`: the program functions of `advocacy-program` (segments, overrides,
//! eligibility, fatigue, matching, the monthly review and metrics) for plain Python data.
//!
//! Each function takes one dict shaped like the JSON form of the program's input type and
//! returns a dict shaped like the JSON form of its output. The dict is read into JSON with exact
//! types (a bool is only a bool, `5.0` is the number 5 as JSON has it), the JSON into the input
//! type, and the function's output written straight to Python; when the JSON does not read, it
//! is read again through `advocacy_program::json::call`, the one entry point the CLI, the wasm
//! package and the cross-language vectors use too, so that the error (its code, its path such as
//! `accounts[1].signals.nps`, its message) is exactly the program's. Errors are
//! `advocacy.ProgramError`, built from the program error's envelope; an input that is not a dict
//! is a `TypeError`.

use advocacy_core::ErrorEnvelope;
use advocacy_program::{self as program, json, ProgramError as CoreProgramError, ProgramErrorKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyModule;

use crate::errors::{self, ProgramError};
use crate::{args, convert};

fn program_error(py: Python<'_>, e: &CoreProgramError) -> PyErr {
    errors::raise(py, &ErrorEnvelope::from(e))
}

fn to_py<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, v).map_err(PyErr::from)
}

/// The input document as JSON, with exact types ([`convert::py_to_json`]: a bool is only a
/// bool, whole floats are written as the core writes numbers). Not a mapping: `TypeError`.
fn input_json(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    if convert::mapping_items(input).ok().flatten().is_none() {
        return Err(args::type_error("input", input, "a dict shaped like the function's JSON input"));
    }
    convert::py_to_json(input, "").map_err(|e| {
        let e = CoreProgramError::new(
            ProgramErrorKind::Parse,
            e.path,
            e.found,
            convert::JSON_ALLOWED,
            "the input could not be read as JSON-like data",
        );
        program_error(py, &e)
    })
}

/// Runs one program function: the dict is read into JSON once ([`input_json`]), the JSON into
/// the function's input type, and the function's output written straight to Python. When the
/// JSON does not read as the input type, `advocacy_program::json::call` (the one entry point the
/// CLI, the wasm package and the cross-language vectors use) reads it again, so that the error
/// (its code, its path such as `accounts[1].signals.nps`, its message) is exactly the program's.
fn run<'py, I, O>(
    py: Python<'py>,
    function: &str,
    input: &Bound<'py, PyAny>,
    f: fn(&I) -> Result<O, CoreProgramError>,
) -> PyResult<Bound<'py, PyAny>>
where
    I: serde::de::DeserializeOwned + Send,
    O: serde::Serialize + Send,
{
    let json = input_json(py, input)?;
    let function = function.to_string();
    // (boxed: the program's error is large, and only the rare failure should pay for moving it)
    let out = py
        .detach(move || match I::deserialize(&json) {
            Ok(typed) => f(&typed).map(Out::Typed).map_err(Box::new),
            Err(_) => json::call(&function, json).map(Out::Json).map_err(Box::new),
        })
        .map_err(|e| program_error(py, &e))?;
    match out {
        Out::Typed(o) => to_py(py, &o),
        Out::Json(v) => to_py(py, &v),
    }
}

/// A program function's output: typed, or the JSON of `json::call` when only that read the input.
enum Out<O> {
    Typed(O),
    Json(serde_json::Value),
}

/// Classifies accounts as active, willing, potential or not advocate material, explained.
///
/// input: {"accounts": [...], "config": None}; returns {"results": [...], "counts": [...]}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn segments<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "segments", input, program::segments)
}

/// Scores a record with a model and applies the overrides valid on `as_of`, explaining each.
///
/// input: {"record": {...}, "overrides": [...], "as_of": "YYYY-MM-DD", "model": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn overrides<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "overrides", input, program::overrides)
}

/// What an account can be asked for now, best first, and why not the rest.
///
/// input: {"account": {...}, "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD", "config": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn eligibility<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "eligibility", input, program::eligibility)
}

/// Applies the fatigue rules to one account's ledger: every refusal names its rule and until when.
///
/// input: {"account": "id", "ledger": [...], "as_of": "YYYY-MM-DD", "config": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn fatigue<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "fatigue", input, program::fatigue)
}

/// Ranks the advocates who fit a reference request and are not resting, with reasons.
///
/// input: {"request": {...}, "accounts": [...], "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD"}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn match_request<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "match", input, program::match_request)
}

/// The monthly review: movement, due revisits, pipeline stages, who to ask for what, thank-yous owed.
///
/// input: {"previous": [...], "current": [...], "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD"}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn review<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "review", input, program::review)
}

/// Program metrics from the ledger, the accounts and renewal outcomes.
///
/// input: {"ledger": [...], "accounts": [...], "renewals": [...], "from": None, "to": None}.
#[pyfunction]
#[pyo3(text_signature = "(input, /)")]
fn metrics<'py>(py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    run(py, "metrics", input, program::metrics)
}

/// The JSON Schemas of every program input and output type, by type name (JSON text).
#[pyfunction]
fn json_schemas() -> PyResult<String> {
    serde_json::to_string_pretty(&json::schemas()).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Adds the private submodule `_program` to `advocacy._core` (re-exported as `advocacy.program`).
pub fn register(parent: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = parent.py();
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
