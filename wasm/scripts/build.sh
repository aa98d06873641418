#!/usr/bin/env bash
# Builds the npm package `advocacy-wasm` (wasm/pkg/) and the demo page (wasm/web/dist/) from a
# fresh machine with Rust, Node 20 and npm:
#   1. the wasm32-unknown-unknown target and the wasm-bindgen CLI at the exact version of the
#      wasm-bindgen crate in Cargo.lock (installed when missing or different);
#   2. cargo build --target wasm32-unknown-unknown --profile wasm-release (opt-level z, fat LTO,
#      one codegen unit, panic=abort: see the root Cargo.toml);
#   3. wasm-bindgen --target web, then wasm-opt -Oz from the `binaryen` npm package;
#   4. the TypeScript wrapper (js/*.ts, with the committed js/generated/types.ts: the core's
#      types, made by scripts/gen-types.mjs) compiled next to the generated glue (ES modules),
#      and again as CommonJS into pkg/cjs for `require`;
#   5. the page: npm ci && npm run build in web/, with samples/accounts.csv as its sample and
#      samples/history/*.csv as its sample history.
# Usage: wasm/scripts/build.sh [--no-web] [--ts-only]
#   --ts-only: only step 4 (the wrapper), over the modules already in pkg/ (for editing js/*.ts).
set -euo pipefail

WASM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PKG="$WASM_DIR/pkg"
BUILD_WEB=1
TS_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --no-web) BUILD_WEB=0 ;;
    --ts-only) TS_ONLY=1 BUILD_WEB=0 ;;
    *) echo "usage: $0 [--no-web] [--ts-only]" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

if ((TS_ONLY)); then
  for f in advocacy_wasm.js advocacy_wasm_bg.wasm advocacy_program.js advocacy_program_bg.wasm; do
    [[ -f "$PKG/$f" ]] || { echo "error: --ts-only needs a built $PKG/$f (run build.sh once)" >&2; exit 1; }
  done
else
step "Rust target wasm32-unknown-unknown"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate exactly (the generated glue and the Wasm must agree).
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if [[ -z "$WB_VERSION" ]]; then
  echo "wasm-bindgen not found in Cargo.lock; run cargo once (cargo metadata) first" >&2
  exit 1
fi
step "wasm-bindgen CLI $WB_VERSION"
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]]; then
  # Not --locked: the CLI's own lockfile pins a yanked webpki-roots.
  cargo install wasm-bindgen-cli --version "=$WB_VERSION"
fi

step "npm tooling (typescript, binaryen, playwright-core) from wasm/package-lock.json"
(cd "$WASM_DIR" && npm ci --no-audit --no-fund)

step "cargo build (wasm32-unknown-unknown, profile wasm-release)"
(cd "$ROOT" && cargo build -p advocacy-wasm --target wasm32-unknown-unknown --profile wasm-release --locked)
RAW_WASM="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/advocacy_wasm.wasm"

step "wasm-bindgen --target web"
rm -rf "$PKG"
mkdir -p "$PKG"
wasm-bindgen --target web --out-dir "$PKG" --out-name advocacy_wasm "$RAW_WASM"

step "wasm-opt -Oz"
"$WASM_DIR/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  "$PKG/advocacy_wasm_bg.wasm" -o "$PKG/advocacy_wasm_bg.wasm"

# The program functions (js/program.ts) as a second module, loaded on first use: the same crate
# with its `program` feature (over the scoring module's size budget if built into it).
step "program module: cargo build --features program, wasm-bindgen, wasm-opt -Oz"
(cd "$ROOT" && cargo build -p advocacy-wasm --target wasm32-unknown-unknown --profile wasm-release --locked --features program)
wasm-bindgen --target web --out-dir "$PKG" --out-name advocacy_program "$RAW_WASM"
"$WASM_DIR/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  "$PKG/advocacy_program_bg.wasm" -o "$PKG/advocacy_program_bg.wasm"

fi

step "TypeScript wrapper"
# The glue's raw ABI signatures (InitOutput) type externref slots as `any`; they are opaque JS
# values, so declare them `unknown` (a declaration-only change).
sed -i -E 's/([(:,] ?)any([,)]|;|$)/\1unknown\2/g; s/=> any;/=> unknown;/g' \
  "$PKG/advocacy_wasm.d.ts" "$PKG/advocacy_wasm_bg.wasm.d.ts" "$PKG/advocacy_program.d.ts" "$PKG/advocacy_program_bg.wasm.d.ts"
# The glue's classes declare `[Symbol.dispose]`: name the lib that declares it, so a consumer
# without @types/node and with an es2022 lib type-checks them too (tests/pack.mjs checks).
for g in advocacy_wasm advocacy_program; do
  grep -q 'reference lib="esnext.disposable"' "$PKG/$g.d.ts" || sed -i '1i /// <reference lib="esnext.disposable" />' "$PKG/$g.d.ts"
done
TS_SOURCES=(errors.ts api.ts program.ts program-node.ts web.ts node.ts)
for f in "${TS_SOURCES[@]}"; do cp "$WASM_DIR/js/$f" "$PKG/"; done
mkdir -p "$PKG/generated"
cp "$WASM_DIR/js/generated/types.ts" "$PKG/generated/types.ts"
TSC="$WASM_DIR/node_modules/.bin/tsc"
TS_FLAGS=(--target es2022 --lib es2022,dom --types node --strict --skipLibCheck false --noUnusedLocals --noImplicitOverride)
# (run from wasm/: `--types node` resolves against the working directory's node_modules/@types)
(cd "$WASM_DIR" && "$TSC" "${TS_FLAGS[@]}" --module es2022 --moduleResolution bundler --declaration \
  "${TS_SOURCES[@]/#/$PKG/}" "$PKG/generated/types.ts")

# CommonJS build for `require` (pkg/cjs, "type": "commonjs"): the Node entries and everything
# they import, compiled again with `--module commonjs`. `import.meta.url` has no CommonJS form, so
# the copies read the file's URL from `__filename`, and the .wasm files are one folder up.
step "CommonJS build (pkg/cjs)"
CJS_SRC="$(mktemp -d)"
trap 'rm -rf "$CJS_SRC"' EXIT
CJS_TS=(errors.ts api.ts program.ts program-node.ts node.ts)
for f in "${CJS_TS[@]}"; do cp "$PKG/$f" "$CJS_SRC/"; done
mkdir -p "$CJS_SRC/generated"
cp "$PKG/generated/types.ts" "$CJS_SRC/generated/"
for g in advocacy_wasm advocacy_program; do cp "$PKG/$g.js" "$PKG/$g.d.ts" "$CJS_SRC/"; done
FILE_URL='require("node:url").pathToFileURL(__filename).href'
sed -i -E "s#new URL\((['\"])(\./)?(advocacy_[a-z]+_bg\.wasm)#new URL(\1../\3#g; s#import\.meta\.url#$FILE_URL#g" \
  "$CJS_SRC"/*.ts "$CJS_SRC"/*.js
if grep -n 'import\.meta' "$CJS_SRC"/*.ts "$CJS_SRC"/*.js | grep -v '^\S*:[0-9]*: *\*'; then
  echo "error: import.meta left in the CommonJS sources" >&2
  exit 1
fi
rm -rf "$PKG/cjs"
(cd "$WASM_DIR" && "$TSC" --target es2022 --module commonjs --allowJs --outDir "$PKG/cjs" \
  "$CJS_SRC/advocacy_wasm.js" "$CJS_SRC/advocacy_program.js")
cp "$CJS_SRC/advocacy_wasm.d.ts" "$CJS_SRC/advocacy_program.d.ts" "$PKG/cjs/"
(cd "$WASM_DIR" && "$TSC" "${TS_FLAGS[@]}" --module commonjs --moduleResolution node10 --declaration \
  --outDir "$PKG/cjs" --rootDir "$CJS_SRC" "${CJS_TS[@]/#/$CJS_SRC/}" "$CJS_SRC/generated/types.ts")
printf '{ "type": "commonjs" }\n' >"$PKG/cjs/package.json"

for f in "${TS_SOURCES[@]}"; do rm -f "$PKG/$f"; done
rm -f "$PKG/generated/types.ts"
cp "$WASM_DIR/js/package.json" "$PKG/package.json"
cp "$WASM_DIR/README.md" "$PKG/README.md" 2>/dev/null || true
# No `any` reaches consumers: the declarations must not use it (a TypeScript syntax check).
node "$WASM_DIR/scripts/check-no-any.mjs" "$PKG"/*.d.ts "$PKG"/generated/*.d.ts "$PKG"/cjs/*.d.ts "$PKG"/cjs/generated/*.d.ts

RAW_BYTES=$(wc -c <"$PKG/advocacy_wasm_bg.wasm")
GZ_BYTES=$(gzip -9 -c "$PKG/advocacy_wasm_bg.wasm" | wc -c)
printf '\nadvocacy_wasm_bg.wasm: %d bytes, %d bytes gzipped (%.1f KB; limit 250 KB)\n' \
  "$RAW_BYTES" "$GZ_BYTES" "$(awk -v b="$GZ_BYTES" 'BEGIN { print b / 1024 }')"
if ((GZ_BYTES > 250 * 1024)); then
  echo "error: the gzipped .wasm is over 250 KB" >&2
  exit 1
fi
PROGRAM_RAW=$(wc -c <"$PKG/advocacy_program_bg.wasm")
PROGRAM_GZ=$(gzip -9 -c "$PKG/advocacy_program_bg.wasm" | wc -c)
printf 'advocacy_program_bg.wasm: %d bytes, %d bytes gzipped (%.1f KB; loaded on first program call)\n' \
  "$PROGRAM_RAW" "$PROGRAM_GZ" "$(awk -v b="$PROGRAM_GZ" 'BEGIN { print b / 1024 }')"

if ((BUILD_WEB)); then
  step "page (wasm/web): npm ci && npm run build"
  mkdir -p "$WASM_DIR/web/public/samples"
  if [[ -f "$ROOT/samples/accounts.csv" ]]; then
    cp "$ROOT/samples/accounts.csv" "$WASM_DIR/web/public/samples/accounts.csv"
  else
    echo "warning: $ROOT/samples/accounts.csv is missing; the page gets a generated sample" >&2
    node "$WASM_DIR/scripts/gen-accounts.mjs" 300 >"$WASM_DIR/web/public/samples/accounts.csv"
  fi
  # The sample history (samples/history/YYYY-MM-DD.csv, from samples/history/generate.py) and
  # the list of its files, which the page fetches to load it.
  rm -rf "$WASM_DIR/web/public/samples/history"
  mkdir -p "$WASM_DIR/web/public/samples/history"
  HISTORY_FILES=()
  for f in "$ROOT"/samples/history/*.csv; do
    [[ -f "$f" ]] || continue
    cp "$f" "$WASM_DIR/web/public/samples/history/"
    HISTORY_FILES+=("\"$(basename "$f")\"")
  done
  (IFS=,; printf '[%s]\n' "${HISTORY_FILES[*]}") >"$WASM_DIR/web/public/samples/history/index.json"
  (cd "$WASM_DIR/web" && npm ci --no-audit --no-fund && npm run build)
fi
if ((BUILD_WEB)); then echo "done: $PKG and $WASM_DIR/web/dist"; else echo "done: $PKG"; fi
