"""score_frame on 1,000,000 accounts, side by side with the same model written by hand.

The model is the default 100-point model (``Model.default()``: twelve criteria, two of which, the
target industry and segment, are not applicable until targets are set, and two gates). Its peer is
the model written by hand as polars expressions, the same expressions as
``benches/cli_vs_polars.py``'s PEER (polars runs them on every core), extended to give the same
columns as score_frame: the four category subtotals, completeness, max_possible and an empty
error column.

For each input (a polars DataFrame, a pandas DataFrame, a pyarrow Table) and each output (every
column score_frame gives, or the id, score and tier only: ``select=["score", "tier"]``), both
sides take the same input and give the same kind of table back (the peer converts pandas and
pyarrow input to polars and its result back, as a user of polars expressions would). Before any
time counts, both results are checked equal: ids, scores, tiers, subtotals and max_possible
exactly, completeness to 1e-12 (polars divides by 100 as a multiplication by 0.01). Then the two
are run alternately, ROUNDS times each, and the best time of each is reported (the machine may be
shared: the best of several alternating runs is the least disturbed). The peak memory each adds
to its input is measured once per side and case, each in a fresh process (Linux: the kernel's
peak-RSS mark, reset after the input is built).

After the table, for scale: the model as vectorised pandas/numpy, and ``DataFrame.apply`` with a
per-row Python function on a 20,000-row sample (extrapolated to 1,000,000 rows, said so).

Run: python benches/bench_score_frame.py [ROWS] [ROUNDS]
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from typing import Any, Callable

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import advocacy

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 7
APPLY_ROWS = 20_000
MODEL = advocacy.Model.default()
CATEGORIES = ["satisfaction", "relationship", "willingness", "company_fit"]
MAX = 100.0

# (category, signal, rule, points) of the default model; None: not applicable without targets.
CRITERIA: list[tuple[str, str, tuple[str, Any] | None, int]] = [
    ("satisfaction", "nps", (">=", 9), 10),
    ("satisfaction", "health_score", (">", 80), 10),
    ("satisfaction", "roi_achieved", ("is", True), 10),
    ("relationship", "csm_rapport", (">=", 4), 10),
    ("relationship", "engaged_contacts", (">=", 3), 10),
    ("relationship", "meeting_engagement", (">=", 4), 5),
    ("willingness", "past_advocacy", (">=", 1), 10),
    ("willingness", "proactive_feedback", (">=", 1), 10),
    ("willingness", "communication_comfort", (">=", 4), 5),
    ("company_fit", "industry", None, 10),
    ("company_fit", "segment", None, 5),
    ("company_fit", "brand_strength", (">=", 4), 5),
]


def make_data(n: int, seed: int = 42) -> pl.DataFrame:
    """n accounts: every signal of the model with 10% missing, the policy gate with 30% missing,
    text in the spellings the hand-written peer compares exactly, unique text ids."""
    rng = np.random.default_rng(seed)

    def ints(lo: int, hi: int) -> np.ndarray:
        return rng.integers(lo, hi + 1, n)

    def with_nulls(s: pl.Series, share: float = 0.1) -> pl.Series:
        return s.scatter(np.flatnonzero(rng.random(n) < share), None)

    industries = np.array(["software", "financial services", "retail", "media", "healthcare", "education"])
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


# -- the peer: the model as polars expressions (benches/cli_vs_polars.py's PEER) ------------------

def b(e: pl.Expr) -> pl.Expr:
    return pl.when(e.fill_null(False)).then(pl.lit(1.0)).otherwise(pl.lit(0.0))


SAT = 10 * b(pl.col("nps") >= 9) + 10 * b(pl.col("health_score") > 80) + 10 * b(pl.col("roi_achieved"))
REL = 10 * b(pl.col("csm_rapport") >= 4) + 10 * b(pl.col("engaged_contacts") >= 3) + 5 * b(pl.col("meeting_engagement") >= 4)
WIL = (10 * b(pl.col("past_advocacy") >= 1) + 10 * b(pl.col("proactive_feedback") >= 1)
       + 5 * b(pl.col("communication_comfort") >= 4))
FIT = 5 * b(pl.col("brand_strength") >= 4)
SCORE = SAT + REL + WIL + FIT
GATED = (pl.col("policy") == "prohibited").fill_null(False) | pl.col("opted_out").fill_null(False)
TIER = (pl.when(GATED).then(pl.lit("not_advocate_material")).when(SCORE >= 80).then(pl.lit("platinum"))
        .when(SCORE >= 60).then(pl.lit("gold")).when(SCORE >= 40).then(pl.lit("silver"))
        .otherwise(pl.lit("not_yet_qualified")))
# Completeness: the points of the criteria whose signal is there; max_possible: the score plus the
# points of the applicable criteria whose signal is missing.
PRESENT = sum((pts * b(pl.col(sig).is_not_null()) for _, sig, _, pts in CRITERIA), pl.lit(0.0))
MISSING = sum((pts * b(pl.col(sig).is_null()) for _, sig, rule, pts in CRITERIA if rule is not None), pl.lit(0.0))
FULL = [pl.col("id"), SCORE.alias("score"), TIER.alias("tier"), SAT.alias("satisfaction"), REL.alias("relationship"),
        WIL.alias("willingness"), FIT.alias("company_fit"), (PRESENT / MAX).alias("completeness"),
        (SCORE + MISSING).alias("max_possible"), pl.lit(None, pl.String).alias("error")]
SCORE_TIER = [pl.col("id"), SCORE.alias("score"), TIER.alias("tier")]
# Output forms: score_frame's `select` and the peer's expressions.
FORMS: dict[str, tuple[list[str] | None, list[pl.Expr]]] = {
    "every column": (None, FULL), "score and tier": (["score", "tier"], SCORE_TIER)}


def peer(exprs: list[pl.Expr], kind: str) -> Callable[[Any], Any]:
    """The hand-written model on a table of ``kind``, returning the same kind."""
    if kind == "polars":
        return lambda t: t.select(exprs)
    if kind == "pandas":
        return lambda t: pl.from_pandas(t).select(exprs).to_pandas()
    return lambda t: pl.from_arrow(t).select(exprs).to_arrow()


# -- checks -----------------------------------------------------------------------------------

def as_polars(t: Any) -> pl.DataFrame:
    if isinstance(t, pd.DataFrame):
        return pl.from_pandas(t.reset_index(drop=True))
    if isinstance(t, pa.Table):
        return pl.from_arrow(t)
    return t


def check(name: str, ours: Any, theirs: Any) -> None:
    a, b_ = as_polars(ours), as_polars(theirs)
    if a.columns != b_.columns or a.height != b_.height:
        raise SystemExit(f"{name}: columns {a.columns} ({a.height} rows) vs {b_.columns} ({b_.height} rows)")
    for c in a.columns:
        x, y = a[c], b_[c]
        if c == "tier":
            same = (x.cast(pl.String) == y.cast(pl.String)).all()
        elif c == "error":
            same = x.null_count() == a.height and y.null_count() == a.height
        elif c == "completeness":
            same = ((x - y).abs() < 1e-12).all()
        else:
            same = (x == y).all()
        if not same:
            raise SystemExit(f"{name}: column {c} differs between score_frame and the polars expressions")


# -- timing and memory ------------------------------------------------------------------------

def field_mb(name: str) -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(name)) / 1024


def peak_added_mb(kind: str, form: str, side: str) -> float | None:
    """The memory one run adds at its peak (MB), measured in a fresh process (memory an earlier
    run freed would hide it here): it builds the same input, lets it settle, resets the kernel's
    peak-RSS mark (Linux), runs once and reads the mark. None where the mark cannot be reset."""
    import subprocess
    done = subprocess.run([sys.executable, __file__, str(ROWS), "1", "--memory", kind, form, side],
                          capture_output=True, text=True)
    last = (done.stdout.strip().splitlines() or ["n/a"])[-1]
    return None if done.returncode != 0 or last == "n/a" else float(last)


def measure_memory(kind: str, form: str, side: str) -> None:
    table = {"polars": lambda d: d, "pandas": lambda d: d.to_pandas(), "pyarrow": lambda d: d.to_arrow()}[kind](
        make_data(ROWS))
    select, exprs = FORMS[form]
    run = (lambda: MODEL.score_frame(table, select=select)) if side == "score_frame" else (
        lambda: peer(exprs, kind)(table))
    MODEL.score_frame(make_data(100))
    peer(exprs, "polars")(make_data(100))
    gc.collect()
    time.sleep(0.1)
    try:
        base = field_mb("VmRSS")
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except (OSError, StopIteration):
        print("n/a")
        return
    out = run()
    print(f"{field_mb('VmHWM') - base:.1f}")
    del out


def best_of(fs: list[Callable[[], Any]], rounds: int) -> list[float]:
    """Each function run `rounds` times, alternately; the best time of each (seconds)."""
    best = [float("inf")] * len(fs)
    for _ in range(rounds):
        for k, f in enumerate(fs):
            t = time.perf_counter()
            f()
            best[k] = min(best[k], time.perf_counter() - t)
            gc.collect()
    return best


# -- for scale: vectorised pandas and DataFrame.apply ---------------------------------------------

def pandas_version(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"id": df["id"]})
    here = np.zeros(len(df))
    missing = np.zeros(len(df))
    for c in CATEGORIES:
        out[c] = 0.0
    for cat, sig, rule, pts in CRITERIA:
        col = df[sig]
        p = col.notna().to_numpy()
        here += np.where(p, pts, 0)
        if rule is None:
            continue
        op, v = rule
        x = col.to_numpy(dtype=float, na_value=np.nan)
        m = x >= v if op == ">=" else (x > v if op == ">" else x == 1.0)
        out[cat] += np.where(p & m, pts, 0)
        missing += np.where(p, 0, pts)
    score = out[CATEGORIES].sum(axis=1).to_numpy()
    gated = (df["policy"] == "prohibited").fillna(False).to_numpy(dtype=bool) | df["opted_out"].fillna(False).to_numpy(
        dtype=bool)
    tier = np.select([gated, score >= 80, score >= 60, score >= 40],
                     ["not_advocate_material", "platinum", "gold", "silver"], "not_yet_qualified")
    out.insert(1, "score", score)
    out.insert(2, "tier", tier)
    out["completeness"] = here / MAX
    out["max_possible"] = score + missing
    out["error"] = None
    return out


def score_row(r: pd.Series) -> pd.Series:
    cats = dict.fromkeys(CATEGORIES, 0.0)
    here = missing = 0.0
    for cat, sig, rule, pts in CRITERIA:
        x = r[sig]
        if x is None or (isinstance(x, float) and np.isnan(x)):
            missing += pts if rule is not None else 0
            continue
        here += pts
        if rule is None:
            continue
        op, v = rule
        if (op == ">=" and x >= v) or (op == ">" and x > v) or (op == "is" and bool(x) is v):
            cats[cat] += pts
    score = sum(cats.values())
    gated = r["policy"] == "prohibited" or r["opted_out"] is True
    tier = ("not_advocate_material" if gated else "platinum" if score >= 80 else "gold" if score >= 60
            else "silver" if score >= 40 else "not_yet_qualified")
    return pd.Series({"score": score, "tier": tier, **cats, "completeness": here / MAX, "max_possible": score + missing})


def main() -> None:
    print(f"advocacy {advocacy.__version__}; polars {pl.__version__}, pandas {pd.__version__}, "
          f"pyarrow {pa.__version__}; {os.cpu_count()} cores; {ROWS:,} rows; best of {ROUNDS} alternating runs")
    data = make_data(ROWS)
    inputs = {"polars": data, "pandas": data.to_pandas(), "pyarrow": data.to_arrow()}
    MODEL.score_frame(data.head(1000))  # load everything once
    rows = []
    for kind, table in inputs.items():
        for form, (select, exprs) in FORMS.items():
            ours = (lambda t=table, s=select: MODEL.score_frame(t, select=s))
            theirs = (lambda t=table, f=peer(exprs, kind): f(t))
            check(f"{kind}, {form}", ours(), theirs())
            t_ours, t_theirs = best_of([ours, theirs], ROUNDS)
            mem = (peak_added_mb(kind, form, "score_frame"), peak_added_mb(kind, form, "polars"))
            rows.append((kind, form, t_ours, t_theirs, *mem))
    print("both sides give the same ids, scores, tiers, subtotals, completeness and max_possible\n")

    def mb(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.0f} MB"

    print("| input | output | score_frame | polars expressions | polars / score_frame | peak memory added (score_frame / polars) |")
    print("|---|---|---|---|---|---|")
    for kind, form, t_ours, t_theirs, mem_a, mem_b in rows:
        print(f"| {kind} | {form} | {t_ours * 1000:.0f} ms ({ROWS / t_ours / 1e6:.1f} M rows/s) | "
              f"{t_theirs * 1000:.0f} ms | {t_theirs / t_ours:.2f}x | {mb(mem_a)} / {mb(mem_b)} |")

    # For scale.
    pdf = inputs["pandas"]
    hand = pandas_version(pdf)
    check("vectorised pandas", hand, MODEL.score_frame(pdf))
    sample = pdf.sample(APPLY_ROWS, random_state=1)
    applied = sample.apply(score_row, axis=1)
    want = MODEL.score_frame(sample).reset_index(drop=True)
    check("DataFrame.apply", pd.concat([sample[["id"]].reset_index(drop=True), applied.reset_index(drop=True)], axis=1)
          .assign(error=None)[want.columns], want)
    t_sf, t_pd = best_of([lambda: MODEL.score_frame(pdf), lambda: pandas_version(pdf)], ROUNDS)
    t = time.perf_counter()
    sample.apply(score_row, axis=1)
    t_apply = (time.perf_counter() - t) * ROWS / APPLY_ROWS
    print(f"\nfor scale (pandas in and out, every column): score_frame {t_sf * 1000:.0f} ms, vectorised pandas "
          f"{t_pd * 1000:.0f} ms ({t_pd / t_sf:.1f}x), DataFrame.apply {t_apply:.0f} s extrapolated from "
          f"{APPLY_ROWS:,} rows ({t_apply / t_sf:.0f}x)")
    print(f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    if "--memory" in sys.argv:
        measure_memory(*sys.argv[sys.argv.index("--memory") + 1:][:3])
    else:
        main()
