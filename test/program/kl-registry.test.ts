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
  checkGradients,
  evaluate,
  expectBuildError,
  expectClose,
  type Leaf,
} from "./distributions/helpers.js";
import type { NdArray } from "../../src/program/interpret.js";
import { fill, nd } from "./helpers/arrays.js";
import { Rng, normals, uniforms } from "./helpers/random.js";

/** The posterior: a diagonal Gaussian of width 2 on the feeds qloc and qscale. */
const posterior = (l: Leaf) =>
  makeDistribution("diag_normal", { loc: l("qloc"), scale: l("qscale") }, 2);
/** A Gaussian mixture of width 2 on the feeds w (logits), m (locs) and s (scales). */
const mixture = (l: Leaf) =>
  makeDistribution(
    "mixture_normal",
    { logits: l("w"), loc: l("m"), scale: l("s") },
    2,
  );
/** A normal of width 2 on the feeds `loc` and `scale`. */
const normal = (l: Leaf, loc: string, scale: string) =>
  makeDistribution("normal", { loc: l(loc), scale: l(scale) }, 2);

/**
 * Seeded feeds of the posterior (batch 2), a mixture prior of the logits `w` (drawn after the
 * posterior) with k components of locs ~ N(0, spread²), and the noise of S stacked draws.
 */
function feedsOf(
  rng: Rng,
  S: number,
  w: (rng: Rng) => NdArray,
  spread: number,
) {
  const q = {
    qloc: normals(rng, [2, 2]),
    qscale: uniforms(rng, [2, 2], 0.5, 1.5),
    w: w(rng),
  };
  const k = q.w.shape[1]!;
  return {
    ...q,
    m: normals(rng, [k, 2], spread),
    s: uniforms(rng, [k, 2], 0.5, 1.5),
    eps: normals(rng, [S * 2, 2]),
  };
}

describe("the KL registry", () => {
  it("refuses a pair registered twice", () => {
    expect(() =>
      registerKl("diag_normal", "normal", () => undefined as never),
    ).toThrow(/KL\(diag_normal ‖ normal\) is already registered/);
  });

  it("names both families and suggests kl: mc for a pair without a closed form", () => {
    expectBuildError(
      (l) => {
        const q = makeDistribution(
          "laplace",
          { loc: l("a"), scale: l("b") },
          2,
        );
        return klAnalytic(q, normal(l, "a", "b"));
      },
      { a: fill([1, 2], () => 0), b: fill([1, 2], () => 1) },
      /q = 'laplace' and p = 'normal' \(use kl: mc\)/,
    );
  });

  it("refuses Monte Carlo KL for a posterior without a reparameterized draw", () => {
    const feeds = {
      w: fill([1, 2], () => 0),
      m: fill([2, 2], () => 0),
      s: fill([2, 2], () => 1),
      m0: fill([1, 2], () => 0),
      s0: fill([1, 2], () => 1),
      e: fill([4, 2], () => 0),
      u: fill([4, 2], () => 0.5),
    };
    expectBuildError(
      (l) => {
        const q = mixture(l);
        const noise = q.noise(4).map((_, i) => l(["e", "u"][i]!));
        return klMonteCarlo(q, normal(l, "m0", "s0"), 4, noise);
      },
      feeds,
      /needs a reparameterized draw from q, and 'mixture_normal' has none/,
    );
    expectBuildError(
      (l) => klMonteCarlo(normal(l, "m0", "s0"), normal(l, "m0", "s0"), 0, []),
      feeds,
      /positive whole number of samples, got 0/,
    );
  });

  it("a one-component mixture prior is its Gaussian: Monte Carlo KL against either is the same", () => {
    // log softmax of one logit is 0, so log p(z) agrees draw by draw (float64: 1e-12).
    const rng = new Rng(86);
    const S = 50;
    const feeds = feedsOf(rng, S, () => nd([1, 1], [0.7]), 1);
    const out = evaluate((l) => {
      const q = posterior(l);
      return {
        mix: kl(q, mixture(l), "mc", S, [l("eps")]),
        gauss: kl(q, normal(l, "m", "s"), "mc", S, [l("eps")]),
      };
    }, feeds);
    expectClose(out["mix"]!.data, out["gauss"]!.data, { abs: 1e-12 }, "MC KL");
  });

  it("estimates KL to a mixture prior by Monte Carlo: the mean of log q − log p over the draws", () => {
    // No closed form exists; the estimate must equal the explicit average, stacked row s·B + b.
    const rng = new Rng(85);
    const S = 5;
    const feeds = feedsOf(rng, S, (r) => normals(r, [1, 3]), 2);
    const out = evaluate((l) => {
      const [q, p] = [posterior(l), mixture(l)];
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
    checkGradients(
      (l) => klMonteCarlo(posterior(l), mixture(l), S, [l("eps")]).sum(),
      feeds,
      ["qloc", "qscale", "w", "m", "s"],
    );
  });
});
