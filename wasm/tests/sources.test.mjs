// Several sources (model.scoreSources) and freshness in the batch paths (asOf with an
// observation date column or the `observed` option), beyond the vectors: how JS values cross
// (Date objects, typed arrays of days, BigInt, mappings as text) and what each error names.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Model, AdvocacyError } from "../pkg/node.js";

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AdvocacyError, `expected an AdvocacyError, got ${e?.name}: ${e?.message}`);
    return e;
  }
  assert.fail("expected an error");
}

/** NPS counts for 180 days, health for 45. */
const model = Model.default().with({ max_age_days: { nps: 180, health_score: 45 } });
const AS_OF = "2026-11-30";
/** Days since 1970-01-01 of a YYYY-MM-DD date. */
const day = (s) => Date.parse(`${s}T00:00:00Z`) / 86400000;
const totals = (r) => Array.from(r.total).map((x) => (Number.isNaN(x) ? null : x));

test("scoreColumns: the plan's observation column (any alias or the mapping) with asOf", () => {
  const cols = (header) => ({ id: ["a", "b", "c"], nps: ["10", "10", "10"], [header]: ["2026-11-01", "2025-01-01", null] });
  for (const header of ["observed", "Observed At", "observation_date"]) {
    const r = model.scoreColumns(cols(header), { asOf: AS_OF });
    assert.deepEqual(totals(r), [10, 0, 10], header);
    assert.equal(r.plan.columns[2].role, "observed");
  }
  const mapped = model.scoreColumns(cols("Survey Date"), { asOf: AS_OF, columns: { observed: "Survey Date" } });
  assert.deepEqual(totals(mapped), [10, 0, 10]);
  // Without asOf, or for a model without maximum ages, the dates change nothing.
  assert.deepEqual(totals(model.scoreColumns(cols("observed"))), [10, 10, 10]);
  assert.deepEqual(totals(Model.default().scoreColumns(cols("observed"), { asOf: AS_OF })), [10, 10, 10]);
  // asOf as a Date is its UTC day.
  assert.deepEqual(totals(model.scoreColumns(cols("observed"), { asOf: new Date("2026-11-30T23:59:00Z") })), [10, 0, 10]);
});

test("scoreColumns: the observed option as text, Date objects, typed arrays of days", () => {
  const cols = { id: ["a", "b", "c", "d"], nps: new Float64Array([10, 10, 10, 10]), health_score: [90, 90, 90, 90] };
  const expected = [20, 0, 10, 20];
  const dates = ["2026-11-01", "2025-01-01", "2026-09-01", null];
  assert.deepEqual(totals(model.scoreColumns(cols, { asOf: AS_OF, observed: dates })), expected);
  // A timestamp's date part counts; Date objects are their UTC day.
  const asDates = dates.map((d) => (d === null ? undefined : new Date(`${d}T18:30:00Z`)));
  assert.deepEqual(totals(model.scoreColumns(cols, { asOf: AS_OF, observed: asDates })), expected);
  assert.deepEqual(totals(model.scoreColumns(cols, { asOf: AS_OF, observed: dates.map((d) => d && `${d}T08:00:00Z`) })), expected);
  // Arrow's date32: days since 1970-01-01.
  const days = Int32Array.from(dates, (d) => (d === null ? day("2026-11-29") : day(d)));
  assert.deepEqual(totals(model.scoreColumns(cols, { asOf: AS_OF, observed: days })), expected);
  assert.deepEqual(totals(model.scoreColumns(cols, { asOf: AS_OF, observed: BigInt64Array.from(days, BigInt) })), expected);
  // The option wins over the plan's column.
  const withColumn = { ...cols, observed: ["2020-01-01", "2020-01-01", "2020-01-01", "2020-01-01"] };
  assert.deepEqual(totals(model.scoreColumns(withColumn, { asOf: AS_OF, observed: dates })), expected);
  assert.deepEqual(totals(model.scoreColumns(withColumn, { asOf: AS_OF })), [0, 0, 0, 0]);
});

test("a cell that is not a date flags its row (signal observed); a column of the wrong length is the core's error", () => {
  const cols = { id: ["a", "b", "c", "d"], nps: [10, 10, 10, 10] };
  const r = model.scoreColumns(cols, { asOf: AS_OF, observed: ["2026-11-01", "last week", new Date(NaN), 20000], onError: "flag" });
  assert.deepEqual(
    r.errors.map((e) => [e.row, e.code, e.signal, e.id, e.value]),
    [
      [1, "wrong_type", "observed", "b", '"last week"'],
      [2, "wrong_type", "observed", "c", '"Invalid Date"'],
      [3, "wrong_type", "observed", "d", "20000"],
    ],
  );
  const e = thrown(() => model.scoreColumns(cols, { asOf: AS_OF, observed: ["2026-11-01", "x", null, null] }));
  assert.deepEqual([e.type, e.code, e.row, e.signal], ["record", "wrong_type", 1, "observed"]);
  const short = thrown(() => model.scoreColumns(cols, { observed: ["2026-11-01"] }));
  assert.deepEqual([short.type, short.code, short.column], ["column", "column_length", "observed"]);
  const date = thrown(() => model.scoreColumns(cols, { asOf: "30.11.2026" }));
  assert.deepEqual([date.type, date.code, date.value], ["date", "invalid_date", "30.11.2026"]);
});

test("scoreBatch and rank: the records' observation key, with asOf; rank explains what the batch scored", () => {
  const recs = [
    { id: "a", nps: 10, health_score: 90, "Observed At": "2026-11-01" },
    { id: "b", nps: 10, health_score: 90, "Observed At": new Date("2025-01-01") },
    { id: "c", nps: 9, health_score: 90 },
    { id: "d", nps: 10, health_score: 90, "Observed At": "2026-09-01" },
  ];
  const b = model.scoreBatch(recs, { asOf: AS_OF });
  assert.deepEqual(totals(b), [20, 0, 20, 10]);
  assert.equal(b.plan.columns[3].role, "observed");
  assert.deepEqual(totals(model.scoreBatch(recs)), [20, 20, 20, 20]);
  const ranked = model.rank(recs, Infinity, { asOf: AS_OF });
  assert.deepEqual(
    ranked.map((r) => [r.row, r.score.total]),
    [
      [0, 20],
      [2, 20],
      [3, 10],
      [1, 0],
    ],
  );
  for (const r of ranked) assert.equal(r.score.total, b.total[r.row]);
  const nps = ranked[3].score.criteria.find((c) => c.signal === "nps");
  assert.equal(nps.outcome, "missing");
  assert.deepEqual(nps.stale, { value: 10, observed: "2025-01-01", max_age_days: 180, message: "nps: stale, observed 2025-01-01, older than 180 days" });
  assert.deepEqual(nps.provenance.seen, { source: "table", observed: "2025-01-01" });
  // A bad date flags its row (and rank leaves it out).
  const bad = model.scoreBatch([...recs, { id: "e", nps: 10, "Observed At": "soon" }], { asOf: AS_OF, onError: "flag" });
  assert.deepEqual(bad.errors.map((e) => [e.row, e.code, e.signal]), [[4, "wrong_type", "observed"]]);
  assert.equal(model.rank([...recs, { id: "e", nps: 10, "Observed At": "soon" }], Infinity, { asOf: AS_OF, onError: "flag" }).length, 4);
});

const CRM = { name: "crm", date: "2025-09-01", rows: [{ "Account ID": "a", "Account Name": "Acme", NPS: 6, "Health Score": "85" }] };
const SURVEY = { name: "survey", headers: ["account_id", "nps", "observed"], rows: [["a", 10, "2026-11-02"]] };

test("scoreSources: joined, each value with its source and date, the latest winning", () => {
  const out = model.scoreSources([CRM, SURVEY], { asOf: AS_OF });
  assert.deepEqual(out.accounts.map((a) => [a.id, a.name, a.error]), [["a", "Acme", null]]);
  const nps = out.accounts[0].score.criteria.find((c) => c.signal === "nps");
  assert.equal(nps.value, 10);
  assert.deepEqual(nps.provenance, { seen: { source: "survey", observed: "2026-11-02" }, overruled: [{ value: 6, source: "crm", observed: "2025-09-01" }] });
  // The health score of 2025-09-01 is older than 45 days.
  const health = out.accounts[0].score.criteria.find((c) => c.signal === "health_score");
  assert.equal(health.outcome, "missing");
  assert.equal(health.stale.max_age_days, 45);
  // Source order settles conflicts whatever the dates.
  const first = model.scoreSources([CRM, SURVEY], { conflicts: "source_order" });
  assert.equal(first.accounts[0].score.criteria.find((c) => c.signal === "nps").value, 6);
  // Dates as Date objects, the mapping as JSON text (a byte-order mark is skipped), cells as BigInt.
  const same = model.scoreSources(
    [
      { ...CRM, date: new Date("2025-09-01T00:00:00Z"), columns: '\ufeff{"id": "Account ID"}' },
      { ...SURVEY, rows: [["a", 10n, new Date("2026-11-02T10:00:00Z")]] },
    ],
    { asOf: new Date("2026-11-30T00:00:00Z") },
  );
  assert.deepEqual(same, out);
  // Headers of object rows in the order their keys first appear (the warnings follow it).
  const w = model.scoreSources([{ name: "s", rows: [{ id: "a", Zeta: 1, nps: 9 }, { id: "b", Alpha: 2 }] }]);
  assert.deepEqual(w.warnings.map((x) => [x.source, x.code, x.message]), [
    ["s", "unmapped_column", "column `Zeta` is not read: it names no signal of the model"],
    ["s", "unmapped_column", "column `Alpha` is not read: it names no signal of the model"],
  ]);
  assert.deepEqual(model.scoreSources([]), { accounts: [], warnings: [] });
});

test("scoreSources: errors name the source (path sources.<name>) and the row in it", () => {
  const src = (extra) => [{ name: "crm", rows: [{ id: "a", nps: 9 }], ...extra }];
  let e = thrown(() => model.scoreSources(src({ columns: '{"id": "x", "id": "y"}' })));
  assert.deepEqual([e.type, e.code, e.path], ["model", "parse", "sources.crm.columns"]);
  assert.match(e.message, /^source `crm`: .*duplicate (key|field) `id`/);
  e = thrown(() => model.scoreSources(src({ columns: { colums: {} } })));
  assert.deepEqual([e.type, e.code, e.path], ["model", "parse", "sources.crm.columns.colums"]);
  e = thrown(() => model.scoreSources(src({ columns: { columns: { nps: "nope" } } })));
  assert.deepEqual([e.type, e.code, e.path, e.value], ["model", "unknown_signal", "sources.crm.columns.nps", "nope"]);
  e = thrown(() => model.scoreSources(src({ date: "2026-13-01" })));
  assert.deepEqual([e.type, e.code, e.path, e.value], ["date", "invalid_date", "sources.crm", "2026-13-01"]);
  e = thrown(() => model.scoreSources(src({}), { asOf: "tomorrow" }));
  assert.deepEqual([e.type, e.code, e.value], ["date", "invalid_date", "tomorrow"]);
  e = thrown(() => model.scoreSources(src({ rows: [{ id: "a", nps: 9 }, 5] })));
  assert.deepEqual([e.type, e.code, e.path, e.row], ["record", "not_a_record", "sources.crm", 1]);
  e = thrown(() => model.scoreSources(src({ rows: [{ id: "a", nps: 9, observed: new Date(NaN) }] })));
  assert.deepEqual([e.code, e.path, e.row, e.signal, e.value], ["wrong_type", "sources.crm", 0, "observed", '"Invalid Date"']);
  e = thrown(() => model.scoreSources(src({ rows: [{ id: "a", nps: Infinity }] })));
  assert.deepEqual([e.code, e.signal, e.id], ["out_of_range", "nps", "a"]);
  const flagged = model.scoreSources(src({ rows: [{ id: "a", nps: Infinity }, { id: "b", nps: 9 }] }), { onError: "flag" });
  assert.deepEqual(flagged.accounts.map((a) => [a.id, a.error?.code ?? null, a.score?.total ?? null]), [["a", "out_of_range", null], ["b", null, 10]]);
  // What JSON cannot carry is a usage error naming the rows; so is a wrong field.
  const cyclic = { id: "a" };
  cyclic.self = cyclic;
  for (const [f, path] of [
    [() => model.scoreSources(src({ rows: [cyclic] })), "sources[0].rows"],
    [() => model.scoreSources(src({ rows: [{ get nps() { throw new Error("boom"); } }] })), "sources[0].rows"],
    [() => model.scoreSources(src({ header: ["id"] })), "sources[0].header"],
    [() => model.scoreSources(src({ headers: ["id", 5] })), "sources[0].headers[1]"],
    [() => model.scoreSources(src({ columns: { columns: { a: 1n } } })), "sources[0].columns"],
    [() => model.scoreSources(src({}), { conflicts: "newest" }), "options.conflicts"],
    [() => model.scoreSources(src({}), { as_of: AS_OF }), "options.as_of"],
  ]) {
    const u = thrown(f);
    assert.deepEqual([u.type, u.path], ["usage", path], u.message);
  }
  // The model keeps working.
  assert.equal(model.scoreSources(src({})).accounts[0].score.total, 10);
});
