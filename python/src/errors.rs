//! The one mapping of errors to Python: every error of the core (and of the program crate)
//! becomes its `advocacy_core::ErrorEnvelope`, and the envelope becomes one exception, field for
//! field. The binding writes no message of its own: `str(e)` and `e.message` are the envelope's.
//!
//! Classes, all `ValueError`s: `AdvocacyError` (the base; also raised as is for the `column` and
//! `date` kinds), `SignalError` (kind `record`), `ModelError` (`model`), `ProgramError`
//! (`program`) and `UsageError` (`usage`: an argument value the binding cannot take). Wrong
//! Python types stay `TypeError`s.

use advocacy_core::{ErrorEnvelope, ErrorKind};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    advocacy,
    AdvocacyError,
    PyValueError,
    "An error of the advocacy library, with the fields of the core's error envelope.\n\nAttributes: kind, code, path, row, id, signal, value, allowed, message (the whole text)."
);
create_exception!(
    advocacy,
    SignalError,
    AdvocacyError,
    "A bad signal value in an account record or table row (kind \"record\")."
);
create_exception!(advocacy, ModelError, AdvocacyError, "A bad model (kind \"model\").");
create_exception!(advocacy, ProgramError, AdvocacyError, "A bad program input or configuration (kind \"program\").");
create_exception!(advocacy, UsageError, AdvocacyError, "An argument value the library cannot take (kind \"usage\").");

/// Class-level defaults, so that instances raised from Python code have every field too.
pub fn init_types(py: Python<'_>) -> PyResult<()> {
    let classes = [
        (py.get_type::<AdvocacyError>(), None),
        (py.get_type::<SignalError>(), Some(ErrorKind::Record)),
        (py.get_type::<ModelError>(), Some(ErrorKind::Model)),
        (py.get_type::<ProgramError>(), Some(ErrorKind::Program)),
        (py.get_type::<UsageError>(), Some(ErrorKind::Usage)),
    ];
    for (class, kind) in classes {
        class.setattr("kind", kind.map(ErrorKind::as_str))?;
        for k in ["code", "message"] {
            class.setattr(k, "")?;
        }
        for k in ["path", "row", "id", "signal", "value", "allowed"] {
            class.setattr(k, py.None())?;
        }
    }
    Ok(())
}

/// The exception of an envelope, its fields as attributes.
pub fn raise(py: Python<'_>, e: &ErrorEnvelope) -> PyErr {
    let err = match e.kind {
        ErrorKind::Record => SignalError::new_err(e.message.clone()),
        ErrorKind::Model => ModelError::new_err(e.message.clone()),
        ErrorKind::Program => ProgramError::new_err(e.message.clone()),
        ErrorKind::Usage => UsageError::new_err(e.message.clone()),
        _ => AdvocacyError::new_err(e.message.clone()),
    };
    let set = || -> PyResult<()> {
        let v = err.value(py);
        v.setattr("kind", e.kind.as_str())?;
        v.setattr("code", &e.code)?;
        v.setattr("path", &e.path)?;
        v.setattr("row", e.row)?;
        v.setattr("id", &e.id)?;
        v.setattr("signal", &e.signal)?;
        v.setattr("value", &e.value)?;
        v.setattr("allowed", &e.allowed)?;
        v.setattr("message", &e.message)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Any core error (record, model, column, date, program) as its exception.
pub fn error<'a, E>(py: Python<'_>, e: &'a E) -> PyErr
where
    ErrorEnvelope: From<&'a E>,
{
    raise(py, &ErrorEnvelope::from(e))
}

/// A `UsageError`: argument `argument` got `value` (shown as Python shows it) where `allowed`
/// was expected (the core's `ErrorEnvelope::usage` writes the message).
pub fn usage(py: Python<'_>, code: &str, argument: &str, value: &str, allowed: &str) -> PyErr {
    raise(py, &ErrorEnvelope::usage(code, argument, value, allowed))
}
