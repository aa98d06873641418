"""score_frame on 1,000,000 accounts against the same model written by hand.

The model is the default 100-point model with target industries and segments set (so that every
criterion can earn points). Four ways to compute the same columns (score, tier, the four category
subtotals, completeness, max_possible), each timed once on the same data in the same run:

1. ``Model.score_frame`` (Rust core) on the polars DataFrame, and on the pandas DataFrame;
2. the model written by hand as polars expressions (polars uses every core);
3. the model written by hand as vectorised pandas/numpy;
4. ``DataFrame.apply`` with a per-row Python function, on a 20,000-row sample, extrapolated to
   1,000,000 rows (said so in the output).

The hand-written versions are checked against score_frame before their times are reported.

Run: python benches/bench_score_frame.py [rows]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pandas as pd
import polars as pl

import advocacy

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
APPLY_ROWS = 20_000
INDUSTRIES = ["software", "financial services"]
SEGMENTS = ["mid_market", "enterprise"]
MODEL = advocacy.Model.default().with_targets(industries=INDUSTRIES, segments=SEGMENTS)

# (category, criterion signal, rule, points) of the default model, for the hand-written versions.
CRITERIA = [
    ("satisfaction", "nps", (">=", 9), 10),
    ("satisfaction", "health_score", (">", 80), 10),
    ("satisfaction", "roi_achieved", ("is", True), 10),
    ("relationship", "csm_rapport", (">=", 4), 10),
    ("relationship", "engaged_contacts", (">=", 3), 10),
    ("relationship", "meeting_engagement", (">=", 4), 5),
    ("willingness", "past_advocacy", (">=", 1), 10),
    ("willingness", "proactive_feedback", (">=", 1), 10),
    ("willingness", "communication_comfort", (">=", 4), 5),
    ("company_fit", "industry", ("in", INDUSTRIES), 10),
    ("company_fit", "segment", ("in", SEGMENTS), 5),
    ("company_fit", "brand_strength", (">=", 4), 5),
]
CATEGORIES = ["satisfaction", "relationship", "willingness", "company_fit"]
MAX = 100.0


def make_data(n: int, seed: int = 42) -> pl.DataFrame:
    rng = np.random.default_rng(seed)

    def ints(lo: int, hi: int) -> np.ndarray:
        return rng.integers(lo, hi + 1, n)

    def with_nulls(s: pl.Series, share: float = 0.1) -> pl.Series:
        return s.scatter(np.flatnonzero(rng.random(n) < share), None)

    industries = np.array(["software", "Financial Services", "retail", "media", "healthcare", "education"])
    segments = np.array(["smb", "mid_market", "enterprise"])
    policies = np.array(["open", "approval_required", "prohibited"])
    cols = [
        pl.Series("id", np.char.add("ACC-", np.arange(n).astype(str))),
        with_nulls(pl.Series("nps", ints(0, 10))),
        with_nulls(pl.Series("health_score", np.round(rng.random(n) * 100, 1))),
        with_nulls(pl.Series("roi_achieved", rng.random(n) < 0.4)),
        with_nulls(pl.Series("csm_rapport", ints(1, 5))),
        with_nulls(pl.Series("engaged_contacts", ints(0, 8))),
        with_nulls(pl.Series("meeting_engagement", ints(1, 5))),
        with_nulls(pl.Series("past_advocacy", ints(0, 4))),
        with_nulls(pl.Series("proactive_feedback", ints(0, 3))),
        with_nulls(pl.Series("communication_comfort", ints(1, 5))),
        with_nulls(pl.Series("industry", industries[ints(0, len(industries) - 1)])),
        with_nulls(pl.Series("segment", segments[ints(0, 2)])),
        with_nulls(pl.Series("brand_strength", ints(1, 5))),
        with_nulls(pl.Series("policy", policies[rng.choice(3, n, p=[0.7, 0.25, 0.05])]), 0.3),
        with_nulls(pl.Series("opted_out", rng.random(n) < 0.03), 0.2),
    ]
    return pl.DataFrame(cols)


# -- polars expressions -------------------------------------------------------------------------

def polars_version(df: pl.DataFrame) -> pl.DataFrame:
    def met(signal: str, rule: tuple) -> pl.Expr:
        op, v = rule
        c = pl.col(signal)
        if op == ">=":
            return c >= v
        if op == ">":
            return c > v
        if op == "is":
            return c == v
        text = c.str.strip_chars().str.to_lowercase()
        return pl.when(text == "").then(None).otherwise(text.is_in([x.lower() for x in v]))

    def present(signal: str, rule: tuple) -> pl.Expr:
        if rule[0] == "in":
            return pl.col(signal).is_not_null() & (pl.col(signal).str.strip_chars() != "")
        return pl.col(signal).is_not_null()

    earned = {c: [] for c in CATEGORIES}
    here, missing = [], []
    for cat, sig, rule, pts in CRITERIA:
        earned[cat].append(pl.when(met(sig, rule)).then(pts).otherwise(0))
        p = present(sig, rule).fill_null(False)
        here.append(pl.when(p).then(pts).otherwise(0))
        missing.append(pl.when(p).then(0).otherwise(pts))
    cats = [pl.sum_horizontal(earned[c]).cast(pl.Float64).alias(c) for c in CATEGORIES]
    score = pl.sum_horizontal([pl.col(c) for c in CATEGORIES])
    gated = (pl.col("policy").str.strip_chars().str.to_lowercase() == "prohibited").fill_null(False) | (
        pl.col("opted_out").fill_null(False)
    )
    tier = (
        pl.when(gated).then(pl.lit("not_advocate_material"))
        .when(pl.col("score") >= 80).then(pl.lit("platinum"))
        .when(pl.col("score") >= 60).then(pl.lit("gold"))
        .when(pl.col("score") >= 40).then(pl.lit("silver"))
        .otherwise(pl.lit("not_yet_qualified"))
    )
    return (
        df.lazy()
        .with_columns(*cats, (pl.sum_horizontal(here) / MAX).alias("completeness"),
                      pl.sum_horizontal(missing).alias("_missing"))
        .with_columns(score.alias("score"))
        .select("id", "score", tier.alias("tier"), *CATEGORIES, "completeness",
                (pl.col("score") + pl.col("_missing")).cast(pl.Float64).alias("max_possible"))
        .collect()
    )


# -- vectorised pandas -------------------------------------------------------------------------

def pandas_version(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"id": df["id"]})
    here = np.zeros(len(df))
    missing = np.zeros(len(df))
    for c in CATEGORIES:
        out[c] = 0.0
    for cat, sig, (op, v), pts in CRITERIA:
        col = df[sig]
        if op == "in":
            text = col.str.strip().str.lower()
            p = col.notna().to_numpy() & (text != "").fillna(False).to_numpy(dtype=bool)
            m = text.isin([x.lower() for x in v]).to_numpy(dtype=bool)
        else:
            p = col.notna().to_numpy()
            x = col.to_numpy(dtype=float, na_value=np.nan)
            m = x >= v if op == ">=" else (x > v if op == ">" else x == 1.0)
        out[cat] += np.where(p & m, pts, 0)
        here += np.where(p, pts, 0)
        missing += np.where(p, 0, pts)
    score = out[CATEGORIES].sum(axis=1).to_numpy()
    gated = (df["policy"].str.strip().str.lower() == "prohibited").fillna(False).to_numpy(dtype=bool) | df[
        "opted_out"].fillna(False).to_numpy(dtype=bool)
    tier = np.select(
        [gated, score >= 80, score >= 60, score >= 40],
        ["not_advocate_material", "platinum", "gold", "silver"],
        "not_yet_qualified",
    )
    out.insert(1, "score", score)
    out.insert(2, "tier", tier)
    out["completeness"] = here / MAX
    out["max_possible"] = score + missing
    return out


# -- DataFrame.apply ---------------------------------------------------------------------------

def score_row(r: pd.Series) -> pd.Series:
    cats = dict.fromkeys(CATEGORIES, 0.0)
    here = missing = 0.0
    for cat, sig, (op, v), pts in CRITERIA:
        x = r[sig]
        if x is None or (isinstance(x, float) and np.isnan(x)) or (op == "in" and not str(x).strip()):
            missing += pts
            continue
        here += pts
        if op == ">=":
            ok = x >= v
        elif op == ">":
            ok = x > v
        elif op == "is":
            ok = bool(x) is v
        else:
            ok = str(x).strip().lower() in [t.lower() for t in v]
        if ok:
            cats[cat] += pts
    score = sum(cats.values())
    policy = r["policy"]
    gated = (isinstance(policy, str) and policy.strip().lower() == "prohibited") or r["opted_out"] is True
    tier = ("not_advocate_material" if gated else "platinum" if score >= 80 else "gold" if score >= 60
            else "silver" if score >= 40 else "not_yet_qualified")
    return pd.Series({"score": score, "tier": tier, **cats, "completeness": here / MAX, "max_possible": score + missing})


def timed(f, *a):
    t = time.perf_counter()
    r = f(*a)
    return r, time.perf_counter() - t


def check(name: str, got: pd.DataFrame, want: pd.DataFrame) -> None:
    for c in ["score", *CATEGORIES, "completeness", "max_possible"]:
        a, b = got[c].to_numpy(dtype=float), want[c].to_numpy(dtype=float)
        if not np.allclose(a, b):
            bad = np.flatnonzero(~np.isclose(a, b))[:5]
            raise SystemExit(f"{name}: column {c} differs from score_frame at rows {bad.tolist()}")
    if not (got["tier"].astype(str).to_numpy() == want["tier"].astype(str).to_numpy()).all():
        raise SystemExit(f"{name}: tier differs from score_frame")


def main() -> None:
    print(f"advocacy {advocacy.__version__}; polars {pl.__version__}, pandas {pd.__version__}, numpy {np.__version__}; "
          f"{os.cpu_count()} cores; {ROWS:,} rows")
    data, t_gen = timed(make_data, ROWS)
    pdf = data.to_pandas()
    print(f"data generated in {t_gen:.1f} s")
    MODEL.score_frame(data.head(1000))  # load everything once

    rows_s = {}
    sf_pl, t = timed(MODEL.score_frame, data)
    rows_s["score_frame (polars in/out)"] = ROWS / t
    sf_pd, t = timed(MODEL.score_frame, pdf)
    rows_s["score_frame (pandas in/out)"] = ROWS / t
    hand_pl, t = timed(polars_version, data)
    rows_s["polars expressions"] = ROWS / t
    hand_pd, t = timed(pandas_version, pdf)
    rows_s["vectorised pandas"] = ROWS / t
    sample = pdf.sample(APPLY_ROWS, random_state=1)
    applied, t = timed(lambda d: d.apply(score_row, axis=1), sample)
    rows_s[f"DataFrame.apply ({APPLY_ROWS:,}-row sample, extrapolated)"] = APPLY_ROWS / t

    reference = sf_pl.to_pandas()
    check("score_frame (pandas)", sf_pd, reference)
    check("polars expressions", hand_pl.to_pandas(), reference)
    check("vectorised pandas", hand_pd, reference)
    check("DataFrame.apply", applied.reset_index(drop=True), reference.iloc[sample.index].reset_index(drop=True))
    print("all four versions give the same scores, tiers, categories, completeness and max_possible\n")

    sf = rows_s["score_frame (polars in/out)"]
    for name, r in rows_s.items():
        extra = f"  ({ROWS / r:.1f} s for {ROWS:,} rows)" if "apply" in name else f"  ({ROWS / r * 1000:.0f} ms)"
        print(f"{name:55s} {r / 1e6:10.2f} M rows/s{extra}")
    print()
    print(f"score_frame (polars) / polars expressions : {sf / rows_s['polars expressions']:.2f}x")
    print(f"score_frame (polars) / vectorised pandas  : {sf / rows_s['vectorised pandas']:.2f}x")
    print(f"score_frame (polars) / DataFrame.apply    : {sf / rows_s[next(k for k in rows_s if 'apply' in k)]:.0f}x")
    print(f"score_frame (pandas) / vectorised pandas  : {rows_s['score_frame (pandas in/out)'] / rows_s['vectorised pandas']:.2f}x")


if __name__ == "__main__":
    main()
