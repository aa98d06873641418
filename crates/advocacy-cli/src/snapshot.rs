//! `advocacy snapshot`: a file scored and added, dated, to a history folder.
//!
//! The history is a folder of Parquet files, one per as-of date (`DIR/YYYY-MM-DD.parquet`),
//! each holding the scored accounts in file order with an `as_of` column in front: the columns
//! of `score --format csv --order input` (`row`, `id`, the kept columns such as `name`, `score`,
//! `tier`, the categories, `completeness`, `max_possible`, `error`), then the value of every
//! signal the model reads (its criteria's, then its gates'), named by signal and typed by its
//! kind (numbers as floats, booleans as booleans, categories and text as text), as the score read
//! it after the column mapping (`NPS` read as `nps`, `85%` as 85; empty for a flagged row). The
//! history readers (`advocacy history`, `review --history`, `calibrate`) read the columns after
//! `error` back as the accounts' signals, so a history gives the signals as they were on each
//! day. A signal named like a result column, a category id, `as_of` or a kept column is an error
//! (the readers would take one for the other). polars
//! (`pl.read_parquet("DIR/*.parquet")`), DuckDB (`FROM 'DIR/*.parquet'`) and Spark read the
//! folder as one long table as it is.

use std::path::{Path, PathBuf};

use advocacy_core::Date;

/// Where the snapshot of `as_of` goes in `dir`, after checking that the history has none yet
/// (one snapshot per date: a second one of the same date is an error, never an overwrite).
pub fn target(dir: &str, as_of: Date) -> Result<PathBuf, String> {
    let dir = Path::new(dir);
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{}: not a folder; allowed: a history folder (created if missing)", dir.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{as_of}.parquet"));
    if path.exists() {
        return Err(format!(
            "{}: the history already has a snapshot of {as_of}; allowed: one snapshot per as-of date \
             (remove the file to take it again)",
            path.display()
        ));
    }
    Ok(path)
}

/// The file the snapshot is written to first, renamed to `target` once complete (so a failed run
/// leaves no half-written snapshot in the history).
pub fn partial(target: &Path) -> PathBuf {
    let mut name = target.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    target.with_file_name(name)
}

/// The dates of the snapshots already in `dir`, in order (files named `YYYY-MM-DD.parquet`).
pub fn dates(dir: &str) -> Vec<Date> {
    let mut out: Vec<Date> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".parquet")?.parse().ok())
        .collect();
    out.sort();
    out
}
