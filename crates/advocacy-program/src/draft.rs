//! Drafting the messages the program guide asks to be personal and specific: the recruitment
//! invitation (name, how long we have worked together, their specific result, the project, the
//! time it takes, the thank-you) and the thank-you note, filled from the account's signals and
//! notes, the activity catalogue and the incentives, in the account's language.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::{fmt_num, Date, Policy};

use crate::account::Account;
use crate::activities::{Incentive, IncentiveKind};
use crate::error::{ProgramError, ProgramErrorKind};
use crate::lang::{self, Lang};
use crate::{config_or_default, EligibilityInput, ProgramConfig};

/// Which message to draft.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// The invitation to take part in an activity.
    #[default]
    Recruitment,
    /// The thank-you after it.
    ThankYou,
}

impl MessageKind {
    fn key(self) -> &'static str {
        match self {
            MessageKind::Recruitment => "message.recruitment",
            MessageKind::ThankYou => "message.thank_you",
        }
    }
    fn name(self) -> &'static str {
        match self {
            MessageKind::Recruitment => "recruitment",
            MessageKind::ThankYou => "thank_you",
        }
    }
}

/// Input of [`draft`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// The configuration (`null`: the default); its `templates` replace the shipped ones.
    #[serde(default)]
    pub config: Option<ProgramConfig>,
    /// The account. Its custom `contact` (the person's name) and `result` or `notes` (their
    /// specific result, in words) make the message specific.
    pub account: Account,
    /// The activity to ask for or thank for (a catalogue id).
    pub activity: String,
    /// Which message (default `recruitment`).
    #[serde(default)]
    pub kind: MessageKind,
    /// The language code (`en`, `id`, `ms`, `de`, `es`; default `en`).
    #[serde(default)]
    pub lang: Option<String>,
    /// Who signs it.
    #[serde(default)]
    pub sender: Option<String>,
    /// The project the activity is for (default: the activity's label).
    #[serde(default)]
    pub project: Option<String>,
    /// The day (eligibility is checked on it).
    pub as_of: Date,
}

/// A drafted message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Draft {
    /// The account.
    pub account: String,
    /// The activity.
    pub activity: String,
    /// The message kind.
    pub kind: MessageKind,
    /// The language it is written in.
    pub lang: String,
    /// The message.
    pub text: String,
    /// The values filled in, by placeholder.
    pub values: BTreeMap<String, String>,
    /// The incentive offered (recognition only where gifts are not allowed or unknown).
    pub incentive: Incentive,
    /// Get the company's approval before sending.
    pub approval_needed: bool,
    /// What to check or add before sending (a generic part, the activity not askable now).
    pub warnings: Vec<String>,
}

/// A custom text value of the account (trimmed, non-empty).
fn custom_text<'a>(a: &'a Account, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| match a.custom.get(*n) {
        Some(advocacy_core::Value::Text(s)) if !s.trim().is_empty() => Some(s.trim()),
        _ => None,
    })
}

/// How long we have worked together, in words of `lang`.
fn timeframe(lang: Lang, months: f64) -> String {
    let m = months.round().max(1.0);
    if m < 24.0 {
        lang::message(lang, "draft.months", &[("count", &fmt_num(m))])
    } else {
        lang::message(lang, "draft.years", &[("count", &fmt_num((m / 12.0).floor()))])
    }
}

/// Drafts the recruitment invitation or the thank-you for one account and activity, from the
/// template of the program guide (or the configuration's `templates`), in the language asked.
/// Never for an account whose policy prohibits endorsement or that opted out (an error that says
/// why); an activity the account cannot be asked for now is drafted with a warning naming why.
///
/// ```
/// use advocacy_program::{draft, DraftInput};
/// let input: DraftInput = serde_json::from_value(serde_json::json!({
///     "account": {"id": "ACC-1", "name": "Green Labs", "total": 85, "tier": "platinum",
///                 "signals": {"tenure_months": 30, "gifts_allowed": false, "policy": "open"},
///                 "custom": {"contact": "Ana", "result": "cutting onboarding from 6 weeks to 9 days"}},
///     "activity": "case_study", "lang": "es", "sender": "Dana", "as_of": "2026-11-30"
/// })).unwrap();
/// let d = draft(&input).unwrap();
/// assert!(d.text.starts_with("Hola Ana:"));
/// assert!(d.text.contains("cutting onboarding from 6 weeks to 9 days"));
/// assert_eq!(d.values["timeframe"], "2 años");
/// assert_eq!(d.incentive.kind, advocacy_program::IncentiveKind::Recognition);
/// ```
pub fn draft(input: &DraftInput) -> Result<Draft, ProgramError> {
    let lang = match input.lang.as_deref() {
        None => Lang::En,
        Some(code) => Lang::parse(code).map_err(|e| {
            ProgramError::new(
                ProgramErrorKind::InvalidValue,
                "lang",
                code,
                Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>().join(", "),
                e.to_string(),
            )
        })?,
    };
    let a = &input.account;
    let s = &a.signals;
    if s.policy == Some(Policy::Prohibited) {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "account.signals.policy",
            "prohibited",
            "an account whose policy allows endorsement",
            "no message: company policy prohibits endorsement",
        ));
    }
    if s.opted_out == Some(true) {
        return Err(ProgramError::new(
            ProgramErrorKind::InvalidValue,
            "account.signals.opted_out",
            "true",
            "an account that has not opted out",
            "no message: the customer opted out of advocacy",
        ));
    }
    let settings = config_or_default(&input.config);
    let eligibility = crate::eligibility(&EligibilityInput {
        config: Some(settings.clone().into_owned()),
        account: a.clone(),
        ledger: Vec::new(),
        overrides: Vec::new(),
        as_of: input.as_of,
    })?;
    let localized = lang::localize_program(&settings, lang);
    let Some(activity) = localized.activities.iter().find(|x| x.id == input.activity) else {
        return Err(ProgramError::new(
            ProgramErrorKind::UnknownActivity,
            "activity",
            input.activity.clone(),
            settings.activities.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", "),
            "the activity is not in the catalogue",
        ));
    };
    let mut warnings = Vec::new();
    let ask = eligibility.eligible.iter().find(|x| x.activity == input.activity);
    if let Some(x) = eligibility.excluded.iter().find(|x| x.activity == input.activity) {
        if input.kind == MessageKind::Recruitment {
            let why: Vec<&str> = x.reasons.iter().map(|r| r.message.as_str()).collect();
            warnings.push(format!("not askable now: {}", why.join("; ")));
        }
    }
    // The thank-you the eligibility found (it knows gifts_allowed), in the message's language.
    let gift = ask.map_or(s.gifts_allowed == Some(true), |x| x.incentive.kind == IncentiveKind::Gift);
    let incentive = if gift {
        Incentive { kind: IncentiveKind::Gift, text: localized.incentives.of(activity.effort).to_string() }
    } else {
        Incentive { kind: IncentiveKind::Recognition, text: localized.incentives.recognition_only.clone() }
    };
    let approval_needed = ask.is_some_and(|x| x.approval_needed) || s.policy == Some(Policy::ApprovalRequired);
    let company = a.name.clone().unwrap_or_else(|| a.id.clone());
    let name = match custom_text(a, &["contact", "contact_name"]) {
        Some(n) => n.to_string(),
        None => {
            warnings.push("no contact name (a `contact` column): the greeting uses the account's name".into());
            company.clone()
        }
    };
    let outcome = match custom_text(a, &["result", "notes", "success_story"]) {
        Some(r) => r.to_string(),
        None => {
            warnings.push(
                "no specific result (a `result` or `notes` column): the message names a generic one; \
                 add what they achieved"
                    .into(),
            );
            lang::text(lang, "draft.outcome_generic").to_string()
        }
    };
    let months = s.tenure_months.unwrap_or(0.0);
    if s.tenure_months.is_none() {
        warnings.push("tenure_months unknown: the time together is left general".into());
    }
    let tf =
        if s.tenure_months.is_some() { timeframe(lang, months) } else { lang::text(lang, "draft.a_while").to_string() };
    let commitment = lang::message(lang, "draft.commitment", &[("hours", &fmt_num(activity.typical_hours))]);
    let project =
        input.project.clone().unwrap_or_else(|| lang::message(lang, "draft.project", &[("activity", &activity.label)]));
    let sender = input.sender.clone().unwrap_or_default();
    if sender.trim().is_empty() {
        warnings.push("no sender: the signature is empty".into());
    }
    let mut values = BTreeMap::new();
    values.insert("name".to_string(), name);
    values.insert("company".to_string(), company);
    values.insert("timeframe".to_string(), tf);
    values.insert("outcome".to_string(), outcome.clone());
    values.insert("project".to_string(), project);
    values.insert("commitment".to_string(), commitment);
    values.insert("incentive".to_string(), incentive.text.clone());
    values.insert("sender".to_string(), sender);
    values.insert("activity".to_string(), activity.label.clone());
    values.insert("result".to_string(), outcome);
    let template = settings
        .templates
        .get(input.kind.name())
        .and_then(|by_lang| by_lang.get(lang.code()).or_else(|| by_lang.get("*")))
        .map(String::as_str)
        .unwrap_or_else(|| lang::text(lang, input.kind.key()));
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let text = lang::fill(template, &pairs);
    Ok(Draft {
        account: a.id.clone(),
        activity: input.activity.clone(),
        kind: input.kind,
        lang: lang.code().to_string(),
        text,
        values,
        incentive,
        approval_needed,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_languages_are_the_shipped_ones() {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).chain(["*"]).collect();
        assert_eq!(codes, crate::TEMPLATE_LANGS);
    }

    #[test]
    fn every_shipped_template_uses_known_placeholders() {
        for l in Lang::ALL {
            for key in ["message.recruitment", "message.thank_you"] {
                for p in lang::placeholders(lang::text(l, key)) {
                    assert!(crate::TEMPLATE_PLACEHOLDERS.contains(&p), "{key} ({}): {{{p}}}", l.code());
                }
            }
        }
    }
}
