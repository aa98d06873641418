#!/usr/bin/env bash
# Builds the `advocacy` Python package and runs all of its checks, from a fresh clone.
#
# Needs only Rust (cargo) and Python 3.11+ with pip and venv. It creates python/.venv (ignored by
# git), installs the pinned test dependencies, builds and installs the package with maturin, then
# runs: clippy over the binding (the workspace lints deny unwrap/expect/panic), mypy's stubtest
# against the .pyi stubs, and pytest (tests/vectors, pandas/polars/pyarrow round trips, bad input,
# the generated typing advocacy/_types.pyi is current and accepted by mypy, and the quickstart
# notebook executed with nbclient). Exits non-zero on any failure.
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

step "build and install the package (maturin develop --release)"
# A quicker optimised build for the tests: no LTO and parallel codegen (a plain
# `pip install ./python` or `maturin build --release` uses the workspace's full release profile).
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-false}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-16}"
(cd "$PKG" && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" maturin develop --release)
"$PY" -c 'import advocacy; print("advocacy", advocacy.__version__, "from", advocacy.__file__)'

step "stubs match the module (mypy stubtest)"
(cd "$PKG" && "$PY" -m mypy.stubtest advocacy --mypy-config-file mypy.ini --allowlist stubtest_allowlist.txt)

step "pytest (vectors, tables, bad input, typing, notebook)"
(cd "$PKG" && "$PY" -m pytest tests -q -rs)

if [ "${BENCH:-0}" = "1" ]; then
    step "benchmark (1,000,000 rows)"
    (cd "$PKG" && "$PY" benches/bench_score_frame.py)
fi

step "all Python checks passed"
