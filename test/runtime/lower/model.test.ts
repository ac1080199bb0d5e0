// The lowering against a hand computation: a 2-pixel, 1-latent VAE with chosen weights; its loss,
// recon and KL computed here in float64 from the same noise must match the tfjs graph.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { LoweredModel } from "../../../src/runtime/lower/model.js";
import { deriveSeed, Stream } from "../../../src/runtime/lower/seeds.js";

const spec = `model tiny {
  data x : binary[2]
  latent z : real[1]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(linear(x))
  decoder p(x | z) = Bernoulli(logits: linear(z))
}`;

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const softplus = (v: number): number =>
  Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

describe("lowering a tiny model", () => {
  const ir = compile(spec, "tiny.vae").models[0]!;
  // Encoder head [2 → 2]: column 0 = loc, column 1 = log-variance. Decoder head [1 → 2].
  const We = [
    [0.5, -0.3],
    [-0.25, 0.2],
  ];
  const be = [0.1, -0.4];
  const Wd = [[1.5, -2.0]];
  const bd = [0.2, 0.3];
  const xs = [
    [1, 0],
    [0.25, 0.75],
    [0, 1],
  ];

  function withWeights(): LoweredModel {
    const m = new LoweredModel(ir, 0);
    const [enc, dec] = ir.nodes
      .filter((n) => n.op === "dense")
      .map((n) => n.id);
    m.variables.get(`${enc}.kernel`)!.assign(tf.tensor2d(We));
    m.variables.get(`${enc}.bias`)!.assign(tf.tensor1d(be));
    m.variables.get(`${dec}.kernel`)!.assign(tf.tensor2d(Wd));
    m.variables.get(`${dec}.bias`)!.assign(tf.tensor1d(bd));
    return m;
  }

  it("matches recon, KL and loss computed by hand (tolerance 1e-5 relative: float32 arithmetic)", () => {
    const m = withWeights();
    const seed = 1234;
    const beta = 0.7;
    const eps = tf
      .randomNormal([3, 1], 0, 1, "float32", deriveSeed(seed, Stream.noise, 0))
      .arraySync() as number[][];
    const batch = new Map([["x", tf.tensor2d(xs)]]);
    const got = m.loss(batch, seed, beta);
    let recon = 0;
    let kl = 0;
    xs.forEach(([a, b], i) => {
      const mu = a! * We[0]![0]! + b! * We[1]![0]! + be[0]!;
      const logvar = a! * We[0]![1]! + b! * We[1]![1]! + be[1]!;
      const sigma = Math.exp(0.5 * logvar);
      const z = mu + sigma * eps[i]![0]!;
      const logits = [z * Wd[0]![0]! + bd[0]!, z * Wd[0]![1]! + bd[1]!];
      recon += -[a!, b!].reduce(
        (s, x, j) => s + x * logits[j]! - softplus(logits[j]!),
        0,
      );
      kl += 0.5 * (sigma * sigma + mu * mu - 1 - logvar);
    });
    recon /= 3;
    kl /= 3;
    expect(got.recon.dataSync()[0]).toBeCloseTo(recon, 5);
    expect(got.kl.dataSync()[0]).toBeCloseTo(kl, 5);
    expect(got.loss.dataSync()[0]).toBeCloseTo(recon + beta * kl, 5);
    m.dispose();
  });

  it("gives every variable a nonzero gradient (gradients flow through rsample)", () => {
    const m = withWeights();
    const batch = new Map([["x", tf.tensor2d(xs)]]);
    const { grads } = tf.variableGrads(
      () => m.loss(batch, 7, 1).loss,
      [...m.variables.values()],
    );
    for (const [name, g] of Object.entries(grads))
      expect(tf.max(tf.abs(g)).dataSync()[0], name).toBeGreaterThan(0);
    m.dispose();
  });

  it("initialises dense layers like PyTorch's nn.Linear: U(−1/√in, 1/√in), seeded", () => {
    const big = compile(spec.replace("binary[2]", "binary[400]"), "t.vae")
      .models[0]!;
    const a = new LoweredModel(big, 3);
    const b = new LoweredModel(big, 3);
    const c = new LoweredModel(big, 4);
    const enc = big.nodes.find((n) => n.op === "dense")!.id;
    const k = a.variables.get(`${enc}.kernel`)!;
    const bound = 1 / Math.sqrt(400);
    expect(tf.max(tf.abs(k)).dataSync()[0]).toBeLessThanOrEqual(bound);
    expect(tf.max(tf.abs(k)).dataSync()[0]).toBeGreaterThan(0.9 * bound);
    expect(
      tf
        .equal(k, b.variables.get(`${enc}.kernel`)!)
        .all()
        .dataSync()[0],
    ).toBe(1);
    expect(
      tf
        .equal(k, c.variables.get(`${enc}.kernel`)!)
        .all()
        .dataSync()[0],
    ).toBe(0);
    [a, b, c].forEach((m) => m.dispose());
  });
});
