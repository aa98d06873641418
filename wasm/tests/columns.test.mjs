// Real data in (issue 10) and ambiguous input (issue 9): headers and record keys read by the
// core's column plan, the `columns` mapping, unique ids, duplicate keys and columns, byte-order
// marks, empty tables, and CSV cells that papaparse typed.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Model, AdvocacyError } from "../pkg/node.js";

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AdvocacyError, `expected an AdvocacyError, got ${e}`);
    return e;
  }
  assert.fail("expected an error");
}

const CRM_HEADER = ["Account ID", "Account Name", "NPS", "Health Score", "ROI Achieved", "Segment", "Owner"];
const CRM_ROWS = [
  ["ACC-1", "Green Labs", "10", "91.5", "Yes", "Mid-Market", "Dana"],
  ["ACC-2", "Harbor", "9", "84%", "no", "Enterprise", "Luis"],
  ["ACC-3", "Northwind", "", "NA", "Y", "SMB", "Dana"],
];

test("readColumns: how each header is read, and why, without scoring", () => {
  const plan = Model.default().readColumns(CRM_HEADER);
  assert.deepEqual(
    plan.columns.map((c) => [c.header, c.role, c.signal]),
    [
      ["Account ID", "id", null],
      ["Account Name", "name", null],
      ["NPS", "signal", "nps"],
      ["Health Score", "signal", "health_score"],
      ["ROI Achieved", "signal", "roi_achieved"],
      ["Segment", "signal", "segment"],
      ["Owner", "ignored", null],
    ],
  );
  assert.ok(plan.columns.every((c) => typeof c.reason === "string" && c.reason.length > 0));
  assert.deepEqual(plan.warnings.map((w) => w.code), ["unmapped_column"]);
  assert.deepEqual(plan.options, { decimal_comma: false });
  // A mapping, as an object or as JSON text (a byte-order mark is skipped).
  const mapping = { columns: { Owner: "ignore", Notes: "csm_rapport" }, decimal_comma: true };
  for (const m of [mapping, JSON.stringify(mapping), `\ufeff${JSON.stringify(mapping)}`]) {
    const p = Model.default().readColumns([...CRM_HEADER, "Notes"], m);
    assert.deepEqual(p.columns.slice(-2).map((c) => [c.role, c.signal, c.reason]), [
      ["ignored", null, "ignored by the mapping"],
      ["signal", "csm_rapport", "the mapping says so"],
    ]);
    assert.equal(p.options.decimal_comma, true);
  }
});

test("the mapping's own errors are the core's, with their path", () => {
  const m = Model.default();
  let e = thrown(() => m.readColumns(["a"], { columns: { a: "nope" } }));
  assert.deepEqual([e.type, e.code, e.path, e.value], ["model", "unknown_signal", "columns.a", "nope"]);
  e = thrown(() => m.readColumns(["a"], { colums: {} }));
  assert.deepEqual([e.type, e.code], ["model", "parse"]);
  // Duplicate keys in JSON text are an error (the core's `parse_json`), never the last one winning.
  e = thrown(() => m.readColumns(["a"], '{"columns": {"a": "nps", "a": "health_score"}}'));
  assert.deepEqual([e.type, e.code], ["model", "parse"]);
  assert.match(e.message, /duplicate key `a` at line 1 column/);
  e = thrown(() => m.readColumns(["a"], "{"));
  assert.equal(e.code, "parse");
});

test("Model.fromJson: a byte-order mark is skipped, duplicate keys are refused", () => {
  const json = Model.default().toJson();
  assert.equal(Model.fromJson(`\ufeff${json}`).toJson(), json);
  const dup = json.replace('"name":', '"name": "x", "name":');
  const e = thrown(() => Model.fromJson(dup));
  assert.deepEqual([e.type, e.code], ["model", "parse"]);
  assert.match(e.message, /duplicate (key|field) `name`/);
  // The core's own parse errors keep their text and path.
  assert.equal(thrown(() => Model.fromJson('{"categories": 5}')).path, "categories");
});

test("duplicate columns: two headers or keys for one signal (or the id) are the core's error", () => {
  const m = Model.default();
  for (const f of [
    () => m.recordsFromCells(["nps", "NPS"], [["9", "3"]]),
    () => m.scoreColumns({ nps: [9], NPS: [3] }),
    () => m.scoreBatch([{ nps: 9, NPS: 3 }]),
    () => m.scoreBatch([{ nps: 9 }, { "Health Score": 80, health_score: 90 }]),
    () => m.readColumns(["Health Score", "health-score"]),
  ]) {
    const e = thrown(f);
    assert.deepEqual([e.type, e.code], ["model", "duplicate"], e.message);
    assert.match(e.path, /^columns\[\d+\]$/);
  }
});

test("an empty table says no accounts; a table of no signal the model reads is the core's error", () => {
  const m = Model.default();
  for (const [f, arg] of [
    [() => m.scoreBatch([]), "records"],
    [() => m.rank([]), "records"],
    [() => m.scoreColumns({}), "columns"],
    [() => m.scoreColumns({ nps: [] }), "columns"],
    [() => m.recordsFromCells(["nps"], []), "rows"],
  ]) {
    const e = thrown(f);
    assert.deepEqual([e.type, e.code, e.path], ["usage", "no_accounts", arg]);
    assert.match(e.message, /no accounts/);
  }
  for (const f of [
    () => m.scoreBatch([{ id: "a", Kunde: "x" }]),
    () => m.scoreColumns({ Kunde: ["x"], Zufriedenheit: [9] }),
    () => m.recordsFromCells(["Kunde", "Zufriedenheit"], [["x", "9"]]),
    () => m.scoreBatch([{ tenure_months: 12 }]),
  ]) {
    const e = thrown(f);
    assert.deepEqual([e.type, e.code, e.path], ["model", "invalid_value", "columns"]);
    assert.match(e.message, /no column holds a signal the model reads/);
  }
});

test("recordsFromCells reads a CRM export by the plan, with a mapping", () => {
  const m = Model.default();
  const recs = m.recordsFromCells(CRM_HEADER, CRM_ROWS);
  assert.deepEqual(recs, [
    { id: "ACC-1", nps: 10, health_score: 91.5, roi_achieved: true, segment: "Mid-Market" },
    { id: "ACC-2", nps: 9, health_score: 84, roi_achieved: false, segment: "Enterprise" },
    { id: "ACC-3", roi_achieved: true, segment: "SMB" },
  ]);
  const mapped = m.recordsFromCells(["Record", "Customer Health", "Size"], [["r1", "85,5", "Commercial"]], {
    columns: { id: "Record", columns: { "Customer Health": "health_score", Size: "segment" }, values: { segment: { Commercial: "mid_market" } }, decimal_comma: true },
  });
  assert.deepEqual(mapped, [{ id: "r1", health_score: 85.5, segment: "mid_market" }]);
  // The earlier third argument, the id column's name, still works.
  assert.deepEqual(m.recordsFromCells(["key", "nps"], [["k1", "9"]], "key"), [{ id: "k1", nps: 9 }]);
  // Scores are the same through every path.
  const byCells = m.scoreBatch(recs);
  const byObjects = m.scoreBatch(CRM_ROWS.map((r) => Object.fromEntries(CRM_HEADER.map((h, j) => [h, r[j]]))));
  const byColumns = m.scoreColumns(Object.fromEntries(CRM_HEADER.map((h, j) => [h, CRM_ROWS.map((r) => r[j])])));
  assert.deepEqual(Array.from(byCells.total), [30, 20, 10]);
  assert.deepEqual(Array.from(byObjects.total), Array.from(byCells.total));
  assert.deepEqual(Array.from(byColumns.total), Array.from(byCells.total));
  assert.deepEqual(recs.map((r) => m.score(r).total), [30, 20, 10]);
  assert.deepEqual(byObjects.warnings.map((w) => w.code).filter((c) => c === "unmapped_column"), ["unmapped_column"]);
  assert.deepEqual(byObjects.plan.columns.map((c) => c.role), ["id", "name", "signal", "signal", "signal", "signal", "ignored"]);
});

test("recordsFromCells: numbers and booleans (papaparse dynamicTyping) never shift cells", () => {
  const m = Model.default();
  const header = ["id", "nps", "health_score", "industry"];
  assert.deepEqual(m.recordsFromCells(header, [["a", 9, "80", "retail"]]), [{ id: "a", nps: 9, health_score: 80, industry: "retail" }]);
  const typed = m.recordsFromCells(
    ["id", "nps", "health_score", "roi_achieved", "industry", "segment"],
    [
      [7, 10, 85.5, true, "Software", "smb"],
      ["b", null, undefined, false, "", "enterprise"],
      [3.5, 9n, 1e21, 0, 12, "Mid-Market"],
      ["c", NaN, Infinity],
    ],
  );
  assert.deepEqual(typed, [
    { id: "7", nps: 10, health_score: 85.5, roi_achieved: true, industry: "Software", segment: "smb" },
    { id: "b", roi_achieved: false, segment: "enterprise" },
    { id: "3.5", nps: 9, health_score: 1e21, roi_achieved: false, industry: "12", segment: "Mid-Market" },
    { id: "c", health_score: Infinity },
  ]);
  // Bad values stay as they were written, for the core to report.
  const e = thrown(() => m.scoreBatch(typed));
  assert.deepEqual([e.code, e.row, e.signal, e.id], ["out_of_range", 2, "health_score", "3.5"]);
  // Unicode cells keep their lengths (UTF-16 in JS, UTF-8 in the module).
  assert.deepEqual(m.recordsFromCells(["id", "industry", "nps"], [["ü-1", "Énergie 🌱", "9"]]), [{ id: "ü-1", industry: "Énergie 🌱", nps: 9 }]);
});

test("ids: every row needs one of its own when the table has an id column", () => {
  const m = Model.default();
  const recs = [{ id: "a", nps: 9 }, { id: "b", nps: 3 }, { id: " a ", nps: 10 }, { nps: 10 }, { id: "", nps: 1 }];
  const r = m.scoreBatch(recs, { onError: "flag" });
  assert.deepEqual(
    r.errors.map((e) => [e.row, e.code, e.id]),
    [
      [2, "duplicate_id", "a"],
      [3, "missing_id", null],
      [4, "missing_id", null],
    ],
  );
  assert.deepEqual(Array.from(r.total).map((x) => (Number.isNaN(x) ? null : x)), [10, 0, null, null, null]);
  const e = thrown(() => m.scoreBatch(recs));
  assert.deepEqual([e.type, e.code, e.row], ["record", "duplicate_id", 2]);
  assert.match(e.value, /row 0 has it too/);
  // The same for columns (an id column, or options.ids) and for numeric ids (7 and 7.0 are one id).
  const c = m.scoreColumns({ "Account ID": [7, 7.0, 8], NPS: [9, 9, 9] }, { onError: "flag" });
  assert.deepEqual(c.errors.map((x) => [x.row, x.code, x.id]), [[1, "duplicate_id", "7"]]);
  const o = m.scoreColumns({ nps: [9, 9] }, { ids: ["x", "x"], onError: "flag" });
  assert.deepEqual(o.errors.map((x) => x.code), ["duplicate_id"]);
  // Without ids, nothing is required.
  assert.equal(m.scoreBatch([{ nps: 9 }, { nps: 9 }]).errors.length, 0);
});

test("scoreBatch and scoreColumns read keys through the plan: aliases, the mapping, value maps, decimal comma", () => {
  const m = Model.default().withTargets({ segments: ["mid_market"] });
  const mapping = { columns: { "Kunden-ID": "id", Gesundheit: "health_score", Größe: "segment" }, values: { segment: { Mittelstand: "mid_market" } }, decimal_comma: true };
  const recs = [
    { "Kunden-ID": "k1", Gesundheit: "85,5", Größe: "Mittelstand" },
    { "Kunden-ID": "k2", Gesundheit: 70, Größe: "smb" },
  ];
  const b = m.scoreBatch(recs, { columns: mapping });
  assert.deepEqual(Array.from(b.total), [15, 0]);
  const c = m.scoreColumns(
    { "Kunden-ID": ["k1", "k2"], Gesundheit: ["85,5", "70"], Größe: { keys: [0, 1], values: ["Mittelstand", "smb"] } },
    { columns: JSON.stringify(mapping) },
  );
  assert.deepEqual(Array.from(c.total), [15, 0]);
  const ranked = m.rank(recs, 1, { columns: mapping });
  assert.deepEqual([ranked[0].score.id, ranked[0].score.total], ["k1", 15]);
  // Text is accepted for any signal kind, read by the core's one cell reading.
  const t = Model.default().scoreColumns({ nps: ["9", "10", ""], roi_achieved: ["Yes", "no", "1"], health_score: ["85%", "NA", "81"] });
  assert.deepEqual(Array.from(t.total), [30, 10, 20]);
});
