// normal / diag_normal on the program ops: values against the float64 Gaussian log-density
// (rank-0 and rank-1 parameters included), the reparameterized draw's formula and moments, and
// gradients against finite differences.
import { describe, expect, it } from "vitest";
import type { Sym } from "../../../src/program/builder.js";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import {
  F64,
  Rng,
  checkGradients,
  gradientValues,
  columnMoments,
  evaluate,
  expectClose,
  fill,
  nd,
  normals,
  uniforms,
} from "./helpers.js";
import { entry, normalLogProb } from "./reference.js";

const D = 4;

describe.each(["normal", "diag_normal"])("%s", (family) => {
  // Encoder (batch 3), prior with a broadcast scale column (batch 1), stacked rows (2 draws of 3).
  const cases = [
    { name: "encoder", locShape: [3, D], scaleShape: [3, D], rows: 3 },
    { name: "prior, broadcast", locShape: [1, D], scaleShape: [1, 1], rows: 5 },
    { name: "stacked rows", locShape: [3, D], scaleShape: [3, D], rows: 6 },
  ];
  it.each(cases)(
    "logProb and mean match the float64 Gaussian: $name",
    ({ locShape, scaleShape, rows }) => {
      const rng = new Rng(11);
      const feeds = {
        loc: normals(rng, locShape),
        scale: uniforms(rng, scaleShape, 0.3, 2),
        x: normals(rng, [rows, D], 2),
      };
      const out = evaluate((leaf) => {
        const d = makeDistribution(
          family,
          { loc: leaf("loc"), scale: leaf("scale") },
          D,
        );
        return { lp: d.logProb(leaf("x")), mean: d.mean() };
      }, feeds);
      const want = normalLogProb(feeds.loc, feeds.scale, feeds.x);
      expectClose(out["lp"]!.data, want, F64, "logProb");
      expect(out["mean"]!.shape).toEqual([locShape[0], D]);
      const mean = Array.from({ length: locShape[0]! * D }, (_, i) =>
        entry(feeds.loc, Math.floor(i / D), i % D),
      );
      expectClose(out["mean"]!.data, mean, { abs: 0 }, "mean");
    },
  );

  it("takes a scalar prior N(0, 1) and rank-1 parameters, broadcast to width d", () => {
    const rng = new Rng(15);
    const x = normals(rng, [3, D]);
    for (const [loc, scale] of [
      [nd([], [0]), nd([], [1])],
      [normals(rng, [D]), uniforms(rng, [D], 0.5, 2)],
    ] as const) {
      const out = evaluate(
        (leaf) => {
          const d = makeDistribution(
            family,
            { loc: leaf("loc"), scale: leaf("scale") },
            D,
          );
          expect(d.batch).toBe(1);
          return { lp: d.logProb(leaf("x")), mean: d.mean() };
        },
        { loc, scale, x },
      );
      expectClose(out["lp"]!.data, normalLogProb(loc, scale, x), F64, "lp");
      expect(out["mean"]!.shape).toEqual([1, D]);
    }
  });

  it("rsample is μ + σ ⊙ ε for the given noise, stacked rows included", () => {
    const rng = new Rng(12);
    const feeds = {
      loc: normals(rng, [2, D]),
      scale: uniforms(rng, [2, D], 0.5, 2),
      eps: normals(rng, [6, D]),
    };
    const out = evaluate((leaf) => {
      const d = makeDistribution(
        family,
        { loc: leaf("loc"), scale: leaf("scale") },
        D,
      );
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
    const out = evaluate((leaf) => {
      const d = makeDistribution(
        family,
        { loc: leaf("loc"), scale: leaf("scale") },
        2,
      );
      return { z: d.rsample!([leaf("eps")]) };
    }, feeds);
    const m = columnMoments(out["z"]!);
    [0, 1].forEach((j) => {
      const mu = feeds.loc.data[j]!;
      const s = feeds.scale.data[j]!;
      expect(Math.abs(m.mean[j]! - mu)).toBeLessThan((5 * s) / Math.sqrt(n));
      expect(Math.abs(m.variance[j]! - s * s)).toBeLessThan(
        5 * s * s * Math.sqrt(2 / n),
      );
    });
  });

  it("logProb and rsample gradients match central differences; sample has none", () => {
    const rng = new Rng(14);
    const feeds = {
      loc: normals(rng, [2, 3]),
      scale: uniforms(rng, [2, 3], 0.5, 2),
      x: normals(rng, [4, 3]),
      eps: normals(rng, [4, 3]),
      r: normals(rng, [4, 3]),
    };
    const dist = (leaf: (n: string) => Sym) =>
      makeDistribution(family, { loc: leaf("loc"), scale: leaf("scale") }, 3);
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
        dist(leaf).rsample!([leaf("eps")])
          .mul(leaf("r"))
          .sum(),
      feeds,
      ["loc", "scale"],
    );
    const ad = gradientValues(
      (leaf) =>
        dist(leaf)
          .sample([leaf("eps")])
          .mul(leaf("r"))
          .sum(),
      feeds,
      ["loc", "scale"],
    );
    expect([...ad["loc"]!, ...ad["scale"]!].every((g) => g === 0)).toBe(true);
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
      (leaf) =>
        makeDistribution(family, { loc: leaf("loc"), scale: leaf("scale") }, D)
          .rsample!([leaf("eps")]).mean(),
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
      const m = makeDistribution(
        family,
        { loc: leaf("loc"), scale: leaf("scale") },
        2,
      ).gaussianMarginals!();
      return { loc: m.loc, scale: m.scale };
    }, feeds);
    expect(out["loc"]!.shape).toEqual([3, 2]);
    expect([...out["scale"]!.data]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it("refuses rows that are not a multiple of the batch and mis-shaped noise", () => {
    evaluate(
      (leaf) => {
        const d = makeDistribution(
          family,
          { loc: leaf("loc"), scale: leaf("scale") },
          2,
        );
        expect(() => d.noise(5)).toThrow(
          /cannot draw 5 rows from parameters of batch 2/,
        );
        expect(() => d.rsample!([leaf("eps")])).toThrow(
          /reads noise normal \[4, 2\], got \[4, 3\]/,
        );
        expect(() => d.logProb(leaf("eps"))).toThrow(
          /data must be \[N, 2\], got \[4, 3\]/,
        );
        return { m: d.mean() };
      },
      {
        loc: fill([2, 2], () => 0),
        scale: fill([2, 2], () => 1),
        eps: fill([4, 3], () => 0),
      },
    );
  });
});
