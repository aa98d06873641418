//! `advocacy review` and `advocacy match`: the monthly program review and reference matching.
//!
//! Accounts are read and scored with the same readers and model options as `score`; the ledger,
//! overrides and program configuration are read here.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use advocacy_core::{fmt_num, Date, Model};
use advocacy_program::{
    self, split_list, Account, LedgerEntry, MatchRequest, Matches, Override, Prepared, ProgramConfig, ProgramError,
    Review,
};
use clap::{Args, ValueEnum};

use super::input::{read_rows, read_text, Format, Row};
use super::{build_model, LangArgs, ModelArgs};
use advocacy_program::lang::{self, Lang};

/// Report formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A readable report.
    Text,
    /// The full result as JSON.
    Json,
    /// Every figure as a row of CSV (`metrics` only): metric, period, group, count, of, value.
    Csv,
}

/// Inputs shared by `review` and `match`.
#[derive(Args)]
pub struct ProgramArgs {
    /// The activity ledger: .csv (account,activity,status,date) or .json/.jsonl.
    #[arg(long)]
    ledger: Option<String>,
    /// Overrides: .csv (account,tier,points,reason,author,expires,starts) or .json/.jsonl.
    #[arg(long)]
    overrides: Option<String>,
    /// A program configuration file (.json); default: the built-in program.
    #[arg(long)]
    config: Option<String>,
    /// The enrolment sheet (.csv, .json, .jsonl): one row per enrolled advocate with `account`,
    /// `stage`, `owner`, `enrolled`, `prefers`, `avoid`, `max_asks_per_quarter`, and the
    /// qualification call's `call_date`, `willing`, `hours_per_month`, `approval_process`,
    /// `on_camera`.
    #[arg(long, value_name = "FILE")]
    enrolment: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// `advocacy review`.
#[derive(Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    program: ProgramArgs,
    /// Last month's accounts (.csv, .jsonl, .json); optional `revisit` and `avoid` columns are read.
    #[arg(long)]
    previous: Option<String>,
    /// This month's accounts.
    #[arg(long)]
    current: String,
    /// The date of the previous snapshot (default: one month before --as-of).
    #[arg(long)]
    previous_as_of: Option<String>,
    /// How many "who to ask for what" suggestions to list.
    #[arg(long)]
    top: Option<usize>,
    /// A history folder (`advocacy snapshot`): revisit dates carried from the snapshot in which
    /// each account became not yet qualified replace those computed from today (a `revisit`
    /// column of the file still wins), and the review
    /// adds what the whole history says (trends over 90 days, carried revisits, each quarter's
    /// tiers; under `history` in JSON).
    #[arg(long, value_name = "DIR")]
    history: Option<String>,
    /// List every resting account (default: the 10 whose rest ends soonest).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    lang: LangArgs,
}

/// `advocacy match`.
/// `advocacy metrics`.
#[derive(Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    program: ProgramArgs,
    /// The accounts (.csv, .jsonl, .json): their tiers count the active advocates by tier.
    #[arg(long)]
    accounts: Option<String>,
    /// Renewal outcomes (.json: a list of {account, date, renewed, expanded}), for retention and
    /// expansion of advocates against the rest.
    #[arg(long)]
    renewals: Option<String>,
    /// Only ledger entries on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Only ledger entries on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// A history folder (`advocacy snapshot`): each quarter's active advocates are counted by
    /// their tier in that quarter, not by their tier in --accounts today.
    #[arg(long, value_name = "DIR")]
    history: Option<String>,
    /// Deals (.csv, .jsonl, .json: id,source,referring_account,account,created,closed,won,value,
    /// advocacy): referral conversion and time to close against the other sources, pipeline
    /// influenced by advocacy, the referral chain.
    #[arg(long)]
    deals: Option<String>,
}

/// `advocacy draft`.
#[derive(Args)]
pub struct DraftArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// A program configuration file (.json): its `templates` replace the shipped ones.
    #[arg(long)]
    config: Option<String>,
    /// The accounts (.csv, .jsonl, .json); optional `contact` and `result` (or `notes`) columns
    /// make the message specific.
    #[arg(long)]
    accounts: String,
    /// The account to write to.
    #[arg(long)]
    id: String,
    /// The activity to ask for (or thank for): a catalogue id such as case_study.
    #[arg(long)]
    activity: String,
    /// The message: recruitment (default) or thank_you.
    #[arg(long, default_value = "recruitment")]
    kind: String,
    /// Who signs it.
    #[arg(long)]
    sender: Option<String>,
    /// The project the activity is for (default: the activity).
    #[arg(long)]
    project: Option<String>,
    /// The whole draft as JSON (text, values, incentive, warnings).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    lang: crate::LangArgs,
}

#[derive(Args)]
pub struct MatchArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    program: ProgramArgs,
    /// The request: a JSON file or inline JSON, e.g.
    /// '{"activity":"reference_call","industry":"fintech","competitor":"Globex","date_needed":"2026-12-20"}'.
    request: String,
    /// The accounts (.csv, .jsonl, .json).
    #[arg(long)]
    accounts: String,
    /// How many advocates to list.
    #[arg(long)]
    limit: Option<usize>,
    /// The request log (.csv, .jsonl, .json: id,kind,created,status,advocate,...): advocates on
    /// another open request, or at the quarter's cap for the kind, are not offered (listed apart
    /// with why).
    #[arg(long)]
    requests: Option<String>,
}

/// `advocacy requests`.
#[derive(Args)]
pub struct RequestsArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    program: ProgramArgs,
    /// The request log (.csv, .jsonl, .json): id, kind, requester, owner, prospect, deal,
    /// industry, region, segment, competitor, created, needed, status, advocate, outcome, value,
    /// closed.
    #[arg(long)]
    requests: String,
    /// The accounts (.csv, .jsonl, .json).
    #[arg(long)]
    accounts: String,
    /// Candidates to list per open request.
    #[arg(long, default_value_t = 3)]
    top: usize,
}

/// Today's date (UTC): the default as-of date.
pub(crate) fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_days((secs / 86_400) as i64)
}

/// The program configuration, with the model's tiers, maximum and outreach (the model decides those).
fn load_config(path: Option<&str>, m: &Model) -> Result<ProgramConfig, String> {
    let mut cfg = match path {
        None => ProgramConfig::default(),
        Some(p) => ProgramConfig::from_json(&read_text(p)?).map_err(|e| format!("{p}: {e}"))?,
    };
    cfg.tiers = *m.tiers();
    cfg.max_total = m.max_points();
    cfg.outreach = m.outreach().clone();
    Ok(cfg)
}

/// What `explain` says the account can be asked for now: the program's eligible activities (the
/// default catalogue and ask rules, the account's hours, comfort and renewal; no ledger, so no
/// fatigue), or why nothing. `extra` are the file's own program columns (`avoid`, `next_renewal`).
pub(crate) fn asks_now(
    m: &Model,
    record: &advocacy_core::Record,
    score: &advocacy_core::Score,
    (path, mapping): (Option<&str>, &advocacy_core::ColumnMapping),
    (as_of, lang): (Date, advocacy_program::Lang),
) -> Result<String, String> {
    use advocacy_program::lang::message;
    let cfg = advocacy_program::lang::localize_program(&load_config(None, m)?, lang);
    let mut account = Account::from_score(record, score).map_err(|e| e.to_string())?;
    if let (Some(path), Some(id)) = (path, record.id.as_deref()) {
        if std::path::Path::new(path).is_file() {
            let id_column = record_id_header(path, m, mapping)?;
            if let Some(x) = extras(path, &id_column)?.get(id) {
                x.apply(&mut account);
            }
        }
    }
    let input = advocacy_program::EligibilityInput {
        config: Some(cfg),
        account,
        ledger: Vec::new(),
        overrides: Vec::new(),
        as_of,
    };
    let e = advocacy_program::eligibility(&input).map_err(|e| e.to_string())?;
    let mut o = String::new();
    if e.eligible.is_empty() {
        let why: Vec<&str> =
            e.excluded.first().map(|x| x.reasons.iter().map(|r| r.message.as_str()).collect()).unwrap_or_default();
        let _ = writeln!(o, "{}", message(lang, "explain.asks_none", &[("why", &why.join("; "))]));
        return Ok(o);
    }
    let shown: Vec<String> = e
        .eligible
        .iter()
        .take(5)
        .map(|a| {
            let fit = if a.fit.is_empty() { String::new() } else { format!(" [suits: {}]", a.fit.join(", ")) };
            format!("{} ({} h){fit}", a.label, fmt_num(a.typical_hours))
        })
        .collect();
    let more = e.eligible.len().saturating_sub(5);
    let mut asks = shown.join(", ");
    if more > 0 {
        asks = format!("{asks}, {}", message(lang, "explain.and_more", &[("count", &more.to_string())]));
    }
    let _ = writeln!(o, "{}", message(lang, "explain.asks_now", &[("asks", &asks)]));
    let mut notes: Vec<&str> = e.eligible.iter().flat_map(|a| a.notes.iter().map(String::as_str)).collect();
    notes.sort_unstable();
    notes.dedup();
    for n in notes {
        let _ = writeln!(o, "{}", message(lang, "explain.check_first", &[("note", n)]));
    }
    let by_hours = e.excluded.iter().filter(|x| x.reasons.iter().any(|r| r.code == "available_hours")).count();
    if by_hours > 0 {
        let _ = writeln!(o, "{}", message(lang, "explain.over_hours", &[("count", &by_hours.to_string())]));
    }
    Ok(o)
}

/// The column mapping of an accounts file read by a program command: the program's own columns
/// (`revisit`, `avoid`, `next_renewal`) are read by the program, so the model is told to leave
/// them alone rather than warn that it does not read them.
fn program_mapping(a: &ModelArgs, path: &str) -> Result<advocacy_core::ColumnMapping, String> {
    let mut mapping = a.mapping()?;
    for h in crate::input::read_headers(path).unwrap_or_default() {
        if advocacy_program::PROGRAM_COLUMNS.contains(&h.trim()) {
            mapping.columns.entry(h.clone()).or_insert_with(|| "ignore".into());
        }
    }
    Ok(mapping)
}

/// The header of a file's id column, as the model reads the file.
fn record_id_header(path: &str, m: &Model, mapping: &advocacy_core::ColumnMapping) -> Result<String, String> {
    let headers = crate::input::read_headers(path)?;
    let plan = m.read_columns(&headers, mapping).map_err(|e| format!("{path}: {e}"))?;
    Ok(plan.id_column().map_or("id".to_string(), |i| plan.columns[i].header.clone()))
}

/// Extra columns of an accounts file the model does not read: `revisit`, `avoid` and
/// `next_renewal`, by id.
fn extras(path: &str, id_column: &str) -> Result<HashMap<String, Extra>, String> {
    let mut out = HashMap::new();
    let keep = |h: &str| h == id_column || advocacy_program::PROGRAM_COLUMNS.contains(&h);
    for obj in objects_keeping(path, &keep)? {
        let (line, o) = obj?;
        let Some(id) = o.get(id_column).filter(|s| !s.trim().is_empty()) else { continue };
        let revisit = match o.get("revisit").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse::<Date>().map_err(|e| format!("{path}:{line}: column `revisit`: {e}"))?),
            None => None,
        };
        let avoid = o.get("avoid").map(|s| split_list(s)).unwrap_or_default();
        let next_renewal = match o.get("next_renewal").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse::<Date>().map_err(|e| format!("{path}:{line}: column `next_renewal`: {e}"))?),
            None => None,
        };
        let texts = ["contact", "result", "notes"]
            .iter()
            .filter_map(|c| {
                o.get(*c).map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| (c.to_string(), v.to_string()))
            })
            .collect();
        out.insert(id.trim().to_string(), Extra { revisit, avoid, next_renewal, texts });
    }
    Ok(out)
}

type Obj = HashMap<String, String>;
/// `revisit`, `avoid` and `next_renewal` of one account.
struct Extra {
    revisit: Option<Date>,
    avoid: Vec<String>,
    next_renewal: Option<Date>,
    /// `contact`, `result`, `notes`: text the drafted messages use.
    texts: Vec<(String, String)>,
}

impl Extra {
    /// Sets the account's program fields from the file's own columns (a `revisit` cell wins
    /// over the core's revisit date; an empty one keeps it).
    fn apply(&self, acc: &mut Account) {
        if self.revisit.is_some() {
            acc.revisit = self.revisit;
        }
        acc.avoid = self.avoid.clone();
        acc.next_renewal = self.next_renewal;
        for (k, v) in &self.texts {
            acc.custom.insert(k.clone(), advocacy_core::Value::Text(v.clone()));
        }
    }
}
/// A row of cells by column with its line, or the error text of a bad row.
type ObjRow = Result<(usize, Obj), String>;

/// The rows of a CSV, JSON Lines or JSON array file as text cells by column, with line numbers.
pub(crate) fn objects(path: &str) -> Result<Vec<ObjRow>, String> {
    objects_keeping(path, &|_| true)
}

/// [`objects`] with only the columns `keep` wants (an accounts file's few program columns, not
/// its every signal as text).
fn objects_keeping(path: &str, keep: &dyn Fn(&str) -> bool) -> Result<Vec<ObjRow>, String> {
    let text = read_text(path)?;
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    };
    let obj = |line: usize, v: &serde_json::Value| -> Result<(usize, Obj), String> {
        let o = v.as_object().ok_or_else(|| format!("{path}:{line}: expected a JSON object"))?;
        Ok((line, o.iter().filter(|(k, _)| keep(k)).map(|(k, v)| (k.clone(), cell(v))).collect()))
    };
    Ok(match Format::of(path, &text) {
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
            let headers: Vec<String> =
                rdr.headers().map_err(|e| format!("{path}:1: {e}"))?.iter().map(|h| h.trim().to_string()).collect();
            let kept: Vec<usize> = (0..headers.len()).filter(|&i| keep(&headers[i])).collect();
            rdr.records()
                .map(|r| {
                    let r = r.map_err(|e| format!("{path}:{}: {e}", e.position().map_or(0, |p| p.line())))?;
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    Ok((line, kept.iter().map(|&i| (headers[i].clone(), r.get(i).unwrap_or("").to_string())).collect()))
                })
                .collect()
        }
        Format::JsonLines => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .map_err(|e| format!("{path}:{}: not valid JSON: {e}", i + 1))
                    .and_then(|v| obj(i + 1, &v))
            })
            .collect(),
        Format::Json => {
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{path}:{}: not valid JSON: {e}", e.line()))?;
            let items = v.as_array().ok_or_else(|| format!("{path}: expected a JSON array of objects"))?;
            items.iter().enumerate().map(|(i, v)| obj(i + 1, v)).collect()
        }
    })
}

fn need<'a>(o: &'a Obj, col: &str, path: &str, line: usize) -> Result<&'a str, String> {
    o.get(col)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("{path}:{line}: column `{col}` is missing or empty"))
}

/// Where each list a program function reads came from: its file and the line of each item, so
/// that an error about `ledger[12]` names the ledger file and its line, not the accounts file.
#[derive(Default)]
struct Sources {
    lists: Vec<(&'static str, String, Vec<usize>)>,
}

impl Sources {
    fn add(&mut self, list: &'static str, path: &str, lines: Vec<usize>) {
        self.lists.push((list, path.to_string(), lines));
    }

    /// The error with the file and line of the item it is about.
    fn blame(&self, e: ProgramError) -> String {
        let list = e.path.split(['[', '.']).next().unwrap_or("");
        match self.lists.iter().find(|(name, _, _)| *name == list) {
            Some((_, path, lines)) => match e.row.and_then(|r| lines.get(r)) {
                Some(line) => format!("{path}:{line}: {e}"),
                None => format!("{path}: {e}"),
            },
            None => e.to_string(),
        }
    }
}

/// Reads a ledger file (columns `account`, `activity`, `status`, `date`), with each entry's line.
pub(crate) fn read_ledger(path: &str) -> Result<(Vec<LedgerEntry>, Vec<usize>), String> {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    for r in objects(path)? {
        let (line, o) = r?;
        lines.push(line);
        let status = need(&o, "status", path, line)?;
        let status = status
            .parse()
            .map_err(|allowed| format!("{path}:{line}: column `status`: value {status:?}; allowed: {allowed}"))?;
        let date = need(&o, "date", path, line)?;
        let date = date.parse::<Date>().map_err(|e| format!("{path}:{line}: column `date`: {e}"))?;
        out.push(LedgerEntry::new(need(&o, "account", path, line)?, need(&o, "activity", path, line)?, status, date));
    }
    Ok((out, lines))
}

/// Reads a table of serde rows (CSV, JSON Lines, JSON): empty cells left out, `numbers`,
/// `bools` and `lists` (`a; b`) columns typed, each row with its line; a bad row names its line
/// and the field.
fn read_table<T: serde::de::DeserializeOwned>(
    path: &str,
    numbers: &[&str],
    bools: &[&str],
    lists: &[&str],
) -> Result<(Vec<T>, Vec<usize>), String> {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    for r in objects(path)? {
        let (line, o) = r?;
        let mut row = serde_json::Map::new();
        for (k, v) in &o {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let value = if numbers.contains(&k.as_str()) {
                let n = v
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .ok_or_else(|| format!("{path}:{line}: column `{k}`: value {v:?}; allowed: a number"))?;
                serde_json::Value::Number(n)
            } else if bools.contains(&k.as_str()) {
                match v.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "1" => true.into(),
                    "false" | "no" | "0" => false.into(),
                    _ => return Err(format!("{path}:{line}: column `{k}`: value {v:?}; allowed: true, false")),
                }
            } else if lists.contains(&k.as_str()) {
                serde_json::Value::from(split_list(v))
            } else {
                v.into()
            };
            row.insert(k.clone(), value);
        }
        out.push(serde_json::from_value(serde_json::Value::Object(row)).map_err(|e| format!("{path}:{line}: {e}"))?);
        lines.push(line);
    }
    Ok((out, lines))
}

/// Reads a request log.
fn read_requests(path: &str) -> Result<(Vec<advocacy_program::Request>, Vec<usize>), String> {
    read_table(path, &["value"], &[], &[])
}

/// Reads an overrides file (columns `account`, `tier` or `points`, `reason`, `author`, `expires`, optional `starts`).
fn read_overrides(path: &str) -> Result<(Vec<Override>, Vec<usize>), String> {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    for r in objects(path)? {
        let (line, o) = r?;
        lines.push(line);
        let opt = |c: &str| o.get(c).map(|s| s.trim()).filter(|s| !s.is_empty());
        let date = |c: &str, v: &str| v.parse::<Date>().map_err(|e| format!("{path}:{line}: column `{c}`: {e}"));
        out.push(Override {
            account: need(&o, "account", path, line)?.to_string(),
            tier: opt("tier")
                .map(|t| t.parse().map_err(|e| format!("{path}:{line}: column `tier`: {e}")))
                .transpose()?,
            points: opt("points")
                .map(|p| {
                    p.parse::<f64>()
                        .map_err(|_| format!("{path}:{line}: column `points`: value {p:?}; allowed: a number"))
                })
                .transpose()?,
            reason: opt("reason").unwrap_or("").to_string(),
            author: opt("author").unwrap_or("").to_string(),
            expires: date("expires", need(&o, "expires", path, line)?)?,
            starts: opt("starts").map(|s| date("starts", s)).transpose()?,
        });
    }
    Ok((out, lines))
}

/// Reads and scores an accounts file into program accounts.
/// A row error without its row (the message names the file line).
fn without_row(mut e: advocacy_core::RecordError) -> advocacy_core::RecordError {
    e.row = None;
    e
}

/// The program's account of one scored row, with the file's `revisit` and `avoid` columns.
fn account_of(
    record: &advocacy_core::Record,
    name: Option<String>,
    score: &advocacy_core::Score,
    extra: &HashMap<String, Extra>,
) -> Result<Account, String> {
    let mut acc = Account::from_score(record, score).map_err(|e| e.to_string())?;
    acc.name = name;
    if let Some(x) = extra.get(&acc.id) {
        x.apply(&mut acc);
    }
    Ok(acc)
}

fn read_accounts(path: &str, m: &Model, a: &ModelArgs, as_of: Date) -> Result<(Vec<Account>, Vec<usize>), String> {
    let mapping = program_mapping(a, path)?;
    let lower = path.to_ascii_lowercase();
    if [".csv", ".tsv", ".jsonl", ".ndjson"].iter().any(|e| lower.ends_with(e)) {
        // Streamed: each row becomes its account at once; no row or record is kept.
        let (mut out, mut lines) = (Vec::new(), Vec::new());
        let none = HashMap::new();
        let mut visit = |line: usize, row: crate::stream::RecordRow| -> Result<(), String> {
            let (record, name) = row.map_err(|(_, why)| why)?;
            if record.id.is_none() {
                return Err(format!(
                    "{path}:{line}: an account without an id; allowed: a column holding the account id"
                ));
            }
            let s = m.score_as_of(&record, as_of).map_err(|e| format!("{path}:{line}: {}", without_row(e)))?;
            out.push(account_of(&record, name, &s, &none).map_err(|e| format!("{path}:{line}: {e}"))?);
            lines.push(line);
            Ok(())
        };
        let plan = crate::stream::each_record(path, m, &mapping, false, &mut visit)?;
        // The file's own `revisit`, `avoid` and `next_renewal` columns, read again for those alone.
        let id_header = plan.id_column().map_or("id".to_string(), |i| plan.columns[i].header.clone());
        let extra = extras(path, &id_header)?;
        for acc in &mut out {
            if let Some(x) = extra.get(&acc.id) {
                x.apply(acc);
            }
        }
        return Ok((out, lines));
    }
    let table = read_rows(path, m, &mapping, false)?;
    let id_header = table.plan.id_column().map(|i| table.plan.columns[i].header.clone());
    let extra = extras(path, id_header.as_deref().unwrap_or("id"))?;
    let mut out = Vec::with_capacity(table.rows.len());
    let mut lines = Vec::with_capacity(table.rows.len());
    // Scored a chunk at a time, each row's record and explained score dropped once its account
    // is built: the accounts are what the review keeps.
    let mut rows = table.rows.into_iter();
    loop {
        let chunk: Vec<Row> = rows.by_ref().take(4096).collect();
        if chunk.is_empty() {
            break;
        }
        let records: Vec<_> = chunk.iter().map(|r| r.record.clone()).collect();
        let scores = m.score_records(&records, Some(as_of));
        drop(records);
        for (row, s) in chunk.into_iter().zip(scores) {
            let s = s.map_err(|e| format!("{path}:{}: {}", row.line, without_row(e)))?;
            if row.record.id.is_none() {
                return Err(format!(
                    "{path}:{}: column `{}` is empty: every account needs an id",
                    row.line,
                    id_header.as_deref().unwrap_or("id")
                ));
            }
            let mut acc = Account::from_score(&row.record, &s).map_err(|e| format!("{path}:{}: {e}", row.line))?;
            acc.name = row.name;
            if let Some(x) = extra.get(&acc.id) {
                x.apply(&mut acc);
            }
            out.push(acc);
            lines.push(row.line);
        }
    }
    Ok((out, lines))
}

/// The ledger and the overrides, if given, read and recorded in `sources`.
fn ledger_and_overrides(p: &ProgramArgs, sources: &mut Sources) -> Result<(Vec<LedgerEntry>, Vec<Override>), String> {
    let ledger = match p.ledger.as_deref() {
        Some(path) => {
            let (entries, lines) = read_ledger(path)?;
            sources.add("ledger", path, lines);
            entries
        }
        None => Vec::new(),
    };
    let overrides = match p.overrides.as_deref() {
        Some(path) => {
            let (list, lines) = read_overrides(path)?;
            sources.add("overrides", path, lines);
            list
        }
        None => Vec::new(),
    };
    Ok((ledger, overrides))
}

/// Reads the enrolment sheet of `--enrolment`, if given, and attaches it to the accounts; errors
/// name the sheet's file and line.
fn enrol(p: &ProgramArgs, accounts: &mut [Account], sources: &mut Sources) -> Result<(), String> {
    let Some(path) = p.enrolment.as_deref() else { return Ok(()) };
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for r in objects(path)? {
        let (line, o) = r?;
        lines.push(line);
        rows.push(serde_json::Value::Object(o.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect()));
    }
    sources.add("enrolment", path, lines);
    let read = advocacy_program::read_enrolment(&rows, "enrolment").map_err(|e| sources.blame(e))?;
    advocacy_program::attach_enrolment(accounts, read, "enrolment").map_err(|e| sources.blame(e))
}

fn write_out(s: &str) {
    let _ = std::io::stdout().write_all(s.as_bytes());
}

/// `advocacy review`.
pub fn review(a: &ReviewArgs) -> Result<ExitCode, String> {
    let lang = a.lang.get();
    let (m, as_of) = build_model(&a.model)?;
    let m = advocacy_program::localize_model(&m, lang);
    let as_of = as_of.unwrap_or_else(today);
    let previous_as_of = match &a.previous_as_of {
        Some(s) => s.parse::<Date>().map_err(|e| format!("--previous-as-of: {e}"))?,
        None => as_of.add_months(-1),
    };
    let mut cfg = advocacy_program::localize_program(&load_config(a.program.config.as_deref(), &m)?, lang);
    if let Some(n) = a.top {
        cfg.review.max_suggestions = n;
    }
    let mut sources = Sources::default();
    let (mut current, lines) = read_accounts(&a.current, &m, &a.model, as_of)?;
    sources.add("accounts", &a.current, lines);
    enrol(&a.program, &mut current, &mut sources)?;
    let history = match &a.history {
        Some(dir) => {
            let options = serde_json::Map::from_iter([("as_of".to_string(), as_of.to_string().into())]);
            let (report, files) = crate::history::report(dir, options)?;
            // Carried revisit dates, where the file gives none.
            let carried: HashMap<String, Date> = report["revisits"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| Some((v["account"].as_str()?.to_string(), v["revisit"].as_str()?.parse().ok()?)))
                .collect();
            // A revisit date that is only the rule applied today (as_of + the model's months) is
            // replaced by the one carried from when the account became not yet qualified; a date
            // the file's own `revisit` column gives stays.
            let today_rule =
                advocacy_core::revisit_date(advocacy_core::Tier::NotYetQualified, as_of, m.spec().revisit_months);
            for acc in current.iter_mut().filter(|a| a.revisit.is_none() || a.revisit == today_rule) {
                if let Some(d) = carried.get(&acc.id) {
                    acc.revisit = Some(*d);
                }
            }
            Some((report, files))
        }
        None => None,
    };
    let previous = match &a.previous {
        Some(p) => {
            let (previous, lines) = read_accounts(p, &m, &a.model, previous_as_of)?;
            sources.add("previous", p, lines);
            previous
        }
        None => Vec::new(),
    };
    let (ledger, overrides) = ledger_and_overrides(&a.program, &mut sources)?;
    let prepared = Prepared::new(&cfg, &current, &ledger).map_err(|e| sources.blame(e))?;
    let review = prepared.review(&previous, Some(previous_as_of), &overrides, as_of).map_err(|e| sources.blame(e))?;
    if a.program.format == ReportFormat::Csv {
        return Err("--format csv is for `advocacy metrics`; allowed here: text, json".into());
    }
    match (a.program.format, history) {
        (ReportFormat::Json, None) => {
            write_out(&(serde_json::to_string_pretty(&review).map_err(|e| e.to_string())? + "\n"))
        }
        (ReportFormat::Json, Some((report, _))) => {
            let mut out = serde_json::to_value(&review).map_err(|e| e.to_string())?;
            out["history"] = report;
            write_out(&(serde_json::to_string_pretty(&out).map_err(|e| e.to_string())? + "\n"))
        }
        (ReportFormat::Text, None) => write_out(&render_review(
            &review,
            (&current, &previous),
            (a.previous.is_some(), a.all),
            previous_as_of,
            (lang, &cfg),
        )),
        (ReportFormat::Csv, _) => {}
        (ReportFormat::Text, Some((report, files))) => {
            let mut text = render_review(
                &review,
                (&current, &previous),
                (a.previous.is_some(), a.all),
                previous_as_of,
                (lang, &cfg),
            );
            let dir = a.history.as_deref().unwrap_or("");
            text.push_str(&format!("\n{}\n", lang::message(lang, "review.over_time", &[("dir", dir)])));
            text.push_str(&crate::history::text(&report, files, a.top.unwrap_or(10)));
            write_out(&text)
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tier_name(t: advocacy_core::Tier) -> &'static str {
    match t {
        advocacy_core::Tier::NotYetQualified => "not yet qualified",
        advocacy_core::Tier::NotAdvocateMaterial => "not advocate material",
        other => other.as_str(),
    }
}

fn render_review(
    r: &Review,
    (current, previous): (&[Account], &[Account]),
    (has_previous, all): (bool, bool),
    previous_as_of: Date,
    (lang, cfg): (Lang, &ProgramConfig),
) -> String {
    let t = |key| lang::text(lang, key);
    let msg = |key, values: &[(&str, &str)]| lang::message(lang, key, values);
    let n = |x: usize| x.to_string();
    // Activities by id in English (as always), by their catalogue label in another language.
    let activity = |id: &str| -> String {
        match cfg.activities.iter().find(|a| a.id == id).filter(|a| lang != Lang::En && !a.label.is_empty()) {
            Some(a) => a.label.clone(),
            None => id.to_string(),
        }
    };
    // Names of this month's accounts, and of last month's for those gone since.
    let names: HashMap<&str, &str> =
        previous.iter().chain(current).filter_map(|a| a.name.as_deref().map(|n| (a.id.as_str(), n))).collect();
    let who = |id: &str| match names.get(id) {
        Some(n) => format!("{id} ({n})"),
        None => id.to_string(),
    };
    let mut o = String::new();
    let _ = writeln!(o, "{}", msg("review.title", &[("date", &r.as_of.to_string())]));
    if has_previous {
        let values = [
            ("accounts", n(r.accounts)),
            ("previous", n(r.previous_accounts)),
            ("previous_as_of", previous_as_of.to_string()),
        ];
        let _ = writeln!(o, "{}", msg("review.accounts", &values.each_ref().map(|(k, v)| (*k, v.as_str()))));
    } else {
        let _ = writeln!(o, "{}", msg("review.accounts_no_previous", &[("accounts", &n(r.accounts))]));
    }
    let tc = &r.tiers;
    let tiers: Vec<String> = [
        (advocacy_core::Tier::Platinum, tc.platinum),
        (advocacy_core::Tier::Gold, tc.gold),
        (advocacy_core::Tier::Silver, tc.silver),
        (advocacy_core::Tier::NotYetQualified, tc.not_yet_qualified),
        (advocacy_core::Tier::NotAdvocateMaterial, tc.not_advocate_material),
    ]
    .iter()
    .map(|(tier, count)| format!("{} {count}", lang::tier_name(lang, *tier)))
    .collect();
    let overridden = if r.overridden > 0 {
        format!(" ({})", msg("review.overridden", &[("count", &n(r.overridden))]))
    } else {
        String::new()
    };
    let _ = writeln!(o, "{}{overridden}", msg("review.tiers", &[("tiers", &tiers.join(", "))]));
    let segs: Vec<String> =
        r.segments.iter().map(|s| format!("{} {}", lang::segment_name(lang, s.segment), s.accounts)).collect();
    let in_segments: usize = r.segments.iter().map(|s| s.accounts).sum();
    let _ = writeln!(o, "{}", msg("review.segments", &[("total", &n(in_segments)), ("segments", &segs.join(", "))]));
    let st = &r.stages;
    let stages: Vec<String> = [
        (advocacy_program::Stage::Identified, st.identified),
        (advocacy_program::Stage::Qualified, st.qualified),
        (advocacy_program::Stage::Contacted, st.contacted),
        (advocacy_program::Stage::Enrolled, st.enrolled),
        (advocacy_program::Stage::Active, st.active),
    ]
    .iter()
    .map(|(stage, count)| format!("{} {count}", lang::stage_name(lang, *stage)))
    .collect();
    let _ = writeln!(o, "{}", msg("review.stages", &[("stages", &stages.join(", "))]));
    let _ = writeln!(o, "{}", msg("review.resting_summary", &[("resting", &n(r.resting)), ("askable", &n(r.askable))]));

    let section = |o: &mut String, title: &str, lines: Vec<String>| {
        let _ = writeln!(o, "\n{title}: {}", lines.len());
        if lines.is_empty() {
            let _ = writeln!(o, "  {}", t("common.none"));
        }
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
    };
    let change = |c: &advocacy_program::TierChange| {
        msg(
            "review.change",
            &[
                ("account", &who(&c.account)),
                ("from", lang::tier_name(lang, c.from)),
                ("to", lang::tier_name(lang, c.to)),
                ("score_from", &fmt_num(c.total_from)),
                ("score_to", &fmt_num(c.total_to)),
            ],
        )
    };
    let shown = if all { r.resting_accounts.len() } else { r.resting_accounts.len().min(10) };
    let _ = writeln!(
        o,
        "\n{}{}",
        msg("review.resting", &[("count", &n(r.resting_accounts.len()))]),
        if shown < r.resting_accounts.len() {
            format!(" ({})", msg("review.resting_shown", &[("shown", &n(shown))]))
        } else {
            String::new()
        }
    );
    if r.resting_accounts.is_empty() {
        let _ = writeln!(o, "  {}", t("common.none"));
    }
    for x in r.resting_accounts.iter().take(shown) {
        let line = match x.until {
            Some(d) => msg(
                "review.resting_until",
                &[("account", &who(&x.account)), ("rule", &x.rule), ("date", &d.to_string())],
            ),
            None => msg("review.resting_until_thanks", &[("account", &who(&x.account)), ("rule", &x.rule)]),
        };
        let _ = writeln!(o, "  {line}");
    }
    let mv = &r.movement;
    if has_previous {
        section(&mut o, t("review.moved_up"), mv.moved_up.iter().map(change).collect());
        section(&mut o, t("review.moved_down"), mv.moved_down.iter().map(change).collect());
        section(&mut o, t("review.newly_qualified"), mv.newly_qualified.iter().map(change).collect());
        section(&mut o, t("review.dropped_out"), mv.dropped_out.iter().map(change).collect());
        section(&mut o, t("review.new_accounts"), mv.new_accounts.iter().map(|id| who(id)).collect());
        section(&mut o, t("review.gone"), mv.removed_accounts.iter().map(|id| who(id)).collect());
    }
    section(
        &mut o,
        t("review.revisits_due"),
        r.revisits_due
            .iter()
            .map(|v| msg("review.revisit_item", &[("account", &who(&v.account)), ("date", &v.revisit.to_string())]))
            .collect(),
    );
    section(
        &mut o,
        t("review.new_promoters"),
        r.new_promoters
            .iter()
            .map(|p| {
                format!(
                    "{}{}",
                    msg("review.promoter_item", &[("account", &who(&p.account)), ("nps", &fmt_num(p.nps))]),
                    p.previous_nps.map_or(String::new(), |x| format!(
                        " ({})",
                        msg("review.promoter_was", &[("nps", &fmt_num(x))])
                    ))
                )
            })
            .collect(),
    );
    section(
        &mut o,
        t("review.trending_up"),
        r.trending_up
            .iter()
            .map(|t| format!("{}: {} -> {}", who(&t.account), fmt_num(t.from), fmt_num(t.to)))
            .collect(),
    );
    section(&mut o, t("review.new_expansions"), r.new_expansions.iter().map(|id| who(id)).collect());
    section(&mut o, t("review.new_renewals"), r.new_renewals.iter().map(|id| who(id)).collect());
    section(
        &mut o,
        &msg("review.suggestions", &[("count", &n(r.askable))]),
        r.suggestions
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let effort = msg("effort.phrase", &[("effort", lang::effort_name(lang, s.effort))]);
                let line = msg(
                    "review.suggestion",
                    &[
                        ("account", &who(&s.account)),
                        ("tier", lang::tier_name(lang, s.tier)),
                        ("segment", lang::segment_name(lang, s.segment)),
                        ("score", &fmt_num(s.total)),
                        ("activity", &activity(&s.activity)),
                        ("effort", &effort),
                        ("invited_by", &s.invited_by),
                        ("incentive", &s.incentive.text),
                    ],
                );
                let approval =
                    if s.approval_needed { format!("; {}", t("review.approval_first")) } else { String::new() };
                let fit = if s.fit.is_empty() { String::new() } else { format!("; suits: {}", s.fit.join(", ")) };
                format!("{:>2}. {line}{fit}{approval}", i + 1)
            })
            .collect(),
    );
    section(
        &mut o,
        t("review.thanks_owed"),
        r.thanks_owed
            .iter()
            .map(|x| {
                msg(
                    "review.thanks_item",
                    &[
                        ("account", &who(&x.account)),
                        ("activity", &activity(&x.activity)),
                        ("date", &x.completed.to_string()),
                        ("days", &x.days_waiting.to_string()),
                    ],
                )
            })
            .collect(),
    );
    if r.unmatched_ledger_entries > 0 {
        let _ = writeln!(o, "\n{}", msg("review.unmatched", &[("count", &n(r.unmatched_ledger_entries))]));
    }
    o
}

/// `advocacy match`.
pub fn match_request(a: &MatchArgs) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(&a.model)?;
    let as_of = as_of.unwrap_or_else(today);
    let text = if a.request.trim_start().starts_with('{') { a.request.clone() } else { read_text(&a.request)? };
    let mut request: MatchRequest = serde_json::from_str(&text).map_err(|e| format!("request: {e}"))?;
    if let Some(n) = a.limit {
        request.limit = Some(n);
    }
    let cfg = load_config(a.program.config.as_deref(), &m)?;
    let mut sources = Sources::default();
    let (mut accounts, lines) = read_accounts(&a.accounts, &m, &a.model, as_of)?;
    sources.add("accounts", &a.accounts, lines);
    enrol(&a.program, &mut accounts, &mut sources)?;
    let (ledger, overrides) = ledger_and_overrides(&a.program, &mut sources)?;
    let requests = match &a.requests {
        Some(p) => {
            let (requests, lines) = read_requests(p)?;
            sources.add("requests", p, lines);
            requests
        }
        None => Vec::new(),
    };
    let prepared = Prepared::new(&cfg, &accounts, &ledger).map_err(|e| sources.blame(e))?;
    let matches = prepared.match_with_requests(&request, &requests, &overrides, as_of).map_err(|e| sources.blame(e))?;
    match a.program.format {
        ReportFormat::Json => write_out(&(serde_json::to_string_pretty(&matches).map_err(|e| e.to_string())? + "\n")),
        ReportFormat::Text => write_out(&render_matches(&matches, as_of)),
        ReportFormat::Csv => return Err("--format csv is for `advocacy metrics`; allowed here: text, json".into()),
    }
    Ok(ExitCode::SUCCESS)
}

fn render_matches(m: &Matches, as_of: Date) -> String {
    let r = &m.request;
    let mut facts = vec![format!("activity {}", r.activity)];
    for (k, v) in [("industry", &r.industry), ("region", &r.region), ("competitor", &r.competitor)] {
        if let Some(v) = v {
            facts.push(format!("{k} {v}"));
        }
    }
    if let Some(s) = r.segment {
        facts.push(format!(
            "segment {}",
            serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
        ));
    }
    if let Some(d) = r.date_needed {
        facts.push(format!("needed by {d}"));
    }
    let mut o = String::new();
    let _ = writeln!(o, "Reference request ({}), as of {as_of}", facts.join(", "));
    let _ = writeln!(
        o,
        "{} accounts looked at; {} fit and can be asked now; {} fit but are resting",
        m.considered, m.eligible, m.resting
    );
    if m.candidates.is_empty() {
        let _ = writeln!(o, "\nNo advocate fits this request now.");
    }
    for c in &m.candidates {
        let name = c.name.as_deref().map_or(String::new(), |n| format!(" ({n})"));
        let _ = writeln!(
            o,
            "\n{:>2}. {}{name}: {} tier, score {}, match points {}",
            c.rank,
            c.account,
            tier_name(c.tier),
            fmt_num(c.total),
            fmt_num(c.match_points)
        );
        for reason in &c.reasons {
            let _ = writeln!(o, "    - {reason}");
        }
        let _ = writeln!(
            o,
            "    invite: {}; incentive: {}{}",
            c.invited_by,
            c.incentive.text,
            if c.approval_needed { "; get the company's approval first" } else { "" }
        );
    }
    if !m.excluded.is_empty() {
        let _ = writeln!(o, "\nNot offered (the request log):");
        for x in &m.excluded {
            let _ = writeln!(o, "  {}: {}", x.account, x.message);
        }
    }
    if !m.later.is_empty() {
        let _ = writeln!(o, "\nResting now, free again before the date needed:");
        for l in &m.later {
            let _ = writeln!(
                o,
                "  {}: {} tier, from {} ({})",
                l.account,
                tier_name(l.tier),
                l.available_from,
                l.rules.join(", ")
            );
        }
    }
    o
}

/// `advocacy metrics`: the program's metrics from the ledger (and the accounts, renewals), as a
/// report, JSON or CSV with the counts behind every rate.
pub fn metrics(a: &MetricsArgs) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(&a.model)?;
    let as_of = as_of.unwrap_or_else(today);
    let cfg = load_config(a.program.config.as_deref(), &m)?;
    let mut sources = Sources::default();
    let accounts = match &a.accounts {
        Some(p) => {
            let (accounts, lines) = read_accounts(p, &m, &a.model, as_of)?;
            sources.add("accounts", p, lines);
            accounts
        }
        None => Vec::new(),
    };
    if a.program.ledger.is_none() {
        return Err("metrics need the activity ledger: --ledger FILE (.csv, .json or .jsonl)".into());
    }
    let (ledger, _) = ledger_and_overrides(&a.program, &mut sources)?;
    let day = |flag: &str, v: &Option<String>| -> Result<Option<Date>, String> {
        v.as_deref().map(|d| d.trim().parse::<Date>().map_err(|e| format!("{flag} {d:?}: {e}"))).transpose()
    };
    let renewals: Vec<advocacy_program::RenewalRecord> = match &a.renewals {
        Some(p) => serde_json::from_str(&read_text(p)?).map_err(|e| format!("{p}: {e}"))?,
        None => Vec::new(),
    };
    let input = advocacy_program::MetricsInput {
        config: Some(cfg),
        accounts,
        ledger,
        renewals,
        from: day("--from", &a.from)?,
        to: day("--to", &a.to)?,
        history: match &a.history {
            Some(dir) => Some(crate::history::read_rows(dir)?.0),
            None => None,
        },
        deals: match &a.deals {
            Some(p) => {
                let (deals, lines) = read_table::<advocacy_program::Deal>(p, &["value"], &["won"], &["advocacy"])?;
                sources.add("deals", p, lines);
                deals
            }
            None => Vec::new(),
        },
    };
    let out = advocacy_program::metrics(&input).map_err(|e| sources.blame(e))?;
    match a.program.format {
        ReportFormat::Json => write_out(&(serde_json::to_string_pretty(&out).map_err(|e| e.to_string())? + "\n")),
        ReportFormat::Csv => write_out(&metrics_csv(&out)),
        ReportFormat::Text => write_out(&metrics_text(&out)),
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per figure: metric, period, group, count, of, value (a rate, or days).
fn metrics_rows(r: &advocacy_program::Metrics) -> Vec<[String; 6]> {
    let n = |x: usize| x.to_string();
    let v = |x: Option<f64>| x.map_or(String::new(), fmt_num);
    let mut rows = Vec::new();
    for q in &r.active_advocates {
        let t = &q.tiers;
        for (tier, count) in [
            ("platinum", t.platinum),
            ("gold", t.gold),
            ("silver", t.silver),
            ("not_yet_qualified", t.not_yet_qualified),
            ("not_advocate_material", t.not_advocate_material),
            ("unknown", q.unknown_tier),
        ] {
            rows.push(["active_advocates".into(), q.quarter.clone(), tier.into(), n(count), n(q.total), String::new()]);
        }
        let e = &q.effort;
        for (level, count) in [("low", e.low), ("moderate", e.moderate), ("high", e.high)] {
            rows.push([
                "active_advocates_by_effort".into(),
                q.quarter.clone(),
                level.into(),
                n(count),
                n(q.total),
                String::new(),
            ]);
        }
    }
    for (name, rate) in [("recruitment", &r.recruitment), ("completion", &r.completion)] {
        rows.push([name.into(), String::new(), String::new(), n(rate.count), n(rate.of), v(rate.rate)]);
    }
    let t = &r.time_to_first_activity;
    rows.push([
        "time_to_first_activity_mean_days".into(),
        String::new(),
        String::new(),
        n(t.accounts),
        String::new(),
        v(t.mean_days),
    ]);
    rows.push([
        "time_to_first_activity_median_days".into(),
        String::new(),
        String::new(),
        n(t.accounts),
        String::new(),
        v(t.median_days),
    ]);
    for a in &r.assets {
        rows.push(["assets".into(), a.quarter.clone(), a.asset.clone(), n(a.count), String::new(), String::new()]);
    }
    for g in &r.asset_goals {
        let met = if g.met { "1" } else { "0" };
        rows.push([
            "asset_goal".into(),
            g.quarter.clone(),
            g.asset.clone(),
            n(g.count),
            g.goal.to_string(),
            met.into(),
        ]);
    }
    if let Some(ret) = &r.retention {
        for (group, g) in [("advocates", &ret.advocates), ("others", &ret.others)] {
            rows.push([
                "retention".into(),
                String::new(),
                group.into(),
                n(g.retention.count),
                n(g.retention.of),
                v(g.retention.rate),
            ]);
            rows.push([
                "expansion".into(),
                String::new(),
                group.into(),
                n(g.expansion.count),
                n(g.expansion.of),
                v(g.expansion.rate),
            ]);
        }
    }
    if let Some(f) = &r.referrals {
        for (group, s) in [("referral", &f.referral), ("other", &f.other)] {
            let c = &s.conversion;
            rows.push(["deal_conversion".into(), String::new(), group.into(), n(c.count), n(c.of), v(c.rate)]);
            let d = &s.days_to_close;
            for (name, x) in [("days_to_close_median", d.median_days), ("days_to_close_mean", d.mean_days)] {
                rows.push([name.into(), String::new(), group.into(), n(d.deals), String::new(), v(x)]);
            }
            rows.push(["value_won".into(), String::new(), group.into(), n(s.won), String::new(), fmt_num(s.value_won)]);
        }
        rows.push([
            "referral_conversion_ratio".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            v(f.conversion_ratio),
        ]);
        rows.push([
            "referral_time_to_close_ratio".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            v(f.time_to_close_ratio),
        ]);
        let p = &f.pipeline;
        rows.push([
            "pipeline_influenced".into(),
            String::new(),
            "deals".into(),
            n(p.deals.count),
            n(p.deals.of),
            v(p.deals.rate),
        ]);
        rows.push([
            "pipeline_influenced".into(),
            String::new(),
            "won".into(),
            n(p.won.count),
            n(p.won.of),
            v(p.won.rate),
        ]);
        rows.push([
            "pipeline_influenced_value".into(),
            String::new(),
            String::new(),
            fmt_num(p.value),
            fmt_num(p.total_value),
            v(p.value_share),
        ]);
        let ch = &f.chain;
        for (name, x) in [
            ("referral_chain_became_advocates", &ch.became_advocates),
            ("referral_chain_referred_others", &ch.referred_others),
        ] {
            rows.push([name.into(), String::new(), String::new(), n(x.count), n(x.of), v(x.rate)]);
        }
    }
    rows
}

fn metrics_csv(r: &advocacy_program::Metrics) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let _ = w.write_record(["metric", "period", "group", "count", "of", "value"]);
    for row in metrics_rows(r) {
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn metrics_text(r: &advocacy_program::Metrics) -> String {
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{}%", fmt_num((v * 1000.0).round() / 10.0)));
    let mut o = String::new();
    let _ = writeln!(o, "Program metrics ({} ledger entries counted)", r.entries);
    let from = if r.tiers_from == "history" {
        "each quarter's tier from the history"
    } else {
        "the tier in --accounts today; --history DIR gives each quarter's own"
    };
    let _ = writeln!(o, "\nActive advocates by score tier, per quarter ({from}):");
    if r.active_advocates.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for q in &r.active_advocates {
        let t = &q.tiers;
        let _ = writeln!(
            o,
            "  {}: {} active: platinum {}, gold {}, silver {}, not yet qualified {}, not advocate material {}{}",
            q.quarter,
            q.total,
            t.platinum,
            t.gold,
            t.silver,
            t.not_yet_qualified,
            t.not_advocate_material,
            if q.unknown_tier > 0 { format!(", tier unknown {}", q.unknown_tier) } else { String::new() }
        );
        let _ = writeln!(
            o,
            "      by effort level of what they did: Tier 1 (low) {}, Tier 2 (moderate) {}, Tier 3 (high) {}",
            q.effort.low, q.effort.moderate, q.effort.high
        );
    }
    let rc = &r.recruitment;
    let _ = writeln!(o, "\nRecruitment: {} of {} accounts asked said yes ({})", rc.count, rc.of, pct(rc.rate));
    let c = &r.completion;
    let _ = writeln!(o, "Completion: {} of {} accepted activities completed ({})", c.count, c.of, pct(c.rate));
    let t = &r.time_to_first_activity;
    let _ = writeln!(
        o,
        "Time from first ask to first completed activity: {} accounts, mean {} days, median {} days",
        t.accounts,
        t.mean_days.map_or("-".into(), |d| fmt_num((d * 10.0).round() / 10.0)),
        t.median_days.map_or("-".into(), |d| fmt_num((d * 10.0).round() / 10.0))
    );
    let _ = writeln!(o, "\nAssets per quarter:");
    if r.assets.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for a in &r.assets {
        let _ = writeln!(o, "  {} {}: {}", a.quarter, a.asset, a.count);
    }
    if !r.asset_goals.is_empty() {
        let _ = writeln!(o, "\nAssets against the quarterly goals (goals.assets_per_quarter):");
        for g in &r.asset_goals {
            let _ = writeln!(
                o,
                "  {} {}: {} of {} ({})",
                g.quarter,
                g.asset,
                g.count,
                g.goal,
                if g.met { "met" } else { "not met" }
            );
        }
    }
    match &r.retention {
        Some(ret) => {
            let _ = writeln!(o, "\nRetention and expansion (renewals):");
            for (group, g) in [("advocates", &ret.advocates), ("the rest", &ret.others)] {
                let _ = writeln!(
                    o,
                    "  {group}: retained {} of {} ({}), expanded {} of {} ({})",
                    g.retention.count,
                    g.retention.of,
                    pct(g.retention.rate),
                    g.expansion.count,
                    g.expansion.of,
                    pct(g.expansion.rate)
                );
            }
        }
        None => {
            let _ = writeln!(o, "\nRetention: no renewals given (--renewals FILE)");
        }
    }
    let Some(f) = &r.referrals else {
        let _ = writeln!(o, "\nReferrals: no deals given (--deals FILE)");
        return o;
    };
    let days = |d: Option<f64>| d.map_or("-".into(), |d| fmt_num((d * 10.0).round() / 10.0));
    let times = |x: Option<f64>| x.map_or("-".into(), |x| format!("{}x", fmt_num((x * 100.0).round() / 100.0)));
    let _ = writeln!(o, "\nReferrals and deals ({} deals):", f.deals);
    for (group, s) in [("referrals", &f.referral), ("other sources", &f.other)] {
        let _ = writeln!(
            o,
            "  {group}: {} deals, {} closed, {} won ({}), median {} days to close (mean {}), {} won value",
            s.deals,
            s.closed,
            s.won,
            pct(s.conversion.rate),
            days(s.days_to_close.median_days),
            days(s.days_to_close.mean_days),
            fmt_num(s.value_won)
        );
    }
    let _ = writeln!(
        o,
        "  referral conversion {} the others' (the guide: 3-5x); time to close {} the others' (the guide: 30-40% faster)",
        times(f.conversion_ratio),
        times(f.time_to_close_ratio)
    );
    let p = &f.pipeline;
    let _ = writeln!(
        o,
        "Pipeline influenced by advocacy (a reference, case study or referral): {} of {} deals ({}), {} of {} won, value {} of {} ({})",
        p.deals.count,
        p.deals.of,
        pct(p.deals.rate),
        p.won.count,
        p.won.of,
        fmt_num(p.value),
        fmt_num(p.total_value),
        pct(p.value_share)
    );
    let ch = &f.chain;
    let _ = writeln!(
        o,
        "Referral chain: {} customers came through a referral; {} advocated later, {} referred others",
        ch.customers, ch.became_advocates.count, ch.referred_others.count
    );
    for l in &ch.accounts {
        let adv = if l.advocacy.is_empty() { "none".to_string() } else { l.advocacy.join(", ") };
        let refd = if l.referred.is_empty() { "none".to_string() } else { l.referred.join(", ") };
        let _ = writeln!(
            o,
            "  {} (referred by {}, {} won {}): advocacy since: {adv}; referred: {refd}",
            l.account, l.referred_by, l.deal, l.since
        );
    }
    o
}

/// `advocacy requests`: the open requests of the log, each with its state and best candidates.
pub fn requests(a: &RequestsArgs) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(&a.model)?;
    let as_of = as_of.unwrap_or_else(today);
    let cfg = load_config(a.program.config.as_deref(), &m)?;
    let mut sources = Sources::default();
    let (accounts, lines) = read_accounts(&a.accounts, &m, &a.model, as_of)?;
    sources.add("accounts", &a.accounts, lines);
    let (requests, lines) = read_requests(&a.requests)?;
    sources.add("requests", &a.requests, lines);
    let (ledger, overrides) = ledger_and_overrides(&a.program, &mut sources)?;
    let prepared = Prepared::new(&cfg, &accounts, &ledger).map_err(|e| sources.blame(e))?;
    let report = prepared.requests(&requests, &overrides, as_of, a.top).map_err(|e| sources.blame(e))?;
    match a.program.format {
        ReportFormat::Json => write_out(&(serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n")),
        ReportFormat::Text => write_out(&render_requests(&report)),
        ReportFormat::Csv => return Err("--format csv is for `advocacy metrics`; allowed here: text, json".into()),
    }
    Ok(ExitCode::SUCCESS)
}

fn render_requests(r: &advocacy_program::RequestsReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Requests as of {}: {} in the log, {} open", r.as_of, r.total, r.open.len());
    let statuses: Vec<String> = r.by_status.iter().map(|s| format!("{} {}", s.status.as_str(), s.requests)).collect();
    let _ = writeln!(o, "By status: {}", statuses.join(", "));
    let kinds: Vec<String> = r.by_kind.iter().map(|k| format!("{} {} ({} open)", k.kind, k.requests, k.open)).collect();
    let _ = writeln!(o, "By kind: {}", kinds.join(", "));
    let x = &r.outcomes;
    let _ = writeln!(
        o,
        "Outcomes: {} opportunities created, {} won ({} value), {} lost",
        x.opportunity_created,
        x.won,
        fmt_num(x.value_won),
        x.lost
    );
    for q in &r.open {
        let mut facts = vec![format!("{} days old", q.age_days)];
        if let Some(d) = q.needed {
            facts.push(format!("needed by {d}{}", if q.overdue { ", overdue" } else { "" }));
        }
        for (k, v) in [("owner", &q.owner), ("requester", &q.requester), ("prospect", &q.prospect), ("deal", &q.deal)] {
            if let Some(v) = v {
                facts.push(format!("{k} {v}"));
            }
        }
        let _ = writeln!(o, "\n{} {} [{}]: {}", q.id, q.kind, q.status.as_str(), facts.join(", "));
        if let Some(adv) = &q.advocate {
            let _ = writeln!(o, "  advocate: {adv}");
            continue;
        }
        if q.candidates.is_empty() {
            let _ = writeln!(o, "  no advocate fits and is free now");
        }
        for c in &q.candidates {
            let name = c.name.as_deref().map_or(String::new(), |n| format!(" ({n})"));
            let _ = writeln!(
                o,
                "  {}. {}{name}: {} tier, score {}, match points {}",
                c.rank,
                c.account,
                tier_name(c.tier),
                fmt_num(c.total),
                fmt_num(c.match_points)
            );
        }
        if q.eligible > q.candidates.len() {
            let _ = writeln!(o, "  ({} more fit)", q.eligible - q.candidates.len());
        }
        for x in &q.excluded {
            let _ = writeln!(o, "  not offered: {}: {}", x.account, x.message);
        }
    }
    o
}

/// `advocacy draft`: the recruitment invitation or thank-you for one account, in its language.
pub fn draft(a: &DraftArgs) -> Result<ExitCode, String> {
    let (m, as_of) = build_model(&a.model)?;
    let as_of = as_of.unwrap_or_else(today);
    let cfg = load_config(a.config.as_deref(), &m)?;
    let (accounts, _) = read_accounts(&a.accounts, &m, &a.model, as_of)?;
    let account = accounts
        .into_iter()
        .find(|x| x.id == a.id)
        .ok_or_else(|| format!("{}: no account with id {:?}", a.accounts, a.id))?;
    let kind: advocacy_program::MessageKind = serde_json::from_value(serde_json::Value::String(a.kind.clone()))
        .map_err(|_| format!("--kind {:?}; allowed: recruitment, thank_you", a.kind))?;
    let input = advocacy_program::DraftInput {
        config: Some(cfg),
        account,
        activity: a.activity.clone(),
        kind,
        lang: Some(a.lang.get().code().to_string()),
        sender: a.sender.clone(),
        project: a.project.clone(),
        as_of,
    };
    let d = advocacy_program::draft(&input).map_err(|e| format!("{}: {}: {e}", a.accounts, a.id))?;
    if a.json {
        write_out(&(serde_json::to_string_pretty(&d).map_err(|e| e.to_string())? + "\n"));
    } else {
        write_out(&(d.text.clone() + "\n"));
        for w in &d.warnings {
            eprintln!("note: {w}");
        }
        if d.approval_needed {
            eprintln!("note: policy is approval_required: get the company's approval before sending");
        }
    }
    Ok(ExitCode::SUCCESS)
}
