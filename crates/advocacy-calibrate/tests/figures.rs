//! The report's figures against hand-computed values (tests/vectors/*.json, also run by the
//! Python suite): each file's `expect` must be contained in the report of its `input`.

fn contains(got: &serde_json::Value, want: &serde_json::Value, path: &str) {
    match (got, want) {
        (serde_json::Value::Object(g), serde_json::Value::Object(w)) => {
            for (k, v) in w {
                contains(g.get(k).unwrap_or(&serde_json::Value::Null), v, &format!("{path}.{k}"));
            }
        }
        (serde_json::Value::Array(g), serde_json::Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}: length");
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                contains(a, b, &format!("{path}[{i}]"));
            }
        }
        (serde_json::Value::Number(a), serde_json::Value::Number(b)) => {
            assert_eq!(a.as_f64(), b.as_f64(), "{path}")
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

#[test]
fn vectors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let report = advocacy_calibrate::run_json(v["input"].clone()).unwrap();
        contains(&report, &v["expect"], &path.display().to_string());
        n += 1;
    }
    assert!(n > 0);
}
