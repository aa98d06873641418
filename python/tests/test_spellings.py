"""Property test (hypothesis): a value and every accepted spelling of it score the same, through
Model.score and through score_frame (pandas object columns, and polars text columns when every
cell is text).

Spellings (the core's reading of loose values, the same in every surface): booleans as
true/false, yes/no, y/n, 1/0 in any case (and Python bools); whole numbers as ``9``, ``"9"``,
``"9.0"``, ``9.0`` and ``" 9 "``; percentages as ``"85%"`` on 0..100 signals; category values
with any case and any run of spaces, hyphens and underscores between their words
(``Mid-Market``, ``mid market``, ``MID_MARKET``)."""

from __future__ import annotations

import math
import os
from typing import Any

import pandas as pd
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advocacy

MODEL = advocacy.Model.default().with_targets(industries=["software", "health_care"],
                                              segments=["mid_market", "enterprise"])
EXAMPLES = int(os.environ.get("ADVOCACY_EXAMPLES", "200"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Signal -> (kind, canonical values).
INTS = {"nps": range(0, 11), "csm_rapport": range(1, 6), "engaged_contacts": range(0, 8),
        "brand_strength": range(1, 6), "past_advocacy": range(0, 4)}
PERCENTS = {"health_score": range(0, 101)}
BOOLS = ["roi_achieved", "opted_out"]
CATEGORIES = {"segment": ["smb", "mid_market", "enterprise"]}
TEXTS = {"industry": ["software", "health_care", "retail"]}

TRUE = ["true", "yes", "y", "1"]
FALSE = ["false", "no", "n", "0"]


@st.composite
def any_case(draw: st.DrawFn, word: str) -> str:
    """The word with each letter in either case."""
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(word, flips))


@st.composite
def bool_spelling(draw: st.DrawFn, value: bool) -> Any:
    if draw(st.booleans()):
        return value
    return draw(any_case(draw(st.sampled_from(TRUE if value else FALSE))))


@st.composite
def int_spelling(draw: st.DrawFn, value: int, percent: bool) -> Any:
    forms: list[Any] = [value, float(value), str(value), f"{value}.0", f" {value} ", f"{value} ", f"\t{value}"]
    if percent:
        forms += [f"{value}%", f" {value}% ", f"{value}.0%"]
    return draw(st.sampled_from(forms))


@st.composite
def category_spelling(draw: st.DrawFn, value: str) -> str:
    words = value.split("_")
    seps = [draw(st.sampled_from([" ", "-", "_", "  ", " - ", "__"])) for _ in words[1:]]
    text = draw(any_case(words[0]))
    for sep, word in zip(seps, words[1:]):
        text += sep + draw(any_case(word))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + text + draw(st.sampled_from(["", " "]))


@st.composite
def accounts(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Accounts in canonical values, and the same accounts spelled in other accepted ways."""
    n = draw(st.integers(min_value=1, max_value=6))
    names = draw(st.lists(st.sampled_from([*INTS, *PERCENTS, *BOOLS, *CATEGORIES, *TEXTS]), unique=True,
                          min_size=1, max_size=8))
    canonical: list[dict[str, Any]] = []
    spelled: list[dict[str, Any]] = []
    for i in range(n):
        c: dict[str, Any] = {"id": f"acc-{i}"}
        s: dict[str, Any] = {"id": f"acc-{i}"}
        for name in names:
            if name in INTS or name in PERCENTS:
                v = draw(st.sampled_from(INTS.get(name) or PERCENTS[name]))
                c[name], s[name] = v, draw(int_spelling(v, name in PERCENTS))
            elif name in BOOLS:
                b = draw(st.booleans())
                c[name], s[name] = b, draw(bool_spelling(b))
            else:
                values = CATEGORIES.get(name) or TEXTS[name]
                v = draw(st.sampled_from(values))
                c[name], s[name] = v, draw(category_spelling(v))
        canonical.append(c)
        spelled.append(s)
    return canonical, spelled


def summary(score: advocacy.Score) -> tuple[Any, ...]:
    return (score.total, score.tier, score.completeness, score.bounds["max"],
            tuple(c["points"] for c in score.categories),
            tuple((c["id"], c["outcome"], c["points"]) for c in score.criteria))


def frame_summary(row: dict[str, Any]) -> tuple[Any, ...]:
    err = row["error"]
    assert err is None or (isinstance(err, float) and math.isnan(err)), err
    return (row["score"], row["tier"], row["completeness"], row["max_possible"])


@SETTINGS
@given(accounts())
def test_every_spelling_scores_the_same(case: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    canonical, spelled = case
    want = [MODEL.score(r) for r in canonical]
    # One by one.
    for w, r in zip(want, spelled):
        assert summary(MODEL.score(r)) == summary(w), r
    # As a table: pandas object columns (numbers, bools and text mixed as spelled).
    df = pd.DataFrame({k: pd.array([r[k] for r in spelled], dtype=object) for k in spelled[0]})
    rows = MODEL.score_frame(df).to_dict("records")
    for w, row in zip(want, rows):
        assert frame_summary(row) == (w.total, w.tier, w.completeness, w.bounds["max"]), row
    # As text, the way an export has it: every cell its text.
    text = {k: [v if isinstance(v, str) else (str(v).lower() if isinstance(v, bool) else str(v))
                for v in (r[k] for r in spelled)] for k in spelled[0]}
    for table in (pd.DataFrame(text, dtype=object), pl.DataFrame(text, schema={k: pl.Utf8 for k in text})):
        out = MODEL.score_frame(table)
        rows = out.to_dicts() if isinstance(out, pl.DataFrame) else out.to_dict("records")
        for w, row in zip(want, rows):
            assert frame_summary(row) == (w.total, w.tier, w.completeness, w.bounds["max"]), row


def test_the_spellings_of_the_brief() -> None:
    """The examples by name, so that a regression reads plainly."""
    base = MODEL.score({"nps": 9, "health_score": 85, "roi_achieved": True, "segment": "mid_market"})
    for nps in ("9", "9.0", 9.0, " 9 "):
        for health in (85, "85%", "85.0", " 85 "):
            for roi in ("yes", "Y", "TRUE", "1", True):
                for seg in ("Mid-Market", "mid market", "MID_MARKET", " mid - market "):
                    s = MODEL.score({"nps": nps, "health_score": health, "roi_achieved": roi, "segment": seg})
                    assert summary(s) == summary(base), (nps, health, roi, seg)
