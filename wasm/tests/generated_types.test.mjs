// js/generated/types.ts (committed; the build compiles it as it is) must be what
// scripts/gen-types.mjs makes from tests/schemas/types.json now: regenerated here in memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { generate, OUTPUT, REGENERATE, RENAME, SCHEMAS } from "../scripts/gen-types.mjs";

test("js/generated/types.ts is up to date with tests/schemas/types.json", async () => {
  const fresh = await generate();
  const committed = readFileSync(OUTPUT, "utf8");
  assert.ok(
    committed === fresh,
    `wasm/js/generated/types.ts is stale (tests/schemas/types.json changed): run \`${REGENERATE}\` from the repository root and commit the result`,
  );
});

test("every core and program schema has its declaration", async () => {
  const schemas = JSON.parse(readFileSync(SCHEMAS, "utf8"));
  const text = readFileSync(OUTPUT, "utf8");
  for (const side of ["core", "program"]) {
    for (const name of Object.keys(schemas[side])) {
      const ts = RENAME[name] ?? name;
      assert.match(text, new RegExp(`^export (interface|type) ${ts}\\b`, "m"), `${side}.${name} -> ${ts}`);
    }
  }
});
