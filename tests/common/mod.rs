//! Helpers shared by the vector runners: listing the vector files and matching partial results.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// Every `tests/vectors/*.json`, sorted.
pub fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in {}", dir.display());
    files
}

/// `expected` matches `actual` when every key it gives matches (arrays: same length, each element matches).
pub fn matches(expected: &Json, actual: &Json, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Json::Object(e), Json::Object(a)) => {
            for (k, v) in e {
                let av = a.get(k).ok_or_else(|| format!("{path}.{k}: missing in result"))?;
                matches(v, av, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Json::Array(e), Json::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{path}: expected {} items, got {}: {}", e.len(), a.len(), actual));
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                matches(x, y, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Json::Number(x), Json::Number(y)) if x.as_f64() == y.as_f64() => Ok(()),
        (x, y) if x == y => Ok(()),
        (x, y) => Err(format!("{path}: expected {x}, got {y}")),
    }
}
