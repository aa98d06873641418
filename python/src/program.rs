//! `advocacy.program`: the program functions of `advocacy-program` (segments, overrides,
//! eligibility, fatigue, matching, the monthly review, metrics and history) for plain Python data.
//!
//! Each function takes one dict shaped like the JSON form of the program's input type (or its
//! fields as keyword arguments) and returns a dict shaped like the JSON form of its output.
//! Fields that hold rows (accounts, ledger, overrides, renewals) may be tables: pandas/polars
//! DataFrames, pyarrow Tables or any Arrow PyCapsule object, which `advocacy._frames.rows` turns
//! into plain rows; accounts may be flat rows (a table's rows, `df.to_dict("records")`), which
//! `advocacy_program::json::normalize_input` reads into the program's accounts (the same
//! reading the CLI and the JavaScript package use). The dict is read into JSON with exact
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
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyModule, PyString};

use crate::errors::{self, ProgramError};
use crate::{args, convert};

fn program_error(py: Python<'_>, e: &CoreProgramError) -> PyErr {
    errors::raise(py, &ErrorEnvelope::from(e))
}

fn to_py<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, v).map_err(PyErr::from)
}

/// What `input` may be.
const INPUT_ALLOWED: &str = "a dict shaped like the function's JSON input, its fields as keyword arguments, or both (tables go in its fields: {\"accounts\": df, \"ledger\": ledger_df})";

/// A table (pandas/polars DataFrame, pyarrow Table or RecordBatch, Arrow PyCapsule object) as a
/// list of row dicts (`advocacy._frames.rows`), or None when `v` is no table.
fn table_rows<'py>(v: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = v.py();
    let rows = py.import(intern!(py, "advocacy._frames"))?.call_method1(intern!(py, "rows"), (v,))?;
    Ok((!rows.is_none()).then_some(rows))
}

/// The input document as JSON, with exact types ([`convert::py_to_json`]: a bool is only a
/// bool, whole floats are written as the core writes numbers): the `input` dict's fields, then
/// the keyword fields (a field given both ways is a usage error), each table among them as its
/// rows. A table as the whole input is the accounts of `segments`; any other input that is no
/// mapping is a `TypeError`.
fn input_json(
    py: Python<'_>,
    function: &str,
    input: Option<&Bound<'_, PyAny>>,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<serde_json::Value> {
    let merged = PyDict::new(py);
    if input.is_none_or(|v| v.is_none()) && fields.is_none_or(|f| f.is_empty()) {
        // Nothing given (or `None` alone): say what the function takes.
        return Err(args::type_error("input", py.None().bind(py), INPUT_ALLOWED));
    }
    if let Some(v) = input.filter(|v| !v.is_none()) {
        match convert::mapping_items(v).ok().flatten() {
            Some(items) => {
                for (k, val) in items {
                    merged.set_item(k, val)?;
                }
            }
            None => match table_rows(v)? {
                Some(rows) if function == "segments" => merged.set_item("accounts", rows)?,
                // A history's long table (or its rows as a list) as the whole input: its rows.
                Some(rows) if function == "history" => merged.set_item("rows", rows)?,
                None if function == "history" && v.is_instance_of::<pyo3::types::PyList>() => {
                    merged.set_item("rows", v)?
                }
                _ => return Err(args::type_error("input", v, INPUT_ALLOWED)),
            },
        }
    }
    if let Some(fields) = fields {
        for (k, val) in fields.iter() {
            if merged.contains(&k)? {
                let name = k.cast::<PyString>().map(|s| s.to_string()).unwrap_or_default();
                return Err(errors::usage(
                    py,
                    "invalid_argument",
                    &name,
                    "given twice (in `input` and as a keyword argument)",
                    "each field once",
                ));
            }
            merged.set_item(k, val)?;
        }
    }
    let keys: Vec<Bound<'_, PyAny>> = merged.keys().iter().collect();
    for k in keys {
        if let Some(val) = merged.get_item(&k)? {
            if let Some(rows) = table_rows(&val)? {
                merged.set_item(&k, rows)?;
            }
        }
    }
    convert::py_to_json(merged.as_any(), "").map_err(|e| {
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

/// Runs one program function: the input is read into JSON once ([`input_json`]), its flat
/// account rows made nested and its lists checked (`json::normalize_input`), the JSON read into
/// the function's input type, and the function's output written straight to Python. When the
/// JSON does not read as the input type, `advocacy_program::json::call` (the one entry point the
/// CLI, the wasm package and the cross-language vectors use) reads it again, so that the error
/// (its code, its path such as `accounts[1].signals.nps`, its message) is exactly the program's.
fn run<'py, I, O>(
    py: Python<'py>,
    function: &str,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
    f: fn(&I) -> Result<O, CoreProgramError>,
) -> PyResult<Bound<'py, PyAny>>
where
    I: serde::de::DeserializeOwned + Send,
    O: serde::Serialize + Send,
{
    let mut json = input_json(py, function, input, fields)?;
    let function = function.to_string();
    // (boxed: the program's error is large, and only the rare failure should pay for moving it)
    let out = py
        .detach(move || {
            json::normalize_input(&function, &mut json).map_err(Box::new)?;
            match I::deserialize(&json) {
                Ok(typed) => f(&typed).map(Out::Typed).map_err(Box::new),
                Err(_) => json::call(&function, json).map(Out::Json).map_err(Box::new),
            }
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
/// Parameters
/// ----------
/// input : dict or table, optional
///     ``{"accounts": [...], "config": None}``, or a table of accounts alone.
/// **fields
///     The input's fields as keyword arguments (``accounts=df``).
///
///     ``accounts`` is a list of accounts or a table of them. An account is nested
///     (``{"id", "name", "total", "tier", "signals": {...}}``) or a flat row, as a table has
///     it: an id column, the signals as columns by name or alias (``nps``, ``NPS``,
///     ``Public Reviews``), and optionally ``name``, ``total`` (or ``score``, as
///     ``score_frame`` names it), ``tier``, ``gated``, ``revisit`` and ``avoid``; other
///     columns are kept as custom signals. pandas/polars DataFrames, pyarrow Tables,
///     ``df.to_dict("records")`` and the output of ``Model.score_frame(..., keep="all")`` all
///     read this way. ``config`` is a program configuration dict (None: the default).
///
/// Returns
/// -------
/// dict
///     ``{"results": [{"account", "segment", "rule", "reason", "evidence"}], "counts":
///     [{"segment", "accounts"}]}``, results in input order.
///
/// Raises
/// ------
/// ProgramError
///     A bad value (path such as ``accounts[1].signals.nps``), a flat row without an id column,
///     or ``accounts`` that is not a list of accounts (naming what was seen).
/// TypeError
///     ``input`` that is neither a dict nor a table.
///
/// Examples
/// --------
/// >>> import pandas as pd
/// >>> from advocacy import program
/// >>> df = pd.DataFrame({"id": ["a", "b"], "public_reviews": [2, 0], "NPS": [9, 3],
/// ...                    "Policy": ["open", "prohibited"], "Health": [95, 97],
/// ...                    "Active Days": [22, 25], "ROI": [True, True]})
/// >>> out = program.segments(accounts=df)
/// >>> [(r["account"], r["segment"]) for r in out["results"]]
/// [('a', 'active'), ('b', 'not_advocate_material')]
/// >>> program.segments(df) == out == program.segments({"accounts": df.to_dict("records")})
/// True
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn segments<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "segments", input, fields, program::segments)
}

/// Scores a record with a model and applies the overrides valid on ``as_of``, explaining each.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"record": {...}, "overrides": [...], "as_of": "YYYY-MM-DD", "model": None}``.
/// **fields
///     The input's fields as keyword arguments. ``record`` is one account's signals (a flat
///     mapping with its ``id``), ``overrides`` a list of overrides (``{"account", "points" or
///     "tier", "reason", "author", "expires"}``) or a table of them, ``model`` a model dict
///     (None: the default model).
///
/// Returns
/// -------
/// dict
///     ``{"account", "core_total", "core_tier", "total", "tier", "overridden", "overrides"}``.
///
/// Raises
/// ------
/// ProgramError
///     A bad record value, override or date, with its path.
///
/// Examples
/// --------
/// >>> from advocacy import program
/// >>> out = program.overrides(
/// ...     record={"id": "acme", "nps": 9, "health_score": 85, "roi_achieved": True,
/// ...             "csm_rapport": 4, "engaged_contacts": 3},
/// ...     overrides=[{"account": "acme", "points": 15, "reason": "strong QBR",
/// ...                 "author": "kim@csm", "expires": "2026-03-01"}],
/// ...     as_of="2026-02-28")
/// >>> out["core_tier"], out["tier"], out["total"]
/// ('silver', 'gold', 65.0)
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn overrides<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "overrides", input, fields, program::overrides)
}

/// What an account can be asked for now, best first, and why not the rest.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"account": {...}, "ledger": [...], "overrides": [...], "as_of": "YYYY-MM-DD",
///     "config": None}``.
/// **fields
///     The input's fields as keyword arguments. ``account`` is one account, nested or a flat
///     row (see ``segments``); ``ledger`` the activity ledger (``{"account", "activity",
///     "status", "date"}`` rows, or a table of them); ``overrides`` a list or table of
///     overrides.
///
/// Returns
/// -------
/// dict
///     ``{"account", "tier", "total", "overrides", "segment", "invited_by", "benefits",
///     "max_effort", "start_effort", "stage", "eligible", "excluded", "refusals",
///     "thanks_owed"}``.
///
/// Raises
/// ------
/// ProgramError
///     A bad account, ledger entry (unknown activity, bad date) or override, with its path.
///
/// Examples
/// --------
/// >>> from advocacy import program
/// >>> account = {"id": "p1", "total": 85, "tier": "platinum", "communication_comfort": 5,
/// ...            "available_hours_month": 20, "policy": "open", "past_advocacy": 2}
/// >>> out = program.eligibility(account=account, as_of="2026-02-01")
/// >>> out["tier"], out["max_effort"], out["eligible"][0]["activity"]
/// ('platinum', 'high', 'conference_speaking')
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn eligibility<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "eligibility", input, fields, program::eligibility)
}

/// Applies the fatigue rules to one account's ledger: every refusal names its rule and until when.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"account": "id", "ledger": [...], "as_of": "YYYY-MM-DD", "config": None}``.
/// **fields
///     The input's fields as keyword arguments; ``ledger`` may be a table of ledger rows
///     (``account``, ``activity``, ``status``, ``date``; dates as text, dates or timestamps).
///
/// Returns
/// -------
/// dict
///     ``{"account", "resting", "resting_until", "refusals", "refused_activities",
///     "thanks_owed"}``.
///
/// Raises
/// ------
/// ProgramError
///     A bad ledger entry or date, with its path (``ledger[3].status``).
///
/// Examples
/// --------
/// >>> import pandas as pd
/// >>> from advocacy import program
/// >>> ledger = pd.DataFrame({"account": ["acme"], "activity": ["conference_speaking"],
/// ...                        "status": ["completed"], "date": pd.to_datetime(["2026-03-10"])})
/// >>> out = program.fatigue(account="acme", ledger=ledger, as_of="2026-04-01")
/// >>> out["resting"], out["refusals"][0]["rule"], out["refusals"][0]["until"]
/// (True, 'rest_after.high', '2026-06-08')
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn fatigue<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "fatigue", input, fields, program::fatigue)
}

/// Ranks the advocates who fit a reference request and are not resting, with reasons.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"request": {...}, "accounts": [...], "ledger": [...], "overrides": [...], "as_of":
///     "YYYY-MM-DD", "config": None}``.
/// **fields
///     The input's fields as keyword arguments. ``request`` is ``{"activity", "industry",
///     "segment", "region", "competitor", "date_needed"}`` (all but ``activity`` optional);
///     ``accounts``, ``ledger`` and ``overrides`` lists or tables (accounts nested or flat
///     rows, see ``segments``).
///
/// Returns
/// -------
/// dict
///     ``{"request", "candidates": [{"rank", "account", "tier", "total", "segment",
///     "match_points", "reasons", "invited_by", "incentive", "approval_needed"}], "later",
///     "considered", "eligible", "resting"}``, candidates best first.
///
/// Raises
/// ------
/// ProgramError
///     A bad request, account, ledger entry or override, with its path.
///
/// Examples
/// --------
/// >>> import polars as pl
/// >>> from advocacy import program
/// >>> accounts = pl.DataFrame({"id": ["m1", "m2"], "tier": ["platinum", "silver"], "total": [88, 45],
/// ...     "industry": ["Fintech", "Retail"], "communication_comfort": [5, 4],
/// ...     "available_hours_month": [10, 10], "policy": ["open", "open"]})
/// >>> out = program.match_request(request={"activity": "reference_call", "industry": "fintech"},
/// ...                             accounts=accounts, as_of="2026-12-01")
/// >>> [(c["account"], c["tier"]) for c in out["candidates"]]
/// [('m1', 'platinum')]
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn match_request<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "match", input, fields, program::match_request)
}

/// The monthly review: movement, due revisits, pipeline stages, who to ask for what, thank-yous owed.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"previous": [...], "current": [...], "ledger": [...], "overrides": [...], "as_of":
///     "YYYY-MM-DD", "previous_as_of": None, "config": None}``.
/// **fields
///     The input's fields as keyword arguments. ``previous`` and ``current`` are last month's
///     and this month's accounts (lists or tables; nested or flat rows, see ``segments``: a
///     ``score_frame`` result with ``keep="all"`` reads as it is).
///
/// Returns
/// -------
/// dict
///     ``{"as_of", "accounts", "tiers", "segments", "stages", "movement": {"moved_up",
///     "moved_down", "newly_qualified", ...}, "trending_up", "revisits_due",
///     "new_promoters", "suggestions", "thanks_owed", ...}``.
///
/// Raises
/// ------
/// ProgramError
///     A bad account, ledger entry or override, with its path (``current[2].tier``).
///
/// Examples
/// --------
/// >>> from advocacy import program
/// >>> out = program.review(as_of="2026-11-30",
/// ...     previous=[{"id": "r1", "total": 65, "tier": "gold"}],
/// ...     current=[{"id": "r1", "score": 82, "tier": "platinum"}])
/// >>> [(m["account"], m["from"], m["to"]) for m in out["movement"]["moved_up"]]
/// [('r1', 'gold', 'platinum')]
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn review<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "review", input, fields, program::review)
}

/// Program metrics from the ledger, the accounts and renewal outcomes.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"ledger": [...], "accounts": [...], "renewals": [...], "from": None, "to": None,
///     "config": None}``.
/// **fields
///     The input's fields as keyword arguments (``from`` is a Python keyword: pass it in the
///     dict). ``ledger``, ``accounts`` and ``renewals`` may be tables.
///
/// Returns
/// -------
/// dict
///     ``{"entries", "active_advocates", "recruitment", "completion",
///     "time_to_first_activity", "assets", "retention"}``: active advocates by tier,
///     recruitment conversion (asked -> accepted), activity completion, time to the first
///     completed activity, assets by type, retention of advocates against the rest.
///
/// Raises
/// ------
/// ProgramError
///     A bad ledger entry, account or renewal record, with its path.
///
/// Examples
/// --------
/// >>> import pyarrow as pa
/// >>> from advocacy import program
/// >>> ledger = pa.table({"account": ["x1", "x1"], "activity": ["case_study", "case_study"],
/// ...                    "status": ["asked", "accepted"], "date": ["2026-01-10", "2026-01-12"]})
/// >>> out = program.metrics(ledger=ledger, accounts=[{"id": "x1", "total": 85, "tier": "platinum"}])
/// >>> out["recruitment"]["rate"]
/// 1.0
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn metrics<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "metrics", input, fields, program::metrics)
}

/// The program over time: a history of scored snapshots, and what it says about each account.
///
/// Parameters
/// ----------
/// input : dict, list or table, optional
///     The long table (a pandas/polars DataFrame, a pyarrow Table, or a list of row dicts): one
///     row per account and day, with an ``as_of`` column (text, dates or timestamps), ``id``,
///     ``total`` (or ``score``), ``tier``, and optionally ``name`` and signal columns; rows in
///     any order. Or a dict ``{"rows": ..., "as_of": None, "window_days": 90, "min_change": 5,
///     "revisit_months": None}``, or ``{"snapshots": [{"as_of": "YYYY-MM-DD", "accounts":
///     [...]}], ...}`` with snapshots in increasing date order.
/// **fields
///     The input's fields as keyword arguments (``rows=df, window_days=60``). ``as_of`` is the
///     day of the report (None: the last snapshot's); ``window_days`` and ``min_change`` set
///     the trend (last minus first total of an account's snapshots in the window; a change
///     under ``min_change`` points is flat); ``revisit_months`` the months from becoming not
///     yet qualified to the revisit (None: the default model's).
///
/// Returns
/// -------
/// dict
///     ``{"as_of", "dates", "window_days", "min_change", "revisit_months", "accounts":
///     [{"account", "timeline": [{"as_of", "total", "tier", "revisit"}], "gaps",
///     "first_qualified", "time_in_tier": {"tier", "since", "days"}, "trend", "revisit",
///     "revisit_due", ...}], "trending_up", "trending_down", "revisits": [{"account", "since",
///     "revisit", "due"}], "quarters": [{"quarter", "last_snapshot", "tiers", "accounts"}]}``.
///
/// Raises
/// ------
/// ProgramError
///     A bad date (``rows[3].as_of``), an unknown tier (``rows[3].tier``), the same account
///     twice on one day (``rows[5].id``), snapshots out of date order or the same date twice
///     (``snapshots[2].as_of``), a bad signal value, with its path.
/// TypeError
///     ``input`` that is neither a dict, a list nor a table.
///
/// Examples
/// --------
/// >>> import pandas as pd
/// >>> from advocacy import program
/// >>> df = pd.DataFrame({
/// ...     "as_of": pd.to_datetime(["2026-02-28", "2026-03-31", "2026-05-31", "2026-06-30"]),
/// ...     "id": ["a"] * 4, "total": [45, 35, 37, 44],
/// ...     "tier": ["silver", "not_yet_qualified", "not_yet_qualified", "silver"]})
/// >>> out = program.history(df)
/// >>> [(p["as_of"], p["revisit"]) for p in out["accounts"][0]["timeline"]]
/// [('2026-02-28', None), ('2026-03-31', '2026-09-30'), ('2026-05-31', '2026-09-30'), ('2026-06-30', None)]
/// >>> program.history(df, as_of="2026-06-01")["revisits"]
/// [{'account': 'a', 'since': '2026-03-31', 'revisit': '2026-09-30', 'due': False}]
/// >>> [t["change"] for t in program.history(rows=df, window_days=40)["trending_up"]]
/// [7.0]
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn history<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "history", input, fields, program::history)
}

/// Drafts the recruitment invitation (or, with ``kind="thank_you"``, the thank-you) for one
/// account and activity, in the language asked, from the program guide's template or the
/// configuration's ``templates``.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"account": account, "activity": "case_study", "kind"?: "recruitment" | "thank_you",
///     "lang"?: "en" | "id" | "ms" | "de" | "es", "sender"?, "project"?, "as_of", "config"?}``.
///     The account's custom ``contact`` and ``result`` (or ``notes``) make the message specific.
/// **fields
///     The input's fields as keyword arguments.
///
/// Returns
/// -------
/// dict
///     ``{"account", "activity", "kind", "lang", "text", "values", "incentive",
///     "approval_needed", "warnings"}``: recognition only where gifts are not allowed; each
///     generic part and an activity not askable now named in ``warnings``.
///
/// Raises
/// ------
/// ProgramError
///     A prohibited or opted-out account (no message, and why), an unknown activity or
///     language, a template with an unknown placeholder.
///
/// Examples
/// --------
/// >>> from advocacy import program
/// >>> account = {"id": "ACC-1", "name": "Green Labs", "total": 85, "tier": "platinum",
/// ...            "signals": {"tenure_months": 30, "gifts_allowed": False, "policy": "open"},
/// ...            "custom": {"contact": "Ana", "result": "onboarding cut from six weeks to nine days"}}
/// >>> d = program.draft(account=account, activity="case_study", lang="de", sender="Dana", as_of="2026-11-30")
/// >>> d["text"].splitlines()[0], d["values"]["timeframe"], d["incentive"]["kind"]
/// ('Hallo Ana,', '2 Jahren', 'recognition')
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn draft<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "draft", input, fields, program::draft)
}

/// The request log: open requests with their state, owner, age and best candidates.
///
/// Open requests (open, matched, asked, accepted) are taken the one needed soonest first. Each
/// ``open`` one gets the best candidates of ``match_request`` that the log leaves free: nobody
/// named on another open request, nobody at the quarter's cap for the kind
/// (``config["requests"]["caps_per_quarter"]``), and the first candidate of each request is
/// held for it, so the requests below get other advocates.
///
/// Parameters
/// ----------
/// input : dict, optional
///     ``{"requests": [...], "accounts": [...], "ledger": [...], "overrides": [...], "as_of":
///     "YYYY-MM-DD", "top": 3, "config": None}``.
/// **fields
///     The input's fields as keyword arguments. ``requests`` (id, kind, created, status,
///     advocate, needed, owner, ...), ``accounts`` and ``ledger`` may be tables.
///
/// Returns
/// -------
/// dict
///     ``{"as_of", "total", "open": [{"id", "kind", "status", "owner", "age_days", "needed",
///     "overdue", "advocate", "candidates", "eligible", "excluded"}], "by_status", "by_kind",
///     "outcomes"}``.
///
/// Raises
/// ------
/// ProgramError
///     A bad request (``requests[1].status``: a misspelt status, listing the allowed ones), a
///     bad account or ledger entry, with its path.
///
/// Examples
/// --------
/// >>> import pandas as pd
/// >>> from advocacy import program
/// >>> accounts = [{"id": i, "total": t, "tier": "platinum", "signals": {"communication_comfort": 5}}
/// ...             for i, t in [("a", 90), ("b", 85)]]
/// >>> log = pd.DataFrame({"id": ["R1", "R2"], "kind": "reference_call",
/// ...                     "created": ["2026-11-02", "2026-11-03"], "needed": ["2026-12-01", "2026-12-08"],
/// ...                     "status": "open"})
/// >>> out = program.requests(requests=log, accounts=accounts, as_of="2026-11-30", top=1)
/// >>> [(q["id"], q["candidates"][0]["account"]) for q in out["open"]]
/// [('R1', 'a'), ('R2', 'b')]
#[pyfunction]
#[pyo3(signature = (input=None, /, **fields), text_signature = "(input=None, /, **fields)")]
fn requests<'py>(
    py: Python<'py>,
    input: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    run(py, "requests", input, fields, program::requests)
}

/// Refuses a `Model.calibrate` table argument that is neither a table nor a list of rows.
pub(crate) fn check_table(name: &str, v: &Bound<'_, PyAny>) -> PyResult<()> {
    if v.is_instance_of::<pyo3::types::PyList>() || table_rows(v)?.is_some() {
        return Ok(());
    }
    Err(args::type_error(
        name,
        v,
        "a table (pandas or polars DataFrame, pyarrow Table, Arrow PyCapsule object) or a list of rows (dicts)",
    ))
}

/// `Model.calibrate`: the calibrate input of `fields` (tables read as rows, like the program
/// functions' inputs), run by `advocacy_calibrate::run_json`, the entry point the CLI calls
/// too, so the numbers are the same; the report as a dict.
pub(crate) fn calibrate<'py>(py: Python<'py>, fields: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
    let json = input_json(py, "calibrate", None, Some(fields))?;
    let out =
        py.detach(move || advocacy_calibrate::run_json(json).map_err(Box::new)).map_err(|e| program_error(py, &e))?;
    to_py(py, &out)
}

/// The JSON Schemas of every program input and output type, by type name.
///
/// Returns
/// -------
/// str
///     JSON text: an object of type names (``SegmentsInput``, ``Review``, ...) to their JSON
///     Schemas.
///
/// Examples
/// --------
/// >>> import json
/// >>> from advocacy import program
/// >>> "SegmentsInput" in json.loads(program.json_schemas())
/// True
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
    m.add_function(wrap_pyfunction!(history, &m)?)?;
    m.add_function(wrap_pyfunction!(draft, &m)?)?;
    m.add_function(wrap_pyfunction!(requests, &m)?)?;
    m.add_function(wrap_pyfunction!(json_schemas, &m)?)?;
    // An attribute, not `add_submodule`: that would list the private module in `_core.__all__`.
    parent.setattr("_program", m)
}
