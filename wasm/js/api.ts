// The public API of the `advocacy-wasm` package: a thin layer over the wasm-bindgen exports.
//
// It converts JS values (records, arrays, typed arrays) into what the core reads and turns the
// core's results and errors into plain JS objects and `AdvocacyError`s. It decides nothing about
// scoring: validation, points, tiers, gates, ranking, model edits and CSV cell parsing all happen
// in advocacy-core. The types of everything the core returns are generated from its JSON Schemas
// (generated/types.ts, see scripts/gen-types.mjs).

import * as raw from "./advocacy_wasm.js";
import type {
  ErrorEnvelope,
  ErrorKind,
  MissingPolicy,
  ModelErrorKind,
  ModelSpec,
  OnError,
  ProgramErrorKind,
  RecordErrorKind,
  Score,
  SignalSpec,
  Signals,
  Targets,
  Thresholds,
  Tier,
  Value,
  Warning,
} from "./generated/types.js";

/** Every core and program type (models, scores, signals, errors, program inputs and outputs). */
export type * from "./generated/types.js";

/** One account: the standard signals (typed), plus any signals of the model's own. `id` is the account id. */
export type AccountRecord = Signals & { [signal: string]: Value | undefined };

/** The codes of arguments the JS API cannot take (`type: "usage"`). */
export type UsageErrorCode = "invalid_column" | "invalid_argument" | "not_initialised" | "internal";

/** Every error code: the core's record, model and program codes, its column and date codes, and
 * the usage codes. */
export type AdvocacyErrorCode =
  | RecordErrorKind
  | ModelErrorKind
  | ProgramErrorKind
  | "column_length"
  | "invalid_date"
  | UsageErrorCode;

/** Thrown for every bad input: the core's `ErrorEnvelope`, field by field. */
export class AdvocacyError extends Error {
  override readonly name = "AdvocacyError";
  /** What the error is about: record, model, column, date, program or usage (the envelope's `type`). */
  readonly type: ErrorKind;
  /** The same as `type` (the envelope's field is `kind` in Rust). */
  readonly kind: ErrorKind;
  /** A stable code within the kind (`out_of_range`, `unknown_signal`, `invalid_date`, ...). */
  readonly code: AdvocacyErrorCode;
  /** The config path (model and program errors) or the argument (usage errors). */
  readonly path: string | null;
  /** The row in a batch. */
  readonly row: number | null;
  /** The account id. */
  readonly id: string | null;
  /** The signal (record errors) or the column (column errors). */
  readonly signal: string | null;
  /** The value seen, as text. */
  readonly value: string | null;
  /** What is allowed there. */
  readonly allowed: string | null;

  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.type = envelope.type;
    this.kind = envelope.type;
    this.code = envelope.code as AdvocacyErrorCode;
    this.path = envelope.path ?? null;
    this.row = envelope.row ?? null;
    this.id = envelope.id ?? null;
    this.signal = envelope.signal ?? null;
    this.value = envelope.value ?? null;
    this.allowed = envelope.allowed ?? null;
  }

  /** Column errors: the column (the envelope's `signal`); null for other errors. */
  get column(): string | null {
    return this.type === "column" ? this.signal : null;
  }

  /** The envelope (what a batch lists per flagged row). */
  toJSON(): ErrorEnvelope {
    return {
      type: this.type,
      code: this.code,
      path: this.path,
      row: this.row,
      id: this.id,
      signal: this.signal,
      value: this.value,
      allowed: this.allowed,
      message: this.message,
    };
  }
}

/** @internal Whether a thrown value is an envelope from the WebAssembly module. */
export function _isEnvelope(e: unknown): e is ErrorEnvelope {
  return typeof e === "object" && e !== null && !(e instanceof Error) && "type" in e && "code" in e && "message" in e;
}

function rethrow(e: unknown): never {
  if (_isEnvelope(e)) throw new AdvocacyError(e);
  throw e;
}

/** An argument the API cannot take: the core's usage envelope (`ErrorEnvelope::usage`). */
function usage(code: UsageErrorCode, argument: string, value: string, allowed: string): AdvocacyError {
  return new AdvocacyError(JSON.parse(raw.usageError(code, argument, value, allowed)) as ErrorEnvelope);
}

// ---------------------------------------------------------------------------------------------
// Initialisation: the entry points (web.ts, node.ts) hand over the instantiated module.

let exportsRef: raw.InitOutput | undefined;
const tierNames: Tier[] = [];

/** @internal */
export function _setExports(e: raw.InitOutput): void {
  exportsRef = e;
  tierNames.splice(0, tierNames.length, ...(raw.tierNames() as Tier[]));
}

/** @internal `ErrorEnvelope::usage("not_initialised", ...)` as the core writes it, written out
 * because there is no module yet to build it (tests/api.test.mjs checks it against the core's). */
export const _NOT_INITIALISED: ErrorEnvelope = {
  type: "usage",
  code: "not_initialised",
  path: "init",
  row: null,
  id: null,
  signal: null,
  value: "the WebAssembly module is not loaded",
  allowed: "`await init()` before the first call",
  message:
    "argument `init`: value the WebAssembly module is not loaded is not allowed; allowed: `await init()` before the first call",
};

function ready(): void {
  if (exportsRef === undefined) throw new AdvocacyError(_NOT_INITIALISED);
}

/** Bytes of WebAssembly memory in use by the module (for leak checks). */
export function wasmMemoryBytes(): number {
  ready();
  return exportsRef ? exportsRef.memory.buffer.byteLength : 0;
}

// ---------------------------------------------------------------------------------------------
// Columns

/** A column of a batch: typed arrays (NaN = missing), arrays of numbers, booleans or strings
 * (null/undefined = missing), mixed arrays (checked value by value), or a dictionary. */
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
  valid?: Uint8Array;
}

/** Named columns of equal length: standard signals (typed) and signals of the model's own. */
export type ColumnsInput = { [K in Exclude<keyof Signals, "id">]?: ColumnInput } & {
  [signal: string]: ColumnInput | undefined;
};

export interface BatchOptions {
  /** What to do with a row that has a bad value: fail the batch (default), or flag the row. */
  onError?: OnError;
}

export interface ColumnsOptions extends BatchOptions {
  /** Account ids, used in error reports (default: an `id` column, if any). */
  ids?: readonly (string | number | null | undefined)[];
}

/** A flagged row's error: the core's envelope of a record error, which always has its row. */
export type RowError = ErrorEnvelope & { type: "record"; code: RecordErrorKind; row: number };

/** Results of a batch, as columns (row i of every array is account i). */
export interface BatchResult {
  readonly length: number;
  /** Totals on the model's scale; NaN for flagged rows. */
  readonly total: Float64Array;
  /** Tiers after gates; null for flagged rows. */
  readonly tier: (Tier | null)[];
  /** Tier codes: 0 platinum, 1 gold, 2 silver, 3 not yet qualified, 4 not advocate material, 255 flagged. */
  readonly tierCode: Uint8Array;
  /** Category ids, in model order. */
  readonly categoryIds: string[];
  /** Points per category per row (not rescaled); NaN for flagged rows. */
  readonly categories: Record<string, Float64Array>;
  /** Share of the model's points whose signals were present (0..1). */
  readonly completeness: Float64Array;
  /** The highest total each row could reach once its missing signals are known. */
  readonly maxPossible: Float64Array;
  /** One error per flagged row, by row. */
  readonly errors: RowError[];
  /** Model warnings (e.g. no target industries set). */
  readonly warnings: Warning[];
  /** Row indices best first: total descending, ties in input order, flagged rows last. */
  ranking(): Uint32Array;
  /** How many rows landed in each tier. */
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
  /** As-of date for revisit dates (YYYY-MM-DD or a Date). */
  asOf?: string | Date;
}

function isTyped(c: unknown): c is ArrayBufferView & ArrayLike<number> {
  return ArrayBuffer.isView(c) && !(c instanceof DataView);
}

function addDictionary(
  batch: raw.ColumnBatch,
  name: string,
  keys: Uint32Array,
  values: readonly string[],
  valid: Uint8Array | undefined,
): void {
  const lens = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) lens[i] = values[i].length;
  batch.addDictionary(name, keys, values.join(""), lens, valid);
}

function columnLength(name: string, c: unknown): number {
  if (Array.isArray(c) || isTyped(c)) return c.length;
  if (typeof c === "object" && c !== null && "keys" in c) {
    const keys = (c as DictionaryColumn).keys;
    if (Array.isArray(keys) || keys instanceof Uint32Array) return keys.length;
  }
  throw usage("invalid_column", `columns.${name}`, typeof c, "an array, a typed array or a dictionary column");
}

/** One column gathered from record objects: numbers straight into a Float64Array (NaN =
 * missing) while every value is a number; anything else switches it to a plain array. */
class Gather {
  numbers: Float64Array | null;
  values: unknown[] | null = null;
  constructor(n: number) {
    this.numbers = new Float64Array(n).fill(NaN);
  }
  set(i: number, v: unknown): void {
    const nums = this.numbers;
    if (nums !== null) {
      if (typeof v === "number") {
        nums[i] = v;
        return;
      }
      if (v === null || v === undefined) return;
      // First non-number: keep what was gathered as plain values (NaN was missing either way).
      const vals = new Array<unknown>(nums.length).fill(undefined);
      for (let j = 0; j < nums.length; j++) if (!Number.isNaN(nums[j])) vals[j] = nums[j];
      this.values = vals;
      this.numbers = null;
    }
    (this.values as unknown[])[i] = v;
  }
}

/** Adds one column, choosing the cheapest exact encoding for what the array holds. */
function addColumn(batch: raw.ColumnBatch, name: string, col: ColumnInput): void {
  if (col instanceof Float64Array) return batch.addFloat(name, col);
  if (col instanceof BigInt64Array) return batch.addInt(name, col, undefined);
  if (isTyped(col)) return batch.addFloat(name, Float64Array.from(col));
  if (!Array.isArray(col)) {
    if (typeof col === "object" && col !== null && "keys" in col && "values" in col) {
      const d = col as DictionaryColumn;
      const keys = d.keys instanceof Uint32Array ? d.keys : Uint32Array.from(d.keys);
      return addDictionary(batch, name, keys, d.values, d.valid);
    }
    throw usage("invalid_column", `columns.${name}`, typeof col, "an array, a typed array or a dictionary column");
  }
  const arr = col as readonly unknown[];
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
    batch.addValues(name, Array.from(arr));
  } else if (nStr > 0) {
    const keys = new Uint32Array(n);
    const valid = nMissing > 0 ? new Uint8Array(n) : undefined;
    const index = new Map<string, number>();
    const values: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = arr[i] as string | null | undefined;
      if (v === null || v === undefined) continue;
      let k = index.get(v);
      if (k === undefined) {
        k = values.length;
        index.set(v, k);
        values.push(v);
      }
      keys[i] = k;
      if (valid) valid[i] = 1;
    }
    addDictionary(batch, name, keys, values, valid);
  } else if (nBool > 0) {
    const values = new Uint8Array(n);
    const valid = nMissing > 0 ? new Uint8Array(n) : undefined;
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (v === null || v === undefined) continue;
      values[i] = v === true ? 1 : 0;
      if (valid) valid[i] = 1;
    }
    batch.addBool(name, values, valid);
  } else {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = arr[i] as number | null | undefined;
      values[i] = v === null || v === undefined ? NaN : v;
    }
    batch.addFloat(name, values);
  }
}

/** An as-of date as text: a `Date` as its UTC day (an invalid one as its text, which the core rejects). */
function dateText(asOf: string | Date | undefined): string | undefined {
  if (asOf === undefined) return undefined;
  if (asOf instanceof Date) return Number.isNaN(asOf.getTime()) ? String(asOf) : asOf.toISOString().slice(0, 10);
  return asOf;
}

/** Scores the batch; when rows are flagged and ids exist, scores again with the ids so the core
 * names the accounts in its errors (ids cost a string column, so only bad batches pay for it). */
function runBatch(
  m: raw.WasmModel,
  batch: raw.ColumnBatch,
  flag: boolean,
  getIds: () => readonly unknown[] | undefined,
): raw.BatchOut {
  let first: raw.BatchOut | undefined;
  let failure: unknown;
  try {
    first = m.scoreColumns(batch, flag);
    if (first.errorCount() === 0) return first;
  } catch (e) {
    if (!_isEnvelope(e) || e.type !== "record") throw e;
    failure = e;
  }
  const ids = getIds();
  if (ids === undefined || !ids.some((v) => v !== null && v !== undefined)) {
    if (first !== undefined) return first;
    throw failure;
  }
  first?.free();
  addColumn(batch, "id", ids as ColumnInput);
  return m.scoreColumns(batch, flag);
}

function buildResult(out: raw.BatchOut): BatchResult {
  const total = out.total();
  const tierCode = out.tierCodes();
  const categoryIds = out.categoryIds();
  const categories: Record<string, Float64Array> = {};
  categoryIds.forEach((id, k) => {
    categories[id] = out.category(k);
  });
  const completeness = out.completeness();
  const maxPossible = out.maxPossible();
  const errors = JSON.parse(out.errors()) as RowError[];
  const warnings = JSON.parse(out.warnings()) as Warning[];
  let tier: (Tier | null)[] | undefined;
  let ranking: Uint32Array | undefined;
  return {
    length: total.length,
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
    categoryIds,
    categories,
    completeness,
    maxPossible,
    errors,
    warnings,
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

/** An advocacy scoring model. Immutable: every `with*` method returns a new model. */
export class Model {
  #raw: raw.WasmModel;
  #known: Set<string> | undefined;

  private constructor(r: raw.WasmModel) {
    this.#raw = r;
    registry?.register(this, r, this);
  }

  /** The 100-point advocacy potential model. */
  static default(): Model {
    ready();
    return new Model(raw.WasmModel.defaultModel());
  }

  /** Reads and checks a model from JSON text. Throws `AdvocacyError` (type "model") with the config path. */
  static fromJson(text: string): Model {
    ready();
    try {
      return new Model(raw.WasmModel.fromJson(text));
    } catch (e) {
      rethrow(e);
    }
  }

  /** Reads and checks a model from an object (the shape of `toObject()`). */
  static fromObject(spec: ModelSpec): Model {
    return Model.fromJson(JSON.stringify(spec));
  }

  /** The model as JSON text; `fromJson` reads it back unchanged. */
  toJson(): string {
    return this.#raw.toJson();
  }

  /** The model as a plain object. */
  toObject(): ModelSpec {
    return JSON.parse(this.#raw.toJson()) as ModelSpec;
  }

  /** The model's name. */
  get name(): string {
    return this.#raw.name();
  }

  /** The most points an account can earn. */
  get maxPoints(): number {
    return this.#raw.maxPoints();
  }

  /** Warnings about the model itself (e.g. no target industries set). */
  get warnings(): Warning[] {
    return JSON.parse(this.#raw.warnings()) as Warning[];
  }

  /** Every signal the model knows: its own declarations, then the standard ones. */
  knownSignals(): string[] {
    return this.#raw.knownSignals();
  }

  /** A copy with top-level fields replaced (checked like `fromJson`). */
  with(patch: Partial<ModelSpec>): Model {
    return Model.fromObject({ ...this.toObject(), ...patch });
  }

  /** A copy with the given target lists replaced (the others kept): the core's `with_targets`. */
  withTargets(targets: Partial<Targets>): Model {
    return this.#edit(() => this.#raw.withTargets(targets));
  }

  /** A copy with another missing-data policy: the core's `with_missing`. */
  withMissing(missing: MissingPolicy): Model {
    return this.#edit(() => this.#raw.withMissing(missing));
  }

  /** A copy with other tier thresholds (the others kept): the core's `with_tiers`. */
  withThresholds(tiers: Partial<Thresholds>): Model {
    return this.#edit(() => this.#raw.withTiers(tiers));
  }

  /** A copy where criterion `criterionId` is worth `points`: the core's `with_points`. */
  withPoints(criterionId: string, points: number): Model {
    return this.#edit(() => this.#raw.withPoints(criterionId, points));
  }

  #edit(edit: () => raw.WasmModel): Model {
    try {
      return new Model(edit());
    } catch (e) {
      rethrow(e);
    }
  }

  /** Scores one account and explains the result (exactly the core's `Score`). */
  score(record: AccountRecord, asOf?: string | Date): Score {
    try {
      return JSON.parse(this.#raw.score(record, dateText(asOf))) as Score;
    } catch (e) {
      rethrow(e);
    }
  }

  #knownSet(): Set<string> {
    this.#known ??= new Set(this.#raw.knownSignals());
    return this.#known;
  }

  /** Scores an array of account objects as one columnar batch. */
  scoreBatch(records: readonly AccountRecord[], options: BatchOptions = {}): BatchResult {
    if (!Array.isArray(records)) {
      throw usage("invalid_argument", "records", typeof records, "an array of account objects");
    }
    const known = this.#knownSet();
    const n = records.length;
    const cols = new Map<string, Gather>();
    const notRecords: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = records[i] as unknown;
      if (r === null || typeof r !== "object" || Array.isArray(r)) {
        notRecords.push(i);
        continue;
      }
      const obj = r as Record<string, unknown>;
      // for-in is the fastest walk over many small objects; only own keys count (as in score()).
      for (const k in obj) {
        let c = cols.get(k);
        if (c === undefined) {
          if (!known.has(k) || !Object.hasOwn(obj, k)) continue;
          c = new Gather(n);
          cols.set(k, c);
        }
        c.set(i, obj[k]);
      }
    }
    const batch = new raw.ColumnBatch(n);
    try {
      for (const [name, col] of cols) {
        if (col.numbers !== null) batch.addFloat(name, col.numbers);
        else addColumn(batch, name, col.values as ColumnInput);
      }
      for (const i of notRecords) batch.flagNotARecord(i, records[i]);
      const out = runBatch(this.#raw, batch, options.onError === "flag", () =>
        records.map((r) => (r !== null && typeof r === "object" && !Array.isArray(r) ? r.id : undefined)),
      );
      try {
        return buildResult(out);
      } finally {
        out.free();
      }
    } catch (e) {
      rethrow(e);
    } finally {
      batch.free();
    }
  }

  /** The columnar fast path: named columns of equal length (typed arrays are fastest). */
  scoreColumns(columns: ColumnsInput, options: ColumnsOptions = {}): BatchResult {
    if (typeof columns !== "object" || columns === null) {
      throw usage("invalid_argument", "columns", typeof columns, "an object of named columns");
    }
    const known = this.#knownSet();
    const names = Object.keys(columns).filter((k) => columns[k] !== undefined);
    let n = 0;
    for (const k of names) n = Math.max(n, columnLength(k, columns[k]));
    const batch = new raw.ColumnBatch(n);
    try {
      for (const k of names) {
        if (!known.has(k) || k === "id") continue;
        addColumn(batch, k, columns[k] as ColumnInput);
      }
      // Ids: `options.ids`, or an `id` column among the columns.
      const idCol = columns["id"];
      const ids = options.ids ?? (Array.isArray(idCol) ? (idCol as readonly unknown[]) : undefined);
      if (ids !== undefined) batch.checkLength("id", ids.length);
      const out = runBatch(this.#raw, batch, options.onError === "flag", () => ids);
      try {
        return buildResult(out);
      } finally {
        out.free();
      }
    } catch (e) {
      rethrow(e);
    } finally {
      batch.free();
    }
  }

  /** The best `top` accounts, best first, each with its full explanation. Flagged rows are left out. */
  rank(records: readonly AccountRecord[], top: number = Infinity, options: RankOptions = {}): RankedAccount[] {
    const result = this.scoreBatch(records, options);
    const order = result.ranking();
    const out: RankedAccount[] = [];
    for (const row of order) {
      if (out.length >= top) break;
      if (Number.isNaN(result.total[row])) continue;
      out.push({ rank: out.length + 1, row, score: this.score(records[row], options.asOf) });
    }
    return out;
  }

  /** Records from a CSV's text cells, read the way the `advocacy` CLI reads a CSV: headers
   * trimmed, the id column's cell is the id, every known signal's cell parsed by the core
   * (empty, NA, null are missing; yes/no/true/false/1/0 for booleans), other columns ignored. */
  recordsFromCells(header: readonly string[], rows: readonly (readonly string[])[], idColumn = "id"): AccountRecord[] {
    const width = header.length;
    const cells: string[] = [];
    for (const row of rows) {
      for (let j = 0; j < width; j++) cells.push(row[j] ?? "");
    }
    const lens = new Uint32Array(cells.length);
    for (let i = 0; i < cells.length; i++) lens[i] = cells[i].length;
    try {
      return this.#raw.recordsFromCells(Array.from(header), cells.join(""), lens, idColumn) as AccountRecord[];
    } catch (e) {
      rethrow(e);
    }
  }

  /** Frees the model's WebAssembly memory now (otherwise a finalizer does it later). */
  free(): void {
    registry?.unregister(this);
    this.#raw.free();
  }
}

/** The standard signals with their kinds and ranges. */
export function standardSignals(): SignalSpec[] {
  ready();
  return JSON.parse(raw.standardSignals()) as SignalSpec[];
}

/** The tiers, best first (index = the tier's code in `BatchResult.tierCode`): the core's list,
 * filled when the module is loaded (on import in Node, by `init()` in browsers). */
export const tiers: readonly Tier[] = tierNames;

/** Running the advocacy program: segments, overrides, eligibility, fatigue, matching, review, metrics. */
export * as program from "./program.js";
