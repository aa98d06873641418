// `program`: running the advocacy program (advocacy_core::program) from JavaScript.
//
// segments, overrides, eligibility, fatigue, matchRequest, review and metrics each take one plain
// object shaped like the JSON input of the core's function and return a plain object shaped
// like its JSON output (docs/program.md and tests/vectors/program_*.json show both). Values
// cross as JSON, like scores do; every rule lives in the core. Bad input throws an
// `AdvocacyError` with `type: "program"`, the core's code, and the path in the input's terms
// (`accounts[1].signals.nps`, `config.fatigue.max_asks.count`).
//
//   import { program } from "advocacy-wasm";
//   const r = program.fatigue({ account: "acme", as_of: "2026-04-01",
//     ledger: [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }] });
//   r.resting; // true; r.refusals[0].rule === "rest_after.high", r.refusals[0].until === "2026-06-08"
//
// In the browser, `await program.init()` once first (the program functions are a second
// WebAssembly module, loaded on demand); Node loads it on first use.

import rawInit, { initSync as rawInitSync, programRun } from "./advocacy_program.js";
import type { InitInput } from "./advocacy_program.js";
import type { Effort, ModelSpec, Signals, Tier, Value } from "./advocacy_wasm.js";
import { AdvocacyError } from "./api.js";
import type { AdvocacyErrorData, AccountRecord } from "./api.js";

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
  if (loaded) return Promise.resolve();
  loading ??= rawInit(input === undefined ? undefined : { module_or_path: input }).then(() => {
    loaded = true;
  });
  return loading;
}

/** Loads the program module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module: BufferSource | WebAssembly.Module): void {
  rawInitSync({ module });
  loaded = true;
}

function ready(): void {
  if (!loaded && loader !== undefined) {
    loader();
    loaded = true;
  }
  if (!loaded) {
    throw new AdvocacyError({
      type: "usage",
      code: "not_initialised",
      path: "program.init",
      value: "the program module (advocacy_program_bg.wasm) is not loaded",
      allowed: "`await program.init()` before the first program call",
      message: "program.init: the program module is not loaded; allowed: `await program.init()` before the first program call",
    });
  }
}

/** The codes of program errors (`AdvocacyError.code` when `type` is "program"). */
export type ProgramErrorCode =
  | "parse"
  | "invalid_value"
  | "unknown_signal"
  | "invalid_rule"
  | "unknown_activity"
  | "duplicate"
  | "out_of_range"
  | "wrong_type"
  | "not_integer"
  | "unknown_category"
  | "model"
  | "unknown_kind";

/** A day: `"YYYY-MM-DD"` text, or a `Date` (its UTC day is used). */
export type DayInput = string | Date;
/** A day in results: `"YYYY-MM-DD"`. */
export type Day = string;
/** A nested part of a result (see the JSON Schemas of the core for its fields). */
export type ProgramObject = { [field: string]: unknown };
/** A program configuration (activities, segment rules, fatigue rules, ...); see docs/program.md. */
export type ProgramConfig = { [field: string]: unknown };

/** An account of a scored snapshot: its core score and its signals. */
export interface ProgramAccount {
  id: string;
  name?: string | null;
  /** The core total (default 0). */
  total?: number;
  /** The tier (default not_yet_qualified). */
  tier?: Tier;
  revisit?: DayInput | null;
  signals?: Signals;
  /** Signals of the program's own. */
  custom?: { [signal: string]: Value };
  /** Activities the account does not want (e.g. "video_testimonial"). */
  avoid?: string[];
}

export type LedgerStatus = "asked" | "accepted" | "declined" | "completed" | "thanked";

/** One line of the activity ledger. */
export interface LedgerEntry {
  account: string;
  activity: string;
  status: LedgerStatus;
  date: DayInput;
}

/** Human judgement on top of the data: a new tier or a points adjustment, until it expires. */
export interface Override {
  account: string;
  tier?: Tier | null;
  points?: number | null;
  reason: string;
  author: string;
  expires: DayInput;
  starts?: DayInput | null;
}

/** A reference request. */
export interface MatchRequest {
  activity: string;
  industry?: string | null;
  segment?: "smb" | "mid_market" | "enterprise" | null;
  region?: string | null;
  competitor?: string | null;
  date_needed?: DayInput | null;
  limit?: number | null;
}

/** A renewal outcome, for retention of advocates against the rest. */
export interface RenewalRecord {
  account: string;
  renewed: boolean;
  expanded?: boolean | null;
  date?: DayInput | null;
}

export type AdvocateSegment = "active" | "willing" | "potential" | "not_advocate_material" | "unclassified";

export interface SegmentsInput {
  config?: ProgramConfig | null;
  accounts: ProgramAccount[];
}
export interface SegmentsOutput {
  results: ProgramObject[];
  counts: { segment: AdvocateSegment; accounts: number }[];
}

export interface OverridesInput {
  /** The scoring model (null or absent: the default model). */
  model?: ModelSpec | null;
  record: AccountRecord;
  overrides: Override[];
  as_of: DayInput;
}
export interface OverridesOutput {
  account: string;
  core_total: number;
  core_tier: Tier;
  total: number;
  tier: Tier;
  overridden: boolean;
  overrides: ProgramObject[];
}

export interface EligibilityInput {
  config?: ProgramConfig | null;
  account: ProgramAccount;
  ledger?: LedgerEntry[];
  overrides?: Override[];
  as_of: DayInput;
}
export interface EligibilityOutput {
  account: string;
  tier: Tier;
  total: number;
  overrides: ProgramObject[];
  segment: ProgramObject;
  invited_by: string;
  benefits: string;
  max_effort: Effort | null;
  start_effort: Effort;
  stage: string;
  /** Activities that can be asked for now, best first. */
  eligible: ProgramObject[];
  /** Activities that cannot, with every reason. */
  excluded: ProgramObject[];
  refusals: ProgramObject[];
  thanks_owed: ProgramObject[];
}

export interface FatigueInput {
  config?: ProgramConfig | null;
  account: string;
  ledger: LedgerEntry[];
  as_of: DayInput;
}
export interface FatigueOutput {
  account: string;
  resting: boolean;
  resting_until: Day | null;
  /** Every refusal in force: its `rule` and `until` (a day or null), among others. */
  refusals: ProgramObject[];
  refused_activities: string[];
  thanks_owed: ProgramObject[];
}

export interface MatchInput {
  config?: ProgramConfig | null;
  request: MatchRequest;
  accounts: ProgramAccount[];
  ledger?: LedgerEntry[];
  overrides?: Override[];
  as_of: DayInput;
}
export interface MatchOutput {
  request: ProgramObject;
  /** Best first: rank, account, tier, total, segment, match_points, reasons, ... */
  candidates: ProgramObject[];
  /** Good fits that are resting now, with the day they can be asked. */
  later: ProgramObject[];
  considered: number;
  eligible: number;
  resting: number;
}

export interface ReviewInput {
  config?: ProgramConfig | null;
  as_of: DayInput;
  previous?: ProgramAccount[];
  previous_as_of?: DayInput | null;
  current: ProgramAccount[];
  ledger?: LedgerEntry[];
  overrides?: Override[];
}
export interface ReviewOutput {
  as_of: Day;
  accounts: number;
  previous_accounts: number;
  tiers: Record<Tier, number>;
  segments: { segment: AdvocateSegment; accounts: number }[];
  stages: ProgramObject;
  overridden: number;
  /** moved_up, moved_down, newly_qualified, dropped_out, new_accounts, removed_accounts. */
  movement: { [list: string]: ProgramObject[] };
  trending_up: ProgramObject[];
  revisits_due: ProgramObject[];
  new_promoters: ProgramObject[];
  new_expansions: string[];
  new_renewals: string[];
  resting: number;
  askable: number;
  suggestions: ProgramObject[];
  thanks_owed: ProgramObject[];
  unmatched_ledger_entries: number;
}

export interface MetricsInput {
  config?: ProgramConfig | null;
  accounts?: ProgramAccount[];
  ledger: LedgerEntry[];
  renewals?: RenewalRecord[];
  from?: DayInput | null;
  to?: DayInput | null;
}
export interface MetricsOutput {
  entries: number;
  active_advocates: ProgramObject[];
  recruitment: ProgramObject;
  completion: ProgramObject;
  time_to_first_activity: ProgramObject;
  assets: ProgramObject[];
  retention: ProgramObject | null;
}

function isErrorData(e: unknown): e is AdvocacyErrorData {
  return typeof e === "object" && e !== null && !(e instanceof Error) && "code" in e && "message" in e;
}

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
        if (Number.isNaN(original.getTime())) return "Invalid Date";
        return `${pad(original.getUTCFullYear(), 4)}-${pad(original.getUTCMonth() + 1, 2)}-${pad(original.getUTCDate(), 2)}`;
      }
      return v;
    });
  } catch (e) {
    // BigInt values, cyclic objects.
    throw new AdvocacyError({
      type: "program",
      code: "parse",
      path: "",
      value: e instanceof Error ? e.message : String(e),
      allowed: "plain JSON data: objects, arrays, strings, numbers, booleans, null, Dates",
      message: `(root): the input cannot be written as JSON: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  // `undefined`, functions and symbols have no JSON: let the core say what it expected.
  return text ?? "null";
}

function run<T>(kind: string, input: unknown): T {
  ready();
  const json = inputJson(input);
  let out: string;
  try {
    out = programRun(kind, json);
  } catch (e) {
    if (isErrorData(e)) throw new AdvocacyError(e);
    throw e;
  }
  return JSON.parse(out) as T;
}

/** Classifies accounts as active, willing, potential or not advocate material, explained. */
export function segments(input: SegmentsInput): SegmentsOutput {
  return run<SegmentsOutput>("segments", input);
}

/** Scores a record with a model and applies the overrides valid on `as_of`, explaining each. */
export function overrides(input: OverridesInput): OverridesOutput {
  return run<OverridesOutput>("overrides", input);
}

/** What an account can be asked for now, best first, and every excluded activity with its reasons. */
export function eligibility(input: EligibilityInput): EligibilityOutput {
  return run<EligibilityOutput>("eligibility", input);
}

/** Applies the fatigue rules to one account's ledger: every refusal names its rule and until when. */
export function fatigue(input: FatigueInput): FatigueOutput {
  return run<FatigueOutput>("fatigue", input);
}

/** Ranks the advocates who fit a reference request and are not resting, with the reasons. */
export function matchRequest(input: MatchInput): MatchOutput {
  return run<MatchOutput>("match", input);
}

/** The monthly review: movement, due revisits, pipeline stages, who to ask for what, thank-yous owed. */
export function review(input: ReviewInput): ReviewOutput {
  return run<ReviewOutput>("review", input);
}

/** Program metrics from the ledger, the accounts and renewal outcomes. */
export function metrics(input: MetricsInput): MetricsOutput {
  return run<MetricsOutput>("metrics", input);
}
