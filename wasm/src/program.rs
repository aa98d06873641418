//! The program functions of `advocacy_core::program` (segments, overrides, eligibility, fatigue,
//! matching, the monthly review, metrics) for JavaScript, behind the crate's `program` feature.
//!
//! Built as a second module (`advocacy_program_bg.wasm`, see scripts/build.sh), loaded on first
//! use by `js/program.ts`: the program functions and the reading of their inputs add about
//! 220 KB gzipped, which the scoring module's 250 KB budget has no room for.
//!
//! Like scores, values cross as the core's serde JSON: the wrapper passes the input object as
//! JSON text, this reads it into the core's input type, calls the core's function and returns
//! the output as JSON text. An input that does not read goes through `program::run_vector` (the
//! one entry point the Rust vectors, the CLI and the Python binding use too), so paths in errors
//! and every rule are the core's. A bad input throws the core's `ProgramError` fields with
//! `type: "program"`, which the wrapper turns into an `AdvocacyError`.

use advocacy_core::program::{self, ProgramError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::convert::to_throw;

/// A program error with its `type` tag and readable message.
fn program_error_json(e: &ProgramError) -> serde_json::Value {
    json!({
        "type": "program",
        "code": e.kind.code(),
        "path": e.path,
        "row": e.row,
        "id": e.id,
        "value": e.value,
        "allowed": e.allowed,
        "message": e.to_string(),
    })
}

fn parse_error(message: String) -> JsValue {
    to_throw(json!({
        "type": "program",
        "code": "parse",
        "path": "",
        "row": null,
        "id": null,
        "value": "",
        "allowed": "a JSON object",
        "message": format!("(root): {message}"),
    }))
}

/// Runs the program function of vector kind `kind` through `run_vector` (input and output as
/// `serde_json::Value`s): the reading that names the path of a bad input.
fn run_value(kind: &str, input: &str) -> Result<String, JsValue> {
    let value: serde_json::Value =
        serde_json::from_str(input).map_err(|e| parse_error(format!("the input is not JSON: {e}")))?;
    let out = program::run_vector(kind, value).map_err(|e| to_throw(program_error_json(&e)))?;
    serde_json::to_string(&out).map_err(|e| parse_error(format!("the result could not be written as JSON: {e}")))
}

/// Reads the text straight into the core's input type and writes the output straight to text:
/// no `Value` trees (large inputs run several times faster). A text that does not read goes to
/// [`run_value`], so that its error is exactly the one `run_vector` gives.
fn run_typed<I: DeserializeOwned, O: Serialize>(
    kind: &str,
    input: &str,
    f: fn(&I) -> Result<O, ProgramError>,
) -> Result<String, JsValue> {
    let typed: I = match serde_json::from_str(input) {
        Ok(i) => i,
        Err(_) => return run_value(kind, input),
    };
    let out = f(&typed).map_err(|e| to_throw(program_error_json(&e)))?;
    serde_json::to_string(&out).map_err(|e| parse_error(format!("the result could not be written as JSON: {e}")))
}

/// Runs the program function of vector kind `kind` (`segments`, `overrides`, `eligibility`,
/// `fatigue`, `match`, `review` or `movement`, `metrics`) on the JSON text of its input; returns
/// the JSON text of its output.
#[wasm_bindgen(js_name = programRun)]
pub fn program_run(kind: &str, input: &str) -> Result<String, JsValue> {
    match kind {
        "segments" => run_typed(kind, input, program::segments),
        "overrides" => run_typed(kind, input, program::overrides),
        "eligibility" => run_typed(kind, input, program::eligibility),
        "fatigue" => run_typed(kind, input, program::fatigue),
        "match" => run_typed(kind, input, program::match_request),
        "review" | "movement" => run_typed(kind, input, program::review),
        "metrics" => run_typed(kind, input, program::metrics),
        // Unknown kinds: the core's error.
        other => run_value(other, input),
    }
}
