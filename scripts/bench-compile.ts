// Measures `vae compile` time per example after start-up: module loading excluded, first (cold)
// call and the median of 50 warm calls, each parse → check → IR → schema validation → JSON.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import { compile } from "../src/compiler/driver.js";
import { examplesDir, vaeFiles } from "../test/golden/golden.js";

const rows: string[] = [];
let worst = 0;
for (const file of vaeFiles(examplesDir)) {
  const text = readFileSync(file, "utf8");
  const once = (): number => {
    const t0 = performance.now();
    const r = compile(text, file);
    JSON.stringify(r.models[0]);
    return performance.now() - t0;
  };
  const cold = once();
  const warm = Array.from({ length: 50 }, once).sort((a, b) => a - b)[25]!;
  worst = Math.max(worst, cold);
  rows.push(`| ${basename(file)} | ${cold.toFixed(2)} | ${warm.toFixed(3)} |`);
}
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
console.log("| example | first call (ms) | median of 50 (ms) |\n|---|---|---|");
console.log(rows.join("\n"));
console.log(`slowest first call: ${worst.toFixed(2)} ms (budget 100 ms)`);
