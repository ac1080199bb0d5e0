// mixture_normal on the program ops: values against the float64 log-sum-exp over components,
// the Gumbel-max ancestral draw (fixed-noise formula and component frequencies), and gradients.
import { describe, expect, it } from "vitest";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import { fill, nd } from "../helpers/arrays.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import {
  F64,
  checkGradients,
  drawn,
  evaluate,
  expectBuildError,
  expectClose,
  expectNoGradient,
  expectWithinSE,
  logProbAndMean,
  logProbLoss,
  sampleLoss,
  type Leaf,
} from "./helpers.js";
import { logSoftmax, mixtureLogProb, mixtureMean } from "./reference.js";

const K = 3;
const D = 2;
const dist = (leaf: Leaf, d = D) =>
  makeDistribution(
    "mixture_normal",
    { logits: leaf("logits"), loc: leaf("loc"), scale: leaf("scale") },
    d,
  );

function params(rng: Rng, scaleCols = D) {
  return {
    logits: normals(rng, [1, K]),
    loc: normals(rng, [K, D], 2),
    scale: uniforms(rng, [K, scaleCols], 0.4, 1.5),
  };
}

describe("mixture_normal", () => {
  it.each([D, 1])(
    "logProb and mean match the float64 log-sum-exp (scale columns %i)",
    (cols) => {
      const rng = new Rng(31 + cols);
      // The last row lies far out (±60), where every component's density underflows in float64 and
      // only a log-sum-exp with the maximum taken out stays finite.
      const x = normals(rng, [5, D], 2);
      x.data.set([60, -60], 4 * D);
      const feeds = { ...params(rng, cols), x };
      const { lp, mean } = logProbAndMean(dist, feeds);
      const { logits, loc, scale } = feeds;
      const want = mixtureLogProb(logits, loc, scale, feeds.x);
      expectClose(lp.data, want, F64, "logProb");
      expect(mean.shape).toEqual([1, D]);
      expectClose(mean.data, mixtureMean(logits, loc, D), F64, "mean");
    },
  );

  it("has no reparameterized draw; sample is μ_k + σ_k ε with k = argmax(logits − log(−log u))", () => {
    const rng = new Rng(33);
    const rows = 8;
    const feeds = {
      ...params(rng),
      eps: normals(rng, [rows, D]),
      u: uniforms(rng, [rows, K]),
    };
    const out = evaluate((leaf) => {
      const p = dist(leaf);
      expect(p.rsample).toBeUndefined();
      expect(p.noise(rows)).toEqual([
        { kind: "normal", shape: [rows, D] },
        { kind: "uniform", shape: [rows, K] },
      ]);
      return { z: p.sample([leaf("eps"), leaf("u")]) };
    }, feeds);
    for (let r = 0; r < rows; r++) {
      const g = [0, 1, 2].map(
        (k) =>
          feeds.logits.data[k]! - Math.log(-Math.log(feeds.u.data[r * K + k]!)),
      );
      const k = g.indexOf(Math.max(...g));
      const want = [0, 1].map(
        (j) =>
          feeds.loc.data[k * D + j]! +
          feeds.scale.data[k * D + j]! * feeds.eps.data[r * D + j]!,
      );
      expectClose(
        out["z"]!.data.subarray(r * D, r * D + D),
        want,
        { abs: 1e-12 },
        `row ${r}`,
      );
    }
  });

  it("draws pick components with frequencies π and have mean Σ π_k μ_k", () => {
    // Components far apart (σ = 0.01, means 10 apart) so each draw's component is read off its
    // value. 20 000 draws: each frequency within 5 √(π(1−π)/n) of π; the mean within 5 of its
    // standard errors √(Var/n), Var = Σ π_k (σ_k² + μ_k²) − (Σ π_k μ_k)².
    const n = 20000;
    const rng = new Rng(34);
    const feeds = {
      logits: nd([1, K], [0.5, -0.3, 1.1]),
      loc: nd([K, 1], [-10, 0, 10]),
      scale: nd([K, 1], [0.01, 0.01, 0.01]),
      eps: normals(rng, [n, 1]),
      u: uniforms(rng, [n, K]),
    };
    const z = drawn((l) => dist(l, 1), feeds, ["eps", "u"]).data;
    const pi = logSoftmax([...feeds.logits.data]).map(Math.exp);
    const counts = [0, 0, 0];
    for (const v of z) counts[Math.round(v / 10) + 1]! += 1;
    pi.forEach((p, k) =>
      expectWithinSE(counts[k]! / n, p, Math.sqrt((p * (1 - p)) / n), `π_${k}`),
    );
    const mu = pi.reduce((s, p, k) => s + p * feeds.loc.data[k]!, 0);
    const v =
      pi.reduce((s, p, k) => s + p * (1e-4 + feeds.loc.data[k]! ** 2), 0) -
      mu * mu;
    const mean = z.reduce((s, x) => s + x, 0) / n;
    expectWithinSE(mean, mu, Math.sqrt(v / n), "mean");
  });

  it("logProb gradients match central differences; the draw has none", () => {
    const rng = new Rng(35);
    const feeds = {
      ...params(rng),
      x: normals(rng, [4, D], 2),
      r: normals(rng, [4, D]),
      eps: normals(rng, [4, D]),
      u: uniforms(rng, [4, K]),
    };
    const names = ["logits", "loc", "scale"];
    checkGradients(logProbLoss(dist), feeds, names);
    expectNoGradient(sampleLoss(dist, ["eps", "u"]), feeds, names);
  });

  it("refuses parameters of the wrong shapes", () => {
    expectBuildError(
      (leaf) => dist(leaf),
      {
        logits: fill([1, K], () => 0),
        loc: fill([2, D], () => 0),
        scale: fill([K, D], () => 1),
      },
      /loc must be \[3, 2\], got \[2, 2\]/,
    );
  });
});
