// The public API of the `advocacy-wasm` package: a thin layer over the wasm-bindgen exports.
//
// It checks the types of its arguments, converts JS values (records, arrays, typed arrays, CSV
// cells) into what the core reads and turns the core's results and errors into plain JS objects
// and `AdvocacyError`s. It decides nothing about scoring: validation, points, tiers, gates,
// ranking, model edits, which column holds which signal and how a cell reads all happen in
// advocacy-core. The types of everything the core returns are generated from its JSON Schemas
// (generated/types.ts, see scripts/gen-types.mjs).
//
// Large inputs are written straight into WebAssembly memory (see `Slots`) and results come back
// in one buffer: a JS typed array per column makes V8 run a full garbage collection for each,
// which costs time in proportion to everything the caller holds, so scoring a million records
// took seconds per column.

import * as raw from "./advocacy_wasm.js";
import type {
  ConflictRule,
  ErrorEnvelope,
  MissingPolicy,
  ModelSpec,
  OnError,
  RecordErrorKind,
  Score,
  SignalSpec,
  Signals,
  SourceScores,
  Targets,
  Thresholds,
  Tier,
  Value,
  Warning,
} from "./generated/types.js";

import {
  AdvocacyError,
  _isEnvelope,
  _setCoreUsage,
  isPlainObject,
  shown,
  usage,
  usageEnvelope,
  type Json,
} from "./errors.js";

/** Every core and program type (models, scores, signals, errors, program inputs and outputs). */
export type * from "./generated/types.js";
export { AdvocacyError, _checkInitInput, _isEnvelope, _usageEnvelope } from "./errors.js";
export type { AdvocacyErrorCode, Json, UsageErrorCode } from "./errors.js";

/** The names of the standard signals (those of `Model.default()`). */
export type StandardSignal = Exclude<keyof Signals, "id">;

/** What a record may hold for a signal whose values are `T`: the core reads text for every
 * signal (`"9"`, `"85%"`, `"yes"`), 0/1 for booleans, and checks category values itself, so a
 * category takes any text here (JSON and unannotated object literals widen `"enterprise"` to
 * `string`). */
export type RecordValue<T> = [T] extends [number | null | undefined]
  ? number | string | null
  : [T] extends [boolean | null | undefined]
    ? boolean | number | string | null
    : [T] extends [string | null | undefined]
      ? string | null
      : Value;

/**
 * One account: its id, the standard signals, and the signals `S` of the model's own.
 *
 * Keys are checked, values are loose: a key the model does not know is a compile-time error in
 * an object literal (at run time `score` would ignore it silently: a typo such as `nsp` would
 * score as a missing `nps`), while every value the core can read type-checks (numbers as text,
 * booleans as 0/1 or `"yes"`, any text for a category, as JSON and unannotated literals give
 * them). The core checks the values themselves at run time, with an error naming the signal,
 * the value and what is allowed. `S = string` (a model whose signals are not known at compile
 * time, such as `Model.fromJson(text)`) takes any key.
 *
 * ```js
 * const acme = { id: "acme", nps: "9", segment: "enterprise", power_user: 1 }; // no annotation needed
 * Model.default().score(acme).total; // 10
 * ```
 */
export type AccountRecord<S extends string = never> = {
  [K in keyof Signals]?: K extends "id" ? string | number | null : RecordValue<Signals[K]>;
} & {
  /** The account's name (read by the batch paths' column plan; `score` ignores it). */
  name?: string | null;
  /** When the values were observed (YYYY-MM-DD or a Date): freshness in the batch paths. */
  observed?: string | Date | null;
} & (string extends S ? { [signal: string]: Value | Date | undefined } : { [K in S]?: Value });


/** The signal names a model object declares (`signals[].name`); `string` when they are not
 * known at compile time, none for an object without `signals`. */
export type DeclaredSignals<T> = "signals" extends keyof T
  ? NonNullable<T["signals" & keyof T]> extends readonly (infer E)[]
    ? E extends { name: infer N extends string }
      ? N
      : string
    : string
  : never;


function rethrow(e: unknown): never {
  if (_isEnvelope(e)) throw new AdvocacyError(e);
  throw e;
}

// ---------------------------------------------------------------------------------------------
// Initialisation: the entry points (web.ts, node.ts) hand over the instantiated module.

let exportsRef: raw.InitOutput | undefined;
const tierNames: Tier[] = [];

/** @internal */
export function _setExports(e: raw.InitOutput): void {
  exportsRef = e;
  _setCoreUsage(raw.usageError);
  tierNames.splice(0, tierNames.length, ...(raw.tierNames() as Tier[]));
}

/** @internal `ErrorEnvelope::usage("not_initialised", ...)`. */
export const _NOT_INITIALISED: ErrorEnvelope = usageEnvelope(
  "not_initialised",
  "init",
  "the WebAssembly module is not loaded",
  "`await init()` before the first call",
);

function ready(): raw.InitOutput {
  if (exportsRef === undefined) throw new AdvocacyError(_NOT_INITIALISED);
  return exportsRef;
}

/**
 * Bytes of WebAssembly memory in use by the module (for leak checks).
 *
 * ```js
 * import { Model, wasmMemoryBytes } from "advocacy-wasm";
 * const churn = () => {
 *   for (let i = 0; i < 100; i++) {
 *     const model = Model.default();
 *     model.score({ nps: 9 });
 *     model.free();
 *   }
 * };
 * churn();
 * const before = wasmMemoryBytes();
 * churn();
 * wasmMemoryBytes() === before; // true: freed models give their memory back
 * ```
 */
export function wasmMemoryBytes(): number {
  return ready().memory.buffer.byteLength;
}

// ---------------------------------------------------------------------------------------------
// Argument checks: each names the argument and says what it takes.

function argString(name: string, v: unknown): string {
  if (typeof v !== "string") throw usage("invalid_argument", name, shown(v), "text");
  return v;
}

function argObject(name: string, v: unknown, allowed: string): { [key: string]: unknown } {
  if (!isPlainObject(v)) throw usage("invalid_argument", name, shown(v), allowed);
  return v;
}

function argArray(name: string, v: unknown, allowed: string): readonly unknown[] {
  if (!Array.isArray(v)) throw usage("invalid_argument", name, shown(v), allowed);
  return v;
}

/** An options object (`undefined` = none) with only the given keys. */
function argOptions(name: string, v: unknown, keys: readonly string[]): { [key: string]: unknown } {
  if (v === undefined) return {};
  const o = argObject(name, v, `undefined or an object with ${keys.join(", ")}`);
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw usage("invalid_argument", `${name}.${k}`, shown(k), `one of the options ${keys.join(", ")}`);
  }
  return o;
}

function argOnError(name: string, v: unknown): boolean {
  if (v === undefined || v === "fail") return false;
  if (v === "flag") return true;
  throw usage("invalid_argument", name, shown(v), '"fail" or "flag"');
}

/** A column mapping: the JSON text the core reads (`ColumnMapping::from_json`), or none. */
function argMapping(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (!isPlainObject(v)) throw usage("invalid_argument", name, shown(v), "a ColumnMapping object or its JSON text");
  try {
    return JSON.stringify(v);
  } catch (e) {
    throw usage("invalid_argument", name, JSON.stringify(String(e instanceof Error ? e.message : e)), "plain JSON data");
  }
}

/** A `Date` as the core reads dates: its UTC day as YYYY-MM-DD (an invalid one as its text,
 * which the core rejects). */
function dayText(v: Date): string {
  return Number.isNaN(v.getTime()) ? String(v) : v.toISOString().slice(0, 10);
}

/** An as-of date as text: a `Date` as its UTC day (`dayText`). */
function argDate(name: string, v: unknown): string | undefined {
  if (v === undefined || typeof v === "string") return v;
  if (v instanceof Date) return dayText(v);
  throw usage("invalid_argument", name, shown(v), "a date YYYY-MM-DD (text) or a Date");
}

function noAccounts(name: string, value: string): AdvocacyError {
  return usage("no_accounts", name, `${value} (no accounts)`, "at least one account");
}

/** Reads the caller's values; a getter or proxy that throws is named as the argument. */
function reading<T>(name: () => string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AdvocacyError || _isEnvelope(e)) rethrow(e);
    throw usage("invalid_argument", name(), JSON.stringify(`reading it threw: ${String(e instanceof Error ? e.message : e)}`), "plain data");
  }
}

// ---------------------------------------------------------------------------------------------
// Columns

/** A column of a batch: typed arrays (NaN = missing), arrays of numbers, booleans or strings
 * (null/undefined = missing), mixed arrays (checked value by value), or a dictionary. Text is
 * read by the core's cell rules for any signal (`"9"`, `"85%"`, `"yes"`). */
export type ColumnInput =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array
  | readonly (number | null | undefined)[]
  | readonly (boolean | null | undefined)[]
  | readonly (string | null | undefined)[]
  | readonly (Value | undefined)[]
  | DictionaryColumn;

/** Dictionary-encoded text (Arrow dictionaries, categoricals): row i is `values[keys[i]]`. */
export interface DictionaryColumn {
  keys: Uint32Array | readonly number[];
  values: readonly string[];
  /** 1 = present, 0 = missing (default: all present). */
  valid?: Uint8Array | readonly number[];
}

/** Named columns of equal length: standard signals (typed), signals of the model's own, and
 * any other headers (read by the core's column plan: `"NPS"`, `"Health Score"`, `"Account ID"`). */
export type ColumnsInput = { [K in Exclude<keyof Signals, "id">]?: ColumnInput } & {
  [column: string]: ColumnInput | undefined;
};

/**
 * How a table's columns are read, on top of the automatic matching by name and alias (the
 * core's `ColumnMapping`; give it as an object or as its JSON text).
 *
 * ```js
 * import { Model } from "advocacy-wasm";
 * const columns = {
 *   id: "Record ID",
 *   columns: { "Customer Health": "health_score", "Internal notes": "ignore" },
 *   values: { segment: { Commercial: "mid_market" } },
 *   decimal_comma: true,
 * };
 * const model = Model.default().withTargets({ segments: ["mid_market"] });
 * const rows = [{ "Record ID": "a", "Customer Health": "85,5", Segment: "Commercial", "Internal notes": "x" }];
 * model.scoreBatch(rows, { columns }).total; // [15]
 * ```
 */
export interface ColumnMapping {
  /** The column holding the account id (default: the first of `id`, `Account ID`, ...). */
  id?: string;
  /** The column holding the account's name (default: `name`, `Account Name`, ...). */
  name?: string;
  /** The column holding the date the row's values were observed. */
  observed?: string;
  /** Header -> the signal it holds, or `"ignore"`, `"id"`, `"name"`. */
  columns?: { [header: string]: string };
  /** Per signal: a cell's value -> the value it means. */
  values?: { [signal: string]: { [value: string]: string } };
  /** Numbers are written with a decimal comma (`85,5`). */
  decimal_comma?: boolean;
}

/** What a column is for. */
export type ColumnRole = "id" | "name" | "observed" | "signal" | "ignored";

/** How one header is read, and why (the core's `ColumnRead`). */
export interface ColumnRead {
  /** The header as given. */
  header: string;
  /** What the column is for. */
  role: ColumnRole;
  /** The signal it holds (role `signal`), else null. */
  signal: string | null;
  /** Why, in words (`matched by name`, `alias "account_id"`, `the mapping says so`, ...). */
  reason: string;
}

/** How every column of a table is read (the core's `ColumnPlan`). */
export interface ColumnPlan {
  /** One entry per header, in order. */
  columns: ColumnRead[];
  /** Columns read as nothing (`unmapped_column`), mapping entries naming no header. */
  warnings: Warning[];
  /** How cells are read. */
  options: { decimal_comma: boolean };
}

export interface BatchOptions {
  /** What to do with a row that has a bad value: fail the batch (default), or flag the row. */
  onError?: OnError;
  /** How the records' keys (or the columns' names) are read: a mapping, as an object or JSON text. */
  columns?: ColumnMapping | string;
  /**
   * The as-of date freshness is judged on (YYYY-MM-DD or a Date, its UTC day). With an
   * observation date per row (a key or column the plan reads as `observed`: `observed`,
   * `Observed At`, `observation_date`, or the mapping's `observed`), a value older than the
   * model's `max_age_days` for its signal counts as missing, as `score` counts a stale value.
   * Without an as-of date (or without maximum ages) the observation dates change nothing.
   */
  asOf?: string | Date;
}

/** Observation dates, one per row: YYYY-MM-DD text (a timestamp's date part counts), `Date`
 * objects (their UTC day), null or undefined for none; or an integer typed array (`Int32Array`,
 * Arrow's `date32`) of days since 1970-01-01. A cell that is not a date is an error of its row
 * (signal `observed`). */
export type ObservedInput =
  | readonly (string | Date | null | undefined)[]
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array;

/** How `scoreBatch` takes the records' ids. */
export interface RecordsOptions extends BatchOptions {
  /**
   * Whether the records' ids are taken (default `true`): the key the plan reads as the id
   * (`id`, `Account ID`, the mapping's `id`) names every error's account, and every record then
   * needs an id of its own (`missing_id`, `duplicate_id`). `false` reads that key as nothing:
   * no id crosses into the module and none is checked (about 40% of a large batch's time),
   * errors have `id: null`, the scores are the same. Records without an id key never cost
   * anything for ids.
   */
  ids?: boolean;
}

export interface ColumnsOptions extends BatchOptions {
  /** Account ids, used in error reports (default: the column the plan reads as the id, if
   * any). Every row then needs an id of its own (`missing_id`, `duplicate_id`). `false`: no
   * ids, not even the id column's (nothing about ids is sent or checked; errors have `id:
   * null`). Without an id column and without this option nothing about ids is computed. */
  ids?: readonly (string | number | null | undefined)[] | false;
  /** The date each row's values were observed (default: the column the plan reads as
   * `observed`, if any), for freshness with `asOf`. */
  observed?: ObservedInput;
}

/** A flagged row's error: the core's envelope of a record error, which always has its row. */
export type RowError = ErrorEnvelope & { type: "record"; code: RecordErrorKind; row: number };

/**
 * Results of a batch, as columns (row i of every array is account i).
 *
 * Tiers come as small integer codes (`tierCode`, one byte a row) with their names
 * (`tierNames[code]`); `tier`, the same as strings, is built the first time it is read.
 *
 * ```js
 * import { Model } from "advocacy-wasm";
 * const r = Model.default().scoreColumns({ nps: [10, 3], health_score: [95, 40], roi_achieved: [true, false] });
 * r.tierNames[r.tierCode[0]]; // "not_yet_qualified": the same as r.tier[0], without building a string per row
 * r.tier; // ["not_yet_qualified", "not_yet_qualified"]
 * r.tierCode.filter((c) => c === r.tierNames.indexOf("platinum")).length; // 0
 * ```
 */
export interface BatchResult {
  readonly length: number;
  /** Totals on the model's scale; NaN for flagged rows. */
  readonly total: Float64Array;
  /** Tiers after gates as their names; null for flagged rows. Built from `tierCode` the first
   * time it is read (then the same array every time). */
  readonly tier: (Tier | null)[];
  /** Tier codes: 0 platinum, 1 gold, 2 silver, 3 not yet qualified, 4 not advocate material,
   * 255 flagged. `tierNames[code]` is the tier's name. */
  readonly tierCode: Uint8Array;
  /** The tiers' names by code (the core's list, best first; the same as the package's `tiers`). */
  readonly tierNames: readonly Tier[];
  /** Category ids, in model order. */
  readonly categoryIds: string[];
  /** Points per category per row (not rescaled); NaN for flagged rows. */
  readonly categories: Record<string, Float64Array>;
  /** Share of the model's points whose signals were present (0..1). */
  readonly completeness: Float64Array;
  /** The highest total each row could reach once its missing signals are known. */
  readonly maxPossible: Float64Array;
  /** One error per flagged row, by row (bad values, `missing_id`, `duplicate_id`, `not_a_record`). */
  readonly errors: RowError[];
  /** Model warnings (e.g. no target industries set), then the columns' (`unmapped_column`). */
  readonly warnings: Warning[];
  /** How the columns (or the records' keys) were read. */
  readonly plan: ColumnPlan;
  /**
   * Row indices best first: total descending, ties in input order, flagged rows last.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const r = Model.default().scoreBatch([{ id: "a", nps: 3 }, { id: "b", nps: 11 }, { id: "c", nps: 10 }], { onError: "flag" });
   * r.ranking(); // [2, 0, 1]
   * ```
   */
  ranking(): Uint32Array;
  /**
   * How many rows landed in each tier.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().scoreBatch([{ id: "a", nps: 9 }, { id: "b", nps: 3 }]).tierCounts(); // {"platinum":0,"gold":0,"silver":0,"not_yet_qualified":2,"not_advocate_material":0}
   * ```
   */
  tierCounts(): Record<Tier, number>;
}

/** One ranked account with its full explanation. */
export interface RankedAccount {
  /** 1 = best. */
  rank: number;
  /** The account's index in the input. */
  row: number;
  score: Score;
}

export interface RankOptions extends BatchOptions {
  /** As-of date (YYYY-MM-DD or a Date): freshness, as in `scoreBatch`, and the explanations'
   * revisit dates. */
  asOf?: string | Date;
}

/**
 * One source of `scoreSources`: a team's table of the accounts (a CRM export, a survey, a
 * support tool), read through its own column plan.
 *
 * ```js
 * import { Model } from "advocacy-wasm";
 * const survey = {
 *   name: "survey",
 *   headers: ["account_id", "nps", "observed"],
 *   rows: [["a", 10, "2026-11-02"]],
 * };
 * const crm = { name: "crm", date: "2025-09-01", rows: [{ "Account ID": "a", NPS: 6, "Health Score": "85" }] };
 * Model.default().scoreSources([crm, survey]).accounts[0].score.total; // 20
 * ```
 */
export interface Source {
  /** The source's name (unique, not empty): each value's provenance names it. */
  name: string;
  /** The rows: objects of column names to values, or arrays of values in `headers` order. Text
   * cells are read like a CSV's (`"85%"`, `"Yes"`, `"Mid-Market"`); other values as they are. */
  rows: readonly { readonly [column: string]: unknown }[] | readonly (readonly unknown[])[];
  /** The headers (needed for rows as arrays; default: the keys of the row objects, in the
   * order they first appear). */
  headers?: readonly string[];
  /** How the columns are read, on top of the automatic matching: a mapping, as an object or
   * its JSON text. */
  columns?: ColumnMapping | string;
  /** When the source's values were observed, for rows without an observation date of their
   * own (YYYY-MM-DD or a Date, its UTC day). */
  date?: string | Date;
}

export interface SourcesOptions {
  /** How a conflict between sources is settled: the latest observation wins (default; a dated
   * value beats an undated one, on the same date the source listed first), or `"source_order"`
   * (the source listed first wins whatever the dates). */
  conflicts?: ConflictRule;
  /** The as-of date: values older than the model's `max_age_days` count as missing (and the
   * explanation says so), and the revisit dates. YYYY-MM-DD or a Date (its UTC day). */
  asOf?: string | Date;
  /** What to do with an account that has a bad value: fail (default), or flag it (its `error`). */
  onError?: OnError;
}

export interface CellsOptions {
  /** How the header is read: a mapping, as an object or JSON text. */
  columns?: ColumnMapping | string;
}

/** The core's plan JSON: the role and signal are serde's flattened tag. */
interface RawPlan {
  columns: { header: string; role: ColumnRole; signal?: string; reason: string }[];
  warnings: Warning[];
  options: { decimal_comma: boolean };
}

function planOf(json: string): ColumnPlan {
  const p = JSON.parse(json) as RawPlan;
  return {
    columns: p.columns.map((c) => ({ header: c.header, role: c.role, signal: c.signal ?? null, reason: c.reason })),
    warnings: p.warnings,
    options: p.options,
  };
}

/** How many columns a plan reads (signals and the id). */
function readCount(plan: ColumnPlan): number {
  return plan.columns.filter((c) => c.role === "signal" || c.role === "id").length;
}

function isTyped(c: unknown): c is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(c) && !(c instanceof DataView);
}

/**
 * Buffers of a batch in WebAssembly memory, filled through views. A view is only good until the
 * memory grows, which only an allocation in the module can do (a view of the old memory then
 * has length 0): allocate first, then take the views.
 */
class Slots {
  readonly batch: raw.ColumnBatch;
  constructor(batch: raw.ColumnBatch) {
    this.batch = batch;
  }
  private mem(): ArrayBuffer {
    return ready().memory.buffer as ArrayBuffer;
  }
  /** A float buffer of `n` zeros (for a column every value of which is written). */
  f64(n: number): number {
    return this.batch.slotF64(n);
  }
  /** A float buffer of `n` NaN (= missing). */
  f64Missing(n: number): number {
    const h = this.batch.slotF64(n);
    this.viewF64(h, n).fill(NaN);
    return h;
  }
  viewF64(h: number, n: number): Float64Array {
    return new Float64Array(this.mem(), this.batch.slotPtr(h), n);
  }
  i64(n: number): number {
    return this.batch.slotI64(n);
  }
  viewI64(h: number, n: number): BigInt64Array {
    return new BigInt64Array(this.mem(), this.batch.slotPtr(h), n);
  }
  /** A u32 buffer of `n` zeros, or of `fill`. */
  u32(n: number, fill?: number): number {
    const h = this.batch.slotU32(n);
    if (fill !== undefined && fill !== 0) this.viewU32(h, n).fill(fill);
    return h;
  }
  /** Text as UTF-8 in a byte buffer, written by `TextEncoder.encodeInto` (many times faster than
   * the glue's copy of a long string): the buffer and how many bytes it holds. */
  text(joined: string): [number, number] {
    let size = joined.length;
    let h = this.batch.slotU8(size);
    let done = encoder.encodeInto(joined, new Uint8Array(this.mem(), this.batch.slotPtr(h), size));
    if (done.read < joined.length) {
      // Not ASCII: at most 3 bytes a UTF-16 unit.
      this.batch.freeSlot(h);
      size = joined.length * 3;
      h = this.batch.slotU8(size);
      done = encoder.encodeInto(joined, new Uint8Array(this.mem(), this.batch.slotPtr(h), size));
    }
    return [h, done.written];
  }
  viewU32(h: number, n: number): Uint32Array {
    return new Uint32Array(this.mem(), this.batch.slotPtr(h), n);
  }
  /** A bitmap of `n` bits (Arrow's layout: bit i of byte i >> 3), all clear. */
  bits(n: number): number {
    return this.batch.slotU8(Math.ceil(n / 8));
  }
  viewBits(h: number, n: number): Uint8Array {
    return new Uint8Array(this.mem(), this.batch.slotPtr(h), Math.ceil(n / 8));
  }
}

const encoder = new TextEncoder();

/** Makes room in WebAssembly memory in one step (see `reserve` in src/columns.rs). */
function reserve(bytes: number): void {
  if (bytes > 1 << 20) raw.reserve(Math.min(bytes, 1 << 30));
}

function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] |= 1 << (i & 7);
}

/** Distinct strings -> their keys: an object without a prototype (any string is a key of its
 * own, `__proto__` too), which V8 looks strings up in about twice as fast as in a `Map`. */
type StringIndex = Record<string, number | undefined>;
function stringIndex(): StringIndex {
  return Object.create(null) as StringIndex;
}

/** The key of a missing row in a keys buffer of `addStrings` (src/columns.rs `MISSING_KEY`). */
const MISSING_KEY = 0xffffffff;

/** The UTF-16 lengths of strings (a list of strings crosses as them and the strings joined). */
function lengths(values: readonly string[]): Uint32Array {
  const lens = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) lens[i] = values[i].length;
  return lens;
}

/** A dictionary column (the caller's keys and values): its keys, the missing rows' as
 * `MISSING_KEY`, straight into the module. */
function addDictionary(
  s: Slots,
  name: string,
  keys: ArrayLike<number>,
  values: readonly string[],
  valid: ArrayLike<unknown> | null,
): void {
  const n = keys.length;
  const kh = s.u32(n);
  const view = s.viewU32(kh, n);
  view.set(keys);
  for (let i = 0; i < n; i++) {
    if (valid !== null && !valid[i]) view[i] = MISSING_KEY;
    else if (view[i] === MISSING_KEY) {
      // A present row with the key that means missing: out of range, which the core reports;
      // send this column with its validity bitmap (if any) as it is.
      s.batch.freeSlot(kh);
      return addDictionaryValid(s, name, keys, values, valid);
    }
  }
  s.batch.addStrings(name, kh, values.join(""), lengths(values));
}

/** A dictionary column as it is, with its validity bitmap if any (when a present row has the
 * key `MISSING_KEY`). */
function addDictionaryValid(s: Slots, name: string, keys: ArrayLike<number>, values: readonly string[], valid: ArrayLike<unknown> | null): void {
  const n = keys.length;
  const vh = valid === null ? undefined : s.bits(n);
  const kh = s.u32(n);
  if (vh !== undefined && valid !== null) {
    const bits = s.viewBits(vh, n);
    for (let i = 0; i < n; i++) if (valid[i]) setBit(bits, i);
  }
  s.viewU32(kh, n).set(keys);
  s.batch.addDictionary(name, kh, values.join(""), lengths(values), vh);
}

/** Checks a column's shape (a usage error names it) and returns its length. */
function columnLength(name: string, c: unknown): number {
  const where = `columns.${name}`;
  if (Array.isArray(c) || isTyped(c)) return c.length;
  if (isPlainObject(c) && "keys" in c && "values" in c) {
    const { keys, values, valid } = c as { keys: unknown; values: unknown; valid?: unknown };
    if (!(keys instanceof Uint32Array)) {
      if (!Array.isArray(keys)) throw usage("invalid_column", `${where}.keys`, shown(keys), "a Uint32Array or an array of integers");
      for (let i = 0; i < keys.length; i++) {
        const k: unknown = keys[i];
        if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > 0xffffffff) {
          throw usage("invalid_column", `${where}.keys[${i}]`, shown(k), "an integer from 0 to 4294967295");
        }
      }
    }
    if (!Array.isArray(values)) throw usage("invalid_column", `${where}.values`, shown(values), "an array of strings");
    values.forEach((v: unknown, i) => {
      if (typeof v !== "string") throw usage("invalid_column", `${where}.values[${i}]`, shown(v), "text");
    });
    if (valid !== undefined && !((valid instanceof Uint8Array || Array.isArray(valid)) && valid.length === keys.length)) {
      throw usage("invalid_column", `${where}.valid`, shown(valid), `undefined, or a Uint8Array of ${keys.length} 0/1 values`);
    }
    return keys.length;
  }
  throw usage("invalid_column", where, shown(c), "an array, a typed array or a dictionary column { keys, values, valid? }");
}

/** Adds a plain array, in the cheapest exact encoding for what it holds (strings of the id as
 * text, of signals as keys of the distinct strings: `addUniform`). */
function addArray(s: Slots, name: string, arr: readonly unknown[], isId: boolean): void {
  // Most arrays hold one kind of value (and nulls): encoded in one pass as the first value's
  // kind says, the general way (which counts the kinds first) only when another kind comes.
  if (!isId && addUniform(s, name, arr)) return;
  const n = arr.length;
  let nNum = 0;
  let nStr = 0;
  let nBool = 0;
  let nOther = 0;
  let nMissing = 0;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (v === null || v === undefined) {
      nMissing++;
      continue;
    }
    const t = typeof v;
    if (t === "number") nNum++;
    else if (t === "string") nStr++;
    else if (t === "boolean") nBool++;
    else nOther++;
  }
  const kinds = (nNum > 0 ? 1 : 0) + (nStr > 0 ? 1 : 0) + (nBool > 0 ? 1 : 0);
  if (nOther > 0 || kinds > 1) {
    // Mixed: every value goes to the core as is and is checked like a record's.
    s.batch.addValues(name, Array.from(arr));
  } else if (nStr > 0 && isId) {
    const lh = s.u32(n);
    const vh = nMissing > 0 ? s.bits(n) : undefined;
    const lens = s.viewU32(lh, n);
    const bits = vh === undefined ? undefined : s.viewBits(vh, n);
    let units = 0;
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (typeof v === "string") {
        lens[i] = v.length;
        units += v.length;
        if (bits) setBit(bits, i);
      }
    }
    // ASCII (most ids) byte by byte, several times faster than joining a million strings;
    // anything else joined and encoded. (`join` writes null and undefined as "": length 0.)
    let [th, bytes] = asciiText(s, arr, units);
    if (th < 0) [th, bytes] = s.text(arr.join(""));
    s.batch.addText(name, th, bytes, lh, vh);
  } else if (nBool > 0) {
    // 1 true, 0 false, NaN missing (see `addFlags`).
    const h = s.f64Missing(n);
    const view = s.viewF64(h, n);
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (v === true) view[i] = 1;
      else if (v === false) view[i] = 0;
    }
    s.batch.addFlags(name, h);
  } else {
    const h = s.f64Missing(n);
    const view = s.viewF64(h, n);
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (typeof v === "number") view[i] = v;
    }
    s.batch.addFloat(name, h);
  }
}

/** `arr` in one pass when its values are all of the kind of the first (numbers, text or
 * booleans; null and undefined missing), encoded as `addArray` encodes such an array; false (and
 * nothing added or left allocated) when another kind comes. */
function addUniform(s: Slots, name: string, arr: readonly unknown[]): boolean {
  const n = arr.length;
  let first = 0;
  while (first < n && (arr[first] === null || arr[first] === undefined)) first++;
  const kind = first < n ? typeof arr[first] : "number";
  if (kind === "number" || kind === "boolean") {
    const h = s.f64Missing(n);
    const view = s.viewF64(h, n);
    for (let i = first; i < n; i++) {
      const v = arr[i];
      if (typeof v === kind) view[i] = kind === "number" ? (v as number) : v ? 1 : 0;
      else if (v !== null && v !== undefined) {
        s.batch.freeSlot(h);
        return false;
      }
    }
    if (kind === "number") s.batch.addFloat(name, h);
    else s.batch.addFlags(name, h);
    return true;
  }
  if (kind !== "string") return false;
  const kh = s.u32(n, MISSING_KEY);
  const keys = s.viewU32(kh, n);
  const index = stringIndex();
  const values: string[] = [];
  for (let i = first; i < n; i++) {
    const v = arr[i];
    if (typeof v === "string") {
      let k = index[v];
      if (k === undefined) {
        k = values.length;
        index[v] = k;
        values.push(v);
      }
      keys[i] = k;
    } else if (v !== null && v !== undefined) {
      s.batch.freeSlot(kh);
      return false;
    }
  }
  s.batch.addStrings(name, kh, values.join(""), lengths(values));
  return true;
}

/** The strings of `arr` (`units` UTF-16 units in all) joined into a byte buffer when all are
 * ASCII: the buffer and its length, or -1 (and nothing allocated) when one is not. */
function asciiText(s: Slots, arr: readonly unknown[], units: number): [number, number] {
  const h = s.batch.slotU8(units);
  const bytes = new Uint8Array(ready().memory.buffer as ArrayBuffer, s.batch.slotPtr(h), units);
  let o = 0;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== "string") continue;
    for (let j = 0; j < v.length; j++) {
      const c = v.charCodeAt(j);
      if (c > 0x7f) {
        s.batch.freeSlot(h);
        return [-1, 0];
      }
      bytes[o++] = c;
    }
  }
  return [h, units];
}

/** Adds one column (its shape checked by `columnLength`). */
function addColumn(s: Slots, name: string, col: unknown, isId: boolean): void {
  if (col instanceof BigInt64Array) {
    const h = s.i64(col.length);
    s.viewI64(h, col.length).set(col);
    return s.batch.addInt(name, h);
  }
  if (col instanceof BigUint64Array) {
    const h = s.f64(col.length);
    const view = s.viewF64(h, col.length);
    for (let i = 0; i < col.length; i++) view[i] = Number(col[i]);
    return s.batch.addFloat(name, h);
  }
  // Copied into the module by the glue, once.
  if (col instanceof Float64Array) return s.batch.addFloats(name, col);
  if (isTyped(col)) {
    const h = s.f64(col.length);
    s.viewF64(h, col.length).set(col as ArrayLike<number>);
    return s.batch.addFloat(name, h);
  }
  if (Array.isArray(col)) return addArray(s, name, col, isId);
  const d = col as DictionaryColumn;
  addDictionary(s, name, d.keys, d.values, d.valid === undefined ? null : d.valid);
}

const OBSERVED_ALLOWED =
  "an array of dates (YYYY-MM-DD text, Date objects, null) or an integer typed array of days since 1970-01-01";

/** An integer typed array: whole days since 1970-01-01 as an observation date column. */
function isDays(c: unknown): c is Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array | BigInt64Array {
  return (
    c instanceof Int32Array ||
    c instanceof Int16Array ||
    c instanceof Int8Array ||
    c instanceof Uint32Array ||
    c instanceof Uint16Array ||
    c instanceof Uint8Array ||
    c instanceof Uint8ClampedArray ||
    c instanceof BigInt64Array
  );
}

/** Adds the observation date column (its shape checked by `columnLength`): integer typed arrays
 * as day numbers, `Date` objects as their UTC day, everything else as `addColumn` hands it over
 * (the core reads each cell as a date or flags its row). */
function addObserved(s: Slots, col: unknown): void {
  if (isDays(col) && !(col instanceof BigInt64Array)) {
    const h = s.i64(col.length);
    const view = s.viewI64(h, col.length);
    for (let i = 0; i < col.length; i++) view[i] = BigInt(col[i]);
    return s.batch.addInt("observed", h);
  }
  const cells = Array.isArray(col) && col.some((v) => v instanceof Date) ? col.map((v: unknown) => (v instanceof Date ? dayText(v) : v)) : col;
  addColumn(s, "observed", cells, false);
}

const NONE = 0;
const NUM = 1;
const STR = 2;
const BOOL = 3;
const MIXED = 4;

/** What the gathered columns of one batch share: the buffers and every column (to move their
 * views when an allocation grows the memory). */
interface GatherSet {
  s: Slots;
  n: number;
  all: Gather[];
  buffer: ArrayBuffer;
  /** Changes whenever a column changes its encoding or its views, or a key is learnt: a reader
   * compiled before then is out of date. */
  version: number;
}

/**
 * One column gathered from record objects, encoded as it is read: numbers straight into a
 * float buffer in WebAssembly memory (NaN = missing), booleans into one too (1, 0, NaN), text as
 * keys of its distinct strings (`MISSING_KEY` = missing); the first value of another kind turns
 * it into a plain array of values (checked by the core value by value). Ids are always gathered
 * as values (they are sent as text).
 */
class Gather {
  readonly target: string;
  readonly set: GatherSet;
  mode = NONE;
  /** num, bool: floats; str: keys. */
  h = -1;
  nums: Float64Array | null = null;
  keys: Uint32Array | null = null;
  index: StringIndex | null = null;
  strings: string[] | null = null;
  values: unknown[] | null = null;

  constructor(set: GatherSet, target: string) {
    this.set = set;
    this.target = target;
    set.all.push(this);
  }

  put(i: number, v: unknown): void {
    switch (this.mode) {
      case NUM:
        if (typeof v === "number") {
          (this.nums as Float64Array)[i] = v;
          return;
        }
        break;
      case STR:
        if (typeof v === "string") {
          (this.keys as Uint32Array)[i] = this.key(v);
          return;
        }
        break;
      case BOOL:
        if (typeof v === "boolean") {
          (this.nums as Float64Array)[i] = v ? 1 : 0;
          return;
        }
        break;
      case MIXED:
        (this.values as unknown[])[i] = v;
        return;
      default:
        if (v === null || v === undefined) return;
        this.start(v);
        this.put(i, v);
        return;
    }
    if (v === null || v === undefined) return;
    this.toValues();
    (this.values as unknown[])[i] = v;
  }

  /** Row `i` as never read (what a compiled reader wrote before it gave way to the general
   * reading, which then reads the row alone). */
  clear(i: number): void {
    if (this.mode === NUM || this.mode === BOOL) (this.nums as Float64Array)[i] = NaN;
    else if (this.mode === STR) (this.keys as Uint32Array)[i] = MISSING_KEY;
    else if (this.mode === MIXED) (this.values as unknown[])[i] = undefined;
  }

  /** The key of a string (a new one is added). */
  key(v: string): number {
    const index = this.index as StringIndex;
    let k = index[v];
    if (k === undefined) {
      k = (this.strings as string[]).push(v) - 1;
      index[v] = k;
    }
    return k;
  }

  private start(v: unknown): void {
    const { s, n } = this.set;
    const t = typeof v;
    this.set.version++;
    if (this.target === "id" || (t !== "number" && t !== "string" && t !== "boolean")) {
      this.mode = MIXED;
      this.values = new Array<unknown>(n);
      return;
    }
    if (t === "string") {
      this.mode = STR;
      this.h = s.u32(n, MISSING_KEY);
      this.index = stringIndex();
      this.strings = [];
    } else {
      this.mode = t === "number" ? NUM : BOOL;
      this.h = s.f64Missing(n);
    }
    this.views();
    // The allocation may have grown the memory: views of the old memory have length 0.
    moveViews(this.set);
  }

  views(): void {
    const { s, n } = this.set;
    if (this.mode === NUM || this.mode === BOOL) this.nums = s.viewF64(this.h, n);
    else if (this.mode === STR) this.keys = s.viewU32(this.h, n);
  }

  /** The values gathered so far as a plain array (the buffer is freed). */
  private toValues(): void {
    const n = this.set.n;
    const vals = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      if (this.mode === STR) {
        const k = (this.keys as Uint32Array)[i];
        if (k !== MISSING_KEY) vals[i] = (this.strings as string[])[k];
      } else {
        const x = (this.nums as Float64Array)[i];
        if (!Number.isNaN(x)) vals[i] = this.mode === NUM ? x : x === 1;
      }
    }
    if (this.h >= 0) this.set.s.batch.freeSlot(this.h);
    this.h = -1;
    this.nums = this.keys = null;
    this.mode = MIXED;
    this.values = vals;
    this.set.version++;
  }

  /** Hands the column to the batch. */
  finish(): void {
    const { s } = this.set;
    const b = s.batch;
    switch (this.mode) {
      case NUM:
        b.addFloat(this.target, this.h);
        break;
      case STR: {
        const strings = this.strings as string[];
        b.addStrings(this.target, this.h, strings.join(""), lengths(strings));
        break;
      }
      case BOOL:
        b.addFlags(this.target, this.h);
        break;
      case MIXED:
        if (this.target === "observed") addObserved(s, this.values);
        else addArray(s, this.target, this.values as unknown[], this.target === "id");
        break;
      default:
      // Every value missing: the signal is missing for every row, as if the key were absent.
    }
  }
}

/** New views for every gathered column when the module's memory has grown. */
function moveViews(set: GatherSet): void {
  const now = ready().memory.buffer as ArrayBuffer;
  if (now === set.buffer) return;
  set.buffer = now;
  for (const g of set.all) g.views();
  set.version++;
}

/** Reads records `start..n` into the gathered columns; returns the first row it could not read
 * (`n` when it read them all), which `#readBatch` then reads the general way. */
type Reader = (recs: readonly unknown[], start: number, n: number) => number;

/** Whether `new Function` may be used (a Content Security Policy without 'unsafe-eval' forbids it). */
let canCompile = true;

/**
 * A reader of records specialised to the keys learnt so far and their columns' encodings: one
 * named property read per key (V8 reads a property whose name is in the code many times faster
 * than `obj[key]` with varying keys), each value written to its column's buffer. It reads
 * exactly what `score` reads (the own enumerable keys), and only records it can read whole: a
 * plain object (`Object.prototype` its prototype) whose enumerable keys (`for...in`, checked
 * against the known keys in their order, so one comparison a key for records of one shape) are
 * all known, as many as the known keys it has (so none of those is hidden: not enumerable, or
 * inherited), none `undefined`, every value of the kind its column holds (a new distinct string
 * is fine). Anything else stops it at that record, for the general reading. Keys
 * `Object.prototype` has (`constructor`, `toString`, ...) are read only as the record's own.
 * `null` when code cannot be compiled here.
 */
function compileReader(keys: readonly string[], gathers: Map<string, Gather>, st: { at: number }): Reader | null {
  if (!canCompile) return null;
  const names: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown): string => {
    names.push(`a${names.length}`);
    args.push(v);
    return names[names.length - 1];
  };
  const lines = keys.map((k) => {
    const g = gathers.get(k);
    const key = JSON.stringify(k);
    const get = k in Object.prototype ? `(hasOwn(r, ${key}) ? r[${key}] : undefined)` : `r[${key}]`;
    let put = "";
    switch (g?.mode) {
      case NUM:
        put = `if (typeof v === "number") ${arg(g.nums)}[i] = v; else if (v !== null) return i;`;
        break;
      case BOOL: {
        const a = arg(g.nums);
        put = `if (v === true) ${a}[i] = 1; else if (v === false) ${a}[i] = 0; else if (v !== null) return i;`;
        break;
      }
      case STR:
        put = `if (typeof v === "string") { x = ${arg(g.index)}[v]; ${arg(g.keys)}[i] = x === undefined ? ${arg(g)}.key(v) : x; } else if (v !== null) return i;`;
        break;
      case MIXED:
        put = `${arg(g.values)}[i] = v;`;
        break;
      case NONE:
        put = "if (v !== null) return i;";
        break;
      default:
      // A key the plan reads as nothing: counted only.
    }
    return `v = ${get}; if (v !== undefined) { p++; ${put} } else if (hasOwn(r, ${key})) return i;`;
  });
  // Every enumerable key known: compared with the key expected next, else looked up.
  const walk =
    keys.length === 0
      ? "for (const k in r) return i;"
      : "for (const k in r) { if (k !== K[j]) { j = KI[k]; if (j === undefined) return i; } j++; c++; }";
  const src = `return function read(recs, start, n) {
  let i = start, v, x, p, c, j;
  try {
    for (; i < n; i++) {
      const r = recs[i];
      if (typeof r !== "object" || r === null || getProto(r) !== OP) return i;
      c = 0;
      j = 0;
      ${walk}
      p = 0;
      ${lines.join("\n      ")}
      if (c !== p) return i;
    }
  } catch (e) {
    st.at = i;
    throw e;
  }
  return n;
};`;
  try {
    const index: StringIndex = stringIndex();
    keys.forEach((k, j) => {
      index[k] = j;
    });
    const make = new Function("hasOwn", "getProto", "OP", "st", "K", "KI", ...names, src) as (...a: unknown[]) => Reader;
    return make(Object.hasOwn, Object.getPrototypeOf, Object.prototype, st, keys.slice(), index, ...args);
  } catch {
    canCompile = false;
    return null;
  }
}

function buildResult(out: raw.BatchOut, plan: ColumnPlan): BatchResult {
  const n = out.rows();
  const ptrs = out.columnPtrs();
  const categoryIds = out.categoryIds();
  const errors = JSON.parse(out.errors()) as RowError[];
  const warnings = [...(JSON.parse(out.warnings()) as Warning[]), ...plan.warnings];
  // The number columns and the tier codes into one buffer of their own (one allocation: under
  // memory pressure V8 may collect garbage at every large one), copied from views of the
  // module's memory taken after the last call that allocates in it.
  const mem = ready().memory.buffer as ArrayBuffer;
  const buf = new ArrayBuffer(n * 8 * ptrs.length + n);
  const packed = new Float64Array(buf, 0, n * ptrs.length);
  ptrs.forEach((p, k) => packed.set(new Float64Array(mem, p, n), k * n));
  const tierCode = new Uint8Array(buf, n * 8 * ptrs.length, n);
  tierCode.set(new Uint8Array(mem, out.tierCodesPtr(), n));
  const part = (k: number) => packed.subarray(k * n, (k + 1) * n);
  const total = part(0);
  const categories: Record<string, Float64Array> = {};
  categoryIds.forEach((id, k) => {
    categories[id] = part(3 + k);
  });
  let tier: (Tier | null)[] | undefined;
  let ranking: Uint32Array | undefined;
  return {
    length: n,
    total,
    get tier() {
      // Built on first use: 100k strings are not free, and many callers read only tierCode.
      if (tier === undefined) {
        tier = new Array<Tier | null>(tierCode.length);
        for (let i = 0; i < tierCode.length; i++) tier[i] = tierNames[tierCode[i]] ?? null;
      }
      return tier;
    },
    tierCode,
    tierNames,
    categoryIds,
    categories,
    completeness: part(1),
    maxPossible: part(2),
    errors,
    warnings,
    plan,
    ranking() {
      ranking ??= raw.rankTotals(total);
      return ranking.slice();
    },
    tierCounts() {
      const byCode = new Array<number>(tierNames.length).fill(0);
      for (let i = 0; i < tierCode.length; i++) if (tierCode[i] < byCode.length) byCode[tierCode[i]]++;
      return Object.fromEntries(tierNames.map((t, k) => [t, byCode[k]])) as Record<Tier, number>;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The model

const registry =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry<raw.WasmModel>((m) => m.free()) : undefined;

/** Only the model's own factories may construct one. */
const TOKEN = Symbol("advocacy-wasm model");

const FACTORIES = "Model.default(), Model.fromJson(text) or Model.fromObject(spec)";

/** A model as `scoreBatch` read its records' keys (`rank` explains rows with the same reading). */
interface ReadBatch {
  result: BatchResult;
  keys: string[];
  mapping: string | undefined;
}

/**
 * An advocacy scoring model. Immutable: every `with*` method returns a new model.
 *
 * `S` names the signals of the model's own that records may hold besides the standard ones:
 * none for `Model.default()`, those a model object written in the code declares
 * (`Model.fromObject`), and any (`string`, the default) for a model read at run time
 * (`Model.fromJson(text)`). A record key that is not a signal of a known model is a type error
 * (see `AccountRecord`).
 *
 * ```js
 * import { init, Model } from "advocacy-wasm";
 * await init();
 * const model = Model.default().withTargets({ industries: ["software"] });
 * model.score({ id: "acme", nps: 9, industry: "Software" }).total; // 20
 * ```
 */
export class Model<S extends string = string> {
  #raw: raw.WasmModel | null;
  #categories: number | undefined;

  /** @internal Models come from `Model.default()`, `Model.fromJson(text)` or `Model.fromObject(spec)`. */
  constructor(token: unknown, r?: unknown) {
    if (token !== TOKEN || !(r instanceof raw.WasmModel)) {
      throw usage("invalid_argument", "new Model", shown(token), FACTORIES);
    }
    this.#raw = r;
    registry?.register(this, r, this);
  }

  #m(): raw.WasmModel {
    if (this.#raw === null) throw usage("freed", "model", "a model after free()", "a model that is not freed");
    return this.#raw;
  }

  /**
   * The 100-point advocacy potential model.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default();
   * model.maxPoints; // 100
   * model.score({ id: "acme", nps: 9, health_score: 91.5, roi_achieved: true }).total; // 30
   * ```
   */
  static default(): Model<never> {
    ready();
    return new Model(TOKEN, raw.WasmModel.defaultModel());
  }

  /**
   * Reads and checks a model from JSON text. A byte-order mark is skipped; a key given twice in
   * one object is an error. Throws `AdvocacyError` (type "model") with the config path.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const text = JSON.stringify({ ...Model.default().toObject(), name: "ours" }); // e.g. await (await fetch("model.json")).text()
   * Model.fromJson(text).name; // "ours"
   * try {
   *   Model.fromJson('{"categories": [], "categories": []}');
   * } catch (e) {
   *   e.type; // "model"
   * }
   * ```
   */
  static fromJson<S extends string = string>(text: string): Model<S> {
    ready();
    argString("text", text);
    try {
      return new Model(TOKEN, raw.WasmModel.fromJson(text));
    } catch (e) {
      rethrow(e);
    }
  }

  /**
   * Reads and checks a model from an object (the shape of `toObject()`; enumerated fields take
   * any text, checked by the core). The signals it declares are the record keys the result's
   * type accepts besides the standard ones.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.fromObject({
   *   tiers: { platinum: 10, gold: 8, silver: 5 },
   *   signals: [{ name: "seats", kind: "integer", min: 1 }],
   *   categories: [{ id: "usage", criteria: [{ id: "many_seats", signal: "seats", rule: { op: ">", value: 100 }, points: 10 }] }],
   * });
   * model.score({ id: "a", seats: 120 }).tier; // "platinum"
   * ```
   */
  static fromObject<const T extends Json<ModelSpec>>(spec: T): Model<DeclaredSignals<T>> {
    ready();
    argObject("spec", spec, "a model object (the shape of model.toObject())");
    return Model.fromJson<DeclaredSignals<T>>(jsonOf("spec", spec));
  }

  /**
   * The model as JSON text; `fromJson` reads it back unchanged.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const text = Model.default().withTargets({ industries: ["software"] }).toJson();
   * Model.fromJson(text).toJson() === text; // true
   * ```
   */
  toJson(): string {
    return this.#m().toJson();
  }

  /**
   * The model as a plain object (the model file format).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const spec = Model.default().toObject();
   * spec.categories.map((c) => c.id); // ["satisfaction", "relationship", "willingness", "company_fit"]
   * spec.categories[0].criteria[0]; // {"id":"promoter","label":"Promoter (NPS 9-10)","signal":"nps","rule":{"op":">=","value":9},"points":10}
   * ```
   */
  toObject(): ModelSpec {
    return JSON.parse(this.#m().toJson()) as ModelSpec;
  }

  /**
   * The model's name.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().name; // "advocacy potential score"
   * ```
   */
  get name(): string {
    return this.#m().name();
  }

  /**
   * The most points an account can earn.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().withPoints("promoter", 20).maxPoints; // 110
   * ```
   */
  get maxPoints(): number {
    return this.#m().maxPoints();
  }

  /**
   * Warnings about the model itself (e.g. no target industries set).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().warnings.map((w) => w.criterion); // ["target_industry", "target_segment"]
   * Model.default().withTargets({ industries: ["software"], segments: ["smb"] }).warnings; // []
   * ```
   */
  get warnings(): Warning[] {
    return JSON.parse(this.#m().warnings()) as Warning[];
  }

  /**
   * Every signal the model knows: its own declarations, then the standard ones.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().knownSignals().length; // 42
   * Model.default().knownSignals().includes("health_score"); // true
   * ```
   */
  knownSignals(): string[] {
    return this.#m().knownSignals();
  }

  /**
   * The same signals with their kinds, allowed values and ranges (for forms and mappings).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const nps = Model.default().signals().find((s) => s.name === "nps");
   * [nps.kind, nps.min, nps.max]; // ["integer", 0, 10]
   * ```
   */
  signals(): SignalSpec[] {
    return JSON.parse(this.#m().signals()) as SignalSpec[];
  }

  /**
   * The signals the model's criteria and gates read.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().readSignals().slice(0, 3); // ["nps", "health_score", "roi_achieved"]
   * ```
   */
  readSignals(): string[] {
    return this.#m().readSignals();
  }

  /**
   * A copy with top-level fields replaced (checked like `fromJson`).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().with({ revisit_months: 3, max_age_days: { nps: 180 } }).toObject().revisit_months; // 3
   * ```
   */
  with<const P extends Partial<Json<ModelSpec>>>(patch: P): Model<"signals" extends keyof P ? DeclaredSignals<P> : S> {
    argObject("patch", patch, "an object of model fields");
    return Model.fromJson(jsonOf("patch", { ...this.toObject(), ...patch }));
  }

  /** A copy with the given target lists replaced (the others kept): the core's `with_targets`.
   *
   * ```js
   * const m = Model.default().withTargets({ industries: ["software"], segments: ["enterprise"] });
   * ```
   */
  withTargets(targets: Partial<Targets>): Model<S> {
    argObject("targets", targets, "an object of target lists: { industries?, segments?, regions? }");
    jsonOf("targets", targets);
    return this.#edit(() => this.#m().withTargets(targets));
  }

  /**
   * A copy with another missing-data policy: the core's `with_missing`. `"rescale"` scores an
   * account on the signals it has.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().score({ id: "a", nps: 9 }).total; // 10
   * Model.default().withMissing("rescale").score({ id: "a", nps: 9 }).total; // 100
   * ```
   */
  withMissing(missing: MissingPolicy): Model<S> {
    argString("missing", missing);
    return this.#edit(() => this.#m().withMissing(missing));
  }

  /**
   * A copy with other tier thresholds (the others kept): the core's `with_tiers`.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().withThresholds({ platinum: 90 }).toObject().tiers; // {"platinum":90,"gold":60,"silver":40}
   * ```
   */
  withThresholds(tiers: Partial<Thresholds>): Model<S> {
    argObject("tiers", tiers, "an object of thresholds: { platinum?, gold?, silver? }");
    jsonOf("tiers", tiers);
    return this.#edit(() => this.#m().withTiers(tiers));
  }

  /**
   * A copy where criterion `criterionId` is worth `points`: the core's `with_points`.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * Model.default().withPoints("promoter", 20).score({ id: "a", nps: 9 }).total; // 20
   * ```
   */
  withPoints(criterionId: string, points: number): Model<S> {
    argString("criterionId", criterionId);
    if (typeof points !== "number" || Number.isNaN(points)) throw usage("invalid_argument", "points", shown(points), "a number");
    return this.#edit(() => this.#m().withPoints(criterionId, points));
  }

  #edit(edit: () => raw.WasmModel): Model<S> {
    try {
      return new Model<S>(TOKEN, edit());
    } catch (e) {
      rethrow(e);
    }
  }

  /**
   * Scores one account and explains the result (exactly the core's `Score`). Values may be
   * loosely typed (`"yes"`, `"9"`, `"85%"`), read by the core's one reading of text.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default().withTargets({ industries: ["software"], segments: ["enterprise"] });
   * const s = model.score({ id: "acme", nps: 9, health_score: 91.5, roi_achieved: true, industry: "Software" }, "2026-01-31");
   * s.total; // 40
   * s.tier; // "silver"
   * s.next_tier; // {"tier":"gold","points_needed":20,"criteria":["strong_rapport","multi_threaded"],"reachable":true}
   * model.score({ id: "acme", nps: "9", roi_achieved: "Yes" }).total; // 20
   * ```
   */
  score(record: AccountRecord<S>, asOf?: string | Date): Score {
    const m = this.#m();
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw usage("invalid_argument", "record", shown(record), "an object of signal names to values");
    }
    const date = argDate("asOf", asOf);
    try {
      return JSON.parse(m.score(record, date)) as Score;
    } catch (e) {
      rethrow(e);
    }
  }

  #categoryCount(): number {
    this.#categories ??= this.toObject().categories.length;
    return this.#categories;
  }

  /**
   * Scores an array of account objects as one columnar batch. The records' keys are read by the
   * core's column plan: signal names, aliases (`"NPS"`, `"Health Score"`, `"Account ID"`) and
   * `options.columns`. When the records have an id, every record needs one of its own
   * (`missing_id`, `duplicate_id`). Throws when no key holds a signal the model reads.
   *
   * With `options.asOf`, a record's observation date (its key `observed`, `Observed At`, ... or
   * the mapping's `observed`: YYYY-MM-DD text or a Date) makes values older than the model's
   * `max_age_days` count as missing. With `options.ids: false` the records' ids are not taken.
   *
   * Records are read in JavaScript, with no call into the module per record or per value:
   * records of one shape (`JSON.parse` output) by a reader compiled for their keys (one property
   * read per key, where the browser allows compiling code), anything else key by key.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default();
   * const accounts = [{ id: "a", nps: 10, health_score: 95, roi_achieved: true }, { id: "b", nps: 11 }, { id: "c", nps: 3 }];
   * const batch = model.scoreBatch(accounts, { onError: "flag" });
   * batch.total; // [30, null, 0]: NaN (written null here) for the flagged row
   * batch.tier; // ["not_yet_qualified", null, "not_yet_qualified"]
   * [batch.errors[0].row, batch.errors[0].code, batch.errors[0].signal]; // [1, "out_of_range", "nps"]
   * // Stale values (older than the model's max_age_days as of options.asOf) count as missing.
   * model.with({ max_age_days: { nps: 180 } }).scoreBatch([{ id: "a", nps: 10, observed: "2025-01-01" }], { asOf: "2026-11-30" }).total; // [0]
   * // Records straight from JSON (e.g. await (await fetch("/api/accounts")).json()), ids declined.
   * model.scoreBatch(JSON.parse('[{"id":"a","NPS":"9"}]'), { ids: false }).total; // [10]
   * ```
   */
  scoreBatch(records: readonly AccountRecord<S>[], options: RecordsOptions = {}): BatchResult {
    return this.#readBatch(records, options, "options", ["onError", "columns", "asOf", "ids"]).result;
  }

  #readBatch(records: unknown, options: unknown, optName: string, optKeys: readonly string[]): ReadBatch {
    const m = this.#m();
    const recs = argArray("records", records, "an array of account objects");
    const o = argOptions(optName, options, optKeys);
    const flag = argOnError(`${optName}.onError`, o["onError"]);
    const mapping = argMapping(`${optName}.columns`, o["columns"]);
    const asOf = argDate(`${optName}.asOf`, o["asOf"]);
    const takeIds = o["ids"];
    if (takeIds !== undefined && typeof takeIds !== "boolean") {
      throw usage("invalid_argument", `${optName}.ids`, shown(takeIds), "true (default) or false");
    }
    const n = recs.length;
    if (n === 0) throw noAccounts("records", "[]");
    const batch = new raw.ColumnBatch(n);
    const s = new Slots(batch);
    try {
      if (asOf !== undefined) batch.setAsOf(asOf);
      // Room for the columns the first record's keys give, in one growth of the memory.
      const first = recs.find((r): r is object => r !== null && typeof r === "object" && !Array.isArray(r));
      const firstKeys = reading(() => "records[0]", () => (first === undefined ? [] : Object.keys(first)));
      reserve(n * 8 * (readCount(planOf(m.readColumns(firstKeys, mapping))) + 1));
      // The records' keys in order of first appearance, each read by the plan of the keys so
      // far (a key's role depends only on the keys before it; the final plan checks them all).
      const keys: string[] = [];
      const skip = new Set<string>();
      const gathers = new Map<string, Gather>();
      const set: GatherSet = { s, n, all: [], buffer: ready().memory.buffer as ArrayBuffer, version: 0 };
      const notRecords: number[] = [];
      const learn = (obj: object): void => {
        const fresh = Object.keys(obj).filter((k) => !gathers.has(k) && !skip.has(k));
        const from = keys.length;
        keys.push(...fresh);
        const plan = JSON.parse(m.readColumns(keys, mapping)) as RawPlan;
        fresh.forEach((k, j) => {
          const c = plan.columns[from + j];
          const target =
            c?.role === "signal" && c.signal !== undefined
              ? c.signal
              : (c?.role === "id" && takeIds !== false) || c?.role === "observed"
                ? c?.role
                : null;
          if (target === null || target === undefined) skip.add(k);
          else gathers.set(k, new Gather(set, target));
        });
        set.version++;
        moveViews(set);
      };
      /** Record `i` the general way: its own keys (as `score` reads them), any value. */
      const readRecord = (i: number): void => {
        const r = recs[i];
        if (r === null || typeof r !== "object" || Array.isArray(r)) {
          notRecords.push(i);
          return;
        }
        const obj = r as Record<string, unknown>;
        for (const k in obj) {
          if (!Object.hasOwn(obj, k)) continue;
          let g = gathers.get(k);
          if (g === undefined) {
            if (skip.has(k)) continue;
            learn(obj);
            g = gathers.get(k);
            if (g === undefined) continue;
          }
          g.put(i, obj[k]);
        }
      };
      // Runs of records read by a reader compiled for the keys and encodings so far; a record it
      // cannot read is read the general way (which may learn keys or change an encoding), then
      // the run goes on, with a new reader when something changed (at most 64: a batch whose
      // records keep bringing new keys is read the general way).
      const st = { at: 0 };
      reading(
        () => `records[${st.at}]`,
        () => {
          let reader: Reader | null = null;
          let version = -1;
          let compiled = 0;
          for (let i = 0; i < n; i++) {
            if (version !== set.version && compiled < 64) {
              reader = compileReader(keys, gathers, st);
              version = set.version;
              compiled++;
            }
            if (reader !== null && version === set.version) {
              i = reader(recs, i, n);
              if (i >= n) break;
              // It may have written some of the record's values before it gave way (a value
              // of another kind, an own key it does not read as score() does): from scratch.
              for (const g of set.all) g.clear(i);
            }
            st.at = i;
            readRecord(i);
          }
        },
      );
      const plan = this.#planBatch(batch, keys, mapping);
      reserve(n * 8 * (2 * (3 + this.#categoryCount()) + 2));
      for (const g of set.all) g.finish();
      for (const i of notRecords) batch.flagNotARecord(i, recs[i]);
      const out = m.scoreColumns(batch, flag);
      try {
        return { result: buildResult(out, plan), keys, mapping };
      } finally {
        out.free();
      }
    } catch (e) {
      rethrow(e);
    } finally {
      batch.free();
    }
  }

  #planBatch(batch: raw.ColumnBatch, headers: string[], mapping: string | undefined): ColumnPlan {
    return planOf(this.#m().planBatch(batch, headers, mapping));
  }

  /**
   * The columnar fast path: named columns of equal length (typed arrays are fastest). Column
   * names are read by the core's column plan like headers (`"NPS"` is `nps`, `"Account ID"` the
   * id; `options.columns` maps any other name).
   *
   * A `Float64Array` is copied into the module once; booleans cross as 0/1 floats and text as
   * the keys of its distinct strings (each distinct string converted once, read by the core
   * once). Ids are taken only when asked: `options.ids`, or a column the plan reads as the id
   * (`options.ids: false` declines it); without them nothing about ids is sent or checked.
   * Tiers come back as codes (`tierCode`) with their names (`tierNames`); `tier`, the strings,
   * is built when first read.
   *
   * With `options.asOf`, values observed longer ago than the model's `max_age_days` count as
   * missing: the observation dates are the column the plan reads as `observed` (`observed`,
   * `Observed At`, the mapping's `observed`), or `options.observed` (see `ObservedInput`; the same
   * forms for the column).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default().withTargets({ segments: ["mid_market"] });
   * const r = model.scoreColumns({ "Account ID": ["a", "b"], NPS: new Float64Array([9, 3]), Segment: ["Mid-Market", null] });
   * r.total; // [15, 0]
   * r.plan.columns.map((c) => c.signal); // [null, "nps", "segment"]
   * // Dictionary-encoded text (as from Arrow), booleans, and ids of their own.
   * Model.default().scoreColumns(
   *   { industry: { keys: new Uint32Array([0, 0, 1]), values: ["software", "retail"] }, roi_achieved: [true, false, null] },
   *   { ids: ["x", "y", "z"] },
   * ).total; // [10, 0, 0]
   * const fresh = Model.default().with({ max_age_days: { nps: 180 } });
   * fresh.scoreColumns({ id: ["a", "b"], NPS: ["10", "10"], "Observed At": ["2026-11-01", "2025-01-01"] }, { asOf: "2026-11-30" }).total; // [10, 0]: b's NPS is stale
   * fresh.scoreColumns({ NPS: [10, 10] }, { asOf: new Date(), observed: [new Date(), null] }).total; // [10, 10]
   * ```
   */
  scoreColumns(columns: ColumnsInput, options: ColumnsOptions = {}): BatchResult {
    const m = this.#m();
    const cols = argObject("columns", columns, "an object of named columns");
    const o = argOptions("options", options, ["onError", "ids", "columns", "asOf", "observed"]);
    const flag = argOnError("options.onError", o["onError"]);
    const mapping = argMapping("options.columns", o["columns"]);
    const asOf = argDate("options.asOf", o["asOf"]);
    const idsOpt = o["ids"];
    if (idsOpt !== undefined && idsOpt !== false && !Array.isArray(idsOpt)) {
      throw usage("invalid_argument", "options.ids", shown(idsOpt), "an array of account ids, or false");
    }
    const observedOpt = o["observed"];
    if (observedOpt !== undefined && !Array.isArray(observedOpt) && !isDays(observedOpt)) {
      throw usage("invalid_argument", "options.observed", shown(observedOpt), OBSERVED_ALLOWED);
    }
    const names = Object.keys(cols).filter((k) => cols[k] !== undefined);
    let n = 0;
    for (const k of names) n = Math.max(n, columnLength(k, cols[k]));
    if (n === 0) throw noAccounts("columns", names.length === 0 ? "{}" : "columns of 0 rows");
    const batch = new raw.ColumnBatch(n);
    const s = new Slots(batch);
    try {
      const plan = this.#planBatch(batch, names, mapping);
      reserve(n * 8 * (readCount(plan) + 2 * (3 + this.#categoryCount()) + 2));
      let idCol: unknown;
      let observedCol: unknown;
      plan.columns.forEach((c, i) => {
        const col = cols[names[i]];
        batch.checkLength(names[i], columnLength(names[i], col));
        if (c.role === "signal" && c.signal !== null) addColumn(s, c.signal, col, false);
        else if (c.role === "id") idCol = col;
        else if (c.role === "observed") observedCol = col;
      });
      const ids = idsOpt === false ? undefined : (idsOpt ?? idCol);
      if (ids !== undefined) {
        batch.checkLength("id", columnLength("id", ids));
        addColumn(s, "id", ids, true);
      }
      const observed = observedOpt ?? observedCol;
      if (observed !== undefined) {
        batch.checkLength("observed", columnLength("observed", observed));
        addObserved(s, observed);
      }
      if (asOf !== undefined) batch.setAsOf(asOf);
      const out = m.scoreColumns(batch, flag);
      try {
        return buildResult(out, plan);
      } finally {
        out.free();
      }
    } catch (e) {
      rethrow(e);
    } finally {
      batch.free();
    }
  }

  /**
   * Several sources of the same accounts (a CRM export, a survey, a support tool), each read
   * through its own column plan, joined by account id and scored: the core's `score_sources`.
   * Each value keeps its source and observation date (the row's `observed` column, else the
   * source's `date`); a conflict is settled by `options.conflicts` (the latest observation by
   * default) and the value it overruled is reported; with `options.asOf`, values older than the
   * model's `max_age_days` count as missing. Accounts come in the order their ids first appear.
   *
   * A source that cannot be read (no column holds a signal, a row without an id, an observation
   * date that is not a date, two sources with one name) throws an `AdvocacyError` whose `path`
   * names it (`sources.survey`, `sources.crm.name`) and whose `row` is the row in that source.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default().with({ max_age_days: { nps: 180 } });
   * const out = model.scoreSources(
   *   [
   *     { name: "crm", date: "2025-09-01", rows: [{ "Account ID": "a", "Account Name": "Acme", NPS: 6, "Health Score": "85" }] },
   *     { name: "survey", headers: ["account_id", "nps", "observed"], rows: [["a", 10, "2026-11-02"]] },
   *   ],
   *   { asOf: "2026-11-30" },
   * );
   * const [acme] = out.accounts; // { id: "a", name: "Acme", score: {...}, error: null }
   * const nps = acme.score.criteria.find((c) => c.signal === "nps");
   * nps.value; // 10: the survey's answer is the latest
   * nps.provenance.seen; // {"source":"survey","observed":"2026-11-02"}
   * nps.provenance.overruled.map((v) => [v.value, v.source]); // [[6, "crm"]]
   * ```
   */
  scoreSources(sources: readonly Source[], options: SourcesOptions = {}): SourceScores {
    const m = this.#m();
    const list = argArray("sources", sources, "an array of sources: { name, rows, headers?, columns?, date? }");
    const o = argOptions("options", options, ["conflicts", "asOf", "onError"]);
    const conflicts = o["conflicts"];
    if (conflicts !== undefined && conflicts !== "latest" && conflicts !== "source_order") {
      throw usage("invalid_argument", "options.conflicts", shown(conflicts), '"latest" or "source_order"');
    }
    const asOf = argDate("options.asOf", o["asOf"]);
    const onError = argOnError("options.onError", o["onError"]) ? "flag" : "fail";
    const parts = list.map((src, i) => sourceJson(`sources[${i}]`, src));
    const rest = JSON.stringify({ conflicts, as_of: asOf, on_error: onError }).slice(1);
    try {
      return JSON.parse(m.scoreSources(`{"sources":[${parts.join(",")}],${rest}`)) as SourceScores;
    } catch (e) {
      rethrow(e);
    }
  }

  /**
   * The best `top` accounts, best first, each with its full explanation. Flagged rows are left out.
   *
   * The batch is read and scored as `scoreBatch` reads it (with `options.asOf`, freshness too),
   * and each explanation reads its record the same way (a stale value's criterion says so).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const accounts = [{ id: "a", nps: 10, health_score: 95, roi_achieved: true }, { id: "b", nps: 11 }, { id: "c", nps: 3 }];
   * const top = Model.default().rank(accounts, 2, { onError: "flag" }); // "b" is flagged: left out
   * top.map(({ rank, row, score }) => [rank, row, score.id, score.total]); // [[1, 0, "a", 30], [2, 2, "c", 0]]
   * top[0].score.criteria.find((c) => c.id === "promoter").outcome; // "met"
   * ```
   */
  rank(records: readonly AccountRecord<S>[], top: number = Infinity, options: RankOptions = {}): RankedAccount[] {
    const m = this.#m();
    if (typeof top !== "number" || Number.isNaN(top) || top < 0 || !(Number.isInteger(top) || top === Infinity)) {
      throw usage("invalid_argument", "top", shown(top), "a whole number >= 0, or Infinity");
    }
    const o = argOptions("options", options, ["onError", "columns", "asOf"]);
    const asOf = argDate("options.asOf", o["asOf"]);
    const { result, keys, mapping } = this.#readBatch(
      records,
      { onError: o["onError"], columns: o["columns"], asOf: o["asOf"] },
      "options",
      ["onError", "columns", "asOf"],
    );
    const order = result.ranking();
    const out: RankedAccount[] = [];
    let reader: raw.RecordReader | undefined;
    try {
      reader = m.recordReader(keys, mapping);
      for (const row of order) {
        if (out.length >= top) break;
        if (Number.isNaN(result.total[row])) continue;
        out.push({ rank: out.length + 1, row, score: JSON.parse(m.scoreRead(reader, row, (records as unknown[])[row], asOf)) as Score });
      }
    } catch (e) {
      rethrow(e);
    } finally {
      reader?.free();
    }
    return out;
  }

  /**
   * How a table with these headers is read: for each header its role (`id`, `name`,
   * `observed`, `signal` or `ignored`), the signal, and why; without scoring. Two headers for
   * the same signal (or the id) are an error.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const plan = Model.default().readColumns(["Account ID", "NPS", "Health Score", "Owner"]);
   * plan.columns.map((c) => [c.header, c.role, c.signal]); // [["Account ID","id",null], ["NPS","signal","nps"], ["Health Score","signal","health_score"], ["Owner","ignored",null]]
   * plan.warnings.map((w) => w.code); // ["unmapped_column"]
   * ```
   */
  readColumns(headers: readonly string[], columns?: ColumnMapping | string): ColumnPlan {
    const m = this.#m();
    argArray("headers", headers, "an array of column names").forEach((h, i) => argString(`headers[${i}]`, h));
    const mapping = argMapping("columns", columns);
    try {
      return planOf(m.readColumns(Array.from(headers), mapping));
    } catch (e) {
      rethrow(e);
    }
  }

  /**
   * Records from a CSV's cells (rows of text, as papaparse gives them; numbers and booleans from
   * `dynamicTyping` are read as their text), the way the `advocacy` CLI reads a CSV: the header
   * read by the core's column plan (names, aliases, `options.columns`), every cell of a signal
   * through the plan's value map and the core's cell reading (empty, NA are missing; yes/no for
   * booleans; `85%`), other columns ignored. Throws when no column holds a signal the model reads.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default();
   * // e.g. const [header, ...rows] = Papa.parse(text, { skipEmptyLines: "greedy" }).data;
   * const header = ["Account ID", "NPS", "CSM Rating"];
   * const rows = [["a", "9", "4"], ["b", 10, ""]];
   * const records = model.recordsFromCells(header, rows, { columns: { columns: { "CSM Rating": "csm_rapport" } } });
   * records; // [{"id":"a","nps":9,"csm_rapport":4},{"id":"b","nps":10}]
   * model.scoreBatch(records).total; // [20, 10]
   * ```
   */
  recordsFromCells(
    header: readonly string[],
    rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
    options?: CellsOptions | string,
  ): AccountRecord<S>[] {
    const m = this.#m();
    argArray("header", header, "an array of column names").forEach((h, i) => argString(`header[${i}]`, h));
    const body = argArray("rows", rows, "an array of rows (arrays of cells)");
    // A string is the id column's name (the earlier signature).
    const mapping =
      typeof options === "string"
        ? JSON.stringify({ id: options })
        : argMapping("options.columns", argOptions("options", options, ["columns"])["columns"]);
    const n = body.length;
    if (n === 0) throw noAccounts("rows", "[]");
    const width = header.length;
    const holder = new raw.ColumnBatch(0);
    const s = new Slots(holder);
    try {
      const lh = s.u32(n * width);
      const lens = s.viewU32(lh, n * width);
      // One text per row (joining a row's cells is much faster than joining every cell at once).
      const texts = new Array<string>(n);
      const cells = new Array<string>(width);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const row = body[i];
        if (!Array.isArray(row)) throw usage("invalid_argument", `rows[${i}]`, shown(row), "an array of cells");
        let plain = row.length === width;
        for (let j = 0; j < width; j++) {
          const c: unknown = row[j];
          if (typeof c === "string") {
            cells[j] = c;
          } else {
            cells[j] = cellText(c, i, j);
            plain = false;
          }
          lens[k++] = cells[j].length;
        }
        texts[i] = plain ? row.join("") : cells.join("");
      }
      const joined = texts.join("");
      // The text in the module, the records' grid and its texts, in one growth of the memory.
      reserve(joined.length * 3 + n * width * 24);
      const out = m.recordsFromCells(Array.from(header), joined, holder, lh, mapping);
      try {
        return recordsOf(out) as AccountRecord<S>[];
      } finally {
        out.free();
      }
    } catch (e) {
      rethrow(e);
    } finally {
      holder.free();
    }
  }

  /**
   * Frees the model's WebAssembly memory now (otherwise a finalizer does it later). Using the
   * model afterwards throws an `AdvocacyError` (`code: "freed"`).
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * const model = Model.default();
   * model.free();
   * try {
   *   model.score({ nps: 9 });
   * } catch (e) {
   *   e.code; // "freed"
   * }
   * ```
   */
  free(): void {
    if (this.#raw === null) return;
    registry?.unregister(this);
    this.#raw.free();
    this.#raw = null;
  }
}

/** A cell as text: numbers and booleans (papaparse `dynamicTyping`) as JS writes them. */
function cellText(c: unknown, i: number, j: number): string {
  switch (typeof c) {
    case "string":
      return c;
    case "number":
    case "boolean":
    case "bigint":
      return String(c);
    case "undefined":
      return "";
    default:
      if (c === null) return "";
      throw usage("invalid_argument", `rows[${i}][${j}]`, shown(c), "text, a number, a boolean, null or undefined");
  }
}

/** The records of a `CellsOut`, built from views of its buffers. */
function recordsOf(out: raw.CellsOut): AccountRecord<string>[] {
  const names = out.names();
  const hasId = out.hasId();
  const cols = names.length + (hasId ? 1 : 0);
  const keys = hasId ? ["id", ...names] : names;
  const rows = out.rows();
  const joined = out.texts();
  const count = out.textCount();
  // Views after the last call that allocates in the module.
  const mem = ready().memory.buffer as ArrayBuffer;
  const lens = new Uint32Array(mem, out.textLensPtr(), count);
  const texts = new Array<string>(count);
  let off = 0;
  for (let t = 0; t < count; t++) {
    texts[t] = joined.slice(off, off + lens[t]);
    off += lens[t];
  }
  const tags = new Uint8Array(mem, out.tagsPtr(), rows * cols);
  const nums = new Float64Array(mem, out.numsPtr(), rows * cols);
  const records = new Array<AccountRecord<string>>(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const r: Record<string, Value> = {};
    for (let j = 0; j < cols; j++, k++) {
      switch (tags[k]) {
        case 1:
          r[keys[j]] = nums[k];
          break;
        case 2:
          r[keys[j]] = true;
          break;
        case 3:
          r[keys[j]] = false;
          break;
        case 4:
          r[keys[j]] = texts[nums[k]];
          break;
        default:
      }
    }
    records[i] = r;
  }
  return records;
}

const SOURCE_KEYS: readonly string[] = ["name", "rows", "headers", "columns", "date"];

/** One source as the JSON the core reads (`SourceInput`), its fields checked; a mapping given
 * as JSON text stays text (the binding reads it with the core's rules for JSON input). */
function sourceJson(where: string, src: unknown): string {
  const o = argObject(where, src, "a source: { name, rows, headers?, columns?, date? }");
  for (const k of Object.keys(o)) {
    if (!SOURCE_KEYS.includes(k)) throw usage("invalid_argument", `${where}.${k}`, shown(k), `one of the fields ${SOURCE_KEYS.join(", ")}`);
  }
  const name = argString(`${where}.name`, o["name"]);
  const rows = argArray(`${where}.rows`, o["rows"], "an array of rows: objects of column names to values, or arrays of values in header order");
  const headers = o["headers"];
  if (headers !== undefined) {
    argArray(`${where}.headers`, headers, "an array of column names").forEach((h, j) => argString(`${where}.headers[${j}]`, h));
  }
  const columns = o["columns"];
  const mapping = typeof columns === "string" ? JSON.stringify(columns) : argMapping(`${where}.columns`, columns);
  const date = argDate(`${where}.date`, o["date"]);
  const rowsJson = reading(
    () => `${where}.rows`,
    () => JSON.stringify(rows, cellJson),
  );
  const head = JSON.stringify({ name, headers, date });
  return `${head.slice(0, -1)},"rows":${rowsJson}${mapping === undefined ? "" : `,"columns":${mapping}`}}`;
}

/** Cells as JSON: what JSON cannot carry as the value it is (BigInt, infinities, an invalid
 * Date, functions) as a value the core reads, never silently as nothing (`null`). A valid Date
 * is its ISO text, whose date part the core reads as the date. */
function cellJson(this: unknown, key: string, v: unknown): unknown {
  switch (typeof v) {
    case "bigint":
      return Number(v);
    case "number":
      return Number.isFinite(v) || Number.isNaN(v) ? v : String(v);
    case "function":
    case "symbol":
      return `<${typeof v}>`;
    default:
      if (v === null && (this as Record<string, unknown>)[key] instanceof Date) return String((this as Record<string, unknown>)[key]);
      return v;
  }
}

/** JSON text of an argument; values JSON cannot carry (BigInt, cycles) are a usage error. */
function jsonOf(name: string, v: unknown): string {
  try {
    return JSON.stringify(v) ?? "null";
  } catch (e) {
    throw usage("invalid_argument", name, JSON.stringify(String(e instanceof Error ? e.message : e)), "plain JSON data");
  }
}

/**
 * The standard signals with their kinds and ranges.
 *
 * ```js
 * import { standardSignals } from "advocacy-wasm";
 * standardSignals()[0]; // {"name":"nps","kind":"integer","min":0,"max":10,"description":"latest Net Promoter Score answer; 9-10 = promoter"}
 * ```
 */
export function standardSignals(): SignalSpec[] {
  ready();
  return JSON.parse(raw.standardSignals()) as SignalSpec[];
}

/**
 * The tiers, best first (index = the tier's code in `BatchResult.tierCode`): the core's list,
 * filled when the module is loaded (on import in Node, by `init()` in browsers).
 *
 * ```js
 * import { tiers } from "advocacy-wasm";
 * tiers; // ["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"]
 * ```
 */
export const tiers: readonly Tier[] = tierNames;



