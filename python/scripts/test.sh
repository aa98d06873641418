#!/usr/bin/env bash
# Builds the `advocacy` Python package and runs all of its checks, from a fresh clone.
#
# Needs only Rust (cargo) and Python 3.11+ with pip and venv. It creates python/.venv (ignored by
# git), installs the pinned test dependencies, builds the abi3 wheel with maturin, installs it alone
# into a fresh environment for a smoke test and then into the test environment, then
# runs: clippy over the binding (the workspace lints deny unwrap/expect/panic), mypy's stubtest
# against the .pyi stubs, and pytest (tests/vectors, pandas/polars/pyarrow round trips, bad input,
# the generated typing advocacy/_types.pyi is current and accepted by mypy, every public function
# and class has a numpydoc docstring whose examples run as doctests (tests/test_docs.py), and the
# quickstart notebook executed with nbclient). Exits non-zero on any failure.
#
#   python/scripts/test.sh            # everything
#   BENCH=1 python/scripts/test.sh    # ... and the 1,000,000-row benchmark at the end
#   PYTHON=python3.12 python/scripts/test.sh
set -euo pipefail

PKG="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$PKG/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$PKG/.venv"
step() { printf '\n== %s [%ss]\n' "$1" "$SECONDS"; }

step "Python and virtual environment ($VENV)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" --version

step "pinned test dependencies"
"$PY" -m pip install -q --disable-pip-version-check -r "$PKG/requirements-test.txt"

# The workspace target dir, under its own name so that other builds do not wait on its lock.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/python}"

step "lints of the binding (clippy; the workspace denies unwrap, expect and panic)"
(cd "$ROOT" && cargo clippy -p advocacy-python --all-targets --no-deps -- -D warnings)

step "build the wheel (maturin build --release: one abi3 wheel for CPython 3.11+)"
# A quicker optimised build for the tests: no LTO and parallel codegen (a plain
# `pip install ./python` or `maturin build --release` outside this script uses the workspace's
# full release profile).
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-false}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-16}"
WHEELS="$ROOT/target/wheels"
rm -f "$WHEELS"/advocacy-*.whl
(cd "$PKG" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin build --release --out "$WHEELS")
WHEEL="$(ls "$WHEELS"/advocacy-*-abi3-*.whl)"
echo "wheel: $WHEEL"

step "smoke test: the wheel alone, in a fresh environment with nothing else installed"
SMOKE="$(mktemp -d)"
trap 'rm -rf "$SMOKE"' EXIT
"$PYTHON" -m venv "$SMOKE/venv"
"$SMOKE/venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "$WHEEL"
(cd "$SMOKE" && "$SMOKE/venv/bin/python" - <<'SMOKE_PY'
import advocacy
model = advocacy.Model.default()
s = model.score({"id": "acme", "nps": 10, "health_score": 92, "roi_achieved": "yes", "csm_rapport": 5,
                 "engaged_contacts": 4, "meeting_engagement": 5, "past_advocacy": 2, "proactive_feedback": 1,
                 "communication_comfort": 5, "brand_strength": 4})
assert (s.total, str(s.tier)) == (85.0, "platinum"), (s.total, s.tier)
print("smoke test: advocacy", advocacy.__version__, "scored", s.id, s.total, s.tier)
SMOKE_PY
)

step "install the wheel into the test environment"
"$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
(cd "$ROOT" && "$PY" -c 'import advocacy; print("advocacy", advocacy.__version__, "from", advocacy.__file__)')

step "stubs match the module (mypy stubtest)"
(cd "$PKG" && "$PY" -m mypy.stubtest advocacy --mypy-config-file mypy.ini --allowlist stubtest_allowlist.txt)

step "pytest (vectors, tables, bad input, typing, docstring doctests, notebook)"
(cd "$PKG" && "$PY" -m pytest tests -q -rs)

if [ "${BENCH:-0}" = "1" ]; then
    step "benchmark (1,000,000 rows)"
    (cd "$PKG" && "$PY" benches/bench_score_frame.py)
fi

step "all Python checks passed"
