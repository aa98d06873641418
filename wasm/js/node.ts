// Node entry: the module is loaded synchronously on import; `init()` and `initSync()` exist for
// code shared with the browser. The program API is the separate entry `advocacy-wasm/program`.
import { readFileSync } from "node:fs";
import { initSync as rawInitSync } from "./advocacy_wasm.js";
import { _checkInitInput, _setExports } from "./api.js";

export * from "./api.js";

_setExports(rawInitSync({ module: readFileSync(new URL("./advocacy_wasm_bg.wasm", import.meta.url)) }));

/**
 * Already done on import in Node; kept so the same code runs in the browser (an `input` is
 * checked like the browser's and not needed).
 *
 * ```js
 * import { init, Model } from "advocacy-wasm";
 * await init();
 * Model.default().score({ id: "acme", nps: 9 }).total; // 10
 * ```
 */
export function init(input?: unknown): Promise<void> {
  _checkInitInput("input", input, false);
  return Promise.resolve();
}

/**
 * Already done on import in Node; kept so the same code runs in the browser (`module` is checked
 * like the browser's; the package's own module stays loaded).
 *
 * ```js
 * import { readFileSync } from "node:fs";
 * import { initSync, tiers } from "advocacy-wasm";
 * initSync(readFileSync(new URL("advocacy_wasm_bg.wasm", import.meta.resolve("advocacy-wasm"))));
 * tiers[0]; // "platinum"
 * ```
 */
export function initSync(module: BufferSource | WebAssembly.Module): void {
  _checkInitInput("module", module, true);
}
