// The package's errors, shared by the scoring API (api.ts) and the program API (program.ts)
// without importing either WebAssembly module: a bundle of one entry point holds only its own.

import type { ErrorEnvelope, ErrorKind, ModelErrorKind, ProgramErrorKind, RecordErrorKind } from "./generated/types.js";

/** A type that accepts the JSON form of `T`: every text-valued field (enumerations included)
 * takes any string and every array may be readonly, so `JSON.parse` output and object literals
 * without annotations type-check. Keys stay as `T` has them. The core checks enumerated values
 * at run time (the error names the path, the value and the allowed values). */
export type Json<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? readonly Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** The codes of arguments the JS API cannot take (`type: "usage"`). */
export type UsageErrorCode =
  | "invalid_column"
  | "invalid_argument"
  | "not_initialised"
  | "no_accounts"
  | "freed"
  | "internal";

/** Every error code: the core's record, model and program codes, its column and date codes, and
 * the usage codes. */
export type AdvocacyErrorCode =
  | RecordErrorKind
  | ModelErrorKind
  | ProgramErrorKind
  | "column_length"
  | "invalid_date"
  | UsageErrorCode;

const KINDS: readonly string[] = ["record", "model", "column", "date", "program", "usage"];

/**
 * Thrown for every bad input: the core's `ErrorEnvelope`, field by field.
 *
 * ```js
 * import { Model, AdvocacyError } from "advocacy-wasm";
 * let error;
 * try {
 *   Model.default().score({ id: "acme", nps: 11 });
 * } catch (e) {
 *   if (e instanceof AdvocacyError) error = e;
 * }
 * [error.type, error.code, error.signal, error.value, error.allowed]; // ["record", "out_of_range", "nps", "11", "an integer from 0 to 10"]
 * error.id; // "acme"
 * ```
 */
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

  /**
   * An error from an envelope (the core's, or one listed in `BatchResult.errors`).
   *
   * ```js
   * import { Model, AdvocacyError } from "advocacy-wasm";
   * const batch = Model.default().scoreBatch([{ id: "a", nps: 9 }, { id: "b", nps: 11 }], { onError: "flag" });
   * const error = new AdvocacyError(batch.errors[0]);
   * [error.row, error.id, error.code]; // [1, "b", "out_of_range"]
   * ```
   */
  constructor(envelope: ErrorEnvelope) {
    const e = envelope as unknown;
    const ok =
      isPlainObject(e) &&
      typeof e["message"] === "string" &&
      typeof e["code"] === "string" &&
      typeof e["type"] === "string" &&
      KINDS.includes(e["type"]);
    const env: ErrorEnvelope = ok
      ? envelope
      : usageEnvelope("invalid_argument", "envelope", shown(e), "an ErrorEnvelope: { type, code, message, ... }");
    super(env.message);
    this.type = env.type;
    this.kind = env.type;
    this.code = env.code as AdvocacyErrorCode;
    this.path = env.path ?? null;
    this.row = env.row ?? null;
    this.id = env.id ?? null;
    this.signal = env.signal ?? null;
    this.value = env.value ?? null;
    this.allowed = env.allowed ?? null;
    if (!ok) throw new AdvocacyError(env);
  }

  /**
   * Column errors: the column (the envelope's `signal`); null for other errors.
   *
   * ```js
   * import { Model } from "advocacy-wasm";
   * try {
   *   Model.default().scoreColumns({ nps: [9, 10], health_score: [80] });
   * } catch (e) {
   *   e.code; // "column_length"
   *   e.column; // "health_score"
   * }
   * ```
   */
  get column(): string | null {
    return this.type === "column" ? this.signal : null;
  }

  /**
   * The envelope (what a batch lists per flagged row); `JSON.stringify(error)` writes it.
   *
   * ```js
   * import { AdvocacyError } from "advocacy-wasm";
   * const e = new AdvocacyError({ type: "usage", code: "internal", message: "m" });
   * e.toJSON(); // {"type":"usage","code":"internal","path":null,"row":null,"id":null,"signal":null,"value":null,"allowed":null,"message":"m"}
   * ```
   */
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

let coreUsage: ((code: string, argument: string, value: string, allowed: string) => string) | undefined;

/** @internal The scoring entry hands over the core's `ErrorEnvelope::usage` once it is loaded. */
export function _setCoreUsage(f: (code: string, argument: string, value: string, allowed: string) => string): void {
  coreUsage = f;
}

/** @internal `ErrorEnvelope::usage` as the core writes it; written out here only while no module
 * is loaded to write it (tests/api.test.mjs checks the two agree). */
export function _usageEnvelope(code: UsageErrorCode, argument: string, value: string, allowed: string): ErrorEnvelope {
  if (coreUsage !== undefined) return JSON.parse(coreUsage(code, argument, value, allowed)) as ErrorEnvelope;
  return {
    type: "usage",
    code,
    path: argument === "" ? null : argument,
    row: null,
    id: null,
    signal: null,
    value,
    allowed,
    message: `argument \`${argument}\`: value ${value} is not allowed; allowed: ${allowed}`,
  };
}
/** @internal */
export const usageEnvelope = _usageEnvelope;

/** An argument the API cannot take: the core's usage envelope (`ErrorEnvelope::usage`). */
/** @internal */
export function usage(code: UsageErrorCode, argument: string, value: string, allowed: string): AdvocacyError {
  return new AdvocacyError(usageEnvelope(code, argument, value, allowed));
}

/** @internal */
export function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return Object.prototype.toString.call(v) === "[object Object]";
}

/** @internal A value as a usage error shows it. */
export function shown(v: unknown): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
    case "number":
    case "boolean":
    case "undefined":
      return String(v);
    case "bigint":
      return `${String(v)}n`;
    case "symbol":
      return v.toString();
    case "function":
      return "a function";
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return "an array";
      if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? "an invalid Date" : "a Date";
      return isPlainObject(v) ? "an object" : `a ${Object.prototype.toString.call(v).slice(8, -1)}`;
  }
}

/** @internal Checks what `init` may load from: `undefined`, a URL or its text, a `Request` or
 * `Response`, bytes, a compiled module, or a promise of one of them. */
export function _checkInitInput(name: string, input: unknown, sync: boolean): void {
  if (!sync && (input === undefined || typeof input === "string" || input instanceof URL)) return;
  if (!sync && typeof input === "object" && input !== null && typeof (input as { then?: unknown }).then === "function") return;
  if (!sync && typeof Request === "function" && input instanceof Request) return;
  if (!sync && typeof Response === "function" && input instanceof Response) return;
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input) || input instanceof WebAssembly.Module) return;
  const allowed = sync
    ? "the module's bytes (an ArrayBuffer or typed array) or a WebAssembly.Module"
    : "undefined, a URL (or its text), a Request, a Response, the module's bytes, a WebAssembly.Module or a promise of one";
  throw usage("invalid_argument", name, shown(input), allowed);
}
