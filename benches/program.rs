//! Program benchmarks: the monthly review over 1,000,000 accounts and a 5,000,000-entry ledger,
//! and matching one reference request over 1,000,000 accounts; and the id lookup under them
//! (1,000,000 account ids to positions, then the 5,000,000 ledger entries' account ids looked up),
//! with the crate's own `IdIndex` against a `rustc_hash::FxHashMap<&str, u32>`.
//!
//! `cargo bench --bench program` (or a filter: `cargo bench --bench program -- ids`). Data is
//! generated deterministically (no files).

use std::hint::black_box;
use std::time::Duration;

use advocacy_core::{Date, Policy, Segment, Thresholds, Tier};
use advocacy_program::bench_support::{self, IdLookup};
use advocacy_program::{
    self as program, Account, LedgerEntry, MatchRequest, Prepared, ProgramConfig, ReviewInput, Status,
};
use criterion::{criterion_group, criterion_main, Criterion};

const ACCOUNTS: usize = 1_000_000;
const LEDGER: usize = 5_000_000;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const INDUSTRIES: [&str; 6] = ["software", "fintech", "healthcare", "retail", "manufacturing", "education"];
const REGIONS: [&str; 4] = ["NA", "EMEA", "APAC", "LATAM"];
const COMPETITORS: [&str; 3] = ["Acme CRM", "Globex", "Initech"];
const ACTIVITIES: [&str; 8] = [
    "online_review",
    "survey",
    "case_study",
    "reference_call",
    "video_testimonial",
    "referral",
    "conference_speaking",
    "executive_reference_call",
];

fn account(r: &mut Rng, i: usize, shift: f64) -> Account {
    let total = ((r.below(101) as f64) + shift).clamp(0.0, 100.0);
    let mut a = Account::new(format!("acct-{i:07}"), total, Thresholds::default().tier(total));
    let s = &mut a.signals;
    s.nps = Some(r.below(11) as i64);
    s.health_score = Some(r.below(101) as f64);
    s.health_score_prev = Some(r.below(101) as f64);
    s.unsolicited_referrals = Some(r.below(3) as i64);
    s.public_reviews = Some(r.below(2) as i64);
    s.community_posts = Some(r.below(4) as i64);
    s.past_advocacy = Some(r.below(3) as i64);
    s.proactive_feedback = Some(r.below(2) as i64);
    s.communication_comfort = Some(1 + r.below(5) as i64);
    s.available_hours_month = Some(r.below(12) as f64);
    s.expansions = Some(r.below(3) as i64);
    s.renewals = Some(r.below(4) as i64);
    s.industry = Some(INDUSTRIES[r.below(6) as usize].to_string());
    s.region = Some(REGIONS[r.below(4) as usize].to_string());
    s.segment = Some([Segment::Smb, Segment::MidMarket, Segment::Enterprise][r.below(3) as usize]);
    if r.below(4) == 0 {
        s.switched_from = Some(COMPETITORS[r.below(3) as usize].to_string());
    }
    s.policy = Some(match r.below(20) {
        0 => Policy::Prohibited,
        1..=4 => Policy::ApprovalRequired,
        _ => Policy::Open,
    });
    s.gifts_allowed = Some(r.below(3) != 0);
    s.opted_out = Some(r.below(50) == 0);
    if a.tier == Tier::NotYetQualified {
        a.revisit = Some(Date::new(2026, 1 + r.below(12) as u8, 1).unwrap());
    }
    a
}

struct Data {
    previous: Vec<Account>,
    current: Vec<Account>,
    ledger: Vec<LedgerEntry>,
}

/// A month apart: 2% of accounts churned and replaced, totals drifting by up to 3 points, health
/// by up to 6, 15% of NPS answers new, some expansions and renewals. The ledger is 5,000,000
/// entries of ask sequences (asked, then accepted or declined, completed, thanked) over two
/// years, in random order.
fn data() -> Data {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let tiers = Thresholds::default();
    let previous: Vec<Account> = (0..ACCOUNTS).map(|i| account(&mut r, i, 0.0)).collect();
    let mut current: Vec<Account> = Vec::with_capacity(ACCOUNTS);
    for (i, p) in previous.iter().enumerate() {
        if r.below(50) == 0 {
            current.push(account(&mut r, ACCOUNTS + i, 0.0));
            continue;
        }
        let mut a = p.clone();
        a.total = (a.total + r.below(7) as f64 - 3.0).clamp(0.0, 100.0);
        a.tier = if a.tier == Tier::NotAdvocateMaterial { a.tier } else { tiers.tier(a.total) };
        if r.below(100) < 15 {
            a.signals.nps = Some(r.below(11) as i64);
        }
        a.signals.health_score_prev = a.signals.health_score;
        a.signals.health_score = a.signals.health_score.map(|h| (h + r.below(13) as f64 - 6.0).clamp(0.0, 100.0));
        if r.below(100) < 3 {
            a.signals.expansions = a.signals.expansions.map(|x| x + 1);
        }
        if r.below(100) < 8 {
            a.signals.renewals = a.signals.renewals.map(|x| x + 1);
        }
        current.push(a);
    }
    let base = Date::new(2024, 12, 1).unwrap().to_days();
    // (account, activity, status, day), shuffled, then turned into entries in that order, as a
    // reader would allocate them from a file.
    let mut rows: Vec<(u32, u8, Status, i64)> = Vec::with_capacity(LEDGER + 4);
    while rows.len() < LEDGER {
        let acc = r.below(ACCOUNTS as u64) as u32;
        let act = r.below(ACTIVITIES.len() as u64) as u8;
        let d = base + r.below(700) as i64;
        rows.push((acc, act, Status::Asked, d));
        if r.below(10) < 3 {
            rows.push((acc, act, Status::Declined, d + 3));
            continue;
        }
        rows.push((acc, act, Status::Accepted, d + 2));
        if r.below(10) < 8 {
            let done = d + 20 + r.below(40) as i64;
            rows.push((acc, act, Status::Completed, done));
            if r.below(10) < 9 {
                rows.push((acc, act, Status::Thanked, done + 1 + r.below(5) as i64));
            }
        }
    }
    rows.truncate(LEDGER);
    for i in (1..rows.len()).rev() {
        let j = r.below(i as u64 + 1) as usize;
        rows.swap(i, j);
    }
    let ledger = rows
        .iter()
        .map(|(acc, act, st, d)| {
            LedgerEntry::new(current[*acc as usize].id.clone(), ACTIVITIES[*act as usize], *st, Date::from_days(*d))
        })
        .collect();
    Data { previous, current, ledger }
}

fn bench(c: &mut Criterion) {
    let d = data();
    let as_of = Date::new(2026, 11, 30).unwrap();
    let cfg = ProgramConfig::default();
    let input = ReviewInput {
        config: None,
        as_of,
        previous: d.previous,
        previous_as_of: Some(Date::new(2026, 10, 31).unwrap()),
        current: d.current,
        ledger: d.ledger,
        overrides: Vec::new(),
    };
    id_lookups(c, &input);

    let mut g = c.benchmark_group("program");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(3));
    g.bench_function("review 1M accounts, 5M ledger entries (from scratch)", |b| {
        b.iter(|| black_box(program::review(black_box(&input)).unwrap()))
    });

    let prepared = Prepared::new(&cfg, &input.current, &input.ledger).unwrap();
    g.bench_function("review on a prepared index", |b| {
        b.iter(|| black_box(prepared.review(&input.previous, input.previous_as_of, &[], as_of).unwrap()))
    });
    drop(g);

    let request = MatchRequest {
        id: None,
        activity: "reference_call".into(),
        industry: Some("fintech".into()),
        segment: Some(Segment::Enterprise),
        region: Some("EMEA".into()),
        competitor: Some("Globex".into()),
        date_needed: Some(Date::new(2026, 12, 20).unwrap()),
        limit: Some(10),
    };
    let mut g = c.benchmark_group("program");
    g.sample_size(30);
    g.bench_function("match one request, 1M accounts, 5M-entry ledger (prepared)", |b| {
        b.iter(|| black_box(prepared.match_request(black_box(&request), &[], as_of).unwrap()))
    });
    let no_ledger = Prepared::new(&cfg, &input.current, &[]).unwrap();
    g.bench_function("match one request, 1M accounts, no ledger", |b| {
        b.iter(|| black_box(no_ledger.match_request(black_box(&request), &[], as_of).unwrap()))
    });
    drop(g);
}

/// The job of the id index in `Prepared::new`: index the snapshot's ids, then find the position
/// of every ledger entry's account (in the ledger's random order).
fn id_lookups(c: &mut Criterion, input: &ReviewInput) {
    let ids: Vec<&str> = input.current.iter().map(|a| a.id.as_str()).collect();
    let keys: Vec<&str> = input.ledger.iter().map(|e| e.account.as_str()).collect();
    let mut g = c.benchmark_group("ids");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    for (name, kind) in [("IdIndex", IdLookup::IdIndex), ("FxHashMap", IdLookup::FxHashMap)] {
        g.bench_function(format!("build 1M ids, {name}"), |b| {
            b.iter(|| black_box(bench_support::build(kind, black_box(&ids))))
        });
        g.bench_function(format!("build 1M ids + look up 5M ledger accounts, {name}"), |b| {
            b.iter(|| black_box(bench_support::build_and_look_up(kind, black_box(&ids), black_box(&keys))))
        });
    }
    drop(g);
}

criterion_group!(benches, bench);
criterion_main!(benches);
