//! The JSON Schema of model files: generated from the model types, kept in the repo, and used.

use std::path::Path;

use advocacy_core::{Model, DEFAULT_MODEL_JSON};
use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    serde_json::from_str(&Model::json_schema()).unwrap()
}

#[test]
fn shipped_schema_is_up_to_date() {
    let shipped = std::fs::read_to_string(root().join("crates/advocacy-core/models/model.schema.json")).unwrap();
    let shipped: Value = serde_json::from_str(&shipped).unwrap();
    assert_eq!(
        shipped,
        schema(),
        "regenerate with: cargo run -p advocacy-cli -- model schema > crates/advocacy-core/models/model.schema.json"
    );
}

#[test]
fn default_and_vector_models_validate() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let default: Value = serde_json::from_str(DEFAULT_MODEL_JSON).unwrap();
    assert!(
        validator.is_valid(&default),
        "{:?}",
        validator.iter_errors(&default).map(|e| e.to_string()).collect::<Vec<_>>()
    );
    let round_trip: Value = serde_json::from_str(&Model::default().to_json()).unwrap();
    assert!(validator.is_valid(&round_trip));
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("tests/vectors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if let Some(m) = v.get("model").filter(|m| m.is_object()) {
            assert!(
                validator.is_valid(m),
                "{}: {:?}",
                path.display(),
                validator.iter_errors(m).map(|e| e.to_string()).collect::<Vec<_>>()
            );
            checked += 1;
        }
    }
    assert!(checked >= 1);
}

#[test]
fn schema_rejects_malformed_models() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let crit = json!({"id": "x", "signal": "nps", "rule": {"op": ">=", "value": 9}, "points": 10});
    let bad = [
        json!({"categories": [{"id": "a", "criteria": [crit.clone()]}], "missing": "guess"}),
        json!({"categories": [{"id": "a", "criteria": [{"id": "x", "signal": "nps", "rule": {"op": "~=", "value": 9}, "points": 10}]}]}),
        json!({"categories": [{"id": "a", "criteria": [{"id": "x", "signal": "nps", "rule": {"op": ">=", "value": 9}, "points": "ten"}]}]}),
        json!({"categories": [{"id": "a", "criteria": [crit.clone()]}], "colour": "blue"}),
        json!({"criteria": []}),
    ];
    for b in &bad {
        assert!(!validator.is_valid(b), "schema accepted {b}");
        assert!(Model::from_json(&b.to_string()).is_err(), "loader accepted {b}");
    }
    let good =
        json!({"categories": [{"id": "a", "criteria": [crit]}], "tiers": {"platinum": 8, "gold": 6, "silver": 4}});
    assert!(validator.is_valid(&good));
    assert!(Model::from_json(&good.to_string()).is_ok());
}

/// `tests/schemas/types.json`: the JSON Schemas of every public type of the core and the program
/// crate, from which the TypeScript declarations (wasm/) and the Python typing (python/) are
/// generated. Rewrite it with `UPDATE_SCHEMAS=1 cargo test --test schema`.
#[test]
fn type_schemas_are_up_to_date() {
    let current = json!({ "core": advocacy_core::json_schemas(), "program": advocacy_program::json::schemas() });
    let path = root().join("tests/schemas/types.json");
    let text = serde_json::to_string_pretty(&current).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == text,
        "tests/schemas/types.json is stale: rewrite it with UPDATE_SCHEMAS=1 cargo test --test schema"
    );
}
