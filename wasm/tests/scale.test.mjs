// A million rows through each path: scoreBatch (objects), scoreColumns (typed arrays, text,
// dictionaries) and recordsFromCells then scoreBatch. No timing is asserted: each must finish in
// the test run, which a cost growing with the square of the rows would not (400,000 rows of
// cells took 72 s before the binding stopped building records across the boundary, and a batch
// of 1,000,000 objects 9 s before columns were written straight into WebAssembly memory).
import { test } from "node:test";
import assert from "node:assert/strict";

import { Model } from "../pkg/node.js";

const N = 1_000_000;
const INDUSTRIES = ["software", "healthcare", "retail", "energy"];
const model = Model.default().withTargets({ industries: ["software"] });

function check(r, where) {
  assert.equal(r.length, N, where);
  assert.equal(r.errors.length, 0, where);
  // Row i scores like its pattern, which repeats every 1,100 rows.
  for (const i of [0, 1, 59, N - 1]) assert.equal(r.total[i], EXPECTED[i % 1100], `${where}: row ${i}`);
}

const EXPECTED = Array.from({ length: 1100 }, (_, i) =>
  model.score({ nps: i % 11, roi_achieved: i % 2 === 0, industry: INDUSTRIES[i % 4], health_score: i % 100 }).total,
);

test("1,000,000 objects through scoreBatch", () => {
  const recs = new Array(N);
  for (let i = 0; i < N; i++) {
    recs[i] = { id: `ACC-${i}`, nps: i % 11, roi_achieved: i % 2 === 0, industry: INDUSTRIES[i % 4], health_score: i % 100 };
  }
  const t = performance.now();
  check(model.scoreBatch(recs), "scoreBatch");
  console.log(`scoreBatch: ${N} rows in ${Math.round(performance.now() - t)} ms`);
});

test("1,000,000 rows through scoreColumns", () => {
  const nps = new Float64Array(N);
  const health = new Int32Array(N);
  const roi = new Array(N);
  const keys = new Uint32Array(N);
  const ids = new Array(N);
  for (let i = 0; i < N; i++) {
    nps[i] = i % 11;
    health[i] = i % 100;
    roi[i] = i % 2 === 0;
    keys[i] = i % 4;
    ids[i] = `ACC-${i}`;
  }
  const t = performance.now();
  check(model.scoreColumns({ nps, health_score: health, roi_achieved: roi, industry: { keys, values: INDUSTRIES } }, { ids }), "scoreColumns");
  console.log(`scoreColumns: ${N} rows in ${Math.round(performance.now() - t)} ms`);
});

test("1,000,000 CSV rows through recordsFromCells and scoreBatch", () => {
  const header = ["Account ID", "NPS", "ROI Achieved", "Industry", "Health Score"];
  const rows = new Array(N);
  for (let i = 0; i < N; i++) rows[i] = [`ACC-${i}`, i % 11, i % 2 === 0 ? "Yes" : "No", INDUSTRIES[i % 4], `${i % 100}%`];
  let t = performance.now();
  const recs = model.recordsFromCells(header, rows);
  console.log(`recordsFromCells: ${N} rows in ${Math.round(performance.now() - t)} ms`);
  assert.deepEqual(recs[1], { id: "ACC-1", nps: 1, roi_achieved: false, industry: "healthcare", health_score: 1 });
  t = performance.now();
  check(model.scoreBatch(recs), "cells");
  console.log(`scoreBatch of those records: ${Math.round(performance.now() - t)} ms`);
});
