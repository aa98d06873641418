#!/usr/bin/env bash
# Everything the JavaScript side promises, from a fresh clone on a machine with Rust, Python and
# Node 20 + npm (run as root for the Chromium install):
#   clippy (unwrap, expect and panic are denied: the workspace lints), build (package + page),
#   the vector, API, generated-types and doc-example tests (node --test), the tsc checks of a
#   consumer and of the input types, the bundler test (a Vite app built against pkg/, its
#   assets checked and run in Chromium), the npm tarball installed and smoke-tested in a fresh
#   folder, and the browser test against the advocacy CLI.
# Exits non-zero on any failure. Usage: wasm/scripts/test.sh [--bench]
set -euo pipefail

WASM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
step() { printf '\n==> %s\n' "$*"; }
START=$SECONDS

step "Chromium (Debian package) for the browser test"
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
/usr/bin/chromium --version

step "cargo clippy -p advocacy-wasm (wasm32, all features; workspace lints deny unwrap, expect, panic)"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# --no-deps: the binding's own lints (the core crates are linted by their own checks).
(cd "$ROOT" && cargo clippy -p advocacy-wasm --target wasm32-unknown-unknown --all-features --no-deps -- -D warnings)

step "build: package and page"
bash "$WASM_DIR/scripts/build.sh"

step "node --test: vectors, API, the generated types and the doc examples"
(cd "$WASM_DIR" && node --test tests/)

step "tsc --noEmit: consumer file and the input types (tests/json_types.ts)"
(cd "$WASM_DIR" && node_modules/.bin/tsc -p tests/tsconfig.json)

step "bundler: a Vite 7 app (tests/bundle-app, npm ci from its lockfile) holds only the module it imports"
(cd "$WASM_DIR/tests/bundle-app" && npm ci --no-audit --no-fund)
node "$WASM_DIR/tests/bundle.mjs"

step "npm pack: the tarball installed into a fresh folder (ESM, CommonJS, TypeScript node16)"
node "$WASM_DIR/tests/pack.mjs"

step "the advocacy CLI, for the browser test's reference"
(cd "$ROOT" && cargo build -q -p advocacy-cli)

step "browser test (playwright-core + /usr/bin/chromium)"
ADVOCACY_CLI="$TARGET_DIR/debug/advocacy" node "$WASM_DIR/tests/e2e.mjs"

if [[ "${1:-}" == "--bench" ]]; then
  step "bench"
  (cd "$WASM_DIR/bench" && npm ci --no-audit --no-fund && node bench.mjs)
fi

echo
echo "wasm: all tests passed in $((SECONDS - START)) s"
