//! Property tests of the one normalisation: a value and every accepted spelling of it give the
//! same score, through a record (`Model::score`), a batch of text columns (what the CLI and the
//! bindings hand the core) and the column plan's row reader.

use std::borrow::Cow;

use advocacy_core::{Column, ColumnMapping, Columns, Model, OnError, Record, Value};
use proptest::prelude::*;

/// A spelling of a boolean, in any case.
fn bool_spelling(b: bool) -> impl Strategy<Value = String> {
    let words: &[&str] = if b { &["true", "yes", "y", "1"] } else { &["false", "no", "n", "0"] };
    (prop::sample::select(words.to_vec()), prop::collection::vec(any::<bool>(), 5), 0usize..3).prop_map(
        |(w, upper, pad)| {
            let cased: String =
                w.chars().zip(upper.iter().cycle()).map(|(c, u)| if *u { c.to_ascii_uppercase() } else { c }).collect();
            format!("{}{cased}{}", " ".repeat(pad), " ".repeat(pad / 2))
        },
    )
}

/// A spelling of a whole number: `9`, `9.0`, ` 9 `, `9.00`.
fn int_spelling(n: u32) -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", ".0", ".00"])
        .prop_flat_map(move |tail| (Just(tail), 0usize..3))
        .prop_map(move |(tail, pad)| format!("{}{n}{tail}{}", " ".repeat(pad), " ".repeat(pad)))
}

/// A spelling of a category value: case, spaces, hyphens and underscores between its words.
fn category_spelling(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    (prop::collection::vec(prop::sample::select(vec!["_", "-", " "]), words.len()), any::<bool>(), any::<bool>())
        .prop_map(move |(seps, upper, title)| {
            let mut s = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    s.push_str(seps[i]);
                }
                let w = if upper {
                    w.to_uppercase()
                } else if title {
                    w[..1].to_uppercase() + &w[1..]
                } else {
                    w.to_string()
                };
                s.push_str(&w);
            }
            s
        })
}

/// A percentage spelling of a 0..100 number: `85%`, `85 %`, `85.0%`.
fn percent_spelling(n: u32) -> impl Strategy<Value = String> {
    prop::sample::select(vec!["%", " %", ".0%"]).prop_map(move |tail| format!("{n}{tail}"))
}

/// The same account scored from clean values, from spelt text through records, through a batch
/// of text columns and through the row reader: all four must agree exactly.
fn same_everywhere(clean: Record, spelt: Vec<(&str, String)>) -> Result<(), TestCaseError> {
    let model = Model::default();
    let want = model.score(&clean).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut text = Record::new().id("a");
    for (s, v) in &spelt {
        text.set(s, Value::Text(v.clone()));
    }
    let got = model.score(&text).map_err(|e| TestCaseError::fail(format!("{spelt:?}: {e}")))?;
    prop_assert_eq!(got.total, want.total, "record {:?}", spelt);
    prop_assert_eq!(got.tier, want.tier);

    let mut cols = Columns::new(1);
    for (s, v) in &spelt {
        cols.add(s, Column::Text(vec![Some(Cow::Owned(v.clone()))])).unwrap();
    }
    let out = model.score_columns(&cols, OnError::Fail).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(out.total[0], want.total, "batch {:?}", spelt);
    prop_assert_eq!(out.completeness[0], want.completeness);

    let headers: Vec<&str> = spelt.iter().map(|(s, _)| *s).collect();
    let plan = model.read_columns(&headers, &ColumnMapping::default()).unwrap();
    let cells: Vec<Value> = spelt.iter().map(|(_, v)| Value::Text(v.clone())).collect();
    let row = plan.read_row(&model, 0, &cells).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let read = model.score(&row.record).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(read.total, want.total, "row reader {:?}", spelt);
    Ok(())
}

/// An account of clean values and, for each, one spelling of it.
fn account() -> impl Strategy<Value = (Record, Vec<(&'static str, String)>)> {
    let segments: [(&str, &'static [&'static str]); 3] =
        [("smb", &["smb"]), ("mid_market", &["mid", "market"]), ("enterprise", &["enterprise"])];
    (any::<bool>(), any::<bool>(), 0u32..=10, 1u32..=5, 0u32..=100, 0usize..3).prop_flat_map(
        move |(roi, opted, nps, rapport, health, seg)| {
            let (seg_id, seg_words) = segments[seg];
            let clean = Record::new()
                .id("a")
                .with("roi_achieved", roi)
                .with("opted_out", opted)
                .with("nps", nps as f64)
                .with("csm_rapport", rapport as f64)
                .with("health_score", health as f64)
                .with("segment", seg_id);
            (
                Just(clean),
                bool_spelling(roi),
                bool_spelling(opted),
                int_spelling(nps),
                int_spelling(rapport),
                percent_spelling(health),
                category_spelling(seg_words),
            )
                .prop_map(|(clean, roi, opted, nps, rapport, health, seg)| {
                    let spelt = vec![
                        ("roi_achieved", roi),
                        ("opted_out", opted),
                        ("nps", nps),
                        ("csm_rapport", rapport),
                        ("health_score", health),
                        ("segment", seg),
                    ];
                    (clean, spelt)
                })
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spellings_give_the_same_score((clean, spelt) in account()) {
        same_everywhere(clean, spelt)?;
    }
}
