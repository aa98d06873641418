"""Models, single scores, notebook views, and bad input of every kind."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import advocacy

# Bad input raises an AdvocacyError (SignalError, ModelError, UsageError, ...) or, for a wrong
# Python type, a TypeError; nothing else.
ALLOWED = (advocacy.AdvocacyError, TypeError)


def test_model_round_trips(tmp_path) -> None:
    m = advocacy.Model.default()
    assert advocacy.Model.from_json(m.to_json()) == m
    assert advocacy.Model.from_toml(m.to_toml()) == m
    assert advocacy.Model.from_dict(m.to_dict()) == m
    (tmp_path / "m.json").write_text(m.to_json())
    (tmp_path / "m.toml").write_text(m.to_toml())
    assert advocacy.Model.from_file(tmp_path / "m.json") == m
    assert advocacy.Model.from_file(str(tmp_path / "m.toml")) == m
    assert advocacy.Model.from_file(tmp_path / "m.json", format="json") == m
    assert m.max_points == 100 and m.missing == "zero" and len(m.categories) == 4
    assert m.targets == {"industries": [], "segments": [], "regions": []}
    assert m.tiers == {"platinum": 80.0, "gold": 60.0, "silver": 40.0}
    assert any(s["name"] == "nps" for s in m.signals)
    assert len(advocacy.standard_signals()) >= 40
    assert json.loads(advocacy.Model.json_schema())["title"]
    assert [w["code"] for w in m.warnings()] == ["no_targets", "no_targets"]


def test_models_pickle() -> None:
    import pickle

    m = advocacy.Model.default().with_targets(industries=["software"]).with_points("promoter", 12)
    assert pickle.loads(pickle.dumps(m)) == m


def test_with_methods_return_new_models() -> None:
    m = advocacy.Model.default()
    t = m.with_targets(industries=["software"], segments="enterprise", regions=("emea",))
    assert t.targets == {"industries": ["software"], "segments": ["enterprise"], "regions": ["emea"]}
    assert m.targets["industries"] == [] and t != m
    assert m.with_missing("rescale").missing == "rescale"
    p = m.with_points("promoter", 25)
    assert p.max_points == 115 and m.max_points == 100
    assert m.with_tiers(platinum=90).tiers["platinum"] == 90
    rec = {"nps": 9}
    assert p.score(rec).total == 25 and m.score(rec).total == 10


def test_model_errors() -> None:
    m = advocacy.Model.default()
    with pytest.raises(advocacy.ModelError) as e:
        m.with_missing("sometimes")
    assert (e.value.path, e.value.code, e.value.allowed) == ("missing", "invalid_value", "zero, rescale")
    assert e.value.value == '"sometimes"' and e.value.kind == "model"
    with pytest.raises(advocacy.ModelError) as e:
        m.with_points("nope", 3)
    assert (e.value.code, e.value.path, e.value.value) == ("unknown_criterion", "criterion", '"nope"')
    assert "promoter" in e.value.allowed
    with pytest.raises(advocacy.ModelError) as e:
        m.with_points("promoter", -1)
    assert e.value.path.endswith(".points") and e.value.value == "-1"
    with pytest.raises(advocacy.ModelError) as e:
        m.with_points("promoter", float("nan"))
    with pytest.raises(advocacy.ModelError) as e:
        m.with_targets(segments=["giant"])
    assert e.value.path == "targets.segments[0]"
    with pytest.raises(advocacy.ModelError):
        m.with_tiers(platinum=10, gold=50)
    with pytest.raises(advocacy.ModelError) as e:
        advocacy.Model.from_json("{not json")
    assert e.value.code == "parse" and isinstance(e.value, ValueError)
    with pytest.raises(advocacy.ModelError):
        advocacy.Model.from_toml("categories = 3")
    with pytest.raises(advocacy.ModelError) as e:
        advocacy.Model.from_file("/nonexistent/model.json")
    assert e.value.value == "/nonexistent/model.json"
    with pytest.raises(advocacy.UsageError) as e:
        advocacy.Model.from_file("m.yaml", format="yaml")  # type: ignore[arg-type]
    assert (e.value.kind, e.value.code, e.value.path) == ("usage", "invalid_argument", "format")
    with pytest.raises(advocacy.ModelError):
        advocacy.Model.from_dict({"categories": float("nan")})
    with pytest.raises(TypeError):
        m.with_targets(industries=[1, 2])
    with pytest.raises(TypeError):
        advocacy.Model.from_json(b"{}")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        advocacy.Model.from_file(3)  # type: ignore[arg-type]


def test_score_attributes_and_views() -> None:
    m = advocacy.Model.default().with_targets(industries=["software"])
    s = m.score({"id": "acme", "nps": 10, "health_score": 91.5, "roi_achieved": True, "csm_rapport": 5,
                 "engaged_contacts": 4, "meeting_engagement": 4, "past_advocacy": 2, "proactive_feedback": 1,
                 "industry": "Software"})
    assert (s.id, s.total, s.max, s.tier, s.score_tier) == ("acme", 85.0, 100.0, "platinum", "platinum")
    d = s.to_dict()
    assert set(d) == {"id", "total", "max", "tier", "score_tier", "gate", "categories", "criteria", "missing",
                      "completeness", "bounds", "next_tier", "outreach", "revisit", "warnings"}
    for k, v in d.items():
        assert getattr(s, k) == v, k
    assert json.loads(s.to_json()) == d
    assert "platinum" in s._repr_html_() and "<table" in s._repr_html_()
    assert "promoter" in m._repr_html_() and "software" in m._repr_html_()
    assert repr(s).startswith("Score(") and repr(m).startswith("Model(")
    low = m.score({"nps": 2}, as_of="2026-01-31")
    assert low.revisit == "2026-07-31" and low.tier == "not_yet_qualified"
    assert m.score({"nps": 2}, as_of=dt.date(2026, 1, 31)).revisit == "2026-07-31"
    assert m.score({"nps": 2}, as_of=dt.datetime(2026, 1, 31, 10)).revisit == "2026-07-31"
    assert m.score({"nps": 2}, as_of=pd.Timestamp("2026-01-31")).revisit == "2026-07-31"
    gated = m.score({"nps": 10, "opted_out": True})
    assert gated.tier == "not_advocate_material" and gated.gate["id"] == "opted_out"
    assert s == m.score({"id": "acme", "nps": 10, "health_score": 91.5, "roi_achieved": True, "csm_rapport": 5,
                         "engaged_contacts": 4, "meeting_engagement": 4, "past_advocacy": 2,
                         "proactive_feedback": 1, "industry": "Software"})


def test_python_value_kinds() -> None:
    m = advocacy.Model.default()
    same = [
        {"nps": 9}, {"nps": 9.0}, {"nps": np.int64(9)}, {"nps": np.float32(9)}, {"nps": np.uint8(9)},
        {"nps": Decimal("9")}, {"nps": Fraction(9, 1)},
    ]
    for r in same:
        assert m.score(r).total == 10, r
    for r in ({"roi_achieved": True}, {"roi_achieved": np.bool_(True)}, {"roi_achieved": 1}):
        assert m.score(r).total == 10, r
    for missing in (None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")):
        assert m.score({"nps": missing, "industry": missing}).missing[0] == "nps"
    # A pandas row is a record.
    row = pd.DataFrame([{"id": "r", "nps": 10, "health_score": 90.5}]).iloc[0]
    assert m.score(row).total == 20 and m.score(row).id == "r"
    # Ids of every kind.
    assert m.score({"id": 7}).id == "7"
    assert m.score({"id": None}).id is None
    assert m.score({"id": True}).id == "true"
    # Keys that are not text are ignored like unknown names.
    assert m.score({1: 2, ("a",): 3, "nps": 9}).total == 10


@pytest.mark.parametrize("value,code", [
    (11, "out_of_range"), (-1, "out_of_range"), (9.5, "not_integer"), ("nine", "wrong_type"),
    ([9], "wrong_type"), ({"v": 9}, "wrong_type"), (float("inf"), "out_of_range"), (10 ** 400, "out_of_range"),
    (-(10 ** 400), "out_of_range"), (b"\xff9", "wrong_type"), (b"nine", "wrong_type"), (dt.date(2020, 1, 1), "wrong_type"), (object(), "wrong_type"),
    ("x" * 10_000_000, "wrong_type"), (True, "wrong_type"), (1j, "wrong_type"),
])
def test_bad_values_raise_signal_error(value, code) -> None:
    with pytest.raises(advocacy.SignalError) as e:
        advocacy.Model.default().score({"id": "z", "nps": value})
    assert e.value.code == code and e.value.signal == "nps" and e.value.id == "z" and e.value.row is None
    assert len(e.value.value) < 300


def test_recursive_and_odd_records() -> None:
    m = advocacy.Model.default()
    a: list = []
    a.append(a)
    with pytest.raises(advocacy.SignalError) as e:
        m.score({"nps": a})
    assert e.value.code == "wrong_type"
    # Not a mapping at all: a wrong type for `record`.
    for not_a_record in ([1, 2], "nps", 3, None, {1, 2}, (("nps", 9),), b"{}"):
        with pytest.raises(TypeError, match="argument `record`: value of type"):
            m.score(not_a_record)  # type: ignore[arg-type]

    class Broken(dict):
        def items(self):
            raise RuntimeError("boom")

    # dict subclasses are read as dicts.
    assert m.score(Broken(nps=9)).total == 10

    class Weird:
        def __index__(self):
            raise RuntimeError("no")

        def __repr__(self):
            raise RuntimeError("no repr")

    with pytest.raises(advocacy.SignalError):
        m.score({"nps": Weird()})
    # Huge text under a text signal is fine; under a category it is an error with a short value.
    assert m.score({"industry": "x" * 5_000_000}).total == 0
    with pytest.raises(advocacy.SignalError) as e:
        m.score({"segment": "x" * 5_000_000})
    assert len(e.value.value) < 300
    # Lone surrogates do not break text conversion.
    with pytest.raises(advocacy.SignalError):
        m.score({"segment": "\ud800"})
    with pytest.raises(advocacy.AdvocacyError) as e:
        m.score({"nps": 9}, as_of="yesterday")
    assert (e.value.kind, e.value.code, e.value.value) == ("date", "invalid_date", "yesterday")
    with pytest.raises(TypeError):
        m.score({"nps": 9}, as_of=20260101)  # type: ignore[arg-type]


BAD_TABLES = [
    None, 3, "table", [{"nps": 9}], {"nps": [9]}, pa.array([1, 2]), pd.Series([1, 2]), pl.Series([1, 2]),
    object(),
]


@pytest.mark.parametrize("table", BAD_TABLES, ids=[type(t).__name__ for t in BAD_TABLES])
def test_not_a_table_is_type_error(table) -> None:
    m = advocacy.Model.default()
    for call in (m.score_frame, m.explain_frame, m.rank):
        with pytest.raises(TypeError):
            call(table)


def test_bad_tables_only_raise_allowed_errors() -> None:
    m = advocacy.Model.default()
    nested = pd.DataFrame({"id": ["a", "b"], "nps": [[1, 2], {"x": 1}], "segment": [{"a": 1}, None]})
    mixed = pd.DataFrame({"id": ["a", "b", "c"], "nps": [True, "yes", 9], "roi_achieved": [True, "yes", None],
                          "industry": [1, "software", None]})
    huge = pd.DataFrame({"id": ["a"], "industry": ["x" * 10_000_000], "segment": ["y" * 1_000_000]})
    tables = [
        nested, mixed, huge,
        pd.DataFrame(), pd.DataFrame({"nps": []}), pd.DataFrame(index=range(3)),
        pl.DataFrame(), pl.DataFrame({"nps": []}, schema={"nps": pl.Int64}),
        pa.table({}), pa.table({"nps": pa.array([], pa.int64())}),
        pa.table({"nps": pa.array([1, 2], pa.uint64()), "roi_achieved": pa.array(["true", "false"])}),
        pa.table({"nps": pa.array([[1], [2]]), "health_score": pa.array([dt.date(2020, 1, 1), None])}),
        pa.table({"nps": pa.array([b"1", None]), "segment": pa.array([1.5, None])}),
        pa.table({"nps": pa.array([Decimal("9"), Decimal("10.5")]), "roi_achieved": pa.array([2, 0], pa.int8())}),
        pa.table({"nps": pa.array([{"a": 1}, None]), "industry": pa.nulls(2)}),
        pd.DataFrame({"nps": [2 ** 70, 3]}, dtype=object),
        pd.DataFrame({"nps": pd.array([1, None], dtype="Int64"), "segment": pd.Categorical([1, 2])}),
        pd.DataFrame({"health_score": [np.inf, -np.inf, 50.0], "nps": [10.0, 9.0, np.nan]}),
        pd.DataFrame({"nps": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)])),
        pd.DataFrame([[1, 2]], columns=["nps", "nps"]),
        pd.DataFrame([[1, 2]], columns=[0, 1]),
        pd.DataFrame({"nps": pd.to_datetime(["2020-01-01", None])}),
    ]
    for t in tables:
        for kwargs in ({}, {"on_error": "flag"}):
            for call in (m.score_frame, m.explain_frame, m.rank):
                try:
                    call(t, **kwargs)
                except ALLOWED:
                    pass


def test_bad_tables_results() -> None:
    m = advocacy.Model.default()
    out = m.score_frame(pd.DataFrame({"id": ["a", "b", "c"], "nps": [True, "yes", 9]}), on_error="flag")
    assert out["error"].notna().tolist() == [True, True, False]
    assert out["score"].iloc[2] == 10
    # Empty tables give empty results with the same columns.
    for empty in (pd.DataFrame({"id": [], "nps": []}), pl.DataFrame({"id": [], "nps": []}), pa.table({"id": [], "nps": []})):
        out = m.score_frame(empty)
        assert len(out) == 0
        assert "score" in (out.columns if not isinstance(out, pa.Table) else out.column_names)
    # A table in which no column holds a signal the model reads is an error, never a table of zeros.
    for nothing in (pd.DataFrame(index=range(3)), pd.DataFrame({"Kunde": ["a"], "Zufriedenheit": [9]}), pa.table({})):
        with pytest.raises(advocacy.ModelError, match="no column holds a signal the model reads") as info:
            m.score_frame(nothing)
        assert (info.value.code, info.value.path) == ("invalid_value", "columns")
    # uint64 beyond any range is an error, not a wrap-around.
    t = pa.table({"nps": pa.array([2 ** 63 + 1, 5], pa.uint64())})
    out = m.score_frame(t, on_error="flag")
    assert out.column("error").to_pylist()[0] is not None and out.column("score").to_pylist()[1] == 0
    # infinite health is out of range
    out = m.score_frame(pd.DataFrame({"health_score": [np.inf, 85.0]}), on_error="flag")
    assert "out of range" in out["error"].iloc[0] and out["score"].iloc[1] == 10
    # The same header twice: the core's column plan refuses it, naming both columns.
    with pytest.raises(advocacy.ModelError, match=r"duplicate column \(columns 1 and 2\)") as info:
        m.score_frame(pd.DataFrame([[1, 2]], columns=["nps", "nps"]))
    assert (info.value.code, info.value.path) == ("duplicate", "columns[1]")


FIELDS = ("kind", "code", "path", "row", "id", "signal", "value", "allowed", "message")


def test_errors_are_value_errors_with_fields() -> None:
    kinds = {advocacy.SignalError: "record", advocacy.ModelError: "model", advocacy.ProgramError: "program",
             advocacy.UsageError: "usage"}
    assert issubclass(advocacy.AdvocacyError, ValueError)
    for cls, kind in kinds.items():
        assert issubclass(cls, advocacy.AdvocacyError) and cls.__module__ == "advocacy"
        # Raised by hand, an error still has every field.
        e = cls("made in Python")
        assert (e.kind, e.code, e.path, e.row, e.signal, e.value) == (kind, "", None, None, None, None)
    assert advocacy.AdvocacyError("x").kind is None
    assert not math.isnan(advocacy.Model.default().score({}).total)


def test_errors_carry_the_envelope() -> None:
    """Every field of the core's error envelope, as is; the message is the core's whole text."""
    m = advocacy.Model.default()
    with pytest.raises(advocacy.SignalError) as info:
        m.score({"id": "z", "nps": 11})
    e = info.value
    assert {k: getattr(e, k) for k in FIELDS if k != "message"} == {
        "kind": "record", "code": "out_of_range", "path": None, "row": None, "id": "z", "signal": "nps",
        "value": "11", "allowed": "an integer from 0 to 10",
    }
    assert str(e) == e.message and "signal `nps`: value 11 is out of range" in e.message
    with pytest.raises(advocacy.ModelError) as info:
        m.with_tiers(platinum=10, gold=50)
    assert info.value.kind == "model" and info.value.path and str(info.value) == info.value.message
    with pytest.raises(advocacy.UsageError) as info:
        m.score_frame(pd.DataFrame({"nps": [1]}), on_error="ignore")  # type: ignore[arg-type]
    e = info.value
    assert (e.kind, e.code, e.path, e.value, e.allowed) == ("usage", "invalid_argument", "on_error", '"ignore"',
                                                            '"raise", "flag"')
    assert str(e) == e.message == 'argument `on_error`: value "ignore" is not allowed; allowed: "raise", "flag"'
    # Errors pickle with their fields (they travel back from Dask/Spark workers).
    import pickle

    again = pickle.loads(pickle.dumps(e))
    assert type(again) is advocacy.UsageError and {k: getattr(again, k) for k in FIELDS} == {
        k: getattr(e, k) for k in FIELDS}


def test_pandas_columns_that_are_not_text() -> None:
    m = advocacy.Model.default()
    df = pd.DataFrame([[9, "a"], [10, "b"]], columns=[0, 1])
    out = m.score_frame(df, columns={"columns": {"0": "nps"}}, id_column="1", keep=["0"])
    assert list(out.columns[:2]) == ["1", "0"] and out["score"].tolist() == [10.0, 10.0]
    assert list(out["1"]) == ["a", "b"]
