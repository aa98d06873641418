"""Generates samples/history/: six monthly scored snapshots of 30 sample accounts, one file per
as-of date (YYYY-MM-DD.csv), each the output of `advocacy score --format csv --order input`.

The accounts are 30 of samples/accounts.csv, in file order: those with an open policy who have
not opted out, and the first four others (whom a gate may hold down whatever their score). Each
month moves their signals by a fixed pattern (a third climb all along, a third fall from the
fourth month, a third wobble by a point of health); one account is missing from the third
snapshot (a gap in its timeline) and one joins in the fourth. The browser page loads these
files as its sample history (wasm/scripts/build.sh copies them), and the Python and browser
tests chart them.

Run from the repository root, with a built CLI:
    python3 samples/history/generate.py [path/to/advocacy]
(default: `cargo run -q -p advocacy-cli --`).
"""
import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATES = ["2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"]
ACCOUNTS = 30
ABSENT = (4, 2)  # the fifth account is not in the third snapshot
JOINS = (ACCOUNTS - 1, 3)  # the last account first appears in the fourth

cli = sys.argv[1:] or ["cargo", "run", "-q", "-p", "advocacy-cli", "--"]
with open(ROOT / "samples" / "accounts.csv", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    # mostly accounts that no gate holds down (open policy, not opted out), so that their tiers
    # move, and a few that a gate may hold
    rows, held = [], 0
    for r in reader:
        free = r[header.index("policy")] == "open" and r[header.index("opted_out")] != "true"
        if free or held < 4:
            rows.append(r)
            held += not free
        if len(rows) == ACCOUNTS:
            break
nps, health = header.index("nps"), header.index("health_score")


def move(cells: list[str], col: int, by: float) -> None:
    """Adds `by` to a known value, kept in range (health 0-100 with one decimal, NPS 0-10)."""
    if not cells[col]:
        return
    if col == nps:
        cells[col] = str(int(min(10, max(0, int(cells[col]) + by))))
    else:
        cells[col] = f"{min(100.0, max(0.0, float(cells[col]) + by)):.1f}"


def set_from(cells: list[str], month: int, changes: dict[int, dict[str, str]]) -> None:
    """Sets each column from its month on."""
    for start, values in changes.items():
        if month >= start:
            for name, value in values.items():
                cells[header.index(name)] = value


for old in HERE.glob("*.csv"):
    old.unlink()
for month, date in enumerate(DATES):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for i, r in enumerate(rows):
        if (i, month) == ABSENT or (i == JOINS[0] and month < JOINS[1]):
            continue
        cells = list(r)
        # Climbers: health and NPS up every month, ROI proven from the third month, a warmer CSM
        # relationship from the fourth, a first advocacy and engaged meetings from the fifth.
        # Fallers: from the fourth month health and NPS drop, then ROI is lost and rapport cools.
        if i % 3 == 0:
            move(cells, health, 5.0 * month)
            move(cells, nps, month)
            set_from(cells, month, {2: {"roi_achieved": "true"}, 3: {"csm_rapport": "4"},
                                    4: {"past_advocacy": "1", "meeting_engagement": "4"}})
        elif i % 3 == 1:
            move(cells, health, -20.0 * max(0, month - 2))
            move(cells, nps, -3 * max(0, month - 2))
            set_from(cells, month, {4: {"roi_achieved": "false", "csm_rapport": "2"}})
        else:
            move(cells, health, float(month % 2))
        w.writerow(cells)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as tmp:
        tmp.write(out.getvalue())
    try:
        scored = subprocess.run(
            [*cli, "score", "--format", "csv", "--order", "input", "--as-of", date, tmp.name],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    finally:
        Path(tmp.name).unlink()
    (HERE / f"{date}.csv").write_text(scored)
    print(f"samples/history/{date}.csv: {scored.count(chr(10)) - 1} accounts")
