// Two apps from one config: `vite build` bundles score.html (the scoring API only) into
// dist/score, `vite build --mode program` bundles program.html (the program entry) into
// dist/program. wasm/tests/bundle.mjs checks what each bundle contains.
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig(({ mode }) => {
  const app = mode === "program" ? "program" : "score";
  return {
    logLevel: "warn",
    build: {
      outDir: `dist/${app}`,
      emptyOutDir: true,
      target: "es2022",
      rollupOptions: { input: resolve(import.meta.dirname, `${app}.html`) },
    },
  };
});
