//! A configuration checked and compiled for a run: every number in range, every id unique,
//! segment conditions resolved against the signals, and the activity catalogue indexed.
//!
//! Checks run in file order (activities, fatigue, numbers, segments) and the first problem is
//! reported with its path in the file.

use std::collections::HashSet;

use advocacy_core::{fmt_num, Effort};

use super::condition::{compile_condition, CompiledCondition};
use super::file::{Activity, Condition, FatigueRules, MatchWeights, ProgramConfig, ReviewSettings, SegmentRules};
use crate::error::{ProgramError, ProgramErrorKind};
use crate::ids::FxHashMap;

/// The longest rest, window or step-down a fatigue rule may ask for, in days (ten years).
const MAX_RULE_DAYS: u32 = 3650;

/// Catalogues up to this size look activity ids up by scanning [`CompiledConfig::activity_keys`].
const SCANNED_CATALOGUE: usize = 32;

/// A configuration checked and resolved, ready to run.
#[derive(Debug)]
pub(crate) struct CompiledConfig<'c> {
    /// The configuration as given.
    pub settings: &'c ProgramConfig,
    /// Activity ids to catalogue positions.
    pub activity_ids: FxHashMap<&'c str, u16>,
    /// Lowercased tags per activity.
    pub activity_tags: Vec<Vec<String>>,
    /// The condition of each segment rule, in rule order.
    pub segment_conditions: Vec<CompiledCondition<'c>>,
    /// Activity positions in ranking order for a target effort (low, moderate, high; see
    /// [`effort_index`]): closest effort first, then catalogue order.
    pub activities_by_effort: [Vec<u16>; 3],
    /// `(length, first 8 bytes)` of each activity id, for the ledger's millions of lookups.
    pub activity_keys: Vec<(usize, u64)>,
    /// Each activity's `needs`, compiled.
    pub activity_needs: Vec<Vec<CompiledCondition<'c>>>,
    /// Each activity's `suits`, compiled.
    pub activity_suits: Vec<Vec<CompiledCondition<'c>>>,
    /// `asks.prefer`, compiled.
    pub prefer: Vec<CompiledCondition<'c>>,
}

/// The first 8 bytes of `s` (zero-padded) as a number.
fn first_8_bytes(s: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let n = s.len().min(8);
    bytes[..n].copy_from_slice(&s[..n]);
    u64::from_le_bytes(bytes)
}

/// The position of an effort in [`CompiledConfig::activities_by_effort`]: low 0, moderate 1, high 2.
pub(crate) fn effort_index(e: Effort) -> usize {
    match e {
        Effort::Low => 0,
        Effort::Moderate => 1,
        Effort::High => 2,
    }
}

/// An `invalid_value` error.
fn invalid(path: impl Into<String>, value: impl Into<String>, allowed: &str, message: &str) -> ProgramError {
    ProgramError::new(ProgramErrorKind::InvalidValue, path, value, allowed, message)
}

impl<'c> CompiledConfig<'c> {
    /// Checks a configuration and compiles it; the error names the first problem's path.
    pub(crate) fn new(config: &'c ProgramConfig) -> Result<CompiledConfig<'c>, ProgramError> {
        let activity_ids = check_activities(&config.activities)?;
        check_fatigue(&config.fatigue)?;
        check_scoring(config)?;
        check_review(&config.review)?;
        check_matching(&config.matching)?;
        let segment_conditions = compile_segment_rules(&config.segments)?;
        let custom: HashSet<&str> = config.segments.custom_signals.iter().map(String::as_str).collect();
        let list = |conditions: &'c [Condition], path: &str| -> Result<Vec<CompiledCondition<'c>>, ProgramError> {
            conditions.iter().enumerate().map(|(k, c)| compile_condition(c, &format!("{path}[{k}]"), &custom)).collect()
        };
        let activities = &config.activities;
        let mut activity_needs = Vec::with_capacity(activities.len());
        let mut activity_suits = Vec::with_capacity(activities.len());
        for (i, a) in activities.iter().enumerate() {
            activity_needs.push(list(&a.needs, &format!("activities[{i}].needs"))?);
            activity_suits.push(list(&a.suits, &format!("activities[{i}].suits"))?);
        }
        let prefer = list(&config.asks.prefer, "asks.prefer")?;
        check_goals(config)?;
        check_templates(config)?;
        check_request_caps(config)?;
        Ok(CompiledConfig {
            settings: config,
            activity_ids,
            activity_tags: activities
                .iter()
                .map(|a| a.tags.iter().map(|t| t.trim().to_ascii_lowercase()).collect())
                .collect(),
            segment_conditions,
            activities_by_effort: [Effort::Low, Effort::Moderate, Effort::High]
                .map(|target| rank_by_effort(activities, target)),
            activity_keys: activities.iter().map(|a| (a.id.len(), first_8_bytes(a.id.as_bytes()))).collect(),
            activity_needs,
            activity_suits,
            prefer,
        })
    }

    /// The catalogue position of an activity id: a scan of `(length, prefix)` keys for small
    /// catalogues, the id map otherwise.
    #[inline]
    pub(crate) fn activity(&self, id: &str) -> Option<u16> {
        if self.activity_keys.len() > SCANNED_CATALOGUE {
            return self.activity_ids.get(id).copied();
        }
        let bytes = id.as_bytes();
        let key = (bytes.len(), first_8_bytes(bytes));
        self.activity_keys
            .iter()
            .position(|k| *k == key)
            .filter(|i| self.settings.activities[*i].id.as_bytes() == bytes)
            .map(|i| i as u16)
            // Two ids of one length sharing their first 8 bytes: the scan found the first only.
            .or_else(|| if bytes.len() > 8 { self.activity_ids.get(id).copied() } else { None })
    }
}

/// Activity positions for a target effort: the closest effort first, then catalogue order.
fn rank_by_effort(activities: &[Activity], target: Effort) -> Vec<u16> {
    let target = effort_index(target) as i32;
    let mut positions: Vec<u16> = (0..activities.len() as u16).collect();
    positions.sort_by_key(|i| ((effort_index(activities[*i as usize].effort) as i32 - target).abs(), *i));
    positions
}

/// Checks the catalogue (not empty, at most 65535 activities, each valid, ids unique) and maps
/// ids to positions.
fn check_activities(activities: &[Activity]) -> Result<FxHashMap<&str, u16>, ProgramError> {
    if activities.is_empty() {
        return Err(invalid("activities", "[]", "at least one activity", "empty activity catalogue"));
    }
    if activities.len() > u16::MAX as usize {
        return Err(invalid(
            "activities",
            activities.len().to_string(),
            "at most 65535 activities",
            "catalogue too large",
        ));
    }
    let mut ids = FxHashMap::default();
    for (i, activity) in activities.iter().enumerate() {
        let path = format!("activities[{i}]");
        if activity.id.trim().is_empty() {
            return Err(invalid(
                format!("{path}.id"),
                format!("{:?}", activity.id),
                "a non-empty id",
                "activity id is empty",
            ));
        }
        if ids.insert(activity.id.as_str(), i as u16).is_some() {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("{path}.id"),
                activity.id.clone(),
                "an id not used by another activity",
                "duplicate activity id",
            ));
        }
        check_activity(activity, &path)?;
    }
    Ok(ids)
}

/// Checks one activity's hours, comfort and asset kind.
fn check_activity(activity: &Activity, path: &str) -> Result<(), ProgramError> {
    if !activity.typical_hours.is_finite() || activity.typical_hours < 0.0 {
        return Err(invalid(
            format!("{path}.typical_hours"),
            fmt_num(activity.typical_hours),
            "a number >= 0",
            "typical hours out of range",
        ));
    }
    if let Some(comfort) = activity.min_communication_comfort {
        if !(1..=5).contains(&comfort) {
            return Err(invalid(
                format!("{path}.min_communication_comfort"),
                comfort.to_string(),
                "an integer from 1 to 5",
                "comfort out of range",
            ));
        }
    }
    if activity.asset.trim().is_empty() {
        return Err(invalid(
            format!("{path}.asset"),
            format!("{:?}", activity.asset),
            "a non-empty asset kind",
            "asset kind is empty",
        ));
    }
    Ok(())
}

/// Checks the fatigue rules: day counts up to ten years, a real ask window, a step-down that steps down.
fn check_fatigue(fatigue: &FatigueRules) -> Result<(), ProgramError> {
    for (name, days) in [
        ("rest_after.low", fatigue.rest_after.low),
        ("rest_after.moderate", fatigue.rest_after.moderate),
        ("rest_after.high", fatigue.rest_after.high),
        ("min_days_between_asks", fatigue.min_days_between_asks),
        ("rest_after_declined_days", fatigue.rest_after_declined_days),
        ("rotate_days", fatigue.rotate_days),
    ] {
        if days > MAX_RULE_DAYS {
            return Err(invalid(format!("fatigue.{name}"), days.to_string(), "0 to 3650 days", "rest too long"));
        }
    }
    if let Some(max_asks) = fatigue.max_asks {
        if max_asks.count == 0 {
            return Err(invalid(
                "fatigue.max_asks.count",
                "0",
                "at least 1 (set max_asks to null to switch it off)",
                "no asks allowed at all",
            ));
        }
        if max_asks.window_days == 0 || max_asks.window_days > MAX_RULE_DAYS {
            return Err(invalid(
                "fatigue.max_asks.window_days",
                max_asks.window_days.to_string(),
                "1 to 3650 days",
                "bad window",
            ));
        }
    }
    if let Some(step_down) = fatigue.step_down {
        if step_down.days > MAX_RULE_DAYS {
            return Err(invalid(
                "fatigue.step_down.days",
                step_down.days.to_string(),
                "0 to 3650 days",
                "step down too long",
            ));
        }
        if step_down.max_effort >= step_down.after {
            return Err(invalid(
                "fatigue.step_down.max_effort",
                step_down.max_effort.as_str(),
                "an effort below `after`",
                "step down does not step down",
            ));
        }
    }
    Ok(())
}

/// Checks the scoring numbers overrides use: the maximum total and the tier thresholds.
fn check_scoring(config: &ProgramConfig) -> Result<(), ProgramError> {
    if !config.max_total.is_finite() || config.max_total <= 0.0 {
        return Err(invalid("max_total", fmt_num(config.max_total), "a number > 0", "bad maximum"));
    }
    let t = &config.tiers;
    if !(t.platinum >= t.gold && t.gold >= t.silver && t.silver >= 0.0 && t.platinum.is_finite()) {
        return Err(invalid(
            "tiers",
            format!("platinum {}, gold {}, silver {}", fmt_num(t.platinum), fmt_num(t.gold), fmt_num(t.silver)),
            "platinum >= gold >= silver >= 0",
            "tier thresholds out of order",
        ));
    }
    Ok(())
}

/// Checks the review settings are finite and not negative.
fn check_review(review: &ReviewSettings) -> Result<(), ProgramError> {
    for (name, v) in [("promoter_nps", review.promoter_nps), ("health_trend_points", review.health_trend_points)] {
        if !v.is_finite() || v < 0.0 {
            return Err(invalid(format!("review.{name}"), fmt_num(v), "a number >= 0", "bad review setting"));
        }
    }
    Ok(())
}

/// Checks the matching weights are finite and not negative.
fn check_matching(weights: &MatchWeights) -> Result<(), ProgramError> {
    for (name, v) in [
        ("competitor", weights.competitor),
        ("industry", weights.industry),
        ("segment", weights.segment),
        ("region", weights.region),
    ] {
        if !v.is_finite() || v < 0.0 {
            return Err(invalid(format!("matching.{name}"), fmt_num(v), "a number >= 0", "bad weight"));
        }
    }
    Ok(())
}

/// Checks the message templates: known messages, known languages, known placeholders.
fn check_templates(config: &ProgramConfig) -> Result<(), ProgramError> {
    for (message, by_lang) in &config.templates {
        if !["recruitment", "thank_you"].contains(&message.as_str()) {
            return Err(invalid(
                format!("templates.{message}"),
                message.clone(),
                "recruitment, thank_you",
                "unknown message",
            ));
        }
        for (code, template) in by_lang {
            let path = format!("templates.{message}.{code}");
            if !super::file::TEMPLATE_LANGS.contains(&code.as_str()) {
                return Err(invalid(
                    path,
                    code.clone(),
                    "en, id, ms, de, es, or * for any language",
                    "unknown language",
                ));
            }
            if let Some(p) = super::file::placeholders(template)
                .into_iter()
                .find(|p| !super::file::TEMPLATE_PLACEHOLDERS.contains(p))
            {
                return Err(invalid(
                    path,
                    format!("{{{p}}}"),
                    &super::file::TEMPLATE_PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    "unknown placeholder",
                ));
            }
        }
    }
    Ok(())
}

/// Checks the request caps name activities of the catalogue (or `*`).
fn check_request_caps(config: &ProgramConfig) -> Result<(), ProgramError> {
    for kind in config.requests.caps_per_quarter.keys() {
        if kind != "*" && !config.activities.iter().any(|a| &a.id == kind) {
            let mut ids: Vec<&str> = config.activities.iter().map(|a| a.id.as_str()).collect();
            ids.push("*");
            return Err(ProgramError::new(
                ProgramErrorKind::UnknownActivity,
                format!("requests.caps_per_quarter.{kind}"),
                kind.clone(),
                ids.join(", "),
                "a request cap names an activity that is not in the catalogue",
            ));
        }
    }
    Ok(())
}

/// Checks the goals name asset kinds of the catalogue.
fn check_goals(config: &ProgramConfig) -> Result<(), ProgramError> {
    for kind in config.goals.assets_per_quarter.keys() {
        if !config.activities.iter().any(|a| a.asset == *kind) {
            let mut kinds: Vec<&str> = config.activities.iter().map(|a| a.asset.as_str()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            return Err(ProgramError::new(
                ProgramErrorKind::InvalidValue,
                format!("goals.assets_per_quarter.{kind}"),
                kind.clone(),
                format!("an asset kind of the activity catalogue: {}", kinds.join(", ")),
                "no activity produces this asset",
            ));
        }
    }
    Ok(())
}

/// Compiles the segment rules' conditions, checking rule ids are unique.
fn compile_segment_rules(segments: &SegmentRules) -> Result<Vec<CompiledCondition<'_>>, ProgramError> {
    let custom: HashSet<&str> = segments.custom_signals.iter().map(String::as_str).collect();
    let mut ids = HashSet::new();
    let mut conditions = Vec::with_capacity(segments.rules.len());
    for (i, rule) in segments.rules.iter().enumerate() {
        let path = format!("segments.rules[{i}]");
        if !ids.insert(rule.id.as_str()) {
            return Err(ProgramError::new(
                ProgramErrorKind::Duplicate,
                format!("{path}.id"),
                rule.id.clone(),
                "an id not used by another rule",
                "duplicate segment rule id",
            ));
        }
        conditions.push(compile_condition(&rule.when, &format!("{path}.when"), &custom)?);
    }
    Ok(conditions)
}

impl ProgramConfig {
    /// Checks the configuration.
    pub fn validate(&self) -> Result<(), ProgramError> {
        CompiledConfig::new(self).map(|_| ())
    }
}
