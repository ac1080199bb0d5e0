// Every example trains for one epoch on 2000 examples with the default (wasm) backend, writes a
// complete run directory, and evaluates from it.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateIr } from "../../../src/ir/validate.js";
import { evalRun, trainRun } from "../../../src/runtime/run/runs.js";
import { examplesDir, vaeFiles } from "../../golden/golden.js";

describe("every example trains (--epochs 1 --limit 2000)", () => {
  for (const file of vaeFiles(examplesDir)) {
    it(basename(file), async () => {
      const out = join(mkdtempSync(join(tmpdir(), "vae-ex-")), "run");
      const lines: string[] = [];
      const { metrics, backend } = await trainRun({
        file,
        out,
        epochs: 1,
        limit: 2000,
        log: (l) => lines.push(l),
      });
      expect(backend).toBe("wasm");
      expect(lines[0]).toBe("backend: wasm");
      expect(metrics).toHaveLength(1);
      const row = metrics[0]!;
      for (const k of [
        "loss",
        "recon",
        "kl",
        "seconds",
        "examples_per_sec",
      ] as const)
        expect(Number.isFinite(row[k]), k).toBe(true);
      expect(row.kl).toBeGreaterThanOrEqual(0);
      const written = readFileSync(join(out, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(written).toEqual([row]);
      expect(
        validateIr(JSON.parse(readFileSync(join(out, "model.json"), "utf8"))),
      ).toEqual([]);
      for (const f of ["checkpoint.bin", "curves.svg", "latent.png"])
        expect(existsSync(join(out, f)), f).toBe(true);
      const result = await evalRun(out, { split: "test", iw: 5, limit: 200 });
      expect(result.n).toBe(200);
      expect(Number.isFinite(result.elbo)).toBe(true);
      expect(result.iw_log_likelihood).toBeGreaterThan(result.elbo - 5);
    });
  }
});
