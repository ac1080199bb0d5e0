// The trainer: resuming equals an uninterrupted run; a non-finite loss, weight or optimizer value
// stops training, names the epoch, step and what, says truly which checkpoint (if any) is on
// disk, and never reaches a checkpoint; no tensors leak across steps.
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import type { IrModel } from "../../../src/ir/types.js";
import type { Dataset } from "../../../src/runtime/data/dataset.js";
import { IoError } from "../../../src/runtime/io/files.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";
import { HostData } from "../../../src/runtime/data/batches.js";
import { TfjsEngine } from "../../../src/engines/tfjs/engine.js";
import { NonFiniteError, train } from "../../../src/runtime/train/trainer.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function model(optimizer = "adam(lr: 1e-2)", extra = ""): IrModel {
  const text = `model m {
  data x : binary[6]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [8], tanh))
  decoder p(x | z) = Bernoulli(logits: mlp(z, [8], tanh))
  ${extra}
}
train m { data = csv(path: "unused.csv") optimizer = ${optimizer} batch = 4 epochs = 3 seed = 5 }`;
  const r = compile(text, "m.vae");
  expect(r.diagnostics).toEqual([]);
  return r.models[0]!;
}

/** `n` rows of a seeded pattern in [0, 1] (50 steps per epoch at batch 4); `poison` rows are NaN. */
function dataset(n = 200, poison: number[] = []): Dataset {
  const values = new Float32Array(n * 6);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 11) / 10;
  for (const row of poison) values.fill(NaN, 6 * row, 6 * row + 6);
  return {
    n,
    views: new Map([["x", values]]),
    widths: new Map([["x", 6]]),
    binarize: "none",
    dynamic: [],
    source: "synthetic",
  };
}

const tmp = (): RunDir => new RunDir(mkdtempSync(join(tmpdir(), "vae-train-")));
const strip = (rows: Array<Record<string, unknown>>) =>
  rows.map(({ seconds: _s, examples_per_sec: _e, ...rest }) => rest);
/** The settings every test trains with, on a fresh tfjs engine. */
const config = (): { batch: number; seed: number; engine: TfjsEngine } => ({
  batch: 4,
  seed: 5,
  engine: new TfjsEngine(),
});

async function trainFor(
  ir: IrModel,
  data: HostData,
  run: RunDir,
  epochs: number,
): Promise<void> {
  const resumeFrom = run.hasCheckpoint() ? run.load().checkpoint : undefined;
  const { session } = await train(ir, data, null, {
    ...config(),
    run,
    epochs,
    ...(resumeFrom ? { resumeFrom } : {}),
  });
  session.dispose();
}

describe("trainer", () => {
  it("resuming from a checkpoint ends with exactly the metrics and weights of an uninterrupted run", async () => {
    const ir = model();
    const data = new HostData(dataset(), ir.views);
    const a = await train(ir, data, data, {
      ...config(),
      run: tmp(),
      epochs: 3,
    });
    const split = tmp();
    const b1 = await train(ir, data, data, {
      ...config(),
      run: split,
      epochs: 1,
    });
    b1.session.dispose();
    const b = await train(ir, data, data, {
      ...config(),
      run: split,
      epochs: 3,
      resumeFrom: split.load().checkpoint,
    });
    expect(strip(b.metrics as never)).toEqual(strip(a.metrics as never));
    const wb = b.session.weights();
    a.session.weights().forEach((w, i) => {
      expect(w.name).toBe(wb[i]!.name);
      expect(
        Buffer.from(w.values.buffer).equals(Buffer.from(wb[i]!.values.buffer)),
        w.name,
      ).toBe(true);
    });
    expect(
      readFileSync(split.metricsPath, "utf8").trim().split("\n"),
    ).toHaveLength(3);
    a.session.dispose();
    b.session.dispose();
  });

  it("refuses to start afresh over a checkpoint", async () => {
    const ir = model();
    const data = new HostData(dataset(8), ir.views);
    const run = tmp();
    await trainFor(ir, data, run, 1);
    const err = await train(ir, data, null, {
      ...config(),
      run,
      epochs: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toContain("already holds a checkpoint");
  });

  it("a non-finite loss in a fresh run says that no checkpoint was written yet", async () => {
    const ir = model();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 199 }), async (row) => {
        const data = new HostData(dataset(200, [row]), ir.views);
        const run = tmp();
        const err = await train(ir, data, null, {
          ...config(),
          run,
          epochs: 2,
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NonFiniteError);
        const e = err as NonFiniteError;
        expect([e.epoch, e.lastGoodEpoch]).toEqual([1, null]);
        expect(e.step).toBeGreaterThanOrEqual(1);
        expect(e.step).toBeLessThanOrEqual(50);
        expect(["reconstruction term", "KL term", "loss"]).toContain(e.term);
        expect(e.message).toMatch(
          /^the (reconstruction term|KL term|loss) became non-finite at epoch 1, step \d+; training stopped, and no checkpoint was written yet$/,
        );
        expect(existsSync(run.checkpointPath)).toBe(false);
      }),
      { seed: 7, numRuns: 6 },
    );
  });

  it("a non-finite loss in a resumed run names the resumed checkpoint's epoch and leaves it untouched", async () => {
    const ir = model();
    const clean = new HostData(dataset(), ir.views);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 199 }),
        async (done, row) => {
          const run = tmp();
          await trainFor(ir, clean, run, done);
          const before = readFileSync(run.checkpointPath);
          const mtime = statSync(run.checkpointPath).mtimeMs;
          const poisoned = new HostData(dataset(200, [row]), ir.views);
          const err = await trainFor(ir, poisoned, run, 3).catch(
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(NonFiniteError);
          const e = err as NonFiniteError;
          expect([e.epoch, e.lastGoodEpoch]).toEqual([done + 1, done]);
          expect(e.message).toMatch(
            new RegExp(
              `became non-finite at epoch ${done + 1}, step \\d+; training stopped, and the checkpoint on disk \\(after epoch ${done}\\) is kept$`,
            ),
          );
          expect(readFileSync(run.checkpointPath).equals(before)).toBe(true);
          expect(statSync(run.checkpointPath).mtimeMs).toBe(mtime);
          expect(run.load().checkpoint.epoch).toBe(done);
        },
      ),
      { seed: 11, numRuns: 4 },
    );
  });

  it("weights that overflow in an epoch's last step stop training before they reach a checkpoint", async () => {
    const good = model();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 39, max: 300 }),
        async (n, exponent) => {
          // One step per epoch (n ≤ batch rows): the loss is finite, the update overflows float32.
          const data = new HostData(dataset(n), good.views);
          const exploding = {
            ...good,
            train: {
              ...good.train!,
              optimizer: { ...good.train!.optimizer, lr: 10 ** exponent },
            },
          };
          const run = tmp();
          const err = await train(exploding, data, null, {
            ...config(),
            run,
            epochs: 2,
          }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(NonFiniteError);
          const e = err as NonFiniteError;
          expect([e.epoch, e.step, e.lastGoodEpoch]).toEqual([1, 1, null]);
          expect(e.term).toMatch(/^(weights of|optimizer state) \S+$/);
          expect(e.message).toContain("no checkpoint was written yet");
          expect(existsSync(run.checkpointPath)).toBe(false);
        },
      ),
      { seed: 3, numRuns: 5 },
    );
  });

  it("keeps tf.memory().numTensors flat across 150 steps", async () => {
    const ir = model("adam(lr: 1e-3)", "kl = mc(samples: 2)");
    const data = new HostData(dataset(), ir.views);
    const counts: number[] = [];
    const { session } = await train(ir, data, null, {
      run: tmp(),
      epochs: 3,
      batch: 4,
      seed: 1,
      engine: new TfjsEngine(),
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    // 50 steps per epoch, a report every 25 steps: 6 observations after warm-up allocations.
    expect(counts.length).toBe(6);
    expect(new Set(counts.slice(1)).size).toBe(1);
    session.dispose();
  });
});
