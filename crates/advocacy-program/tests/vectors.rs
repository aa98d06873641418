//! The cross-language program vectors (`tests/vectors/program_*.json` at the workspace root), run
//! through [`advocacy_program::json::call`] as the bindings run them, from this crate's own tests:
//! `cargo test -p advocacy-program` checks them without building the workspace's test package.
//!
//! Outputs must be byte-identical to the files' `output` (serialized in field order: this crate's
//! dev-dependency on `serde_json` turns on `preserve_order`); an expected error must match the
//! fields the file gives. The root package's `tests/program_vectors.rs` also rewrites the files
//! (`UPDATE_VECTORS=1`); this runner only reads them.

use std::path::{Path, PathBuf};

use advocacy_program::json::{self, FUNCTIONS};
use serde_json::Value as Json;

fn program_vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("program_") && name.ends_with(".json")
        })
        .collect();
    files.sort();
    files
}

/// Every field `want` gives equals the one in `got`.
fn error_matches(want: &Json, got: &Json) -> bool {
    match want.as_object() {
        Some(fields) => fields.iter().all(|(k, v)| got.get(k) == Some(v)),
        None => want == got,
    }
}

#[test]
fn every_program_vector_gives_the_files_output_byte_for_byte() {
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for path in program_vector_files() {
        let file = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let kind = v["kind"].as_str().unwrap_or_else(|| panic!("{file}: no kind")).to_string();
        assert!(FUNCTIONS.contains(&kind.as_str()), "{file}: unknown kind {kind}");
        kinds.insert(kind.clone());
        for case in v["cases"].as_array().unwrap_or_else(|| panic!("{file}: no cases")) {
            ran += 1;
            let name = format!("{file}: {}", case["name"].as_str().unwrap_or("?"));
            match (json::call(&kind, case["input"].clone()), case.get("error")) {
                (Ok(out), None) => {
                    let got = serde_json::to_string(&out).unwrap();
                    let want = case.get("output").map(|w| serde_json::to_string(w).unwrap());
                    if want.as_deref() != Some(got.as_str()) {
                        failures.push(format!("{name}: output differs\n  got  {got}\n  want {want:?}"));
                    }
                }
                (Ok(out), Some(_)) => failures.push(format!("{name}: expected an error, got {out}")),
                (Err(e), Some(want)) => {
                    let got = serde_json::to_value(&e).unwrap();
                    if !error_matches(want, &got) {
                        failures.push(format!("{name}: error {got} does not match {want}"));
                    }
                }
                (Err(e), None) => failures.push(format!("{name}: unexpected error: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(kinds.len(), 10, "kinds seen: {kinds:?}");
    assert!(ran >= 100, "only {ran} cases ran");
}
