//! Which column of a table holds what: matching the headers of a CRM export, a survey tool's
//! export or a data frame to the model's signals, the account id and the name.
//!
//! Headers are matched by [`header_key`] (case, spaces and punctuation folded: `Health Score`,
//! `health-score` and `HEALTH_SCORE` are all `health_score`) against each signal's name and
//! aliases, and against a [`ColumnMapping`] that can name any column for any signal and map
//! category values (`Commercial` -> `mid_market`). Every header gets a [`ColumnRole`] and the
//! reason for it, so that a surface can show how a file is read before scoring it.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, ModelErrorKind as K};
use crate::model::{Model, Warning};
use std::borrow::Cow;

use crate::batch::Column;
use crate::signal::{ReadOptions, SignalKind, SignalSpec, Value};
use crate::text::{printable, same_category};

/// The key a header is matched by: lower case, every run of characters that are not letters or
/// digits as one `_`, none at either end.
///
/// ```
/// use advocacy_core::header_key;
/// assert_eq!(header_key("Health Score"), "health_score");
/// assert_eq!(header_key("Active Days (30d)"), "active_days_30d");
/// assert_eq!(header_key(" Available Hours / Month "), "available_hours_month");
/// assert_eq!(header_key("Énergie"), "énergie");
/// ```
pub fn header_key(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut gap = false;
    for c in header.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// Header names that mean the account id, as [`header_key`]s.
pub const ID_ALIASES: &[&str] =
    &["id", "account_id", "company_id", "customer_id", "record_id", "account_number", "account_no"];

/// Header names that mean the date a row's values were observed, as [`header_key`]s.
pub const OBSERVED_ALIASES: &[&str] = &["observed", "observed_at", "observation_date", "observed_on"];

/// Header names that mean the account's name, as [`header_key`]s.
pub const NAME_ALIASES: &[&str] = &["name", "account_name", "company_name", "customer_name", "account", "company"];

/// How a table's columns are read: given by the user (a JSON or TOML file, a dict, an object),
/// on top of the automatic matching by name and alias.
///
/// ```toml
/// id = "Record ID"
/// name = "Company name"
/// decimal_comma = true
///
/// [columns]
/// "Customer Health" = "health_score"
/// "Internal notes" = "ignore"
///
/// [values.segment]
/// Commercial = "mid_market"
/// "Key Accounts" = "enterprise"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// The column holding the account id (default: the first of `id`, `Account ID`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The column holding the account's name (default: `name`, `Account Name`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Header -> the signal it holds, or `"ignore"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
    /// Per signal: a cell's value -> the value it means (compared as category values are).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Numbers are written with a decimal comma (`85,5`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decimal_comma: bool,
    /// The column holding the date each row's values were observed (default: a column named
    /// `observed`, `observed_at` or `observation_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
}

/// What a column is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "role", content = "signal", rename_all = "snake_case")]
pub enum ColumnRole {
    /// The account id.
    Id,
    /// The account's name (shown, never scored).
    Name,
    /// The date the row's values were observed.
    Observed,
    /// A signal (by its name).
    Signal(String),
    /// Not read.
    Ignored,
}

/// How one header is read, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ColumnRead {
    /// The header as it is in the file.
    pub header: String,
    /// What the column is for.
    #[serde(flatten)]
    pub role: ColumnRole,
    /// Why, in words (`matched by name`, `matched by alias "nps_score"`, `the mapping says so`,
    /// `not a signal of the model`).
    pub reason: String,
}

/// How every column of a table is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ColumnPlan {
    /// One entry per header, in order.
    pub columns: Vec<ColumnRead>,
    /// Columns read as nothing, and mapping entries that name no header.
    pub warnings: Vec<Warning>,
    /// How cells are read.
    pub options: ReadOptions,
    /// Value maps, by signal, keyed by [`header_key`] of the value.
    #[serde(skip)]
    values: HashMap<String, Vec<(String, String)>>,
}

impl ColumnMapping {
    /// Reads a mapping from JSON.
    pub fn from_json(text: &str) -> Result<ColumnMapping, ModelError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            ModelError::new(
                K::Parse,
                if path == "." { String::new() } else { path },
                "",
                "",
                e.into_inner().to_string(),
            )
        })
    }

    /// Reads a mapping from TOML.
    pub fn from_toml(text: &str) -> Result<ColumnMapping, ModelError> {
        let de = toml::Deserializer::parse(text).map_err(|e| ModelError::new(K::Parse, "", "", "", e.message()))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            ModelError::new(K::Parse, if path == "." { String::new() } else { path }, "", "", e.into_inner().message())
        })
    }
}

impl Model {
    /// How a table with these headers is read by this model, with `mapping` on top of the
    /// automatic matching. Fails when two columns would give the same signal (or two the id),
    /// or when the mapping names a signal the model does not know.
    ///
    /// ```
    /// use advocacy_core::{ColumnMapping, ColumnRole, Model};
    /// let headers = ["Account ID", "Account Name", "NPS", "Health Score", "Notes"];
    /// let plan = Model::default().read_columns(&headers, &ColumnMapping::default()).unwrap();
    /// assert_eq!(plan.columns[0].role, ColumnRole::Id);
    /// assert_eq!(plan.columns[2].role, ColumnRole::Signal("nps".into()));
    /// assert_eq!(plan.columns[3].role, ColumnRole::Signal("health_score".into()));
    /// assert_eq!(plan.columns[4].role, ColumnRole::Ignored);
    /// assert_eq!(plan.warnings[0].code, "unmapped_column");
    /// let twice = Model::default().read_columns(&["id", "Notes", "Notes"], &ColumnMapping::default());
    /// assert_eq!(twice.unwrap_err().message, "duplicate column (columns 2 and 3)");
    /// ```
    pub fn read_columns<S: AsRef<str>>(
        &self,
        headers: &[S],
        mapping: &ColumnMapping,
    ) -> Result<ColumnPlan, ModelError> {
        let explicit: HashMap<String, (&str, &str)> =
            mapping.columns.iter().map(|(h, s)| (header_key(h), (h.as_str(), s.as_str()))).collect();
        let aliases = self.alias_table();
        let mut columns = Vec::with_capacity(headers.len());
        let mut used: HashMap<String, usize> = HashMap::new();
        let is = |given: &Option<String>, header: &str| {
            given.as_deref().is_some_and(|g| header_key(g) == header_key(header))
        };
        // The same header twice: which column counts would be a guess, even for one not read.
        let mut seen_headers: HashMap<&str, usize> = HashMap::new();
        for (i, header) in headers.iter().enumerate() {
            if let Some(first) = seen_headers.insert(header.as_ref().trim(), i) {
                return Err(ModelError::new(
                    K::Duplicate,
                    format!("columns[{i}]"),
                    format!("{:?}", printable(header.as_ref().trim(), 80)),
                    "each header once",
                    format!("duplicate column (columns {} and {})", first + 1, i + 1),
                ));
            }
        }
        for (i, header) in headers.iter().enumerate() {
            let header = header.as_ref();
            let key = header_key(header);
            let read = |role: ColumnRole, reason: String| ColumnRead { header: header.to_string(), role, reason };
            let entry = if is(&mapping.id, header) {
                read(ColumnRole::Id, "id column of the mapping".into())
            } else if is(&mapping.name, header) {
                read(ColumnRole::Name, "name column of the mapping".into())
            } else if is(&mapping.observed, header) {
                read(ColumnRole::Observed, "observation date column of the mapping".into())
            } else if let Some((_, target)) = explicit.get(&key) {
                if target.eq_ignore_ascii_case("ignore") {
                    read(ColumnRole::Ignored, "ignored by the mapping".into())
                } else if target.eq_ignore_ascii_case("id") {
                    read(ColumnRole::Id, "the mapping says so".into())
                } else if target.eq_ignore_ascii_case("name") {
                    read(ColumnRole::Name, "the mapping says so".into())
                } else if target.eq_ignore_ascii_case("observed") {
                    read(ColumnRole::Observed, "the mapping says so".into())
                } else if let Some(spec) = self.signal(target) {
                    read(ColumnRole::Signal(spec.name.clone()), "the mapping says so".into())
                } else {
                    return Err(ModelError::new(
                        K::UnknownSignal,
                        format!("columns.{}", printable(header, 80)),
                        printable(target, 80),
                        "a signal of the model, \"id\", \"name\", \"observed\" or \"ignore\"",
                        "the mapping names an unknown signal",
                    ));
                }
            } else if mapping.id.is_none() && ID_ALIASES.contains(&key.as_str()) && !used.contains_key("id") {
                read(
                    ColumnRole::Id,
                    if key == "id" { "matched by name".into() } else { format!("matched by alias {key:?}") },
                )
            } else if mapping.observed.is_none()
                && OBSERVED_ALIASES.contains(&key.as_str())
                && !used.contains_key("observed")
            {
                read(ColumnRole::Observed, format!("matched by alias {key:?}"))
            } else if let Some((signal, how)) = aliases.get(&key) {
                read(ColumnRole::Signal(signal.clone()), how.clone())
            } else if mapping.name.is_none() && NAME_ALIASES.contains(&key.as_str()) && !used.contains_key("name") {
                read(
                    ColumnRole::Name,
                    if key == "name" { "matched by name".into() } else { format!("matched by alias {key:?}") },
                )
            } else {
                read(ColumnRole::Ignored, "not a signal of the model".into())
            };
            match &entry.role {
                ColumnRole::Id => claim(&mut used, "id", i, header, &columns)?,
                ColumnRole::Name => claim(&mut used, "name", i, header, &columns)?,
                ColumnRole::Observed => claim(&mut used, "observed", i, header, &columns)?,
                ColumnRole::Signal(s) => claim(&mut used, s, i, header, &columns)?,
                ColumnRole::Ignored => {}
            }
            columns.push(entry);
        }
        let mut warnings: Vec<Warning> = columns
            .iter()
            .filter(|c| c.role == ColumnRole::Ignored && c.reason == "not a signal of the model")
            .map(|c| Warning {
                code: "unmapped_column".into(),
                criterion: None,
                message: format!("column `{}` is not read: it names no signal of the model", printable(&c.header, 80)),
            })
            .collect();
        for (h, _) in explicit.values() {
            if !headers.iter().any(|x| header_key(x.as_ref()) == header_key(h)) {
                warnings.push(Warning {
                    code: "mapped_column_absent".into(),
                    criterion: None,
                    message: format!("the mapping names column `{}`, which the table does not have", printable(h, 80)),
                });
            }
        }
        let values = mapping
            .values
            .iter()
            .map(|(signal, map)| (signal.clone(), map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
            .collect();
        Ok(ColumnPlan { columns, warnings, options: ReadOptions { decimal_comma: mapping.decimal_comma }, values })
    }

    /// Every signal's matching keys: its name, and its aliases, by [`header_key`].
    fn alias_table(&self) -> HashMap<String, (String, String)> {
        let mut out = HashMap::new();
        for spec in self.known_signals() {
            out.entry(header_key(&spec.name)).or_insert_with(|| (spec.name.clone(), "matched by name".to_string()));
        }
        for spec in self.known_signals() {
            for alias in aliases_of(spec) {
                out.entry(header_key(alias))
                    .or_insert_with(|| (spec.name.clone(), format!("matched by alias {:?}", header_key(alias))));
            }
        }
        out
    }

    /// The signals the model's criteria and gates read.
    pub fn read_signals(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for name in self
            .criteria
            .iter()
            .map(|c| c.signal.name.as_str())
            .chain(self.gates.iter().map(|g| g.signal.name.as_str()))
        {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// Records that column `i` gives `what`; a second column for the same thing is an error naming both.
fn claim(
    used: &mut HashMap<String, usize>,
    what: &str,
    i: usize,
    header: &str,
    columns: &[ColumnRead],
) -> Result<(), ModelError> {
    if let Some(first) = used.insert(what.to_string(), i) {
        return Err(ModelError::new(
            K::Duplicate,
            format!("columns[{i}]"),
            printable(header, 80),
            format!(
                "one column for `{what}` (column {} `{}` already is)",
                first + 1,
                printable(&columns[first].header, 80)
            ),
            format!("two columns would give `{what}`"),
        ));
    }
    Ok(())
}

fn aliases_of(spec: &SignalSpec) -> impl Iterator<Item = &str> {
    crate::standard::StandardSignal::from_name(&spec.name)
        .map(crate::standard::StandardSignal::aliases)
        .unwrap_or(&[])
        .iter()
        .copied()
        .chain(spec.aliases.iter().map(String::as_str))
}

impl ColumnPlan {
    /// The column of the account id, if any.
    pub fn id_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.role == ColumnRole::Id)
    }

    /// The column of the observation date, if any.
    pub fn observed_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.role == ColumnRole::Observed)
    }

    /// The column of the account's name, if any.
    pub fn name_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.role == ColumnRole::Name)
    }

    /// The signal column `i` holds, if any.
    pub fn signal_of(&self, i: usize) -> Option<&str> {
        match self.columns.get(i).map(|c| &c.role) {
            Some(ColumnRole::Signal(s)) => Some(s),
            _ => None,
        }
    }

    /// A cell's value after the mapping's value map for `signal` (unchanged when none applies).
    ///
    /// ```
    /// use advocacy_core::{ColumnMapping, Model};
    /// let mapping = ColumnMapping::from_toml("[values.segment]\nCommercial = \"mid_market\"").unwrap();
    /// let plan = Model::default().read_columns(&["segment"], &mapping).unwrap();
    /// assert_eq!(plan.map_value("segment", " commercial "), "mid_market");
    /// assert_eq!(plan.map_value("segment", "smb"), "smb");
    /// ```
    pub fn map_value<'v>(&'v self, signal: &str, value: &'v str) -> &'v str {
        match self.values.get(signal) {
            Some(map) => map.iter().find(|(from, _)| same_category(from, value)).map_or(value, |(_, to)| to.as_str()),
            None => value,
        }
    }

    /// One loose value of `signal` as the plan reads it: text through the value map, and, where
    /// the plan's read options matter (a decimal comma for number and boolean signals), through
    /// [`SignalSpec::parse_cell`]; other values as they are.
    ///
    /// ```
    /// use advocacy_core::{standard_signal, ColumnMapping, Model, Value};
    /// let mapping = ColumnMapping::from_toml("decimal_comma = true\n[values.segment]\nCommercial = \"mid_market\"").unwrap();
    /// let plan = Model::default().read_columns(&["segment", "health_score"], &mapping).unwrap();
    /// let seg = standard_signal("segment").unwrap();
    /// assert_eq!(plan.read_value(seg, Value::Text("Commercial".into())), Value::Text("mid_market".into()));
    /// let health = standard_signal("health_score").unwrap();
    /// assert_eq!(plan.read_value(health, Value::Text("85,5".into())), Value::Number(85.5));
    /// ```
    pub fn read_value(&self, signal: &SignalSpec, value: Value) -> Value {
        match value {
            Value::Text(t) => {
                let mapped = self.map_value(&signal.name, &t);
                if self.parses(signal) {
                    signal.parse_cell(mapped, &self.options)
                } else if mapped != t {
                    Value::Text(mapped.to_string())
                } else {
                    Value::Text(t)
                }
            }
            other => other,
        }
    }

    /// A column of `signal` as the plan reads it: text and dictionary values through the value
    /// map, loose values through [`ColumnPlan::read_value`]. Text cells are parsed with the read
    /// options by the batch itself (give it them with `Columns::set_read_options`); a column the
    /// plan does not change comes back as it is.
    pub fn read_column<'a>(&self, signal: &SignalSpec, column: Column<'a>) -> Column<'a> {
        let mapped = self.values.contains_key(&signal.name);
        if !mapped && !self.parses(signal) {
            return column;
        }
        let map = |t: &str| Cow::Owned(self.map_value(&signal.name, t).to_string());
        match column {
            Column::Text(cells) if mapped => Column::Text(cells.into_iter().map(|c| c.map(|t| map(&t))).collect()),
            Column::Dictionary { keys, validity, values } if mapped => {
                Column::Dictionary { keys, validity, values: values.iter().map(|v| map(v)).collect() }
            }
            Column::Values(values) => {
                Column::Values(Cow::Owned(values.iter().map(|v| self.read_value(signal, v.clone())).collect()))
            }
            other => other,
        }
    }

    /// Whether the read options change how text of `signal` reads.
    fn parses(&self, signal: &SignalSpec) -> bool {
        self.options.decimal_comma && (signal.kind.is_numeric() || signal.kind == SignalKind::Bool)
    }

    /// Fails when no column holds a signal the model reads: such a table would score every
    /// account 0. The error lists the headers and the names the model expects.
    ///
    /// ```
    /// use advocacy_core::{ColumnMapping, Model};
    /// let m = Model::default();
    /// let plan = m.read_columns(&["Kunde", "Zufriedenheit"], &ColumnMapping::default()).unwrap();
    /// let err = plan.check_reads_something(&m).unwrap_err();
    /// assert!(err.to_string().contains("no column holds a signal the model reads"));
    /// ```
    pub fn check_reads_something(&self, model: &Model) -> Result<(), ModelError> {
        let read = model.read_signals();
        if self.columns.iter().any(|c| matches!(&c.role, ColumnRole::Signal(s) if read.contains(&s.as_str()))) {
            return Ok(());
        }
        let headers: Vec<String> = self.columns.iter().map(|c| printable(&c.header, 40)).collect();
        Err(ModelError::new(
            K::InvalidValue,
            "columns",
            headers.join(", "),
            format!("at least one column named for a signal the model reads: {} (or a mapping)", read.join(", ")),
            "no column holds a signal the model reads",
        ))
    }
}
