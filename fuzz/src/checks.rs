//! What every fuzz target asserts, as plain functions: the fuzz targets call them on the
//! fuzzer's bytes, and `tests/fuzz_corpus.rs` replays the kept corpus through them on stable
//! Rust in every test run. Each returns normally for any input; a panic is a finding.

use std::borrow::Cow;

use advocacy_core::{Bitmap, Column, Columns, Model, ModelSpec, OnError, Record, Score, Value};

/// The default model with targets set, so that every criterion can be judged.
fn scoring_model() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let targets = advocacy_core::Targets {
            industries: vec!["software".into(), "énergie".into()],
            segments: vec!["enterprise".into(), "mid_market".into()],
            regions: vec!["emea".into()],
        };
        Model::default().with_targets(targets).unwrap_or_default()
    })
}

/// A model file in JSON: reading never panics; a model that loads survives JSON and TOML round
/// trips unchanged, `Model::check` agrees with `Model::new`, and it scores an empty record.
pub fn model_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(spec) = ModelSpec::from_json(text) {
        check_spec(spec);
    }
}

/// A model file in TOML, as [`model_json`].
pub fn model_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(spec) = ModelSpec::from_toml(text) {
        check_spec(spec);
    }
}

fn check_spec(spec: ModelSpec) {
    let problems = Model::check(spec.clone());
    match Model::new(spec) {
        Ok(model) => {
            assert!(problems.is_empty(), "Model::new accepted a spec with problems: {problems:?}");
            let again = Model::from_json(&model.to_json()).unwrap_or_else(|e| panic!("JSON round trip: {e}"));
            assert_eq!(again, model, "JSON round trip changed the model");
            let again = Model::from_toml(&model.to_toml()).unwrap_or_else(|e| panic!("TOML round trip: {e}"));
            assert_eq!(again, model, "TOML round trip changed the model");
            let s = model.score(&Record::new()).unwrap_or_else(|e| panic!("empty record: {e}"));
            assert!(s.total.is_finite() && s.total >= 0.0, "total {}", s.total);
        }
        Err(first) => assert_eq!(problems.first(), Some(&first), "Model::check and Model::new disagree"),
    }
}

/// Account records as JSON (an array, one object, or JSON lines): scored one by one and as a
/// batch of loose values, with the same results.
pub fn records_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let values: Vec<serde_json::Value> = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(v)) => v,
        Ok(v) => vec![v],
        Err(_) => text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect(),
    };
    let records: Vec<Record> = values.iter().filter_map(|v| Record::from_json(v, "id").ok()).collect();
    agree(scoring_model(), &records);
}

/// A CSV file read by the core's table reader (headers through the column plan): scored one
/// by one and as a batch, the same.
pub fn records_csv(data: &[u8]) {
    let model = scoring_model();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let Ok(headers) = reader.headers().cloned() else { return };
    let headers: Vec<String> = headers.iter().map(str::to_string).collect();
    let Ok(cells) = model.table_reader(&headers, &advocacy_core::ColumnMapping::default()) else { return };
    let records: Vec<Record> = reader
        .records()
        .take(64)
        .filter_map(Result::ok)
        .map(|row| cells.record(&row.iter().collect::<Vec<_>>()).0)
        .collect();
    agree(model, &records);
}

/// Scores records one at a time and as a batch of loose-value columns; asserts equal results.
fn agree(model: &Model, records: &[Record]) {
    let one: Vec<Result<Score, _>> = records.iter().map(|r| model.score(r)).collect();
    let mut names: Vec<&String> = records.iter().flat_map(|r| r.values.keys()).collect();
    names.sort();
    names.dedup();
    let mut cols = Columns::new(records.len());
    for name in names {
        let vals: Vec<Value> = records.iter().map(|r| r.get(name).cloned().unwrap_or(Value::Null)).collect();
        if cols.add(name, vals).is_err() {
            return;
        }
    }
    let Ok(batch) = model.score_columns(&cols, OnError::Flag) else { panic!("flagging batch failed") };
    for (i, r) in one.iter().enumerate() {
        match r {
            Ok(s) => {
                assert!(batch.error(i).is_none(), "row {i}: batch flagged {:?}, one-by-one scored", batch.error(i));
                assert_eq!(batch.total[i].to_bits(), s.total.to_bits(), "row {i}: totals differ");
                assert_eq!(batch.tier[i], Some(s.tier), "row {i}: tiers differ");
                assert_eq!(batch.completeness[i].to_bits(), s.completeness.to_bits(), "row {i}: completeness");
                assert_eq!(batch.max_possible[i].to_bits(), s.bounds.max.to_bits(), "row {i}: max_possible");
            }
            Err(e) => {
                let b = batch.error(i).unwrap_or_else(|| panic!("row {i}: one-by-one failed ({e}), batch scored"));
                assert_eq!((b.kind, &b.signal), (e.kind, &e.signal), "row {i}: different errors");
            }
        }
    }
}

/// Arbitrary typed columns (floats with NaN and infinities, integers, booleans with validity,
/// text, dictionaries with keys out of range) scored as a batch, as pieces, and row by row:
/// the same results everywhere.
pub fn batch(data: &[u8]) {
    let mut bytes = Bytes(data);
    let n = (bytes.byte() % 24) as usize;
    let texts = [
        "software",
        "SOFTWARE",
        " Énergie ",
        "retail",
        "",
        "enterprise",
        "Mid-Market",
        "smb",
        "huge",
        "prohibited",
        "open",
        "\u{0}x",
    ];
    let mut cols = Columns::new(n);
    let mut rows: Vec<Record> = vec![Record::new(); n];
    let float_signals =
        ["nps", "health_score", "csm_rapport", "engaged_contacts", "meeting_engagement", "brand_strength"];
    for name in float_signals {
        if bytes.byte() % 3 == 0 {
            continue;
        }
        let vals: Vec<f64> = (0..n).map(|_| bytes.number()).collect();
        for (r, v) in rows.iter_mut().zip(&vals) {
            if !v.is_nan() {
                r.set(name, *v);
            }
        }
        if bytes.byte() % 2 == 0 {
            cols.add(name, vals).unwrap_or(());
        } else {
            let ints: Vec<i64> = vals.iter().map(|v| if v.is_finite() { *v as i64 } else { 0 }).collect();
            let valid: Vec<bool> = vals.iter().map(|v| v.is_finite()).collect();
            for (r, (v, ok)) in rows.iter_mut().zip(ints.iter().zip(&valid)) {
                r.values.remove(name);
                if *ok {
                    r.set(name, *v as f64);
                }
            }
            let column = Column::Int { values: Cow::Owned(ints), validity: Some(Bitmap::from_bools(&valid)) };
            cols.add(name, column).unwrap_or(());
        }
    }
    for name in ["roi_achieved", "opted_out", "past_advocacy"] {
        if bytes.byte() % 3 == 0 {
            continue;
        }
        let vals: Vec<Option<bool>> = (0..n)
            .map(|_| match bytes.byte() % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            })
            .collect();
        for (r, v) in rows.iter_mut().zip(&vals) {
            if let Some(b) = v {
                r.set(name, *b);
            }
        }
        cols.add(name, vals).unwrap_or(());
    }
    for name in ["industry", "segment", "policy"] {
        if bytes.byte() % 3 == 0 {
            continue;
        }
        let keys: Vec<u32> = (0..n).map(|_| (bytes.byte() % 14) as u32).collect();
        let text = |k: u32| texts.get(k as usize).copied();
        for (r, k) in rows.iter_mut().zip(&keys) {
            if let Some(t) = text(*k) {
                r.set(name, t);
            }
        }
        if bytes.byte() % 2 == 0 {
            let values = texts.iter().map(|s| Cow::Borrowed(*s)).collect();
            cols.add(name, Column::Dictionary { keys: Cow::Owned(keys.clone()), validity: None, values }).unwrap_or(());
        } else {
            cols.add(name, Column::Text(keys.iter().map(|k| text(*k).map(Cow::Borrowed)).collect())).unwrap_or(());
        }
    }
    let model = scoring_model();
    let Ok(whole) = model.score_columns(&cols, OnError::Flag) else { panic!("flagging batch failed") };
    for (i, r) in rows.iter().enumerate() {
        // Keys past the dictionary have no record form: the batch must flag the row.
        let out_of_range = ["industry", "segment", "policy"].iter().any(|s| {
            matches!(cols.get(s), Some(Column::Dictionary { keys, values, .. }) if keys[i] as usize >= values.len())
        });
        if out_of_range {
            assert!(whole.error(i).is_some(), "row {i}: a key past the dictionary was not flagged");
            continue;
        }
        match model.score(r) {
            Ok(s) => {
                assert!(whole.error(i).is_none(), "row {i}: flagged {:?}", whole.error(i));
                assert_eq!(
                    whole.total[i].to_bits(),
                    s.total.to_bits(),
                    "row {i}: totals differ: record {r:?} columns {:?}",
                    cols
                );
                assert_eq!(whole.tier[i], Some(s.tier), "row {i}: tiers differ");
            }
            Err(e) => {
                let b = whole.error(i).unwrap_or_else(|| panic!("row {i}: record failed ({e}), batch scored"));
                assert_eq!(b.signal, e.signal, "row {i}: errors on different signals");
            }
        }
    }
    assert_eq!(whole.ranking().len(), n);
}

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    /// Mostly values a signal may have, sometimes anything an f64 can be.
    fn number(&mut self) -> f64 {
        match self.byte() % 8 {
            0 => f64::NAN,
            1 => {
                let mut b = [0u8; 8];
                for x in &mut b {
                    *x = self.byte();
                }
                f64::from_le_bytes(b)
            }
            2 => (self.byte() as f64) / 2.0,
            _ => (self.byte() % 12) as f64,
        }
    }
}
