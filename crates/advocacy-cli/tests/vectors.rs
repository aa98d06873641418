//! The cross-language `tables` and `sources` vectors (`tests/vectors/`), run through the
//! `advocacy` command as a user would: each table written as a CSV file and scored by
//! `advocacy score` (streaming) and `advocacy explain --json` (the record reader); each set of
//! sources written as JSON files and joined with `--source`. Results must equal the vectors'
//! `output`, which the core wrote.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value as Json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vectors(kind: &str) -> Vec<(String, Json)> {
    let dir = root().join("tests/vectors");
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "json") {
            let v: Json = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            if v["kind"] == kind {
                out.push((p.file_name().unwrap().to_string_lossy().to_string(), v));
            }
        }
    }
    assert!(!out.is_empty(), "no vector file of kind {kind}");
    out
}

fn dir(case: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("advocacy-cli-vectors-{}", std::process::id())).join(case);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `--model` for the case's `model_overrides` (merged over the default model).
fn model_args(case: &Json, d: &Path) -> Vec<String> {
    let Some(o) = case.get("model_overrides").and_then(Json::as_object) else { return Vec::new() };
    let mut m: Json = serde_json::from_str(advocacy_core::DEFAULT_MODEL_JSON).unwrap();
    for (k, v) in o {
        m[k] = v.clone();
    }
    let p = d.join("model.json");
    std::fs::write(&p, m.to_string()).unwrap();
    vec!["--model".into(), p.to_string_lossy().into()]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The part of an error message after the row (the CLI names the file line instead).
fn tail(message: &str) -> &str {
    message.find("signal `").map_or(message, |i| &message[i..])
}

fn run(args: &[String]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn tables_through_the_cli() {
    let mut ran = 0;
    for (file, v) in vectors("tables") {
        for (k, case) in v["cases"].as_array().unwrap().iter().enumerate() {
            let name = format!("{file}: {}", case["name"].as_str().unwrap());
            let d = dir(&format!("t{k}"));
            let headers: Vec<String> = serde_json::from_value(case["headers"].clone()).unwrap();
            let rows: Vec<Vec<Option<String>>> = serde_json::from_value(case["rows"].clone()).unwrap();
            let mut csv = headers.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",") + "\n";
            for r in &rows {
                csv += &(r.iter().map(|c| csv_field(c.as_deref().unwrap_or(""))).collect::<Vec<_>>().join(",") + "\n");
            }
            let path = d.join("table.csv");
            std::fs::write(&path, csv).unwrap();
            let mut args: Vec<String> = model_args(case, &d);
            if let Some(m) = case.get("columns").filter(|m| !m.is_null()) {
                let p = d.join("columns.json");
                std::fs::write(&p, m.to_string()).unwrap();
                args.extend(["--columns".into(), p.to_string_lossy().into()]);
            }
            if let Some(a) = case.get("as_of").and_then(Json::as_str) {
                args.extend(["--as-of".into(), a.into()]);
            }
            let file_arg = path.to_string_lossy().to_string();
            let mut score = vec!["score".to_string(), file_arg.clone()];
            score.extend(["--format", "jsonl", "--on-error", "flag", "--order", "input"].map(String::from));
            score.extend(args.clone());
            let (ok, stdout, stderr) = run(&score);
            if let Some(exp) = case.get("error") {
                assert!(!ok, "{name}: scored, expected error {exp}");
                let code = exp["code"].as_str().unwrap();
                let words = if code == "duplicate" { "two columns" } else { "no column holds a signal" };
                assert!(stderr.contains(words), "{name}: {stderr}");
                continue;
            }
            assert!(ok, "{name}: {stderr}");
            let got: Vec<Json> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            let expected = case["output"]["rows"].as_array().unwrap();
            assert_eq!(got.len(), expected.len(), "{name}: rows");
            for (i, (g, e)) in got.iter().zip(expected).enumerate() {
                let what = format!("{name}: row {i}");
                match e.get("error") {
                    None => {
                        assert_eq!(g["error"], Json::Null, "{what}");
                        assert_eq!(g["id"], e["id"], "{what}: id");
                        assert_eq!(g["score"], e["total"], "{what}: score");
                        assert_eq!(g["tier"], e["tier"], "{what}: tier");
                        assert_eq!(g["completeness"], e["completeness"], "{what}: completeness");
                        assert_eq!(g["max_possible"], e["max_possible"], "{what}: max_possible");
                    }
                    Some(err) => {
                        let msg = g["error"].as_str().unwrap_or_else(|| panic!("{what}: not flagged"));
                        let code = err["code"].as_str().unwrap();
                        if code.ends_with("_id") {
                            assert!(msg.contains("id"), "{what}: {msg}");
                        } else {
                            assert!(msg.ends_with(tail(err["message"].as_str().unwrap())), "{what}: {msg} vs {err}");
                        }
                        assert_eq!(g["score"], Json::Null, "{what}");
                    }
                }
            }
            // The record reader (`explain --json`) gives the same totals.
            let mut explain =
                vec!["explain".to_string(), file_arg, "--json".into(), "--on-error".into(), "flag".into()];
            explain.extend(args);
            let (_, stdout, stderr) = run(&explain);
            let scored: Vec<&Json> = expected.iter().filter(|e| e.get("error").is_none()).collect();
            let got: Vec<Json> = stdout
                .lines()
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l} {stderr}")))
                .collect();
            assert_eq!(got.len(), expected.len(), "{name}: explained lines ({stderr})");
            let got: Vec<&Json> = got.iter().filter(|s| s.get("total").is_some()).collect();
            assert_eq!(got.len(), scored.len(), "{name}: explained accounts ({stderr})");
            for (g, e) in got.iter().zip(&scored) {
                assert_eq!((&g["id"], &g["total"], &g["tier"]), (&e["id"], &e["total"], &e["tier"]), "{name}");
            }
            ran += 1;
        }
    }
    assert!(ran >= 5);
}

#[test]
fn sources_through_the_cli() {
    let mut ran = 0;
    for (file, v) in vectors("sources") {
        for (k, case) in v["cases"].as_array().unwrap().iter().enumerate() {
            let name = format!("{file}: {}", case["name"].as_str().unwrap());
            let input = &case["input"];
            if input.get("on_error").is_some() {
                continue; // flagged accounts: covered by the tables cases
            }
            let d = dir(&format!("s{k}"));
            let mut args = vec!["explain".to_string(), "--json".into()];
            args.extend(model_args(case, &d));
            for (j, s) in input["sources"].as_array().unwrap().iter().enumerate() {
                // Rows as objects, one JSON array file per source (arrays of cells get their headers).
                let rows: Vec<Json> = s["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| match (r, s.get("headers")) {
                        (Json::Array(cells), Some(h)) => {
                            let h = h.as_array().unwrap();
                            Json::Object(
                                h.iter().zip(cells).map(|(h, c)| (h.as_str().unwrap().into(), c.clone())).collect(),
                            )
                        }
                        _ => r.clone(),
                    })
                    .collect();
                let p = d.join(format!("source{j}.json"));
                std::fs::write(&p, Json::Array(rows).to_string()).unwrap();
                let mut spec = format!("{}={}", s["name"].as_str().unwrap(), p.display());
                if let Some(m) = s.get("columns") {
                    let mp = d.join(format!("columns{j}.json"));
                    std::fs::write(&mp, m.to_string()).unwrap();
                    spec += &format!(",columns={}", mp.display());
                }
                if let Some(date) = s.get("date").and_then(Json::as_str) {
                    spec += &format!(",date={date}");
                }
                args.extend(["--source".into(), spec]);
            }
            if input["conflicts"] == "source_order" {
                args.extend(["--conflicts".into(), "source-order".into()]);
            }
            if let Some(a) = input.get("as_of").and_then(Json::as_str) {
                args.extend(["--as-of".into(), a.into()]);
            }
            let (ok, stdout, stderr) = run(&args);
            if let Some(exp) = case.get("error") {
                assert!(!ok, "{name}: scored, expected error {exp}");
                if let Some(value) = exp.get("value").and_then(Json::as_str) {
                    assert!(stderr.contains(value), "{name}: {stderr} lacks {value}");
                }
                ran += 1;
                continue;
            }
            assert!(ok, "{name}: {stderr}");
            let got: Vec<Json> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            let expected = case["output"]["accounts"].as_array().unwrap();
            assert_eq!(got.len(), expected.len(), "{name}: accounts");
            for (g, e) in got.iter().zip(expected) {
                let mut g = g.clone();
                let e = &e["score"];
                // The same explained score, with every criterion's provenance and staleness.
                g.as_object_mut().unwrap().retain(|k, _| e.get(k).is_some());
                assert_eq!(&g, e, "{name}: account {}", e["id"]);
            }
            ran += 1;
        }
    }
    assert!(ran >= 5, "{ran}");
    let _ = json!(null);
}
