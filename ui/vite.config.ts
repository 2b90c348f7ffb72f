import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  // Tauri serves the files from its own protocol; relative URLs keep that simple.
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16",
    sourcemap: false,
    // Three pages: the main window, the checkout window that hosts bKash,
    // and the customer display.
    rollupOptions: {
      input: { main: `${root}/index.html`, checkout: `${root}/checkout.html`, customer: `${root}/customer.html` },
    },
  },
  server: { port: 5173, strictPort: true },
  test: {
    root,
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "tests/browser/**/*.test.ts"],
    environment: "node",
    // Browser tests share one built dist and one Chromium; keep them in order.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
