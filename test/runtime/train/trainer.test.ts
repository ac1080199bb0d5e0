// The trainer: resuming equals an uninterrupted run; a non-finite loss stops training, names the
// step and term, and keeps the last good checkpoint; no tensors leak across steps.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import type { IrModel } from "../../../src/compiler/ir/types.js";
import type { Dataset } from "../../../src/runtime/data/dataset.js";
import { DeviceData } from "../../../src/runtime/train/batches.js";
import { loadCheckpoint } from "../../../src/runtime/train/checkpoint.js";
import {
  checkpointPath,
  NonFiniteError,
  train,
} from "../../../src/runtime/train/trainer.js";

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

/** 200 rows of a seeded pattern in [0, 1]: 50 steps per epoch at batch 4. */
function dataset(n = 200): Dataset {
  const values = new Float32Array(n * 6);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 11) / 10;
  return {
    n,
    views: new Map([["x", values]]),
    widths: new Map([["x", 6]]),
    binarize: "none",
    dynamic: [],
    source: "synthetic",
  };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), "vae-train-"));
const strip = (rows: Array<Record<string, unknown>>) =>
  rows.map(({ seconds: _s, examples_per_sec: _e, ...rest }) => rest);

describe("trainer", () => {
  it("resuming from a checkpoint ends with exactly the metrics and weights of an uninterrupted run", async () => {
    const ir = model();
    const data = new DeviceData(dataset(), ir.views);
    const full = tmp();
    const a = await train(ir, data, data, {
      outDir: full,
      epochs: 3,
      batch: 4,
      seed: 5,
      resume: false,
    });
    const split = tmp();
    const b1 = await train(ir, data, data, {
      outDir: split,
      epochs: 1,
      batch: 4,
      seed: 5,
      resume: false,
    });
    b1.model.dispose();
    const b = await train(ir, data, data, {
      outDir: split,
      epochs: 3,
      batch: 4,
      seed: 5,
      resume: true,
    });
    expect(strip(b.metrics as never)).toEqual(strip(a.metrics as never));
    for (const [name, v] of a.model.variables)
      expect(
        tf.equal(v, b.model.variables.get(name)!).all().dataSync()[0],
        name,
      ).toBe(1);
    expect(
      readFileSync(join(split, "metrics.jsonl"), "utf8").trim().split("\n"),
    ).toHaveLength(3);
    a.model.dispose();
    b.model.dispose();
    data.dispose();
  });

  it("stops on a non-finite loss, names the epoch, step and term, and keeps the last good checkpoint", async () => {
    const good = model();
    const data = new DeviceData(dataset(), good.views);
    const dir = tmp();
    (
      await train(good, data, null, {
        outDir: dir,
        epochs: 1,
        batch: 4,
        seed: 5,
        resume: false,
      })
    ).model.dispose();
    const before = readFileSync(checkpointPath(dir));
    const mtime = statSync(checkpointPath(dir)).mtimeMs;
    // The same model with an absurd learning rate: its weights overflow during epoch 2.
    const exploding = {
      ...good,
      train: {
        ...good.train!,
        optimizer: { ...good.train!.optimizer, lr: 1e30 },
      },
    };
    const err = await train(exploding, data, null, {
      outDir: dir,
      epochs: 2,
      batch: 4,
      seed: 5,
      resume: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteError);
    const e = err as NonFiniteError;
    expect(e.epoch).toBe(2);
    expect(e.step).toBeGreaterThanOrEqual(1);
    expect(["reconstruction", "KL", "loss"]).toContain(e.term);
    expect(e.message).toMatch(
      /term became non-finite at epoch 2, step \d+; .*last good checkpoint \(after epoch 1\)/,
    );
    expect(readFileSync(checkpointPath(dir)).equals(before)).toBe(true);
    expect(statSync(checkpointPath(dir)).mtimeMs).toBe(mtime);
    expect(loadCheckpoint(checkpointPath(dir)).epoch).toBe(1);
    data.dispose();
  });

  it("keeps tf.memory().numTensors flat across 150 steps", async () => {
    const ir = model("adam(lr: 1e-3)", "kl = mc(samples: 2)");
    const data = new DeviceData(dataset(), ir.views);
    const counts: number[] = [];
    const { model: m } = await train(ir, data, null, {
      outDir: tmp(),
      epochs: 3,
      batch: 4,
      seed: 1,
      resume: false,
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    // 50 steps per epoch, a read-back every 25 steps: 6 observations after warm-up allocations.
    expect(counts.length).toBe(6);
    expect(new Set(counts.slice(1)).size).toBe(1);
    m.dispose();
    data.dispose();
  });
});
