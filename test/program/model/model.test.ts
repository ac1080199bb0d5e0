// The model's programs against a hand computation: a 2-pixel, 1-latent VAE with chosen weights;
// its loss, recon and KL computed here in float64 from the same noise must match the training
// step's program, run by the float64 interpreter and by a ModelSession on the tfjs engine. Also:
// gradients reach every learned tensor (through the reparameterized sample), dense layers start
// like PyTorch's nn.Linear, the noise plan, its seeded draws, and bit-exact repeatable steps.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TfjsEngine } from "../../../src/engines/tfjs/engine.js";
import type { HostTensor } from "../../../src/engines/engine.js";
import type { IrModel } from "../../../src/ir/types.js";
import { gradients } from "../../../src/program/autodiff.js";
import { Builder } from "../../../src/program/builder.js";
import { interpret, type NdArray } from "../../../src/program/interpret.js";
import { ModelGraph } from "../../../src/program/model/model.js";
import { NoiseInputs } from "../../../src/program/model/noise-inputs.js";
import {
  trainStepProgram,
  type ModelProgram,
} from "../../../src/program/model/programs.js";
import { optimizerRule } from "../../../src/program/optimizers.js";
import { initialWeights } from "../../../src/runtime/model/initial-weights.js";
import { ModelSession } from "../../../src/runtime/model/session.js";
import { quietTfjs } from "../../../src/runtime/quiet.js";
import { drawNoise } from "../../../src/runtime/random.js";
import {
  centralDifferences,
  expectMatchesDifferences,
} from "../helpers/finite-differences.js";
import {
  compiled,
  host,
  nd,
  ndAll,
  tinyVaeSpec,
  trainFeeds,
} from "./helpers.js";

beforeAll(async () => {
  quietTfjs();
  await tf.setBackend("cpu");
});

const spec = tinyVaeSpec(2, 1);

const softplus = (v: number): number =>
  Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

/** The dense layers' kernel and bias names, in node order. */
function denseTensors(ir: IrModel): { kernel: string; bias: string }[] {
  return ir.nodes.flatMap((n) =>
    n.op === "dense" ? [{ kernel: n.kernel, bias: n.bias }] : [],
  );
}

describe("the training step of a tiny model", () => {
  const ir = compiled(spec);
  const rule = optimizerRule(ir.train!.optimizer);
  // Encoder head [2 → 2]: column 0 = loc, column 1 = log-variance. Decoder head [1 → 2].
  const We = [0.5, -0.3, -0.25, 0.2];
  const be = [0.1, -0.4];
  const Wd = [1.5, -2.0];
  const bd = [0.2, 0.3];
  const xs = [1, 0, 0.25, 0.75, 0, 1];
  const [enc, dec] = denseTensors(ir);
  const weights: Record<string, HostTensor> = {
    [enc!.kernel]: host([2, 2], We),
    [enc!.bias]: host([2], be),
    [dec!.kernel]: host([1, 2], Wd),
    [dec!.bias]: host([2], bd),
  };
  const batch = { x: host([3, 2], xs) };
  const seed = 1234;
  const beta = 0.7;
  const p = trainStepProgram(ir, 3, rule);

  /** recon, KL (means over the batch) and loss in float64 from the step's noise ε. */
  function byHand(): { recon: number; kl: number; loss: number } {
    const eps = drawNoise(p.noise, seed)["noise/z/0"]!.data;
    let recon = 0;
    let kl = 0;
    for (let i = 0; i < 3; i++) {
      const [a, b] = [Math.fround(xs[2 * i]!), Math.fround(xs[2 * i + 1]!)];
      const w = We.map(Math.fround);
      const mu = a * w[0]! + b * w[2]! + Math.fround(be[0]!);
      const logvar = a * w[1]! + b * w[3]! + Math.fround(be[1]!);
      // Reparameterization: z = μ + σ ε with σ = exp(½ log σ²).
      const sigma = Math.exp(0.5 * logvar);
      const z = mu + sigma * eps[i]!;
      const logits = [0, 1].map(
        (j) => z * Math.fround(Wd[j]!) + Math.fround(bd[j]!),
      );
      // Bernoulli with logits ℓ: log p(x) = x ℓ − softplus(ℓ).
      recon -= [a, b].reduce(
        (s, x, j) => s + x * logits[j]! - softplus(logits[j]!),
        0,
      );
      // Gaussian KL to N(0, 1): ½(σ² + μ² − 1 − log σ²).
      kl += 0.5 * (sigma * sigma + mu * mu - 1 - logvar);
    }
    recon /= 3;
    kl /= 3;
    return { recon, kl, loss: recon + beta * kl };
  }

  it("has the noise plan of one normal draw per row of its one latent", () => {
    expect(p.noise).toEqual([
      { input: "noise/z/0", kind: "normal", shape: [3, 1] },
    ]);
  });

  it("matches recon, KL and loss computed by hand in float64 (interpreter, 1e-12 relative)", () => {
    const want = byHand();
    const feeds = trainFeeds(ir, p, rule, weights, batch, seed, beta);
    const stats = interpret(p.program, feeds)["stats"]!.data;
    // The same float64 arithmetic in another order: rounding only.
    for (const [i, v] of [want.loss, want.recon, want.kl].entries())
      expect(Math.abs(stats[i]! - v)).toBeLessThan(1e-12 * Math.abs(v) + 1e-15);
  });

  it("matches them through a ModelSession on tfjs (float32: 1e-5 relative)", async () => {
    const want = byHand();
    const session = ModelSession.create(ir, new TfjsEngine(), 0);
    session.setWeights(
      Object.entries(weights).map(([name, t]) => ({
        name,
        shape: [...t.shape],
        values: t.data,
      })),
    );
    const stats = await session.trainStep(
      new Map(Object.entries(batch)),
      seed,
      beta,
      1e-3,
    );
    session.dispose();
    for (const [i, v] of [want.loss, want.recon, want.kl].entries())
      expect(Math.abs(stats[i]! - v)).toBeLessThan(1e-5 * Math.abs(v));
  });
});

/** Every parameter kind: network layers, a mixture prior's tensors, a learned decoder scale. */
const rich = `model rich {
  data x : real[3]
  latent z : real[2]
  prior p(z) = GaussianMixture(components: 2)
  encoder q(z | x) = FullNormal(mlp(x, [4], tanh))
  decoder p(x | z) = Normal(loc: linear(z), scale: learned(init: 0.3))
  kl = mc(samples: 2)
}
train rich {
  data = csv(path: "x.csv")
}`;

/** The loss mean(recon + KL) of a batch of `rows` and its gradient wrt every learned tensor. */
function lossAndGradients(ir: IrModel, rows: number): ModelProgram {
  const b = new Builder();
  const g = new ModelGraph(ir, b);
  const noise = new NoiseInputs(b);
  const t = g.terms(g.data(rows), noise);
  const loss = t.recon.mean().add(t.kl.mean());
  const params = ir.parameters.map((p) => g.param(p.name));
  const grads = gradients(loss, params);
  const outputs = Object.fromEntries(
    ir.parameters.map((p, i) => [`grad/${p.name}`, grads[i]!]),
  );
  return {
    program: b.build({ loss, ...outputs }),
    noise: noise.plan,
    updates: new Map(),
  };
}

describe("gradients", () => {
  for (const [name, text] of [
    ["tiny", spec],
    ["rich", rich],
  ] as const)
    it(`reach every learned tensor of the ${name} model and match central differences`, () => {
      const ir = compiled(text);
      const rows = 4;
      const p = lossAndGradients(ir, rows);
      const feeds: Record<string, NdArray> = {
        ...ndAll(initialWeights(ir, 3)),
        ...ndAll(drawNoise(p.noise, 9)),
        "data/x": nd(
          host(
            [rows, ir.views[0]!.width],
            Array.from({ length: rows * ir.views[0]!.width }, (_, i) =>
              name === "tiny" ? i % 2 : Math.sin(i + 1),
            ),
          ),
        ),
      };
      const out = interpret(p.program, feeds);
      const loss = (f: Record<string, NdArray>): number =>
        interpret(p.program, f)["loss"]!.data[0]!;
      // Central differences in float64, h = 1e-5: truncation error O(h²) ≈ 1e-10.
      for (const t of ir.parameters) {
        const g = out[`grad/${t.name}`]!.data;
        expect(Math.max(...g.map(Math.abs)), t.name).toBeGreaterThan(0);
        const fd = centralDifferences(loss, feeds, t.name, 1e-5);
        expectMatchesDifferences(g, fd, 1e-6, t.name);
      }
    });
});

describe("initial weights", () => {
  it("initialise dense layers like PyTorch's nn.Linear: U(−1/√in, 1/√in), seeded", () => {
    const big = compiled(spec.replace("binary[2]", "binary[400]"));
    const [enc] = denseTensors(big);
    const bound = 1 / Math.sqrt(400);
    for (const name of [enc!.kernel, enc!.bias])
      expect(big.parameters.find((t) => t.name === name)!.init).toEqual({
        kind: "uniform",
        low: -bound,
        high: bound,
      });
    const a = initialWeights(big, 3);
    const b = initialWeights(big, 3);
    const c = initialWeights(big, 4);
    const k = a[enc!.kernel]!.data;
    expect(k.length).toBe(800);
    const max = Math.max(...k.map(Math.abs));
    expect(max).toBeLessThanOrEqual(bound);
    expect(max).toBeGreaterThan(0.9 * bound);
    // U(−a, a) has mean 0 and variance a²/3; with 800 draws the sample mean's standard error
    // is a/49 and the variance's about 4% of a²/3: 0.15 a and 20% are over 5 standard errors.
    const mean = k.reduce((s, v) => s + v, 0) / k.length;
    const variance = k.reduce((s, v) => s + (v - mean) ** 2, 0) / k.length;
    expect(Math.abs(mean)).toBeLessThan(0.15 * bound);
    expect(variance / ((bound * bound) / 3)).toBeGreaterThan(0.8);
    expect(variance / ((bound * bound) / 3)).toBeLessThan(1.2);
    expect(b[enc!.kernel]!.data).toEqual(k);
    expect(c[enc!.kernel]!.data).not.toEqual(k);
    expect(c[enc!.bias]!.data).not.toEqual(a[enc!.bias]!.data);
  });
});
