//! Sizes that used to be quadratic: a model of 100,000 custom signals is compiled once (linear
//! in its size) and scores records without being compiled again. No timing is asserted: a
//! quadratic compile of this model takes minutes, which the test run itself makes plain.

use advocacy_core::{Category, Criterion, Model, OnError, Record, Rule, SignalSpec};

fn wide_spec(n: usize) -> advocacy_core::ModelSpec {
    let mut spec = Model::default().spec().clone();
    spec.signals = (0..n).map(|i| SignalSpec::integer(&format!("seats_{i}"), Some(0.0), None)).collect();
    spec.categories.push(Category {
        id: "usage".into(),
        label: "Usage".into(),
        criteria: (0..n)
            .map(|i| Criterion {
                id: format!("seats_{i}_ok"),
                label: String::new(),
                signal: format!("seats_{i}"),
                rule: Rule::Ge { value: 10.0 },
                points: 1.0,
            })
            .collect(),
    });
    spec.tiers.platinum = 80.0;
    spec
}

#[test]
fn a_model_of_100000_custom_signals_compiles_once_and_scores() {
    let model = Model::new(wide_spec(100_000)).unwrap();
    assert_eq!(model.max_points(), 100_100.0);
    assert_eq!(model.signal("seats_99999").map(|s| s.name.as_str()), Some("seats_99999"));
    let record = Record::new().id("a").with("seats_5", 12).with("seats_99999", 3).with("nps", 10);
    for _ in 0..3 {
        let s = model.score(&record).unwrap();
        assert_eq!(s.total, 11.0);
    }
    let mut cols = advocacy_core::Columns::new(2);
    cols.add("seats_42", vec![11.0, 1.0]).unwrap();
    let out = model.score_columns(&cols, OnError::Fail).unwrap();
    assert_eq!(out.total, vec![1.0, 0.0]);
}
