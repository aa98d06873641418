//! Activities an account can be asked for now: policy, segment, tier, readiness, preferences and
//! fatigue each may block one, and an eligible one comes with its incentive and notes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{fmt_num, Date, Effort, Policy, Tier};

use crate::account::{Account, Status};
use crate::config::{effort_index, AdvocateSegment, CompiledConfig};
use crate::fatigue::{CompactRefusal, Refusal};
use crate::ledger::CompactEntry;
use crate::segments::{describe, held, judge, values_read};

/// Why an activity cannot be asked for (compact); its name is the [`Reason::code`].
#[derive(Clone, Copy, Debug, PartialEq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub(crate) enum AskBlocker {
    /// Company policy prohibits endorsement.
    Prohibited,
    /// The customer opted out of advocacy.
    OptedOut,
    /// A segment that is not pushed.
    Segment(AdvocateSegment),
    /// A tier with no asks at all.
    #[strum(serialize = "tier")]
    TierNone(Tier),
    /// A tier that asks up to a lower effort.
    TierEffort(Tier, Effort),
    /// `(needed, had)` communication comfort.
    #[strum(serialize = "communication_comfort")]
    Comfort(i64, i64),
    /// `(needed, available)` hours per month.
    #[strum(serialize = "available_hours")]
    Hours(f64, f64),
    /// The stated preference at this position of `Account::avoid`.
    Preference(usize),
    /// The last renewal went as `asks.not_now_after_renewal` says: not now.
    NotNow,
    /// `(activity, k)`: the activity's `needs` condition `k` is false for the account.
    Needs(u16, usize),
    /// The qualification call found the account unwilling.
    #[strum(serialize = "enrolment")]
    Unwilling,
    /// Not comfortable on camera or stage (qualification call): no video or speaking.
    #[strum(serialize = "enrolment")]
    OffCamera,
    /// The fatigue refusal at this position.
    Fatigue(usize),
}

impl AskBlocker {
    /// The stable code of [`Reason::code`].
    fn code(self) -> &'static str {
        self.into()
    }
}

/// Whether an incentive is a gift or recognition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncentiveKind {
    /// A gift (the account may accept gifts).
    Gift,
    /// Recognition only (`gifts_allowed` is false or unknown).
    Recognition,
}

/// The thank-you that fits an activity and an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Incentive {
    /// Gift or recognition.
    pub kind: IncentiveKind,
    /// What, in words.
    pub text: String,
}

/// An activity the account can be asked for now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ask {
    /// The activity id.
    pub activity: String,
    /// Its label.
    pub label: String,
    /// Its effort.
    pub effort: Effort,
    /// Typical hours.
    pub typical_hours: f64,
    /// The asset it produces.
    pub asset: String,
    /// The incentive (respects `gifts_allowed`).
    pub incentive: Incentive,
    /// `policy = approval_required`: get approval first (on every ask with
    /// `asks.approval_first_every_ask`, the default; else on public activities only).
    pub approval_needed: bool,
    /// Why this activity suits the account: its `suits` conditions that hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fit: Vec<String>,
    /// Things to check before asking (unknown readiness, approval).
    pub notes: Vec<String>,
}

/// One reason an activity is not for this account now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reason {
    /// A stable code: `prohibited`, `opted_out`, `segment`, `not_now`, `tier`, `tier_effort`,
    /// `communication_comfort`, `available_hours`, `needs`, `preference`, `fatigue`.
    pub code: String,
    /// The fatigue rule, for `fatigue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// When it stops applying, if it is a matter of time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The reason in words.
    pub message: String,
}

/// An activity that is not for this account now, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Excluded {
    /// The activity id.
    pub activity: String,
    /// Every reason.
    pub reasons: Vec<Reason>,
}

impl CompiledConfig<'_> {
    /// Runs every eligibility check of activity `act` for an account, calling `push` for each
    /// blocker; stops as soon as `push` returns false. Returns true when nothing blocked.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn check_activity(
        &self,
        a: &Account,
        tier: Tier,
        seg: AdvocateSegment,
        act: u16,
        day: i32,
        refusals: &[CompactRefusal],
        push: &mut dyn FnMut(AskBlocker) -> bool,
    ) -> bool {
        let s = &a.signals;
        let activity = &self.settings.activities[act as usize];
        let mut ok = true;
        macro_rules! block {
            ($b:expr) => {{
                ok = false;
                if !push($b) {
                    return false;
                }
            }};
        }
        if s.policy == Some(Policy::Prohibited) {
            block!(AskBlocker::Prohibited);
        }
        if s.opted_out == Some(true) {
            block!(AskBlocker::OptedOut);
        }
        if seg == AdvocateSegment::NotAdvocateMaterial {
            block!(AskBlocker::Segment(seg));
        }
        if self.not_now(a, day) {
            block!(AskBlocker::NotNow);
        }
        if let Some(call) = a.call() {
            if call.willing == Some(false) {
                block!(AskBlocker::Unwilling);
            }
            if call.on_camera == Some(false)
                && self.activity_tags[act as usize].iter().any(|t| t == "video" || t == "speaking")
            {
                block!(AskBlocker::OffCamera);
            }
        }
        match self.settings.outreach.plan(tier).max_effort {
            None => block!(AskBlocker::TierNone(tier)),
            Some(max) if activity.effort > max => block!(AskBlocker::TierEffort(tier, max)),
            _ => {}
        }
        if let (Some(need), Some(have)) = (activity.min_communication_comfort, s.communication_comfort) {
            if have < need {
                block!(AskBlocker::Comfort(need, have));
            }
        }
        if let Some(have) = a.available_hours().filter(|_| self.settings.asks.within_available_hours) {
            if have < activity.typical_hours {
                block!(AskBlocker::Hours(activity.typical_hours, have));
            }
        }
        for (k, c) in self.activity_needs[act as usize].iter().enumerate() {
            if judge(c, a) == Some(false) {
                block!(AskBlocker::Needs(act, k));
            }
        }
        if !a.avoid.is_empty() {
            let tags = &self.activity_tags[act as usize];
            for (k, p) in a.avoid.iter().enumerate() {
                let p = p.trim();
                if p.eq_ignore_ascii_case(&activity.id) || tags.iter().any(|t| p.eq_ignore_ascii_case(t)) {
                    block!(AskBlocker::Preference(k));
                    break;
                }
            }
        }
        for (k, r) in refusals.iter().enumerate() {
            if r.blocks(self, act) {
                block!(AskBlocker::Fatigue(k));
            }
        }
        ok
    }

    /// Whether activity `act` can be asked for now (fast path: stops at the first blocker).
    #[inline]
    pub(crate) fn can_ask(
        &self,
        a: &Account,
        tier: Tier,
        seg: AdvocateSegment,
        act: u16,
        day: i32,
        refusals: &[CompactRefusal],
    ) -> bool {
        self.check_activity(a, tier, seg, act, day, refusals, &mut |_| false)
    }

    /// Whether the account is "not now" on `day` after its last renewal
    /// (`asks.not_now_after_renewal`): until its `next_renewal`, or while nothing says when that is.
    #[inline]
    pub(crate) fn not_now(&self, a: &Account, day: i32) -> bool {
        a.signals.renewal_outcome.is_some_and(|o| self.settings.asks.not_now_after_renewal.contains(&o))
            && a.next_renewal.is_none_or(|d| day < d.to_days() as i32)
    }

    /// How many of activity `act`'s `suits` hold for the account.
    #[inline]
    fn suits_count(&self, a: &Account, act: u16) -> usize {
        self.activity_suits[act as usize].iter().filter(|c| judge(c, a) == Some(true)).count()
    }

    /// Whether the advocate said at enrolment it prefers activity `act` (by id or tag).
    #[inline]
    fn enrolment_prefers(&self, a: &Account, act: u16) -> bool {
        let Some(e) = a.enrolment.as_ref() else { return false };
        let id = &self.settings.activities[act as usize].id;
        let tags = &self.activity_tags[act as usize];
        e.prefers
            .iter()
            .map(|p| p.trim())
            .any(|p| p.eq_ignore_ascii_case(id) || tags.iter().any(|t| p.eq_ignore_ascii_case(t)))
    }

    /// How well activity `act` fits the account, for ordering within an effort level: preferred
    /// at enrolment first, then the number of its `suits` that hold.
    #[inline]
    fn fit_rank(&self, a: &Account, act: u16) -> (bool, usize) {
        (self.enrolment_prefers(a, act), self.suits_count(a, act))
    }

    /// How many of `asks.prefer` hold for the account.
    #[inline]
    pub(crate) fn preferred(&self, a: &Account) -> u8 {
        self.prefer.iter().filter(|c| judge(c, a) == Some(true)).count().min(u8::MAX as usize) as u8
    }

    /// The distance of activity `act`'s effort from the target effort (its rank group).
    #[inline]
    fn effort_distance(&self, act: u16, target: Effort) -> usize {
        effort_index(self.settings.activities[act as usize].effort).abs_diff(effort_index(target))
    }

    /// The effort to start from: the tier's maximum for accounts that have delivered before, low otherwise.
    #[inline]
    pub(crate) fn target_effort(&self, a: &Account, tier: Tier, entries: &[CompactEntry]) -> Effort {
        let max = self.settings.outreach.plan(tier).max_effort.unwrap_or(Effort::Low);
        let delivered =
            a.signals.past_advocacy.is_some_and(|n| n >= 1) || entries.iter().any(|e| e.status == Status::Completed);
        if delivered {
            max
        } else {
            Effort::Low
        }
    }

    /// The best activity to ask for now, if any (fast path).
    #[inline]
    pub(crate) fn best_activity(
        &self,
        a: &Account,
        tier: Tier,
        seg: AdvocateSegment,
        entries: &[CompactEntry],
        day: i32,
        refusals: &[CompactRefusal],
    ) -> Option<u16> {
        // Account-wide blockers first: they refuse every activity.
        if a.signals.policy == Some(Policy::Prohibited)
            || a.signals.opted_out == Some(true)
            || seg == AdvocateSegment::NotAdvocateMaterial
            || self.settings.outreach.plan(tier).max_effort.is_none()
            || refusals.iter().any(CompactRefusal::rests_account)
            || self.not_now(a, day)
        {
            return None;
        }
        let target = self.target_effort(a, tier, entries);
        let order = &self.activities_by_effort[effort_index(target)];
        let mut found = order.iter().copied().filter(|act| self.can_ask(a, tier, seg, *act, day, refusals));
        let first = found.next()?;
        let group = self.effort_distance(first, target);
        if self.activity_suits.iter().all(Vec::is_empty) && a.enrolment.as_ref().is_none_or(|e| e.prefers.is_empty()) {
            return Some(first);
        }
        // Among the askable activities as close to the target effort, the one that fits best
        // (preferred at enrolment, then suits; the first in catalogue order among equals).
        let mut best = (self.fit_rank(a, first), first);
        for act in found.take_while(|act| self.effort_distance(*act, target) == group) {
            let n = self.fit_rank(a, act);
            if n > best.0 {
                best = (n, act);
            }
        }
        Some(best.1)
    }

    /// The thank-you for activity `act` that fits the account (gifts only where allowed).
    pub(crate) fn incentive(&self, a: &Account, act: u16) -> Incentive {
        let inc = &self.settings.incentives;
        let activity = &self.settings.activities[act as usize];
        match a.signals.gifts_allowed {
            Some(true) => {
                let mut text = inc.of(activity.effort).to_string();
                if activity.asset == "referral" && !inc.referral_close.is_empty() {
                    text = format!("{text}; {}", inc.referral_close);
                }
                Incentive { kind: IncentiveKind::Gift, text }
            }
            Some(false) => Incentive { kind: IncentiveKind::Recognition, text: inc.recognition_only.clone() },
            None => Incentive {
                kind: IncentiveKind::Recognition,
                text: format!("{} (gifts_allowed unknown: confirm before offering a gift)", inc.recognition_only),
            },
        }
    }

    /// Activity `act` as an ask of the account: incentive, approval and what to check first.
    pub(crate) fn ask_for(&self, a: &Account, act: u16) -> Ask {
        let activity = &self.settings.activities[act as usize];
        let s = &a.signals;
        let approval_needed = s.policy == Some(Policy::ApprovalRequired)
            && (activity.public || self.settings.asks.approval_first_every_ask);
        let mut notes = Vec::new();
        if approval_needed {
            notes.push(
                "approval first: policy is approval_required, get the company's approval before asking".to_string(),
            );
        }
        if activity.public && s.policy.is_none() {
            notes.push("policy unknown: confirm public endorsement is allowed".to_string());
        }
        if let (Some(need), None) = (activity.min_communication_comfort, s.communication_comfort) {
            notes.push(format!("communication_comfort unknown: this activity needs {need} or more"));
        }
        if a.available_hours().is_none() {
            notes.push(format!("available_hours_month unknown: it takes about {} h", fmt_num(activity.typical_hours)));
        }
        if let Some(process) = a.call().and_then(|c| c.approval_process.as_deref()).filter(|p| !p.trim().is_empty()) {
            notes.push(format!("approval process (qualification call): {}", process.trim()));
        }
        for c in &self.activity_needs[act as usize] {
            if judge(c, a).is_none() {
                notes.push(format!("{}: this activity needs {}", values_read(c, a), describe(c)));
            }
        }
        // A preference unmet is said; an unknown one is not (it decides nothing alone).
        for c in self.prefer.iter().filter(|c| judge(c, a) == Some(false)) {
            notes.push(format!("{}: asks.prefer prefers {}", values_read(c, a), describe(c)));
        }
        let mut fit: Vec<String> = Vec::new();
        if self.enrolment_prefers(a, act) {
            fit.push("preferred at enrolment".to_string());
        }
        fit.extend(self.activity_suits[act as usize].iter().filter(|c| judge(c, a) == Some(true)).map(|c| held(c, a)));
        Ask {
            activity: activity.id.clone(),
            label: activity.label.clone(),
            effort: activity.effort,
            typical_hours: activity.typical_hours,
            asset: activity.asset.clone(),
            incentive: self.incentive(a, act),
            approval_needed,
            fit,
            notes,
        }
    }

    /// A blocker as a [`Reason`]; `refusals` are the explained fatigue refusals it may point to.
    pub(crate) fn explain_blocker(&self, a: &Account, blocker: AskBlocker, refusals: &[Refusal]) -> Reason {
        let code = blocker.code().to_string();
        let message = match blocker {
            AskBlocker::Prohibited => "company policy prohibits endorsement: no ask at all".to_string(),
            AskBlocker::OptedOut => "the customer opted out of advocacy: no ask at all".to_string(),
            AskBlocker::Segment(s) => format!("segment {}: do not push", s.as_str()),
            AskBlocker::TierNone(t) => format!("tier {t}: no asks at this tier"),
            AskBlocker::TierEffort(t, e) => format!("tier {t} asks up to {} effort", e.as_str()),
            AskBlocker::Comfort(need, have) => format!("communication_comfort {have}; this activity needs {need}"),
            AskBlocker::Hours(need, have) => format!(
                "asks.within_available_hours: this activity takes about {} h, above the {} h available per month",
                fmt_num(need),
                fmt_num(have)
            ),
            AskBlocker::Preference(k) => {
                format!("stated preference: avoid {}", a.avoid.get(k).map_or("", |s| s.as_str()))
            }
            AskBlocker::Unwilling => {
                let when = a.call().and_then(|c| c.date).map_or(String::new(), |d| format!(" on {d}"));
                format!("enrolment: said no on the qualification call{when}: no ask")
            }
            AskBlocker::OffCamera => {
                "enrolment: not comfortable on camera or on stage (qualification call): no video or speaking"
                    .to_string()
            }
            AskBlocker::NotNow => {
                let outcome = a.signals.renewal_outcome.map_or("", |o| o.into());
                let message = match a.next_renewal {
                    Some(d) => format!(
                        "asks.not_now_after_renewal: the last renewal was {outcome}, not now: no ask until the next renewal on {d}"
                    ),
                    None => format!(
                        "asks.not_now_after_renewal: the last renewal was {outcome}, not now: no ask until the next renewal \
                         (its date is not known: give the accounts a next_renewal column)"
                    ),
                };
                return Reason { code, rule: Some("not_now_after_renewal".into()), until: a.next_renewal, message };
            }
            AskBlocker::Needs(act, k) => match self.activity_needs.get(act as usize).and_then(|v| v.get(k)) {
                Some(c) => format!("this activity needs {}: {}", describe(c), values_read(c, a)),
                None => String::new(),
            },
            AskBlocker::Fatigue(k) => match refusals.get(k) {
                Some(f) => {
                    return Reason { code, rule: Some(f.rule.clone()), until: f.until, message: f.message.clone() }
                }
                None => String::new(),
            },
        };
        Reason { code, rule: None, until: None, message }
    }

    /// Every activity for the account, explained: eligible ones best first, excluded ones with reasons.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn explain_activities(
        &self,
        a: &Account,
        tier: Tier,
        seg: AdvocateSegment,
        entries: &[CompactEntry],
        day: i32,
        compact_refusals: &[CompactRefusal],
        refusals: &[Refusal],
    ) -> (Vec<Ask>, Vec<Excluded>) {
        let target = self.target_effort(a, tier, entries);
        let mut order = self.activities_by_effort[effort_index(target)].clone();
        // Within each effort group, the activities that suit the account best first (stable).
        order.sort_by_key(|act| (self.effort_distance(*act, target), std::cmp::Reverse(self.fit_rank(a, *act))));
        let mut eligible = Vec::new();
        let mut excluded = Vec::new();
        for act in order {
            let mut blockers = Vec::new();
            if self.check_activity(a, tier, seg, act, day, compact_refusals, &mut |b| {
                blockers.push(b);
                true
            }) {
                eligible.push(self.ask_for(a, act));
            } else {
                excluded.push(Excluded {
                    activity: self.settings.activities[act as usize].id.clone(),
                    reasons: blockers.into_iter().map(|b| self.explain_blocker(a, b, refusals)).collect(),
                });
            }
        }
        // Excluded activities in catalogue order, for stable reading.
        excluded.sort_by_key(|x| self.activity(&x.activity));
        (eligible, excluded)
    }
}
