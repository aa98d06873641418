// Node entry: the module is loaded synchronously on import; `init()` exists for code shared with the browser.
import { readFileSync } from "node:fs";
import { initSync as rawInitSync } from "./advocacy_wasm.js";
import { _setExports } from "./api.js";

export * from "./api.js";

_setExports(rawInitSync({ module: readFileSync(new URL("./advocacy_wasm_bg.wasm", import.meta.url)) }));

/** Already done on import in Node; kept so the same code runs in the browser. */
export function init(): Promise<void> {
  return Promise.resolve();
}
