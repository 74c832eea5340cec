// Orbit Studio's build. `npm run dev` serves the UI on 127.0.0.1:5173 and forwards /v1 to the
// control plane at ORBIT_API_URL (default http://127.0.0.1:8090), so that the session cookie
// stays same-origin as it is when orbit-controlplane serves studio/dist itself.
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

const api = process.env.ORBIT_API_URL ?? "http://127.0.0.1:8090";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/v1": { target: api, changeOrigin: false } },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    css: false,
    // ctest runs these next to builds on a shared machine: generous limits, the tests wait on
    // conditions (findBy…/waitFor), never on fixed delays.
    testTimeout: 30_000,
  },
});
