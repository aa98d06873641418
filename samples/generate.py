"""Generates samples/accounts.csv: 200 realistic, fictional B2B accounts.

Deterministic (fixed seed); run `python3 samples/generate.py` to rebuild the file.
Signals follow the ranges of the domain; some values are missing, as in real exports.
"""
import csv
import random
from pathlib import Path

rng = random.Random(20261125)
COLUMNS = [
    "id", "name", "nps", "health_score", "health_score_prev", "active_days_30d", "features_used",
    "integrations", "power_user", "tenure_months", "renewals", "renewal_outcome", "expansions",
    "enthusiasm", "internal_champion", "values_alignment", "unsolicited_referrals", "public_reviews",
    "community_posts", "feature_requests", "survey_responses", "proactive_feedback", "csm_rapport",
    "engaged_contacts", "exec_sponsor", "response_hours", "meeting_engagement", "roi_achieved",
    "public_metrics_allowed", "innovative_usage", "best_practices", "transformation_story",
    "industry", "segment", "region", "brand_strength", "switched_from", "past_advocacy",
    "communication_comfort", "marketing_savvy", "available_hours_month", "policy", "gifts_allowed",
    "opted_out",
]
PREFIX = ["Blue", "North", "Bright", "Iron", "Silver", "Green", "Swift", "Clear", "Red", "Summit", "Harbor",
          "Pine", "Atlas", "Nova", "Cedar", "Lumen", "Vertex", "Orbit", "Maple", "Quartz"]
SUFFIX = ["Labs", "Logistics", "Health", "Analytics", "Works", "Systems", "Capital", "Retail", "Energy",
          "Foods", "Robotics", "Media", "Bank", "Clinics", "Freight", "Software", "Studios", "Partners"]
INDUSTRIES = ["software", "healthcare", "financial services", "retail", "manufacturing", "logistics",
              "education", "media"]
REGIONS = ["north america", "emea", "apac", "latam"]
COMPETITORS = ["Gainsight", "ChurnZero", "Totango", "spreadsheets", "in-house tool"]


def maybe(value, p_missing=0.08):
    return "" if rng.random() < p_missing else value


def rating(base):
    return max(1, min(5, round(rng.gauss(base, 1.0))))


def account(i):
    warmth = rng.random()  # a latent "how happy and engaged" factor
    nps = max(0, min(10, round(rng.gauss(5 + 5 * warmth, 1.6))))
    health = max(5.0, min(100.0, round(rng.gauss(45 + 50 * warmth, 9), 1)))
    prev = max(0.0, min(100.0, round(health + rng.gauss(-2, 8), 1)))
    segment = rng.choices(["smb", "mid_market", "enterprise"], [5, 3, 2])[0]
    tenure = round(rng.uniform(2, 72), 1)
    renewals = int(tenure // 12)
    policy = rng.choices(["open", "approval_required", "prohibited"], [7, 2, 0.6])[0]
    advocate = warmth > 0.6 and rng.random() < 0.7
    row = {
        "id": f"ACC-{1000 + i}",
        "name": f"{rng.choice(PREFIX)} {rng.choice(SUFFIX)}",
        "nps": maybe(nps, 0.15),
        "health_score": maybe(health, 0.05),
        "health_score_prev": maybe(prev, 0.2),
        "active_days_30d": min(30, max(0, round(rng.gauss(6 + 22 * warmth, 4)))),
        "features_used": max(1, round(rng.gauss(4 + 10 * warmth, 3))),
        "integrations": max(0, round(rng.gauss(1 + 5 * warmth, 1.5))),
        "power_user": str(warmth > 0.55 and rng.random() < 0.7).lower(),
        "tenure_months": tenure,
        "renewals": renewals,
        "renewal_outcome": maybe(rng.choices(["early", "on_time", "negotiated", "late"],
                                             [2 * warmth, 5, 2 * (1 - warmth), 1 - warmth])[0] if renewals else "", 0.1),
        "expansions": max(0, round(rng.gauss(2 * warmth, 1))),
        "enthusiasm": maybe(rating(1.5 + 3.5 * warmth), 0.2),
        "internal_champion": str(warmth > 0.5 and rng.random() < 0.6).lower(),
        "values_alignment": maybe(rating(2 + 3 * warmth), 0.25),
        "unsolicited_referrals": max(0, round(rng.gauss(1.5 * warmth if advocate else 0, 0.8))),
        "public_reviews": max(0, round(rng.gauss(1.2 * warmth if advocate else 0.1, 0.6))),
        "community_posts": max(0, round(rng.gauss(6 * warmth, 3))),
        "feature_requests": max(0, round(rng.gauss(3, 2))),
        "survey_responses": max(0, round(rng.gauss(1 + 2 * warmth, 1))),
        "proactive_feedback": max(0, round(rng.gauss(2 * warmth - 0.3, 1))),
        "csm_rapport": maybe(rating(1.5 + 3.5 * warmth), 0.1),
        "engaged_contacts": max(1, round(rng.gauss({"smb": 1.5, "mid_market": 3, "enterprise": 5}[segment] * (0.5 + warmth), 1))),
        "exec_sponsor": maybe(rating(1.5 + 3 * warmth), 0.3),
        "response_hours": round(max(0.5, rng.gauss(30 - 25 * warmth, 8)), 1),
        "meeting_engagement": maybe(rating(1.5 + 3.5 * warmth), 0.15),
        "roi_achieved": maybe(str(rng.random() < 0.15 + 0.7 * warmth).lower(), 0.1),
        "public_metrics_allowed": str(rng.random() < 0.4).lower(),
        "innovative_usage": str(rng.random() < 0.3 * warmth + 0.05).lower(),
        "best_practices": str(rng.random() < 0.4 * warmth).lower(),
        "transformation_story": str(rng.random() < 0.5 * warmth).lower(),
        "industry": rng.choice(INDUSTRIES),
        "segment": segment,
        "region": rng.choices(REGIONS, [5, 3, 2, 1])[0],
        "brand_strength": rating({"smb": 2, "mid_market": 3, "enterprise": 4}[segment]),
        "switched_from": rng.choice(COMPETITORS) if rng.random() < 0.35 else "",
        "past_advocacy": max(0, round(rng.gauss(1.5 if advocate else 0.1, 0.8))),
        "communication_comfort": maybe(rating(2 + 2.5 * warmth), 0.2),
        "marketing_savvy": maybe(rating(2.5 + 1.5 * warmth), 0.3),
        "available_hours_month": round(max(0.0, rng.gauss(3 * warmth + 0.5, 1.5)), 1),
        "policy": maybe(policy, 0.1),
        "gifts_allowed": maybe(str(rng.random() < 0.75).lower(), 0.1),
        "opted_out": "true" if rng.random() < 0.03 else "false",
    }
    return row


def main():
    out = Path(__file__).with_name("accounts.csv")
    with out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for i in range(200):
            w.writerow(account(i))


if __name__ == "__main__":
    main()
