//! Accounts as the program sees them (a core score plus the standard signals), their checks, and
//! the ledger's entries.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{fmt_num, Date, Model, Record, Score, SignalRef, SignalSpec, Signals, StandardSignal, Tier, Value};

use crate::error::{record_kind, ProgramError, ProgramErrorKind};

/// One account in a scored snapshot: its core score (total and tier) and its signals.
///
/// Build it from a record and its [`Score`] with [`Account::from_score`], or in bulk with
/// [`super::accounts_from_records`]. The program functions never re-score: they read `total` and
/// `tier` as given and apply overrides on top.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Account {
    /// The account id, unique in a snapshot.
    pub id: String,
    /// The account's name, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The core score's total.
    #[serde(default)]
    pub total: f64,
    /// The core score's tier (after gates).
    #[serde(default = "not_yet_qualified")]
    pub tier: Tier,
    /// The tier was forced by a gate of the model (overrides cannot change it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gated: bool,
    /// The revisit date the core gave a not-yet-qualified account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revisit: Option<Date>,
    /// The standard signals (any may be missing).
    #[serde(default)]
    pub signals: Signals,
    /// Signals of the user's own, by name, for segment rules that read them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, Value>,
    /// Stated preferences: activity ids or activity tags to avoid (`"video"`, `"speaking"`, `"travel"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avoid: Vec<String>,
    /// The date of the next renewal: where a "not now" rule rests the account after a hard
    /// renewal (`asks.not_now_after_renewal`), the rest ends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_renewal: Option<Date>,
    /// What the advocate agreed when enrolled: preferred activities, how often to ask, the
    /// qualification call's answers, owner and stage. Avoided activities are [`Account::avoid`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<Enrolment>,
}

/// Pipeline stages, furthest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Known, not qualified.
    Identified,
    /// In a qualified tier, not yet asked.
    Qualified,
    /// Asked at least once.
    Contacted,
    /// Said yes at least once.
    Enrolled,
    /// Completed an activity within the active window.
    Active,
}

/// An advocate's enrolment record (the program guide's enrolment: what they like to do, how
/// often, what the qualification call found, who owns the relationship).
///
/// ```
/// let e: advocacy_program::Enrolment = serde_json::from_value(serde_json::json!({
///     "stage": "enrolled", "owner": "Dana (CSM)", "prefers": ["case_study", "writing"],
///     "max_asks_per_quarter": 1,
///     "call": {"date": "2026-09-14", "willing": true, "hours_per_month": 2, "on_camera": false,
///              "approval_process": "legal signs off case studies (2 weeks)"}
/// })).unwrap();
/// assert_eq!(e.max_asks_per_quarter, Some(1));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// The stage the program manager recorded; the ledger can only move it later, never back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// Who owns the relationship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When the advocate enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolled: Option<Date>,
    /// Activity ids or tags the advocate prefers (`case_study`, `writing`): asked for first within
    /// their effort level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefers: Vec<String>,
    /// Asks per calendar quarter the advocate agreed to: no more are made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_asks_per_quarter: Option<u32>,
    /// The qualification call's answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<QualificationCall>,
}

/// What the qualification call found (the identification guide's ten-minute conversation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualificationCall {
    /// When the call was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Whether they are willing to take part: `false` means no ask at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub willing: Option<bool>,
    /// The hours a month they said they have: used instead of `available_hours_month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<f64>,
    /// The approval process they described: shown on every ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_process: Option<String>,
    /// Comfortable on camera or on stage: `false` rules out video and speaking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_camera: Option<bool>,
}

impl Account {
    /// The hours a month the account can give: the qualification call's answer, else the
    /// `available_hours_month` signal.
    #[inline]
    pub fn available_hours(&self) -> Option<f64> {
        self.enrolment
            .as_ref()
            .and_then(|e| e.call.as_ref())
            .and_then(|c| c.hours_per_month)
            .or(self.signals.available_hours_month)
    }

    /// The qualification call, if there was one.
    #[inline]
    pub(crate) fn call(&self) -> Option<&QualificationCall> {
        self.enrolment.as_ref().and_then(|e| e.call.as_ref())
    }
}

fn not_yet_qualified() -> Tier {
    Tier::NotYetQualified
}

impl Account {
    /// An account with an id, a total and a tier, and no signals.
    pub fn new(id: impl Into<String>, total: f64, tier: Tier) -> Self {
        Account {
            id: id.into(),
            name: None,
            total,
            tier,
            gated: false,
            revisit: None,
            signals: Signals::default(),
            custom: BTreeMap::new(),
            avoid: Vec::new(),
            next_renewal: None,
            enrolment: None,
        }
    }

    /// The account of a record and its core score. Signals the model does not know go to `custom`.
    pub fn from_score(record: &Record, score: &Score) -> Result<Account, ProgramError> {
        let mut a = Account::new(record.id.clone().unwrap_or_default(), score.total, score.tier);
        a.revisit = score.revisit;
        a.gated = score.gate.is_some();
        set_signals(&mut a, record)?;
        Ok(a)
    }
}

/// Copies a record's values into an account's typed signals (checked) and custom map.
pub(crate) fn set_signals(a: &mut Account, record: &Record) -> Result<(), ProgramError> {
    for (name, raw) in &record.values {
        if name == "name" {
            if let Value::Text(s) = raw {
                a.name = Some(s.clone());
            }
            continue;
        }
        if name == "avoid" {
            if let Value::Text(s) = raw {
                a.avoid = split_list(s);
            }
            continue;
        }
        if name == "next_renewal" {
            a.next_renewal = match raw {
                Value::Text(s) if !s.trim().is_empty() => Some(s.trim().parse::<Date>().map_err(|e| {
                    ProgramError::new(
                        ProgramErrorKind::InvalidValue,
                        "next_renewal",
                        s.clone(),
                        "a date, YYYY-MM-DD",
                        format!("bad next renewal date: {e}"),
                    )
                })?),
                Value::Null => None,
                Value::Text(_) => None,
                other => {
                    return Err(ProgramError::new(
                        ProgramErrorKind::InvalidValue,
                        "next_renewal",
                        other.to_string(),
                        "a date, YYYY-MM-DD",
                        "bad next renewal date",
                    ))
                }
            };
            continue;
        }
        match StandardSignal::from_name(name) {
            Some(f) => {
                let spec = f.spec();
                let clean = spec.check(raw).map_err(|k| {
                    ProgramError::new(
                        record_kind(k),
                        format!("signals.{name}"),
                        raw.to_string(),
                        spec.allowed(),
                        format!("signal `{name}` has a bad value"),
                    )
                })?;
                if let Some(v) = clean {
                    f.set(&mut a.signals, &v);
                }
            }
            None => {
                if !raw.is_missing() {
                    a.custom.insert(name.clone(), raw.clone());
                }
            }
        }
    }
    Ok(())
}

/// Splits `"video; speaking, travel"` into its items.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([';', ',', '|']).map(|t| t.trim().to_ascii_lowercase()).filter(|t| !t.is_empty()).collect()
}

/// Checks the ranges of an account's numeric signals (types are checked when it is read).
pub(crate) fn validate_account(a: &Account, specs: &[(StandardSignal, &SignalSpec)]) -> Result<(), ProgramError> {
    for (f, spec) in specs {
        if let SignalRef::Number(x) = f.get(&a.signals) {
            if let Err(k) = spec.check_number(x) {
                return Err(ProgramError::new(
                    record_kind(k),
                    format!("signals.{}", f.name()),
                    fmt_num(x),
                    spec.allowed(),
                    format!("signal `{}` has a bad value", f.name()),
                ));
            }
        }
    }
    if let Some(h) = a.call().and_then(|c| c.hours_per_month) {
        if !h.is_finite() || h < 0.0 {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                "enrolment.call.hours_per_month",
                fmt_num(h),
                "a number of hours >= 0",
                "bad hours per month",
            ));
        }
    }
    if a.id.trim().is_empty() {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "id",
            format!("{:?}", a.id),
            "a non-empty account id",
            "account without id",
        ));
    }
    if !a.total.is_finite() || a.total < 0.0 {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "total",
            fmt_num(a.total),
            "a finite number >= 0",
            "bad score total",
        ));
    }
    Ok(())
}

/// The numeric fields with their specs, for [`validate_account`].
pub(crate) fn numeric_specs() -> Vec<(StandardSignal, &'static SignalSpec)> {
    StandardSignal::ALL.iter().map(|f| (*f, f.spec())).filter(|(_, s)| s.kind.is_numeric()).collect()
}

/// Validates a list of accounts (ranges, ids, duplicates) and reports the first problem with its path.
pub(crate) fn validate_accounts(accounts: &[Account], list: &str) -> Result<(), ProgramError> {
    let specs = numeric_specs();
    for (i, a) in accounts.iter().enumerate() {
        validate_account(a, &specs).map_err(|e| e.under(&format!("{list}[{i}]")).at_row(i, Some(&a.id)))?;
    }
    Ok(())
}

/// What happened in a ledger entry.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// The account was asked for the activity.
    Asked,
    /// The account said yes (committed).
    Accepted,
    /// The account said no.
    Declined,
    /// The activity was done.
    Completed,
    /// The account was thanked for it.
    Thanked,
}

impl Status {
    /// The status as written in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Reads a status written in any case, with spaces around; the error lists the allowed names.
// Not strum's `EnumString`: it neither trims nor returns the allowed names, which the CLI shows.
impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        <Status as strum::VariantArray>::VARIANTS
            .iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(s))
            .copied()
            .ok_or_else(|| <Status as strum::VariantNames>::VARIANTS.join(", "))
    }
}

/// One line of the activity ledger: what happened with an account and an activity on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LedgerEntry {
    /// The account id.
    pub account: String,
    /// The activity id (from the catalogue).
    pub activity: String,
    /// What happened.
    pub status: Status,
    /// When.
    pub date: Date,
}

impl LedgerEntry {
    /// A ledger entry.
    pub fn new(account: impl Into<String>, activity: impl Into<String>, status: Status, date: Date) -> Self {
        LedgerEntry { account: account.into(), activity: activity.into(), status, date }
    }
}

/// Scores records with a model and turns them into program accounts.
///
/// Record values named `name` and `avoid` (a list such as `"video; speaking"`) fill the
/// account's name and stated preferences.
pub fn accounts_from_records(
    model: &Model,
    records: &[Record],
    as_of: Option<Date>,
) -> Result<Vec<Account>, ProgramError> {
    let scores = model.score_records(records, as_of);
    let mut out = Vec::with_capacity(records.len());
    for (i, (r, s)) in records.iter().zip(scores).enumerate() {
        let s = s.map_err(|e| ProgramError::from(e).at_row(i, r.id.as_deref()))?;
        if r.id.as_deref().is_none_or(|s| s.trim().is_empty()) {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                format!("records[{i}].id"),
                "null",
                "a non-empty account id",
                "record without id",
            )
            .at_row(i, None));
        }
        out.push(Account::from_score(r, &s).map_err(|e| e.under(&format!("records[{i}]")).at_row(i, r.id.as_deref()))?);
    }
    Ok(out)
}
