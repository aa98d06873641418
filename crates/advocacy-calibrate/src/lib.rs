//! # advocacy-calibrate
//!
//! Points of an advocacy model learned from the program's own outcomes, kept as readable as a
//! points table and checked on asks the fit never saw.
//!
//! The examples are asks: each `asked` entry of the ledger whose outcome is known (said yes, or
//! completed; see [`OutcomeKind`]), with the account's signals **as they were before the ask**:
//! from the latest snapshot of the history on or before the ask day, never a later one (today's
//! values for a past ask would leak its outcome). A frame of examples that already holds them
//! (`asked`, `outcome`, optionally `as_of`, the signals) is read as well.
//!
//! Each criterion of the model gives one feature: the share of its points the rule gives the
//! signal's value (1 met, 0 not met or missing, a fraction on a ramp). A logistic regression
//! of the outcome on those features, with non-negative weights and an L2 penalty, is fitted by
//! deterministic coordinate descent ([`fit::fit`]); the weights become whole points, scaled to
//! the model's maximum by largest-remainder rounding. The model keeps its structure: the same
//! categories, criteria, rules, tiers and gates; only points change. A criterion whose feature
//! never varies in the examples cannot be learned and keeps its points.
//!
//! With [`Options::thresholds`], the thresholds of `>=` and `>` criteria are chosen from the
//! data too ([`choose_thresholds`]: the signal value whose met/not-met split best separates
//! yes from no, on each fold's training asks only), and the rule keeps its operator.
//!
//! The evaluation is time-ordered: the asks, sorted by day, are cut into `folds + 1` blocks
//! (a day never split); fold `k` fits on blocks `0..k` and scores block `k`. On the held-out
//! asks pooled, the current model and the calibrated one are compared by AUC (ties half, with
//! DeLong's standard errors), the share of yes among the best 10% and the best 50, and the share
//! of yes per tier, each with the asks behind it. The new points are proposed only when the
//! held-out AUC gains at least [`DEFAULT_MARGIN`] and at least 1.96 standard errors of the
//! difference, with at least [`MIN_OUTCOMES`] yes and [`MIN_OUTCOMES`] no held out; otherwise
//! the report says there is nothing to learn (or too little to trust) and keeps the points.
//!
//! Like the core and the program crate, it does no I/O.
//!
//! ```
//! use advocacy_calibrate::{calibrate, sample, Options};
//! let s = sample::generate(&sample::Settings::default());
//! let report = calibrate(&advocacy_core::Model::default(), &s.examples(), &Options::default(), None).unwrap();
//! assert!(report.decision.changed);
//! assert!(report.evaluation.calibrated.auc > report.evaluation.current.auc);
//! ```
#![forbid(unsafe_code)]
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod examples;
pub mod fit;
mod metrics;
pub mod sample;

use serde::{Deserialize, Serialize};

use advocacy_core::{round6, Date, MissingPolicy, Model, Record, Tier};
use advocacy_program::{History, LedgerEntry, ProgramError, ProgramErrorKind};

pub use examples::{
    examples_from_history, examples_from_rows, record_of, Example, LeftOut, OutcomeKind, ANSWER_DAYS, COMPLETION_DAYS,
    EXAMPLE_ALLOWED,
};
pub use fit::{whole_points, Fit};
pub use metrics::{auc, auc_difference_se, auc_se, yes_in_top};

/// Held-out yes and no each needed before a result is trusted. With fewer, the standard error
/// of an AUC is about 0.04 or more (Hanley and McNeil: about 0.04 at 50 and 50 for an AUC near
/// 0.7), as large as the gains a reweighting can bring, so a gain cannot be told from chance.
pub const MIN_OUTCOMES: usize = 50;
/// Time-ordered folds by default.
pub const DEFAULT_FOLDS: usize = 5;
/// The smallest held-out AUC gain that changes the points.
pub const DEFAULT_MARGIN: f64 = 0.02;
/// The L2 penalty of the fit by default (per weight, on the mean log-loss).
pub const DEFAULT_L2: f64 = 0.01;
/// How the features are read, as every report says.
pub const FEATURES_NOTE: &str = "features are the signals as they were when each account was asked: from the \
     latest snapshot on or before the ask day, never a later one";

/// Options of [`calibrate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Time-ordered folds (2 to 10).
    pub folds: usize,
    /// The smallest held-out AUC gain that changes the points.
    pub margin: f64,
    /// The L2 penalty of the fit.
    pub l2: f64,
    /// Held-out yes and no each needed to trust the figures.
    pub min_outcomes: usize,
    /// Also choose new thresholds for `>=` and `>` criteria from the data (see
    /// [`choose_thresholds`]), on each fold's training asks.
    pub thresholds: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            folds: DEFAULT_FOLDS,
            margin: DEFAULT_MARGIN,
            l2: DEFAULT_L2,
            min_outcomes: MIN_OUTCOMES,
            thresholds: false,
        }
    }
}

/// Asks and outcomes behind the examples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Asks used.
    pub asks: usize,
    /// Of which yes.
    pub yes: usize,
    /// Of which no.
    pub no: usize,
    /// The first ask day.
    pub first_ask: Date,
    /// The last ask day.
    pub last_ask: Date,
    /// Asks left out, by reason (from a history and a ledger).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<LeftOut>,
}

/// One criterion's old and new points and the evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionReport {
    /// The criterion's id.
    pub id: String,
    /// Its category.
    pub category: String,
    /// The signal it reads.
    pub signal: String,
    /// Its rule in the proposed model, in words.
    pub rule: String,
    /// Its rule in the current model, in words.
    pub old_rule: String,
    /// Its points in the current model.
    pub old_points: f64,
    /// Its points in the model the report proposes (the old ones when nothing changes).
    pub new_points: f64,
    /// Its points in the fit on every example, adopted or not.
    pub fitted_points: f64,
    /// The fitted weight, in log-odds of a yes when the criterion is fully met.
    pub weight: f64,
    /// The mean share of the criterion met among the asks that said yes.
    pub met_among_yes: f64,
    /// Among the asks that said no.
    pub met_among_no: f64,
    /// False when the criterion's feature never varies in the examples: it keeps its points.
    pub learnable: bool,
}

/// The best `k` asks and the yes among them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Top {
    /// How many asks.
    pub k: usize,
    /// Yes expected among them (ties at the cut shared).
    pub yes: f64,
    /// `yes / k`.
    pub precision: f64,
}

/// The share of yes among held-out asks in one tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierShare {
    /// The tier.
    pub tier: Tier,
    /// Held-out asks in it.
    pub asks: usize,
    /// Of which yes.
    pub yes: usize,
    /// `yes / asks` (`null` with no asks).
    pub share: Option<f64>,
}

/// One model's figures on the held-out asks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Area under the ROC curve.
    pub auc: f64,
    /// Its standard error (DeLong).
    pub auc_se: f64,
    /// The best 10% of the held-out asks (rounded up).
    pub top_10_percent: Top,
    /// The best 50 (or all, with fewer).
    pub top_50: Top,
    /// Share of yes per tier, best tier first.
    pub tiers: Vec<TierShare>,
}

/// One fold: the asks it trained on and those it scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fold {
    /// Asks fitted on (every ask before `from`).
    pub train_asks: usize,
    /// Asks scored.
    pub test_asks: usize,
    /// The first held-out ask day.
    pub from: Date,
    /// The last held-out ask day.
    pub to: Date,
    /// False when the training asks had one outcome only: the fold scores with the current points.
    pub fitted: bool,
}

/// The held-out comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The folds, oldest first.
    pub folds: Vec<Fold>,
    /// Held-out asks, pooled over the folds.
    pub asks: usize,
    /// Of which yes.
    pub yes: usize,
    /// Of which no.
    pub no: usize,
    /// The current model.
    pub current: Figures,
    /// The calibrated points (each fold's fit, rounded as a model file would hold them).
    pub calibrated: Figures,
    /// `calibrated.auc - current.auc`.
    pub auc_gain: f64,
    /// Its standard error (DeLong, paired on the same asks).
    pub auc_gain_se: f64,
}

/// What the report proposes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Whether the proposed model's points differ from the current ones.
    pub changed: bool,
    /// `improved`, `nothing_to_learn`, `too_few_outcomes` or `unchanged`.
    pub code: String,
    /// In words.
    pub message: String,
}

/// How many accounts of today's snapshot would change tier under the proposed model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierMoves {
    /// Accounts scored.
    pub accounts: usize,
    /// Moving to a better tier.
    pub up: usize,
    /// Moving to a worse tier.
    pub down: usize,
    /// Staying.
    pub same: usize,
    /// Every change: from, to and how many, most first.
    pub changes: Vec<TierChange>,
    /// Accounts per tier, now and under the proposed model.
    pub before: Vec<(Tier, usize)>,
    /// Under the proposed model.
    pub after: Vec<(Tier, usize)>,
}

/// Accounts moving from one tier to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierChange {
    /// The tier now.
    pub from: Tier,
    /// The tier under the proposed model.
    pub to: Tier,
    /// How many accounts.
    pub accounts: usize,
}

/// A note that is not an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// A stable code.
    pub code: String,
    /// What it means.
    pub message: String,
}

/// What [`calibrate`] found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What counted as a yes.
    pub outcome: String,
    /// How the features were read.
    pub features: String,
    /// The examples.
    pub examples: Counts,
    /// Each criterion, in model order.
    pub criteria: Vec<CriterionReport>,
    /// The held-out comparison.
    pub evaluation: Evaluation,
    /// What the report proposes.
    pub decision: Decision,
    /// Today's tiers under the proposed model (when accounts are given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub today: Option<TierMoves>,
    /// Warnings.
    pub warnings: Vec<Note>,
    /// The options used.
    pub options: Options,
    /// The proposed model (the current one when nothing changes).
    pub model: Model,
}

fn bad(path: &str, value: String, allowed: &str, message: &str) -> ProgramError {
    ProgramError::new(ProgramErrorKind::InvalidValue, path, value, allowed, message)
}

/// The features of each example: the share of its points each criterion gives it, row-major.
fn features(model: &Model, examples: &[Example]) -> Result<Vec<f64>, ProgramError> {
    let unit = unit_model(model)?;
    let mut x = Vec::new();
    for (i, e) in examples.iter().enumerate() {
        let s = unit.score(&e.record).map_err(|err| {
            let mut p = ProgramError::from(err);
            p.path = format!("examples[{i}].{}", p.path).trim_end_matches('.').to_string();
            p.row = Some(i);
            p.id = Some(e.account.clone());
            p
        })?;
        x.extend(s.criteria.iter().map(|c| c.points));
    }
    Ok(x)
}

/// The model with every criterion worth 1 point and missing signals worth 0: a criterion's
/// points in its score are then the share its rule gives the value (its feature).
pub(crate) fn unit_model(model: &Model) -> Result<Model, ProgramError> {
    let mut spec = model.spec().clone();
    spec.missing = MissingPolicy::Zero;
    let mut n = 0.0;
    spec.categories.iter_mut().flat_map(|c| c.criteria.iter_mut()).for_each(|k| {
        k.points = 1.0;
        n += 1.0;
    });
    // Tiers within the unit maximum (they do not matter for the features).
    spec.tiers.platinum = n * 0.8;
    spec.tiers.gold = n * 0.6;
    spec.tiers.silver = n * 0.4;
    Model::new(spec).map_err(ProgramError::from)
}

/// The smallest share of asks on each side of a chosen threshold.
const MIN_SIDE: f64 = 0.05;

/// A copy of `model` whose `>=` and `>` criteria get the threshold that best separates yes from
/// no on examples `rows`: among the signal's values seen there, the one whose met/not-met split
/// has the largest likelihood-ratio statistic (G), with at least 5% of the asks on each side
/// (missing values count as not met, as the score counts them); ties go to the value closest
/// to the current threshold, then the lower. Other rules are kept.
pub fn choose_thresholds(
    model: &Model,
    examples: &[Example],
    rows: std::ops::Range<usize>,
) -> Result<Model, ProgramError> {
    use advocacy_core::{Rule, Value};
    let rows = &examples[rows];
    let n = rows.len() as f64;
    let yes_all = rows.iter().filter(|e| e.outcome).count() as f64;
    let g = |met: f64, met_yes: f64| {
        let cells = [(met_yes, met, yes_all), (met - met_yes, met, n - yes_all)];
        let rest = [(yes_all - met_yes, n - met, yes_all), (n - met - yes_all + met_yes, n - met, n - yes_all)];
        cells
            .iter()
            .chain(&rest)
            .map(|(o, row, col)| {
                let e = row * col / n;
                if *o > 0.0 && e > 0.0 {
                    o * (o / e).ln()
                } else {
                    0.0
                }
            })
            .sum::<f64>()
    };
    let mut spec = model.spec().clone();
    for k in spec.categories.iter_mut().flat_map(|c| c.criteria.iter_mut()) {
        let (current, strict) = match k.rule {
            Rule::Ge { value } => (value, false),
            Rule::Gt { value } => (value, true),
            _ => continue,
        };
        let values: Vec<(Option<f64>, bool)> = rows
            .iter()
            .map(|e| match e.record.values.get(&k.signal) {
                Some(Value::Number(x)) if x.is_finite() => (Some(*x), e.outcome),
                _ => (None, e.outcome),
            })
            .collect();
        let mut candidates: Vec<f64> = values.iter().filter_map(|(x, _)| *x).collect();
        candidates.sort_by(f64::total_cmp);
        candidates.dedup();
        let mut best: Option<(f64, f64)> = None;
        for t in candidates {
            let is_met = |x: f64| if strict { x > t } else { x >= t };
            let (met, met_yes) = values
                .iter()
                .filter(|(x, _)| x.is_some_and(is_met))
                .fold((0.0, 0.0), |(m, y), (_, o)| (m + 1.0, y + *o as u8 as f64));
            if met < MIN_SIDE * n || n - met < MIN_SIDE * n {
                continue;
            }
            // Only thresholds where being met means more yes, as a criterion adds points.
            if met_yes / met <= (yes_all - met_yes) / (n - met) {
                continue;
            }
            let stat = round6(g(met, met_yes));
            let better = match best {
                None => true,
                Some((bt, bs)) => stat > bs || (stat == bs && (t - current).abs() < (bt - current).abs()),
            };
            if better {
                best = Some((t, stat));
            }
        }
        if let Some((t, _)) = best {
            k.rule = if strict { Rule::Gt { value: t } } else { Rule::Ge { value: t } };
        }
    }
    Model::new(spec).map_err(ProgramError::from)
}

/// The model with these points, criteria in model order.
fn with_points(model: &Model, points: &[f64]) -> Result<Model, ProgramError> {
    let mut spec = model.spec().clone();
    for (k, p) in spec.categories.iter_mut().flat_map(|c| c.criteria.iter_mut()).zip(points) {
        k.points = *p;
    }
    Model::new(spec).map_err(ProgramError::from)
}

/// Fits whole points on examples `rows` (of `x`, `d` features): `None` when the fit gives no
/// weight at all. Criteria whose feature is constant on those rows keep `old` (rounded).
fn fit_points(
    x: &[f64],
    d: usize,
    outcome: &[bool],
    rows: std::ops::Range<usize>,
    old: &[f64],
    total: u64,
    l2: f64,
) -> (Option<Vec<f64>>, Fit, Vec<bool>) {
    let xs = &x[rows.start * d..rows.end * d];
    let ys = &outcome[rows.clone()];
    let fixed: Vec<bool> = (0..d)
        .map(|j| {
            let first = xs[j];
            xs.chunks(d).all(|r| r[j] == first)
        })
        .collect();
    let f = fit::fit(xs, d, ys, l2, &fixed);
    let kept: u64 = old.iter().zip(&fixed).filter(|(_, f)| **f).map(|(p, _)| p.round().max(0.0) as u64).sum();
    let points = whole_points(&f.weights, &fixed, total.saturating_sub(kept)).map(|p| {
        p.iter().zip(old).zip(&fixed).map(|((p, o), f)| if *f { o.round().max(0.0) } else { *p as f64 }).collect()
    });
    (points, f, fixed)
}

fn figures(score: &[f64], tiers: &[Tier], outcome: &[bool]) -> Figures {
    let n = score.len();
    let top = |k: usize| {
        let k = k.min(n);
        let yes = yes_in_top(score, outcome, k);
        Top { k, yes: round6(yes), precision: round6(if k == 0 { 0.0 } else { yes / k as f64 }) }
    };
    let shares = Tier::ALL
        .iter()
        .map(|t| {
            let (asks, yes) = tiers
                .iter()
                .zip(outcome)
                .filter(|(x, _)| *x == t)
                .fold((0, 0), |(a, y), (_, o)| (a + 1, y + *o as usize));
            TierShare { tier: *t, asks, yes, share: (asks > 0).then(|| round6(yes as f64 / asks as f64)) }
        })
        .collect();
    Figures {
        auc: round6(auc(score, outcome).unwrap_or(0.5)),
        auc_se: round6(auc_se(score, outcome).unwrap_or(0.0)),
        top_10_percent: top(n.div_ceil(10)),
        top_50: top(50),
        tiers: shares,
    }
}

/// Where the blocks of the time-ordered folds start: `folds + 1` blocks of about equal size,
/// a boundary moved forward past asks of the same day. Errors when a block would be empty.
fn block_starts(examples: &[Example], folds: usize) -> Result<Vec<usize>, ProgramError> {
    let n = examples.len();
    let mut starts = vec![0];
    for k in 1..=folds {
        let mut b = (k * n).div_ceil(folds + 1);
        while b > 0 && b < n && examples[b - 1].asked == examples[b].asked {
            b += 1;
        }
        if b >= n || b <= *starts.last().unwrap_or(&0) {
            let days = {
                let mut d: Vec<Date> = examples.iter().map(|e| e.asked).collect();
                d.dedup();
                d.len()
            };
            return Err(bad(
                "folds",
                folds.to_string(),
                &format!(
                    "fewer folds: the {n} asks fall on {days} day(s), and each fold needs later asks than its training"
                ),
                "too few ask days for the time-ordered folds",
            ));
        }
        starts.push(b);
    }
    starts.push(n);
    Ok(starts)
}

/// Accounts' tiers under the current model and the proposed one.
pub fn tier_moves(current: &Model, proposed: &Model, accounts: &[Record]) -> Result<TierMoves, ProgramError> {
    let rank = |t: Tier| match t {
        Tier::Platinum => 4,
        Tier::Gold => 3,
        Tier::Silver => 2,
        Tier::NotYetQualified => 1,
        Tier::NotAdvocateMaterial => 0,
    };
    let (mut up, mut down, mut same) = (0, 0, 0);
    let mut changes: Vec<TierChange> = Vec::new();
    let mut before = [0usize; 5];
    let mut after = [0usize; 5];
    for (i, r) in accounts.iter().enumerate() {
        let err = |e: advocacy_core::RecordError| {
            let mut p = ProgramError::from(e);
            p.path = format!("accounts[{i}].{}", p.path).trim_end_matches('.').to_string();
            p.row = Some(i);
            p.id = r.id.clone();
            p
        };
        let a = current.score(r).map_err(err)?.tier;
        let b = proposed.score(r).map_err(err)?.tier;
        before[a.code() as usize] += 1;
        after[b.code() as usize] += 1;
        match rank(b).cmp(&rank(a)) {
            std::cmp::Ordering::Greater => up += 1,
            std::cmp::Ordering::Less => down += 1,
            std::cmp::Ordering::Equal => same += 1,
        }
        if a != b {
            match changes.iter_mut().find(|c| c.from == a && c.to == b) {
                Some(c) => c.accounts += 1,
                None => changes.push(TierChange { from: a, to: b, accounts: 1 }),
            }
        }
    }
    changes.sort_by(|x, y| {
        y.accounts.cmp(&x.accounts).then(x.from.code().cmp(&y.from.code())).then(x.to.code().cmp(&y.to.code()))
    });
    let list = |c: [usize; 5]| Tier::ALL.iter().map(|t| (*t, c[t.code() as usize])).collect();
    Ok(TierMoves { accounts: accounts.len(), up, down, same, changes, before: list(before), after: list(after) })
}

/// Calibrates `model`'s points on `examples` (sorted by ask day, as [`examples_from_history`]
/// and [`examples_from_rows`] give them), evaluates the current and the calibrated points on
/// time-ordered held-out asks, and proposes a model (the current one unless the calibrated
/// points rank the held-out asks better by the margin). `today`: accounts whose tier moves
/// the report counts.
pub fn calibrate(
    model: &Model,
    examples: &[Example],
    options: &Options,
    today: Option<&[Record]>,
) -> Result<Report, ProgramError> {
    if !(2..=10).contains(&options.folds) {
        return Err(bad("folds", options.folds.to_string(), "2 to 10", "bad number of folds"));
    }
    if !(options.margin.is_finite() && options.margin >= 0.0) {
        return Err(bad("margin", options.margin.to_string(), "a number >= 0", "bad margin"));
    }
    if !(options.l2.is_finite() && options.l2 > 0.0) {
        return Err(bad("l2", options.l2.to_string(), "a number > 0", "bad L2 penalty"));
    }
    let yes = examples.iter().filter(|e| e.outcome).count();
    let no = examples.len() - yes;
    if examples.is_empty() {
        return Err(bad("examples", "0 asks".into(), "asks with a known outcome", "no outcomes to learn from"));
    }
    if yes == 0 || no == 0 {
        return Err(bad(
            "examples",
            format!("{} asks, {yes} yes, {no} no", examples.len()),
            "asks with both outcomes (some yes and some no)",
            "only one outcome: nothing separates the accounts",
        ));
    }
    if let Some(w) = examples.windows(2).position(|w| w[1].asked < w[0].asked) {
        return Err(bad(
            &format!("examples[{}].asked", w + 1),
            examples[w + 1].asked.to_string(),
            "examples sorted by ask day",
            "examples out of order",
        ));
    }
    if let Some((i, e)) = examples.iter().enumerate().find(|(_, e)| e.as_of > e.asked) {
        return Err(bad(
            &format!("examples[{i}].as_of"),
            e.as_of.to_string(),
            &format!("a day on or before the ask ({})", e.asked),
            "the signals are from after the ask: they may already reflect its outcome",
        ));
    }
    let ks: Vec<(&str, &advocacy_core::Criterion)> =
        model.categories().iter().flat_map(|c| c.criteria.iter().map(move |k| (c.id.as_str(), k))).collect();
    let d = ks.len();
    let old: Vec<f64> = ks.iter().map(|(_, k)| k.points).collect();
    let total = model.max_points().round().max(0.0) as u64;
    let x = if options.thresholds { Vec::new() } else { features(model, examples)? };
    let outcome: Vec<bool> = examples.iter().map(|e| e.outcome).collect();
    let mut warnings = Vec::new();

    // Held-out scores of both models, fold by fold.
    let starts = block_starts(examples, options.folds)?;
    let (mut cur_score, mut cur_tier, mut new_score, mut new_tier, mut held) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut folds = Vec::new();
    for k in 1..=options.folds {
        let (train, test) = (0..starts[k], starts[k]..starts[k + 1]);
        let train_yes = outcome[train.clone()].iter().filter(|y| **y).count();
        let one_class = train_yes == 0 || train_yes == train.len();
        let (base, xk) = if options.thresholds && !one_class {
            let base = choose_thresholds(model, examples, train.clone())?;
            let xk = features(&base, examples)?;
            (base, std::borrow::Cow::Owned(xk))
        } else {
            (model.clone(), std::borrow::Cow::Borrowed(&x))
        };
        let points = if one_class || xk.is_empty() {
            None
        } else {
            fit_points(&xk, d, &outcome, train.clone(), &old, total, options.l2).0
        };
        let fitted = points.is_some();
        let fold_model = match &points {
            Some(p) => with_points(&base, p)?,
            None => model.clone(),
        };
        for i in test.clone() {
            let a = model.score(&examples[i].record).map_err(ProgramError::from)?;
            let b = fold_model.score(&examples[i].record).map_err(ProgramError::from)?;
            cur_score.push(a.total);
            cur_tier.push(a.tier);
            new_score.push(b.total);
            new_tier.push(b.tier);
            held.push(outcome[i]);
        }
        if one_class {
            warnings.push(Note {
                code: "fold_one_outcome".into(),
                message: format!(
                    "fold {k}: the {} training asks have one outcome only; it scores with the current points",
                    train.len()
                ),
            });
        }
        folds.push(Fold {
            train_asks: train.len(),
            test_asks: test.len(),
            from: examples[test.start].asked,
            to: examples[test.end - 1].asked,
            fitted,
        });
    }
    let held_yes = held.iter().filter(|y| **y).count();
    let held_no = held.len() - held_yes;
    let current = figures(&cur_score, &cur_tier, &held);
    let calibrated = figures(&new_score, &new_tier, &held);
    let gain = auc(&new_score, &held).unwrap_or(0.5) - auc(&cur_score, &held).unwrap_or(0.5);
    let gain_se = auc_difference_se(&cur_score, &new_score, &held).unwrap_or(0.0);

    // The fit on every example: what the report proposes if the held-out asks agree.
    let (base, x) = if options.thresholds {
        let base = choose_thresholds(model, examples, 0..examples.len())?;
        let x = features(&base, examples)?;
        (base, x)
    } else {
        (model.clone(), x)
    };
    let base_ks: Vec<&advocacy_core::Criterion> = base.categories().iter().flat_map(|c| &c.criteria).collect();
    let (points, all_fit, fixed) = fit_points(&x, d, &outcome, 0..examples.len(), &old, total, options.l2);
    let too_few = held_yes < options.min_outcomes || held_no < options.min_outcomes;
    if too_few {
        warnings.push(Note {
            code: "too_few_outcomes".into(),
            message: format!(
                "{held_yes} yes and {held_no} no held out: fewer than {m} of each, the AUC's standard error (about \
                 0.04 or more) is as large as the gains a reweighting brings, so no figure here can be trusted",
                m = options.min_outcomes
            ),
        });
    }
    for (j, (_, k)) in ks.iter().enumerate() {
        if fixed[j] {
            warnings.push(Note {
                code: "not_learnable".into(),
                message: format!(
                    "criterion `{}`: its rule gives every ask the same share ({}), so the outcomes say nothing about it; \
                     it keeps its {} points",
                    k.id,
                    advocacy_core::fmt_num(round6(x[j])),
                    advocacy_core::fmt_num(k.points)
                ),
            });
        }
    }
    let significant = gain >= options.margin && gain >= 1.96 * gain_se && gain > 0.0;
    let fitted_points = points.clone().unwrap_or_else(|| old.clone());
    let decision = if too_few {
        Decision {
            changed: false,
            code: "too_few_outcomes".into(),
            message: format!(
                "too few outcomes to trust: {held_yes} yes and {held_no} no held out, {} of each needed; the points are kept",
                options.min_outcomes
            ),
        }
    } else if points.is_none() || !significant {
        Decision {
            changed: false,
            code: "nothing_to_learn".into(),
            message: format!(
                "nothing to learn: on the held-out asks the calibrated points gain {} AUC (standard error {}), less than \
                 the margin {} or than 1.96 standard errors; the points are kept",
                advocacy_core::fmt_num(round6(gain)),
                advocacy_core::fmt_num(round6(gain_se)),
                advocacy_core::fmt_num(options.margin)
            ),
        }
    } else if fitted_points == old && base == *model {
        Decision { changed: false, code: "unchanged".into(), message: "the fit gives the current points".into() }
    } else {
        Decision {
            changed: true,
            code: "improved".into(),
            message: format!(
                "the calibrated points rank the held-out asks better: AUC {} against {} (gain {}, standard error {})",
                advocacy_core::fmt_num(calibrated.auc),
                advocacy_core::fmt_num(current.auc),
                advocacy_core::fmt_num(round6(gain)),
                advocacy_core::fmt_num(round6(gain_se))
            ),
        }
    };
    let proposed = if decision.changed { with_points(&base, &fitted_points)? } else { model.clone() };
    let mean_of = |j: usize, want: bool| {
        let (s, n) = x
            .chunks(d)
            .zip(&outcome)
            .filter(|(_, y)| **y == want)
            .fold((0.0, 0usize), |(s, n), (r, _)| (s + r[j], n + 1));
        round6(if n == 0 { 0.0 } else { s / n as f64 })
    };
    let criteria = ks
        .iter()
        .enumerate()
        .map(|(j, (cat, k))| CriterionReport {
            id: k.id.clone(),
            category: cat.to_string(),
            signal: k.signal.clone(),
            rule: if decision.changed { base_ks[j].rule.describe() } else { k.rule.describe() },
            old_rule: k.rule.describe(),
            old_points: k.points,
            new_points: if decision.changed { fitted_points[j] } else { k.points },
            fitted_points: fitted_points[j],
            weight: round6(all_fit.weights[j]),
            met_among_yes: mean_of(j, true),
            met_among_no: mean_of(j, false),
            learnable: !fixed[j],
        })
        .collect();
    let today = match today {
        Some(accounts) => Some(tier_moves(model, &proposed, accounts)?),
        None => None,
    };
    Ok(Report {
        outcome: "examples".into(),
        features: FEATURES_NOTE.into(),
        examples: Counts {
            asks: examples.len(),
            yes,
            no,
            first_ask: examples[0].asked,
            last_ask: examples[examples.len() - 1].asked,
            left_out: None,
        },
        criteria,
        evaluation: Evaluation {
            folds,
            asks: held.len(),
            yes: held_yes,
            no: held_no,
            current,
            calibrated,
            auc_gain: round6(gain),
            auc_gain_se: round6(gain_se),
        },
        decision,
        today,
        warnings,
        options: options.clone(),
        model: proposed,
    })
}

/// Input of [`calibrate_json`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrateInput {
    /// The model to calibrate (`null`: the default model).
    #[serde(default)]
    pub model: Option<Model>,
    /// The history in its long form (one row per account and day, with `as_of`, `id`, `total`
    /// or `score`, `tier` and the signals), as [`History::from_rows`] reads it.
    #[serde(default)]
    pub history: Option<Vec<serde_json::Value>>,
    /// The activity ledger (with `history`).
    #[serde(default)]
    pub ledger: Option<Vec<LedgerEntry>>,
    /// Or a frame of examples (see [`examples_from_rows`]).
    #[serde(default)]
    pub examples: Option<Vec<serde_json::Value>>,
    /// What counts as a yes (with a ledger; default `said_yes`).
    #[serde(default)]
    pub outcome: Option<OutcomeKind>,
    /// Today's accounts (flat rows) whose tier moves the report counts (default: the history's
    /// last snapshot).
    #[serde(default)]
    pub accounts: Option<Vec<serde_json::Value>>,
    /// Options.
    #[serde(default)]
    pub options: Options,
}

/// Reads the input, builds the examples and calibrates: the one entry point the command line
/// and the bindings call, so they give the same numbers.
pub fn run(input: &CalibrateInput) -> Result<Report, ProgramError> {
    let model = input.model.clone().unwrap_or_default();
    let (examples, left, outcome, last) = match (&input.history, &input.examples) {
        (Some(rows), None) => {
            let history = History::from_rows(rows, "history")?;
            let ledger = input.ledger.as_deref().unwrap_or_default();
            let kind = input.outcome.unwrap_or_default();
            let (examples, left) = examples_from_history(&history, ledger, kind)?;
            let last: Option<Vec<Record>> =
                history.snapshots().last().map(|s| s.accounts.iter().map(record_of).collect());
            (examples, Some(left), kind.as_str().to_string(), last)
        }
        (None, Some(rows)) => {
            if input.outcome.is_some() || input.ledger.is_some() {
                return Err(bad(
                    "outcome",
                    "an outcome or a ledger with examples".into(),
                    "examples with their own `outcome` column, or a history and a ledger",
                    "examples carry their outcomes",
                ));
            }
            (examples_from_rows(rows, "examples")?, None, "outcome column".to_string(), None)
        }
        (h, _) => {
            return Err(ProgramError::new(
                ProgramErrorKind::Parse,
                "",
                if h.is_some() { "both `history` and `examples`" } else { "neither `history` nor `examples`" },
                "a history (long rows) with a ledger, or a frame of examples, not both",
                "nothing to calibrate on",
            ))
        }
    };
    let today: Option<Vec<Record>> = match &input.accounts {
        Some(rows) => Some(advocacy_program::accounts_from_rows(rows, "accounts")?.iter().map(record_of).collect()),
        None => last,
    };
    let mut report = calibrate(&model, &examples, &input.options, today.as_deref())?;
    report.outcome = outcome;
    report.examples.left_out = left;
    Ok(report)
}

/// [`run`] with JSON in and out (the report, with the proposed model under `model`).
pub fn run_json(input: serde_json::Value) -> Result<serde_json::Value, ProgramError> {
    let input: CalibrateInput = serde_json::from_value(input)
        .map_err(|e| ProgramError::new(ProgramErrorKind::Parse, "", e.to_string(), "a calibrate input", "bad input"))?;
    let report = run(&input)?;
    serde_json::to_value(&report).map_err(|e| {
        ProgramError::new(ProgramErrorKind::Parse, "", e.to_string(), "a report", "cannot write the report")
    })
}
