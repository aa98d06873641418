//! The review pass: one walk over the current accounts that counts tiers, segments and stages,
//! compares each account with its previous self, applies the fatigue rules, and collects who to
//! ask and who to thank; then the best suggestions are picked and spelt out.

use advocacy_core::{Date, Tier};

use super::{stage_of, Movement, Promoter, Review, Revisit, StageCounts, Suggestion, TierChange, Trend};
use crate::account::{validate_accounts, Account};
use crate::config::AdvocateSegment;
use crate::error::{ProgramError, ProgramErrorKind};
use crate::fatigue::{CompactRefusal, ThankYouOwed};
use crate::ledger::CompactEntry;
use crate::metrics::TierCounts;
use crate::overrides::{effective_score, validate_overrides, Override, OverrideIndex};
use crate::stage::recorded_stage;
use crate::{Prepared, SegmentCount};

/// Marks a current account with no previous one.
pub(super) const NO_PREVIOUS: u32 = u32::MAX;

/// The order suggestions are made in: segments most ready to help first.
fn ask_priority(s: AdvocateSegment) -> u8 {
    match s {
        AdvocateSegment::Active => 0,
        AdvocateSegment::Willing => 1,
        AdvocateSegment::Potential => 2,
        AdvocateSegment::Unclassified => 3,
        AdvocateSegment::NotAdvocateMaterial => 4,
    }
}

/// An account that can be asked now, and its best activity.
#[derive(Clone, Copy)]
struct PossibleAsk {
    tier: Tier,
    priority: u8,
    /// How many of `asks.prefer` the account meets.
    preferred: u8,
    total: f64,
    account: u32,
    activity: u16,
}

/// The better tier first, then the segment's [`ask_priority`], more of `asks.prefer` met, the
/// higher total, the earlier account.
fn best_ask_first(x: &PossibleAsk, y: &PossibleAsk) -> std::cmp::Ordering {
    x.tier
        .cmp(&y.tier)
        .then(x.priority.cmp(&y.priority))
        .then(y.preferred.cmp(&x.preferred))
        .then(y.total.total_cmp(&x.total))
        .then(x.account.cmp(&y.account))
}

/// Completed work not yet thanked; ordered oldest first, then by account and activity.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ThanksDue {
    day: i32,
    account: u32,
    activity: u16,
}

impl Prepared<'_> {
    /// The monthly review against a previous snapshot (see [`crate::review`]).
    pub fn review(
        &self,
        previous: &[Account],
        previous_as_of: Option<Date>,
        overrides: &[Override],
        as_of: Date,
    ) -> Result<Review, ProgramError> {
        validate_overrides(overrides, "overrides")?;
        validate_accounts(previous, "previous")?;
        self.ledger.check_not_after(as_of)?;
        if let Some(p) = previous_as_of.filter(|p| *p > as_of) {
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                "previous_as_of",
                p.to_string(),
                format!("a date before as_of ({as_of})"),
                "the previous snapshot is dated after the current one",
            ));
        }
        let previous_positions = self.join_previous(previous)?;
        let previous_overrides = self.previous_override_index(overrides, previous, &previous_positions);
        let mut pass = ReviewPass {
            prepared: self,
            previous,
            previous_positions,
            previous_as_of,
            overrides: self.override_index(overrides),
            previous_overrides,
            as_of,
            day: as_of.to_days() as i32,
            out: empty_review(as_of, self.accounts.len(), previous.len(), self.ledger.unmatched),
            previous_seen: vec![false; previous.len()],
            segment_counts: [0; AdvocateSegment::ALL.len()],
            refusals: Vec::new(),
            asks: Vec::new(),
            thanks: Vec::new(),
        };
        for i in 0..self.accounts.len() {
            pass.review_account(i);
        }
        pass.out.unmatched_overrides = overrides.iter().filter(|o| self.ids.get(o.account.trim()).is_none()).count();
        Ok(pass.finish())
    }
}

/// A review with nothing counted yet.
fn empty_review(as_of: Date, accounts: usize, previous_accounts: usize, unmatched: usize) -> Review {
    Review {
        as_of,
        accounts,
        previous_accounts,
        tiers: TierCounts::default(),
        segments: Vec::new(),
        stages: StageCounts::default(),
        overridden: 0,
        movement: Movement::default(),
        trending_up: Vec::new(),
        revisits_due: Vec::new(),
        new_promoters: Vec::new(),
        new_expansions: Vec::new(),
        new_renewals: Vec::new(),
        resting: 0,
        resting_accounts: Vec::new(),
        askable: 0,
        suggestions: Vec::new(),
        thanks_owed: Vec::new(),
        unmatched_ledger_entries: unmatched,
        unmatched_overrides: 0,
    }
}

/// The state of one review: its inputs, the review being filled and what is collected on the way.
struct ReviewPass<'p, 'a> {
    prepared: &'p Prepared<'a>,
    previous: &'p [Account],
    /// The previous position of each current account ([`NO_PREVIOUS`]: new).
    previous_positions: Vec<u32>,
    previous_as_of: Option<Date>,
    overrides: OverrideIndex<'p>,
    /// The overrides by previous position.
    previous_overrides: OverrideIndex<'p>,
    as_of: Date,
    day: i32,
    out: Review,
    /// Previous accounts paired with a current one.
    previous_seen: Vec<bool>,
    /// Accounts per segment, in [`AdvocateSegment::ALL`] order.
    segment_counts: [usize; AdvocateSegment::ALL.len()],
    /// The refusals of the account at hand (reused).
    refusals: Vec<CompactRefusal>,
    asks: Vec<PossibleAsk>,
    thanks: Vec<ThanksDue>,
}

impl<'p> ReviewPass<'p, '_> {
    /// Everything the review learns from the current account at position `i`.
    #[inline]
    fn review_account(&mut self, i: usize) {
        let prepared = self.prepared;
        let config = &prepared.config;
        let a = &prepared.accounts[i];
        let (total, tier) = if self.overrides.is_empty() {
            (a.total, a.tier)
        } else {
            prepared.effective_score_at(i, &self.overrides, self.as_of)
        };
        if total != a.total || tier != a.tier {
            self.out.overridden += 1;
        }
        self.out.tiers.add(tier);
        let segment = config.segment_of(a);
        self.segment_counts[segment as usize] += 1;
        let entries = prepared.ledger.entries_of(i);
        self.out.stages.add(stage_of(config, tier, entries, self.day).max(recorded_stage(a)));

        let previous = self.previous_of(i);
        match previous {
            None => self.out.movement.new_accounts.push(a.id.clone()),
            Some((k, b)) => self.compare_with_previous(a, total, tier, k, b),
        }
        self.signal_news(a, tier, previous.map(|(_, b)| b));
        self.fatigue_and_asks(i, a, total, tier, segment, entries);
    }

    /// The previous account paired with current account `i` and its position, marked as seen.
    #[inline]
    fn previous_of(&mut self, i: usize) -> Option<(u32, &'p Account)> {
        let k = self.previous_positions[i];
        if k == NO_PREVIOUS {
            return None;
        }
        self.previous_seen[k as usize] = true;
        let previous = self.previous;
        Some((k, &previous[k as usize]))
    }

    /// Tier movement, new expansions and renewals since the previous account `b` at position `k`.
    fn compare_with_previous(&mut self, a: &Account, total: f64, tier: Tier, k: u32, b: &Account) {
        let settings = self.prepared.config.settings;
        let (previous_total, previous_tier) = match self.previous_as_of {
            Some(d) if !self.previous_overrides.is_empty() => effective_score(
                b.total,
                b.tier,
                b.gated,
                self.previous_overrides.of_account(k),
                d,
                &settings.tiers,
                settings.max_total,
            ),
            _ => (b.total, b.tier),
        };
        if previous_tier != tier {
            let change = TierChange {
                account: a.id.clone(),
                name: a.name.clone(),
                from: previous_tier,
                to: tier,
                total_from: previous_total,
                total_to: total,
            };
            let movement = &mut self.out.movement;
            let list = match (previous_tier.is_qualified(), tier.is_qualified()) {
                (false, true) => &mut movement.newly_qualified,
                (true, false) => &mut movement.dropped_out,
                _ if tier < previous_tier => &mut movement.moved_up,
                _ => &mut movement.moved_down,
            };
            list.push(change);
        }
        if let (Some(x), Some(y)) = (b.signals.expansions, a.signals.expansions) {
            if y > x {
                self.out.new_expansions.push(a.id.clone());
            }
        }
        if let (Some(x), Some(y)) = (b.signals.renewals, a.signals.renewals) {
            if y > x {
                self.out.new_renewals.push(a.id.clone());
            }
        }
    }

    /// Health trending up, new promoters and due revisits (against `previous` when there is one).
    fn signal_news(&mut self, a: &Account, tier: Tier, previous: Option<&Account>) {
        let settings = &self.prepared.config.settings.review;
        if let Some(health) = a.signals.health_score {
            let base = previous.and_then(|b| b.signals.health_score).or(a.signals.health_score_prev);
            if let Some(base) = base {
                if health - base >= settings.health_trend_points {
                    self.out.trending_up.push(Trend { account: a.id.clone(), from: base, to: health });
                }
            }
        }
        if let Some(nps) = a.signals.nps {
            let nps = nps as f64;
            let before = previous.and_then(|b| b.signals.nps).map(|x| x as f64);
            if nps >= settings.promoter_nps && before.is_none_or(|b| b < settings.promoter_nps) {
                self.out.new_promoters.push(Promoter { account: a.id.clone(), nps, previous_nps: before });
            }
        }
        if tier == Tier::NotYetQualified {
            let due = match (previous.and_then(|b| b.revisit), a.revisit) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            if let Some(revisit) = due.filter(|r| *r <= self.as_of) {
                self.out.revisits_due.push(Revisit { account: a.id.clone(), revisit });
            }
        }
    }

    /// Whether the account rests, what to ask it for, and the thank-yous it is owed.
    #[inline]
    fn fatigue_and_asks(
        &mut self,
        i: usize,
        a: &Account,
        total: f64,
        tier: Tier,
        segment: AdvocateSegment,
        entries: &[CompactEntry],
    ) {
        let config = &self.prepared.config;
        if entries.is_empty() {
            self.refusals.clear();
        } else {
            config.refusals_in_force(entries, self.day, &mut self.refusals);
            config.agreed_asks_refusal(a.enrolment.as_ref(), entries, self.day, &mut self.refusals);
            // The resting refusal that lasts longest (one until an event outlasts any date).
            let longest =
                self.refusals.iter().filter(|r| r.rests_account()).max_by_key(|r| r.until.map_or(i64::MAX, i64::from));
            if let Some(r) = longest {
                self.out.resting += 1;
                self.out.resting_accounts.push(super::Resting {
                    account: a.id.clone(),
                    rule: <&'static str>::from(r.rule).to_string(),
                    until: r.until.map(|d| Date::from_days(i64::from(d))),
                });
            }
            let thanks = &mut self.thanks;
            config.thanks_owed(entries, self.day, |e| {
                thanks.push(ThanksDue { day: e.day, account: i as u32, activity: e.activity })
            });
        }
        if let Some(activity) = config.best_activity(a, tier, segment, entries, self.day, &self.refusals) {
            self.asks.push(PossibleAsk {
                tier,
                priority: ask_priority(segment),
                preferred: config.preferred(a),
                total,
                account: i as u32,
                activity,
            });
        }
    }

    /// The review with the removed accounts, segment counts, best suggestions and thank-yous.
    fn finish(mut self) -> Review {
        for (k, b) in self.previous.iter().enumerate() {
            if !self.previous_seen[k] {
                self.out.movement.removed_accounts.push(b.id.clone());
            }
        }
        self.out.segments = AdvocateSegment::ALL
            .iter()
            .map(|s| SegmentCount { segment: *s, accounts: self.segment_counts[*s as usize] })
            .collect();
        self.out
            .resting_accounts
            .sort_by(|a, b| (a.until.is_none(), a.until, &a.account).cmp(&(b.until.is_none(), b.until, &b.account)));
        // Biggest gain first (ties by id), so the top of the list is what moved most.
        self.out
            .trending_up
            .sort_by(|x, y| (y.to - y.from).total_cmp(&(x.to - x.from)).then_with(|| x.account.cmp(&y.account)));
        self.out.askable = self.asks.len();
        self.out.suggestions = self.suggestions();
        self.thanks.sort_unstable();
        let prepared = self.prepared;
        self.out.thanks_owed = self
            .thanks
            .iter()
            .map(|t| ThankYouOwed {
                account: prepared.accounts[t.account as usize].id.clone(),
                activity: prepared.config.settings.activities[t.activity as usize].id.clone(),
                completed: Date::from_days(t.day as i64),
                days_waiting: (self.day - t.day) as i64,
            })
            .collect();
        self.out
    }

    /// The best `review.max_suggestions` asks, best first, spelt out.
    fn suggestions(&mut self) -> Vec<Suggestion> {
        let prepared = self.prepared;
        let config = &prepared.config;
        let asks = &mut self.asks;
        let k = config.settings.review.max_suggestions;
        if asks.len() > k && k > 0 {
            asks.select_nth_unstable_by(k - 1, best_ask_first);
        }
        asks.truncate(k);
        asks.sort_by(best_ask_first);
        asks.iter()
            .map(|ask| {
                let a = &prepared.accounts[ask.account as usize];
                let plan = config.settings.outreach.plan(ask.tier);
                let described = config.ask_for(a, ask.activity);
                Suggestion {
                    account: a.id.clone(),
                    name: a.name.clone(),
                    tier: ask.tier,
                    total: ask.total,
                    segment: config.segment_of(a),
                    activity: described.activity,
                    effort: described.effort,
                    invited_by: plan.invited_by.clone(),
                    benefits: plan.benefits.clone(),
                    incentive: described.incentive,
                    approval_needed: described.approval_needed,
                    fit: described.fit,
                }
            })
            .collect()
    }
}
