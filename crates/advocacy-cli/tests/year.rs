//! A year of the program run monthly on the samples, from the command line: twelve snapshots,
//! a ledger of asks and completed activities over the year, then the review, the history and the
//! metrics with the history. What the guides ask of a monthly cadence is checked on the result:
//! who moved, whose revisit is due, who rests until when, each quarter's tiers, and asks that
//! follow the ask rules.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = run(args);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// A ledger over the year: every fifth account asked for a review each quarter (most complete
/// it), every fifteenth a case study in the spring, and three conference talks in November
/// (they rest into next year).
fn ledger(dir: &Path, rows: &[csv::StringRecord]) -> String {
    let path = dir.join("ledger.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["account", "activity", "status", "date"]).unwrap();
    for (i, r) in rows.iter().enumerate() {
        let id = &r[0];
        if i % 5 == 0 {
            for q in 0..4 {
                let m = 1 + 3 * q;
                w.write_record([id, "online_review", "asked", &format!("2026-{m:02}-05")]).unwrap();
                if (i / 5 + q) % 3 != 0 {
                    w.write_record([id, "online_review", "completed", &format!("2026-{m:02}-09")]).unwrap();
                    w.write_record([id, "online_review", "thanked", &format!("2026-{m:02}-10")]).unwrap();
                }
            }
        }
        if i % 15 == 1 {
            w.write_record([id, "case_study", "asked", "2026-04-02"]).unwrap();
            w.write_record([id, "case_study", "accepted", "2026-04-03"]).unwrap();
            w.write_record([id, "case_study", "completed", "2026-05-20"]).unwrap();
            w.write_record([id, "case_study", "thanked", "2026-05-21"]).unwrap();
        }
        if [7, 22, 37].contains(&i) {
            w.write_record([id, "conference_speaking", "asked", "2026-10-01"]).unwrap();
            w.write_record([id, "conference_speaking", "completed", "2026-11-12"]).unwrap();
            w.write_record([id, "conference_speaking", "thanked", "2026-11-13"]).unwrap();
        }
    }
    w.flush().unwrap();
    path.display().to_string()
}

#[test]
fn a_year_run_monthly_answers_the_monthly_questions() {
    let dir = std::env::temp_dir().join(format!("advocacy-year-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let history = dir.join("history");
    let h = history.display().to_string();
    let (last, rows, headers) = common::year_of_snapshots(&dir, &history);
    let ledger = ledger(&dir, &rows);

    // The review with the history: who moved, whose revisit is due, who rests until when.
    let review = json(&[
        "review",
        "--current",
        &last,
        "--history",
        &h,
        "--ledger",
        &ledger,
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ]);
    let resting = review["resting_accounts"].as_array().unwrap();
    for i in [7, 22, 37] {
        let r = resting.iter().find(|r| r["account"] == rows[i][0]).unwrap_or_else(|| panic!("{i}"));
        // A high-effort activity completed on 2026-11-12 rests the account 90 days.
        assert_eq!((r["rule"].as_str(), r["until"].as_str()), (Some("rest_after.high"), Some("2027-02-10")), "{r}");
    }
    assert!(
        review["revisits_due"].as_array().unwrap().iter().any(|r| r["revisit"] == "2026-07-01"),
        "{}",
        review["revisits_due"]
    );
    assert!(!review["history"]["trending_up"].as_array().unwrap().is_empty());
    assert!(!review["history"]["trending_down"].as_array().unwrap().is_empty());

    // Every suggested ask follows the ask rules on the account's own values.
    let col = |name: &str| headers.iter().position(|x| x == name).unwrap();
    let by_id: HashMap<&str, &csv::StringRecord> = rows.iter().map(|r| (r.get(0).unwrap(), r)).collect();
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("../advocacy-program/models/program.json");
    let catalogue: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(program).unwrap()).unwrap();
    let hours: HashMap<&str, f64> = catalogue["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["typical_hours"].as_f64().unwrap()))
        .collect();
    let suggestions = review["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty());
    for s in suggestions {
        let r = by_id[s["account"].as_str().unwrap()];
        let renewal = &r[col("renewal_outcome")];
        assert!(renewal != "negotiated" && renewal != "late", "not now: {s}");
        if let Ok(available) = r[col("available_hours_month")].parse::<f64>() {
            assert!(hours[s["activity"].as_str().unwrap()] <= available, "hours: {s}");
        }
        assert_eq!(s["approval_needed"], &r[col("policy")] == "approval_required", "{s}");
    }

    // The metrics with the history: four quarters, each counted by that quarter's tiers.
    let history_report = json(&["history", &h, "--json", "--as-of", "2026-12-01"]);
    let metrics = json(&["metrics", "--ledger", &ledger, "--history", &h, "--as-of", "2026-12-01", "--format", "json"]);
    assert_eq!(metrics["tiers_from"], "history");
    let quarters = metrics["active_advocates"].as_array().unwrap();
    assert_eq!(
        quarters.iter().map(|q| q["quarter"].as_str().unwrap()).collect::<Vec<_>>(),
        ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    );
    for q in quarters {
        let hq = history_report["quarters"].as_array().unwrap().iter().find(|x| x["quarter"] == q["quarter"]).unwrap();
        let tier_of: HashMap<&str, &str> = hq["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["account"].as_str().unwrap(), a["tier"].as_str().unwrap()))
            .collect();
        // The quarter's completers, by their tier in that quarter (worked out from the ledger here).
        let mut want: HashMap<&str, u64> = HashMap::new();
        let mut rdr = csv::Reader::from_path(&ledger).unwrap();
        let mut seen = std::collections::HashSet::new();
        for e in rdr.records().map(|e| e.unwrap()) {
            let month: u32 = e[3][5..7].parse().unwrap();
            let quarter = format!("2026-Q{}", (month - 1) / 3 + 1);
            if &e[2] == "completed" && quarter == q["quarter"] && seen.insert(e[0].to_string()) {
                *want.entry(tier_of[&e[0]]).or_default() += 1;
            }
        }
        for tier in ["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"] {
            assert_eq!(
                q["tiers"][tier].as_u64().unwrap(),
                want.get(tier).copied().unwrap_or(0),
                "{} {tier}",
                q["quarter"]
            );
        }
        assert_eq!(q["unknown_tier"], 0);
    }
    let (ok, text, _) = run(&["metrics", "--ledger", &ledger, "--history", &h, "--as-of", "2026-12-01"]);
    assert!(ok && text.contains("(each quarter's tier from the history)") && text.contains("2026-Q4:"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
