// The compiler fuzzer, nightly size: `npm run fuzz -- --runs 100000 [--seed N]` checks that many
// seeded inputs of every class in test/compiler/fuzz/inputs.ts against the oracle and prints the
// counts; `npm run fuzz -- --scale [--sizes 10000,100000,1000000,10000000]` times compile() on
// pathological inputs of each size. Exits 1 when an input violates the oracle, or when 1 MB of
// garbage takes 2 s or more (--scale; timed in-process, so without Node's start-up).
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { compile } from "../src/compiler/driver.js";
import { renderDiagnostics } from "../src/compiler/diagnostics/render.js";
import { inputClasses } from "../test/compiler/fuzz/inputs.js";
import { checkInput } from "../test/compiler/fuzz/oracle.js";
import { garbage, pathological } from "../test/compiler/fuzz/pathological.js";

interface Tally {
  inputs: number;
  valid: number;
  failed: number;
  maxMs: number;
  totalMs: number;
}

const BATCH = 1000;
const SHOWN_FAILURES = 5;

function fuzz(runs: number, seed: number): boolean {
  const codes = new Map<string, number>();
  const failures: string[] = [];
  const total: Tally = { inputs: 0, valid: 0, failed: 0, maxMs: 0, totalMs: 0 };
  const weights = inputClasses.reduce((s, c) => s + c.weight, 0);
  const t0 = performance.now();
  console.log(
    "| class | inputs | valid specs | failed | max ms | mean ms |\n|---|---|---|---|---|---|",
  );
  inputClasses.forEach((cls, k) => {
    const tally: Tally = {
      inputs: 0,
      valid: 0,
      failed: 0,
      maxMs: 0,
      totalMs: 0,
    };
    const n = Math.round((runs * cls.weight) / weights);
    for (let b = 0; b * BATCH < n; b++) {
      const count = Math.min(BATCH, n - b * BATCH);
      for (const text of fc.sample(cls.arbitrary, {
        seed: seed + k * 100_003 + b,
        numRuns: count,
      })) {
        const v = checkInput(text);
        for (const t of [tally, total]) {
          t.inputs++;
          t.valid += v.valid ? 1 : 0;
          t.failed += v.violations.length > 0 ? 1 : 0;
          t.maxMs = Math.max(t.maxMs, v.ms);
          t.totalMs += v.ms;
        }
        for (const c of v.codes) codes.set(c, (codes.get(c) ?? 0) + 1);
        if (v.violations.length > 0 && failures.length < SHOWN_FAILURES)
          failures.push(
            `[${cls.name}] ${JSON.stringify(text.slice(0, 300))}\n  ${v.violations[0]!.split("\n").slice(0, 4).join("\n  ")}`,
          );
      }
    }
    console.log(row(cls.name, tally));
  });
  console.log(row("all", total));
  const byCode = [...codes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, n]) => `${c} ${n}`);
  console.log(`\ndiagnostics by code: ${byCode.join(", ")}`);
  console.log(
    `total ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${seed}, node ${process.version}`,
  );
  if (failures.length > 0)
    console.log(`\nfirst failures:\n${failures.join("\n")}`);
  return total.failed === 0;
}

function row(name: string, t: Tally): string {
  const mean = t.inputs > 0 ? t.totalMs / t.inputs : 0;
  return `| ${name} | ${t.inputs} | ${t.valid} | ${t.failed} | ${t.maxMs.toFixed(1)} | ${mean.toFixed(2)} |`;
}

/** compile() + rendering time on each pathological class at each size (1 MB of garbage: < 2 s). */
function scale(sizes: number[]): boolean {
  let ok = true;
  const heads = sizes.map(
    (n) => `${n >= 1e6 ? `${n / 1e6} MB` : `${n / 1e3} KB`} (ms)`,
  );
  console.log(`| input | ${heads.join(" | ")} | diagnostics at the largest |`);
  console.log(`|---|${sizes.map(() => "---|").join("")}---|`);
  compile(pathological["grammar-shaped specs"]!(20_000)); // warm up the JIT
  for (const [name, make] of Object.entries(pathological)) {
    const cells: string[] = [];
    let last = "";
    for (const size of sizes) {
      const text = make(size);
      const t0 = performance.now();
      const result = compile(text, "scale.vae");
      renderDiagnostics(result.diagnostics, "scale.vae", text);
      const ms = performance.now() - t0;
      const slow = size === 1_000_000 && ms >= 2000 && garbage.has(name);
      if (slow) ok = false;
      cells.push(`${ms.toFixed(0)}${slow ? " (over 2 s)" : ""}`);
      const codes = [...new Set(result.diagnostics.map((d) => d.code))].join(
        " ",
      );
      last = `${result.diagnostics.length} ${codes}${result.models.length > 0 ? ` (${result.models.length} models)` : ""}`;
    }
    console.log(
      `| ${name}${garbage.has(name) ? "" : " (valid-spec extreme)"} | ${cells.join(" | ")} | ${last} |`,
    );
  }
  return ok;
}

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    seed: { type: "string", default: "20261202" },
    scale: { type: "boolean", default: false },
    sizes: { type: "string", default: "10000,100000,1000000" },
  },
});
const ok = values.scale
  ? scale(values.sizes.split(",").map(Number))
  : fuzz(Number(values.runs), Number(values.seed));
process.exitCode = ok ? 0 : 1;
