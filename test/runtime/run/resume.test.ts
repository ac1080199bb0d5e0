// `vae train --resume`: it continues the stored configuration (limit and backend included, without
// repeating them), `--epochs N` extends a run exactly as if it had been trained to N at once, and
// every other change — flags, spec file, spec content, model — is refused, naming what differs.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IoError } from "../../../src/runtime/io/files.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";
import { trainRun, type TrainRequest } from "../../../src/runtime/run/runs.js";
import { specText, writeFixture } from "./fixture.js";

type Settings = Omit<TrainRequest, "file" | "log">;
const quiet = { log: () => {} };
const strip = (rows: object[]) =>
  rows.map((r) => {
    const {
      seconds: _s,
      examples_per_sec: _e,
      ...rest
    } = r as Record<string, unknown>;
    return rest;
  });

async function train(spec: string, out: string, s: Settings) {
  return trainRun({ file: spec, model: "m", out, ...quiet, ...s });
}

/** The refusal's "field: run → now" lines, as a map from field to [run, now]. */
function listed(message: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const m of message.matchAll(/^ {2}(.+?): (.*) → (.*)$/gm))
    out.set(m[1]!, [m[2]!, m[3]!]);
  return out;
}

const snapshot = (run: RunDir) =>
  [run.checkpointPath, run.runInfoPath, run.modelPath, run.metricsPath].map(
    (p) => readFileSync(p),
  );

describe("vae train --resume", () => {
  it("extends a --limit run with --epochs exactly as an uninterrupted run, without repeating --limit or --backend", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 9, max: 60 }),
        async (first, more, limit) => {
          const spec = writeFixture();
          const base = dirname(spec);
          const split = join(base, "split");
          await train(spec, split, { epochs: first, limit, backend: "cpu" });
          const lines: string[] = [];
          const resumed = await trainRun({
            file: spec,
            model: "m",
            out: split,
            resume: true,
            epochs: first + more,
            log: (l) => lines.push(l),
          });
          expect(lines[0]).toBe("backend: cpu");
          expect(lines[1]).toContain(`${limit} examples (the first ${limit}`);
          const whole = await train(spec, join(base, "whole"), {
            epochs: first + more,
            limit,
            backend: "cpu",
          });
          expect(strip(resumed.metrics)).toEqual(strip(whole.metrics));
          const [a, b] = [split, join(base, "whole")].map(
            (d) => new RunDir(d).load().checkpoint,
          );
          expect(a!.variables).toEqual(b!.variables);
          // The optimizer's tensor names hold tfjs variable ids, which differ between runs.
          const state = (c: typeof a) =>
            c!.optimizer.map(({ shape, values }) => ({ shape, values }));
          expect(state(a)).toEqual(state(b));
          expect(a!.epoch).toBe(first + more);
          expect(readFileSync(new RunDir(split).modelPath, "utf8")).toBe(
            readFileSync(new RunDir(join(base, "whole")).modelPath, "utf8"),
          );
        },
      ),
      { seed: 21, numRuns: 3 },
    );
  });

  it("on a finished run trains nothing and says so; --epochs below the epochs done is refused", async () => {
    const spec = writeFixture();
    const out = join(dirname(spec), "run");
    await train(spec, out, { epochs: 2, backend: "cpu" });
    const run = new RunDir(out);
    const before = readFileSync(run.checkpointPath);
    for (const epochs of [undefined, 2]) {
      const lines: string[] = [];
      const r = await trainRun({
        file: spec,
        model: "m",
        out,
        resume: true,
        ...(epochs === undefined ? {} : { epochs }),
        log: (l) => lines.push(l),
      });
      expect(r.metrics).toHaveLength(2);
      expect(lines).toContain(
        `${run.path} already has 2 epochs; nothing to train (pass --epochs above 2 to extend it)`,
      );
      expect(readFileSync(run.checkpointPath).equals(before)).toBe(true);
    }
    const err = await train(spec, out, { resume: true, epochs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe(
      `${run.path} already has 2 epochs; --epochs 1 would shorten it: pass --epochs above 2 to extend it, or --out to start another run`,
    );
  });

  it("refuses every change of flags, listing exactly the settings that differ with both values", async () => {
    const spec = writeFixture();
    const out = join(dirname(spec), "run");
    await train(spec, out, { epochs: 1, limit: 40, backend: "cpu" });
    const run = new RunDir(out);
    const before = snapshot(run);
    const change = fc.record(
      {
        batch: fc.integer({ min: 1, max: 64 }).filter((b) => b !== 8),
        seed: fc.integer({ min: 0, max: 1000 }).filter((s) => s !== 5),
        limit: fc.integer({ min: 1, max: 80 }).filter((l) => l !== 40),
        beta: fc.double({ min: 0.01, max: 10, noNaN: true }),
        backend: fc.constant("wasm" as const),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        change.filter((c) => Object.keys(c).length > 0),
        fc.boolean(),
        async (c, withEpochs) => {
          const err = await train(spec, out, {
            ...c,
            resume: true,
            ...(withEpochs ? { epochs: 3 } : {}),
          }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(IoError);
          const fields = listed((err as Error).message);
          expect([...fields.keys()].sort()).toEqual(Object.keys(c).sort());
          const stored = { batch: 8, seed: 5, limit: 40, backend: "cpu" };
          for (const [k, v] of Object.entries(c))
            if (k !== "beta")
              expect(fields.get(k)).toEqual([
                JSON.stringify(stored[k as keyof typeof stored]),
                JSON.stringify(v),
              ]);
          expect(snapshot(run)).toEqual(before);
        },
      ),
      { seed: 5, numRuns: 40 },
    );
  });

  it("refuses another spec file, changed spec content and another model, naming each", async () => {
    const spec = writeFixture();
    const base = dirname(spec);
    const out = join(base, "run");
    await train(spec, out, { epochs: 1, backend: "cpu", batch: 6 });
    const plain = join(base, "plain");
    await train(spec, plain, { epochs: 1, backend: "cpu" });
    const run = new RunDir(out);
    const before = snapshot(run);
    const moved = join(base, "moved.vae");
    copyFileSync(spec, moved);
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      [
        "spec file",
        () =>
          trainRun({ file: moved, model: "m", out, resume: true, ...quiet }),
        /^ {2}spec file: ".*spec\.vae" → ".*moved\.vae"$/m,
      ],
      [
        "model",
        () =>
          trainRun({ file: spec, model: "m2", out, resume: true, ...quiet }),
        /^ {2}model: "m" → "m2"$/m,
      ],
      [
        "hidden width",
        async () => {
          writeFileSync(spec, specText({ hidden: 9 }));
          return train(spec, out, { resume: true });
        },
        /^ {2}spec content nodes\[\d+\]\.(out|in): 8 → 9$/m,
      ],
      [
        "batch given by the spec no longer matters: the run's --batch 6 is kept",
        async () => {
          writeFileSync(spec, specText({ batch: 3, hidden: 9 }));
          return train(spec, out, { resume: true });
        },
        /^(?![\s\S]*batch:)[\s\S]*spec content nodes/,
      ],
      [
        "a test set removed",
        async () => {
          writeFileSync(spec, specText({ test: false }));
          return train(spec, out, { resume: true });
        },
        /^ {2}spec content train\.test: \{.*\} → null$/m,
      ],
      [
        "the spec's batch, in a run that took it from the spec",
        async () => {
          writeFileSync(spec, specText({ batch: 3 }));
          return train(spec, plain, { resume: true });
        },
        /^ {2}batch: 8 → 3$/m,
      ],
    ];
    for (const [name, attempt, expected] of cases) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(IoError);
      expect((err as Error).message, name).toMatch(expected);
      expect(snapshot(run), name).toEqual(before);
    }
    writeFileSync(spec, specText());
    const again = await train(spec, out, { resume: true, epochs: 2 });
    expect(again.metrics).toHaveLength(2);
  });
});
