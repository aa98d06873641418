//! The open requests of the log with their state and best candidates, each advocate proposed
//! for one request at most (see [`crate::requests`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::Date;

use crate::account::{Account, LedgerEntry};
use crate::config::ProgramConfig;
use crate::error::ProgramError;
use crate::matching::{Candidate, MatchRequest};
use crate::overrides::Override;
use crate::request_log::{validate_requests, Request, RequestExclusion, RequestOutcome, RequestStatus};
use crate::Prepared;

/// Requests in one status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StatusCount {
    /// The status.
    pub status: RequestStatus,
    /// Requests in it.
    pub requests: usize,
}

/// Requests of one kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KindCount {
    /// The kind (activity id).
    pub kind: String,
    /// Requests of the kind.
    pub requests: usize,
    /// Of them, open (open, matched, asked or accepted).
    pub open: usize,
}

/// What came of the log's requests.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequestOutcomes {
    /// Requests that created an opportunity.
    pub opportunity_created: usize,
    /// Requests whose deal was won.
    pub won: usize,
    /// Requests whose deal was lost.
    pub lost: usize,
    /// The value of the won ones.
    pub value_won: f64,
}

/// One open request, where it stands and who should take it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OpenRequest {
    /// The request's id.
    pub id: String,
    /// The kind.
    pub kind: String,
    /// Open, matched, asked or accepted.
    pub status: RequestStatus,
    /// Who works on it.
    pub owner: Option<String>,
    /// Who asked.
    pub requester: Option<String>,
    /// The prospect.
    pub prospect: Option<String>,
    /// The deal.
    pub deal: Option<String>,
    /// When it was asked for.
    pub created: Date,
    /// Days since then.
    pub age_days: i64,
    /// When it is needed.
    pub needed: Option<Date>,
    /// The need date has passed.
    pub overdue: bool,
    /// The advocate it names (matched, asked or accepted).
    pub advocate: Option<String>,
    /// Best candidates now, best first (only for an `open` request that names no advocate; one
    /// that names one shows it in `advocate`).
    pub candidates: Vec<Candidate>,
    /// Accounts that fit and can be asked now, before the top N.
    pub eligible: usize,
    /// Fitting advocates the log keeps off this request, with why.
    pub excluded: Vec<RequestExclusion>,
}

/// Input of [`crate::requests`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestsInput {
    /// The configuration (`null`: the default).
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The request log.
    pub requests: Vec<Request>,
    /// The accounts (current snapshot).
    pub accounts: Vec<Account>,
    /// The ledger.
    #[serde(default)]
    pub ledger: Vec<LedgerEntry>,
    /// Overrides.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// The day of the report.
    pub as_of: Date,
    /// Candidates to list per open request (default 3).
    #[serde(default)]
    pub top: Option<usize>,
}

/// Output of [`crate::requests`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RequestsReport {
    /// The day of the report.
    pub as_of: Date,
    /// Requests in the log.
    pub total: usize,
    /// Open requests, the one needed soonest first (no need date last, then by creation, id).
    pub open: Vec<OpenRequest>,
    /// Requests per status, every status.
    pub by_status: Vec<StatusCount>,
    /// Requests per kind, in catalogue order.
    pub by_kind: Vec<KindCount>,
    /// What came of them.
    pub outcomes: RequestOutcomes,
}

/// Candidates per open request by default.
pub const DEFAULT_TOP: usize = 3;

impl Prepared<'_> {
    /// Open requests with their best candidates (see [`crate::requests`]).
    pub fn requests(
        &self,
        requests: &[Request],
        overrides: &[Override],
        as_of: Date,
        top: usize,
    ) -> Result<RequestsReport, ProgramError> {
        validate_requests(&self.config, requests, as_of)?;
        let mut open: Vec<&Request> = requests.iter().filter(|r| r.status.is_open()).collect();
        open.sort_by(|x, y| {
            (x.needed.is_none(), x.needed, x.created, &x.id).cmp(&(y.needed.is_none(), y.needed, y.created, &y.id))
        });
        // The log, plus the first candidate of each open request above, as if matched to it.
        let mut log: Vec<Request> = requests.to_vec();
        let mut held: Vec<String> = Vec::new();
        let mut out = Vec::with_capacity(open.len());
        for r in open {
            let day = as_of.to_days();
            let overdue = r.needed.is_some_and(|d| d < as_of);
            let named = r.advocate.as_deref().is_some_and(|a| !a.trim().is_empty());
            let (candidates, eligible, excluded) = if r.status == RequestStatus::Open && !named {
                let req = MatchRequest {
                    id: Some(r.id.clone()),
                    activity: r.kind.clone(),
                    industry: r.industry.clone(),
                    segment: r.segment,
                    region: r.region.clone(),
                    competitor: r.competitor.clone(),
                    date_needed: r.needed.filter(|_| !overdue),
                    limit: Some(top),
                };
                let m = self.match_logged(&req, &log, overrides, as_of)?;
                if let Some(first) = m.candidates.first() {
                    held.push(r.id.clone());
                    log.push(Request {
                        id: r.id.clone(),
                        created: as_of,
                        status: RequestStatus::Matched,
                        advocate: Some(first.account.clone()),
                        ..r.clone()
                    });
                }
                let mut excluded = m.excluded;
                for x in excluded.iter_mut().filter(|x| x.request.as_ref().is_some_and(|id| held.contains(id))) {
                    let id = x.request.as_deref().unwrap_or_default();
                    x.code = "proposed".into();
                    x.message = format!("proposed first for open request {id}, needed sooner (held for it)");
                }
                (m.candidates, m.eligible, excluded)
            } else {
                (Vec::new(), 0, Vec::new())
            };
            out.push(OpenRequest {
                id: r.id.clone(),
                kind: r.kind.clone(),
                status: r.status,
                owner: r.owner.clone(),
                requester: r.requester.clone(),
                prospect: r.prospect.clone(),
                deal: r.deal.clone(),
                created: r.created,
                age_days: day - r.created.to_days(),
                needed: r.needed,
                overdue,
                advocate: r.advocate.clone(),
                candidates,
                eligible,
                excluded,
            });
        }
        let by_status = RequestStatus::ALL
            .into_iter()
            .map(|status| StatusCount { status, requests: requests.iter().filter(|r| r.status == status).count() })
            .collect();
        let by_kind = self
            .config
            .settings
            .activities
            .iter()
            .filter_map(|a| {
                let of_kind = || requests.iter().filter(|r| r.kind == a.id);
                let n = of_kind().count();
                (n > 0).then(|| KindCount {
                    kind: a.id.clone(),
                    requests: n,
                    open: of_kind().filter(|r| r.status.is_open()).count(),
                })
            })
            .collect();
        let mut outcomes = RequestOutcomes::default();
        for r in requests {
            match r.outcome {
                Some(RequestOutcome::OpportunityCreated) => outcomes.opportunity_created += 1,
                Some(RequestOutcome::Won) => {
                    outcomes.won += 1;
                    outcomes.value_won += r.value.unwrap_or(0.0);
                }
                Some(RequestOutcome::Lost) => outcomes.lost += 1,
                None => {}
            }
        }
        outcomes.value_won = advocacy_core::round6(outcomes.value_won);
        Ok(RequestsReport { as_of, total: requests.len(), open: out, by_status, by_kind, outcomes })
    }
}
