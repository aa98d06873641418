//! Deals and what advocacy did for them: referral conversion and time to close against the
//! other sources, the pipeline influenced by references, case studies and referrals, and the
//! referral chain (referred customers who later advocated or referred others).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{round6, Date};

use crate::account::{LedgerEntry, Status};
use crate::config::CompiledConfig;
use crate::error::{ProgramError, ProgramErrorKind};
use crate::ids::FxHashMap;
use crate::rate::{rate, Rate};

/// Where a deal came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DealSource {
    /// Introduced by a customer (`referring_account`).
    Referral,
    /// Inbound marketing.
    Inbound,
    /// Outbound sales.
    Outbound,
    /// A partner.
    Partner,
    /// An event.
    Event,
    /// Anything else.
    Other,
}

impl DealSource {
    /// Every source, in order.
    pub const ALL: [DealSource; 6] = [
        DealSource::Referral,
        DealSource::Inbound,
        DealSource::Outbound,
        DealSource::Partner,
        DealSource::Event,
        DealSource::Other,
    ];
    /// The source as written in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One deal of the sales pipeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    /// The deal's id (unique).
    pub id: String,
    /// Where it came from.
    pub source: DealSource,
    /// The customer account that referred it (`source = referral`).
    #[serde(default)]
    pub referring_account: Option<String>,
    /// The account the deal is with, once it is one (a won deal makes it a customer).
    #[serde(default)]
    pub account: Option<String>,
    /// When the opportunity was created.
    pub created: Date,
    /// When it closed (won or lost).
    #[serde(default)]
    pub closed: Option<Date>,
    /// Whether it was won (given once closed).
    #[serde(default)]
    pub won: Option<bool>,
    /// Its value.
    #[serde(default)]
    pub value: Option<f64>,
    /// Advocacy attached to it: activity ids of the catalogue (`reference_call`, `case_study`).
    #[serde(default)]
    pub advocacy: Vec<String>,
}

/// Days from creation to close of won deals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DaysToClose {
    /// Won deals counted.
    pub deals: usize,
    /// Mean days.
    pub mean_days: Option<f64>,
    /// Median days.
    pub median_days: Option<f64>,
}

/// The deals of one group of sources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceStats {
    /// Deals.
    pub deals: usize,
    /// Of them, closed.
    pub closed: usize,
    /// Of them, won.
    pub won: usize,
    /// Won out of closed.
    pub conversion: Rate,
    /// Days to close, won deals.
    pub days_to_close: DaysToClose,
    /// The value of the won deals.
    pub value_won: f64,
}

/// Deals with advocacy attached: a reference, a case study or a referral.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PipelineInfluence {
    /// Influenced deals out of all deals.
    pub deals: Rate,
    /// Influenced won deals out of all won deals.
    pub won: Rate,
    /// The value of the influenced deals.
    pub value: f64,
    /// The value of all deals.
    pub total_value: f64,
    /// `value / total_value` (6 decimals), `null` when there is no value.
    pub value_share: Option<f64>,
}

/// A customer who came through a referral, and what it did later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChainLink {
    /// The account.
    pub account: String,
    /// Who referred it.
    pub referred_by: String,
    /// The won referral deal.
    pub deal: String,
    /// The day it was won.
    pub since: Date,
    /// Activities it completed since (ledger), in order, each once.
    pub advocacy: Vec<String>,
    /// Deals it referred since.
    pub referred: Vec<String>,
}

/// Referred customers and their own advocacy later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReferralChain {
    /// Accounts that became customers through a won referral.
    pub customers: usize,
    /// Of them, those that completed an activity since.
    pub became_advocates: Rate,
    /// Of them, those that referred a deal since.
    pub referred_others: Rate,
    /// Each of them, by account id.
    pub accounts: Vec<ChainLink>,
}

/// Referrals against the other sources, pipeline influence and the referral chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReferralMetrics {
    /// Deals counted (created inside `from`..=`to`).
    pub deals: usize,
    /// Referral deals.
    pub referral: SourceStats,
    /// Deals of every other source.
    pub other: SourceStats,
    /// Referral conversion over the others' (the guide: 3-5x), `null` when either is unknown or 0.
    pub conversion_ratio: Option<f64>,
    /// Referral median days to close over the others' (the guide: 0.6-0.7, 30-40% faster).
    pub time_to_close_ratio: Option<f64>,
    /// Deals influenced by advocacy.
    pub pipeline: PipelineInfluence,
    /// Referred customers and their advocacy later.
    pub chain: ReferralChain,
}

/// Asset kinds that make a deal influenced by advocacy when attached.
const INFLUENCE_ASSETS: [&str; 3] = ["reference_call", "case_study", "referral"];

/// An `invalid_value` error of deal `row`.
fn bad(row: usize, field: &str, value: String, allowed: &str, message: &str) -> ProgramError {
    ProgramError::new(ProgramErrorKind::InvalidValue, format!("deals[{row}].{field}"), value, allowed, message)
        .at_row(row, None)
}

/// Checks the deals: unique ids, a referring account on referrals, a close date and an outcome
/// together and in order, values of 0 or more, advocacy of the catalogue.
pub(crate) fn validate_deals(config: &CompiledConfig, deals: &[Deal]) -> Result<(), ProgramError> {
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    let given = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    for (i, d) in deals.iter().enumerate() {
        if d.id.trim().is_empty() {
            return Err(bad(i, "id", String::new(), "a deal id", "a deal without an id"));
        }
        if let Some(first) = seen.insert(d.id.as_str(), i) {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("deals[{i}].id"),
                d.id.clone(),
                "an id not used by another deal",
                format!("the deal id is also used by deals[{first}]"),
            )
            .at_row(i, None));
        }
        if d.source == DealSource::Referral && !given(&d.referring_account) {
            return Err(bad(
                i,
                "referring_account",
                String::new(),
                "an account id",
                "a referral names who referred it",
            ));
        }
        match (d.closed, d.won) {
            (Some(c), _) if c < d.created => {
                return Err(bad(
                    i,
                    "closed",
                    c.to_string(),
                    &format!("a date on or after created ({})", d.created),
                    "the deal closed before it was created",
                ))
            }
            (Some(_), None) => {
                return Err(bad(i, "won", String::new(), "true or false", "a closed deal says whether it was won"))
            }
            (None, Some(w)) => {
                return Err(bad(
                    i,
                    "closed",
                    String::new(),
                    "a date",
                    &format!("a deal with won = {w} has a close date"),
                ))
            }
            _ => {}
        }
        if let Some(v) = d.value.filter(|v| !v.is_finite() || *v < 0.0) {
            return Err(bad(i, "value", v.to_string(), "a number >= 0", "the value is not a positive amount"));
        }
        for (k, a) in d.advocacy.iter().enumerate() {
            if config.activity(a).is_none() {
                let ids: Vec<&str> = config.settings.activities.iter().map(|a| a.id.as_str()).collect();
                return Err(ProgramError::new(
                    ProgramErrorKind::UnknownActivity,
                    format!("deals[{i}].advocacy[{k}]"),
                    a.clone(),
                    ids.join(", "),
                    "the advocacy attached is not an activity of the catalogue",
                )
                .at_row(i, None));
            }
        }
    }
    Ok(())
}

/// Mean and median of whole days.
fn days(mut d: Vec<i64>) -> DaysToClose {
    d.sort_unstable();
    let n = d.len();
    DaysToClose {
        deals: n,
        mean_days: (n > 0).then(|| round6(d.iter().sum::<i64>() as f64 / n as f64)),
        median_days: (n > 0).then(|| {
            if n % 2 == 1 {
                d[n / 2] as f64
            } else {
                round6((d[n / 2 - 1] + d[n / 2]) as f64 / 2.0)
            }
        }),
    }
}

fn stats<'d>(deals: impl Iterator<Item = &'d Deal>) -> SourceStats {
    let (mut n, mut closed, mut won, mut value) = (0, 0, 0, 0.0);
    let mut waits = Vec::new();
    for d in deals {
        n += 1;
        if let Some(c) = d.closed {
            closed += 1;
            if d.won == Some(true) {
                won += 1;
                value += d.value.unwrap_or(0.0);
                waits.push(c.to_days() - d.created.to_days());
            }
        }
    }
    SourceStats {
        deals: n,
        closed,
        won,
        conversion: rate(won, closed),
        days_to_close: days(waits),
        value_won: round6(value),
    }
}

/// `a / b` (6 decimals) when both are known and `b` is not 0.
fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => Some(round6(a / b)),
        _ => None,
    }
}

/// The referral metrics of deals created inside `from..=to` (all of `ledger` is read for the
/// chain's later advocacy).
pub(crate) fn referral_metrics(
    config: &CompiledConfig,
    deals: &[Deal],
    ledger: &[LedgerEntry],
    from: Option<Date>,
    to: Option<Date>,
) -> Result<ReferralMetrics, ProgramError> {
    validate_deals(config, deals)?;
    let inside = |d: &&Deal| from.is_none_or(|f| d.created >= f) && to.is_none_or(|t| d.created <= t);
    let counted: Vec<&Deal> = deals.iter().filter(inside).collect();
    let referral = stats(counted.iter().copied().filter(|d| d.source == DealSource::Referral));
    let other = stats(counted.iter().copied().filter(|d| d.source != DealSource::Referral));
    let influenced = |d: &Deal| {
        d.source == DealSource::Referral
            || d.advocacy.iter().any(|a| {
                config
                    .activity(a)
                    .is_some_and(|k| INFLUENCE_ASSETS.contains(&config.settings.activities[k as usize].asset.as_str()))
            })
    };
    let is_won = |d: &Deal| d.closed.is_some() && d.won == Some(true);
    let (mut value, mut total_value) = (0.0, 0.0);
    for d in &counted {
        total_value += d.value.unwrap_or(0.0);
        if influenced(d) {
            value += d.value.unwrap_or(0.0);
        }
    }
    let pipeline = PipelineInfluence {
        deals: rate(counted.iter().filter(|d| influenced(d)).count(), counted.len()),
        won: rate(
            counted.iter().filter(|d| is_won(d) && influenced(d)).count(),
            counted.iter().filter(|d| is_won(d)).count(),
        ),
        value: round6(value),
        total_value: round6(total_value),
        value_share: (total_value > 0.0).then(|| round6(value / total_value)),
    };
    // The chain: the first won referral deal of each account.
    let mut firsts: std::collections::BTreeMap<&str, &Deal> = std::collections::BTreeMap::new();
    for d in counted.iter().filter(|d| d.source == DealSource::Referral && is_won(d)) {
        let Some(account) = d.account.as_deref().map(str::trim).filter(|a| !a.is_empty()) else { continue };
        let slot = firsts.entry(account).or_insert(d);
        if (d.closed, &d.id) < (slot.closed, &slot.id) {
            *slot = d;
        }
    }
    let mut links = Vec::with_capacity(firsts.len());
    for (account, d) in firsts {
        let since = d.closed.unwrap_or(d.created);
        let mut done: Vec<&LedgerEntry> = ledger
            .iter()
            .filter(|e| e.account == account && e.status == Status::Completed && e.date >= since)
            .collect();
        done.sort_by_key(|e| e.date);
        let mut advocacy: Vec<String> = Vec::new();
        for e in done {
            if !advocacy.contains(&e.activity) {
                advocacy.push(e.activity.clone());
            }
        }
        let referred = deals
            .iter()
            .filter(|x| x.referring_account.as_deref().map(str::trim) == Some(account) && x.created >= since)
            .map(|x| x.id.clone())
            .collect();
        links.push(ChainLink {
            account: account.to_string(),
            referred_by: d.referring_account.clone().unwrap_or_default(),
            deal: d.id.clone(),
            since,
            advocacy,
            referred,
        });
    }
    let n = links.len();
    let chain = ReferralChain {
        customers: n,
        became_advocates: rate(links.iter().filter(|l| !l.advocacy.is_empty()).count(), n),
        referred_others: rate(links.iter().filter(|l| !l.referred.is_empty()).count(), n),
        accounts: links,
    };
    Ok(ReferralMetrics {
        deals: counted.len(),
        conversion_ratio: ratio(
            (referral.closed > 0).then(|| referral.won as f64 / referral.closed as f64),
            (other.closed > 0).then(|| other.won as f64 / other.closed as f64),
        ),
        time_to_close_ratio: ratio(referral.days_to_close.median_days, other.days_to_close.median_days),
        referral,
        other,
        pipeline,
        chain,
    })
}
