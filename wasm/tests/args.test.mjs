// Every exported function and method, called with a table of wrong-typed arguments: each call
// throws an AdvocacyError of kind `usage` that names the argument, never a TypeError, a
// RangeError, serde's text or a WebAssembly trap, and the module keeps working afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";

import * as api from "../pkg/node.js";
import * as web from "../pkg/web.js";
import * as program from "../pkg/program-node.js";
import * as webProgram from "../pkg/program.js";

const { Model, AdvocacyError } = api;

/** The wrong values, by name. */
const BAD = {
  number: 5,
  object: { a: 1 },
  null: null,
  undefined: undefined,
  NaN: NaN,
  BigInt: 10n,
  symbol: Symbol("s"),
  array: [1],
  string: "x",
  function: () => 1,
  boolean: true,
  date: new Date(0),
};
const ALL = Object.keys(BAD);
const but = (...ok) => ALL.filter((k) => !ok.includes(k));

const GOOD = { id: "a", nps: 9 };
const SOURCE = { name: "crm", rows: [GOOD] };
const model = () => Model.default();

/**
 * Each case: a name, the argument's name (as the error's `path` names it), the kinds of value
 * that are wrong for it, and how to call with a value in its place.
 */
const CASES = [
  ["init", "input", but("undefined", "string"), (v) => api.init(v)],
  ["web init", "input", but("undefined", "string"), (v) => web.init(v)],
  ["web initSync", "module", ALL, (v) => web.initSync(v)],
  ["program.init", "input", but("undefined", "string"), (v) => program.init(v)],
  ["program.initSync", "module", ALL, (v) => program.initSync(v)],
  ["web program.init", "input", but("undefined", "string"), (v) => webProgram.init(v)],
  ["web program.initSync", "module", ALL, (v) => webProgram.initSync(v)],
  ["new AdvocacyError", "envelope", ALL, (v) => new AdvocacyError(v)],
  ["new Model", "new Model", ALL, (v) => new Model(v)],
  ["Model.fromJson", "text", but("string"), (v) => Model.fromJson(v)],
  ["Model.fromObject", "spec", but("object"), (v) => Model.fromObject(v)],
  ["model.with", "patch", but("object"), (v) => model().with(v)],
  ["model.withTargets", "targets", but("object"), (v) => model().withTargets(v)],
  ["model.withMissing", "missing", but("string"), (v) => model().withMissing(v)],
  ["model.withThresholds", "tiers", but("object"), (v) => model().withThresholds(v)],
  ["model.withPoints criterionId", "criterionId", but("string"), (v) => model().withPoints(v, 5)],
  ["model.withPoints points", "points", but("number"), (v) => model().withPoints("promoter", v)],
  ["model.score record", "record", but("object", "date"), (v) => model().score(v)],
  ["model.score asOf", "asOf", but("undefined", "string", "date"), (v) => model().score(GOOD, v)],
  ["model.scoreBatch records", "records", but("array"), (v) => model().scoreBatch(v)],
  ["model.scoreBatch options", "options", but("undefined", "object"), (v) => model().scoreBatch([GOOD], v)],
  ["model.scoreBatch options key", "options.a", ["object"], (v) => model().scoreBatch([GOOD], v)],
  ["model.scoreBatch onError", "options.onError", but("undefined"), (v) => model().scoreBatch([GOOD], { onError: v })],
  ["model.scoreBatch columns", "options.columns", but("undefined", "string", "object"), (v) => model().scoreBatch([GOOD], { columns: v })],
  ["model.scoreColumns columns", "columns", but("object"), (v) => model().scoreColumns(v)],
  ["model.scoreColumns column", "columns.nps", but("undefined", "array"), (v) => model().scoreColumns({ nps: v })],
  ["model.scoreColumns options", "options", but("undefined", "object"), (v) => model().scoreColumns({ nps: [9] }, v)],
  ["model.scoreColumns onError", "options.onError", but("undefined"), (v) => model().scoreColumns({ nps: [9] }, { onError: v })],
  ["model.scoreColumns ids", "options.ids", but("undefined", "array"), (v) => model().scoreColumns({ nps: [9] }, { ids: v })],
  ["model.scoreBatch ids", "options.ids", but("undefined", "boolean"), (v) => model().scoreBatch([GOOD], { ids: v })],
  ["model.scoreColumns mapping", "options.columns", but("undefined", "string", "object"), (v) => model().scoreColumns({ nps: [9] }, { columns: v })],
  ["model.scoreBatch asOf", "options.asOf", but("undefined", "string", "date"), (v) => model().scoreBatch([GOOD], { asOf: v })],
  ["model.scoreColumns asOf", "options.asOf", but("undefined", "string", "date"), (v) => model().scoreColumns({ nps: [9] }, { asOf: v })],
  ["model.scoreColumns observed", "options.observed", but("undefined", "array"), (v) => model().scoreColumns({ nps: [9] }, { observed: v })],
  ["model.scoreSources sources", "sources", but("array"), (v) => model().scoreSources(v)],
  ["model.scoreSources source", "sources[0]", but("object"), (v) => model().scoreSources([v])],
  ["model.scoreSources source field", "sources[0].a", ["object"], (v) => model().scoreSources([{ ...SOURCE, ...v }])],
  ["model.scoreSources name", "sources[0].name", but("string"), (v) => model().scoreSources([{ ...SOURCE, name: v }])],
  ["model.scoreSources rows", "sources[0].rows", but("array"), (v) => model().scoreSources([{ ...SOURCE, rows: v }])],
  ["model.scoreSources headers", "sources[0].headers", but("undefined"), (v) => model().scoreSources([{ ...SOURCE, headers: v }])],
  [
    "model.scoreSources columns",
    "sources[0].columns",
    but("undefined", "string", "object"),
    (v) => model().scoreSources([{ ...SOURCE, columns: v }]),
  ],
  ["model.scoreSources date", "sources[0].date", but("undefined", "string", "date"), (v) => model().scoreSources([{ ...SOURCE, date: v }])],
  ["model.scoreSources options", "options", but("undefined", "object"), (v) => model().scoreSources([SOURCE], v)],
  ["model.scoreSources options key", "options.a", ["object"], (v) => model().scoreSources([SOURCE], v)],
  ["model.scoreSources conflicts", "options.conflicts", but("undefined"), (v) => model().scoreSources([SOURCE], { conflicts: v })],
  ["model.scoreSources asOf", "options.asOf", but("undefined", "string", "date"), (v) => model().scoreSources([SOURCE], { asOf: v })],
  ["model.scoreSources onError", "options.onError", but("undefined"), (v) => model().scoreSources([SOURCE], { onError: v })],
  ["model.rank records", "records", but("array"), (v) => model().rank(v)],
  ["model.rank top", "top", but("undefined", "number"), (v) => model().rank([GOOD], v)],
  ["model.rank top < 0", "top", ["number"], () => model().rank([GOOD], -1)],
  ["model.rank top 2.5", "top", ["number"], () => model().rank([GOOD], 2.5)],
  ["model.rank options", "options", but("undefined", "object"), (v) => model().rank([GOOD], 1, v)],
  ["model.rank onError", "options.onError", but("undefined"), (v) => model().rank([GOOD], 1, { onError: v })],
  ["model.rank asOf", "options.asOf", but("undefined", "string", "date"), (v) => model().rank([GOOD], 1, { asOf: v })],
  ["model.readColumns headers", "headers", but("array"), (v) => model().readColumns(v)],
  ["model.readColumns header", "headers[0]", but("string"), (v) => model().readColumns([v])],
  ["model.readColumns columns", "columns", but("undefined", "string", "object"), (v) => model().readColumns(["nps"], v)],
  ["model.recordsFromCells header", "header", but("array"), (v) => model().recordsFromCells(v, [["9"]])],
  ["model.recordsFromCells header cell", "header[0]", but("string"), (v) => model().recordsFromCells([v], [["9"]])],
  ["model.recordsFromCells rows", "rows", but("array"), (v) => model().recordsFromCells(["nps"], v)],
  ["model.recordsFromCells row", "rows[0]", but("array"), (v) => model().recordsFromCells(["nps"], [v])],
  [
    "model.recordsFromCells cell",
    "rows[0][0]",
    but("undefined", "null", "number", "NaN", "BigInt", "string", "boolean"),
    (v) => model().recordsFromCells(["nps"], [[v]]),
  ],
  ["model.recordsFromCells options", "options", but("undefined", "object", "string"), (v) => model().recordsFromCells(["nps"], [["9"]], v)],
  ...["segments", "overrides", "eligibility", "fatigue", "matchRequest", "requests", "review", "metrics"].map((f) => [
    `program.${f}`,
    "input",
    but("object"),
    (v) => program[f](v),
  ]),
];

function caught(f) {
  try {
    const r = f();
    if (r instanceof Promise) r.catch(() => {});
  } catch (e) {
    return e;
  }
  return undefined;
}

test("every function and method refuses wrong-typed arguments with a usage error naming them", () => {
  let calls = 0;
  for (const [name, arg, wrong, call] of CASES) {
    for (const kind of wrong) {
      const e = caught(() => call(BAD[kind]));
      const where = `${name}(${kind})`;
      assert.ok(e instanceof AdvocacyError, `${where}: threw ${e === undefined ? "nothing" : `${e?.name}: ${e?.message}`}`);
      assert.equal(e.kind, "usage", `${where}: kind (${e.message})`);
      assert.ok(e.path === arg || e.path?.startsWith(`${arg}.`) || e.path?.startsWith(`${arg}[`), `${where}: path ${e.path}, expected ${arg}`);
      assert.match(e.message, new RegExp(`^argument \`${arg.replace(/[[\].]/g, "\\$&")}`), where);
      calls++;
    }
  }
  assert.ok(calls > 250, `${calls} calls`);
  // Nothing reached the module in a broken state: it still scores.
  assert.equal(Model.default().score(GOOD).total, 10);
});

test("a freed model says so; functions without arguments ignore extra ones", () => {
  const m = Model.default();
  m.free();
  m.free();
  for (const f of [() => m.score(GOOD), () => m.toJson(), () => m.name, () => m.scoreBatch([GOOD])]) {
    const e = caught(f);
    assert.ok(e instanceof AdvocacyError && e.kind === "usage" && e.code === "freed" && e.path === "model", String(e));
  }
  const r = Model.default().scoreBatch([GOOD]);
  assert.deepEqual(Array.from(r.ranking(5, {})), [0]);
  assert.equal(r.tierCounts(null).not_yet_qualified, 1);
  assert.ok(api.standardSignals(7).length > 10);
  assert.ok(api.wasmMemoryBytes("x") > 0);
  assert.equal(Model.default(5).name, Model.default().name);
});

test("records and options the API cannot read are usage errors, not raw errors", () => {
  const m = Model.default();
  const cyclic = { categories: [] };
  cyclic.self = cyclic;
  const cases = [
    [() => Model.fromObject(cyclic), "spec"],
    [() => m.with({ name: 10n }), "patch"],
    [() => m.withTargets({ industries: [1n] }), "targets"],
    [() => m.scoreBatch([GOOD], { columns: { columns: { a: 1n } } }), "options.columns"],
    [() => m.scoreBatch([{ get nps() { throw new TypeError("boom"); } }]), "records[0]"],
    [() => m.scoreBatch([GOOD], { onerror: "flag" }), "options.onerror"],
    [() => m.scoreColumns({ nps: { keys: [0, -1], values: ["9"] } }), "columns.nps.keys[1]"],
    [() => m.scoreColumns({ nps: { keys: [0], values: [9] } }), "columns.nps.values[0]"],
    [() => m.scoreColumns({ nps: { keys: [0], values: ["9"], valid: [1, 1] } }), "columns.nps.valid"],
    [() => m.recordsFromCells(["nps"], [[{}]]), "rows[0][0]"],
  ];
  for (const [f, arg] of cases) {
    const e = caught(f);
    assert.ok(e instanceof AdvocacyError, `${arg}: ${e}`);
    assert.equal(e.kind, "usage", `${arg}: ${e.message}`);
    assert.equal(e.path, arg);
  }
});

test("the usage envelope written before the module loads is the core's", async () => {
  const { execFileSync } = await import("node:child_process");
  const pkg = new URL("../pkg/", import.meta.url).href;
  const script = `
    import { readFileSync } from "node:fs";
    import { init, AdvocacyError, initSync } from ${JSON.stringify(pkg + "web.js")};
    import * as raw from ${JSON.stringify(pkg + "advocacy_wasm.js")};
    const caught = (f) => { try { f(); } catch (e) { return e.toJSON(); } };
    const before = [caught(() => init(5)), caught(() => new AdvocacyError(null)), caught(() => initSync("x"))];
    initSync(readFileSync(new URL("advocacy_wasm_bg.wasm", ${JSON.stringify(pkg)})));
    const core = before.map((e) => JSON.parse(raw.usageError(e.code, e.path, e.value, e.allowed)));
    console.log(JSON.stringify({ before, core }));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const { before, core } = JSON.parse(out.trim().split("\n").pop());
  assert.deepEqual(before.map((e) => e.path), ["input", "envelope", "module"]);
  assert.deepEqual(before, core);
});
