//! The standard signals of the domain, declared once in one table.
//!
//! From the table come the [`SignalSpec`] list ([`standard_signals`]), the typed [`Signals`]
//! struct, and the [`StandardSignal`] names with typed access to a [`Signals`] value.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record::Record;
use crate::signal::{SignalSpec, Value};

/// How the last renewal went.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RenewalOutcome {
    /// Renewed early.
    Early,
    /// Renewed on time.
    OnTime,
    /// A hard negotiation: not a candidate now.
    Negotiated,
    /// Renewed late.
    Late,
}

/// Company size segment.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Segment {
    /// Small and medium businesses.
    Smb,
    /// Mid-market.
    MidMarket,
    /// Enterprise.
    Enterprise,
}

/// Company rules on public endorsement.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Policy {
    /// Free to endorse.
    Open,
    /// Needs approval first.
    ApprovalRequired,
    /// May not endorse publicly.
    Prohibited,
}

/// The values of a category signal as names (`"mid_market"`), read back case-insensitively.
pub trait CategoryValue: Sized + Copy + Into<&'static str> + strum::VariantNames + 'static {
    /// All values, in declaration order.
    const ALL: &'static [Self];
    /// The value's name as written in files.
    fn name(self) -> &'static str {
        self.into()
    }
    /// The value of a name, compared case-insensitively.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| crate::text::same_category(v.name(), name))
    }
}

impl CategoryValue for RenewalOutcome {
    const ALL: &'static [Self] =
        &[RenewalOutcome::Early, RenewalOutcome::OnTime, RenewalOutcome::Negotiated, RenewalOutcome::Late];
}
impl CategoryValue for Segment {
    const ALL: &'static [Self] = &[Segment::Smb, Segment::MidMarket, Segment::Enterprise];
}
impl CategoryValue for Policy {
    const ALL: &'static [Self] = &[Policy::Open, Policy::ApprovalRequired, Policy::Prohibited];
}

/// A standard signal's value in a [`Signals`] struct, borrowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SignalRef<'a> {
    /// Missing (or NaN, or empty text).
    Missing,
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// Text or a category value's name.
    Text(&'a str),
}

impl SignalRef<'_> {
    /// The owned [`Value`].
    pub fn to_value(self) -> Value {
        match self {
            SignalRef::Missing => Value::Null,
            SignalRef::Number(x) => Value::Number(x),
            SignalRef::Bool(b) => Value::Bool(b),
            SignalRef::Text(s) => Value::Text(s.to_string()),
        }
    }
}

macro_rules! bound {
    (_) => {
        None
    };
    ($v:literal) => {
        Some($v as f64)
    };
}

/// Per kind of field: its Rust type, its spec, reading and writing it.
macro_rules! field {
    (@ty int) => {
        i64
    };
    (@ty num) => {
        f64
    };
    (@ty bool) => {
        bool
    };
    (@ty text) => {
        String
    };
    (@ty cat $t:ty) => {
        $t
    };

    (@spec $name:ident int [$lo:tt, $hi:tt]) => {
        SignalSpec::integer(stringify!($name), bound!($lo), bound!($hi))
    };
    (@spec $name:ident num [$lo:tt, $hi:tt]) => {
        SignalSpec::number(stringify!($name), bound!($lo), bound!($hi))
    };
    (@spec $name:ident bool) => {
        SignalSpec::bool(stringify!($name))
    };
    (@spec $name:ident text) => {
        SignalSpec::text(stringify!($name))
    };
    (@spec $name:ident cat $t:ty) => {
        SignalSpec::category(stringify!($name), <$t as strum::VariantNames>::VARIANTS)
    };

    (@get $x:expr, int $($r:tt)*) => {
        $x.map_or(SignalRef::Missing, |v| SignalRef::Number(v as f64))
    };
    (@get $x:expr, num $($r:tt)*) => {
        $x.map_or(SignalRef::Missing, |v| if v.is_nan() { SignalRef::Missing } else { SignalRef::Number(v) })
    };
    (@get $x:expr, bool) => {
        $x.map_or(SignalRef::Missing, SignalRef::Bool)
    };
    (@get $x:expr, text) => {
        match $x.as_deref().map(str::trim) {
            None | Some("") => SignalRef::Missing,
            Some(s) => SignalRef::Text(s),
        }
    };
    (@get $x:expr, cat $t:ty) => {
        $x.map_or(SignalRef::Missing, |v| SignalRef::Text(v.name()))
    };

    (@set $f:expr, $v:expr, int $($r:tt)*) => {
        if let Value::Number(x) = $v {
            $f = Some(*x as i64)
        }
    };
    (@set $f:expr, $v:expr, num $($r:tt)*) => {
        if let Value::Number(x) = $v {
            $f = Some(*x)
        }
    };
    (@set $f:expr, $v:expr, bool) => {
        if let Value::Bool(b) = $v {
            $f = Some(*b)
        }
    };
    (@set $f:expr, $v:expr, text) => {
        if let Value::Text(s) = $v {
            $f = Some(s.clone())
        }
    };
    (@set $f:expr, $v:expr, cat $t:ty) => {
        if let Value::Text(s) = $v {
            $f = <$t>::from_name(s)
        }
    };
}

macro_rules! standard_signal_table {
    ($( $(#[$group:meta])* $variant:ident $name:ident : $kind:ident $([$lo:tt, $hi:tt])? $(($t:ty))? = $desc:literal; )*) => {
        /// The standard signals of one account, typed. Every field may be `None` (missing).
        ///
        /// Types do not enforce ranges: [`crate::Model::score`] checks them.
        ///
        /// ```
        /// use advocacy_core::{Model, Signals};
        /// let s = Signals { nps: Some(9), roi_achieved: Some(true), ..Default::default() };
        /// let score = Model::default().score(&s.to_record()).unwrap();
        /// assert_eq!(score.total, 20.0);
        /// ```
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(default)]
        pub struct Signals {
            /// The account id.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub id: Option<String>,
            $(
                #[doc = $desc]
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $name: Option<field!(@ty $kind $($t)?)>,
            )*
        }

        /// The name of a standard signal.
        ///
        /// ```
        /// use advocacy_core::{Signals, SignalRef, StandardSignal};
        /// let nps = StandardSignal::from_name("nps").unwrap();
        /// assert_eq!(nps.spec().allowed(), "an integer from 0 to 10");
        /// let s = Signals { nps: Some(9), ..Default::default() };
        /// assert_eq!(nps.get(&s), SignalRef::Number(9.0));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum StandardSignal {
            $( #[doc = $desc] $variant, )*
        }

        impl StandardSignal {
            /// Every standard signal, in table order.
            pub const ALL: &'static [StandardSignal] = &[$(StandardSignal::$variant),*];

            /// The signal's name in records, files and columns (`health_score`).
            pub fn name(self) -> &'static str {
                match self { $(StandardSignal::$variant => stringify!($name)),* }
            }

            /// The standard signal of a name.
            pub fn from_name(name: &str) -> Option<StandardSignal> {
                match name { $(stringify!($name) => Some(StandardSignal::$variant),)* _ => None }
            }

            /// Its declaration: kind, range, values and description.
            pub fn spec(self) -> &'static SignalSpec {
                &standard_signals()[self as usize]
            }

            /// Its value in a [`Signals`] struct.
            #[inline]
            pub fn get(self, s: &Signals) -> SignalRef<'_> {
                match self { $(StandardSignal::$variant => field!(@get s.$name, $kind $($t)?)),* }
            }

            /// Sets its value in a [`Signals`] struct from a checked value (see
            /// [`SignalSpec::check`]); a value of another kind leaves the field as it is.
            pub fn set(self, s: &mut Signals, v: &Value) {
                match self { $(StandardSignal::$variant => field!(@set s.$name, v, $kind $($t)?)),* }
            }
        }

        /// The standard signals of the domain, with their kinds and hard ranges, in table order.
        ///
        /// ```
        /// let nps = advocacy_core::standard_signals().iter().find(|s| s.name == "nps").unwrap();
        /// assert_eq!(nps.allowed(), "an integer from 0 to 10");
        /// ```
        pub fn standard_signals() -> &'static [SignalSpec] {
            use std::sync::OnceLock;
            static SIGNALS: OnceLock<Vec<SignalSpec>> = OnceLock::new();
            SIGNALS.get_or_init(|| {
                vec![$({
                    let mut spec = field!(@spec $name $kind $([$lo, $hi])? $($t)?);
                    spec.description = $desc.to_string();
                    spec
                }),*]
            })
        }

        impl Signals {
            /// The same account as a name-keyed [`Record`].
            pub fn to_record(&self) -> Record {
                let mut r = Record { id: self.id.clone(), values: BTreeMap::new(), provenance: BTreeMap::new() };
                for f in StandardSignal::ALL {
                    let v = f.get(self);
                    if v != SignalRef::Missing {
                        r.values.insert(f.name().to_string(), v.to_value());
                    }
                }
                r
            }
        }
    };
}

standard_signal_table! {
    // quantitative
    Nps nps: int [0, 10] = "latest Net Promoter Score answer; 9-10 = promoter";
    HealthScore health_score: num [0, 100] = "overall customer health";
    HealthScorePrev health_score_prev: num [0, 100] = "health at the previous review";
    ActiveDays30d active_days_30d: int [0, 30] = "days with logins in the last 30 days";
    FeaturesUsed features_used: int [0, _] = "distinct features or modules in use";
    Integrations integrations: int [0, _] = "integrations with other tools in their stack";
    PowerUser power_user: bool = "builds custom workflows, automations";
    TenureMonths tenure_months: num [0, _] = "months as a customer";
    Renewals renewals: int [0, _] = "completed renewals";
    RenewalOutcome renewal_outcome: cat (RenewalOutcome) = "how the last renewal went";
    Expansions expansions: int [0, _] = "expansions: seats, modules, products";
    // qualitative
    Enthusiasm enthusiasm: int [1, 5] = "genuinely excited communication (CSM rating)";
    InternalChampion internal_champion: bool = "sells the product inside their own company";
    ValuesAlignment values_alignment: int [1, 5] = "shared mission, culture, communication style (CSM rating)";
    // behavioural
    UnsolicitedReferrals unsolicited_referrals: int [0, _] = "introductions to peers nobody asked for, last 12 months";
    PublicReviews public_reviews: int [0, _] = "public reviews posted, last 12 months";
    CommunityPosts community_posts: int [0, _] = "community answers, tips and events, last 12 months";
    FeatureRequests feature_requests: int [0, _] = "constructive product feedback, last 12 months";
    SurveyResponses survey_responses: int [0, _] = "surveys and research calls, last 12 months";
    ProactiveFeedback proactive_feedback: int [0, _] = "unprompted positive feedback and success stories, last 12 months";
    // relationship
    CsmRapport csm_rapport: int [1, 5] = "warmth, trust and collaboration with the CSM";
    EngagedContacts engaged_contacts: int [0, _] = "distinct engaged people in the account";
    ExecSponsor exec_sponsor: int [1, 5] = "executive sponsor engagement";
    ResponseHours response_hours: num [0, _] = "typical time to answer our emails";
    MeetingEngagement meeting_engagement: int [1, 5] = "comes prepared, brings strategic questions";
    // success and value
    RoiAchieved roi_achieved: bool = "clear, quantified ROI";
    PublicMetricsAllowed public_metrics_allowed: bool = "may share attributable numbers publicly";
    InnovativeUsage innovative_usage: bool = "uses the product in novel ways";
    BestPractices best_practices: bool = "has built repeatable workflows others could copy";
    TransformationStory transformation_story: bool = "a clear before/after story";
    // organisational fit
    Industry industry: text = "the account's industry";
    Segment segment: cat (Segment) = "company size segment";
    Region region: text = "the account's region";
    BrandStrength brand_strength: int [1, 5] = "name recognition in the target market";
    SwitchedFrom switched_from: text = "competitor they left";
    // readiness
    PastAdvocacy past_advocacy: int [0, _] = "earlier references, case studies, events, betas";
    CommunicationComfort communication_comfort: int [1, 5] = "articulate, comfortable on camera, phone, stage";
    MarketingSavvy marketing_savvy: int [1, 5] = "values visibility and their own profile";
    AvailableHoursMonth available_hours_month: num [0, _] = "realistic hours per month for advocacy";
    Policy policy: cat (Policy) = "company rules on public endorsement";
    GiftsAllowed gifts_allowed: bool = "may accept gifts or incentives";
    OptedOut opted_out: bool = "said no to advocacy";
}

impl StandardSignal {
    /// Other names CRM, survey and support exports give the signal's column, as header keys
    /// (see [`crate::header_key`]); the signal's own name always matches.
    pub fn aliases(self) -> &'static [&'static str] {
        use StandardSignal as S;
        match self {
            S::Nps => &["nps_score", "net_promoter_score", "likelihood_to_recommend", "nps_response", "latest_nps"],
            S::HealthScore => {
                &["health", "customer_health", "customer_health_score", "account_health", "health_score_current"]
            }
            S::HealthScorePrev => {
                &["previous_health_score", "health_score_previous", "prior_health_score", "last_health_score"]
            }
            S::ActiveDays30d => {
                &["active_days", "active_days_last_30_days", "days_active_30d", "days_active_last_30_days"]
            }
            S::FeaturesUsed => &["modules_used", "features_in_use", "feature_adoption"],
            S::Integrations => &["active_integrations", "connected_apps"],
            S::TenureMonths => &["months_as_customer", "customer_tenure_months", "tenure"],
            S::Renewals => &["completed_renewals", "number_of_renewals"],
            S::RenewalOutcome => &["last_renewal_outcome", "last_renewal"],
            S::Expansions => &["upsells", "number_of_expansions"],
            S::InternalChampion => &["champion"],
            S::UnsolicitedReferrals => &["referrals", "referrals_given"],
            S::PublicReviews => &["reviews", "reviews_posted"],
            S::CommunityPosts => &["community_activity", "community_answers"],
            S::FeatureRequests => &["product_feedback", "feature_ideas"],
            S::SurveyResponses => &["surveys_answered", "survey_participation"],
            S::ProactiveFeedback => &["positive_feedback", "success_stories_shared"],
            S::CsmRapport => &["rapport", "relationship_strength", "csm_relationship"],
            S::EngagedContacts => &["engaged_people", "active_contacts", "number_of_engaged_contacts"],
            S::ExecSponsor => &["executive_sponsor", "executive_sponsor_engagement", "exec_sponsor_engagement"],
            S::ResponseHours => &["response_time_hours", "avg_response_hours"],
            S::MeetingEngagement => &["meeting_quality"],
            S::RoiAchieved => &["roi", "roi_proven", "quantified_roi"],
            S::TransformationStory => &["before_after_story"],
            S::Industry => &["vertical", "industry_vertical"],
            S::Segment => &["customer_segment", "company_size_segment", "size_segment", "market_segment"],
            S::Region => &["territory", "geo", "sales_region"],
            S::SwitchedFrom => &["previous_vendor", "replaced_competitor"],
            S::PastAdvocacy => &["advocacy_activities", "past_advocacy_activities", "references_given"],
            S::AvailableHoursMonth => &["available_hours", "hours_available_per_month", "available_hours_per_month"],
            S::Policy => &["endorsement_policy", "reference_policy", "publicity_policy"],
            S::GiftsAllowed => &["accepts_gifts", "gift_policy_allows"],
            S::OptedOut => &["opt_out", "advocacy_opt_out", "do_not_ask"],
            _ => &[],
        }
    }
}

/// The standard signal of a name, if there is one.
///
/// ```
/// assert_eq!(advocacy_core::standard_signal("segment").unwrap().values, ["smb", "mid_market", "enterprise"]);
/// ```
pub fn standard_signal(name: &str) -> Option<&'static SignalSpec> {
    StandardSignal::from_name(name).map(StandardSignal::spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, f) in StandardSignal::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
            assert_eq!(f.spec().name, f.name());
            assert_eq!(StandardSignal::from_name(f.name()), Some(*f));
        }
        assert_eq!(standard_signals().len(), StandardSignal::ALL.len());
        assert!(matches!(StandardSignal::Segment.spec().kind, crate::SignalKind::Category));
    }

    #[test]
    fn set_and_get_round_trip() {
        let mut s = Signals::default();
        StandardSignal::Segment.set(&mut s, &Value::Text("MID_MARKET".into()));
        assert_eq!(s.segment, Some(Segment::MidMarket));
        assert_eq!(StandardSignal::Segment.get(&s), SignalRef::Text("mid_market"));
        StandardSignal::Nps.set(&mut s, &Value::Number(9.0));
        assert_eq!(s.to_record().get("nps"), Some(&Value::Number(9.0)));
    }
}
