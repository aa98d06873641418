//! Segments: active, willing, potential, not advocate material, each explained by the signal
//! values the deciding rule read.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{Rule, SignalRef, Targets, Value};

use crate::account::Account;
use crate::config::{AdvocateSegment, CompiledCondition, CompiledConfig};

/// One signal value a segment rule read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// The signal.
    pub signal: String,
    /// The rule, in words (`>= 1`).
    pub rule: String,
    /// The account's value (`null` when missing).
    pub value: Value,
    /// Whether the rule held.
    pub holds: bool,
    /// True when the leaf sits under a `not`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negated: bool,
}

/// An account's segment and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SegmentResult {
    /// The account.
    pub account: String,
    /// Its segment.
    pub segment: AdvocateSegment,
    /// The rule that decided (none for the fallback).
    pub rule: Option<String>,
    /// Why, in words.
    pub reason: String,
    /// The signal values the deciding rule read.
    pub evidence: Vec<Evidence>,
}

/// Whether a leaf's rule holds for a value (a missing value never holds).
#[inline]
fn leaf_holds(rule: &Rule, v: SignalRef) -> bool {
    static NO_TARGETS: Targets = Targets { industries: Vec::new(), segments: Vec::new(), regions: Vec::new() };
    match v {
        SignalRef::Missing => false,
        SignalRef::Number(x) => rule.frac_num(x) >= 1.0,
        SignalRef::Bool(b) => rule.frac_bool(b) >= 1.0,
        SignalRef::Text(s) => rule.frac_text(s, &NO_TARGETS).unwrap_or(0.0) >= 1.0,
    }
}

/// An account's custom signal, as the rules read it.
fn custom_value<'a>(a: &'a Account, name: &str) -> SignalRef<'a> {
    match a.custom.get(name) {
        None | Some(Value::Null) => SignalRef::Missing,
        Some(Value::Number(x)) if x.is_nan() => SignalRef::Missing,
        Some(Value::Number(x)) => SignalRef::Number(*x),
        Some(Value::Bool(b)) => SignalRef::Bool(*b),
        Some(Value::Text(s)) => SignalRef::Text(s.trim()),
    }
}

/// Evaluates a condition (fast, no allocation).
pub(crate) fn holds(c: &CompiledCondition, a: &Account) -> bool {
    match c {
        CompiledCondition::Standard(signal, rule) => leaf_holds(rule, signal.get(&a.signals)),
        CompiledCondition::Custom(name, rule) => leaf_holds(rule, custom_value(a, name)),
        CompiledCondition::All(v) => v.iter().all(|c| holds(c, a)),
        CompiledCondition::Any(v) => v.iter().any(|c| holds(c, a)),
        CompiledCondition::Not(c) => !holds(c, a),
    }
}

/// A condition judged on what is known: `Some(true)` or `Some(false)` when the account's values
/// decide it, `None` when a missing signal leaves it open (`all` is false as soon as one part is
/// false, `any` true as soon as one part is true, whatever is missing).
pub(crate) fn judge(c: &CompiledCondition, a: &Account) -> Option<bool> {
    let leaf = |rule: &Rule, v: SignalRef| match v {
        SignalRef::Missing => None,
        v => Some(leaf_holds(rule, v)),
    };
    match c {
        CompiledCondition::Standard(signal, rule) => leaf(rule, signal.get(&a.signals)),
        CompiledCondition::Custom(name, rule) => leaf(rule, custom_value(a, name)),
        CompiledCondition::All(v) => {
            let mut open = false;
            for c in v {
                match judge(c, a) {
                    Some(false) => return Some(false),
                    None => open = true,
                    Some(true) => {}
                }
            }
            (!open).then_some(true)
        }
        CompiledCondition::Any(v) => {
            let mut open = false;
            for c in v {
                match judge(c, a) {
                    Some(true) => return Some(true),
                    None => open = true,
                    Some(false) => {}
                }
            }
            (!open).then_some(false)
        }
        CompiledCondition::Not(c) => judge(c, a).map(|b| !b),
    }
}

/// A condition in words: `exec_sponsor >= 3`, `(a or b)`, `not (c)`.
pub(crate) fn describe(c: &CompiledCondition) -> String {
    let join = |v: &[CompiledCondition], word: &str| {
        let parts: Vec<String> = v.iter().map(describe).collect();
        if parts.len() == 1 {
            parts.into_iter().next().unwrap_or_default()
        } else {
            format!("({})", parts.join(word))
        }
    };
    match c {
        CompiledCondition::Standard(signal, rule) => format!("{} {}", signal.name(), rule.describe()),
        CompiledCondition::Custom(name, rule) => format!("{name} {}", rule.describe()),
        CompiledCondition::All(v) => join(v, " and "),
        CompiledCondition::Any(v) => join(v, " or "),
        CompiledCondition::Not(c) => format!("not {}", describe(c)),
    }
}

/// The values a condition reads, in words: `exec_sponsor is 2`, `tenure_months is missing`.
pub(crate) fn values_read(c: &CompiledCondition, a: &Account) -> String {
    let mut evidence = Vec::new();
    collect_evidence(c, a, false, &mut evidence);
    let mut seen: Vec<&str> = Vec::new();
    let mut parts = Vec::new();
    for e in &evidence {
        if seen.contains(&e.signal.as_str()) {
            continue;
        }
        seen.push(&e.signal);
        parts.push(match &e.value {
            Value::Null => format!("{} is missing", e.signal),
            v => format!("{} is {}", e.signal, v),
        });
    }
    parts.join(", ")
}

/// A condition that holds, in words with the values behind it: `exec_sponsor >= 4 (exec_sponsor
/// is 5)`; a yes/no leaf is its own evidence (`transformation_story is true`).
pub(crate) fn held(c: &CompiledCondition, a: &Account) -> String {
    match c {
        CompiledCondition::Standard(_, Rule::Is { .. }) | CompiledCondition::Custom(_, Rule::Is { .. }) => describe(c),
        _ => format!("{} ({})", describe(c), values_read(c, a)),
    }
}

/// Every leaf of a condition as evidence: the signal, the rule, the account's value, whether it held.
fn collect_evidence(c: &CompiledCondition, a: &Account, negated: bool, out: &mut Vec<Evidence>) {
    let mut push = |name: &str, rule: &Rule, v: SignalRef| {
        out.push(Evidence {
            signal: name.to_string(),
            rule: rule.describe(),
            value: v.to_value(),
            holds: leaf_holds(rule, v),
            negated,
        });
    };
    match c {
        CompiledCondition::Standard(signal, rule) => push(signal.name(), rule, signal.get(&a.signals)),
        CompiledCondition::Custom(name, rule) => push(name, rule, custom_value(a, name)),
        CompiledCondition::All(v) | CompiledCondition::Any(v) => {
            v.iter().for_each(|c| collect_evidence(c, a, negated, out))
        }
        CompiledCondition::Not(c) => collect_evidence(c, a, !negated, out),
    }
}

impl CompiledConfig<'_> {
    /// The index of the deciding rule, or `None` for the fallback (fast path).
    #[inline]
    pub(crate) fn segment_rule(&self, a: &Account) -> Option<usize> {
        self.segment_conditions.iter().position(|c| holds(c, a))
    }

    /// The segment (fast path).
    #[inline]
    pub(crate) fn segment_of(&self, a: &Account) -> AdvocateSegment {
        match self.segment_rule(a) {
            Some(i) => self.settings.segments.rules[i].segment,
            None => self.settings.segments.fallback,
        }
    }

    /// The segment with its explanation.
    pub(crate) fn classify(&self, a: &Account) -> SegmentResult {
        match self.segment_rule(a) {
            Some(i) => {
                let rule = &self.settings.segments.rules[i];
                let mut evidence = Vec::new();
                collect_evidence(&self.segment_conditions[i], a, false, &mut evidence);
                SegmentResult {
                    account: a.id.clone(),
                    segment: rule.segment,
                    rule: Some(rule.id.clone()),
                    reason: rule.reason.clone(),
                    evidence,
                }
            }
            None => SegmentResult {
                account: a.id.clone(),
                segment: self.settings.segments.fallback,
                rule: None,
                reason: self.settings.segments.fallback_reason.clone(),
                evidence: Vec::new(),
            },
        }
    }
}
