// laplace on the program ops: values against the float64 Laplace log-density, the inverse-CDF
// reparameterized draw (formula and moments), and gradients against finite differences.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import { nd } from "../helpers/arrays.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import {
  checkGradients,
  checkLocationScale,
  columnMoments,
  drawn,
  evaluate,
  expectClose,
  expectWithinSE,
  locScale,
  logProbLoss,
  rsampleLoss,
  type Leaf,
} from "./helpers.js";
import { laplaceLogProb } from "./reference.js";

const D = 3;
const dist = (leaf: Leaf, d = D) =>
  makeDistribution("laplace", { loc: leaf("loc"), scale: leaf("scale") }, d);

describe("laplace", () => {
  const cases = [
    { name: "decoder", locShape: [3, D], scaleShape: [3, D], rows: 3 },
    { name: "broadcast", locShape: [1, D], scaleShape: [1, 1], rows: 4 },
    { name: "stacked rows", locShape: [2, D], scaleShape: [2, D], rows: 6 },
  ];
  it.each(cases)(
    "logProb and mean match the float64 Laplace density: $name",
    (c) => checkLocationScale(dist, laplaceLogProb, c, D, 61),
  );

  it("rsample is μ − b·sign(v)·log1p(−|v|), v = 2u − 1", () => {
    const rng = new Rng(62);
    const feeds = { ...locScale(rng, 2, D), u: uniforms(rng, [4, D]) };
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
    const u = uniforms(new Rng(63), [n, 2]);
    const feeds = { loc: nd([1, 2], [1, -3]), scale: nd([1, 2], [0.5, 2]), u };
    const m = columnMoments(drawn((l) => dist(l, 2), feeds, ["u"], true));
    [0, 1].forEach((j) => {
      const b = feeds.scale.data[j]!;
      const [mu, v] = [feeds.loc.data[j]!, 2 * b * b];
      expectWithinSE(m.mean[j]!, mu, Math.sqrt(v / n), `mean ${j}`);
      const se = Math.sqrt((20 * b ** 4) / n);
      expectWithinSE(m.variance[j]!, v, se, `variance ${j}`);
    });
  });

  it("logProb and rsample gradients match central differences", () => {
    const rng = new Rng(64);
    const feeds = {
      ...locScale(rng, 2, D),
      x: normals(rng, [4, D], 2),
      u: uniforms(rng, [4, D]),
      r: normals(rng, [4, D]),
    };
    // |x − μ| is a kink only at x = μ, which seeded normal draws avoid by far more than h.
    checkGradients(logProbLoss(dist), feeds, ["loc", "scale"]);
    checkGradients(rsampleLoss(dist, ["u"]), feeds, ["loc", "scale"]);
  });
});
