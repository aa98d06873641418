"""Peak memory of scoring (not a timing; Linux, as the project's machines): each measure runs in a
fresh Python process, which
builds its input, lets it settle, resets the kernel's peak-RSS mark (``/proc/self/clear_refs``)
and reads it back (``VmHWM``) after scoring, so that the figure is what scoring added on top of
the input.

Bounds, and why:

- A 1,000,000-row table (polars, pandas; 15 columns of numbers, booleans and text, unique text
  ids) adds at most 350 MB. What it needs: the result itself (8 float64 columns, the tier keys,
  the error column's offsets: about 70 MB), the core's per-piece results before they are joined
  into it (about 70 MB more, for a moment), the id check (each id's text copied once with its
  row, and each check's fingerprints: about 60 MB), the keys of the text columns read as
  dictionaries (4 MB each) and, for pandas, the Arrow copy of its float and object columns. That
  is about 220 MB measured; 350 MB leaves room for allocator slack, and is still far below what
  one Python object per row would cost (a float object and its pointer are 32 bytes: eight such
  columns alone would add 256 MB; a str per row, 60 MB per column).
- A DuckDB query scored as a stream and written to Parquet batch by batch holds a batch at a
  time: going from 1,000,000 to 3,000,000 rows adds at most 48 bytes per extra row (measured:
  about 24), which is what the stream must keep, a fingerprint and a first row per id seen (the
  ids must be unique across the whole stream). Holding the rows instead would add at least the
  scored rows' 80 bytes each, and the input's.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PRELUDE = r"""
import gc, sys, time

def mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} in /proc/self/status")

def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")

def settle():
    gc.collect()
    time.sleep(0.1)
    base = mb("VmRSS")
    reset_peak()
    return base

import advocacy
MODEL = advocacy.Model.default()
"""

TABLE = PRELUDE + r"""
import numpy as np, polars as pl
n, kind = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(1)
pick = lambda values: np.array(values)[rng.integers(0, len(values), n)]
df = pl.DataFrame({
    "id": np.char.add("ACC-", np.arange(n).astype(str)), "nps": rng.integers(0, 11, n),
    "health_score": rng.random(n) * 100, "roi_achieved": rng.random(n) < 0.4,
    "csm_rapport": rng.integers(1, 6, n), "engaged_contacts": rng.integers(0, 9, n),
    "meeting_engagement": rng.integers(1, 6, n), "past_advocacy": rng.integers(0, 5, n),
    "proactive_feedback": rng.integers(0, 4, n), "communication_comfort": rng.integers(1, 6, n),
    "industry": pick(["software", "retail", "media", "financial services"]),
    "segment": pick(["smb", "mid_market", "enterprise"]), "brand_strength": rng.integers(1, 6, n),
    "policy": pick(["open", "approval_required", "prohibited"]), "opted_out": rng.random(n) < 0.03,
})
table = df.to_pandas() if kind == "pandas" else df
del df
MODEL.score_frame(table[:100] if kind == "polars" else table.iloc[:100])
base = settle()
out = MODEL.score_frame(table)
assert len(out) == n
print(mb("VmHWM") - base)
"""

STREAM = PRELUDE + r"""
import duckdb, os, pyarrow as pa, pyarrow.parquet as pq
n, path = int(sys.argv[1]), sys.argv[2]
con = duckdb.connect()
query = f'''select 'ACC-' || i as id, (i * 7919) % 11 as nps, ((i * 31) % 1000) / 10.0 as health_score,
    i % 3 = 0 as roi_achieved, (i % 5) + 1 as csm_rapport, i % 9 as engaged_contacts,
    ['smb', 'mid_market', 'enterprise'][(i % 3) + 1] as segment,
    ['open', 'approval_required', 'prohibited'][(i % 7) % 3 + 1] as policy
    from range({n}) t(i)'''
con.sql("select 1").fetchall()
base = settle()
# A relation gives a relation, scored as it is read: read here as an Arrow stream.
scored = pa.RecordBatchReader.from_stream(MODEL.score_frame(con.sql(query)))
rows = 0
with pq.ParquetWriter(path, scored.schema) as w:
    for batch in scored:
        w.write_batch(batch)
        rows += batch.num_rows
assert rows == n, rows
print(mb("VmHWM") - base)
"""


def peak_mb(script: str, *args: str) -> float:
    """What a fresh process running ``script`` added to its resident memory at the peak, in MB."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return float(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["polars", "pandas"])
def test_a_million_rows_stay_under_350_mb(kind: str) -> None:
    added = peak_mb(TABLE, "1000000", kind)
    assert added < 350, f"scoring 1,000,000 {kind} rows added {added:.0f} MB at the peak"


def test_a_stream_holds_a_batch_and_the_ids(tmp_path) -> None:
    small = peak_mb(STREAM, "1000000", str(tmp_path / "small.parquet"))
    large = peak_mb(STREAM, "3000000", str(tmp_path / "large.parquet"))
    per_row = (large - small) * 1024 * 1024 / 2_000_000
    assert per_row < 48, f"{small:.0f} MB for 1M rows, {large:.0f} MB for 3M: {per_row:.0f} bytes a row"
    assert large < 400, f"{large:.0f} MB for 3M rows"
