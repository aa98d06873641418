"""The `advocacy score` command against polars doing the same job, in one run.

    python benches/cli_vs_polars.py [ROWS] [ADVOCACY_BINARY]

Writes a CSV of ROWS accounts (default 1,000,000; the 200 samples repeated with new ids), then
times, as whole processes, with peak RSS:
  - `advocacy score --format csv FILE` (ranked CSV on stdout),
  - the same in input order (`--order input`),
  - polars: read_csv, the default model's twelve criteria and two gates as expressions, a
    stable sort by score, write_csv.
Before any time counts, the ranked ids and scores of both are checked equal.
Needs polars (python/requirements-test.txt has it) and a release build of the CLI.
"""

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PEER = r"""
import sys, polars as pl
df = pl.read_csv(sys.argv[1], infer_schema_length=10000)
b = lambda e: pl.when(e.fill_null(False)).then(pl.lit(1.0)).otherwise(pl.lit(0.0))
score = (10 * b(pl.col("nps") >= 9) + 10 * b(pl.col("health_score") > 80) + 10 * b(pl.col("roi_achieved"))
    + 10 * b(pl.col("csm_rapport") >= 4) + 10 * b(pl.col("engaged_contacts") >= 3) + 5 * b(pl.col("meeting_engagement") >= 4)
    + 10 * b(pl.col("past_advocacy") >= 1) + 10 * b(pl.col("proactive_feedback") >= 1) + 5 * b(pl.col("communication_comfort") >= 4)
    + 5 * b(pl.col("brand_strength") >= 4))
gated = (pl.col("policy") == "prohibited").fill_null(False) | pl.col("opted_out").fill_null(False)
tier = (pl.when(gated).then(pl.lit("not_advocate_material")).when(score >= 80).then(pl.lit("platinum"))
    .when(score >= 60).then(pl.lit("gold")).when(score >= 40).then(pl.lit("silver")).otherwise(pl.lit("not_yet_qualified")))
out = df.select(pl.col("id"), score.alias("score"), tier.alias("tier")).sort("score", descending=True, maintain_order=True)
out = out.with_row_index("rank", offset=1)
out.write_csv(sys.stdout)
"""


def make_file(rows: int) -> str:
    with open(os.path.join(ROOT, "samples", "accounts.csv"), newline="") as f:
        data = list(csv.reader(f))
    header, body = data[0], data[1:]
    fd, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for i in range(rows):
            r = list(body[i % len(body)])
            r[0] = f"ACC-{i}"
            w.writerow(r)
    return path


def timed(cmd: list[str], out_path: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, its stdout written to out_path."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(out_path, "wb") as out:
        subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def ranked(path: str) -> list[tuple[str, float]]:
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        return [(row["id"], float(row["score"])) for row in r]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    binary = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "target", "release", "advocacy")
    data = make_file(rows)
    size = os.path.getsize(data) / 1e6
    ours, theirs, inorder = data + ".ours", data + ".polars", data + ".input"
    peer = [sys.executable, "-c", PEER, data]
    # Warm the page cache, then check the outputs agree before timing anything.
    timed([binary, "score", "--format", "csv", data], ours)
    timed(peer, theirs)
    a, b = ranked(ours), ranked(theirs)
    assert a == b, "advocacy and polars rank the accounts differently"
    results = []
    # Peak RSS of children is a running maximum: measure the leanest first.
    for name, cmd, out in [
        ("advocacy score --order input", [binary, "score", "--format", "csv", "--order", "input", data], inorder),
        ("polars (read, 12 criteria, sort, write)", peer, theirs),
        ("advocacy score (ranked)", [binary, "score", "--format", "csv", data], ours),
    ]:
        walls = [timed(cmd, out)[0] for _ in range(3)]
        results.append((name, min(walls), timed(cmd, out)[1]))
    print(f"{rows:,} accounts, {size:.0f} MB of CSV; best of 3 wall times")
    for name, wall, peak in results:
        print(f"  {name:<42} {wall:7.2f} s   peak RSS <= {peak:6.0f} MB (running maximum)")
    ratio = results[2][1] / results[1][1]
    print(f"  ranked advocacy / polars: {ratio:.2f}x the time")
    for p in (data, ours, theirs, inorder):
        os.remove(p)


if __name__ == "__main__":
    main()
