//! Outreach per tier: who invites, with what benefits and which asks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tier::Tier;

/// Outreach per tier (the domain's outreach table), configurable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outreach {
    /// For platinum accounts.
    pub platinum: OutreachPlan,
    /// For gold accounts.
    pub gold: OutreachPlan,
    /// For silver accounts.
    pub silver: OutreachPlan,
    /// For accounts not yet qualified.
    pub not_yet_qualified: OutreachPlan,
    /// For accounts that are not advocate material.
    pub not_advocate_material: OutreachPlan,
}

impl Outreach {
    /// The plan for a tier.
    pub fn plan(&self, tier: Tier) -> &OutreachPlan {
        match tier {
            Tier::Platinum => &self.platinum,
            Tier::Gold => &self.gold,
            Tier::Silver => &self.silver,
            Tier::NotYetQualified => &self.not_yet_qualified,
            Tier::NotAdvocateMaterial => &self.not_advocate_material,
        }
    }
}

/// How an account of a tier is approached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutreachPlan {
    /// Who they are.
    pub who: String,
    /// Who invites them.
    pub invited_by: String,
    /// The benefit level.
    pub benefits: String,
    /// The asks that fit, most fitting first.
    pub asks: Vec<String>,
    /// The highest effort level to ask for, if any ask at all.
    pub max_effort: Option<Effort>,
}

/// The effort an activity takes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Effort {
    /// Minutes: reviews, quotes, surveys.
    Low,
    /// An hour or so: case studies, testimonials, referrals.
    Moderate,
    /// Prep, travel or ongoing: speaking, advisory boards, executive references.
    High,
}

impl Effort {
    /// The level's name as written in files (`low`, `moderate`, `high`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl Default for Outreach {
    fn default() -> Self {
        let plan = |who: &str, by: &str, ben: &str, asks: &[&str], e: Option<Effort>| OutreachPlan {
            who: who.into(),
            invited_by: by.into(),
            benefits: ben.into(),
            asks: asks.iter().map(|s| s.to_string()).collect(),
            max_effort: e,
        };
        Outreach {
            platinum: plan(
                "high-value advocate worth real investment",
                "personal invitation from the head of customer success or an executive",
                "premium benefits",
                &["conference speaking", "extensive case study", "advisory board", "executive reference call"],
                Some(Effort::High),
            ),
            gold: plan(
                "active participant in standard programs",
                "CSM invitation",
                "standard benefits",
                &["testimonial", "reference call", "case study"],
                Some(Effort::Moderate),
            ),
            silver: plan(
                "occasional contributor",
                "program invitation",
                "basic benefits",
                &["survey", "online review"],
                Some(Effort::Low),
            ),
            not_yet_qualified: plan("keep nurturing", "nobody yet", "none", &[], None),
            not_advocate_material: plan(
                "policy or person makes advocacy impossible; do not push",
                "nobody",
                "none",
                &[],
                None,
            ),
        }
    }
}
