//! Notebook views (`_repr_html_`) of models and scores.

use advocacy_core::{fmt_num, Model, Outcome, Score};

use crate::frame::value_text;
use crate::util::esc;

const STYLE: &str = "border-collapse:collapse;font-size:13px";
const TH: &str = "text-align:left;padding:2px 8px;border-bottom:1px solid #999";
const TD: &str = "text-align:left;padding:2px 8px;border-bottom:1px solid #ddd";

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "<i>none set</i>".to_string()
    } else {
        esc(&v.join(", "))
    }
}

/// The model as a table: categories, criteria, rules and points, with targets and tiers.
pub fn model_html(model: &Model) -> String {
    let m = model.spec();
    let mut h = String::new();
    h.push_str(&format!("<div><b>{}</b>", esc(&m.name)));
    if !m.description.is_empty() {
        h.push_str(&format!("<br><span style=\"color:#555\">{}</span>", esc(&m.description)));
    }
    h.push_str(&format!("<table style=\"{STYLE}\"><tr>"));
    for c in ["category", "criterion", "signal", "rule", "points"] {
        h.push_str(&format!("<th style=\"{TH}\">{c}</th>"));
    }
    h.push_str("</tr>");
    for cat in &m.categories {
        let cmax: f64 = cat.criteria.iter().map(|c| c.points).sum();
        for (k, cr) in cat.criteria.iter().enumerate() {
            h.push_str("<tr>");
            if k == 0 {
                let label = if cat.label.is_empty() { &cat.id } else { &cat.label };
                h.push_str(&format!(
                    "<td style=\"{TD}\" rowspan=\"{}\"><b>{}</b> ({})<br><code>{}</code></td>",
                    cat.criteria.len(),
                    esc(label),
                    fmt_num(cmax),
                    esc(&cat.id)
                ));
            }
            let label = if cr.label.is_empty() { &cr.id } else { &cr.label };
            h.push_str(&format!(
                "<td style=\"{TD}\">{}<br><code>{}</code></td><td style=\"{TD}\"><code>{}</code></td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td></tr>",
                esc(label),
                esc(&cr.id),
                esc(&cr.signal),
                esc(&cr.rule.describe()),
                fmt_num(cr.points)
            ));
        }
    }
    h.push_str(&format!(
        "<tr><td style=\"{TD}\" colspan=\"4\"><b>total</b></td><td style=\"{TD}\"><b>{}</b></td></tr></table>",
        fmt_num(model.max_points())
    ));
    let t = &m.tiers;
    h.push_str(&format!(
        "<div style=\"font-size:13px\">tiers: platinum &ge; {}, gold &ge; {}, silver &ge; {} &middot; missing signals: {} &middot; revisit after {} months<br>target industries: {} &middot; segments: {} &middot; regions: {}",
        fmt_num(t.platinum),
        fmt_num(t.gold),
        fmt_num(t.silver),
        match m.missing {
            advocacy_core::MissingPolicy::Zero => "earn 0 points",
            advocacy_core::MissingPolicy::Rescale => "left out, total rescaled",
        },
        m.revisit_months,
        list(&m.targets.industries),
        list(&m.targets.segments),
        list(&m.targets.regions)
    ));
    if !m.gates.is_empty() {
        let gates: Vec<String> = m
            .gates
            .iter()
            .map(|g| format!("{} ({} {})", esc(&g.id), esc(&g.signal), esc(&g.rule.describe())))
            .collect();
        h.push_str(&format!("<br>gates: {}", gates.join(", ")));
    }
    h.push_str("</div></div>");
    h
}

fn outcome_cell(o: Outcome) -> &'static str {
    match o {
        Outcome::Met => "<span style=\"color:#070\">met</span>",
        Outcome::Partial => "<span style=\"color:#a60\">partial</span>",
        Outcome::NotMet => "<span style=\"color:#a00\">not met</span>",
        Outcome::Missing => "<span style=\"color:#777\">missing</span>",
        Outcome::NotApplicable => "<span style=\"color:#777\">not applicable</span>",
    }
}

/// The score with every criterion's outcome, the bounds, the next-tier gap and the outreach.
pub fn score_html(s: &Score) -> String {
    let mut h = String::new();
    let id = s.id.as_deref().map(|i| format!("{} &middot; ", esc(i))).unwrap_or_default();
    h.push_str(&format!("<div><b>{id}{} / {} &middot; {}</b>", fmt_num(s.total), fmt_num(s.max), esc(s.tier.as_str())));
    if let Some(g) = &s.gate {
        h.push_str(&format!(" (gate <code>{}</code>: {})", esc(&g.id), esc(&g.reason)));
    }
    h.push_str(&format!(
        "<br><span style=\"font-size:13px\">completeness {}% &middot; could reach {} to {} once missing signals are known</span>",
        fmt_num((s.completeness * 1000.0).round() / 10.0),
        fmt_num(s.bounds.min),
        fmt_num(s.bounds.max)
    ));
    h.push_str(&format!("<table style=\"{STYLE}\"><tr>"));
    for c in ["category", "criterion", "value", "rule", "outcome", "points"] {
        h.push_str(&format!("<th style=\"{TH}\">{c}</th>"));
    }
    h.push_str("</tr>");
    for c in &s.criteria {
        let label = if c.label.is_empty() { &c.id } else { &c.label };
        let value = value_text(&c.value).map(|v| esc(&v)).unwrap_or("&mdash;".to_string());
        h.push_str(&format!(
            "<tr><td style=\"{TD}\"><code>{}</code></td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{}</td><td style=\"{TD}\"><code>{}</code> {}</td><td style=\"{TD}\">{}</td><td style=\"{TD}\">{} / {}</td></tr>",
            esc(&c.category),
            esc(label),
            value,
            esc(&c.signal),
            esc(&c.rule),
            outcome_cell(c.outcome),
            fmt_num(c.points),
            fmt_num(c.max)
        ));
    }
    h.push_str("</table><div style=\"font-size:13px\">");
    if let Some(n) = &s.next_tier {
        let verb = if n.reachable { "reachable with" } else { "not reachable even with" };
        h.push_str(&format!(
            "next tier: <b>{}</b>, {} points needed, {} {}<br>",
            esc(n.tier.as_str()),
            fmt_num(n.points_needed),
            verb,
            esc(&n.criteria.join(", "))
        ));
    }
    let o = &s.outreach;
    h.push_str(&format!(
        "outreach: {} &middot; invited by {} &middot; benefits: {}",
        esc(&o.who),
        esc(&o.invited_by),
        esc(&o.benefits)
    ));
    if !o.asks.is_empty() {
        h.push_str(&format!(" &middot; asks: {}", esc(&o.asks.join(", "))));
    }
    if let Some(r) = &s.revisit {
        h.push_str(&format!("<br>revisit on {r}"));
    }
    for w in &s.warnings {
        h.push_str(&format!("<br><span style=\"color:#a60\">warning: {}</span>", esc(&w.message)));
    }
    h.push_str("</div></div>");
    h
}
