// Gradients flow through reparameterized samples, logProb and the closed-form KLs with the analytic values.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  klAnalytic,
  makeDistribution,
} from "../../../src/runtime/distributions/index.js";
import { arr1, arr2, expectClose, trilFromRaw } from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const std = () =>
  makeDistribution("normal", { loc: tf.scalar(0), scale: tf.scalar(1) }, {}, 3);

describe("gradients through rsample", () => {
  it("normal: d Σz/dμ = 1, d Σz/dσ = ε = (z − μ)/σ", () => {
    const loc = tf.tensor2d([[0.5, -1, 2]]);
    const scale = tf.tensor2d([[0.3, 2, 1.5]]);
    const f = (l: tf.Tensor, s: tf.Tensor) =>
      tf.sum(
        makeDistribution("diag_normal", { loc: l, scale: s }, {}, 3).rsample(
          42,
        ),
      );
    const [gl, gs] = tf.grads(f)([loc, scale]);
    expect(arr2(gl!)).toEqual([[1, 1, 1]]);
    const z = arr2(
      makeDistribution("diag_normal", { loc, scale }, {}, 3).rsample(42),
    )[0]!;
    const eps = z.map((v, i) => (v - [0.5, -1, 2][i]!) / [0.3, 2, 1.5][i]!);
    expectClose(arr2(gs!)[0]!, eps, { abs: 1e-5 }, "dσ");
  });

  it("normal prior: d mean(z)/dμ = 1 for n draws from batch-1 parameters", () => {
    const g = tf.grad((l: tf.Tensor) =>
      tf.mean(
        makeDistribution(
          "normal",
          { loc: l, scale: tf.scalar(2) },
          {},
          4,
        ).rsample(1, 8),
      ),
    );
    expectClose(arr1(tf.reshape(g(tf.scalar(0.3)), [1])), [1], { abs: 1e-6 });
  });

  it("full_normal: dΣz/dμ = 1, d/dlog τ_i = τ_i ε_i, d/dL′_ij = ε_j", () => {
    const raw = [0.2, -0.3, 0.1, 0.8, -0.5, 0.6];
    const loc = [1, -2, 0.5];
    const f = (l: tf.Tensor, r: tf.Tensor) =>
      tf.sum(
        makeDistribution(
          "full_normal",
          { loc: l, scale_tril: r },
          {},
          3,
        ).rsample(9),
      );
    const [gl, gr] = tf.grads(f)([tf.tensor2d([loc]), tf.tensor2d([raw])]);
    expect(arr2(gl!)).toEqual([[1, 1, 1]]);
    const z = arr2(
      makeDistribution(
        "full_normal",
        { loc: tf.tensor2d([loc]), scale_tril: tf.tensor2d([raw]) },
        {},
        3,
      ).rsample(9),
    )[0]!;
    // ε = L⁻¹(z − μ) by forward substitution in float64.
    const L = trilFromRaw(raw, 3);
    const eps: number[] = [];
    for (let i = 0; i < 3; i++) {
      let r = z[i]! - loc[i]!;
      for (let j = 0; j < i; j++) r -= L[i]![j]! * eps[j]!;
      eps.push(r / L[i]![i]!);
    }
    const want = [
      L[0]![0]! * eps[0]!,
      L[1]![1]! * eps[1]!,
      L[2]![2]! * eps[2]!,
      eps[0]!,
      eps[0]!,
      eps[1]!,
    ];
    expectClose(arr2(gr!)[0]!, want, { abs: 1e-5 }, "d raw");
  });

  it("laplace: dΣz/dμ = 1, dΣz/db = (z − μ)/b", () => {
    const f = (l: tf.Tensor, s: tf.Tensor) =>
      tf.sum(
        makeDistribution("laplace", { loc: l, scale: s }, {}, 2).rsample(3),
      );
    const loc = tf.tensor2d([[1, 2]]);
    const scale = tf.tensor2d([[0.5, 3]]);
    const [gl, gs] = tf.grads(f)([loc, scale]);
    expect(arr2(gl!)).toEqual([[1, 1]]);
    const z = arr2(
      makeDistribution("laplace", { loc, scale }, {}, 2).rsample(3),
    )[0]!;
    expectClose(arr2(gs!)[0]!, [(z[0]! - 1) / 0.5, (z[1]! - 2) / 3], {
      abs: 1e-5,
    });
  });

  it("mixture_normal: loc gets the count of draws per component, logits get none", () => {
    const n = 50;
    const f = (lg: tf.Tensor, l: tf.Tensor) =>
      tf.sum(
        makeDistribution(
          "mixture_normal",
          { logits: lg, loc: l, scale: tf.ones([3, 2]) },
          { components: 3 },
          2,
        ).rsample(4, n),
      );
    const [gLogits, gLoc] = tf.grads(f)([
      tf.tensor2d([[0, 1, -1]]),
      tf.zeros([3, 2]),
    ]);
    expect(arr2(gLogits!)).toEqual([[0, 0, 0]]);
    const counts = arr2(gLoc!);
    expect(counts.every((r) => r[0] === r[1] && Number.isInteger(r[0]))).toBe(
      true,
    );
    expect(counts.reduce((s, r) => s + r[0]!, 0)).toBe(n);
  });
});

describe("gradients of logProb and KL", () => {
  it("normal logProb: d/dμ = (x − μ)/σ²", () => {
    const g = tf.grad((l: tf.Tensor) =>
      tf.sum(
        makeDistribution(
          "normal",
          { loc: l, scale: tf.tensor2d([[2, 0.5]]) },
          {},
          2,
        ).logProb(tf.tensor2d([[1, 1]])),
      ),
    );
    expectClose(arr2(g(tf.tensor2d([[0, 2]])))[0]!, [1 / 4, -1 / 0.25], {
      abs: 1e-6,
    });
  });

  it("KL(diag ‖ N(0, I)): d/dμ = μ, d/dσ = σ − 1/σ", () => {
    const mu = [0.5, -1, 2];
    const sigma = [0.3, 2, 1];
    const [gm, gs] = tf.grads((l: tf.Tensor, s: tf.Tensor) =>
      tf.sum(
        klAnalytic(
          makeDistribution("diag_normal", { loc: l, scale: s }, {}, 3),
          std(),
        ),
      ),
    )([tf.tensor2d([mu]), tf.tensor2d([sigma])]);
    expectClose(arr2(gm!)[0]!, mu, { abs: 1e-5 }, "dμ");
    expectClose(
      arr2(gs!)[0]!,
      sigma.map((s) => s - 1 / s),
      { abs: 1e-5, rel: 1e-5 },
      "dσ",
    );
  });

  it("KL(full ‖ N(0, I)): d/dlog τ_i = τ_i² − 1, d/dL′_ij = L′_ij", () => {
    const raw = [0.2, -0.3, 0.1, 0.8, -0.5, 0.6];
    const g = tf.grad((r: tf.Tensor) =>
      tf.sum(
        klAnalytic(
          makeDistribution(
            "full_normal",
            { loc: tf.zeros([1, 3]), scale_tril: r },
            {},
            3,
          ),
          std(),
        ),
      ),
    );
    const want = raw.map((v, i) => (i < 3 ? Math.exp(2 * v) - 1 : v));
    expectClose(arr2(g(tf.tensor2d([raw])))[0]!, want, {
      abs: 1e-5,
      rel: 1e-5,
    });
  });
});
