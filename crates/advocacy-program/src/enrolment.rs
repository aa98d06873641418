//! The enrolment sheet: one row per enrolled advocate beside the account data (what they prefer
//! and avoid, how often they agreed to be asked, the qualification call's answers, owner and
//! stage), read into [`Enrolment`] records and attached to the accounts by id.

use std::collections::HashMap;

use advocacy_core::Date;

use crate::account::{split_list, Account, Enrolment, QualificationCall, Stage};
use crate::error::{ProgramError, ProgramErrorKind};
use crate::flat::kind_of;

/// The columns of an enrolment sheet.
pub const ENROLMENT_COLUMNS: &[&str] = &[
    "account",
    "stage",
    "owner",
    "enrolled",
    "prefers",
    "avoid",
    "max_asks_per_quarter",
    "call_date",
    "willing",
    "hours_per_month",
    "approval_process",
    "on_camera",
];

/// One row of the sheet, read: the account id, its enrolment and its avoided activities.
#[derive(Clone, Debug, PartialEq)]
pub struct EnrolmentRow {
    /// The account id.
    pub account: String,
    /// What the row records.
    pub enrolment: Enrolment,
    /// Activity ids or tags the advocate avoids (joined to [`Account::avoid`]).
    pub avoid: Vec<String>,
}

fn bad(path: String, value: &serde_json::Value, allowed: &str, message: &str) -> ProgramError {
    let shown = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    ProgramError::new(ProgramErrorKind::InvalidValue, path, shown, allowed, message)
}

/// A cell as text (`None` when empty or null).
fn text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Array(items) => {
            Some(items.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(";")).filter(|s| !s.is_empty())
        }
        other => Some(other.to_string()),
    }
}

fn boolean(v: &serde_json::Value, path: &str) -> Result<Option<bool>, ProgramError> {
    const ALLOWED: &str = "true or false (also yes/no, y/n, 1/0), or empty";
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Bool(b) => Ok(Some(*b)),
        serde_json::Value::Number(n) if n.as_f64() == Some(1.0) => Ok(Some(true)),
        serde_json::Value::Number(n) if n.as_f64() == Some(0.0) => Ok(Some(false)),
        serde_json::Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "yes" | "y" | "1" => Ok(Some(true)),
            "false" | "no" | "n" | "0" => Ok(Some(false)),
            _ => Err(bad(path.into(), v, ALLOWED, "not a yes/no answer")),
        },
        _ => Err(bad(path.into(), v, ALLOWED, "not a yes/no answer")),
    }
}

fn number(v: &serde_json::Value, path: &str, allowed: &str) -> Result<Option<f64>, ProgramError> {
    let x = match v {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) if s.trim().is_empty() => return Ok(None),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match x {
        Some(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        _ => Err(bad(path.into(), v, allowed, "not a number in range")),
    }
}

fn date(v: &serde_json::Value, path: &str) -> Result<Option<Date>, ProgramError> {
    match text(v) {
        None => Ok(None),
        Some(s) => s.parse::<Date>().map(Some).map_err(|e| bad(path.into(), v, "a date, YYYY-MM-DD", &e.to_string())),
    }
}

/// Reads the rows of an enrolment sheet (objects by column, as a CSV, a frame or JSON gives
/// them; named `list` in errors). Unknown columns, bad values and an account twice are errors
/// naming the row and column.
///
/// ```
/// use serde_json::json;
/// let rows = advocacy_program::read_enrolment(&[json!({
///     "account": "ACC-1", "stage": "enrolled", "prefers": "case_study; writing", "avoid": "video",
///     "max_asks_per_quarter": "1", "willing": "yes", "hours_per_month": "2", "on_camera": "no"
/// })], "enrolment").unwrap();
/// assert_eq!(rows[0].enrolment.prefers, ["case_study", "writing"]);
/// assert_eq!(rows[0].enrolment.call.as_ref().unwrap().on_camera, Some(false));
/// let err = advocacy_program::read_enrolment(&[json!({"account": "ACC-1", "stage": "keen"})], "enrolment").unwrap_err();
/// assert_eq!(err.path, "enrolment[0].stage");
/// // Headers as a spreadsheet writes them are read as the scorer reads headers.
/// let rows = advocacy_program::read_enrolment(&[json!({"Account ID": "ACC-2", "Max Asks per Quarter": "1", "On camera?": "No"})], "enrolment").unwrap();
/// assert_eq!((rows[0].account.as_str(), rows[0].enrolment.max_asks_per_quarter), ("ACC-2", Some(1)));
/// let err = advocacy_program::read_enrolment(&[json!({"account": "ACC-1", "Owner": "a", "owner": "b"})], "enrolment").unwrap_err();
/// assert_eq!(err.kind, advocacy_program::ProgramErrorKind::Duplicate);
/// ```
pub fn read_enrolment(rows: &[serde_json::Value], list: &str) -> Result<Vec<EnrolmentRow>, ProgramError> {
    let mut out: Vec<EnrolmentRow> = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let at = |c: &str| format!("{list}[{i}].{c}");
        let Some(obj) = row.as_object() else {
            return Err(ProgramError::new(
                ProgramErrorKind::Parse,
                format!("{list}[{i}]"),
                kind_of(row),
                "an enrolment row: an object with the columns of the enrolment sheet",
                "not a row",
            )
            .at_row(i, None));
        };
        // Headers are matched as the scorer matches them (case, spaces and punctuation folded:
        // `Max Asks per Quarter`, `On camera?`); the account's column may also be `id` or
        // `Account ID`. A header that matches no column, or two headers for one, is an error.
        let mut columns: HashMap<&'static str, &str> = HashMap::new();
        for k in obj.keys() {
            let key = advocacy_core::header_key(k);
            let found = match key.as_str() {
                "id" | "account_id" => Some("account"),
                _ => ENROLMENT_COLUMNS.iter().copied().find(|c| *c == key),
            };
            let Some(column) = found else {
                return Err(ProgramError::new(
                    ProgramErrorKind::Parse,
                    at(k),
                    k.clone(),
                    ENROLMENT_COLUMNS.join(", "),
                    "unknown enrolment column",
                )
                .at_row(i, None));
            };
            if let Some(other) = columns.insert(column, k.as_str()) {
                return Err(ProgramError::new(
                    ProgramErrorKind::Duplicate,
                    at(k),
                    k.clone(),
                    format!("one column for `{column}` (also `{other}`)"),
                    "two columns for one enrolment field",
                )
                .at_row(i, None));
            }
        }
        let null = serde_json::Value::Null;
        let row_err = |e: ProgramError| if e.row.is_none() { e.at_row(i, None) } else { e };
        let cell = |c: &str| columns.get(c).and_then(|k| obj.get(*k)).unwrap_or(&null);
        let account = text(cell("account")).ok_or_else(|| {
            bad(at("account"), cell("account"), "the account id the row is about", "enrolment row without an account")
                .at_row(i, None)
        })?;
        if let Some(first) = seen.insert(account.clone(), i) {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                at("account"),
                account,
                format!("one row per account (also in row {first})"),
                "the account is enrolled twice",
            )
            .at_row(i, None));
        }
        let stage = match text(cell("stage")) {
            None => None,
            Some(s) => Some(
                serde_json::from_value::<Stage>(serde_json::Value::String(s.to_ascii_lowercase()))
                    .map_err(|_| {
                        bad(
                            at("stage"),
                            cell("stage"),
                            "identified, qualified, contacted, enrolled, active",
                            "unknown stage",
                        )
                    })
                    .map_err(row_err)?,
            ),
        };
        let cap = number(cell("max_asks_per_quarter"), &at("max_asks_per_quarter"), "a whole number >= 0")
            .map_err(row_err)?;
        if cap.is_some_and(|c| c.fract() != 0.0 || c > f64::from(u32::MAX)) {
            return Err(row_err(bad(
                at("max_asks_per_quarter"),
                cell("max_asks_per_quarter"),
                "a whole number >= 0",
                "not a whole number",
            )));
        }
        let call = QualificationCall {
            date: date(cell("call_date"), &at("call_date")).map_err(row_err)?,
            willing: boolean(cell("willing"), &at("willing")).map_err(row_err)?,
            hours_per_month: number(cell("hours_per_month"), &at("hours_per_month"), "a number of hours >= 0")
                .map_err(row_err)?,
            approval_process: text(cell("approval_process")),
            on_camera: boolean(cell("on_camera"), &at("on_camera")).map_err(row_err)?,
        };
        let enrolment = Enrolment {
            stage,
            owner: text(cell("owner")),
            enrolled: date(cell("enrolled"), &at("enrolled")).map_err(row_err)?,
            prefers: text(cell("prefers")).map(|s| split_list(&s)).unwrap_or_default(),
            max_asks_per_quarter: cap.map(|c| c as u32),
            call: (call != QualificationCall::default()).then_some(call),
        };
        let avoid = text(cell("avoid")).map(|s| split_list(&s)).unwrap_or_default();
        out.push(EnrolmentRow { account, enrolment, avoid });
    }
    Ok(out)
}

/// Attaches an enrolment sheet to the accounts by id (the sheet's `avoid` joins the account's).
/// A row whose account is not among the accounts is an error naming it: a misspelt id would
/// otherwise be left out silently.
pub fn attach_enrolment(accounts: &mut [Account], rows: Vec<EnrolmentRow>, list: &str) -> Result<(), ProgramError> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(accounts.len());
    for (k, a) in accounts.iter().enumerate() {
        by_id.entry(a.id.as_str()).or_insert(k);
    }
    let mut found = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        match by_id.get(row.account.as_str()) {
            Some(k) => found.push(*k),
            None => {
                return Err(ProgramError::new(
                    ProgramErrorKind::InvalidValue,
                    format!("{list}[{i}].account"),
                    row.account.clone(),
                    "the id of one of the accounts",
                    "no account with this id: the enrolment row would be left out",
                )
                .at_row(i, Some(&row.account)))
            }
        }
    }
    for (row, k) in rows.into_iter().zip(found) {
        let a = &mut accounts[k];
        for x in row.avoid {
            if !a.avoid.contains(&x) {
                a.avoid.push(x);
            }
        }
        a.enrolment = Some(row.enrolment);
    }
    Ok(())
}
