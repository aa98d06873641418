// Browser / bundler entry: `await init()` once, then use the API.
import rawInit, { initSync as rawInitSync } from "./advocacy_wasm.js";
import type { InitInput } from "./advocacy_wasm.js";
import { _checkInitInput, _setExports } from "./api.js";

export * from "./api.js";

let loading: Promise<void> | undefined;

/** Loads the WebAssembly module (by default from next to this file; bundlers rewrite the URL).
 * Safe to call more than once. */
export function init(input?: InitInput | Promise<InitInput>): Promise<void> {
  _checkInitInput("input", input, false);
  loading ??= rawInit(input === undefined ? undefined : { module_or_path: input }).then(_setExports);
  return loading;
}

/** Loads the module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module: BufferSource | WebAssembly.Module): void {
  _checkInitInput("module", module, true);
  _setExports(rawInitSync({ module }));
  loading = Promise.resolve();
}
