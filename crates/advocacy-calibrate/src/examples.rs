//! Examples: one ask each, with the account's signals as they were before the ask and what came
//! of it. Built from a history of snapshots and the activity ledger, or read from a frame of
//! rows that already hold them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use advocacy_core::{Date, Record};
use advocacy_program::{accounts_from_rows, Account, History, LedgerEntry, ProgramError, ProgramErrorKind, Status};

/// Days after an ask with no answer at which it counts as a no (`said_yes`).
pub const ANSWER_DAYS: i64 = 30;
/// Days after an ask within which the activity must be completed (`completed`).
pub const COMPLETION_DAYS: i64 = 90;

/// What counts as a yes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The account said yes to the ask: an `accepted` or `completed` entry for the same activity
    /// follows it (before the next ask of that activity). No: `declined`, or no answer within
    /// [`ANSWER_DAYS`] days.
    #[default]
    SaidYes,
    /// The account completed what it was asked for: a `completed` entry follows the ask within
    /// [`COMPLETION_DAYS`] days (before the next ask of that activity). No: `declined`, or not
    /// completed within those days.
    Completed,
}

impl OutcomeKind {
    /// The name as written in options (`said_yes`, `completed`).
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::SaidYes => "said_yes",
            OutcomeKind::Completed => "completed",
        }
    }
}

/// One ask: the account, the day it was asked, the day of the signals used (the latest snapshot
/// on or before the ask), the signals, and whether it was a yes.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The account id.
    pub account: String,
    /// The day of the ask.
    pub asked: Date,
    /// The day the signals are from (on or before `asked`).
    pub as_of: Date,
    /// The signals as they were on `as_of`.
    pub record: Record,
    /// The outcome.
    pub outcome: bool,
}

/// A ledger entry of one account and activity: day, row, status.
type Entry = (Date, usize, Status);

/// Asks that did not become examples, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Asks too recent to know the outcome (no answer yet, and fewer days than the rule waits).
    pub pending: usize,
    /// Asks before the first snapshot: no signals as they were then.
    pub before_first_snapshot: usize,
    /// Asks of accounts absent from the snapshot before the ask.
    pub not_in_snapshot: usize,
}

/// The record of an account: its standard signals and its own, under its id.
pub fn record_of(a: &Account) -> Record {
    let mut r = a.signals.to_record();
    r.id = Some(a.id.clone());
    for (k, v) in &a.custom {
        r.values.insert(k.clone(), v.clone());
    }
    r
}

fn error(path: String, value: String, allowed: &str, message: &str) -> ProgramError {
    ProgramError::new(ProgramErrorKind::InvalidValue, path, value, allowed, message)
}

/// The examples of a history and a ledger: every `asked` entry whose outcome is known, with the
/// account's signals from the latest snapshot on or before the ask (never a later one: the
/// features are the signals as they were when the account was asked). Examples come sorted by
/// ask day, then account, then ledger row.
pub fn examples_from_history(
    history: &History,
    ledger: &[LedgerEntry],
    outcome: OutcomeKind,
) -> Result<(Vec<Example>, LeftOut), ProgramError> {
    let snapshots = history.snapshots();
    if snapshots.is_empty() {
        return Err(error(
            "history".into(),
            "no snapshots".into(),
            "a history of at least one snapshot",
            "no snapshots to read the signals from",
        ));
    }
    let last_day = match ledger.iter().map(|e| e.date).max() {
        Some(d) => d,
        None => {
            return Err(error(
                "ledger".into(),
                "no entries".into(),
                "a ledger with `asked` entries and their answers",
                "no outcomes: the ledger is empty",
            ))
        }
    };
    // Each account's and activity's entries, by date then row.
    let mut by_pair: BTreeMap<(&str, &str), Vec<Entry>> = BTreeMap::new();
    for (row, e) in ledger.iter().enumerate() {
        by_pair.entry((e.account.as_str(), e.activity.as_str())).or_default().push((e.date, row, e.status));
    }
    let mut left = LeftOut::default();
    let mut out: Vec<(Example, usize)> = Vec::new();
    let mut asks = 0usize;
    for ((account, _), entries) in &mut by_pair {
        entries.sort();
        for (k, &(day, row, status)) in entries.iter().enumerate() {
            if status != Status::Asked {
                continue;
            }
            asks += 1;
            // The answers up to the next ask of the same activity.
            let answers: Vec<(Date, Status)> =
                entries[k + 1..].iter().take_while(|(_, _, s)| *s != Status::Asked).map(|(d, _, s)| (*d, *s)).collect();
            let Some(yes) = outcome_of(outcome, day, &answers, last_day) else {
                left.pending += 1;
                continue;
            };
            // The latest snapshot on or before the ask.
            let Some(snap) = snapshots.iter().rev().find(|s| s.as_of <= day) else {
                left.before_first_snapshot += 1;
                continue;
            };
            let Some(a) = snap.accounts.iter().find(|a| a.id == *account) else {
                left.not_in_snapshot += 1;
                continue;
            };
            out.push((
                Example {
                    account: account.to_string(),
                    asked: day,
                    as_of: snap.as_of,
                    record: record_of(a),
                    outcome: yes,
                },
                row,
            ));
        }
    }
    if asks == 0 {
        return Err(error(
            "ledger".into(),
            format!("{} entries, none `asked`", ledger.len()),
            "a ledger with `asked` entries and their answers",
            "no outcomes: the ledger has no asks",
        ));
    }
    out.sort_by(|(a, ra), (b, rb)| (a.asked, &a.account, ra).cmp(&(b.asked, &b.account, rb)));
    Ok((out.into_iter().map(|(e, _)| e).collect(), left))
}

/// The outcome of an ask on `day` given its answers, or `None` while it is still open.
fn outcome_of(kind: OutcomeKind, day: Date, answers: &[(Date, Status)], last_day: Date) -> Option<bool> {
    match kind {
        OutcomeKind::SaidYes => {
            for (_, s) in answers {
                match s {
                    Status::Accepted | Status::Completed => return Some(true),
                    Status::Declined => return Some(false),
                    _ => {}
                }
            }
            (last_day.to_days() - day.to_days() >= ANSWER_DAYS).then_some(false)
        }
        OutcomeKind::Completed => {
            let limit = day.to_days() + COMPLETION_DAYS;
            for (d, s) in answers {
                match s {
                    Status::Completed if d.to_days() <= limit => return Some(true),
                    Status::Declined => return Some(false),
                    _ => {}
                }
            }
            (last_day.to_days() >= limit).then_some(false)
        }
    }
}

/// What an examples row may be, for errors.
pub const EXAMPLE_ALLOWED: &str = "a row with the account id, `asked` (YYYY-MM-DD), `outcome` (true/false, 1/0, \
     yes/no), optionally `as_of` (the day of the signals, on or before `asked`), and the signals as flat columns";

fn read_day(v: Option<&serde_json::Value>, path: String) -> Result<Option<Date>, ProgramError> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse::<Date>()
            .map(Some)
            .map_err(|_| error(path, format!("{s:?}"), "a date as YYYY-MM-DD", "not a date")),
        Some(other) => Err(error(path, other.to_string(), "a date as YYYY-MM-DD", "not a date")),
    }
}

fn read_outcome(v: Option<&serde_json::Value>, path: String) -> Result<bool, ProgramError> {
    let bad = |seen: String| error(path.clone(), seen, "true/false, 1/0 or yes/no", "not an outcome");
    match v {
        Some(serde_json::Value::Bool(b)) => Ok(*b),
        Some(serde_json::Value::Number(n)) => match n.as_f64() {
            Some(1.0) => Ok(true),
            Some(0.0) => Ok(false),
            _ => Err(bad(n.to_string())),
        },
        Some(serde_json::Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Ok(true),
            "false" | "no" | "n" | "0" => Ok(false),
            _ => Err(bad(format!("{s:?}"))),
        },
        None | Some(serde_json::Value::Null) => Err(bad("(missing)".into())),
        Some(other) => Err(bad(other.to_string())),
    }
}

/// Reads a frame of examples: one row per ask with the account id, `asked`, `outcome`,
/// optionally `as_of` (the day the signals are from; it must not be after `asked`: signals
/// read after the ask would leak the outcome), and the signals as flat columns (names and
/// aliases as the scorer reads them). `list` names the list in errors (`examples[3].outcome`).
pub fn examples_from_rows(rows: &[serde_json::Value], list: &str) -> Result<Vec<Example>, ProgramError> {
    let mut meta = Vec::with_capacity(rows.len());
    let mut rest = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let at = format!("{list}[{i}]");
        let Some(obj) = row.as_object() else {
            return Err(ProgramError::new(ProgramErrorKind::Parse, at, row.to_string(), EXAMPLE_ALLOWED, "not a row"));
        };
        let mut obj = obj.clone();
        let asked = read_day(obj.get("asked"), format!("{at}.asked"))?
            .ok_or_else(|| error(format!("{at}.asked"), "(missing)".into(), "a date as YYYY-MM-DD", "no ask date"))?;
        let as_of = read_day(obj.get("as_of"), format!("{at}.as_of"))?.unwrap_or(asked);
        if as_of > asked {
            return Err(error(
                format!("{at}.as_of"),
                as_of.to_string(),
                &format!("a day on or before the ask ({asked})"),
                "the signals are from after the ask: they may already reflect its outcome",
            ));
        }
        let outcome = read_outcome(obj.get("outcome"), format!("{at}.outcome"))?;
        for k in ["asked", "as_of", "outcome"] {
            obj.remove(k);
        }
        meta.push((asked, as_of, outcome));
        rest.push(serde_json::Value::Object(obj));
    }
    let accounts = accounts_from_rows(&rest, list)?;
    let mut out: Vec<(Example, usize)> = accounts
        .iter()
        .zip(meta)
        .enumerate()
        .map(|(i, (a, (asked, as_of, outcome)))| {
            (Example { account: a.id.clone(), asked, as_of, record: record_of(a), outcome }, i)
        })
        .collect();
    out.sort_by(|(a, ra), (b, rb)| (a.asked, &a.account, ra).cmp(&(b.asked, &b.account, rb)));
    Ok(out.into_iter().map(|(e, _)| e).collect())
}
