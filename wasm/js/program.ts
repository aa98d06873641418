// The program API (`advocacy-wasm/program`): running the advocacy program (the
// advocacy-program crate) from JavaScript. A separate entry point, so that importing the scoring
// API never brings the program module (advocacy_program_bg.wasm and its glue) into a bundle.
//
// segments, overrides, eligibility, fatigue, matchRequest, requests, review, metrics and history each take one plain
// object shaped like the JSON input of the program function and return a plain object shaped
// like its JSON output (docs/program.md and tests/vectors/program_*.json show both; the types
// are generated from the crate's JSON Schemas). Values cross as JSON, like scores do; every rule
// lives in the crate. Bad input throws an `AdvocacyError` with `type: "program"`, the crate's
// code, and the path in the input's terms (`accounts[1].signals.nps`, `config.fatigue.max_asks.count`).
//
// In the browser, `await init()` once first (the program functions are a second WebAssembly
// module, loaded on demand); Node loads it on first use (program-node.ts).

import rawInit, {
  initSync as rawInitSync,
  langCodes,
  langExplain,
  langLocalizeModel,
  langMessage,
  langText,
  programInputError,
  programRun,
} from "./advocacy_program.js";
import type { InitInput } from "./advocacy_program.js";
import type {
  Draft,
  DraftInput,
  Eligibility,
  EligibilityInput,
  ErrorEnvelope,
  FatigueInput,
  FatigueReport,
  HistoryInput,
  HistoryReport,
  MatchInput,
  Matches,
  Metrics,
  MetricsInput,
  Overridden,
  OverridesInput,
  RequestsInput,
  RequestsReport,
  Review,
  ReviewInput,
  SegmentsInput,
  SegmentsOutput,
} from "./generated/types.js";
import { AdvocacyError, _checkInitInput, _isEnvelope, _usageEnvelope, type Json } from "./errors.js";

export { AdvocacyError } from "./errors.js";
export type { AdvocacyErrorCode, Json, UsageErrorCode } from "./errors.js";

export type {
  Account,
  AccountHistory,
  Draft,
  DraftInput,
  Enrolment,
  MessageKind,
  QualificationCall,
  AdvocateSegment,
  CarriedRevisit,
  Direction,
  Eligibility,
  EligibilityInput,
  FatigueInput,
  FatigueReport,
  HistoryInput,
  HistoryReport,
  HistoryTrend,
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
  QuarterHistory,
  QuarterTier,
  ChainLink,
  Deal,
  DealSource,
  OpenRequest,
  ReferralMetrics,
  RenewalRecord,
  Request,
  RequestExclusion,
  RequestOutcome,
  RequestStatus,
  RequestsInput,
  RequestsReport,
  Review,
  ReviewInput,
  SegmentsInput,
  SegmentsOutput,
  Status,
  TimeInTier,
  TimelinePoint,
} from "./generated/types.js";

// ---------------------------------------------------------------------------------------------
// Loading: the program functions live in a second module, advocacy_program_bg.wasm (they would
// not fit the scoring module's size budget). Node loads it on first use; in the browser,
// `await init()` (of this entry) once before the first call.

let loaded = false;
let loading: Promise<void> | undefined;
let loader: (() => void) | undefined;

/** @internal The Node entry (program-node.ts) registers how to load the module synchronously. */
export function _setProgramLoader(load: () => void): void {
  loader = load;
}

/**
 * Loads the program module (by default from next to this file; bundlers rewrite the URL).
 * Safe to call more than once; not needed in Node.
 *
 * ```js
 * import { init, segments } from "advocacy-wasm/program";
 * await init(); // or init(url), init(fetch(url)), init(bytes)
 * segments({ accounts: [{ id: "a" }] }).results[0].segment; // "unclassified"
 * ```
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void> {
  _checkInitInput("input", input, false);
  if (loaded) return Promise.resolve();
  loading ??= rawInit(input === undefined ? undefined : { module_or_path: input }).then(() => {
    loaded = true;
  });
  return loading;
}

/**
 * Loads the program module synchronously from its bytes or a compiled `WebAssembly.Module`.
 *
 * ```js
 * import { readFileSync } from "node:fs";
 * import { initSync, metrics } from "advocacy-wasm/program";
 * initSync(readFileSync(new URL("advocacy_program_bg.wasm", import.meta.resolve("advocacy-wasm/program"))));
 * metrics({ ledger: [] }).entries; // 0
 * ```
 */
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
  allowed: "`await init()` of advocacy-wasm/program before the first program call",
  message:
    "argument `program.init`: value the program module (advocacy_program_bg.wasm) is not loaded is not allowed; allowed: `await init()` of advocacy-wasm/program before the first program call",
};

/** @internal Loads the module now if a loader is registered (Node); throws if it is not loaded. */
export function _ready(): void {
  ready();
}

function ready(): void {
  if (!loaded && loader !== undefined) {
    loader();
    loaded = true;
  }
  if (!loaded) throw new AdvocacyError(_PROGRAM_NOT_INITIALISED);
}

/** `T` with a `Date` allowed wherever it has text (a `Date` is written as its UTC day,
 * `YYYY-MM-DD`, which date fields read); arrays may be readonly. */
export type WithDates<T> = string extends T
  ? T | Date
  : T extends readonly (infer U)[]
    ? readonly WithDates<U>[]
    : T extends object
      ? { [K in keyof T]: WithDates<T[K]> }
      : T;

/**
 * The input of a program function as JavaScript may pass it: the JSON form of `T` (`Json<T>`:
 * enumerated text such as a ledger entry's `status` takes any string, so `JSON.parse` output and
 * unannotated object literals type-check; the crate checks the value at run time and its error
 * names the path), with `Date`s for days (`WithDates`). Keys are checked as `T` has them.
 */
export type ProgramInput<T> = WithDates<Json<T>>;

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

/**
 * Classifies accounts as active, willing, potential or not advocate material, explained.
 *
 * ```js
 * import { segments } from "advocacy-wasm/program";
 * const bar = { health_score: 95, active_days_30d: 22, roi_achieved: true }; // the program guide's bar
 * const out = segments({ accounts: [{ id: "a", signals: { public_reviews: 2, nps: 9, ...bar } }, { id: "b" }] });
 * out.results.map((r) => [r.account, r.segment]); // [["a", "active"], ["b", "unclassified"]]
 * out.counts.find((c) => c.segment === "active").accounts; // 1
 * ```
 */
export function segments(input: ProgramInput<SegmentsInput>): SegmentsOutput {
  return run<SegmentsOutput>("segments", input);
}

/**
 * Scores a record with a model and applies the overrides valid on `as_of`, explaining each.
 *
 * ```js
 * import { overrides } from "advocacy-wasm/program";
 * const o = overrides({
 *   record: { id: "acme", nps: 9, health_score: 85, roi_achieved: true, csm_rapport: 4, engaged_contacts: 3 },
 *   overrides: [{ account: "acme", points: 15, reason: "strong QBR", author: "kim@csm", expires: "2026-03-01" }],
 *   as_of: new Date("2026-02-28"),
 * });
 * [o.core_total, o.core_tier, o.total, o.tier]; // [50, "silver", 65, "gold"]
 * o.overrides[0].status; // "applied"
 * ```
 */
export function overrides(input: ProgramInput<OverridesInput>): Overridden {
  return run<Overridden>("overrides", input);
}

/**
 * What an account can be asked for now, best first, and every excluded activity with its reasons.
 *
 * ```js
 * import { eligibility } from "advocacy-wasm/program";
 * const e = eligibility({ account: { id: "g7", total: 65, tier: "gold" }, as_of: "2026-02-01" });
 * e.eligible.slice(0, 2).map((a) => a.activity); // ["online_review", "marketing_quote"]
 * e.stage; // "qualified"
 * e.excluded.length; // 5
 * ```
 */
export function eligibility(input: ProgramInput<EligibilityInput>): Eligibility {
  return run<Eligibility>("eligibility", input);
}

/**
 * Applies the fatigue rules to one account's ledger: every refusal names its rule and until when.
 *
 * ```js
 * import { fatigue } from "advocacy-wasm/program";
 * const r = fatigue({
 *   account: "acme",
 *   as_of: "2026-04-01",
 *   ledger: [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }],
 * });
 * r.resting; // true
 * [r.refusals[0].rule, r.refusals[0].until]; // ["rest_after.high", "2026-06-08"]
 * ```
 */
export function fatigue(input: ProgramInput<FatigueInput>): FatigueReport {
  return run<FatigueReport>("fatigue", input);
}

/**
 * Ranks the advocates who fit a reference request and are not resting, with the reasons.
 *
 * ```js
 * import { matchRequest } from "advocacy-wasm/program";
 * const m = matchRequest({
 *   as_of: "2026-12-01",
 *   request: { activity: "reference_call", industry: "fintech", segment: "enterprise", region: "EMEA", date_needed: "2026-12-20" },
 *   accounts: [{
 *     id: "m1", total: 88, tier: "platinum",
 *     signals: { communication_comfort: 5, available_hours_month: 10, policy: "open", industry: "Fintech", segment: "enterprise", region: "EMEA", nps: 10 },
 *   }],
 * });
 * m.candidates.map((c) => [c.rank, c.account, c.match_points]); // [[1, "m1", 6]]
 * m.candidates[0].reasons[0]; // "same industry: Fintech"
 * ```
 */
export function matchRequest(input: ProgramInput<MatchInput>): Matches {
  return run<Matches>("match", input);
}

/**
 * The monthly review: movement, due revisits, pipeline stages, who to ask for what, thank-yous owed.
 *
 * ```js
 * import { review } from "advocacy-wasm/program";
 * const r = review({ as_of: "2026-11-30", current: [{ id: "h1", total: 50, tier: "silver", signals: { health_score: 90, health_score_prev: 84 } }] });
 * [r.accounts, r.tiers.silver, r.stages.qualified]; // [1, 1, 1]
 * ```
 */
export function review(input: ProgramInput<ReviewInput>): Review {
  return run<Review>("review", input);
}

/**
 * Program metrics from the ledger, the accounts and renewal outcomes; with `deals`, `referrals`:
 * referral conversion and time to close against the other sources, the pipeline influenced by
 * advocacy (a reference, case study or referral attached) and the referral chain.
 *
 * ```js
 * import { metrics } from "advocacy-wasm/program";
 * const m = metrics({
 *   ledger: [
 *     { account: "acme", activity: "online_review", status: "asked", date: "2026-01-05" },
 *     { account: "acme", activity: "online_review", status: "completed", date: "2026-01-20" },
 *   ],
 * });
 * m.entries; // 2
 * m.time_to_first_activity; // {"accounts":1,"mean_days":15,"median_days":15}
 * const deals = [
 *   { id: "d1", source: "referral", referring_account: "acme", created: "2026-01-05", closed: "2026-02-20", won: true, value: 30000 },
 *   { id: "d2", source: "inbound", created: "2026-01-05", closed: "2026-04-01", won: false, advocacy: ["reference_call"] },
 * ];
 * const r = metrics({ ledger: [], deals }).referrals;
 * [r.referral.conversion.rate, r.other.conversion.rate, r.pipeline.deals.count]; // [1,0,2]
 * ```
 */
export function metrics(input: ProgramInput<MetricsInput>): Metrics {
  return run<Metrics>("metrics", input);
}

/**
 * The request log: open requests (open, matched, asked, accepted), the one needed soonest
 * first, each with its state, owner, age and, for an `open` one, its best candidates that the
 * log leaves free: nobody named on another open request, nobody at the quarter's cap for the
 * kind (`config.requests.caps_per_quarter`), and the first candidate of each request held for
 * it, so the requests below get other advocates. Counts by status and kind.
 *
 * ```js
 * import { requests } from "advocacy-wasm/program";
 * const accounts = [
 *   { id: "a", total: 90, tier: "platinum", signals: { communication_comfort: 5 } },
 *   { id: "b", total: 85, tier: "platinum", signals: { communication_comfort: 5 } },
 * ];
 * const log = [
 *   { id: "R1", kind: "reference_call", created: "2026-11-02", needed: "2026-12-01", status: "open" },
 *   { id: "R2", kind: "reference_call", created: "2026-11-03", needed: "2026-12-08", status: "open" },
 * ];
 * const out = requests({ requests: log, accounts, as_of: "2026-11-30", top: 1 });
 * out.open.map((q) => [q.id, q.candidates[0].account]); // [["R1","a"],["R2","b"]]
 * out.open[1].excluded.map((x) => x.code); // ["proposed"]
 * ```
 */
export function requests(input: ProgramInput<RequestsInput>): RequestsReport {
  return run<RequestsReport>("requests", input);
}

/**
 * The program over time: each account's timeline of total and tier, gaps, first qualified day,
 * time in tier, trend over a window, revisit dates carried from the snapshot in which it became
 * not yet qualified, and each quarter's tier. The input is the long table as rows (one per
 * account and day: `as_of`, `id`, `total` or `score`, `tier`, optional `name` and signals, in
 * any order), alone or as `{ rows }`, or `{ snapshots: [{ as_of, accounts }] }` in date order;
 * with `as_of` (default: the last snapshot's day), `window_days` (90), `min_change` (5) and
 * `revisit_months` (the default model's).
 *
 * ```js
 * import { history } from "advocacy-wasm/program";
 * const rows = [
 *   { as_of: "2026-02-28", id: "a", total: 45, tier: "silver" },
 *   { as_of: "2026-03-31", id: "a", total: 35, tier: "not_yet_qualified" },
 *   { as_of: "2026-05-31", id: "a", total: 37, tier: "not_yet_qualified" },
 *   { as_of: new Date("2026-06-30"), id: "a", total: 44, tier: "silver" },
 * ];
 * history(rows).accounts[0].timeline.map((p) => p.revisit); // [null, "2026-09-30", "2026-09-30", null]
 * history({ rows, as_of: "2026-06-01" }).revisits; // [{"account":"a","since":"2026-03-31","revisit":"2026-09-30","due":false}]
 * history({ rows, window_days: 40 }).trending_up.map((t) => t.change); // [7]
 * ```
 */
export function history(
  input: ProgramInput<HistoryInput> | readonly { readonly [column: string]: unknown }[],
): HistoryReport {
  return run<HistoryReport>("history", Array.isArray(input) ? { rows: input } : input);
}

/**
 * Drafts the recruitment invitation (or, with `kind: "thank_you"`, the thank-you) for one account
 * and activity, in the language asked (`lang`: en, id, ms, de, es), from the program guide's
 * template or the configuration's `templates`. The account's custom `contact` and `result` (or
 * `notes`) make it specific; recognition only where gifts are not allowed; never for a prohibited
 * or opted-out account (an `AdvocacyError` that says why).
 *
 * ```js
 * import { draft } from "advocacy-wasm/program";
 * const account = { id: "ACC-1", name: "Green Labs", total: 85, tier: "platinum",
 *   signals: { tenure_months: 30, gifts_allowed: false, policy: "open" },
 *   custom: { contact: "Ana", result: "onboarding cut from six weeks to nine days" } };
 * const d = draft({ account, activity: "case_study", lang: "es", sender: "Dana", as_of: "2026-11-30" });
 * d.text.split("\n")[0]; // "Hola Ana:"
 * d.values.timeframe; // "2 años"
 * ```
 */
export function draft(input: ProgramInput<DraftInput>): Draft {
  return run<Draft>("draft", input);
}

// The guides' languages: texts of the crate's catalogues (crates/advocacy-program/lang/*.json).

/** The language codes of the texts, English first. */
export type Lang = "en" | "id" | "ms" | "de" | "es";

/** Options of the language functions: `lang` is a code of `langs()` (a region such as "de-DE" is accepted; default "en"). */
export interface LangOptions {
  readonly lang?: string;
}

function callLang<T>(f: () => T): T {
  ready();
  try {
    return f();
  } catch (e) {
    if (_isEnvelope(e)) throw new AdvocacyError(e);
    throw e;
  }
}

function langArg(options: LangOptions | undefined): string {
  const lang = options?.lang ?? "en";
  if (typeof lang !== "string") {
    throw new AdvocacyError(_usageEnvelope("invalid_argument", "lang", `of type ${typeof lang}`, "a language code (text)"));
  }
  return lang;
}

/**
 * The languages the texts ship in, English first.
 *
 * ```js
 * import { langs } from "advocacy-wasm/program";
 * langs(); // ["en", "id", "ms", "de", "es"]
 * ```
 */
export function langs(): Lang[] {
  return callLang(() => langCodes() as Lang[]);
}

/**
 * A model's JSON with its default English texts (name, labels, gate reasons, outreach) in
 * another language; labels of your own stay, and every score and tier is the same. Give a
 * model (anything with `toJson()`) or its JSON text; read the result with `Model.fromJson`.
 *
 * ```js
 * import { Model } from "advocacy-wasm";
 * import { localizeModel } from "advocacy-wasm/program";
 * const de = Model.fromJson(localizeModel(Model.default(), { lang: "de" }));
 * JSON.parse(de.toJson()).categories[0].label; // "Zufriedenheit und Erfolg"
 * ```
 */
export function localizeModel(model: { toJson(): string } | string, options?: LangOptions): string {
  const json = typeof model === "string" ? model : model.toJson();
  return callLang(() => langLocalizeModel(json, langArg(options)));
}

/**
 * The text of a catalogue key (`tier.not_yet_qualified`, `review.title`, `message.recruitment`)
 * in a language, English where the language lacks it.
 *
 * ```js
 * import { text } from "advocacy-wasm/program";
 * text("tier.not_yet_qualified", { lang: "es" }); // "aún no calificado"
 * ```
 */
export function text(key: string, options?: LangOptions): string {
  return callLang(() => langText(langArg(options), String(key)));
}

/**
 * A text with its `{placeholders}` filled: `message.recruitment` (the program guide's
 * recruitment template: name, company, timeframe, outcome, project, commitment, incentive,
 * sender) or `message.thank_you` (name, activity, result, sender). Placeholders not given stay.
 *
 * ```js
 * import { message } from "advocacy-wasm/program";
 * message("message.recruitment", { name: "Dana", company: "Acme" }, { lang: "de" }).split("\n")[0]; // "Hallo Dana,"
 * ```
 */
export function message(key: string, values: { readonly [placeholder: string]: string } = {}, options?: LangOptions): string {
  return callLang(() => langMessage(langArg(options), String(key), JSON.stringify(values)));
}

/**
 * An explained score as text, as `advocacy explain` writes it, with headings in a language
 * (labels and outreach texts are the model's: see `localizeModel`).
 *
 * ```js
 * import { Model } from "advocacy-wasm";
 * import { explainText } from "advocacy-wasm/program";
 * const s = Model.default().score({ id: "acme", nps: 10 });
 * explainText(s, { lang: "de" }).split("\n")[1]; // "Score 10 / 100   Tier noch nicht qualifiziert   Vollständigkeit 10%"
 * ```
 */
export function explainText(score: object, options?: LangOptions & { readonly name?: string }): string {
  return callLang(() => langExplain(JSON.stringify(score), langArg(options), options?.name));
}
