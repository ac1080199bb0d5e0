// continuous_bernoulli on the program ops: values against the float64 reference (the paper's
// p-form of the normaliser) across the Taylor switch |λ| = 0.1, the mean against numerical
// integration, gradients that stay finite and exact at λ = 0 and near the switch
// (there is no custom gradient: they come from the AD of the select branches), and the
// inverse-CDF draw.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import {
  cbMean,
  logNormaliser,
} from "../../../src/program/distributions/continuous-bernoulli.js";
import { nd } from "../helpers/arrays.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import {
  F64,
  checkGradients,
  columnMoments,
  drawn,
  evaluate,
  expectClose,
  expectNoGradient,
  expectWithinSE,
  gradientValues,
  logProbAndMean,
  logProbLoss,
  sampleLoss,
  type Leaf,
} from "./helpers.js";
import { cbLogC, cbLogProb, cbMeanOf } from "./reference.js";

const dist = (leaf: Leaf, d: number) =>
  makeDistribution("continuous_bernoulli", { logits: leaf("logits") }, d);

/** λ on both sides of the Taylor switch, at 0, and far out where exp would overflow unguarded. */
const LAMBDAS = [
  0, 1e-4, -0.05, 0.0999, -0.0999, 0.1, -0.1, 0.1001, -0.1001, 0.5, -2, 7, -40,
  95,
];

describe("continuous_bernoulli", () => {
  it("logProb and mean match the float64 reference across the Taylor switch, with broadcast and stacked rows", () => {
    const d = LAMBDAS.length;
    const rng = new Rng(51);
    const feeds = { logits: nd([1, d], LAMBDAS), x: uniforms(rng, [3, d]) };
    const { lp, mean } = logProbAndMean((l) => dist(l, d), feeds);
    expectClose(lp.data, cbLogProb(feeds.logits, feeds.x), F64, "logProb");
    expectClose(mean.data, LAMBDAS.map(cbMeanOf), F64, "mean");
    // Stacked rows: 2 draws of a batch of 2.
    const f2 = { logits: normals(rng, [2, 3], 3), x: uniforms(rng, [4, 3]) };
    const lp2 = logProbAndMean((l) => dist(l, 3), f2).lp.data;
    expectClose(lp2, cbLogProb(f2.logits, f2.x), F64, "stacked logProb");
  });

  it("the reference's own branches meet at |λ| = 10⁻² and 10", () => {
    // Taylor against the p-form at 10⁻², and the p-form against λ/tanh(λ/2) at 10: a wrong
    // coefficient or a wrong form in the reference itself would show here first.
    const logC = (l: number) => Math.log(l / Math.tanh(l / 2));
    const mean = (l: number) => 1 / -Math.expm1(-l) - 1 / l;
    for (const l of [0.00999999, 0.01, -0.01, 10, 10.000001, -10]) {
      expect(Math.abs(cbLogC(l) - logC(l)), `log C(${l})`).toBeLessThan(1e-12);
      expect(Math.abs(cbMeanOf(l) - mean(l)), `E[x](${l})`).toBeLessThan(1e-11);
    }
  });

  it("E[x] is the mean of the density e^{λx}/∫e^{λx} by Simpson's rule", () => {
    // 2000 Simpson panels on [0, 1]: the error, (h⁴/180)·max|f⁗| with h = 1/2000, grows with λ⁴
    // and is 1e-11 in the mean at |λ| = 20, well inside 1e-9, which a series without its λ³ term
    // (1.4e-6 off at the switch) or a wrong exact form would fail.
    const lambdas = [-20, -3, -0.5, -0.05, 0, 1e-3, 0.0999, 0.1001, 2, 20];
    const simpson = (f: (x: number) => number): number => {
      const n = 2000;
      let s = f(0) + f(1);
      for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(i / n);
      return s / (3 * n);
    };
    const want = lambdas.map((l) => {
      const m = Math.max(l, 0); // e^{λx − m} cannot overflow
      return (
        simpson((t) => t * Math.exp(l * t - m)) /
        simpson((t) => Math.exp(l * t - m))
      );
    });
    const feeds = { logits: nd([1, lambdas.length], lambdas) };
    const got = evaluate((leaf) => ({ m: cbMean(leaf("logits")) }), feeds)["m"]!
      .data;
    expectClose(got, want, { abs: 1e-9 }, "E[x]");
  });

  it("log C and E[x] and their gradients are finite and exact at 0 and near |λ| = 0.1", () => {
    // Against float64 closed forms: d log C/dλ = 1/λ − 1/sinh λ, dE/dλ = 1/λ² − 1/(4 sinh²(λ/2)),
    // and, for |λ| < 1e-3 where those cancel, their series λ/6 − 7λ³/360 + 31λ⁵/15120 and
    // 1/12 − λ²/240 + λ⁴/6048. The Taylor branches drop terms below 3e-11 at |λ| < 0.1 and the
    // exact forms' cancellation near 0.1 costs ~3 of float64's 16 digits: tolerance 1e-9, which
    // one term fewer in the series (2e-8 off at the switch) would fail.
    const d = LAMBDAS.length;
    const feeds = { logits: nd([1, d], LAMBDAS) };
    const out = evaluate(
      (leaf) => ({
        c: logNormaliser(leaf("logits")),
        m: cbMean(leaf("logits")),
      }),
      feeds,
    );
    const logC = LAMBDAS.map((l) =>
      l === 0 ? Math.LN2 : Math.log(Math.abs(l) / Math.tanh(Math.abs(l) / 2)),
    );
    const mean = LAMBDAS.map((l) =>
      l === 0 ? 0.5 : 1 / -Math.expm1(-l) - 1 / l,
    );
    expectClose(out["c"]!.data, logC, { abs: 1e-9 }, "log C");
    expectClose(out["m"]!.data, mean, { abs: 1e-9 }, "mean");
    const dC = gradientValues(
      (leaf) => logNormaliser(leaf("logits")).sum(),
      feeds,
      ["logits"],
    )["logits"]!;
    const dM = gradientValues((leaf) => cbMean(leaf("logits")).sum(), feeds, [
      "logits",
    ])["logits"]!;
    const small = (l: number): boolean => Math.abs(l) < 1e-3;
    const wantC = LAMBDAS.map((l) =>
      small(l)
        ? l / 6 - (7 * l ** 3) / 360 + (31 * l ** 5) / 15120
        : 1 / l - 1 / Math.sinh(l),
    );
    const wantM = LAMBDAS.map((l) =>
      small(l)
        ? 1 / 12 - l ** 2 / 240 + l ** 4 / 6048
        : 1 / l ** 2 - 1 / (4 * Math.sinh(l / 2) ** 2),
    );
    expectClose(dC, wantC, { abs: 1e-9 }, "d log C / dλ");
    expectClose(dM, wantM, { abs: 1e-9 }, "d E[x] / dλ");
  });

  it("logProb gradients match central differences away from the switch", () => {
    // h = 1e-5 central differences; no λ lies within h of |λ| = 0.1, where the two branches
    // (equal there to < 1e-13) would meet inside one difference quotient.
    const feeds = {
      logits: nd([2, 3], [0, 0.05, -0.3, 2, -0.0999, 0.1002]),
      x: nd([4, 3], [0.1, 0.9, 0.5, 0, 1, 0.3, 0.7, 0.2, 1, 0.4, 0.6, 0]),
      r: nd([4], [1, -2, 0.5, 3]),
    };
    checkGradients(
      logProbLoss((l) => dist(l, 3)),
      feeds,
      ["logits"],
    );
  });

  it("sample is the inverse CDF log1p(u·expm1(λ))/λ of the noise, in [0, 1], without gradient", () => {
    // Closed form in float64 for |λ| ≥ 1e-3; below, the draw's Taylor form v − |λ|v(1−v)/2 is off
    // by O(λ²) ≈ 3e-7 at λ = 5e-4: tolerance 1e-6.
    const lambdas = [-30, -3, -0.5, -5e-4, 0, 5e-4, 0.5, 3, 30];
    const rng = new Rng(54);
    const d = lambdas.length;
    const feeds = {
      logits: nd([1, d], lambdas),
      u: uniforms(rng, [50, d]),
      r: normals(rng, [50, d]),
    };
    const cb = (leaf: Leaf) => dist(leaf, d);
    const x = evaluate((leaf) => {
      expect(cb(leaf).rsample).toBeUndefined();
      return { x: cb(leaf).sample([leaf("u")]) };
    }, feeds)["x"]!.data;
    const want = Array.from(feeds.u.data, (u, i) => {
      const l = lambdas[i % d]!;
      return l === 0 ? u : Math.log1p(u * Math.expm1(l)) / l;
    });
    expectClose(x, want, { abs: 1e-6 }, "inverse CDF");
    expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expectNoGradient(sampleLoss(cb, ["u"]), feeds, ["logits"]);
  });

  it("draws have mean E[x]", () => {
    // 20 000 draws per column: the sample mean is within 5 standard errors √(Var/n) of E[x]
    // (Var ≤ 1/4 on [0, 1]; the sample variance is used).
    const n = 20000;
    const lambdas = [-2, 0.05, 3];
    const rng = new Rng(55);
    const feeds = { logits: nd([1, 3], lambdas), u: uniforms(rng, [n, 3]) };
    const cb = (leaf: Leaf) => dist(leaf, 3);
    const m = columnMoments(drawn(cb, feeds, ["u"]));
    const want = evaluate((leaf) => ({ m: cb(leaf).mean() }), feeds)["m"]!;
    [0, 1, 2].forEach((j) =>
      expectWithinSE(
        m.mean[j]!,
        want.data[j]!,
        Math.sqrt(m.variance[j]! / n),
        `column ${j}`,
      ),
    );
  });
});
