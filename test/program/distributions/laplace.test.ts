// laplace on the program ops: values against the float64 Laplace log-density, the inverse-CDF
// reparameterized draw (formula and moments), and gradients against finite differences.
import { describe, expect, it } from "vitest";
import type { Sym } from "../../../src/program/builder.js";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import {
  F64,
  Rng,
  checkGradients,
  columnMoments,
  evaluate,
  expectClose,
  nd,
  normals,
  uniforms,
} from "./helpers.js";
import { entry, laplaceLogProb } from "./reference.js";

const D = 3;
const dist = (leaf: (n: string) => Sym, d = D) =>
  makeDistribution("laplace", { loc: leaf("loc"), scale: leaf("scale") }, d);

describe("laplace", () => {
  const cases = [
    { name: "decoder", locShape: [3, D], scaleShape: [3, D], rows: 3 },
    { name: "broadcast", locShape: [1, D], scaleShape: [1, 1], rows: 4 },
    { name: "stacked rows", locShape: [2, D], scaleShape: [2, D], rows: 6 },
  ];
  it.each(cases)(
    "logProb and mean match the float64 Laplace density: $name",
    ({ locShape, scaleShape, rows }) => {
      const rng = new Rng(61);
      const feeds = {
        loc: normals(rng, locShape),
        scale: uniforms(rng, scaleShape, 0.3, 2),
        x: normals(rng, [rows, D], 2),
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
        laplaceLogProb(feeds.loc, feeds.scale, feeds.x),
        F64,
        "logProb",
      );
      const mean = Array.from({ length: locShape[0]! * D }, (_, i) =>
        entry(feeds.loc, Math.floor(i / D), i % D),
      );
      expectClose(out["mean"]!.data, mean, { abs: 0 }, "mean");
    },
  );

  it("rsample is μ − b·sign(v)·log1p(−|v|), v = 2u − 1", () => {
    const rng = new Rng(62);
    const feeds = {
      loc: normals(rng, [2, D]),
      scale: uniforms(rng, [2, D], 0.5, 2),
      u: uniforms(rng, [4, D]),
    };
    const out = evaluate((leaf) => {
      expect(dist(leaf).noise(4)).toEqual([{ kind: "uniform", shape: [4, D] }]);
      return { z: dist(leaf).rsample!([leaf("u")]) };
    }, feeds);
    const want = Array.from(feeds.u.data, (u, i) => {
      const v = 2 * u - 1;
      const p = i % (2 * D);
      return (
        feeds.loc.data[p]! -
        feeds.scale.data[p]! * Math.sign(v) * Math.log1p(-Math.abs(v))
      );
    });
    expectClose(out["z"]!.data, want, { abs: 1e-12 }, "z");
  });

  it("draws have mean μ and variance 2b²", () => {
    // 40 000 draws: the mean within 5 √(2b²/n); the variance within 5 standard errors
    // √((μ₄ − σ⁴)/n) = √(20 b⁴/n) (Laplace: μ₄ = 24 b⁴, σ² = 2b²).
    const n = 40000;
    const rng = new Rng(63);
    const feeds = {
      loc: nd([1, 2], [1, -3]),
      scale: nd([1, 2], [0.5, 2]),
      u: uniforms(rng, [n, 2]),
    };
    const m = columnMoments(
      evaluate((leaf) => ({ z: dist(leaf, 2).rsample!([leaf("u")]) }), feeds)[
        "z"
      ]!,
    );
    [0, 1].forEach((j) => {
      const b = feeds.scale.data[j]!;
      expect(Math.abs(m.mean[j]! - feeds.loc.data[j]!)).toBeLessThan(
        5 * Math.sqrt((2 * b * b) / n),
      );
      expect(Math.abs(m.variance[j]! - 2 * b * b)).toBeLessThan(
        5 * Math.sqrt((20 * b ** 4) / n),
      );
    });
  });

  it("logProb and rsample gradients match central differences", () => {
    const rng = new Rng(64);
    const feeds = {
      loc: normals(rng, [2, D]),
      scale: uniforms(rng, [2, D], 0.5, 2),
      x: normals(rng, [4, D], 2),
      u: uniforms(rng, [4, D]),
      r: normals(rng, [4, D]),
    };
    // |x − μ| is a kink only at x = μ, which seeded normal draws avoid by far more than h.
    checkGradients(
      (leaf) =>
        dist(leaf)
          .logProb(leaf("x"))
          .mul(leaf("r").columns(0, 1).reshape([4]))
          .sum(),
      feeds,
      ["loc", "scale"],
    );
    checkGradients(
      (leaf) =>
        dist(leaf).rsample!([leaf("u")])
          .mul(leaf("r"))
          .sum(),
      feeds,
      ["loc", "scale"],
    );
  });
});
