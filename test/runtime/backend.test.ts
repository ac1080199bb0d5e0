// The backend selection (src/runtime/backend.ts): tfjs-node is optional, and asking for it when it
// is not installed says what to install, in the product's own words.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { BackendError, initBackend } from "../../src/runtime/backend.js";

const installed = ((): boolean => {
  try {
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-node");
    return true;
  } catch {
    return false;
  }
})();

describe("the tensorflow backend", () => {
  it(
    installed
      ? "starts when tfjs-node is installed"
      : "says what to install when tfjs-node is missing",
    async () => {
      const started = initBackend("tensorflow");
      if (installed) {
        await expect(started).resolves.toBe("tensorflow");
        return;
      }
      await expect(started).rejects.toThrow(BackendError);
      await expect(started).rejects.toThrow(
        "the tensorflow backend needs @tensorflow/tfjs-node, which is not installed: run `npm install @tensorflow/tfjs-node` (its install script downloads a prebuilt libtensorflow), or use --backend wasm",
      );
      await expect(started).rejects.not.toThrow(/machines/);
    },
  );
});
