//! Activities an account can be asked for now: tier, readiness, preferences, fatigue.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::account::{Account, Status};
use super::config::{AdvocateSegment, Prog};
use super::fatigue::{effort_name, Raw, Refusal, E};
use advocacy_core::Date;
use advocacy_core::{Effort, Tier};
use advocacy_core::Policy;
use advocacy_core::fmt_num;

/// Why an activity cannot be asked for (compact).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Block {
    Prohibited,
    OptedOut,
    Segment(AdvocateSegment),
    TierNone(Tier),
    TierEffort(Tier, Effort),
    Comfort(i64, i64),
    Hours(f64, f64),
    Preference(usize),
    Fatigue(usize),
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
    /// `policy = approval_required` and the activity is public: get approval first.
    pub approval_needed: bool,
    /// Things to check before asking (unknown readiness, approval).
    pub notes: Vec<String>,
}

/// One reason an activity is not for this account now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reason {
    /// A stable code: `prohibited`, `opted_out`, `segment`, `tier`, `tier_effort`,
    /// `communication_comfort`, `available_hours`, `preference`, `fatigue`.
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

impl Prog<'_> {
    /// Runs every eligibility check of activity `act` for an account, calling `push` for each
    /// block; stops as soon as `push` returns false. Returns true when nothing blocked.
    #[inline]
    pub(crate) fn check(
        &self,
        a: &Account,
        tier: Tier,
        seg: AdvocateSegment,
        act: u16,
        raws: &[Raw],
        push: &mut dyn FnMut(Block) -> bool,
    ) -> bool {
        let s = &a.signals;
        let activity = &self.cfg.activities[act as usize];
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
            block!(Block::Prohibited);
        }
        if s.opted_out == Some(true) {
            block!(Block::OptedOut);
        }
        if seg == AdvocateSegment::NotAdvocateMaterial {
            block!(Block::Segment(seg));
        }
        match self.cfg.outreach.plan(tier).max_effort {
            None => block!(Block::TierNone(tier)),
            Some(max) if activity.effort > max => block!(Block::TierEffort(tier, max)),
            _ => {}
        }
        if let (Some(need), Some(have)) = (activity.min_communication_comfort, s.communication_comfort) {
            if have < need {
                block!(Block::Comfort(need, have));
            }
        }
        if let Some(have) = s.available_hours_month {
            if have < activity.typical_hours {
                block!(Block::Hours(activity.typical_hours, have));
            }
        }
        if !a.avoid.is_empty() {
            let tags = &self.tags[act as usize];
            for (k, p) in a.avoid.iter().enumerate() {
                let p = p.trim();
                if p.eq_ignore_ascii_case(&activity.id) || tags.iter().any(|t| p.eq_ignore_ascii_case(t)) {
                    block!(Block::Preference(k));
                    break;
                }
            }
        }
        for (k, r) in raws.iter().enumerate() {
            if r.blocks(self, act) {
                block!(Block::Fatigue(k));
            }
        }
        ok
    }

    /// Whether activity `act` can be asked for now (fast path).
    #[inline]
    pub(crate) fn allowed(&self, a: &Account, tier: Tier, seg: AdvocateSegment, act: u16, raws: &[Raw]) -> bool {
        self.check(a, tier, seg, act, raws, &mut |_| false)
    }

    /// The effort to start from: the tier's maximum for accounts that have delivered before, low otherwise.
    #[inline]
    pub(crate) fn target_effort(&self, a: &Account, tier: Tier, entries: &[E]) -> Effort {
        let max = self.cfg.outreach.plan(tier).max_effort.unwrap_or(Effort::Low);
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
        entries: &[E],
        raws: &[Raw],
    ) -> Option<u16> {
        // Account-wide blocks first: they refuse every activity.
        if a.signals.policy == Some(Policy::Prohibited)
            || a.signals.opted_out == Some(true)
            || seg == AdvocateSegment::NotAdvocateMaterial
            || self.cfg.outreach.plan(tier).max_effort.is_none()
            || raws.iter().any(|r| matches!(r.scope, super::fatigue::Scope::All))
        {
            return None;
        }
        let order = &self.order[super::config::effort_index(self.target_effort(a, tier, entries))];
        order.iter().copied().find(|act| self.allowed(a, tier, seg, *act, raws))
    }

    pub(crate) fn incentive(&self, a: &Account, act: u16) -> Incentive {
        let inc = &self.cfg.incentives;
        let activity = &self.cfg.activities[act as usize];
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

    pub(crate) fn ask(&self, a: &Account, act: u16) -> Ask {
        let activity = &self.cfg.activities[act as usize];
        let s = &a.signals;
        let approval_needed = activity.public && s.policy == Some(Policy::ApprovalRequired);
        let mut notes = Vec::new();
        if approval_needed {
            notes.push("policy is approval_required: get the company's approval before asking".to_string());
        }
        if activity.public && s.policy.is_none() {
            notes.push("policy unknown: confirm public endorsement is allowed".to_string());
        }
        if let (Some(need), None) = (activity.min_communication_comfort, s.communication_comfort) {
            notes.push(format!("communication_comfort unknown: this activity needs {need} or more"));
        }
        if s.available_hours_month.is_none() {
            notes.push(format!("available_hours_month unknown: it takes about {} h", fmt_num(activity.typical_hours)));
        }
        Ask {
            activity: activity.id.clone(),
            label: activity.label.clone(),
            effort: activity.effort,
            typical_hours: activity.typical_hours,
            asset: activity.asset.clone(),
            incentive: self.incentive(a, act),
            approval_needed,
            notes,
        }
    }

    pub(crate) fn reason(&self, a: &Account, b: Block, refusals: &[Refusal]) -> Reason {
        let r = |code: &str, message: String| Reason { code: code.to_string(), rule: None, until: None, message };
        match b {
            Block::Prohibited => r("prohibited", "company policy prohibits endorsement: no ask at all".into()),
            Block::OptedOut => r("opted_out", "the customer opted out of advocacy: no ask at all".into()),
            Block::Segment(s) => r("segment", format!("segment {}: do not push", s.as_str())),
            Block::TierNone(t) => r("tier", format!("tier {t}: no asks at this tier")),
            Block::TierEffort(t, e) => r("tier_effort", format!("tier {t} asks up to {} effort", effort_name(e))),
            Block::Comfort(need, have) => {
                r("communication_comfort", format!("communication_comfort {have}; this activity needs {need}"))
            }
            Block::Hours(need, have) => r(
                "available_hours",
                format!("{} h available per month; this activity takes about {} h", fmt_num(have), fmt_num(need)),
            ),
            Block::Preference(k) => {
                r("preference", format!("stated preference: avoid {}", a.avoid.get(k).map_or("", |s| s.as_str())))
            }
            Block::Fatigue(k) => match refusals.get(k) {
                Some(f) => Reason {
                    code: "fatigue".into(),
                    rule: Some(f.rule.clone()),
                    until: f.until,
                    message: f.message.clone(),
                },
                None => r("fatigue", String::new()),
            },
        }
    }

    /// Every activity for the account, explained: eligible ones best first, excluded ones with reasons.
    pub(crate) fn explain_activities(
        &self,
        a: &Account,
        tier: Tier,
        seg: AdvocateSegment,
        entries: &[E],
        raws: &[Raw],
        refusals: &[Refusal],
    ) -> (Vec<Ask>, Vec<Excluded>) {
        let order = &self.order[super::config::effort_index(self.target_effort(a, tier, entries))];
        let mut eligible = Vec::new();
        let mut excluded = Vec::new();
        for &act in order {
            let mut blocks = Vec::new();
            if self.check(a, tier, seg, act, raws, &mut |b| {
                blocks.push(b);
                true
            }) {
                eligible.push(self.ask(a, act));
            } else {
                excluded.push(Excluded {
                    activity: self.cfg.activities[act as usize].id.clone(),
                    reasons: blocks.into_iter().map(|b| self.reason(a, b, refusals)).collect(),
                });
            }
        }
        // Excluded activities in catalogue order, for stable reading.
        excluded.sort_by_key(|x| self.activity(&x.activity));
        (eligible, excluded)
    }
}
