//! Fatigue protection: the ledger indexed by account, and the rules that say "not now".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::account::{LedgerEntry, Status};
use super::config::Prog;
use super::error::{ProgramError, ProgramErrorKind as K};
use advocacy_core::Date;
use advocacy_core::Effort;

/// How ledger entries find their account.
pub(crate) enum Ids<'a> {
    /// Positions of a snapshot's accounts.
    Index(&'a super::hash::IdIndex),
    /// Only this account (position 0).
    One(&'a str),
}

/// One ledger entry, compact: day number, input row, activity index, status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct E {
    pub days: i32,
    pub row: u32,
    pub act: u16,
    pub status: Status,
}

/// The ledger grouped by account position (CSR layout), each account's entries by date.
pub(crate) struct LedgerIndex {
    pub offsets: Vec<u32>,
    pub entries: Vec<E>,
    /// Entries whose account is not in the snapshot.
    pub unmatched: usize,
}

impl LedgerIndex {
    /// Groups the ledger by account; `lookup` gives an account's position. Unknown activities fail.
    pub(crate) fn new(
        prog: &Prog,
        ledger: &[LedgerEntry],
        n_accounts: usize,
        ids: Ids,
    ) -> Result<LedgerIndex, ProgramError> {
        if ledger.len() >= u32::MAX as usize || n_accounts >= u32::MAX as usize {
            return Err(ProgramError::new(
                K::InvalidValue,
                "ledger",
                ledger.len().to_string(),
                "fewer than 4294967295 entries",
                "ledger too large",
            ));
        }
        let mut resolved: Vec<(u32, u16)> = Vec::with_capacity(ledger.len());
        for (i, e) in ledger.iter().enumerate() {
            let act = prog.activity(&e.activity).ok_or_else(|| unknown_activity(prog, i, e))?;
            resolved.push((u32::MAX, act));
        }
        let mut counts = vec![0u32; n_accounts + 1];
        let mut unmatched = 0;
        let mut set = |i: usize, acc: Option<u32>| match acc {
            Some(a) => {
                counts[a as usize] += 1;
                resolved[i].0 = a;
            }
            None => unmatched += 1,
        };
        match ids {
            Ids::Index(ix) => ix.get_many(ledger.iter().map(|e| e.account.as_str()), set),
            Ids::One(id) => ledger.iter().enumerate().for_each(|(i, e)| set(i, (e.account == id).then_some(0))),
        }
        let mut offsets = Vec::with_capacity(n_accounts + 1);
        let mut sum = 0u32;
        for c in &counts[..n_accounts] {
            offsets.push(sum);
            sum += c;
        }
        offsets.push(sum);
        let mut fill: Vec<u32> = offsets[..n_accounts].to_vec();
        let placeholder = E { days: 0, row: 0, act: 0, status: Status::Asked };
        let mut entries = vec![placeholder; sum as usize];
        for (row, ((acc, act), e)) in resolved.iter().zip(ledger).enumerate() {
            if *acc == u32::MAX {
                continue;
            }
            let slot = &mut fill[*acc as usize];
            entries[*slot as usize] = E { days: e.date.to_days() as i32, row: row as u32, act: *act, status: e.status };
            *slot += 1;
        }
        for w in offsets.windows(2) {
            let s = &mut entries[w[0] as usize..w[1] as usize];
            if s.len() > 1 {
                s.sort_unstable_by_key(|e| (e.days, e.row));
            }
        }
        Ok(LedgerIndex { offsets, entries, unmatched })
    }

    /// The entries of account `i`, by date.
    #[inline]
    pub(crate) fn of(&self, i: usize) -> &[E] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(a), Some(b)) => &self.entries[*a as usize..*b as usize],
            _ => &[],
        }
    }
}

pub(crate) fn unknown_activity(prog: &Prog, row: usize, e: &LedgerEntry) -> ProgramError {
    let ids: Vec<&str> = prog.cfg.activities.iter().map(|a| a.id.as_str()).collect();
    ProgramError::new(
        K::UnknownActivity,
        format!("ledger[{row}].activity"),
        e.activity.clone(),
        ids.join(", "),
        "the activity is not in the catalogue",
    )
    .at(row, Some(&e.account))
}

/// Which fatigue rule refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleCode {
    RestAfter(Effort),
    Declined,
    Spacing,
    MaxAsks,
    ThankYou,
    StepDown,
    Rotate,
}

impl RuleCode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RuleCode::RestAfter(Effort::Low) => "rest_after.low",
            RuleCode::RestAfter(Effort::Moderate) => "rest_after.moderate",
            RuleCode::RestAfter(Effort::High) => "rest_after.high",
            RuleCode::Declined => "rest_after_declined_days",
            RuleCode::Spacing => "min_days_between_asks",
            RuleCode::MaxAsks => "max_asks",
            RuleCode::ThankYou => "thank_you_blocks_asks",
            RuleCode::StepDown => "step_down",
            RuleCode::Rotate => "rotate_days",
        }
    }
}

/// What a refusal covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    Activity(u16),
    Above(Effort),
}

/// A refusal, compact (no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Raw {
    pub rule: RuleCode,
    pub scope: Scope,
    /// The activity of the entry that triggered it.
    pub trigger: u16,
    pub since: i32,
    /// The first day asks are allowed again (`None`: until an event, e.g. the thank-you).
    pub until: Option<i32>,
}

impl Raw {
    #[inline]
    pub(crate) fn blocks(&self, prog: &Prog, act: u16) -> bool {
        match self.scope {
            Scope::All => true,
            Scope::Activity(a) => a == act,
            Scope::Above(e) => prog.cfg.activities[act as usize].effort > e,
        }
    }
}

impl Prog<'_> {
    #[inline]
    fn effort(&self, act: u16) -> Effort {
        self.cfg.activities[act as usize].effort
    }

    /// Every refusal in force on day `as_of`, given an account's entries (sorted by date).
    /// Entries after `as_of` are ignored. Pushes into `out` (cleared first).
    pub(crate) fn refusals(&self, entries: &[E], as_of: i32, out: &mut Vec<Raw>) {
        out.clear();
        let f = &self.cfg.fatigue;
        let end = entries.partition_point(|e| e.days <= as_of);
        let es = &entries[..end];
        if es.is_empty() {
            return;
        }
        let mut last_ask: Option<&E> = None;
        let mut last_heavy: Option<&E> = None;
        for (k, e) in es.iter().enumerate() {
            match e.status {
                Status::Completed => {
                    let eff = self.effort(e.act);
                    let rest = f.rest_after.of(eff) as i32;
                    if rest > 0 && as_of < e.days + rest {
                        out.push(Raw {
                            rule: RuleCode::RestAfter(eff),
                            scope: Scope::All,
                            trigger: e.act,
                            since: e.days,
                            until: Some(e.days + rest),
                        });
                    }
                    if let Some(sd) = f.step_down {
                        if eff >= sd.after {
                            last_heavy = Some(e);
                        }
                    }
                    let thanked = es.iter().any(|t| t.status == Status::Thanked && t.act == e.act && t.days >= e.days);
                    if f.thank_you_blocks_asks && !thanked {
                        out.push(Raw {
                            rule: RuleCode::ThankYou,
                            scope: Scope::All,
                            trigger: e.act,
                            since: e.days,
                            until: None,
                        });
                    }
                }
                Status::Declined => {
                    let rest = f.rest_after_declined_days as i32;
                    if rest > 0 && as_of < e.days + rest {
                        out.push(Raw {
                            rule: RuleCode::Declined,
                            scope: Scope::All,
                            trigger: e.act,
                            since: e.days,
                            until: Some(e.days + rest),
                        });
                    }
                }
                Status::Asked => {
                    last_ask = Some(e);
                    let rot = f.rotate_days as i32;
                    if rot > 0
                        && as_of < e.days + rot
                        && !es[k + 1..].iter().any(|x| x.status == Status::Asked && x.act == e.act)
                    {
                        out.push(Raw {
                            rule: RuleCode::Rotate,
                            scope: Scope::Activity(e.act),
                            trigger: e.act,
                            since: e.days,
                            until: Some(e.days + rot),
                        });
                    }
                }
                _ => {}
            }
        }
        if let Some(a) = last_ask {
            let gap = f.min_days_between_asks as i32;
            if gap > 0 && as_of < a.days + gap {
                out.push(Raw {
                    rule: RuleCode::Spacing,
                    scope: Scope::All,
                    trigger: a.act,
                    since: a.days,
                    until: Some(a.days + gap),
                });
            }
        }
        if let Some(m) = f.max_asks {
            let w = m.window_days as i32;
            let asks = || es.iter().filter(|e| e.status == Status::Asked && e.days > as_of - w);
            let n = asks().count();
            if n >= m.count as usize {
                // Asks are allowed again when the oldest ask that keeps the count at the maximum leaves the window.
                if let Some(e) = asks().nth(n - m.count as usize) {
                    out.push(Raw {
                        rule: RuleCode::MaxAsks,
                        scope: Scope::All,
                        trigger: e.act,
                        since: e.days,
                        until: Some(e.days + w),
                    });
                }
            }
        }
        if let (Some(sd), Some(h)) = (f.step_down, last_heavy) {
            let lighter_asked =
                es.iter().any(|e| e.days > h.days && e.status == Status::Asked && self.effort(e.act) <= sd.max_effort);
            if !lighter_asked && sd.days > 0 && as_of < h.days + sd.days as i32 {
                out.push(Raw {
                    rule: RuleCode::StepDown,
                    scope: Scope::Above(sd.max_effort),
                    trigger: h.act,
                    since: h.days,
                    until: Some(h.days + sd.days as i32),
                });
            }
        }
        if out.len() > 1 {
            // Account-wide refusals first, then step-down, then per activity; each by date.
            let rank = |r: &Raw| match r.scope {
                Scope::All => 0,
                Scope::Above(_) => 1,
                Scope::Activity(_) => 2,
            };
            out.sort_by(|a, b| {
                rank(a)
                    .cmp(&rank(b))
                    .then(a.since.cmp(&b.since))
                    .then(a.rule.name().cmp(b.rule.name()))
                    .then(a.trigger.cmp(&b.trigger))
            });
        }
    }

    /// Completed work not yet thanked, as `(activity, completion day)`; entries after `as_of` ignored.
    pub(crate) fn thanks_owed(&self, entries: &[E], as_of: i32, mut f: impl FnMut(&E)) {
        let end = entries.partition_point(|e| e.days <= as_of);
        let es = &entries[..end];
        for e in es {
            if e.status == Status::Completed
                && !es.iter().any(|t| t.status == Status::Thanked && t.act == e.act && t.days >= e.days)
            {
                f(e);
            }
        }
    }

    pub(crate) fn refusal(&self, r: &Raw) -> Refusal {
        let acts = &self.cfg.activities;
        let trigger = &acts[r.trigger as usize];
        let since = Date::from_days(r.since as i64);
        let until = r.until.map(|d| Date::from_days(d as i64));
        let until_txt = until.map_or(String::new(), |u| format!(" until {u}"));
        let (activity, max_effort) = match r.scope {
            Scope::All => (None, None),
            Scope::Activity(a) => (Some(acts[a as usize].id.clone()), None),
            Scope::Above(e) => (None, Some(e)),
        };
        let message = match r.rule {
            RuleCode::RestAfter(e) => format!(
                "resting after a {} activity ({}, completed {since}): no asks{until_txt}",
                effort_name(e),
                trigger.id
            ),
            RuleCode::Declined => format!("declined {} on {since}: no asks{until_txt}", trigger.id),
            RuleCode::Spacing => format!(
                "asked for {} on {since}: space out asks; next ask from{}",
                trigger.id,
                until.map_or(String::new(), |u| format!(" {u}"))
            ),
            RuleCode::MaxAsks => {
                let m = self.cfg.fatigue.max_asks.map_or((0, 0), |m| (m.count, m.window_days));
                format!("{} asks in {} days already (oldest counted {since}): no asks{until_txt}", m.0, m.1)
            }
            RuleCode::ThankYou => {
                format!("{} completed {since} has not been thanked: close the loop before asking again", trigger.id)
            }
            RuleCode::StepDown => format!(
                "completed {} ({}) on {since}: next ask at most {} effort{until_txt} or until such an ask is made",
                trigger.id,
                effort_name(trigger.effort),
                max_effort.map_or("low", effort_name)
            ),
            RuleCode::Rotate => {
                format!("asked for {} on {since}: rotate activity types, not this one again{until_txt}", trigger.id)
            }
        };
        Refusal {
            rule: r.rule.name().to_string(),
            activity,
            max_effort,
            trigger: trigger.id.clone(),
            since,
            until,
            message,
        }
    }
}

pub(crate) fn effort_name(e: Effort) -> &'static str {
    match e {
        Effort::Low => "low",
        Effort::Moderate => "moderate",
        Effort::High => "high",
    }
}

/// A fatigue rule saying "not now": which rule, for what, since and until when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Refusal {
    /// The rule, named as in the configuration (`rest_after.high`, `max_asks`, `rotate_days`, ...).
    pub rule: String,
    /// The one activity refused (`rotate_days`); `null` when it covers every activity.
    pub activity: Option<String>,
    /// For `step_down`: asks above this effort are refused.
    pub max_effort: Option<Effort>,
    /// The activity of the ledger entry that triggered it.
    pub trigger: String,
    /// The date of that entry.
    pub since: Date,
    /// The first day asks are allowed again; `null` when it lasts until an event (a thank-you).
    pub until: Option<Date>,
    /// The refusal in words.
    pub message: String,
}

/// Completed work that has not been thanked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThankYouOwed {
    /// The account.
    pub account: String,
    /// The activity completed.
    pub activity: String,
    /// When it was completed.
    pub completed: Date,
    /// Days waiting for a thank-you on the as-of date.
    pub days_waiting: i64,
}
