// Runs every program vector file (tests/vectors/program_*.json: kinds segments, overrides,
// eligibility, fatigue, match, review/movement, metrics, history) through the package's `program`
// functions, exactly as the Rust runner tests/program_vectors.rs does:
//   - `expect` (hand-written, partial) must match: every key given matches, arrays of the same
//     length match item by item;
//   - `output` (the core's full result) must deep-equal the result, and write the same JSON text;
//   - `error` cases must throw an AdvocacyError (type "program") whose fields equal every key given.
// A program vector kind with no runner here fails the suite. Also: bad input of every shape
// throws an AdvocacyError, never anything else.
//
// Run: node --test wasm/tests/   (after wasm/scripts/build.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const HERE = path.dirname(fileURLToPath(import.meta.url));
// ADVOCACY_WASM_PKG: another build of the package (default: wasm/pkg).
const PKG = process.env.ADVOCACY_WASM_PKG ?? path.resolve(HERE, "../pkg");
const program = await import(pathToFileURL(path.join(PKG, "program-node.js")).href);
const { AdvocacyError } = program;

const VECTORS = path.resolve(HERE, "../../tests/vectors");

// One runner per program vector kind (the functions of `advocacy_program::json::FUNCTIONS`).
const RUNNERS = {
  segments: program.segments,
  overrides: program.overrides,
  eligibility: program.eligibility,
  fatigue: program.fatigue,
  match: program.matchRequest,
  review: program.review,
  movement: program.review,
  metrics: program.metrics,
  history: program.history,
  draft: program.draft,
  requests: program.requests,
};
const REQUIRED_KINDS = ["segments", "overrides", "eligibility", "fatigue", "match", "review", "metrics", "history", "draft", "requests"];
// Kinds vectors.test.mjs runs.
const SCORE_KINDS = ["score", "model_errors", "tables", "sources"];

const files = readdirSync(VECTORS)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ file: f, data: JSON.parse(readFileSync(path.join(VECTORS, f), "utf8")) }));

/** The Rust runner's `matches`: partial objects, same-length arrays, everything else equal. */
function matches(expected, actual, where) {
  if (isObject(expected) && isObject(actual)) {
    for (const [k, v] of Object.entries(expected)) {
      assert.ok(Object.hasOwn(actual, k), `${where}.${k}: missing in result`);
      matches(v, actual[k], `${where}.${k}`);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    assert.equal(actual.length, expected.length, `${where}: expected ${expected.length} items, got ${JSON.stringify(actual)}`);
    expected.forEach((x, i) => matches(x, actual[i], `${where}[${i}]`));
    return;
  }
  assert.deepStrictEqual(actual, expected, `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function errorFields(e) {
  return { code: e.code, path: e.path, row: e.row, id: e.id, value: e.value, allowed: e.allowed, message: e.message };
}

function runCase(kind, name, c) {
  const fn = RUNNERS[kind];
  if (c.error !== undefined) {
    let out;
    try {
      out = fn(c.input);
    } catch (e) {
      assert.ok(e instanceof AdvocacyError, `${name}: threw ${e}, not an AdvocacyError`);
      assert.equal(e.type, "program", `${name}: error type`);
      assert.ok(e.message.length > 0, `${name}: empty message`);
      try {
        matches(c.error, errorFields(e), "error");
      } catch (m) {
        throw new Error(`${name}: ${m.message} (error: ${e.message})`);
      }
      return;
    }
    assert.fail(`${name}: expected an error, got ${JSON.stringify(out)}`);
  }
  let out;
  try {
    out = fn(c.input);
  } catch (e) {
    assert.fail(`${name}: unexpected error: ${e.message}`);
  }
  if (c.expect !== undefined) {
    try {
      matches(c.expect, out, "output");
    } catch (m) {
      throw new Error(`${name}: ${m.message}`);
    }
  }
  assert.ok(c.output !== undefined, `${name}: no \`output\` (run UPDATE_VECTORS=1 cargo test --test program_vectors)`);
  assert.deepStrictEqual(out, c.output, `${name}: output differs from the file`);
  // Bit for bit: the same JSON text, keys in the same order.
  assert.equal(JSON.stringify(out), JSON.stringify(c.output), `${name}: output's JSON text differs from the file`);
}

for (const { file, data } of files) {
  if (!Object.hasOwn(RUNNERS, data.kind)) continue;
  test(`${file} (${data.kind})`, () => {
    assert.ok(Array.isArray(data.cases) && data.cases.length > 0, `${file}: no cases`);
    const failures = [];
    for (const c of data.cases) {
      try {
        runCase(data.kind, `${file}: ${c.name ?? "?"}`, c);
      } catch (e) {
        failures.push(e.message);
      }
    }
    assert.equal(failures.length, 0, `${failures.length} failing cases:\n${failures.join("\n")}`);
  });
}

test("every vector kind has a runner (here or in vectors.test.mjs)", () => {
  const kinds = new Set(files.map((f) => f.data.kind));
  const unrun = [...kinds].filter((k) => !Object.hasOwn(RUNNERS, k) && !SCORE_KINDS.includes(k));
  assert.deepEqual(unrun, [], `vector kinds with no JS runner: ${unrun.join(", ")}`);
  for (const { file, data } of files) {
    if (file.startsWith("program_")) assert.ok(Object.hasOwn(RUNNERS, data.kind), `${file}: kind ${data.kind} has no runner`);
  }
  for (const k of REQUIRED_KINDS) assert.ok(kinds.has(k), `no vector file of kind ${k}`);
  const ran = files.filter((f) => Object.hasOwn(RUNNERS, f.data.kind)).reduce((n, f) => n + f.data.cases.length, 0);
  assert.ok(ran >= 30, `only ${ran} program cases`);
});

test("the runners are the program crate's functions (json::FUNCTIONS), each run by the module", async () => {
  program.segments({ accounts: [] }); // loads the module in Node
  const raw = await import(pathToFileURL(path.join(PKG, "advocacy_program.js")).href);
  const names = raw.programFunctions();
  assert.deepEqual([...names].sort(), Object.keys(RUNNERS).sort());
  for (const name of names) {
    // `{}` lacks required fields: the crate's parse error for that function, never unknown_function.
    assert.throws(() => raw.programRun(name, "{}"), (e) => e.type === "program" && e.code === "parse", name);
  }
  assert.throws(() => raw.programRun("nope", "{}"), (e) => e.code === "unknown_function" && e.path === "function");
});

// ---- Bad input: always an AdvocacyError of type "program", never a crash ---------------------

const FUNCTIONS = ["segments", "overrides", "eligibility", "fatigue", "matchRequest", "review", "metrics"];
// Not an object at all: a usage error naming the argument; an object of the wrong shape: the crate's parse error.
const NOT_OBJECTS = [undefined, null, 3, NaN, 10n, Symbol("s"), "text", [1, 2], () => 1, new Date(0)];
const BAD_SHAPES = [{}, { nope: 1 }];

for (const name of FUNCTIONS) {
  test(`program.${name}: bad shapes throw AdvocacyError (usage, parse)`, () => {
    for (const bad of NOT_OBJECTS) {
      assert.throws(
        () => program[name](bad),
        (e) => e instanceof AdvocacyError && e.type === "usage" && e.code === "invalid_argument" && e.path === "input",
        `${name}(${String(bad)})`,
      );
    }
    for (const bad of BAD_SHAPES) {
      assert.throws(
        () => program[name](bad),
        (e) => e instanceof AdvocacyError && e.type === "program" && e.code === "parse" && e.message.length > 0,
        `${name}(${JSON.stringify(bad)})`,
      );
    }
  });
}

test("program.history: rows alone or in { rows }, Dates as days; bad shapes throw AdvocacyError", () => {
  const rows = [
    { as_of: new Date(Date.UTC(2026, 1, 28)), id: "a", total: 45, tier: "silver", health_score: 70 },
    { as_of: "2026-03-31", id: "a", total: 35, tier: "not_yet_qualified" },
    { as_of: "2026-03-31", id: "b", total: 62, tier: "gold" },
    { as_of: "2026-06-30", id: "a", total: 44, tier: "silver" },
  ];
  const out = program.history(rows);
  assert.deepStrictEqual(program.history({ rows }), out);
  assert.deepStrictEqual(out.dates, ["2026-02-28", "2026-03-31", "2026-06-30"]);
  assert.deepStrictEqual(out.accounts[1].gaps, []);
  assert.deepStrictEqual(out.accounts[0].timeline.map((p) => p.revisit), [null, "2026-09-30", null]);
  for (const bad of [undefined, null, 3, "text", () => 1, new Date(0)]) {
    assert.throws(
      () => program.history(bad),
      (e) => e instanceof AdvocacyError && e.type === "usage" && e.code === "invalid_argument" && e.path === "input",
      String(bad),
    );
  }
  for (const bad of [{}, { nope: 1 }, [1, 2], { rows: { as_of: ["2026-01-31"] } }]) {
    assert.throws(
      () => program.history(bad),
      (e) => e instanceof AdvocacyError && e.type === "program" && e.code === "parse" && e.message.length > 0,
      JSON.stringify(bad),
    );
  }
  assert.throws(
    () => program.history([...rows, { as_of: "2026-03-31", id: "a", total: 36, tier: "not_yet_qualified" }]),
    (e) => e instanceof AdvocacyError && e.code === "duplicate" && e.path === "rows[4].id" && e.row === 4 && e.id === "a",
  );
});

test("values JSON cannot carry throw AdvocacyError", () => {
  assert.throws(
    () => program.segments({ accounts: [{ id: "a", total: 10n }] }),
    (e) => e instanceof AdvocacyError && e.type === "program" && e.code === "parse",
  );
  const cyclic = { accounts: [] };
  cyclic.self = cyclic;
  assert.throws(() => program.segments(cyclic), (e) => e instanceof AdvocacyError && e.code === "parse");
});

test("missing fields and wrong types name the path", () => {
  assert.throws(
    () => program.fatigue({ account: "a", ledger: [] }),
    (e) => e instanceof AdvocacyError && e.code === "parse" && e.message.includes("as_of"),
  );
  assert.throws(
    () => program.segments({ accounts: "not a list" }),
    (e) => e instanceof AdvocacyError && e.code === "parse" && e.path === "accounts",
  );
  assert.throws(
    () => program.fatigue({ account: "a", as_of: "2026-01-01", ledger: [{ account: "a", activity: "case_study", status: "asked", date: "2026-13-01" }] }),
    (e) => e instanceof AdvocacyError && e.code === "parse" && e.path === "ledger[0].date",
  );
  assert.throws(
    () => program.segments({ accounts: [{ id: "a", signals: { nps: 11 } }] }),
    (e) =>
      e instanceof AdvocacyError &&
      e.code === "out_of_range" &&
      e.path === "accounts[0].signals.nps" &&
      e.row === 0 &&
      e.id === "a" &&
      e.value === "11" &&
      e.allowed === "an integer from 0 to 10",
  );
});

test("Dates are read as their UTC day; results are plain JSON data", () => {
  const ledger = [{ account: "acme", activity: "conference_speaking", status: "completed", date: new Date(Date.UTC(2026, 2, 10)) }];
  const out = program.fatigue({ account: "acme", ledger, as_of: new Date(Date.UTC(2026, 3, 1)) });
  assert.equal(out.resting, true);
  assert.equal(out.refusals[0].rule, "rest_after.high");
  assert.equal(out.refusals[0].until, "2026-06-08");
  assert.deepStrictEqual(JSON.parse(JSON.stringify(out)), out);
  assert.throws(
    () => program.fatigue({ account: "acme", ledger: [], as_of: new Date(NaN) }),
    (e) => e instanceof AdvocacyError && e.code === "parse" && e.path === "as_of",
  );
});

test("browser entry: program calls before init() throw not_initialised; initSync loads the module", async () => {
  const { execFileSync } = await import("node:child_process");
  const web = pathToFileURL(path.join(PKG, "program.js")).href;
  const wasm = path.join(PKG, "advocacy_program_bg.wasm");
  const script = `
    import { readFileSync } from "node:fs";
    import * as program from ${JSON.stringify(web)};
    import { AdvocacyError } from ${JSON.stringify(pathToFileURL(path.join(PKG, "web.js")).href)};
    const input = { accounts: [{ id: "a", signals: { public_reviews: 2, nps: 9, health_score: 95, active_days_30d: 22, roi_achieved: true } }] };
    let before = null;
    try { program.segments(input); } catch (e) { before = e instanceof AdvocacyError ? e.code : String(e); }
    program.initSync(readFileSync(${JSON.stringify(wasm)}));
    await program.init(); // a no-op once loaded
    console.log(JSON.stringify({ before, segment: program.segments(input).results[0].segment }));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.deepStrictEqual(JSON.parse(out.trim().split("\n").pop()), { before: "not_initialised", segment: "active" });
});
