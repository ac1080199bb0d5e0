// normal / diag_normal on the program ops: values against the float64 Gaussian log-density
// (rank-0 and rank-1 parameters included), the reparameterized draw's formula and moments, and
// gradients against finite differences.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import { fill, nd } from "../helpers/arrays.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import {
  F64,
  checkGradients,
  checkLocationScale,
  columnMoments,
  drawn,
  evaluate,
  expectBuildError,
  expectClose,
  expectNoGradient,
  expectWithinSE,
  gradientValues,
  locScale,
  logProbAndMean,
  logProbLoss,
  rsampleLoss,
  sampleLoss,
  type Leaf,
} from "./helpers.js";
import { normalLogProb } from "./reference.js";

const D = 4;

describe.each(["normal", "diag_normal"])("%s", (family) => {
  const dist = (leaf: Leaf, d = D) =>
    makeDistribution(family, { loc: leaf("loc"), scale: leaf("scale") }, d);
  // Encoder (batch 3), prior with a broadcast scale column (batch 1), stacked rows (2 draws of 3).
  const cases = [
    { name: "encoder", locShape: [3, D], scaleShape: [3, D], rows: 3 },
    { name: "prior, broadcast", locShape: [1, D], scaleShape: [1, 1], rows: 5 },
    { name: "stacked rows", locShape: [3, D], scaleShape: [3, D], rows: 6 },
  ];
  it.each(cases)("logProb and mean match the float64 Gaussian: $name", (c) =>
    checkLocationScale(dist, normalLogProb, c, D, 11),
  );

  it("takes a scalar prior N(0, 1) and rank-1 parameters, broadcast to width d", () => {
    const rng = new Rng(15);
    const x = normals(rng, [3, D]);
    for (const [loc, scale] of [
      [nd([], [0]), nd([], [1])],
      [normals(rng, [D]), uniforms(rng, [D], 0.5, 2)],
    ] as const) {
      const { lp, mean } = logProbAndMean(
        (leaf) => {
          const d = dist(leaf);
          expect(d.batch).toBe(1);
          return d;
        },
        { loc, scale, x },
      );
      expectClose(lp.data, normalLogProb(loc, scale, x), F64, "lp");
      expect(mean.shape).toEqual([1, D]);
    }
  });

  it("rsample is μ + σ ⊙ ε for the given noise, stacked rows included", () => {
    const rng = new Rng(12);
    const feeds = { ...locScale(rng, 2, D), eps: normals(rng, [6, D]) };
    const out = evaluate((leaf) => {
      const d = dist(leaf);
      expect(d.noise(6)).toEqual([{ kind: "normal", shape: [6, D] }]);
      return { z: d.rsample!([leaf("eps")]), s: d.sample([leaf("eps")]) };
    }, feeds);
    const want = fill([6, D], (i) => {
      const p = i % (2 * D); // row s·B + b reads example b's parameters
      return feeds.loc.data[p]! + feeds.scale.data[p]! * feeds.eps.data[i]!;
    });
    expectClose(out["z"]!.data, want.data, { abs: 1e-12 }, "z");
    expectClose(out["s"]!.data, want.data, { abs: 1e-12 }, "sample");
  });

  it("draws have the stated mean and variance", () => {
    // 20 000 draws: the sample mean is within 5 standard errors σ/√n of μ and the sample
    // variance within 5·σ²·√(2/n) of σ² (a false failure has probability below 1e-5 per check).
    const n = 20000;
    const rng = new Rng(13);
    const feeds = {
      loc: fill([1, 2], (i) => [0.7, -2][i]!),
      scale: fill([1, 2], (i) => [0.5, 3][i]!),
      eps: normals(rng, [n, 2]),
    };
    const m = columnMoments(drawn((l) => dist(l, 2), feeds, ["eps"], true));
    [0, 1].forEach((j) => {
      const mu = feeds.loc.data[j]!;
      const s = feeds.scale.data[j]!;
      expectWithinSE(m.mean[j]!, mu, s / Math.sqrt(n), `mean ${j}`);
      const se = s * s * Math.sqrt(2 / n);
      expectWithinSE(m.variance[j]!, s * s, se, `variance ${j}`);
    });
  });

  it("logProb and rsample gradients match central differences; sample has none", () => {
    const rng = new Rng(14);
    const feeds = {
      ...locScale(rng, 2, 3),
      x: normals(rng, [4, 3]),
      eps: normals(rng, [4, 3]),
      r: normals(rng, [4, 3]),
    };
    const d3 = (leaf: Leaf) => dist(leaf, 3);
    const params = ["loc", "scale"];
    checkGradients(logProbLoss(d3), feeds, params);
    checkGradients(rsampleLoss(d3, ["eps"]), feeds, params);
    expectNoGradient(sampleLoss(d3, ["eps"]), feeds, params);
  });

  it("a batch-1 prior's draws send their gradients back to the shared parameters", () => {
    // z = μ + σ ε over 8 rows of one [1, 1] μ and σ: d mean(z)/dμ = 1 and d mean(z)/dσ = mean(ε)
    // exactly (the broadcast's gradient sums over the copies).
    const rng = new Rng(16);
    const feeds = {
      loc: nd([1, 1], [0.3]),
      scale: nd([1, 1], [2]),
      eps: normals(rng, [8, D]),
    };
    const ad = gradientValues(
      (leaf) => dist(leaf).rsample!([leaf("eps")]).mean(),
      feeds,
      ["loc", "scale"],
    );
    const meanEps = feeds.eps.data.reduce((s, v) => s + v, 0) / (8 * D);
    expectClose(ad["loc"]!, [1], { abs: 1e-15 }, "d/dμ");
    expectClose(ad["scale"]!, [meanEps], { abs: 1e-15 }, "d/dσ");
  });

  it("gaussianMarginals are loc and scale broadcast to [B, d]", () => {
    const feeds = { loc: fill([3, 2], (i) => i), scale: fill([1, 1], () => 2) };
    const out = evaluate((leaf) => {
      const m = dist(leaf, 2).gaussianMarginals!();
      return { loc: m.loc, scale: m.scale };
    }, feeds);
    expect(out["loc"]!.shape).toEqual([3, 2]);
    expect([...out["scale"]!.data]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it("refuses rows that are not a multiple of the batch and mis-shaped noise", () => {
    const feeds = {
      loc: fill([2, 2], () => 0),
      scale: fill([2, 2], () => 1),
      eps: fill([4, 3], () => 0),
    };
    const refused = (make: (leaf: Leaf) => unknown, message: RegExp) =>
      expectBuildError(make, feeds, message);
    refused(
      (leaf) => dist(leaf, 2).noise(5),
      /cannot draw 5 rows from parameters of batch 2/,
    );
    refused(
      (leaf) => dist(leaf, 2).rsample!([leaf("eps")]),
      /reads noise normal \[4, 2\], got \[4, 3\]/,
    );
    refused(
      (leaf) => dist(leaf, 2).logProb(leaf("eps")),
      /data must be \[N, 2\], got \[4, 3\]/,
    );
  });
});
