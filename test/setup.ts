// Shared test setup (vitest `setupFiles`): runs before each test file. Runtime tests get tfjs in
// production mode, as the product does (src/runtime/quiet.ts), so tfjs's "install our
// node backend" banner does not print once per file; other tests do not load tfjs at all.
import { expect } from "vitest";

const file = expect.getState().testPath ?? "";
if (/[\\/]test[\\/]runtime[\\/]/.test(file)) {
  const { quietTfjs } = await import("../src/runtime/quiet.js");
  quietTfjs();
}
