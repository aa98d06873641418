"""Issue 9 (hardening): argument types and values, pickling, bytes cells, one id text."""

from __future__ import annotations

import datetime as dt
import inspect
import math
import pickle
from typing import Any, Callable

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import advocacy
from advocacy import program

M = advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
DF = pd.DataFrame({"id": ["a", "b"], "nps": [9, 3]})

# pyo3's own extraction messages: never shown to a user of the library.
PYO3_WORDING = ("Can't extract", "cannot be converted", "is not an instance of", "cannot be interpreted",
                "failed to extract", "argument '")

# (what is called, the call, the argument its message must name)
WRONG_TYPES: list[tuple[str, Callable[[], Any], str]] = [
    ("Model.from_json", lambda: advocacy.Model.from_json(b"{}"), "text"),
    ("Model.from_json", lambda: advocacy.Model.from_json(3), "text"),
    ("Model.from_toml", lambda: advocacy.Model.from_toml(None), "text"),
    ("Model.from_dict", lambda: advocacy.Model.from_dict([("categories", [])]), "data"),
    ("Model.from_dict", lambda: advocacy.Model.from_dict("{}"), "data"),
    ("Model.from_file", lambda: advocacy.Model.from_file(3), "path"),
    ("Model.from_file", lambda: advocacy.Model.from_file(b"model.json"), "path"),
    ("Model.from_file", lambda: advocacy.Model.from_file("model.json", format=1), "format"),
    ("Model.with_targets", lambda: M.with_targets(industries=3), "industries"),
    ("Model.with_targets", lambda: M.with_targets(segments=["smb", 1]), "segments[1]"),
    ("Model.with_targets", lambda: M.with_targets(regions=b"emea"), "regions"),
    ("Model.with_missing", lambda: M.with_missing(None), "policy"),
    ("Model.with_missing", lambda: M.with_missing(["zero"]), "policy"),
    ("Model.with_points", lambda: M.with_points(1, 3), "criterion_id"),
    ("Model.with_points", lambda: M.with_points("promoter", "3"), "points"),
    ("Model.with_points", lambda: M.with_points("promoter", True), "points"),
    ("Model.with_points", lambda: M.with_points("promoter", None), "points"),
    ("Model.with_tiers", lambda: M.with_tiers(platinum="90"), "platinum"),
    ("Model.with_tiers", lambda: M.with_tiers(gold=[60]), "gold"),
    ("Model.with_tiers", lambda: M.with_tiers(silver=b"40"), "silver"),
    ("Model.score", lambda: M.score([("nps", 9)]), "record"),
    ("Model.score", lambda: M.score("nps"), "record"),
    ("Model.score", lambda: M.score(None), "record"),
    ("Model.score", lambda: M.score({"nps": 9}, as_of=20260101), "as_of"),
    ("Model.score", lambda: M.score({"nps": 9}, as_of=b"2026-01-01"), "as_of"),
    ("Model.score_frame", lambda: M.score_frame([{"nps": 9}]), "table"),
    ("Model.score_frame", lambda: M.score_frame(pd.Series([1])), "table"),
    ("Model.score_frame", lambda: M.score_frame(DF, on_error=True), "on_error"),
    ("Model.score_frame", lambda: M.score_frame(DF, id_column=1), "id_column"),
    ("Model.score_frame", lambda: M.score_frame(DF, columns=3), "columns"),
    ("Model.score_frame", lambda: M.score_frame(DF, columns=["nps"]), "columns"),
    ("Model.score_frame", lambda: M.score_frame(DF, columns={"columns": {"nps": object()}}), None),
    ("Model.score_frame", lambda: M.score_frame(DF, keep=1), "keep"),
    ("Model.score_frame", lambda: M.score_frame(DF, keep=["id", 1]), "keep[1]"),
    ("Model.rank", lambda: M.rank(None), "table"),
    ("Model.rank", lambda: M.rank(DF, top="3"), "top"),
    ("Model.rank", lambda: M.rank(DF, top=2.0), "top"),
    ("Model.rank", lambda: M.rank(DF, top=True), "top"),
    ("Model.rank", lambda: M.rank(DF, on_error=1), "on_error"),
    ("Model.rank", lambda: M.rank(DF, id_column=["id"]), "id_column"),
    ("Model.rank", lambda: M.rank(DF, columns=1.5), "columns"),
    ("Model.rank", lambda: M.rank(DF, keep=b"id"), "keep"),
    ("Model.explain_frame", lambda: M.explain_frame({"nps": [9]}), "table"),
    ("Model.explain_frame", lambda: M.explain_frame(DF, as_of=3.5), "as_of"),
    ("Model.explain_frame", lambda: M.explain_frame(DF, on_error=0), "on_error"),
    ("Model.explain_frame", lambda: M.explain_frame(DF, id_column=0), "id_column"),
    ("Model.explain_frame", lambda: M.explain_frame(DF, columns=0), "columns"),
    ("Model.score_frame", lambda: M.score_frame(DF, as_of=20260101), "as_of"),
    ("Model.rank", lambda: M.rank(DF, as_of=[2026]), "as_of"),
    ("Model.with_max_ages", lambda: M.with_max_ages(180), "max_age_days"),
    ("Model.with_max_ages", lambda: M.with_max_ages([("nps", 180)]), "max_age_days"),
    ("Model.score_sources", lambda: M.score_sources("crm.csv"), "sources"),
    ("Model.score_sources", lambda: M.score_sources(None), "sources"),
    ("Model.score_sources", lambda: M.score_sources([3]), "sources[0]"),
    ("Model.score_sources", lambda: M.score_sources({1: []}), "sources key"),
    ("Model.score_sources", lambda: M.score_sources([{"name": 1, "data": []}]), 'sources[0]["name"]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": 3}]), 'sources[0]["data"]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": pd.Series([1])}]), 'sources[0]["data"]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": [3]}]), 'sources[0]["data"][0]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": [{"id": "a"}, ["b"]]}]),
     'sources[0]["data"][1]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": {"rows": [{"id": "a"}], "x": 1}}]),
     'sources[0]["data"]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": {"headers": ["id", 2], "rows": []}}]),
     'sources[0]["data"]["headers"][1]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": {"headers": ["id"], "rows": [3]}}]),
     'sources[0]["data"]["rows"][0]'),
    ("Model.score_sources", lambda: M.score_sources({"crm": "crm.csv"}), 'sources["crm"]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": [], "columns": 3}]),
     'sources[0]["columns"]'),
    ("Model.score_sources", lambda: M.score_sources([{"name": "crm", "data": [], "date": 20260101}]),
     'sources[0]["date"]'),
    ("Model.score_sources", lambda: M.score_sources([], conflicts=1), "conflicts"),
    ("Model.score_sources", lambda: M.score_sources([], as_of=1.5), "as_of"),
    ("Model.score_sources", lambda: M.score_sources([], on_error=True), "on_error"),
    ("Model.read_columns", lambda: M.read_columns("nps"), "headers"),
    ("Model.read_columns", lambda: M.read_columns(3), "headers"),
    ("Model.read_columns", lambda: M.read_columns(["nps", 2]), "headers[1]"),
    ("Model.read_columns", lambda: M.read_columns(["nps"], columns=1), "columns"),
    ("Score._from_json", lambda: advocacy.Score._from_json(3), "text"),
    ("Model.calibrate", lambda: M.calibrate(3, []), "history"),
    ("Model.calibrate", lambda: M.calibrate([], "ledger.csv"), "ledger"),
    ("Model.calibrate", lambda: M.calibrate(examples={"id": "a"}), "examples"),
    ("Model.calibrate", lambda: M.calibrate(examples=[], accounts=1.5), "accounts"),
    ("Model.calibrate", lambda: M.calibrate(examples=[], outcome=1), "outcome"),
    ("Model.calibrate", lambda: M.calibrate(examples=[], folds="5"), "folds"),
    ("Model.calibrate", lambda: M.calibrate(examples=[], folds=True), "folds"),
    ("Model.calibrate", lambda: M.calibrate(examples=[], thresholds=1), "thresholds"),
    ("Model.default", lambda: advocacy.Model.default(lang=1), "lang"),
    ("Model.localized", lambda: M.localized(None), "lang"),
    ("Model.localized", lambda: M.localized(["de"]), "lang"),
    ("Score.explain", lambda: M.score({"nps": 9}).explain(lang=b"de"), "lang"),
    ("Score.explain", lambda: M.score({"nps": 9}).explain(name=3), "name"),
    *[(f"program.{f.__name__}", (lambda f=f: f([("accounts", [])])), "input") for f in (
        program.segments, program.overrides, program.eligibility, program.fatigue, program.match_request,
        program.review, program.metrics, program.draft, program.requests)],
    # history also takes its rows as a list (`[("accounts", [])]` is a list of bad rows, a ProgramError).
    ("program.history", lambda: program.history(3), "input"),
    ("program.history", lambda: program.history(("a", 1)), "input"),
]

# Callables that take no argument (nothing to get wrong but the count, which Python words).
NO_ARGUMENTS = {"Model.default", "Model.json_schema", "Model.to_json", "Model.to_toml", "Model.to_dict",
                "Model.warnings", "Score.to_dict", "Score.to_json", "program.json_schemas"}


def public_callables() -> set[str]:
    names = set()
    for cls in (advocacy.Model, advocacy.Score):
        for n, v in inspect.getmembers(cls):
            if not n.startswith("_") and callable(v) and not isinstance(v, type):
                names.add(f"{cls.__name__}.{n}")
    names |= {f"program.{n}" for n in program.__all__ if callable(getattr(program, n)) and n != "ProgramError"}
    return names


def test_the_table_covers_every_public_callable() -> None:
    covered = {name for name, _, _ in WRONG_TYPES} | NO_ARGUMENTS
    missing = public_callables() - covered
    assert not missing, f"wrong-type cases missing for {sorted(missing)}"


@pytest.mark.parametrize("name,call,argument", WRONG_TYPES, ids=[f"{n}:{a}" for n, _, a in WRONG_TYPES])
def test_wrong_types_are_type_errors_naming_the_argument(name: str, call: Callable[[], Any], argument: str | None) -> None:
    if argument is None:
        # A value inside a mapping document that has no JSON form: the document's error.
        with pytest.raises(advocacy.ModelError) as info:
            call()
        assert info.value.code == "parse" and info.value.path == "columns.nps", info.value
        return
    with pytest.raises(TypeError) as info:
        call()
    msg = str(info.value)
    assert not isinstance(info.value, advocacy.AdvocacyError)
    assert msg.startswith(f"argument `{argument}`: value of type "), msg
    assert "allowed: " in msg, msg
    assert not any(w in msg for w in PYO3_WORDING), msg


# (the call, the error class, its code, its path)
WRONG_VALUES: list[tuple[Callable[[], Any], type, str, str | None]] = [
    (lambda: M.score_frame(DF, on_error="ignore"), advocacy.UsageError, "invalid_argument", "on_error"),
    (lambda: M.rank(DF, top=-1), advocacy.UsageError, "invalid_argument", "top"),
    (lambda: M.rank(DF, top=-(10 ** 30)), advocacy.UsageError, "invalid_argument", "top"),
    (lambda: M.score_frame(DF, keep=["nope"]), advocacy.UsageError, "unknown_column", "keep"),
    (lambda: M.score_frame(DF, id_column="nope"), advocacy.UsageError, "unknown_column", "id_column"),
    (lambda: advocacy.Model.from_file("m.yaml", format="yaml"), advocacy.UsageError, "invalid_argument", "format"),
    (lambda: M.with_missing("sometimes"), advocacy.ModelError, "invalid_value", "missing"),
    (lambda: M.with_points("nope", 1), advocacy.ModelError, "unknown_criterion", "criterion"),
    (lambda: M.score_frame(DF, columns={"nope": 1}), advocacy.ModelError, "parse", "nope"),
    (lambda: M.score_frame(DF, columns={"columns": {"nps": "bogus"}}), advocacy.ModelError, "unknown_signal",
     "columns.nps"),
    (lambda: M.score_frame(DF, columns="/nonexistent/columns.toml"), advocacy.ModelError, "parse", ""),
    (lambda: M.score({"nps": 9}, as_of="yesterday"), advocacy.AdvocacyError, "invalid_date", None),
    (lambda: M.explain_frame(DF, as_of="2026-02-30"), advocacy.AdvocacyError, "invalid_date", None),
    (lambda: M.score({"nps": 9}, as_of=pd.NaT), advocacy.AdvocacyError, "invalid_date", None),
    (lambda: M.score({"id": "a", "nps": "nine"}), advocacy.SignalError, "wrong_type", None),
    (lambda: advocacy.Score._from_json("{}"), advocacy.UsageError, "invalid_argument", "text"),
    (lambda: advocacy.Model.default(lang="pt"), advocacy.UsageError, "invalid_argument", "lang"),
    (lambda: M.localized("xx"), advocacy.UsageError, "invalid_argument", "lang"),
    (lambda: M.score_frame(DF, as_of="soon"), advocacy.AdvocacyError, "invalid_date", None),
    (lambda: M.with_max_ages({"nsp": 180}), advocacy.ModelError, "unknown_signal", "max_age_days.nsp"),
    (lambda: M.with_max_ages({"nps": 0}), advocacy.ModelError, "invalid_value", "max_age_days.nps"),
    (lambda: M.with_max_ages({"nps": -1}), advocacy.ModelError, "parse", "max_age_days.nps"),
    (lambda: M.score_sources([], conflicts="newest"), advocacy.UsageError, "invalid_argument", "conflicts"),
    (lambda: M.score_sources([], on_error="skip"), advocacy.UsageError, "invalid_argument", "on_error"),
    (lambda: M.score_sources([{"name": "crm", "data": [], "when": "x"}]), advocacy.UsageError, "invalid_argument",
     "sources[0]"),
    (lambda: M.score_sources([{"data": []}]), advocacy.UsageError, "invalid_argument", "sources[0]"),
    (lambda: M.score_sources([{"name": "crm", "data": [{"id": "a", "nps": 9}], "date": "2026-13-01"}]),
     advocacy.AdvocacyError, "invalid_date", "sources.crm.date"),
    (lambda: M.score_sources([{"name": "crm", "data": [{"id": "a", "nps": 9}], "columns": {"nope": 1}}]),
     advocacy.ModelError, "parse", "sources.crm.columns.nope"),
    (lambda: M.score_sources([{"name": "crm", "data": [{"id": "a", "nps": 9}], "columns": "/nonexistent.toml"}]),
     advocacy.ModelError, "parse", "sources.crm.columns"),
    (lambda: M.score_sources({"crm": [{"id": "a", "Score": 9}]}), advocacy.ModelError, "invalid_value",
     "sources.crm.columns"),
    (lambda: M.score_sources({"crm": [{"id": "a", "nps": 9}], "survey": [{"id": "a", "nps": 9, "observed": "x"}]}),
     advocacy.SignalError, "wrong_type", "sources.survey"),
    (lambda: M.score_sources({"crm": [{"id": "a", "nps": "nine"}]}), advocacy.SignalError, "wrong_type", None),
    (lambda: M.score_sources({"crm": [{"id": "a", "nps": b"\xff"}]}), advocacy.SignalError, "wrong_type",
     "sources.crm"),
]


@pytest.mark.parametrize("call,cls,code,path", WRONG_VALUES)
def test_wrong_values_are_value_errors(call: Callable[[], Any], cls: type, code: str, path: str | None) -> None:
    with pytest.raises(cls) as info:
        call()
    e = info.value
    assert isinstance(e, ValueError) and (e.code, e.path) == (code, path), (e.code, e.path, str(e))
    assert str(e) == e.message and not any(w in str(e) for w in PYO3_WORDING)
    if code == "invalid_date":
        assert type(e) is advocacy.AdvocacyError and e.kind == "date"


def test_dates_of_every_kind() -> None:
    for as_of in ("2026-01-31", dt.date(2026, 1, 31), dt.datetime(2026, 1, 31, 10), pd.Timestamp("2026-01-31"),
                  np.datetime64("2026-01-31"), np.datetime64("2026-01-31T10:30")):
        assert M.score({"nps": 2}, as_of=as_of).revisit == "2026-07-31", as_of


# ------------------------------------------------------------------------------------------------
# Pickling


def test_scores_pickle() -> None:
    model = M.with_missing("rescale").with_points("promoter", 12)
    scores = [
        model.score({"id": "acme", "nps": 10, "health_score": 91.5, "roi_achieved": True, "industry": "Software"}),
        model.score({"nps": 2}, as_of="2026-01-31"),
        model.score({"id": "x", "nps": 10, "opted_out": True}),
        model.score({}),
    ]
    for s in scores:
        for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(s, protocol=proto))
            assert type(again) is advocacy.Score and again == s
            assert again.to_dict() == s.to_dict() and repr(again) == repr(s)
    assert pickle.loads(pickle.dumps(scores)) == scores


def test_models_and_errors_pickle() -> None:
    m = M.with_points("promoter", 12).with_tiers(platinum=85)
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(advocacy.SignalError) as info:
        m.score({"id": "z", "nps": 11})
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is advocacy.SignalError and (again.code, again.id, str(again)) == (
        "out_of_range", "z", str(info.value))


# ------------------------------------------------------------------------------------------------
# Bytes cells: text in UTF-8, never their hex form


TEXT_ROWS = {"id": ["a", "b", "c"], "industry": ["software", None, "retail"], "segment": ["enterprise", "smb", None],
             "nps": [9, 10, None]}


def _bytes(values: list[Any]) -> list[Any]:
    return [None if v is None else v.encode() for v in values]


def test_binary_columns_read_as_text() -> None:
    want = M.score_frame(pd.DataFrame(TEXT_ROWS))["score"].tolist()
    assert want == [25.0, 10.0, 0.0]
    for typ in (pa.binary(), pa.large_binary(), pa.binary_view()):
        t = pa.table({"id": pa.array(_bytes(TEXT_ROWS["id"]), typ),
                      "industry": pa.array(_bytes(TEXT_ROWS["industry"]), typ),
                      "segment": pa.array(_bytes(TEXT_ROWS["segment"]), typ), "nps": TEXT_ROWS["nps"]})
        out = M.score_frame(t)
        assert out.column("score").to_pylist() == want, typ
        # Numbers written as bytes read like numbers written as text.
        t2 = t.set_column(3, "nps", pa.array([b"9", b"10", None], typ))
        assert M.score_frame(t2).column("score").to_pylist() == want, typ
    fixed = pa.table({"industry": pa.array([b"software", b"software"], pa.binary(8)), "nps": [1, 2]})
    assert M.score_frame(fixed).column("score").to_pylist() == [10.0, 10.0]
    # pandas: bytes objects (all bytes, or mixed with str), and polars Binary.
    assert M.score_frame(pd.DataFrame({k: _bytes(v) if k != "nps" else v for k, v in TEXT_ROWS.items()}))[
        "score"].tolist() == want
    mixed = pd.DataFrame({**TEXT_ROWS, "industry": [b"software", None, "retail"]})
    assert M.score_frame(mixed)["score"].tolist() == want
    polars = pl.DataFrame({"id": _bytes(TEXT_ROWS["id"]), "industry": _bytes(TEXT_ROWS["industry"]),
                           "segment": _bytes(TEXT_ROWS["segment"]), "nps": TEXT_ROWS["nps"]})
    assert polars.schema["industry"] == pl.Binary
    assert M.score_frame(polars)["score"].to_list() == want
    # Records too.
    assert M.score({"industry": b"software", "segment": bytearray(b"enterprise"), "nps": b"9"}).total == 25
    # Ids given as bytes are their text.
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(pa.table({"id": pa.array([b"ok", b"acme"]), "nps": [1, 11]}))
    assert info.value.id == "acme"


def test_bytes_that_are_not_utf8_are_refused() -> None:
    bad = b"caf\xe9"
    t = pa.table({"Account ID": ["a", "b", "c"], "Segment": pa.array([b"smb", bad, None]), "nps": [9, 9, 9],
                  "Notes": pa.array([bad, bad, bad])})
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(t)
    e = info.value
    assert (e.code, e.row, e.id, e.signal) == ("wrong_type", 1, "b", "segment")
    assert e.value == 'b"caf\\xe9" (column "Segment", not UTF-8)' and e.allowed == "text in UTF-8"
    assert str(e) == 'row 1 (id "b"): signal `segment`: value b"caf\\xe9" (column "Segment", not UTF-8) has the ' \
                     "wrong type; allowed: text in UTF-8"
    # Flagged, the other rows scored; a column that is not read (Notes) is never looked at.
    out = M.score_frame(t, on_error="flag")
    assert out.column("score").to_pylist() == [10.0, None, 10.0]
    assert out.column("error").to_pylist()[1] == str(e)
    ex = M.explain_frame(t, on_error="flag").to_pandas()
    assert ex[ex["row"] == 1]["error"].eq(str(e)).all() and ex[ex["row"] != 1]["error"].isna().all()
    with pytest.raises(advocacy.SignalError) as again:
        M.explain_frame(t)
    assert str(again.value) == str(e)
    # In the id column, in pandas object columns (mixed with text), and in records.
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(pd.DataFrame({"id": ["a", bad], "nps": [1, 2]}))
    assert (info.value.row, info.value.signal, info.value.code) == (1, "id", "wrong_type")
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(pd.DataFrame({"id": ["a", "b"], "industry": ["software", bad]}))
    assert (info.value.row, info.value.signal) == (1, "industry")
    with pytest.raises(advocacy.SignalError) as info:
        M.score({"id": "z", "industry": bad, "nps": 11})
    assert (info.value.signal, info.value.code, info.value.id) == ("industry", "wrong_type", "z")
    assert M.score({"id": "z", "favourite_colour": bad, "nps": 9}).total == 10
    with pytest.raises(advocacy.SignalError) as info:
        M.score({"id": bad, "nps": 9})
    assert info.value.signal == "id"


# ------------------------------------------------------------------------------------------------
# Ids: one canonical text everywhere (the core's Value::to_id)


def test_ids_have_one_text() -> None:
    for raw, text in ((7, "7"), (7.0, "7"), (np.int64(7), "7"), (np.float32(7), "7"), (True, "true"),
                      (" ACC-1 ", "ACC-1"), ("", None), ("   ", None), (None, None), (float("nan"), None),
                      (b"acme", "acme"), (1.5, "1.5")):
        assert M.score({"id": raw}).id == text, raw
        if text is None:
            continue
        with pytest.raises(advocacy.SignalError) as info:
            M.score({"id": raw, "nps": 11})
        assert info.value.id == text and f'account "{text}"' in str(info.value)
    # The same ids in tables of every kind: int and float columns both give "7".
    for ids in ([7, 8], [7.0, 8.0], ["7", "8"]):
        for table in (pd.DataFrame({"id": ids, "nps": [11, 1]}), pl.DataFrame({"id": ids, "nps": [11, 1]}),
                      pa.table({"id": ids, "nps": [11, 1]})):
            with pytest.raises(advocacy.SignalError) as info:
                M.score_frame(table)
            assert info.value.id == "7" and str(info.value).startswith('row 0 (id "7"): '), (ids, type(table))
    # 7 and 7.0 are the same id.
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(pd.DataFrame({"id": pd.array([7, 7.0], dtype=object), "nps": [1, 2]}))
    assert info.value.code == "duplicate_id" and info.value.id == "7"


def test_ids_in_messages_are_short_and_printable() -> None:
    long_id = "x" * 500 + "\x1b[31m"
    with pytest.raises(advocacy.SignalError) as info:
        M.score({"id": long_id, "nps": 11})
    msg = str(info.value)
    assert len(msg) < 250 and "x" * 80 + "..." in msg and "\x1b" not in msg
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(pd.DataFrame({"id": ["\x1b[2J" + "y" * 300], "nps": [11]}))
    msg = str(info.value)
    assert len(msg) < 250 and "\x1b" not in msg and "\\u{1b}" in msg
    with pytest.raises(advocacy.SignalError) as info:
        M.score_frame(pd.DataFrame({"id": ["z" * 300, "z" * 300], "nps": [1, 2]}))
    assert info.value.code == "duplicate_id" and len(str(info.value)) < 400


def test_missing_values_in_every_form() -> None:
    for missing in (None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")):
        assert M.score({"nps": missing, "industry": missing}).missing[0] == "nps"
    out = M.score_frame(pd.DataFrame({"nps": pd.array([9, None], dtype="Int64"), "industry": [None, math.nan]}))
    assert out["score"].tolist() == [10.0, 0.0]
