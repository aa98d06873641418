//! Models: categories of criteria over signals, tiers, gates, targets and outreach, all configuration.
//!
//! The layers inside, bottom-up: `targets` and `tier`; `rule` (when a criterion is met);
//! `outreach`; `spec`, the file format ([`ModelSpec`], read and written by serde); and `compile`,
//! which checks a spec once and turns it into a [`Model`], which cannot be changed in place: every edit returns a new,
//! checked model.

mod compile;
mod outreach;
mod rule;
mod spec;
mod targets;
mod tier;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use compile::RESERVED_COLUMNS;
pub use outreach::{Effort, Outreach, OutreachPlan};
pub use rule::Rule;
pub use spec::{default_gates, Category, Criterion, Gate, MissingPolicy, ModelSpec};
pub use targets::{TargetList, Targets};
pub use tier::{Thresholds, Tier};

use crate::error::{ModelError, ModelErrorKind};
use crate::signal::SignalSpec;

/// The default model, as shipped in `models/default.json`.
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../models/default.json");

/// A note about a model or a result that is not an error (e.g. targets not set).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// A stable code (`no_targets`).
    pub code: String,
    /// The criterion concerned, if any.
    pub criterion: Option<String>,
    /// What it means.
    pub message: String,
}

/// A criterion with its signal resolved, ready to score.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedCriterion {
    /// Position of its category in the model.
    pub category: usize,
    pub criterion: Criterion,
    pub signal: SignalSpec,
    /// Position of its signal in [`Model::known_signals`].
    pub position: usize,
}

/// A gate with its signal resolved.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedGate {
    pub gate: Gate,
    pub signal: SignalSpec,
    /// Position of its signal in [`Model::known_signals`].
    pub position: usize,
}

/// A checked advocacy scoring model, ready to score.
///
/// Everything that decides a score is configuration (see [`ModelSpec`], the file format). A
/// `Model` is checked once, when it is built ([`Model::new`], [`Model::from_json`],
/// [`Model::from_toml`]), and never changes: the `with_*` methods return a new, checked model.
///
/// ```
/// use advocacy_core::{Model, Record, Targets, Tier};
/// let model = Model::default()
///     .with_targets(Targets { industries: vec!["software".into()], ..Targets::default() })
///     .unwrap()
///     .with_points("brand_strength", 10.0)
///     .unwrap();
/// assert_eq!(model.max_points(), 105.0);
/// let score = model.score(&Record::new().with("industry", "Software").with("brand_strength", 5)).unwrap();
/// assert_eq!(score.total, 20.0);
/// assert_eq!(score.tier, Tier::NotYetQualified);
/// ```
#[derive(Clone, Debug)]
pub struct Model {
    pub(crate) spec: ModelSpec,
    /// Every known signal: the model's own first, then the standard ones not shadowed.
    pub(crate) signals: Vec<SignalSpec>,
    /// Signal name -> position in `signals`.
    pub(crate) index: HashMap<String, usize>,
    pub(crate) criteria: Vec<ResolvedCriterion>,
    pub(crate) gates: Vec<ResolvedGate>,
    /// The most points an account can earn.
    pub(crate) max: f64,
    /// Points of the criteria that can be judged with the current targets.
    pub(crate) earnable: f64,
    /// The most points of each category.
    pub(crate) category_max: Vec<f64>,
    pub(crate) warnings: Vec<Warning>,
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
    }
}

impl Default for Model {
    /// The 100-point advocacy potential model of the domain guide.
    fn default() -> Self {
        use std::sync::OnceLock;
        static DEFAULT: OnceLock<Model> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                // The embedded file is checked by the test suite; a failure here is a build defect.
                Model::from_json(DEFAULT_MODEL_JSON)
                    .unwrap_or_else(|e| panic!("embedded default model is invalid: {e}"))
            })
            .clone()
    }
}

impl TryFrom<ModelSpec> for Model {
    type Error = ModelError;
    fn try_from(spec: ModelSpec) -> Result<Self, Self::Error> {
        Model::new(spec)
    }
}

impl From<Model> for ModelSpec {
    fn from(model: Model) -> Self {
        model.spec
    }
}

impl JsonSchema for Model {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <ModelSpec as JsonSchema>::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <ModelSpec as JsonSchema>::json_schema(generator)
    }
}

impl Serialize for Model {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.spec.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spec = ModelSpec::deserialize(d)?;
        Model::new(spec).map_err(serde::de::Error::custom)
    }
}

impl Model {
    /// Checks a model spec and compiles it; fails with the first problem found (in model order).
    /// [`Model::check`] lists every problem.
    pub fn new(spec: ModelSpec) -> Result<Model, ModelError> {
        compile::compile(spec).map_err(|mut all| all.swap_remove(0))
    }

    /// Every problem of a model spec, in model order (empty when it is valid).
    ///
    /// ```
    /// use advocacy_core::{Model, ModelSpec};
    /// let mut spec = Model::default().spec().clone();
    /// spec.tiers.gold = f64::INFINITY;
    /// spec.categories[0].criteria[0].points = -1.0;
    /// let problems = Model::check(spec);
    /// assert_eq!(problems.len(), 2);
    /// assert_eq!(problems[0].path, "tiers.gold");
    /// assert_eq!(problems[1].path, "categories[0].criteria[0].points");
    /// ```
    pub fn check(spec: ModelSpec) -> Vec<ModelError> {
        compile::compile(spec).err().unwrap_or_default()
    }

    /// Reads a model from JSON and checks it.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        Model::new(ModelSpec::from_json(text)?)
    }

    /// Reads a model from TOML and checks it.
    pub fn from_toml(text: &str) -> Result<Model, ModelError> {
        Model::new(ModelSpec::from_toml(text)?)
    }

    /// The model as pretty JSON; [`Model::from_json`] reads it back unchanged.
    pub fn to_json(&self) -> String {
        self.spec.to_json()
    }

    /// The model as TOML; [`Model::from_toml`] reads it back unchanged.
    pub fn to_toml(&self) -> String {
        self.spec.to_toml()
    }

    /// The JSON Schema of the model file.
    pub fn json_schema() -> String {
        ModelSpec::json_schema()
    }

    /// What the model says, as its file would (read only; edit with the `with_*` methods, or
    /// clone the spec, change it and build a new model with [`Model::new`]).
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// The model's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The most points an account can earn.
    pub fn max_points(&self) -> f64 {
        self.max
    }

    /// The categories of criteria.
    pub fn categories(&self) -> &[Category] {
        &self.spec.categories
    }

    /// The program's targets.
    pub fn targets(&self) -> &Targets {
        &self.spec.targets
    }

    /// The tier thresholds.
    pub fn tiers(&self) -> &Thresholds {
        &self.spec.tiers
    }

    /// How missing signals count.
    pub fn missing(&self) -> MissingPolicy {
        self.spec.missing
    }

    /// Who invites, with what benefits and asks, per tier.
    pub fn outreach(&self) -> &Outreach {
        &self.spec.outreach
    }

    /// Looks up a signal: the model's own declarations first, then the standard signals.
    pub fn signal(&self, name: &str) -> Option<&SignalSpec> {
        self.index.get(name).map(|&i| &self.signals[i])
    }

    /// Every signal the model knows: its own declarations, then the standard signals.
    ///
    /// ```
    /// let model = advocacy_core::Model::default();
    /// assert!(model.known_signals().iter().any(|s| s.name == "nps"));
    /// ```
    pub fn known_signals(&self) -> &[SignalSpec] {
        &self.signals
    }

    /// Warnings about the model itself: target criteria with no targets set (`no_targets`), and
    /// target lists set that no criterion or gate reads (`unused_targets`).
    ///
    /// ```
    /// use advocacy_core::{Model, TargetList};
    /// // The default model reads no region list: setting one changes nothing, and says so.
    /// let m = Model::default().with_target_list(TargetList::Regions, vec!["emea".into()]).unwrap();
    /// let w = m.warnings().iter().find(|w| w.code == "unused_targets").unwrap();
    /// assert!(w.message.contains("regions"));
    /// // Target industries are read by `target_industry`: no such warning.
    /// let m = Model::default().with_target_list(TargetList::Industries, vec!["software".into()]).unwrap();
    /// assert!(m.warnings().iter().all(|w| w.code != "unused_targets"));
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// A copy where criterion `criterion_id` is worth `points`.
    ///
    /// ```
    /// let err = advocacy_core::Model::default().with_points("nope", 5.0).unwrap_err();
    /// assert_eq!(err.kind.code(), "unknown_criterion");
    /// assert_eq!(err.path, "criterion");
    /// ```
    pub fn with_points(&self, criterion_id: &str, points: f64) -> Result<Model, ModelError> {
        let mut spec = self.spec.clone();
        let found = spec.categories.iter_mut().flat_map(|c| c.criteria.iter_mut()).find(|k| k.id == criterion_id);
        match found {
            Some(k) => k.points = points,
            None => {
                let ids: Vec<&str> =
                    self.spec.categories.iter().flat_map(|c| &c.criteria).map(|k| k.id.as_str()).collect();
                return Err(ModelError::new(
                    ModelErrorKind::UnknownCriterion,
                    "criterion",
                    format!("{criterion_id:?}"),
                    ids.join(", "),
                    "unknown criterion",
                ));
            }
        }
        Model::new(spec)
    }

    /// A copy with the program's target lists replaced.
    pub fn with_targets(&self, targets: Targets) -> Result<Model, ModelError> {
        let mut spec = self.spec.clone();
        spec.targets = targets;
        Model::new(spec)
    }

    /// A copy with one target list replaced.
    ///
    /// ```
    /// use advocacy_core::{Model, TargetList};
    /// let m = Model::default().with_target_list(TargetList::Segments, vec!["enterprise".into()]).unwrap();
    /// assert_eq!(m.targets().segments, ["enterprise"]);
    /// assert!(Model::default().with_target_list(TargetList::Segments, vec!["huge".into()]).is_err());
    /// ```
    pub fn with_target_list(&self, list: TargetList, values: Vec<String>) -> Result<Model, ModelError> {
        let mut targets = self.spec.targets.clone();
        *targets.list_mut(list) = values;
        self.with_targets(targets)
    }

    /// A copy with other tier thresholds.
    pub fn with_tiers(&self, tiers: Thresholds) -> Result<Model, ModelError> {
        let mut spec = self.spec.clone();
        spec.tiers = tiers;
        Model::new(spec)
    }

    /// A copy with another missing-data policy.
    pub fn with_missing(&self, missing: MissingPolicy) -> Result<Model, ModelError> {
        let mut spec = self.spec.clone();
        spec.missing = missing;
        Model::new(spec)
    }

    /// A copy with the maximum ages of signals' values, in days (replacing the model's). Scored
    /// with an as-of date, a value observed longer ago counts as missing.
    ///
    /// ```
    /// use advocacy_core::Model;
    /// let m = Model::default().with_max_ages([("nps".to_string(), 180)].into()).unwrap();
    /// assert_eq!(m.spec().max_age_days["nps"], 180);
    /// let err = Model::default().with_max_ages([("nsp".to_string(), 180)].into()).unwrap_err();
    /// assert_eq!(err.path, "max_age_days.nsp");
    /// ```
    pub fn with_max_ages(&self, max_age_days: std::collections::BTreeMap<String, u32>) -> Result<Model, ModelError> {
        let mut spec = self.spec.clone();
        spec.max_age_days = max_age_days;
        Model::new(spec)
    }
}

/// Warnings of a spec: target criteria whose target list is empty.
fn target_warnings(spec: &ModelSpec) -> Vec<Warning> {
    let mut out = Vec::new();
    for c in spec.categories.iter().flat_map(|c| &c.criteria) {
        if let Rule::InTarget { list } = &c.rule {
            if spec.targets.list(*list).is_empty() {
                out.push(Warning {
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
    // A list that is set but that no criterion or gate reads changes no score.
    let read = |list: TargetList| {
        let reads = |r: &Rule| matches!(r, Rule::InTarget { list: l } if *l == list);
        spec.categories.iter().flat_map(|c| &c.criteria).any(|c| reads(&c.rule))
            || spec.gates.iter().any(|g| reads(&g.rule))
    };
    for list in [TargetList::Industries, TargetList::Segments, TargetList::Regions] {
        if !spec.targets.list(list).is_empty() && !read(list) {
            out.push(Warning {
                code: "unused_targets".into(),
                criterion: None,
                message: format!("target {} are set but no criterion reads them: they change nothing", list.name()),
            });
        }
    }
    out
}
