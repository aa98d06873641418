//! Several teams' sources of one account, joined: CSMs see rapport, support sees enthusiasm,
//! sales sees referrals, a survey tool has last month's NPS. Each value keeps where it came
//! from and when it was observed; a declared rule settles conflicts (the latest observation
//! wins by default) and every overruled value is kept for the explanation.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::record::{Observation, Overruled, Record};
use crate::signal::Value;

/// How a conflict between two sources is settled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictRule {
    /// The latest observation wins; a dated value beats an undated one; on the same date, the
    /// source listed first.
    #[default]
    Latest,
    /// The source listed first wins, whatever the dates.
    SourceOrder,
}

/// One source: its name, and its records, each with the date its values were observed (a date
/// column of the source, or one date for the whole file).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The source's name.
    pub name: String,
    /// The records, with their observation dates.
    pub records: Vec<(Record, Option<Date>)>,
}

/// Joins the sources by account id, in the order ids first appear; records without an id are
/// left out (the readers refuse them). Every value keeps its [`Observation`]; a signal given by
/// several sources is settled by `rule`, and the values it overruled are kept. A source that
/// repeats an account (two dated NPS answers) is settled by the same rule.
///
/// ```
/// use advocacy_core::{join_sources, ConflictRule, Date, Record, Source};
/// let d = |s: &str| s.parse::<Date>().ok();
/// let crm = Source { name: "crm".into(), records: vec![(Record::new().id("a").with("nps", 6).with("csm_rapport", 5), d("2025-09-01"))] };
/// let survey = Source { name: "survey".into(), records: vec![(Record::new().id("a").with("nps", 10), d("2026-11-02"))] };
/// let joined = join_sources(&[crm, survey], ConflictRule::Latest);
/// let a = &joined[0];
/// assert_eq!(a.get("nps").and_then(|v| v.as_f64()), Some(10.0));
/// let p = &a.provenance["nps"];
/// assert_eq!(p.seen.as_ref().unwrap().source, "survey");
/// assert_eq!(p.overruled[0].seen.source, "crm");
/// assert_eq!(a.provenance["csm_rapport"].seen.as_ref().unwrap().source, "crm");
/// ```
pub fn join_sources(sources: &[Source], rule: ConflictRule) -> Vec<Record> {
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, Record> = HashMap::new();
    for (rank, source) in sources.iter().enumerate() {
        for (record, date) in &source.records {
            let Some(id) = record.id.clone() else { continue };
            let joined = by_id.entry(id.clone()).or_insert_with(|| {
                order.push(id.clone());
                Record::new().id(id.clone())
            });
            for (signal, value) in &record.values {
                if value.is_missing() {
                    continue;
                }
                let seen = Observation { source: source.name.clone(), observed: *date };
                offer(joined, signal, value, seen, rank, rule, sources);
            }
        }
    }
    order.into_iter().filter_map(|id| by_id.remove(&id)).collect()
}

/// Offers one source's value for a signal of the joined record.
fn offer(
    joined: &mut Record,
    signal: &str,
    value: &Value,
    seen: Observation,
    rank: usize,
    rule: ConflictRule,
    sources: &[Source],
) {
    let provenance = joined.provenance.entry(signal.to_string()).or_default();
    let current = joined.values.get(signal);
    let Some(current) = current else {
        joined.values.insert(signal.to_string(), value.clone());
        provenance.seen = Some(seen);
        return;
    };
    let held = provenance.seen.clone();
    let held_rank = held.as_ref().and_then(|h| sources.iter().position(|s| s.name == h.source)).unwrap_or(rank);
    let wins = match rule {
        ConflictRule::SourceOrder => rank < held_rank,
        ConflictRule::Latest => match (seen.observed, held.as_ref().and_then(|h| h.observed)) {
            (Some(new), Some(old)) => new > old || (new == old && rank < held_rank),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => rank < held_rank,
        },
    };
    if wins {
        let old = Overruled {
            value: current.clone(),
            seen: held.unwrap_or(Observation { source: String::new(), observed: None }),
        };
        provenance.overruled.push(old);
        provenance.seen = Some(seen);
        joined.values.insert(signal.to_string(), value.clone());
    } else {
        provenance.overruled.push(Overruled { value: value.clone(), seen });
    }
}
