"""advocacy.spark.score through Spark's local mode, against score_frame of the same rows locally.

    python benches/bench_spark.py [ROWS] [MASTER]        # default 10,000,000 rows, local[2]

The accounts are made by Spark itself (``spark.range`` and seeded ``rand``: ids, numbers with 10%
missing, booleans, text), so that nothing but Spark holds them. Timed, each written to Spark's
``noop`` sink (every row computed, nothing stored):

- ``spark identity``: the same rows through a ``mapInArrow`` that hands each batch back as it
  is: what moving the rows to Python workers and back costs, without scoring;
- ``advocacy.spark.score``: every result column, and score and tier only (``select``).

Then the same rows are collected to the driver as one pyarrow Table and scored there by
``Model.score_frame`` (every column, and score and tier), and a sample of ids is checked to
have the same score and tier both ways. Prints one line per measurement with wall time and
rows per second.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import pyarrow as pa

import advocacy
import advocacy.spark as aspark

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def accounts(spark, rows: int):  # type: ignore[no-untyped-def]
    from pyspark.sql import functions as F

    def holes(col, seed: int):  # type: ignore[no-untyped-def]
        return F.when(F.rand(seed) >= 0.1, col)

    industries = F.array(*[F.lit(x) for x in ("software", "retail", "media", "financial services")])
    segments = F.array(*[F.lit(x) for x in ("smb", "mid_market", "enterprise")])
    return spark.range(rows).select(
        F.concat(F.lit("A-"), F.col("id").cast("string")).alias("id"),
        holes(F.floor(F.rand(1) * 11).cast("long"), 101).alias("nps"),
        holes(F.round(F.rand(2) * 100, 1), 102).alias("health_score"),
        holes(F.rand(3) < 0.4, 103).alias("roi_achieved"),
        holes(F.floor(F.rand(4) * 5 + 1).cast("long"), 104).alias("csm_rapport"),
        holes(F.floor(F.rand(5) * 9).cast("long"), 105).alias("engaged_contacts"),
        holes(F.floor(F.rand(6) * 5 + 1).cast("long"), 106).alias("meeting_engagement"),
        holes(F.floor(F.rand(7) * 3).cast("long"), 107).alias("past_advocacy"),
        holes(F.floor(F.rand(8) * 3).cast("long"), 108).alias("proactive_feedback"),
        holes(F.floor(F.rand(9) * 5 + 1).cast("long"), 109).alias("communication_comfort"),
        holes(F.element_at(industries, (F.floor(F.rand(10) * 4) + 1).cast("int")), 110).alias("industry"),
        holes(F.element_at(segments, (F.floor(F.rand(11) * 3) + 1).cast("int")), 111).alias("segment"),
        holes(F.floor(F.rand(12) * 5 + 1).cast("long"), 112).alias("brand_strength"),
    )


def timed(label: str, rows: int, f) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    f()
    s = time.perf_counter() - t
    print(f"{label:<48} {s:8.2f} s  {rows / s / 1e6:6.2f} M rows/s", flush=True)
    return s


def identity(batches):  # type: ignore[no-untyped-def]
    yield from batches


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    master = sys.argv[2] if len(sys.argv) > 2 else "local[2]"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(master).appName("advocacy-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "8g").config("spark.driver.maxResultSize", "4g")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    model = advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
    df = accounts(spark, rows).cache()
    print(f"{rows:,} rows, {df.rdd.getNumPartitions()} partitions, master {master}, "
          f"pyspark {__import__('pyspark').__version__}, advocacy {advocacy.__version__}")
    df.write.format("noop").mode("overwrite").save()  # the cache filled, untimed

    def noop(d):  # type: ignore[no-untyped-def]
        return lambda: d.write.format("noop").mode("overwrite").save()

    base = timed("spark: read the cached rows (noop)", rows, noop(df))
    ident = timed("spark: identity mapInArrow", rows, noop(df.mapInArrow(identity, df.schema)))
    full = timed("advocacy.spark.score, every column", rows, noop(aspark.score(df, model)))
    st = timed("advocacy.spark.score, score and tier", rows, noop(aspark.score(df, model, select=["score", "tier"])))

    t = time.perf_counter()
    table = df.toArrow()
    print(f"{'(collected to the driver as pyarrow)':<48} {time.perf_counter() - t:8.2f} s")
    lfull = timed("score_frame locally (pyarrow), every column", rows, lambda: model.score_frame(table))
    lst = timed("score_frame locally (pyarrow), score and tier", rows,
                lambda: model.score_frame(table, select=["score", "tier"]))
    print(f"spark score / local score_frame: every column {full / lfull:.1f}x, score and tier {st / lst:.1f}x; "
          f"spark's own Arrow round trip (identity - noop): {ident - base:.2f} s")

    # The same answers both ways, on a sample of ids.
    sample = df.sample(fraction=min(1.0, 20_000 / rows), seed=3)
    got = {r["id"]: (r["score"], r["tier"]) for r in aspark.score(sample, model, select=["score", "tier"]).collect()}
    want_t = model.score_frame(pa.table(sample.toArrow()), select=["score", "tier"])
    want = dict(zip(want_t.column("id").to_pylist(), zip(want_t.column("score").to_pylist(),
                                                          want_t.column("tier").to_pylist())))
    assert got == want and got, "Spark and local scoring differ"
    print(f"checked: {len(got):,} sampled ids have the same score and tier both ways")
    spark.stop()


if __name__ == "__main__":
    main()
