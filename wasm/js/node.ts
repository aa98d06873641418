// Node entry: the module is loaded synchronously on import; `init()` exists for code shared with the browser.
import { readFileSync } from "node:fs";
import { initSync as rawInitSync } from "./advocacy_wasm.js";
import { _checkInitInput, _setExports } from "./api.js";
import { initSync as programInitSync } from "./advocacy_program.js";
import { _setProgramLoader } from "./program.js";

export * from "./api.js";

_setExports(rawInitSync({ module: readFileSync(new URL("./advocacy_wasm_bg.wasm", import.meta.url)) }));
// The program module (advocacy.program) loads on its first use.
_setProgramLoader(() => programInitSync({ module: readFileSync(new URL("./advocacy_program_bg.wasm", import.meta.url)) }));

/** Already done on import in Node; kept so the same code runs in the browser (an `input` is
 * checked like the browser's and not needed). */
export function init(input?: unknown): Promise<void> {
  _checkInitInput("input", input, false);
  return Promise.resolve();
}
