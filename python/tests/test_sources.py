"""Observation dates and freshness in score_frame / rank / explain_frame, and Model.score_sources
over every kind of table the package takes (beyond the shared vectors of tests/vectors/)."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import advocacy

MODEL = advocacy.Model.default().with_max_ages({"nps": 180})
AS_OF = "2026-11-30"
BASE = {"id": ["a", "b", "c"], "nps": [10, 10, 10]}
TEXT = ["2026-11-01", "2025-01-10", None]
DATES = [dt.date(2026, 11, 1), dt.date(2025, 1, 10), None]


def rows(out: Any) -> list[dict[str, Any]]:
    if isinstance(out, pl.DataFrame):
        return out.to_dicts()
    if isinstance(out, (pa.Table, pa.RecordBatch)):
        return out.to_pylist()
    return out.to_dict("records")


def missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


DATED_TABLES = {
    "pandas text": lambda: pd.DataFrame({**BASE, "observed": TEXT}),
    "pandas date objects": lambda: pd.DataFrame({**BASE, "observed": DATES}),
    "pandas datetime64": lambda: pd.DataFrame({**BASE, "Observed At": pd.to_datetime(TEXT)}),
    "pandas tz-aware": lambda: pd.DataFrame({**BASE, "observed": pd.to_datetime(
        ["2026-11-01 23:30", "2025-01-10 00:00", None]).tz_localize("America/New_York")}),
    "pandas categorical": lambda: pd.DataFrame({**BASE, "observed": pd.Categorical(TEXT)}),
    "polars date": lambda: pl.DataFrame({**BASE, "observed": DATES}),
    "polars datetime, time zone": lambda: pl.DataFrame(
        {**BASE, "observed": [dt.datetime(2026, 11, 1, 23), dt.datetime(2025, 1, 10), None]}
    ).with_columns(pl.col("observed").dt.replace_time_zone("Asia/Tokyo")),
    "polars lazy": lambda: pl.DataFrame({**BASE, "observed": TEXT}).lazy(),
    "pyarrow date32": lambda: pa.table({**BASE, "observed": pa.array(DATES, pa.date32())}),
    "pyarrow date64": lambda: pa.table({**BASE, "observed_at": pa.array(DATES, pa.date64())}),
    "pyarrow timestamp": lambda: pa.table({**BASE, "observed": pa.array(
        [dt.datetime(2026, 11, 1, 8), dt.datetime(2025, 1, 10), None], pa.timestamp("us"))}),
    "pyarrow dictionary": lambda: pa.table({**BASE, "observed": pa.array(TEXT).dictionary_encode()}),
    "mapping names it": lambda: pd.DataFrame({**BASE, "Survey Date": TEXT}),
}


@pytest.mark.parametrize("kind", list(DATED_TABLES))
def test_observation_dates_of_every_type_judge_freshness(kind: str) -> None:
    table = DATED_TABLES[kind]()
    table_now = table
    columns = {"observed": "Survey Date"} if kind == "mapping names it" else None
    # b's NPS is from 2025-01-10: older than 180 days on 2026-11-30, so missing.
    out = rows(MODEL.score_frame(table_now, as_of=AS_OF, columns=columns).lazy().collect()
               if isinstance(table_now, pl.LazyFrame) else MODEL.score_frame(table_now, as_of=AS_OF, columns=columns))
    assert [r["score"] for r in out] == [10.0, 0.0, 10.0], out
    assert [r["completeness"] for r in out] == [0.1, 0.0, 0.1]
    ranked = MODEL.rank(table_now, as_of=AS_OF, columns=columns)
    ranked = ranked.collect() if isinstance(ranked, pl.LazyFrame) else ranked
    assert [r["score"] for r in rows(ranked)] == [10.0, 10.0, 0.0]
    explained = MODEL.explain_frame(table_now, as_of=AS_OF, columns=columns)
    explained = explained.collect() if isinstance(explained, pl.LazyFrame) else explained
    by_row = {r["row"]: r["total"] for r in rows(explained)}
    assert by_row == {0: 10.0, 1: 0.0, 2: 10.0}
    promoter = [r for r in rows(explained) if r["criterion"] == "promoter"]
    assert [r["outcome"] for r in promoter] == ["met", "missing", "met"]
    # Without as_of (or without maximum ages) the dates change nothing.
    plain = MODEL.score_frame(table_now, columns=columns)
    plain = plain.collect() if isinstance(plain, pl.LazyFrame) else plain
    assert [r["score"] for r in rows(plain)] == [10.0, 10.0, 10.0]
    unaged = advocacy.Model.default().score_frame(table_now, as_of=AS_OF, columns=columns)
    unaged = unaged.collect() if isinstance(unaged, pl.LazyFrame) else unaged
    assert [r["score"] for r in rows(unaged)] == [10.0, 10.0, 10.0]


def test_a_date_that_is_not_one_is_the_error_of_its_row() -> None:
    df = pd.DataFrame({**BASE, "observed": ["2026-11-01", "last week", ""]})
    out = MODEL.score_frame(df, as_of=AS_OF, on_error="flag")
    want = ('row 1 (id "b"): signal `observed`: value "last week" has the wrong type; '
            'allowed: a date as YYYY-MM-DD, or an empty cell')
    assert out["error"].tolist()[1] == want and missing(out["error"].tolist()[0])
    assert out["score"].tolist()[0] == 10.0 and out["score"].tolist()[2] == 10.0
    ex = MODEL.explain_frame(df, as_of=AS_OF, on_error="flag")
    assert set(ex.loc[ex["row"] == 1, "error"]) == {want}
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(df, as_of=AS_OF)
    e = info.value
    assert (e.code, e.row, e.id, e.signal, e.value) == ("wrong_type", 1, "b", "observed", '"last week"')
    with pytest.raises(advocacy.SignalError) as again:
        MODEL.explain_frame(df, as_of=AS_OF)
    assert str(again.value) == str(e)
    # A bad signal value is reported before a bad date, as for a record.
    bad = pd.DataFrame({"id": ["a"], "nps": ["eleven"], "observed": ["soon"]})
    for call in (MODEL.score_frame, MODEL.explain_frame):
        with pytest.raises(advocacy.SignalError) as first:
            call(bad, as_of=AS_OF)
        assert first.value.signal == "nps"


@pytest.mark.parametrize("values", [[20261101, 1, 2], [1.5, 2.0, 3.0], [True, False, True]])
def test_numbers_are_no_dates(values: list[Any]) -> None:
    df = pd.DataFrame({**BASE, "observed": values})
    out = MODEL.score_frame(df, as_of=AS_OF, on_error="flag")
    assert all("signal `observed`" in e for e in out["error"]), out["error"].tolist()
    ex = MODEL.explain_frame(df, as_of=AS_OF, on_error="flag")
    assert list(ex.groupby("row")["error"].first()) == out["error"].tolist()


def test_not_utf8_dates_flag_their_rows() -> None:
    df = pd.DataFrame({**BASE, "observed": pd.array([b"2026-11-01", b"\xff", None], dtype=object)})
    out = MODEL.score_frame(df, as_of=AS_OF, on_error="flag")
    assert out["score"].tolist()[0] == 10.0 and missing(out["score"].tolist()[1])
    assert "not UTF-8" in out["error"].tolist()[1] and "observed" in out["error"].tolist()[1]


def test_as_of_of_every_kind_in_tables() -> None:
    df = pd.DataFrame({**BASE, "observed": TEXT})
    for as_of in (AS_OF, dt.date(2026, 11, 30), dt.datetime(2026, 11, 30, 9), pd.Timestamp(AS_OF),
                  np.datetime64(AS_OF)):
        assert MODEL.score_frame(df, as_of=as_of)["score"].tolist() == [10.0, 0.0, 10.0], as_of
    with pytest.raises(advocacy.AdvocacyError) as info:
        MODEL.rank(df, as_of="2026-02-30")
    assert (info.value.kind, info.value.code) == ("date", "invalid_date")


# ---------------------------------------------------------------------------------------------
# score_sources

CRM = [{"Account ID": "a", "Account Name": "Acme", "NPS": 6, "CSM Rapport": 5},
       {"Account ID": "b", "Account Name": "Bolt", "NPS": 9, "CSM Rapport": None}]
SURVEY_HEADERS = ["account_id", "nps", "observed"]
SURVEY_ROWS = [["a", 10, "2026-11-02"], ["c", 9, "2026-10-15"]]


class Capsule:
    """Only the Arrow PyCapsule interface."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.table.__arrow_c_stream__(requested_schema)


def survey_as(kind: str) -> Any:
    if kind == "headers and rows":
        return {"headers": SURVEY_HEADERS, "rows": SURVEY_ROWS}
    if kind == "tuples":
        return {"headers": tuple(SURVEY_HEADERS), "rows": tuple(tuple(r) for r in SURVEY_ROWS)}
    dicts = [dict(zip(SURVEY_HEADERS, r)) for r in SURVEY_ROWS]
    if kind == "dicts":
        return dicts
    df = pd.DataFrame(SURVEY_ROWS, columns=SURVEY_HEADERS)
    if kind == "pandas":
        return df
    if kind == "pandas with dates":
        return df.assign(observed=pd.to_datetime(df["observed"]))
    if kind == "polars":
        return pl.from_pandas(df)
    if kind == "polars with dates":
        return pl.from_pandas(df).with_columns(pl.col("observed").str.to_date())
    if kind == "polars lazy":
        return pl.from_pandas(df).lazy()
    if kind == "pyarrow":
        return pa.Table.from_pandas(df)
    if kind == "pyarrow batch":
        return pa.Table.from_pandas(df).to_batches()[0]
    if kind == "capsule":
        return Capsule(pa.Table.from_pandas(df))
    if kind == "date objects":
        return [{**d, "observed": dt.date.fromisoformat(d["observed"])} for d in dicts]
    if kind == "timestamps":
        return [{**d, "observed": pd.Timestamp(d["observed"])} for d in dicts]
    raise AssertionError(kind)


KINDS = ["headers and rows", "tuples", "dicts", "pandas", "pandas with dates", "polars", "polars with dates",
         "polars lazy", "pyarrow", "pyarrow batch", "capsule", "date objects", "timestamps"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_table_joins_the_same(kind: str) -> None:
    want = MODEL.score_sources([{"name": "crm", "data": CRM, "date": "2025-09-01"},
                                {"name": "survey", "data": survey_as("headers and rows")}], as_of=AS_OF)
    got = MODEL.score_sources([{"name": "crm", "data": pd.DataFrame(CRM), "date": dt.date(2025, 9, 1)},
                               {"name": "survey", "data": survey_as(kind)}], as_of=AS_OF)
    assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)
    assert [(a["id"], a["name"]) for a in got["accounts"]] == [("a", "Acme"), ("b", "Bolt"), ("c", None)]
    a = got["accounts"][0]["score"]
    promoter = next(c for c in a["criteria"] if c["id"] == "promoter")
    assert promoter["value"] == 10.0
    assert promoter["provenance"] == {"seen": {"source": "survey", "observed": "2026-11-02"},
                                      "overruled": [{"value": 6.0, "source": "crm", "observed": "2025-09-01"}]}
    # crm's NPS of b (2025-09-01) is stale on 2026-11-30 under a 180-day maximum.
    b = next(c for c in got["accounts"][1]["score"]["criteria"] if c["id"] == "promoter")
    assert b["outcome"] == "missing" and b["stale"]["observed"] == "2025-09-01"


def test_the_short_form_and_the_arguments() -> None:
    crm = pd.DataFrame(CRM)
    survey = survey_as("pandas")
    short = advocacy.Model.default().score_sources({"crm": crm, "survey": survey})
    long = advocacy.Model.default().score_sources([{"name": "crm", "data": crm}, {"name": "survey", "data": survey}])
    assert short == long
    # source_order: the CRM (listed first) wins over the later survey.
    first = advocacy.Model.default().score_sources({"crm": crm, "survey": survey}, conflicts="source_order")
    nps = next(c for c in first["accounts"][0]["score"]["criteria"] if c["id"] == "promoter")
    assert nps["value"] == 6.0 and nps["provenance"]["seen"]["source"] == "crm"
    # Flagged accounts: no score, the error envelope.
    out = advocacy.Model.default().score_sources({"crm": [{"id": "a", "nps": 11}, {"id": "b", "nps": 9}]},
                                                 on_error="flag")
    a, b = out["accounts"]
    assert a["score"] is None and a["error"]["code"] == "out_of_range" and a["error"]["signal"] == "nps"
    assert b["error"] is None and b["score"]["total"] == 10.0
    with pytest.raises(advocacy.SignalError) as info:
        advocacy.Model.default().score_sources({"crm": [{"id": "a", "nps": 11}]})
    assert (info.value.code, info.value.id, info.value.signal) == ("out_of_range", "a", "nps")
    assert advocacy.Model.default().score_sources([]) == {"accounts": [], "warnings": []}


def test_source_mappings_and_files(tmp_path: Any) -> None:
    mapping = tmp_path / "hub.columns.toml"
    mapping.write_text('id = "Record ID"\ndecimal_comma = true\n[columns]\n"Customer Health" = "health_score"\n',
                       encoding="utf-8")
    rows = [{"Record ID": "h1", "Customer Health": "85,5"}]
    out = advocacy.Model.default().score_sources(
        [{"name": "hub", "data": rows, "columns": {"id": "Record ID", "decimal_comma": True,
                                                   "columns": {"Customer Health": "health_score"}}}])
    healthy = next(c for c in out["accounts"][0]["score"]["criteria"] if c["id"] == "healthy")
    assert healthy["value"] == 85.5
    from_file = advocacy.Model.default().score_sources([{"name": "hub", "data": rows, "columns": mapping}])
    assert from_file == out
    with pytest.raises(advocacy.ModelError) as info:
        advocacy.Model.default().score_sources([{"name": "hub", "data": rows, "columns": {"columns": {"Customer Health": "nope"}}}])
    assert info.value.path.startswith("sources.hub.columns"), info.value.path


def test_source_errors_name_the_source_and_row() -> None:
    m = advocacy.Model.default()
    with pytest.raises(advocacy.SignalError) as info:
        m.score_sources({"crm": [{"id": "a", "nps": 9}], "survey": pd.DataFrame({"id": ["a", None], "nps": [9, 8]})})
    e = info.value
    assert (e.code, e.path, e.row) == ("missing_id", "sources.survey", 1), e
    with pytest.raises(advocacy.ModelError) as dup:
        m.score_sources([{"name": "crm", "data": [{"id": "a", "nps": 9}]}, {"name": "crm", "data": [{"id": "a"}]}])
    assert (dup.value.code, dup.value.path) == ("duplicate", "sources.crm.name")
    # Bytes that are not UTF-8: the source's error in a column it reads, nothing in one it ignores.
    with pytest.raises(advocacy.SignalError) as raw:
        m.score_sources({"crm": pd.DataFrame({"id": ["a", "b"], "nps": pd.array([9, b"\xff"], dtype=object)})})
    assert (raw.value.path, raw.value.row, raw.value.signal, raw.value.id) == ("sources.crm", 1, "nps", "b")
    ok = m.score_sources({"crm": [{"id": "a", "nps": 9, "Notes": b"\xff"}]})
    assert ok["warnings"][0]["code"] == "unmapped_column"
