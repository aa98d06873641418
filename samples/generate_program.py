"""Generates the program samples from samples/accounts.csv (this month's snapshot, 2026-11-30):

- samples/accounts_previous.csv: last month's snapshot (2026-10-31): a few accounts new since,
  two gone since, some lower scores (movers), earlier NPS and health, fewer expansions and
  renewals, and a `revisit` column for not-yet-qualified accounts whose revisit has come;
- samples/ledger.csv: a year of asks, answers, completed work and thank-yous for 70 accounts;
- samples/overrides.csv: two CSM overrides (one in force, one expired);
- samples/request.json: a reference request from sales.

Deterministic (fixed seed); run `python3 samples/generate_program.py` to rebuild the files.
"""
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20261130)
rows = list(csv.DictReader(open(HERE / "accounts.csv", newline="")))
columns = list(rows[0].keys())

# ---- last month's snapshot
previous = []
new_ids = {r["id"] for r in rng.sample(rows, 3)}
for r in rows:
    if r["id"] in new_ids:
        continue
    p = dict(r)
    if p["health_score_prev"]:
        p["health_score"] = p["health_score_prev"]
        p["health_score_prev"] = f"{max(0.0, float(p['health_score_prev']) - rng.uniform(0, 6)):.1f}"
    if p["nps"] and int(p["nps"]) >= 9 and rng.random() < 0.12:
        p["nps"] = str(rng.choice([7, 8]))
    if rng.random() < 0.12:  # movers: weaker last month
        for s in ["past_advocacy", "proactive_feedback"]:
            if p[s]:
                p[s] = "0"
    if rng.random() < 0.06:  # and a few stronger
        p["csm_rapport"], p["engaged_contacts"], p["roi_achieved"] = "5", "4", "true"
    for s, share in [("expansions", 0.04), ("renewals", 0.05)]:
        if p[s] and int(p[s]) > 0 and rng.random() < share:
            p[s] = str(int(p[s]) - 1)
    previous.append(p)
for k, name in [(901, "Harbor Foods"), (902, "Cedar Clinics")]:
    gone = dict(rng.choice(rows))
    gone["id"], gone["name"] = f"ACC-{k}", name
    previous.append(gone)
# Revisit dates set last time for some accounts: due now (on or before 2026-11-30) or later.
revisit = {p["id"]: "" for p in previous}
for p in rng.sample(previous, 24):
    revisit[p["id"]] = rng.choice(["2026-11-15", "2026-11-30", "2026-12-31", "2027-03-31"])
with open(HERE / "accounts_previous.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(columns + ["revisit"])
    for p in previous:
        w.writerow([p[c] for c in columns] + [revisit[p["id"]]])

# ---- ledger
LOW = ["online_review", "marketing_quote", "survey", "social_share", "webinar_attendance"]
MOD = ["case_study", "video_testimonial", "reference_call", "referral", "customer_panel_webinar", "guest_blog_post"]
HIGH = ["conference_speaking", "advisory_board", "executive_reference_call", "user_group_leadership", "co_marketing"]
start = date(2025, 12, 1)
ledger = []
people = rng.sample([r for r in rows if r["opted_out"] != "true" and r["policy"] != "prohibited"], 70)
for r in people:
    d = start + timedelta(days=rng.randrange(0, 300))
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        if d > date(2026, 11, 28):
            break
        act = rng.choice(LOW * 3 + MOD * 2 + HIGH)
        ledger.append((r["id"], act, "asked", d))
        if rng.random() < 0.25:
            ledger.append((r["id"], act, "declined", d + timedelta(days=rng.randrange(1, 6))))
            d += timedelta(days=rng.randrange(60, 120))
            continue
        ledger.append((r["id"], act, "accepted", d + timedelta(days=rng.randrange(1, 4))))
        done = d + timedelta(days=rng.randrange(7, 45))
        if done <= date(2026, 11, 29) and rng.random() < 0.85:
            ledger.append((r["id"], act, "completed", done))
            if rng.random() < 0.8:
                ledger.append((r["id"], act, "thanked", done + timedelta(days=rng.randrange(1, 5))))
        d = done + timedelta(days=rng.randrange(30, 150))
ledger = [e for e in ledger if e[3] <= date(2026, 11, 30)]
ledger.sort(key=lambda e: (e[3], e[0]))
with open(HERE / "ledger.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["account", "activity", "status", "date"])
    for a, act, st, d in ledger:
        w.writerow([a, act, st, d.isoformat()])

# ---- overrides and a request
silver = [r["id"] for r in rows][10:12]
with open(HERE / "overrides.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["account", "tier", "points", "reason", "author", "expires", "starts"])
    w.writerow([silver[0], "", "10", "new executive sponsor keen on a case study", "dana@cs", "2027-02-01", ""])
    w.writerow([silver[1], "not_yet_qualified", "", "champion on parental leave", "lee@cs", "2026-09-01", ""])
json.dump({"activity": "reference_call", "industry": "software", "segment": "mid_market", "region": "emea",
           "competitor": "Gainsight", "date_needed": "2026-12-20"}, open(HERE / "request.json", "w"), indent=2)
open(HERE / "request.json", "a").write("\n")
print(f"{len(previous)} previous accounts, {len(ledger)} ledger entries")
