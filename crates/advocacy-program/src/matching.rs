//! Matching a reference request to the advocates who fit it and are not resting: fit points
//! from the request's facts, readiness and tier checks, fatigue, and the ranking.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{fmt_num, CategoryValue, Date, Effort, Segment, Tier};

use crate::account::Account;
use crate::activities::Incentive;
use crate::config::{AdvocateSegment, CompiledConfig, MatchWeights};
use crate::error::{ProgramError, ProgramErrorKind};
use crate::fatigue::CompactRefusal;
use crate::ids::FxHashMap;
use crate::match_table::{MatchRow, MatchTable, NO_TEXT};
use crate::overrides::{validate_overrides, Override, OverrideIndex};
use crate::request_log::{exclusions, validate_requests, Request, RequestExclusion};
use crate::Prepared;

/// A reference request from sales.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// The request's id in the request log, when it is one of them (it does not count against
    /// itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The activity asked for (a catalogue id, e.g. `reference_call`).
    pub activity: String,
    /// The prospect's industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// The prospect's size segment.
    #[serde(default)]
    pub segment: Option<Segment>,
    /// The prospect's region.
    #[serde(default)]
    pub region: Option<String>,
    /// The competitor the prospect is leaving.
    #[serde(default)]
    pub competitor: Option<String>,
    /// When the reference is needed (advocates resting until then are listed as `later`).
    #[serde(default)]
    pub date_needed: Option<Date>,
    /// How many advocates to list (default: the configuration's `matching.limit`).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// An advocate who fits the request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Candidate {
    /// 1 for the best.
    pub rank: usize,
    /// The account.
    pub account: String,
    /// Its name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The tier after overrides.
    pub tier: Tier,
    /// The total after overrides.
    pub total: f64,
    /// The segment.
    pub segment: AdvocateSegment,
    /// Points from the request's facts it matches.
    pub match_points: f64,
    /// Why it fits, in words.
    pub reasons: Vec<String>,
    /// Who invites.
    pub invited_by: String,
    /// The incentive.
    pub incentive: Incentive,
    /// Approval needed first (`policy = approval_required`; see `asks.approval_first_every_ask`).
    pub approval_needed: bool,
}

/// An advocate who fits but rests now, and is free again before the date needed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LaterCandidate {
    /// The account.
    pub account: String,
    /// The tier after overrides.
    pub tier: Tier,
    /// Points from the request's facts it matches.
    pub match_points: f64,
    /// The first day no fatigue rule refuses the activity.
    pub available_from: Date,
    /// The rules that refuse it now.
    pub rules: Vec<String>,
}

/// The advocates for a request, best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Matches {
    /// The request.
    pub request: MatchRequest,
    /// Advocates who fit and can be asked now, best first.
    pub candidates: Vec<Candidate>,
    /// Advocates who fit but rest now and are free again by `date_needed`, soonest first.
    pub later: Vec<LaterCandidate>,
    /// Accounts looked at.
    pub considered: usize,
    /// Accounts that fit and can be asked now (before the limit).
    pub eligible: usize,
    /// Accounts that fit but rest under a fatigue rule.
    pub resting: usize,
    /// Accounts that fit but the request log keeps off this request (already on an open
    /// request, or at the quarter's cap for the kind), with why, in account order.
    pub excluded: Vec<RequestExclusion>,
}

/// Whether two optional texts are given and equal (trimmed, case-insensitive).
fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(str::trim), b.map(str::trim)) {
        (Some(x), Some(y)) => !x.is_empty() && x.eq_ignore_ascii_case(y),
        _ => false,
    }
}

/// A request resolved against the catalogue and the table: what each row is compared with.
struct ResolvedRequest<'w> {
    activity: u16,
    effort: Effort,
    min_comfort: i64,
    hours: f64,
    industry: u32,
    region: u32,
    competitor: u32,
    /// The requested size ([`size_code`]; `u8::MAX`: any).
    size: u8,
    weights: &'w MatchWeights,
    /// The as-of day.
    day: i32,
    /// The day needed, if given.
    needed: Option<i32>,
}

impl ResolvedRequest<'_> {
    /// Points for the request's facts a row matches.
    #[inline]
    fn fit_points(&self, row: &MatchRow) -> f64 {
        let hit = |q: u32, v: u32| q != NO_TEXT && q == v;
        let w = self.weights;
        let mut points = 0.0;
        if hit(self.competitor, row.competitor) {
            points += w.competitor;
        }
        if hit(self.industry, row.industry) {
            points += w.industry;
        }
        if self.size == row.size {
            points += w.segment;
        }
        if hit(self.region, row.region) {
            points += w.region;
        }
        points
    }
}

/// An account that fits and can be asked now.
#[derive(Clone, Copy)]
struct Fit {
    points: f64,
    tier: Tier,
    /// How many of `asks.prefer` the account meets.
    preferred: u8,
    total: f64,
    account: u32,
}

/// Most points first, then the better tier, more of `asks.prefer` met, the higher total, the
/// earlier account.
fn best_fit_first(x: &Fit, y: &Fit) -> std::cmp::Ordering {
    y.points
        .total_cmp(&x.points)
        .then(x.tier.cmp(&y.tier))
        .then(y.preferred.cmp(&x.preferred))
        .then(y.total.total_cmp(&x.total))
        .then(x.account.cmp(&y.account))
}

/// An account that fits but rests now, and is free again on `until`, by the day needed.
#[derive(Clone, Copy)]
struct LaterFit {
    until: i32,
    points: f64,
    account: u32,
}

/// What a scan of every account found.
struct MatchScan {
    fits: Vec<Fit>,
    later: Vec<LaterFit>,
    /// Accounts that fit but rest under a fatigue rule.
    resting: usize,
    /// Accounts that fit but the request log keeps off the request.
    excluded: Vec<RequestExclusion>,
}

impl Prepared<'_> {
    /// Ranks advocates for a reference request (see [`crate::match_request`]).
    pub fn match_request(
        &self,
        req: &MatchRequest,
        overrides: &[Override],
        as_of: Date,
    ) -> Result<Matches, ProgramError> {
        self.match_logged(req, &[], overrides, as_of)
    }

    /// Ranks advocates for a reference request, leaving out those the request log keeps off it
    /// (see [`crate::match_request`]).
    pub fn match_with_requests(
        &self,
        req: &MatchRequest,
        requests: &[Request],
        overrides: &[Override],
        as_of: Date,
    ) -> Result<Matches, ProgramError> {
        validate_requests(&self.config, requests, as_of)?;
        self.match_logged(req, requests, overrides, as_of)
    }

    /// [`Prepared::match_with_requests`] on a log already checked.
    pub(crate) fn match_logged(
        &self,
        req: &MatchRequest,
        requests: &[Request],
        overrides: &[Override],
        as_of: Date,
    ) -> Result<Matches, ProgramError> {
        validate_overrides(overrides, "overrides")?;
        self.ledger.check_not_after(as_of)?;
        let config = &self.config;
        let activity = requested_activity(config, req)?;
        if let Some(d) = req.date_needed.filter(|d| *d < as_of) {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                "request.date_needed",
                d.to_string(),
                format!("a date on or after as_of ({as_of})"),
                "the date needed has passed",
            ));
        }
        let limit = req.limit.unwrap_or(config.settings.matching.limit);
        let overrides = self.override_index(overrides);
        let table = self.match_table();
        let query = self.resolve_request(req, activity, table, as_of);
        let log = if requests.is_empty() {
            FxHashMap::default()
        } else {
            exclusions(self, requests, &req.activity, req.id.as_deref(), as_of)
        };
        let MatchScan { mut fits, mut later, resting, excluded } =
            self.scan_for_matches(&query, table, &overrides, &log, as_of);
        let eligible = fits.len();
        if fits.len() > limit && limit > 0 {
            fits.select_nth_unstable_by(limit - 1, best_fit_first);
        }
        fits.truncate(limit);
        fits.sort_by(best_fit_first);
        later.sort_by(|x, y| x.until.cmp(&y.until).then(y.points.total_cmp(&x.points)).then(x.account.cmp(&y.account)));
        later.truncate(limit);
        Ok(Matches {
            request: req.clone(),
            candidates: fits.iter().enumerate().map(|(k, fit)| self.candidate(k + 1, fit, req, activity)).collect(),
            later: later.iter().map(|l| self.later_candidate(l, &query, &overrides, as_of)).collect(),
            considered: self.accounts.len(),
            eligible,
            resting,
            excluded,
        })
    }

    /// The compact rows of the accounts, built on the first request.
    fn match_table(&self) -> &MatchTable {
        self.match_table.get_or_init(|| MatchTable::build(&self.config, self.accounts))
    }

    fn resolve_request<'s>(
        &'s self,
        req: &MatchRequest,
        activity: u16,
        table: &MatchTable,
        as_of: Date,
    ) -> ResolvedRequest<'s> {
        let settings = self.config.settings;
        let catalogued = &settings.activities[activity as usize];
        ResolvedRequest {
            activity,
            effort: catalogued.effort,
            min_comfort: catalogued.min_communication_comfort.unwrap_or(i64::MIN),
            hours: catalogued.typical_hours,
            industry: table.lookup(req.industry.as_deref()),
            region: table.lookup(req.region.as_deref()),
            competitor: table.lookup(req.competitor.as_deref()),
            size: req.segment.map_or(u8::MAX, |x| x as u8 + 1),
            weights: &settings.matching,
            day: as_of.to_days() as i32,
            needed: req.date_needed.map(|d| d.to_days() as i32),
        }
    }

    /// Every account that fits the request: askable now, or resting (and free again by the day needed).
    fn scan_for_matches(
        &self,
        query: &ResolvedRequest,
        table: &MatchTable,
        overrides: &OverrideIndex,
        log: &FxHashMap<u32, RequestExclusion>,
        as_of: Date,
    ) -> MatchScan {
        let config = &self.config;
        let mut scan = MatchScan { fits: Vec::new(), later: Vec::new(), resting: 0, excluded: Vec::new() };
        let mut refusals = Vec::new();
        for (i, row) in table.rows.iter().enumerate() {
            if row.blocked {
                continue;
            }
            let (total, tier) =
                if overrides.is_empty() { (row.total, row.tier) } else { self.effective_score_at(i, overrides, as_of) };
            if !self.is_ready(query, row, i, tier) {
                continue;
            }
            if let Some(x) = (!log.is_empty()).then(|| log.get(&(i as u32))).flatten() {
                scan.excluded.push(x.clone());
                continue;
            }
            let entries = self.ledger.entries_of(i);
            if !entries.is_empty() {
                config.refusals_in_force(entries, query.day, &mut refusals);
                config.agreed_asks_refusal(self.accounts[i].enrolment.as_ref(), entries, query.day, &mut refusals);
                if let Some(until) = refused_until(config, &refusals, query.activity) {
                    scan.resting += 1;
                    if let (Some(until), Some(needed)) = (until, query.needed) {
                        if until <= needed {
                            scan.later.push(LaterFit { until, points: query.fit_points(row), account: i as u32 });
                        }
                    }
                    continue;
                }
            }
            scan.fits.push(Fit {
                points: query.fit_points(row),
                tier,
                preferred: row.preferred,
                total,
                account: i as u32,
            });
        }
        scan
    }

    /// Whether the account of `row` can take the activity at its tier: effort allowed, comfort,
    /// hours and stated preferences (fatigue aside).
    #[inline]
    fn is_ready(&self, query: &ResolvedRequest, row: &MatchRow, i: usize, tier: Tier) -> bool {
        let config = &self.config;
        match config.settings.outreach.plan(tier).max_effort {
            Some(max) if max >= query.effort => {}
            _ => return false,
        }
        if (row.comfort >= 0 && (row.comfort as i64) < query.min_comfort)
            || (config.settings.asks.within_available_hours && row.hours < query.hours)
        {
            return false;
        }
        let full_check = row.avoid || !config.activity_needs[query.activity as usize].is_empty();
        !full_check || config.can_ask(&self.accounts[i], tier, row.segment, query.activity, query.day, &[])
    }

    /// A fitting account as a ranked candidate, with why it fits.
    fn candidate(&self, rank: usize, fit: &Fit, req: &MatchRequest, activity: u16) -> Candidate {
        let config = &self.config;
        let a = &self.accounts[fit.account as usize];
        let segment = self.match_table().rows[fit.account as usize].segment;
        let ask = config.ask_for(a, activity);
        Candidate {
            rank,
            account: a.id.clone(),
            name: a.name.clone(),
            tier: fit.tier,
            total: fit.total,
            segment,
            match_points: fit.points,
            reasons: match_reasons(config, req, a, fit, segment),
            invited_by: config.settings.outreach.plan(fit.tier).invited_by.clone(),
            incentive: ask.incentive,
            approval_needed: ask.approval_needed,
        }
    }

    /// A resting account as a later candidate, with the rules that refuse it now.
    fn later_candidate(
        &self,
        later: &LaterFit,
        query: &ResolvedRequest,
        overrides: &OverrideIndex,
        as_of: Date,
    ) -> LaterCandidate {
        let config = &self.config;
        let i = later.account as usize;
        let a = &self.accounts[i];
        let tier = if overrides.is_empty() { a.tier } else { self.effective_score_at(i, overrides, as_of).1 };
        let mut refusals = Vec::new();
        config.refusals_in_force(self.ledger.entries_of(i), query.day, &mut refusals);
        config.agreed_asks_refusal(a.enrolment.as_ref(), self.ledger.entries_of(i), query.day, &mut refusals);
        let mut rules: Vec<String> =
            refusals.iter().filter(|r| r.blocks(config, query.activity)).map(|r| r.rule.name().to_string()).collect();
        rules.dedup();
        LaterCandidate {
            account: a.id.clone(),
            tier,
            match_points: later.points,
            available_from: Date::from_days(later.until as i64),
            rules,
        }
    }
}

/// The catalogue position of the requested activity.
fn requested_activity(config: &CompiledConfig, req: &MatchRequest) -> Result<u16, ProgramError> {
    config.activity(&req.activity).ok_or_else(|| {
        let ids: Vec<&str> = config.settings.activities.iter().map(|a| a.id.as_str()).collect();
        ProgramError::new(
            ProgramErrorKind::UnknownActivity,
            "request.activity",
            req.activity.clone(),
            ids.join(", "),
            "the activity is not in the catalogue",
        )
    })
}

/// `None` when no refusal blocks `activity`; else `Some` of the day the last of them ends
/// (`Some(None)`: one lasts until an event, such as a thank-you).
fn refused_until(config: &CompiledConfig, refusals: &[CompactRefusal], activity: u16) -> Option<Option<i32>> {
    let mut until = Some(i32::MIN);
    let mut blocked = false;
    for r in refusals.iter().filter(|r| r.blocks(config, activity)) {
        blocked = true;
        until = match (until, r.until) {
            (Some(u), Some(v)) => Some(u.max(v)),
            _ => None,
        };
    }
    blocked.then_some(until)
}

/// Why a candidate fits, in words: the facts it shares with the request, then its tier and segment.
fn match_reasons(
    config: &CompiledConfig,
    req: &MatchRequest,
    a: &Account,
    fit: &Fit,
    segment: AdvocateSegment,
) -> Vec<String> {
    let s = &a.signals;
    let requested_size = req.segment.map(|x| x.name());
    let mut reasons = Vec::new();
    if same_text(req.competitor.as_deref(), s.switched_from.as_deref()) {
        reasons.push(format!("switched from {} too", s.switched_from.as_deref().unwrap_or("").trim()));
    }
    if same_text(req.industry.as_deref(), s.industry.as_deref()) {
        reasons.push(format!("same industry: {}", s.industry.as_deref().unwrap_or("").trim()));
    }
    if same_text(requested_size, s.segment.as_ref().map(|x| x.name())) {
        reasons.push(format!("same segment: {}", requested_size.unwrap_or("")));
    }
    if same_text(req.region.as_deref(), s.region.as_deref()) {
        reasons.push(format!("same region: {}", s.region.as_deref().unwrap_or("").trim()));
    }
    for c in config.prefer.iter().filter(|c| crate::segments::judge(c, a) == Some(true)) {
        reasons.push(format!("preferred: {} ({})", crate::segments::describe(c), crate::segments::values_read(c, a)));
    }
    reasons.push(format!(
        "{} tier (score {}), {} advocate, not resting",
        fit.tier,
        fmt_num(fit.total),
        segment.as_str()
    ));
    reasons
}
