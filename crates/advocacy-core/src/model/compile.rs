//! Checking a [`ModelSpec`] and compiling it into a [`Model`]: done once, when the model is built.
//!
//! Every problem is collected (not only the first), each with its config path, the value seen
//! and what is allowed there. Compiling is linear in the size of the model.

use std::collections::{HashMap, HashSet};

use super::rule::Rule;
use super::spec::{Gate, ModelSpec};
use super::{Model, ResolvedCriterion, ResolvedGate};
use crate::error::{ModelError, ModelErrorKind as K};
use crate::num::fmt_num;
use crate::signal::{SignalKind, SignalSpec};
use crate::standard::{standard_signal, standard_signals};
use crate::text::same_category;

/// Result columns every output carries: no category may take their names (category subtotals
/// are columns beside them).
pub const RESERVED_COLUMNS: &[&str] =
    &["id", "name", "rank", "score", "tier", "completeness", "max_possible", "error", "row"];

/// The problems found so far.
#[derive(Default)]
struct Problems(Vec<ModelError>);

impl Problems {
    fn add(&mut self, kind: K, path: String, value: String, allowed: &str, message: &str) {
        self.0.push(ModelError::new(kind, path, value, allowed, message));
    }
}

/// Checks `spec` and compiles it; on failure, every problem found, in model order.
pub(super) fn compile(spec: ModelSpec) -> Result<Model, Vec<ModelError>> {
    let mut problems = Problems::default();
    let (signals, index) = known_signals(&spec, &mut problems);
    check_tiers(&spec, &mut problems);
    check_targets(&spec, &mut problems);
    let lookup = |name: &str| index.get(name).map(|&i| &signals[i]);
    let (mut criteria, category_max) = resolve_criteria(&spec, &lookup, &mut problems);
    let mut gates = resolve_gates(&spec, &lookup, &mut problems);
    for rc in &mut criteria {
        rc.position = index.get(&rc.signal.name).copied().unwrap_or(usize::MAX);
    }
    for rg in &mut gates {
        rg.position = index.get(&rg.signal.name).copied().unwrap_or(usize::MAX);
    }
    check_tiers_reachable(&spec, &mut problems);
    for (signal, days) in &spec.max_age_days {
        let path = format!("max_age_days.{}", crate::text::printable(signal, 80));
        if lookup(signal).is_none() {
            problems.0.push(unknown_signal(path, signal));
        } else if *days == 0 {
            problems.add(
                K::InvalidValue,
                path,
                "0".into(),
                "at least 1 day",
                "a maximum age of 0 days makes every value stale",
            );
        }
    }
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let max = spec.categories.iter().flat_map(|c| &c.criteria).fold(0.0, |m, c| m + c.points);
    let earnable = criteria
        .iter()
        .filter(|rc| rc.criterion.rule.can_be_judged(&spec.targets))
        .fold(0.0, |e, rc| e + rc.criterion.points);
    let warnings = super::target_warnings(&spec);
    Ok(Model { spec, signals, index, criteria, gates, max, earnable, category_max, warnings })
}

/// The model's own signals, checked, followed by the standard signals they do not shadow.
fn known_signals(spec: &ModelSpec, problems: &mut Problems) -> (Vec<SignalSpec>, HashMap<String, usize>) {
    let mut names = HashSet::new();
    for (i, s) in spec.signals.iter().enumerate() {
        let p = format!("signals[{i}]");
        if s.name.trim().is_empty() {
            problems.add(
                K::InvalidValue,
                format!("{p}.name"),
                format!("{:?}", s.name),
                "a non-empty name",
                "signal name is empty",
            );
        } else if s.name.trim() != s.name || s.name.chars().any(char::is_control) {
            // Headers and keys are read trimmed: such a name could never be matched.
            problems.add(
                K::InvalidValue,
                format!("{p}.name"),
                format!("{:?}", s.name),
                "a name without surrounding spaces or control characters (a file could not carry it)",
                "signal name cannot be read from a file",
            );
        }
        if !names.insert(s.name.as_str()) {
            problems.add(
                K::Duplicate,
                format!("{p}.name"),
                s.name.clone(),
                "a name not used by another signal",
                "duplicate signal",
            );
            continue;
        }
        if let Some(std) = standard_signal(&s.name) {
            if std.kind != s.kind || std.values != s.values || std.min != s.min || std.max != s.max {
                problems.add(
                    K::Duplicate,
                    format!("{p}.name"),
                    s.name.clone(),
                    "a name that is not a standard signal (or the standard declaration unchanged)",
                    "custom signal redeclares a standard signal differently",
                );
            }
        }
        check_signal_range(s, &p, problems);
        if s.kind == SignalKind::Category && s.values.is_empty() {
            problems.add(
                K::InvalidValue,
                format!("{p}.values"),
                "[]".into(),
                "at least one value",
                "category without values",
            );
        }
    }
    let mut signals: Vec<SignalSpec> = spec.signals.clone();
    signals.extend(standard_signals().iter().filter(|s| !names.contains(s.name.as_str())).cloned());
    let mut index = HashMap::with_capacity(signals.len());
    for (i, s) in signals.iter().enumerate() {
        index.entry(s.name.clone()).or_insert(i);
    }
    (signals, index)
}

fn check_signal_range(s: &SignalSpec, p: &str, problems: &mut Problems) {
    for (f, v) in [("min", s.min), ("max", s.max)] {
        let Some(v) = v else { continue };
        if !s.kind.is_numeric() {
            problems.add(
                K::InvalidValue,
                format!("{p}.{f}"),
                fmt_num(v),
                "no range: ranges apply to number and integer signals",
                "range on a non-numeric signal",
            );
        } else if !v.is_finite() {
            problems.add(
                K::InvalidValue,
                format!("{p}.{f}"),
                fmt_num(v),
                "a finite number",
                "range bound is not finite",
            );
        }
    }
    if let (Some(a), Some(b)) = (s.min, s.max) {
        if a > b {
            problems.add(
                K::InvalidValue,
                format!("{p}.max"),
                fmt_num(b),
                &format!("a number >= min ({})", fmt_num(a)),
                "max is below min",
            );
        }
    }
}

fn check_tiers(spec: &ModelSpec, problems: &mut Problems) {
    let t = &spec.tiers;
    let mut finite = true;
    for (name, v) in [("platinum", t.platinum), ("gold", t.gold), ("silver", t.silver)] {
        if !v.is_finite() || v < 0.0 {
            finite = false;
            problems.add(
                K::InvalidValue,
                format!("tiers.{name}"),
                fmt_num(v),
                "a number >= 0",
                "tier threshold out of range",
            );
        }
    }
    if finite && !(t.platinum >= t.gold && t.gold >= t.silver) {
        problems.add(
            K::InvalidValue,
            "tiers".into(),
            format!("platinum {}, gold {}, silver {}", fmt_num(t.platinum), fmt_num(t.gold), fmt_num(t.silver)),
            "platinum >= gold >= silver",
            "tier thresholds out of order",
        );
    }
    if spec.revisit_months > 120 {
        problems.add(
            K::InvalidValue,
            "revisit_months".into(),
            spec.revisit_months.to_string(),
            "0 to 120",
            "revisit too far away",
        );
    }
}

/// A tier threshold above the model's maximum can never be reached.
fn check_tiers_reachable(spec: &ModelSpec, problems: &mut Problems) {
    let max = spec.max_points();
    if !max.is_finite() || max <= 0.0 {
        return; // reported with the points
    }
    let t = &spec.tiers;
    for (name, v) in [("platinum", t.platinum), ("gold", t.gold), ("silver", t.silver)] {
        if v.is_finite() && v > max {
            problems.add(
                K::InvalidValue,
                format!("tiers.{name}"),
                fmt_num(v),
                &format!("at most the model's maximum of {} points", fmt_num(max)),
                "no account can reach this tier",
            );
        }
    }
}

fn check_targets(spec: &ModelSpec, problems: &mut Problems) {
    let targets = &spec.targets;
    for (list, vals) in
        [("industries", &targets.industries), ("segments", &targets.segments), ("regions", &targets.regions)]
    {
        for (i, v) in vals.iter().enumerate() {
            if v.trim().is_empty() {
                problems.add(
                    K::InvalidValue,
                    format!("targets.{list}[{i}]"),
                    format!("{v:?}"),
                    "a non-empty name",
                    "empty target",
                );
            }
        }
    }
    if let Some(segment) = standard_signal("segment") {
        for (i, v) in targets.segments.iter().enumerate() {
            if !v.trim().is_empty() && !segment.values.iter().any(|x| same_category(x, v)) {
                problems.add(
                    K::InvalidValue,
                    format!("targets.segments[{i}]"),
                    format!("{v:?}"),
                    &segment.values.join(", "),
                    "unknown segment",
                );
            }
        }
    }
}

fn unknown_signal(path: String, name: &str) -> ModelError {
    ModelError::new(
        K::UnknownSignal,
        path,
        name.to_string(),
        "a standard signal or one declared under `signals`",
        "unknown signal",
    )
}

fn resolve_criteria<'s>(
    spec: &ModelSpec,
    lookup: &impl Fn(&str) -> Option<&'s SignalSpec>,
    problems: &mut Problems,
) -> (Vec<ResolvedCriterion>, Vec<f64>) {
    if spec.categories.is_empty() {
        problems.add(
            K::InvalidValue,
            "categories".into(),
            "[]".into(),
            "at least one category",
            "model has no categories",
        );
    }
    let mut criterion_ids = HashSet::new();
    let mut category_ids = HashSet::new();
    let mut criteria = Vec::new();
    let mut category_max = Vec::with_capacity(spec.categories.len());
    for (ci, cat) in spec.categories.iter().enumerate() {
        let cp = format!("categories[{ci}]");
        if cat.id.trim().is_empty() {
            problems.add(
                K::InvalidValue,
                format!("{cp}.id"),
                format!("{:?}", cat.id),
                "a non-empty id",
                "category id is empty",
            );
        } else if let Some(r) = RESERVED_COLUMNS.iter().find(|r| crate::text::same_text(r, &cat.id)) {
            problems.add(
                K::InvalidValue,
                format!("{cp}.id"),
                cat.id.clone(),
                &format!("an id other than {} (result columns)", RESERVED_COLUMNS.join(", ")),
                &format!("category id `{r}` would overwrite a result column"),
            );
        } else if !category_ids.insert(cat.id.as_str()) {
            problems.add(
                K::Duplicate,
                format!("{cp}.id"),
                cat.id.clone(),
                "an id not used by another category",
                "duplicate category id",
            );
        }
        let mut cmax = 0.0;
        for (ki, cr) in cat.criteria.iter().enumerate() {
            let p = format!("{cp}.criteria[{ki}]");
            if cr.id.trim().is_empty() {
                problems.add(
                    K::InvalidValue,
                    format!("{p}.id"),
                    format!("{:?}", cr.id),
                    "a non-empty id",
                    "criterion id is empty",
                );
            } else if !criterion_ids.insert(cr.id.as_str()) {
                problems.add(
                    K::Duplicate,
                    format!("{p}.id"),
                    cr.id.clone(),
                    "an id not used by another criterion",
                    "duplicate criterion id",
                );
            }
            if !cr.points.is_finite() || cr.points < 0.0 {
                problems.add(
                    K::InvalidValue,
                    format!("{p}.points"),
                    fmt_num(cr.points),
                    "a number >= 0",
                    "points out of range",
                );
            }
            let Some(signal) = lookup(&cr.signal) else {
                problems.0.push(unknown_signal(format!("{p}.signal"), &cr.signal));
                continue;
            };
            if let Err(e) = cr.rule.check(signal, &format!("{p}.rule")) {
                problems.0.push(e);
                continue;
            }
            cmax += cr.points;
            criteria.push(ResolvedCriterion {
                category: ci,
                criterion: cr.clone(),
                signal: signal.clone(),
                position: 0,
            });
        }
        category_max.push(cmax);
    }
    let max = spec.categories.iter().flat_map(|c| &c.criteria).fold(0.0, |m, c| m + c.points);
    if !max.is_finite() {
        problems.add(
            K::InvalidValue,
            "categories".into(),
            fmt_num(max),
            "points that add up to a finite total",
            "the points add up to more than a number can hold",
        );
    } else if !spec.categories.is_empty() && max <= 0.0 {
        problems.add(
            K::InvalidValue,
            "categories".into(),
            fmt_num(max),
            "criteria worth more than 0 points in all",
            "model has no points",
        );
    }
    (criteria, category_max)
}

fn resolve_gates<'s>(
    spec: &ModelSpec,
    lookup: &impl Fn(&str) -> Option<&'s SignalSpec>,
    problems: &mut Problems,
) -> Vec<ResolvedGate> {
    let mut gates = Vec::with_capacity(spec.gates.len());
    let mut gate_ids = HashSet::new();
    for (gi, g) in spec.gates.iter().enumerate() {
        let p = format!("gates[{gi}]");
        if !gate_ids.insert(g.id.as_str()) {
            problems.add(
                K::Duplicate,
                format!("{p}.id"),
                g.id.clone(),
                "an id not used by another gate",
                "duplicate gate id",
            );
        }
        if g.tier.is_qualified() {
            problems.add(
                K::InvalidValue,
                format!("{p}.tier"),
                g.tier.as_str().to_string(),
                "not_yet_qualified or not_advocate_material (a gate may hold an account back, never promote it)",
                "gate would promote",
            );
        }
        let Some(signal) = lookup(&g.signal) else {
            problems.0.push(unknown_signal(format!("{p}.signal"), &g.signal));
            continue;
        };
        if let Some(e) = check_gate(g, signal, &p) {
            problems.0.push(e);
            continue;
        }
        gates.push(ResolvedGate { gate: g.clone(), signal: signal.clone(), position: 0 });
    }
    gates
}

fn check_gate(g: &Gate, signal: &SignalSpec, p: &str) -> Option<ModelError> {
    if matches!(g.rule, Rule::Ramp { .. }) {
        return Some(ModelError::new(
            K::InvalidRule,
            format!("{p}.rule.op"),
            "ramp",
            "a rule that holds or not (every op but ramp)",
            "gates cannot give partial credit",
        ));
    }
    g.rule.check(signal, &format!("{p}.rule")).err()
}
