"""Tables in and out: pandas, polars and pyarrow round trips, dtypes, rank and explain."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import advocacy

MODEL = advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
RESULT_COLUMNS = ["score", "tier", "satisfaction", "relationship", "willingness", "company_fit",
                  "completeness", "max_possible", "error"]

RECORDS = [
    {"id": "a", "nps": 10, "health_score": 91.5, "roi_achieved": True, "csm_rapport": 5, "engaged_contacts": 4,
     "meeting_engagement": 4, "past_advocacy": 2, "proactive_feedback": 1, "industry": "Software",
     "segment": "enterprise", "brand_strength": 5, "communication_comfort": 4},
    {"id": "b", "nps": 3, "health_score": None, "roi_achieved": False, "industry": "retail", "segment": "smb"},
    {"id": "c", "nps": None, "health_score": 85.0, "roi_achieved": None, "csm_rapport": 4, "segment": None},
    {"id": "d", "nps": 9, "health_score": 95.0, "roi_achieved": True, "policy": "prohibited", "past_advocacy": 3},
]


def arrow_table(records: list[dict]) -> "pa.Table":
    """Columns from every record's keys (pa.Table.from_pylist only looks at the first record's keys)."""
    names = list(dict.fromkeys(k for r in records for k in r))
    return pa.table({k: [r.get(k) for r in records] for k in names})


def expected() -> list[advocacy.Score]:
    return [MODEL.score(r) for r in RECORDS]


def pandas_frame() -> "pd.DataFrame":
    df = pd.DataFrame(RECORDS)
    df["nps"] = df["nps"].astype("Int64")  # nullable integers
    df["segment"] = df["segment"].astype("category")
    df["industry"] = df["industry"].astype("string")
    return df


def check_rows(rows: list[dict], scores: list[advocacy.Score]) -> None:
    assert len(rows) == len(scores)
    for row, s in zip(rows, scores):
        assert row["id"] == s.id
        assert row["score"] == s.total
        assert row["tier"] == s.tier
        assert row["completeness"] == s.completeness
        assert row["max_possible"] == s.bounds["max"]
        for c in s.categories:
            assert row[c["id"]] == c["points"]
        assert row["error"] is None or (isinstance(row["error"], float) and math.isnan(row["error"]))


def test_pandas_round_trip() -> None:
    df = pandas_frame()
    df.index = ["w", "x", "y", "z"]
    out = MODEL.score_frame(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["id"] + RESULT_COLUMNS
    assert list(out.index) == ["w", "x", "y", "z"]
    check_rows(out.to_dict("records"), expected())
    assert out["tier"].tolist() == ["platinum", "not_yet_qualified", "not_yet_qualified", "not_advocate_material"]


def test_polars_round_trip_and_lazy() -> None:
    df = pl.DataFrame(RECORDS)
    out = MODEL.score_frame(df)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == ["id"] + RESULT_COLUMNS
    check_rows(out.to_dicts(), expected())
    lazy = MODEL.score_frame(df.lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(out)
    # Categorical and Enum columns arrive as Arrow dictionaries.
    cat = df.with_columns(pl.col("segment").cast(pl.Categorical), pl.col("industry").cast(pl.Categorical))
    check_rows(MODEL.score_frame(cat).to_dicts(), expected())


def test_pyarrow_table_and_batch() -> None:
    t = arrow_table(RECORDS)
    out = MODEL.score_frame(t)
    assert isinstance(out, pa.Table)
    assert out.column_names == ["id"] + RESULT_COLUMNS
    check_rows(out.to_pylist(), expected())
    b = t.to_batches()[0]
    ob = MODEL.score_frame(b)
    assert isinstance(ob, pa.RecordBatch)
    check_rows(ob.to_pylist(), expected())
    # Several chunks give the same result as one.
    chunked = pa.concat_tables([t.slice(0, 1), t.slice(1, 2), t.slice(3)])
    assert chunked.column("nps").num_chunks == 3
    check_rows(MODEL.score_frame(chunked).to_pylist(), expected())


def test_capsule_objects() -> None:
    class Stream:
        def __init__(self, t):
            self.t = t

        def __arrow_c_stream__(self, requested_schema=None):
            return self.t.__arrow_c_stream__(requested_schema)

    class Batch:
        def __init__(self, b):
            self.b = b

        def __arrow_c_array__(self, requested_schema=None):
            return self.b.__arrow_c_array__(requested_schema)

    t = arrow_table(RECORDS)
    # A stream gives a stream (scored batch by batch as it is read).
    out = MODEL.score_frame(Stream(t))
    assert isinstance(out, pa.RecordBatchReader)
    check_rows(out.read_all().to_pylist(), expected())
    # Ranking and explaining read it whole: a table.
    assert isinstance(MODEL.rank(Stream(t)), pa.Table)
    out = MODEL.score_frame(Batch(t.to_batches()[0]))
    check_rows(out.to_pylist(), expected())


def test_pandas_realities() -> None:
    df = pd.DataFrame({
        "id": [1, 2, 3, 4],
        "nps": [9.0, float("nan"), 10.0, 3.0],  # floats holding whole numbers, NaN missing
        "engaged_contacts": pd.array([3, None, 5, 1], dtype="Int64"),
        "roi_achieved": [1.0, 0.0, float("nan"), 1.0],  # 0/1 floats for a boolean
        "csm_rapport": pd.array([4, 5, None, 2], dtype="Int8"),  # narrow nullable ints
        "health_score": pd.array([81.5, None, 90, 10], dtype="Float32"),
        "segment": pd.Categorical(["enterprise", None, "ENTERPRISE", "smb"]),
        "industry": pd.array(["software", None, "Software ", "retail"], dtype="string"),
        "opted_out": pd.array([False, None, False, True], dtype="boolean"),
        "name": ["x", "y", "z", "w"],
    })
    out = MODEL.score_frame(df)
    assert list(out["id"]) == [1, 2, 3, 4]
    recs = [
        {"nps": 9, "engaged_contacts": 3, "roi_achieved": True, "csm_rapport": 4, "health_score": 81.5,
         "segment": "enterprise", "industry": "software", "opted_out": False},
        {"roi_achieved": False, "csm_rapport": 5},
        {"nps": 10, "engaged_contacts": 5, "health_score": 90.0, "segment": "ENTERPRISE", "industry": "Software ",
         "opted_out": False},
        {"nps": 3, "engaged_contacts": 1, "roi_achieved": True, "csm_rapport": 2, "health_score": 10.0,
         "segment": "smb", "industry": "retail", "opted_out": True},
    ]
    for i, r in enumerate(recs):
        s = MODEL.score(r)
        assert out["score"].iloc[i] == s.total, (i, out.iloc[i].to_dict(), s.to_dict())
        assert out["tier"].iloc[i] == s.tier


def test_columns_keep_and_id_column() -> None:
    df = pd.DataFrame({"account": ["a", "b"], "NPS": [10, 2], "Health": [90.0, 20.0], "name": ["A", "B"]})
    mapping = {"columns": {"Health": "health_score"}}
    out = MODEL.score_frame(df, id_column="account", columns=mapping, keep=["name"])
    assert list(out.columns[:2]) == ["account", "name"]
    assert out["score"].tolist() == [20.0, 0.0]
    p = MODEL.score_frame(pl.from_pandas(df), id_column="account", columns=mapping, keep="name")
    assert p.columns[:2] == ["account", "name"] and p["score"].to_list() == [20.0, 0.0]
    # The mapping's own id column, the same as id_column.
    same = MODEL.score_frame(df, columns={"id": "account", **mapping}, keep=["name"])
    assert same.equals(out)
    # No id column at all: results only.
    out = MODEL.score_frame(df[["NPS"]])
    assert list(out.columns) == RESULT_COLUMNS
    for kwargs, argument in (({"id_column": "nope"}, "id_column"), ({"keep": ["nope"]}, "keep")):
        with pytest.raises(advocacy.UsageError) as info:
            MODEL.score_frame(df, **kwargs)
        e = info.value
        assert (e.code, e.path, e.value) == ("unknown_column", argument, '"nope"'), e
        assert str(e).startswith(f"argument `{argument}`: value \"nope\" is not allowed")
    with pytest.raises(advocacy.UsageError) as info:
        MODEL.score_frame(df, id_column="account", columns={"id": "name"})
    assert (info.value.code, info.value.path) == ("invalid_argument", "id_column")
    # Two columns for one signal (by name, alias or mapping): the core's column plan refuses it.
    for table, mapping in ((pd.DataFrame({"nps": [1], "NPS Score": [2]}), None),
                           (pd.DataFrame({"nps": [1], "x": [2]}), {"columns": {"x": "nps"}})):
        with pytest.raises(advocacy.ModelError, match="two columns would give `nps`") as info:
            MODEL.score_frame(table, columns=mapping)
        assert (info.value.code, info.value.path) == ("duplicate", "columns[1]")
    # `rename=` is gone: `columns=` holds the mapping.
    with pytest.raises(TypeError, match="rename"):
        MODEL.score_frame(df, rename={"NPS": "nps"})  # type: ignore[call-arg]


def test_flag_and_raise() -> None:
    df = pd.DataFrame({"id": ["a", "b", "c"], "nps": [9, 11, 12], "segment": ["smb", "smb", "giant"]})
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(df)
    e = info.value
    assert (e.row, e.id, e.signal, e.value, e.code) == (1, "b", "nps", "11", "out_of_range")
    assert e.allowed == "an integer from 0 to 10"
    out = MODEL.score_frame(df, on_error="flag")
    assert pd.isna(out["error"].iloc[0]) and out["score"].iloc[0] == 10.0
    assert out["error"].iloc[1].startswith('row 1 (id "b"): signal `nps`')
    assert math.isnan(out["score"].iloc[1]) and pd.isna(out["tier"].iloc[1])
    # Row 2 has two bad values: the first in signal order is reported (nps before segment).
    assert "signal `nps`" in out["error"].iloc[2]
    # polars: flagged rows are nulls.
    p = MODEL.score_frame(pl.from_pandas(df), on_error="flag")
    assert p["score"].to_list()[1:] == [None, None] and p["error"].null_count() == 1
    with pytest.raises(advocacy.UsageError):
        MODEL.score_frame(df, on_error="ignore")  # type: ignore[arg-type]


def test_rank() -> None:
    df = pd.DataFrame(RECORDS + [{"id": "bad", "nps": 99}, {"id": "e", "nps": 10, "health_score": 99}])
    with pytest.raises(advocacy.SignalError):
        MODEL.rank(df)
    r = MODEL.rank(df, on_error="flag")
    # a (85), d (40, gated but ranked by total), c and e (20, input order), b (0), then the flagged row.
    assert list(r["id"]) == ["a", "d", "c", "e", "b", "bad"]
    assert list(r.index) == [0, 3, 2, 5, 1, 4]
    totals = [t for t in r["score"] if not math.isnan(t)]
    assert totals == sorted(totals, reverse=True)
    assert r["id"].iloc[-1] == "bad" and pd.isna(r["rank"].iloc[-1])
    top = MODEL.rank(df, top=2, on_error="flag")
    assert len(top) == 2 and list(top["rank"]) == [1, 2] and list(top["id"]) == list(r["id"][:2])
    p = MODEL.rank(pl.from_pandas(df), top=3, on_error="flag")
    assert p["id"].to_list() == list(r["id"][:3]) and p["rank"].to_list() == [1, 2, 3]
    assert len(MODEL.rank(df, top=0, on_error="flag")) == 0
    with pytest.raises(advocacy.UsageError) as info:
        MODEL.rank(df, top=-1, on_error="flag")
    assert (info.value.path, info.value.value) == ("top", "-1")
    for bad in ("3", 2.5, True):
        with pytest.raises(TypeError):
            MODEL.rank(df, top=bad, on_error="flag")


def test_explain_frame() -> None:
    df = pandas_frame()
    ex = MODEL.explain_frame(df)
    assert len(ex) == len(RECORDS) * 12
    assert list(ex.columns[:2]) == ["row", "id"]
    scores = expected()
    for i, s in enumerate(scores):
        part = ex[ex["row"] == i]
        assert part["criterion"].tolist() == [c["id"] for c in s.criteria]
        assert part["outcome"].tolist() == [c["outcome"] for c in s.criteria]
        assert part["points"].tolist() == [c["points"] for c in s.criteria]
        assert set(part["id"]) == {s.id}
        assert part["points"].sum() == s.total
    ep = MODEL.explain_frame(pl.DataFrame(RECORDS))
    assert isinstance(ep, pl.DataFrame) and ep.height == len(RECORDS) * 12
    assert ep.filter(pl.col("row") == 0)["points"].sum() == scores[0].total
    bad = pd.DataFrame({"id": ["a", "b"], "nps": [1, 11]})
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.explain_frame(bad)
    assert info.value.row == 1 and info.value.id == "b"
    flagged = MODEL.explain_frame(bad, on_error="flag")
    assert flagged[flagged["row"] == 1]["error"].notna().all()
    assert flagged[flagged["row"] == 0]["error"].isna().all()


def test_large_frame_equals_one_by_one() -> None:
    import random

    rng = random.Random(7)
    rows = []
    for i in range(3000):
        rows.append({
            "id": f"r{i}",
            "nps": rng.choice([None, *range(11)]),
            "health_score": rng.choice([None, rng.uniform(0, 100)]),
            "roi_achieved": rng.choice([None, True, False]),
            "csm_rapport": rng.choice([None, 1, 2, 3, 4, 5]),
            "engaged_contacts": rng.choice([None, 0, 1, 2, 3, 7]),
            "meeting_engagement": rng.choice([None, 3, 4, 5]),
            "past_advocacy": rng.choice([None, 0, 1, 4]),
            "proactive_feedback": rng.choice([None, 0, 2]),
            "communication_comfort": rng.choice([None, 2, 4]),
            "industry": rng.choice([None, "software", "retail"]),
            "segment": rng.choice([None, "smb", "enterprise"]),
            "brand_strength": rng.choice([None, 1, 5]),
            "opted_out": rng.choice([None, False, True]),
        })
    model = MODEL.with_missing("rescale")
    want = [model.score(r) for r in rows]
    for table in (pd.DataFrame(rows), pl.DataFrame(rows), arrow_table(rows)):
        out = model.score_frame(table)
        got = out.to_dict("records") if isinstance(out, pd.DataFrame) else (
            out.to_dicts() if isinstance(out, pl.DataFrame) else out.to_pylist())
        check_rows(got, want)


def test_polars_needs_no_pyarrow() -> None:
    code = textwrap.dedent("""
        import sys
        sys.modules["pyarrow"] = None  # any import of pyarrow now fails
        import polars as pl
        import advocacy
        m = advocacy.Model.default()
        df = pl.DataFrame({"id": ["a", "b"], "nps": [10, 3], "segment": ["smb", None]})
        out = m.score_frame(df)
        assert isinstance(out, pl.DataFrame) and out["score"].to_list() == [10.0, 0.0], out
        assert m.rank(df.lazy(), top=1).collect()["id"].to_list() == ["a"]
        assert m.explain_frame(df).height == 24
        assert "pyarrow" not in sys.modules or sys.modules["pyarrow"] is None
        print("ok")
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_zero_copy_float_input() -> None:
    # A float column is read in place: scoring does not change the caller's buffer and gives the result.
    t = pa.table({"health_score": pa.array([81.0, 79.0, None])})
    out = MODEL.score_frame(t)
    assert out.column("satisfaction").to_pylist() == [10.0, 0.0, 0.0]
    assert t.column("health_score").to_pylist() == [81.0, 79.0, None]


def test_big_table_scored_in_parallel_pieces() -> None:
    # Over 64K rows a table is cut into pieces scored on all cores; results and errors keep row order.
    n = 200_003
    base = pl.DataFrame(RECORDS).with_columns(pl.col("policy").cast(pl.String))
    want = [MODEL.score(r) for r in RECORDS]
    idx = pl.Series(np.arange(n) % len(RECORDS))
    big = base[idx].with_columns(pl.Series("id", [f"r{i}" for i in range(n)]))
    out = MODEL.score_frame(big)
    assert out.height == n
    for k, s in enumerate(want):
        part = out.filter(pl.Series(np.arange(n) % len(RECORDS) == k))
        assert part["score"].unique().to_list() == [s.total]
        assert part["tier"].cast(pl.String).unique().to_list() == [s.tier]
    assert out["id"].to_list()[-3:] == [f"r{n - 3}", f"r{n - 2}", f"r{n - 1}"]
    bad = big.with_columns(pl.when(pl.int_range(n).is_in([150_001, 199_999])).then(99).otherwise(pl.col("nps")).alias("nps"))
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(bad)
    assert (info.value.row, info.value.id) == (150_001, "r150001")
    flagged = MODEL.score_frame(bad, on_error="flag")
    assert flagged["error"].is_not_null().arg_true().to_list() == [150_001, 199_999]
    ranked = MODEL.rank(bad, top=3, on_error="flag")
    assert ranked["id"].to_list() == ["r0", "r4", "r8"]
