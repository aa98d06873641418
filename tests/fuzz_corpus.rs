//! Replays the kept fuzz corpus (`fuzz/corpus/<target>/`) through the fuzz targets' checks, on
//! stable Rust, in every test run: a smoke of every target, and a regression test for every
//! input the fuzzer ever kept.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
        n += 1;
    }
    assert!(n > 0, "{target}: empty corpus");
}

#[test]
fn model_json() {
    replay("model_json", checks::model_json);
}

#[test]
fn model_toml() {
    replay("model_toml", checks::model_toml);
}

#[test]
fn records_json() {
    replay("records_json", checks::records_json);
}

#[test]
fn records_csv() {
    replay("records_csv", checks::records_csv);
}

#[test]
fn batch() {
    replay("batch", checks::batch);
}
