//! Human judgement on top of data: overrides of an account's tier or points, until they expire.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{fmt_num, round6, Date, Thresholds, Tier};

use crate::error::{ProgramError, ProgramErrorKind};

/// A CSM's override of an account's result: a new tier or a points adjustment, with a reason,
/// an author and an expiry date. It applies from `starts` (if given) up to the day before
/// `expires`; never on or after `expires`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The account it concerns.
    pub account: String,
    /// The tier to give the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Points to add (or, negative, remove) from the total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Why.
    pub reason: String,
    /// Who decided.
    pub author: String,
    /// The first day it no longer applies.
    pub expires: Date,
    /// The first day it applies (default: always before `expires`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<Date>,
}

impl Override {
    /// Whether the override applies on `as_of`: from `starts`, strictly before `expires`.
    #[inline]
    pub fn applies_on(&self, as_of: Date) -> bool {
        as_of < self.expires && self.starts.is_none_or(|s| s <= as_of)
    }
}

/// Checks overrides: exactly one of tier or points, finite points, reason and author given.
pub(crate) fn validate_overrides(overrides: &[Override], list: &str) -> Result<(), ProgramError> {
    for (i, o) in overrides.iter().enumerate() {
        let p = format!("{list}[{i}]");
        let err = |e: ProgramError| Err(e.at_row(i, Some(&o.account)));
        if o.account.trim().is_empty() {
            return err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                format!("{p}.account"),
                format!("{:?}", o.account),
                "an account id",
                "override without account",
            ));
        }
        match (o.tier, o.points) {
            (Some(_), Some(_)) | (None, None) => {
                return err(ProgramError::new(
                    ProgramErrorKind::InvalidValue,
                    p.clone(),
                    "",
                    "exactly one of `tier` or `points`",
                    "an override sets a tier or adjusts points",
                ))
            }
            (None, Some(x)) if !x.is_finite() => {
                return err(ProgramError::new(
                    ProgramErrorKind::InvalidValue,
                    format!("{p}.points"),
                    fmt_num(x),
                    "a finite number",
                    "bad points adjustment",
                ))
            }
            _ => {}
        }
        for (field, v) in [("reason", &o.reason), ("author", &o.author)] {
            if v.trim().is_empty() {
                return err(ProgramError::new(
                    ProgramErrorKind::InvalidValue,
                    format!("{p}.{field}"),
                    format!("{v:?}"),
                    "non-empty text",
                    "overrides must say why and who",
                ));
            }
        }
        if let Some(s) = o.starts {
            if s >= o.expires {
                return err(ProgramError::new(
                    ProgramErrorKind::InvalidValue,
                    format!("{p}.starts"),
                    s.to_string(),
                    format!("a date before expires ({})", o.expires),
                    "override never applies",
                ));
            }
        }
    }
    check_overlaps(overrides, list)
}

/// What makes two points overrides the same one: account, points, reason, author and period.
type PointsKey<'o> = (&'o str, u64, &'o str, &'o str, Date, Option<Date>);

/// The rule for conflicting overrides: on any day, an account has at most one tier override in
/// force (two whose periods overlap are an error naming both; back-to-back periods are fine).
/// Points overrides add up, but the same override twice (same points, reason, author and
/// period: a copy, not a second decision) is an error naming both.
fn check_overlaps(overrides: &[Override], list: &str) -> Result<(), ProgramError> {
    let mut seen: std::collections::HashMap<PointsKey, usize> = std::collections::HashMap::new();
    for (i, o) in overrides.iter().enumerate() {
        let Some(points) = o.points else { continue };
        let key = (o.account.trim(), points.to_bits(), o.reason.trim(), o.author.trim(), o.expires, o.starts);
        if let Some(&first) = seen.get(&key) {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("{list}[{i}]"),
                format!("the same points override of {:?} as {list}[{first}]", o.account),
                "each points override once (two decisions need two reasons)",
                "a points override is given twice",
            )
            .at_row(i, Some(&o.account)));
        }
        seen.insert(key, i);
    }
    let mut by_account: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, o) in overrides.iter().enumerate() {
        if o.tier.is_some() {
            by_account.entry(o.account.trim()).or_default().push(i);
        }
    }
    let mut clashes: Vec<(usize, usize)> = Vec::new();
    for rows in by_account.values() {
        let mut sorted = rows.clone();
        sorted.sort_by_key(|&i| (overrides[i].starts.unwrap_or(Date::MIN), i));
        // The latest expiry so far, and whose it is: any later start before it overlaps.
        let mut reach: Option<(Date, usize)> = None;
        for &i in &sorted {
            let o = &overrides[i];
            let start = o.starts.unwrap_or(Date::MIN);
            if let Some((until, j)) = reach {
                if start < until {
                    clashes.push((j.min(i), j.max(i)));
                }
            }
            if reach.is_none_or(|(until, _)| o.expires > until) {
                reach = Some((o.expires, i));
            }
        }
    }
    let Some(&(first, second)) = clashes.iter().min_by_key(|(a, b)| (*b, *a)) else { return Ok(()) };
    let o = &overrides[second];
    Err(ProgramError::new(
        ProgramErrorKind::Duplicate,
        format!("{list}[{second}]"),
        format!("tier override of {:?} in force with {list}[{first}]", o.account),
        "at most one tier override per account in force on any day",
        "two tier overrides overlap",
    )
    .at_row(second, Some(&o.account)))
}

/// An override as it shows in an explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedOverride {
    /// The tier it set, for tier overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// The points it added, for points overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Why.
    pub reason: String,
    /// Who decided.
    pub author: String,
    /// The first day it no longer applies.
    pub expires: Date,
    /// `applied`, `expired`, `not_started` or `gated` (a gate's tier cannot be overridden).
    pub status: String,
}

/// An account's result after overrides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Overridden {
    /// The account.
    pub account: String,
    /// The core total.
    pub core_total: f64,
    /// The core tier.
    pub core_tier: Tier,
    /// The total after points overrides (clamped to 0..=max).
    pub total: f64,
    /// The tier after overrides.
    pub tier: Tier,
    /// Whether any override changed the result.
    pub overridden: bool,
    /// Every override of the account, with what became of it (in input order).
    pub overrides: Vec<AppliedOverride>,
}

/// The effective total and tier of an account, without allocating (fast path).
///
/// Points overrides add up (in input order); the last tier override wins over points.
/// An account whose core tier came from a gate (`gated`), or that is not advocate material,
/// keeps it.
#[inline]
#[allow(clippy::too_many_arguments)]
pub(crate) fn effective_score<'o>(
    total: f64,
    tier: Tier,
    gated: bool,
    overrides: impl Iterator<Item = &'o Override>,
    as_of: Date,
    tiers: &Thresholds,
    max: f64,
) -> (f64, Tier) {
    if gated || tier == Tier::NotAdvocateMaterial {
        return (total, tier);
    }
    let (mut t, mut forced, mut any) = (total, None, false);
    for o in overrides {
        if !o.applies_on(as_of) {
            continue;
        }
        any = true;
        match (o.tier, o.points) {
            (Some(x), _) => forced = Some(x),
            (None, Some(p)) => t += p,
            _ => {}
        }
    }
    if !any {
        return (total, tier);
    }
    // Not `clamp`: it panics on a NaN or negative maximum from a direct caller.
    let t = round6(t.max(0.0).min(max));
    (t, forced.unwrap_or_else(|| tiers.tier(t)))
}

/// Applies overrides to one account's core result and explains each override.
///
/// `gated` says the core tier was forced by a gate of the model (`Score::gate`); such an account,
/// like any account that is not advocate material, keeps its tier: overrides show as `gated`.
///
/// ```
/// use advocacy_core::{Tier, Thresholds, Date};
/// use advocacy_program::{apply_overrides, Override};
/// let o = Override { account: "a1".into(), tier: None, points: Some(15.0), reason: "great QBR".into(),
///     author: "kim".into(), expires: "2026-03-01".parse().unwrap(), starts: None };
/// let day = |s: &str| s.parse::<Date>().unwrap();
/// let r = apply_overrides("a1", 50.0, Tier::Silver, false, &[o.clone()], day("2026-02-28"), &Thresholds::default(), 100.0);
/// assert_eq!((r.total, r.tier), (65.0, Tier::Gold));
/// let r = apply_overrides("a1", 50.0, Tier::Silver, false, &[o], day("2026-03-01"), &Thresholds::default(), 100.0);
/// assert_eq!((r.total, r.tier, r.overrides[0].status.as_str()), (50.0, Tier::Silver, "expired"));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn apply_overrides(
    account: &str,
    total: f64,
    tier: Tier,
    gated: bool,
    overrides: &[Override],
    as_of: Date,
    tiers: &Thresholds,
    max: f64,
) -> Overridden {
    let mine: Vec<&Override> = overrides.iter().filter(|o| o.account == account).collect();
    let gated = gated || tier == Tier::NotAdvocateMaterial;
    let (t, tr) = effective_score(total, tier, gated, mine.iter().copied(), as_of, tiers, max);
    let overrides = mine
        .iter()
        .map(|o| AppliedOverride {
            tier: o.tier,
            points: o.points,
            reason: o.reason.clone(),
            author: o.author.clone(),
            expires: o.expires,
            status: <&str>::from(OverrideStatus::of_override(o, as_of, gated)).to_string(),
        })
        .collect();
    Overridden {
        account: account.to_string(),
        core_total: total,
        core_tier: tier,
        total: t,
        tier: tr,
        overridden: t != total || tr != tier,
        overrides,
    }
}

/// What became of an override, as [`AppliedOverride::status`] names it.
#[derive(Clone, Copy, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
enum OverrideStatus {
    Applied,
    Expired,
    NotStarted,
    /// The account's tier came from a gate (or it is not advocate material): nothing applies.
    Gated,
}

impl OverrideStatus {
    fn of_override(o: &Override, as_of: Date, gated: bool) -> OverrideStatus {
        if gated {
            OverrideStatus::Gated
        } else if as_of >= o.expires {
            OverrideStatus::Expired
        } else if !o.applies_on(as_of) {
            OverrideStatus::NotStarted
        } else {
            OverrideStatus::Applied
        }
    }
}

/// Overrides resolved to account positions, sorted, for linear scans.
pub(crate) struct OverrideIndex<'o> {
    /// `(account index, override)`, sorted by account index (input order within an account).
    pub by_account: Vec<(u32, &'o Override)>,
}

impl<'o> OverrideIndex<'o> {
    /// Overrides whose account `lookup` finds (a position), sorted by position.
    pub(crate) fn new(overrides: &'o [Override], lookup: impl Fn(&str) -> Option<u32>) -> Self {
        let mut by_account: Vec<(u32, &Override)> =
            overrides.iter().filter_map(|o| lookup(&o.account).map(|i| (i, o))).collect();
        by_account.sort_by_key(|(i, _)| *i);
        OverrideIndex { by_account }
    }
    /// The overrides of account `i`.
    #[inline]
    pub(crate) fn of_account(&self, i: u32) -> impl Iterator<Item = &'o Override> + '_ {
        let start = self.by_account.partition_point(|(k, _)| *k < i);
        self.by_account[start..].iter().take_while(move |(k, _)| *k == i).map(|(_, o)| *o)
    }
    /// Whether no override concerns any account.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_account.is_empty()
    }
}
