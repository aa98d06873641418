//! Fatigue protection: the rules that say "not now" to an account, read from its ledger entries,
//! and the thank-yous it is owed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{Date, Effort};

use crate::account::Status;
use crate::config::CompiledConfig;
use crate::ledger::CompactEntry;

/// Which fatigue rule refused, named as in the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
pub(crate) enum FatigueRule {
    /// Resting after completing a low-effort activity.
    #[strum(serialize = "rest_after.low")]
    RestAfterLow,
    /// Resting after completing a moderate-effort activity.
    #[strum(serialize = "rest_after.moderate")]
    RestAfterModerate,
    /// Resting after completing a high-effort activity.
    #[strum(serialize = "rest_after.high")]
    RestAfterHigh,
    /// Resting after declining.
    #[strum(serialize = "rest_after_declined_days")]
    Declined,
    /// Too soon after the last ask.
    #[strum(serialize = "min_days_between_asks")]
    Spacing,
    /// Too many asks in the window.
    #[strum(serialize = "max_asks")]
    MaxAsks,
    /// Completed work not thanked yet.
    #[strum(serialize = "thank_you_blocks_asks")]
    ThankYou,
    /// Only light asks after a demanding activity.
    #[strum(serialize = "step_down")]
    StepDown,
    /// The same activity asked too recently.
    #[strum(serialize = "rotate_days")]
    Rotate,
    /// As many asks this quarter as the advocate agreed to at enrolment.
    #[strum(serialize = "enrolment.max_asks_per_quarter")]
    AgreedAsks,
}

impl FatigueRule {
    /// The rest rule after completing an activity of effort `e`.
    fn rest_after(e: Effort) -> FatigueRule {
        match e {
            Effort::Low => FatigueRule::RestAfterLow,
            Effort::Moderate => FatigueRule::RestAfterModerate,
            Effort::High => FatigueRule::RestAfterHigh,
        }
    }

    /// The rule's name in the configuration (`rest_after.high`).
    pub(crate) fn name(self) -> &'static str {
        self.into()
    }
}

/// What a refusal covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefusalScope {
    /// Every activity: the account rests.
    EveryActivity,
    /// This activity only (catalogue position).
    OneActivity(u16),
    /// Activities above this effort.
    AboveEffort(Effort),
}

/// A refusal, compact (no allocation); [`CompiledConfig::explain_refusal`] spells it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CompactRefusal {
    pub rule: FatigueRule,
    pub scope: RefusalScope,
    /// The activity of the entry that triggered it.
    pub trigger: u16,
    /// The day of that entry.
    pub since: i32,
    /// The first day asks are allowed again (`None`: until an event, e.g. the thank-you).
    pub until: Option<i32>,
    /// The limit the rule applied, where it has one of the account's own
    /// (`enrolment.max_asks_per_quarter`); 0 otherwise.
    pub limit: u32,
}

impl CompactRefusal {
    /// Whether it refuses the activity at catalogue position `activity`.
    #[inline]
    pub(crate) fn blocks(&self, config: &CompiledConfig, activity: u16) -> bool {
        match self.scope {
            RefusalScope::EveryActivity => true,
            RefusalScope::OneActivity(a) => a == activity,
            RefusalScope::AboveEffort(e) => config.effort(activity) > e,
        }
    }

    /// Whether it refuses every activity.
    #[inline]
    pub(crate) fn rests_account(&self) -> bool {
        self.scope == RefusalScope::EveryActivity
    }
}

/// The first day of the calendar quarter of `d`.
fn quarter_start(d: Date) -> Date {
    let month = (d.quarter() as u32 - 1) * 3 + 1;
    format!("{}-{month:02}-01", d.year()).parse().unwrap_or(d)
}

/// The entries on or before day `as_of` (entries are sorted by day).
#[inline]
fn up_to(entries: &[CompactEntry], as_of: i32) -> &[CompactEntry] {
    &entries[..entries.partition_point(|e| e.day <= as_of)]
}

/// Whether the completion `done` was thanked (a thank-you for its activity on or after its day).
#[inline]
fn is_thanked(entries: &[CompactEntry], done: &CompactEntry) -> bool {
    entries.iter().any(|t| t.status == Status::Thanked && t.activity == done.activity && t.day >= done.day)
}

impl CompiledConfig<'_> {
    /// The effort of the activity at catalogue position `activity`.
    #[inline]
    pub(crate) fn effort(&self, activity: u16) -> Effort {
        self.settings.activities[activity as usize].effort
    }

    /// The refusal of an advocate's agreed asks per quarter (`enrolment.max_asks_per_quarter`):
    /// once that many asks are in the ledger for the calendar quarter of `as_of`, no more until
    /// the next quarter begins. Added to `out` (kept sorted).
    pub(crate) fn agreed_asks_refusal(
        &self,
        enrolment: Option<&crate::Enrolment>,
        entries: &[CompactEntry],
        as_of: i32,
        out: &mut Vec<CompactRefusal>,
    ) {
        let Some(cap) = enrolment.and_then(|e| e.max_asks_per_quarter) else { return };
        let today = Date::from_days(i64::from(as_of));
        let start = quarter_start(today);
        let next = quarter_start(Date::from_days(start.to_days() + 100));
        let (start, next) = (start.to_days() as i32, next.to_days() as i32);
        let asks: Vec<&CompactEntry> =
            up_to(entries, as_of).iter().filter(|e| e.status == Status::Asked && e.day >= start).collect();
        if asks.len() as u32 >= cap {
            let first = asks.first().map_or(as_of, |e| e.day);
            let trigger = asks.first().map_or(0, |e| e.activity);
            out.push(CompactRefusal {
                rule: FatigueRule::AgreedAsks,
                scope: RefusalScope::EveryActivity,
                trigger,
                since: first,
                until: Some(next),
                limit: cap,
            });
            sort_refusals(out);
        }
    }

    /// Every refusal in force on day `as_of`, given an account's entries (sorted by date), into
    /// `out` (cleared first): account-wide ones first, then step-down, then per activity, each
    /// by date. Entries after `as_of` are ignored.
    pub(crate) fn refusals_in_force(&self, entries: &[CompactEntry], as_of: i32, out: &mut Vec<CompactRefusal>) {
        out.clear();
        let entries = up_to(entries, as_of);
        if entries.is_empty() {
            return;
        }
        let mut last_ask: Option<&CompactEntry> = None;
        let mut last_heavy: Option<&CompactEntry> = None;
        for (k, e) in entries.iter().enumerate() {
            match e.status {
                Status::Completed => {
                    self.rest_after_completion(e, as_of, out);
                    if self.settings.fatigue.step_down.is_some_and(|s| self.effort(e.activity) >= s.after) {
                        last_heavy = Some(e);
                    }
                    if self.settings.fatigue.thank_you_blocks_asks && !is_thanked(entries, e) {
                        out.push(refusal(FatigueRule::ThankYou, RefusalScope::EveryActivity, e, None));
                    }
                }
                Status::Declined => self.rest_after_decline(e, as_of, out),
                Status::Asked => {
                    last_ask = Some(e);
                    self.rotation(e, &entries[k + 1..], as_of, out);
                }
                _ => {}
            }
        }
        self.spacing(last_ask, as_of, out);
        self.max_asks(entries, as_of, out);
        self.step_down(entries, last_heavy, as_of, out);
        if out.len() > 1 {
            sort_refusals(out);
        }
    }

    /// `rest_after.<effort>`: no asks for a while after completing an activity.
    fn rest_after_completion(&self, done: &CompactEntry, as_of: i32, out: &mut Vec<CompactRefusal>) {
        let effort = self.effort(done.activity);
        let rest = self.settings.fatigue.rest_after.of(effort) as i32;
        if rest > 0 && as_of < done.day + rest {
            out.push(refusal(FatigueRule::rest_after(effort), RefusalScope::EveryActivity, done, Some(rest)));
        }
    }

    /// `rest_after_declined_days`: no asks for a while after a no.
    fn rest_after_decline(&self, declined: &CompactEntry, as_of: i32, out: &mut Vec<CompactRefusal>) {
        let rest = self.settings.fatigue.rest_after_declined_days as i32;
        if rest > 0 && as_of < declined.day + rest {
            out.push(refusal(FatigueRule::Declined, RefusalScope::EveryActivity, declined, Some(rest)));
        }
    }

    /// `rotate_days`: the activity of the last ask of it (none in `later`) is not asked again for a while.
    fn rotation(&self, ask: &CompactEntry, later: &[CompactEntry], as_of: i32, out: &mut Vec<CompactRefusal>) {
        let days = self.settings.fatigue.rotate_days as i32;
        if days > 0
            && as_of < ask.day + days
            && !later.iter().any(|x| x.status == Status::Asked && x.activity == ask.activity)
        {
            out.push(refusal(FatigueRule::Rotate, RefusalScope::OneActivity(ask.activity), ask, Some(days)));
        }
    }

    /// `min_days_between_asks`: asks are spaced out.
    fn spacing(&self, last_ask: Option<&CompactEntry>, as_of: i32, out: &mut Vec<CompactRefusal>) {
        let gap = self.settings.fatigue.min_days_between_asks as i32;
        if let Some(ask) = last_ask.filter(|a| gap > 0 && as_of < a.day + gap) {
            out.push(refusal(FatigueRule::Spacing, RefusalScope::EveryActivity, ask, Some(gap)));
        }
    }

    /// `max_asks`: at most `count` asks in any window; asks are allowed again when the oldest ask
    /// that keeps the count at the maximum leaves the window.
    fn max_asks(&self, entries: &[CompactEntry], as_of: i32, out: &mut Vec<CompactRefusal>) {
        let Some(max) = self.settings.fatigue.max_asks else { return };
        let window = max.window_days as i32;
        let asks = || entries.iter().filter(|e| e.status == Status::Asked && e.day > as_of - window);
        let n = asks().count();
        if n >= max.count as usize {
            if let Some(oldest_counted) = asks().nth(n - max.count as usize) {
                out.push(refusal(FatigueRule::MaxAsks, RefusalScope::EveryActivity, oldest_counted, Some(window)));
            }
        }
    }

    /// `step_down`: after a demanding activity, only light asks, for a while or until one was made.
    fn step_down(
        &self,
        entries: &[CompactEntry],
        last_heavy: Option<&CompactEntry>,
        as_of: i32,
        out: &mut Vec<CompactRefusal>,
    ) {
        let (Some(rule), Some(heavy)) = (self.settings.fatigue.step_down, last_heavy) else { return };
        let lighter_asked = entries
            .iter()
            .any(|e| e.day > heavy.day && e.status == Status::Asked && self.effort(e.activity) <= rule.max_effort);
        let days = rule.days as i32;
        if !lighter_asked && days > 0 && as_of < heavy.day + days {
            out.push(refusal(FatigueRule::StepDown, RefusalScope::AboveEffort(rule.max_effort), heavy, Some(days)));
        }
    }

    /// Completed work not yet thanked, oldest first; entries after `as_of` are ignored.
    pub(crate) fn thanks_owed(&self, entries: &[CompactEntry], as_of: i32, mut f: impl FnMut(&CompactEntry)) {
        let entries = up_to(entries, as_of);
        for e in entries {
            if e.status == Status::Completed && !is_thanked(entries, e) {
                f(e);
            }
        }
    }

    /// A compact refusal spelt out: the rule's name, what it covers and a message.
    pub(crate) fn explain_refusal(&self, r: &CompactRefusal) -> Refusal {
        let activities = &self.settings.activities;
        let trigger = &activities[r.trigger as usize];
        let since = Date::from_days(r.since as i64);
        let until = r.until.map(|d| Date::from_days(d as i64));
        let (activity, max_effort) = match r.scope {
            RefusalScope::EveryActivity => (None, None),
            RefusalScope::OneActivity(a) => (Some(activities[a as usize].id.clone()), None),
            RefusalScope::AboveEffort(e) => (None, Some(e)),
        };
        Refusal {
            rule: r.rule.name().to_string(),
            activity,
            max_effort,
            trigger: trigger.id.clone(),
            since,
            until,
            message: match r.rule {
                FatigueRule::AgreedAsks => format!(
                    "agreed at enrolment: at most {} asks a quarter, reached (first this quarter: {} on {since}): \
                     no asks until {}",
                    r.limit,
                    trigger.id,
                    until.map_or_else(String::new, |d| d.to_string())
                ),
                _ => self.refusal_message(r.rule, &trigger.id, trigger.effort, since, until, max_effort),
            },
        }
    }

    /// A refusal in words.
    fn refusal_message(
        &self,
        rule: FatigueRule,
        trigger: &str,
        trigger_effort: Effort,
        since: Date,
        until: Option<Date>,
        max_effort: Option<Effort>,
    ) -> String {
        let until_txt = until.map_or(String::new(), |u| format!(" until {u}"));
        match rule {
            FatigueRule::RestAfterLow | FatigueRule::RestAfterModerate | FatigueRule::RestAfterHigh => format!(
                "resting after a {} activity ({trigger}, completed {since}): no asks{until_txt}",
                trigger_effort.as_str()
            ),
            FatigueRule::Declined => format!("declined {trigger} on {since}: no asks{until_txt}"),
            FatigueRule::Spacing => format!(
                "asked for {trigger} on {since}: space out asks; next ask from{}",
                until.map_or(String::new(), |u| format!(" {u}"))
            ),
            FatigueRule::MaxAsks => {
                let (count, window) = self.settings.fatigue.max_asks.map_or((0, 0), |m| (m.count, m.window_days));
                format!("{count} asks in {window} days already (oldest counted {since}): no asks{until_txt}")
            }
            FatigueRule::ThankYou => {
                format!("{trigger} completed {since} has not been thanked: close the loop before asking again")
            }
            FatigueRule::StepDown => format!(
                "completed {trigger} ({}) on {since}: next ask at most {} effort{until_txt} or until such an ask is made",
                trigger_effort.as_str(),
                max_effort.map_or("low", Effort::as_str)
            ),
            FatigueRule::Rotate => {
                format!("asked for {trigger} on {since}: rotate activity types, not this one again{until_txt}")
            }
            FatigueRule::AgreedAsks => String::new(),
        }
    }
}

/// A refusal by `rule` triggered by `entry`, lasting `days` from its day (`None`: until an event).
#[inline]
fn refusal(rule: FatigueRule, scope: RefusalScope, entry: &CompactEntry, days: Option<i32>) -> CompactRefusal {
    CompactRefusal {
        rule,
        scope,
        trigger: entry.activity,
        since: entry.day,
        until: days.map(|d| entry.day + d),
        limit: 0,
    }
}

/// Account-wide refusals first, then step-down, then per activity; each by date, rule name and trigger.
fn sort_refusals(refusals: &mut [CompactRefusal]) {
    let rank = |r: &CompactRefusal| match r.scope {
        RefusalScope::EveryActivity => 0,
        RefusalScope::AboveEffort(_) => 1,
        RefusalScope::OneActivity(_) => 2,
    };
    refusals.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(a.since.cmp(&b.since))
            .then(a.rule.name().cmp(b.rule.name()))
            .then(a.trigger.cmp(&b.trigger))
    });
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
