//! Reading accounts from CSV, JSON Lines and JSON array files (or stdin).

use std::io::Read;
use std::path::Path;

use advocacy_core::{Model, Record};

/// One account read from a file, with where it came from.
pub struct Row {
    /// 1-based line in the file (for JSON arrays: the element's index + 1).
    pub line: usize,
    /// The account.
    pub record: Record,
    /// The `name` column, if any (display only).
    pub name: Option<String>,
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

/// Reads a whole file, or stdin for `-`.
pub fn read_text(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("stdin: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
    }
}

/// Reads the accounts of `path` for `model`; cells of known signals are typed by the signal's kind.
pub fn read_rows(path: &str, model: &Model, id_column: &str) -> Result<Vec<Row>, String> {
    let text = read_text(path)?;
    let shown = if path == "-" { "<stdin>" } else { path };
    match Format::of(path, &text) {
        Format::Csv => read_csv(&text, shown, model, id_column, path.ends_with(".tsv")),
        Format::JsonLines => {
            let mut rows = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v: serde_json::Value =
                    serde_json::from_str(line).map_err(|e| format!("{shown}:{}: not valid JSON: {e}", i + 1))?;
                rows.push(json_row(&v, i + 1, shown, id_column)?);
            }
            Ok(rows)
        }
        Format::Json => {
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{shown}:{}: not valid JSON: {e}", e.line()))?;
            let items = v.as_array().ok_or_else(|| format!("{shown}: expected a JSON array of account objects"))?;
            items.iter().enumerate().map(|(i, v)| json_row(v, i + 1, shown, id_column)).collect()
        }
    }
}

fn json_row(v: &serde_json::Value, line: usize, shown: &str, id_column: &str) -> Result<Row, String> {
    let record = Record::from_json(v, id_column).map_err(|e| format!("{shown}:{line}: {e}"))?;
    let name = v.get("name").and_then(|n| n.as_str()).map(str::to_string);
    Ok(Row { line, record, name })
}

fn read_csv(text: &str, shown: &str, model: &Model, id_column: &str, tabs: bool) -> Result<Vec<Row>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(if tabs { b'\t' } else { b',' })
        .flexible(false)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("{shown}:1: {e}"))?.clone();
    let reader = model.cell_reader(&headers.iter().collect::<Vec<_>>(), id_column);
    // `name` is shown in tables when it is not a signal of the model.
    let name_col = reader.headers().iter().enumerate().position(|(i, h)| h == "name" && !reader.is_signal(i));
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("{shown}:{line}: {e}")
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = rec.iter().collect();
        let name = name_col.and_then(|i| cells.get(i)).map(|s| s.to_string());
        rows.push(Row { line, record: reader.record(&cells), name });
    }
    Ok(rows)
}
