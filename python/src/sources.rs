//! `Model.score_sources`: several tables of the same accounts (a CRM export, a survey, support
//! tickets, as DataFrames, Arrow tables, lists of dicts or headers and rows) joined by account id
//! and scored by the core (`Model::score_tables`).
//!
//! The binding only turns each table into the core's `SourceTable` (headers and rows of loose
//! core values: Arrow columns through the same import as `score_frame`, read cell by cell with
//! `Column::value`; Python values through `convert::py_to_value`, as `Model.score` reads a
//! record). How columns are read, joined, dated, judged fresh and scored is the core's.

use advocacy_core::{
    ColumnMapping, ConflictRule, Date, Error, ErrorEnvelope, Model, ModelError, OnError, RecordError, SourceError,
    SourceTable, Value,
};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::convert::{self, mapping_items, not_utf8_error, py_str, NotUtf8};
use crate::{args, errors};

/// What `sources` may be.
const SOURCES_ALLOWED: &str =
    "a list of dicts {\"name\", \"data\", \"columns\", \"date\"}, or a dict of source names to tables";

/// What a source's `data` may be.
const DATA_ALLOWED: &str = "a pandas DataFrame, a polars DataFrame or LazyFrame, a pyarrow Table or RecordBatch, an object with __arrow_c_stream__ / __arrow_c_array__, a list of dicts, or a dict {\"headers\": [...], \"rows\": [[...], ...]}";

/// The keys of a source dict.
const SOURCE_KEYS: &str = "the keys \"name\", \"data\" and optionally \"columns\", \"date\"";

/// A table's cells before they become a `SourceTable`: cells that are bytes but not UTF-8 are
/// missing in `rows` and listed in `bad` (row, column, bytes as shown).
pub struct Cells {
    headers: Vec<String>,
    rows: Vec<Vec<Value>>,
    bad: Vec<(usize, usize, NotUtf8)>,
}

/// One source, its arguments read.
struct Given {
    name: String,
    data: Cells,
    /// The mapping, or the core's error reading it (the source's error, raised with its name).
    mapping: Result<ColumnMapping, ModelError>,
    /// The date, or the core's error reading its text.
    date: Result<Option<Date>, advocacy_core::DateError>,
}

fn parse_conflicts(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<ConflictRule> {
    let allowed = "\"latest\", \"source_order\"";
    let Some(v) = v.filter(|v| !v.is_none()) else { return Ok(ConflictRule::Latest) };
    let text = args::text("conflicts", v).map_err(|_| args::type_error("conflicts", v, allowed))?;
    match text.as_str() {
        "latest" => Ok(ConflictRule::Latest),
        "source_order" => Ok(ConflictRule::SourceOrder),
        other => Err(errors::usage(py, "invalid_argument", "conflicts", &format!("{other:?}"), allowed)),
    }
}

/// A key as Python shows it in a subscript (`["crm"]`).
fn key(k: &str) -> String {
    format!("[{:?}]", advocacy_core::printable(k, 80))
}

/// Reads `sources` into its sources (name, data, mapping, date), each checked for type.
fn read_sources(py: Python<'_>, sources: &Bound<'_, PyAny>) -> PyResult<Vec<Given>> {
    let mut out = Vec::new();
    if sources.is_instance_of::<PyList>() || sources.is_instance_of::<PyTuple>() {
        for (i, item) in sources.try_iter()?.enumerate() {
            let item = item?;
            let at = format!("sources[{i}]");
            let Some(items) = mapping_items(&item)? else {
                return Err(args::type_error(&at, &item, "a dict {\"name\", \"data\", \"columns\", \"date\"}"));
            };
            let (mut name, mut data, mut columns, mut date) = (None, None, None, None);
            for (k, v) in items {
                let Ok(k) = k.cast::<PyString>().map(py_str) else {
                    return Err(args::type_error(&format!("{at} key"), &k, SOURCE_KEYS));
                };
                match k.as_str() {
                    "name" => name = Some(v),
                    "data" => data = Some(v),
                    "columns" => columns = Some(v),
                    "date" => date = Some(v),
                    other => {
                        let shown = format!("{:?}", advocacy_core::printable(other, 80));
                        return Err(errors::usage(py, "invalid_argument", &at, &shown, SOURCE_KEYS));
                    }
                }
            }
            let (Some(name), Some(data)) = (&name, &data) else {
                let lacking = if name.is_none() { "name" } else { "data" };
                let shown = format!("a dict without {lacking:?}");
                return Err(errors::usage(py, "invalid_argument", &at, &shown, SOURCE_KEYS));
            };
            let name = args::text(&format!("{at}[\"name\"]"), name)?;
            let data_at = format!("{at}[\"data\"]");
            out.push(read_source(py, &at, &data_at, name, data, columns.as_ref(), date.as_ref())?);
        }
        return Ok(out);
    }
    let Some(items) = mapping_items(sources)? else {
        return Err(args::type_error("sources", sources, SOURCES_ALLOWED));
    };
    for (k, data) in items {
        let Ok(name) = k.cast::<PyString>().map(py_str) else {
            return Err(args::type_error("sources key", &k, "a source name (str)"));
        };
        let at = format!("sources{}", key(&name));
        out.push(read_source(py, &at, &at, name, &data, None, None)?);
    }
    Ok(out)
}

/// One source's data, mapping and date (`at` names the source's dict, `data_at` its data).
fn read_source(
    py: Python<'_>,
    at: &str,
    data_at: &str,
    name: String,
    data: &Bound<'_, PyAny>,
    columns: Option<&Bound<'_, PyAny>>,
    date: Option<&Bound<'_, PyAny>>,
) -> PyResult<Given> {
    let mapping = crate::read_mapping(py, &format!("{at}[\"columns\"]"), columns)?;
    let date = match convert::py_date_text(&format!("{at}[\"date\"]"), date)? {
        None => Ok(None),
        Some(text) => text.parse::<Date>().map(Some),
    };
    let data = read_data(data_at, data)?;
    Ok(Given { name, data, mapping, date })
}

/// A source's data: a table (through `score_frame`'s import), a list of dicts, or a dict of
/// headers and rows.
fn read_data(at: &str, data: &Bound<'_, PyAny>) -> PyResult<Cells> {
    if let Some(prepared) = crate::prepare_table(data, false)? {
        let (_, input, _) = crate::read_table(prepared, data, at)?;
        let py = data.py();
        let (headers, rows, bad) = py.detach(|| input.cells()).map_err(|e| crate::fail(py, e))?;
        return Ok(Cells { headers, rows, bad });
    }
    if data.is_instance_of::<PyList>() || data.is_instance_of::<PyTuple>() {
        return rows_of(at, None, data);
    }
    if let Some(items) = mapping_items(data)? {
        let (mut headers, mut rows) = (None, None);
        for (k, v) in items {
            match k.cast::<PyString>().map(py_str).as_deref() {
                Ok("headers") => headers = Some(v),
                Ok("rows") => rows = Some(v),
                _ => return Err(args::type_error(at, data, DATA_ALLOWED)),
            }
        }
        let Some(rows) = rows.filter(|r| r.is_instance_of::<PyList>() || r.is_instance_of::<PyTuple>()) else {
            return Err(args::type_error(at, data, DATA_ALLOWED));
        };
        let headers = match headers.filter(|h| !h.is_none()) {
            None => None,
            Some(h) => Some(args::text_list(&format!("{at}[\"headers\"]"), &h, "a list of column names")?),
        };
        return rows_of(&format!("{at}[\"rows\"]"), headers, &rows);
    }
    Err(args::type_error(at, data, DATA_ALLOWED))
}

/// Rows of Python values: dicts of column names to values (keys that are not text are ignored,
/// as in a record), or, with `headers`, lists of values in header order. Without `headers`, the
/// headers are the keys of all the dicts in the order they first appear (as the core's
/// `SourceTable::from_json_rows` takes them).
fn rows_of(at: &str, headers: Option<Vec<String>>, rows: &Bound<'_, PyAny>) -> PyResult<Cells> {
    let with_headers = headers.is_some();
    let mut headers = headers.unwrap_or_default();
    let mut index: std::collections::HashMap<String, usize> =
        headers.iter().enumerate().map(|(i, h)| (h.clone(), i)).rev().collect();
    let allowed = if with_headers {
        "a dict of column names to values, or a list of values in header order"
    } else {
        "a dict of column names to values"
    };
    let mut keyed: Vec<Vec<(usize, Value)>> = Vec::new();
    let mut bad = Vec::new();
    for (i, row) in rows.try_iter()?.enumerate() {
        let row = row?;
        let mut cells = Vec::new();
        let mut cell = |c: usize, v: &Bound<'_, PyAny>, cells: &mut Vec<(usize, Value)>| match convert::py_to_value(v) {
            Ok(value) => cells.push((c, value)),
            Err(shown) => bad.push((i, c, shown)),
        };
        if let Some(items) = mapping_items(&row)? {
            for (k, v) in items {
                let Ok(k) = k.cast::<PyString>().map(py_str) else { continue };
                let c = match index.get(&k) {
                    Some(c) => *c,
                    None if with_headers => continue,
                    None => {
                        headers.push(k.clone());
                        index.insert(k, headers.len() - 1);
                        headers.len() - 1
                    }
                };
                cell(c, &v, &mut cells);
            }
        } else if with_headers && (row.is_instance_of::<PyList>() || row.is_instance_of::<PyTuple>()) {
            for (c, v) in row.try_iter()?.enumerate() {
                cell(c, &v?, &mut cells);
            }
        } else {
            return Err(args::type_error(&format!("{at}[{i}]"), &row, allowed));
        }
        keyed.push(cells);
    }
    let out = keyed
        .into_iter()
        .map(|cells| {
            let width = cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0).max(headers.len());
            let mut row = vec![Value::Null; width];
            for (c, v) in cells {
                row[c] = v;
            }
            row
        })
        .collect();
    Ok(Cells { headers, rows: out, bad })
}

/// The first cell of bytes that are not UTF-8 in a column the source's plan reads, as the
/// source's error (like an observation date that is not a date: the table cannot be read).
fn check_bytes(model: &Model, name: &str, cells: &Cells, mapping: &ColumnMapping) -> Result<(), Box<SourceError>> {
    if cells.bad.is_empty() {
        return Ok(());
    }
    let Ok(plan) = model.read_columns(&cells.headers, mapping) else { return Ok(()) };
    let mut bad: Vec<&(usize, usize, NotUtf8)> = cells.bad.iter().collect();
    bad.sort_by_key(|(r, c, _)| (*r, *c));
    for (row, col, shown) in bad {
        let Some(read) = plan.columns.get(*col) else { continue };
        let signal = match &read.role {
            advocacy_core::ColumnRole::Signal(s) => s.clone(),
            advocacy_core::ColumnRole::Id => "id".into(),
            advocacy_core::ColumnRole::Name => "name".into(),
            advocacy_core::ColumnRole::Observed => "observed".into(),
            advocacy_core::ColumnRole::Ignored => continue,
        };
        let id = plan.id_column().and_then(|c| cells.rows.get(*row).and_then(|r| r.get(c)).and_then(Value::to_id));
        let e: RecordError = not_utf8_error(Some(*row), id.as_deref(), &signal, shown, Some(&read.header));
        return Err(Box::new(SourceError { source_name: name.to_string(), error: Error::Record(e) }));
    }
    Ok(())
}

/// A source's error as its envelope (path `sources.<name>[.<path>]`).
fn envelope(e: &SourceError) -> Box<ErrorEnvelope> {
    let mut env = ErrorEnvelope::from(e);
    if let Error::Date(_) = e.error {
        // The source's `date`.
        env.path = Some(format!("sources.{}.date", e.source_name));
    }
    Box::new(env)
}

/// Joins and scores the sources (call it without the GIL).
fn run(
    model: &Model,
    given: Vec<Given>,
    rule: ConflictRule,
    as_of: Option<Date>,
    on_error: OnError,
) -> Result<advocacy_core::SourceScores, Box<ErrorEnvelope>> {
    let mut tables = Vec::with_capacity(given.len());
    for g in given {
        let source_error = |error: Error| envelope(&SourceError { source_name: g.name.clone(), error });
        let mapping = g.mapping.map_err(|mut e| {
            // In the terms of the arguments: the source's `columns`.
            e.path = if e.path.is_empty() { "columns".into() } else { format!("columns.{}", e.path) };
            source_error(Error::Model(e))
        })?;
        let date = g.date.map_err(|e| source_error(Error::Date(e)))?;
        let cells = g.data;
        check_bytes(model, &g.name, &cells, &mapping).map_err(|e| envelope(&e))?;
        tables.push(SourceTable { name: g.name, headers: cells.headers, rows: cells.rows, mapping, date });
    }
    model.score_tables(&tables, rule, as_of, on_error).map_err(|e| Box::new(ErrorEnvelope::from(&e)))
}

/// `Model.score_sources`.
pub fn score_sources<'py>(
    py: Python<'py>,
    model: &Model,
    sources: &Bound<'py, PyAny>,
    conflicts: Option<&Bound<'py, PyAny>>,
    as_of: Option<&Bound<'py, PyAny>>,
    on_error: OnError,
) -> PyResult<Bound<'py, PyAny>> {
    let rule = parse_conflicts(py, conflicts)?;
    let as_of = convert::py_to_date("as_of", as_of)?;
    let given = read_sources(py, sources)?;
    let out = py.detach(|| run(model, given, rule, as_of, on_error)).map_err(|e| errors::raise(py, &e))?;
    crate::to_py(py, &out)
}
