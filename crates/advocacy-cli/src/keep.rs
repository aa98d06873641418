//! `--keep COLUMNS`: input columns carried through to every output, as text.
//!
//! A kept column is named by its header, matched as the column plan matches headers
//! ([`header_key`]: case, spaces and punctuation folded; an exact match first). `name` also
//! finds the plan's account-name column whatever its header (`Account Name`, `company`, ...),
//! and that column is always written as `name`, as the id column is always written as `id`;
//! every other kept column is written under its header as it is in the file. By default the
//! account-name column is kept (when the file has one); `--keep ""` keeps nothing.
//!
//! In the outputs the kept columns come right after `id`. Their cells are text, trimmed; an
//! empty or missing cell is an empty CSV field, a JSON `null` or a Parquet null.

use advocacy_core::{header_key, printable, ColumnPlan};

/// What `--keep` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Keep {
    /// No `--keep`: the account-name column, if the file has one.
    #[default]
    Name,
    /// These headers, in this order (none for `--keep ""`).
    Columns(Vec<String>),
}

impl Keep {
    /// The option's value: comma-separated headers (blank entries are skipped).
    pub fn parse(arg: Option<&str>) -> Keep {
        match arg {
            None => Keep::Name,
            Some(text) => {
                Keep::Columns(text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
            }
        }
    }
}

/// One table the kept columns are looked up in: how it is shown in messages, its headers and
/// its column plan.
pub struct Table<'a> {
    pub shown: &'a str,
    pub headers: &'a [String],
    pub plan: &'a ColumnPlan,
}

/// The kept columns, resolved against the headers of one or more tables.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    /// The output name of each kept column.
    pub names: Vec<String>,
    /// Per kept column, per table: the column's index in that table, if it has it.
    pub at: Vec<Vec<Option<usize>>>,
    /// Which kept column is the account name, if one is.
    pub name_slot: Option<usize>,
}

/// The result columns a kept column may not be written as (with the model's category ids).
pub fn result_columns(categories: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = ["rank", "row", "id", "score", "tier"].iter().map(|s| s.to_string()).collect();
    out.extend(categories.iter().map(|c| c.to_string()));
    out.extend(["completeness", "max_possible", "error"].iter().map(|s| s.to_string()));
    out
}

/// The index of the header `want` in `headers`: the exact header first, then by [`header_key`];
/// `name` also means the plan's name column.
fn find(want: &str, headers: &[String], plan: &ColumnPlan) -> Option<usize> {
    let key = header_key(want);
    headers.iter().position(|h| h == want).or_else(|| headers.iter().position(|h| header_key(h) == key)).or_else(|| {
        if key == "name" {
            plan.name_column()
        } else {
            None
        }
    })
}

impl Kept {
    /// Nothing kept.
    pub fn none() -> Kept {
        Kept::default()
    }

    /// Resolves `keep` against `tables` (one file, or the sources of a join, in order). A header
    /// no table has is an error naming it and listing the headers; so is a kept column whose
    /// output name is one of `reserved` (the result columns), or that two kept columns share.
    /// The default (the name column) is left out rather than clash.
    pub fn resolve(keep: &Keep, tables: &[Table<'_>], reserved: &[String]) -> Result<Kept, String> {
        let mut kept = Kept::none();
        let wanted: Vec<String> = match keep {
            Keep::Name => {
                if tables.iter().all(|t| t.plan.name_column().is_none()) {
                    return Ok(kept);
                }
                if reserved.iter().any(|r| header_key(r) == "name") {
                    return Ok(kept);
                }
                vec!["name".to_string()]
            }
            Keep::Columns(c) => c.clone(),
        };
        for want in &wanted {
            let Some((first, col)) =
                tables.iter().enumerate().find_map(|(k, t)| find(want, t.headers, t.plan).map(|c| (k, c)))
            else {
                let list = |t: &Table| t.headers.iter().map(|h| printable(h, 60)).collect::<Vec<_>>().join(", ");
                return Err(match tables {
                    [t] => format!(
                        "--keep: no column {:?} in {}; allowed: its columns: {}",
                        printable(want, 80),
                        t.shown,
                        list(t)
                    ),
                    _ => format!(
                        "--keep: no column {:?} in any source; allowed: the sources' columns: {}",
                        printable(want, 80),
                        tables.iter().map(|t| format!("{}: {}", t.shown, list(t))).collect::<Vec<_>>().join("; ")
                    ),
                });
            };
            let is_name = tables[first].plan.name_column() == Some(col);
            let out = if is_name { "name".to_string() } else { tables[first].headers[col].clone() };
            let at: Vec<Option<usize>> =
                tables
                    .iter()
                    .map(|t| {
                        if is_name {
                            t.plan.name_column()
                        } else {
                            find(&tables[first].headers[col], t.headers, t.plan)
                        }
                    })
                    .collect();
            // The same column asked for twice (`name,Account Name`): kept once.
            if kept.names.iter().zip(&kept.at).any(|(n, a)| n == &out && a == &at) {
                continue;
            }
            let key = header_key(&out);
            if let Some(r) = reserved.iter().find(|r| header_key(r) == key) {
                return Err(format!(
                    "--keep: column {:?} would be written as `{}`, the name of a result column (`{}`); allowed: columns whose names differ from the result's ({})",
                    printable(want, 80),
                    printable(&out, 80),
                    r,
                    reserved.join(", ")
                ));
            }
            if let Some(other) = kept.names.iter().find(|n| header_key(n) == key) {
                return Err(format!(
                    "--keep: column {:?} would be written as `{}`, as another kept column (`{}`) is; allowed: columns whose names differ",
                    printable(want, 80),
                    printable(&out, 80),
                    printable(other, 80)
                ));
            }
            if is_name {
                kept.name_slot = Some(kept.names.len());
            }
            kept.names.push(out);
            kept.at.push(at);
        }
        Ok(kept)
    }

    /// How many columns are kept.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The column index of each kept column in table `k` (`None`: that table lacks it).
    pub fn columns_of(&self, k: usize) -> Vec<Option<usize>> {
        self.at.iter().map(|a| a.get(k).copied().flatten()).collect()
    }
}

/// A kept cell's text: trimmed, `None` when empty.
pub fn cell_text(s: &str) -> Option<String> {
    Some(s.trim()).filter(|t| !t.is_empty()).map(str::to_string)
}

/// The kept values as a JSON object (`explain --json`'s `kept` key): each output name to its
/// text, or `null`.
pub fn json_object(names: &[String], values: &[Option<String>]) -> serde_json::Value {
    let mut o = serde_json::Map::new();
    for (k, v) in names.iter().zip(values.iter().chain(std::iter::repeat(&None))) {
        o.insert(k.clone(), v.clone().map_or(serde_json::Value::Null, serde_json::Value::String));
    }
    serde_json::Value::Object(o)
}

/// Adds `"kept": kept` as the last key of the JSON object `text` (`{...}`).
pub fn append_kept(text: &mut String, kept: &serde_json::Value) {
    if !text.ends_with('}') {
        return;
    }
    text.pop();
    if !text.ends_with('{') {
        text.push(',');
    }
    text.push_str("\"kept\":");
    text.push_str(&kept.to_string());
    text.push('}');
}
