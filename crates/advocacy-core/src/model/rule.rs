//! Rules: when a criterion is met or a gate closes, and the share of points a value earns.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::targets::{TargetList, Targets};
use crate::error::{ModelError, ModelErrorKind};
use crate::num::fmt_num;
use crate::signal::{SignalKind, SignalSpec, Value};
use crate::text::same_category;

/// When a criterion is met (or a gate closes).
///
/// In a model file: `{"op": ">=", "value": 9}`, `{"op": "between", "min": 2, "max": 4}`,
/// `{"op": "is", "value": true}`, `{"op": "in", "values": ["smb"]}`,
/// `{"op": "in_target", "list": "industries"}`,
/// `{"op": "ramp", "points": [[6, 0], [24, 1]]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", deny_unknown_fields)]
pub enum Rule {
    /// value > threshold
    #[serde(rename = ">")]
    Gt {
        /// The threshold.
        value: f64,
    },
    /// value >= threshold
    #[serde(rename = ">=")]
    Ge {
        /// The threshold.
        value: f64,
    },
    /// value < threshold
    #[serde(rename = "<")]
    Lt {
        /// The threshold.
        value: f64,
    },
    /// value <= threshold
    #[serde(rename = "<=")]
    Le {
        /// The threshold.
        value: f64,
    },
    /// value equals (text compares case-insensitively)
    #[serde(rename = "==")]
    Eq {
        /// The value to equal.
        value: Value,
    },
    /// value differs
    #[serde(rename = "!=")]
    Ne {
        /// The value to differ from.
        value: Value,
    },
    /// min <= value <= max
    #[serde(rename = "between")]
    Between {
        /// Lower bound, inclusive.
        min: f64,
        /// Upper bound, inclusive.
        max: f64,
    },
    /// a boolean signal is `value`
    #[serde(rename = "is")]
    Is {
        /// The value it must have.
        value: bool,
    },
    /// value is one of `values`
    #[serde(rename = "in")]
    In {
        /// The allowed values.
        values: Vec<Value>,
    },
    /// value is in one of the program's target lists
    #[serde(rename = "in_target")]
    InTarget {
        /// Which list.
        list: TargetList,
    },
    /// partial credit: a piecewise-linear ramp from value to share of points (0..=1),
    /// flat beyond the first and last points
    #[serde(rename = "ramp")]
    Ramp {
        /// `[value, share]` pairs with increasing values.
        points: Vec<[f64; 2]>,
    },
}

impl Rule {
    /// The share of points (0..=1) a number earns.
    #[inline(always)]
    pub fn frac_num(&self, x: f64) -> f64 {
        match self {
            Rule::Gt { value } => share(x > *value),
            Rule::Ge { value } => share(x >= *value),
            Rule::Lt { value } => share(x < *value),
            Rule::Le { value } => share(x <= *value),
            Rule::Between { min, max } => share(x >= *min && x <= *max),
            Rule::Eq { value } => share(value.as_f64() == Some(x)),
            Rule::Ne { value } => share(value.as_f64() != Some(x)),
            Rule::In { values } => share(values.iter().any(|v| v.as_f64() == Some(x))),
            Rule::Ramp { points } => ramp(points, x),
            Rule::Is { .. } | Rule::InTarget { .. } => 0.0,
        }
    }

    /// The share of points a boolean earns.
    #[inline]
    pub fn frac_bool(&self, x: bool) -> f64 {
        match self {
            Rule::Is { value } => share(x == *value),
            Rule::Eq { value } => share(value.as_bool() == Some(x)),
            Rule::Ne { value } => share(value.as_bool() != Some(x)),
            Rule::In { values } => share(values.iter().any(|v| v.as_bool() == Some(x))),
            _ => 0.0,
        }
    }

    /// The share of points a text earns, or `None` when the rule reads an empty target list.
    pub fn frac_text(&self, x: &str, targets: &Targets) -> Option<f64> {
        let eq = |v: &Value| v.as_str().is_some_and(|s| same_category(s, x));
        Some(match self {
            Rule::Eq { value } => share(eq(value)),
            Rule::Ne { value } => share(!eq(value)),
            Rule::In { values } => share(values.iter().any(eq)),
            Rule::InTarget { list } => {
                let list = targets.list(*list);
                if list.is_empty() {
                    return None;
                }
                share(list.iter().any(|s| same_category(s, x)))
            }
            _ => 0.0,
        })
    }

    /// The share of points a clean value earns (`None`: not applicable).
    pub fn frac(&self, v: &Value, targets: &Targets) -> Option<f64> {
        match v {
            Value::Number(x) => Some(self.frac_num(*x)),
            Value::Bool(x) => Some(self.frac_bool(*x)),
            Value::Text(s) => self.frac_text(s, targets),
            Value::Null => Some(0.0),
        }
    }

    /// The rule in words, as explanations show it (`>= 9`, `in target industries`).
    pub fn describe(&self) -> String {
        let list = |vs: &[Value]| vs.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ");
        match self {
            Rule::Gt { value } => format!("> {}", fmt_num(*value)),
            Rule::Ge { value } => format!(">= {}", fmt_num(*value)),
            Rule::Lt { value } => format!("< {}", fmt_num(*value)),
            Rule::Le { value } => format!("<= {}", fmt_num(*value)),
            Rule::Eq { value } => format!("== {value}"),
            Rule::Ne { value } => format!("!= {value}"),
            Rule::Between { min, max } => format!("between {} and {}", fmt_num(*min), fmt_num(*max)),
            Rule::Is { value } => format!("is {value}"),
            Rule::In { values } => format!("in [{}]", list(values)),
            Rule::InTarget { list } => format!("in target {}", list.name()),
            Rule::Ramp { points } => format!(
                "ramp {}",
                points
                    .iter()
                    .map(|[x, y]| format!("{} -> {}%", fmt_num(*x), fmt_num(y * 100.0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

#[inline(always)]
fn share(c: bool) -> f64 {
    if c {
        1.0
    } else {
        0.0
    }
}

#[inline]
fn ramp(points: &[[f64; 2]], x: f64) -> f64 {
    let (first, last) = match (points.first(), points.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return 0.0,
    };
    if x <= first[0] {
        return first[1];
    }
    if x >= last[0] {
        return last[1];
    }
    for w in points.windows(2) {
        let ([x0, y0], [x1, y1]) = (w[0], w[1]);
        if x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    last[1]
}

impl Rule {
    /// Checks that the rule fits its signal's kind and that its values are allowed; `path` is
    /// the rule's config path, for the error.
    ///
    /// ```
    /// use advocacy_core::{standard_signal, Rule, Value};
    /// let nps = standard_signal("nps").unwrap();
    /// assert!(Rule::Ge { value: 9.0 }.check(nps, "rule").is_ok());
    /// let err = Rule::Is { value: true }.check(nps, "rule").unwrap_err();
    /// assert_eq!(err.path, "rule.op");
    /// ```
    pub fn check(&self, signal: &SignalSpec, path: &str) -> Result<(), ModelError> {
        check_rule(self, signal, path)?;
        check_reachable(self, signal, path)
    }

    /// The rule's operator as written in a model file (`>=`, `between`, `in_target`, ...).
    pub fn op(&self) -> &'static str {
        match self {
            Rule::Gt { .. } => ">",
            Rule::Ge { .. } => ">=",
            Rule::Lt { .. } => "<",
            Rule::Le { .. } => "<=",
            Rule::Eq { .. } => "==",
            Rule::Ne { .. } => "!=",
            Rule::Between { .. } => "between",
            Rule::Is { .. } => "is",
            Rule::In { .. } => "in",
            Rule::InTarget { .. } => "in_target",
            Rule::Ramp { .. } => "ramp",
        }
    }

    /// Whether the rule can be judged with these targets (an `in_target` rule over an empty
    /// list cannot, and earns nothing).
    pub fn can_be_judged(&self, targets: &Targets) -> bool {
        match self {
            Rule::InTarget { list } => !targets.list(*list).is_empty(),
            _ => true,
        }
    }
}

fn check_rule(rule: &Rule, spec: &SignalSpec, path: &str) -> Result<(), ModelError> {
    use ModelErrorKind as K;
    let kind_name = match &spec.kind {
        SignalKind::Number => "number",
        SignalKind::Integer => "integer",
        SignalKind::Bool => "bool",
        SignalKind::Category => "category",
        SignalKind::Text => "text",
    };
    let allowed_ops = match &spec.kind {
        SignalKind::Number | SignalKind::Integer => ">, >=, <, <=, ==, !=, between, in, ramp",
        SignalKind::Bool => "is, ==, !=, in",
        SignalKind::Category | SignalKind::Text => "==, !=, in, in_target",
    };
    let op = rule.op();
    let wrong_op = || {
        Err(ModelError::new(
            K::InvalidRule,
            format!("{path}.op"),
            op,
            allowed_ops,
            format!("rule does not fit the {kind_name} signal `{}`", spec.name),
        ))
    };
    let finite = |v: f64, field: &str| {
        if v.is_finite() {
            Ok(())
        } else {
            Err(ModelError::new(
                K::InvalidValue,
                format!("{path}.{field}"),
                fmt_num(v),
                "a finite number",
                "rule value is not finite",
            ))
        }
    };
    let value_fits = |v: &Value, field: &str| -> Result<(), ModelError> {
        let ok = match (&spec.kind, v) {
            // A value the signal can never have is a rule that can never hold.
            (SignalKind::Number | SignalKind::Integer, Value::Number(x)) => {
                x.is_finite() && spec.check_number(*x).is_ok()
            }
            (SignalKind::Bool, Value::Bool(_)) => true,
            (SignalKind::Category, Value::Text(s)) => spec.values.iter().any(|x| same_category(x, s)),
            (SignalKind::Text, Value::Text(_)) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(ModelError::new(
                K::InvalidRule,
                format!("{path}.{field}"),
                v.to_string(),
                spec.allowed(),
                format!("value does not fit the {kind_name} signal `{}`", spec.name),
            ))
        }
    };
    match (rule, &spec.kind) {
        (Rule::Gt { value } | Rule::Ge { value } | Rule::Lt { value } | Rule::Le { value }, k) if k.is_numeric() => {
            finite(*value, "value")
        }
        (Rule::Between { min, max }, k) if k.is_numeric() => {
            finite(*min, "min")?;
            finite(*max, "max")?;
            if min > max {
                return Err(ModelError::new(
                    K::InvalidRule,
                    format!("{path}.max"),
                    fmt_num(*max),
                    format!("a number >= min ({})", fmt_num(*min)),
                    "between with max below min",
                ));
            }
            Ok(())
        }
        (Rule::Ramp { points }, k) if k.is_numeric() => check_ramp(points, path),
        (Rule::Is { .. }, SignalKind::Bool) => Ok(()),
        (Rule::Eq { value } | Rule::Ne { value }, _) => value_fits(value, "value"),
        (Rule::In { values }, _) => {
            if values.is_empty() {
                return Err(ModelError::new(
                    K::InvalidRule,
                    format!("{path}.values"),
                    "[]",
                    "at least one value",
                    "empty set",
                ));
            }
            for (i, v) in values.iter().enumerate() {
                value_fits(v, &format!("values[{i}]"))?;
            }
            Ok(())
        }
        (Rule::InTarget { .. }, SignalKind::Category | SignalKind::Text) => Ok(()),
        _ => wrong_op(),
    }
}

/// Refuses thresholds, ranges and ramps that no value in the signal's declared range can meet
/// (`nps >= 11`, a ramp on `health_score` over 200..300): such a rule means nothing.
fn check_reachable(rule: &Rule, spec: &SignalSpec, path: &str) -> Result<(), ModelError> {
    let (lo, hi) = (spec.min.unwrap_or(f64::NEG_INFINITY), spec.max.unwrap_or(f64::INFINITY));
    let never = |field: &str, value: f64, what: &str| {
        Err(ModelError::new(
            ModelErrorKind::InvalidRule,
            format!("{path}.{field}"),
            fmt_num(value),
            format!("{what} that some value of `{}` ({}) can meet", spec.name, spec.allowed()),
            format!("no value of `{}` can meet this rule", spec.name),
        ))
    };
    match *rule {
        Rule::Ge { value } if value > hi => never("value", value, "a threshold"),
        Rule::Gt { value } if value >= hi => never("value", value, "a threshold"),
        Rule::Le { value } if value < lo => never("value", value, "a threshold"),
        Rule::Lt { value } if value <= lo => never("value", value, "a threshold"),
        Rule::Between { min, .. } if min > hi => never("min", min, "a range"),
        Rule::Between { max, .. } if max < lo => never("max", max, "a range"),
        Rule::Ramp { ref points } => match (points.first(), points.last()) {
            // The whole range of the signal on one flat side of the ramp: the same share for all.
            (Some(first), Some(last)) if hi <= first[0] || lo >= last[0] => {
                never("points", if hi <= first[0] { first[0] } else { last[0] }, "a ramp")
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A ramp's points: at least one, finite values that increase, shares from 0 to 1.
fn check_ramp(points: &[[f64; 2]], path: &str) -> Result<(), ModelError> {
    use ModelErrorKind as K;
    if points.is_empty() {
        return Err(ModelError::new(
            K::InvalidRule,
            format!("{path}.points"),
            "[]",
            "at least one [value, share] pair",
            "empty ramp",
        ));
    }
    for (i, [x, y]) in points.iter().enumerate() {
        if !x.is_finite() {
            return Err(ModelError::new(
                K::InvalidValue,
                format!("{path}.points[{i}][0]"),
                fmt_num(*x),
                "a finite number",
                "rule value is not finite",
            ));
        }
        if !(0.0..=1.0).contains(y) {
            return Err(ModelError::new(
                K::InvalidRule,
                format!("{path}.points[{i}][1]"),
                fmt_num(*y),
                "a share from 0 to 1",
                "ramp share out of range",
            ));
        }
        if i > 0 && *x <= points[i - 1][0] {
            return Err(ModelError::new(
                K::InvalidRule,
                format!("{path}.points[{i}][0]"),
                fmt_num(*x),
                format!("a value above {}", fmt_num(points[i - 1][0])),
                "ramp values must increase",
            ));
        }
    }
    Ok(())
}
