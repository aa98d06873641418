//! The request log: reference calls, case studies, referrals, reviews and talks sales and
//! marketing asked for, with their status and outcome, and which advocates the log rules out of
//! a new request (already on an open request, or at the quarter's cap for the kind).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{Date, Segment};

use crate::config::CompiledConfig;
use crate::error::{ProgramError, ProgramErrorKind};
use crate::ids::FxHashMap;
use crate::Prepared;

/// Where a request stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RequestStatus {
    /// Logged; nobody proposed yet.
    Open,
    /// An advocate is proposed (`advocate`), not asked yet.
    Matched,
    /// The advocate was asked.
    Asked,
    /// The advocate said yes; the call, study or talk is to come.
    Accepted,
    /// The advocate said no.
    Declined,
    /// Done.
    Completed,
    /// Withdrawn by the requester.
    Cancelled,
}

impl RequestStatus {
    /// Every status, in order.
    pub const ALL: [RequestStatus; 7] = [
        RequestStatus::Open,
        RequestStatus::Matched,
        RequestStatus::Asked,
        RequestStatus::Accepted,
        RequestStatus::Declined,
        RequestStatus::Completed,
        RequestStatus::Cancelled,
    ];

    /// The status as written in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Open, matched, asked or accepted: the request still needs work.
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Matched | RequestStatus::Asked | RequestStatus::Accepted)
    }

    /// Whether a request in this status must name its advocate.
    fn needs_advocate(self) -> bool {
        matches!(
            self,
            RequestStatus::Matched | RequestStatus::Asked | RequestStatus::Accepted | RequestStatus::Completed
        )
    }
}

/// Reads a status written in any case, with spaces around; the error lists the allowed names.
impl std::str::FromStr for RequestStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        RequestStatus::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| RequestStatus::ALL.map(RequestStatus::as_str).join(", "))
    }
}

/// What came of a request for the deal behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RequestOutcome {
    /// An opportunity was created (a referral or an event lead).
    OpportunityCreated,
    /// The deal was won.
    Won,
    /// The deal was lost.
    Lost,
}

/// One request of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The request's id (unique in the log).
    pub id: String,
    /// What is asked for: an activity id of the catalogue (`reference_call`, `case_study`, ...).
    pub kind: String,
    /// Who asked (a sales rep, a marketer).
    #[serde(default)]
    pub requester: Option<String>,
    /// Who works on it (the program manager or CSM).
    #[serde(default)]
    pub owner: Option<String>,
    /// The prospect.
    #[serde(default)]
    pub prospect: Option<String>,
    /// The deal it is for (a deal id).
    #[serde(default)]
    pub deal: Option<String>,
    /// The industry wanted.
    #[serde(default)]
    pub industry: Option<String>,
    /// The region wanted.
    #[serde(default)]
    pub region: Option<String>,
    /// The size segment wanted.
    #[serde(default)]
    pub segment: Option<Segment>,
    /// The competitor the prospect is leaving.
    #[serde(default)]
    pub competitor: Option<String>,
    /// When it was asked for.
    pub created: Date,
    /// When it is needed.
    #[serde(default)]
    pub needed: Option<Date>,
    /// Where it stands.
    pub status: RequestStatus,
    /// The advocate (an account id), once matched.
    #[serde(default)]
    pub advocate: Option<String>,
    /// What came of it.
    #[serde(default)]
    pub outcome: Option<RequestOutcome>,
    /// The deal's value, when known.
    #[serde(default)]
    pub value: Option<f64>,
    /// When it was closed.
    #[serde(default)]
    pub closed: Option<Date>,
}

/// Why the log keeps an advocate from being offered for a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequestExclusion {
    /// The account.
    pub account: String,
    /// `open_request` (named on another open request), `request_cap` (the quarter's cap for
    /// the kind reached) or, in [`crate::requests`], `proposed` (the first candidate of an open
    /// request needed sooner, held for it).
    pub code: String,
    /// The open request it is on (`open_request`, `proposed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The request kind.
    pub kind: String,
    /// Requests of the kind it has had this quarter (`request_cap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The cap (`request_cap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<u32>,
    /// The quarter, `2026-Q4` (`request_cap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quarter: Option<String>,
    /// The day the cap resets: the first day of the next quarter (`request_cap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Why, in words.
    pub message: String,
}

/// An `invalid_value` error of request `row`.
fn bad(row: usize, field: &str, value: String, allowed: &str, message: &str) -> ProgramError {
    ProgramError::new(ProgramErrorKind::InvalidValue, format!("requests[{row}].{field}"), value, allowed, message)
        .at_row(row, None)
}

/// Checks the request log: unique ids, kinds of the catalogue, an advocate where the status
/// needs one, dates in order and none after `as_of`.
pub(crate) fn validate_requests(
    config: &CompiledConfig,
    requests: &[Request],
    as_of: Date,
) -> Result<(), ProgramError> {
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, r) in requests.iter().enumerate() {
        if r.id.trim().is_empty() {
            return Err(bad(i, "id", String::new(), "a request id", "a request without an id"));
        }
        if let Some(first) = seen.insert(r.id.as_str(), i) {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("requests[{i}].id"),
                r.id.clone(),
                "an id not used by another request",
                format!("the request id is also used by requests[{first}]"),
            )
            .at_row(i, None));
        }
        if config.activity(&r.kind).is_none() {
            let ids: Vec<&str> = config.settings.activities.iter().map(|a| a.id.as_str()).collect();
            return Err(ProgramError::new(
                ProgramErrorKind::UnknownActivity,
                format!("requests[{i}].kind"),
                r.kind.clone(),
                ids.join(", "),
                "the request kind is not an activity of the catalogue",
            )
            .at_row(i, None));
        }
        if r.status.needs_advocate() && r.advocate.as_deref().is_none_or(|a| a.trim().is_empty()) {
            return Err(bad(
                i,
                "advocate",
                String::new(),
                "an account id",
                &format!("a request that is {} names its advocate", r.status.as_str()),
            ));
        }
        if r.created > as_of {
            return Err(bad(
                i,
                "created",
                r.created.to_string(),
                &format!("a date on or before as_of ({as_of})"),
                "the request is dated after the as-of date",
            ));
        }
        for (field, d) in [("needed", r.needed), ("closed", r.closed)] {
            if let Some(d) = d.filter(|d| *d < r.created) {
                return Err(bad(
                    i,
                    field,
                    d.to_string(),
                    &format!("a date on or after created ({})", r.created),
                    "the date is before the request was created",
                ));
            }
        }
        if let Some(v) = r.value.filter(|v| !v.is_finite() || *v < 0.0) {
            return Err(bad(i, "value", v.to_string(), "a number >= 0", "the value is not a positive amount"));
        }
    }
    Ok(())
}

/// The quarter of a date, `2026-Q4`, and the first day of the next one.
pub(crate) fn quarter_and_reset(d: Date) -> (String, Date) {
    let q = d.quarter();
    let start = Date::new(d.year(), (q - 1) * 3 + 1, 1).unwrap_or(d);
    (format!("{}-Q{q}", d.year()), start.add_months(3))
}

/// The cap per quarter for requests of `kind` (its own, else `*`).
fn cap_of(config: &CompiledConfig, kind: &str) -> Option<u32> {
    let caps = &config.settings.requests.caps_per_quarter;
    caps.get(kind).or_else(|| caps.get("*")).copied()
}

/// The advocates the log keeps from request `own` (an id, left out of the log) of kind `kind`
/// on `as_of`, by account position: the first open request each is on, else the cap reached.
pub(crate) fn exclusions(
    prepared: &Prepared,
    requests: &[Request],
    kind: &str,
    own: Option<&str>,
    as_of: Date,
) -> FxHashMap<u32, RequestExclusion> {
    let config = &prepared.config;
    let rules = &config.settings.requests;
    let mut out: FxHashMap<u32, RequestExclusion> = FxHashMap::default();
    let others = || requests.iter().filter(move |r| Some(r.id.as_str()) != own);
    fn on(r: &Request) -> Option<&str> {
        r.advocate.as_deref().map(str::trim).filter(|a| !a.is_empty())
    }
    if rules.one_open_request_per_advocate {
        for r in others().filter(|r| r.status.is_open()) {
            let Some(account) = on(r) else { continue };
            let Some(i) = prepared.ids.get(account) else { continue };
            out.entry(i).or_insert_with(|| RequestExclusion {
                account: account.to_string(),
                code: "open_request".into(),
                request: Some(r.id.clone()),
                kind: kind.to_string(),
                count: None,
                cap: None,
                quarter: None,
                until: None,
                message: format!(
                    "requests.one_open_request_per_advocate: already on open request {} ({}, {})",
                    r.id,
                    r.kind,
                    r.status.as_str()
                ),
            });
        }
    }
    let Some(cap) = cap_of(config, kind) else { return out };
    let (quarter, reset) = quarter_and_reset(as_of);
    let mut counts: BTreeMap<u32, (u32, &str)> = BTreeMap::new();
    for r in others().filter(|r| r.kind == kind && r.status != RequestStatus::Cancelled) {
        let Some(account) = on(r) else { continue };
        if quarter_and_reset(r.created).0 != quarter {
            continue;
        }
        if let Some(i) = prepared.ids.get(account) {
            counts.entry(i).or_insert((0, account)).0 += 1;
        }
    }
    for (i, (count, account)) in counts.into_iter().filter(|(_, (n, _))| *n >= cap) {
        out.entry(i).or_insert_with(|| RequestExclusion {
            account: account.to_string(),
            code: "request_cap".into(),
            request: None,
            kind: kind.to_string(),
            count: Some(count),
            cap: Some(cap),
            quarter: Some(quarter.clone()),
            until: Some(reset),
            message: format!(
                "requests.caps_per_quarter: {count} {kind} requests in {quarter}, at the cap of {cap}; free again from {reset}"
            ),
        });
    }
    out
}
