//! Runs the `tables` and `sources` vectors of `tests/vectors/` through the Rust API.
//!
//! `tables`: every case is read by the core's column plan and scored twice, as records (the
//! CLI's record reader: `TableReader`-style rows through `ColumnPlan::read_row`) and as a
//! columnar batch of text columns (what the streaming CLI and the bindings hand the core), and
//! both must equal the case's `output`. `sources`: `Model::score_sources` on the case's input.
//! `UPDATE_VECTORS=1 cargo test --test source_vectors` writes the `output`s; review the diff.

#![allow(clippy::result_large_err)]

use std::borrow::Cow;
mod common;

use advocacy_core::{
    Column, ColumnMapping, Columns, Date, ErrorEnvelope, Model, OnError, SourcesInput, Value, DEFAULT_MODEL_JSON,
};
use common::{matches, vector_files};
use serde_json::{json, Value as Json};

fn model_of(case: &Json) -> Model {
    let mut m: Json = serde_json::from_str(DEFAULT_MODEL_JSON).unwrap();
    if let Some(o) = case.get("model_overrides").and_then(Json::as_object) {
        for (k, val) in o {
            m[k] = val.clone();
        }
    }
    Model::from_json(&m.to_string()).unwrap_or_else(|e| panic!("vector model does not load: {e}"))
}

fn as_of(case: &Json) -> Option<Date> {
    case.get("as_of").and_then(Json::as_str).map(|s| s.parse().unwrap())
}

/// One output row of a `tables` case: the scores, or the error (code, signal, value, message).
fn row_output(
    id: Option<String>,
    total: f64,
    tier: Json,
    completeness: f64,
    max_possible: f64,
    error: Option<ErrorEnvelope>,
) -> Json {
    match error {
        Some(e) => {
            json!({"id": id, "error": {"code": e.code, "signal": e.signal, "value": e.value, "message": e.message}})
        }
        None => {
            json!({"id": id, "total": total, "tier": tier, "completeness": completeness, "max_possible": max_possible})
        }
    }
}

/// Reads and scores a `tables` case both ways; `Err` is a whole-table error.
fn score_table(case: &Json) -> Result<(Json, Vec<Json>, Vec<Json>), ErrorEnvelope> {
    let model = model_of(case);
    let headers: Vec<String> = serde_json::from_value(case["headers"].clone()).unwrap();
    let mapping: ColumnMapping = match case.get("columns") {
        Some(Json::Null) | None => ColumnMapping::default(),
        Some(m) => serde_json::from_value(m.clone()).unwrap(),
    };
    let rows: Vec<Vec<Option<String>>> = serde_json::from_value(case["rows"].clone()).unwrap();
    let plan = model.read_columns(&headers, &mapping)?;
    plan.check_reads_something(&model)?;
    let read = serde_json::to_value(&plan.columns).unwrap();
    let as_of = as_of(case);

    // As records, one row at a time.
    let mut records = Vec::new();
    let mut broken = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        let cells: Vec<Value> = cells.iter().map(|c| c.clone().map_or(Value::Null, Value::Text)).collect();
        match plan.read_row(&model, i, &cells) {
            Ok(row) => {
                records.push(row.into_record("table"));
                broken.push(None);
            }
            Err(e) => {
                let id = plan.id_column().and_then(|c| cells.get(c).and_then(Value::to_id));
                records.push(advocacy_core::Record { id, ..Default::default() });
                broken.push(Some(ErrorEnvelope::from(&e)));
            }
        }
    }
    let ids: Vec<Option<String>> = records.iter().map(|r| r.id.clone()).collect();
    let id_problems = advocacy_core::id_errors(ids.iter().map(|i| i.as_deref()));
    let scores = model.score_records(&records, as_of);
    let mut by_record = Vec::new();
    for (i, s) in scores.into_iter().enumerate() {
        let id_problem = id_problems.iter().find(|e| e.row == Some(i)).map(ErrorEnvelope::from);
        let out = match (broken[i].clone().or(id_problem), s) {
            (Some(e), _) => row_output(ids[i].clone(), 0.0, Json::Null, 0.0, 0.0, Some(e)),
            (None, Ok(s)) => row_output(ids[i].clone(), s.total, json!(s.tier), s.completeness, s.bounds.max, None),
            (None, Err(mut e)) => {
                e.row = Some(i);
                row_output(ids[i].clone(), 0.0, Json::Null, 0.0, 0.0, Some(ErrorEnvelope::from(&e)))
            }
        };
        by_record.push(out);
    }

    // As a batch of text columns.
    let text = |c: usize| -> Column<'static> {
        Column::Text(rows.iter().map(|r| r.get(c).cloned().flatten().map(Cow::Owned)).collect())
    };
    let mut cols = Columns::new(rows.len());
    for (c, _) in headers.iter().enumerate() {
        if let Some(s) = plan.signal_of(c) {
            let spec = model.signal(s).unwrap();
            cols.add(s, plan.read_column(spec, text(c))).unwrap();
        }
    }
    if let Some(c) = plan.id_column() {
        cols.set_ids(text(c)).unwrap();
        cols.require_unique_ids();
    }
    if let Some(c) = plan.observed_column() {
        cols.set_observed(text(c)).unwrap();
    }
    if let Some(d) = as_of {
        cols.set_as_of(d);
    }
    cols.set_read_options(plan.options);
    let out = model.score_columns(&cols, OnError::Flag).unwrap();
    let by_batch = (0..rows.len())
        .map(|i| {
            row_output(
                cols.id(i),
                out.total[i],
                json!(out.tier[i]),
                out.completeness[i],
                out.max_possible[i],
                out.error(i).map(ErrorEnvelope::from),
            )
        })
        .collect();
    Ok((read, by_record, by_batch))
}

fn run_tables(file: &str, v: &mut Json, update: bool) {
    for case in v["cases"].as_array_mut().unwrap() {
        let name = format!("{file}: {}", case["name"].as_str().unwrap_or("?"));
        match (score_table(case), case.get("error").cloned()) {
            (Ok((read, by_record, by_batch)), None) => {
                assert_eq!(by_record, by_batch, "{name}: records and batch differ");
                let got = json!({"read": read, "rows": by_record});
                if let Some(exp) = case.get("read") {
                    for e in exp.as_array().unwrap() {
                        let h = &e["header"];
                        let a = read.as_array().unwrap().iter().find(|r| &r["header"] == h).unwrap();
                        matches(e, a, "read").unwrap_or_else(|err| panic!("{name}: {err}"));
                    }
                }
                if let Some(exp) = case.get("expect") {
                    matches(exp, &got["rows"], "rows").unwrap_or_else(|e| panic!("{name}: {e}"));
                }
                if update {
                    case["output"] = got;
                } else {
                    let full =
                        case.get("output").unwrap_or_else(|| panic!("{name}: no `output`; run UPDATE_VECTORS=1"));
                    assert_eq!(full, &got, "{name}: full result differs");
                }
            }
            (Err(e), Some(exp)) => {
                let got = serde_json::to_value(&e).unwrap();
                matches(&exp, &got, "error").unwrap_or_else(|err| panic!("{name}: {err} ({})", e.message));
            }
            (Ok(_), Some(exp)) => panic!("{name}: expected error {exp}"),
            (Err(e), None) => panic!("{name}: unexpected error: {e}"),
        }
    }
}

fn run_sources(file: &str, v: &mut Json, update: bool) {
    for case in v["cases"].as_array_mut().unwrap() {
        let name = format!("{file}: {}", case["name"].as_str().unwrap_or("?"));
        let model = model_of(case);
        let input: SourcesInput =
            serde_json::from_value(case["input"].clone()).unwrap_or_else(|e| panic!("{name}: input: {e}"));
        match (model.score_sources(&input), case.get("error").cloned()) {
            (Ok(out), None) => {
                let got = serde_json::to_value(&out).unwrap();
                if let Some(exp) = case.get("expect") {
                    matches(exp, &got, "output").unwrap_or_else(|e| panic!("{name}: {e}"));
                }
                check_criteria(&name, case.get("expect_criteria"), &got);
                if update {
                    case["output"] = got;
                } else {
                    let full =
                        case.get("output").unwrap_or_else(|| panic!("{name}: no `output`; run UPDATE_VECTORS=1"));
                    assert_eq!(full, &got, "{name}: full result differs");
                }
            }
            (Err(e), Some(exp)) => {
                let got = serde_json::to_value(ErrorEnvelope::from(&e)).unwrap();
                matches(&exp, &got, "error").unwrap_or_else(|err| panic!("{name}: {err} ({e})"));
            }
            (Ok(_), Some(exp)) => panic!("{name}: expected error {exp}"),
            (Err(e), None) => panic!("{name}: unexpected error: {e}"),
        }
    }
}

/// `expect_criteria`: account id -> criterion id -> a partial criterion result.
fn check_criteria(name: &str, expected: Option<&Json>, got: &Json) {
    let Some(expected) = expected.and_then(Json::as_object) else { return };
    for (id, criteria) in expected {
        let account = got["accounts"].as_array().unwrap().iter().find(|a| a["id"] == json!(id));
        let account = account.unwrap_or_else(|| panic!("{name}: no account {id}"));
        for (cid, exp) in criteria.as_object().unwrap() {
            let c = account["score"]["criteria"].as_array().unwrap().iter().find(|c| c["id"] == json!(cid));
            let c = c.unwrap_or_else(|| panic!("{name}: account {id} has no criterion {cid}"));
            matches(exp, c, &format!("{id}.{cid}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn source_vectors() {
    let update = std::env::var_os("UPDATE_VECTORS").is_some();
    let mut ran = Vec::new();
    for path in vector_files() {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let mut v: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        match v["kind"].as_str() {
            Some("tables") => run_tables(&file, &mut v, update),
            Some("sources") => run_sources(&file, &mut v, update),
            _ => continue,
        }
        ran.push(v["kind"].as_str().unwrap().to_string());
        if update {
            std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
        }
    }
    assert!(ran.contains(&"tables".to_string()) && ran.contains(&"sources".to_string()), "ran {ran:?}");
}
