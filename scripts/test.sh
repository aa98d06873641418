#!/usr/bin/env bash
# Runs every test of the project from a fresh clone: Rust (format, lints, unit, doc, vector,
# property and CLI tests), then the Python package and the JavaScript package with its browser
# test. Each part installs what it needs. Set SKIP_PYTHON=1 or SKIP_WASM=1 to leave a part out.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rust: format, lints, tests"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --exclude advocacy-python --exclude advocacy-wasm -- -D warnings
cargo test --workspace --exclude advocacy-python --exclude advocacy-wasm

if [ "${SKIP_PYTHON:-}" != 1 ]; then
  echo "== python"
  bash python/scripts/test.sh
fi
if [ "${SKIP_WASM:-}" != 1 ]; then
  echo "== javascript and browser"
  bash wasm/scripts/test.sh
fi
echo "== all tests passed"
