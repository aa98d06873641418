// Property tests (fast-check): over arbitrary records and columns, scoreBatch and scoreColumns
// throw nothing but AdvocacyError, and agree row by row with score() on the same values.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";

import { Model, AdvocacyError } from "../pkg/node.js";

const model = Model.default().withTargets({ industries: ["software", "énergie"], segments: ["mid_market"] });
const SIGNALS = ["nps", "health_score", "roi_achieved", "csm_rapport", "segment", "industry", "policy", "opted_out", "brand_strength", "tenure_months"];

// Values as real data brings them: numbers of every kind, words, loose text, nothing, odd things
// (plausible values most often, so that most rows score and the totals are compared).
const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 3, arbitrary: fc.constantFrom("yes", "No", "Y", "9", " 10 ", "85%", "NA", "", "Mid-Market", "ENTERPRISE", "software", "Énergie", "open", "prohibited") },
  { weight: 3, arbitrary: fc.boolean() },
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.integer({ min: -3, max: 120 }),
  fc.double({ noDefaultInfinity: false }),
  fc.constantFrom(NaN, Infinity, -0, 9.5, 1e21, "85,5", "giant"),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.bigInt({ min: -5n, max: 20n }),
  fc.constantFrom({ a: 1 }, [1, 2]),
);
// Keys the plan reads as nothing (prefixed so that none is an alias of a signal).
const extra = fc.string({ maxLength: 5 }).map((s) => `zz${s}`);
const signals = fc
  .record({ ...Object.fromEntries(SIGNALS.map((s) => [s, value])), extra: fc.tuple(extra, value) }, { requiredKeys: [] })
  .map(({ extra: x, ...r }) => (x === undefined ? r : { ...r, [x[0]]: x[1] }));
// Ids: unique mostly; sometimes none, empty, repeated, a number, or text with spaces.
const idChoice = fc.oneof({ weight: 12, arbitrary: fc.constant("unique") }, fc.constantFrom("none", "", "repeat", 7, " r1 "));
const withId = (rec, choice, i) => {
  if (choice === "none") return rec;
  const id = choice === "unique" ? `r${i}` : choice === "repeat" ? "r0" : choice;
  return { id, ...rec };
};
const records = (min, max) =>
  fc.array(fc.tuple(signals, idChoice), { minLength: min, maxLength: max }).map((rows) => rows.map(([r, c], i) => withId(r, c, i)));
const rows = fc
  .array(fc.tuple(fc.oneof({ weight: 20, arbitrary: signals }, { weight: 1, arbitrary: fc.constantFrom(null, 5, "x", [1]) }), idChoice), {
    minLength: 1,
    maxLength: 25,
  })
  .map((rs) => rs.map(([r, c], i) => (r !== null && typeof r === "object" && !Array.isArray(r) ? withId(r, c, i) : r)));

/** How many rows were compared on their scores, and on their errors (the runs must compare some). */
const seen = { scored: 0, failed: 0 };

function attempt(f) {
  try {
    return { ok: f() };
  } catch (e) {
    if (!(e instanceof AdvocacyError)) throw new Error(`not an AdvocacyError: ${e?.name}: ${e?.message}`);
    return { err: e };
  }
}

/** Row i of a flagged batch against score() of the same record. */
function agree(batch, i, rec) {
  const flagged = batch.errors.find((e) => e.row === i);
  if (flagged && (flagged.code === "missing_id" || flagged.code === "duplicate_id")) return;
  const one = attempt(() => model.score(rec));
  if (one.err) {
    assert.ok(flagged, `row ${i}: score() fails (${one.err.message}) but the batch scored it`);
    assert.equal(flagged.code, one.err.code, `row ${i}: code`);
    assert.equal(flagged.signal, one.err.signal, `row ${i}: signal`);
    assert.ok(Number.isNaN(batch.total[i]));
    seen.failed++;
  } else {
    seen.scored++;
    assert.equal(flagged, undefined, `row ${i}: flagged (${flagged?.message}) but score() scores it`);
    assert.equal(batch.total[i], one.ok.total, `row ${i}: total`);
    assert.equal(batch.tier[i], one.ok.tier, `row ${i}: tier`);
    assert.equal(batch.completeness[i], one.ok.completeness, `row ${i}: completeness`);
  }
}

test("scoreBatch: only AdvocacyErrors, and every row as score() has it", () => {
  fc.assert(
    fc.property(rows, (rows) => {
      const r = attempt(() => model.scoreBatch(rows, { onError: "flag" }));
      if (r.err) return;
      rows.forEach((rec, i) => {
        if (rec === null || typeof rec !== "object" || Array.isArray(rec)) {
          assert.equal(r.ok.errors.find((e) => e.row === i)?.code, "not_a_record");
        } else agree(r.ok, i, rec);
      });
      // Fail mode: the first flagged row's error, or the same scores.
      const f = attempt(() => model.scoreBatch(rows));
      if (r.ok.errors.length > 0) assert.equal(f.err?.row, r.ok.errors[0].row);
      else assert.deepEqual(Array.from(f.ok.total), Array.from(r.ok.total));
    }),
    { numRuns: 300 },
  );
});

test("scoreColumns: only AdvocacyErrors, and every row as score() has it", () => {
  fc.assert(
    fc.property(records(1, 25), fc.boolean(), (recs, asIds) => {
      const cols = {};
      recs.forEach((rec, i) => {
        for (const [k, v] of Object.entries(rec)) (cols[k] ??= new Array(recs.length).fill(undefined))[i] = v;
      });
      const options = { onError: "flag" };
      if (asIds && cols.id) {
        options.ids = cols.id.map((v) => (typeof v === "number" || typeof v === "string" ? v : null));
        delete cols.id;
        recs = recs.map((rec, i) => ({ ...rec, id: options.ids[i] }));
      }
      const r = attempt(() => model.scoreColumns(cols, options));
      if (r.err) return;
      recs.forEach((rec, i) => agree(r.ok, i, rec));
    }),
    { numRuns: 300 },
  );
});

test("scoreColumns: typed arrays and dictionaries agree with score()", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.oneof(fc.integer({ min: -1, max: 11 }), fc.constant(NaN)), fc.nat(5), fc.boolean()), { minLength: 1, maxLength: 40 }),
      (rows) => {
        const values = ["Software", "retail", "Énergie", "", "NA", "x"];
        const cols = {
          nps: Float64Array.from(rows, (r) => r[0]),
          industry: { keys: Uint32Array.from(rows, (r) => r[1]), values, valid: Uint8Array.from(rows, (r) => (r[2] ? 1 : 0)) },
        };
        const r = attempt(() => model.scoreColumns(cols, { onError: "flag" }));
        if (r.err) return;
        rows.forEach((x, i) => agree(r.ok, i, { nps: x[0], industry: x[2] ? values[x[1]] : null }));
      },
    ),
    { numRuns: 300 },
  );
});

test("the properties compared scores and errors, not only flagged ids", () => {
  assert.ok(seen.scored > 1000 && seen.failed > 300, JSON.stringify(seen));
});

// Accepted spellings (tests/vectors/tables.json: "every accepted spelling"): a value and each of
// its spellings as text give the same score through score() and scoreColumns() on text columns.
const recase = (s, mask) => Array.from(s, (ch, i) => (mask[i % mask.length] ? ch.toUpperCase() : ch.toLowerCase())).join("");
const mask = fc.array(fc.boolean(), { minLength: 1, maxLength: 12 });
const spelledBool = (b) =>
  fc.tuple(fc.constantFrom(...(b ? ["true", "yes", "y", "1"] : ["false", "no", "n", "0"])), mask).map(([w, m]) => recase(w, m));
const spelledInt = (n, percent) => fc.constantFrom(String(n), `${n}.0`, ` ${n} `, `${n} `, ...(percent ? [`${n}%`] : []));
const SEGMENT = { smb: ["smb", "SMB", "Smb"], mid_market: ["mid_market", "Mid-Market", "mid market", "MID_MARKET", "Mid Market"], enterprise: ["enterprise", "ENTERPRISE", "Enterprise"] };
const spelledSegment = (v) => fc.tuple(fc.constantFrom(...SEGMENT[v]), fc.option(mask, { nil: undefined })).map(([w, m]) => (m === undefined ? w : recase(w, m)));

/** An account of typed values, and the same account with every value spelled as text. */
const spelledAccount = fc
  .record({
    nps: fc.integer({ min: 0, max: 10 }),
    health_score: fc.integer({ min: 0, max: 100 }),
    csm_rapport: fc.integer({ min: 1, max: 5 }),
    engaged_contacts: fc.integer({ min: 0, max: 12 }),
    roi_achieved: fc.boolean(),
    opted_out: fc.boolean(),
    segment: fc.constantFrom("smb", "mid_market", "enterprise"),
  })
  .chain((typed) =>
    fc
      .record({
        nps: spelledInt(typed.nps, false),
        health_score: spelledInt(typed.health_score, true),
        csm_rapport: spelledInt(typed.csm_rapport, false),
        engaged_contacts: spelledInt(typed.engaged_contacts, false),
        roi_achieved: spelledBool(typed.roi_achieved),
        opted_out: spelledBool(typed.opted_out),
        segment: spelledSegment(typed.segment),
      })
      .map((text) => ({ typed, text })),
  );

test("accepted spellings (yes/No/1, 9.0, ' 9 ', 85%, Mid-Market) score as the value through score and scoreColumns", () => {
  let compared = 0;
  fc.assert(
    fc.property(fc.array(spelledAccount, { minLength: 1, maxLength: 20 }), (accounts) => {
      const expected = accounts.map(({ typed }) => model.score(typed));
      accounts.forEach(({ text }, i) => {
        const one = model.score(text);
        assert.equal(one.total, expected[i].total, `score(${JSON.stringify(text)})`);
        assert.equal(one.tier, expected[i].tier);
        assert.deepEqual(one.criteria.map((c) => c.outcome), expected[i].criteria.map((c) => c.outcome));
      });
      // Text columns keyed by headers, as a CSV gives them.
      const headers = { nps: "NPS", health_score: "Health Score", csm_rapport: "CSM Rapport", engaged_contacts: "engaged_contacts", roi_achieved: "ROI Achieved", opted_out: "opted_out", segment: "Segment" };
      const cols = Object.fromEntries(Object.entries(headers).map(([k, h]) => [h, accounts.map(({ text }) => text[k])]));
      const batch = model.scoreColumns(cols);
      accounts.forEach((_, i) => {
        assert.equal(batch.total[i], expected[i].total, `row ${i}: total`);
        assert.equal(batch.tier[i], expected[i].tier, `row ${i}: tier`);
        assert.equal(batch.completeness[i], expected[i].completeness, `row ${i}: completeness`);
        compared++;
      });
    }),
    { numRuns: 200 },
  );
  assert.ok(compared > 1000, `${compared} rows compared`);
});
