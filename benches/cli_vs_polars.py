"""The `advocacy score` command against polars doing the same job, side by side in one run.

    python benches/cli_vs_polars.py [--rows N] [--big N] [--binary PATH] [--runs K]

Writes a CSV of N accounts (default 1,000,000: the 200 samples repeated with new ids) and the
same table as Parquet (written by polars), then times, as whole processes, each with its own
peak RSS (wait4):
  - `advocacy score --format csv FILE` (ranked CSV on stdout), for the CSV and the Parquet file,
  - the same in input order (`--order input`),
  - polars: read_csv / read_parquet, the default model's twelve criteria and two gates as
    expressions, a stable sort by score, write_csv.
Before any time counts, the ranked ids, scores and tiers of advocacy and polars are checked
equal. With --big M (e.g. 10,000,000) it then scores an M-row file ranked and in input order
(and polars on it) to show the memory bound.
Needs polars (python/requirements-test.txt has it) and a release build of the CLI
(`cargo build --release -p advocacy-cli`).
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PEER = r"""
import sys, polars as pl
path = sys.argv[1]
df = pl.read_parquet(path) if path.endswith(".parquet") else pl.read_csv(path, infer_schema_length=10000)
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


def make_files(rows: int, parquet: bool) -> tuple[str, str | None]:
    with open(os.path.join(ROOT, "samples", "accounts.csv"), newline="") as f:
        data = list(csv.reader(f))
    header, body = data[0], data[1:]
    tails = [",".join(r[1:]) for r in body]
    fd, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w") as f:
        f.write(",".join(header) + "\n")
        for i in range(rows):
            f.write(f"ACC-{i},{tails[i % len(tails)]}\n")
    pq = None
    if parquet:
        # In a child: this process stays small (see `timed`).
        pq = path[:-4] + ".parquet"
        write = "import sys, polars as pl; pl.read_csv(sys.argv[1], infer_schema_length=10000).write_parquet(sys.argv[2])"
        subprocess.run([sys.executable, "-c", write, path, pq], check=True)
    return path, pq


def timed(cmd: list[str], out_path: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, its stdout written to out_path.

    Started with posix_spawn (no fork): a forked child's peak RSS would count this process's
    memory, which holds the comparison's outputs."""
    import shutil

    exe = cmd[0] if os.path.sep in cmd[0] else shutil.which(cmd[0])
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    null = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    try:
        pid = os.posix_spawn(exe, cmd, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, fd, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
        _, status, usage = os.wait4(pid, 0)
    finally:
        os.close(fd)
        os.close(null)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{cmd[:3]} failed ({status})")
    return wall, usage.ru_maxrss / 1024


def same_ranking(ours: str, theirs: str) -> bool:
    """The two ranked outputs list the same ids, scores and tiers in the same order."""
    with open(ours, newline="") as a, open(theirs, newline="") as b:
        for x, y in zip(csv.DictReader(a), csv.DictReader(b), strict=True):
            if (x["id"], float(x["score"]), x["tier"]) != (y["id"], float(y["score"]), y["tier"]):
                return False
    return True


def best(cmd: list[str], out: str, runs: int) -> tuple[float, float]:
    results = [timed(cmd, out) for _ in range(runs)]
    return min(w for w, _ in results), max(m for _, m in results)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--big", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "advocacy"))
    a = ap.parse_args()
    binary = a.binary
    data, pq = make_files(a.rows, parquet=True)
    size = os.path.getsize(data) / 1e6
    ours, theirs = data + ".ours", data + ".polars"
    # Warm the page cache, then check the outputs agree before timing anything.
    for f in (data, pq):
        timed([binary, "score", "--format", "csv", f], ours)
        timed([sys.executable, "-c", PEER, f], theirs)
        assert same_ranking(ours, theirs), f"advocacy and polars rank {f} differently"
    rows = []
    for label, f in (("CSV", data), ("Parquet", pq)):
        # Alternated, best of N each.
        ranked_ours = best([binary, "score", "--format", "csv", f], ours, a.runs)
        peer = best([sys.executable, "-c", PEER, f], theirs, a.runs)
        inorder = best([binary, "score", "--format", "csv", "--order", "input", f], ours, a.runs)
        rows.append((label, ranked_ours, inorder, peer))
    print(f"{a.rows:,} accounts ({size:.0f} MB of CSV, {os.path.getsize(pq) / 1e6:.0f} MB of Parquet); "
          f"best of {a.runs} wall times, peak RSS of each process")
    print(f"  {'input':<8} {'advocacy ranked':>22} {'advocacy --order input':>24} {'polars':>20} {'ranked/polars':>14}")
    for label, (w, m), (wi, mi), (wp, mp) in rows:
        print(f"  {label:<8} {w:8.2f} s {m:7.0f} MB {wi:10.2f} s {mi:7.0f} MB {wp:8.2f} s {mp:7.0f} MB {w / wp:12.2f}x")
    for p in (data, pq, ours, theirs):
        os.remove(p)
    if a.big:
        data, _ = make_files(a.big, parquet=False)
        size = os.path.getsize(data) / 1e6
        w, m = timed([binary, "score", "--format", "csv", data], ours)
        wi, mi = timed([binary, "score", "--format", "csv", "--order", "input", data], ours)
        wp, mp = timed([sys.executable, "-c", PEER, data], theirs)
        print(f"{a.big:,} accounts ({size:.0f} MB of CSV), one run each:")
        print(f"  advocacy ranked        {w:8.2f} s  peak RSS {m:7.0f} MB")
        print(f"  advocacy --order input {wi:8.2f} s  peak RSS {mi:7.0f} MB")
        print(f"  polars                 {wp:8.2f} s  peak RSS {mp:7.0f} MB")
        for p in (data, ours, theirs):
            os.remove(p)


if __name__ == "__main__":
    main()
