"""Property tests (hypothesis) over arbitrary tables: score_frame never fails with anything but
the library's exceptions (or TypeError), and agrees row by row with Model.score on the same
values: totals, tiers and categories of scored rows, the error of flagged rows, and the first
bad row when it raises. Tables: pandas with int/float/bool/str/category/object columns (None and
NaN included), empty tables, unicode ids, headers in other spellings, and the same data as
chunked pyarrow tables and polars frames."""

from __future__ import annotations

import math
import os
import re
import warnings
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advocacy

MODEL = advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise", "mid_market"])
# Signals of every kind the default model reads (criteria and gates).
SIGNALS = ["nps", "health_score", "roi_achieved", "csm_rapport", "segment", "industry", "opted_out", "policy",
           "engaged_contacts"]
ALLOWED = (advocacy.AdvocacyError, TypeError)
# Bounded, so that the whole Python run stays quick (ADVOCACY_EXAMPLES=5000 for a deeper run); no
# example database in the source tree.
EXAMPLES = int(os.environ.get("ADVOCACY_EXAMPLES", "200"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

WORDS = ["9", "10", "11", "-1", "9.5", "yes", "No", "TRUE", "f", "1", "0", "85%", "85.5", "Mid-Market", "enterprise",
         "SMB", "software", "Software ", "prohibited", "open", "", " ", "NA", "n/a", "null", "junk", "1e3", "inf"]
ints = st.integers(min_value=-3, max_value=120) | st.sampled_from([0, 1, 5, 9, 10, 2 ** 40])
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, 1.0, 4.0, 9.0, 85.5, -0.0, 100.0])
texts = st.sampled_from(WORDS) | st.text(max_size=6)
DTYPES: dict[str, st.SearchStrategy[Any]] = {
    "int": ints,
    "float": floats,
    "bool": st.booleans(),
    "str": texts,
    "category": texts,
    "object": ints | floats | st.booleans() | texts,
}


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, list[dict[str, Any]], bool]:
    """A pandas frame, the record of each of its rows (signal names, Python values), and
    whether it has an id column."""
    n = draw(st.integers(min_value=0, max_value=8))
    names = draw(st.lists(st.sampled_from(SIGNALS), unique=True, max_size=5))
    data: dict[str, Any] = {}
    records: list[dict[str, Any]] = [{} for _ in range(n)]
    for name in names:
        dtype = draw(st.sampled_from(list(DTYPES)))
        values = draw(st.lists(st.none() | DTYPES[dtype], min_size=n, max_size=n))
        if dtype == "category":
            data[name] = pd.Categorical(values)
        elif dtype in ("object", "bool", "str"):
            data[name] = pd.array(values, dtype=object)
        elif dtype == "int":
            data[name] = values  # pandas decides: int64, float64 (with None) or object (huge)
        else:
            data[name] = pd.array([math.nan if v is None else v for v in values], dtype="float64")
        for r, v in zip(records, values):
            r[name] = v
    has_id = draw(st.booleans())
    if has_id:
        # Unicode ids, unique after trimming (each ends with its row number).
        ids = [f"{draw(st.text(max_size=4))}{i}" for i in range(n)]
        if draw(st.booleans()):
            ids = list(range(100, 100 + n))  # numeric ids
        data = {"id": ids, **data}
        for r, i in zip(records, ids):
            r["id"] = i
    df = pd.DataFrame(data, index=range(n)) if data else pd.DataFrame(index=range(n))
    spell = draw(st.sampled_from(["as is", "upper", "title"]))
    if spell == "upper":
        df = df.rename(columns=str.upper)
    elif spell == "title":
        df = df.rename(columns=lambda c: c.replace("_", " ").title())
    return df, records, has_id


def expected(records: list[dict[str, Any]]) -> list[advocacy.Score | advocacy.SignalError]:
    out: list[advocacy.Score | advocacy.SignalError] = []
    for r in records:
        try:
            out.append(MODEL.score(r))
        except advocacy.SignalError as e:
            out.append(e)
    return out


def result_rows(out: Any) -> list[dict[str, Any]]:
    if isinstance(out, pd.DataFrame):
        return out.to_dict("records")
    if isinstance(out, pl.DataFrame):
        return out.to_dicts()
    return out.to_pylist()


def missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# The core's words for each record error code (RecordError's Display).
DESCRIPTIONS = {"has the wrong type": "wrong_type", "is out of range": "out_of_range",
                "is not a whole number": "not_integer", "is not an allowed value": "unknown_category",
                "is empty": "missing_id", "is the id of another row too": "duplicate_id"}
SHAPE = re.compile(r"signal `(?P<signal>[^`]*)`: value (?P<value>.*) (?P<what>" +
                   "|".join(map(re.escape, DESCRIPTIONS)) + r"); allowed: (?P<allowed>.*)$", re.S)


def what(message: str) -> tuple[str, str, str]:
    """(signal, code, allowed) of an error's text. The value shown is left out: the core shows a
    text cell of a table trimmed and the same text in a record as given (see the report)."""
    m = SHAPE.search(message)
    assert m, message
    return m["signal"], DESCRIPTIONS[m["what"]], m["allowed"]


def other_kinds(df: pd.DataFrame) -> list[tuple[str, Any]]:
    """The same table as a chunked pyarrow table and a polars frame, where they can hold it
    (not with mixed object columns, which Arrow's inference would coerce: False -> 0.0)."""
    from pandas.api.types import infer_dtype

    if any(df[c].dtype == object and infer_dtype(df[c], skipna=True).startswith("mixed") for c in df.columns):
        return []
    try:
        t = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return []  # mixed object columns: pandas only
    n = t.num_rows
    cuts = sorted({0, n, n // 3, (2 * n) // 3})
    chunked = pa.concat_tables([t.slice(a, b - a) for a, b in zip(cuts, cuts[1:])]) if n else t
    out: list[tuple[str, Any]] = [("pyarrow", chunked)]
    try:
        out.append(("polars", pl.from_arrow(t)))
    except Exception:  # noqa: BLE001 - polars cannot hold every Arrow type; not ours to test
        pass
    return out


def check(table: Any, want: list[Any], how: str) -> None:
    try:
        out = MODEL.score_frame(table, on_error="flag")
    except advocacy.ModelError as e:
        # Only when no column holds a signal the model reads.
        assert "no column holds a signal the model reads" in str(e), (how, str(e))
        return
    except ALLOWED as e:  # pragma: no cover - reported as a failure
        pytest.fail(f"{how}: {type(e).__name__}: {e}")
    got = result_rows(out)
    assert len(got) == len(want), how
    first_error = next((i for i, w in enumerate(want) if isinstance(w, Exception)), None)
    for i, (row, w) in enumerate(zip(got, want)):
        if isinstance(w, advocacy.Score):
            assert missing(row["error"]), f"{how} row {i}: flagged: {row['error']} (one by one: {w.total})"
            assert row["score"] == w.total and row["tier"] == w.tier, (how, i, row, w.to_dict())
            assert row["completeness"] == w.completeness, (how, i)
            for c in w.categories:
                assert row[c["id"]] == c["points"], (how, i, c)
        else:
            assert not missing(row["error"]), f"{how} row {i}: not flagged; one by one: {w}"
            assert row["error"].startswith(f"row {i}"), (how, row["error"])
            assert what(row["error"]) == what(str(w)) == (w.signal, w.code, w.allowed), (how, i, row["error"], str(w))
            assert missing(row["score"]) and missing(row["tier"]), (how, i)
    if first_error is None:
        MODEL.score_frame(table)
    else:
        with pytest.raises(advocacy.SignalError) as info:
            MODEL.score_frame(table)
        e, w = info.value, want[first_error]
        assert isinstance(w, advocacy.SignalError)
        assert (e.row, e.code, e.signal, e.allowed) == (first_error, w.code, w.signal, w.allowed), (how, str(e), str(w))


@SETTINGS
@given(tables())
def test_score_frame_agrees_with_score(case: tuple[pd.DataFrame, list[dict[str, Any]], bool]) -> None:
    df, records, _ = case
    want = expected(records)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", advocacy.ColumnWarning)
        check(df, want, "pandas")
        for how, table in other_kinds(df):
            check(table, want, how)


@settings(max_examples=max(1, EXAMPLES // 2), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_explain_and_rank_agree_with_score(case: tuple[pd.DataFrame, list[dict[str, Any]], bool]) -> None:
    df, records, has_id = case
    want = expected(records)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", advocacy.ColumnWarning)
        try:
            ex = MODEL.explain_frame(df, on_error="flag")
        except advocacy.ModelError:
            return
        ranked = MODEL.rank(df, on_error="flag")
    per_row = ex.groupby("row")
    for i, w in enumerate(want):
        part = per_row.get_group(i)
        if isinstance(w, advocacy.Score):
            assert part["points"].sum() == pytest.approx(w.total) and part["error"].isna().all()
            assert part["outcome"].tolist() == [c["outcome"] for c in w.criteria]
        else:
            assert what(part["error"].iloc[0]) == what(str(w))
    # Best first, ties in input order, flagged rows last: the core's ranking of the one-by-one totals.
    totals = [w.total if isinstance(w, advocacy.Score) else -math.inf for w in want]
    order = sorted(range(len(want)), key=lambda i: -totals[i])
    assert list(ranked.index) == order


@SETTINGS
@given(st.data())
def test_arbitrary_objects_only_raise_our_errors(data: st.DataObject) -> None:
    """Anything in a cell, a record or an argument: a result, an AdvocacyError or a TypeError."""
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), st.binary(max_size=6),
                     st.dates(), st.just(pd.NA), st.just(object()), st.just(float("nan")))
    value = st.recursive(leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
                         max_leaves=6)
    record = data.draw(st.dictionaries(st.sampled_from(SIGNALS + ["id", "other"]), value, max_size=5))
    try:
        MODEL.score(record)
    except ALLOWED:
        pass
    n = data.draw(st.integers(min_value=0, max_value=4))
    columns = data.draw(st.dictionaries(st.sampled_from(SIGNALS + ["id", "Notes"]),
                                        st.lists(value, min_size=n, max_size=n), max_size=4))
    df = pd.DataFrame({k: pd.array(v, dtype=object) for k, v in columns.items()}, index=range(n))
    kwargs = data.draw(st.fixed_dictionaries({}, optional={
        "on_error": st.sampled_from(["raise", "flag", "nope", 3]),
        "keep": st.sampled_from([["id"], "Notes", [1], None]),
        "id_column": st.sampled_from(["id", None, "nope", 7]),
        "columns": st.sampled_from([None, {"columns": {"Notes": "nps"}}, {"bad": 1}, 3, {"decimal_comma": True}]),
    }))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", advocacy.ColumnWarning)
        for call in (MODEL.score_frame, MODEL.rank, MODEL.explain_frame):
            k = {a: b for a, b in kwargs.items() if not (call is MODEL.explain_frame and a == "keep")}
            try:
                call(df, **k)
            except ALLOWED:
                pass
