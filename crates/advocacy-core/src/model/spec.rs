//! The model file format: what a JSON or TOML model says, as serde reads and writes it.
//!
//! A [`ModelSpec`] is only data; [`crate::Model::new`] checks it once and compiles it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::outreach::Outreach;
use super::rule::Rule;
use super::targets::Targets;
use super::tier::{Thresholds, Tier};
use crate::error::{ModelError, ModelErrorKind};
use crate::signal::{SignalSpec, Value};

/// An advocacy scoring model.
///
/// Everything that decides a score is here and is configuration: load it from JSON or TOML,
/// change it, and write it back. See [`Model::score`] for an example.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Model")]
pub struct ModelSpec {
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
    /// The oldest a value may be, in days, per signal (`nps = 180`): scored with an as-of date,
    /// an older observation counts as missing, and the explanation says so. Values without an
    /// observation date are taken as they are.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub max_age_days: std::collections::BTreeMap<String, u32>,
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
    #[serde(default = "not_advocate_material")]
    pub tier: Tier,
    /// Why, in words, for explanations.
    #[serde(default)]
    pub reason: String,
}

fn not_advocate_material() -> Tier {
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

impl ModelSpec {
    /// Reads a model file from JSON (its shape only: [`crate::Model::new`] checks the rest).
    pub fn from_json(text: &str) -> Result<ModelSpec, ModelError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = clean_path(&e.path().to_string());
            let inner = e.into_inner();
            parse_error(path, inner.to_string())
        })
    }

    /// Reads a model file from TOML (its shape only).
    pub fn from_toml(text: &str) -> Result<ModelSpec, ModelError> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| ModelError::new(ModelErrorKind::Parse, "", "", "", e.message().to_string()))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = clean_path(&e.path().to_string());
            let inner = e.into_inner();
            parse_error(path, inner.message().to_string())
        })
    }

    /// The model as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The model as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The JSON Schema of the model file.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(ModelSpec);
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    }

    /// The most points an account can earn under this spec.
    pub fn max_points(&self) -> f64 {
        self.categories.iter().flat_map(|c| &c.criteria).fold(0.0, |m, c| m + c.points)
    }
}

impl MissingPolicy {
    /// The policy's name (`zero`, `rescale`).
    pub fn as_str(self) -> &'static str {
        match self {
            MissingPolicy::Zero => "zero",
            MissingPolicy::Rescale => "rescale",
        }
    }

    /// Reads a policy's name (`zero`, `rescale`), as the bindings take it.
    ///
    /// ```
    /// use advocacy_core::MissingPolicy;
    /// assert_eq!(MissingPolicy::parse("rescale").unwrap(), MissingPolicy::Rescale);
    /// assert_eq!(MissingPolicy::parse("Rescale").unwrap_err().allowed, "zero, rescale");
    /// ```
    pub fn parse(name: &str) -> Result<MissingPolicy, ModelError> {
        match name {
            "zero" => Ok(MissingPolicy::Zero),
            "rescale" => Ok(MissingPolicy::Rescale),
            other => Err(ModelError::new(
                ModelErrorKind::InvalidValue,
                "missing",
                format!("{other:?}"),
                "zero, rescale",
                "unknown missing-data policy",
            )),
        }
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
