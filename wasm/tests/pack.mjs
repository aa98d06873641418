// The npm tarball: `npm pack` of pkg/, installed into a fresh folder with `npm install <tarball>`
// (as a user installs it), then a smoke test there:
//   - import (ESM): score one account; the program entry `advocacy-wasm/program`;
//   - require (CommonJS) of both entry points with require(esm) turned off
//     (--no-experimental-require-module), so they are the package's own CommonJS build;
//   - TypeScript (moduleResolution node16) resolves the types of both entry points for an ES
//     module (.mts) and a CommonJS module (.cts), and a typo of a signal is an error there too.
// The tarball is left in pkg/.. as wasm/advocacy-wasm-<version>.tgz only with KEEP_TARBALL=1.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WASM = path.join(HERE, "..");
const PKG = path.join(WASM, "pkg");
const TSC = path.join(WASM, "node_modules", "typescript", "bin", "tsc");
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const start = Date.now();
const dir = mkdtempSync(path.join(tmpdir(), "advocacy-pack-"));
try {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], PKG));
  const names = packed.files.map((f) => f.path).sort();
  console.log(`${packed.filename}: ${names.length} files, ${(packed.size / 1024).toFixed(1)} KB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked`);
  for (const f of ["package.json", "README.md", "node.js", "web.js", "program.js", "program-node.js", "cjs/node.js", "cjs/program-node.js", "cjs/package.json", "advocacy_wasm_bg.wasm", "advocacy_program_bg.wasm"]) {
    assert.ok(names.includes(f), `the tarball lacks ${f}`);
  }
  const stray = names.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  assert.deepEqual(stray, [], "TypeScript sources in the tarball");
  const tarball = path.join(dir, packed.filename);
  if (process.env.KEEP_TARBALL === "1") copyFileSync(tarball, path.join(WASM, packed.filename));

  const app = path.join(dir, "app");
  run("mkdir", ["-p", app], dir);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "smoke", private: true, version: "0.0.0" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], app);

  writeFileSync(
    path.join(app, "esm.mjs"),
    `import { Model, AdvocacyError } from "advocacy-wasm";
import { fatigue, AdvocacyError as ProgramError } from "advocacy-wasm/program";
const s = Model.default().score({ id: "acme", nps: 9, health_score: 91.5, roi_achieved: true });
const f = fatigue({ account: "acme", as_of: "2026-04-01", ledger: [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }] });
let bad; try { fatigue({}); } catch (e) { bad = e instanceof AdvocacyError && e instanceof ProgramError; }
console.log(JSON.stringify({ total: s.total, tier: s.tier, resting: f.resting, bad }));
`,
  );
  writeFileSync(
    path.join(app, "cjs.cjs"),
    `const { Model, AdvocacyError } = require("advocacy-wasm");
const program = require("advocacy-wasm/program");
const s = Model.default().score({ id: "acme", nps: 9, health_score: 91.5, roi_achieved: true });
const f = program.fatigue({ account: "acme", as_of: "2026-04-01", ledger: [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }] });
let bad; try { program.fatigue({}); } catch (e) { bad = e instanceof AdvocacyError && e instanceof program.AdvocacyError; }
console.log(JSON.stringify({ total: s.total, tier: s.tier, resting: f.resting, bad, file: require.resolve("advocacy-wasm").split("advocacy-wasm")[1] }));
`,
  );
  const expected = { total: 30, tier: "not_yet_qualified", resting: true, bad: true };
  assert.deepEqual(JSON.parse(run(process.execPath, ["esm.mjs"], app)), expected);
  const cjs = JSON.parse(run(process.execPath, ["--no-experimental-require-module", "cjs.cjs"], app));
  assert.deepEqual(cjs, { ...expected, file: "/cjs/node.js" });

  writeFileSync(
    path.join(app, "esm.mts"),
    `import { Model, type Score } from "advocacy-wasm";
import { fatigue, type FatigueReport } from "advocacy-wasm/program";
const s: Score = Model.default().score({ id: "acme", nps: 9 });
const f: FatigueReport = fatigue({ account: "acme", as_of: "2026-04-01", ledger: [] });
// @ts-expect-error a typo of a signal
Model.default().score({ nsp: 9 });
console.log(s.total, f.resting);
`,
  );
  writeFileSync(
    path.join(app, "cjs.cts"),
    `import advocacy = require("advocacy-wasm");
import program = require("advocacy-wasm/program");
const s: advocacy.Score = advocacy.Model.default().score({ id: "acme", nps: 9 });
const f: program.FatigueReport = program.fatigue({ account: "acme", as_of: "2026-04-01", ledger: [] });
// @ts-expect-error a typo of a signal
advocacy.Model.default().score({ nsp: 9 });
console.log(s.total, f.resting);
`,
  );
  writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { module: "node16", moduleResolution: "node16", target: "es2022", strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ["es2022", "dom"] },
      files: ["esm.mts", "cjs.cts"],
    }),
  );
  try {
    run(process.execPath, [TSC, "-p", "tsconfig.json"], app);
  } catch (e) {
    assert.fail(`tsc (node16) in the installed package's folder:\n${e.stdout}${e.stderr}`);
  }
  console.log(`tarball installed and smoke-tested (ESM, CommonJS, TypeScript node16) in ${((Date.now() - start) / 1000).toFixed(1)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
