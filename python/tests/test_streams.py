"""Streams, LazyFrames and ``select``: score_frame of an Arrow stream (a pyarrow
RecordBatchReader, a pyarrow dataset or scanner, a DuckDB query) is a stream scored batch by
batch; of a LazyFrame a LazyFrame scored when collected (in-memory or streaming engine); and
``select=`` picks the result columns. Every way gives exactly what scoring the whole table does,
ids included: an id must be new in the whole stream, and rows count from the stream's first."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import advocacy

MODEL = advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
COMPUTED = ["score", "tier", "satisfaction", "relationship", "willingness", "company_fit", "completeness",
            "max_possible", "error"]


def accounts(n: int, seed: int = 7) -> pa.Table:
    """n accounts of every kind of column (numbers with nulls, booleans, text with nulls and odd
    spellings, a gate), with unique ids."""
    rng = np.random.default_rng(seed)

    def nulls(values: Any, share: float = 0.1) -> pa.Array:
        return pa.array(values, mask=rng.random(n) < share)

    return pa.table({
        "id": pa.array([f"A-{i}" for i in range(n)]),
        "nps": nulls(rng.integers(0, 11, n)),
        "health_score": nulls(np.round(rng.random(n) * 100, 1)),
        "roi_achieved": nulls(rng.random(n) < 0.4),
        "csm_rapport": nulls(rng.integers(1, 6, n)),
        "engaged_contacts": nulls(rng.integers(0, 9, n)),
        "industry": nulls(np.array(["software", " Software", "retail", "media", "n/a"])[rng.integers(0, 5, n)]),
        "segment": nulls(np.array(["smb", "Mid Market", "enterprise"])[rng.integers(0, 3, n)]),
        "policy": nulls(np.array(["open", "approval_required", "prohibited"])[rng.integers(0, 3, n)], 0.3),
        "opted_out": nulls(rng.random(n) < 0.05, 0.2),
    })


def reader(t: pa.Table, rows: int) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(t.schema, t.to_batches(max_chunksize=rows))


def same_table(a: pa.Table, b: pa.Table) -> None:
    assert a.column_names == b.column_names
    for name in a.column_names:
        x, y = a.column(name).to_pylist(), b.column(name).to_pylist()
        assert x == y, name


def test_reader_in_reader_out_batch_by_batch() -> None:
    t = accounts(5000)
    whole = MODEL.score_frame(t)
    out = MODEL.score_frame(reader(t, 700))
    assert isinstance(out, pa.RecordBatchReader)
    assert out.schema.names == ["id", *COMPUTED]
    assert b"advocacy.warnings" in out.schema.metadata
    batches = list(out)
    # One scored batch per batch read, of the same rows.
    assert [b.num_rows for b in batches] == [b.num_rows for b in t.to_batches(max_chunksize=700)]
    same_table(pa.Table.from_batches(batches), whole)
    # keep= and select= too.
    got = MODEL.score_frame(reader(t, 999), keep=["segment"], select=["tier", "score"]).read_all()
    assert got.column_names == ["id", "segment", "tier", "score"]
    same_table(got, MODEL.score_frame(t, keep=["segment"], select=["tier", "score"]))


def test_ids_are_unique_across_the_whole_stream() -> None:
    t = pa.table({"id": ["a", "b", "c", " a", "", "b"], "nps": [9, 3, 11, 2, 5, 10]})
    flagged = MODEL.score_frame(reader(t, 2), on_error="flag").read_all()
    errors = flagged.column("error").to_pylist()
    # Rows count from the stream's first row; a repeated id names the first row that has it.
    assert errors[0] is None and errors[1] is None
    assert errors[2].startswith("row 2 (id \"c\"): signal `nps`")
    assert errors[3] == 'row 3 (id "a"): signal `id`: value "a" (row 0 has it too) is the id of another row too; ' \
        "allowed: an id no other row has"
    assert errors[4].startswith("row 4: signal `id`")
    assert errors[5].startswith('row 5 (id "b"): signal `id`: value "b" (row 1 has it too)')
    # The same errors as the whole table's.
    assert errors == MODEL.score_frame(t, on_error="flag").column("error").to_pylist()
    # on_error="raise": the read that reaches the first bad row raises the library's error.
    out = MODEL.score_frame(reader(t, 2))
    assert out.read_next_batch().num_rows == 2
    with pytest.raises(advocacy.SignalError) as info:
        out.read_next_batch()
    assert (info.value.row, info.value.signal) == (2, "nps")
    # Across batches of a stream that starts clean.
    t2 = pa.table({"id": ["x", "y", "z", "x"], "nps": [1, 2, 3, 4]})
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(reader(t2, 1)).read_all()
    assert (info.value.code, info.value.row, info.value.id) == ("duplicate_id", 3, "x")


def test_errors_of_the_column_plan_are_raised_at_once() -> None:
    t = pa.table({"Kunde": ["a"], "Zufriedenheit": [3]})
    with pytest.raises(advocacy.ModelError):
        MODEL.score_frame(reader(t, 1))
    with pytest.raises(advocacy.UsageError) as info:
        MODEL.score_frame(reader(accounts(3), 1), select=["score", "nope"])
    assert info.value.path == "select"


def test_datasets_scanners_and_duckdb(tmp_path: Path) -> None:
    t = accounts(3000)
    whole = MODEL.score_frame(t)
    (tmp_path / "ds").mkdir()
    for k in range(3):
        pq.write_table(t.slice(1000 * k, 1000), tmp_path / "ds" / f"part-{k}.parquet", row_group_size=500)
    dataset = ds.dataset(tmp_path / "ds", format="parquet")
    for source in (dataset, dataset.scanner(batch_size=400)):
        out = MODEL.score_frame(source)
        assert isinstance(out, pa.RecordBatchReader)
        got = out.read_all()
        # A dataset's files come in any order: compare by id.
        key = lambda tb: tb.sort_by("id")  # noqa: E731
        same_table(key(got), key(whole))
    # A DuckDB query, scored as it streams, written to Parquet batch by batch.
    con = duckdb.connect()
    con.register("accounts", t)
    rel = con.sql("select * from accounts where nps is not null order by id")
    out = MODEL.score_frame(rel)
    # A relation gives a relation (scored as it is read, again for each query), here read as an
    # Arrow stream batch by batch.
    assert isinstance(out, duckdb.DuckDBPyRelation)
    reader = pa.RecordBatchReader.from_stream(out)
    with pq.ParquetWriter(tmp_path / "scored.parquet", reader.schema) as w:
        for b in reader:
            w.write_batch(b)
    back = pq.read_table(tmp_path / "scored.parquet")
    want = MODEL.score_frame(con.sql("select * from accounts where nps is not null order by id").arrow())
    same_table(back.replace_schema_metadata(None), pa.table(want).replace_schema_metadata(None))


def test_lazy_frames_stay_lazy_and_stream() -> None:
    t = accounts(20_000)
    df = pl.from_arrow(t)
    calls = []

    def counted(d: pl.DataFrame) -> pl.DataFrame:
        calls.append(d.height)
        return d

    lf = df.lazy().map_batches(counted, schema=df.schema, streamable=True)
    out = MODEL.score_frame(lf)
    assert isinstance(out, pl.LazyFrame)
    assert calls == []  # nothing ran
    want = MODEL.score_frame(df)
    assert out.collect_schema() == want.schema
    for engine in ("in-memory", "streaming"):
        got = out.collect(engine=engine)
        assert got.equals(want), engine
    assert calls
    # Projections, filters and slices work on the scored frame.
    assert out.select("id", "tier").collect(engine="streaming").equals(want.select("id", "tier"))
    top = out.filter(pl.col("score") >= 40).collect(engine="streaming")
    assert top.equals(want.filter(pl.col("score") >= 40))
    assert out.head(7).collect().equals(want.head(7))
    # select= and keep= on a LazyFrame.
    st = MODEL.score_frame(df.lazy(), select=["score", "tier"], keep="segment").collect()
    assert st.columns == ["id", "segment", "score", "tier"]
    assert st.equals(MODEL.score_frame(df, select=["score", "tier"], keep="segment"))


def test_lazy_ids_unique_across_batches(tmp_path: Path) -> None:
    n = 300_000
    t = accounts(n)
    ids = t.column("id").to_pylist()
    ids[-1] = ids[0]
    t = t.set_column(0, "id", pa.array(ids))
    path = tmp_path / "a.parquet"
    pq.write_table(t, path, row_group_size=50_000)
    lf = pl.scan_parquet(path)
    out = MODEL.score_frame(lf, on_error="flag").collect(engine="streaming")
    assert out.height == n
    last = out.row(n - 1, named=True)
    assert last["error"].startswith(f'row {n - 1} (id "A-0"): signal `id`: value "A-0" (row 0 has it too)')
    assert out.equals(MODEL.score_frame(pl.from_arrow(t), on_error="flag"))
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(lf).collect(engine="streaming")
    assert (info.value.code, info.value.row) == ("duplicate_id", n - 1)
    # Written straight to Parquet by the streaming engine.
    MODEL.score_frame(lf, on_error="flag", select=["score", "tier", "error"]).sink_parquet(tmp_path / "o.parquet")
    assert pl.read_parquet(tmp_path / "o.parquet").equals(out.select("id", "score", "tier", "error"))


def test_rank_and_explain_of_lazy_frames_stay_lazy() -> None:
    df = pl.from_arrow(accounts(500))
    for op in (lambda x: MODEL.rank(x, top=10, select=["score"]), lambda x: MODEL.explain_frame(x)):
        lazy = op(df.lazy())
        assert isinstance(lazy, pl.LazyFrame)
        assert lazy.collect().equals(op(df))
    # Their column plan is checked at once.
    with pytest.raises(advocacy.ModelError):
        MODEL.rank(pl.LazyFrame({"Kunde": ["a"]}))


def test_select_on_every_kind_of_table() -> None:
    t = accounts(100)
    tables: dict[str, Any] = {"pyarrow": t, "polars": pl.from_arrow(t), "pandas": t.to_pandas(),
                              "batch": t.combine_chunks().to_batches()[0]}
    for how, table in tables.items():
        out = MODEL.score_frame(table, select=["tier", "score"])
        names = list(out.columns) if how == "pandas" else (out.columns if how == "polars" else out.schema.names)
        assert names == ["id", "tier", "score"], how
        full = MODEL.score_frame(table)
        if how == "pandas":
            pd.testing.assert_frame_equal(out, full[["id", "tier", "score"]])
        elif how == "polars":
            assert out.equals(full.select(["id", "tier", "score"]))
        else:
            assert out.to_pylist() == full.select(["id", "tier", "score"]).to_pylist()
    # One name, a category, the error; rank keeps its rank column.
    assert MODEL.score_frame(t, select="score").column_names == ["id", "score"]
    assert MODEL.score_frame(t, select=["willingness", "error"]).column_names == ["id", "willingness", "error"]
    assert MODEL.rank(t, top=3, select=["score"]).column_names == ["rank", "id", "score"]
    ranked = MODEL.rank(t.to_pandas(), top=3, select=["score"])
    assert list(ranked.columns) == ["rank", "id", "score"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    # Names that are not result columns, or twice, and wrong types.
    with pytest.raises(advocacy.UsageError) as info:
        MODEL.score_frame(t, select=["score", "nps"])
    assert (info.value.code, info.value.path, info.value.value) == ("unknown_column", "select", '"nps"')
    assert "score, tier, satisfaction" in info.value.allowed
    with pytest.raises(advocacy.UsageError) as info:
        MODEL.score_frame(t, select=["score", "score"])
    assert info.value.code == "duplicate_column"
    with pytest.raises(TypeError):
        MODEL.score_frame(t, select=3)  # type: ignore[arg-type]
    # Flagged rows: the score is missing, the error only when selected.
    bad = pa.table({"id": ["a", "b"], "nps": [9, 11]})
    got = MODEL.score_frame(bad, on_error="flag", select=["score"]).column("score").to_pylist()
    assert got[0] == 10.0 and (got[1] is None or math.isnan(got[1]))
