// The batch paths' own promises: tiers as codes with their names and a string view built on
// first use; ids taken only when the input has them (and not with `ids: false`); the encodings
// the columns cross in (booleans as 0/1 floats, text as keys of its distinct strings with a key
// for missing rows, ids as one UTF-8 text) give what score() gives; and the reader compiled for
// records of one shape reads exactly what score() reads (own keys, keys Object.prototype has,
// changing kinds, new keys), or steps aside.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Model, AdvocacyError, tiers } from "../pkg/node.js";

const model = Model.default().withTargets({ industries: ["software"], segments: ["mid_market"] });

/** Every row of a flagged batch against score() of its record (scores, or the error's code and
 * signal; id errors are the batch's own). */
function agrees(batch, records, where) {
  records.forEach((rec, i) => {
    const err = batch.errors.find((e) => e.row === i);
    let one;
    try {
      one = model.score(rec);
    } catch (e) {
      assert.ok(e instanceof AdvocacyError, `${where}: row ${i}: ${e}`);
      assert.ok(err, `${where}: row ${i}: score() fails with ${e.code}, the batch scored it`);
      assert.deepEqual([err.code, err.signal], [e.code, e.signal], `${where}: row ${i}: error`);
      return;
    }
    assert.equal(err, undefined, `${where}: row ${i}: flagged (${err?.message}), score() scores it`);
    assert.equal(batch.total[i], one.total, `${where}: row ${i}: total`);
    assert.equal(batch.tier[i], one.tier, `${where}: row ${i}: tier`);
    assert.equal(batch.completeness[i], one.completeness, `${where}: row ${i}: completeness`);
    assert.equal(batch.maxPossible[i], one.bounds.max, `${where}: row ${i}: max_possible`);
    for (const c of one.categories) assert.equal(batch.categories[c.id][i], c.points, `${where}: row ${i}: ${c.id}`);
  });
}

const RECORDS = [
  { id: "a", nps: 10, health_score: 90, roi_achieved: true, csm_rapport: 5, engaged_contacts: 4, industry: "software", segment: "mid_market" },
  { id: "b", nps: 7, roi_achieved: false, policy: "prohibited" },
  { id: "c", nps: 11 },
  { id: "d", opted_out: true, industry: "Software" },
  { id: "e" },
];

test("tiers come as codes with their names; the string view is built once, on first read", () => {
  for (const r of [model.scoreBatch(RECORDS, { onError: "flag" }), model.scoreColumns({ nps: [10, 7, 11, null, null], policy: [null, "prohibited", null, null, null] }, { onError: "flag" })]) {
    assert.ok(r.tierCode instanceof Uint8Array);
    assert.deepEqual(r.tierNames, tiers);
    assert.deepEqual(r.tierNames, ["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"]);
    assert.equal(r.tierCode[2], 255, "a flagged row's code");
    // The strings: a getter, building the array the first time and handing out the same one after.
    const d = Object.getOwnPropertyDescriptor(r, "tier");
    assert.equal(typeof d.get, "function", "tier is built on first read");
    const first = r.tier;
    assert.equal(r.tier, first, "the same array every time");
    assert.deepEqual(first, Array.from(r.tierCode, (c) => r.tierNames[c] ?? null));
    assert.equal(first[1], "not_advocate_material");
    assert.equal(first[2], null);
    const counts = r.tierCounts();
    assert.equal(counts.not_advocate_material, first.filter((t) => t === "not_advocate_material").length);
  }
  agrees(model.scoreBatch(RECORDS, { onError: "flag" }), RECORDS, "scoreBatch");
});

test("ids are taken only when the input has them; ids: false declines them", () => {
  const m = Model.default();
  // No id column, no ids: nothing is required, errors name no account.
  const none = m.scoreColumns({ nps: [9, 9, 11] }, { onError: "flag" });
  assert.deepEqual(none.errors.map((e) => [e.row, e.code, e.id]), [[2, "out_of_range", null]]);
  const noneB = m.scoreBatch([{ nps: 9 }, { nps: 9 }, { nps: 11 }], { onError: "flag" });
  assert.deepEqual(noneB.errors.map((e) => [e.row, e.code, e.id]), [[2, "out_of_range", null]]);
  // Asked for: options.ids, an id column, the records' id key.
  const dup = [{ id: "x", nps: 9 }, { id: "x", nps: 9 }, { id: "y", nps: 11 }];
  const cols = { id: ["x", "x", "y"], nps: [9, 9, 11] };
  const expected = [
    [1, "duplicate_id", "x"],
    [2, "out_of_range", "y"],
  ];
  assert.deepEqual(m.scoreColumns({ nps: cols.nps }, { ids: cols.id, onError: "flag" }).errors.map((e) => [e.row, e.code, e.id]), expected);
  assert.deepEqual(m.scoreColumns(cols, { onError: "flag" }).errors.map((e) => [e.row, e.code, e.id]), expected);
  assert.deepEqual(m.scoreBatch(dup, { onError: "flag" }).errors.map((e) => [e.row, e.code, e.id]), expected);
  // Declined: the same scores, no id checked, errors without the id.
  const declined = [
    m.scoreColumns(cols, { ids: false, onError: "flag" }),
    m.scoreColumns({ "Account ID": cols.id, nps: cols.nps }, { ids: false, onError: "flag" }),
    m.scoreBatch(dup, { ids: false, onError: "flag" }),
  ];
  for (const r of declined) {
    assert.deepEqual(r.errors.map((e) => [e.row, e.code, e.id]), [[2, "out_of_range", null]]);
    assert.deepEqual(Array.from(r.total.subarray(0, 2)), [10, 10]);
  }
  // The plan still says which column is the id; only its values are not read.
  assert.equal(declined[1].plan.columns[0].role, "id");
  // ids: true is the default.
  assert.deepEqual(m.scoreBatch(dup, { ids: true, onError: "flag" }).errors.map((e) => e.code), ["duplicate_id", "out_of_range"]);
  // Ids that are not ASCII cross as UTF-8 (and are compared as the core compares them).
  const uni = m.scoreColumns({ nps: [9, 9, 9] }, { ids: ["Énergie-1", " Énergie-1 ", "🌱"], onError: "flag" });
  assert.deepEqual(uni.errors.map((e) => [e.row, e.code, e.id]), [[1, "duplicate_id", "Énergie-1"]]);
});

test("the columns' encodings give what score() gives", () => {
  const segments = ["mid_market", null, "", "Mid-Market", undefined, "smb", "NA", "retail-ish"];
  const records = segments.map((segment, i) => ({ nps: i, segment, roi_achieved: i % 3 === 0 ? null : i % 2 === 0 }));
  const cols = { nps: Float64Array.from(records, (r) => r.nps), segment: segments, roi_achieved: records.map((r) => r.roi_achieved) };
  agrees(model.scoreColumns(cols, { onError: "flag" }), records, "plain arrays");
  // A value map that reads an empty cell as a value: an empty text is that value, a missing one stays missing.
  const mapped = Model.default().withTargets({ segments: ["smb"] });
  const map = { values: { segment: { "": "smb" } } };
  assert.deepEqual(Array.from(mapped.scoreColumns({ segment: ["", null, undefined, "smb"] }, { columns: map }).total), [5, 0, 0, 5]);
  assert.deepEqual(Array.from(mapped.scoreBatch([{ segment: "" }, { segment: null }, { nps: 1 }, { segment: "smb" }], { columns: map }).total), [5, 0, 0, 5]);
  // Booleans for a signal that is not boolean are the error score() gives.
  const e = assert.throws(() => model.scoreColumns({ nps: [true, null] }), (x) => x instanceof AdvocacyError && x.code === "wrong_type" && x.signal === "nps" && x.value === "true");
  assert.equal(e, undefined);
  // Booleans as a Float64Array of 0/1 (NaN missing) for a boolean signal; anything else there is an error.
  assert.deepEqual(Array.from(model.scoreColumns({ roi_achieved: new Float64Array([1, 0, NaN]) }).total), [10, 0, 0]);
  assert.throws(() => model.scoreColumns({ roi_achieved: new Float64Array([2]) }), (x) => x.code === "wrong_type" && x.signal === "roi_achieved");
  // A dictionary's missing rows mean nothing whatever their key; a present row's key out of
  // range (the key that marks missing rows inside the module too) is the core's error.
  const dict = { keys: new Uint32Array([0, 7, 0xffffffff, 1]), values: ["software", "retail"], valid: new Uint8Array([1, 0, 0, 1]) };
  assert.deepEqual(Array.from(model.scoreColumns({ industry: dict }).total), [10, 0, 0, 0]);
  const bad = { keys: new Uint32Array([0, 0xffffffff]), values: ["software"], valid: new Uint8Array([1, 1]) };
  const f = model.scoreColumns({ industry: bad }, { onError: "flag" });
  assert.deepEqual(f.errors.map((x) => [x.row, x.code, x.value]), [[1, "wrong_type", '"dictionary key 4294967295"']]);
  const noValid = model.scoreColumns({ industry: { keys: [0, 0xffffffff], values: ["software"] } }, { onError: "flag" });
  assert.deepEqual(noValid.errors.map((x) => [x.row, x.code, x.value]), [[1, "wrong_type", '"dictionary key 4294967295"']]);
  // Every number typed array, and plain number arrays with gaps.
  const nps = [9, 3, 10];
  for (const arr of [Float64Array, Float32Array, Int32Array, Uint8Array, Int16Array].map((T) => T.from(nps))) {
    assert.deepEqual(Array.from(model.scoreColumns({ nps: arr }).total), [10, 0, 10], arr.constructor.name);
  }
  assert.deepEqual(Array.from(model.scoreColumns({ nps: [9, null, undefined, 10] }).total), [10, 0, 0, 10]);
  // An array that starts as one kind and brings another is read value by value, as score() reads.
  const mixed = {
    nps: [null, 9, "10", 3],
    roi_achieved: [true, null, "no", 1],
    industry: ["software", undefined, 7, "Software"],
    segment: [undefined, null, null, null],
  };
  const rows = [0, 1, 2, 3].map((i) => Object.fromEntries(Object.entries(mixed).map(([k, v]) => [k, v[i]])));
  agrees(model.scoreColumns(mixed, { onError: "flag" }), rows, "mixed arrays");
});

test("records of one shape, as JSON.parse gives them, score as score() scores each", () => {
  const text = JSON.stringify(
    Array.from({ length: 300 }, (_, i) => ({
      id: `A-${i}`,
      nps: i % 13 === 0 ? null : i % 11,
      health_score: i % 7 === 0 ? null : (i * 7.3) % 100,
      roi_achieved: i % 5 === 0 ? null : i % 2 === 0,
      industry: i % 9 === 0 ? null : ["software", "retail", "Software", "energy"][i % 4],
      segment: ["mid_market", "smb", null][i % 3],
      policy: ["open", "prohibited", null, "open"][i % 4],
      opted_out: i % 17 === 0,
      // An odd value late in the batch: the reader gives way to the general reading from there.
      brand_strength: i === 250 ? "4" : i % 6,
    })),
  );
  const records = JSON.parse(text);
  agrees(model.scoreBatch(records, { onError: "flag" }), records, "JSON records");
  const late = JSON.parse(text);
  late[299].csm_rapport = 5; // a key no record had before
  late[150].nps = "9"; // text where numbers were
  agrees(model.scoreBatch(late, { onError: "flag" }), late, "new key, new kind");
});

test("the compiled reader reads own keys only, as score() does", () => {
  const inherited = Object.create({ nps: 10 });
  inherited.health_score = 90;
  class Account {
    constructor() {
      this.nps = 9;
    }
    get roi_achieved() {
      return true;
    }
  }
  const hidden = { nps: 3 };
  Object.defineProperty(hidden, "health_score", { value: 95, enumerable: false });
  // A hidden key and as many enumerable ones the reader does not read: counting alone would
  // not see it.
  const masked = Object.create(Object.prototype, { nps: { value: 9 }, zz_fresh: { value: 1, enumerable: true } });
  const undef = { nps: undefined, zz: 1 };
  Object.defineProperty(undef, "health_score", { value: 95, enumerable: false });
  const reordered = { health_score: 85, nps: 9 };
  const records = [
    // (Every key known before the odd records come.)
    { nps: 9, health_score: 85, zz_note: 0, zz: 0 },
    inherited,
    new Account(),
    hidden,
    JSON.parse('{"nps": 10, "constructor": 5, "toString": "x", "__proto__": 7}'),
    { nps: 1 },
    Object.assign(Object.create(null), { nps: 10, roi_achieved: true }),
    masked,
    undef,
    reordered,
    { nps: 9, health_score: 85 },
  ];
  const r = model.scoreBatch(records, { onError: "flag" });
  agrees(r, records, "odd records");
  assert.deepEqual(Array.from(r.total), [20, 10, 10, 0, 10, 0, 20, 0, 0, 20, 20]);
  // A getter that throws names its record.
  const throwing = [{ nps: 1 }, { nps: 2 }, { get nps() {
    throw new Error("boom");
  } }];
  assert.throws(() => model.scoreBatch(throwing), (e) => e instanceof AdvocacyError && e.path === "records[2]" && /boom/.test(e.value));
});

test("records that keep bringing new keys are read right (after 64 readers, key by key)", () => {
  const records = Array.from({ length: 200 }, (_, i) => ({ nps: i % 11, [`zz_note_${i}`]: i, ...(i % 3 === 0 ? { roi_achieved: i % 2 === 0 } : {}) }));
  agrees(model.scoreBatch(records, { onError: "flag" }), records, "new keys");
});

test("without new Function (a Content Security Policy), records are read key by key", () => {
  const records = JSON.parse(JSON.stringify(RECORDS));
  const expected = model.scoreBatch(records, { onError: "flag" });
  const saved = globalThis.Function;
  globalThis.Function = function () {
    throw new EvalError("Refused to evaluate a string as JavaScript (CSP)");
  };
  try {
    const r = model.scoreBatch(records, { onError: "flag" });
    agrees(r, records, "no compile");
    assert.deepEqual(Array.from(r.total), Array.from(expected.total));
  } finally {
    globalThis.Function = saved;
  }
  // Once refused, never tried again in this module; the batch keeps working.
  agrees(model.scoreBatch(records, { onError: "flag" }), records, "after");
});
