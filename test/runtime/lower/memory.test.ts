// The memory estimate (src/runtime/lower/memory.ts) against a real measurement: for examples and
// generated models (widths, families, KL methods, optimizers, batch sizes), tf.profile's peak
// bytes of two training steps, and of one forward pass, lie within a factor 1.5 of the estimate
// (for models of some size: hidden layers ≥ 32 wide; in tiny ones small tensors' overhead rules).
// Models too large for the backend are refused before any tensor exists, with the estimate.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import type { IrModel } from "../../../src/compiler/ir/types.js";
import { BackendError } from "../../../src/runtime/backend.js";
import type { Dataset } from "../../../src/runtime/data/dataset.js";
import {
  assertFits,
  estimateMemory,
  WASM_BOUND_BYTES,
} from "../../../src/runtime/lower/memory.js";
import { LoweredModel } from "../../../src/runtime/lower/model.js";
import { compileSpec, trainRun } from "../../../src/runtime/run/runs.js";
import { DeviceData } from "../../../src/runtime/train/batches.js";
import { makeOptimizer } from "../../../src/runtime/train/optimizers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const EXAMPLES = 400;

function dataset(ir: IrModel): Dataset {
  let s = 1;
  const u = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const views = new Map(
    ir.views.map((v) => [
      v.name,
      Float32Array.from({ length: EXAMPLES * v.width }, () =>
        v.support === "categorical"
          ? Math.floor(u() * v.categories!)
          : v.support === "binary"
            ? Math.round(u())
            : u(),
      ),
    ]),
  );
  return {
    n: EXAMPLES,
    views,
    widths: new Map(ir.views.map((v) => [v.name, v.width])),
    binarize: "none",
    dynamic: [],
    source: "generated",
  } as unknown as Dataset;
}

/** Peak bytes (above what existed before) of two training steps and of one forward pass. */
async function measure(
  ir: IrModel,
  rows: number,
): Promise<{ train: number; forward: number }> {
  const before = tf.memory().numBytes;
  const data = new DeviceData(dataset(ir), ir.views);
  const model = new LoweredModel(ir, 0);
  const order = data.order(0, 0, false);
  const forward = (
    await tf.profile(() =>
      tf.tidy(() => void model.terms(data.batch(order, 0, rows, 1), 1)),
    )
  ).peakBytes;
  const vars = [...model.variables.values()];
  const optimizer = makeOptimizer(ir.train, vars);
  let train = 0;
  for (let step = 0; step < 2; step++) {
    const p = await tf.profile(() => {
      const batch = data.batch(order, step, ir.train!.batch, 1);
      const { value, grads } = tf.variableGrads(
        () => model.loss(batch, 1, 1).loss,
        vars,
      );
      optimizer.apply(grads);
      tf.dispose([value, ...Object.values(grads), ...batch.values()]);
    });
    train = Math.max(train, p.peakBytes);
  }
  optimizer.dispose();
  model.dispose();
  order.dispose();
  data.dispose();
  return { train: train - before, forward: forward - before };
}

async function expectClose(ir: IrModel): Promise<void> {
  const rows = 200;
  const measured = await measure(ir, rows);
  const batch = Math.min(ir.train!.batch, EXAMPLES);
  const train = estimateMemory(ir, {
    rows: batch,
    gradients: true,
    examples: EXAMPLES,
  }).bytes;
  const forward = estimateMemory(ir, {
    rows,
    gradients: false,
    examples: EXAMPLES,
  }).bytes;
  const ratio = {
    train: train / measured.train,
    forward: forward / measured.forward,
  };
  expect(
    ratio.train,
    `${ir.model} training ${JSON.stringify(ratio)}`,
  ).toBeGreaterThan(1 / 1.5);
  expect(ratio.train, `${ir.model} training`).toBeLessThan(1.5);
  expect(ratio.forward, `${ir.model} forward`).toBeGreaterThan(1 / 1.5);
  expect(ratio.forward, `${ir.model} forward`).toBeLessThan(1.5);
}

describe("the memory estimate", () => {
  for (const name of [
    "mnist",
    "full_covariance",
    "mixture_prior",
    "shared_trunk",
    "mnist_vib",
  ])
    it(`is within 1.5× of the measured peak for examples/${name}.vae`, async () => {
      await expectClose(compileSpec(`examples/${name}.vae`));
    });

  it("is within 1.5× of the measured peak for generated models", async () => {
    const decoder = fc.constantFrom<[string, string]>(
      ["binary", "Bernoulli(logits: H)"],
      ["binary", "ContinuousBernoulli(logits: H)"],
      ["real", "Normal(loc: H, scale: learned)"],
      ["real", "Normal(loc: H, scale: H)"],
      ["real", "Laplace(loc: H, scale: H)"],
      ["categorical", "Categorical(logits: H)"],
    );
    const model = fc.record({
      width: fc.integer({ min: 16, max: 300 }),
      latent: fc.integer({ min: 2, max: 24 }),
      hidden: fc.array(fc.integer({ min: 32, max: 400 }), {
        minLength: 1,
        maxLength: 2,
      }),
      decoder,
      full: fc.boolean(),
      mixture: fc.integer({ min: 0, max: 8 }),
      samples: fc.integer({ min: 0, max: 3 }),
      optimizer: fc.constantFrom(
        "adam(lr: 1e-3)",
        "rmsprop(lr: 1e-3)",
        "sgd(lr: 1e-2)",
      ),
      batch: fc.integer({ min: 16, max: 256 }),
    });
    await fc.assert(
      fc.asyncProperty(model, async (m) => {
        const [support, dist] = m.decoder;
        const latent = m.full ? Math.min(m.latent, 10) : m.latent;
        const mlp = (input: string): string =>
          `mlp(${input}, [${m.hidden.join(", ")}], tanh)`;
        const view =
          support === "categorical"
            ? `categorical[${m.width}]`
            : `${support}[${m.width}]`;
        const spec = `model generated {
  data x : ${view}
  latent z : real[${latent}]
  prior p(z) = ${m.mixture > 0 ? `GaussianMixture(components: ${m.mixture})` : "Normal(0, 1)"}
  encoder q(z | x) = ${m.full ? "FullNormal" : "DiagNormal"}(${mlp("x")})
  decoder p(x | z) = ${dist.replaceAll("H", mlp("z"))}
  kl = ${m.samples > 0 ? `mc(samples: ${m.samples})` : "auto"}
}
train generated {
  data = csv(path: "generated.csv")
  optimizer = ${m.optimizer}
  batch = ${m.batch}
}
`;
        const result = compile(spec, "generated.vae");
        expect(
          result.diagnostics.filter((d) => d.severity === "error"),
          spec,
        ).toEqual([]);
        await expectClose(result.models[0]!);
      }),
      { seed: 29, numRuns: 14 },
    );
  });
});

describe("a model too large for its backend", () => {
  const wide = (hidden: number): IrModel =>
    compile(
      `model wide {
  data x : binary[784]
  latent z : real[20]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [${hidden}], relu))
  decoder p(x | z) = Bernoulli(logits: mlp(z, [${hidden}], relu))
}
train wide {
  data = mnist(split: "train")
}
`,
      "wide.vae",
    ).models[0]!;

  it("is refused before any tensor exists, with the estimate and the bound", () => {
    const tensors = tf.memory().numTensors;
    const use = { rows: 128, gradients: true, examples: 60_000 };
    expect(() => assertFits(wide(100_000), "wasm", use)).toThrow(BackendError);
    expect(() => assertFits(wide(100_000), "wasm", use)).toThrow(
      /^model wide \([0-9]{3},[0-9]{3},[0-9]{3} parameters, 128 rows per pass\) needs about [0-9.]+ GiB of backend memory, more than the 3\.0 GiB of the wasm backend's 4 GiB heap/,
    );
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it("is refused exactly when the estimate passes the bound, for any hidden width", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), (hidden) => {
        const ir = wide(hidden);
        const use = { rows: 128, gradients: true, examples: 1000 };
        const fits = estimateMemory(ir, use).bytes <= WASM_BOUND_BYTES;
        if (fits) expect(() => assertFits(ir, "wasm", use)).not.toThrow();
        else expect(() => assertFits(ir, "wasm", use)).toThrow(BackendError);
      }),
      { seed: 31, numRuns: 100 },
    );
  });

  it("refuses a FullNormal whose placement matrices tfjs cannot index", () => {
    const ir = compileSpec("examples/full_covariance.vae");
    const latent = { ...ir.latents[0]!, width: 1000 };
    const wider: IrModel = { ...ir, latents: [latent] };
    expect(() =>
      assertFits(wider, "cpu", { rows: 128, gradients: true, examples: 0 }),
    ).toThrow(/needs a tensor of [0-9.e+]+ elements, more than tfjs can index/);
  });

  it("stops `vae train` (trainRun) before the model exists, with exit 2's BackendError", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vae-wide-"));
    const row = Array.from({ length: 784 }, (_, i) => (i % 7) / 7).join(",");
    writeFileSync(join(dir, "x.csv"), `${row}\n`.repeat(50));
    writeFileSync(
      join(dir, "wide.vae"),
      `model wide {
  data x : real[784]
  latent z : real[20]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [100000], relu))
  decoder p(x | z) = Normal(loc: mlp(z, [100000], relu), scale: 0.1)
}
train wide {
  data = csv(path: "x.csv")
}
`,
    );
    const tensors = tf.memory().numTensors;
    const out = join(dir, "run");
    await expect(
      trainRun({ file: join(dir, "wide.vae"), out, log: () => {} }),
    ).rejects.toThrow(
      /^model wide \([0-9,]+ parameters, 50 rows per pass\) needs about [0-9.]+ GiB of backend memory, more than the 3\.0 GiB/,
    );
    expect(tf.memory().numTensors).toBe(tensors);
    expect(existsSync(join(out, "checkpoint.bin"))).toBe(false);
  });
});
