//! The tsify mirrors in `src/types.rs` have exactly the core's JSON shapes.

use advocacy_core as ac;
use advocacy_wasm::types::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Numbers as JS sees them (9 and 9.0 are the same number).
fn js(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(J::Null, J::Number),
        J::Array(a) => J::Array(a.into_iter().map(js).collect()),
        J::Object(o) => J::Object(o.into_iter().map(|(k, v)| (k, js(v))).collect()),
        other => other,
    }
}

/// Core value -> JSON -> mirror (unknown fields denied) -> JSON: must be the same JSON.
fn same_shape<C: Serialize, M: Serialize + DeserializeOwned>(core_value: &C) {
    let a = serde_json::to_value(core_value).unwrap();
    let m: M = serde_json::from_value(a.clone()).unwrap_or_else(|e| panic!("{e}: {a}"));
    let b = serde_json::to_value(&m).unwrap();
    assert_eq!(js(a), js(b));
}

fn model() -> ac::Model {
    let mut m = ac::Model::default();
    m.targets.industries = vec!["software".into()];
    m.targets.segments = vec!["enterprise".into()];
    m.signals.push(ac::SignalSpec::integer("seats", Some(0.0), None));
    m.signals.push(ac::SignalSpec::category("plan", &["free", "pro"]));
    m.categories[0].criteria.push(ac::Criterion {
        id: "seats".into(),
        label: "Seats".into(),
        signal: "seats".into(),
        rule: ac::Rule::Ramp { points: vec![[10.0, 0.0], [100.0, 1.0]] },
        points: 5.0,
    });
    m
}

#[test]
fn model_mirror_matches_core() {
    same_shape::<_, ModelSpec>(&ac::Model::default());
    same_shape::<_, ModelSpec>(&model());
    let rules = [
        r#"{"op":">","value":1}"#,
        r#"{"op":">=","value":1}"#,
        r#"{"op":"<","value":1}"#,
        r#"{"op":"<=","value":1}"#,
        r#"{"op":"==","value":"x"}"#,
        r#"{"op":"!=","value":true}"#,
        r#"{"op":"between","min":1,"max":2}"#,
        r#"{"op":"is","value":true}"#,
        r#"{"op":"in","values":[1,"a",null]}"#,
        r#"{"op":"in_target","list":"regions"}"#,
        r#"{"op":"ramp","points":[[1,0],[2,1]]}"#,
    ];
    for r in rules {
        let rule: ac::Rule = serde_json::from_str(r).unwrap();
        same_shape::<_, Rule>(&rule);
    }
    for s in ac::standard_signals() {
        same_shape::<_, SignalSpec>(s);
    }
}

#[test]
fn score_mirror_matches_core() {
    let m = model();
    let records = [
        ac::Record::new(),
        ac::Record::new().id("a").with("nps", 10).with("health_score", 91.5).with("roi_achieved", true),
        ac::Record::new().id("b").with("policy", "prohibited").with("nps", 9),
        ac::Record::new().with("industry", "Software").with("segment", "enterprise").with("seats", 40),
    ];
    for r in &records {
        same_shape::<_, Score>(&m.score(r).unwrap());
        same_shape::<_, Score>(&m.score_as_of(r, "2026-01-31".parse().unwrap()).unwrap());
        same_shape::<_, Score>(&ac::Model::default().score(r).unwrap());
    }
    let mut rescale = m.clone();
    rescale.missing = ac::MissingPolicy::Rescale;
    same_shape::<_, Score>(&rescale.score(&records[1]).unwrap());
}

#[test]
fn error_mirrors_match_core() {
    let ac::Error::Record(e) = ac::Model::default().score(&ac::Record::new().id("x").with("nps", 11)).unwrap_err()
    else {
        panic!()
    };
    same_shape::<_, RecordErrorData>(&e);
    for kind in [
        ac::RecordErrorKind::WrongType,
        ac::RecordErrorKind::OutOfRange,
        ac::RecordErrorKind::NotInteger,
        ac::RecordErrorKind::UnknownCategory,
        ac::RecordErrorKind::NotARecord,
    ] {
        same_shape::<_, RecordErrorCode>(&kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
    }
    let e = ac::Model::from_json("{}").unwrap_err();
    same_shape::<_, ModelErrorData>(&e);
    for kind in [
        ac::ModelErrorKind::Parse,
        ac::ModelErrorKind::UnknownSignal,
        ac::ModelErrorKind::InvalidRule,
        ac::ModelErrorKind::InvalidValue,
        ac::ModelErrorKind::Duplicate,
    ] {
        same_shape::<_, ModelErrorCode>(&kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
    }
}

#[test]
fn signals_mirror_is_the_standard_signals() {
    // Every standard signal has a typed field, and nothing else does.
    let fields: Vec<String> = serde_json::to_value(ac::Signals::default())
        .unwrap()
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert!(fields.is_empty(), "core Signals skips missing fields");
    let full = ac::Signals {
        id: Some("a".into()),
        nps: Some(9),
        health_score: Some(90.0),
        health_score_prev: Some(80.0),
        active_days_30d: Some(20),
        features_used: Some(5),
        integrations: Some(2),
        power_user: Some(true),
        tenure_months: Some(24.0),
        renewals: Some(2),
        renewal_outcome: Some(ac::RenewalOutcome::OnTime),
        expansions: Some(1),
        enthusiasm: Some(4),
        internal_champion: Some(true),
        values_alignment: Some(4),
        unsolicited_referrals: Some(1),
        public_reviews: Some(1),
        community_posts: Some(3),
        feature_requests: Some(2),
        survey_responses: Some(1),
        proactive_feedback: Some(1),
        csm_rapport: Some(5),
        engaged_contacts: Some(4),
        exec_sponsor: Some(4),
        response_hours: Some(3.5),
        meeting_engagement: Some(4),
        roi_achieved: Some(true),
        public_metrics_allowed: Some(true),
        innovative_usage: Some(false),
        best_practices: Some(true),
        transformation_story: Some(true),
        industry: Some("software".into()),
        segment: Some(ac::Segment::MidMarket),
        region: Some("emea".into()),
        brand_strength: Some(4),
        switched_from: Some("other".into()),
        past_advocacy: Some(1),
        communication_comfort: Some(4),
        marketing_savvy: Some(3),
        available_hours_month: Some(3.0),
        policy: Some(ac::Policy::ApprovalRequired),
        gifts_allowed: Some(true),
        opted_out: Some(false),
    };
    same_shape::<_, Signals>(&full);
    let v = serde_json::to_value(&full).unwrap();
    let mut names: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).filter(|k| *k != "id").collect();
    let mut standard: Vec<&str> = ac::standard_signals().iter().map(|s| s.name.as_str()).collect();
    names.sort();
    standard.sort();
    assert_eq!(names, standard);
}
