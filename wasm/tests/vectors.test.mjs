// Runs every file of tests/vectors/*.json through the JavaScript API (see tests/vectors/README.md):
// full deep equality of each `score` with the Rust result, the partial `expect`, error fields,
// and the whole file as one batch (objects and columns) against the one-by-one results.
//
// Run: node --test wasm/tests/   (after wasm/scripts/build.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

import { Model, AdvocacyError } from "../pkg/node.js";

const VECTORS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tests/vectors");

// ---- The hook for new kinds of vector files ------------------------------------------------
// A runner per kind. To support a new kind, add `kind: (file, t) => {...}` here. The program
// kinds are run by program_vectors.test.mjs (which fails on a kind neither file runs). A kind in
// neither list fails the suite, so no file is ever ignored silently.
const RUNNERS = {
  score: runScoreFile,
  model_errors: runModelErrorsFile,
  tables: runTablesFile,
  sources: runSourcesFile,
};
const PROGRAM_KINDS = new Set(["draft", "eligibility", "fatigue", "history", "match", "metrics", "movement", "overrides", "requests", "review", "segments"]);
// Cases the wasm build cannot run, by reason.
const TOML_SKIP = "TOML models are not in the wasm build (the TOML reader costs ~120 KB gzipped; see wasm/README.md)";

const files = readdirSync(VECTORS)
  .filter((f) => f.endsWith(".json"))
  .sort();

test("there are vector files", () => {
  assert.ok(files.length > 0, `no *.json in ${VECTORS}`);
});

for (const file of files) {
  const data = JSON.parse(readFileSync(path.join(VECTORS, file), "utf8"));
  const runner = RUNNERS[data.kind];
  if (runner) {
    test(`${file} (${data.kind})`, async (t) => runner(data, t, file));
  } else if (!PROGRAM_KINDS.has(data.kind)) {
    test(`${file}: kind ${JSON.stringify(data.kind)} has no runner`, () => {
      assert.fail(
        `add a runner for kind ${JSON.stringify(data.kind)} to RUNNERS in wasm/tests/vectors.test.mjs ` +
          `(or, for a program function, to wasm/tests/program_vectors.test.mjs and PROGRAM_KINDS)`,
      );
    });
  }
}

// ---- Matching ----------------------------------------------------------------------------------

/** The README's partial match: every key given must match; arrays of objects element by element. */
function expectMatch(actual, expected, where) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => expectMatch(actual[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) expectMatch(actual[k], v, `${where}.${k}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

function modelOf(data) {
  const base = data.model ?? JSON.parse(Model.default().toJson());
  return Model.fromJson(JSON.stringify({ ...base, ...(data.model_overrides ?? {}) }));
}

/** The README's partial match as the Rust runner's `matches`: keys given must be present. */
function expectPresent(actual, expected, where) {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const k of Object.keys(expected)) assert.ok(Object.hasOwn(actual, k), `${where}.${k}: missing in the result`);
  }
  expectMatch(actual, expected, where);
}

function catchError(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function checkError(err, expected, where) {
  assert.ok(err instanceof AdvocacyError, `${where}: expected an AdvocacyError, got ${err}`);
  assert.ok(err instanceof Error, `${where}: AdvocacyError is an Error`);
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(err[k], v, `${where}: error.${k}`);
  }
}

// ---- kind: score ---------------------------------------------------------------------------------

function runScoreFile(data, t, file) {
  const model = modelOf(data);
  const asOf = data.as_of ?? undefined;
  const results = []; // per case: Score or AdvocacyError
  for (const c of data.cases) {
    const where = `${file}: ${c.name}`;
    if (c.error) {
      const err = catchError(() => model.score(c.record, asOf));
      checkError(err, c.error, where);
      results.push(err);
      // The same model keeps working after an error.
      assert.doesNotThrow(() => model.score({}), `${where}: model works after the error`);
    } else {
      const s = model.score(c.record, asOf);
      if (c.score !== undefined) {
        assert.deepStrictEqual(s, c.score, `${where}: full score`);
        assert.equal(JSON.stringify(s), JSON.stringify(c.score), `${where}: the score's JSON text`);
      }
      if (c.expect !== undefined) expectMatch(s, c.expect, `${where}: expect`);
      assert.ok(c.score !== undefined || c.expect !== undefined, `${where}: has a score or an expect`);
      results.push(s);
    }
  }

  const records = data.cases.map((c) => c.record);
  const checkBatch = (batch, how) => {
    assert.equal(batch.length, records.length, `${how}: length`);
    data.cases.forEach((c, i) => {
      const where = `${file}: ${how} row ${i} (${c.name})`;
      const one = results[i];
      if (one instanceof AdvocacyError) {
        assert.ok(Number.isNaN(batch.total[i]), `${where}: flagged row has no total`);
        assert.equal(batch.tier[i], null, `${where}: flagged row has no tier`);
        const err = batch.errors.find((e) => e.row === i);
        assert.ok(err, `${where}: is flagged`);
        assert.equal(err.code, one.code, `${where}: code`);
        assert.equal(err.signal, one.signal, `${where}: signal`);
      } else {
        assert.equal(batch.total[i], one.total, `${where}: total`);
        assert.equal(batch.tier[i], one.tier, `${where}: tier`);
        for (const cat of one.categories) {
          assert.equal(batch.categories[cat.id][i], cat.points, `${where}: category ${cat.id}`);
        }
        assert.equal(batch.completeness[i], one.completeness, `${where}: completeness`);
        assert.equal(batch.maxPossible[i], one.bounds.max, `${where}: max_possible`);
        assert.ok(!batch.errors.some((e) => e.row === i), `${where}: not flagged`);
      }
    });
    assert.equal(batch.errors.length, results.filter((r) => r instanceof AdvocacyError).length, `${how}: flagged rows`);
    if (data.batch_ranking) {
      assert.deepEqual(Array.from(batch.ranking()), data.batch_ranking, `${file}: ${how} batch_ranking`);
    }
  };

  // Objects, as one batch.
  checkBatch(model.scoreBatch(records, { onError: "flag" }), "scoreBatch");

  // The same accounts as columns (one array per signal; the columnar fast path).
  const columns = {};
  records.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) {
      if (k === "id") continue;
      (columns[k] ??= new Array(records.length).fill(null))[i] = v;
    }
  });
  const ids = records.map((r) => r.id ?? null);
  checkBatch(model.scoreColumns(columns, { onError: "flag", ids }), "scoreColumns");

  // onError "fail" throws the first bad row's error, with its row.
  const firstBad = results.findIndex((r) => r instanceof AdvocacyError);
  if (firstBad >= 0) {
    const err = catchError(() => model.scoreBatch(records));
    checkError(err, { code: results[firstBad].code, signal: results[firstBad].signal, row: firstBad }, `${file}: fail mode`);
  }
}

// ---- kind: model_errors ----------------------------------------------------------------------------

function runModelErrorsFile(data, t, file) {
  for (const c of data.cases) {
    const where = `${file}: ${c.name}`;
    if (c.format === "toml") {
      t.diagnostic(`skipped ${where}: ${TOML_SKIP}`);
      continue;
    }
    const text = typeof c.model === "string" ? c.model : JSON.stringify(c.model);
    const err = catchError(() => Model.fromJson(text));
    checkError(err, c.error, where);
    assert.equal(err.type, "model", `${where}: type`);
  }
}

// ---- kind: tables ------------------------------------------------------------------------------

/** A plan entry as the vector files write it (the core's `ColumnRead`: `signal` only for signals). */
function readEntry(c) {
  return c.signal === null ? { header: c.header, role: c.role, reason: c.reason } : { header: c.header, role: c.role, signal: c.signal, reason: c.reason };
}

/** The rows of a flagged batch as the vector files write them: the scores of a scored row, the
 * error (code, signal, value, message) of a flagged one, and the row's id (the error's, or the
 * id cell as the core reads ids: trimmed, empty = none). */
function tableRows(batch, idCells) {
  return Array.from({ length: batch.length }, (_, i) => {
    const err = batch.errors.find((e) => e.row === i);
    if (err) return { id: err.id, error: { code: err.code, signal: err.signal, value: err.value, message: err.message } };
    const cell = idCells?.[i];
    const id = typeof cell === "string" && cell.trim() !== "" ? cell.trim() : null;
    return { id, total: batch.total[i], tier: batch.tier[i], completeness: batch.completeness[i], max_possible: batch.maxPossible[i] };
  });
}

function runTablesFile(data, t, file) {
  for (const c of data.cases) {
    const where = `${file}: ${c.name}`;
    const model = modelOf({ model: null, model_overrides: c.model_overrides });
    // Text columns keyed by the headers, as a CSV parser or a spreadsheet gives them.
    const columns = {};
    c.headers.forEach((h, j) => {
      columns[h] = c.rows.map((r) => r[j] ?? null);
    });
    // The same table as record objects (scoreBatch reads their keys by the same plan).
    const records = c.rows.map((r) => Object.fromEntries(c.headers.map((h, j) => [h, r[j] ?? null])));
    const options = { onError: "flag" };
    if (c.columns != null) options.columns = c.columns;
    if (c.as_of != null) options.asOf = c.as_of;
    if (c.error !== undefined) {
      checkError(catchError(() => model.scoreColumns(columns, options)), c.error, `${where}: scoreColumns`);
      checkError(catchError(() => model.scoreBatch(records, options)), c.error, `${where}: scoreBatch`);
      continue;
    }
    const plan = model.readColumns(c.headers, c.columns ?? undefined);
    const read = plan.columns.map(readEntry);
    for (const e of c.read ?? []) {
      const entry = read.find((r) => r.header === e.header);
      assert.ok(entry, `${where}: no plan entry for ${e.header}`);
      expectPresent(entry, e, `${where}: read ${e.header}`);
    }
    const batch = model.scoreColumns(columns, options);
    assert.deepStrictEqual(batch.plan, plan, `${where}: the batch's plan is readColumns'`);
    const idCol = plan.columns.findIndex((col) => col.role === "id");
    const idCells = idCol < 0 ? undefined : c.rows.map((r) => r[idCol]);
    const got = { read, rows: tableRows(batch, idCells) };
    if (c.expect !== undefined) expectPresent(got.rows, c.expect, `${where}: expect`);
    assert.ok(c.output !== undefined, `${where}: no output (UPDATE_VECTORS=1 cargo test --test source_vectors)`);
    assert.deepStrictEqual(got, c.output, `${where}: scoreColumns, the full result`);
    assert.deepStrictEqual({ read, rows: tableRows(model.scoreBatch(records, options), idCells) }, c.output, `${where}: scoreBatch`);
  }
}

// ---- kind: sources -----------------------------------------------------------------------------

const SOURCES_INPUT = ["sources", "conflicts", "as_of", "on_error"];

function runSourcesFile(data, t, file) {
  for (const c of data.cases) {
    const where = `${file}: ${c.name}`;
    const model = modelOf({ model: null, model_overrides: c.model_overrides });
    const unknown = Object.keys(c.input).filter((k) => !SOURCES_INPUT.includes(k));
    assert.deepEqual(unknown, [], `${where}: input fields this runner does not pass`);
    // The JSON form's fields as the JS API's arguments (the sources' fields have the same names).
    const options = {};
    if (c.input.conflicts !== undefined) options.conflicts = c.input.conflicts;
    if (c.input.as_of != null) options.asOf = c.input.as_of;
    if (c.input.on_error !== undefined) options.onError = c.input.on_error;
    const call = () => model.scoreSources(c.input.sources, options);
    if (c.error !== undefined) {
      checkError(catchError(call), c.error, where);
      continue;
    }
    const out = call();
    if (c.expect !== undefined) expectPresent(out, c.expect, `${where}: expect`);
    for (const [id, criteria] of Object.entries(c.expect_criteria ?? {})) {
      const account = out.accounts.find((a) => a.id === id);
      assert.ok(account, `${where}: no account ${id}`);
      for (const [cid, exp] of Object.entries(criteria)) {
        const crit = account.score?.criteria.find((k) => k.id === cid);
        assert.ok(crit, `${where}: account ${id} has no criterion ${cid}`);
        expectPresent(crit, exp, `${where}: ${id}.${cid}`);
      }
    }
    assert.ok(c.output !== undefined, `${where}: no output (UPDATE_VECTORS=1 cargo test --test source_vectors)`);
    assert.deepStrictEqual(out, c.output, `${where}: the full result`);
    assert.equal(JSON.stringify(out), JSON.stringify(c.output), `${where}: the result's JSON text`);
    // A Date for a date is its UTC day.
    const dated = c.input.sources.map((s) => (s.date === undefined ? s : { ...s, date: new Date(`${s.date}T12:00:00Z`) }));
    const withDates = { ...options, ...(options.asOf === undefined ? {} : { asOf: new Date(`${options.asOf}T00:00:00Z`) }) };
    assert.deepStrictEqual(model.scoreSources(dated, withDates), c.output, `${where}: dates as Date objects`);
  }
}
