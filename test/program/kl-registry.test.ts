// The KL registry's errors, and Monte Carlo KL to a mixture prior (no closed form): the
// estimate is the explicit mean of log q − log p over the stacked draws, a one-component mixture
// gives the same estimate as its Gaussian, and the gradients match central differences.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../src/program/distributions/index.js";
import {
  kl,
  klAnalytic,
  klMonteCarlo,
  registerKl,
} from "../../src/program/kl.js";
import {
  Rng,
  checkGradients,
  evaluate,
  expectClose,
  fill,
  nd,
  normals,
  uniforms,
} from "./distributions/helpers.js";

describe("the KL registry", () => {
  it("refuses a pair registered twice", () => {
    expect(() =>
      registerKl("diag_normal", "normal", () => undefined as never),
    ).toThrow(/KL\(diag_normal ‖ normal\) is already registered/);
  });

  it("names both families and suggests kl: mc for a pair without a closed form", () => {
    evaluate(
      (l) => {
        const q = makeDistribution(
          "laplace",
          { loc: l("a"), scale: l("b") },
          2,
        );
        const p = makeDistribution("normal", { loc: l("a"), scale: l("b") }, 2);
        expect(() => klAnalytic(q, p)).toThrow(
          /q = 'laplace' and p = 'normal' \(use kl: mc\)/,
        );
        return { x: l("a") };
      },
      { a: fill([1, 2], () => 0), b: fill([1, 2], () => 1) },
    );
  });

  it("refuses Monte Carlo KL for a posterior without a reparameterized draw", () => {
    evaluate(
      (l) => {
        const q = makeDistribution(
          "mixture_normal",
          { logits: l("w"), loc: l("m"), scale: l("s") },
          2,
        );
        const p = makeDistribution(
          "normal",
          { loc: l("m0"), scale: l("s0") },
          2,
        );
        expect(() =>
          klMonteCarlo(
            q,
            p,
            4,
            q.noise(4).map((_, i) => l(["e", "u"][i]!)),
          ),
        ).toThrow(
          /needs a reparameterized draw from q, and 'mixture_normal' has none/,
        );
        expect(() => klMonteCarlo(p, p, 0, [])).toThrow(
          /positive whole number of samples, got 0/,
        );
        return { x: l("w") };
      },
      {
        w: fill([1, 2], () => 0),
        m: fill([2, 2], () => 0),
        s: fill([2, 2], () => 1),
        m0: fill([1, 2], () => 0),
        s0: fill([1, 2], () => 1),
        e: fill([4, 2], () => 0),
        u: fill([4, 2], () => 0.5),
      },
    );
  });

  it("a one-component mixture prior is its Gaussian: Monte Carlo KL against either is the same", () => {
    // log softmax of one logit is 0, so log p(z) agrees draw by draw (float64: 1e-12).
    const rng = new Rng(86);
    const S = 50;
    const feeds = {
      qloc: normals(rng, [2, 2]),
      qscale: uniforms(rng, [2, 2], 0.5, 1.5),
      w: nd([1, 1], [0.7]),
      m: normals(rng, [1, 2]),
      s: uniforms(rng, [1, 2], 0.5, 1.5),
      eps: normals(rng, [S * 2, 2]),
    };
    const out = evaluate((l) => {
      const q = makeDistribution(
        "diag_normal",
        { loc: l("qloc"), scale: l("qscale") },
        2,
      );
      const mix = makeDistribution(
        "mixture_normal",
        { logits: l("w"), loc: l("m"), scale: l("s") },
        2,
      );
      const p = makeDistribution("normal", { loc: l("m"), scale: l("s") }, 2);
      return {
        mix: kl(q, mix, "mc", S, [l("eps")]),
        gauss: kl(q, p, "mc", S, [l("eps")]),
      };
    }, feeds);
    expectClose(out["mix"]!.data, out["gauss"]!.data, { abs: 1e-12 }, "MC KL");
  });

  it("estimates KL to a mixture prior by Monte Carlo: the mean of log q − log p over the draws", () => {
    // No closed form exists; the estimate must equal the explicit average, stacked row s·B + b.
    const rng = new Rng(85);
    const S = 5;
    const feeds = {
      qloc: normals(rng, [2, 2]),
      qscale: uniforms(rng, [2, 2], 0.5, 1.5),
      w: normals(rng, [1, 3]),
      m: normals(rng, [3, 2], 2),
      s: uniforms(rng, [3, 2], 0.5, 1.5),
      eps: normals(rng, [S * 2, 2]),
    };
    const out = evaluate((l) => {
      const q = makeDistribution(
        "diag_normal",
        { loc: l("qloc"), scale: l("qscale") },
        2,
      );
      const p = makeDistribution(
        "mixture_normal",
        { logits: l("w"), loc: l("m"), scale: l("s") },
        2,
      );
      const z = q.rsample!([l("eps")]);
      return {
        mc: kl(q, p, "mc", S, [l("eps")]),
        each: q.logProb(z).sub(p.logProb(z)),
      };
    }, feeds);
    const want = [0, 1].map(
      (b) =>
        out["each"]!.data.filter((_, i) => i % 2 === b).reduce(
          (s, v) => s + v,
          0,
        ) / S,
    );
    expectClose(out["mc"]!.data, want, { abs: 1e-12 }, "MC KL");
    const params = ["qloc", "qscale", "w", "m", "s"];
    checkGradients(
      (l) => {
        const q = makeDistribution(
          "diag_normal",
          { loc: l("qloc"), scale: l("qscale") },
          2,
        );
        const p = makeDistribution(
          "mixture_normal",
          { logits: l("w"), loc: l("m"), scale: l("s") },
          2,
        );
        return klMonteCarlo(q, p, S, [l("eps")]).sum();
      },
      feeds,
      params,
    );
  });
});
