//! Property tests of the scoring invariants.

use advocacy_core::{Column, Columns, MissingPolicy, Model, ModelSpec, OnError, Record, Tier, Value};
use proptest::prelude::*;

/// A value for each signal the default model reads, and one that meets its criterion.
type Gen = (&'static str, fn(u32) -> Value, Value);

fn signals() -> Vec<Gen> {
    vec![
        ("nps", |r| Value::Number((r % 11) as f64), Value::Number(10.0)),
        ("health_score", |r| Value::Number((r % 10001) as f64 / 100.0), Value::Number(95.0)),
        ("roi_achieved", |r| Value::Bool(r % 2 == 0), Value::Bool(true)),
        ("csm_rapport", |r| Value::Number((r % 5 + 1) as f64), Value::Number(5.0)),
        ("engaged_contacts", |r| Value::Number((r % 8) as f64), Value::Number(6.0)),
        ("meeting_engagement", |r| Value::Number((r % 5 + 1) as f64), Value::Number(5.0)),
        ("past_advocacy", |r| Value::Number((r % 4) as f64), Value::Number(2.0)),
        ("proactive_feedback", |r| Value::Number((r % 4) as f64), Value::Number(2.0)),
        ("communication_comfort", |r| Value::Number((r % 5 + 1) as f64), Value::Number(5.0)),
        (
            "industry",
            |r| Value::Text(["software", "retail", "Healthcare", "media"][(r % 4) as usize].into()),
            Value::Text("software".into()),
        ),
        (
            "segment",
            |r| Value::Text(["smb", "mid_market", "enterprise"][(r % 3) as usize].into()),
            Value::Text("enterprise".into()),
        ),
        ("brand_strength", |r| Value::Number((r % 5 + 1) as f64), Value::Number(5.0)),
        (
            "policy",
            |r| Value::Text(["open", "approval_required", "prohibited", "open"][(r % 4) as usize].into()),
            Value::Text("open".into()),
        ),
        ("opted_out", |r| Value::Bool(r % 7 == 0), Value::Bool(false)),
    ]
}

const N: usize = 14;

fn record(picks: &[Option<u32>]) -> Record {
    let mut r = Record::new();
    for ((name, make, _), p) in signals().iter().zip(picks) {
        if let Some(p) = p {
            r.set(name, make(*p));
        }
    }
    r
}

fn spec(rescale: bool, targets: bool) -> ModelSpec {
    let mut m = Model::default().spec().clone();
    if rescale {
        m.missing = MissingPolicy::Rescale;
    }
    if targets {
        m.targets.industries = vec!["software".into(), "healthcare".into()];
        m.targets.segments = vec!["enterprise".into()];
    }
    m
}

fn model(rescale: bool, targets: bool) -> Model {
    Model::new(spec(rescale, targets)).unwrap()
}

fn picks() -> impl Strategy<Value = Vec<Option<u32>>> {
    prop::collection::vec(prop::option::weighted(0.75, any::<u32>()), N)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn total_is_within_zero_and_max(p in picks(), rescale: bool, targets: bool) {
        let m = model(rescale, targets);
        let s = m.score(&record(&p)).unwrap();
        prop_assert!(s.total >= 0.0 && s.total <= s.max, "total {} outside [0, {}]", s.total, s.max);
        prop_assert!(s.bounds.min <= s.total + 1e-9 && s.total <= s.bounds.max + 1e-9, "{} outside bounds {:?}", s.total, s.bounds);
        prop_assert!((0.0..=1.0).contains(&s.completeness));
    }

    #[test]
    fn meeting_a_criterion_never_lowers_the_total(p in picks(), which in 0usize..12, rescale: bool, targets: bool) {
        let m = model(rescale, targets);
        let mut r = record(&p);
        let before = m.score(&r).unwrap().total;
        let all = signals();
        let (name, _, meets) = &all[which];
        r.set(name, meets.clone());
        let after = m.score(&r).unwrap().total;
        prop_assert!(after >= before, "setting {name} met lowered {before} to {after}");
    }

    #[test]
    fn tier_follows_thresholds_and_gates(p in picks(), rescale: bool, targets: bool) {
        let m = model(rescale, targets);
        let r = record(&p);
        let s = m.score(&r).unwrap();
        let gated = r.get("policy").and_then(Value::as_str) == Some("prohibited") || r.get("opted_out").and_then(Value::as_bool) == Some(true);
        if gated {
            prop_assert_eq!(s.tier, Tier::NotAdvocateMaterial);
            prop_assert!(s.gate.is_some());
        } else {
            let expected = if s.total >= 80.0 { Tier::Platinum } else if s.total >= 60.0 { Tier::Gold } else if s.total >= 40.0 { Tier::Silver } else { Tier::NotYetQualified };
            prop_assert_eq!(s.tier, expected);
            prop_assert!(s.gate.is_none());
        }
        prop_assert_eq!(s.score_tier, m.tiers().tier(s.total));
    }

    #[test]
    fn batch_equals_one_by_one(rows in prop::collection::vec(picks(), 0..40), rescale: bool, targets: bool) {
        let m = model(rescale, targets);
        let records: Vec<Record> = rows.iter().map(|p| record(p)).collect();
        let mut cols = Columns::new(records.len());
        for (name, _, _) in signals() {
            let vals: Vec<Value> = records.iter().map(|r| r.get(name).cloned().unwrap_or(Value::Null)).collect();
            // Typed columns, the way Arrow data arrives.
            let col = match name {
                "roi_achieved" | "opted_out" => Column::from(vals.iter().map(Value::as_bool).collect::<Vec<_>>()),
                "industry" | "segment" | "policy" => Column::from(vals.iter().map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>()),
                _ => Column::from(vals.iter().map(Value::as_f64).collect::<Vec<_>>()),
            };
            cols.add(name, col).unwrap();
        }
        let out = m.score_columns(&cols, OnError::Fail).unwrap();
        for (i, r) in records.iter().enumerate() {
            let s = m.score(r).unwrap();
            prop_assert_eq!(out.total[i].to_bits(), s.total.to_bits());
            prop_assert_eq!(out.tier[i], Some(s.tier));
            prop_assert_eq!(out.completeness[i].to_bits(), s.completeness.to_bits());
            prop_assert_eq!(out.max_possible[i].to_bits(), s.bounds.max.to_bits());
            for (k, (_, pts)) in out.categories.iter().enumerate() {
                prop_assert_eq!(pts[i].to_bits(), s.categories[k].points.to_bits());
            }
        }
        // Ranking: totals never increase along it, ties keep input order.
        let rank = out.ranking();
        for w in rank.windows(2) {
            let (a, b) = (out.total[w[0]], out.total[w[1]]);
            prop_assert!(a > b || (a == b && w[0] < w[1]));
        }
    }

    #[test]
    fn models_survive_json_and_toml(points in prop::collection::vec(0u32..=40, 12), t in prop::collection::vec(0u32..=100, 3), rescale: bool, targets: bool, revisit in 0u32..=24) {
        let mut m = spec(rescale, targets);
        for (c, p) in m.categories.iter_mut().flat_map(|c| c.criteria.iter_mut()).zip(&points) {
            c.points = *p as f64 + 0.5;
        }
        let mut t = t.clone();
        t.sort_unstable();
        // Thresholds as shares of the maximum: every tier stays reachable.
        let max = m.max_points();
        m.tiers.silver = t[0] as f64 / 100.5 * max;
        m.tiers.gold = (t[1] as f64 + 0.25) / 100.5 * max;
        m.tiers.platinum = (t[2] as f64 + 0.5) / 100.5 * max;
        m.revisit_months = revisit;
        let m = Model::new(m).unwrap();
        let from_json = Model::from_json(&m.to_json()).unwrap();
        prop_assert_eq!(&from_json, &m);
        let from_toml = Model::from_toml(&m.to_toml()).unwrap();
        prop_assert_eq!(&from_toml, &m);
    }
}

/// Any number at all: whole, fractional, out of range, huge, negative, infinite or missing.
fn any_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..=12).prop_map(f64::from),
        (-3i32..=200).prop_map(|x| f64::from(x) / 4.0),
        prop::num::f64::ANY,
        Just(f64::NAN),
        Just(4_503_599_627_370_497.0),
        Just(-0.0),
        // Tiny fractions (one of them subnormal): not whole numbers.
        Just(5.1e-223),
        Just(4.9e-324),
        Just(3.0 + 1e-15),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Float columns of any values: the batch's quick range and whole-number checks flag exactly
    /// the rows one-by-one scoring refuses, with the same error, and score the others the same,
    /// with every output column and with score and tier only.
    #[test]
    fn batch_validation_equals_one_by_one(rows in prop::collection::vec(prop::collection::vec(any_number(), 9), 0..40), lean: bool) {
        let m = model(false, true);
        let names = ["nps", "health_score", "csm_rapport", "engaged_contacts", "meeting_engagement", "past_advocacy", "proactive_feedback", "communication_comfort", "brand_strength"];
        let mut cols = Columns::new(rows.len());
        for (k, name) in names.iter().enumerate() {
            cols.add(name, Column::from(rows.iter().map(|r| r[k]).collect::<Vec<f64>>())).unwrap();
        }
        if lean {
            cols.set_outputs(advocacy_core::Outputs::SCORE_AND_TIER);
        }
        let out = m.score_columns(&cols, OnError::Flag).unwrap();
        let mut errors = out.errors.iter();
        for (i, r) in rows.iter().enumerate() {
            let mut rec = Record::new();
            for (k, name) in names.iter().enumerate() {
                if !r[k].is_nan() {
                    rec.set(name, Value::Number(r[k]));
                }
            }
            match m.score(&rec) {
                Ok(s) => {
                    prop_assert_eq!(out.total[i].to_bits(), s.total.to_bits());
                    prop_assert_eq!(out.tier[i], Some(s.tier));
                }
                Err(e) => {
                    prop_assert!(out.total[i].is_nan() && out.tier[i].is_none());
                    let got = errors.next().expect("an error for the flagged row");
                    prop_assert_eq!((got.row, &got.signal, &got.value, got.kind), (Some(i), &e.signal, &e.value, e.kind));
                }
            }
        }
        prop_assert!(errors.next().is_none());
    }
}
