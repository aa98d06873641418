// The JS API beyond the vectors: errors are AdvocacyErrors (never traps) and leave the model
// working; memory stays flat over many calls; columns, ranking and CSV cells.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Model, AdvocacyError, wasmMemoryBytes, standardSignals, tiers, init } from "../pkg/node.js";

const GOOD = {
  id: "acme",
  nps: 9,
  health_score: 85,
  roi_achieved: true,
  csm_rapport: 4,
  engaged_contacts: 3,
  past_advocacy: 1,
};

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

test("init() resolves in Node (the module loads on import)", async () => {
  await init();
  assert.equal(Model.default().score(GOOD).total, 60);
});

test("score returns the core's explained Score", () => {
  const s = Model.default().score(GOOD, "2026-01-31");
  assert.equal(s.total, 60);
  assert.equal(s.tier, "gold");
  assert.equal(s.id, "acme");
  assert.deepEqual(s.next_tier?.tier, "platinum");
  assert.ok(s.missing.includes("industry"));
  assert.equal(s.revisit, null);
  assert.equal(Model.default().score({ nps: 3 }, new Date("2026-01-31T12:00:00Z")).revisit, "2026-07-31");
});

test("every kind of bad input throws an AdvocacyError with fields, and the model keeps working", () => {
  const m = Model.default();
  const cases = [
    [() => m.score({ id: "x", nps: 11 }), { type: "record", code: "out_of_range", signal: "nps", value: "11", id: "x", row: null }],
    [() => m.score({ nps: Infinity }), { code: "out_of_range", signal: "nps" }],
    [() => m.score({ nps: 9n * 2n }), { code: "out_of_range", signal: "nps", value: "18" }],
    [() => m.score({ nps: { a: 1 } }), { code: "wrong_type", signal: "nps" }],
    [() => m.score({ nps: () => 1 }), { code: "wrong_type", signal: "nps" }],
    [() => m.score({ segment: "giant" }), { code: "unknown_category", allowed: "one of smb, mid_market, enterprise" }],
    [() => m.score(null), { type: "usage", code: "invalid_argument", path: "record", value: "null" }],
    [() => m.score([1, 2]), { type: "usage", path: "record", value: "an array" }],
    [() => m.score("nope"), { type: "usage", path: "record", value: '"nope"' }],
    [() => m.score(GOOD, 20260131), { type: "usage", path: "asOf", value: "20260131" }],
    [() => m.score(GOOD, "2026-02-30"), { type: "date", code: "invalid_date", value: "2026-02-30" }],
    [() => m.score(GOOD, new Date("nonsense")), { code: "invalid_date" }],
    [() => Model.fromJson("{"), { type: "model", code: "parse" }],
    [() => m.withPoints("promoter", -1), { code: "invalid_value", path: "categories[0].criteria[0].points", value: "-1" }],
    [() => m.withPoints("nope", 1), { type: "model", code: "unknown_criterion", path: "criterion", value: '"nope"' }],
    [() => m.withThresholds({ gold: 90 }), { code: "invalid_value", path: "tiers" }],
    [() => m.withThresholds({ gold: "high" }), { type: "model", code: "parse", path: "tiers.gold" }],
    [() => m.withTargets({ segments: ["giant"] }), { code: "invalid_value", path: "targets.segments[0]" }],
    [() => m.withTargets({ segments: "enterprise" }), { type: "model", code: "parse", path: "targets.segments" }],
    [() => m.withMissing("sometimes"), { type: "model", code: "invalid_value", path: "missing", allowed: "zero, rescale" }],
    [() => m.scoreBatch([{ id: "a", nps: 1 }, { id: "b", nps: 12 }]), { code: "out_of_range", row: 1, id: "b" }],
    [() => m.scoreColumns({ nps: [1, 2], csm_rapport: [1] }), { type: "column", code: "column_length", signal: "csm_rapport", column: "csm_rapport" }],
    [() => m.scoreColumns({ nps: [1, 2] }, { ids: ["a", "b", "c"] }), { type: "column", code: "column_length", column: "id", value: "3" }],
    [() => m.scoreColumns({ nps: new Float64Array([1, 99]) }, { ids: ["p", "q"] }), { row: 1, id: "q" }],
    [() => m.scoreColumns({ id: ["p", "q"], nps: [1, 99] }), { row: 1, id: "q" }],
    [() => m.scoreColumns({ nps: 7 }), { type: "usage", code: "invalid_column", path: "columns.nps" }],
    [() => m.scoreBatch("x"), { code: "invalid_argument", path: "records" }],
    [() => m.scoreBatch([GOOD], { onError: "Flag" }), { type: "usage", path: "options.onError", value: '"Flag"', allowed: '"fail" or "flag"' }],
    [() => m.rank([GOOD], NaN), { type: "usage", path: "top", value: "NaN" }],
    [() => Model.fromJson(5), { type: "usage", path: "text", value: "5" }],
  ];
  for (const [fn, fields] of cases) {
    const e = thrown(fn);
    assert.ok(e instanceof AdvocacyError, `${fn}: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "AdvocacyError");
    assert.equal(typeof e.message, "string");
    assert.equal(e.kind, e.type);
    // The fields are the core's ErrorEnvelope, one to one.
    assert.deepEqual(Object.keys(e.toJSON()).sort(), ["allowed", "code", "id", "message", "path", "row", "signal", "type", "value"]);
    for (const [k, v] of Object.entries(fields)) assert.deepEqual(e[k], v, `${fn}: ${k}`);
    // The same model still scores.
    assert.equal(m.score(GOOD).total, 60);
  }
});

test("error messages name the account and row", () => {
  const e = thrown(() => Model.default().scoreBatch([{ id: "a" }, { id: "b", nps: 12 }]));
  assert.match(e.message, /row 1 \(id "b"\)/);
});

test("memory does not grow over 10,000 score calls, good or bad", () => {
  const m = Model.default();
  const bad = { id: "x", nps: 11 };
  const run = (k) => {
    for (let i = 0; i < k; i++) {
      m.score({ ...GOOD, nps: i % 11 });
      try {
        m.score(bad);
      } catch {
        /* expected */
      }
    }
  };
  run(1000); // warm up: let the allocator reach its working size
  const before = wasmMemoryBytes();
  run(10_000);
  assert.equal(wasmMemoryBytes(), before, "wasm memory grew");
});

test("memory does not grow over many batches and models", () => {
  const recs = Array.from({ length: 200 }, (_, i) => ({ id: `a${i}`, nps: i % 11, industry: i % 3 ? "software" : "retail" }));
  const once = () => {
    const d = Model.default();
    const m = d.withTargets({ industries: ["software"] });
    d.free();
    m.scoreBatch(recs, { onError: "flag" });
    m.scoreColumns({ nps: new Float64Array(200).fill(12) }, { onError: "flag" });
    try {
      m.scoreBatch([{ nps: 99 }]);
    } catch {
      /* expected */
    }
    m.free();
  };
  for (let i = 0; i < 200; i++) once();
  const before = wasmMemoryBytes();
  for (let i = 0; i < 2000; i++) once();
  assert.equal(wasmMemoryBytes(), before, "wasm memory grew");
});

test("scoreColumns takes typed arrays, plain arrays, booleans, text and dictionaries", () => {
  const m = Model.default().withTargets({ industries: ["software"], segments: ["enterprise"] });
  const objects = [
    { nps: 10, roi_achieved: true, industry: "Software", segment: "enterprise", csm_rapport: 5 },
    { nps: 2, roi_achieved: false, industry: "retail", segment: "smb" },
    { health_score: 95, industry: null },
  ];
  const viaObjects = m.scoreBatch(objects);
  const viaColumns = m.scoreColumns({
    nps: new Float64Array([10, 2, NaN]),
    roi_achieved: [true, false, null],
    industry: { keys: new Uint32Array([0, 1, 0]), values: ["Software", "retail"], valid: new Uint8Array([1, 1, 0]) },
    segment: ["enterprise", "smb", undefined],
    csm_rapport: new Int32Array([5, 0, 0]).map((x, i) => (i === 0 ? x : 3)),
    health_score: [null, null, 95],
  });
  assert.deepEqual(Array.from(viaColumns.total), [45, 0, 10]);
  assert.deepEqual(Array.from(viaObjects.total), [45, 0, 10]);
  assert.deepEqual(viaColumns.tier, ["silver", "not_yet_qualified", "not_yet_qualified"]);
  assert.deepEqual(Array.from(viaColumns.tierCode), [2, 3, 3]);
  assert.deepEqual(Object.keys(viaColumns.categories), ["satisfaction", "relationship", "willingness", "company_fit"]);
  assert.deepEqual(Array.from(viaColumns.ranking()), [0, 2, 1]);
  assert.deepEqual(viaColumns.tierCounts(), { platinum: 0, gold: 0, silver: 1, not_yet_qualified: 2, not_advocate_material: 0 });
  const big = m.scoreColumns({ nps: new BigInt64Array([9n, 3n]) });
  assert.deepEqual(Array.from(big.total), [10, 0]);
});

test("rank returns the best accounts with explanations, ties in input order", () => {
  const m = Model.default();
  const recs = [{ id: "low", nps: 1 }, { id: "a", nps: 9 }, { id: "b", nps: 10 }, { id: "top", nps: 9, roi_achieved: true }];
  const r = m.rank(recs, 3);
  assert.deepEqual(
    r.map((x) => [x.rank, x.row, x.score.id, x.score.total]),
    [
      [1, 3, "top", 20],
      [2, 1, "a", 10],
      [3, 2, "b", 10],
    ],
  );
  const flagged = m.rank([{ id: "bad", nps: 99 }, { id: "ok", nps: 9 }], 10, { onError: "flag" });
  assert.deepEqual(flagged.map((x) => x.score.id), ["ok"]);
});

test("model round trip, immutable setters", () => {
  const m = Model.default();
  const m2 = Model.fromJson(m.toJson());
  assert.equal(m2.toJson(), m.toJson());
  assert.equal(Model.fromObject(m.toObject()).toJson(), m.toJson());
  const t = m.withTargets({ industries: ["software"] }).withMissing("rescale").withThresholds({ platinum: 90 }).withPoints("promoter", 20);
  const spec = t.toObject();
  assert.deepEqual(spec.targets.industries, ["software"]);
  assert.equal(spec.missing, "rescale");
  assert.equal(spec.tiers?.platinum, 90);
  assert.equal(t.maxPoints, 110);
  assert.equal(m.maxPoints, 100, "the original is unchanged");
  assert.equal(m.warnings.length, 2);
  assert.equal(t.warnings.length, 1);
  assert.ok(m.knownSignals().includes("nps"));
  assert.equal(standardSignals().length, m.knownSignals().length);
  assert.deepEqual(tiers, ["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"]);
});

test("recordsFromCells reads CSV cells like the CLI", () => {
  const m = Model.default();
  const recs = m.recordsFromCells(
    [" id ", "name", "nps", "roi_achieved", "industry", "health_score", "extra"],
    [
      ["a1", "Acme", "9", "yes", " Software ", "NA", "x"],
      ["", "B", "", "0", "", "88.5"],
    ],
  );
  assert.deepEqual(recs, [
    { id: "a1", nps: 9, roi_achieved: true, industry: "Software" },
    { roi_achieved: false, health_score: 88.5 },
  ]);
  const bad = m.recordsFromCells(["id", "nps"], [["z", "nine"]]);
  assert.equal(thrown(() => m.score(bad[0])).code, "wrong_type");
});

test("batch errors are the core's envelopes; tiers and ranking are the core's", () => {
  const m = Model.default();
  const r = m.scoreBatch([{ id: "a", nps: 9 }, null, { id: "c", nps: 12 }], { onError: "flag" });
  assert.deepEqual(
    r.errors.map((e) => [e.type, e.row, e.code, e.signal ?? null, e.id ?? null]),
    [
      ["record", 1, "not_a_record", null, null],
      ["record", 2, "out_of_range", "nps", "c"],
    ],
  );
  assert.match(r.errors[1].message, /^row 2 \(id "c"\): signal `nps`/);
  assert.deepEqual(Array.from(r.ranking()), [0, 1, 2]);
  assert.deepEqual(r.tier, ["not_yet_qualified", null, null]);
  assert.deepEqual(Object.keys(r.tierCounts()), tiers);
  assert.equal(thrown(() => m.scoreBatch([{ nps: 1 }, 7])).row, 1);
});

test("edits keep what they do not name", () => {
  const m = Model.default().withTargets({ industries: ["software"], regions: ["emea"] }).withTargets({ regions: ["apac"] });
  assert.deepEqual(m.toObject().targets, { industries: ["software"], segments: [], regions: ["apac"] });
  const t = Model.default().withThresholds({ platinum: 90 });
  assert.deepEqual(t.toObject().tiers, { platinum: 90, gold: 60, silver: 40 });
  assert.equal(Model.default().name, Model.default().toObject().name);
});

test("the not_initialised errors, written out in the wrapper, are the core's usage envelopes", async () => {
  const { execFileSync } = await import("node:child_process");
  const pkg = new URL("../pkg/", import.meta.url).href;
  const script = `
    import { readFileSync } from "node:fs";
    import { Model, initSync } from ${JSON.stringify(pkg + "web.js")};
    import * as program from ${JSON.stringify(pkg + "program.js")};
    import * as raw from ${JSON.stringify(pkg + "advocacy_wasm.js")};
    const caught = (f) => { try { f(); } catch (e) { return e.toJSON(); } };
    const scoring = caught(() => Model.default());
    const prog = caught(() => program.segments({ accounts: [] }));
    initSync(readFileSync(new URL("advocacy_wasm_bg.wasm", ${JSON.stringify(pkg)})));
    const core = (e) => JSON.parse(raw.usageError(e.code, e.path, e.value, e.allowed));
    console.log(JSON.stringify({ scoring, prog, scoringCore: core(scoring), progCore: core(prog) }));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const { scoring, prog, scoringCore, progCore } = JSON.parse(out.trim().split("\n").pop());
  assert.equal(scoring.code, "not_initialised");
  assert.equal(prog.code, "not_initialised");
  assert.deepEqual(scoring, scoringCore);
  assert.deepEqual(prog, progCore);
});

test("models that are never freed are reclaimed by the finalizer", async () => {
  const { execFileSync } = await import("node:child_process");
  const script = `
    import { Model, wasmMemoryBytes } from ${JSON.stringify(new URL("../pkg/node.js", import.meta.url).href)};
    const settle = async () => { for (let k = 0; k < 5; k++) { gc(); await new Promise((r) => setTimeout(r, 10)); } };
    const churn = () => { for (let i = 0; i < 2000; i++) Model.default().withPoints("promoter", i % 20).score({ nps: 9 }); };
    churn(); await settle();
    const before = wasmMemoryBytes();
    for (let round = 0; round < 5; round++) { churn(); await settle(); }
    console.log(JSON.stringify({ before, after: wasmMemoryBytes() }));
  `;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
  const { before, after } = JSON.parse(out.trim().split("\n").pop());
  assert.equal(after, before, "wasm memory grew although every model became garbage");
});
