// The Cholesky posterior: L's construction from the RAW head and the covariance of its samples.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/runtime/distributions/index.js";
import type { FullGaussian } from "../../../src/runtime/distributions/full-normal.js";
import {
  arr1,
  expectClose,
  matMul,
  mvnLogPdf,
  transpose,
  trilFromRaw,
} from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function full(
  loc: number[][],
  raw: number[][],
  d: number,
  clamp = [-10, 10],
): FullGaussian {
  return makeDistribution(
    "full_normal",
    { loc: tf.tensor2d(loc), scale_tril: tf.tensor2d(raw) },
    { clamp },
    d,
  ) as FullGaussian;
}

describe("full_normal L", () => {
  it("is lower triangular, exp(log τ) on the diagonal, L′ packed row-major below", () => {
    const d = 4;
    const raw = [
      [0.1, -0.2, 0.3, 12, 1, 2, 3, 4, 5, 6],
      [0, 0, 0, 0, -1, -2, -3, -4, -5, -6],
    ];
    const l = full(
      [new Array(d).fill(0), new Array(d).fill(0)],
      raw,
      d,
    ).scaleTril();
    const got = l.arraySync() as number[][][];
    l.dispose();
    got.forEach((m, b) => {
      // log τ = 12 is clipped to the clamp interval [-10, 10].
      const want = trilFromRaw(
        raw[b]!.map((v, i) => (i < d ? Math.min(v, 10) : v)),
        d,
      );
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          if (j > i) expect(m[i]![j]).toBe(0);
        }
      }
      expectClose(m.flat(), want.flat(), { rel: 1e-6 }, `L[${b}]`);
    });
  });

  it("d = 1 is a plain Gaussian with σ = exp(log τ)", () => {
    const dist = full([[0.5]], [[Math.log(2)]], 1);
    const want =
      -0.5 * ((1.5 - 0.5) / 2) ** 2 - Math.log(2) - 0.5 * Math.log(2 * Math.PI);
    expectClose(arr1(dist.logProb(tf.tensor2d([[1.5]]))), [want], {
      abs: 1e-6,
    });
  });

  it("sample mean and covariance match μ and L Lᵀ; logProb of stacked draws matches per row", () => {
    const loc = [1, -2, 0.5];
    const raw = [0.2, -0.3, 0.1, 0.8, -0.5, 0.6];
    const dist = full([loc], [raw], 3);
    const n = 40_000;
    const z = dist.rsample(5, n);
    const zs = z.arraySync() as number[][];
    const l = trilFromRaw(raw, 3);
    const cov = matMul(l, transpose(l));
    const mean = [0, 1, 2].map((i) => zs.reduce((s, r) => s + r[i]!, 0) / n);
    // SE of a mean: √(Σ_ii/n); 4 SE.
    expectClose(mean, loc, {
      abs: 4 * Math.sqrt(Math.max(...cov.map((r, i) => r[i]!)) / n),
    });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const c =
          zs.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) /
          (n - 1);
        // Var of a Gaussian sample covariance entry ≈ (Σ_ii Σ_jj + Σ_ij²)/n; 4 SE.
        const se = Math.sqrt(
          (cov[i]![i]! * cov[j]![j]! + cov[i]![j]! ** 2) / n,
        );
        expectClose(c, cov[i]![j]!, { abs: 4 * se }, `cov[${i}][${j}]`);
      }
    }
    const head = tf.slice(z, [0, 0], [4, 3]) as tf.Tensor2D;
    const lp = arr1(dist.logProb(head));
    expectClose(
      lp,
      zs.slice(0, 4).map((x) => mvnLogPdf(x, loc, cov)),
      { abs: 2e-5, rel: 2e-5 },
    );
    head.dispose();
    z.dispose();
  });

  it("batched parameters give one row per example and S·B stacked rows", () => {
    const dist = full(
      [
        [0, 0],
        [5, 5],
      ],
      [
        [0, 0, 0],
        [-5, -5, 0],
      ],
      2,
    );
    const z = dist.rsample(1, 6).arraySync() as number[][];
    // Rows alternate example 0 (spread 1 around 0) and example 1 (spread e⁻⁵ around 5).
    z.forEach((r, i) => {
      if (i % 2 === 1) expectClose(r, [5, 5], { abs: 0.1 });
    });
    expect(dist.rsample(1).shape).toEqual([2, 2]);
    expect(() => dist.rsample(1, 3)).toThrow(/multiple/);
  });
});
