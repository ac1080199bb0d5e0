// The vaec library: compile `.vae` text to validated IR, render diagnostics, format specs.
export { compile, type CompileResult } from "./compiler/driver.js";
export {
  renderDiagnostic,
  renderDiagnostics,
} from "./compiler/diagnostics/render.js";
export type { Diagnostic } from "./compiler/diagnostics/diagnostic.js";
export { allMessages, Messages } from "./compiler/diagnostics/catalog.js";
export { formatVae } from "./compiler/format/format.js";
export { validateIr, isIr } from "./ir/validate.js";
export { irSchema } from "./ir/schema.js";
export { summarize } from "./ir/summary.js";
export type * from "./ir/types.js";
