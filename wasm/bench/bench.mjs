// Scores 100,000 accounts in Node with the default model (targets set) five ways, in one run:
//   advocacy-wasm objects   model.scoreBatch(records)          (validates every value, explains per category)
//   advocacy-wasm columnar  model.scoreColumns({...})           typed arrays + string arrays
//   advocacy-wasm dict      model.scoreColumns({...})           typed arrays + dictionary-encoded text
//   hand-written JS loop    the twelve criteria as `if`s over objects (no validation)
//   json-rules-engine       the model as twelve rules, engine.run(account) per account
//   zen-engine-wasm         the model as one ZEN expression, evaluateExpression per account
// Every engine's totals are checked against advocacy-wasm's before timing counts.
//
// Run: cd wasm/bench && npm ci && node bench.mjs [accounts]   (after wasm/scripts/build.sh)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Engine } from "json-rules-engine";
import { initSync as zenInit, evaluateExpression } from "@gorules/zen-engine-wasm";

import { Model } from "../pkg/node.js";

const N = Number(process.argv[2] ?? 100_000);
const TARGET_INDUSTRIES = ["software", "healthcare"];
const TARGET_SEGMENTS = ["enterprise", "mid_market"];

// ---- data: deterministic accounts with about 10% of each signal missing ----------------------------
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
const maybe = (v) => (rand() < 0.1 ? undefined : v);
const INDUSTRIES = ["software", "healthcare", "retail", "manufacturing", "finance", "media", "logistics", "education"];
const SEGMENTS = ["smb", "mid_market", "enterprise"];
const POLICIES = ["open", "open", "open", "approval_required", "prohibited"];

const accounts = Array.from({ length: N }, (_, i) => {
  const a = { id: `ACC-${i}` };
  const set = (k, v) => v !== undefined && (a[k] = v);
  set("nps", maybe(int(0, 10)));
  set("health_score", maybe(Math.round(rand() * 1000) / 10));
  set("roi_achieved", maybe(rand() < 0.4));
  set("csm_rapport", maybe(int(1, 5)));
  set("engaged_contacts", maybe(int(0, 8)));
  set("meeting_engagement", maybe(int(1, 5)));
  set("past_advocacy", maybe(int(0, 3)));
  set("proactive_feedback", maybe(int(0, 4)));
  set("communication_comfort", maybe(int(1, 5)));
  set("industry", maybe(INDUSTRIES[int(0, INDUSTRIES.length - 1)]));
  set("segment", maybe(SEGMENTS[int(0, 2)]));
  set("brand_strength", maybe(int(1, 5)));
  set("policy", maybe(POLICIES[int(0, POLICIES.length - 1)]));
  set("opted_out", maybe(rand() < 0.05));
  return a;
});

const NUMERIC = ["nps", "health_score", "csm_rapport", "engaged_contacts", "meeting_engagement", "past_advocacy", "proactive_feedback", "communication_comfort", "brand_strength"];
const columns = {};
for (const k of NUMERIC) columns[k] = Float64Array.from(accounts, (a) => a[k] ?? NaN);
for (const k of ["roi_achieved", "opted_out"]) columns[k] = accounts.map((a) => a[k] ?? null);
for (const k of ["industry", "segment", "policy"]) columns[k] = accounts.map((a) => a[k] ?? null);
const dictColumns = { ...columns };
for (const k of ["industry", "segment", "policy"]) {
  const values = [];
  const index = new Map();
  const keys = new Uint32Array(N);
  const valid = new Uint8Array(N);
  columns[k].forEach((v, i) => {
    if (v === null) return;
    let key = index.get(v);
    if (key === undefined) index.set(v, (key = values.push(v) - 1));
    keys[i] = key;
    valid[i] = 1;
  });
  dictColumns[k] = { keys, values, valid };
}
for (const k of ["roi_achieved", "opted_out"]) {
  dictColumns[k] = Float64Array.from(accounts, (a) => (a[k] === undefined ? NaN : a[k] ? 1 : 0));
}

// ---- the engines ------------------------------------------------------------------------------------
const model = Model.default().withTargets({ industries: TARGET_INDUSTRIES, segments: TARGET_SEGMENTS });

function handLoop(accts) {
  const n = accts.length;
  const total = new Float64Array(n);
  const tier = new Array(n);
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
    tier[i] =
      a.policy === "prohibited" || a.opted_out === true
        ? "not_advocate_material"
        : t >= 80 ? "platinum" : t >= 60 ? "gold" : t >= 40 ? "silver" : "not_yet_qualified";
  }
  return { total, tier };
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

// ---- timing -------------------------------------------------------------------------------------------
function time(fn, reps) {
  const times = [];
  let out;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    out = fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { out, secs: times[Math.floor(times.length / 2)] };
}
async function timeAsync(fn) {
  const t0 = process.hrtime.bigint();
  const out = await fn();
  return { out, secs: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const results = [];
function report(name, secs, n = N) {
  const rate = n / secs;
  results.push({ name, rate });
  console.log(`${name.padEnd(34)} ${(secs * 1000).toFixed(1).padStart(9)} ms  ${Math.round(rate).toLocaleString("en-US").padStart(12)} accounts/s`);
}

console.log(`advocacy bench: ${N.toLocaleString("en-US")} accounts, default model with targets, Node ${process.version}\n`);

const reference = model.scoreBatch(accounts);
const hand = handLoop(accounts);
assert.deepEqual(Array.from(hand.total), Array.from(reference.total), "hand loop = advocacy-wasm");
assert.deepEqual(hand.tier, reference.tier, "hand loop tiers = advocacy-wasm");

const objects = time(() => model.scoreBatch(accounts), 9);
report("advocacy-wasm scoreBatch (objects)", objects.secs);
const cols = time(() => model.scoreColumns(columns), 9);
assert.deepEqual(Array.from(cols.out.total), Array.from(reference.total));
report("advocacy-wasm scoreColumns", cols.secs);
const dict = time(() => model.scoreColumns(dictColumns), 9);
assert.deepEqual(Array.from(dict.out.total), Array.from(reference.total));
assert.deepEqual(dict.out.tier, reference.tier);
report("advocacy-wasm scoreColumns (dict)", dict.secs);
const loop = time(() => handLoop(accounts), 9);
report("hand-written JS loop", loop.secs);

const engine = rulesEngine();
const jre = await timeAsync(async () => {
  const total = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const { events } = await engine.run(accounts[i]);
    let t = 0;
    for (const e of events) t += e.params.points;
    total[i] = t;
  }
  return total;
});
assert.deepEqual(Array.from(jre.out), Array.from(reference.total), "json-rules-engine = advocacy-wasm");
report("json-rules-engine", jre.secs);

zenInit({ module: readFileSync(new URL("./node_modules/@gorules/zen-engine-wasm/dist/zen_engine_wasm_bg.wasm", import.meta.url)) });
const expr = zenExpression();
const zen = time(() => {
  const total = new Float64Array(N);
  for (let i = 0; i < N; i++) total[i] = evaluateExpression(expr, accounts[i]);
  return total;
}, 1);
assert.deepEqual(Array.from(zen.out), Array.from(reference.total), "zen-engine-wasm = advocacy-wasm");
report("zen-engine-wasm (expression)", zen.secs);

const rate = Object.fromEntries(results.map((r) => [r.name, r.rate]));
const ratio = (a, b) => `${(rate[a] / rate[b]).toFixed(2)}x`;
console.log("\nratios (higher = advocacy-wasm faster)");
console.log(`  columnar / hand-written loop        ${ratio("advocacy-wasm scoreColumns", "hand-written JS loop")}`);
console.log(`  columnar (dict) / hand-written loop ${ratio("advocacy-wasm scoreColumns (dict)", "hand-written JS loop")}`);
console.log(`  objects / hand-written loop         ${ratio("advocacy-wasm scoreBatch (objects)", "hand-written JS loop")}`);
console.log(`  objects / json-rules-engine         ${ratio("advocacy-wasm scoreBatch (objects)", "json-rules-engine")}`);
console.log(`  objects / zen-engine-wasm           ${ratio("advocacy-wasm scoreBatch (objects)", "zen-engine-wasm (expression)")}`);
console.log(`  columnar / json-rules-engine        ${ratio("advocacy-wasm scoreColumns", "json-rules-engine")}`);
console.log(`  columnar / zen-engine-wasm          ${ratio("advocacy-wasm scoreColumns", "zen-engine-wasm (expression)")}`);
