// full_normal (Cholesky posteriors) on the program ops: the factor L's layout, values against
// float64 forward substitution and against an explicit inverse and determinant of Σ = L Lᵀ, the
// draw μ + Lε and its covariance L Lᵀ, and gradients against finite differences.
import { describe, expect, it } from "vitest";
import {
  FullGaussian,
  makeDistribution,
} from "../../../src/program/distributions/index.js";
import { fill, nd } from "../helpers/arrays.js";
import { Rng, normals } from "../helpers/random.js";
import {
  F64,
  checkGradients,
  drawn,
  evaluate,
  expectBuildError,
  expectClose,
  expectWithinSE,
  logProbLoss,
  packedTril,
  rsampleLoss,
  type Leaf,
} from "./helpers.js";
import {
  fullNormalLogProb,
  matMul,
  mvnLogPdf,
  normalLogPdf,
  row,
  transpose,
  trilOf,
} from "./reference.js";

const dist = (leaf: Leaf, d: number) =>
  makeDistribution(
    "full_normal",
    { loc: leaf("loc"), scale_tril: leaf("tril") },
    d,
  );

/** Seeded loc [rows, d] and packed factor [trilRows, d(d+1)/2], drawn in that order. */
const params = (rng: Rng, d: number, rows = 2, trilRows = rows) => ({
  loc: normals(rng, [rows, d]),
  tril: packedTril(rng, trilRows, d),
});

describe("full_normal", () => {
  const cases = [
    { name: "encoder d=3", d: 3, locRows: 3, trilRows: 3, rows: 3 },
    {
      name: "shared factor, broadcast",
      d: 3,
      locRows: 3,
      trilRows: 1,
      rows: 3,
    },
    { name: "stacked rows", d: 3, locRows: 2, trilRows: 2, rows: 6 },
    { name: "d=1", d: 1, locRows: 2, trilRows: 2, rows: 4 },
  ];
  it.each(cases)(
    "logProb, mean and marginals match float64 forward substitution: $name",
    ({ d, locRows, trilRows, rows }) => {
      const rng = new Rng(21 + d);
      const feeds = {
        ...params(rng, d, locRows, trilRows),
        x: normals(rng, [rows, d], 1.5),
      };
      const out = evaluate((leaf) => {
        const q = dist(leaf, d);
        const m = q.gaussianMarginals!();
        return { lp: q.logProb(leaf("x")), mean: q.mean(), sd: m.scale };
      }, feeds);
      expectClose(
        out["lp"]!.data,
        fullNormalLogProb(feeds.loc, feeds.tril, feeds.x),
        F64,
        "logProb",
      );
      expectClose(out["mean"]!.data, feeds.loc.data, { abs: 0 }, "mean");
      // Marginal sd √(Σ_j L_ij²) in float64.
      const wantSd = Array.from({ length: locRows }, (_, b) =>
        trilOf(feeds.tril, b, d).map((li) => Math.hypot(...li)),
      ).flat();
      expectClose(
        out["sd"]!.data,
        wantSd,
        { abs: 1e-12, rel: 1e-12 },
        "marginal sd",
      );
    },
  );

  it("builds L lower triangular: τ on the diagonal, L′ packed row-major below", () => {
    // d = 4: packed [τ₀ τ₁ τ₂ τ₃ | L₁₀ L₂₀ L₂₁ L₃₀ L₃₁ L₃₂], entries chosen distinct.
    const d = 4;
    const packed = nd(
      [2, 10],
      [
        0.5, 0.6, 0.7, 0.8, 1, 2, 3, 4, 5, 6, 1.5, 2.5, 3.5, 4.5, -1, -2, -3,
        -4, -5, -6,
      ],
    );
    const flat = evaluate(
      (leaf) => ({ l: (dist(leaf, d) as FullGaussian).scaleTrilFlat() }),
      { loc: fill([2, d], () => 0), tril: packed },
    )["l"]!;
    expect(flat.shape).toEqual([2, d * d]);
    expect([...flat.data.subarray(0, 16)]).toEqual([
      0.5, 0, 0, 0, 1, 0.6, 0, 0, 2, 3, 0.7, 0, 4, 5, 6, 0.8,
    ]);
    expect([...flat.data.subarray(16)]).toEqual(trilOf(packed, 1, d).flat());
  });

  it("logProb matches log N(x; μ, LLᵀ) by an explicit inverse and determinant; d = 1 is N(μ, τ²)", () => {
    const rng = new Rng(28);
    for (const d of [2, 3]) {
      const feeds = { ...params(rng, d), x: normals(rng, [2, d], 1.5) };
      const lp = evaluate(
        (leaf) => ({ lp: dist(leaf, d).logProb(leaf("x")) }),
        feeds,
      )["lp"]!.data;
      const want = [0, 1].map((b) => {
        const l = trilOf(feeds.tril, b, d);
        return mvnLogPdf(
          row(feeds.x, b),
          row(feeds.loc, b),
          matMul(l, transpose(l)),
        );
      });
      expectClose(lp, want, F64, `d = ${d}`);
    }
    const one = {
      loc: nd([1, 1], [0.5]),
      tril: nd([1, 1], [2]),
      x: nd([2, 1], [1.5, -3]),
    };
    const lp1 = evaluate(
      (leaf) => ({ lp: dist(leaf, 1).logProb(leaf("x")) }),
      one,
    )["lp"]!.data;
    expectClose(
      lp1,
      [1.5, -3].map((x) => normalLogPdf(x, 0.5, 2)),
      F64,
      "d = 1",
    );
  });

  it("rsample is μ + Lε for the given noise (S·B stacked rows), and logDetCov is 2 Σ log τ", () => {
    const d = 3;
    const rng = new Rng(25);
    const feeds = { ...params(rng, d), eps: normals(rng, [4, d]) };
    const out = evaluate((leaf) => {
      const q = dist(leaf, d) as FullGaussian;
      expect(q.noise(4)).toEqual([{ kind: "normal", shape: [4, d] }]);
      expect(() => q.noise(3)).toThrow(
        /cannot draw 3 rows from parameters of batch 2/,
      );
      return { z: q.rsample([leaf("eps")]), ld: q.logDetCov() };
    }, feeds);
    for (let row = 0; row < 4; row++) {
      const b = row % 2;
      const l = trilOf(feeds.tril, b, d);
      const want = l.map(
        (li, i) =>
          feeds.loc.data[b * d + i]! +
          li.reduce((s, v, j) => s + v * feeds.eps.data[row * d + j]!, 0),
      );
      expectClose(
        out["z"]!.data.subarray(row * d, row * d + d),
        want,
        { abs: 1e-12 },
        `z row ${row}`,
      );
    }
    const ld = [0, 1].map(
      (b) =>
        2 *
        [0, 1, 2].reduce(
          (s, i) => s + Math.log(feeds.tril.data[b * 6 + i]!),
          0,
        ),
    );
    expectClose(out["ld"]!.data, ld, { abs: 1e-12 }, "logDetCov");
  });

  it("draws have covariance L Lᵀ", () => {
    // 40 000 draws of a 2-D Gaussian: each sample covariance entry is within 5 standard errors
    // √((Σ_ii Σ_jj + Σ_ij²)/n) of Σ = L Lᵀ, the sample mean within 5 √(Σ_ii/n) of μ.
    const n = 40000;
    const rng = new Rng(26);
    const feeds = {
      loc: nd([1, 2], [1, -1]),
      tril: nd([1, 3], [0.8, 1.5, 1.2]),
      eps: normals(rng, [n, 2]),
    };
    const z = drawn((l) => dist(l, 2), feeds, ["eps"], true).data;
    const sigma = [
      [0.64, 0.8 * 1.2],
      [0.8 * 1.2, 1.2 * 1.2 + 1.5 * 1.5],
    ];
    const mean = [0, 1].map(
      (j) => z.filter((_, i) => i % 2 === j).reduce((s, v) => s + v, 0) / n,
    );
    [0, 1].forEach((j) =>
      expectWithinSE(
        mean[j]!,
        feeds.loc.data[j]!,
        Math.sqrt(sigma[j]![j]! / n),
        `μ[${j}]`,
      ),
    );
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 1],
    ] as const) {
      let c = 0;
      for (let r = 0; r < n; r++)
        c += (z[2 * r + i]! - mean[i]!) * (z[2 * r + j]! - mean[j]!);
      const se = Math.sqrt(
        (sigma[i]![i]! * sigma[j]![j]! + sigma[i]![j]! ** 2) / n,
      );
      expectWithinSE(c / n, sigma[i]![j]!, se, `Σ[${i}][${j}]`);
    }
  });

  it("logProb, rsample and marginal gradients match central differences", () => {
    const d = 3;
    const rng = new Rng(27);
    const feeds = {
      ...params(rng, d),
      x: normals(rng, [4, d]),
      eps: normals(rng, [4, d]),
      r: normals(rng, [4, d]),
    };
    const q = (leaf: Leaf) => dist(leaf, d);
    checkGradients(logProbLoss(q), feeds, ["loc", "tril"]);
    checkGradients(rsampleLoss(q, ["eps"]), feeds, ["loc", "tril"]);
    checkGradients(
      (leaf) =>
        q(leaf).gaussianMarginals!()
          .scale.mul(leaf("r").slice([0, 0], [2, d]))
          .sum(),
      feeds,
      ["tril"],
    );
  });

  it("refuses a packed factor of the wrong width", () => {
    expectBuildError(
      (leaf) => dist(leaf, 3),
      { loc: fill([2, 3], () => 0), tril: fill([2, 5], () => 1) },
      /scale_tril must have d\(d\+1\)\/2 = 6 columns, got 5/,
    );
  });
});
