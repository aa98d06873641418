// Type tests of the input types (tsc -p tests/tsconfig.json): JSON-shaped data type-checks
// without annotations, and a key the model does not know is an error where the model is known at
// compile time. Each `@ts-expect-error` line fails the check if its error disappears.
import { Model, type AccountRecord, type ModelSpec } from "advocacy-wasm";
import { fatigue, segments, type FatigueInput, type ProgramInput } from "advocacy-wasm/program";
import accounts from "./types_accounts.json";
import customVector from "../../tests/vectors/custom_model.json";

export function jsonShaped(text: string): void {
  const model = Model.default();

  // Object literals without annotations: "enterprise" widens to string, "9" is the core's text.
  const acme = { id: "acme", nps: "9", segment: "enterprise", roi_achieved: true, power_user: 1 };
  model.score(acme);
  const rows = [acme, { id: "b", nps: 3, industry: "software", name: "Beta", observed: new Date() }];
  model.scoreBatch(rows);
  model.rank(rows, 1);

  // A JSON module (resolveJsonModule) and JSON.parse output assigned to typed variables.
  model.scoreBatch(accounts);
  const parsed: AccountRecord[] = JSON.parse(text) as AccountRecord[];
  const untyped = JSON.parse(text);
  model.scoreBatch(parsed);
  model.score(untyped);

  // A model file from JSON (kinds, ops and tiers widened to string): its signals are not known
  // at compile time, so records may use any key.
  const custom = Model.fromObject(customVector.model);
  custom.score({ seats: 120, plan: "pro", anything: "else" });
  const fromText = Model.fromJson(text);
  fromText.score({ nsp: 9 }); // not checked: the model is only known at run time
  const spec: ModelSpec = model.toObject();
  Model.fromObject(spec).score({ whatever: 1 });

  // Program inputs: enumerated text (a ledger status) widened to string, readonly arrays.
  const ledger = [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }];
  fatigue({ account: "acme", as_of: "2026-04-01", ledger });
  const input: ProgramInput<FatigueInput> = JSON.parse(text) as ProgramInput<FatigueInput>;
  fatigue(input);
  segments({ accounts: [{ id: "a", signals: { nps: 9 } }] } as const);
}

export function typos(): void {
  const model = Model.default();
  // @ts-expect-error `nsp` is not a signal of the default model (a typo of nps)
  model.score({ id: "acme", nsp: 9 });
  // @ts-expect-error a typo in a batch's records
  model.scoreBatch([{ id: "a", nps: 9 }, { id: "b", nsp: 3 }]);
  // @ts-expect-error a typo in rank's records
  model.rank([{ id: "a", helth_score: 80 }], 1);
  // @ts-expect-error a typo in an annotated record
  const r: AccountRecord = { nsp: 9 };
  // The edits keep what the model knows.
  // @ts-expect-error a typo, after withTargets
  model.withTargets({ industries: ["software"] }).withMissing("rescale").score({ nsp: 9 });

  // A model object written in the code: its own signals are known.
  const seats = Model.fromObject({
    tiers: { platinum: 10, gold: 8, silver: 5 },
    signals: [{ name: "seats", kind: "integer", min: 1 }],
    categories: [{ id: "usage", criteria: [{ id: "many_seats", signal: "seats", rule: { op: ">", value: 100 }, points: 10 }] }],
  });
  seats.score({ id: "a", seats: 120, nps: 9 });
  // @ts-expect-error `seat` is not a signal of this model
  seats.score({ seat: 120 });
  // @ts-expect-error declared signals given at compile time: Model.fromJson<"seats">
  Model.fromJson<"seats">("{}").score({ seat: 1 });
  Model.fromJson<"seats">("{}").score({ seats: 1 });
  // `with` replacing the signals: the new ones.
  const plans = model.with({ signals: [{ name: "plan", kind: "category", values: ["pro"] }] });
  plans.score({ plan: "pro" });
  // @ts-expect-error `plans` is not a signal of that model
  plans.score({ plans: "pro" });
  // `with` keeping the signals keeps the check.
  // @ts-expect-error a typo after with()
  model.with({ revisit_months: 3 }).score({ nsp: 9 });

  // An annotated `Model` says nothing about which model: any key.
  const any: Model = Model.default();
  any.score({ nsp: 9 });

  // Values are still checked by kind where the core could never read them.
  // @ts-expect-error a category takes text
  model.score({ segment: 3 });
  // @ts-expect-error a program input's keys are checked
  fatigue({ acount: "acme", as_of: "2026-04-01", ledger: [] });
  console.log(r);
}
