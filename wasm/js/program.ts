// `program`: running the advocacy program (the advocacy-program crate) from JavaScript.
//
// segments, overrides, eligibility, fatigue, matchRequest, review and metrics each take one plain
// object shaped like the JSON input of the program function and return a plain object shaped
// like its JSON output (docs/program.md and tests/vectors/program_*.json show both; the types
// are generated from the crate's JSON Schemas). Values cross as JSON, like scores do; every rule
// lives in the crate. Bad input throws an `AdvocacyError` with `type: "program"`, the crate's
// code, and the path in the input's terms (`accounts[1].signals.nps`, `config.fatigue.max_asks.count`).
//
//   import { program } from "advocacy-wasm";
//   const r = program.fatigue({ account: "acme", as_of: "2026-04-01",
//     ledger: [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }] });
//   r.resting; // true; r.refusals[0].rule === "rest_after.high", r.refusals[0].until === "2026-06-08"
//
// In the browser, `await program.init()` once first (the program functions are a second
// WebAssembly module, loaded on demand); Node loads it on first use.

import rawInit, { initSync as rawInitSync, programInputError, programRun } from "./advocacy_program.js";
import type { InitInput } from "./advocacy_program.js";
import type {
  Eligibility,
  EligibilityInput,
  ErrorEnvelope,
  FatigueInput,
  FatigueReport,
  MatchInput,
  Matches,
  Metrics,
  MetricsInput,
  Overridden,
  OverridesInput,
  Review,
  ReviewInput,
  SegmentsInput,
  SegmentsOutput,
} from "./generated/types.js";
import { AdvocacyError, _checkInitInput, _isEnvelope, _usageEnvelope } from "./api.js";

export type {
  Account,
  AdvocateSegment,
  Eligibility,
  EligibilityInput,
  FatigueInput,
  FatigueReport,
  LedgerEntry,
  MatchInput,
  MatchRequest,
  Matches,
  Metrics,
  MetricsInput,
  Overridden,
  Override,
  OverridesInput,
  ProgramConfig,
  ProgramError,
  ProgramErrorKind,
  RenewalRecord,
  Review,
  ReviewInput,
  SegmentsInput,
  SegmentsOutput,
  Status,
} from "./generated/types.js";

// ---------------------------------------------------------------------------------------------
// Loading: the program functions live in a second module, advocacy_program_bg.wasm (they would
// not fit the scoring module's size budget). Node loads it on first use; in the browser,
// `await program.init()` once before the first call.

let loaded = false;
let loading: Promise<void> | undefined;
let loader: (() => void) | undefined;

/** @internal The Node entry registers how to load the module synchronously. */
export function _setProgramLoader(load: () => void): void {
  loader = load;
}

/** Loads the program module (by default from next to this file; bundlers rewrite the URL).
 * Safe to call more than once; not needed in Node. */
export function init(input?: InitInput | Promise<InitInput>): Promise<void> {
  _checkInitInput("input", input, false);
  if (loaded) return Promise.resolve();
  loading ??= rawInit(input === undefined ? undefined : { module_or_path: input }).then(() => {
    loaded = true;
  });
  return loading;
}

/** Loads the program module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module: BufferSource | WebAssembly.Module): void {
  _checkInitInput("module", module, true);
  rawInitSync({ module });
  loaded = true;
}

/** @internal `ErrorEnvelope::usage("not_initialised", ...)` as the core writes it, written out
 * because there may be no module yet to build it (tests/api.test.mjs checks it against the core's). */
export const _PROGRAM_NOT_INITIALISED: ErrorEnvelope = {
  type: "usage",
  code: "not_initialised",
  path: "program.init",
  row: null,
  id: null,
  signal: null,
  value: "the program module (advocacy_program_bg.wasm) is not loaded",
  allowed: "`await program.init()` before the first program call",
  message:
    "argument `program.init`: value the program module (advocacy_program_bg.wasm) is not loaded is not allowed; allowed: `await program.init()` before the first program call",
};

function ready(): void {
  if (!loaded && loader !== undefined) {
    loader();
    loaded = true;
  }
  if (!loaded) throw new AdvocacyError(_PROGRAM_NOT_INITIALISED);
}

/** The input of a program function as JavaScript may pass it: a `Date` may stand wherever the
 * input has text (it is written as its UTC day, `YYYY-MM-DD`, which date fields read). */
export type WithDates<T> = string extends T
  ? T | Date
  : T extends readonly (infer U)[]
    ? WithDates<U>[]
    : T extends object
      ? { [K in keyof T]: WithDates<T[K]> }
      : T;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** JSON of the input: `Date`s as their UTC day, so they read as the core's dates. */
function inputJson(input: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(input, function (this: unknown, key: string, v: unknown) {
      const original = (this as { [k: string]: unknown })[key];
      if (original instanceof Date) {
        if (Number.isNaN(original.getTime())) return String(original);
        return `${pad(original.getUTCFullYear(), 4)}-${pad(original.getUTCMonth() + 1, 2)}-${pad(original.getUTCDate(), 2)}`;
      }
      return v;
    });
  } catch (e) {
    // BigInt values, cyclic objects: the crate's parse error, with JavaScript's reason as the value.
    throw new AdvocacyError(JSON.parse(programInputError(e instanceof Error ? e.message : String(e))) as ErrorEnvelope);
  }
  // `undefined`, functions and symbols have no JSON: let the crate say what it expected.
  return text ?? "null";
}

function run<T>(name: string, input: unknown): T {
  ready();
  if (Object.prototype.toString.call(input) !== "[object Object]") {
    const shown = input === null ? "null" : Array.isArray(input) ? "an array" : typeof input === "string" ? JSON.stringify(input) : typeof input === "function" ? "a function" : typeof input === "symbol" ? input.toString() : typeof input === "bigint" ? `${String(input)}n` : String(input);
    throw new AdvocacyError(_usageEnvelope("invalid_argument", "input", shown, `an object: the input of program.${name === "match" ? "matchRequest" : name}`));
  }
  const json = inputJson(input);
  let out: string;
  try {
    out = programRun(name, json);
  } catch (e) {
    if (_isEnvelope(e)) throw new AdvocacyError(e);
    throw e;
  }
  return JSON.parse(out) as T;
}

/** Classifies accounts as active, willing, potential or not advocate material, explained. */
export function segments(input: WithDates<SegmentsInput>): SegmentsOutput {
  return run<SegmentsOutput>("segments", input);
}

/** Scores a record with a model and applies the overrides valid on `as_of`, explaining each. */
export function overrides(input: WithDates<OverridesInput>): Overridden {
  return run<Overridden>("overrides", input);
}

/** What an account can be asked for now, best first, and every excluded activity with its reasons. */
export function eligibility(input: WithDates<EligibilityInput>): Eligibility {
  return run<Eligibility>("eligibility", input);
}

/** Applies the fatigue rules to one account's ledger: every refusal names its rule and until when. */
export function fatigue(input: WithDates<FatigueInput>): FatigueReport {
  return run<FatigueReport>("fatigue", input);
}

/** Ranks the advocates who fit a reference request and are not resting, with the reasons. */
export function matchRequest(input: WithDates<MatchInput>): Matches {
  return run<Matches>("match", input);
}

/** The monthly review: movement, due revisits, pipeline stages, who to ask for what, thank-yous owed. */
export function review(input: WithDates<ReviewInput>): Review {
  return run<Review>("review", input);
}

/** Program metrics from the ledger, the accounts and renewal outcomes. */
export function metrics(input: WithDates<MetricsInput>): Metrics {
  return run<Metrics>("metrics", input);
}
