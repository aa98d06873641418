//! Matching a reference request to the advocates who fit it and are not resting.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::account::Account;
use advocacy_core::CategoryValue;
use super::activities::Incentive;
use super::config::AdvocateSegment;
use super::error::{ProgramError, ProgramErrorKind as K};
use super::hash::{map_with_capacity, FxMap};
use super::overrides::effective;
use super::Prepared;
use advocacy_core::Date;
use advocacy_core::Tier;
use advocacy_core::Policy;
use advocacy_core::Segment;
use advocacy_core::fmt_num;

/// A reference request from sales.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
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
    /// Approval needed first (`policy = approval_required` and a public activity).
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
}

/// One account, compact, for matching scans: what the per-activity checks and the fit points read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row {
    total: f64,
    hours: f64,
    industry: u32,
    region: u32,
    competitor: u32,
    tier: Tier,
    segment: AdvocateSegment,
    /// Prohibited, opted out or not advocate material: never asked.
    blocked: bool,
    /// Has stated preferences: checked in full.
    avoid: bool,
    comfort: i8,
    size: u8,
}

/// Compact rows of every account, with the interned texts they compare.
pub(crate) struct Rows {
    rows: Vec<Row>,
    texts: FxMap<String, u32>,
}

const NONE: u32 = 0;
const UNKNOWN: u32 = u32::MAX;

fn key(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

impl Rows {
    fn build(p: &super::config::Prog, accounts: &[Account]) -> Rows {
        let mut texts: FxMap<String, u32> = map_with_capacity(256);
        let mut intern = |s: Option<&String>| -> u32 {
            match s.map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => NONE,
                Some(t) => {
                    if let Some(id) = texts.get(t) {
                        return *id;
                    }
                    let k = key(t);
                    let n = texts.len() as u32 + 1;
                    let id = *texts.entry(k).or_insert(n);
                    // Cache the exact spelling too, so later identical spellings skip lowercasing.
                    texts.entry(t.to_string()).or_insert(id);
                    id
                }
            }
        };
        let rows = accounts
            .iter()
            .map(|a| {
                let s = &a.signals;
                let segment = p.segment_of(a);
                Row {
                    total: a.total,
                    hours: s.available_hours_month.unwrap_or(f64::NAN),
                    industry: intern(s.industry.as_ref()),
                    region: intern(s.region.as_ref()),
                    competitor: intern(s.switched_from.as_ref()),
                    tier: a.tier,
                    segment,
                    blocked: s.policy == Some(Policy::Prohibited)
                        || s.opted_out == Some(true)
                        || segment == AdvocateSegment::NotAdvocateMaterial,
                    avoid: !a.avoid.is_empty(),
                    comfort: s.communication_comfort.map_or(-1, |c| c.clamp(0, 100) as i8),
                    size: s.segment.map_or(0, |x| x as u8 + 1),
                }
            })
            .collect();
        Rows { rows, texts }
    }

    /// The interned id of a request's text (`UNKNOWN` when no account has it, `NONE` when not given).
    fn lookup(&self, s: Option<&str>) -> u32 {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => NONE,
            Some(t) => self.texts.get(t).or_else(|| self.texts.get(&key(t))).copied().unwrap_or(UNKNOWN),
        }
    }
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(str::trim), b.map(str::trim)) {
        (Some(x), Some(y)) => !x.is_empty() && x.eq_ignore_ascii_case(y),
        _ => false,
    }
}

impl Prepared<'_> {
    /// Ranks advocates for a reference request (see [`super::match_request`]).
    pub fn match_request(
        &self,
        req: &MatchRequest,
        overrides: &[super::Override],
        as_of: Date,
    ) -> Result<Matches, ProgramError> {
        super::overrides::validate_overrides(overrides, "overrides")?;
        let p = &self.prog;
        let act = p.activity(&req.activity).ok_or_else(|| {
            let ids: Vec<&str> = p.cfg.activities.iter().map(|a| a.id.as_str()).collect();
            ProgramError::new(
                K::UnknownActivity,
                "request.activity",
                req.activity.clone(),
                ids.join(", "),
                "the activity is not in the catalogue",
            )
        })?;
        if let Some(d) = req.date_needed {
            if d < as_of {
                return Err(ProgramError::new(
                    K::InvalidValue,
                    "request.date_needed",
                    d.to_string(),
                    format!("a date on or after as_of ({as_of})"),
                    "the date needed has passed",
                ));
            }
        }
        let effort = p.cfg.activities[act as usize].effort;
        let w = &p.cfg.matching;
        let limit = req.limit.unwrap_or(w.limit);
        let ov = self.overrides(overrides);
        let day = as_of.to_days() as i32;
        let needed = req.date_needed.map(|d| d.to_days() as i32);
        let seg_req = req.segment.map(|s| s.name());
        let rows = self.rows.get_or_init(|| Rows::build(p, self.accounts));
        let (q_ind, q_reg, q_comp) = (
            rows.lookup(req.industry.as_deref()),
            rows.lookup(req.region.as_deref()),
            rows.lookup(req.competitor.as_deref()),
        );
        let q_size = req.segment.map_or(u8::MAX, |x| x as u8 + 1);
        let hit = |q: u32, v: u32| q != NONE && q == v;
        let points = |r: &Row| {
            let mut pts = 0.0;
            if hit(q_comp, r.competitor) {
                pts += w.competitor;
            }
            if hit(q_ind, r.industry) {
                pts += w.industry;
            }
            if q_size == r.size {
                pts += w.segment;
            }
            if hit(q_reg, r.region) {
                pts += w.region;
            }
            pts
        };
        let activity = &p.cfg.activities[act as usize];
        let need_comfort = activity.min_communication_comfort.unwrap_or(i64::MIN);
        let hours = activity.typical_hours;
        // (points, tier, total, index) of every fitting account; (until, points, index) of resting ones.
        let mut fit: Vec<(f64, Tier, f64, u32)> = Vec::new();
        let mut later: Vec<(i32, f64, u32)> = Vec::new();
        let mut resting = 0;
        let mut raws = Vec::new();
        for (i, r) in rows.rows.iter().enumerate() {
            if r.blocked {
                continue;
            }
            let (total, tier) = if ov.is_empty() {
                (r.total, r.tier)
            } else {
                let a = &self.accounts[i];
                effective(a.total, a.tier, a.gated, ov.of(i as u32), as_of, &p.cfg.tiers, p.cfg.max_total)
            };
            match p.cfg.outreach.plan(tier).max_effort {
                Some(m) if m >= effort => {}
                _ => continue,
            }
            if (r.comfort >= 0 && (r.comfort as i64) < need_comfort) || r.hours < hours {
                continue;
            }
            if r.avoid && !p.allowed(&self.accounts[i], tier, r.segment, act, &[]) {
                continue;
            }
            let entries = self.ledger.of(i);
            if !entries.is_empty() {
                p.refusals(entries, day, &mut raws);
                let mut until = Some(i32::MIN);
                let mut blocked = false;
                for r in raws.iter().filter(|r| r.blocks(p, act)) {
                    blocked = true;
                    until = match (until, r.until) {
                        (Some(u), Some(v)) => Some(u.max(v)),
                        _ => None,
                    };
                }
                if blocked {
                    resting += 1;
                    if let (Some(u), Some(n)) = (until, needed) {
                        if u <= n {
                            later.push((u, points(r), i as u32));
                        }
                    }
                    continue;
                }
            }
            fit.push((points(r), tier, total, i as u32));
        }
        let eligible = fit.len();
        let cmp = |x: &(f64, Tier, f64, u32), y: &(f64, Tier, f64, u32)| {
            y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(y.2.total_cmp(&x.2)).then(x.3.cmp(&y.3))
        };
        if fit.len() > limit && limit > 0 {
            fit.select_nth_unstable_by(limit - 1, cmp);
        }
        fit.truncate(limit);
        fit.sort_by(cmp);
        let candidates = fit
            .iter()
            .enumerate()
            .map(|(k, (pts, tier, total, i))| {
                let a = &self.accounts[*i as usize];
                let s = &a.signals;
                let mut reasons = Vec::new();
                if same(req.competitor.as_deref(), s.switched_from.as_deref()) {
                    reasons.push(format!("switched from {} too", s.switched_from.as_deref().unwrap_or("").trim()));
                }
                if same(req.industry.as_deref(), s.industry.as_deref()) {
                    reasons.push(format!("same industry: {}", s.industry.as_deref().unwrap_or("").trim()));
                }
                if same(seg_req, s.segment.as_ref().map(|x| x.name())) {
                    reasons.push(format!("same segment: {}", seg_req.unwrap_or("")));
                }
                if same(req.region.as_deref(), s.region.as_deref()) {
                    reasons.push(format!("same region: {}", s.region.as_deref().unwrap_or("").trim()));
                }
                let seg = rows.rows[*i as usize].segment;
                reasons.push(format!(
                    "{tier} tier (score {}), {} advocate, not resting",
                    fmt_num(*total),
                    seg.as_str()
                ));
                let ask = p.ask(a, act);
                Candidate {
                    rank: k + 1,
                    account: a.id.clone(),
                    name: a.name.clone(),
                    tier: *tier,
                    total: *total,
                    segment: seg,
                    match_points: *pts,
                    reasons,
                    invited_by: p.cfg.outreach.plan(*tier).invited_by.clone(),
                    incentive: ask.incentive,
                    approval_needed: ask.approval_needed,
                }
            })
            .collect();
        later.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
        later.truncate(limit);
        let later = later
            .iter()
            .map(|(u, pts, i)| {
                let a = &self.accounts[*i as usize];
                let (_, tier) = if ov.is_empty() {
                    (a.total, a.tier)
                } else {
                    effective(a.total, a.tier, a.gated, ov.of(*i), as_of, &p.cfg.tiers, p.cfg.max_total)
                };
                p.refusals(self.ledger.of(*i as usize), day, &mut raws);
                let mut rules: Vec<String> =
                    raws.iter().filter(|r| r.blocks(p, act)).map(|r| r.rule.name().to_string()).collect();
                rules.dedup();
                LaterCandidate {
                    account: a.id.clone(),
                    tier,
                    match_points: *pts,
                    available_from: Date::from_days(*u as i64),
                    rules,
                }
            })
            .collect();
        Ok(Matches { request: req.clone(), candidates, later, considered: self.accounts.len(), eligible, resting })
    }
}
