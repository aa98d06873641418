import { defineConfig } from "vite";

// The page is static: every account is parsed and scored in the browser.
export default defineConfig({
  base: "./",
  // advocacy-wasm is a local package (file:../pkg) that loads its own .wasm.
  optimizeDeps: { exclude: ["advocacy-wasm"] },
  server: { host: "127.0.0.1", fs: { allow: [".."] } },
  build: { target: "es2022", chunkSizeWarningLimit: 800 },
});
