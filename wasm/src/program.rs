//! The program functions of `advocacy-program` (segments, overrides, eligibility, fatigue,
//! matching, the request log, the monthly review, metrics, history) for JavaScript, behind the crate's `program` feature.
//!
//! Built as a second module (`advocacy_program_bg.wasm`, see scripts/build.sh), loaded on first
//! use by `js/program.ts`: the program functions and the reading of their inputs are over the
//! scoring module's 250 KB gzipped budget.
//!
//! Values cross as JSON text. `advocacy_program::json::call` (the one entry point the Rust
//! vectors, the CLI and the Python binding use) gives every result and error: function names,
//! paths in errors and every rule are the program crate's. Its input is a `serde_json::Value`,
//! which is slow to build in WebAssembly for large inputs (segments over 200,000 accounts: about
//! 50 s, against 2 s typed), so an input that reads straight into the function's input type runs
//! that function and writes its output straight to text; anything else (an input that does not
//! read, an unknown name) goes to `json::call`, so its error is exactly the crate's. A bad input
//! throws the core's `ErrorEnvelope` of the `ProgramError` (`type: "program"`), which the
//! wrapper turns into an `AdvocacyError`.

use advocacy_program::{self as program, json, ProgramError, ProgramErrorKind};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{internal, throw};

/// `json::call` on the input's JSON text.
fn call(function: &str, input: &str) -> Result<String, JsValue> {
    let value: serde_json::Value = serde_json::from_str(input)
        .map_err(|e| throw(&ProgramError::new(ProgramErrorKind::Parse, "", "", "", e.to_string())))?;
    let out = json::call(function, value).map_err(|e| throw(&e))?;
    serde_json::to_string(&out).map_err(|e| internal(&e))
}

/// The function `f` on the input read straight from its text; `json::call` when it does not read.
fn typed<I: DeserializeOwned, O: Serialize>(
    function: &str,
    input: &str,
    f: fn(&I) -> Result<O, ProgramError>,
) -> Result<String, JsValue> {
    match serde_json::from_str::<I>(input) {
        Ok(i) => serde_json::to_string(&f(&i).map_err(|e| throw(&e))?).map_err(|e| internal(&e)),
        Err(_) => call(function, input),
    }
}

/// Runs the program function named `function` (one of `advocacy_program::json::FUNCTIONS`) on
/// the JSON text of its input; returns the JSON text of its output.
#[wasm_bindgen(js_name = programRun)]
pub fn program_run(function: &str, input: &str) -> Result<String, JsValue> {
    // The functions of `json::call` by name, read typed (tests/program_vectors.test.mjs runs
    // every name of `json::FUNCTIONS`); every other name is `json::call`'s to refuse.
    match function {
        "segments" => typed(function, input, program::segments),
        "overrides" => typed(function, input, program::overrides),
        "eligibility" => typed(function, input, program::eligibility),
        "fatigue" => typed(function, input, program::fatigue),
        "match" => typed(function, input, program::match_request),
        "review" | "movement" => typed(function, input, program::review),
        "metrics" => typed(function, input, program::metrics),
        "history" => typed(function, input, program::history),
        "requests" => typed(function, input, program::requests),
        _ => call(function, input),
    }
}

/// The names `json::call` knows (`advocacy_program::json::FUNCTIONS`).
#[wasm_bindgen(js_name = programFunctions)]
pub fn program_functions() -> Vec<String> {
    json::FUNCTIONS.iter().map(|f| f.to_string()).collect()
}

/// The error for an input JavaScript cannot write as JSON (BigInt values, cyclic objects):
/// the JSON of the core's envelope of a `parse` `ProgramError` whose value is `detail`.
#[wasm_bindgen(js_name = programInputError)]
pub fn program_input_error(detail: &str) -> String {
    let err = ProgramError::new(
        ProgramErrorKind::Parse,
        "",
        detail,
        "plain JSON data: objects, arrays, strings, numbers, booleans, null, Dates",
        "the input cannot be written as JSON",
    );
    advocacy_core::ErrorEnvelope::from(&err).to_json()
}

/// The language codes of the texts (`advocacy_program::Lang::ALL`), English first.
#[wasm_bindgen(js_name = langCodes)]
pub fn lang_codes() -> Vec<String> {
    program::Lang::ALL.iter().map(|l| l.code().to_string()).collect()
}

fn lang_of(code: &str) -> Result<program::Lang, JsValue> {
    code.parse()
        .map_err(|_| crate::convert::usage("invalid_argument", "lang", &format!("{code:?}"), &program::Lang::codes()))
}

/// The model (its JSON text) with its default English texts in `lang`
/// (`advocacy_program::localize_model`): the JSON text of the localized model.
#[wasm_bindgen(js_name = langLocalizeModel)]
pub fn lang_localize_model(model_json: &str, lang: &str) -> Result<String, JsValue> {
    let lang = lang_of(lang)?;
    let model = advocacy_core::Model::from_json(model_json).map_err(|e| throw(&e))?;
    Ok(program::localize_model(&model, lang).to_json())
}

/// The text of `key` in `lang` (English where the language lacks it; the key where English does).
#[wasm_bindgen(js_name = langText)]
pub fn lang_text(lang: &str, key: &str) -> Result<String, JsValue> {
    Ok(program::lang::text(lang_of(lang)?, key).to_string())
}

/// The text of `key` in `lang` with the placeholders of `values` (a JSON object of strings) filled.
#[wasm_bindgen(js_name = langMessage)]
pub fn lang_message(lang: &str, key: &str, values: &str) -> Result<String, JsValue> {
    let lang = lang_of(lang)?;
    let values: std::collections::BTreeMap<String, String> = serde_json::from_str(values).map_err(|_| {
        crate::convert::usage(
            "invalid_argument",
            "values",
            "an object with values that are not all strings",
            "an object of strings",
        )
    })?;
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(program::lang::message(lang, key, &pairs))
}

/// An explained score (its JSON text) as `advocacy explain` writes it, in `lang`.
#[wasm_bindgen(js_name = langExplain)]
pub fn lang_explain(score_json: &str, lang: &str, name: Option<String>) -> Result<String, JsValue> {
    let lang = lang_of(lang)?;
    let score: advocacy_core::Score = serde_json::from_str(score_json).map_err(|_| {
        crate::convert::usage("invalid_argument", "score", "not an explained score", "a Score (model.score(record))")
    })?;
    Ok(program::lang::explain_text(&score, name.as_deref(), lang))
}
