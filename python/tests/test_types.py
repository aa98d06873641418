"""The generated typing (advocacy/_types.pyi) is current and type checkers accept it in use."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

PKG = Path(__file__).resolve().parents[1]
GENERATOR = PKG / "scripts" / "gen_types.py"
TYPES = PKG / "python" / "advocacy" / "_types.pyi"


def test_types_are_generated_from_the_schemas(tmp_path: Path) -> None:
    out = tmp_path / "_types.pyi"
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True, timeout=60)
    assert out.read_text(encoding="utf-8") == TYPES.read_text(encoding="utf-8"), (
        "python/python/advocacy/_types.pyi is stale (tests/schemas/types.json changed): "
        "regenerate it with `python python/scripts/gen_types.py`"
    )


USE = '''
from typing import assert_type

import advocacy
from advocacy import program
from advocacy._types import ErrorKind, FatigueReport, GateHit, Score, SignalSpec, SourceScores, Tier

s = advocacy.Model.default().score({"nps": 9})
d = s.to_dict()
assert_type(d, Score)
assert_type(d["tier"], Tier)
assert_type(s.gate, GateHit | None)
assert_type(advocacy.standard_signals(), list[SignalSpec])
d["totl"]  # type: ignore[typeddict-item]
r = program.fatigue({"account": "a", "ledger": [], "as_of": "2026-01-01"})
assert_type(r, FatigueReport)
assert_type(r["resting"], bool)
out = advocacy.Model.default().score_sources([{"name": "crm", "data": [{"id": "a", "nps": 9}], "date": "2026-01-01"}],
                                             conflicts="source_order", as_of="2026-06-30")
assert_type(out, SourceScores)
assert_type(out["accounts"][0]["id"], str)
out["acounts"]  # type: ignore[typeddict-item]
try:
    s = advocacy.Model.default().score({"nps": 11})
except advocacy.AdvocacyError as e:
    assert_type(e.kind, ErrorKind | None)
    assert_type(e.row, int | None)
'''


def test_mypy_accepts_the_typing_in_use(tmp_path: Path) -> None:
    """mypy reads the results' TypedDicts: keys are checked (an unused ignore would fail)."""
    use = tmp_path / "use.py"
    use.write_text(textwrap.dedent(USE), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(PKG / "mypy.ini"), "--strict", "--warn-unused-ignores",
         "--no-incremental", str(use)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert res.returncode == 0, res.stdout + res.stderr
