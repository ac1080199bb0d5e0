// The closed-form KLs on the program ops: against the float64 Gaussian KL (the general formula
// with explicit inverses and determinants for Cholesky posteriors) and against Monte Carlo with
// many draws, gradients against finite differences and their closed forms at a standard prior,
// and the registry's coverage of the IR's pairs (its errors: kl-registry.test.ts).
import { describe, expect, it } from "vitest";
import { closedFormKl } from "../../src/ir/kl-pairs.js";
import {
  makeDistribution,
  type Distribution,
} from "../../src/program/distributions/index.js";
import {
  kl,
  klAnalytic,
  klMonteCarlo,
  klNoise,
  registeredKlPairs,
} from "../../src/program/kl.js";
import {
  F64,
  checkGradients,
  evaluate,
  expectClose,
  expectWithinSE,
  gradientValues,
  packedTril,
  weighted,
  type Leaf,
} from "./distributions/helpers.js";
import { klDiagRef, klFullRef } from "./distributions/reference.js";
import { nd } from "./helpers/arrays.js";
import type { Feeds } from "./helpers/finite-differences.js";
import { Rng, normals, uniforms } from "./helpers/random.js";

const D = 3;

/** The posterior of each closed-form pair: loc `qloc` and its second parameter `q2` (batch 2). */
const pairs = [
  {
    family: "diag_normal",
    second: "scale",
    q2: (rng: Rng) => uniforms(rng, [2, D], 0.4, 1.6),
  },
  {
    family: "normal",
    second: "scale",
    q2: (rng: Rng) => uniforms(rng, [2, 1], 0.4, 1.6),
  },
  {
    family: "full_normal",
    second: "scale_tril",
    q2: (rng: Rng) => packedTril(rng, 2, D),
  },
];
type Pair = (typeof pairs)[number];
const posterior = (pair: Pair, l: Leaf): Distribution =>
  makeDistribution(pair.family, { loc: l("qloc"), [pair.second]: l("q2") }, D);
/** KL(q ‖ p) per example by the float64 reference. */
const reference = (pair: Pair, f: Feeds, batch: number) => {
  const p = { loc: f["ploc"]!, scale: f["pscale"]! };
  return pair.family === "full_normal"
    ? klFullRef({ loc: f["qloc"]!, tril: f["q2"]! }, p, batch, D)
    : klDiagRef({ loc: f["qloc"]!, scale: f["q2"]! }, p, batch, D);
};
const qFeeds = (pair: Pair, rng: Rng) => ({
  qloc: normals(rng, [2, D]),
  q2: pair.q2(rng),
});
const prior = (l: Leaf): Distribution =>
  makeDistribution("normal", { loc: l("ploc"), scale: l("pscale") }, D);
const priorFeeds = (rng: Rng) => ({
  ploc: normals(rng, [1, D], 0.5),
  pscale: uniforms(rng, [1, D], 0.6, 1.4),
});

describe.each(pairs)("KL($family ‖ normal)", (pair) => {
  it("matches the float64 Gaussian KL: learnable, standard and batched priors", () => {
    const rng = new Rng(81);
    const batched = {
      ploc: normals(rng, [2, D], 0.5),
      pscale: uniforms(rng, [2, D], 0.6, 1.4),
    };
    const standard = { ploc: nd([1, 1], [0]), pscale: nd([1, 1], [1]) };
    for (const feedsP of [priorFeeds(rng), standard, batched]) {
      const feeds = { ...qFeeds(pair, rng), ...feedsP };
      const out = evaluate(
        (l) => ({ kl: klAnalytic(posterior(pair, l), prior(l)) }),
        feeds,
      )["kl"]!;
      expect(out.shape).toEqual([2]);
      expectClose(out.data, reference(pair, feeds, 2), F64, "KL");
      expect(out.data.every((v) => v > 0)).toBe(true);
    }
  });

  it("agrees with Monte Carlo over 20 000 stacked draws", () => {
    // The MC estimate is within 5 standard errors (from the draws' own spread) of the closed form.
    const S = 20000;
    const rng = new Rng(82);
    const feeds: Feeds = { ...qFeeds(pair, rng), ...priorFeeds(rng) };
    feeds["eps"] = normals(rng, [S * 2, D]);
    const out = evaluate((l) => {
      const q = posterior(pair, l);
      const p = prior(l);
      expect(klNoise(q, "mc", S)).toEqual([
        { kind: "normal", shape: [S * 2, D] },
      ]);
      expect(klNoise(q, "analytic", S)).toEqual([]);
      const z = q.rsample!([l("eps")]);
      return {
        closed: kl(q, p, "analytic", 1, []),
        mc: kl(q, p, "mc", S, [l("eps")]),
        each: q.logProb(z).sub(p.logProb(z)),
      };
    }, feeds);
    [0, 1].forEach((b) => {
      const draws = out["each"]!.data.filter((_, i) => i % 2 === b);
      const m = draws.reduce((s, v) => s + v, 0) / S;
      const se = Math.sqrt(draws.reduce((s, v) => s + (v - m) ** 2, 0) / S / S);
      expect(out["mc"]!.data[b]).toBeCloseTo(m, 10);
      const [mc, closed] = [out["mc"]!.data[b]!, out["closed"]!.data[b]!];
      expectWithinSE(mc, closed, se, `example ${b}`);
    });
  });

  it("closed-form and Monte Carlo gradients match central differences", () => {
    const rng = new Rng(83);
    const feeds = {
      ...qFeeds(pair, rng),
      ...priorFeeds(rng),
      eps: normals(rng, [6, D]),
      r: normals(rng, [2]),
    };
    const params = ["qloc", "q2", "ploc", "pscale"];
    const q = (l: Leaf) => posterior(pair, l);
    checkGradients(
      (l) => weighted(klAnalytic(q(l), prior(l)), l),
      feeds,
      params,
    );
    checkGradients(
      (l) => weighted(klMonteCarlo(q(l), prior(l), 3, [l("eps")]), l),
      feeds,
      params,
    );
  });

  it("has the closed-form gradients at a standard prior", () => {
    // KL(q ‖ N(0, I)) = ½ Σ [σ² + μ² − 1 − 2 log σ] (Cholesky: ½[Σ L_ij² + ‖μ‖² − d − 2 Σ log τ]),
    // so d/dμ = μ, d/dσ = σ − 1/σ (summed over d for a broadcast scale), d/dτ = τ − 1/τ and
    // d/dL′ = L′; float64 throughout, so 1e-12.
    const rng = new Rng(84);
    const feeds = {
      ...qFeeds(pair, rng),
      ploc: nd([1, 1], [0]),
      pscale: nd([1, 1], [1]),
    };
    const ad = gradientValues(
      (l) => klAnalytic(posterior(pair, l), prior(l)).sum(),
      feeds,
      ["qloc", "q2"],
    );
    const q2 = feeds.q2;
    const m = q2.shape[1]!;
    const copies = m === 1 ? D : 1; // a [B, 1] scale serves all D coordinates
    const want = Array.from(q2.data, (v, i) =>
      pair.family === "full_normal" && i % m >= D ? v : (v - 1 / v) * copies,
    );
    expectClose(ad["qloc"]!, feeds.qloc.data, { abs: 1e-12 }, "d/dμ");
    expectClose(ad["q2"]!, want, { abs: 1e-12 }, `d/d${pair.second}`);
  });
});

describe("the KL registry", () => {
  it("implements every closed-form pair the IR lists", () => {
    const have = registeredKlPairs().map(([q, p]) => `${q}‖${p}`);
    for (const [q, p] of closedFormKl)
      expect(have, `${q} ‖ ${p}`).toContain(`${q}‖${p}`);
  });

  it("registers exactly the pairs tested above", () => {
    const have = registeredKlPairs().map(([q, p]) => `${q}‖${p}`);
    expect(have.sort()).toEqual(pairs.map((p) => `${p.family}‖normal`).sort());
  });
});
