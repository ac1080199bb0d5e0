// The runtime registries: errors, agreement with the compiler's registry, and no tensor leaks.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  closedFormKl,
  distributions,
} from "../../../src/compiler/check/distributions.js";
import {
  type DistParams,
  hasClosedFormKl,
  kl,
  klAnalytic,
  makeDistribution,
  registerDistribution,
  registerKl,
  registeredFamilies,
} from "../../../src/runtime/distributions/index.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("distribution registry", () => {
  it("has a factory for every family of the compiler's registry", () => {
    for (const spec of distributions) {
      expect(registeredFamilies(), spec.name).toContain(spec.family);
    }
  });
  it("rejects a duplicate family, naming it", () => {
    expect(() =>
      registerDistribution("normal", () => undefined as never),
    ).toThrow(/'normal'/);
  });
  it("names an unknown family and lists the registered ones", () => {
    expect(() => makeDistribution("student_t", {}, {}, 2)).toThrow(
      /'student_t'.*bernoulli, categorical, continuous_bernoulli, diag_normal, full_normal, laplace, mixture_normal, normal/,
    );
  });
  it("accepts a new family", () => {
    registerDistribution("test_only_family", (params, options, width) =>
      makeDistribution("normal", params, options, width),
    );
    expect(registeredFamilies()).toContain("test_only_family");
  });
  it("names a missing parameter", () => {
    expect(() =>
      makeDistribution("laplace", { loc: tf.zeros([1, 2]) }, {}, 2),
    ).toThrow(/laplace.*'scale'/);
  });
});

describe("KL registry", () => {
  it("registers every closed-form pair the compiler promises", () => {
    for (const [q, p] of closedFormKl)
      expect(hasClosedFormKl(q, p), `${q}‖${p}`).toBe(true);
  });
  it("rejects a duplicate pair, naming both families", () => {
    expect(() =>
      registerKl("diag_normal", "normal", () => tf.zeros([1])),
    ).toThrow(/diag_normal ‖ normal/);
  });
  it("names both families of a missing pair", () => {
    const q = makeDistribution(
      "bernoulli",
      { logits: tf.zeros([1, 2]) },
      {},
      2,
    );
    const p = makeDistribution(
      "laplace",
      { loc: tf.zeros([1, 2]), scale: tf.ones([1, 2]) },
      {},
      2,
    );
    expect(() => klAnalytic(q, p)).toThrow(
      /no closed-form KL for KL\(q ‖ p\).*'bernoulli'.*'laplace'/,
    );
  });
});

describe("no tensor leaks", () => {
  const cases: [
    string,
    () => DistParams,
    Record<string, number | number[]>,
    number,
    () => tf.Tensor2D,
  ][] = [
    [
      "normal",
      () => ({ loc: tf.zeros([1, 3]), scale: tf.ones([1, 3]) }),
      {},
      3,
      () => tf.ones([2, 3]),
    ],
    [
      "diag_normal",
      () => ({ loc: tf.zeros([2, 3]), scale: tf.ones([2, 3]) }),
      {},
      3,
      () => tf.ones([2, 3]),
    ],
    [
      "full_normal",
      () => ({ loc: tf.zeros([2, 3]), scale_tril: tf.fill([2, 6], 0.1) }),
      { clamp: [-10, 10] },
      3,
      () => tf.ones([2, 3]),
    ],
    [
      "mixture_normal",
      () => ({
        logits: tf.zeros([1, 2]),
        loc: tf.zeros([2, 3]),
        scale: tf.ones([2, 3]),
      }),
      { components: 2 },
      3,
      () => tf.ones([2, 3]),
    ],
    [
      "bernoulli",
      () => ({ logits: tf.zeros([2, 3]) }),
      {},
      3,
      () => tf.ones([2, 3]),
    ],
    [
      "continuous_bernoulli",
      () => ({
        logits: tf.tensor2d([
          [0, 0.01, 3],
          [-2, 0.5, 20],
        ]),
      }),
      {},
      3,
      () => tf.fill([2, 3], 0.3),
    ],
    [
      "laplace",
      () => ({ loc: tf.zeros([2, 3]), scale: tf.ones([2, 3]) }),
      {},
      3,
      () => tf.ones([2, 3]),
    ],
    [
      "categorical",
      () => ({ logits: tf.zeros([2, 4]) }),
      {},
      1,
      () => tf.tensor2d([[1], [3]]),
    ],
  ];
  const prior = (family: string, width: number) =>
    family === "categorical"
      ? makeDistribution("categorical", { logits: tf.zeros([1, 4]) }, {}, 1)
      : makeDistribution(
          "normal",
          { loc: tf.zeros([1, width]), scale: tf.ones([1, width]) },
          {},
          width,
        );

  for (const [family, params, options, width, data] of cases) {
    it(`${family}: logProb, rsample, mean, KL and their gradients inside tidy`, () => {
      const p = params();
      const x = data();
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const d = makeDistribution(family, p, options, width);
        d.logProb(x);
        d.rsample(1, 4);
        d.mean();
        const method = hasClosedFormKl(family, prior(family, width).family)
          ? "analytic"
          : "mc";
        kl(
          d,
          prior(family, width),
          family === "bernoulli" || family === "continuous_bernoulli"
            ? "mc"
            : method,
          3,
          1,
        );
        const names = Object.keys(p);
        tf.grads((...ts: tf.Tensor[]) => {
          const q = makeDistribution(
            family,
            Object.fromEntries(names.map((n, i) => [n, ts[i]!])),
            options,
            width,
          );
          return tf.sum(q.logProb(x));
        })(names.map((n) => p[n]!));
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([...Object.values(p), x]);
    });
  }
});
