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
    "An error of the advocacy library, with the fields of the core's error envelope.

A ``ValueError``. ``kind`` says where it comes from (``record``, ``model``, ``column``,
``date``, ``program``, ``usage``) and ``code`` what it is within the kind; ``path`` is the
config or input path (or the argument's name), ``row`` the 0-based row, ``id`` the account id,
``signal`` the signal or column, ``value`` the value seen, ``allowed`` what is allowed there;
fields that do not apply are None. ``message`` is the whole text (``str(error)``), the same in
every language of the library. Subclasses: SignalError, ModelError, ProgramError, UsageError.

Attributes
----------
kind, code, path, row, id, signal, value, allowed, message

Examples
--------
>>> import advocacy
>>> try:
...     advocacy.Model.default().score({\"id\": \"a\", \"nps\": 11})
... except advocacy.AdvocacyError as e:
...     print(e.kind, e.code, e.signal, e.value, e.allowed)
record out_of_range nps 11 an integer from 0 to 10"
);
create_exception!(
    advocacy,
    SignalError,
    AdvocacyError,
    "A bad signal value in an account record or table row (kind ``record``).

``row`` is the 0-based row in a table (None for a single record), ``id`` the account id,
``signal`` the signal (``id`` for the id), ``value`` the value seen and ``allowed`` what the
signal allows; ``code`` is ``wrong_type``, ``out_of_range``, ``not_integer``,
``unknown_category``, ``missing_id`` or ``duplicate_id``.

Examples
--------
>>> import advocacy, pandas as pd
>>> try:
...     advocacy.Model.default().score_frame(pd.DataFrame({\"id\": [\"a\", \"b\"], \"nps\": [9, 12]}))
... except advocacy.SignalError as e:
...     print(e.row, e.id, e.code)
1 b out_of_range"
);
create_exception!(
    advocacy,
    ModelError,
    AdvocacyError,
    "A bad model, or a column plan the core refuses (kind ``model``).

``path`` is the config path (``categories[0].criteria[2].points``; ``columns...`` for a
table's columns), ``value`` the value seen and ``allowed`` what is allowed there.

Examples
--------
>>> import advocacy
>>> try:
...     advocacy.Model.default().with_points(\"no_such_criterion\", 5)
... except advocacy.ModelError as e:
...     print(e.code, e.path)
unknown_criterion criterion"
);
create_exception!(
    advocacy,
    ProgramError,
    AdvocacyError,
    "A bad program input or configuration (kind ``program``), raised by ``advocacy.program``.

``path`` is where, in the input's terms (``accounts[1].signals.nps``), ``row`` the index in
the list concerned and ``id`` the account id when known.

Examples
--------
>>> from advocacy import program
>>> try:
...     program.segments(accounts={\"id\": [\"a\"], \"nps\": [9]})
... except program.ProgramError as e:
...     print(e.code, e.path, e.value)
parse accounts an object with the keys \"id\", \"nps\""
);
create_exception!(
    advocacy,
    UsageError,
    AdvocacyError,
    "An argument value the library cannot take (kind ``usage``).

``path`` is the argument (``on_error``, ``top``, ``keep``, ``select``, ...), ``value`` what
was given and ``allowed`` what it may be; ``code`` is ``invalid_argument``,
``unknown_column`` or ``duplicate_column``.

Examples
--------
>>> import advocacy, pandas as pd
>>> df = pd.DataFrame({\"id\": [\"a\"], \"nps\": [9], \"score\": [1]})
>>> try:
...     advocacy.Model.default().score_frame(df, keep=\"all\")
... except advocacy.UsageError as e:
...     print(e.code, e.path)
duplicate_column keep"
);

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
