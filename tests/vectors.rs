//! Runs every file of `tests/vectors/` through the Rust API.
//!
//! `UPDATE_VECTORS=1 cargo test --test vectors` writes the full `score` results into the files;
//! review the diff. Without it, results must equal the files exactly.

use std::borrow::Cow;
mod common;

use advocacy_core::{Column, Columns, Date, Model, OnError, Record, Value, DEFAULT_MODEL_JSON};
use common::{matches, vector_files};
use serde_json::{json, Value as Json};

fn model_of(v: &Json) -> Model {
    let mut m: Json = match &v["model"] {
        Json::Null => serde_json::from_str(DEFAULT_MODEL_JSON).unwrap(),
        other => other.clone(),
    };
    if let Some(o) = v.get("model_overrides").and_then(Json::as_object) {
        for (k, val) in o {
            m[k] = val.clone();
        }
    }
    Model::from_json(&m.to_string()).unwrap_or_else(|e| panic!("vector model does not load: {e}"))
}

/// A typed column when every present value has one JSON type, else a loose one.
fn column_of(values: Vec<Value>) -> Column<'static> {
    let present: Vec<&Value> = values.iter().filter(|v| !matches!(v, Value::Null)).collect();
    if present.iter().all(|v| matches!(v, Value::Number(_))) {
        Column::from(values.iter().map(|v| v.as_f64()).collect::<Vec<Option<f64>>>())
    } else if present.iter().all(|v| matches!(v, Value::Bool(_))) {
        Column::from(values.iter().map(|v| v.as_bool()).collect::<Vec<Option<bool>>>())
    } else if present.iter().all(|v| matches!(v, Value::Text(_))) {
        Column::Text(values.iter().map(|v| v.as_str().map(|s| Cow::Owned(s.to_string()))).collect())
    } else {
        Column::from(values)
    }
}

fn check_batch(
    file: &str,
    model: &Model,
    records: &[Record],
    results: &[Result<Json, Json>],
    expected_ranking: Option<&Json>,
) {
    let mut names: Vec<&String> = records.iter().flat_map(|r| r.values.keys()).collect();
    names.sort();
    names.dedup();
    for typed in [true, false] {
        let mut cols = Columns::new(records.len());
        cols.set_ids(Column::from(records.iter().map(|r| r.id.clone()).collect::<Vec<_>>())).unwrap();
        for name in &names {
            let vals: Vec<Value> = records.iter().map(|r| r.get(name).cloned().unwrap_or(Value::Null)).collect();
            cols.add(name, if typed { column_of(vals) } else { Column::from(vals) }).unwrap();
        }
        let out = model.score_columns(&cols, OnError::Flag).unwrap();
        for (i, r) in results.iter().enumerate() {
            let what = format!("{file}: batch (typed: {typed}) row {i}");
            match r {
                Ok(s) => {
                    assert!(out.error(i).is_none(), "{what}: flagged {:?}", out.error(i));
                    assert_eq!(json!(out.total[i]), s["total"], "{what}: total");
                    assert_eq!(json!(out.tier[i]), s["tier"], "{what}: tier");
                    assert_eq!(json!(out.completeness[i]), s["completeness"], "{what}: completeness");
                    assert_eq!(json!(out.max_possible[i]), s["bounds"]["max"], "{what}: max_possible");
                    for (k, (id, pts)) in out.categories.iter().enumerate() {
                        assert_eq!(json!(id), s["categories"][k]["id"], "{what}");
                        assert_eq!(json!(pts[i]), s["categories"][k]["points"], "{what}: category {id}");
                    }
                }
                Err(e) => {
                    let got = out.error(i).unwrap_or_else(|| panic!("{what}: not flagged, expected {e}"));
                    let got = serde_json::to_value(got).unwrap();
                    assert_eq!(got["code"], e["code"], "{what}: code");
                    assert_eq!(got["signal"], e["signal"], "{what}: signal");
                    assert_eq!(got["value"], e["value"], "{what}: value");
                    assert_eq!(got["row"], json!(i), "{what}: row");
                    assert!(out.total[i].is_nan() && out.tier[i].is_none(), "{what}: flagged row has a score");
                }
            }
        }
        let first_error = results.iter().position(|r| r.is_err());
        match model.score_columns(&cols, OnError::Fail) {
            Ok(_) => assert!(first_error.is_none(), "{file}: on_error=fail did not fail"),
            Err(e) => assert_eq!(e.row, first_error, "{file}: on_error=fail reports the first bad row"),
        }
        if let Some(r) = expected_ranking {
            assert_eq!(&json!(out.ranking()), r, "{file}: batch_ranking");
        }
    }
}

fn run_score_file(file: &str, v: &mut Json, update: bool) {
    let model = model_of(v);
    let as_of: Option<Date> = v.get("as_of").and_then(Json::as_str).map(|s| s.parse().unwrap());
    let mut records = Vec::new();
    let mut results = Vec::new();
    for case in v["cases"].as_array_mut().unwrap() {
        let name = format!("{file}: {}", case["name"].as_str().unwrap_or("?"));
        let record = Record::from_json(&case["record"], "id").unwrap_or_else(|e| panic!("{name}: {e}"));
        let res = match as_of {
            Some(d) => model.score_as_of(&record, d),
            None => model.score(&record),
        };
        records.push(record);
        match (res, case.get("error").cloned()) {
            (Ok(score), None) => {
                let got = serde_json::to_value(&score).unwrap();
                if let Some(exp) = case.get("expect") {
                    matches(exp, &got, "score").unwrap_or_else(|e| panic!("{name}: {e}"));
                }
                if update {
                    case["score"] = got.clone();
                } else {
                    let full = case.get("score").unwrap_or_else(|| panic!("{name}: no `score`; run UPDATE_VECTORS=1"));
                    assert_eq!(full, &got, "{name}: full result differs");
                }
                results.push(Ok(got));
            }
            (Err(e), Some(exp)) => {
                let got = serde_json::to_value(&e).unwrap();
                matches(&exp, &got, "error").unwrap_or_else(|err| panic!("{name}: {err}"));
                results.push(Err(got));
            }
            (Ok(s), Some(exp)) => panic!("{name}: expected error {exp}, got score {}", s.total),
            (Err(e), None) => panic!("{name}: unexpected error: {e}"),
        }
    }
    check_batch(file, &model, &records, &results, v.get("batch_ranking"));
}

fn run_model_errors(file: &str, v: &Json) {
    for case in v["cases"].as_array().unwrap() {
        let name = format!("{file}: {}", case["name"].as_str().unwrap_or("?"));
        let res = match case.get("format").and_then(Json::as_str) {
            Some("toml") => Model::from_toml(case["model"].as_str().unwrap()),
            _ => match &case["model"] {
                Json::String(s) => Model::from_json(s),
                other => Model::from_json(&other.to_string()),
            },
        };
        let err = res.err().unwrap_or_else(|| panic!("{name}: model loaded, expected {}", case["error"]));
        let got = serde_json::to_value(&err).unwrap();
        matches(&case["error"], &got, "error").unwrap_or_else(|e| panic!("{name}: {e} (message: {err})"));
    }
}

#[test]
fn vectors() {
    let update = std::env::var_os("UPDATE_VECTORS").is_some();
    let mut ran = 0;
    for path in vector_files() {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut v: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        match v["kind"].as_str() {
            Some("score") => run_score_file(&file, &mut v, update),
            Some("model_errors") => run_model_errors(&file, &v),
            // Program-feature kinds are run by tests/program_vectors.rs.
            Some(_) => continue,
            None => panic!("{file}: no `kind`"),
        }
        ran += 1;
        if update {
            std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
        }
    }
    assert!(ran >= 5, "only {ran} score/model vector files ran");
}
