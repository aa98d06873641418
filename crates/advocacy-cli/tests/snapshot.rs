//! `advocacy snapshot`: a history folder of one Parquet file per as-of date, each the scored
//! accounts of `score --order input` with an `as_of` column in front.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arrow_array::{Array, Float64Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).output().unwrap()
}

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/accounts.csv").display().to_string()
}

fn fresh(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("advocacy-snapshot-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn read(path: &Path) -> RecordBatch {
    let f = std::fs::File::open(path).unwrap();
    let mut batches: Vec<RecordBatch> =
        ParquetRecordBatchReaderBuilder::try_new(f).unwrap().build().unwrap().map(|b| b.unwrap()).collect();
    // The sample is one row group.
    assert_eq!(batches.len(), 1);
    batches.remove(0)
}

fn text(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let a = b.column_by_name(name).unwrap().as_any().downcast_ref::<StringArray>().unwrap();
    (0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i).to_string())).collect()
}

#[test]
fn three_months_make_a_history_of_three_dated_files() {
    let dir = fresh("three");
    let d = dir.display().to_string();
    for date in ["2026-09-01", "2026-10-01", "2026-11-01"] {
        let out = run(&["snapshot", "--history", &d, "--as-of", date, &samples()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("the snapshot of {date}")));
    }
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["2026-09-01.parquet", "2026-10-01.parquet", "2026-11-01.parquet"]);

    // Each file: `as_of` in front, then exactly the columns and values of `score --order input`.
    let b = read(&dir.join("2026-10-01.parquet"));
    let columns: Vec<String> = b.schema().fields().iter().map(|f| f.name().clone()).collect();
    assert_eq!(&columns[..6], ["as_of", "row", "id", "name", "score", "tier"]);
    assert!(text(&b, "as_of").iter().all(|d| d.as_deref() == Some("2026-10-01")));
    let csv = run(&["score", "--format", "csv", "--order", "input", "--as-of", "2026-10-01", &samples()]);
    assert!(csv.status.success());
    let mut rdr = csv::Reader::from_reader(&csv.stdout[..]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(b.num_rows(), rows.len());
    let ids = text(&b, "id");
    let scores = b.column_by_name("score").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(ids[i].as_deref(), Some(&r[1]));
        assert_eq!(scores.value(i), r[3].parse::<f64>().unwrap(), "row {i}");
    }
}

#[test]
fn a_date_already_in_the_history_is_refused_and_nothing_is_left_behind() {
    let dir = fresh("again");
    let d = dir.display().to_string();
    assert!(run(&["snapshot", "--history", &d, "--as-of", "2026-10-01", &samples()]).status.success());
    let before = std::fs::metadata(dir.join("2026-10-01.parquet")).unwrap().len();
    let out = run(&["snapshot", "--history", &d, "--as-of", "2026-10-01", &samples()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already has a snapshot of 2026-10-01") && err.contains("one snapshot per as-of date"),
        "{err}"
    );
    assert_eq!(std::fs::metadata(dir.join("2026-10-01.parquet")).unwrap().len(), before);

    // A run that fails while scoring leaves no file: a bad value with --on-error fail.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,nps\na,9\nb,eleven\n").unwrap();
    let out = run(&["snapshot", "--history", &d, "--as-of", "2026-11-01", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("eleven"));
    let left: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(!left.iter().any(|n| n.starts_with("2026-11-01")), "{left:?}");
}

#[test]
fn bad_dates_and_inputs_are_named() {
    let dir = fresh("bad");
    let d = dir.display().to_string();
    let out = run(&["snapshot", "--history", &d, "--as-of", "2026-13-01", &samples()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-13-01"));
    let out = run(&["snapshot", "--history", &d, "--as-of", "2026-10-01", "accounts.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("a snapshot reads a .csv"));
    std::fs::write(dir.with_extension("file"), "x").unwrap();
    let out = run(&["snapshot", "--history", dir.with_extension("file").to_str().unwrap(), &samples()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
}

/// Three months of a changing file: `history` reads the folder and reports who moved (biggest
/// first), the revisit date carried from the month an account became not yet qualified, and
/// each quarter's tiers.
#[test]
fn history_reports_trends_carried_revisits_and_quarters() {
    let dir = fresh("history");
    let d = dir.display().to_string();
    std::fs::create_dir_all(&dir).unwrap();
    let header = "id,name,nps,health_score,roi_achieved,csm_rapport,engaged_contacts\n";
    let months = [
        ("2026-01-15", "a,Acme,3,50,no,2,1\nb,Beta,10,95,yes,5,4\nc,Cee,5,60,no,3,1\n"),
        ("2026-02-15", "a,Acme,9,85,yes,4,1\nb,Beta,10,95,yes,5,4\nc,Cee,5,60,no,3,1\n"),
        ("2026-04-15", "a,Acme,10,90,yes,5,4\nb,Beta,3,50,no,2,1\nc,Cee,5,60,no,3,1\n"),
    ];
    for (date, rows) in months {
        let f = dir.join(format!("in-{date}.csv"));
        std::fs::write(&f, format!("{header}{rows}")).unwrap();
        let out = run(&["snapshot", "--history", &d, "--as-of", date, f.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = run(&["history", &d, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["dates"], serde_json::json!(["2026-01-15", "2026-02-15", "2026-04-15"]));
    assert_eq!(r["trending_up"][0]["account"], "a");
    assert_eq!((r["trending_up"][0]["first"].as_f64(), r["trending_up"][0]["last"].as_f64()), (Some(0.0), Some(50.0)));
    assert_eq!(r["trending_down"][0]["account"], "b");
    // c has been not yet qualified since January: its revisit is six months from then, not
    // from its last snapshot; b became so in April.
    let revisits: Vec<(String, String, String)> = r["revisits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["account"].as_str().unwrap().into(),
                v["since"].as_str().unwrap().into(),
                v["revisit"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        revisits,
        [
            ("c".into(), "2026-01-15".into(), "2026-07-15".into()),
            ("b".into(), "2026-04-15".into(), "2026-10-15".into())
        ]
    );
    let q: Vec<&str> = r["quarters"].as_array().unwrap().iter().map(|q| q["quarter"].as_str().unwrap()).collect();
    assert_eq!(q.len(), 2, "{q:?}");
    assert_eq!(r["quarters"][0]["last_snapshot"], "2026-02-15");

    // The text report names the accounts with their names.
    let out = run(&["history", &d]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("a (Acme)") && text.contains("revisit 2026-07-15"), "{text}");

    // review --history: c's revisit, carried from January, is due in August (without the
    // history, the rule applied to August's file says February next year); the JSON has the
    // whole history report under `history`.
    let last = dir.join("in-2026-04-15.csv");
    let last = last.to_str().unwrap();
    let with = run(&["review", "--current", last, "--as-of", "2026-08-01", "--history", &d]);
    assert!(with.status.success(), "{}", String::from_utf8_lossy(&with.stderr));
    let text = String::from_utf8_lossy(&with.stdout);
    assert!(text.contains("Revisits due: 1") && text.contains("c (Cee) (revisit 2026-07-15)"), "{text}");
    assert!(text.contains("Over time") && text.contains("a (Acme)"), "{text}");
    let without = run(&["review", "--current", last, "--as-of", "2026-08-01"]);
    assert!(String::from_utf8_lossy(&without.stdout).contains("Revisits due: 0"));
    let json = run(&["review", "--current", last, "--as-of", "2026-08-01", "--history", &d, "--format", "json"]);
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["history"]["revisits"][0]["due"], true);
    assert_eq!(v["history"]["as_of"], "2026-08-01");

    // explain --history: the account's last scores, and its carried revisit date.
    let out = run(&["explain", "--id", "c", "--history", &d, "--as-of", "2026-08-01", last]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("last scores") && text.contains("2026-01-15") && text.contains("revisit 2026-07-15 (due)"),
        "{text}"
    );
    let out = run(&["explain", "--id", "a", "--history", &d, "--json", last]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["history"]["timeline"].as_array().unwrap().len(), 3);
    assert_eq!(v["history"]["first_qualified"], "2026-02-15");
    let out = run(&["explain", "--history", &d, last]);
    assert!(!out.status.success(), "--history needs --id");

    // Nothing to read, or a file that is not a snapshot: errors that say so.
    let empty = fresh("history-empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = run(&["history", empty.to_str().unwrap()]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no snapshots"));
    let out = run(&["score", "--format", "parquet", "--output", empty.join("x.parquet").to_str().unwrap(), &samples()]);
    assert!(out.status.success());
    let out = run(&["history", empty.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("no column `as_of`"), "{err}");
}

/// A year run monthly on the samples: twelve snapshots of the sample accounts, each month's NPS
/// and health moved by a fixed pattern, then the review with the history shows who moved, whose
/// revisit is due, and four quarters whose tiers count every account.
#[test]
fn a_year_of_monthly_snapshots_of_the_samples() {
    let dir = fresh("year");
    let d = dir.display().to_string();
    std::fs::create_dir_all(&dir).unwrap();
    let (last, rows, _) = common::year_of_snapshots(&dir, &dir);
    let out = run(&["history", &d, "--json", "--as-of", "2026-12-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["dates"].as_array().unwrap().len(), 12);
    let quarters = r["quarters"].as_array().unwrap();
    assert_eq!(quarters.len(), 4);
    for q in quarters {
        let t = &q["tiers"];
        let sum: u64 = ["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"]
            .iter()
            .map(|k| t[k].as_u64().unwrap())
            .sum();
        assert_eq!(sum as usize, rows.len(), "{q}");
    }
    let up = r["trending_up"].as_array().unwrap();
    let down = r["trending_down"].as_array().unwrap();
    assert!(!up.is_empty() && !down.is_empty());
    // Biggest change first, and the wobbling third never counts as a trend.
    assert!(up.windows(2).all(|w| w[0]["change"].as_f64() >= w[1]["change"].as_f64()));
    let wobblers: Vec<String> = rows.iter().skip(2).step_by(3).map(|r| r[0].to_string()).collect();
    assert!(up.iter().chain(down).all(|t| !wobblers.contains(&t["account"].as_str().unwrap().to_string())));

    let out = run(&["review", "--current", &last, "--as-of", "2026-12-01", "--history", &d]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for part in ["Over time", "trending up over 90 days", "revisit dates carried", "2026-Q4 (last snapshot 2026-12-01)"]
    {
        assert!(text.contains(part), "{part}: {text}");
    }
    // Accounts not yet qualified all year have their revisit due: carried from January.
    let due = r["revisits"].as_array().unwrap().iter().filter(|v| v["due"] == true).count();
    assert!(due > 0, "{}", r["revisits"]);
    assert!(r["revisits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["since"] == "2026-01-01" && v["revisit"] == "2026-07-01"));
}

#[test]
fn the_signals_the_model_read_are_written_typed_after_the_results() {
    let dir = fresh("signals");
    let d = dir.display().to_string();
    let input = dir.with_extension("csv");
    std::fs::write(
        &input,
        "Account ID,Account Name,NPS,Health Score,ROI Achieved,Segment,notes\n\
         a,Acme,9,85%,yes,Enterprise,x\n\
         b,Bolt,,40,no,smb,y\n",
    )
    .unwrap();
    let out = run(&["snapshot", "--history", &d, "--as-of", "2026-03-31", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let b = read(&dir.join("2026-03-31.parquet"));
    let columns: Vec<String> = b.schema().fields().iter().map(|f| f.name().clone()).collect();
    let error = columns.iter().position(|c| c == "error").unwrap();
    // Every signal the default model reads: its criteria's, then its gates'.
    assert_eq!(
        &columns[error + 1..],
        [
            "nps",
            "health_score",
            "roi_achieved",
            "csm_rapport",
            "engaged_contacts",
            "meeting_engagement",
            "past_advocacy",
            "proactive_feedback",
            "communication_comfort",
            "industry",
            "segment",
            "brand_strength",
            "policy",
            "opted_out"
        ]
    );
    let num = |name: &str| {
        let a = b.column_by_name(name).unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
        (0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i))).collect::<Vec<_>>()
    };
    assert_eq!(num("nps"), [Some(9.0), None]);
    assert_eq!(num("health_score"), [Some(85.0), Some(40.0)]);
    let roi = b.column_by_name("roi_achieved").unwrap().as_any().downcast_ref::<arrow_array::BooleanArray>().unwrap();
    assert_eq!((roi.value(0), roi.value(1)), (true, false));
    assert_eq!(text(&b, "segment"), [Some("enterprise".to_string()), Some("smb".to_string())]);
    assert_eq!(text(&b, "industry"), [None, None]);
    // The history still reads the folder.
    let h = run(&["history", &d, "--json"]);
    assert!(h.status.success(), "{}", String::from_utf8_lossy(&h.stderr));
}

#[test]
fn a_signal_named_like_a_result_column_is_refused() {
    let dir = fresh("clash");
    let d = dir.display().to_string();
    // A category whose id is the name of a signal the model reads: the readers could not tell
    // the category's points from the signal.
    let model = dir.with_extension("json");
    let mut spec: serde_json::Value = serde_json::from_str(advocacy_core::DEFAULT_MODEL_JSON).unwrap();
    spec["categories"][0]["id"] = "nps".into();
    std::fs::write(&model, spec.to_string()).unwrap();
    let out =
        run(&["snapshot", "--history", &d, "--model", model.to_str().unwrap(), "--as-of", "2026-03-31", &samples()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("signal `nps` would be written as a column named like the column `nps`"), "{err}");
    assert!(!dir.join("2026-03-31.parquet").exists());
    // So is a kept column of a signal's name.
    let out = run(&["snapshot", "--history", &d, "--keep", "nps", "--as-of", "2026-03-31", &samples()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("signal `nps`"));
}
