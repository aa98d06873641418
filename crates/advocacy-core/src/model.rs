//! Models: categories of criteria over signals, tiers, gates, targets and outreach, all configuration.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, ModelErrorKind};
use crate::signal::{fmt_num, standard_signals, SignalKind, SignalSpec, Value};

/// The default model, as shipped in `models/default.json`.
pub const DEFAULT_MODEL_JSON: &str = include_str!("../models/default.json");

/// An advocacy scoring model.
///
/// Everything that decides a score is here and is configuration: load it from JSON or TOML,
/// change it, and write it back. See [`Model::score`] for an example.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The model's name.
    #[serde(default = "default_name")]
    pub name: String,
    /// What the model is for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// How missing signals count.
    #[serde(default)]
    pub missing: MissingPolicy,
    /// The program's targets, for `in_target` criteria.
    #[serde(default)]
    pub targets: Targets,
    /// The score each tier starts at.
    #[serde(default)]
    pub tiers: Thresholds,
    /// Hard gates that override the tier whatever the score.
    #[serde(default = "default_gates")]
    pub gates: Vec<Gate>,
    /// Months after the as-of date when a not-yet-qualified account is looked at again.
    #[serde(default = "default_revisit")]
    pub revisit_months: u32,
    /// Signals of the user's own, beside the standard ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<SignalSpec>,
    /// The categories of criteria.
    pub categories: Vec<Category>,
    /// Who invites, with what benefits and asks, per tier.
    #[serde(default)]
    pub outreach: Outreach,
}

fn default_name() -> String {
    "advocacy model".to_string()
}
fn default_revisit() -> u32 {
    6
}

/// Gates of the default model: prohibited policy or an opt-out make an account not advocate material.
pub fn default_gates() -> Vec<Gate> {
    vec![
        Gate {
            id: "policy_prohibited".into(),
            signal: "policy".into(),
            rule: Rule::In { values: vec![Value::Text("prohibited".into())] },
            tier: Tier::NotAdvocateMaterial,
            reason: "company policy prohibits public endorsement".into(),
        },
        Gate {
            id: "opted_out".into(),
            signal: "opted_out".into(),
            rule: Rule::Is { value: true },
            tier: Tier::NotAdvocateMaterial,
            reason: "the customer opted out of advocacy".into(),
        },
    ]
}

impl Default for Model {
    /// The 100-point advocacy potential model of the domain guide.
    fn default() -> Self {
        // The embedded file is checked by the test suite; a failure here is a build defect.
        Model::from_json(DEFAULT_MODEL_JSON).unwrap_or_else(|e| panic!("embedded default model is invalid: {e}"))
    }
}

/// How criteria whose signal is missing count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// A missing signal earns 0 points.
    #[default]
    Zero,
    /// Score over the criteria whose signals are present and rescale to the model's maximum.
    Rescale,
}

/// The program's own target lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Target industries.
    #[serde(default)]
    pub industries: Vec<String>,
    /// Target segments (`smb`, `mid_market`, `enterprise`).
    #[serde(default)]
    pub segments: Vec<String>,
    /// Target regions.
    #[serde(default)]
    pub regions: Vec<String>,
}

/// Which target list an `in_target` rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetList {
    /// `targets.industries`
    Industries,
    /// `targets.segments`
    Segments,
    /// `targets.regions`
    Regions,
}

impl TargetList {
    /// The list's name in the model file.
    pub fn name(self) -> &'static str {
        match self {
            TargetList::Industries => "industries",
            TargetList::Segments => "segments",
            TargetList::Regions => "regions",
        }
    }
}

impl Targets {
    /// The list an `in_target` rule reads.
    pub fn list(&self, which: TargetList) -> &[String] {
        match which {
            TargetList::Industries => &self.industries,
            TargetList::Segments => &self.segments,
            TargetList::Regions => &self.regions,
        }
    }
}

/// Qualification tiers, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// High-value advocates worth real investment.
    Platinum,
    /// Active participants in standard programs.
    Gold,
    /// Occasional contributors.
    Silver,
    /// Keep nurturing; revisit later.
    NotYetQualified,
    /// Policy or person makes advocacy impossible.
    NotAdvocateMaterial,
}

impl Tier {
    /// All tiers, best first.
    pub const ALL: [Tier; 5] =
        [Tier::Platinum, Tier::Gold, Tier::Silver, Tier::NotYetQualified, Tier::NotAdvocateMaterial];

    /// The tier's name as written in files (`not_yet_qualified`).
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Platinum => "platinum",
            Tier::Gold => "gold",
            Tier::Silver => "silver",
            Tier::NotYetQualified => "not_yet_qualified",
            Tier::NotAdvocateMaterial => "not_advocate_material",
        }
    }
    /// A small stable number: 0 = platinum ... 4 = not advocate material.
    pub fn code(self) -> u8 {
        self as u8
    }
    /// The tier of a [`Tier::code`].
    pub fn from_code(code: u8) -> Option<Tier> {
        Tier::ALL.get(code as usize).copied()
    }
    /// Whether the tier is one of the three qualified tiers.
    pub fn is_qualified(self) -> bool {
        matches!(self, Tier::Platinum | Tier::Gold | Tier::Silver)
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            format!("unknown tier {s:?}; allowed: platinum, gold, silver, not_yet_qualified, not_advocate_material")
        })
    }
}

/// The score at which each qualified tier starts (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Platinum from this score.
    pub platinum: f64,
    /// Gold from this score.
    pub gold: f64,
    /// Silver from this score; below it, not yet qualified.
    pub silver: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { platinum: 80.0, gold: 60.0, silver: 40.0 }
    }
}

impl Thresholds {
    /// The tier a total reaches, before gates.
    #[inline]
    pub fn tier(&self, total: f64) -> Tier {
        if total >= self.platinum {
            Tier::Platinum
        } else if total >= self.gold {
            Tier::Gold
        } else if total >= self.silver {
            Tier::Silver
        } else {
            Tier::NotYetQualified
        }
    }
    /// The threshold of a qualified tier.
    pub fn of(&self, tier: Tier) -> Option<f64> {
        match tier {
            Tier::Platinum => Some(self.platinum),
            Tier::Gold => Some(self.gold),
            Tier::Silver => Some(self.silver),
            _ => None,
        }
    }
    /// The next qualified tier above `tier`, with its threshold.
    pub fn next(&self, tier: Tier) -> Option<(Tier, f64)> {
        match tier {
            Tier::NotYetQualified => Some((Tier::Silver, self.silver)),
            Tier::Silver => Some((Tier::Gold, self.gold)),
            Tier::Gold => Some((Tier::Platinum, self.platinum)),
            _ => None,
        }
    }
}

/// A gate: when its rule holds, the account gets the gate's tier whatever its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The gate's id.
    pub id: String,
    /// The signal it reads.
    pub signal: String,
    /// When the gate closes.
    pub rule: Rule,
    /// The tier it forces.
    #[serde(default = "nam")]
    pub tier: Tier,
    /// Why, in words, for explanations.
    #[serde(default)]
    pub reason: String,
}

fn nam() -> Tier {
    Tier::NotAdvocateMaterial
}

/// A category of criteria (e.g. "satisfaction and success").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// The category's id, used as a column name.
    pub id: String,
    /// A readable label.
    #[serde(default)]
    pub label: String,
    /// The criteria.
    pub criteria: Vec<Criterion>,
}

/// One criterion: a rule over one signal, worth some points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The criterion's id, unique in the model.
    pub id: String,
    /// A readable label.
    #[serde(default)]
    pub label: String,
    /// The signal it reads.
    pub signal: String,
    /// When it is met.
    pub rule: Rule,
    /// The points it earns when met (ramps earn a share).
    pub points: f64,
}

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
            Rule::Gt { value } => b(x > *value),
            Rule::Ge { value } => b(x >= *value),
            Rule::Lt { value } => b(x < *value),
            Rule::Le { value } => b(x <= *value),
            Rule::Between { min, max } => b(x >= *min && x <= *max),
            Rule::Eq { value } => b(value.as_f64() == Some(x)),
            Rule::Ne { value } => b(value.as_f64() != Some(x)),
            Rule::In { values } => b(values.iter().any(|v| v.as_f64() == Some(x))),
            Rule::Ramp { points } => ramp(points, x),
            Rule::Is { .. } | Rule::InTarget { .. } => 0.0,
        }
    }

    /// The share of points a boolean earns.
    #[inline]
    pub fn frac_bool(&self, x: bool) -> f64 {
        match self {
            Rule::Is { value } => b(x == *value),
            Rule::Eq { value } => b(value.as_bool() == Some(x)),
            Rule::Ne { value } => b(value.as_bool() != Some(x)),
            Rule::In { values } => b(values.iter().any(|v| v.as_bool() == Some(x))),
            _ => 0.0,
        }
    }

    /// The share of points a text earns, or `None` when the rule reads an empty target list.
    pub fn frac_text(&self, x: &str, targets: &Targets) -> Option<f64> {
        let eq = |v: &Value| v.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case(x));
        Some(match self {
            Rule::Eq { value } => b(eq(value)),
            Rule::Ne { value } => b(!eq(value)),
            Rule::In { values } => b(values.iter().any(eq)),
            Rule::InTarget { list } => {
                let list = targets.list(*list);
                if list.is_empty() {
                    return None;
                }
                b(list.iter().any(|s| s.trim().eq_ignore_ascii_case(x)))
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
fn b(c: bool) -> f64 {
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

/// Outreach per tier (the domain's outreach table), configurable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outreach {
    /// For platinum accounts.
    pub platinum: OutreachPlan,
    /// For gold accounts.
    pub gold: OutreachPlan,
    /// For silver accounts.
    pub silver: OutreachPlan,
    /// For accounts not yet qualified.
    pub not_yet_qualified: OutreachPlan,
    /// For accounts that are not advocate material.
    pub not_advocate_material: OutreachPlan,
}

impl Outreach {
    /// The plan for a tier.
    pub fn plan(&self, tier: Tier) -> &OutreachPlan {
        match tier {
            Tier::Platinum => &self.platinum,
            Tier::Gold => &self.gold,
            Tier::Silver => &self.silver,
            Tier::NotYetQualified => &self.not_yet_qualified,
            Tier::NotAdvocateMaterial => &self.not_advocate_material,
        }
    }
}

/// How an account of a tier is approached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutreachPlan {
    /// Who they are.
    pub who: String,
    /// Who invites them.
    pub invited_by: String,
    /// The benefit level.
    pub benefits: String,
    /// The asks that fit, most fitting first.
    pub asks: Vec<String>,
    /// The highest effort level to ask for, if any ask at all.
    pub max_effort: Option<Effort>,
}

/// The effort an activity takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    /// Minutes: reviews, quotes, surveys.
    Low,
    /// An hour or so: case studies, testimonials, referrals.
    Moderate,
    /// Prep, travel or ongoing: speaking, advisory boards, executive references.
    High,
}

impl Default for Outreach {
    fn default() -> Self {
        let plan = |who: &str, by: &str, ben: &str, asks: &[&str], e: Option<Effort>| OutreachPlan {
            who: who.into(),
            invited_by: by.into(),
            benefits: ben.into(),
            asks: asks.iter().map(|s| s.to_string()).collect(),
            max_effort: e,
        };
        Outreach {
            platinum: plan(
                "high-value advocate worth real investment",
                "personal invitation from the head of customer success or an executive",
                "premium benefits",
                &["conference speaking", "extensive case study", "advisory board", "executive reference call"],
                Some(Effort::High),
            ),
            gold: plan(
                "active participant in standard programs",
                "CSM invitation",
                "standard benefits",
                &["testimonial", "reference call", "case study"],
                Some(Effort::Moderate),
            ),
            silver: plan(
                "occasional contributor",
                "program invitation",
                "basic benefits",
                &["survey", "online review"],
                Some(Effort::Low),
            ),
            not_yet_qualified: plan("keep nurturing", "nobody yet", "none", &[], None),
            not_advocate_material: plan(
                "policy or person makes advocacy impossible; do not push",
                "nobody",
                "none",
                &[],
                None,
            ),
        }
    }
}

/// A criterion with its signal resolved, ready to score.
#[derive(Debug)]
pub(crate) struct Resolved<'m> {
    pub category: usize,
    pub criterion: &'m Criterion,
    pub spec: &'m SignalSpec,
}

/// A model checked and resolved against its signals.
#[derive(Debug)]
pub(crate) struct Compiled<'m> {
    pub model: &'m Model,
    pub criteria: Vec<Resolved<'m>>,
    pub gates: Vec<(&'m Gate, &'m SignalSpec)>,
    /// Every known signal: the model's own first, then the standard ones not shadowed.
    pub signals: Vec<&'m SignalSpec>,
    pub max: f64,
    /// Points of the criteria that can be judged with the current targets.
    pub earnable: f64,
    pub category_max: Vec<f64>,
}

impl Model {
    /// Reads a model from JSON and checks it.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let model: Model = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = clean_path(&e.path().to_string());
            let inner = e.into_inner();
            parse_error(path, inner.to_string())
        })?;
        model.validate()?;
        Ok(model)
    }

    /// Reads a model from TOML and checks it.
    pub fn from_toml(text: &str) -> Result<Model, ModelError> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| ModelError::new(ModelErrorKind::Parse, "", "", "", e.message().to_string()))?;
        let model: Model = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = clean_path(&e.path().to_string());
            let inner = e.into_inner();
            parse_error(path, inner.message().to_string())
        })?;
        model.validate()?;
        Ok(model)
    }

    /// The model as pretty JSON; [`Model::from_json`] reads it back unchanged.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The model as TOML; [`Model::from_toml`] reads it back unchanged.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The JSON Schema of the model file.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(Model);
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    }

    /// The most points an account can earn.
    pub fn max_points(&self) -> f64 {
        self.categories.iter().flat_map(|c| &c.criteria).map(|c| c.points).sum()
    }

    /// Looks up a signal: the model's own declarations first, then the standard signals.
    pub fn signal(&self, name: &str) -> Option<&SignalSpec> {
        self.signals.iter().find(|s| s.name == name).or_else(|| standard_signals().iter().find(|s| s.name == name))
    }

    /// Checks the model: signals exist, rules fit their signals, numbers are in range, ids are unique.
    pub fn validate(&self) -> Result<(), ModelError> {
        self.compile().map(|_| ())
    }

    /// Warnings about the model itself (e.g. target criteria with no targets set).
    pub fn warnings(&self) -> Vec<crate::score::Warning> {
        let mut out = Vec::new();
        for c in self.categories.iter().flat_map(|c| &c.criteria) {
            if let Rule::InTarget { list } = &c.rule {
                if self.targets.list(*list).is_empty() {
                    out.push(crate::score::Warning {
                        code: "no_targets".into(),
                        criterion: Some(c.id.clone()),
                        message: format!(
                            "no target {} are set: criterion `{}` scores 0 for every account",
                            list.name(),
                            c.id
                        ),
                    });
                }
            }
        }
        out
    }

    pub(crate) fn compile(&self) -> Result<Compiled<'_>, ModelError> {
        use ModelErrorKind as K;
        let bad = |k, p: String, v: String, a: &str, m: &str| Err(ModelError::new(k, p, v, a, m));
        // Custom signals.
        let mut names = HashSet::new();
        for (i, s) in self.signals.iter().enumerate() {
            let p = format!("signals[{i}]");
            if s.name.trim().is_empty() {
                return bad(
                    K::InvalidValue,
                    format!("{p}.name"),
                    format!("{:?}", s.name),
                    "a non-empty name",
                    "signal name is empty",
                );
            }
            if !names.insert(s.name.as_str()) {
                return bad(
                    K::Duplicate,
                    format!("{p}.name"),
                    s.name.clone(),
                    "a name not used by another signal",
                    "duplicate signal",
                );
            }
            if let Some(std) = standard_signals().iter().find(|x| x.name == s.name) {
                if std.kind != s.kind || std.values != s.values || std.min != s.min || std.max != s.max {
                    return bad(
                        K::Duplicate,
                        format!("{p}.name"),
                        s.name.clone(),
                        "a name that is not a standard signal (or the standard declaration unchanged)",
                        "custom signal redeclares a standard signal differently",
                    );
                }
            }
            for (f, v) in [("min", s.min), ("max", s.max)] {
                if let Some(v) = v {
                    if !s.kind.is_numeric() {
                        return bad(
                            K::InvalidValue,
                            format!("{p}.{f}"),
                            fmt_num(v),
                            "no range: ranges apply to number and integer signals",
                            "range on a non-numeric signal",
                        );
                    }
                    if !v.is_finite() {
                        return bad(
                            K::InvalidValue,
                            format!("{p}.{f}"),
                            fmt_num(v),
                            "a finite number",
                            "range bound is not finite",
                        );
                    }
                }
            }
            if let (Some(a), Some(b)) = (s.min, s.max) {
                if a > b {
                    return bad(
                        K::InvalidValue,
                        format!("{p}.max"),
                        fmt_num(b),
                        &format!("a number >= min ({})", fmt_num(a)),
                        "max is below min",
                    );
                }
            }
            if s.kind == SignalKind::Category && s.values.is_empty() {
                return bad(
                    K::InvalidValue,
                    format!("{p}.values"),
                    "[]".into(),
                    "at least one value",
                    "category without values",
                );
            }
        }
        let mut signals: Vec<&SignalSpec> = self.signals.iter().collect();
        signals.extend(standard_signals().iter().filter(|s| !names.contains(s.name.as_str())));

        // Tiers.
        let t = &self.tiers;
        for (name, v) in [("platinum", t.platinum), ("gold", t.gold), ("silver", t.silver)] {
            if !v.is_finite() || v < 0.0 {
                return bad(
                    K::InvalidValue,
                    format!("tiers.{name}"),
                    fmt_num(v),
                    "a number >= 0",
                    "tier threshold out of range",
                );
            }
        }
        if !(t.platinum >= t.gold && t.gold >= t.silver) {
            return bad(
                K::InvalidValue,
                "tiers".into(),
                format!("platinum {}, gold {}, silver {}", fmt_num(t.platinum), fmt_num(t.gold), fmt_num(t.silver)),
                "platinum >= gold >= silver",
                "tier thresholds out of order",
            );
        }
        if self.revisit_months > 120 {
            return bad(
                K::InvalidValue,
                "revisit_months".into(),
                self.revisit_months.to_string(),
                "0 to 120",
                "revisit too far away",
            );
        }
        for (list, vals) in [
            ("industries", &self.targets.industries),
            ("segments", &self.targets.segments),
            ("regions", &self.targets.regions),
        ] {
            for (i, v) in vals.iter().enumerate() {
                if v.trim().is_empty() {
                    return bad(
                        K::InvalidValue,
                        format!("targets.{list}[{i}]"),
                        format!("{v:?}"),
                        "a non-empty name",
                        "empty target",
                    );
                }
            }
        }
        if let Some(spec) = standard_signals().iter().find(|s| s.name == "segment") {
            if let (SignalKind::Category, values) = (spec.kind, &spec.values) {
                for (i, v) in self.targets.segments.iter().enumerate() {
                    if !values.iter().any(|x| x.eq_ignore_ascii_case(v.trim())) {
                        return bad(
                            K::InvalidValue,
                            format!("targets.segments[{i}]"),
                            format!("{v:?}"),
                            &values.join(", "),
                            "unknown segment",
                        );
                    }
                }
            }
        }

        let find = |name: &str| signals.iter().copied().find(|s| s.name == name);
        let mut ids = HashSet::new();
        let mut cat_ids = HashSet::new();
        let mut criteria = Vec::new();
        let mut category_max = Vec::new();
        if self.categories.is_empty() {
            return bad(
                K::InvalidValue,
                "categories".into(),
                "[]".into(),
                "at least one category",
                "model has no categories",
            );
        }
        for (ci, cat) in self.categories.iter().enumerate() {
            let cp = format!("categories[{ci}]");
            if cat.id.trim().is_empty() {
                return bad(
                    K::InvalidValue,
                    format!("{cp}.id"),
                    format!("{:?}", cat.id),
                    "a non-empty id",
                    "category id is empty",
                );
            }
            if !cat_ids.insert(cat.id.as_str()) {
                return bad(
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
                    return bad(
                        K::InvalidValue,
                        format!("{p}.id"),
                        format!("{:?}", cr.id),
                        "a non-empty id",
                        "criterion id is empty",
                    );
                }
                if !ids.insert(cr.id.as_str()) {
                    return bad(
                        K::Duplicate,
                        format!("{p}.id"),
                        cr.id.clone(),
                        "an id not used by another criterion",
                        "duplicate criterion id",
                    );
                }
                if !cr.points.is_finite() || cr.points < 0.0 {
                    return bad(
                        K::InvalidValue,
                        format!("{p}.points"),
                        fmt_num(cr.points),
                        "a number >= 0",
                        "points out of range",
                    );
                }
                let spec = find(&cr.signal).ok_or_else(|| {
                    ModelError::new(
                        K::UnknownSignal,
                        format!("{p}.signal"),
                        cr.signal.clone(),
                        "a standard signal or one declared under `signals`",
                        "unknown signal",
                    )
                })?;
                check_rule(&cr.rule, spec, &format!("{p}.rule"))?;
                cmax += cr.points;
                criteria.push(Resolved { category: ci, criterion: cr, spec });
            }
            category_max.push(cmax);
        }
        let max = self.max_points();
        if max <= 0.0 {
            return bad(
                K::InvalidValue,
                "categories".into(),
                fmt_num(max),
                "criteria worth more than 0 points in all",
                "model has no points",
            );
        }
        let mut gates = Vec::new();
        let mut gate_ids = HashSet::new();
        for (gi, g) in self.gates.iter().enumerate() {
            let p = format!("gates[{gi}]");
            if !gate_ids.insert(g.id.as_str()) {
                return bad(
                    K::Duplicate,
                    format!("{p}.id"),
                    g.id.clone(),
                    "an id not used by another gate",
                    "duplicate gate id",
                );
            }
            let spec = find(&g.signal).ok_or_else(|| {
                ModelError::new(
                    K::UnknownSignal,
                    format!("{p}.signal"),
                    g.signal.clone(),
                    "a standard signal or one declared under `signals`",
                    "unknown signal",
                )
            })?;
            if matches!(g.rule, Rule::Ramp { .. }) {
                return bad(
                    K::InvalidRule,
                    format!("{p}.rule.op"),
                    "ramp".into(),
                    "a rule that holds or not (every op but ramp)",
                    "gates cannot give partial credit",
                );
            }
            check_rule(&g.rule, spec, &format!("{p}.rule"))?;
            gates.push((g, spec));
        }
        let earnable = criteria
            .iter()
            .filter(|rc| crate::score::can_earn(self, &rc.criterion.rule))
            .fold(0.0, |e, rc| e + rc.criterion.points);
        Ok(Compiled { model: self, criteria, gates, signals, max, earnable, category_max })
    }
}

/// Checks that a rule fits its signal's kind and that its values are allowed (shared with the
/// program's segment conditions).
pub(crate) fn check_rule(rule: &Rule, spec: &SignalSpec, path: &str) -> Result<(), ModelError> {
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
    let op = serde_json::to_value(rule)
        .ok()
        .and_then(|v| v.get("op").and_then(|o| o.as_str().map(str::to_string)))
        .unwrap_or_default();
    let wrong_op = || {
        Err(ModelError::new(
            K::InvalidRule,
            format!("{path}.op"),
            op.clone(),
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
            (SignalKind::Number | SignalKind::Integer, Value::Number(x)) => x.is_finite(),
            (SignalKind::Bool, Value::Bool(_)) => true,
            (SignalKind::Category, Value::Text(s)) => spec.values.iter().any(|x| x.eq_ignore_ascii_case(s.trim())),
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
        (Rule::Ramp { points }, k) if k.is_numeric() => {
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
                finite(*x, &format!("points[{i}][0]"))?;
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

/// A parse error with the value and what was allowed pulled out of serde's message.
fn parse_error(path: String, message: String) -> ModelError {
    let msg = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message.as_str(),
    };
    let tick = |s: &str| s.split('`').skip(1).step_by(2).map(str::to_string).collect::<Vec<_>>();
    let (value, allowed) =
        if let Some(rest) = msg.strip_prefix("unknown variant ").or_else(|| msg.strip_prefix("unknown field ")) {
            let names = tick(rest);
            let value = names.first().cloned().unwrap_or_default();
            let allowed = if rest.contains("there are no") {
                "nothing here".to_string()
            } else {
                format!("one of {}", names[1.min(names.len())..].join(", "))
            };
            (value, allowed)
        } else if let Some(rest) = msg.strip_prefix("missing field ") {
            (String::new(), format!("a value for {}", rest.trim()))
        } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
            let (seen, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let expected = match expected {
                "f64" | "u32" | "a number" => "a number",
                e => e,
            };
            (seen.to_string(), expected.to_string())
        } else {
            (String::new(), String::new())
        };
    ModelError::new(ModelErrorKind::Parse, path, value, allowed, message)
}

/// Turns serde_path_to_error's `categories[0].criteria[1].points` into our config path form.
fn clean_path(p: &str) -> String {
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}
