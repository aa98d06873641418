//! The JSON entry point: every program function by name, JSON in and JSON out, and the JSON
//! Schemas of their inputs and outputs. The bindings call only this.

use serde::Serialize;

use crate::error::{from_json_value, ProgramError, ProgramErrorKind};
use crate::*;

pub use crate::flat::normalize_input;

/// The functions [`call`] knows, by name (`movement` is another name of `review`).
pub const FUNCTIONS: &[&str] = &[
    "segments",
    "overrides",
    "eligibility",
    "fatigue",
    "match",
    "review",
    "movement",
    "metrics",
    "history",
    "requests",
    "draft",
];

/// Runs the program function named `function` on JSON input and returns its JSON output: the
/// one entry point the bindings and the cross-language vectors call. Accounts may be nested or
/// flat rows, as [`normalize_input`] reads them. The input of `history` may also be its rows
/// alone (a list: the long form of [`crate::History`]).
///
/// ```
/// let out = advocacy_program::json::call("segments", serde_json::json!({
///     "accounts": [{"id": "a", "signals": {"public_reviews": 2, "nps": 9, "health_score": 95, "active_days_30d": 22, "roi_achieved": true}}]
/// })).unwrap();
/// assert_eq!(out["results"][0]["segment"], "active");
/// ```
pub fn call(function: &str, mut input: serde_json::Value) -> Result<serde_json::Value, ProgramError> {
    fn run<I: serde::de::DeserializeOwned, O: Serialize>(
        input: serde_json::Value,
        f: impl Fn(&I) -> Result<O, ProgramError>,
    ) -> Result<serde_json::Value, ProgramError> {
        let i: I = from_json_value(input, "")?;
        let o = f(&i)?;
        serde_json::to_value(o).map_err(|e| {
            ProgramError::new(
                ProgramErrorKind::InvalidValue,
                "",
                "",
                "",
                format!("output could not be written as JSON: {e}"),
            )
        })
    }
    if function == "history" && input.is_array() {
        input = serde_json::json!({ "rows": input.take() });
    }
    normalize_input(function, &mut input)?;
    attach_enrolment_json(function, &mut input)?;
    match function {
        "segments" => run(input, segments),
        "overrides" => run(input, overrides),
        "eligibility" => run(input, eligibility),
        "fatigue" => run(input, fatigue),
        "match" => run(input, match_request),
        "review" | "movement" => run(input, review),
        "metrics" => run(input, metrics),
        "history" => run(input, history),
        "draft" => run(input, crate::draft),
        "requests" => run(input, requests),
        other => Err(ProgramError::new(
            ProgramErrorKind::UnknownFunction,
            "function",
            other,
            FUNCTIONS.join(", "),
            "unknown program function",
        )),
    }
}

/// The accounts of a function's input, by key (`account` for eligibility: one object).
fn accounts_key(function: &str) -> Option<&'static str> {
    match function {
        "segments" | "match" => Some("accounts"),
        "review" | "movement" => Some("current"),
        "eligibility" => Some("account"),
        _ => None,
    }
}

/// An `enrolment` sheet beside the accounts (rows as [`crate::read_enrolment`] reads them):
/// taken out of the input and attached to the accounts it names, as their `enrolment`.
fn attach_enrolment_json(function: &str, input: &mut serde_json::Value) -> Result<(), ProgramError> {
    let Some(obj) = input.as_object_mut() else { return Ok(()) };
    let Some(sheet) = obj.remove("enrolment") else { return Ok(()) };
    let rows = match sheet {
        serde_json::Value::Null => return Ok(()),
        serde_json::Value::Array(rows) => rows,
        other => {
            return Err(ProgramError::new(
                ProgramErrorKind::Parse,
                "enrolment",
                crate::flat::kind_of(&other),
                "a list of enrolment rows, or a table",
                "not an enrolment sheet",
            ))
        }
    };
    let Some(key) = accounts_key(function) else {
        return Err(ProgramError::new(
            ProgramErrorKind::Parse,
            "enrolment",
            function,
            "segments, eligibility, match or review",
            "this function takes no enrolment sheet",
        ));
    };
    let read = crate::read_enrolment(&rows, "enrolment")?;
    let list = match obj.get_mut(key) {
        Some(serde_json::Value::Array(list)) => list.iter_mut().collect::<Vec<_>>(),
        Some(one @ serde_json::Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let mut accounts: Vec<crate::Account> = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let at = if key == "account" { key.to_string() } else { format!("{key}[{i}]") };
        accounts.push(from_json_value((*v).clone(), &at)?);
    }
    crate::attach_enrolment(&mut accounts, read, "enrolment")?;
    for (v, a) in list.into_iter().zip(accounts) {
        *v = serde_json::to_value(a).map_err(|e| {
            ProgramError::new(ProgramErrorKind::InvalidValue, key, "", "", format!("account not written back: {e}"))
        })?;
    }
    Ok(())
}

/// The JSON Schemas of every input and output type, by name, for binding generators.
pub fn schemas() -> serde_json::Value {
    macro_rules! schemas {
        ($($t:ty),*) => { serde_json::json!({ $( stringify!($t): schemars::schema_for!($t) ),* }) };
    }
    schemas!(
        ProgramConfig,
        SegmentsInput,
        SegmentsOutput,
        OverridesInput,
        Overridden,
        EligibilityInput,
        Eligibility,
        FatigueInput,
        FatigueReport,
        MatchInput,
        Matches,
        ReviewInput,
        Review,
        MetricsInput,
        Metrics,
        HistoryInput,
        HistoryReport,
        DraftInput,
        Draft,
        RequestsInput,
        RequestsReport,
        ProgramError
    )
}
