//! Runs the program-feature vectors of `tests/vectors/` (kinds `segments`, `overrides`,
//! `eligibility`, `fatigue`, `match`, `review`, `metrics`, `history`) through `advocacy_program::json::call`,
//! the same entry point the Python and JavaScript bindings call.
//!
//! `UPDATE_VECTORS=1 cargo test --test program_vectors` writes each case's full `output`; review
//! the diff. Without it, outputs must equal the files exactly, and the hand-written partial
//! `expect` must match.

mod common;

use advocacy_program::json::{self, FUNCTIONS};
use advocacy_program::ProgramError;
use common::{matches, vector_files};
use serde_json::Value as Json;

fn run_file(file: &str, v: &mut Json, update: bool, failures: &mut Vec<String>) -> usize {
    let kind = v["kind"].as_str().unwrap().to_string();
    let cases = v["cases"].as_array_mut().unwrap_or_else(|| panic!("{file}: no `cases`"));
    assert!(!cases.is_empty(), "{file}: no cases");
    for case in cases.iter_mut() {
        let name = format!("{file}: {}", case["name"].as_str().unwrap_or("?"));
        let result = json::call(&kind, case["input"].clone());
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_case(&name, case, result, update)));
        if let Err(e) = outcome {
            failures.push(e.downcast_ref::<String>().cloned().unwrap_or_else(|| name.clone()));
        }
    }
    cases.len()
}

fn check_case(name: &str, case: &mut Json, result: Result<Json, ProgramError>, update: bool) {
    {
        match (result, case.get("error").cloned()) {
            (Ok(out), None) => {
                if let Some(e) = case.get("expect") {
                    matches(e, &out, "output").unwrap_or_else(|m| panic!("{name}: {m}"));
                }
                if update {
                    case["output"] = out;
                } else {
                    let want =
                        case.get("output").unwrap_or_else(|| panic!("{name}: no `output` (run with UPDATE_VECTORS=1)"));
                    assert_eq!(&out, want, "{name}: output differs from the file");
                }
            }
            (Ok(out), Some(_)) => panic!("{name}: expected an error, got {out}"),
            (Err(e), Some(want)) => {
                let got = serde_json::to_value(&e).unwrap();
                matches(&want, &got, "error").unwrap_or_else(|m| panic!("{name}: {m} (error: {e})"));
                // Every error names where, what was seen and what was allowed.
                assert!(!e.to_string().is_empty());
            }
            (Err(e), None) => panic!("{name}: unexpected error: {e}"),
        }
    }
}

#[test]
fn program_vectors() {
    let update = std::env::var_os("UPDATE_VECTORS").is_some();
    let mut kinds_seen = std::collections::BTreeSet::new();
    let mut ran = 0;
    let mut failures = Vec::new();
    for path in vector_files() {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut v: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let Some(kind) = v["kind"].as_str().map(str::to_string) else { continue };
        if !FUNCTIONS.contains(&kind.as_str()) {
            continue;
        }
        ran += run_file(&file, &mut v, update, &mut failures);
        kinds_seen.insert(kind);
        if update && failures.is_empty() {
            std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
    for k in [
        "segments",
        "overrides",
        "eligibility",
        "fatigue",
        "match",
        "review",
        "metrics",
        "history",
        "draft",
        "requests",
    ] {
        assert!(kinds_seen.contains(k), "no vector file of kind {k}");
    }
    assert!(ran >= 30, "only {ran} program cases ran");
}

#[test]
fn unknown_function_is_an_error() {
    let e = json::call("nope", serde_json::json!({})).unwrap_err();
    assert_eq!(e.kind.code(), "unknown_function");
    assert_eq!(e.path, "function");
    assert_eq!(e.value, "nope");
}
