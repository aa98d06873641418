//! Scoring one account, with a full explanation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::RecordError;
use crate::model::{MissingPolicy, Model, ModelSpec, OutreachPlan, Tier, Warning};
use crate::num::round6;
use crate::record::{Provenance, Record};
use crate::signal::{record_error, Value};

/// What a criterion made of an account's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Met: full points.
    Met,
    /// A ramp gave part of the points.
    Partial,
    /// Not met: no points.
    NotMet,
    /// The signal is missing.
    Missing,
    /// The criterion cannot be judged (a target list that is not set): no points.
    NotApplicable,
}

/// One criterion's result for an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionScore {
    /// The criterion's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// The category it belongs to.
    pub category: String,
    /// The signal it read.
    pub signal: String,
    /// The rule, in words (`>= 9`).
    pub rule: String,
    /// What came of it.
    pub outcome: Outcome,
    /// The value seen (clean form; `null` when missing).
    pub value: Value,
    /// Points earned.
    pub points: f64,
    /// Points it is worth.
    pub max: f64,
    /// Where and when the value was seen, and the values of other sources it overruled
    /// (records joined from several sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// The value was older than the model's maximum age for its signal and counted as missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale: Option<Stale>,
}

/// A value too old to count: seen on `observed`, older than `max_age_days` on the as-of date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Stale {
    /// The value that was not counted.
    pub value: Value,
    /// When it was observed.
    pub observed: Date,
    /// The model's maximum age for the signal.
    pub max_age_days: u32,
    /// In words: `nps: stale, observed 2025-09-01, older than 180 days`.
    pub message: String,
}

/// One category's subtotal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryScore {
    /// The category's id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Points earned in it (not rescaled).
    pub points: f64,
    /// Points it is worth.
    pub max: f64,
}

/// The gate that decided an account's tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GateHit {
    /// The gate's id.
    pub id: String,
    /// The signal it read.
    pub signal: String,
    /// The tier it forced.
    pub tier: Tier,
    /// Why.
    pub reason: String,
}

/// The range the total could reach once the missing signals are known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Bounds {
    /// The total if every missing criterion turns out unmet.
    pub min: f64,
    /// The total if every missing criterion turns out met.
    pub max: f64,
    /// The tiers the account could end up in, best first.
    pub tiers: Vec<Tier>,
}

/// What it takes to reach the next tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GapToNextTier {
    /// The next tier.
    pub tier: Tier,
    /// Points still needed.
    pub points_needed: f64,
    /// The fewest unmet or missing criteria that would close the gap, biggest first.
    pub criteria: Vec<String>,
    /// False when even every open criterion would not be enough.
    pub reachable: bool,
}

/// An account's explained advocacy score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Score {
    /// The account id, when the record had one.
    pub id: Option<String>,
    /// The total, on the model's scale (rescaled under the `rescale` policy).
    pub total: f64,
    /// The model's maximum.
    pub max: f64,
    /// The tier, after gates.
    pub tier: Tier,
    /// The tier the total alone reaches.
    pub score_tier: Tier,
    /// The gate that overrode the tier, if any.
    pub gate: Option<GateHit>,
    /// Category subtotals, in model order.
    pub categories: Vec<CategoryScore>,
    /// Every criterion's result, in model order.
    pub criteria: Vec<CriterionScore>,
    /// Signals the model reads that the record lacks.
    pub missing: Vec<String>,
    /// Share of the model's points whose signals were present (0..=1).
    pub completeness: f64,
    /// Where the total could land once missing signals are known.
    pub bounds: Bounds,
    /// The gap to the next tier (none at platinum or when gated).
    pub next_tier: Option<GapToNextTier>,
    /// How to approach the account.
    pub outreach: OutreachPlan,
    /// When to look again (not-yet-qualified accounts, given an as-of date).
    pub revisit: Option<Date>,
    /// Notes such as unset targets.
    pub warnings: Vec<Warning>,
}

/// The criteria of one account judged: their results and the sums the total is made of.
struct Judged {
    criteria: Vec<CriterionScore>,
    /// Points earned per category.
    cat_points: Vec<f64>,
    /// Points of the criteria whose signal is present.
    present: f64,
    /// Points of present criteria that cannot be judged (no targets set).
    not_applicable: f64,
    /// Signals the model reads that the record lacks.
    missing: Vec<String>,
}

impl Outcome {
    /// The outcome of a criterion that earned `share` (0..=1) of its points.
    fn of_share(share: f64) -> Outcome {
        if share >= 1.0 {
            Outcome::Met
        } else if share > 0.0 {
            Outcome::Partial
        } else {
            Outcome::NotMet
        }
    }
}

/// Applies the missing-data policy.
#[inline(always)]
pub(crate) fn total_of(policy: MissingPolicy, earned: f64, present: f64, max: f64) -> f64 {
    match policy {
        MissingPolicy::Zero => earned,
        MissingPolicy::Rescale => {
            if present > 0.0 {
                earned / present * max
            } else {
                0.0
            }
        }
    }
}

pub(crate) fn tiers_between(model: &ModelSpec, lo: f64, hi: f64) -> Vec<Tier> {
    let (a, b) = (model.tiers.tier(hi), model.tiers.tier(lo));
    Tier::ALL.into_iter().filter(|t| *t >= a && *t <= b).collect()
}

/// The revisit date of an account in tier `tier` on `as_of`, under a model that revisits after
/// `revisit_months` months: that many months later for a not-yet-qualified account
/// ([`Date::add_months`]), none for any other tier. [`Score::revisit`] is this date.
///
/// ```
/// use advocacy_core::{revisit_date, Tier};
/// let day = "2026-03-31".parse().unwrap();
/// assert_eq!(revisit_date(Tier::NotYetQualified, day, 6).unwrap().to_string(), "2026-09-30");
/// assert_eq!(revisit_date(Tier::Silver, day, 6), None);
/// ```
pub fn revisit_date(tier: Tier, as_of: Date, revisit_months: u32) -> Option<Date> {
    (tier == Tier::NotYetQualified).then(|| as_of.add_months(revisit_months as i32))
}

impl Model {
    /// Validates every known signal in the record, in the model's signal order.
    pub(crate) fn clean(&self, r: &Record, row: Option<usize>) -> Result<Vec<Option<Value>>, RecordError> {
        let mut out = Vec::with_capacity(self.signals.len());
        for spec in &self.signals {
            let v = match r.values.get(&spec.name) {
                None => None,
                Some(raw) => spec.check(raw).map_err(|k| record_error(row, r.id.as_deref(), spec, raw, k))?,
            };
            out.push(v);
        }
        Ok(out)
    }

    /// Values older than the model's maximum age on `as_of`: set to missing in `clean`, returned
    /// by signal position.
    fn drop_stale(&self, r: &Record, as_of: Option<Date>, clean: &mut [Option<Value>]) -> Vec<(usize, Stale)> {
        let (Some(as_of), false) = (as_of, self.spec.max_age_days.is_empty()) else { return Vec::new() };
        let mut out = Vec::new();
        for (signal, &days) in &self.spec.max_age_days {
            let Some(&i) = self.index.get(signal) else { continue };
            let observed = r.provenance.get(signal).and_then(|p| p.seen.as_ref()).and_then(|s| s.observed);
            let (Some(observed), Some(value)) = (observed, clean.get(i).cloned().flatten()) else { continue };
            if observed.days_until(as_of) > days as i64 {
                clean[i] = None;
                let message = format!("{signal}: stale, observed {observed}, older than {days} days");
                out.push((i, Stale { value, observed, max_age_days: days, message }));
            }
        }
        out
    }

    pub(crate) fn explain(&self, r: &Record, as_of: Option<Date>) -> Result<Score, RecordError> {
        let m = &self.spec;
        let mut clean = self.clean(r, None)?;
        let stale = self.drop_stale(r, as_of, &mut clean);
        let get = |position: usize| clean.get(position).and_then(|v| v.as_ref());
        let Judged { mut criteria, cat_points, present, not_applicable, missing } = self.judge(&get);
        for (c, rc) in criteria.iter_mut().zip(&self.criteria) {
            c.provenance = r.provenance.get(&rc.criterion.signal).cloned();
            c.stale = stale.iter().find(|(i, _)| *i == rc.position).map(|(_, s)| s.clone());
        }
        // Under `rescale`, the criteria that could be judged are the denominator.
        // The same arithmetic, in the same order, as the columnar batch.
        let earned = cat_points.iter().fold(0.0, |e, c| e + c);
        let judged = present - not_applicable;
        let earnable_missing = self.earnable - judged;
        let total = round6(total_of(m.missing, earned, judged, self.max));
        let score_tier = m.tiers.tier(total);
        let gate = self
            .gates
            .iter()
            .find(|rg| get(rg.position).and_then(|v| rg.gate.rule.frac(v, &m.targets)) == Some(1.0))
            .map(|rg| &rg.gate);
        let gate = gate.map(|g| GateHit {
            id: g.id.clone(),
            signal: g.signal.clone(),
            tier: g.tier,
            reason: g.reason.clone(),
        });
        let tier = gate.as_ref().map_or(score_tier, |g| g.tier);

        let lo = round6(total_of(m.missing, earned, self.earnable, self.max));
        let hi = round6(total_of(m.missing, earned + earnable_missing, self.earnable, self.max));
        let bounds = Bounds {
            min: lo,
            max: hi,
            tiers: match &gate {
                Some(g) => vec![g.tier],
                None => tiers_between(m, lo, hi),
            },
        };
        let next_tier = if gate.is_some() { None } else { self.gap(tier, total, earned, judged, &criteria) };
        let revisit = as_of.and_then(|d| revisit_date(tier, d, m.revisit_months));
        Ok(Score {
            id: r.id.clone(),
            total,
            max: self.max,
            tier,
            score_tier,
            gate,
            categories: m
                .categories
                .iter()
                .zip(&cat_points)
                .zip(&self.category_max)
                .map(|((c, p), mx)| CategoryScore {
                    id: c.id.clone(),
                    label: c.label.clone(),
                    points: round6(*p),
                    max: *mx,
                })
                .collect(),
            criteria,
            missing,
            completeness: round6(present / self.max),
            bounds,
            next_tier,
            outreach: m.outreach.plan(tier).clone(),
            revisit,
            warnings: self.warnings.clone(),
        })
    }

    /// Every criterion's result for an account's clean values, with the sums scoring needs.
    fn judge<'v>(&self, get: &impl Fn(usize) -> Option<&'v Value>) -> Judged {
        let m = &self.spec;
        let mut judged = Judged {
            criteria: Vec::with_capacity(self.criteria.len()),
            cat_points: vec![0.0; m.categories.len()],
            present: 0.0,
            not_applicable: 0.0,
            missing: Vec::new(),
        };
        // Signals already listed as missing, by position (a signal read by several criteria is listed once).
        let mut listed = vec![false; self.signals.len()];
        for rc in &self.criteria {
            let cr = &rc.criterion;
            let pts = cr.points;
            let (outcome, value, got) = match get(rc.position) {
                None => {
                    if let Some(seen @ false) = listed.get_mut(rc.position) {
                        *seen = true;
                        judged.missing.push(cr.signal.clone());
                    }
                    (Outcome::Missing, Value::Null, 0.0)
                }
                Some(v) => {
                    judged.present += pts;
                    match cr.rule.frac(v, &m.targets) {
                        None => {
                            judged.not_applicable += pts;
                            (Outcome::NotApplicable, v.clone(), 0.0)
                        }
                        Some(f) => {
                            let got = f * pts;
                            judged.cat_points[rc.category] += got;
                            (Outcome::of_share(f), v.clone(), got)
                        }
                    }
                }
            };
            judged.criteria.push(CriterionScore {
                id: cr.id.clone(),
                label: cr.label.clone(),
                category: m.categories[rc.category].id.clone(),
                signal: cr.signal.clone(),
                rule: cr.rule.describe(),
                outcome,
                value,
                points: round6(got),
                max: pts,
                provenance: None,
                stale: None,
            });
        }
        judged
    }

    /// The fewest open criteria (largest gain first) that lift the total to the next tier.
    fn gap(
        &self,
        tier: Tier,
        total: f64,
        earned: f64,
        present: f64,
        results: &[CriterionScore],
    ) -> Option<GapToNextTier> {
        let m = &self.spec;
        let (next, threshold) = m.tiers.next(tier)?;
        // (gain, was missing, index) of every criterion that could still add points.
        let mut open: Vec<(f64, f64, usize)> = results
            .iter()
            .zip(&self.criteria)
            .enumerate()
            .filter(|(_, (r, rc))| rc.criterion.rule.can_be_judged(&m.targets) && r.max > 0.0)
            .filter_map(|(i, (r, _))| match r.outcome {
                Outcome::Missing => Some((r.max, r.max, i)),
                Outcome::NotMet | Outcome::Partial => Some((r.max - r.points, 0.0, i)).filter(|g| g.0 > 0.0),
                _ => None,
            })
            .collect();
        open.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        let (mut e, mut p) = (earned, present);
        let mut chosen = Vec::new();
        let mut reachable = false;
        for (gain, newly_present, i) in &open {
            e += gain;
            p += newly_present;
            chosen.push(results[*i].id.clone());
            if round6(total_of(m.missing, e, p, self.max)) >= threshold {
                reachable = true;
                break;
            }
        }
        Some(GapToNextTier { tier: next, points_needed: round6(threshold - total), criteria: chosen, reachable })
    }
}

impl Model {
    /// Scores one account and explains the result.
    ///
    /// Fails on a bad value (named with its signal, value and what is allowed) or an invalid model.
    ///
    /// ```
    /// use advocacy_core::{Model, Record, Tier};
    /// use advocacy_core::TargetList;
    /// let model = Model::default().with_target_list(TargetList::Industries, vec!["software".into()]).unwrap();
    /// let score = model.score(&Record::new()
    ///     .with("nps", 10).with("health_score", 91.5).with("roi_achieved", true)
    ///     .with("csm_rapport", 5).with("engaged_contacts", 4).with("meeting_engagement", 4)
    ///     .with("past_advocacy", 2).with("proactive_feedback", 1).with("industry", "Software")).unwrap();
    /// assert_eq!(score.total, 85.0);
    /// assert_eq!(score.tier, Tier::Platinum);
    /// ```
    pub fn score(&self, record: &Record) -> Result<Score, RecordError> {
        self.explain(record, None)
    }

    /// Like [`Model::score`], with an as-of date for the revisit date of not-yet-qualified accounts.
    ///
    /// ```
    /// use advocacy_core::{Model, Record};
    /// let s = Model::default().score_as_of(&Record::new().with("nps", 3), "2026-01-31".parse().unwrap()).unwrap();
    /// assert_eq!(s.revisit.unwrap().to_string(), "2026-07-31");
    /// ```
    pub fn score_as_of(&self, record: &Record, as_of: Date) -> Result<Score, RecordError> {
        self.explain(record, Some(as_of))
    }

    /// Scores many records one by one, with the same semantics as the columnar batch.
    pub fn score_records(&self, records: &[Record], as_of: Option<Date>) -> Vec<Result<Score, RecordError>> {
        records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                self.explain(r, as_of).map_err(|mut e| {
                    e.row = Some(i);
                    e
                })
            })
            .collect()
    }
}
