//! Flat account rows: accounts written as a table's rows, one object per account with the id,
//! the name and the signals side by side (`{"id": "a", "NPS": 9, "public_reviews": 2}`), as a
//! DataFrame's rows or a CSV export have them, read into the program's nested [`Account`]s.
//!
//! Headers are read by the core's column plan of the default model, as the scorer reads a
//! table's headers: by name and alias, with case, spaces and punctuation folded (`NPS`,
//! `Health Score`, `Account ID`, `Account Name`), and cells as the scorer reads them (`"yes"`,
//! `"9"`, `"85%"`). Beside the signals a row may carry the account's own fields: `total` (or
//! `score`, as a scored table names it), `tier`, `gated`, `revisit`, `avoid` and `custom`.
//! Columns that are none of these are kept in `custom` (segment rules may read them).
//!
//! [`normalize_input`] rewrites the flat rows of a program function's JSON input into the nested
//! form in place, and checks that each list of the input is a list: [`crate::json::call`] runs it
//! first, and so do the bindings before they read an input into its type.

use std::collections::BTreeMap;

use advocacy_core::{ColumnMapping, ColumnPlan, ColumnRole, Model, Value};

use crate::account::{set_signals, split_list, Account};
use crate::error::{from_json_value, ProgramError, ProgramErrorKind};

/// Columns of an accounts table that the program reads and the scoring model does not: the
/// revisit date, stated preferences, the next renewal date, and for drafted messages the
/// contact's name and the account's specific result.
pub const PROGRAM_COLUMNS: &[&str] = &["revisit", "avoid", "next_renewal", "contact", "result", "notes"];

/// The fields of a nested account ([`Account`]); an object with any other key is a flat row.
pub const ACCOUNT_FIELDS: &[&str] =
    &["id", "name", "total", "tier", "gated", "revisit", "signals", "custom", "avoid", "next_renewal"];

/// The fields of an account a flat row may carry beside its id, name and signals (`score` is
/// another name of `total`).
const OWN_FIELDS: &[&str] = &["total", "score", "tier", "gated", "revisit", "custom", "avoid", "next_renewal"];

/// What an account may be, for errors.
pub const ACCOUNT_ALLOWED: &str = "an account: nested ({\"id\": ..., \"signals\": {\"nps\": ...}}) or a flat row \
     ({\"id\": ..., \"nps\": ..., ...}: an id column, the signals by name or alias, and optionally name, total or \
     score, tier, gated, revisit, avoid)";

/// Whether an account object is a flat row: it has no `signals` and some key that is not a field
/// of a nested account.
pub fn is_flat(account: &serde_json::Map<String, serde_json::Value>) -> bool {
    !account.contains_key("signals") && account.keys().any(|k| !ACCOUNT_FIELDS.contains(&k.as_str()))
}

/// Reads flat rows into accounts (see the module's documentation). `list` names the list in
/// errors (`accounts`: paths `accounts[3]`, `accounts[3].signals.nps`).
///
/// ```
/// use advocacy_core::Tier;
/// let rows = vec![
///     serde_json::json!({"Account ID": "a", "Account Name": "Acme", "NPS": "9", "public_reviews": 2, "tier": "gold", "score": 64}),
///     serde_json::json!({"Account ID": "b", "NPS": null, "csm_owner": "kim"}),
/// ];
/// let accounts = advocacy_program::accounts_from_rows(&rows, "accounts").unwrap();
/// assert_eq!((accounts[0].id.as_str(), accounts[0].name.as_deref()), ("a", Some("Acme")));
/// assert_eq!((accounts[0].signals.nps, accounts[0].signals.public_reviews), (Some(9), Some(2)));
/// assert_eq!((accounts[0].tier, accounts[0].total), (Tier::Gold, 64.0));
/// assert_eq!(accounts[1].custom["csm_owner"], advocacy_core::Value::Text("kim".into()));
///
/// let err = advocacy_program::accounts_from_rows(&[serde_json::json!({"customer": "a", "nps": 9})], "accounts").unwrap_err();
/// assert_eq!(err.path, "accounts[0]");
/// assert!(err.message.contains("no id column"), "{}", err.message);
/// ```
pub fn accounts_from_rows(rows: &[serde_json::Value], list: &str) -> Result<Vec<Account>, ProgramError> {
    let model = Model::default();
    let mut cache: Option<(Vec<String>, ColumnPlan)> = None;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let at = format!("{list}[{i}]");
        let Some(obj) = row.as_object() else {
            return Err(not_an_account(&at, row).at_row(i, None));
        };
        out.push(account_from_row(&model, obj, i, &at, &mut cache).map_err(|e| at_row(e, i))?);
    }
    Ok(out)
}

/// One flat row as an account; the column plan of the previous row's keys is reused when the
/// keys are the same (a table's rows all have the same).
fn account_from_row(
    model: &Model,
    obj: &serde_json::Map<String, serde_json::Value>,
    row: usize,
    at: &str,
    cache: &mut Option<(Vec<String>, ColumnPlan)>,
) -> Result<Account, ProgramError> {
    let headers: Vec<&String> = obj.keys().filter(|k| !OWN_FIELDS.contains(&k.as_str())).collect();
    let same =
        cache.as_ref().is_some_and(|(h, _)| h.len() == headers.len() && h.iter().zip(&headers).all(|(a, b)| a == *b));
    if !same {
        let names: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let plan =
            model.read_columns(&names, &ColumnMapping::default()).map_err(|e| ProgramError::from(e).under(at))?;
        *cache = Some((names, plan));
    }
    let Some((names, plan)) = cache.as_ref() else {
        return Err(ProgramError::new(ProgramErrorKind::Parse, at, "", "", "internal: no column plan"));
    };
    if plan.id_column().is_none() {
        let seen: Vec<&str> = obj.keys().map(String::as_str).collect();
        return Err(ProgramError::new(
            ProgramErrorKind::Parse,
            at,
            format!("an object with the keys {}", shown_keys(&seen)),
            ACCOUNT_ALLOWED,
            "a flat account row has no id column (id, Account ID, account_id, customer_id, ...)",
        ));
    }
    let cells: Vec<Value> = names.iter().map(|h| obj.get(h).map(Value::from_json).unwrap_or(Value::Null)).collect();
    let read = plan.read_row(model, row, &cells).map_err(|e| ProgramError::from(e).under(at))?;
    let id = read.record.id.clone();
    let with_id = |e: ProgramError| ProgramError { id: e.id.or_else(|| id.clone()), ..e };
    // The account's own fields, as the nested form has them (missing cells left out), then the
    // signals from the row as the scorer read it.
    let mut own = serde_json::Map::new();
    own.insert("id".into(), serde_json::Value::String(id.clone().unwrap_or_default()));
    for (key, v) in obj.iter().filter(|(k, v)| OWN_FIELDS.contains(&k.as_str()) && !v.is_null()) {
        let field = if key == "score" { "total" } else { key.as_str() };
        if field == "total" && key == "score" && obj.get("total").is_some_and(|t| !t.is_null()) {
            continue;
        }
        let v = match (field, v) {
            // `"video; speaking"` as a table cell holds it.
            ("avoid", serde_json::Value::String(s)) => serde_json::json!(split_list(s)),
            _ => v.clone(),
        };
        own.insert(field.to_string(), v);
    }
    let mut account: Account = from_json_value(serde_json::Value::Object(own), at).map_err(with_id)?;
    account.name = read.name.clone();
    set_signals(&mut account, &read.record).map_err(|e| with_id(e.under(at)))?;
    // Columns that are neither signals nor the account's: kept for rules that read them.
    let mut custom: BTreeMap<String, Value> = BTreeMap::new();
    for (k, c) in plan.columns.iter().enumerate() {
        if c.role == ColumnRole::Ignored {
            let v = cells.get(k).cloned().unwrap_or(Value::Null);
            if !v.is_missing() {
                custom.insert(names[k].clone(), v);
            }
        }
    }
    for (k, v) in custom {
        account.custom.entry(k).or_insert(v);
    }
    if let Some(id) = &id {
        if id.trim().is_empty() {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                format!("{at}.id"),
                format!("{id:?}"),
                "a non-empty account id",
                "account without id",
            ));
        }
    } else {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            format!("{at}.id"),
            "null",
            "a non-empty account id",
            "account without id",
        ));
    }
    Ok(account)
}

/// Keys as shown in errors (the first 12).
fn shown_keys(keys: &[&str]) -> String {
    let mut shown: Vec<String> = keys.iter().take(12).map(|k| format!("{k:?}")).collect();
    if keys.len() > 12 {
        shown.push(format!("... ({} in all)", keys.len()));
    }
    if shown.is_empty() {
        return "(none)".into();
    }
    shown.join(", ")
}

/// What a JSON value is, in errors (`an object with the keys "a", "b"`, `text "x"`, `a number`).
pub(crate) fn kind_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::String(s) => format!("the text {:?}", advocacy_core::printable(s, 40)),
        serde_json::Value::Array(a) => format!("a list of {} items", a.len()),
        serde_json::Value::Object(o) => {
            let keys: Vec<&str> = o.keys().map(String::as_str).collect();
            format!("an object with the keys {}", shown_keys(&keys))
        }
    }
}

fn not_an_account(at: &str, v: &serde_json::Value) -> ProgramError {
    ProgramError::new(ProgramErrorKind::Parse, at, kind_of(v), ACCOUNT_ALLOWED, "not an account")
}

/// The input fields of each program function that hold accounts: lists, or (`account` of
/// `eligibility`) one account.
fn account_fields(function: &str) -> &'static [(&'static str, bool)] {
    match function {
        "segments" | "match" | "metrics" | "requests" => &[("accounts", true)],
        "eligibility" => &[("account", false)],
        "review" | "movement" => &[("previous", true), ("current", true)],
        _ => &[],
    }
}

/// The input fields of each program function that hold lists of rows other than accounts.
fn row_lists(function: &str) -> &'static [(&'static str, &'static str)] {
    const LEDGER: (&str, &str) = ("ledger", "ledger entries ({\"account\", \"activity\", \"status\", \"date\"})");
    const OVERRIDES: (&str, &str) = ("overrides", "overrides");
    const REQUESTS: (&str, &str) = ("requests", "requests ({\"id\", \"kind\", \"created\", \"status\", ...})");
    match function {
        "overrides" => &[OVERRIDES],
        "match" | "requests" => &[LEDGER, OVERRIDES, REQUESTS],
        "eligibility" | "review" | "movement" => &[LEDGER, OVERRIDES],
        "fatigue" => &[LEDGER],
        "metrics" => &[
            LEDGER,
            ("renewals", "renewal records ({\"account\", \"date\", \"outcome\"})"),
            ("deals", "deals ({\"id\", \"source\", \"created\", ...})"),
        ],
        _ => &[],
    }
}

/// Rewrites the flat account rows of program function `function`'s JSON input (see
/// [`is_flat`]) into nested accounts, in place, and checks that every list of the input is a
/// list of objects: a list given as an object of columns (`{"id": [...], "nps": [...]}`), or an
/// item that is no object, is a `parse` error naming what was seen and what is allowed (never an
/// empty result). Nested accounts are left as they are. Inputs that are no object, and functions
/// it does not know, are left to the reading of the input.
///
/// ```
/// let mut input = serde_json::json!({"accounts": [{"id": "a", "public_reviews": 2, "NPS": 9}]});
/// advocacy_program::json::normalize_input("segments", &mut input).unwrap();
/// assert_eq!(input["accounts"][0]["signals"]["nps"], 9);
/// let row = serde_json::json!({"id": "a", "public_reviews": 2, "nps": 9, "health_score": 95, "active_days_30d": 22, "roi_achieved": true});
/// let out = advocacy_program::json::call("segments", serde_json::json!({"accounts": [row]})).unwrap();
/// assert_eq!(out["results"][0]["segment"], "active");
///
/// let mut columns = serde_json::json!({"accounts": {"id": ["a"], "nps": [9]}});
/// let err = advocacy_program::json::normalize_input("segments", &mut columns).unwrap_err();
/// assert_eq!((err.path.as_str(), err.value.as_str()), ("accounts", "an object with the keys \"id\", \"nps\""));
/// ```
pub fn normalize_input(function: &str, input: &mut serde_json::Value) -> Result<(), ProgramError> {
    let Some(obj) = input.as_object_mut() else { return Ok(()) };
    let model = Model::default();
    let mut cache = None;
    for &(field, is_list) in account_fields(function) {
        let Some(v) = obj.get_mut(field) else { continue };
        if is_list {
            if v.is_null() {
                continue;
            }
            let Some(items) = v.as_array_mut() else {
                return Err(not_a_list(field, v, &format!("a list of accounts, each {ACCOUNT_ALLOWED}; or a table")));
            };
            for (i, item) in items.iter_mut().enumerate() {
                nest(item, i, &format!("{field}[{i}]"), &model, &mut cache).map_err(|e| at_row(e, i))?;
            }
        } else {
            nest(v, 0, field, &model, &mut cache).map(|_| ())?;
        }
    }
    for &(field, what) in row_lists(function) {
        let Some(v) = obj.get(field) else { continue };
        if v.is_null() {
            continue;
        }
        let Some(items) = v.as_array() else {
            return Err(not_a_list(field, v, &format!("a list of {what}, or a table")));
        };
        if let Some((i, item)) = items.iter().enumerate().find(|(_, x)| !x.is_object()) {
            return Err(ProgramError::new(
                ProgramErrorKind::Parse,
                format!("{field}[{i}]"),
                kind_of(item),
                format!("one of {what}: an object"),
                "not a row",
            )
            .at_row(i, None));
        }
    }
    Ok(())
}

/// The error of row `row` of a list (the row it already names, if any, and its id).
fn at_row(mut e: ProgramError, row: usize) -> ProgramError {
    e.row = e.row.or(Some(row));
    e
}

/// An account value made nested: flat rows read as [`accounts_from_rows`] reads them, nested
/// accounts left as they are.
fn nest(
    v: &mut serde_json::Value,
    row: usize,
    at: &str,
    model: &Model,
    cache: &mut Option<(Vec<String>, ColumnPlan)>,
) -> Result<(), ProgramError> {
    let account = match v.as_object() {
        Some(o) if is_flat(o) => account_from_row(model, o, row, at, cache)?,
        Some(_) => return Ok(()),
        None => return Err(not_an_account(at, v)),
    };
    *v = serde_json::to_value(&account).map_err(|e| {
        ProgramError::new(
            ProgramErrorKind::Parse,
            at,
            "",
            "",
            format!("internal: the account could not be written: {e}"),
        )
    })?;
    Ok(())
}

fn not_a_list(field: &str, v: &serde_json::Value, allowed: &str) -> ProgramError {
    ProgramError::new(ProgramErrorKind::Parse, field, kind_of(v), allowed, "not a list")
}
