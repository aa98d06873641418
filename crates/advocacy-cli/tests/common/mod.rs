//! What several CLI test files share.

// Each test file uses some of these.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The sample accounts file.
pub fn samples(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples").join(file)
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Twelve monthly copies of the sample accounts (health and NPS moved by a fixed pattern: a third
/// climbing, a third falling in the last quarter, a third wobbling), each taken as a snapshot.
pub fn year_of_snapshots(dir: &Path, history: &Path) -> (String, Vec<csv::StringRecord>, csv::StringRecord) {
    let d = history.display().to_string();
    let mut rdr = csv::Reader::from_path(samples("accounts.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (nps, health) = (col("nps"), col("health_score"));
    let mut last = String::new();
    for month in 0..12u32 {
        let date = format!("2026-{:02}-01", month + 1);
        let path = dir.join(format!("accounts-{date}.csv"));
        let mut w = csv::Writer::from_path(&path).unwrap();
        w.write_record(&headers).unwrap();
        for (i, r) in rows.iter().enumerate() {
            let mut cells: Vec<String> = r.iter().map(str::to_string).collect();
            let step = match i % 3 {
                0 => 3.0 * f64::from(month),
                1 => -12.0 * f64::from(month.saturating_sub(8)),
                _ => f64::from(month % 2),
            };
            if let Ok(h) = cells[health].parse::<f64>() {
                cells[health] = format!("{:.1}", (h + step).clamp(0.0, 100.0));
            }
            if let Ok(n) = cells[nps].parse::<f64>() {
                cells[nps] = format!("{}", (n + (step / 6.0).round()).clamp(0.0, 10.0));
            }
            w.write_record(&cells).unwrap();
        }
        w.flush().unwrap();
        let (ok, _, err) = run(&["snapshot", "--history", &d, "--as-of", &date, path.to_str().unwrap()]);
        assert!(ok, "{date}: {err}");
        last = path.display().to_string();
    }
    (last, rows, headers)
}
