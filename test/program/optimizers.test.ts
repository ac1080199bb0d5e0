// The optimizer updates written in program ops (src/program/optimizers.ts): run by the float64
// interpreter over several steps against a plain float64 loop of each formula; one or two steps
// against values worked by hand from PyTorch's documented updates; and run by the tfjs executor,
// Adam and SGD with momentum against tfjs's own optimizers (tf.train.adam, tf.train.momentum).
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  optimizerRule,
  type OptimizerSettings,
} from "../../src/program/optimizers.js";
import {
  SHAPES,
  STEPS,
  gradients,
  initial,
  interpreted,
  reference,
  tfjsRun,
  trajectory,
  worst,
  type State,
} from "./optimizer-harness.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Adam with PyTorch's default β₁ = 0.9, β₂ = 0.999 and ε = 1e-8. */
const adam = (lr: number): Extract<OptimizerSettings, { name: "adam" }> => ({
  name: "adam",
  lr,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
});

const settings: OptimizerSettings[] = [
  adam(0.01),
  { name: "adam", lr: 0.05, beta1: 0.5, beta2: 0.9, eps: 1e-3 },
  { name: "sgd", lr: 0.1, momentum: 0 },
  { name: "sgd", lr: 0.1, momentum: 0.9 },
  { name: "rmsprop", lr: 0.01, decay: 0.9, momentum: 0, eps: 1e-8 },
  { name: "rmsprop", lr: 0.01, decay: 0.99, momentum: 0.5, eps: 1e-6 },
];

/** Each step's state within `tol` (relative, see worst) of the same step of `want`. */
const expectSteps = (got: State[], want: State[], tol: number): void =>
  got.forEach((st, t) =>
    expect(worst(st, want[t]!), `step ${t + 1}`).toBeLessThanOrEqual(tol),
  );

describe.each(settings.map((o) => [JSON.stringify(o), o] as const))(
  "%s",
  (_, o) => {
    /** The trajectory by `run` on the seeded gradients, and the float64 loop's. */
    const both = (seed: number, run: Parameters<typeof trajectory>[2]) => {
      const grads = gradients(seed);
      return { got: trajectory(o, grads, run), want: reference(o, grads) };
    };

    it("the interpreted program follows the float64 formula for 5 steps", () => {
      const { got, want } = both(11, interpreted);
      // Same float64 arithmetic, only the association of a few products differs (Adam's
      // α_t·m / (√v / c_t + ε) against lr·m̂ / (√v̂ + ε)): 1e-12 relative.
      expectSteps(got, want, 1e-12);
      // The parameters moved (the test would pass trivially on an identity update otherwise).
      expect(worst(got[STEPS - 1]!, initial(optimizerRule(o)))).toBeGreaterThan(
        1e-3,
      );
    });

    it("the tfjs executor follows it in float32", () => {
      const { got, want } = both(12, tfjsRun);
      // float32 against float64 over 5 steps: a few ulps per op (2⁻²⁴ ≈ 6e-8) compound to ~1e-6;
      // Adam's and RMSprop's first steps divide by √v ≈ |g|, well conditioned. 1e-5 relative.
      expectSteps(got, want, 1e-5);
    });
  },
);

/** One parameter p = 1 with gradient `g` per step, by the interpreter. */
const scalarSteps = (o: OptimizerSettings, gs: number[]): State[] =>
  trajectory(
    o,
    gs.map((g) => ({ w: Float64Array.of(g) })),
    interpreted,
    { w: [1] },
    1,
  );

describe("worked by hand from PyTorch's update formulas (p = 1)", () => {
  /** Each named entry of a one-element state equals the hand value to 12 decimal places. */
  const expectAt = (st: State | undefined, want: Record<string, number>) => {
    for (const [k, v] of Object.entries(want))
      expect(st![k]![0], k).toBeCloseTo(v, 12);
  };

  it("Adam's first step moves p by lr·g/(|g| + ε), whatever β₁ and β₂", () => {
    // m₁ = (1 − β₁) g, v₁ = (1 − β₂) g², so m̂ = g and √v̂ = |g|: p = 1 − 0.1·0.5/(0.5 + 1e-8).
    const [s1] = scalarSteps(adam(0.1), [0.5]);
    expectAt(s1, { w: 0.900000002, "m/w": 0.05, "v/w": 0.00025 });
  });

  it("SGD: p − lr·g; with momentum 0.9 the buffer is g, then 0.9·g + g", () => {
    const [plain] = scalarSteps({ name: "sgd", lr: 0.1, momentum: 0 }, [0.5]);
    expectAt(plain, { w: 0.95 });
    expect(Object.keys(plain!)).toEqual(["w"]);
    const sgd = { name: "sgd", lr: 0.1, momentum: 0.9 } as const;
    const [s1, s2] = scalarSteps(sgd, [0.5, 0.5]);
    expectAt(s1, { "buf/w": 0.5, w: 0.95 });
    // buf₂ = 0.9·0.5 + 0.5 and p₂ = 0.95 − 0.1·0.95.
    expectAt(s2, { "buf/w": 0.95, w: 0.855 });
  });

  it("RMSprop: v = (1 − α) g², p − lr·g/(√v + ε); with momentum, two steps", () => {
    // α = 0.99: v₁ = 0.01·0.25 = 0.0025, √v₁ = 0.05, p₁ = 1 − 0.01·0.5/(0.05 + 1e-8).
    const rms = (momentum: number): OptimizerSettings => ({
      name: "rmsprop",
      lr: 0.01,
      decay: 0.99,
      momentum,
      eps: 1e-8,
    });
    const [s1] = scalarSteps(rms(0), [0.5]);
    expectAt(s1, { "v/w": 0.0025, w: 0.90000002 });
    // μ = 0.9, g = 0.5 then −0.25: buf₁ = 0.5/0.05000001 = 9.999998, p₁ = 0.90000002;
    // v₂ = 0.99·0.0025 + 0.01·0.0625 = 0.0031, buf₂ = 0.9·buf₁ − 0.25/(√0.0031 + 1e-8)
    //    = 8.9999982 − 4.4901317 = 4.5098665, p₂ = p₁ − 0.01·buf₂ = 0.85490136.
    const [m1, m2] = scalarSteps(rms(0.9), [0.5, -0.25]);
    expectAt(m1, { "buf/w": 9.999998, w: 0.90000002 });
    expectAt(m2, { "v/w": 0.0031 });
    expect(m2!["buf/w"]![0]).toBeCloseTo(4.5098665, 6);
    expect(m2!["w"]![0]).toBeCloseTo(0.85490136, 8);
  });
});

describe("against tfjs's own optimizers", () => {
  let variables = 0;
  /** A tfjs optimizer over the same 5 steps, on tf.Variables; returns the parameters after each step. */
  function withTfjs(opt: tf.Optimizer, grads: State[]): State[] {
    const init = initial(optimizerRule({ name: "sgd", lr: 1, momentum: 0 }));
    const vars = Object.entries(SHAPES).map(([n, s]) =>
      tf.variable(
        tf.tensor(Float32Array.from(init[n]!), s),
        true,
        `optimizer-test-${n}-${++variables}`,
      ),
    );
    const names = Object.keys(SHAPES);
    const out = grads.map((g) => {
      const gs: tf.NamedTensorMap = Object.fromEntries(
        vars.map((v, j) => [
          v.name,
          tf.tensor(Float32Array.from(g[names[j]!]!), SHAPES[names[j]!]!),
        ]),
      );
      // Gradients keyed by variable name, as tfjs's optimizers take them.
      opt.applyGradients(gs);
      tf.dispose(Object.values(gs));
      return Object.fromEntries(
        vars.map((v, j) => [names[j]!, Float64Array.from(v.dataSync())]),
      );
    });
    opt.dispose();
    tf.dispose(vars);
    return out;
  }
  const paramsOnly = (st: State): State =>
    Object.fromEntries(Object.keys(SHAPES).map((k) => [k, st[k]!]));

  it("Adam matches tf.train.adam within 1e-6 relative over 5 steps", () => {
    const o = adam(0.01);
    const grads = gradients(13);
    const got = trajectory(o, grads, tfjsRun);
    const want = withTfjs(tf.train.adam(o.lr, o.beta1, o.beta2, o.eps), grads);
    // Both float32, one of them (tfjs) dividing by 1 − β₁ᵗ and 1 − β₂ᵗ accumulated in float32
    // rather than folding them into lr and √v: a rounding or two apart, so 1e-6.
    expectSteps(got.map(paramsOnly), want, 1e-6);
  });

  it("SGD with momentum matches tf.train.momentum within 1e-6 relative over 5 steps", () => {
    const o: OptimizerSettings = { name: "sgd", lr: 0.1, momentum: 0.9 };
    const grads = gradients(14);
    const got = trajectory(o, grads, tfjsRun);
    const want = withTfjs(tf.train.momentum(o.lr, o.momentum), grads);
    expectSteps(got.map(paramsOnly), want, 1e-6);
  });
});
