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
    match function {
        "segments" => run(input, segments),
        "overrides" => run(input, overrides),
        "eligibility" => run(input, eligibility),
        "fatigue" => run(input, fatigue),
        "match" => run(input, match_request),
        "review" | "movement" => run(input, review),
        "metrics" => run(input, metrics),
        "history" => run(input, history),
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
        RequestsInput,
        RequestsReport,
        ProgramError
    )
}
