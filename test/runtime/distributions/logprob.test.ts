// Every family's logProb and mean against closed forms evaluated in plain-JS doubles.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/runtime/distributions/index.js";
import { logNormaliser } from "../../../src/runtime/distributions/continuous-bernoulli.js";
import {
  arr1,
  arr2,
  expectClose,
  logSoftmax,
  logSumExp,
  mvnLogPdf,
  normalLogPdf,
  sigmoid,
  softplus,
  trilFromRaw,
  matMul,
  transpose,
} from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// float32 arithmetic on values of order 1–50: relative error ~1e-6 per op, a few dozen ops.
const F32 = { abs: 2e-5, rel: 2e-5 };

describe("normal / diag_normal", () => {
  const loc = [
    [0.5, -1, 2],
    [0, 0.3, -0.7],
  ];
  const scale = [
    [1.5, 0.2, 3],
    [0.7, 1, 0.05],
  ];
  const x = [
    [1, -1.1, -2],
    [0.2, 0.1, -0.69],
  ];
  for (const family of ["normal", "diag_normal"]) {
    it(`${family}: Σ_d log N(x_d; μ_d, σ_d)`, () => {
      const d = makeDistribution(
        family,
        { loc: tf.tensor2d(loc), scale: tf.tensor2d(scale) },
        {},
        3,
      );
      const want = x.map((row, b) =>
        row.reduce(
          (s, v, i) => s + normalLogPdf(v, loc[b]![i]!, scale[b]![i]!),
          0,
        ),
      );
      expectClose(arr1(d.logProb(tf.tensor2d(x))), want, F32, family);
      expect(arr2(d.mean())).toEqual(arr2(tf.tensor2d(loc)));
    });
  }
  it("broadcasts a batch-1 scalar prior N(0, 1) to width d", () => {
    const d = makeDistribution(
      "normal",
      { loc: tf.scalar(0), scale: tf.scalar(1) },
      {},
      3,
    );
    const want = x.map((row) =>
      row.reduce((s, v) => s + normalLogPdf(v, 0, 1), 0),
    );
    expectClose(arr1(d.logProb(tf.tensor2d(x))), want, F32);
    expect(arr2(d.mean())).toEqual([[0, 0, 0]]);
    expect(d.rsample(1, 5).shape).toEqual([5, 3]);
  });
});

describe("full_normal", () => {
  it("2×2 and 3×3 against an explicit inverse and determinant", () => {
    const cases = [
      { d: 2, loc: [0.3, -0.4], raw: [0.2, -0.5, 0.8], x: [1.1, 0.6] },
      {
        d: 3,
        loc: [1, 0, -1],
        raw: [-0.3, 0.4, 0.1, 0.5, -1.2, 0.7],
        x: [0.2, 0.9, -2.5],
      },
    ];
    for (const c of cases) {
      const dist = makeDistribution(
        "full_normal",
        { loc: tf.tensor2d([c.loc]), scale_tril: tf.tensor2d([c.raw]) },
        { clamp: [-10, 10] },
        c.d,
      );
      const l = trilFromRaw(c.raw, c.d);
      const want = mvnLogPdf(c.x, c.loc, matMul(l, transpose(l)));
      expectClose(
        arr1(dist.logProb(tf.tensor2d([c.x]))),
        [want],
        F32,
        `d=${c.d}`,
      );
    }
  });
});

describe("mixture_normal", () => {
  it("log Σ_k π_k Π_d N(x_d; μ_kd, σ_kd) by an explicit sum", () => {
    const logits = [0.3, -1, 0.5];
    const loc = [
      [0, 1],
      [2, -1],
      [-1.5, 0.5],
    ];
    const scale = [
      [1, 0.5],
      [0.3, 2],
      [1.2, 0.8],
    ];
    const x = [
      [0.1, 0.9],
      [2.2, -3],
      [-10, 4],
    ];
    const dist = makeDistribution(
      "mixture_normal",
      {
        logits: tf.tensor2d([logits]),
        loc: tf.tensor2d(loc),
        scale: tf.tensor2d(scale),
      },
      { components: 3 },
      2,
    );
    const lw = logSoftmax(logits);
    const want = x.map((row) =>
      logSumExp(
        lw.map((w, k) =>
          row.reduce(
            (s, v, i) => s + normalLogPdf(v, loc[k]![i]!, scale[k]![i]!),
            w,
          ),
        ),
      ),
    );
    expectClose(arr1(dist.logProb(tf.tensor2d(x))), want, F32);
    const pi = lw.map(Math.exp);
    const mean = [0, 1].map((i) =>
      pi.reduce((s, p, k) => s + p * loc[k]![i]!, 0),
    );
    expectClose(arr2(dist.mean())[0]!, mean, F32, "mean");
  });
});

describe("bernoulli", () => {
  it("x·λ − softplus(λ) equals x log p + (1−x) log(1−p) for grey levels", () => {
    const logits = [
      [-3, 0, 2.5, 30],
      [0.1, -30, 1, -0.5],
    ];
    const x = [
      [0, 0.5, 1, 0.25],
      [1, 0, 0.8, 0.3],
    ];
    const dist = makeDistribution(
      "bernoulli",
      { logits: tf.tensor2d(logits) },
      {},
      4,
    );
    // Reference: the textbook form where it is finite, the limit where σ(λ) rounds to 0 or 1.
    const want = x.map((row, b) =>
      row.reduce((s, v, i) => {
        const l = logits[b]![i]!;
        const p = sigmoid(l);
        const logP = Math.abs(l) > 20 ? -softplus(-l) : Math.log(p);
        const log1mP = Math.abs(l) > 20 ? -softplus(l) : Math.log(1 - p);
        return s + v * logP + (1 - v) * log1mP;
      }, 0),
    );
    expectClose(arr1(dist.logProb(tf.tensor2d(x))), want, F32);
    expectClose(
      arr2(dist.mean()).flat(),
      logits.flat().map(sigmoid),
      { abs: 1e-6 },
      "mean",
    );
  });
  it("samples are 0/1 with frequency σ(λ)", () => {
    const dist = makeDistribution(
      "bernoulli",
      { logits: tf.tensor2d([[0.8]]) },
      {},
      1,
    );
    const s = arr2(dist.rsample(3, 20000)).flat();
    expect(s.every((v) => v === 0 || v === 1)).toBe(true);
    const p = sigmoid(0.8);
    const se = Math.sqrt((p * (1 - p)) / s.length);
    // 4 standard errors of a binomial proportion.
    expectClose(s.reduce((a, b) => a + b, 0) / s.length, p, { abs: 4 * se });
  });
});

describe("continuous_bernoulli", () => {
  const logC = (l: number) => Math.log(l / Math.tanh(l / 2));
  it("log C(λ) near 0 and far from it, against λ/tanh(λ/2) in float64", () => {
    const lambdas = [
      1e-6, -1e-6, 1e-3, -1e-3, 0.09, 0.11, 0.5, -3, 20, -20, 60,
    ];
    const got = arr1(logNormaliser(tf.tensor1d(lambdas)) as tf.Tensor1D);
    // float32 rounding of values ≈ 0.69–4: a few ulps ≈ 1e-6.
    expectClose(got, lambdas.map(logC), { abs: 2e-6, rel: 1e-6 }, "log C");
    expectClose(
      arr1(logNormaliser(tf.tensor1d([0])) as tf.Tensor1D),
      [Math.LN2],
      { abs: 1e-7 },
    );
  });
  it("d log C/dλ matches a float64 central difference, and is finite at 0", () => {
    const lambdas = [0, 1e-6, -1e-6, 1e-3, 0.05, 0.2, -2, 20];
    const g = tf.grad((l: tf.Tensor) => tf.sum(logNormaliser(l)));
    const got = arr1(g(tf.tensor1d(lambdas)));
    const h = 1e-4;
    const fd = lambdas.map((l) =>
      l === 0 ? 0 : (logC(l + h) - logC(l - h)) / (2 * h),
    );
    // Central difference truncation ≈ h²/6·|f'''| ≤ 1e-9; float32 gradient ≈ 1e-7 relative.
    expectClose(got, fd, { abs: 1e-7, rel: 1e-5 }, "grad");
  });
  it("logProb = Bernoulli term + log C, for grey levels; mean vs numerical integration", () => {
    const logits = [[-20, -1, 1e-3, 0, 0.5, 3, 20]];
    const x = [[0.1, 0.3, 0.5, 0.7, 1, 0, 0.95]];
    const dist = makeDistribution(
      "continuous_bernoulli",
      { logits: tf.tensor2d(logits) },
      {},
      7,
    );
    const want = x[0]!.reduce((s, v, i) => {
      const l = logits[0]![i]!;
      return s + v * l - softplus(l) + (l === 0 ? Math.LN2 : logC(l));
    }, 0);
    expectClose(arr1(dist.logProb(tf.tensor2d(x))), [want], F32);
    // E[x] = ∫ x e^{λx} dx / ∫ e^{λx} dx on [0, 1] by Simpson's rule (2000 panels: error ≪ 1e-9).
    const simpson = (f: (x: number) => number) => {
      const n = 2000;
      let s = f(0) + f(1);
      for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i / n);
      return s / (3 * n);
    };
    const means = logits[0]!.map((l) => {
      const m = Math.max(l, 0);
      return (
        simpson((t) => t * Math.exp(l * t - m)) /
        simpson((t) => Math.exp(l * t - m))
      );
    });
    // 1/(1−e^{−λ}) − 1/λ cancels for moderate λ in float32: ~1e-6.
    expectClose(arr2(dist.mean())[0]!, means, { abs: 3e-6 }, "mean");
  });
  it("no NaN in logProb or its gradient at λ = 0", () => {
    const g = tf.grad((l: tf.Tensor) =>
      tf.sum(
        makeDistribution("continuous_bernoulli", { logits: l }, {}, 3).logProb(
          tf.tensor2d([[0.2, 0.5, 1]]),
        ),
      ),
    );
    const got = arr2(g(tf.tensor2d([[0, 1e-7, -1e-7]])))[0]!;
    // d/dλ [xλ − softplus(λ) + log C(λ)] = x − σ(λ) + (≈ λ/6) at λ ≈ 0.
    expectClose(got, [0.2 - 0.5, 0, 0.5], { abs: 1e-6 });
  });
  it("inverse-CDF samples lie in [0, 1] with the right mean", () => {
    const l = 3;
    const dist = makeDistribution(
      "continuous_bernoulli",
      { logits: tf.tensor2d([[l, -l, 0]]) },
      {},
      3,
    );
    const s = arr2(dist.rsample(9, 20000));
    expect(s.flat().every((v) => v >= 0 && v <= 1)).toBe(true);
    const mean = (c: number) => s.reduce((a, r) => a + r[c]!, 0) / s.length;
    const want = 1 / (1 - Math.exp(-l)) - 1 / l;
    // A variable on [0, 1] has SD ≤ ½, so 4 SE ≤ 2/√n ≈ 0.014.
    const tol = { abs: 2 / Math.sqrt(s.length) };
    expectClose(mean(0), want, tol, "λ=3");
    expectClose(mean(1), 1 - want, tol, "λ=-3");
    expectClose(mean(2), 0.5, tol, "λ=0");
  });
});

describe("laplace", () => {
  it("Σ[−|x−μ|/b − log 2b]", () => {
    const loc = [[0, 1, -2]];
    const scale = [[1, 0.5, 3]];
    const x = [
      [0.5, 1, -10],
      [-1, 3, 4],
    ];
    const dist = makeDistribution(
      "laplace",
      { loc: tf.tensor2d(loc), scale: tf.tensor2d(scale) },
      {},
      3,
    );
    const want = x.map((row) =>
      row.reduce((s, v, i) => {
        const b = scale[0]![i]!;
        return s - Math.abs(v - loc[0]![i]!) / b - Math.log(2 * b);
      }, 0),
    );
    expectClose(arr1(dist.logProb(tf.tensor2d(x))), want, F32);
  });
});

describe("categorical", () => {
  it("log softmax at the class index; mean = softmax", () => {
    const logits = [
      [0.1, 2, -1, 0.5],
      [3, -2, 0, 0],
    ];
    const dist = makeDistribution(
      "categorical",
      { logits: tf.tensor2d(logits) },
      {},
      1,
    );
    const x = [[1], [3]];
    const want = x.map((row, b) => logSoftmax(logits[b]!)[row[0]!]!);
    expectClose(arr1(dist.logProb(tf.tensor2d(x))), want, F32);
    expectClose(
      arr2(dist.mean()).flat(),
      logits.flatMap((r) => logSoftmax(r).map(Math.exp)),
      { abs: 1e-6 },
      "mean",
    );
    const s = arr2(dist.rsample(4, 6));
    expect(s.length).toBe(6);
    expect(s.flat().every((v) => Number.isInteger(v) && v >= 0 && v < 4)).toBe(
      true,
    );
  });
});
