//! The accounts as compact rows for matching scans, with the texts they compare interned:
//! built once per [`crate::Prepared`], on its first request.

use advocacy_core::{Policy, Segment, Tier};

use crate::account::Account;
use crate::config::{AdvocateSegment, CompiledConfig};
use crate::ids::{map_with_capacity, FxHashMap};

/// One account, compact, for matching scans: what the per-activity checks and the fit points read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MatchRow {
    pub(crate) total: f64,
    pub(crate) hours: f64,
    pub(crate) industry: u32,
    pub(crate) region: u32,
    pub(crate) competitor: u32,
    pub(crate) tier: Tier,
    pub(crate) segment: AdvocateSegment,
    /// Prohibited, opted out or not advocate material: never asked.
    pub(crate) blocked: bool,
    /// Has stated preferences or a "not now" renewal: checked in full.
    pub(crate) avoid: bool,
    /// How many of `asks.prefer` the account meets.
    pub(crate) preferred: u8,
    pub(crate) comfort: i8,
    pub(crate) size: u8,
}

/// Compact rows of every account, with the interned texts they compare.
pub(crate) struct MatchTable {
    pub(crate) rows: Vec<MatchRow>,
    pub(crate) texts: FxHashMap<String, u32>,
}

/// The interned id of a text that was not given.
pub(crate) const NO_TEXT: u32 = 0;
/// The interned id of a request's text that no account has.
pub(crate) const UNKNOWN_TEXT: u32 = u32::MAX;

/// How texts compare: trimmed, case-insensitive.
pub(crate) fn text_key(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

impl MatchTable {
    /// The rows of `accounts`, in order.
    pub(crate) fn build(config: &CompiledConfig, accounts: &[Account]) -> MatchTable {
        let mut texts: FxHashMap<String, u32> = map_with_capacity(256);
        let mut intern = |s: Option<&String>| -> u32 {
            match s.map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => NO_TEXT,
                Some(t) => {
                    if let Some(id) = texts.get(t) {
                        return *id;
                    }
                    let k = text_key(t);
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
                let segment = config.segment_of(a);
                MatchRow {
                    total: a.total,
                    hours: a.available_hours().unwrap_or(f64::NAN),
                    industry: intern(s.industry.as_ref()),
                    region: intern(s.region.as_ref()),
                    competitor: intern(s.switched_from.as_ref()),
                    tier: a.tier,
                    segment,
                    blocked: s.policy == Some(Policy::Prohibited)
                        || s.opted_out == Some(true)
                        || segment == AdvocateSegment::NotAdvocateMaterial,
                    avoid: !a.avoid.is_empty()
                        || a.enrolment.is_some()
                        || s.renewal_outcome.is_some_and(|o| config.settings.asks.not_now_after_renewal.contains(&o)),
                    preferred: config.preferred(a),
                    comfort: s.communication_comfort.map_or(-1, |c| c.clamp(0, 100) as i8),
                    size: size_code(s.segment),
                }
            })
            .collect();
        MatchTable { rows, texts }
    }

    /// The interned id of a request's text ([`UNKNOWN_TEXT`] when no account has it, [`NO_TEXT`]
    /// when not given).
    pub(crate) fn lookup(&self, s: Option<&str>) -> u32 {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => NO_TEXT,
            Some(t) => self.texts.get(t).or_else(|| self.texts.get(&text_key(t))).copied().unwrap_or(UNKNOWN_TEXT),
        }
    }
}

/// A size segment as a small number (0: unknown).
pub(crate) fn size_code(segment: Option<Segment>) -> u8 {
    segment.map_or(0, |x| x as u8 + 1)
}
