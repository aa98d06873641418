//! Segments: active, willing, potential, not advocate material, each explained.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::account::Account;
use advocacy_core::SignalRef;
use super::config::{AdvocateSegment, CCond, Prog};
use advocacy_core::{Rule, Targets};
use advocacy_core::Value;

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

#[inline]
fn leaf(rule: &Rule, v: SignalRef) -> bool {
    static NO_TARGETS: Targets = Targets { industries: Vec::new(), segments: Vec::new(), regions: Vec::new() };
    match v {
        SignalRef::Missing => false,
        SignalRef::Number(x) => rule.frac_num(x) >= 1.0,
        SignalRef::Bool(b) => rule.frac_bool(b) >= 1.0,
        SignalRef::Text(s) => rule.frac_text(s, &NO_TARGETS).unwrap_or(0.0) >= 1.0,
    }
}

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
pub(crate) fn holds(c: &CCond, a: &Account) -> bool {
    match c {
        CCond::Std(f, rule) => leaf(rule, f.get(&a.signals)),
        CCond::Custom(name, rule) => leaf(rule, custom_value(a, name)),
        CCond::All(v) => v.iter().all(|c| holds(c, a)),
        CCond::Any(v) => v.iter().any(|c| holds(c, a)),
        CCond::Not(c) => !holds(c, a),
    }
}

fn explain(c: &CCond, a: &Account, negated: bool, out: &mut Vec<Evidence>) {
    let mut push = |name: &str, rule: &Rule, v: SignalRef| {
        out.push(Evidence {
            signal: name.to_string(),
            rule: rule.describe(),
            value: v.to_value(),
            holds: leaf(rule, v),
            negated,
        });
    };
    match c {
        CCond::Std(f, rule) => push(f.name(), rule, f.get(&a.signals)),
        CCond::Custom(name, rule) => push(name, rule, custom_value(a, name)),
        CCond::All(v) | CCond::Any(v) => v.iter().for_each(|c| explain(c, a, negated, out)),
        CCond::Not(c) => explain(c, a, !negated, out),
    }
}

impl Prog<'_> {
    /// The index of the deciding rule, or `None` for the fallback (fast path).
    #[inline]
    pub(crate) fn segment_rule(&self, a: &Account) -> Option<usize> {
        self.segments.iter().position(|c| holds(c, a))
    }

    /// The segment (fast path).
    #[inline]
    pub(crate) fn segment_of(&self, a: &Account) -> AdvocateSegment {
        match self.segment_rule(a) {
            Some(i) => self.cfg.segments.rules[i].segment,
            None => self.cfg.segments.fallback,
        }
    }

    /// The segment with its explanation.
    pub(crate) fn classify(&self, a: &Account) -> SegmentResult {
        match self.segment_rule(a) {
            Some(i) => {
                let rule = &self.cfg.segments.rules[i];
                let mut evidence = Vec::new();
                explain(&self.segments[i], a, false, &mut evidence);
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
                segment: self.cfg.segments.fallback,
                rule: None,
                reason: self.cfg.segments.fallback_reason.clone(),
                evidence: Vec::new(),
            },
        }
    }
}
