// A small consumer of the package, type-checked with `tsc --noEmit -p tests/tsconfig.json`.
// The @ts-expect-error lines prove the declarations are strict (an `any` would let them pass).
import {
  AdvocacyError,
  Model,
  init,
  type AccountRecord,
  type BatchResult,
  type ModelSpec,
  type RankedAccount,
  type Score,
  type Tier,
  type CriterionScore,
  type Outcome,
  type ErrorEnvelope,
  type ColumnMapping,
  type ColumnPlan,
  type ColumnRole,
  type Source,
  type SourceAccount,
  type SourceScores,
  type SourceWarning,
} from "advocacy-wasm";
import * as program from "advocacy-wasm/program";

async function main(): Promise<void> {
  await init();
  const model: Model = Model.default().withTargets({ industries: ["software"], segments: ["enterprise"] });

  const acme: AccountRecord<"seats"> = { id: "acme", nps: 9, segment: "enterprise", roi_achieved: true, seats: 40 };
  const score: Score = model.score(acme, "2026-01-31");
  const total: number = score.total;
  const tier: Tier = score.tier;
  const met: CriterionScore[] = score.criteria.filter((c) => c.outcome === "met");
  const outcome: Outcome = met[0]?.outcome ?? "missing";
  const gap: number | undefined = score.next_tier?.points_needed;
  const asks: string[] = score.outreach.asks;
  const revisit: string | null | undefined = score.revisit;
  console.log(total, tier, outcome, gap, asks, revisit, score.bounds.tiers, score.gate?.reason);

  // @ts-expect-error nps is a number (or its text), not a boolean
  const badType: AccountRecord = { nps: true };
  // @ts-expect-error segment is a category: text
  const badSegment: AccountRecord = { segment: 3 };
  console.log(badType, badSegment);

  const batch: BatchResult = model.scoreBatch([acme, { id: "b", nps: 3 }], { onError: "flag" });
  const totals: Float64Array = batch.total;
  const fit: Float64Array | undefined = batch.categories["company_fit"];
  const order: Uint32Array = batch.ranking();
  const counts: Record<Tier, number> = batch.tierCounts();
  for (const e of batch.errors) console.log(e.row, e.code, e.signal, e.value, e.allowed);
  console.log(totals, fit, order, counts);

  const cols = model.scoreColumns(
    { nps: new Float64Array([9, 10]), industry: ["software", "retail"], roi_achieved: [true, null] },
    { onError: "fail", ids: ["a", "b"] },
  );
  console.log(cols.tier satisfies (Tier | null)[]);
  // Tiers as codes with their names; ids declined.
  const names: readonly Tier[] = cols.tierNames;
  const firstTier: Tier | undefined = names[cols.tierCode[0] ?? 255];
  const lean: BatchResult = model.scoreBatch([acme], { ids: false });
  model.scoreColumns({ "Account ID": ["a"], nps: [9] }, { ids: false });
  console.log(firstTier, lean.tierCode);
  // @ts-expect-error ids of records are taken or not: a boolean
  model.scoreBatch([acme], { ids: ["a"] });
  // @ts-expect-error options.ids of columns: the ids, or false
  model.scoreColumns({ nps: [9] }, { ids: true });
  // @ts-expect-error onError is "fail" or "flag"
  model.scoreBatch([acme], { onError: "ignore" });

  // Real exports: headers read by the core's column plan, with a mapping on top.
  const mapping: ColumnMapping = { columns: { "CSM Rating": "csm_rapport", Owner: "ignore" }, values: { segment: { Commercial: "mid_market" } } };
  const plan: ColumnPlan = model.readColumns(["Account ID", "NPS", "CSM Rating"], mapping);
  const role: ColumnRole = plan.columns[0]!.role;
  const signal: string | null = plan.columns[1]!.signal;
  const records: AccountRecord[] = model.recordsFromCells(["Account ID", "NPS"], [["a", 9], ["b", "10"]], { columns: mapping });
  const read = model.scoreBatch(records, { onError: "flag", columns: JSON.stringify(mapping) });
  console.log(role, signal, read.plan.warnings, model.signals()[0]?.kind, model.readSignals());
  // @ts-expect-error decimal_comma is a boolean
  model.readColumns(["a"], { decimal_comma: "yes" });

  // Freshness in the batch paths: asOf with an observation date column or option.
  const fresh = model.scoreColumns(
    { id: ["a", "b"], NPS: ["10", "10"], "Observed At": ["2026-11-01", null] },
    { asOf: new Date(), observed: ["2026-11-01", new Date(), null] },
  );
  model.scoreColumns({ nps: [9] }, { observed: Int32Array.of(20393) });
  model.scoreBatch([acme], { asOf: "2026-11-30" });
  console.log(fresh.total);
  // @ts-expect-error observation dates are text, Dates, null or an integer typed array
  model.scoreColumns({ nps: [9] }, { observed: [true] });

  // Several sources: the result is the core's SourceScores.
  const sources: Source[] = [
    { name: "crm", date: new Date(), rows: [{ "Account ID": "a", NPS: 6 }], columns: { id: "Account ID" } },
    { name: "survey", headers: ["account_id", "nps", "observed"], rows: [["a", 10, "2026-11-02"]], columns: "{}" },
  ];
  const joined: SourceScores = model.scoreSources(sources, { conflicts: "latest", asOf: "2026-11-30", onError: "flag" });
  const first: SourceAccount | undefined = joined.accounts[0];
  const seen: string | undefined = first?.score?.criteria[0]?.provenance?.seen?.source;
  const warned: SourceWarning[] = joined.warnings;
  console.log(first?.id, first?.name, first?.error?.code, seen, warned.length);
  // @ts-expect-error conflicts is "latest" or "source_order"
  model.scoreSources(sources, { conflicts: "newest" });
  // @ts-expect-error a source needs a name
  model.scoreSources([{ rows: [] }]);

  const top: RankedAccount[] = model.rank([acme], 10);
  console.log(top[0]?.score.total);

  const spec: ModelSpec = model.toObject();
  spec.categories[0]!.criteria[0]!.points = 15;
  const changed = Model.fromObject(spec).withMissing("rescale").withThresholds({ platinum: 85 }).withPoints("promoter", 12);
  // @ts-expect-error missing policy is "zero" or "rescale"
  changed.withMissing("sometimes");

  try {
    model.score({ nps: 11 });
  } catch (e) {
    if (e instanceof AdvocacyError) {
      const fields: [string, string | null, string | null, string | null, number | null, string | null] = [
        e.code,
        e.signal ?? e.path,
        e.value,
        e.allowed,
        e.row,
        e.id,
      ];
      console.log(fields);
    }
  }
  changed.free();

  // Program functions: inputs and outputs are the generated program types; a Date may stand for a day.
  const report: program.FatigueReport = program.fatigue({ account: "acme", as_of: new Date(), ledger: [] });
  const resting: boolean = report.resting;
  const until: string | null | undefined = report.resting_until;
  const seg = program.segments({ accounts: [{ id: "a", signals: { nps: 9 } }] });
  console.log(resting, until, seg.results[0]?.segment);
  // @ts-expect-error a ledger entry's keys are checked (`acount`)
  program.fatigue({ account: "a", as_of: "2026-01-01", ledger: [{ acount: "a", activity: "x", status: "asked", date: "2026-01-01" }] });
  // @ts-expect-error a ledger entry's date is text or a Date
  program.fatigue({ account: "a", as_of: "2026-01-01", ledger: [{ account: "a", activity: "x", status: "asked", date: 20260101 }] });
  // @ts-expect-error segments needs its accounts
  program.segments({});

  const e: ErrorEnvelope = new AdvocacyError({ type: "usage", code: "internal", message: "m" }).toJSON();
  console.log(e.type, e.code);
}

void main();
