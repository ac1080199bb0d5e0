// mixture_normal on the program ops: values against the float64 log-sum-exp over components,
// the Gumbel-max ancestral draw (fixed-noise formula and component frequencies), and gradients.
import { describe, expect, it } from "vitest";
import type { Sym } from "../../../src/program/builder.js";
import { makeDistribution } from "../../../src/program/distributions/index.js";
import {
  F64,
  Rng,
  checkGradients,
  gradientValues,
  evaluate,
  expectClose,
  fill,
  nd,
  normals,
  uniforms,
} from "./helpers.js";
import { mixtureLogProb, mixtureMean } from "./reference.js";

const K = 3;
const D = 2;
const dist = (leaf: (n: string) => Sym) =>
  makeDistribution(
    "mixture_normal",
    { logits: leaf("logits"), loc: leaf("loc"), scale: leaf("scale") },
    D,
  );

function params(rng: Rng, scaleCols = D) {
  return {
    logits: normals(rng, [1, K]),
    loc: normals(rng, [K, D], 2),
    scale: uniforms(rng, [K, scaleCols], 0.4, 1.5),
  };
}

const softmax = (l: ArrayLike<number>): number[] => {
  const m = Math.max(...Array.from(l));
  const e = Array.from(l, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

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
      const out = evaluate((leaf) => {
        const p = dist(leaf);
        return { lp: p.logProb(leaf("x")), mean: p.mean() };
      }, feeds);
      expectClose(
        out["lp"]!.data,
        mixtureLogProb(feeds.logits, feeds.loc, feeds.scale, feeds.x),
        F64,
        "logProb",
      );
      expect(out["mean"]!.shape).toEqual([1, D]);
      expectClose(
        out["mean"]!.data,
        mixtureMean(feeds.logits, feeds.loc, D),
        F64,
        "mean",
      );
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
    const z = evaluate(
      (leaf) => ({
        z: makeDistribution(
          "mixture_normal",
          { logits: leaf("logits"), loc: leaf("loc"), scale: leaf("scale") },
          1,
        ).sample([leaf("eps"), leaf("u")]),
      }),
      feeds,
    )["z"]!.data;
    const pi = softmax(feeds.logits.data);
    const counts = [0, 0, 0];
    for (const v of z) counts[Math.round(v / 10) + 1]! += 1;
    pi.forEach((p, k) =>
      expect(Math.abs(counts[k]! / n - p), `π_${k}`).toBeLessThan(
        5 * Math.sqrt((p * (1 - p)) / n),
      ),
    );
    const mu = pi.reduce((s, p, k) => s + p * feeds.loc.data[k]!, 0);
    const v =
      pi.reduce((s, p, k) => s + p * (1e-4 + feeds.loc.data[k]! ** 2), 0) -
      mu * mu;
    const mean = z.reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(mean - mu)).toBeLessThan(5 * Math.sqrt(v / n));
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
    checkGradients(
      (leaf) =>
        dist(leaf)
          .logProb(leaf("x"))
          .mul(leaf("r").columns(0, 1).reshape([4]))
          .sum(),
      feeds,
      names,
    );
    const ad = gradientValues(
      (leaf) =>
        dist(leaf)
          .sample([leaf("eps"), leaf("u")])
          .mul(leaf("r"))
          .sum(),
      feeds,
      names,
    );
    expect(names.every((p) => ad[p]!.every((g) => g === 0))).toBe(true);
  });

  it("refuses parameters of the wrong shapes", () => {
    evaluate(
      (leaf) => {
        expect(() => dist(leaf)).toThrow(/loc must be \[3, 2\], got \[2, 2\]/);
        return { x: leaf("logits") };
      },
      {
        logits: fill([1, K], () => 0),
        loc: fill([2, D], () => 0),
        scale: fill([K, D], () => 1),
      },
    );
  });
});
