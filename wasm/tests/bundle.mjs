// The bundler test: builds the small Vite app in tests/bundle-app (its own package.json and
// lockfile; `npm ci` first, see scripts/test.sh) against the built package in pkg/, then checks
// what the bundles hold and that they run in Chromium:
//   - score.html imports only the scoring API: its assets hold the scoring .wasm (byte for byte
//     pkg/advocacy_wasm_bg.wasm) and nothing of the program module (neither its .wasm nor its
//     glue), within the size budgets below;
//   - program.html imports `advocacy-wasm/program`: its assets hold the program .wasm and not
//     the scoring one;
//   - both pages, served from 127.0.0.1 and opened in Chromium, show the results of the calls.
// Env: CHROMIUM (default /usr/bin/chromium).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = path.join(HERE, "bundle-app");
const PKG = path.join(HERE, "..", "pkg");
const KB = 1024;
/** Budgets of the scoring bundle, gzipped: the module's own budget, the JS, everything. */
const BUDGET = { wasm: 250 * KB, js: 24 * KB, total: 275 * KB };

/** Gzipped size as scripts/build.sh measures it (`gzip -9`; zlib's level 9 without gzip). */
function gz(bytes) {
  try {
    return execFileSync("gzip", ["-9", "-c"], { input: bytes, maxBuffer: 1 << 26 }).length;
  } catch {
    return gzipSync(bytes, { level: 9 }).length;
  }
}
const kb = (n) => `${(n / KB).toFixed(1)} KB`;

function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function build(mode) {
  const vite = path.join(APP, "node_modules", "vite", "bin", "vite.js");
  execFileSync(process.execPath, [vite, "build", "--mode", mode], { cwd: APP, stdio: "inherit" });
  return files(path.join(APP, "dist", mode === "production" ? "score" : "program"));
}

const scoringWasm = readFileSync(path.join(PKG, "advocacy_wasm_bg.wasm"));
const programWasm = readFileSync(path.join(PKG, "advocacy_program_bg.wasm"));

function check(name, assets, own, other, otherMarkers) {
  const table = assets.map((f) => {
    const bytes = readFileSync(f);
    return { file: path.relative(APP, f), bytes, raw: bytes.length, gzip: gz(bytes) };
  });
  for (const a of table) console.log(`  ${a.file}: ${kb(a.raw)} raw, ${kb(a.gzip)} gzipped`);
  const wasm = table.filter((a) => a.file.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `${name}: one .wasm asset expected, got ${wasm.map((a) => a.file).join(", ")}`);
  assert.ok(wasm[0].bytes.equals(own), `${name}: the .wasm asset is not the package's ${name} module`);
  for (const a of table) {
    assert.ok(!a.bytes.equals(other), `${name}: ${a.file} is the other module`);
    if (a.file.endsWith(".js")) {
      const text = a.bytes.toString("utf8");
      for (const marker of otherMarkers) assert.ok(!text.includes(marker), `${name}: ${a.file} contains ${marker}`);
    }
  }
  return table;
}

function serve(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function run(context, dir, page) {
  const server = await serve(dir);
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    tab.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await tab.goto(`http://127.0.0.1:${server.address().port}/${page}`, { waitUntil: "load" });
    await tab.waitForFunction(() => document.getElementById("out")?.textContent !== "loading", null, { timeout: 20_000 });
    const text = await tab.evaluate(() => document.getElementById("out").textContent);
    assert.deepEqual(errors, [], `${page}: errors in the page`);
    await tab.close();
    return JSON.parse(text.startsWith("error") ? JSON.stringify({ error: text }) : text);
  } finally {
    server.close();
  }
}

const start = Date.now();
console.log("scoring app (score.html: import { init, Model } from \"advocacy-wasm\")");
const score = check("scoring", build("production"), scoringWasm, programWasm, ["advocacy_program", "programRun"]);
const jsGz = score.filter((a) => a.file.endsWith(".js")).reduce((n, a) => n + a.gzip, 0);
const wasmGz = score.filter((a) => a.file.endsWith(".wasm")).reduce((n, a) => n + a.gzip, 0);
const totalGz = score.reduce((n, a) => n + a.gzip, 0);
console.log(`  gzipped: wasm ${kb(wasmGz)} (budget ${kb(BUDGET.wasm)}), js ${kb(jsGz)} (budget ${kb(BUDGET.js)}), all ${kb(totalGz)} (budget ${kb(BUDGET.total)})`);
assert.ok(wasmGz <= BUDGET.wasm, `the scoring bundle's wasm is ${kb(wasmGz)} gzipped`);
assert.ok(jsGz <= BUDGET.js, `the scoring bundle's JavaScript is ${kb(jsGz)} gzipped`);
assert.ok(totalGz <= BUDGET.total, `the scoring bundle is ${kb(totalGz)} gzipped`);

console.log("program app (program.html: import { init, fatigue } from \"advocacy-wasm/program\")");
check("program", build("program"), programWasm, scoringWasm, ["advocacy_wasm_bg"]);

const userDataDir = await mkdtemp(path.join(tmpdir(), "advocacy-bundle-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  assert.deepEqual(await run(context, path.join(APP, "dist", "score"), "score.html"), { total: 30, tier: "not_yet_qualified" });
  assert.deepEqual(await run(context, path.join(APP, "dist", "program"), "program.html"), { resting: true, until: "2026-06-08" });
} finally {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
}
console.log(`bundle test passed in ${((Date.now() - start) / 1000).toFixed(1)} s`);
