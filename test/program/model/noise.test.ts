// The noise a model's programs read (the reparameterization trick's ε, Monte Carlo KL draws,
// Gumbel-max uniforms): the plan names one input per draw with its shape, the run's seeded
// generator fills it the same way for the same seed, and so a training step on a fresh session
// repeats bit for bit.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TfjsEngine } from "../../../src/engines/tfjs/engine.js";
import { priorSampleProgram } from "../../../src/program/model/explore.js";
import { trainStepProgram } from "../../../src/program/model/programs.js";
import { optimizerRule } from "../../../src/program/optimizers.js";
import { ModelSession } from "../../../src/runtime/model/session.js";
import { quietTfjs } from "../../../src/runtime/quiet.js";
import { drawNoise } from "../../../src/runtime/random.js";
import { compiled, host } from "./helpers.js";

beforeAll(async () => {
  quietTfjs();
  await tf.setBackend("cpu");
});

const twoLatents = (kl: string): string => `model two {
  data x : binary[4]
  data y : real[3]
  latent z : real[3]
  latent w : real[2]
  prior p(z) = Normal(0, 1)
  prior p(w) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [8], relu))
  encoder q(w | y) = DiagNormal(linear(y))
  decoder p(x | z) = Bernoulli(logits: linear(z))
  decoder p(y | w) = Normal(loc: linear(w), scale: 0.5)
  kl = ${kl}
}
train two {
  data = csv(path: "xy.csv")
  views = { x: columns(0 -> 4), y: columns(4 -> 7) }
}`;

/** The training step of the two-latent model with KL `kl`, for batches of 5 rows. */
const step = (kl: string) => {
  const ir = compiled(twoLatents(kl));
  return trainStepProgram(ir, 5, optimizerRule(ir.train!.optimizer));
};

describe("the noise plan of a training step", () => {
  it("names one standard normal input per latent, [rows, width]", () => {
    const p = step("analytic");
    expect(p.noise).toEqual([
      { input: "noise/z/0", kind: "normal", shape: [5, 3] },
      { input: "noise/w/0", kind: "normal", shape: [5, 2] },
    ]);
    // Each is a program input of that shape, and no other input is noise.
    const inputs = new Map(p.program.inputs.map((i) => [i.name, i.shape]));
    for (const slot of p.noise)
      expect(inputs.get(slot.input), slot.input).toEqual(slot.shape);
    const noisy = p.program.inputs.filter((i) => i.name.startsWith("noise/"));
    expect(noisy.length).toBe(2);
  });

  it("adds S stacked draws per latent for a Monte Carlo KL of S samples", () => {
    expect(step("mc(samples: 3)").noise).toEqual([
      { input: "noise/z/0", kind: "normal", shape: [5, 3] },
      { input: "noise/kl/z/0", kind: "normal", shape: [15, 3] },
      { input: "noise/w/0", kind: "normal", shape: [5, 2] },
      { input: "noise/kl/w/0", kind: "normal", shape: [15, 2] },
    ]);
  });
});

describe("drawNoise", () => {
  const ir = compiled(
    twoLatents("auto").replace(
      "prior p(z) = Normal(0, 1)",
      "prior p(z) = GaussianMixture(components: 4)",
    ),
  );
  // A mixture's prior draw reads Gumbel-max uniforms as well as normals.
  const plan = priorSampleProgram(ir, 2000).noise;

  it("fills the plan: every slot with its shape, normals N(0, 1), uniforms in (0, 1)", () => {
    expect(plan.map((s) => s.kind).sort()).toEqual([
      "normal",
      "normal",
      "uniform",
    ]);
    const got = drawNoise(plan, 17);
    for (const slot of plan) {
      const t = got[slot.input]!;
      expect(t.shape).toEqual(slot.shape);
      const v = t.data;
      expect(v.length).toBe(slot.shape.reduce((a, b) => a * b, 1));
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
      if (slot.kind === "uniform") {
        expect(v.every((x) => x > 0 && x < 1)).toBe(true);
        // U(0, 1): mean ½, variance 1/12; n ≥ 4000, so 0.02 is over 4 standard errors.
        expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
        expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.01);
      } else {
        // N(0, 1) with n ≥ 4000: standard errors 0.016 (mean) and 0.022 (variance).
        expect(Math.abs(mean)).toBeLessThan(0.08);
        expect(Math.abs(variance - 1)).toBeLessThan(0.1);
      }
    }
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = drawNoise(plan, 17);
    const b = drawNoise(plan, 17);
    const c = drawNoise(plan, 18);
    for (const slot of plan) {
      expect(b[slot.input]!.data, slot.input).toEqual(a[slot.input]!.data);
      expect(c[slot.input]!.data, slot.input).not.toEqual(a[slot.input]!.data);
    }
    // Slots are drawn in plan order from one stream: distinct slots get distinct values.
    const [first, second] = plan.filter((s) => s.kind === "normal");
    expect(a[second!.input]!.data.subarray(0, 8)).not.toEqual(
      a[first!.input]!.data.subarray(0, 8),
    );
  });
});

describe("a ModelSession training step", () => {
  const ir = compiled(twoLatents("mc(samples: 2)"));
  const batch = () =>
    new Map([
      [
        "x",
        host(
          [6, 4],
          Array.from({ length: 24 }, (_, i) => (i * 7) % 2),
        ),
      ],
      [
        "y",
        host(
          [6, 3],
          Array.from({ length: 18 }, (_, i) => Math.cos(i)),
        ),
      ],
    ]);

  /** Three steps on a fresh session seeded 5; the stats of each and the weights after. */
  async function run(stepSeed: number): Promise<{
    stats: Float32Array[];
    weights: Float32Array[];
  }> {
    const session = ModelSession.create(ir, new TfjsEngine(), 5);
    const stats: Float32Array[] = [];
    for (const i of [0, 1, 2])
      stats.push(await session.trainStep(batch(), stepSeed + i, 0.5, 1e-2));
    const weights = session.weights().map((w) => w.values);
    session.dispose();
    return { stats, weights };
  }

  it("gives bit-identical stats and weights with the same seed on two fresh sessions", async () => {
    const a = await run(100);
    const b = await run(100);
    expect(b.stats).toEqual(a.stats);
    expect(b.weights).toEqual(a.weights);
    // The steps change the loss, and another noise seed changes the stats.
    expect(a.stats[2]![0]).not.toBe(a.stats[0]![0]);
    expect((await run(200)).stats[0]).not.toEqual(a.stats[0]);
  });
});
