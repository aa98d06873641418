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

use std::collections::HashMap;

use advocacy_core::{
    id_errors, parse_json, printable, ColumnMapping, ColumnPlan, ColumnRole, Date, Model, Record, Value,
};

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
    /// When the row's values were observed (its observation date column).
    pub observed: Option<Date>,
}

impl Row {
    fn broken(line: usize, why: String) -> Row {
        Row { line, record: Record::new(), name: None, broken: Some(why), observed: None }
    }
}

/// An observation date cell: empty is none, anything else must be a date.
fn observed_date(cell: &str, shown: &str, line: usize, header: &str) -> Result<Option<Date>, String> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<Date>().map(Some).map_err(|e| format!("{shown}:{line}: column `{}`: {e}", printable(header, 80)))
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
            let items: Vec<serde_json::Value> = text.lines().filter_map(|l| parse_json(l).ok()).collect();
            Ok(json_keys(&items))
        }
        Format::Json => {
            let v = parse_json(&text).map_err(|e| format!("{shown}: not valid JSON: {e}"))?;
            Ok(json_keys(v.as_array().map(Vec::as_slice).unwrap_or(&[])))
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

fn json_keys(items: &[serde_json::Value]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for o in items.iter().filter_map(serde_json::Value::as_object) {
        for k in o.keys() {
            if seen.insert(k.as_str()) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

/// Reads the accounts of `path` for `model`, its columns read by `mapping` on top of the
/// automatic matching. `flag` keeps broken rows as flagged rows instead of failing.
pub fn read_rows(path: &str, model: &Model, mapping: &ColumnMapping, flag: bool) -> Result<Table, String> {
    let table = read_table(path, model, mapping, flag, true)?;
    table.plan.check_reads_something(model).map_err(|e| format!("{}: {e}", shown(path)))?;
    Ok(table)
}

/// [`read_rows`], where `unique_ids` says whether every row needs an id of its own (a source
/// may give one account several rows, observed on different dates).
fn read_table(
    path: &str,
    model: &Model,
    mapping: &ColumnMapping,
    flag: bool,
    unique_ids: bool,
) -> Result<Table, String> {
    let text = read_text(path)?;
    let shown = shown(path);
    let table = match Format::of(path, &text) {
        Format::Csv => read_csv(&text, shown, model, mapping, delimiter(path), flag, unique_ids)?,
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
            read_json_items(items, shown, model, mapping, flag, unique_ids)?
        }
        Format::Json => {
            let v = parse_json(&text).map_err(|e| format!("{shown}: not valid JSON: {e}"))?;
            let serde_json::Value::Array(items) = v else {
                return Err(format!("{shown}: expected a JSON array of account objects"));
            };
            let items = items.into_iter().enumerate().map(|(i, v)| (i + 1, Ok(v))).collect();
            read_json_items(items, shown, model, mapping, flag, unique_ids)?
        }
    };
    if table.rows.is_empty() {
        return Err(format!("{shown}: no accounts in the file"));
    }
    Ok(table)
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

/// JSON objects read through the plan of all their keys.
fn read_json_items(
    items: Vec<(usize, Result<serde_json::Value, String>)>,
    shown: &str,
    model: &Model,
    mapping: &ColumnMapping,
    flag: bool,
    unique_ids: bool,
) -> Result<Table, String> {
    let objects: Vec<serde_json::Value> = items.iter().filter_map(|(_, v)| v.as_ref().ok().cloned()).collect();
    let keys = json_keys(&objects);
    let plan = model.read_columns(&keys, mapping).map_err(|e| format!("{shown}: {e}"))?;
    let by_key: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut rows = Vec::with_capacity(items.len());
    for (line, item) in &items {
        let row = match item {
            Err(why) => Err(why.clone()),
            Ok(v) => json_row(v, *line, shown, model, &plan, &by_key),
        };
        match row {
            Ok(r) => rows.push(r),
            Err(why) if flag => rows.push(Row::broken(*line, why)),
            Err(why) => return Err(why),
        }
    }
    if unique_ids && plan.id_column().is_some() {
        check_ids(&mut rows, shown, flag)?;
    }
    Ok(Table { rows, plan })
}

fn json_row(
    v: &serde_json::Value,
    line: usize,
    shown: &str,
    model: &Model,
    plan: &ColumnPlan,
    by_key: &HashMap<&str, usize>,
) -> Result<Row, String> {
    let obj = v.as_object().ok_or_else(|| {
        format!("{shown}:{line}: the row is not a JSON object; allowed: an object of column names to values")
    })?;
    let mut record = Record::new();
    let mut name = None;
    let mut observed = None;
    for (k, val) in obj {
        let Some(&i) = by_key.get(k.as_str()) else { continue };
        let value = match val {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::Text(s.clone()),
            nested => Value::Text(printable(&nested.to_string(), 200)),
        };
        match &plan.columns[i].role {
            ColumnRole::Id => record.id = value.to_id(),
            ColumnRole::Name => name = value.as_str().map(str::to_string),
            ColumnRole::Observed => observed = observed_date(value.as_str().unwrap_or(""), shown, line, k)?,
            ColumnRole::Signal(s) => {
                let value = match (&value, model.signal(s)) {
                    (Value::Text(t), Some(spec)) => spec.parse_cell(plan.map_value(s, t), &plan.options),
                    _ => value,
                };
                record.values.insert(s.clone(), value);
            }
            ColumnRole::Ignored => {}
        }
    }
    Ok(Row { line, record, name, broken: None, observed })
}

fn read_csv(
    text: &str,
    shown: &str,
    model: &Model,
    mapping: &ColumnMapping,
    delimiter: u8,
    flag: bool,
    unique_ids: bool,
) -> Result<Table, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("{shown}:1: {e}"))?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
        return Err(format!("{shown}: no accounts in the file (it is empty)"));
    }
    let reader =
        model.table_reader(&headers.iter().collect::<Vec<_>>(), mapping).map_err(|e| format!("{shown}:1: {e}"))?;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let why = format!("{shown}:{line}: {e}");
                if flag {
                    rows.push(Row::broken(line, why));
                    continue;
                }
                return Err(why);
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.len() != headers.len() {
            let why = format!(
                "{shown}:{line}: the row has {} cells; allowed: exactly {}, one per header",
                rec.len(),
                headers.len()
            );
            if flag {
                rows.push(Row::broken(line, why));
                continue;
            }
            return Err(why);
        }
        let (record, name) = reader.record(&rec.iter().collect::<Vec<_>>());
        let observed = match reader.plan().observed_column() {
            Some(i) => match observed_date(rec.get(i).unwrap_or(""), shown, line, &headers[i]) {
                Ok(d) => d,
                Err(why) if flag => {
                    rows.push(Row::broken(line, why));
                    continue;
                }
                Err(why) => return Err(why),
            },
            None => None,
        };
        rows.push(Row { line, record, name, broken: None, observed });
    }
    if rows.is_empty() {
        return Err(format!("{shown}: no accounts in the file (only a header line)"));
    }
    let plan = reader.plan().clone();
    if unique_ids && plan.id_column().is_some() {
        check_ids(&mut rows, shown, flag)?;
    }
    Ok(Table { rows, plan })
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

/// Reads every source and joins them by account id (the core's rule settles conflicts). The
/// joined rows carry no file line; their names come from the first source that has one.
pub fn read_sources(
    sources: &[SourceArg],
    model: &Model,
    base: &ColumnMapping,
    rule: advocacy_core::ConflictRule,
) -> Result<(Vec<Row>, Vec<String>), String> {
    let mut parts = Vec::with_capacity(sources.len());
    let mut names: HashMap<String, String> = HashMap::new();
    let mut warnings = Vec::new();
    let mut plans = Vec::new();
    for s in sources {
        let mapping = match &s.columns {
            Some(path) => {
                let mut m = read_mapping(path)?;
                m.decimal_comma |= base.decimal_comma;
                m
            }
            None => base.clone(),
        };
        let table = read_table(&s.file, model, &mapping, false, false)?;
        // A source may hold signals the model does not score (support's enthusiasm), but one
        // that holds no signal at all is read for nothing.
        if !(0..table.plan.columns.len()).any(|i| table.plan.signal_of(i).is_some()) {
            let headers: Vec<String> = table.plan.columns.iter().map(|c| printable(&c.header, 40)).collect();
            return Err(format!(
                "{}: no column holds a signal (columns {}); allowed: columns named for signals, or a mapping (columns=)",
                s.file,
                headers.join(", ")
            ));
        }
        plans.push(table.plan.clone());
        warnings.extend(table.warnings().into_iter().map(|w| format!("{}: {w}", s.file)));
        let mut records = Vec::with_capacity(table.rows.len());
        for row in table.rows {
            if row.record.id.is_none() {
                return Err(format!(
                    "{}:{}: the account id is empty; allowed: a non-empty account id",
                    s.file, row.line
                ));
            }
            if let (Some(id), Some(name)) = (&row.record.id, &row.name) {
                names.entry(id.clone()).or_insert_with(|| name.clone());
            }
            records.push((row.record, row.observed.or(s.date)));
        }
        parts.push(advocacy_core::Source { name: s.name.clone(), records });
    }
    if !plans.iter().any(|p| p.check_reads_something(model).is_ok()) {
        return Err("no source holds a signal the model reads".to_string());
    }
    let joined = advocacy_core::join_sources(&parts, rule);
    let rows = joined
        .into_iter()
        .map(|record| {
            let name = record.id.as_ref().and_then(|id| names.get(id).cloned());
            Row { line: 0, record, name, broken: None, observed: None }
        })
        .collect();
    Ok((rows, warnings))
}
