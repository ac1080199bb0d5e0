// bernoulli on the program ops: values against the float64 textbook x log p + (1 − x) log(1 − p)
// (the program computes x·λ − softplus(λ)), the draw 1[u < σ(λ)] and its frequency, and logProb
// gradients against finite differences.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import { fill, nd } from "../helpers/arrays.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import {
  F64,
  checkGradients,
  columnMoments,
  drawn,
  evaluate,
  expectBuildError,
  expectClose,
  expectNoGradient,
  expectWithinSE,
  logProbAndMean,
  logProbLoss,
  sampleLoss,
  type Leaf,
} from "./helpers.js";
import { bernoulliLogProb, broadcastRows, sigmoid } from "./reference.js";

const D = 4;
const dist = (leaf: Leaf, d = D) =>
  makeDistribution("bernoulli", { logits: leaf("logits") }, d);

describe("bernoulli", () => {
  const cases = [
    { name: "decoder", shape: [3, D], rows: 3 },
    { name: "broadcast row", shape: [1, D], rows: 5 },
    { name: "broadcast scalar", shape: [1, 1], rows: 2 },
    { name: "stacked rows", shape: [2, D], rows: 6 },
  ];
  it.each(cases)(
    "logProb and mean match the float64 reference (binary and grey x): $name",
    ({ shape, rows }) => {
      const rng = new Rng(41);
      // Logits of spread 6 reach the softplus tails, and ±35 in column 3 (where σ(λ) rounds to 0
      // or 1 and only the stable forms stay finite); x mixes exact 0/1 with grey levels.
      const feeds = {
        logits: fill(shape, (i) =>
          i % D === 3 ? (Math.floor(i / D) % 2 ? -35 : 35) : 6 * rng.normal(),
        ),
        x: fill([rows, D], (i) => (i % 3 === 0 ? rng.uniform() : i % 2)),
      };
      const { lp, mean } = logProbAndMean(dist, feeds);
      const want = bernoulliLogProb(feeds.logits, feeds.x);
      expectClose(lp.data, want, F64, "logProb");
      expect(mean.shape).toEqual([shape[0], D]);
      const p = broadcastRows(feeds.logits, shape[0]!, D).map(sigmoid);
      expectClose(mean.data, p, F64, "mean");
    },
  );

  it("has no reparameterized draw; sample is 1[u < σ(λ)] and carries no gradient", () => {
    const rng = new Rng(42);
    const feeds = {
      logits: normals(rng, [2, D]),
      u: uniforms(rng, [4, D]),
      r: normals(rng, [4, D]),
    };
    const out = evaluate((leaf) => {
      const d = dist(leaf);
      expect(d.rsample).toBeUndefined();
      expect(d.noise(4)).toEqual([{ kind: "uniform", shape: [4, D] }]);
      return { x: d.sample([leaf("u")]) };
    }, feeds);
    const want = Array.from(feeds.u.data, (u, i) =>
      u < sigmoid(feeds.logits.data[i % (2 * D)]!) ? 1 : 0,
    );
    expect([...out["x"]!.data]).toEqual(want);
    expectNoGradient(sampleLoss(dist, ["u"]), feeds, ["logits"]);
  });

  it("draws are 1 with frequency σ(λ)", () => {
    // 20 000 draws per column: the frequency is within 5 √(p(1−p)/n) of p = σ(λ).
    const n = 20000;
    const rng = new Rng(43);
    const feeds = {
      logits: nd([1, 3], [-2, 0.3, 1.5]),
      u: uniforms(rng, [n, 3]),
    };
    const freq = columnMoments(drawn((l) => dist(l, 3), feeds, ["u"])).mean;
    [0, 1, 2].forEach((j) => {
      const p = sigmoid(feeds.logits.data[j]!);
      expectWithinSE(freq[j]!, p, Math.sqrt((p * (1 - p)) / n), `column ${j}`);
    });
  });

  it("logProb gradients match central differences, broadcast and stacked", () => {
    const rng = new Rng(44);
    for (const shape of [
      [2, D],
      [1, 1],
    ]) {
      const feeds = {
        logits: normals(rng, shape, 2),
        x: uniforms(rng, [4, D]),
        r: normals(rng, [4]),
      };
      checkGradients(logProbLoss(dist), feeds, ["logits"]);
    }
  });

  it("refuses logits whose columns fit neither 1 nor d", () => {
    expectBuildError(
      (leaf) => dist(leaf),
      { logits: fill([2, 3], () => 0) },
      /parameter 'logits' has 3 columns, expected 1 or 4/,
    );
  });
});
