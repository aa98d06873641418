//! Unit tests of the crate's internals: defaults, derived names, schemas, the id index, joining
//! snapshots and error texts (the behaviour is tested through the vectors, tests/vectors.rs).

use advocacy_core::{standard_signals, StandardSignal};

use crate::ids::{IdIndex, IdIndexError};
use crate::*;

#[test]
fn the_default_file_is_the_default() {
    let from_file = ProgramConfig::from_json(DEFAULT_PROGRAM_JSON).unwrap();
    assert_eq!(from_file, ProgramConfig::default());
    let again = ProgramConfig::from_json(&from_file.to_json()).unwrap();
    assert_eq!(again, from_file);
    assert_eq!(ProgramConfig::from_json("{}").unwrap(), ProgramConfig::default());
}

#[test]
fn typed_fields_are_the_standard_signals() {
    let names: Vec<&str> = StandardSignal::ALL.iter().map(|f| f.name()).collect();
    let std: Vec<&str> = standard_signals().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), std.len());
    for n in &std {
        assert!(names.contains(n), "{n} has no typed field");
    }
    for f in StandardSignal::ALL {
        assert_eq!(f.spec().name, f.name());
    }
}

#[test]
fn schemas_cover_every_type() {
    let v = json::schemas();
    for k in
        ["ProgramConfig", "ReviewInput", "Review", "MatchInput", "Matches", "MetricsInput", "Metrics", "ProgramError"]
    {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert!(ProgramConfig::json_schema().contains("fatigue"));
}

#[test]
fn derived_names_are_the_files_names() {
    use activities::AskBlocker;
    use fatigue::FatigueRule;
    let statuses = [Status::Asked, Status::Accepted, Status::Declined, Status::Completed, Status::Thanked];
    let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, ["asked", "accepted", "declined", "completed", "thanked"]);
    for s in statuses {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        assert_eq!(format!(" {} ", s.as_str().to_uppercase()).parse::<Status>(), Ok(s));
    }
    assert_eq!("nope".parse::<Status>(), Err("asked, accepted, declined, completed, thanked".to_string()));
    for s in AdvocateSegment::ALL {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    for (kind, code) in [
        (ProgramErrorKind::Parse, "parse"),
        (ProgramErrorKind::InvalidValue, "invalid_value"),
        (ProgramErrorKind::UnknownActivity, "unknown_activity"),
        (ProgramErrorKind::NotInteger, "not_integer"),
        (ProgramErrorKind::UnknownFunction, "unknown_function"),
    ] {
        assert_eq!((kind.code(), serde_json::to_value(kind).unwrap()), (code, serde_json::json!(code)));
    }
    let rules = [
        (FatigueRule::RestAfterLow, "rest_after.low"),
        (FatigueRule::RestAfterModerate, "rest_after.moderate"),
        (FatigueRule::RestAfterHigh, "rest_after.high"),
        (FatigueRule::Declined, "rest_after_declined_days"),
        (FatigueRule::Spacing, "min_days_between_asks"),
        (FatigueRule::MaxAsks, "max_asks"),
        (FatigueRule::ThankYou, "thank_you_blocks_asks"),
        (FatigueRule::StepDown, "step_down"),
        (FatigueRule::Rotate, "rotate_days"),
    ];
    for (rule, name) in rules {
        assert_eq!(rule.name(), name);
    }
    let codes: Vec<&str> = [
        AskBlocker::Prohibited,
        AskBlocker::OptedOut,
        AskBlocker::Segment(AdvocateSegment::Active),
        AskBlocker::TierNone(Tier::Gold),
        AskBlocker::TierEffort(Tier::Gold, Effort::Low),
        AskBlocker::Comfort(1, 2),
        AskBlocker::Hours(1.0, 2.0),
        AskBlocker::Preference(0),
        AskBlocker::Fatigue(0),
    ]
    .into_iter()
    .map(<&str>::from)
    .collect();
    assert_eq!(
        codes,
        [
            "prohibited",
            "opted_out",
            "segment",
            "tier",
            "tier_effort",
            "communication_comfort",
            "available_hours",
            "preference",
            "fatigue"
        ]
    );
}

#[test]
fn id_index_finds_every_id_and_rejects_duplicates() {
    let ids: Vec<String> = (0..5000).map(|i| format!("id-{}", i * 7919 % 10007)).collect();
    let ix = IdIndex::build(ids.iter().map(String::as_str)).ok().unwrap();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(ix.get(id), Some(i as u32));
    }
    assert_eq!(ix.get("id-x"), None);
    assert_eq!(ix.get(""), None);
    let mut many = vec![None; ids.len() + 1];
    ix.get_many(ids.iter().map(String::as_str).chain(["nope"]), |i, p| many[i] = Some(p));
    for (i, p) in many.iter().enumerate() {
        assert_eq!(*p, Some(if i < ids.len() { Some(i as u32) } else { None }));
    }
    let dup = ["a", "b", "a"];
    assert!(matches!(IdIndex::build(dup.iter().copied()), Err(IdIndexError::Duplicate(2))));
}

#[test]
fn previous_snapshot_joins_by_id_in_any_order() {
    let tiers = advocacy_core::Thresholds::default();
    let mk = |i: usize, total: f64| Account::new(format!("a{i}"), total, tiers.tier(total));
    let current: Vec<Account> = (0..10).map(|i| mk(i, (i * 10) as f64)).collect();
    let same: Vec<Account> = (0..10).map(|i| mk(i, 45.0)).collect();
    let mut shuffled = same.clone();
    shuffled.reverse();
    shuffled.swap(0, 4);
    let cfg = ProgramConfig::default();
    let p = Prepared::new(&cfg, &current, &[]).unwrap();
    let day = Date::new(2026, 1, 1).unwrap();
    let a = p.review(&same, None, &[], day).unwrap();
    let b = p.review(&shuffled, None, &[], day).unwrap();
    assert_eq!(a.movement, b.movement);
    assert!(a.movement.new_accounts.is_empty() && a.movement.removed_accounts.is_empty());
    assert_eq!((a.movement.dropped_out.len(), a.movement.moved_up.len()), (4, 4));
    // Some paired by position, the rest by id; one previous account gone, one current new.
    let mut mixed = same.clone();
    mixed.swap(2, 7);
    mixed[9] = mk(99, 45.0);
    let c = p.review(&mixed, None, &[], day).unwrap();
    assert_eq!(c.movement.new_accounts, vec!["a9".to_string()]);
    assert_eq!(c.movement.removed_accounts, vec!["a99".to_string()]);
    // A duplicate of a paired id is found.
    let mut dup = same.clone();
    dup[8] = mk(3, 45.0);
    let e = p.review(&dup, None, &[], day).unwrap_err();
    assert_eq!((e.kind, e.path.as_str(), e.value.as_str()), (ProgramErrorKind::Duplicate, "previous[8].id", "a3"));
}

#[test]
fn errors_read_well() {
    let e = ProgramConfig::from_json(r#"{"fatigue": {"max_asks": {"count": 0, "window_days": 90}}}"#).unwrap_err();
    assert_eq!(e.to_string(), "fatigue.max_asks.count: no asks allowed at all (value 0); allowed: at least 1 (set max_asks to null to switch it off)");
    let e = json::call("segments", serde_json::json!({"accounts": [{"id": "a", "signals": {"nps": 11}}]})).unwrap_err();
    assert_eq!(e.to_string(), "account \"a\", accounts[0].signals.nps: signal `nps` has a bad value (value 11); allowed: an integer from 0 to 10");
}

/// Over many generated request logs: no candidate of `match` is on another open request or at
/// the quarter's cap for the kind, and `requests` proposes an advocate first for one request at
/// most (and never one already named on an open request).
#[test]
fn request_logs_never_over_use_an_advocate() {
    let day = |s: &str| s.parse::<advocacy_core::Date>().unwrap();
    let as_of = day("2026-11-30");
    let accounts: Vec<Account> = (0..8)
        .map(|i| {
            serde_json::from_value(serde_json::json!({
                "id": format!("a{i}"), "total": 80 + i, "tier": "platinum",
                "signals": {"communication_comfort": 5, "available_hours_month": 20}
            }))
            .unwrap()
        })
        .collect();
    let statuses = RequestStatus::ALL;
    let kinds = ["reference_call", "case_study", "online_review"];
    let mut seed: u64 = 7;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let config = ProgramConfig::default();
    let prepared = Prepared::new(&config, &accounts, &[]).unwrap();
    for _ in 0..200 {
        let log: Vec<Request> = (0..next(12))
            .map(|k| {
                let status = statuses[next(7) as usize];
                // Matched, asked, accepted and completed requests name their advocate; the rest may.
                let named = matches!(
                    status,
                    RequestStatus::Matched | RequestStatus::Asked | RequestStatus::Accepted | RequestStatus::Completed
                ) || next(2) == 0;
                serde_json::from_value(serde_json::json!({
                    "id": format!("R{k}"), "kind": kinds[next(3) as usize], "status": status,
                    "created": as_of.add_days(-(next(120) as i64)).to_string(),
                    "advocate": named.then(|| format!("a{}", next(8))),
                }))
                .unwrap()
            })
            .collect();
        for kind in kinds {
            let req = MatchRequest {
                id: None,
                activity: kind.into(),
                industry: None,
                segment: None,
                region: None,
                competitor: None,
                date_needed: None,
                limit: Some(20),
            };
            let m = prepared.match_with_requests(&req, &log, &[], as_of).unwrap();
            let (quarter, _) = request_log::quarter_and_reset(as_of);
            let cap = config.requests.caps_per_quarter.get(kind).copied();
            for c in &m.candidates {
                let mine = || log.iter().filter(|r| r.advocate.as_deref() == Some(c.account.as_str()));
                assert!(!mine().any(|r| r.status.is_open()), "{} is on an open request: {log:?}", c.account);
                if let Some(cap) = cap {
                    let used = mine()
                        .filter(|r| r.kind == kind && r.status != RequestStatus::Cancelled)
                        .filter(|r| request_log::quarter_and_reset(r.created).0 == quarter)
                        .count();
                    assert!(used < cap as usize, "{} over the cap: {log:?}", c.account);
                }
            }
        }
        let report = prepared.requests(&log, &[], as_of, 2).unwrap();
        let firsts: Vec<&str> =
            report.open.iter().filter_map(|q| q.candidates.first()).map(|c| c.account.as_str()).collect();
        let mut unique = firsts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), firsts.len(), "proposed twice: {firsts:?} for {log:?}");
        for a in &firsts {
            assert!(!log.iter().any(|r| r.status.is_open() && r.advocate.as_deref() == Some(*a)), "{a}: {log:?}");
        }
    }
}
