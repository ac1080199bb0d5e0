// Golden-file helpers: what each bad spec must render and what each example's IR must be.
// Regenerate with `npm run golden` after an intended change, then review the diff.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../../src/compiler/driver.js";
import { renderDiagnostics } from "../../src/compiler/diagnostics/render.js";
import { readSource } from "../../src/runtime/io/files.js";

export const goldenDir = fileURLToPath(new URL(".", import.meta.url));
export const badDir = join(goldenDir, "bad");
export const irDir = join(goldenDir, "ir");
export const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));

export function vaeFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".vae"))
    .sort()
    .map((f) => join(dir, f));
}

/** The rendered diagnostics of a bad spec, as `vae check` prints them (file named by basename). */
export function renderBad(path: string): string {
  const text = readSource(path);
  const name = basename(path);
  return renderDiagnostics(compile(text, name).diagnostics, name, text) + "\n";
}

/** The IR of an example, as `vae compile --emit ir` prints it (file named examples/NAME.vae). */
export function exampleIr(path: string): string {
  const text = readFileSync(path, "utf8");
  const result = compile(text, `examples/${basename(path)}`);
  if (result.models.length !== 1) throw new Error(`${path}: expected one model, got diagnostics ${JSON.stringify(result.diagnostics.map((d) => d.code))}`);
  return JSON.stringify(result.models[0], null, 2) + "\n";
}

export const expectedPath = (path: string): string => path.replace(/\.vae$/, ".expected");
export const irPath = (path: string): string => join(irDir, basename(path).replace(/\.vae$/, ".json"));
