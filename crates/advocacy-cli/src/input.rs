//! Reading accounts from CSV, JSON Lines and JSON array files (or stdin).
//!
//! One policy for ambiguous input, the same as every other surface: a byte-order mark is skipped
//! in every format; two columns with the same header, or two keys in one JSON object, are an
//! error; a file without accounts says so; and a structurally broken row (a CSV row with the
//! wrong number of cells, a JSON line that does not parse) is an error naming its line, or, with
//! `--on-error flag`, a flagged row while the others are read.

use std::io::Read;
use std::path::Path;

use advocacy_core::{parse_json, printable, Model, Record};

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
}

impl Row {
    fn broken(line: usize, why: String) -> Row {
        Row { line, record: Record::new(), name: None, broken: Some(why) }
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

/// Reads the accounts of `path` for `model`; cells of known signals are typed by the signal's
/// kind. `flag` keeps broken rows as flagged rows instead of failing.
pub fn read_rows(path: &str, model: &Model, id_column: &str, flag: bool) -> Result<Vec<Row>, String> {
    let text = read_text(path)?;
    let shown = if path == "-" { "<stdin>" } else { path };
    let rows = match Format::of(path, &text) {
        Format::Csv => read_csv(&text, shown, model, id_column, path.ends_with(".tsv"), flag)?,
        Format::JsonLines => {
            let mut rows = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let row = parse_json(line)
                    .map_err(|e| format!("{shown}:{}: not valid JSON: {e}", i + 1))
                    .and_then(|v| json_row(&v, i + 1, shown, id_column));
                match row {
                    Ok(r) => rows.push(r),
                    Err(e) if flag => rows.push(Row::broken(i + 1, e)),
                    Err(e) => return Err(e),
                }
            }
            rows
        }
        Format::Json => {
            let v = parse_json(&text).map_err(|e| format!("{shown}: not valid JSON: {e}"))?;
            let items = v.as_array().ok_or_else(|| format!("{shown}: expected a JSON array of account objects"))?;
            let mut rows = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                match json_row(v, i + 1, shown, id_column) {
                    Ok(r) => rows.push(r),
                    Err(e) if flag => rows.push(Row::broken(i + 1, e)),
                    Err(e) => return Err(e),
                }
            }
            rows
        }
    };
    if rows.is_empty() {
        return Err(format!("{shown}: no accounts in the file"));
    }
    Ok(rows)
}

fn json_row(v: &serde_json::Value, line: usize, shown: &str, id_column: &str) -> Result<Row, String> {
    let record = Record::from_json(v, id_column).map_err(|e| format!("{shown}:{line}: {e}"))?;
    let name = v.get("name").and_then(|n| n.as_str()).map(str::to_string);
    Ok(Row { line, record, name, broken: None })
}

fn read_csv(
    text: &str,
    shown: &str,
    model: &Model,
    id_column: &str,
    tabs: bool,
    flag: bool,
) -> Result<Vec<Row>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(if tabs { b'\t' } else { b',' })
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("{shown}:1: {e}"))?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
        return Err(format!("{shown}: no accounts in the file (it is empty)"));
    }
    check_duplicate_headers(&headers, shown)?;
    let reader = model.cell_reader(&headers.iter().collect::<Vec<_>>(), id_column);
    // `name` is shown in tables when it is not a signal of the model.
    let name_col = reader.headers().iter().enumerate().position(|(i, h)| h == "name" && !reader.is_signal(i));
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
        let cells: Vec<&str> = rec.iter().collect();
        let name = name_col.and_then(|i| cells.get(i)).map(|s| s.to_string());
        rows.push(Row { line, record: reader.record(&cells), name, broken: None });
    }
    if rows.is_empty() {
        return Err(format!("{shown}: no accounts in the file (only a header line)"));
    }
    Ok(rows)
}

/// Two columns with the same (trimmed) header: which one counts would be a guess.
fn check_duplicate_headers(headers: &csv::StringRecord, shown: &str) -> Result<(), String> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        if let Some(first) = seen.insert(h, i) {
            return Err(format!(
                "{shown}:1: duplicate column {:?} (columns {} and {}); allowed: each header once",
                printable(h, 60),
                first + 1,
                i + 1
            ));
        }
    }
    Ok(())
}
