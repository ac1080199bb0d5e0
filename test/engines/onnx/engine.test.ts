// The ONNX Runtime engine behind ModelSession agrees with the tfjs engine: same initial weights,
// batches and noise give the same training statistics and weights after several Adam steps, and
// the same evaluation chunk; weights move between the two engines unchanged.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engines/engine.js";
import { OnnxEngine } from "../../../src/engines/onnx/engine.js";
import { TfjsEngine } from "../../../src/engines/tfjs/engine.js";
import type { Batch } from "../../../src/runtime/data/batches.js";
import { ModelSession } from "../../../src/runtime/model/session.js";
import { compiled } from "../../program/model/helpers.js";
import { worst } from "../tfjs/helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const specs: Record<string, string> = {
  "Bernoulli VAE with an MLP": `model m {
  data x : binary[12]
  latent z : real[3]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [16], relu))
  decoder p(x | z) = Bernoulli(logits: mlp(z, [16], tanh))
}
train m { data = csv(path: "x.csv") }`,
  "FullNormal posterior, GaussianMixture prior, Monte Carlo KL, Laplace likelihood": `model m {
  data x : real[8]
  latent z : real[3]
  prior p(z) = GaussianMixture(components: 4)
  encoder q(z | x) = FullNormal(mlp(x, [16], elu))
  decoder p(x | z) = Laplace(loc: mlp(z, [16], softplus), scale: learned)
  kl = mc(samples: 3)
}
train m { data = csv(path: "x.csv") }`,
};

function batch(rows: number, width: number, step: number): Batch {
  const data = Float32Array.from({ length: rows * width }, (_, i) =>
    Math.abs(Math.sin(0.37 * i + step)),
  );
  return new Map([["x", { shape: [rows, width], data }]]);
}

/** Five Adam steps and one evaluation chunk on a fresh session of `engine`. */
async function trainOn(spec: string, engine: Engine) {
  const ir = compiled(spec);
  const width = ir.views[0]!.width;
  const session = ModelSession.create(ir, engine, 7);
  const stats: Float32Array[] = [];
  for (let step = 0; step < 5; step++)
    stats.push(
      await session.trainStep(batch(10, width, step), 100 + step, 0.8, 1e-2),
    );
  const evaluation = await session.evalChunk(batch(10, width, 9), 3);
  const weights = session.weights();
  session.dispose();
  return { stats, evaluation, weights };
}

describe("the ONNX Runtime engine", () => {
  for (const [name, spec] of Object.entries(specs))
    it(`trains and evaluates as the tfjs engine does: ${name}`, async () => {
      const onnx = await trainOn(spec, new OnnxEngine(1));
      const tfjs = await trainOn(spec, new TfjsEngine());
      // Both compute in float32 in different orders; five Adam steps keep them within 1e-4.
      onnx.stats.forEach((s, i) =>
        expect(worst(s, tfjs.stats[i]!), `step ${i}`).toBeLessThan(1e-4),
      );
      for (const [k, v] of Object.entries(tfjs.evaluation))
        expect(worst(onnx.evaluation[k]!.data, v.data), k).toBeLessThan(1e-4);
      onnx.weights.forEach((w, i) =>
        expect(worst(w.values, tfjs.weights[i]!.values), w.name).toBeLessThan(
          1e-4,
        ),
      );
      // The steps did something: the first and last losses differ.
      expect(onnx.stats[4]![0]).not.toBe(onnx.stats[0]![0]);
    });

  it("takes weights trained on tfjs and evaluates them as tfjs does", async () => {
    const spec = specs["Bernoulli VAE with an MLP"]!;
    const ir = compiled(spec);
    const trained = await trainOn(spec, new TfjsEngine());
    const evalOn = async (engine: Engine) => {
      const s = new ModelSession(ir, engine);
      s.setWeights(trained.weights);
      const out = await s.evalChunk(batch(10, 12, 4), 11);
      s.dispose();
      return out;
    };
    const a = await evalOn(new OnnxEngine(2));
    const b = await evalOn(new TfjsEngine());
    for (const k of ["recon", "kl"])
      expect(worst(a[k]!.data, b[k]!.data), k).toBeLessThan(1e-5);
  });

  it("names an input that is neither fed nor held", async () => {
    const ir = compiled(specs["Bernoulli VAE with an MLP"]!);
    const s = new ModelSession(ir, new OnnxEngine());
    await expect(s.evalChunk(batch(4, 12, 0), 1)).rejects.toThrow(
      /neither fed nor held/,
    );
    s.dispose();
  });
});
