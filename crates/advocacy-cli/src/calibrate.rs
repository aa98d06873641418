//! `advocacy calibrate`: the model's points learned from the program's outcomes, by the
//! `advocacy-calibrate` crate, compared with the current points on later asks than those fitted.
//! This module only reads the files (a history folder and the ledger, or a file of examples),
//! prints the report and, when asked, writes the proposed model.

use std::fmt::Write as _;

use advocacy_core::{fmt_num, printable, Model};

/// The options of `advocacy calibrate`.
#[derive(clap::Args)]
pub struct CalibrateArgs {
    /// A history folder (`advocacy snapshot`): each ask reads the account's signals from the
    /// latest snapshot on or before the ask day.
    #[arg(long, value_name = "DIR", requires = "ledger", conflicts_with = "examples")]
    pub history: Option<String>,
    /// The activity ledger (.csv, .jsonl or .json: account, activity, status, date).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<String>,
    /// Or a file of examples (.csv, .jsonl or .json): one row per ask with the account id,
    /// `asked`, `outcome`, optionally `as_of` (the day of the signals) and the signals.
    #[arg(long, value_name = "FILE")]
    pub examples: Option<String>,
    /// The model to calibrate (.json or .toml; default: the default model).
    #[arg(long, value_name = "FILE")]
    pub model: Option<String>,
    /// What counts as a yes (with --ledger).
    #[arg(long, value_enum, default_value_t = OutcomeArg::SaidYes)]
    pub outcome: OutcomeArg,
    /// Time-ordered folds (2 to 10).
    #[arg(long, default_value_t = advocacy_calibrate::DEFAULT_FOLDS)]
    pub folds: usize,
    /// Also choose new thresholds for `>=` and `>` criteria from the data (on each fold's
    /// training asks; the one whose met/not-met split best separates yes from no).
    #[arg(long)]
    pub thresholds: bool,
    /// Today's accounts (.csv, .jsonl or .json) whose tier changes the report counts (default:
    /// the history's last snapshot).
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<String>,
    /// Write the proposed model here (.json or .toml; the current points when nothing is learned).
    /// Nothing is written without it.
    #[arg(long, value_name = "FILE")]
    pub write: Option<String>,
    /// Print the report as JSON (with the proposed model under `model`).
    #[arg(long)]
    pub json: bool,
}

/// What counts as a yes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomeArg {
    /// Said yes to the ask (accepted or completed; no: declined or no answer in 30 days).
    SaidYes,
    /// Completed the activity within 90 days of the ask.
    Completed,
}

/// The rows of a CSV, JSON Lines or JSON file as JSON objects (empty cells as nulls).
fn rows_of(path: &str) -> Result<Vec<serde_json::Value>, String> {
    let mut out = Vec::new();
    for r in crate::program::objects(path)? {
        let (_, o) = r?;
        let sorted: std::collections::BTreeMap<String, String> = o.into_iter().collect();
        let obj: serde_json::Map<String, serde_json::Value> = sorted
            .into_iter()
            .map(|(k, v)| {
                let v = if v.trim().is_empty() { serde_json::Value::Null } else { serde_json::Value::String(v) };
                (k, v)
            })
            .collect();
        out.push(serde_json::Value::Object(obj));
    }
    Ok(out)
}

/// The calibrate input of the command's files, as the bindings build it too.
fn input(a: &CalibrateArgs) -> Result<serde_json::Value, String> {
    let mut input = serde_json::Map::new();
    let model = match &a.model {
        Some(p) => crate::load_model(p)?,
        None => Model::default(),
    };
    input.insert("model".into(), serde_json::to_value(&model).map_err(|e| e.to_string())?);
    match (&a.history, &a.examples) {
        (Some(dir), None) => {
            let (rows, _, flagged) = crate::history::read_rows(dir)?;
            if flagged > 0 {
                eprintln!("{dir}: {flagged} row(s) flagged when their snapshot was taken are left out");
            }
            input.insert("history".into(), rows.into());
            let ledger = a.ledger.as_deref().ok_or("--history needs --ledger FILE")?;
            let (entries, _) = crate::program::read_ledger(ledger)?;
            input.insert("ledger".into(), serde_json::to_value(entries).map_err(|e| e.to_string())?);
            let outcome = match a.outcome {
                OutcomeArg::SaidYes => "said_yes",
                OutcomeArg::Completed => "completed",
            };
            input.insert("outcome".into(), outcome.into());
        }
        (None, Some(path)) => {
            if a.ledger.is_some() {
                return Err("--examples: the examples carry their outcomes; allowed: --examples FILE, or --history DIR with --ledger FILE".into());
            }
            input.insert("examples".into(), rows_of(path)?.into());
        }
        _ => {
            return Err("nothing to calibrate on; allowed: --history DIR with --ledger FILE, or --examples FILE".into())
        }
    }
    if let Some(p) = &a.accounts {
        input.insert("accounts".into(), rows_of(p)?.into());
    }
    input.insert("options".into(), serde_json::json!({"folds": a.folds, "thresholds": a.thresholds}));
    Ok(serde_json::Value::Object(input))
}

/// Runs `advocacy calibrate`.
pub fn calibrate(a: &CalibrateArgs) -> Result<std::process::ExitCode, String> {
    let input = input(a)?;
    let started = std::time::Instant::now();
    let report = advocacy_calibrate::run_json(input).map_err(|e| format!("calibrate: {e}"))?;
    let took = started.elapsed();
    if let Some(path) = &a.write {
        let model: Model = serde_json::from_value(report["model"].clone()).map_err(|e| format!("{path}: {e}"))?;
        let text = if path.to_ascii_lowercase().ends_with(".toml") { model.to_toml() } else { model.to_json() };
        std::fs::write(path, text).map_err(|e| format!("{path}: {e}"))?;
        let what = if report["decision"]["changed"].as_bool() == Some(true) {
            "the calibrated points"
        } else {
            "the current points, unchanged"
        };
        eprintln!("{path}: written, with {what}");
    }
    let body = if a.json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        let mut t = text(&report);
        let _ = writeln!(t, "\nfitted and evaluated in {} ms", took.as_millis());
        if a.write.is_none() {
            let _ = writeln!(t, "nothing written: give --write FILE to save the proposed model");
        }
        t
    };
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(body.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("standard output: {e}")),
        _ => Ok(std::process::ExitCode::SUCCESS),
    }
}

fn pct(v: &serde_json::Value) -> String {
    v.as_f64().map_or("-".to_string(), |x| format!("{}%", fmt_num((x * 1000.0).round() / 10.0)))
}

fn num(v: &serde_json::Value) -> String {
    v.as_f64().map_or("-".to_string(), fmt_num)
}

/// The report for reading in a terminal.
pub fn text(r: &serde_json::Value) -> String {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let mut out = String::new();
    let e = &r["examples"];
    let _ = writeln!(
        out,
        "{} asks ({} yes, {} no) from {} to {}; yes = {}",
        num(&e["asks"]),
        num(&e["yes"]),
        num(&e["no"]),
        s(&e["first_ask"]),
        s(&e["last_ask"]),
        s(&r["outcome"]).replace('_', " ")
    );
    if let Some(l) = e["left_out"].as_object() {
        let _ = writeln!(
            out,
            "left out: {} still open, {} before the first snapshot, {} not in the snapshot before the ask",
            num(&l["pending"]),
            num(&l["before_first_snapshot"]),
            num(&l["not_in_snapshot"])
        );
    }
    let _ = writeln!(out, "{}", s(&r["features"]));
    let _ = writeln!(
        out,
        "\n{:<24} {:<22} {:<22} {:>4} {:>4}  {:>9} {:>8} {:>7}",
        "criterion", "signal", "rule", "old", "new", "met | yes", "met | no", "weight"
    );
    for c in r["criteria"].as_array().into_iter().flatten() {
        let changed = c["new_points"] != c["old_points"];
        let rule = if c["rule"] != c["old_rule"] {
            format!("{} (was {})", s(&c["rule"]), s(&c["old_rule"]))
        } else {
            s(&c["rule"])
        };
        let _ = writeln!(
            out,
            "{:<24} {:<22} {:<22} {:>4} {:>4}{} {:>9} {:>8} {:>7}{}",
            printable(&s(&c["id"]), 24),
            printable(&s(&c["signal"]), 22),
            printable(&rule, 22),
            num(&c["old_points"]),
            num(&c["new_points"]),
            if changed { "*" } else { " " },
            pct(&c["met_among_yes"]),
            pct(&c["met_among_no"]),
            num(&c["weight"]),
            if c["learnable"].as_bool() == Some(false) { "  (not learnable: kept)" } else { "" }
        );
    }
    let v = &r["evaluation"];
    let folds = v["folds"].as_array().map_or(0, |f| f.len());
    let _ = writeln!(
        out,
        "\nheld out ({folds} time-ordered folds, each fitted on the earlier asks only): {} asks, {} yes, {} no",
        num(&v["asks"]),
        num(&v["yes"]),
        num(&v["no"])
    );
    let (c, k) = (&v["current"], &v["calibrated"]);
    let _ = writeln!(out, "  {:<30} {:>20} {:>20}", "", "current", "calibrated");
    let auc = |f: &serde_json::Value| format!("{} ± {}", num(&f["auc"]), num(&f["auc_se"]));
    let _ = writeln!(out, "  {:<30} {:>20} {:>20}", "AUC", auc(c), auc(k));
    for (key, label) in [("top_10_percent", "top 10%"), ("top_50", "top 50")] {
        let _ = writeln!(
            out,
            "  {:<30} {:>20} {:>20}",
            format!("yes among the {label} ({} asks)", num(&c[key]["k"])),
            pct(&c[key]["precision"]),
            pct(&k[key]["precision"])
        );
    }
    let tiers_c = c["tiers"].as_array().cloned().unwrap_or_default();
    let tiers_k = k["tiers"].as_array().cloned().unwrap_or_default();
    for (tc, tk) in tiers_c.iter().zip(&tiers_k) {
        let cell = |t: &serde_json::Value| format!("{} of {} ({})", num(&t["yes"]), num(&t["asks"]), pct(&t["share"]));
        let _ = writeln!(
            out,
            "  {:<30} {:>20} {:>20}",
            format!("yes in {}", s(&tc["tier"]).replace('_', " ")),
            cell(tc),
            cell(tk)
        );
    }
    let _ = writeln!(out, "  AUC gain {} (standard error {})", num(&v["auc_gain"]), num(&v["auc_gain_se"]));
    let _ = writeln!(out, "\n{}", s(&r["decision"]["message"]));
    if let Some(t) = r["today"].as_object() {
        let _ = writeln!(
            out,
            "today's {} accounts under the proposed model: {} up a tier, {} down, {} unchanged",
            num(&t["accounts"]),
            num(&t["up"]),
            num(&t["down"]),
            num(&t["same"])
        );
        for ch in t["changes"].as_array().into_iter().flatten().take(8) {
            let _ = writeln!(
                out,
                "  {} -> {}: {}",
                s(&ch["from"]).replace('_', " "),
                s(&ch["to"]).replace('_', " "),
                num(&ch["accounts"])
            );
        }
    }
    let warnings = r["warnings"].as_array().cloned().unwrap_or_default();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in warnings {
            let _ = writeln!(out, "  {}", printable(&s(&w["message"]), 400));
        }
    }
    out
}
