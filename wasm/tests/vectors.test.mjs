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
};
const PROGRAM_KINDS = new Set(["eligibility", "fatigue", "match", "metrics", "movement", "overrides", "review", "segments"]);
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
