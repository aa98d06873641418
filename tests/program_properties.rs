//! Property tests of the program functions:
//! - an account resting under a fatigue rule is never recommended (matching, review suggestions,
//!   eligibility);
//! - an expired override never applies (alone, among others, and in the review).

use advocacy_core::{Date, Policy, Thresholds, Tier};
use advocacy_program::{
    self as program, apply_overrides, Account, EligibilityInput, FatigueInput, LedgerEntry, MatchRequest, Override,
    Prepared, ProgramConfig, Status,
};
use proptest::prelude::*;

const STATUSES: [Status; 5] = [Status::Asked, Status::Accepted, Status::Declined, Status::Completed, Status::Thanked];
const TIERS: [Tier; 5] = [Tier::Platinum, Tier::Gold, Tier::Silver, Tier::NotYetQualified, Tier::NotAdvocateMaterial];

fn as_of() -> Date {
    Date::new(2026, 6, 15).unwrap()
}

fn activity_ids() -> Vec<String> {
    ProgramConfig::default().activities.iter().map(|a| a.id.clone()).collect()
}

/// (account index, activity index, status index, day offset from as_of)
/// Ledger entries on or before the as-of date (later ones are refused).
fn ledger_strategy(accounts: usize) -> impl Strategy<Value = Vec<(usize, usize, usize, i64)>> {
    prop::collection::vec((0..accounts, 0..16usize, 0..5usize, -400i64..=0), 0..40)
}

/// (total, tier, communication comfort, hours, policy, gifts allowed)
type Acct = (f64, usize, Option<i64>, Option<f64>, usize, Option<bool>);

fn account_strategy() -> impl Strategy<Value = Acct> {
    (
        0.0..=100.0f64,
        0..5usize,
        prop::option::of(1..=5i64),
        prop::option::of(0.0..20.0f64),
        0..3usize,
        prop::option::of(any::<bool>()),
    )
}

fn build(accts: &[Acct], ledger: &[(usize, usize, usize, i64)]) -> (Vec<Account>, Vec<LedgerEntry>) {
    let ids = activity_ids();
    let accounts: Vec<Account> = accts
        .iter()
        .enumerate()
        .map(|(i, (total, tier, comfort, hours, policy, gifts))| {
            let mut a = Account::new(format!("a{i}"), (*total * 100.0).round() / 100.0, TIERS[*tier]);
            a.signals.communication_comfort = *comfort;
            a.signals.available_hours_month = *hours;
            a.signals.policy = Some([Policy::Open, Policy::ApprovalRequired, Policy::Prohibited][*policy]);
            a.signals.gifts_allowed = *gifts;
            a.signals.nps = Some(9);
            a.signals.past_advocacy = Some((i % 2) as i64);
            a
        })
        .collect();
    let entries = ledger
        .iter()
        .map(|(a, act, st, off)| {
            LedgerEntry::new(format!("a{a}"), ids[*act].clone(), STATUSES[*st], as_of().add_days(*off))
        })
        .collect();
    (accounts, entries)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn resting_accounts_are_never_recommended(
        accts in prop::collection::vec(account_strategy(), 1..8),
        raw_ledger in ledger_strategy(8),
        act in 0..16usize,
    ) {
        let raw_ledger: Vec<_> = raw_ledger.into_iter().filter(|r| r.0 < accts.len()).collect();
        let (accounts, ledger) = build(&accts, &raw_ledger);
        let cfg = ProgramConfig::default();
        let ids = activity_ids();
        let prepared = Prepared::new(&cfg, &accounts, &ledger).unwrap();
        let request = MatchRequest { id: None, activity: ids[act].clone(), industry: None, segment: None, region: None, competitor: None, date_needed: None, limit: Some(100) };
        let matches = prepared.match_request(&request, &[], as_of()).unwrap();
        let review = prepared.review(&[], None, &[], as_of()).unwrap();
        for a in &accounts {
            let f = program::fatigue(&FatigueInput { config: None, account: a.id.clone(), ledger: ledger.clone(), as_of: as_of() }).unwrap();
            let refused_here = f.refused_activities.contains(&ids[act]);
            let recommended = matches.candidates.iter().any(|c| c.account == a.id);
            prop_assert!(!(refused_here && recommended), "{} is refused {} ({:?}) but was recommended", a.id, ids[act], f.refusals);
            if f.resting {
                prop_assert!(!review.suggestions.iter().any(|s| s.account == a.id), "{} rests ({:?}) but is suggested", a.id, f.refusals);
            }
            for s in review.suggestions.iter().filter(|s| s.account == a.id) {
                prop_assert!(!f.refused_activities.contains(&s.activity), "{} suggested a refused activity {}", a.id, s.activity);
            }
            let el = program::eligibility(&EligibilityInput { config: None, account: a.clone(), ledger: ledger.clone(), overrides: vec![], as_of: as_of() }).unwrap();
            for ask in &el.eligible {
                prop_assert!(!f.refused_activities.contains(&ask.activity), "{} eligible for refused {}", a.id, ask.activity);
                if f.resting {
                    prop_assert!(false, "{} rests but is eligible for {}", a.id, ask.activity);
                }
            }
            // Every refusal names its rule, and a refusal with a date ends after as_of.
            for r in &f.refusals {
                prop_assert!(!r.rule.is_empty());
                if let Some(u) = r.until { prop_assert!(u > as_of()); }
            }
        }
    }

    #[test]
    fn expired_overrides_never_apply(
        total in 0.0..=100.0f64,
        overrides in prop::collection::vec((prop::option::of(0..5usize), -60.0..60.0f64, -100i64..100, prop::option::of(-200i64..0)), 0..6),
        day in -50i64..150,
    ) {
        let base = Date::new(2026, 1, 1).unwrap();
        let as_of = base.add_days(day);
        let tiers = Thresholds::default();
        let tier = tiers.tier(total);
        let list: Vec<Override> = overrides.iter().map(|(t, p, exp, start)| {
            let expires = base.add_days(*exp);
            Override {
                account: "x".into(),
                tier: t.map(|k| TIERS[k]),
                points: if t.is_some() { None } else { Some((*p * 10.0).round() / 10.0) },
                reason: "r".into(),
                author: "a".into(),
                expires,
                starts: start.map(|s| expires.add_days(s)).filter(|s| *s < expires),
            }
        }).collect();
        // One override of each kind in force on any day (overlapping ones are refused): keep
        // those that do not overlap an earlier one of their kind.
        let mut list: Vec<Override> = list;
        let mut kept: Vec<Override> = Vec::new();
        for o in list.drain(..) {
            let start = |o: &Override| o.starts.unwrap_or(advocacy_core::Date::MIN);
            let clash = kept.iter().any(|k| {
                (k.tier.is_some() && o.tier.is_some() && start(k) < o.expires && start(&o) < k.expires) || *k == o
            });
            if !clash {
                kept.push(o);
            }
        }
        let list = kept;
        let all = apply_overrides("x", total, tier, false, &list, as_of, &tiers, 100.0);
        let live: Vec<Override> = list.iter().filter(|o| as_of < o.expires).cloned().collect();
        let only_live = apply_overrides("x", total, tier, false, &live, as_of, &tiers, 100.0);
        prop_assert_eq!((all.total, all.tier), (only_live.total, only_live.tier));
        for (o, shown) in list.iter().zip(&all.overrides) {
            if as_of >= o.expires {
                prop_assert_eq!(shown.status.as_str(), "expired");
            }
        }
        if live.is_empty() {
            prop_assert_eq!((all.total, all.tier, all.overridden), (total, tier, false));
        }
        // The review sees the same: an account whose overrides all expired is not overridden.
        let accounts = vec![Account::new("x", total, tier)];
        let cfg = ProgramConfig::default();
        let prepared = Prepared::new(&cfg, &accounts, &[]).unwrap();
        let review = prepared.review(&accounts, None, &list, as_of).unwrap();
        prop_assert_eq!(review.overridden, usize::from(only_live.overridden));
    }
}

#[test]
fn overlapping_overrides_of_one_kind_are_refused_naming_both() {
    let day = |s: &str| s.parse::<advocacy_core::Date>().unwrap();
    let o = |tier: Option<Tier>, points: Option<f64>, starts: Option<&str>, expires: &str| Override {
        account: "x".into(),
        tier,
        points,
        reason: "r".into(),
        author: "a".into(),
        expires: day(expires),
        starts: starts.map(day),
    };
    let accounts = vec![Account::new("x", 50.0, Tier::Silver)];
    let cfg = ProgramConfig::default();
    let prepared = Prepared::new(&cfg, &accounts, &[]).unwrap();
    let as_of = day("2026-06-01");
    // Two tier overrides in force together, and a duplicated +5: refused.
    for list in [
        vec![
            o(Some(Tier::Gold), None, None, "2027-01-01"),
            o(Some(Tier::Platinum), None, Some("2026-03-01"), "2026-09-01"),
        ],
        vec![o(None, Some(5.0), None, "2027-01-01"), o(None, Some(5.0), None, "2027-01-01")],
    ] {
        let e = prepared.review(&accounts, None, &list, as_of).unwrap_err();
        assert_eq!((e.kind.code(), e.path.as_str(), e.row), ("duplicate", "overrides[1]", Some(1)), "{e}");
        assert!(e.value.contains("overrides[0]"), "{e}");
    }
    // Back to back, one of each kind, or two points decisions that add up: fine.
    let mut second = o(None, Some(5.0), None, "2027-01-01");
    second.reason = "another decision".into();
    let ok = vec![
        o(Some(Tier::Gold), None, None, "2026-03-01"),
        o(Some(Tier::Platinum), None, Some("2026-03-01"), "2026-09-01"),
        o(None, Some(5.0), None, "2027-01-01"),
        second,
    ];
    assert!(prepared.review(&accounts, None, &ok, as_of).is_ok());
}

#[test]
fn future_ledger_entries_and_a_later_previous_snapshot_are_refused() {
    let day = |s: &str| s.parse::<Date>().unwrap();
    let accounts = vec![Account::new("a", 50.0, Tier::Silver)];
    let ledger = vec![
        LedgerEntry::new("a", "online_review", Status::Asked, day("2026-05-01")),
        LedgerEntry::new("a", "online_review", Status::Completed, day("2026-07-01")),
    ];
    let cfg = ProgramConfig::default();
    let prepared = Prepared::new(&cfg, &accounts, &ledger).unwrap();
    let e = prepared.review(&[], None, &[], day("2026-06-01")).unwrap_err();
    assert_eq!((e.path.as_str(), e.row, e.value.as_str()), ("ledger[1].date", Some(1), "2026-07-01"), "{e}");
    let request = MatchRequest {
        id: None,
        activity: "online_review".into(),
        industry: None,
        segment: None,
        region: None,
        competitor: None,
        date_needed: None,
        limit: None,
    };
    assert!(prepared.match_request(&request, &[], day("2026-06-01")).is_err());
    let e = prepared.review(&accounts, Some(day("2026-08-01")), &[], day("2026-07-15")).unwrap_err();
    assert_eq!(e.path, "previous_as_of", "{e}");
    // Overrides for accounts that are not in the snapshot are counted, like ledger entries.
    let stray = Override {
        account: "nobody".into(),
        tier: Some(Tier::Gold),
        points: None,
        reason: "r".into(),
        author: "a".into(),
        expires: day("2027-01-01"),
        starts: None,
    };
    let review = prepared.review(&[], None, &[stray], day("2026-07-15")).unwrap();
    assert_eq!(review.unmatched_overrides, 1);
}
