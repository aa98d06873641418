//! Parquet in and out: a Parquet file scores exactly as the same table in CSV, Arrow types
//! (integers, floats, booleans, dictionaries, dates) read as their values, and
//! `--format parquet --output FILE` holds the CSV output's columns and values.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use arrow_array::builder::{BinaryBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("advocacy-cli-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The same accounts as a Parquet file of typed columns and as a CSV file, `n` rows (the
/// Parquet file in several row groups).
fn files(n: usize) -> (PathBuf, PathBuf) {
    let d = dir();
    let id: Vec<String> = (0..n).map(|i| format!("acc-{i}")).collect();
    let nps: Vec<Option<i64>> = (0..n).map(|i| (i % 7 != 3).then_some((i % 11) as i64)).collect();
    let health: Vec<Option<f64>> = (0..n).map(|i| (i % 5 != 0).then_some((i * 37 % 1000) as f64 / 10.0)).collect();
    let roi: Vec<Option<bool>> = (0..n).map(|i| (i % 3 != 0).then_some(i % 2 == 0)).collect();
    let segments = ["smb", "Mid-Market", "enterprise"];
    let mut seg = StringDictionaryBuilder::<Int32Type>::new();
    for i in 0..n {
        seg.append_value(segments[i % 3]);
    }
    let observed: Vec<Option<i32>> = (0..n).map(|i| (i % 4 != 0).then_some(20_000 + (i % 600) as i32)).collect();
    let batch = RecordBatch::try_from_iter([
        ("Account ID", Arc::new(StringArray::from(id.clone())) as ArrayRef),
        ("NPS", Arc::new(Int64Array::from(nps.clone())) as ArrayRef),
        ("Health Score", Arc::new(Float64Array::from(health.clone())) as ArrayRef),
        ("ROI Achieved", Arc::new(BooleanArray::from(roi.clone())) as ArrayRef),
        ("Segment", Arc::new(seg.finish()) as ArrayRef),
        ("observed", Arc::new(Date32Array::from(observed.clone())) as ArrayRef),
    ])
    .unwrap();
    let pq = d.join(format!("accounts{n}.parquet"));
    let props = parquet::file::properties::WriterProperties::builder().set_max_row_group_row_count(Some(7_000)).build();
    let mut w = ArrowWriter::try_new(std::fs::File::create(&pq).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();

    let mut csv = String::from("Account ID,NPS,Health Score,ROI Achieved,Segment,observed\n");
    let date = |d: i32| {
        // Days since 1970-01-01 as YYYY-MM-DD, via the core.
        advocacy_core::Date::from_days(d as i64).to_string()
    };
    for i in 0..n {
        let f = |v: Option<String>| v.unwrap_or_default();
        csv += &format!(
            "{},{},{},{},{},{}\n",
            id[i],
            f(nps[i].map(|v| v.to_string())),
            f(health[i].map(advocacy_core::fmt_num)),
            f(roi[i].map(|v| v.to_string())),
            segments[i % 3],
            f(observed[i].map(date)),
        );
    }
    let cs = d.join(format!("accounts{n}.csv"));
    std::fs::write(&cs, csv).unwrap();
    (pq, cs)
}

fn model_with_ages() -> PathBuf {
    let mut m: serde_json::Value = serde_json::from_str(advocacy_core::DEFAULT_MODEL_JSON).unwrap();
    m["max_age_days"] = serde_json::json!({"nps": 180, "health_score": 45});
    let p = dir().join("model.json");
    std::fs::write(&p, m.to_string()).unwrap();
    p
}

#[test]
fn parquet_scores_as_the_same_csv() {
    let (pq, cs) = files(20_000);
    let model = model_with_ages();
    let model = model.to_str().unwrap();
    for order in ["rank", "input"] {
        let args = |f: &PathBuf| {
            let f = f.to_str().unwrap().to_string();
            vec![
                "score".to_string(),
                f,
                "--format".into(),
                "csv".into(),
                "--model".into(),
                model.into(),
                "--as-of".into(),
                "2026-06-01".into(),
                "--order".into(),
                order.into(),
            ]
        };
        let a = Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args(&pq)).output().unwrap();
        let b = Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args(&cs)).output().unwrap();
        assert!(a.status.success(), "{}", text(&a.stderr));
        assert!(b.status.success(), "{}", text(&b.stderr));
        assert_eq!(text(&a.stdout), text(&b.stdout), "order {order}");
        assert_eq!(text(&a.stdout).lines().count(), 20_001);
    }
    // Ranked through many small windows of the spill file: the same output, --top too.
    let whole = run(&["score", cs.to_str().unwrap(), "--format", "csv", "--model", model]);
    for top in [None, Some("777")] {
        let mut args = vec!["score", cs.to_str().unwrap(), "--format", "csv", "--model", model];
        if let Some(t) = top {
            args.extend(["--top", t]);
        }
        let small = Command::new(env!("CARGO_BIN_EXE_advocacy"))
            .args(&args)
            .env("ADVOCACY_RANK_WINDOW_BYTES", "4096")
            .output()
            .unwrap();
        assert!(small.status.success(), "{}", text(&small.stderr));
        let expect: String = text(&whole.stdout)
            .lines()
            .take(top.map_or(usize::MAX, |t| t.parse::<usize>().unwrap() + 1))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(text(&small.stdout), expect, "top {top:?}");
    }
    // Explained, every account, the same as from the CSV file.
    let a = run(&["explain", pq.to_str().unwrap(), "--json", "--model", model, "--as-of", "2026-06-01"]);
    let b = run(&["explain", cs.to_str().unwrap(), "--json", "--model", model, "--as-of", "2026-06-01"]);
    assert!(a.status.success(), "{}", text(&a.stderr));
    let strip = |s: &str| -> Vec<serde_json::Value> {
        s.lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                // The provenance names the file each value came from.
                for c in v["criteria"].as_array_mut().unwrap() {
                    c.as_object_mut().unwrap().remove("provenance");
                }
                v
            })
            .collect()
    };
    let (ea, eb) = (strip(&text(&a.stdout)), strip(&text(&b.stdout)));
    assert_eq!(ea.len(), 20_000);
    assert_eq!(ea, eb);
    assert!(text(&a.stdout).contains("\"stale\""), "some values are stale on 2026-06-01");
}

#[test]
fn parquet_output_holds_the_csv_output() {
    let (_, cs) = files(3_000);
    let out = dir().join("scored.parquet");
    let o = run(&["score", cs.to_str().unwrap(), "--format", "parquet", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
    let csv = run(&["score", cs.to_str().unwrap(), "--format", "csv"]);
    let csv = text(&csv.stdout);
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&out).unwrap()).unwrap().build().unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let mut rows = 0;
    for batch in reader {
        let batch = batch.unwrap();
        let names: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names.join(","), header);
        for r in 0..batch.num_rows() {
            let cells: Vec<String> = (0..batch.num_columns())
                .map(|c| {
                    let a = batch.column(c);
                    if a.is_null(r) {
                        String::new()
                    } else if let Some(x) = a.as_any().downcast_ref::<Float64Array>() {
                        advocacy_core::fmt_num(x.value(r))
                    } else if let Some(x) = a.as_any().downcast_ref::<Int64Array>() {
                        x.value(r).to_string()
                    } else {
                        a.as_any().downcast_ref::<StringArray>().unwrap().value(r).to_string()
                    }
                })
                .collect();
            assert_eq!(cells.join(","), lines.next().unwrap());
            rows += 1;
        }
    }
    assert_eq!(rows, 3_000);
    // Parquet is never written to a terminal.
    let o = run(&["score", cs.to_str().unwrap(), "--format", "parquet"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("--output"), "{}", text(&o.stderr));
}

#[test]
fn bad_parquet_cells_flag_their_rows() {
    let mut bin = BinaryBuilder::new();
    bin.append_value(b"5");
    bin.append_value([0xff, 0xfe]);
    bin.append_value(b"4");
    let batch = RecordBatch::try_from_iter([
        ("id", Arc::new(StringArray::from(vec!["a", "b", "a"])) as ArrayRef),
        ("csm_rapport", Arc::new(bin.finish()) as ArrayRef),
        ("nps", Arc::new(Float64Array::from(vec![9.0, 9.5, 8.0])) as ArrayRef),
    ])
    .unwrap();
    let p = dir().join("bad.parquet");
    let mut w = ArrowWriter::try_new(std::fs::File::create(&p).unwrap(), batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let o = run(&["score", p.to_str().unwrap(), "--format", "jsonl", "--on-error", "flag", "--order", "input"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows: Vec<serde_json::Value> = text(&o.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows[0]["score"], 20.0);
    let e1 = rows[1]["error"].as_str().unwrap();
    assert!(e1.contains("row 2") && e1.contains("csm_rapport") && e1.contains("not text"), "{e1}");
    let e2 = rows[2]["error"].as_str().unwrap();
    assert!(e2.contains("row 3") && e2.contains("also the id on row 1"), "{e2}");
    // Without --on-error flag, the first bad row fails the run, naming it.
    let o = run(&["score", p.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("row 2"), "{}", text(&o.stderr));
    // Not a Parquet file.
    let fake = dir().join("fake.parquet");
    std::fs::write(&fake, "id,nps\na,9\n").unwrap();
    let o = run(&["score", fake.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("not a Parquet file"), "{}", text(&o.stderr));
}
