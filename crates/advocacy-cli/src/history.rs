//! `advocacy history DIR`: what the snapshots of a history folder say about each account, by the
//! program crate's `history` (timelines, trends over a window, carried revisit dates, each
//! quarter's tiers). This module only reads the folder's Parquet files into rows and prints.

use std::collections::HashMap;
use std::fmt::Write as _;

use advocacy_core::{fmt_num, printable, Value};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// The options of `advocacy history`.
#[derive(clap::Args)]
pub struct HistoryArgs {
    /// The history folder (`advocacy snapshot` writes it: one DIR/YYYY-MM-DD.parquet per date).
    #[arg(default_value = "advocacy-history")]
    pub dir: String,
    /// The day of the report (default: the last snapshot's); later snapshots are left out.
    #[arg(long)]
    pub as_of: Option<String>,
    /// The trend window in days.
    #[arg(long)]
    pub window_days: Option<u32>,
    /// The smallest change, in points, that counts as a trend.
    #[arg(long)]
    pub min_change: Option<f64>,
    /// Months after becoming not yet qualified that an account is revisited.
    #[arg(long)]
    pub revisit_months: Option<u32>,
    /// Show at most this many accounts in each list (trends, revisits).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print the whole report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The rows of every snapshot in `dir` (`as_of`, `id`, `name`, `total`, `tier`, and the signals
/// the model read: every column after `error`, by name), the files read in date order; rows
/// that were flagged when the snapshot was taken (an `error`) are left out and counted.
pub fn read_rows(dir: &str) -> Result<(Vec<serde_json::Value>, usize, usize), String> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{dir}: {e}; allowed: a history folder written by `advocacy snapshot`"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{dir}: no snapshots (.parquet files); allowed: a folder `advocacy snapshot` wrote"));
    }
    let (mut rows, mut flagged) = (Vec::new(), 0);
    for path in &files {
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.build())
            .map_err(|e| format!("{shown}: {e}"))?;
        for batch in reader {
            let batch = batch.map_err(|e| format!("{shown}: {e}"))?;
            let column = |names: &[&str]| names.iter().find_map(|n| batch.column_by_name(n)).cloned();
            let need = |names: &[&str]| {
                column(names).ok_or_else(|| {
                    format!("{shown}: no column `{}`; allowed: a snapshot with as_of, id, score and tier", names[0])
                })
            };
            let (as_of, id, score, tier) =
                (need(&["as_of"])?, need(&["id"])?, need(&["score", "total"])?, need(&["tier"])?);
            let (name, error) = (column(&["name"]), column(&["error"]));
            let read = |a: &arrow_array::ArrayRef| advocacy_arrow::to_column(a).0.into_owned();
            let (as_of, id, score, tier) = (read(&as_of), read(&id), read(&score), read(&tier));
            let name = name.as_ref().map(read);
            let error = error.as_ref().map(read);
            // The signals the model read (the columns after `error`), by name.
            let schema = batch.schema();
            let after_error = schema.fields().iter().position(|f| f.name() == "error").map_or(usize::MAX, |p| p + 1);
            let signals: Vec<(String, advocacy_core::Column<'static>)> = schema
                .fields()
                .iter()
                .enumerate()
                .skip(after_error)
                .map(|(c, f)| (f.name().clone(), read(batch.column(c))))
                .collect();
            for i in 0..batch.num_rows() {
                if error.as_ref().is_some_and(|e| !matches!(e.value(i), Value::Null)) {
                    flagged += 1;
                    continue;
                }
                let json = |v: Value| match v {
                    Value::Null => serde_json::Value::Null,
                    Value::Number(x) => serde_json::Value::from(x),
                    Value::Bool(b) => serde_json::Value::from(b),
                    Value::Text(t) => serde_json::Value::from(t),
                };
                let mut row = serde_json::Map::new();
                row.insert("as_of".into(), json(as_of.value(i)));
                row.insert("id".into(), json(id.value(i)));
                if let Some(n) = &name {
                    row.insert("name".into(), json(n.value(i)));
                }
                row.insert("total".into(), json(score.value(i)));
                row.insert("tier".into(), json(tier.value(i)));
                for (signal, column) in &signals {
                    row.insert(signal.clone(), json(column.value(i)));
                }
                rows.push(serde_json::Value::Object(row));
            }
        }
    }
    Ok((rows, files.len(), flagged))
}

/// The history report of the snapshots in `dir` (the program crate's `history` as JSON), and
/// how many files it read. `options` are the report's options (`as_of`, `window_days`, ...).
pub fn report(
    dir: &str,
    options: serde_json::Map<String, serde_json::Value>,
) -> Result<(serde_json::Value, usize), String> {
    let (rows, files, flagged) = read_rows(dir)?;
    let mut input = serde_json::Map::from_iter([("rows".to_string(), serde_json::Value::from(rows))]);
    input.extend(options);
    let report =
        advocacy_program::json::call("history", serde_json::Value::Object(input)).map_err(|e| format!("{dir}: {e}"))?;
    if flagged > 0 {
        eprintln!("{dir}: {flagged} row(s) flagged when their snapshot was taken are left out");
    }
    Ok((report, files))
}

/// Runs `advocacy history`.
pub fn history(a: &HistoryArgs) -> Result<std::process::ExitCode, String> {
    let mut options = serde_json::Map::new();
    if let Some(d) = &a.as_of {
        options.insert("as_of".into(), d.trim().into());
    }
    if let Some(w) = a.window_days {
        options.insert("window_days".into(), w.into());
    }
    if let Some(m) = a.min_change {
        options.insert("min_change".into(), m.into());
    }
    if let Some(m) = a.revisit_months {
        options.insert("revisit_months".into(), m.into());
    }
    let (report, files) = report(&a.dir, options)?;
    let body = if a.json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        text(&report, files, a.top)
    };
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(body.as_bytes()) {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("standard output: {e}")),
        _ => Ok(std::process::ExitCode::SUCCESS),
    }
}

/// The report for reading in a terminal.
pub fn text(r: &serde_json::Value, files: usize, top: usize) -> String {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let n = |v: &serde_json::Value| v.as_f64().map_or("-".to_string(), fmt_num);
    let names: HashMap<String, String> = r["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| (s(&a["account"]), a["name"].as_str().map_or(String::new(), |t| printable(t, 40))))
        .collect();
    let who = |id: &str| match names.get(id).filter(|n| !n.is_empty()) {
        Some(name) => format!("{} ({name})", printable(id, 40)),
        None => printable(id, 40),
    };
    let dates = r["dates"].as_array().cloned().unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} snapshot(s) ({} file(s)), {} to {}; report as of {}; {} account(s)",
        dates.len(),
        files,
        dates.first().map(s).unwrap_or_default(),
        dates.last().map(s).unwrap_or_default(),
        s(&r["as_of"]),
        names.len()
    );
    for (key, word) in [("trending_up", "up"), ("trending_down", "down")] {
        let list = r[key].as_array().cloned().unwrap_or_default();
        let _ = writeln!(
            out,
            "\ntrending {word} over {} days (a change of at least {} points): {} account(s)",
            n(&r["window_days"]),
            n(&r["min_change"]),
            list.len()
        );
        for t in list.iter().take(top) {
            let _ = writeln!(
                out,
                "  {:<40} {:>5} -> {:<5} ({:+})  {} to {}",
                who(&s(&t["account"])),
                n(&t["first"]),
                n(&t["last"]),
                t["change"].as_f64().unwrap_or(0.0),
                s(&t["from"]),
                s(&t["to"])
            );
        }
    }
    let revisits = r["revisits"].as_array().cloned().unwrap_or_default();
    let due = revisits.iter().filter(|v| v["due"].as_bool() == Some(true)).count();
    let _ = writeln!(
        out,
        "\nnot yet qualified, with revisit dates carried from when each became so: {} account(s), {due} due",
        revisits.len()
    );
    for v in revisits.iter().take(top) {
        let _ = writeln!(
            out,
            "  {:<40} since {}, revisit {}{}",
            who(&s(&v["account"])),
            s(&v["since"]),
            s(&v["revisit"]),
            if v["due"].as_bool() == Some(true) { " (due)" } else { "" }
        );
    }
    let _ = writeln!(out, "\ntiers by quarter (each account's tier at its last snapshot in the quarter):");
    for q in r["quarters"].as_array().into_iter().flatten() {
        let t = &q["tiers"];
        let _ = writeln!(
            out,
            "  {} (last snapshot {}): platinum {}, gold {}, silver {}, not yet qualified {}, not advocate material {}",
            s(&q["quarter"]),
            s(&q["last_snapshot"]),
            n(&t["platinum"]),
            n(&t["gold"]),
            n(&t["silver"]),
            n(&t["not_yet_qualified"]),
            n(&t["not_advocate_material"])
        );
    }
    out
}

/// An account's last scores from its entry in a history report (`null`: not in the history),
/// for `explain --history`: the last six snapshots, the trend and the carried revisit date.
pub fn last_scores(dir: &str, account: &serde_json::Value) -> String {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let mut out = String::new();
    let Some(timeline) = account["timeline"].as_array() else {
        let _ = writeln!(out, "\nhistory ({dir}): no snapshot has this account");
        return out;
    };
    let _ = writeln!(out, "\nlast scores ({dir}, {} snapshot(s) with this account):", timeline.len());
    for p in timeline.iter().rev().take(6).rev() {
        let _ = writeln!(
            out,
            "  {}  {:>5}  {}",
            s(&p["as_of"]),
            p["total"].as_f64().map_or("-".to_string(), fmt_num),
            s(&p["tier"])
        );
    }
    if let Some(t) = account["trend"].as_object() {
        let _ = writeln!(
            out,
            "  trend {} ({:+} from {} to {})",
            t.get("direction").map(s).unwrap_or_default(),
            t.get("change").and_then(|c| c.as_f64()).unwrap_or(0.0),
            t.get("from").map(s).unwrap_or_default(),
            t.get("to").map(s).unwrap_or_default()
        );
    }
    if let Some(q) = account["first_qualified"].as_str() {
        let _ = writeln!(out, "  first qualified {q}");
    }
    if let Some(r) = account["revisit"].as_str() {
        let due = if account["revisit_due"].as_bool() == Some(true) { " (due)" } else { "" };
        let _ = writeln!(out, "  revisit {r}{due} (carried from when it became not yet qualified)");
    }
    out
}
