// Test runner configuration: tests live in test/, mirroring src/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    setupFiles: ["test/setup.ts"],
  },
});
