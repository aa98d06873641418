//! Calibration on synthetic histories with a known outcome model, on pure noise, and on bad input.

use advocacy_calibrate::{
    calibrate, examples_from_history, examples_from_rows, run_json, sample, Options, OutcomeKind,
};
use advocacy_core::Model;
use advocacy_program::History;

fn points(r: &advocacy_calibrate::Report, id: &str) -> f64 {
    r.criteria.iter().find(|c| c.id == id).map(|c| c.new_points).unwrap_or_else(|| panic!("no criterion {id}"))
}

#[test]
fn recovers_the_ranking_of_known_weights_and_beats_the_default_held_out() {
    let s = sample::generate(&sample::Settings::default());
    let t = std::time::Instant::now();
    let r = calibrate(&Model::default(), &s.examples(), &Options::default(), None).unwrap();
    eprintln!("fit and evaluation of {} asks: {:?}", r.examples.asks, t.elapsed());
    assert_eq!(r.decision.code, "improved", "{:?}", r.decision);
    assert!(r.decision.changed);
    let e = &r.evaluation;
    assert!(e.calibrated.auc > e.current.auc + 0.02, "{} vs {}", e.calibrated.auc, e.current.auc);
    assert!(e.yes >= 50 && e.no >= 50, "{} yes {} no", e.yes, e.no);
    // Strong > moderate > none, in the learned points.
    let strong = ["promoter", "past_advocacy", "proactive_feedback"];
    let moderate = ["strong_rapport", "healthy"];
    let none = ["clear_roi", "multi_threaded", "engaged_in_meetings", "communication_comfort", "brand_strength"];
    let min = |ids: &[&str]| ids.iter().map(|i| points(&r, i)).fold(f64::INFINITY, f64::min);
    let max = |ids: &[&str]| ids.iter().map(|i| points(&r, i)).fold(f64::NEG_INFINITY, f64::max);
    let table: Vec<(String, f64, f64)> = r.criteria.iter().map(|c| (c.id.clone(), c.new_points, c.weight)).collect();
    assert!(min(&strong) > max(&moderate), "{table:?}");
    assert!(min(&moderate) > max(&none), "{table:?}");
    // Same structure, whole points, same maximum; the model file passes the check.
    let m = &r.model;
    assert_eq!(m.max_points(), 100.0);
    assert!(r.criteria.iter().all(|c| c.new_points >= 0.0 && c.new_points.fract() == 0.0));
    assert_eq!(m.categories().len(), Model::default().categories().len());
    let back = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(&back, m);
    assert!(Model::check(m.spec().clone()).is_empty());
    // Target industries are not set: the criterion scores 0 for everyone and keeps its points.
    let ti = r.criteria.iter().find(|c| c.id == "target_industry").unwrap();
    assert!(!ti.learnable);
    assert_eq!(ti.new_points, ti.old_points);
    assert!(r.warnings.iter().any(|w| w.code == "not_learnable"));
    // Evidence: promoters are far more common among the yes.
    let p = r.criteria.iter().find(|c| c.id == "promoter").unwrap();
    assert!(p.met_among_yes > p.met_among_no + 0.2);
}

#[test]
fn pure_noise_has_nothing_to_learn_and_keeps_the_points() {
    let s = sample::generate(&sample::Settings { noise: true, intercept: -0.6, seed: 11, ..Default::default() });
    let r = calibrate(&Model::default(), &s.examples(), &Options::default(), None).unwrap();
    assert_eq!(r.decision.code, "nothing_to_learn", "{:?} {:?}", r.decision, r.evaluation.auc_gain);
    assert!(!r.decision.changed);
    assert_eq!(r.model, Model::default());
    assert!(r.criteria.iter().all(|c| c.new_points == c.old_points));
}

#[test]
fn history_and_ledger_give_the_same_examples_as_the_sample() {
    let s = sample::generate(&sample::Settings::default());
    let h = History::from_rows(&s.history_rows(), "history").unwrap();
    let (ex, left) = examples_from_history(&h, &s.ledger, OutcomeKind::SaidYes).unwrap();
    let want = s.examples();
    assert_eq!(ex.len(), want.len(), "{left:?}");
    assert_eq!(left.pending + left.before_first_snapshot + left.not_in_snapshot, 0);
    for (a, b) in ex.iter().zip(&want) {
        assert_eq!((&a.account, a.asked, a.as_of, a.outcome), (&b.account, b.asked, b.as_of, b.outcome));
    }
    // The JSON entry point: same figures.
    let input = serde_json::json!({"history": s.history_rows(), "ledger": s.ledger});
    let v = run_json(input).unwrap();
    let direct = calibrate(&Model::default(), &want, &Options::default(), None).unwrap();
    assert_eq!(v["evaluation"]["calibrated"]["auc"].as_f64(), Some(direct.evaluation.calibrated.auc));
    assert_eq!(v["outcome"], "said_yes");
    assert_eq!(v["today"]["accounts"], 200);
    let t = &v["today"];
    assert_eq!(t["up"].as_u64().unwrap() + t["down"].as_u64().unwrap() + t["same"].as_u64().unwrap(), 200);
}

#[test]
fn signals_are_never_read_from_after_the_ask() {
    let rows = serde_json::json!([
        {"as_of": "2026-01-31", "id": "a", "total": 10, "tier": "not_yet_qualified", "nps": 3},
        {"as_of": "2026-02-28", "id": "a", "total": 20, "tier": "not_yet_qualified", "nps": 10},
    ]);
    let h = History::from_json(rows).unwrap();
    let day = |s: &str| s.parse().unwrap();
    use advocacy_program::{LedgerEntry, Status};
    let ledger = vec![
        LedgerEntry::new("a", "survey", Status::Asked, day("2026-02-27")),
        LedgerEntry::new("a", "survey", Status::Accepted, day("2026-03-02")),
        LedgerEntry::new("a", "survey", Status::Asked, day("2026-01-15")),
        LedgerEntry::new("a", "survey", Status::Declined, day("2026-01-16")),
    ];
    let (ex, left) = examples_from_history(&h, &ledger, OutcomeKind::SaidYes).unwrap();
    assert_eq!(left.before_first_snapshot, 1);
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].as_of.to_string(), "2026-01-31");
    assert_eq!(ex[0].record.values["nps"], advocacy_core::Value::Number(3.0));
}

#[test]
fn bad_input_is_named() {
    let m = Model::default();
    let o = Options::default();
    // No outcomes.
    let e = calibrate(&m, &[], &o, None).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("examples", "no outcomes to learn from"));
    // One class only.
    let rows: Vec<serde_json::Value> = (0..20)
        .map(|i| serde_json::json!({"id": format!("a{i}"), "asked": format!("2026-01-{:02}", i + 1), "outcome": true, "nps": 9}))
        .collect();
    let ex = examples_from_rows(&rows, "examples").unwrap();
    let e = calibrate(&m, &ex, &o, None).unwrap_err();
    assert_eq!(e.value, "20 asks, 20 yes, 0 no");
    assert!(e.allowed.contains("both outcomes"));
    // Signals from after the ask.
    let e = examples_from_rows(
        &[serde_json::json!({"id": "a", "asked": "2026-01-10", "as_of": "2026-01-31", "outcome": 1, "nps": 9})],
        "examples",
    )
    .unwrap_err();
    assert_eq!((e.path.as_str(), e.value.as_str()), ("examples[0].as_of", "2026-01-31"));
    assert_eq!(e.allowed, "a day on or before the ask (2026-01-10)");
    // A bad outcome and a bad date.
    let e =
        examples_from_rows(&[serde_json::json!({"id": "a", "asked": "2026-01-10", "outcome": "maybe"})], "examples")
            .unwrap_err();
    assert_eq!((e.path.as_str(), e.value.as_str()), ("examples[0].outcome", "\"maybe\""));
    let e = examples_from_rows(&[serde_json::json!({"id": "a", "asked": "2026-13-10", "outcome": 0})], "examples")
        .unwrap_err();
    assert_eq!(e.path, "examples[0].asked");
    // An empty ledger, a ledger without asks.
    let h = History::from_json(serde_json::json!([{"as_of": "2026-01-31", "id": "a", "total": 1, "tier": "silver"}]))
        .unwrap();
    let e = examples_from_history(&h, &[], OutcomeKind::SaidYes).unwrap_err();
    assert_eq!(e.path, "ledger");
    // Too few folds' worth of days.
    let few: Vec<serde_json::Value> = (0..6)
        .map(|i| serde_json::json!({"id": format!("a{i}"), "asked": "2026-01-05", "outcome": i % 2 == 0, "nps": i}))
        .collect();
    let e = calibrate(&m, &examples_from_rows(&few, "examples").unwrap(), &o, None).unwrap_err();
    assert_eq!(e.path, "folds");
    // Folds out of range.
    let e = calibrate(&m, &ex, &Options { folds: 1, ..o.clone() }, None).unwrap_err();
    assert_eq!((e.path.as_str(), e.allowed.as_str()), ("folds", "2 to 10"));
}

#[test]
fn few_outcomes_warn_and_keep_the_points() {
    let s = sample::generate(&sample::Settings { asks_per_month: 8, ..Default::default() });
    let r = calibrate(&Model::default(), &s.examples(), &Options::default(), None).unwrap();
    assert_eq!(r.decision.code, "too_few_outcomes");
    assert!(!r.decision.changed);
    assert!(r.warnings.iter().any(|w| w.code == "too_few_outcomes" && w.message.contains("fewer than 50")));
}

#[test]
fn the_same_input_gives_the_same_report() {
    let s = sample::generate(&sample::Settings::default());
    let a = serde_json::to_string(&calibrate(&Model::default(), &s.examples(), &Options::default(), None).unwrap())
        .unwrap();
    let b = serde_json::to_string(&calibrate(&Model::default(), &s.examples(), &Options::default(), None).unwrap())
        .unwrap();
    assert_eq!(a, b);
}

#[test]
#[ignore]
fn print_sample_report() {
    let s = sample::generate(&sample::Settings::default());
    let r = calibrate(&Model::default(), &s.examples(), &Options::default(), None).unwrap();
    let mut v = serde_json::to_value(&r).unwrap();
    v.as_object_mut().unwrap().remove("model");
    println!("{}", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn outcomes_from_the_ledger_said_yes_and_completed() {
    use advocacy_program::{LedgerEntry, Status};
    let rows = serde_json::json!([
        {"as_of": "2026-01-31", "id": "a", "total": 10, "tier": "not_yet_qualified", "nps": 9},
        {"as_of": "2026-01-31", "id": "b", "total": 10, "tier": "not_yet_qualified", "nps": 3},
        {"as_of": "2026-01-31", "id": "c", "total": 10, "tier": "not_yet_qualified", "nps": 5},
    ]);
    let h = History::from_json(rows).unwrap();
    let day = |s: &str| s.parse().unwrap();
    let e = |a: &str, s: Status, d: &str| LedgerEntry::new(a, "case_study", s, day(d));
    let ledger = vec![
        // a: said yes, completed 40 days later.
        e("a", Status::Asked, "2026-02-01"),
        e("a", Status::Accepted, "2026-02-03"),
        e("a", Status::Completed, "2026-03-13"),
        // b: said yes, never completed (the ledger runs 120 days past the ask).
        e("b", Status::Asked, "2026-02-01"),
        e("b", Status::Accepted, "2026-02-02"),
        // c: no answer, asked 10 days before the ledger's end: still open for both outcomes;
        // and an earlier ask with no answer for 30 days: a no.
        e("c", Status::Asked, "2026-02-01"),
        e("c", Status::Asked, "2026-05-22"),
        e("a", Status::Thanked, "2026-06-01"),
    ];
    let (ex, left) = examples_from_history(&h, &ledger, OutcomeKind::SaidYes).unwrap();
    let got: Vec<(&str, bool)> = ex.iter().map(|e| (e.account.as_str(), e.outcome)).collect();
    assert_eq!(got, [("a", true), ("b", true), ("c", false)]);
    assert_eq!(left.pending, 1);
    let (ex, left) = examples_from_history(&h, &ledger, OutcomeKind::Completed).unwrap();
    let got: Vec<(&str, bool)> = ex.iter().map(|e| (e.account.as_str(), e.outcome)).collect();
    assert_eq!(got, [("a", true), ("b", false), ("c", false)]);
    assert_eq!(left.pending, 1);
}

#[test]
fn thresholds_chosen_from_the_data_find_the_true_cut() {
    // The outcome follows nps >= 6, not the model's >= 9: with thresholds the promoter
    // criterion moves to >= 6 and ranks the held-out asks better than with points alone.
    let mut state: u64 = 5;
    let mut unit = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let rows: Vec<serde_json::Value> = (0..800)
        .map(|i| {
            let nps = (unit() * 11.0).floor().min(10.0);
            let p = if nps >= 6.0 { 0.7 } else { 0.15 };
            let yes = unit() < p;
            let day = advocacy_core::Date::from_days(20_000 + i / 4);
            serde_json::json!({"id": format!("a{i}"), "asked": day.to_string(), "outcome": yes, "nps": nps,
                               "past_advocacy": (unit() < 0.5) as u8})
        })
        .collect();
    let ex = examples_from_rows(&rows, "examples").unwrap();
    let with = calibrate(&Model::default(), &ex, &Options { thresholds: true, ..Options::default() }, None).unwrap();
    let without = calibrate(&Model::default(), &ex, &Options::default(), None).unwrap();
    let p = with.criteria.iter().find(|c| c.id == "promoter").unwrap();
    assert_eq!((p.old_rule.as_str(), p.rule.as_str()), (">= 9", ">= 6"), "{:?}", with.decision);
    assert!(with.decision.changed);
    assert!(with.evaluation.calibrated.auc > without.evaluation.calibrated.auc + 0.02);
    assert!(Model::check(with.model.spec().clone()).is_empty());
    // Without the option the rules never change.
    assert!(without.criteria.iter().all(|c| c.rule == c.old_rule));
}
