// advocacy-wasm against the model written by hand in JavaScript, on what an API delivers: the
// `JSON.parse` of a payload of 1,000,000 accounts (default), every object with every key, `null`
// for a missing value (about 10% of each signal), the default model with target industries and
// segments. In one run, interleaved (every repetition runs each engine once, in turn), best of
// REPS per engine, ratios from the same run:
//
//   hand-written JS loop            the twelve criteria, the two gates and the tiers as `if`s over
//                                   the parsed objects (no validation): totals and tier codes
//   scoreColumns, typed arrays      Float64Array numbers and booleans (0/1, NaN = missing),
//                                   dictionary-encoded text (Uint32Array keys + validity)
//   scoreColumns, plain arrays      one JS array per key, as `records.map((r) => r.nps)` gives
//   scoreBatch                      the parsed objects as they are (ids taken and checked)
//   scoreBatch, ids: false          the same objects, ids not taken
//
// Every engine's totals and tiers are checked equal to advocacy-wasm's (`scoreBatch`) before
// any timing counts. json-rules-engine and zen-engine-wasm (one call per account) run on the
// first SLOW accounts (default 20,000; 1,000,000 would take minutes), once, checked the same way.
//
// Run: cd wasm/bench && npm ci && node bench.mjs [accounts] [reps] [slow accounts]
//      (after wasm/scripts/build.sh)
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Engine } from "json-rules-engine";
import { initSync as zenInit, evaluateExpression } from "@gorules/zen-engine-wasm";

import { Model } from "../pkg/node.js";

const N = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 7);
const SLOW = Math.min(N, Number(process.argv[4] ?? 20_000));
const TARGET_INDUSTRIES = ["software", "healthcare"];
const TARGET_SEGMENTS = ["enterprise", "mid_market"];

// ---- data: an API's JSON payload, parsed ------------------------------------------------------------
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const maybe = (v) => (rand() < 0.1 ? null : v);
const INDUSTRIES = ["software", "healthcare", "retail", "manufacturing", "finance", "media", "logistics", "education"];
const SEGMENTS = ["smb", "mid_market", "enterprise"];
const POLICIES = ["open", "open", "open", "approval_required", "prohibited"];

const payload = JSON.stringify(
  Array.from({ length: N }, (_, i) => ({
    id: `ACC-${i}`,
    nps: maybe(int(0, 10)),
    health_score: maybe(Math.round(rand() * 1000) / 10),
    roi_achieved: maybe(rand() < 0.4),
    csm_rapport: maybe(int(1, 5)),
    engaged_contacts: maybe(int(0, 8)),
    meeting_engagement: maybe(int(1, 5)),
    past_advocacy: maybe(int(0, 3)),
    proactive_feedback: maybe(int(0, 4)),
    communication_comfort: maybe(int(1, 5)),
    industry: maybe(INDUSTRIES[int(0, INDUSTRIES.length - 1)]),
    segment: maybe(SEGMENTS[int(0, 2)]),
    brand_strength: maybe(int(1, 5)),
    policy: maybe(POLICIES[int(0, POLICIES.length - 1)]),
    opted_out: maybe(rand() < 0.05),
  })),
);
const accounts = JSON.parse(payload);

// The same accounts as columns (built once, not timed: the caller's own format).
const NUMERIC = ["nps", "health_score", "csm_rapport", "engaged_contacts", "meeting_engagement", "past_advocacy", "proactive_feedback", "communication_comfort", "brand_strength"];
const BOOLEAN = ["roi_achieved", "opted_out"];
const TEXT = ["industry", "segment", "policy"];
const plain = {};
for (const k of [...NUMERIC, ...BOOLEAN, ...TEXT]) plain[k] = accounts.map((a) => a[k]);
const typed = {};
for (const k of NUMERIC) typed[k] = Float64Array.from(accounts, (a) => a[k] ?? NaN);
for (const k of BOOLEAN) typed[k] = Float64Array.from(accounts, (a) => (a[k] === null ? NaN : a[k] ? 1 : 0));
for (const k of TEXT) {
  const values = [];
  const index = new Map();
  const keys = new Uint32Array(N);
  const valid = new Uint8Array(N);
  accounts.forEach((a, i) => {
    const v = a[k];
    if (v === null) return;
    let key = index.get(v);
    if (key === undefined) index.set(v, (key = values.push(v) - 1));
    keys[i] = key;
    valid[i] = 1;
  });
  typed[k] = { keys, values, valid };
}

// ---- the engines ------------------------------------------------------------------------------------
const model = Model.default().withTargets({ industries: TARGET_INDUSTRIES, segments: TARGET_SEGMENTS });

/** The default model by hand (models/default.json): twelve criteria (missing = 0 points), the two
 * gates (policy prohibited, opted out: not advocate material), the tier thresholds 80/60/40.
 * Totals, and tier codes as advocacy-wasm's `tierCode` numbers them. */
function handLoop(accts) {
  const n = accts.length;
  const total = new Float64Array(n);
  const tier = new Uint8Array(n);
  const ind = new Set(TARGET_INDUSTRIES);
  const seg = new Set(TARGET_SEGMENTS);
  for (let i = 0; i < n; i++) {
    const a = accts[i];
    let t = 0;
    if (a.nps >= 9) t += 10;
    if (a.health_score > 80) t += 10;
    if (a.roi_achieved === true) t += 10;
    if (a.csm_rapport >= 4) t += 10;
    if (a.engaged_contacts >= 3) t += 10;
    if (a.meeting_engagement >= 4) t += 5;
    if (a.past_advocacy >= 1) t += 10;
    if (a.proactive_feedback >= 1) t += 10;
    if (a.communication_comfort >= 4) t += 5;
    if (ind.has(a.industry)) t += 10;
    if (seg.has(a.segment)) t += 5;
    if (a.brand_strength >= 4) t += 5;
    total[i] = t;
    tier[i] = a.policy === "prohibited" || a.opted_out === true ? 4 : t >= 80 ? 0 : t >= 60 ? 1 : t >= 40 ? 2 : 3;
  }
  return { total, tierCode: tier };
}

function rulesEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const spec = model.toObject();
  const ops = { ">=": "greaterThanInclusive", ">": "greaterThan" };
  for (const cat of spec.categories) {
    for (const c of cat.criteria) {
      let condition;
      if (c.rule.op === "is") condition = { fact: c.signal, operator: "equal", value: c.rule.value };
      else if (c.rule.op === "in_target") condition = { fact: c.signal, operator: "in", value: spec.targets[c.rule.list] };
      else condition = { fact: c.signal, operator: ops[c.rule.op], value: c.rule.value };
      engine.addRule({ conditions: { all: [condition] }, event: { type: "points", params: { points: c.points } } });
    }
  }
  return engine;
}

function zenExpression() {
  const spec = model.toObject();
  const parts = [];
  for (const cat of spec.categories) {
    for (const c of cat.criteria) {
      const s = c.signal;
      let cond;
      if (c.rule.op === "is") cond = `${s} == ${c.rule.value}`;
      else if (c.rule.op === "in_target") cond = `${s} != null and lower(${s}) in [${spec.targets[c.rule.list].map((x) => `'${x}'`).join(", ")}]`;
      else cond = `${s} != null and ${s} ${c.rule.op} ${c.rule.value}`;
      parts.push(`(${cond} ? ${c.points} : 0)`);
    }
  }
  return parts.join(" + ");
}

// ---- checks, then timing -----------------------------------------------------------------------------
// The scoring module's size as scripts/build.sh measures it (`gzip -9`; zlib's level 9 without gzip).
const wasmFile = fileURLToPath(new URL("../pkg/advocacy_wasm_bg.wasm", import.meta.url));
const wasmBytes = readFileSync(wasmFile);
let gz;
try {
  gz = execFileSync("gzip", ["-9", "-c", wasmFile], { maxBuffer: 1 << 26 }).length;
} catch {
  gz = gzipSync(wasmBytes, { level: 9 }).length;
}
console.log(`advocacy bench: ${N.toLocaleString("en-US")} accounts parsed from one JSON payload (${(payload.length / 1e6).toFixed(0)} MB), default model with targets, Node ${process.version}`);
console.log(`scoring module: ${wasmBytes.length.toLocaleString("en-US")} bytes, ${gz.toLocaleString("en-US")} gzip -9 (${(gz / 1024).toFixed(1)} KB)\n`);

const ENGINES = [
  ["hand-written JS loop (objects)", () => handLoop(accounts)],
  ["scoreColumns (typed arrays)", () => model.scoreColumns(typed)],
  ["scoreColumns (plain arrays)", () => model.scoreColumns(plain)],
  ["scoreBatch (objects)", () => model.scoreBatch(accounts)],
  ["scoreBatch (objects, ids: false)", () => model.scoreBatch(accounts, { ids: false })],
];

const reference = model.scoreBatch(accounts);
assert.equal(reference.errors.length, 0);
const totals = Array.from(reference.total);
const tierCodes = Array.from(reference.tierCode);
for (const [name, run] of ENGINES) {
  const out = run();
  assert.deepEqual(Array.from(out.total), totals, `${name}: totals`);
  assert.deepEqual(Array.from(out.tierCode), tierCodes, `${name}: tiers`);
}

const best = new Map(ENGINES.map(([name]) => [name, Infinity]));
for (let r = 0; r < REPS; r++) {
  for (const [name, run] of ENGINES) {
    const t0 = process.hrtime.bigint();
    run();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    best.set(name, Math.min(best.get(name), secs));
  }
}

const rate = new Map();
function report(name, secs, n) {
  rate.set(name, n / secs);
  console.log(`${name.padEnd(36)} ${(secs * 1000).toFixed(1).padStart(9)} ms  ${Math.round(n / secs).toLocaleString("en-US").padStart(12)} accounts/s`);
}
for (const [name] of ENGINES) report(name, best.get(name), N);

// ---- the engines that take one account at a time, on the first SLOW accounts -------------------------
const few = accounts.slice(0, SLOW);
const engine = rulesEngine();
let t0 = process.hrtime.bigint();
const jre = new Float64Array(SLOW);
for (let i = 0; i < SLOW; i++) {
  const { events } = await engine.run(few[i]);
  let t = 0;
  for (const e of events) t += e.params.points;
  jre[i] = t;
}
const jreSecs = Number(process.hrtime.bigint() - t0) / 1e9;
assert.deepEqual(Array.from(jre), totals.slice(0, SLOW), "json-rules-engine = advocacy-wasm");
report(`json-rules-engine (${SLOW.toLocaleString("en-US")})`, jreSecs, SLOW);

zenInit({ module: readFileSync(new URL("./node_modules/@gorules/zen-engine-wasm/dist/zen_engine_wasm_bg.wasm", import.meta.url)) });
const expr = zenExpression();
t0 = process.hrtime.bigint();
const zen = new Float64Array(SLOW);
for (let i = 0; i < SLOW; i++) zen[i] = evaluateExpression(expr, few[i]);
const zenSecs = Number(process.hrtime.bigint() - t0) / 1e9;
assert.deepEqual(Array.from(zen), totals.slice(0, SLOW), "zen-engine-wasm = advocacy-wasm");
report(`zen-engine-wasm (${SLOW.toLocaleString("en-US")})`, zenSecs, SLOW);

const hand = rate.get("hand-written JS loop (objects)");
const jr = rate.get(`json-rules-engine (${SLOW.toLocaleString("en-US")})`);
const zr = rate.get(`zen-engine-wasm (${SLOW.toLocaleString("en-US")})`);
const x = (v) => `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}x`;
console.log(`\nratios, same run (target: scoreColumns >= 1x the hand loop, scoreBatch >= 0.5x, >= 50x json-rules-engine)`);
console.log(`${"".padEnd(36)} ${"/ hand loop".padStart(12)} ${"/ json-rules".padStart(13)} ${"/ zen".padStart(8)}`);
for (const [name] of ENGINES.slice(1)) {
  const r = rate.get(name);
  console.log(`${name.padEnd(36)} ${x(r / hand).padStart(12)} ${x(r / jr).padStart(13)} ${x(r / zr).padStart(8)}`);
}
