//! Segment conditions compiled: each leaf resolved to a standard or custom signal and its rule
//! checked against the signal's kind (evaluating them is [`mod@crate::segments`]).

use std::collections::HashSet;

use advocacy_core::{ModelErrorKind, Rule, SignalKind, StandardSignal};

use super::file::Condition;
use crate::error::{ProgramError, ProgramErrorKind};

/// A condition resolved against the signals.
#[derive(Debug)]
pub(crate) enum CompiledCondition<'c> {
    /// A rule on a standard signal.
    Standard(StandardSignal, &'c Rule),
    /// A rule on one of the user's own signals (`Account::custom`).
    Custom(&'c str, &'c Rule),
    /// Every condition holds.
    All(Vec<CompiledCondition<'c>>),
    /// Some condition holds.
    Any(Vec<CompiledCondition<'c>>),
    /// The condition does not hold.
    Not(Box<CompiledCondition<'c>>),
}

/// Compiles a condition at `path` in the file; `custom` are the custom signals rules may read.
pub(crate) fn compile_condition<'c>(
    condition: &'c Condition,
    path: &str,
    custom: &HashSet<&str>,
) -> Result<CompiledCondition<'c>, ProgramError> {
    let c = condition;
    let forms = c.signal.is_some() as u8 + c.all.is_some() as u8 + c.any.is_some() as u8 + c.not.is_some() as u8;
    if forms != 1 || c.signal.is_some() != c.rule.is_some() {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidRule,
            path,
            "",
            "exactly one of: `signal` with `rule`, `all`, `any`, `not`",
            "a condition must have one form",
        ));
    }
    if let Some(list) = c.all.as_ref().or(c.any.as_ref()) {
        let key = if c.all.is_some() { "all" } else { "any" };
        if list.is_empty() {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidRule,
                format!("{path}.{key}"),
                "[]",
                "at least one condition",
                "empty condition list",
            ));
        }
        let compiled = list
            .iter()
            .enumerate()
            .map(|(i, x)| compile_condition(x, &format!("{path}.{key}[{i}]"), custom))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(if c.all.is_some() { CompiledCondition::All(compiled) } else { CompiledCondition::Any(compiled) });
    }
    if let Some(negated) = &c.not {
        return Ok(CompiledCondition::Not(Box::new(compile_condition(negated, &format!("{path}.not"), custom)?)));
    }
    let (Some(signal), Some(rule)) = (&c.signal, &c.rule) else {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidRule,
            path,
            "",
            "`signal` with `rule`",
            "incomplete condition",
        ));
    };
    compile_leaf(signal, rule, path, custom)
}

/// Compiles a `signal` + `rule` leaf: a rule that holds or not, on a known signal.
fn compile_leaf<'c>(
    signal: &'c str,
    rule: &'c Rule,
    path: &str,
    custom: &HashSet<&str>,
) -> Result<CompiledCondition<'c>, ProgramError> {
    if matches!(rule, Rule::Ramp { .. } | Rule::InTarget { .. }) {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidRule,
            format!("{path}.rule.op"),
            if matches!(rule, Rule::Ramp { .. }) { "ramp" } else { "in_target" },
            ">, >=, <, <=, ==, !=, between, is, in",
            "segment conditions hold or not",
        ));
    }
    match StandardSignal::from_name(signal) {
        Some(standard) => {
            check_rule_fits(rule, standard, &format!("{path}.rule"))?;
            Ok(CompiledCondition::Standard(standard, rule))
        }
        None if custom.contains(signal) => Ok(CompiledCondition::Custom(signal, rule)),
        None => Err(ProgramError::new(
            ProgramErrorKind::UnknownSignal,
            format!("{path}.signal"),
            signal,
            "a standard signal or one listed in segments.custom_signals",
            "unknown signal",
        )),
    }
}

/// The model's own check that a rule fits a signal (ramp and in_target were refused before),
/// with the operators a segment condition allows.
fn check_rule_fits(rule: &Rule, signal: StandardSignal, path: &str) -> Result<(), ProgramError> {
    rule.check(signal.spec(), path).map_err(|e| {
        let kind = match e.kind {
            ModelErrorKind::InvalidRule => ProgramErrorKind::InvalidRule,
            _ => ProgramErrorKind::InvalidValue,
        };
        let allowed = if e.path.ends_with(".op") {
            match signal.spec().kind {
                SignalKind::Number | SignalKind::Integer => ">, >=, <, <=, ==, !=, between, in".to_string(),
                SignalKind::Bool => "is, ==, !=, in".to_string(),
                SignalKind::Category | SignalKind::Text => "==, !=, in".to_string(),
            }
        } else {
            e.allowed
        };
        ProgramError::new(kind, e.path, e.value, allowed, e.message)
    })
}
