// Shared test setup (vitest `setupFiles`): runs before each test file. Runtime and engine tests
// (and the optimizer test, which also runs tfjs) get tfjs in production mode, as the product does
// (src/runtime/quiet.ts), so tfjs's "install our node backend" banner does not print once per
// file; other tests do not load tfjs at all.
import { expect } from "vitest";

const file = expect.getState().testPath ?? "";
if (/[\\/]test[\\/](runtime|engines)[\\/]|optimizers\.test/.test(file)) {
  const { quietTfjs } = await import("../src/runtime/quiet.js");
  quietTfjs();
}
