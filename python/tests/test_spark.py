"""advocacy.spark: score, explain, segments, eligibility and fatigue of Spark DataFrames in Spark's
local mode (``local[2]``, the machine's Java 17; one session for the module), against the same rows scored
locally: bit-identical scores, the same tiers, the same flagged rows and errors.

Spark partitions are scored on their own (ids unique within a partition, rows counted from its
first row), so the local side scores each partition's rows: the input's rows are collected with
their partition, in order, and scored partition by partition. With one partition it is the whole
table."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pyarrow as pa
import pytest

import advocacy
import advocacy.spark as aspark
from advocacy import program

MODEL = (advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
         .with_points("past_advocacy", 12.5).with_missing("rescale"))


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        pytest.fail("Spark needs Java 17: no JAVA_HOME and no java on PATH")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("advocacy-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               # several Arrow batches per partition: ids and rows count across them
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "300")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# pyspark 4.3 warns that it does not fully support pandas 3 yet (mapInArrow needs no pandas).
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def frame(spark: Any, t: pa.Table, slices: int = 1) -> Any:
    """A Spark DataFrame of ``t`` in ``slices`` partitions of consecutive rows, in order."""
    from pyspark.sql.pandas.types import from_arrow_schema

    rows = [tuple(r.values()) for r in t.to_pylist()]
    return spark.createDataFrame(spark.sparkContext.parallelize(rows, slices), from_arrow_schema(t.schema))


def accounts(n: int, seed: int = 11, bad: bool = True) -> pa.Table:
    rng = np.random.default_rng(seed)

    def nulls(values: Any, share: float = 0.1) -> pa.Array:
        return pa.array(values, mask=rng.random(n) < share)

    nps = rng.integers(0, 11, n)
    if bad:
        for i, v in ((7, 11), (401, 12), (1203, 40)):  # out of range: errors or flagged rows
            if i < n:
                nps[i] = v
    return pa.table({
        "id": pa.array([f"A-{i}" for i in range(n)]),
        "name": pa.array([f"Account {i}" for i in range(n)]),
        "nps": nulls(nps),
        "health_score": nulls(np.round(rng.random(n) * 100, 1)),
        "roi_achieved": nulls(rng.random(n) < 0.4),
        "csm_rapport": nulls(rng.integers(1, 6, n)),
        "engaged_contacts": nulls(rng.integers(0, 9, n)),
        "past_advocacy": nulls(rng.integers(0, 3, n)),
        "public_reviews": nulls(rng.integers(0, 3, n)),
        "industry": nulls(np.array(["software", " Software", "retail", "media"])[rng.integers(0, 4, n)]),
        "segment": nulls(np.array(["smb", "Mid Market", "enterprise"])[rng.integers(0, 3, n)]),
        "policy": nulls(np.array(["open", "approval_required", "prohibited"])[rng.integers(0, 3, n)], 0.3),
        "opted_out": nulls(rng.random(n) < 0.05, 0.2),
        "active_days_30d": nulls(rng.integers(0, 31, n)),
    })


def partitions(df: Any) -> list[pa.Table]:
    """The rows of each partition of ``df``, in order (what its executors read)."""
    from pyspark.sql.functions import spark_partition_id

    t = df.withColumn("__p", spark_partition_id()).toArrow()
    ps = t.column("__p").to_numpy()
    t = t.drop_columns(["__p"])
    return [t.filter(pa.array(ps == p)) for p in sorted(set(ps.tolist()))]


def local(parts: list[pa.Table], f: Any) -> pa.Table:
    return pa.concat_tables([pa.table(f(p)).replace_schema_metadata(None) for p in parts])


def same(got: pa.Table, want: pa.Table) -> None:
    assert got.column_names == want.column_names
    for name in want.column_names:
        g, w = got.column(name), want.column(name)
        if pa.types.is_floating(w.type):
            # bit for bit (nulls where the local result has them)
            assert g.is_null().to_pylist() == w.is_null().to_pylist(), name
            gb = g.fill_null(0.0).to_numpy().view(np.uint64)
            wb = w.fill_null(0.0).to_numpy().view(np.uint64)
            assert (gb == wb).all(), name
        else:
            assert g.to_pylist() == w.to_pylist(), name


def test_score_matches_local_scoring_partition_by_partition(spark: Any) -> None:
    t = accounts(2000)
    df = frame(spark, t, 3)
    parts = partitions(df)
    assert [p.num_rows for p in parts] == [666, 666, 668]
    scored = aspark.score(df, MODEL, keep=["name"], on_error="flag", as_of="2026-11-30")
    # A string tier Spark can read; the schema is known without a job.
    assert dict(scored.dtypes)["tier"] == "string"
    got = scored.toArrow()
    want = local(parts, lambda p: MODEL.score_frame(p, keep=["name"], on_error="flag", as_of="2026-11-30"))
    same(got, want)
    flagged = [r for r in got.to_pylist() if r["error"] is not None]
    assert [r["id"] for r in flagged] == ["A-7", "A-401", "A-1203"]
    assert all(r["score"] is None and r["tier"] is None for r in flagged)
    assert got.num_rows == 2000 and set(got.column("tier").to_pylist()) - {None} <= {
        "platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"}


def test_one_partition_is_the_whole_table(spark: Any) -> None:
    t = accounts(1500)
    df = frame(spark, t)
    for kw in ({"on_error": "flag"}, {"on_error": "flag", "select": ["tier", "score"], "keep": "segment"}):
        same(aspark.score(df, MODEL, **kw).toArrow(), pa.table(MODEL.score_frame(t, **kw)).replace_schema_metadata(None))
    same(aspark.explain(df, MODEL, on_error="flag").toArrow(),
         pa.table(MODEL.explain_frame(t, on_error="flag")).replace_schema_metadata(None))


def test_errors_reach_the_driver_with_the_package_message(spark: Any) -> None:
    from pyspark.errors import PythonException

    t = accounts(1000)
    df = frame(spark, t)
    with pytest.raises(advocacy.SignalError) as local_error:
        MODEL.score_frame(t)
    with pytest.raises(PythonException) as remote:
        aspark.score(df, MODEL).collect()
    text = str(remote.value)
    assert f"advocacy.SignalError: {local_error.value.message}" in text
    assert "(in Spark partition 0; rows are counted from its first row)" in text
    # explain fails the same way, with the same message
    with pytest.raises(PythonException) as remote:
        aspark.explain(df, MODEL).collect()
    assert local_error.value.message in str(remote.value)


def test_arguments_are_checked_on_the_driver_without_a_job(spark: Any) -> None:
    df = spark.createDataFrame(accounts(50))
    tracker = spark.sparkContext.statusTracker()
    before = len(tracker.getJobIdsForGroup())
    schema = aspark.output_schema(df, MODEL, select=["score", "tier"], keep="name")
    assert [(f.name, f.dataType.simpleString()) for f in schema.fields] == [
        ("id", "string"), ("name", "string"), ("score", "double"), ("tier", "string")]
    aspark.score(df, MODEL, on_error="flag")
    aspark.explain(df, MODEL)
    aspark.segments(df.select("id", "nps"))
    with pytest.raises(advocacy.UsageError) as e:
        aspark.score(df, MODEL, keep=["nope"])
    assert e.value.path == "keep"
    with pytest.raises(advocacy.UsageError):
        aspark.score(df, MODEL, select=["score", "bogus"])
    with pytest.raises(advocacy.UsageError):
        aspark.score(df, MODEL, on_error="skip")
    with pytest.raises(advocacy.ModelError):
        aspark.score(df.select("id", "name"), MODEL)
    with pytest.raises(advocacy.ProgramError):
        aspark.segments(df, config={"segments": 7})
    assert len(tracker.getJobIdsForGroup()) == before


def test_columns_file_and_ids_of_another_name(spark: Any, tmp_path: Path) -> None:
    t = pa.table({"Account ID": ["x1", "x2", "x3", "x4"], "Likelihood": ["9", "10", "4", None],
                  "Tier Of Customer": ["Commercial", "Large", "Commercial", "Large"],
                  "Health": [91.0, 79.5, None, 85.0]})
    mapping = {"id": "Account ID", "columns": {"Likelihood": "nps", "Tier Of Customer": "segment",
                                               "Health": "health_score"},
               "values": {"segment": {"Commercial": "mid_market", "Large": "enterprise"}}}
    path = tmp_path / "columns.json"
    path.write_text(json.dumps(mapping))
    df = frame(spark, t)
    got = aspark.score(df, MODEL, columns=path).toArrow()
    same(got, pa.table(MODEL.score_frame(t, columns=path)).replace_schema_metadata(None))
    assert got.column("Account ID").to_pylist() == ["x1", "x2", "x3", "x4"]


def test_segments_match_the_program(spark: Any) -> None:
    t = accounts(900, bad=False).select(["id", "name", "nps", "health_score", "past_advocacy", "public_reviews",
                                          "policy", "opted_out", "active_days_30d", "roi_achieved"])
    df = frame(spark, t, 2)
    parts = partitions(df)
    assert len(parts) == 2
    got = aspark.segments(df).toArrow()
    want: list[Any] = []
    for p in parts:
        accs = [{"id": r["id"], "name": r["name"],
                 "signals": {k: v for k, v in r.items() if k not in ("id", "name") and v is not None}}
                for r in p.to_pylist()]
        want.extend(program.segments({"accounts": accs})["results"])
    assert got.column_names == ["account", "segment", "rule", "reason", "evidence"]
    rows = got.to_pylist()
    assert [r["account"] for r in rows] == [w["account"] for w in want]
    assert [(r["segment"], r["rule"], r["reason"]) for r in rows] == [(w["segment"], w["rule"], w["reason"]) for w in want]
    assert [json.loads(r["evidence"]) for r in rows] == [w["evidence"] for w in want]
    assert {r["segment"] for r in rows} >= {"active", "not_advocate_material"}


# Eligibility and fatigue: per account, with the whole ledger shipped to the executors.
PROGRAM_AS_OF = "2026-02-01"


def program_accounts() -> pa.Table:
    n = 12
    tiers = ["platinum", "gold", "silver", "platinum"]
    return pa.table({
        "id": [f"p{i}" for i in range(n)],
        "total": [90.0 - i for i in range(n)],
        "tier": [tiers[i % 4] for i in range(n)],
        "communication_comfort": [5, 3, 2, 4] * 3,
        "available_hours_month": [20.0, 4.0, 1.0, 10.0] * 3,
        "gifts_allowed": [True, False, None, True] * 3,
        "past_advocacy": [2, 0, 1, None] * 3,
        "nps": [10, 9, 7, 9] * 3,
    })


def program_ledger() -> Any:
    import pandas as pd

    rows = [
        ("p0", "conference_speaking", "asked", "2025-11-01"),
        ("p0", "conference_speaking", "completed", "2026-01-10"),
        ("p0", "conference_speaking", "thanked", "2026-01-12"),
        ("p1", "survey", "asked", "2026-01-20"),
        ("p5", "case_study", "declined", "2026-01-05"),
        ("p6", "reference_call", "completed", "2026-01-15"),
        ("p9", "online_review", "asked", "2025-06-01"),
        ("someone_else", "survey", "asked", "2026-01-30"),
    ]
    return pd.DataFrame({"account": [r[0] for r in rows], "activity": [r[1] for r in rows],
                         "status": [r[2] for r in rows], "date": pd.to_datetime([r[3] for r in rows])})


OVERRIDES = [{"account": "p2", "tier": "gold", "reason": "keen sponsor", "author": "kim@csm", "expires": "2026-03-01"}]


def per_account(parts: list[pa.Table], f: Any) -> list[dict[str, Any]]:
    """``f`` of every account (a flat row) of every partition, in order."""
    return [f(row) for p in parts for row in p.to_pylist()]


def as_program_output(row: dict[str, Any], want: Any) -> dict[str, Any]:
    """A result row of advocacy.spark/dask read back into the program's output: JSON text cells
    parsed, ``segment`` the segment's name."""
    return {k: (json.loads(v) if k != "segment" and isinstance(want.get(k), (list, dict)) else v)
            for k, v in row.items()}


def test_eligibility_matches_the_program_per_partition(spark: Any) -> None:
    t = program_accounts()
    df = frame(spark, t, 3)
    parts = partitions(df)
    assert len(parts) == 3
    ledger = program_ledger()
    out = aspark.eligibility(df, ledger=ledger, overrides=OVERRIDES, as_of=PROGRAM_AS_OF)
    assert [(f.name, f.dataType.simpleString()) for f in out.schema.fields][:3] == [
        ("account", "string"), ("tier", "string"), ("total", "double")]
    got = out.toArrow().to_pylist()
    want = per_account(parts, lambda r: program.eligibility(account=r, ledger=ledger, overrides=OVERRIDES,
                                                            as_of=PROGRAM_AS_OF))
    assert len(got) == len(want) == t.num_rows
    for g, w in zip(got, want):
        # every field of the program's output is a column, with the program's value
        assert set(g) == set(w)
        g = as_program_output(g, w)
        assert g["segment"] == w["segment"]["segment"]
        assert {k: v for k, v in g.items() if k != "segment"} == {k: v for k, v in w.items() if k != "segment"}
    by_id = {g["account"]: g for g in got}
    # the resting account: every activity excluded by its rest, until the rest ends
    assert json.loads(by_id["p0"]["eligible"]) == []
    excluded = json.loads(by_id["p0"]["excluded"])
    assert excluded and all(any(r["rule"] == "rest_after.high" and r["until"] == "2026-04-10" for r in e["reasons"])
                            for e in excluded)
    assert json.loads(by_id["p3"]["eligible"]) != []
    assert by_id["p2"]["tier"] == "gold" and json.loads(by_id["p2"]["overrides"])[0]["status"] == "applied"


def test_fatigue_matches_the_program_per_partition(spark: Any) -> None:
    t = program_accounts()
    df = frame(spark, t, 2)
    parts = partitions(df)
    ledger = program_ledger()
    out = aspark.fatigue(df.select("id", "nps"), ledger=ledger, as_of=PROGRAM_AS_OF)
    assert [(f.name, f.dataType.simpleString()) for f in out.schema.fields] == [
        ("account", "string"), ("resting", "boolean"), ("resting_until", "string"), ("refusals", "string"),
        ("refused_activities", "string"), ("thanks_owed", "string")]
    got = out.toArrow().to_pylist()
    want = per_account(parts, lambda r: program.fatigue(account=r["id"], ledger=ledger, as_of=PROGRAM_AS_OF))
    assert [as_program_output(g, w) for g, w in zip(got, want)] == want
    p0 = got[0]
    assert (p0["account"], p0["resting"], p0["resting_until"]) == ("p0", True, "2026-04-10")
    assert json.loads(p0["refusals"])[0]["rule"] == "rest_after.high"
    assert json.loads(p0["refusals"])[0]["until"] == "2026-04-10"
    assert {g["account"]: g["resting"] for g in got}["p11"] is False


def test_program_arguments_are_checked_on_the_driver_without_a_job(spark: Any) -> None:
    df = spark.createDataFrame(program_accounts())
    tracker = spark.sparkContext.statusTracker()
    before = len(tracker.getJobIdsForGroup())
    bad = [{"account": "p0", "activity": "survey", "status": "asked", "date": "2026-01-01"},
           {"account": "p0", "activity": "keynote", "status": "asked", "date": "2026-01-02"}]
    with pytest.raises(program.ProgramError) as local_error:
        program.fatigue(account="p0", ledger=bad, as_of=PROGRAM_AS_OF)
    for f in (aspark.fatigue, aspark.eligibility):
        with pytest.raises(program.ProgramError) as e:
            f(df, ledger=bad, as_of=PROGRAM_AS_OF)
        assert (e.value.code, e.value.path, e.value.value) == ("unknown_activity", "ledger[1].activity", "keynote")
        assert str(e.value) == str(local_error.value)
    with pytest.raises(program.ProgramError) as e:
        aspark.fatigue(df, ledger=[], as_of="2026-02-30")
    assert e.value.path == "as_of"
    with pytest.raises(program.ProgramError) as e:
        aspark.eligibility(df, as_of=PROGRAM_AS_OF, config={"fatigue": {"rest_after": {"high": 4000}}})
    assert e.value.path == "config.fatigue.rest_after.high"
    with pytest.raises(program.ProgramError):
        aspark.eligibility(df, as_of=PROGRAM_AS_OF, overrides=[{"account": "p0", "tier": "diamond"}])
    aspark.eligibility(df, ledger=program_ledger(), as_of=PROGRAM_AS_OF)
    aspark.fatigue(df, ledger=program_ledger(), as_of=PROGRAM_AS_OF)
    assert len(tracker.getJobIdsForGroup()) == before


def test_a_bad_account_fails_the_job_with_the_package_message(spark: Any) -> None:
    from pyspark.errors import PythonException

    t = pa.table({"id": ["a", "b", "c"], "available_hours_month": [3.0, -1.0, 2.0]})
    with pytest.raises(program.ProgramError) as local_error:
        program.eligibility(account=t.to_pylist()[1], as_of=PROGRAM_AS_OF)
    with pytest.raises(PythonException) as remote:
        aspark.eligibility(frame(spark, t), ledger=[], as_of=PROGRAM_AS_OF).collect()
    text = str(remote.value)
    assert f"advocacy.ProgramError: {local_error.value}" in text
    assert "(in Spark partition 0, its row 1)" in text
    with pytest.raises(PythonException) as remote:
        aspark.fatigue(frame(spark, t.rename_columns(["customer", "hours"])), ledger=[], as_of=PROGRAM_AS_OF).collect()
    assert "no id column" in str(remote.value) and "(in Spark partition 0;" in str(remote.value)


def test_program_examples_run(spark: Any) -> None:
    import doctest

    for f in (aspark.eligibility, aspark.fatigue):
        test = doctest.DocTestParser().get_doctest(f.__doc__ or "", {"spark": spark}, f.__name__, None, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        out: list[str] = []
        runner.run(test, out=out.append)
        assert runner.failures == 0 and runner.tries > 0, "".join(out)
