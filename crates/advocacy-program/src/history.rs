//! The program over time: a history of scored snapshots, and what it says about each account.
//!
//! A [`History`] holds snapshots (each the accounts as scored on one day) in increasing date
//! order, each account at most once per snapshot. It is read from its long form, one row per
//! account and day (`{"as_of": "2026-03-31", "id": "a", "total": 35, "tier": "not_yet_qualified",
//! "health_score": 70}`: a flat account row as [`crate::accounts_from_rows`] reads it, plus the
//! day), or from `{"snapshots": [{"as_of": ..., "accounts": [...]}]}`. An account may be absent
//! from some snapshots: its timeline has entries only where it is present, and its `gaps` list
//! the days it was absent between its first and last appearance.
//!
//! Over a history, with pure functions of it and an as-of day: each account's timeline of score
//! and tier, the first day it qualified, how long it has been in its tier, a trend over a window
//! (changes under a minimum are noise), revisit dates carried from the snapshot in which it
//! became not yet qualified, and each quarter's tier for per-quarter metrics. [`history`] runs
//! them all (the JSON kind `history`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{fmt_num, revisit_date, round6, Date, Model, Tier};

use crate::account::{validate_accounts, Account};
use crate::error::{from_json_value, ProgramError, ProgramErrorKind};
use crate::flat::kind_of;
use crate::metrics::TierCounts;

/// The trend window when none is given, in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 90;
/// The smallest change of score a trend counts when none is given, in points.
pub const DEFAULT_MIN_CHANGE: f64 = 5.0;

const DATE_ALLOWED: &str = "a date as YYYY-MM-DD";
const TIER_ALLOWED: &str = "platinum, gold, silver, not_yet_qualified, not_advocate_material";

/// One snapshot: the accounts as scored on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Snapshot {
    /// The day of the snapshot.
    pub as_of: Date,
    /// The accounts (each id once), with their total and tier as scored that day.
    pub accounts: Vec<Account>,
}

/// Scored snapshots over time, in increasing date order, each account at most once per snapshot.
///
/// ```
/// use advocacy_core::{Date, Tier};
/// use advocacy_program::History;
/// let rows = serde_json::json!([
///     {"as_of": "2026-02-28", "id": "a", "total": 30, "tier": "not_yet_qualified"},
///     {"as_of": "2026-01-31", "id": "a", "total": 20, "tier": "not_yet_qualified"},
///     {"as_of": "2026-02-28", "id": "b", "total": 45, "tier": "silver", "NPS": 9},
/// ]);
/// let h = History::from_json(rows).unwrap();
/// assert_eq!(h.dates(), vec!["2026-01-31".parse::<Date>().unwrap(), "2026-02-28".parse().unwrap()]);
/// assert_eq!(h.snapshots()[1].accounts[1].signals.nps, Some(9));
/// let a: Vec<(String, f64)> = h.timeline("a").iter().map(|p| (p.as_of.to_string(), p.total)).collect();
/// assert_eq!(a, vec![("2026-01-31".into(), 20.0), ("2026-02-28".into(), 30.0)]);
/// assert_eq!(h.first_qualified("b"), Some("2026-02-28".parse().unwrap()));
///
/// let err = History::from_json(serde_json::json!([{"as_of": "2026-02-30", "id": "a", "total": 1, "tier": "silver"}])).unwrap_err();
/// assert_eq!((err.path.as_str(), err.value.as_str(), err.allowed.as_str()), ("[0].as_of", "2026-02-30", "a date as YYYY-MM-DD"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct History {
    snapshots: Vec<Snapshot>,
    /// Each account's appearances: (snapshot, position in it), in date order.
    #[serde(skip)]
    index: BTreeMap<String, Vec<(usize, usize)>>,
}

impl History {
    /// A history of snapshots, checked: dates in increasing order (each once), each id at most
    /// once per snapshot. Errors name `snapshots[i].as_of` or `snapshots[i].accounts[j].id`.
    pub fn new(snapshots: Vec<Snapshot>) -> Result<History, ProgramError> {
        for (s, w) in snapshots.windows(2).enumerate() {
            check_order(w[0].as_of, w[1].as_of, &format!("snapshots[{}].as_of", s + 1))?;
        }
        for (s, snap) in snapshots.iter().enumerate() {
            let list = format!("snapshots[{s}].accounts");
            validate_accounts(&snap.accounts, &list)?;
            check_unique(&snap.accounts, |j| format!("{list}[{j}]"), |j| j)?;
        }
        Ok(History::indexed(snapshots))
    }

    fn indexed(snapshots: Vec<Snapshot>) -> History {
        let mut index: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (s, snap) in snapshots.iter().enumerate() {
            for (j, a) in snap.accounts.iter().enumerate() {
                index.entry(a.id.clone()).or_default().push((s, j));
            }
        }
        History { snapshots, index }
    }

    /// Reads a history from JSON: a list of rows (the long form, `prefix` `""`: paths `[3].tier`)
    /// or `{"snapshots": [{"as_of", "accounts": [...]}]}`. See [`History::from_rows`] and
    /// [`History::from_snapshots`].
    pub fn from_json(v: serde_json::Value) -> Result<History, ProgramError> {
        match v {
            serde_json::Value::Array(rows) => History::from_rows(&rows, ""),
            serde_json::Value::Object(mut o) if o.contains_key("snapshots") && o.len() == 1 => {
                let snaps = o.remove("snapshots").unwrap_or_default();
                match snaps.as_array() {
                    Some(list) => History::from_snapshots(list, "snapshots"),
                    None => Err(ProgramError::new(
                        ProgramErrorKind::Parse,
                        "snapshots",
                        kind_of(&snaps),
                        SNAPSHOTS_ALLOWED,
                        "not a list of snapshots",
                    )),
                }
            }
            other => Err(ProgramError::new(
                ProgramErrorKind::Parse,
                "",
                kind_of(&other),
                format!("a list of rows ({ROW_ALLOWED}), or {{\"snapshots\": [...]}}"),
                "not a history",
            )),
        }
    }

    /// Reads the long form: one row per account and day, in any order. Each row is an account
    /// (nested, or a flat row as [`crate::accounts_from_rows`] reads it) with its day in
    /// `as_of`; `total` (or `score`) and `tier` are required. Rows of the same day make one
    /// snapshot. Errors name the row: `{list}[3].as_of` (a bad date), `{list}[3].tier` (an
    /// unknown tier), `{list}[5].id` (the same account twice on one day).
    pub fn from_rows(rows: &[serde_json::Value], list: &str) -> Result<History, ProgramError> {
        let at = |i: usize| format!("{list}[{i}]");
        let mut days = Vec::with_capacity(rows.len());
        let mut rest = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let Some(obj) = row.as_object() else {
                return Err(ProgramError::new(ProgramErrorKind::Parse, at(i), kind_of(row), ROW_ALLOWED, "not a row")
                    .at_row(i, None));
            };
            let mut obj = obj.clone();
            let id = obj.get("id").and_then(|v| v.as_str()).map(str::to_string);
            let day = obj.remove("as_of").unwrap_or(serde_json::Value::Null);
            days.push(read_date(&day, &format!("{}.as_of", at(i))).map_err(|e| e.at_row(i, id.as_deref()))?);
            check_scored(&obj, &at(i)).map_err(|e| e.at_row(i, id.as_deref()))?;
            rest.push(serde_json::Value::Object(obj));
        }
        let accounts = read_accounts(rest, list)?;
        // Group by day (stable: rows of one day keep their order), moving each account once.
        let mut order: Vec<usize> = (0..days.len()).collect();
        order.sort_by_key(|&i| days[i]);
        let mut accounts: Vec<Option<Account>> = accounts.into_iter().map(Some).collect();
        let mut snapshots: Vec<Snapshot> = Vec::new();
        for group in order.chunk_by(|&a, &b| days[a] == days[b]) {
            let taken: Vec<Account> = group.iter().filter_map(|&i| accounts[i].take()).collect();
            check_unique(&taken, |j| at(group[j]), |j| group[j])?;
            snapshots.push(Snapshot { as_of: days[group[0]], accounts: taken });
        }
        Ok(History::indexed(snapshots))
    }

    /// Reads snapshots (`[{"as_of": "YYYY-MM-DD", "accounts": [...]}]`, accounts nested or flat
    /// rows, `total` and `tier` required) in increasing date order. `list` names the list in
    /// errors: `snapshots[2].as_of` (a bad date, a date not after the one before, or the same
    /// date twice), `snapshots[0].accounts[3].id` (the same account twice in one snapshot).
    pub fn from_snapshots(snapshots: &[serde_json::Value], list: &str) -> Result<History, ProgramError> {
        let mut out: Vec<Snapshot> = Vec::with_capacity(snapshots.len());
        for (s, snap) in snapshots.iter().enumerate() {
            let at = format!("{list}[{s}]");
            let Some(obj) = snap.as_object() else {
                return Err(ProgramError::new(
                    ProgramErrorKind::Parse,
                    at,
                    kind_of(snap),
                    SNAPSHOT_ALLOWED,
                    "not a snapshot",
                )
                .at_row(s, None));
            };
            if let Some(k) = obj.keys().find(|k| *k != "as_of" && *k != "accounts") {
                return Err(ProgramError::new(
                    ProgramErrorKind::Parse,
                    format!("{at}.{k}"),
                    format!("{k:?}"),
                    SNAPSHOT_ALLOWED,
                    "unknown field of a snapshot",
                )
                .at_row(s, None));
            }
            let as_of = read_date(obj.get("as_of").unwrap_or(&serde_json::Value::Null), &format!("{at}.as_of"))
                .map_err(|e| e.at_row(s, None))?;
            if let Some(prev) = out.last() {
                check_order(prev.as_of, as_of, &format!("{at}.as_of")).map_err(|e| e.at_row(s, None))?;
            }
            let alist = format!("{at}.accounts");
            let items = match obj.get("accounts") {
                Some(serde_json::Value::Array(items)) => items,
                other => {
                    let seen = other.map_or("(missing)".to_string(), kind_of);
                    return Err(ProgramError::new(
                        ProgramErrorKind::Parse,
                        alist,
                        seen,
                        "a list of accounts",
                        "a snapshot's accounts are not a list",
                    )
                    .at_row(s, None));
                }
            };
            for (j, item) in items.iter().enumerate() {
                let id = item.get("id").and_then(|v| v.as_str());
                match item.as_object() {
                    Some(o) => check_scored(o, &format!("{alist}[{j}]")).map_err(|e| e.at_row(j, id))?,
                    None => {
                        return Err(ProgramError::new(
                            ProgramErrorKind::Parse,
                            format!("{alist}[{j}]"),
                            kind_of(item),
                            ROW_ALLOWED,
                            "not an account",
                        )
                        .at_row(j, None))
                    }
                }
            }
            let accounts = read_accounts(items.clone(), &alist)?;
            check_unique(&accounts, |j| format!("{alist}[{j}]"), |j| j)?;
            out.push(Snapshot { as_of, accounts });
        }
        Ok(History::indexed(out))
    }

    /// The snapshots, oldest first.
    pub fn snapshots(&self) -> &[Snapshot] {
        &self.snapshots
    }

    /// The snapshot dates, oldest first.
    pub fn dates(&self) -> Vec<Date> {
        self.snapshots.iter().map(|s| s.as_of).collect()
    }

    /// The ids of every account in the history, sorted.
    pub fn account_ids(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// The history up to `as_of` (snapshots after it left out).
    pub fn until(&self, as_of: Date) -> History {
        History::indexed(self.snapshots.iter().filter(|s| s.as_of <= as_of).cloned().collect())
    }

    /// An account's appearances: (day, account), oldest first; empty for an unknown id.
    fn appearances<'a>(&'a self, id: &str) -> impl Iterator<Item = (Date, &'a Account)> + 'a {
        self.index
            .get(id)
            .into_iter()
            .flatten()
            .map(move |&(s, j)| (self.snapshots[s].as_of, &self.snapshots[s].accounts[j]))
    }

    /// An account's timeline: its total and tier at each snapshot it is in, oldest first, with
    /// the revisit date carried at that snapshot under the default model's revisit months (see
    /// [`History::timeline_with`]).
    pub fn timeline(&self, id: &str) -> Vec<TimelinePoint> {
        self.timeline_with(id, default_revisit_months())
    }

    /// An account's timeline with revisit dates carried under `revisit_months`: set in the
    /// snapshot in which the account became not yet qualified (that day plus `revisit_months`,
    /// the core's [`revisit_date`]), kept while it stays not yet qualified (absences in between
    /// do not reset it), cleared in a snapshot in any other tier.
    ///
    /// ```
    /// use advocacy_program::History;
    /// let h = History::from_json(serde_json::json!([
    ///     {"as_of": "2026-02-28", "id": "a", "total": 45, "tier": "silver"},
    ///     {"as_of": "2026-03-31", "id": "a", "total": 30, "tier": "not_yet_qualified"},
    ///     {"as_of": "2026-05-31", "id": "a", "total": 32, "tier": "not_yet_qualified"},
    ///     {"as_of": "2026-06-30", "id": "a", "total": 41, "tier": "silver"},
    /// ])).unwrap();
    /// let r: Vec<Option<String>> = h.timeline_with("a", 6).iter().map(|p| p.revisit.map(|d| d.to_string())).collect();
    /// assert_eq!(r, [None, Some("2026-09-30".into()), Some("2026-09-30".into()), None]);
    /// ```
    pub fn timeline_with(&self, id: &str, revisit_months: u32) -> Vec<TimelinePoint> {
        let mut revisit = None;
        self.appearances(id)
            .map(|(day, a)| {
                revisit = match (a.tier, revisit) {
                    (Tier::NotYetQualified, Some(r)) => Some(r),
                    (tier, _) => revisit_date(tier, day, revisit_months),
                };
                TimelinePoint { as_of: day, total: a.total, tier: a.tier, revisit }
            })
            .collect()
    }

    /// The first day an account was in a qualified tier (silver or better), if ever.
    pub fn first_qualified(&self, id: &str) -> Option<Date> {
        self.appearances(id).find(|(_, a)| a.tier.is_qualified()).map(|(d, _)| d)
    }

    /// The days an account was absent from a snapshot between its first and last appearance.
    pub fn gaps(&self, id: &str) -> Vec<Date> {
        let Some(list) = self.index.get(id) else { return Vec::new() };
        let (Some(first), Some(last)) = (list.first(), list.last()) else { return Vec::new() };
        let mut present = list.iter().map(|(s, _)| *s).peekable();
        (first.0..=last.0)
            .filter(|s| {
                let here = present.peek() == Some(s);
                if here {
                    present.next();
                }
                !here
            })
            .map(|s| self.snapshots[s].as_of)
            .collect()
    }

    /// An account's tier at its last appearance, since when it has been in it (the first of its
    /// latest run of appearances in that tier; absences do not break the run) and for how many
    /// days up to `as_of`. `None` for an unknown id.
    ///
    /// ```
    /// use advocacy_core::Tier;
    /// use advocacy_program::History;
    /// let h = History::from_json(serde_json::json!([
    ///     {"as_of": "2026-01-31", "id": "a", "total": 62, "tier": "gold"},
    ///     {"as_of": "2026-02-28", "id": "a", "total": 45, "tier": "silver"},
    ///     {"as_of": "2026-03-31", "id": "a", "total": 48, "tier": "silver"},
    /// ])).unwrap();
    /// let t = h.time_in_tier("a", "2026-04-10".parse().unwrap()).unwrap();
    /// assert_eq!((t.tier, t.since.to_string(), t.days), (Tier::Silver, "2026-02-28".to_string(), 41));
    /// ```
    pub fn time_in_tier(&self, id: &str, as_of: Date) -> Option<TimeInTier> {
        let points: Vec<(Date, Tier)> = self.appearances(id).map(|(d, a)| (d, a.tier)).collect();
        let &(_, tier) = points.last()?;
        let since = points.iter().rev().take_while(|(_, t)| *t == tier).last().map_or(as_of, |(d, _)| *d);
        Some(TimeInTier { tier, since, days: since.days_until(as_of) })
    }

    /// An account's trend over the `window_days` days up to `as_of`: last minus first total of
    /// its snapshots in the window (`as_of - window_days ..= as_of`), `up` or `down` when the
    /// change is at least `min_change` points either way, else `flat`. `None` with fewer than two
    /// snapshots of the account in the window.
    ///
    /// ```
    /// use advocacy_program::{History, Direction};
    /// let h = History::from_json(serde_json::json!([
    ///     {"as_of": "2026-01-31", "id": "a", "total": 20, "tier": "not_yet_qualified"},
    ///     {"as_of": "2026-02-28", "id": "a", "total": 24, "tier": "not_yet_qualified"},
    ///     {"as_of": "2026-03-31", "id": "a", "total": 41, "tier": "silver"},
    /// ])).unwrap();
    /// let t = h.trend("a", "2026-03-31".parse().unwrap(), 40, 5.0).unwrap();
    /// assert_eq!((t.from.to_string(), t.change, t.direction), ("2026-02-28".to_string(), 17.0, Direction::Up));
    /// assert_eq!(h.trend("a", "2026-03-31".parse().unwrap(), 90, 25.0).unwrap().direction, Direction::Flat);
    /// ```
    pub fn trend(&self, id: &str, as_of: Date, window_days: u32, min_change: f64) -> Option<HistoryTrend> {
        let start = Date::from_days(as_of.to_days() - window_days as i64);
        let inside: Vec<(Date, f64)> =
            self.appearances(id).filter(|(d, _)| *d >= start && *d <= as_of).map(|(d, a)| (d, a.total)).collect();
        let (&(from, first), &(to, last)) = (inside.first()?, inside.last()?);
        if inside.len() < 2 {
            return None;
        }
        let change = round6(last - first);
        let direction = if change != 0.0 && change >= min_change {
            Direction::Up
        } else if change != 0.0 && -change >= min_change {
            Direction::Down
        } else {
            Direction::Flat
        };
        Some(HistoryTrend { account: id.to_string(), from, to, first, last, change, direction })
    }

    /// Each calendar quarter that has snapshots, oldest first, with each account's tier at its
    /// last snapshot in that quarter (accounts in none of the quarter's snapshots left out).
    ///
    /// ```
    /// use advocacy_program::History;
    /// let h = History::from_json(serde_json::json!([
    ///     {"as_of": "2026-02-28", "id": "a", "total": 45, "tier": "silver"},
    ///     {"as_of": "2026-03-31", "id": "a", "total": 62, "tier": "gold"},
    ///     {"as_of": "2026-04-30", "id": "a", "total": 30, "tier": "not_yet_qualified"},
    /// ])).unwrap();
    /// let q: Vec<(String, String)> = h.quarter_tiers().iter().map(|q| (q.quarter.clone(), q.accounts[0].tier.to_string())).collect();
    /// assert_eq!(q, [("2026-Q1".to_string(), "gold".to_string()), ("2026-Q2".into(), "not_yet_qualified".into())]);
    /// ```
    pub fn quarter_tiers(&self) -> Vec<QuarterHistory> {
        // (year, quarter) -> account -> (its last snapshot in the quarter, its tier there)
        let mut quarters: BTreeMap<(i32, u8), LastInQuarter<'_>> = BTreeMap::new();
        for snap in &self.snapshots {
            let q = quarters.entry((snap.as_of.year(), snap.as_of.quarter())).or_default();
            for a in &snap.accounts {
                q.insert(&a.id, (snap.as_of, a.tier));
            }
        }
        quarters
            .into_iter()
            .map(|((year, q), accounts)| {
                let mut tiers = TierCounts::default();
                let accounts: Vec<QuarterTier> = accounts
                    .into_iter()
                    .map(|(id, (as_of, tier))| {
                        tiers.add(tier);
                        QuarterTier { account: id.to_string(), tier, as_of }
                    })
                    .collect();
                let last = self
                    .snapshots
                    .iter()
                    .rev()
                    .map(|s| s.as_of)
                    .find(|d| d.year() == year && d.quarter() == q)
                    .unwrap_or(Date::MIN);
                QuarterHistory { quarter: format!("{year}-Q{q}"), last_snapshot: last, tiers, accounts }
            })
            .collect()
    }
}

/// Each account's last snapshot in a quarter and its tier there.
type LastInQuarter<'a> = BTreeMap<&'a str, (Date, Tier)>;

/// The revisit months of the default model.
fn default_revisit_months() -> u32 {
    Model::default().spec().revisit_months
}

const ROW_ALLOWED: &str = "an object: an account (nested, or a flat row of id, total or score, tier and signals) \
     with its day in `as_of`";
const SNAPSHOT_ALLOWED: &str = "a snapshot: {\"as_of\": \"YYYY-MM-DD\", \"accounts\": [...]}";
const SNAPSHOTS_ALLOWED: &str = "a list of snapshots ({\"as_of\": \"YYYY-MM-DD\", \"accounts\": [...]})";

/// `later` must come after `earlier`: the same date twice is a `duplicate`, an earlier one an
/// `invalid_value`, at `path`.
fn check_order(earlier: Date, later: Date, path: &str) -> Result<(), ProgramError> {
    if later > earlier {
        return Ok(());
    }
    let (kind, message) = if later == earlier {
        (ProgramErrorKind::Duplicate, "a snapshot with a date already in the history")
    } else {
        (ProgramErrorKind::InvalidValue, "snapshots out of date order")
    };
    Err(ProgramError::new(
        kind,
        path,
        later.to_string(),
        format!("a date after {earlier} (the snapshot before): snapshots in increasing date order, each date once"),
        message,
    ))
}

/// Each id at most once; the error names the second one at `path(j)` (`.id`), row `row(j)`.
fn check_unique(
    accounts: &[Account],
    path: impl Fn(usize) -> String,
    row: impl Fn(usize) -> usize,
) -> Result<(), ProgramError> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (j, a) in accounts.iter().enumerate() {
        if let Some(first) = seen.insert(&a.id, j) {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("{}.id", path(j)),
                a.id.clone(),
                format!("each account once per snapshot ({} has the same id and day)", path(first)),
                "the same account twice in one snapshot",
            )
            .at_row(row(j), Some(&a.id)));
        }
    }
    Ok(())
}

/// A day: `YYYY-MM-DD` text.
fn read_date(v: &serde_json::Value, path: &str) -> Result<Date, ProgramError> {
    let bad = |seen: String| ProgramError::new(ProgramErrorKind::InvalidValue, path, seen, DATE_ALLOWED, "not a date");
    match v {
        serde_json::Value::String(s) => s.trim().parse::<Date>().map_err(|_| bad(s.clone())),
        serde_json::Value::Null => Err(bad("(missing)".into())),
        other => Err(bad(other.to_string())),
    }
}

/// A history's account carries its total (or score) and a known tier.
fn check_scored(obj: &serde_json::Map<String, serde_json::Value>, at: &str) -> Result<(), ProgramError> {
    match obj.get("tier") {
        Some(serde_json::Value::String(s)) if s.parse::<Tier>().is_ok() => {}
        other => {
            let seen = match other {
                None | Some(serde_json::Value::Null) => "(missing)".to_string(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            };
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                format!("{at}.tier"),
                seen,
                TIER_ALLOWED,
                "not a tier",
            ));
        }
    }
    let has = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
    if !has("total") && !has("score") {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            format!("{at}.total"),
            "(missing)",
            "the account's score that day: a number >= 0 in `total` (or `score`)",
            "no score",
        ));
    }
    Ok(())
}

/// Accounts from nested or flat rows (the program's reading of accounts), checked; errors at
/// `list[j]...`. Rows all flat (a table's) are read in one pass of [`accounts_from_rows`], rows
/// all nested straight into accounts; a mix goes through [`crate::json::normalize_input`].
fn read_accounts(items: Vec<serde_json::Value>, list: &str) -> Result<Vec<Account>, ProgramError> {
    let flat = |v: &serde_json::Value| v.as_object().is_some_and(crate::flat::is_flat);
    let out = if !items.is_empty() && items.iter().all(flat) {
        crate::flat::accounts_from_rows(&items, list)?
    } else {
        let items = if items.iter().any(flat) {
            let mut wrapped = serde_json::json!({ "accounts": items });
            crate::flat::normalize_input("segments", &mut wrapped).map_err(|e| ProgramError {
                path: match e.path.strip_prefix("accounts") {
                    Some(rest) => format!("{list}{rest}"),
                    None => e.path.clone(),
                },
                ..e
            })?;
            match wrapped.get_mut("accounts").map(serde_json::Value::take) {
                Some(serde_json::Value::Array(items)) => items,
                _ => Vec::new(),
            }
        } else {
            items
        };
        let mut out = Vec::with_capacity(items.len());
        for (j, item) in items.into_iter().enumerate() {
            let id = item.get("id").and_then(|v| v.as_str()).map(str::to_string);
            let a: Account = from_json_value(item, &format!("{list}[{j}]")).map_err(|e| e.at_row(j, id.as_deref()))?;
            out.push(a);
        }
        out
    };
    validate_accounts(&out, list)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Output types

/// An account at one snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimelinePoint {
    /// The snapshot's day.
    pub as_of: Date,
    /// The total that day.
    pub total: f64,
    /// The tier that day.
    pub tier: Tier,
    /// The revisit date carried at that snapshot (`null` unless not yet qualified).
    pub revisit: Option<Date>,
}

/// An account's current tier and since when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimeInTier {
    /// The tier at the account's last snapshot.
    pub tier: Tier,
    /// The first snapshot of its latest run in that tier.
    pub since: Date,
    /// Days from `since` to the as-of day.
    pub days: i64,
}

/// Which way a score went over the trend window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Up by at least the minimum change.
    Up,
    /// Down by at least the minimum change.
    Down,
    /// Changed by less than the minimum (noise), or not at all.
    Flat,
}

/// An account's score trend over the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryTrend {
    /// The account.
    pub account: String,
    /// Its first snapshot in the window.
    pub from: Date,
    /// Its last snapshot in the window.
    pub to: Date,
    /// The total at `from`.
    pub first: f64,
    /// The total at `to`.
    pub last: f64,
    /// `last - first` (6 decimals).
    pub change: f64,
    /// Up, down, or flat (a change under the minimum).
    pub direction: Direction,
}

/// A not-yet-qualified account's revisit date, carried from the snapshot in which it became not
/// yet qualified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CarriedRevisit {
    /// The account.
    pub account: String,
    /// The snapshot in which it became not yet qualified (the start of its current run).
    pub since: Date,
    /// `since` plus the revisit months.
    pub revisit: Date,
    /// The revisit date has come (`revisit <= as_of`).
    pub due: bool,
}

/// One account's tier in one quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuarterTier {
    /// The account.
    pub account: String,
    /// Its tier at its last snapshot in the quarter.
    pub tier: Tier,
    /// That snapshot's day.
    pub as_of: Date,
}

/// Every account's tier in one calendar quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuarterHistory {
    /// The quarter, `2026-Q1`.
    pub quarter: String,
    /// The quarter's last snapshot.
    pub last_snapshot: Date,
    /// Accounts per tier (each at its last snapshot in the quarter).
    pub tiers: TierCounts,
    /// Each account of the quarter's snapshots, by id.
    pub accounts: Vec<QuarterTier>,
}

/// Everything the history says about one account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AccountHistory {
    /// The account.
    pub account: String,
    /// Its name at its last snapshot that names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its first snapshot.
    pub first_seen: Date,
    /// Its last snapshot.
    pub last_seen: Date,
    /// In the last snapshot (on or before the as-of day).
    pub present: bool,
    /// Total, tier and carried revisit date at each snapshot it is in, oldest first.
    pub timeline: Vec<TimelinePoint>,
    /// Snapshots it is absent from between its first and last.
    pub gaps: Vec<Date>,
    /// The first snapshot in which it was silver or better (`null`: never).
    pub first_qualified: Option<Date>,
    /// Its tier at its last snapshot, since when, and for how many days (to the as-of day, or
    /// to `last_seen` when it is not in the last snapshot).
    pub time_in_tier: TimeInTier,
    /// Its trend over the window (`null`: fewer than two snapshots of it in the window).
    pub trend: Option<HistoryTrend>,
    /// Its carried revisit date (`null` unless not yet qualified at its last snapshot).
    pub revisit: Option<Date>,
    /// The revisit date has come.
    pub revisit_due: bool,
}

/// Input of [`history`]: the history (rows or snapshots) and the options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryInput {
    /// The long form: one row per account and day, each an account (nested or a flat row with
    /// `id`, `total` or `score`, `tier`, signals) with its day in `as_of`, in any order. A list
    /// given as the whole input is these rows.
    #[serde(default)]
    pub rows: Option<Vec<serde_json::Value>>,
    /// Or snapshots: `[{"as_of": "YYYY-MM-DD", "accounts": [...]}]`, in increasing date order.
    #[serde(default)]
    pub snapshots: Option<Vec<serde_json::Value>>,
    /// The day of the report (`null`: the last snapshot's). Snapshots after it are left out.
    #[serde(default)]
    pub as_of: Option<Date>,
    /// The trend window in days (`null`: 90).
    #[serde(default)]
    pub window_days: Option<u32>,
    /// The smallest change of total a trend counts, in points (`null`: 5).
    #[serde(default)]
    pub min_change: Option<f64>,
    /// Months from becoming not yet qualified to the revisit (`null`: the default model's, 6).
    #[serde(default)]
    pub revisit_months: Option<u32>,
}

/// What [`history`] found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryReport {
    /// The day of the report.
    pub as_of: Date,
    /// The snapshot dates used (on or before `as_of`), oldest first.
    pub dates: Vec<Date>,
    /// The trend window used, in days.
    pub window_days: u32,
    /// The minimum change used, in points.
    pub min_change: f64,
    /// The revisit months used.
    pub revisit_months: u32,
    /// Every account, by id.
    pub accounts: Vec<AccountHistory>,
    /// Accounts up by at least `min_change` over the window, biggest change first (ties by id).
    pub trending_up: Vec<HistoryTrend>,
    /// Accounts down by at least `min_change` over the window, biggest drop first (ties by id).
    pub trending_down: Vec<HistoryTrend>,
    /// Not-yet-qualified accounts (at their last snapshot) with their carried revisit dates,
    /// soonest first (ties by id).
    pub revisits: Vec<CarriedRevisit>,
    /// Each quarter's tier of each account, oldest quarter first.
    pub quarters: Vec<QuarterHistory>,
    /// The tier mix of every snapshot, oldest first (what a chart of the tiers over time draws).
    pub tier_mix: Vec<SnapshotTiers>,
}

/// How many accounts each tier had in one snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SnapshotTiers {
    /// The snapshot's date.
    pub as_of: Date,
    /// Accounts in the snapshot.
    pub accounts: usize,
    /// Accounts per tier.
    pub tiers: TierCounts,
}

/// Reads a history and reports on it: each account's timeline, gaps, first qualified day, time
/// in tier, trend and carried revisit date; who is trending up and down; revisits; per-quarter
/// tiers.
///
/// ```
/// use advocacy_program::{history, HistoryInput};
/// let input: HistoryInput = serde_json::from_value(serde_json::json!({"rows": [
///     {"as_of": "2026-01-31", "id": "a", "total": 30, "tier": "not_yet_qualified"},
///     {"as_of": "2026-02-28", "id": "a", "total": 33, "tier": "not_yet_qualified"},
///     {"as_of": "2026-03-31", "id": "a", "total": 52, "tier": "silver"},
///     {"as_of": "2026-01-31", "id": "b", "total": 20, "tier": "not_yet_qualified"},
///     {"as_of": "2026-03-31", "id": "b", "total": 22, "tier": "not_yet_qualified"},
/// ], "revisit_months": 2})).unwrap();
/// let r = history(&input).unwrap();
/// assert_eq!(r.as_of.to_string(), "2026-03-31");
/// assert_eq!(r.trending_up.iter().map(|t| (t.account.as_str(), t.change)).collect::<Vec<_>>(), [("a", 22.0)]);
/// assert_eq!(r.accounts[1].gaps[0].to_string(), "2026-02-28");
/// assert_eq!((r.revisits[0].account.as_str(), r.revisits[0].revisit.to_string(), r.revisits[0].due), ("b", "2026-03-31".into(), true));
/// ```
pub fn history(input: &HistoryInput) -> Result<HistoryReport, ProgramError> {
    let full = match (&input.rows, &input.snapshots) {
        (Some(rows), None) => History::from_rows(rows, "rows")?,
        (None, Some(snaps)) => History::from_snapshots(snaps, "snapshots")?,
        (rows, _) => {
            return Err(ProgramError::new(
                ProgramErrorKind::Parse,
                "",
                if rows.is_some() { "both `rows` and `snapshots`" } else { "neither `rows` nor `snapshots`" },
                "a history: `rows` (the long form, one row per account and day) or `snapshots`, not both",
                "no history",
            ))
        }
    };
    let window_days = input.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    if window_days == 0 {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "window_days",
            "0",
            "a whole number of days >= 1",
            "empty trend window",
        ));
    }
    let min_change = input.min_change.unwrap_or(DEFAULT_MIN_CHANGE);
    if !min_change.is_finite() || min_change < 0.0 {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "min_change",
            fmt_num(min_change),
            "a number of points >= 0",
            "bad minimum change",
        ));
    }
    let revisit_months = input.revisit_months.unwrap_or_else(default_revisit_months);
    if revisit_months > 120 {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "revisit_months",
            revisit_months.to_string(),
            "a whole number of months from 0 to 120",
            "revisit too far away",
        ));
    }
    let (Some(first), Some(last)) = (full.snapshots.first(), full.snapshots.last()) else {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            if input.rows.is_some() { "rows" } else { "snapshots" },
            "an empty list",
            "a history of at least one snapshot",
            "empty history",
        ));
    };
    let as_of = input.as_of.unwrap_or(last.as_of);
    if as_of < first.as_of {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "as_of",
            as_of.to_string(),
            format!("a date on or after the first snapshot ({})", first.as_of),
            "the report's day is before the history",
        ));
    }
    let h = if as_of < last.as_of { full.until(as_of) } else { full };
    let last_day = h.snapshots.last().map_or(as_of, |s| s.as_of);

    let mut accounts = Vec::with_capacity(h.index.len());
    let (mut up, mut down, mut revisits) = (Vec::new(), Vec::new(), Vec::new());
    for id in h.account_ids() {
        let timeline = h.timeline_with(id, revisit_months);
        let (Some(f), Some(l)) = (timeline.first(), timeline.last()) else { continue };
        let present = l.as_of == last_day;
        let Some(time_in_tier) = h.time_in_tier(id, if present { as_of } else { l.as_of }) else { continue };
        let trend = h.trend(id, as_of, window_days, min_change);
        match trend.as_ref().map(|t| t.direction) {
            Some(Direction::Up) => up.extend(trend.clone()),
            Some(Direction::Down) => down.extend(trend.clone()),
            _ => {}
        }
        let revisit = l.revisit;
        let revisit_due = revisit.is_some_and(|r| r <= as_of);
        if let Some(r) = revisit {
            revisits.push(CarriedRevisit {
                account: id.to_string(),
                since: time_in_tier.since,
                revisit: r,
                due: revisit_due,
            });
        }
        let name = h.appearances(id).filter_map(|(_, a)| a.name.clone()).last();
        accounts.push(AccountHistory {
            account: id.to_string(),
            name,
            first_seen: f.as_of,
            last_seen: l.as_of,
            present,
            gaps: h.gaps(id),
            first_qualified: h.first_qualified(id),
            time_in_tier,
            trend,
            revisit,
            revisit_due,
            timeline,
        });
    }
    let by_size = |a: &HistoryTrend, b: &HistoryTrend| {
        b.change.abs().total_cmp(&a.change.abs()).then_with(|| a.account.cmp(&b.account))
    };
    up.sort_by(by_size);
    down.sort_by(by_size);
    revisits.sort_by(|a, b| a.revisit.cmp(&b.revisit).then_with(|| a.account.cmp(&b.account)));
    let tier_mix = h
        .snapshots
        .iter()
        .map(|snap| {
            let mut tiers = TierCounts::default();
            snap.accounts.iter().for_each(|a| tiers.add(a.tier));
            SnapshotTiers { as_of: snap.as_of, accounts: snap.accounts.len(), tiers }
        })
        .collect();
    Ok(HistoryReport {
        as_of,
        dates: h.dates(),
        tier_mix,
        window_days,
        min_change,
        revisit_months,
        quarters: h.quarter_tiers(),
        accounts,
        trending_up: up,
        trending_down: down,
        revisits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn rows() -> Vec<serde_json::Value> {
        vec![
            json!({"as_of": "2026-01-31", "id": "a", "total": 45, "tier": "silver"}),
            json!({"as_of": "2026-01-31", "id": "b", "total": 20, "tier": "not_yet_qualified"}),
            json!({"as_of": "2026-02-28", "id": "a", "total": 35, "tier": "not_yet_qualified"}),
            json!({"as_of": "2026-03-31", "id": "a", "total": 36, "tier": "not_yet_qualified"}),
            json!({"as_of": "2026-03-31", "id": "b", "total": 41, "tier": "silver"}),
            json!({"as_of": "2026-04-30", "id": "b", "total": 47, "tier": "silver"}),
        ]
    }

    #[test]
    fn row_order_does_not_matter() {
        let input = |rows: Vec<serde_json::Value>| HistoryInput {
            rows: Some(rows),
            snapshots: None,
            as_of: None,
            window_days: None,
            min_change: None,
            revisit_months: None,
        };
        let mut reversed = rows();
        reversed.reverse();
        let (a, b) = (history(&input(rows())).unwrap(), history(&input(reversed)).unwrap());
        assert_eq!(a, b);
        assert!(a.accounts[0].gaps.is_empty());
        assert_eq!(a.accounts[1].gaps, vec![day("2026-02-28")]);
        assert!(!a.accounts[0].present);
        // `a` left after March: its time in tier runs to its last snapshot, not to the as-of day.
        assert_eq!(a.accounts[0].time_in_tier.days, 31);
    }

    #[test]
    fn typed_snapshots_are_checked() {
        let snap = |d: &str, ids: &[&str]| Snapshot {
            as_of: day(d),
            accounts: ids.iter().map(|i| Account::new(*i, 50.0, Tier::Silver)).collect(),
        };
        let e = History::new(vec![snap("2026-02-28", &["a"]), snap("2026-01-31", &["a"])]).unwrap_err();
        assert_eq!(
            (e.kind, e.path.as_str(), e.value.as_str()),
            (ProgramErrorKind::InvalidValue, "snapshots[1].as_of", "2026-01-31")
        );
        let e = History::new(vec![snap("2026-01-31", &["a"]), snap("2026-01-31", &["b"])]).unwrap_err();
        assert_eq!((e.kind, e.path.as_str()), (ProgramErrorKind::Duplicate, "snapshots[1].as_of"));
        let e = History::new(vec![snap("2026-01-31", &["a", "b", "a"])]).unwrap_err();
        assert_eq!(
            (e.kind, e.path.as_str(), e.row),
            (ProgramErrorKind::Duplicate, "snapshots[0].accounts[2].id", Some(2))
        );
        let h = History::new(vec![snap("2026-01-31", &["a"]), snap("2026-02-28", &["b"]), snap("2026-03-31", &["a"])])
            .unwrap();
        assert_eq!(h.gaps("a"), vec![day("2026-02-28")]);
        assert_eq!(h.gaps("nobody"), Vec::<Date>::new());
        assert!(h.timeline("nobody").is_empty() && h.time_in_tier("nobody", day("2026-03-31")).is_none());
        assert_eq!(h.until(day("2026-02-28")).dates(), vec![day("2026-01-31"), day("2026-02-28")]);
    }

    #[test]
    fn both_forms_read_the_same_history() {
        let from_rows = History::from_json(serde_json::Value::Array(rows())).unwrap();
        let mut snapshots: Vec<serde_json::Value> = Vec::new();
        for d in from_rows.dates() {
            let accounts: Vec<serde_json::Value> = rows()
                .into_iter()
                .filter(|r| r["as_of"] == d.to_string())
                .map(|mut r| {
                    r.as_object_mut().unwrap().remove("as_of");
                    r
                })
                .collect();
            snapshots.push(json!({"as_of": d.to_string(), "accounts": accounts}));
        }
        let from_snapshots = History::from_json(json!({ "snapshots": snapshots })).unwrap();
        assert_eq!(from_rows, from_snapshots);
        assert_eq!(from_rows.account_ids().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn revisit_follows_the_core_rule() {
        // The carried date is the core's revisit date of the snapshot in which the account became
        // not yet qualified, the one `Model::score_as_of` gives.
        let h = History::from_json(serde_json::Value::Array(rows())).unwrap();
        let model = Model::default();
        let scored = model.score_as_of(&advocacy_core::Record::new().with("nps", 3), day("2026-02-28")).unwrap();
        assert_eq!(h.timeline("a")[1].revisit, scored.revisit);
        assert_eq!(h.timeline("a")[2].revisit, scored.revisit);
        assert_eq!(h.timeline_with("a", 3)[1].revisit, Some(day("2026-05-28")));
    }
}
