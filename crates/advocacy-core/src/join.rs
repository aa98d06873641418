//! Several teams' tables of one set of accounts, read and joined: each table (a CSV file, a
//! DataFrame, an array of objects) is read through its own column plan, each row's values get
//! the table's name and the row's observation date (its date column, or one date for the whole
//! table), and [`crate::join_sources`] joins them by account id. Every surface (the CLI's
//! `--source`, Python's `score_sources`, JavaScript's `scoreSources`) goes through here, so a
//! source is read the same way everywhere.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::batch::OnError;
use crate::date::Date;
use crate::error::{Error, ModelError, ModelErrorKind, RecordError, RecordErrorKind};
use crate::mapping::{ColumnMapping, ColumnPlan, ColumnRole};
use crate::model::{Model, Warning};
use crate::ops::ErrorEnvelope;
use crate::record::Record;
use crate::score::Score;
use crate::signal::Value;
use crate::sources::{join_sources, ConflictRule, Source};
use crate::text::printable;

/// One source's table, as loose cells: its name, its headers, its rows (one value per header;
/// text cells as [`Value::Text`]), how its columns are read, and the date of the whole table
/// when it has no date column.
#[derive(Clone, Debug, Default)]
pub struct SourceTable {
    /// The source's name (`crm`, `survey`, `support`).
    pub name: String,
    /// The headers (column names, or the keys of an array of objects).
    pub headers: Vec<String>,
    /// The rows, each with one value per header (missing trailing values are missing).
    pub rows: Vec<Vec<Value>>,
    /// How the columns are read (the automatic matching when default).
    pub mapping: ColumnMapping,
    /// When the table's values were observed, for rows without a date of their own.
    pub date: Option<Date>,
}

/// Accounts joined from several sources.
#[derive(Clone, Debug, Default)]
pub struct Joined {
    /// One record per account, in the order ids first appear; each value with its provenance.
    pub records: Vec<Record>,
    /// Each account's name, from the first source that has one.
    pub names: Vec<Option<String>>,
    /// Each source's column plan, in the order given.
    pub plans: Vec<ColumnPlan>,
    /// Columns read as nothing, by source name.
    pub warnings: Vec<(String, Warning)>,
}

/// A source that could not be read: the source's name and what was wrong (a row's error has the
/// 0-based row of that source's table).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("source `{}`: {error}", printable(.source_name, 80))]
pub struct SourceError {
    /// The source's name.
    pub source_name: String,
    /// What was wrong.
    pub error: Error,
}

impl From<&SourceError> for ErrorEnvelope {
    fn from(e: &SourceError) -> Self {
        let mut env = ErrorEnvelope::from(&e.error);
        env.path = Some(match env.path {
            Some(p) if !p.is_empty() => format!("sources.{}.{p}", e.source_name),
            _ => format!("sources.{}", e.source_name),
        });
        env.message = e.to_string();
        env
    }
}

/// One row of a table, read by its plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowRead {
    /// The account and its values.
    pub record: Record,
    /// The name cell, if any.
    pub name: Option<String>,
    /// The observation date cell, if any.
    pub observed: Option<Date>,
}

impl RowRead {
    /// The row's record, every value marked as seen in `source` on the row's observation date
    /// (when it has one), so that scoring as of a date can tell stale values.
    ///
    /// ```
    /// use advocacy_core::{Model, Record, RowRead};
    /// let row = RowRead { record: Record::new().id("a").with("nps", 10), observed: "2025-01-01".parse().ok(), ..Default::default() };
    /// let model = Model::default().with_max_ages([("nps".to_string(), 180)].into()).unwrap();
    /// let s = model.score_as_of(&row.into_record("survey"), "2026-11-30".parse().unwrap()).unwrap();
    /// assert_eq!(s.total, 0.0);
    /// ```
    pub fn into_record(self, source: &str) -> Record {
        let mut record = self.record;
        if let Some(date) = self.observed {
            for signal in record.values.keys() {
                let seen = crate::record::Observation { source: source.to_string(), observed: Some(date) };
                record
                    .provenance
                    .insert(signal.clone(), crate::record::Provenance { seen: Some(seen), overruled: Vec::new() });
            }
        }
        record
    }
}

impl ColumnPlan {
    /// Reads one row of loose values (one per header, as a DataFrame row or a JSON object holds
    /// them) into a record: text cells through the value maps and [`crate::SignalSpec::parse_cell`]
    /// with the plan's read options, other values as they are (they are checked when scored).
    /// Missing values are left out. An observation date that is not a date is an error of the
    /// row, naming the column.
    ///
    /// ```
    /// use advocacy_core::{ColumnMapping, Model, Value};
    /// let model = Model::default();
    /// let plan = model.read_columns(&["Account ID", "NPS", "observed"], &ColumnMapping::default()).unwrap();
    /// let row = plan.read_row(&model, 0, &[Value::Text("a".into()), Value::Text("9".into()), Value::Text("2026-11-02".into())]).unwrap();
    /// assert_eq!(row.record.get("nps"), Some(&Value::Number(9.0)));
    /// assert_eq!(row.observed.unwrap().to_string(), "2026-11-02");
    /// let err = plan.read_row(&model, 4, &[Value::Text("a".into()), Value::Null, Value::Text("last week".into())]).unwrap_err();
    /// assert_eq!((err.row, err.signal.as_str(), err.value.as_str()), (Some(4), "observed", "\"last week\""));
    /// ```
    pub fn read_row(&self, model: &Model, row: usize, cells: &[Value]) -> Result<RowRead, RecordError> {
        let mut out = RowRead::default();
        for (read, cell) in self.columns.iter().zip(cells) {
            if let ColumnRole::Id = read.role {
                // The id as every reader takes it (`Value::to_id`: `NA` is an id like any other).
                out.record.id = cell.to_id();
                continue;
            }
            if cell.is_missing() || matches!(cell, Value::Text(t) if crate::signal::is_missing_text(t.trim())) {
                continue;
            }
            match &read.role {
                ColumnRole::Id => {}
                ColumnRole::Name => out.name = name_of(cell),
                ColumnRole::Observed => out.observed = Some(observed_of(cell, row, &out.record)?),
                ColumnRole::Signal(s) => {
                    let value = match (cell, model.signal(s)) {
                        (Value::Text(t), Some(spec)) => spec.parse_cell(self.map_value(s, t), &self.options),
                        _ => cell.clone(),
                    };
                    if !value.is_missing() {
                        out.record.values.insert(s.clone(), value);
                    }
                }
                ColumnRole::Ignored => {}
            }
        }
        Ok(out)
    }
}

fn name_of(cell: &Value) -> Option<String> {
    match cell {
        Value::Text(t) => Some(t.trim()).filter(|t| !t.is_empty()).map(str::to_string),
        other => other.to_id(),
    }
}

fn observed_of(cell: &Value, row: usize, record: &Record) -> Result<Date, RecordError> {
    let bad = || {
        RecordError::new(
            RecordErrorKind::WrongType,
            Some(row),
            record.id.as_deref(),
            "observed",
            cell.to_string(),
            crate::date::OBSERVED_ALLOWED,
        )
    };
    match cell {
        Value::Text(t) => t.trim().parse::<Date>().map_err(|_| bad()),
        // A number is no date: only a binding's date column (Arrow's date32, handed to the batch
        // as an integer column of day numbers) carries dates as numbers.
        _ => Err(bad()),
    }
}

impl Model {
    /// Reads every table through its own column plan and joins them by account id (see
    /// [`crate::join_sources`]; `rule` settles conflicts). A table may hold signals this model
    /// does not score, but one that holds no signal at all, or a row without an id, or an
    /// observation date that is not a date, is an error naming the source (and the row); so is
    /// a set of tables none of which holds a signal the model reads.
    ///
    /// ```
    /// use advocacy_core::{ConflictRule, Model, SourceTable, Value};
    /// let t = |s: &str| Value::Text(s.into());
    /// let crm = SourceTable {
    ///     name: "crm".into(),
    ///     headers: vec!["Account ID".into(), "NPS".into(), "CSM Rapport".into()],
    ///     rows: vec![vec![t("a"), t("6"), t("5")]],
    ///     date: "2025-09-01".parse().ok(),
    ///     ..Default::default()
    /// };
    /// let survey = SourceTable {
    ///     name: "survey".into(),
    ///     headers: vec!["account_id".into(), "nps".into(), "observed".into()],
    ///     rows: vec![vec![t("a"), Value::Number(10.0), t("2026-11-02")]],
    ///     ..Default::default()
    /// };
    /// let model = Model::default();
    /// let joined = model.join_tables(&[crm, survey], ConflictRule::Latest).unwrap();
    /// let score = model.score(&joined.records[0]).unwrap();
    /// let nps = score.criteria.iter().find(|c| c.signal == "nps").unwrap();
    /// let seen = nps.provenance.as_ref().unwrap().seen.as_ref().unwrap();
    /// assert_eq!((seen.source.as_str(), seen.observed.unwrap().to_string().as_str()), ("survey", "2026-11-02"));
    /// ```
    pub fn join_tables(&self, tables: &[SourceTable], rule: ConflictRule) -> Result<Joined, SourceError> {
        let mut out = Joined::default();
        let mut sources = Vec::with_capacity(tables.len());
        let mut names: HashMap<String, String> = HashMap::new();
        for (k, table) in tables.iter().enumerate() {
            let fail = |error: Error| SourceError { source_name: table.name.clone(), error };
            if tables[..k].iter().any(|t| t.name == table.name) || table.name.trim().is_empty() {
                return Err(fail(Error::Model(ModelError::new(
                    ModelErrorKind::Duplicate,
                    "name",
                    format!("{:?}", printable(&table.name, 80)),
                    "a non-empty name no other source has",
                    "two sources have this name",
                ))));
            }
            let plan = self.read_columns(&table.headers, &table.mapping).map_err(|e| fail(e.into()))?;
            if !(0..plan.columns.len()).any(|i| plan.signal_of(i).is_some()) {
                let headers: Vec<String> = plan.columns.iter().map(|c| printable(&c.header, 40)).collect();
                return Err(fail(Error::Model(ModelError::new(
                    ModelErrorKind::InvalidValue,
                    "columns",
                    headers.join(", "),
                    "columns named for signals, or a mapping",
                    "no column holds a signal",
                ))));
            }
            let mut records = Vec::with_capacity(table.rows.len());
            for (i, cells) in table.rows.iter().enumerate() {
                let row = plan.read_row(self, i, cells).map_err(|e| fail(e.into()))?;
                let Some(id) = row.record.id.clone() else {
                    return Err(fail(Error::Record(RecordError::new(
                        RecordErrorKind::MissingId,
                        Some(i),
                        None,
                        plan.id_column().map_or("id", |c| plan.columns[c].header.as_str()),
                        "\"\"",
                        "a non-empty account id",
                    ))));
                };
                if let Some(name) = row.name {
                    names.entry(id).or_insert(name);
                }
                records.push((row.record, row.observed.or(table.date)));
            }
            out.warnings.extend(plan.warnings.iter().map(|w| (table.name.clone(), w.clone())));
            out.plans.push(plan);
            sources.push(Source { name: table.name.clone(), records });
        }
        if let Some(first) = out.plans.first() {
            if out.plans.iter().all(|p| p.check_reads_something(self).is_err()) {
                let err = first.check_reads_something(self).err().map(Error::Model);
                if let Some(error) = err {
                    return Err(SourceError { source_name: tables[0].name.clone(), error });
                }
            }
        }
        out.records = join_sources(&sources, rule);
        out.names = out.records.iter().map(|r| r.id.as_ref().and_then(|id| names.get(id).cloned())).collect();
        Ok(out)
    }
}

impl SourceTable {
    /// A table from JSON rows: each row an array of values in header order, or an object of
    /// column names to values. Without `headers`, the headers are the keys of all the objects,
    /// in the order they first appear. A row that is neither is an error of that row.
    ///
    /// ```
    /// use advocacy_core::{SourceTable, Value};
    /// let rows = vec![serde_json::json!({"id": "a", "nps": 9}), serde_json::json!({"id": "b", "csm_rapport": 4})];
    /// let t = SourceTable::from_json_rows("crm", None, &rows).unwrap();
    /// assert_eq!(t.headers, ["id", "nps", "csm_rapport"]);
    /// assert_eq!(t.rows[1], [Value::Text("b".into()), Value::Null, Value::Number(4.0)]);
    /// ```
    pub fn from_json_rows(
        name: &str,
        headers: Option<Vec<String>>,
        rows: &[serde_json::Value],
    ) -> Result<SourceTable, SourceError> {
        let headers = headers.unwrap_or_else(|| {
            let mut keys: Vec<String> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for o in rows.iter().filter_map(serde_json::Value::as_object) {
                for k in o.keys() {
                    if seen.insert(k.as_str()) {
                        keys.push(k.clone());
                    }
                }
            }
            keys
        });
        let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let cells = match row {
                serde_json::Value::Array(cells) => cells.iter().map(Value::from_json).collect(),
                serde_json::Value::Object(o) => {
                    let mut cells = vec![Value::Null; headers.len()];
                    for (k, v) in o {
                        if let Some(&c) = index.get(k.as_str()) {
                            cells[c] = Value::from_json(v);
                        }
                    }
                    cells
                }
                other => {
                    return Err(SourceError {
                        source_name: name.to_string(),
                        error: Error::Record(RecordError::new(
                            RecordErrorKind::NotARecord,
                            Some(i),
                            None,
                            "",
                            Value::from_json(other).to_string(),
                            "an object of column names to values, or an array of values in header order",
                        )),
                    })
                }
            };
            out.push(cells);
        }
        Ok(SourceTable { name: name.to_string(), headers, rows: out, ..Default::default() })
    }
}

/// One source in [`SourcesInput`], the JSON form every binding hands to the core.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    /// The source's name.
    pub name: String,
    /// The headers; without them, the keys of the row objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<String>>,
    /// The rows: objects of column names to values, or arrays of values in header order.
    pub rows: Vec<serde_json::Value>,
    /// How the columns are read (default: matched by name and alias).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnMapping>,
    /// When the source's values were observed, for rows without a date of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

/// Several sources to join and score: the input of [`Model::score_sources`] in JSON form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourcesInput {
    /// The sources; on the same date, the one listed first wins a conflict.
    pub sources: Vec<SourceInput>,
    /// How conflicts are settled (default: the latest observation wins).
    #[serde(default)]
    pub conflicts: ConflictRule,
    /// The as-of date: values older than the model's maximum age count as missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// What to do with an account that has a bad value (default: fail).
    #[serde(default)]
    pub on_error: OnError,
}

/// One joined account's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceAccount {
    /// The account id.
    pub id: String,
    /// Its name, from the first source that has one.
    pub name: Option<String>,
    /// Its explained score, each criterion with the source and date of its value (none when
    /// the account was flagged).
    pub score: Option<Score>,
    /// Why it could not be scored (flagged accounts only).
    pub error: Option<ErrorEnvelope>,
}

/// A column of a source that is read as nothing, or a mapping entry that names no column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceWarning {
    /// The source's name.
    pub source: String,
    /// A stable code.
    pub code: String,
    /// What it means.
    pub message: String,
}

/// Accounts joined from several sources and scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceScores {
    /// One entry per account, in the order ids first appear.
    pub accounts: Vec<SourceAccount>,
    /// Columns read as nothing, by source.
    pub warnings: Vec<SourceWarning>,
}

/// Why [`Model::score_sources`] failed: a source could not be read, or (under
/// [`OnError::Fail`]) an account has a bad value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SourcesError {
    /// A source could not be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// An account has a bad value (its `row` is the account's position in the join).
    #[error(transparent)]
    Record(#[from] RecordError),
}

impl From<&SourcesError> for ErrorEnvelope {
    fn from(e: &SourcesError) -> Self {
        match e {
            SourcesError::Source(e) => e.into(),
            SourcesError::Record(e) => e.into(),
        }
    }
}

impl Model {
    /// Joins the sources (see [`Model::join_tables`]) and scores every account, as of
    /// `input.as_of` when given: each criterion shows the source and date of its value, what it
    /// overruled, and whether it was too old to count.
    ///
    /// ```
    /// use advocacy_core::{Model, SourcesInput};
    /// let input: SourcesInput = serde_json::from_value(serde_json::json!({
    ///     "sources": [
    ///         {"name": "crm", "date": "2025-09-01", "rows": [{"Account ID": "a", "NPS": 10, "Health Score": 85}]},
    ///         {"name": "survey", "rows": [{"account_id": "a", "nps": 3, "observed": "2026-11-02"}]}
    ///     ],
    ///     "as_of": "2026-11-30"
    /// })).unwrap();
    /// let out = Model::default().score_sources(&input).unwrap();
    /// let score = out.accounts[0].score.as_ref().unwrap();
    /// let nps = score.criteria.iter().find(|c| c.signal == "nps").unwrap();
    /// assert_eq!(nps.value, advocacy_core::Value::Number(3.0)); // the latest answer wins
    /// ```
    pub fn score_sources(&self, input: &SourcesInput) -> Result<SourceScores, SourcesError> {
        let mut tables = Vec::with_capacity(input.sources.len());
        for s in &input.sources {
            let mut t = SourceTable::from_json_rows(&s.name, s.headers.clone(), &s.rows)?;
            t.mapping = s.columns.clone().unwrap_or_default();
            t.date = s.date;
            tables.push(t);
        }
        self.score_tables(&tables, input.conflicts, input.as_of, input.on_error)
    }

    /// [`Model::score_sources`] for tables already read into cells.
    pub fn score_tables(
        &self,
        tables: &[SourceTable],
        rule: ConflictRule,
        as_of: Option<Date>,
        on_error: OnError,
    ) -> Result<SourceScores, SourcesError> {
        let joined = self.join_tables(tables, rule)?;
        let scores = self.score_records(&joined.records, as_of);
        let mut accounts = Vec::with_capacity(scores.len());
        for ((record, name), score) in joined.records.into_iter().zip(joined.names).zip(scores) {
            let id = record.id.unwrap_or_default();
            let (score, error) = match score {
                Ok(s) => (Some(s), None),
                Err(e) if on_error == OnError::Flag => (None, Some(ErrorEnvelope::from(&e))),
                Err(e) => return Err(e.into()),
            };
            accounts.push(SourceAccount { id, name, score, error });
        }
        let warnings = joined
            .warnings
            .into_iter()
            .map(|(source, w)| SourceWarning { source, code: w.code, message: w.message })
            .collect();
        Ok(SourceScores { accounts, warnings })
    }
}
