//! The languages of the guides: labels of the default model, outreach texts, the program's
//! default activity labels and incentives, the headings of the text reports, and message
//! templates, in English, Indonesian, Malay, German and Spanish.
//!
//! Every text has a key (`tier.gold`, `review.title`, `message.recruitment`). The catalogues are
//! the JSON files `lang/{en,id,ms,de,es}.json` of this crate, embedded at build time; a key a
//! language lacks falls back to English ([`lookup`] says when it did). Texts may hold
//! placeholders in braces (`{name}`), filled by [`fill`] or [`message`].
//!
//! The translations follow the guides' own vocabulary, which keeps many customer-success terms in
//! English (advocate, case study, reference call, champion, health score).
//!
//! Only human text changes with the language: ids, codes, scores and tiers never do.
//! [`localize_model`] and [`localize_program`] replace the texts of a model or a program
//! configuration that are still the default English ones, and leave a user's own texts alone.
//!
//! ```
//! use advocacy_program::lang::{self, Lang};
//! let de: Lang = "de-DE".parse().unwrap();
//! assert_eq!(lang::text(de, "tier.not_yet_qualified"), "noch nicht qualifiziert");
//! let hi = lang::message(Lang::Es, "message.recruitment", &[("name", "Ana")]);
//! assert!(hi.starts_with("Hola Ana:"));
//! assert!("pt".parse::<Lang>().unwrap_err().to_string().contains("allowed: en, id, ms, de, es"));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use advocacy_core::{fmt_num, printable, Effort, Model, ModelSpec, Outcome, Outreach, Score, Tier};

use crate::{AdvocateSegment, ProgramConfig, Stage};

/// A language the texts ship in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// English: the default, and the fallback of every other language.
    #[default]
    En,
    /// Indonesian (Bahasa Indonesia).
    Id,
    /// Malay (Bahasa Melayu).
    Ms,
    /// German (Deutsch).
    De,
    /// Spanish (Español).
    Es,
}

/// The catalogues, in the order of [`Lang::ALL`].
const CATALOGUES: [&str; 5] = [
    include_str!("../lang/en.json"),
    include_str!("../lang/id.json"),
    include_str!("../lang/ms.json"),
    include_str!("../lang/de.json"),
    include_str!("../lang/es.json"),
];

/// An unknown language code, with the codes allowed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {given:?}; allowed: {}", Lang::codes())]
pub struct UnknownLang {
    /// The code as given.
    pub given: String,
}

impl Lang {
    /// Every shipped language, English first.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Id, Lang::Ms, Lang::De, Lang::Es];

    /// The language's code (`en`, `id`, `ms`, `de`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
            Lang::Ms => "ms",
            Lang::De => "de",
            Lang::Es => "es",
        }
    }

    /// The language's own name (`Deutsch`).
    pub fn name(self) -> &'static str {
        known(self, "lang.name")
    }

    /// The codes allowed, comma-separated (`en, id, ms, de, es`).
    pub fn codes() -> String {
        Lang::ALL.map(Lang::code).join(", ")
    }

    /// Reads a code, case-insensitively, with or without a region: `de`, `DE`, `de-DE`,
    /// `es_MX`, `id-ID`. Malay's `my` is not a code (it is Burmese); use `ms`.
    pub fn parse(code: &str) -> Result<Lang, UnknownLang> {
        let base = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        // `in` is the old code of Indonesian, still sent by some systems.
        let base = if base == "in" { "id".to_string() } else { base };
        Lang::ALL.into_iter().find(|l| l.code() == base).ok_or_else(|| UnknownLang { given: code.to_string() })
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

type Catalogue = BTreeMap<String, String>;

fn catalogues() -> &'static [Catalogue; 5] {
    static PARSED: OnceLock<[Catalogue; 5]> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The embedded files are checked by the test suite; a failure here is a build defect.
        CATALOGUES.map(|text| {
            serde_json::from_str(text).unwrap_or_else(|e| panic!("an embedded language catalogue is invalid: {e}"))
        })
    })
}

/// The texts of a language as it ships them (no fallback), by key.
pub fn catalogue(lang: Lang) -> &'static BTreeMap<String, String> {
    &catalogues()[lang.index()]
}

/// Every key of the texts (the English catalogue's), in order.
pub fn keys() -> impl Iterator<Item = &'static str> {
    catalogue(Lang::En).keys().map(String::as_str)
}

/// A text looked up, and whether it fell back to English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lookup<'k> {
    /// The text: the language's, else the English one, else the key itself.
    pub text: &'k str,
    /// The language lacks the key and the English text (or the key) was used.
    pub fell_back: bool,
}

/// The text of `key` in `lang`, saying whether it fell back to English. A key English lacks
/// too gives the key itself.
pub fn lookup(lang: Lang, key: &str) -> Lookup<'_> {
    lookup_in(catalogues(), lang, key)
}

fn lookup_in<'k>(cats: &'k [Catalogue; 5], lang: Lang, key: &'k str) -> Lookup<'k> {
    if let Some(t) = cats[lang.index()].get(key) {
        return Lookup { text: t, fell_back: false };
    }
    match cats[Lang::En.index()].get(key) {
        Some(t) => Lookup { text: t, fell_back: lang != Lang::En },
        None => Lookup { text: key, fell_back: true },
    }
}

/// The text of `key` in `lang`, English where the language lacks it (and the key itself where
/// English lacks it too).
pub fn text(lang: Lang, key: &str) -> &str {
    lookup(lang, key).text
}

/// The text of a key every catalogue has (the names below); empty if one ever lacked it.
fn known(lang: Lang, key: &str) -> &'static str {
    let cats = catalogues();
    cats[lang.index()].get(key).or_else(|| cats[Lang::En.index()].get(key)).map_or("", String::as_str)
}

/// `template` with each `{name}` of `values` replaced; placeholders not given stay as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of `key` in `lang` with its placeholders filled.
pub fn message(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    fill(text(lang, key), values)
}

/// The placeholder names of a text (`{name}` gives `name`).
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    crate::config::placeholders(text)
}

/// A tier's name (`not yet qualified`).
pub fn tier_name(lang: Lang, tier: Tier) -> &'static str {
    known(lang, &format!("tier.{}", tier.as_str()))
}

/// A segment's name (`willing`).
pub fn segment_name(lang: Lang, segment: AdvocateSegment) -> &'static str {
    known(lang, &format!("segment.{}", segment.as_str()))
}

/// A pipeline stage's name (`contacted`).
pub fn stage_name(lang: Lang, stage: Stage) -> &'static str {
    let code = match stage {
        Stage::Identified => "identified",
        Stage::Qualified => "qualified",
        Stage::Contacted => "contacted",
        Stage::Enrolled => "enrolled",
        Stage::Active => "active",
    };
    known(lang, &format!("stage.{code}"))
}

/// An effort level's name (`moderate`).
pub fn effort_name(lang: Lang, effort: Effort) -> &'static str {
    known(lang, &format!("effort.{}", effort.as_str()))
}

/// `new` in `lang` where `current` is still the English text of `key`; else `current` as it is.
fn swap(current: &mut String, lang: Lang, key: &str) {
    if let Some(english) = catalogue(Lang::En).get(key) {
        if current == english {
            *current = text(lang, key).to_string();
        }
    }
}

/// The key of a default ask (`extensive case study` gives `ask.extensive_case_study`).
fn ask_key(ask: &str) -> String {
    format!("ask.{}", ask.replace([' ', '-'], "_"))
}

fn localize_outreach(o: &mut Outreach, lang: Lang) {
    for tier in Tier::ALL {
        let plan = match tier {
            Tier::Platinum => &mut o.platinum,
            Tier::Gold => &mut o.gold,
            Tier::Silver => &mut o.silver,
            Tier::NotYetQualified => &mut o.not_yet_qualified,
            Tier::NotAdvocateMaterial => &mut o.not_advocate_material,
        };
        let base = format!("outreach.{}", tier.as_str());
        swap(&mut plan.who, lang, &format!("{base}.who"));
        swap(&mut plan.invited_by, lang, &format!("{base}.invited_by"));
        swap(&mut plan.benefits, lang, &format!("{base}.benefits"));
        for ask in &mut plan.asks {
            let key = ask_key(ask);
            swap(ask, lang, &key);
        }
    }
}

/// The model's spec with its default English texts in `lang`: the name, the description, the
/// labels of categories and criteria whose ids are the default model's, the default gates'
/// reasons and the default outreach texts. A text the user wrote stays as written; ids, rules,
/// points, thresholds and everything else are untouched.
pub fn localize_spec(spec: &ModelSpec, lang: Lang) -> ModelSpec {
    let mut s = spec.clone();
    if lang == Lang::En {
        return s;
    }
    swap(&mut s.name, lang, "model.name");
    swap(&mut s.description, lang, "model.description");
    for c in &mut s.categories {
        swap(&mut c.label, lang, &format!("model.category.{}", c.id));
        for k in &mut c.criteria {
            swap(&mut k.label, lang, &format!("model.criterion.{}", k.id));
        }
    }
    for g in &mut s.gates {
        swap(&mut g.reason, lang, &format!("model.gate.{}", g.id));
    }
    localize_outreach(&mut s.outreach, lang);
    s
}

/// The model with its default English texts in `lang` (see [`localize_spec`]). It scores and
/// tiers every account exactly as `model` does; only labels and outreach texts differ.
///
/// ```
/// use advocacy_core::Model;
/// use advocacy_program::lang::{localize_model, Lang};
/// let m = localize_model(&Model::default(), Lang::De);
/// assert_eq!(m.categories()[0].label, "Zufriedenheit und Erfolg");
/// assert_eq!(m.outreach().gold.invited_by, "CSM-Einladung");
/// ```
pub fn localize_model(model: &Model, lang: Lang) -> Model {
    if lang == Lang::En {
        return model.clone();
    }
    // Only texts change, which `Model::new` does not judge: a model that compiled compiles again.
    Model::new(localize_spec(model.spec(), lang)).unwrap_or_else(|_| model.clone())
}

/// The program configuration with its default English texts in `lang`: the labels of the
/// default activities (by id), the default incentives and the default outreach texts. The
/// user's own texts, and every rule, id and number, stay as they are.
pub fn localize_program(config: &ProgramConfig, lang: Lang) -> ProgramConfig {
    let mut c = config.clone();
    if lang == Lang::En {
        return c;
    }
    for a in &mut c.activities {
        swap(&mut a.label, lang, &format!("activity.{}", a.id));
    }
    let i = &mut c.incentives;
    swap(&mut i.low, lang, "incentive.low");
    swap(&mut i.moderate, lang, "incentive.moderate");
    swap(&mut i.high, lang, "incentive.high");
    swap(&mut i.recognition_only, lang, "incentive.recognition_only");
    swap(&mut i.referral_close, lang, "incentive.referral_close");
    localize_outreach(&mut c.outreach, lang);
    c
}

/// A score explained as text, as `advocacy explain` writes it: the id (and `name`), the total,
/// tier and completeness, the gate, each category with each criterion's outcome, value, rule and
/// points, then the missing signals, the reachable range, the gap to the next tier, the outreach
/// and the revisit date, with headings and tier names in `lang`. English gives tiers by their
/// codes (`not_yet_qualified`), as the command always has.
///
/// ```
/// use advocacy_core::{Model, Record};
/// use advocacy_program::lang::{explain_text, localize_model, Lang};
/// let m = localize_model(&Model::default(), Lang::Es);
/// let s = m.score(&Record::new().id("acme").with("nps", 10)).unwrap();
/// let text = explain_text(&s, Some("Acme"), Lang::Es);
/// assert!(text.starts_with("acme  Acme\npuntuación 10 / 100   tier aún no calificado"));
/// assert!(text.contains("Satisfacción y éxito"));
/// ```
pub fn explain_text(s: &Score, name: Option<&str>, lang: Lang) -> String {
    explain_text_with(s, name, lang, None)
}

/// [`explain_text`] with what the program would ask the account for now (`asks`, lines of text
/// the caller made from an eligibility). Without it no asks are written: the model's asks of a
/// tier ignore the account's hours, comfort and renewal, which the program's eligibility reads.
pub fn explain_text_with(s: &Score, name: Option<&str>, lang: Lang, asks: Option<&str>) -> String {
    let t = |key| text(lang, key);
    let msg = |key, values: &[(&str, &str)]| message(lang, key, values);
    let mut o = String::new();
    let id = s.id.as_deref().map_or_else(|| t("explain.no_id").into(), |id| printable(id, 200));
    let _ = writeln!(o, "{id}{}", name.map(|n| format!("  {}", printable(n, 200))).unwrap_or_default());
    let _ = writeln!(
        o,
        "{}",
        msg(
            "explain.score",
            &[
                ("score", &fmt_num(s.total)),
                ("max", &fmt_num(s.max)),
                ("tier", code_or_name(lang, s.tier)),
                ("completeness", &fmt_num((s.completeness * 100.0).round())),
            ]
        )
    );
    if let Some(g) = &s.gate {
        let _ = writeln!(
            o,
            "{}",
            msg(
                "explain.gate",
                &[
                    ("gate", &g.id),
                    ("signal", &g.signal),
                    ("reason", &g.reason),
                    ("tier", code_or_name(lang, s.score_tier))
                ]
            )
        );
    }
    let from = |source: &str| msg("explain.from", &[("source", &printable(source, 40))]);
    for c in &s.categories {
        let _ = writeln!(
            o,
            "\n  {:<40} {:>9}",
            if c.label.is_empty() { &c.id } else { &c.label },
            format!("{}/{}", fmt_num(c.points), fmt_num(c.max))
        );
        for k in s.criteria.iter().filter(|k| k.category == c.id) {
            let mark = match k.outcome {
                Outcome::Met => "[x]",
                Outcome::Partial => "[~]",
                Outcome::NotMet => "[ ]",
                Outcome::Missing => "[?]",
                Outcome::NotApplicable => "[-]",
            };
            let seen = match k.outcome {
                Outcome::Missing => t("explain.missing").to_string(),
                _ => format!("{} = {}", k.signal, k.value),
            };
            let mut note = if k.outcome == Outcome::NotApplicable {
                format!("  ({})", t("explain.no_targets"))
            } else {
                String::new()
            };
            if let Some(stale) = &k.stale {
                note = format!("  ({})", printable(&stale.message, 200));
            } else if let Some(seen) = k.provenance.as_ref().and_then(|p| p.seen.as_ref()) {
                let date = seen.observed.map(|d| format!(", {d}")).unwrap_or_default();
                note.push_str(&format!("  ({}{date})", from(&seen.source)));
            }
            let _ = writeln!(
                o,
                "    {mark} {:<34} {:<28} {:<14} {:>7}{note}",
                short(if k.label.is_empty() { &k.id } else { &k.label }, 34),
                short(&seen, 28),
                short(&k.rule, 14),
                format!("{}/{}", fmt_num(k.points), fmt_num(k.max))
            );
            for ov in k.provenance.iter().flat_map(|p| &p.overruled) {
                let date = ov.seen.observed.map(|d| format!(", {d}")).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "        {}: {} = {} ({}{date})",
                    t("explain.overruled"),
                    k.signal,
                    ov.value,
                    from(&ov.seen.source)
                );
            }
        }
    }
    let _ = writeln!(o);
    if !s.missing.is_empty() {
        let _ = writeln!(o, "{}", msg("explain.missing_signals", &[("signals", &s.missing.join(", "))]));
    }
    let tiers: Vec<&str> = s.bounds.tiers.iter().map(|&tier| code_or_name(lang, tier)).collect();
    let _ = writeln!(
        o,
        "{}",
        msg(
            "explain.could_reach",
            &[("min", &fmt_num(s.bounds.min)), ("max", &fmt_num(s.bounds.max)), ("tiers", &tiers.join(", "))]
        )
    );
    if let Some(g) = &s.next_tier {
        let unreachable = if g.reachable { String::new() } else { format!(" ({})", t("explain.not_reachable")) };
        let _ = writeln!(
            o,
            "{}",
            msg(
                "explain.next_tier",
                &[
                    ("tier", code_or_name(lang, g.tier)),
                    ("points", &fmt_num(g.points_needed)),
                    ("unreachable", &unreachable),
                    ("criteria", &g.criteria.join(", ")),
                ]
            )
        );
    }
    let p = &s.outreach;
    let _ = writeln!(
        o,
        "{}",
        msg("explain.outreach", &[("who", &p.who), ("invited_by", &p.invited_by), ("benefits", &p.benefits)])
    );
    // The model's asks of the tier are not written: they do not know the account's hours,
    // comfort or renewal (the program's eligibility does; the CLI passes its asks as `asks`).
    if let Some(d) = s.revisit {
        let _ = writeln!(o, "{}", msg("explain.revisit", &[("date", &d.to_string())]));
    }
    if let Some(asks) = asks {
        o.push_str(asks);
    }
    for w in &s.warnings {
        let _ = writeln!(o, "{}", msg("common.warning", &[("message", &w.message)]));
    }
    o
}

/// A tier as explanations write it: its code in English, its name in another language.
fn code_or_name(lang: Lang, tier: Tier) -> &'static str {
    if lang == Lang::En {
        tier.as_str()
    } else {
        tier_name(lang, tier)
    }
}

/// Text for a terminal cell: control characters escaped, at most `n` characters.
fn short(s: &str, n: usize) -> String {
    let s = &printable(s, n + 1);
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use advocacy_core::Record;

    #[test]
    fn every_catalogue_has_exactly_the_english_keys() {
        let en: BTreeSet<&String> = catalogue(Lang::En).keys().collect();
        for lang in Lang::ALL {
            let have: BTreeSet<&String> = catalogue(lang).keys().collect();
            let missing: Vec<_> = en.difference(&have).collect();
            let extra: Vec<_> = have.difference(&en).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn every_text_has_the_english_placeholders_and_is_not_empty() {
        for lang in Lang::ALL {
            for (key, english) in catalogue(Lang::En) {
                let t = lookup(lang, key);
                assert!(!t.fell_back, "{lang} {key} fell back");
                assert!(!t.text.trim().is_empty(), "{lang} {key} is empty");
                assert_eq!(placeholders(t.text), placeholders(english), "{lang} {key}: placeholders differ");
            }
        }
    }

    #[test]
    fn the_catalogues_cover_the_default_model_and_program() {
        let m = Model::default();
        let s = m.spec();
        assert_eq!(s.name, text(Lang::En, "model.name"));
        assert_eq!(s.description, text(Lang::En, "model.description"));
        for c in &s.categories {
            assert_eq!(c.label, text(Lang::En, &format!("model.category.{}", c.id)));
            for k in &c.criteria {
                assert_eq!(k.label, text(Lang::En, &format!("model.criterion.{}", k.id)));
            }
        }
        for g in &s.gates {
            assert_eq!(g.reason, text(Lang::En, &format!("model.gate.{}", g.id)));
        }
        for tier in Tier::ALL {
            let p = s.outreach.plan(tier);
            let base = format!("outreach.{}", tier.as_str());
            assert_eq!(p.who, text(Lang::En, &format!("{base}.who")));
            assert_eq!(p.invited_by, text(Lang::En, &format!("{base}.invited_by")));
            assert_eq!(p.benefits, text(Lang::En, &format!("{base}.benefits")));
            for a in &p.asks {
                assert!(!lookup(Lang::En, &ask_key(a)).fell_back, "no key for the ask {a:?}");
                assert_eq!(a, text(Lang::En, &ask_key(a)));
            }
        }
        let p = ProgramConfig::default();
        for a in &p.activities {
            assert_eq!(a.label, text(Lang::En, &format!("activity.{}", a.id)), "activity {}", a.id);
        }
        assert_eq!(p.incentives.low, text(Lang::En, "incentive.low"));
        assert_eq!(p.incentives.moderate, text(Lang::En, "incentive.moderate"));
        assert_eq!(p.incentives.high, text(Lang::En, "incentive.high"));
        assert_eq!(p.incentives.recognition_only, text(Lang::En, "incentive.recognition_only"));
        assert_eq!(p.incentives.referral_close, text(Lang::En, "incentive.referral_close"));
        // Every name the enums have.
        for t in Tier::ALL {
            assert!(!lookup(Lang::En, &format!("tier.{}", t.as_str())).fell_back);
        }
        for seg in AdvocateSegment::ALL {
            assert!(!lookup(Lang::En, &format!("segment.{}", seg.as_str())).fell_back);
        }
        for e in [Effort::Low, Effort::Moderate, Effort::High] {
            assert!(!lookup(Lang::En, &format!("effort.{}", e.as_str())).fell_back);
        }
    }

    #[test]
    fn codes_parse_case_insensitively_with_regions() {
        for (code, lang) in [
            ("en", Lang::En),
            ("EN", Lang::En),
            ("en-GB", Lang::En),
            ("id", Lang::Id),
            ("id_ID", Lang::Id),
            ("in", Lang::Id),
            ("ms-MY", Lang::Ms),
            ("de-DE", Lang::De),
            ("De_at", Lang::De),
            ("es_MX", Lang::Es),
            (" es ", Lang::Es),
        ] {
            assert_eq!(code.parse::<Lang>(), Ok(lang), "{code}");
        }
        for bad in ["pt", "xx", "", "my", "deu", "-de"] {
            let e = bad.parse::<Lang>().unwrap_err();
            assert_eq!(e.to_string(), format!("unknown language {bad:?}; allowed: en, id, ms, de, es"));
        }
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
            assert_eq!(lang.to_string(), lang.code());
        }
        assert_eq!(Lang::Ms.name(), "Bahasa Melayu");
    }

    #[test]
    fn a_missing_key_falls_back_to_english_and_says_so() {
        assert_eq!(lookup(Lang::De, "tier.gold"), Lookup { text: "Gold", fell_back: false });
        assert_eq!(lookup(Lang::En, "tier.gold"), Lookup { text: "gold", fell_back: false });
        // A key English lacks gives the key itself.
        let none = lookup(Lang::De, "no.such.key");
        assert_eq!(none, Lookup { text: "no.such.key", fell_back: true });
        // A catalogue without a key: the English text, flagged.
        let mut cats = catalogues().clone();
        cats[Lang::De.index()].remove("review.title");
        let l = lookup_in(&cats, Lang::De, "review.title");
        assert_eq!(l, Lookup { text: "Monthly advocacy review as of {date}", fell_back: true });
        assert!(!lookup_in(&cats, Lang::De, "review.gone").fell_back);
    }

    #[test]
    fn placeholders_fill_and_unknown_ones_stay() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        assert_eq!(fill("{a} and {c}", &[("a", "1")]), "1 and {c}");
        assert_eq!(fill("no braces", &[("a", "1")]), "no braces");
        assert_eq!(fill("open { only", &[]), "open { only");
        assert_eq!(fill("{a}{a}", &[("a", "x")]), "xx");
        assert_eq!(placeholders("{a} {b} {a}"), BTreeSet::from(["a", "b"]));
    }

    fn accounts() -> Vec<Record> {
        let mut out = Vec::new();
        for i in 0..40i64 {
            let mut r = Record::new().id(format!("a{i}"));
            r.set("nps", i % 11);
            r.set("health_score", (i * 3 % 101) as f64);
            r.set("roi_achieved", i % 2 == 0);
            r.set("csm_rapport", 1 + i % 5);
            r.set("engaged_contacts", i % 6);
            r.set("past_advocacy", i % 3);
            r.set("brand_strength", 1 + i % 5);
            r.set("industry", ["fintech", "retail"][i as usize % 2]);
            if i % 7 == 0 {
                r.set("policy", "prohibited");
            }
            out.push(r);
        }
        out
    }

    #[test]
    fn a_localized_model_scores_and_tiers_identically() {
        let base = Model::default().with_target_list(advocacy_core::TargetList::Industries, vec!["fintech".into()]);
        let base = base.unwrap();
        let records = accounts();
        let english = base.score_records(&records, None);
        for lang in Lang::ALL {
            let m = localize_model(&base, lang);
            assert_eq!(m.targets(), base.targets());
            assert_eq!(m.tiers(), base.tiers());
            let scored = m.score_records(&records, None);
            for (a, b) in english.iter().zip(&scored) {
                let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
                assert_eq!((a.total, a.tier, a.score_tier), (b.total, b.tier, b.score_tier), "{lang}");
                assert_eq!(a.categories.iter().map(|c| c.points).collect::<Vec<_>>(), {
                    b.categories.iter().map(|c| c.points).collect::<Vec<_>>()
                });
                assert_eq!(a.criteria.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), {
                    b.criteria.iter().map(|k| k.id.as_str()).collect::<Vec<_>>()
                });
            }
            if lang != Lang::En {
                assert_ne!(m.spec().categories[0].label, base.spec().categories[0].label, "{lang}");
                assert_eq!(m.spec().categories[0].label, text(lang, "model.category.satisfaction"));
                assert_eq!(m.outreach().platinum.asks[1], text(lang, "ask.extensive_case_study"));
            }
        }
        assert_eq!(localize_model(&base, Lang::En), base);
    }

    #[test]
    fn a_users_own_texts_stay() {
        let mut spec = Model::default().spec().clone();
        spec.categories[0].label = "Happy customers".into();
        spec.categories[1].criteria[0].label = String::new();
        spec.outreach.gold.invited_by = "our VP of customers".into();
        spec.outreach.gold.asks.push("podcast".into());
        let m = localize_model(&Model::new(spec).unwrap(), Lang::Es);
        assert_eq!(m.categories()[0].label, "Happy customers");
        assert_eq!(m.categories()[1].criteria[0].label, "");
        assert_eq!(m.categories()[1].label, "Calidad de relación");
        assert_eq!(m.outreach().gold.invited_by, "our VP of customers");
        assert_eq!(m.outreach().gold.asks, ["testimonial", "llamada de referencia", "case study", "podcast"]);

        let mut cfg = ProgramConfig::default();
        cfg.activities[0].label = "G2 review".into();
        cfg.incentives.low = "a mug".into();
        let c = localize_program(&cfg, Lang::Id);
        assert_eq!(c.activities[0].label, "G2 review");
        assert_eq!(c.activities[1].label, text(Lang::Id, "activity.marketing_quote"));
        assert_eq!(c.incentives.low, "a mug");
        assert_eq!(c.incentives.high, text(Lang::Id, "incentive.high"));
        // Only texts: every id, effort and number as before.
        assert_eq!(c.activities.iter().map(|a| (&a.id, a.effort)).collect::<Vec<_>>(), {
            cfg.activities.iter().map(|a| (&a.id, a.effort)).collect::<Vec<_>>()
        });
        assert_eq!(c.fatigue, cfg.fatigue);
        assert_eq!(localize_program(&cfg, Lang::En), cfg);
    }

    /// The recruitment and thank-you templates filled in every language: a snapshot of each.
    #[test]
    fn message_templates_filled_in_every_language() {
        // What a user fills in, in each language: timeframe, outcome, project, commitment,
        // incentive, activity, result.
        let given = |lang: Lang| match lang {
            Lang::En => [
                "18 months",
                "onboarding 40 new stores in a quarter",
                "a case study for retail teams",
                "a 45-minute interview and your review of our draft",
                "a 100 USD gift card",
                "the case study",
                "it is live on our website",
            ],
            Lang::Id => [
                "18 bulan",
                "onboarding 40 toko baru dalam satu kuartal",
                "case study untuk tim retail",
                "wawancara 45 menit dan review Anda atas draft kami",
                "gift card 100 USD",
                "case study-nya",
                "sudah tayang di website kami",
            ],
            Lang::Ms => [
                "18 bulan",
                "onboarding 40 kedai baru dalam satu quarter",
                "case study untuk team retail",
                "interview 45 minit dan semakan anda terhadap draf kami",
                "gift card 100 USD",
                "case study tersebut",
                "ia kini disiarkan di laman web kami",
            ],
            Lang::De => [
                "18 Monaten",
                "dem Onboarding von 40 neuen Filialen in einem Quartal",
                "einer Case Study für Retail-Teams",
                "ein 45-minütiges Interview und Ihre Durchsicht unseres Entwurfs",
                "einen Gutschein über 100 USD",
                "die Case Study",
                "sie ist auf unserer Website live",
            ],
            Lang::Es => [
                "18 meses",
                "el onboarding de 40 tiendas nuevas en un trimestre",
                "un case study para equipos de retail",
                "una entrevista de 45 minutos y tu revisión de nuestro borrador",
                "una gift card de 100 USD",
                "el case study",
                "ya está publicado en nuestra web",
            ],
        };
        let mut snapshot = String::new();
        for lang in Lang::ALL {
            let [timeframe, outcome, project, commitment, incentive, activity, result] = given(lang);
            let values: &[(&str, &str)] = &[
                ("name", "Dana"),
                ("company", "Acme"),
                ("timeframe", timeframe),
                ("outcome", outcome),
                ("project", project),
                ("commitment", commitment),
                ("incentive", incentive),
                ("sender", "Sam"),
                ("activity", activity),
                ("result", result),
            ];
            for key in ["message.recruitment", "message.thank_you"] {
                let filled = message(lang, key, values);
                assert!(placeholders(&filled).is_empty(), "{lang} {key}: {filled}");
                snapshot.push_str(&format!("== {lang} {key}\n{filled}\n"));
            }
        }
        let expected = include_str!("../tests/snapshots/messages.txt");
        if snapshot != expected {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/messages.txt.new");
            let _ = std::fs::write(path, &snapshot);
            panic!("the filled templates differ from tests/snapshots/messages.txt (written: {path})");
        }
    }
}
