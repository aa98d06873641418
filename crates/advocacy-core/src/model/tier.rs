//! Qualification tiers and the thresholds that assign them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Qualification tiers, best first.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Tier {
    /// High-value advocates worth real investment.
    Platinum,
    /// Active participants in standard programs.
    Gold,
    /// Occasional contributors.
    Silver,
    /// Keep nurturing; revisit later.
    NotYetQualified,
    /// Policy or person makes advocacy impossible.
    NotAdvocateMaterial,
}

impl Tier {
    /// All tiers, best first.
    pub const ALL: [Tier; 5] =
        [Tier::Platinum, Tier::Gold, Tier::Silver, Tier::NotYetQualified, Tier::NotAdvocateMaterial];

    /// The tier's name as written in files (`not_yet_qualified`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
    /// A small stable number: 0 = platinum ... 4 = not advocate material.
    pub fn code(self) -> u8 {
        self as u8
    }
    /// The tier of a [`Tier::code`].
    pub fn from_code(code: u8) -> Option<Tier> {
        Tier::ALL.get(code as usize).copied()
    }
    /// Whether the tier is one of the three qualified tiers.
    pub fn is_qualified(self) -> bool {
        matches!(self, Tier::Platinum | Tier::Gold | Tier::Silver)
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            format!("unknown tier {s:?}; allowed: platinum, gold, silver, not_yet_qualified, not_advocate_material")
        })
    }
}

/// The score at which each qualified tier starts (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Platinum from this score.
    pub platinum: f64,
    /// Gold from this score.
    pub gold: f64,
    /// Silver from this score; below it, not yet qualified.
    pub silver: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { platinum: 80.0, gold: 60.0, silver: 40.0 }
    }
}

impl Thresholds {
    /// The tier a total reaches, before gates.
    #[inline]
    pub fn tier(&self, total: f64) -> Tier {
        if total >= self.platinum {
            Tier::Platinum
        } else if total >= self.gold {
            Tier::Gold
        } else if total >= self.silver {
            Tier::Silver
        } else {
            Tier::NotYetQualified
        }
    }
    /// The threshold of a qualified tier.
    pub fn of(&self, tier: Tier) -> Option<f64> {
        match tier {
            Tier::Platinum => Some(self.platinum),
            Tier::Gold => Some(self.gold),
            Tier::Silver => Some(self.silver),
            _ => None,
        }
    }
    /// The next qualified tier above `tier`, with its threshold.
    pub fn next(&self, tier: Tier) -> Option<(Tier, f64)> {
        match tier {
            Tier::NotYetQualified => Some((Tier::Silver, self.silver)),
            Tier::Silver => Some((Tier::Gold, self.gold)),
            Tier::Gold => Some((Tier::Platinum, self.platinum)),
            _ => None,
        }
    }
}
