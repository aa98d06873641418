// The guides' languages from JavaScript: langs, localizeModel, text, message and explainText of
// `advocacy-wasm/program`, all answered by the program crate's catalogues.
//
// Run: node --test wasm/tests/   (after wasm/scripts/build.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// ADVOCACY_WASM_PKG: another build of the package (default: wasm/pkg).
const PKG = process.env.ADVOCACY_WASM_PKG ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../pkg");
const { Model, AdvocacyError } = await import(pathToFileURL(path.join(PKG, "node.js")).href);
const program = await import(pathToFileURL(path.join(PKG, "program-node.js")).href);

const RECORD = { id: "acme", nps: 10, health_score: 92, roi_achieved: true, csm_rapport: 5, engaged_contacts: 4,
  meeting_engagement: 5, past_advocacy: 2, proactive_feedback: 1, communication_comfort: 5, brand_strength: 4 };

test("langs lists the shipped languages, English first", () => {
  assert.deepEqual(program.langs(), ["en", "id", "ms", "de", "es"]);
});

test("a localized model has the language's labels and the same scores", () => {
  const base = Model.default();
  for (const lang of program.langs()) {
    const m = Model.fromJson(program.localizeModel(base, { lang }));
    const [a, b] = [base.score(RECORD), m.score(RECORD)];
    assert.equal(a.total, b.total);
    assert.equal(a.tier, b.tier);
    assert.equal(JSON.parse(m.toJson()).categories[0].label, program.text("model.category.satisfaction", { lang }));
  }
  const es = JSON.parse(program.localizeModel(base.toJson(), { lang: "es_MX" }));
  assert.equal(es.outreach.gold.invited_by, "invitación del CSM");
});

test("text, message and explainText", () => {
  assert.equal(program.text("tier.gold", { lang: "de" }), "Gold");
  assert.equal(program.text("tier.gold"), "gold");
  const msg = program.message("message.recruitment", { name: "Dana", company: "Acme" }, { lang: "id" });
  assert.ok(msg.startsWith("Hi Dana,\n\nSaya telah bekerja dengan Acme selama {timeframe}"), msg);
  const s = Model.fromJson(program.localizeModel(Model.default(), { lang: "de" })).score(RECORD);
  const text = program.explainText(s, { lang: "de", name: "Acme" });
  assert.ok(text.startsWith("acme  Acme\nScore 85 / 100   Tier Platinum   Vollständigkeit"), text);
  assert.ok(text.includes("Zufriedenheit und Erfolg"), text);
});

test("an unknown language throws an AdvocacyError naming the allowed codes", () => {
  for (const call of [() => program.text("tier.gold", { lang: "pt" }), () => program.localizeModel(Model.default(), { lang: "xx" })]) {
    assert.throws(call, (e) => e instanceof AdvocacyError && /allowed: en, id, ms, de, es/.test(e.message));
  }
});
