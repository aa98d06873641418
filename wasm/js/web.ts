// Browser / bundler entry: `await init()` once, then use the API. The program API is the
// separate entry `advocacy-wasm/program`, so a bundle of the scoring API never contains it.
import rawInit, { initSync as rawInitSync } from "./advocacy_wasm.js";
import type { InitInput } from "./advocacy_wasm.js";
import { _checkInitInput, _setExports } from "./api.js";

export * from "./api.js";

let loading: Promise<void> | undefined;

/**
 * Loads the WebAssembly module (by default from next to this file; bundlers rewrite the URL).
 * Safe to call more than once.
 *
 * ```js
 * import { init, Model } from "advocacy-wasm";
 * await init(); // or init("/assets/advocacy_wasm_bg.wasm"), init(fetch(url)), init(bytes)
 * Model.default().score({ id: "acme", nps: 9 }).total; // 10
 * ```
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void> {
  _checkInitInput("input", input, false);
  loading ??= rawInit(input === undefined ? undefined : { module_or_path: input }).then(_setExports);
  return loading;
}

/**
 * Loads the module synchronously from its bytes or a compiled `WebAssembly.Module`.
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
  _setExports(rawInitSync({ module }));
  loading = Promise.resolve();
}
