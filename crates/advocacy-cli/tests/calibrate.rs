//! `advocacy calibrate` on a synthetic year: twelve monthly snapshots taken with `advocacy
//! snapshot` and a ledger of asks whose outcomes come from known weights (or from nothing).

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

use advocacy_calibrate::sample;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).output().unwrap()
}

/// A history folder and a ledger file of the sample, in a fresh folder.
fn year(name: &str, settings: &sample::Settings) -> (PathBuf, sample::Sample) {
    let root = std::env::temp_dir().join(format!("advocacy-calibrate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let s = sample::generate(settings);
    let history = root.join("history");
    for (k, day) in s.dates.iter().enumerate() {
        let csv = root.join(format!("accounts-{day}.csv"));
        std::fs::write(&csv, s.snapshot_csv(k)).unwrap();
        let out = run(&[
            "snapshot",
            "--history",
            history.to_str().unwrap(),
            "--as-of",
            &day.to_string(),
            csv.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::write(root.join("ledger.csv"), s.ledger_csv()).unwrap();
    (root, s)
}

#[test]
fn a_year_with_known_weights_is_learned_and_the_written_model_passes_the_check() {
    let (root, s) = year("known", &sample::Settings::default());
    let (h, l) = (root.join("history"), root.join("ledger.csv"));
    let (h, l) = (h.to_str().unwrap(), l.to_str().unwrap());
    let out = run(&["calibrate", "--history", h, "--ledger", l, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["decision"]["code"], "improved");
    let v = &cli["evaluation"];
    assert!(v["calibrated"]["auc"].as_f64().unwrap() > v["current"]["auc"].as_f64().unwrap() + 0.02);
    assert_eq!(cli["today"]["accounts"], 200);
    // The same numbers as the library on the same history, read from the snapshots' signals.
    let lib =
        advocacy_calibrate::run_json(serde_json::json!({"history": s.history_rows(), "ledger": s.ledger})).unwrap();
    for key in ["examples", "criteria", "evaluation", "decision", "today", "model"] {
        assert_eq!(cli[key], lib[key], "{key}");
    }

    // The terminal report: the table, the held-out comparison, what would move, nothing written.
    let out = run(&["calibrate", "--history", h, "--ledger", l]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    if std::env::var_os("SHOW_CALIBRATE").is_some() {
        eprintln!("{text}");
    }
    for want in [
        "signals as they were when each account was asked",
        "promoter",
        "held out (5 time-ordered folds",
        "AUC",
        "yes among the top 10%",
        "yes in platinum",
        "rank the held-out asks better",
        "today's 200 accounts under the proposed model",
        "nothing written",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
    // --thresholds: thresholds chosen from the data too; the model still passes the check.
    let m = root.join("thresholds.json");
    let out =
        run(&["calibrate", "--history", h, "--ledger", l, "--thresholds", "--json", "--write", m.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["options"]["thresholds"], true);
    assert!(t["criteria"].as_array().unwrap().iter().all(|c| c["old_rule"].is_string()));
    assert!(run(&["model", "check", m.to_str().unwrap()]).status.success());
    // --write: a model file that passes `model check`, with whole points summing to 100.
    for ext in ["json", "toml"] {
        let m = root.join(format!("calibrated.{ext}"));
        let out = run(&["calibrate", "--history", h, "--ledger", l, "--write", m.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let check = run(&["model", "check", m.to_str().unwrap()]);
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
        assert!(String::from_utf8_lossy(&check.stdout).contains("100 points"));
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn pure_noise_says_there_is_nothing_to_learn() {
    let settings = sample::Settings { noise: true, intercept: -0.6, seed: 11, ..Default::default() };
    let (root, _) = year("noise", &settings);
    let (h, l) = (root.join("history"), root.join("ledger.csv"));
    let m = root.join("same.json");
    let out = run(&[
        "calibrate",
        "--history",
        h.to_str().unwrap(),
        "--ledger",
        l.to_str().unwrap(),
        "--write",
        m.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to learn"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the current points, unchanged"));
    let written = advocacy_core::Model::from_json(&std::fs::read_to_string(&m).unwrap()).unwrap();
    assert_eq!(written, advocacy_core::Model::default());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn examples_files_and_bad_input() {
    let root = std::env::temp_dir().join(format!("advocacy-calibrate-bad-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let ex = root.join("examples.csv");
    std::fs::write(&ex, "id,asked,as_of,outcome,nps\na,2026-01-10,2026-01-31,1,9\n").unwrap();
    let out = run(&["calibrate", "--examples", ex.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("examples[0].as_of") && err.contains("on or before the ask (2026-01-10)"), "{err}");
    std::fs::write(&ex, "id,asked,outcome,nps\na,2026-01-10,yes,9\nb,2026-01-11,yes,3\n").unwrap();
    let out = run(&["calibrate", "--examples", ex.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one outcome"));
    let out = run(&["calibrate"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to calibrate on"));
    let _ = std::fs::remove_dir_all(&root);
}

/// The settings of the committed cross-language fixture (python/tests/fixtures/calibrate).
fn fixture_settings() -> sample::Settings {
    sample::Settings { accounts: 60, seed: 3, ..Default::default() }
}

/// The CLI's JSON report on the fixture's sample, from its snapshots.
fn fixture_report() -> (sample::Sample, serde_json::Value) {
    let (root, s) = year("fixture", &fixture_settings());
    let (h, l) = (root.join("history"), root.join("ledger.csv"));
    let out = run(&["calibrate", "--history", h.to_str().unwrap(), "--ledger", l.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&root);
    (s, serde_json::from_slice(&out.stdout).unwrap())
}

fn fixture_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../python/tests/fixtures/calibrate")
}

/// Writes the fixture: `cargo test -p advocacy-cli --test calibrate write_fixture -- --ignored`.
#[test]
#[ignore]
fn write_fixture() {
    let (s, report) = fixture_report();
    let dir = fixture_dir();
    std::fs::create_dir_all(&dir).unwrap();
    // The history's long form, as `pl.read_parquet("DIR/*.parquet")` of the snapshots reads.
    let rows = s.history_rows();
    let keys: Vec<String> = ["as_of", "id", "name", "total", "tier"]
        .iter()
        .map(|k| k.to_string())
        .chain(
            rows[0]
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| !["as_of", "id", "name", "total", "tier"].contains(&k.as_str()))
                .cloned(),
        )
        .collect();
    let mut csv = keys.join(",") + "\n";
    for r in &rows {
        let cells: Vec<String> = keys
            .iter()
            .map(|k| match &r[k.as_str()] {
                serde_json::Value::String(t) => t.clone(),
                serde_json::Value::Null => String::new(),
                v => v.to_string(),
            })
            .collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    std::fs::write(dir.join("history.csv"), csv).unwrap();
    std::fs::write(dir.join("ledger.csv"), s.ledger_csv()).unwrap();
    std::fs::write(dir.join("report.json"), serde_json::to_string_pretty(&report).unwrap() + "\n").unwrap();
}

/// The committed report is what the CLI gives today (the Python test compares against it).
#[test]
fn the_fixture_report_is_current() {
    let (_, report) = fixture_report();
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_dir().join("report.json")).unwrap()).unwrap();
    assert_eq!(report, want, "rerun the ignored test write_fixture");
}
