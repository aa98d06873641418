//! Scoring 1,000,000 accounts of the default model through the columnar batch API, next to a
//! plain hand-written loop over the same columns (the limit).
//!
//! `cargo bench --bench score`; throughput is reported in accounts per second.

use std::hint::black_box;

use advocacy_core::{Bitmap, Column, Columns, Model, OnError, Targets};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const N: usize = 1_000_000;
const INDUSTRIES: [&str; 6] = ["software", "healthcare", "retail", "manufacturing", "media", "logistics"];
const SEGMENTS: [&str; 3] = ["smb", "mid_market", "enterprise"];
const POLICIES: [&str; 3] = ["open", "approval_required", "prohibited"];

/// Deterministic pseudo-random numbers (xorshift64*), so every run scores the same table.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Table {
    nums: Vec<(&'static str, Vec<f64>)>,
    roi: Vec<bool>,
    opted_out: Vec<bool>,
    industry: Vec<u32>,
    segment: Vec<u32>,
    policy: Vec<u32>,
}

fn table() -> Table {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut col = |lo: u64, hi: u64, scale: f64| -> Vec<f64> {
        (0..N).map(|_| if r.below(10) == 0 { f64::NAN } else { (lo + r.below(hi - lo + 1)) as f64 / scale }).collect()
    };
    let nums = vec![
        ("nps", col(0, 10, 1.0)),
        ("health_score", col(0, 10000, 100.0)),
        ("csm_rapport", col(1, 5, 1.0)),
        ("engaged_contacts", col(0, 8, 1.0)),
        ("meeting_engagement", col(1, 5, 1.0)),
        ("past_advocacy", col(0, 3, 1.0)),
        ("proactive_feedback", col(0, 3, 1.0)),
        ("communication_comfort", col(1, 5, 1.0)),
        ("brand_strength", col(1, 5, 1.0)),
    ];
    let mut r = Rng(42);
    Table {
        nums,
        roi: (0..N).map(|_| r.below(2) == 0).collect(),
        opted_out: (0..N).map(|_| r.below(50) == 0).collect(),
        industry: (0..N).map(|_| r.below(6) as u32).collect(),
        segment: (0..N).map(|_| r.below(3) as u32).collect(),
        policy: (0..N).map(|_| r.below(20).min(2) as u32).collect(),
    }
}

fn model() -> Model {
    let targets = Targets {
        industries: vec!["software".into(), "healthcare".into()],
        segments: vec!["enterprise".into(), "mid_market".into()],
        regions: Vec::new(),
    };
    Model::default().with_targets(targets).unwrap()
}

fn columns(t: &Table) -> Columns<'_> {
    let mut c = Columns::new(N);
    for (name, v) in &t.nums {
        c.add(name, v.as_slice()).unwrap();
    }
    let dict = |keys: &[u32], values: &[&'static str]| Column::Dictionary {
        keys: keys.to_vec().into(),
        validity: None,
        values: values.iter().map(|s| (*s).into()).collect(),
    };
    c.add("industry", dict(&t.industry, &INDUSTRIES)).unwrap();
    c.add("segment", dict(&t.segment, &SEGMENTS)).unwrap();
    c.add("policy", dict(&t.policy, &POLICIES)).unwrap();
    c.add("roi_achieved", Column::Bool { values: Bitmap::from_bools(&t.roi), validity: None }).unwrap();
    c.add("opted_out", Column::Bool { values: Bitmap::from_bools(&t.opted_out), validity: None }).unwrap();
    c
}

/// The default model written by hand: what a developer would write for this one model.
fn hand_loop(t: &Table, total: &mut [f64], tier: &mut [u8]) {
    let n = |k: usize| t.nums[k].1.as_slice();
    let (nps, health, rapport, contacts, meeting, past, proactive, comfort, brand) =
        (n(0), n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8));
    let target_industry = [true, true, false, false, false, false];
    let target_segment = [false, true, true];
    for i in 0..N {
        let p = |c: bool, pts: f64| if c { pts } else { 0.0 };
        let s = p(nps[i] >= 9.0, 10.0)
            + p(health[i] > 80.0, 10.0)
            + p(t.roi[i], 10.0)
            + p(rapport[i] >= 4.0, 10.0)
            + p(contacts[i] >= 3.0, 10.0)
            + p(meeting[i] >= 4.0, 5.0)
            + p(past[i] >= 1.0, 10.0)
            + p(proactive[i] >= 1.0, 10.0)
            + p(comfort[i] >= 4.0, 5.0)
            + p(target_industry[t.industry[i] as usize], 10.0)
            + p(target_segment[t.segment[i] as usize], 5.0)
            + p(brand[i] >= 4.0, 5.0);
        total[i] = s;
        tier[i] = if t.policy[i] == 2 || t.opted_out[i] {
            4
        } else if s >= 80.0 {
            0
        } else if s >= 60.0 {
            1
        } else if s >= 40.0 {
            2
        } else {
            3
        };
    }
}

fn bench(c: &mut Criterion) {
    let t = table();
    let m = model();
    let cols = columns(&t);
    // The two agree on every total before anything is timed.
    let out = m.score_columns(&cols, OnError::Fail).unwrap();
    let (mut total, mut tier) = (vec![0.0; N], vec![0u8; N]);
    hand_loop(&t, &mut total, &mut tier);
    assert_eq!(out.total, total);
    assert!(out.tier.iter().zip(&tier).all(|(a, b)| a.map(|t| t.code()) == Some(*b)));

    let mut g = c.benchmark_group("score_1m_accounts");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    // Both write into buffers kept from the previous iteration, as a stream of batches would.
    let mut out = out;
    g.bench_function("advocacy_batch", |b| {
        b.iter(|| {
            m.score_columns_into(black_box(&cols), OnError::Fail, &mut out).unwrap();
            black_box(&out);
        })
    });
    // What the hand loop computes, and nothing more: totals and tiers.
    let mut lean = cols.clone();
    lean.set_outputs(advocacy_core::Outputs::SCORE_AND_TIER);
    let mut out_lean = m.score_columns(&lean, OnError::Fail).unwrap();
    assert_eq!(out_lean.total, total);
    g.bench_function("advocacy_batch_score_and_tier", |b| {
        b.iter(|| {
            m.score_columns_into(black_box(&lean), OnError::Fail, &mut out_lean).unwrap();
            black_box(&out_lean);
        })
    });
    g.bench_function("hand_written_loop", |b| {
        b.iter(|| {
            hand_loop(black_box(&t), &mut total, &mut tier);
            black_box((&total, &tier));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
