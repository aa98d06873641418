// Node entry of `advocacy-wasm/program`: the program module is read and compiled synchronously
// on its first use (or by `init()`); everything else is program.ts.
import { readFileSync } from "node:fs";
import { initSync as rawInitSync } from "./advocacy_program.js";
import { _checkInitInput } from "./errors.js";
import { _ready, _setProgramLoader } from "./program.js";

export * from "./program.js";

_setProgramLoader(() => rawInitSync({ module: readFileSync(new URL("./advocacy_program_bg.wasm", import.meta.url)) }));

/**
 * Loads the program module now (Node loads it on the first program call anyway); kept so the
 * same code runs in the browser. An `input` is checked like the browser's and not needed.
 *
 * ```js
 * import { init, fatigue } from "advocacy-wasm/program";
 * await init();
 * fatigue({ account: "acme", as_of: "2026-04-01", ledger: [] }).resting; // false
 * ```
 */
export function init(input?: unknown): Promise<void> {
  _checkInitInput("input", input, false);
  _ready();
  return Promise.resolve();
}

/**
 * Loads the program module now; in Node the module is read from the package, so `module` is
 * checked like the browser's and not needed.
 *
 * ```js
 * import { readFileSync } from "node:fs";
 * import { initSync, segments } from "advocacy-wasm/program";
 * initSync(readFileSync(new URL("advocacy_program_bg.wasm", import.meta.resolve("advocacy-wasm/program"))));
 * segments({ accounts: [] }).results; // []
 * ```
 */
export function initSync(module: BufferSource | WebAssembly.Module): void {
  _checkInitInput("module", module, true);
  _ready();
}
