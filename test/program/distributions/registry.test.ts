// The distribution registry and the contract every built-in family meets: shapes of noise,
// draws, log-densities and means, for an encoder batch, a prior batch and stacked draws.
import { describe, expect, it } from "vitest";
import { distributions } from "../../../src/ir/families.js";
import { Builder, type Sym } from "../../../src/program/builder.js";
import {
  makeDistribution,
  registerDistribution,
  registeredFamilies,
  type DistParams,
} from "../../../src/program/distributions/index.js";

const BUILT_IN = [
  "bernoulli",
  "categorical",
  "continuous_bernoulli",
  "diag_normal",
  "full_normal",
  "laplace",
  "mixture_normal",
  "normal",
];

/** Parameters of each family for batch `b` and event size `d` (3 mixture components). */
function paramsOf(
  family: string,
  b: Builder,
  batch: number,
  d: number,
): DistParams {
  const p = (name: string, shape: number[]): Sym =>
    b.param(`${family}/${name}`, shape);
  switch (family) {
    case "full_normal":
      return {
        loc: p("loc", [batch, d]),
        scale_tril: p("tril", [batch, (d * (d + 1)) / 2]),
      };
    case "mixture_normal":
      return {
        logits: p("logits", [1, 3]),
        loc: p("loc", [3, d]),
        scale: p("scale", [3, d]),
      };
    case "bernoulli":
    case "continuous_bernoulli":
    case "categorical":
      return { logits: p("logits", [batch, d]) };
    default:
      return { loc: p("loc", [batch, d]), scale: p("scale", [batch, d]) };
  }
}

describe("the distribution registry", () => {
  it("lists the built-in families", () => {
    expect(registeredFamilies()).toEqual(BUILT_IN);
  });

  it("has a factory for every family of the language's registry", () => {
    expect(distributions.length).toBeGreaterThan(0);
    for (const spec of distributions)
      expect(registeredFamilies(), spec.name).toContain(spec.family);
  });

  it("refuses a family registered twice", () => {
    expect(() =>
      registerDistribution("laplace", () => undefined as never),
    ).toThrow(/'laplace' is already registered/);
  });

  it("names the registered families for an unknown one", () => {
    const b = new Builder();
    expect(() => makeDistribution("poisson", {}, 2)).toThrow(
      /unknown distribution family 'poisson' \(registered: bernoulli, categorical, .*normal\)/,
    );
    expect(() =>
      makeDistribution("normal", { loc: b.param("l", [1, 2]) }, 2),
    ).toThrow(/'normal': needs parameter 'scale' \(given: loc\)/);
  });

  it("builds a registered family", () => {
    registerDistribution("test_point", (params, size) => {
      const loc = params["loc"]!;
      return {
        family: "test_point",
        width: size,
        batch: loc.shape[0]!,
        noise: () => [],
        sample: () => loc.stopGradient(),
        logProb: (x) => x.sub(loc).square().sum(1).neg(),
        mean: () => loc,
      };
    });
    const b = new Builder();
    const d = makeDistribution(
      "test_point",
      { loc: b.param("loc", [2, 3]) },
      3,
    );
    expect(d.family).toBe("test_point");
    expect(registeredFamilies()).toContain("test_point");
  });

  describe.each(BUILT_IN)("%s meets the contract", (family) => {
    it.each([
      { batch: 4, rows: 4 },
      { batch: 4, rows: 12 },
      { batch: 1, rows: 5 },
    ])("batch $batch, $rows rows", ({ batch, rows }) => {
      const b = new Builder();
      const d = 3;
      const dist = makeDistribution(family, paramsOf(family, b, batch, d), d);
      const width = family === "categorical" ? 1 : d;
      expect(dist.family).toBe(family);
      expect(dist.width).toBe(width);
      expect(dist.batch).toBe(family === "mixture_normal" ? 1 : batch);
      const noise = dist
        .noise(rows)
        .map((s, i) => b.input(`noise/${i}`, s.shape));
      expect(dist.sample(noise).shape).toEqual([rows, width]);
      if (dist.rsample)
        expect(dist.rsample(noise).shape).toEqual([rows, width]);
      expect(dist.logProb(b.input("x", [rows, width])).shape).toEqual([rows]);
      expect(dist.mean().shape).toEqual([dist.batch, d]);
      const m = dist.gaussianMarginals?.();
      if (m) {
        expect(m.loc.shape).toEqual([batch, d]);
        expect(m.scale.shape).toEqual([batch, d]);
      }
      const gaussian = ["normal", "diag_normal", "full_normal"].includes(
        family,
      );
      expect(m !== undefined, "Gaussian marginals").toBe(gaussian);
      const reparameterized = [
        "normal",
        "diag_normal",
        "full_normal",
        "laplace",
      ].includes(family);
      expect(dist.rsample !== undefined, "rsample").toBe(reparameterized);
    });
  });
});
