// bernoulli on the program ops: values against the float64 textbook x log p + (1 − x) log(1 − p)
// (the program computes x·λ − softplus(λ)), the draw 1[u < σ(λ)] and its frequency, and logProb
// gradients against finite differences.
import { describe, expect, it } from "vitest";
import type { Sym } from "../../../src/program/builder.js";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import {
  F64,
  Rng,
  checkGradients,
  evaluate,
  expectClose,
  fill,
  gradientValues,
  nd,
  normals,
  uniforms,
} from "./helpers.js";
import { bernoulliLogProb, entry, sigmoid } from "./reference.js";

const D = 4;
const dist = (leaf: (n: string) => Sym, d = D) =>
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
      const out = evaluate(
        (leaf) => ({
          lp: dist(leaf).logProb(leaf("x")),
          mean: dist(leaf).mean(),
        }),
        feeds,
      );
      expectClose(
        out["lp"]!.data,
        bernoulliLogProb(feeds.logits, feeds.x),
        F64,
        "logProb",
      );
      expect(out["mean"]!.shape).toEqual([shape[0], D]);
      const mean = Array.from({ length: shape[0]! * D }, (_, i) =>
        sigmoid(entry(feeds.logits, Math.floor(i / D), i % D)),
      );
      expectClose(out["mean"]!.data, mean, F64, "mean");
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
    const ad = gradientValues(
      (leaf) =>
        dist(leaf)
          .sample([leaf("u")])
          .mul(leaf("r"))
          .sum(),
      feeds,
      ["logits"],
    );
    expect(ad["logits"]!.every((g) => g === 0)).toBe(true);
  });

  it("draws are 1 with frequency σ(λ)", () => {
    // 20 000 draws per column: the frequency is within 5 √(p(1−p)/n) of p = σ(λ).
    const n = 20000;
    const rng = new Rng(43);
    const feeds = {
      logits: nd([1, 3], [-2, 0.3, 1.5]),
      u: uniforms(rng, [n, 3]),
    };
    const x = evaluate(
      (leaf) => ({ x: dist(leaf, 3).sample([leaf("u")]) }),
      feeds,
    )["x"]!.data;
    [0, 1, 2].forEach((j) => {
      const p = sigmoid(feeds.logits.data[j]!);
      const f = x.filter((_, i) => i % 3 === j).reduce((s, v) => s + v, 0) / n;
      expect(Math.abs(f - p), `column ${j}`).toBeLessThan(
        5 * Math.sqrt((p * (1 - p)) / n),
      );
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
      checkGradients(
        (leaf) => dist(leaf).logProb(leaf("x")).mul(leaf("r")).sum(),
        feeds,
        ["logits"],
      );
    }
  });

  it("refuses logits whose columns fit neither 1 nor d", () => {
    evaluate(
      (leaf) => {
        expect(() => dist(leaf)).toThrow(
          /parameter 'logits' has 3 columns, expected 1 or 4/,
        );
        return { x: leaf("logits") };
      },
      { logits: fill([2, 3], () => 0) },
    );
  });
});
