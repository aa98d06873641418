//! Reading accounts from CSV, JSON Lines and JSON array files (or stdin).
//!
//! One policy for ambiguous input, the same as every other surface: a byte-order mark is skipped
//! in every format; two columns with the same header, or two keys in one JSON object, are an
//! error; a file without accounts says so; and a structurally broken row (a CSV row with the
//! wrong number of cells, a JSON line that does not parse) is an error naming its line, or, with
//! `--on-error flag`, a flagged row while the others are read.
//!
//! Headers (and JSON keys) are read by the core's column plan: matched to signals by name and
//! alias, or by a `--columns` mapping file; a table in which no column holds a signal the model
//! reads is an error, never a file of zeros; columns read as nothing are listed as warnings;
//! every row needs an id of its own when the table has an id column.

use std::io::Read;
use std::path::Path;

use advocacy_core::{
    id_errors, parse_json, printable, ColumnMapping, ColumnPlan, Date, Model, Record, SourceTable, Value,
};

use crate::keep::{self, Keep, Kept};

/// One account read from a file, with where it came from.
pub struct Row {
    /// 1-based line in the file (for JSON arrays: the element's index + 1).
    pub line: usize,
    /// The account.
    pub record: Record,
    /// The `name` column, if any (display only).
    pub name: Option<String>,
    /// Why the row could not be read at all (flagged rows only).
    pub broken: Option<String>,
    /// The text of each kept column (`--keep`), in the order of [`Table::kept`].
    pub kept: Vec<Option<String>>,
}

impl Row {
    fn broken(line: usize, why: String) -> Row {
        Row { line, record: Record::new(), name: None, broken: Some(why), kept: Vec::new() }
    }
}

/// The input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
    Json,
}

impl Format {
    /// The format from a file name's extension (stdin: sniffed from the first character).
    pub fn of(path: &str, text: &str) -> Format {
        let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" => Format::Csv,
            "jsonl" | "ndjson" => Format::JsonLines,
            "json" => Format::Json,
            _ => match text.trim_start().chars().next() {
                Some('[') => Format::Json,
                Some('{') => Format::JsonLines,
                _ => Format::Csv,
            },
        }
    }
}

/// Reads a whole file, or stdin for `-`, without a byte-order mark.
pub fn read_text(path: &str) -> Result<String, String> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?
    };
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The accounts of one file, and what the reader has to say about it.
pub struct Table {
    /// The rows, in file order.
    pub rows: Vec<Row>,
    /// How each column is read.
    pub plan: ColumnPlan,
    /// The kept columns (`--keep`; none through [`read_rows`]).
    pub kept: Kept,
}

impl Table {
    /// The warnings for stderr: columns read as nothing, mapping entries without a column.
    pub fn warnings(&self) -> Vec<String> {
        self.plan.warnings.iter().map(|w| w.message.clone()).collect()
    }
}

/// Reads the mapping file of `--columns` (.json or .toml).
pub fn read_mapping(path: &str) -> Result<ColumnMapping, String> {
    let text = read_text(path)?;
    let res = if path.to_ascii_lowercase().ends_with(".toml") {
        ColumnMapping::from_toml(&text)
    } else {
        ColumnMapping::from_json(&text)
    };
    res.map_err(|e| format!("{path}: {e}"))
}

/// The headers of a file (a CSV's first line; every key of a JSON file, in order of first
/// appearance), without reading it further than needed.
pub fn read_headers(path: &str) -> Result<Vec<String>, String> {
    let text = read_text(path)?;
    let shown = shown(path);
    match Format::of(path, &text) {
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter(path)).from_reader(text.as_bytes());
            let headers = rdr.headers().map_err(|e| format!("{shown}:1: {e}"))?;
            Ok(headers.iter().map(str::to_string).collect())
        }
        Format::JsonLines => {
            let items: Vec<serde_json::Value> =
                text.lines().filter_map(|l| parse_json(l).ok()).filter(|v| v.is_object()).collect();
            Ok(SourceTable::from_json_rows("", None, &items).map(|t| t.headers).unwrap_or_default())
        }
        Format::Json => {
            let v = parse_json(&text).map_err(|e| format!("{shown}: not valid JSON: {e}"))?;
            let items: Vec<serde_json::Value> =
                v.as_array().map(|a| a.iter().filter(|v| v.is_object()).cloned().collect()).unwrap_or_default();
            Ok(SourceTable::from_json_rows("", None, &items).map(|t| t.headers).unwrap_or_default())
        }
    }
}

fn shown(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}

fn delimiter(path: &str) -> u8 {
    if path.to_ascii_lowercase().ends_with(".tsv") {
        b'\t'
    } else {
        b','
    }
}

/// A file's cells: its headers (a CSV's first line; the keys of the JSON objects in order of first
/// appearance) and its rows as loose values, each with its 1-based line (JSON arrays: the
/// element's index + 1), or why the row could not be read at all.
struct Cells {
    headers: Vec<String>,
    rows: Vec<(usize, Result<Vec<Value>, String>)>,
}

/// Reads a file's cells; `flag` keeps structurally broken rows (ragged CSV rows, JSON lines that
/// do not parse) as errors of their rows instead of failing.
fn read_cells(path: &str, flag: bool) -> Result<Cells, String> {
    let text = read_text(path)?;
    let shown = shown(path);
    let cells = match Format::of(path, &text) {
        Format::Csv => csv_cells(&text, shown, delimiter(path), flag)?,
        Format::JsonLines => {
            let mut items = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match parse_json(line) {
                    Ok(v) => items.push((i + 1, Ok(v))),
                    Err(e) if flag => items.push((i + 1, Err(format!("{shown}:{}: not valid JSON: {e}", i + 1)))),
                    Err(e) => return Err(format!("{shown}:{}: not valid JSON: {e}", i + 1)),
                }
            }
            json_cells(items, shown, flag)?
        }
        Format::Json => {
            let v = parse_json(&text).map_err(|e| format!("{shown}: not valid JSON: {e}"))?;
            let serde_json::Value::Array(items) = v else {
                return Err(format!("{shown}: expected a JSON array of account objects"));
            };
            json_cells(items.into_iter().enumerate().map(|(i, v)| (i + 1, Ok(v))).collect(), shown, flag)?
        }
    };
    if cells.rows.is_empty() {
        return Err(format!("{shown}: no accounts in the file"));
    }
    Ok(cells)
}

fn csv_cells(text: &str, shown: &str, delimiter: u8, flag: bool) -> Result<Cells, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("{shown}:1: {e}"))?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
        return Err(format!("{shown}: no accounts in the file (it is empty)"));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let (line, row) = match rec {
            Err(e) => (e.position().map_or(0, |p| p.line() as usize), Err(format!("{e}"))),
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| p.line() as usize);
                if rec.len() != headers.len() {
                    let why =
                        format!("the row has {} cells; allowed: exactly {}, one per header", rec.len(), headers.len());
                    (line, Err(why))
                } else {
                    (line, Ok(rec.iter().map(|c| Value::Text(c.to_string())).collect()))
                }
            }
        };
        match row {
            Ok(cells) => rows.push((line, Ok(cells))),
            Err(why) if flag => rows.push((line, Err(format!("{shown}:{line}: {why}")))),
            Err(why) => return Err(format!("{shown}:{line}: {why}")),
        }
    }
    if rows.is_empty() {
        return Err(format!("{shown}: no accounts in the file (only a header line)"));
    }
    Ok(Cells { headers: headers.iter().map(str::to_string).collect(), rows })
}

/// JSON objects as cells, read by the core ([`SourceTable::from_json_rows`]: the headers are the
/// keys of all the objects, in order of first appearance).
fn json_cells(
    items: Vec<(usize, Result<serde_json::Value, String>)>,
    shown: &str,
    flag: bool,
) -> Result<Cells, String> {
    let mut rows = Vec::with_capacity(items.len());
    let (mut objects, mut slots) = (Vec::new(), Vec::new());
    for (line, item) in items {
        let why = match item {
            Ok(v) if v.is_object() => {
                slots.push(rows.len());
                objects.push(v);
                rows.push((line, Ok(Vec::new())));
                continue;
            }
            Ok(_) => {
                format!("{shown}:{line}: the row is not a JSON object; allowed: an object of column names to values")
            }
            Err(why) => why,
        };
        if !flag {
            return Err(why);
        }
        rows.push((line, Err(why)));
    }
    let table = SourceTable::from_json_rows("", None, &objects).map_err(|e| format!("{shown}: {e}"))?;
    for (slot, cells) in slots.into_iter().zip(table.rows) {
        rows[slot].1 = Ok(cells);
    }
    Ok(Cells { headers: table.headers, rows })
}

/// A row error of the core, as the CLI shows it: `file:line: ...` (the core's row number is
/// replaced by the file line).
fn at_line(shown: &str, line: usize, mut e: advocacy_core::RecordError) -> String {
    e.row = None;
    format!("{shown}:{line}: {e}")
}

/// Reads the accounts of `path` for `model`, its columns read by `mapping` on top of the
/// automatic matching. `flag` keeps broken rows as flagged rows instead of failing.
pub fn read_rows(path: &str, model: &Model, mapping: &ColumnMapping, flag: bool) -> Result<Table, String> {
    read_rows_keeping(path, model, mapping, flag, &Keep::Columns(Vec::new()), &[])
}

/// [`read_rows`], each row with the text of the columns `keep` names (none may be written as
/// one of `reserved`, the result's columns).
pub fn read_rows_keeping(
    path: &str,
    model: &Model,
    mapping: &ColumnMapping,
    flag: bool,
    keep: &Keep,
    reserved: &[String],
) -> Result<Table, String> {
    let shown = shown(path);
    let cells = read_cells(path, flag)?;
    let plan = model.read_columns(&cells.headers, mapping).map_err(|e| format!("{shown}: {e}"))?;
    plan.check_reads_something(model).map_err(|e| format!("{shown}: {e}"))?;
    let kept = Kept::resolve(keep, &[keep::Table { shown, headers: &cells.headers, plan: &plan }], reserved)?;
    let kept_cols = kept.columns_of(0);
    let mut rows = Vec::with_capacity(cells.rows.len());
    for (i, (line, row)) in cells.rows.into_iter().enumerate() {
        let read = row.and_then(|cells| {
            let kept: Vec<Option<String>> =
                kept_cols.iter().map(|c| c.and_then(|c| cells.get(c)).and_then(Value::to_id)).collect();
            plan.read_row(model, i, &cells).map(|r| (r, kept)).map_err(|e| at_line(shown, line, e))
        });
        match read {
            Ok((r, kept)) => {
                let name = r.name.clone();
                rows.push(Row { line, record: r.into_record(shown), name, broken: None, kept })
            }
            Err(why) if flag => rows.push(Row::broken(line, why)),
            Err(why) => return Err(why),
        }
    }
    if plan.id_column().is_some() {
        check_ids(&mut rows, shown, flag)?;
    }
    Ok(Table { rows, plan, kept })
}

/// Marks rows whose id is empty or repeated (tables with an id column only; the core's rule):
/// an error naming both lines, or, with `flag`, a broken row.
fn check_ids(rows: &mut [Row], shown: &str, flag: bool) -> Result<(), String> {
    let whole: Vec<usize> = (0..rows.len()).filter(|i| rows[*i].broken.is_none()).collect();
    let errors = id_errors(whole.iter().map(|&i| rows[i].record.id.as_deref()));
    for e in errors {
        let Some(&row) = e.row.and_then(|r| whole.get(r)) else { continue };
        let line = rows[row].line;
        let why = match e.id.as_deref() {
            Some(id) => {
                let first =
                    whole.iter().map(|&i| &rows[i]).find(|r| r.record.id.as_deref() == Some(id)).map_or(0, |r| r.line);
                format!(
                    "{shown}:{line}: account id {:?} is also the id on line {first}; allowed: an id no other row has",
                    printable(id, 80)
                )
            }
            None => format!("{shown}:{line}: the account id is empty; allowed: a non-empty account id"),
        };
        if !flag {
            return Err(why);
        }
        rows[row].broken = Some(why);
    }
    Ok(())
}

/// One `--source NAME=FILE[,columns=MAPPING][,date=YYYY-MM-DD]`.
pub struct SourceArg {
    pub name: String,
    pub file: String,
    pub columns: Option<String>,
    pub date: Option<Date>,
}

impl SourceArg {
    /// Reads the option's text.
    pub fn parse(text: &str) -> Result<SourceArg, String> {
        let bad = |why: &str| {
            format!(
                "--source {:?}: {why}; allowed: NAME=FILE[,columns=MAPPING][,date=YYYY-MM-DD]",
                printable(text, 200)
            )
        };
        let (name, rest) = text.split_once('=').ok_or_else(|| bad("no NAME="))?;
        let mut parts = rest.split(',');
        let file = parts.next().filter(|f| !f.trim().is_empty()).ok_or_else(|| bad("no file"))?;
        let mut out =
            SourceArg { name: name.trim().to_string(), file: file.trim().to_string(), columns: None, date: None };
        if out.name.is_empty() {
            return Err(bad("an empty source name"));
        }
        for p in parts {
            match p.split_once('=') {
                Some(("columns", f)) => out.columns = Some(f.trim().to_string()),
                Some(("date", d)) => out.date = Some(d.trim().parse().map_err(|e| bad(&format!("{e}")))?),
                _ => return Err(bad(&format!("unknown part {p:?}"))),
            }
        }
        Ok(out)
    }
}

/// A sources file: the sources of `--source`, and the conflict rule.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    conflicts: Option<advocacy_core::ConflictRule>,
    #[serde(default)]
    source: Vec<SourceEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    name: String,
    file: String,
    #[serde(default)]
    columns: Option<String>,
    #[serde(default)]
    date: Option<DateCell>,
}

/// A date as text, or as a TOML date (`date = 2026-06-30`).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum DateCell {
    Text(String),
    Toml(toml::value::Datetime),
}

/// Reads a sources file (.toml, or .json with the same keys): its sources, paths taken relative
/// to the file, and its conflict rule.
pub fn read_sources_file(path: &str) -> Result<(Vec<SourceArg>, Option<advocacy_core::ConflictRule>), String> {
    let text = read_text(path)?;
    let allowed = "`conflicts` (\"latest\" or \"source_order\") and [[source]] tables with `name`, `file`, and optionally `columns` and `date`";
    let file: SourcesFile = if path.to_ascii_lowercase().ends_with(".json") {
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}; allowed: {allowed}"))?
    } else {
        toml::from_str(&text).map_err(|e| format!("{path}: {}; allowed: {allowed}", e.to_string().trim()))?
    };
    if file.source.is_empty() {
        return Err(format!("{path}: no sources; allowed: {allowed}"));
    }
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let at = |p: &str| base.join(p).to_string_lossy().into_owned();
    let mut out = Vec::with_capacity(file.source.len());
    for (i, s) in file.source.into_iter().enumerate() {
        let date = match s.date {
            None => None,
            Some(DateCell::Text(t)) => Some(t),
            Some(DateCell::Toml(d)) => Some(d.to_string()),
        };
        let date =
            date.map(|t| t.trim().parse::<Date>().map_err(|e| format!("{path}: source[{i}].date: {e}"))).transpose()?;
        if s.name.trim().is_empty() {
            return Err(format!("{path}: source[{i}].name is empty; allowed: a name for the source"));
        }
        out.push(SourceArg {
            name: s.name.trim().to_string(),
            file: at(&s.file),
            columns: s.columns.as_deref().map(at),
            date,
        });
    }
    Ok((out, file.conflicts))
}

/// Reads every source and joins them by account id (the core reads each through its own column
/// plan and settles conflicts). The joined rows carry no file line; their names come from the
/// first source that has one. A source's error names its file and line.
///
/// Each joined account also gets the text of the columns `keep` names: for each
/// kept column, the cell of the first source (in the order given) whose file has the column and
/// a value for the account. Returns the kept columns too.
pub fn read_sources(
    sources: &[SourceArg],
    model: &Model,
    base: &ColumnMapping,
    rule: advocacy_core::ConflictRule,
    keep: &Keep,
    reserved: &[String],
) -> Result<(Vec<Row>, Vec<String>, Kept), String> {
    let mut tables = Vec::with_capacity(sources.len());
    let mut lines = Vec::with_capacity(sources.len());
    for s in sources {
        let mapping = match &s.columns {
            Some(path) => {
                let mut m = read_mapping(path)?;
                m.decimal_comma |= base.decimal_comma;
                m
            }
            None => base.clone(),
        };
        let cells = read_cells(&s.file, false)?;
        let (line, rows): (Vec<usize>, Vec<Vec<Value>>) =
            cells.rows.into_iter().map(|(line, row)| (line, row.unwrap_or_default())).unzip();
        lines.push(line);
        tables.push(SourceTable { name: s.name.clone(), headers: cells.headers, rows, mapping, date: s.date });
    }
    let joined = model.join_tables(&tables, rule).map_err(|e| {
        let k = tables.iter().position(|t| t.name == e.source_name).unwrap_or(0);
        let file = sources.get(k).map_or("", |s| s.file.as_str());
        match e.error {
            advocacy_core::Error::Record(r) if r.row.is_some() => {
                let line = r.row.and_then(|i| lines[k].get(i).copied()).unwrap_or(0);
                at_line(file, line, r)
            }
            other => format!("{file}: {other}"),
        }
    })?;
    let warnings = joined
        .warnings
        .iter()
        .map(|(name, w)| {
            let file = sources.iter().find(|s| &s.name == name).map_or("", |s| s.file.as_str());
            format!("{file}: {}", w.message)
        })
        .collect();
    // The kept columns, looked up by account id in each source that has them.
    let views: Vec<keep::Table> = tables
        .iter()
        .zip(&joined.plans)
        .zip(sources)
        .map(|((t, plan), s)| keep::Table { shown: s.file.as_str(), headers: &t.headers, plan })
        .collect();
    let kept = Kept::resolve(keep, &views, reserved)?;
    let by_id: Vec<std::collections::HashMap<String, usize>> = tables
        .iter()
        .zip(&joined.plans)
        .enumerate()
        .map(|(k, (t, plan))| match plan.id_column() {
            Some(ic) if kept.columns_of(k).iter().any(Option::is_some) => {
                let mut m = std::collections::HashMap::new();
                for (i, row) in t.rows.iter().enumerate() {
                    if let Some(id) = row.get(ic).and_then(Value::to_id) {
                        m.entry(id).or_insert(i);
                    }
                }
                m
            }
            _ => std::collections::HashMap::new(),
        })
        .collect();
    let kept_value = |id: Option<&str>, slot: usize| -> Option<String> {
        let id = id?;
        kept.at[slot].iter().enumerate().find_map(|(k, c)| {
            let i = *by_id[k].get(id)?;
            tables[k].rows[i].get((*c)?).and_then(Value::to_id)
        })
    };
    let rows = joined
        .records
        .into_iter()
        .zip(joined.names)
        .map(|(record, name)| {
            let kept = (0..kept.len()).map(|slot| kept_value(record.id.as_deref(), slot)).collect();
            Row { line: 0, record, name, broken: None, kept }
        })
        .collect();
    Ok((rows, warnings, kept))
}
