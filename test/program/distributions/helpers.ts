// Shared helpers for the program distribution and KL tests: evaluation by the float64 reference
// interpreter, reverse-mode gradients against central finite differences, the scalar losses those
// checks differentiate, draws, build-time refusals, Monte Carlo bounds of 5 standard errors and
// tolerant comparisons (the float64 references themselves are in reference.ts).
import { expect } from "vitest";
import { gradients } from "../../../src/program/autodiff.js";
import { Builder, type Sym } from "../../../src/program/builder.js";
import type { Distribution } from "../../../src/program/distributions/index.js";
import { interpret, type NdArray } from "../../../src/program/interpret.js";
import { fill } from "../helpers/arrays.js";
import {
  centralDifferences,
  expectMatchesDifferences,
  type Feeds,
} from "../helpers/finite-differences.js";
import { Rng, normals, uniforms } from "../helpers/random.js";
import { broadcastRows } from "./reference.js";

/** A program leaf by the name of its feed. */
export type Leaf = (name: string) => Sym;
/** Builds a program reading `feeds` (names in `params` become learned tensors, the rest inputs). */
export type Build = (leaf: Leaf, b: Builder) => Record<string, Sym>;
/** A scalar function of the leaves, to differentiate. */
export type Scalar = (leaf: Leaf, b: Builder) => Sym;
/** A distribution whose parameters are leaves. */
export type DistOf = (leaf: Leaf) => Distribution;

function leaves(b: Builder, feeds: Feeds, params: readonly string[]): Leaf {
  return (name: string): Sym => {
    const f = feeds[name];
    if (f === undefined) throw new Error(`test feed '${name}' is missing`);
    return params.includes(name)
      ? b.param(name, f.shape)
      : b.input(name, f.shape);
  };
}

/** Evaluates the outputs of `build` in float64. */
export function evaluate(
  build: Build,
  feeds: Feeds,
  params: readonly string[] = [],
): Record<string, NdArray> {
  const b = new Builder();
  const outputs = build(leaves(b, feeds, params), b);
  return interpret(b.build(outputs), feeds);
}

/** `make` throws `message` while the program is built (the leaves are read from `feeds`). */
export function expectBuildError(
  make: (leaf: Leaf) => unknown,
  feeds: Feeds,
  message: RegExp,
): void {
  const leaf = leaves(new Builder(), feeds, []);
  expect(() => make(leaf)).toThrow(message);
}

/** The reverse-mode gradients of a scalar f with respect to each of `params`, evaluated in float64. */
export function gradientValues(
  f: Scalar,
  feeds: Feeds,
  params: readonly string[],
): Record<string, number[]> {
  const b = new Builder();
  const leaf = leaves(b, feeds, params);
  const y = f(leaf, b);
  expect(y.shape, "f is a scalar").toEqual([]);
  const grads = gradients(
    y,
    params.map((p) => leaf(p)),
  );
  const outputs: Record<string, Sym> = {};
  params.forEach((p, i) => (outputs[`d/${p}`] = grads[i]!));
  const at = interpret(b.build(outputs), feeds);
  return Object.fromEntries(params.map((p) => [p, [...at[`d/${p}`]!.data]]));
}

/**
 * Checks the reverse-mode gradient of a scalar f with respect to each of `params` against
 * central differences (f(θ + h) − f(θ − h))/2h of the interpreter. In float64 with h = 1e-5
 * the truncation error is O(h²·f‴) ≈ 1e-10 and the rounding error ≈ 1e-16·|f|/h ≈ 1e-11, so
 * |fd − ad| < tol·(1 + |fd|) with tol = 1e-6 leaves a wide margin yet catches a wrong rule.
 */
export function checkGradients(
  f: Scalar,
  feeds: Feeds,
  params: readonly string[],
  { h = 1e-5, tol = 1e-6 } = {},
): Record<string, number[]> {
  const ad = gradientValues(f, feeds, params);
  const b = new Builder();
  const fOnly = b.build({ f: f(leaves(b, feeds, params), b) });
  const value = (at: Feeds): number => interpret(fOnly, at)["f"]!.data[0]!;
  for (const p of params)
    expectMatchesDifferences(
      ad[p]!,
      centralDifferences(value, feeds, p, h),
      tol,
      `d/${p}`,
    );
  return ad;
}

/** A plain draw carries no gradient: d f/d p is exactly 0 for each of `params`. */
export function expectNoGradient(
  f: Scalar,
  feeds: Feeds,
  params: readonly string[],
): void {
  const ad = gradientValues(f, feeds, params);
  for (const p of params)
    expect(
      ad[p]!.every((g) => g === 0),
      `d/${p} is 0`,
    ).toBe(true);
}

/** Σ term ⊙ r with r a fed array of the term's shape: every entry of the term counts differently. */
export const weighted = (term: Sym, leaf: Leaf): Sym =>
  term.mul(leaf("r")).sum();

/** Σₙ log p(xₙ)·wₙ, the weights w the feed r [N] or the first column of r [N, c]. */
export const logProbLoss =
  (dist: DistOf): Scalar =>
  (leaf) => {
    const r = leaf("r");
    const w = r.shape.length === 1 ? r : r.columns(0, 1).reshape([r.shape[0]!]);
    return dist(leaf).logProb(leaf("x")).mul(w).sum();
  };

/** Σ z ⊙ r of the reparameterized draw z from the noise feeds `noise`. */
export const rsampleLoss =
  (dist: DistOf, noise: readonly string[]): Scalar =>
  (leaf) =>
    weighted(dist(leaf).rsample!(noise.map(leaf)), leaf);

/** Σ z ⊙ r of the plain draw z from the noise feeds `noise`. */
export const sampleLoss =
  (dist: DistOf, noise: readonly string[]): Scalar =>
  (leaf) =>
    weighted(dist(leaf).sample(noise.map(leaf)), leaf);

/** log p(x) of the feed x, per row, and the mean, in float64. */
export function logProbAndMean(
  dist: DistOf,
  feeds: Feeds,
): { lp: NdArray; mean: NdArray } {
  const out = evaluate((leaf) => {
    const d = dist(leaf);
    return { lp: d.logProb(leaf("x")), mean: d.mean() };
  }, feeds);
  return { lp: out["lp"]!, mean: out["mean"]! };
}

/** Seeded loc ~ N(0, 1) and scale ~ U(0.5, 2) of `rows` examples of width d. */
export const locScale = (rng: Rng, rows: number, d: number) => ({
  loc: normals(rng, [rows, d]),
  scale: uniforms(rng, [rows, d], 0.5, 2),
});

/** A location–scale case: loc [B, d], scale [B, d] or [1, 1], and `rows` rows of data. */
export interface LocScaleCase {
  locShape: number[];
  scaleShape: number[];
  rows: number;
}

/**
 * A location–scale family (Gaussian, Laplace) on seeded loc ~ N(0, 1), scale ~ U(0.3, 2) and
 * x ~ N(0, 2²) [rows, d]: log p(x) per row matches the float64 `reference` to F64, and the mean
 * is loc broadcast to [B, d], exactly.
 */
export function checkLocationScale(
  dist: DistOf,
  reference: (loc: NdArray, scale: NdArray, x: NdArray) => number[],
  c: LocScaleCase,
  d: number,
  seed: number,
): void {
  const rng = new Rng(seed);
  const feeds = {
    loc: normals(rng, c.locShape),
    scale: uniforms(rng, c.scaleShape, 0.3, 2),
    x: normals(rng, [c.rows, d], 2),
  };
  const { lp, mean } = logProbAndMean(dist, feeds);
  const want = reference(feeds.loc, feeds.scale, feeds.x);
  expectClose(lp.data, want, F64, "logProb");
  const batch = c.locShape[0]!;
  expect(mean.shape).toEqual([batch, d]);
  expectClose(
    mean.data,
    broadcastRows(feeds.loc, batch, d),
    { abs: 0 },
    "mean",
  );
}

/** A draw from the noise feeds `noise`: the plain one, or the reparameterized one. */
export function drawn(
  dist: DistOf,
  feeds: Feeds,
  noise: readonly string[],
  reparameterized = false,
): NdArray {
  return evaluate((leaf) => {
    const d = dist(leaf);
    const eps = noise.map(leaf);
    return { z: reparameterized ? d.rsample!(eps) : d.sample(eps) };
  }, feeds)["z"]!;
}

/**
 * A Monte Carlo estimate lies within 5 standard errors of its expectation: for a nearly Gaussian
 * error a false failure has probability below 1e-6 per check, while a wrong mean, variance or
 * frequency formula is off by many standard errors at these sample sizes.
 */
export function expectWithinSE(
  estimate: number,
  expected: number,
  se: number,
  what: string,
): void {
  expect(Math.abs(estimate - expected), what).toBeLessThan(5 * se);
}

/** |actual − expected| ≤ abs + rel·|expected|, elementwise, with a readable failure. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: { abs?: number; rel?: number },
  what = "",
): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const bound = (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e);
    const ok = Number.isFinite(a) && Math.abs(a - e) <= bound;
    expect(ok, `${what}[${i}]: got ${a}, expected ${e} ± ${bound}`).toBe(true);
  }
}

/**
 * The interpreter (float64) against the float64 references: each op rounds at 2⁻⁵³ ≈ 1e-16
 * relative, a log-density sums a few dozen terms of magnitude ≤ 100, and the two sides use
 * different but equivalent formulas (log σ(λ) against x·λ − softplus(λ), artanh against tanh),
 * so they differ by ~1e-13; 1e-10 (relative, and absolute near 0) leaves a wide margin yet is
 * a million times tighter than any wrong term.
 */
export const F64 = { abs: 1e-10, rel: 1e-10 };

/** Column means and variances (E[x²] − E[x]²) of a [rows, d] array. */
export function columnMoments(a: NdArray): {
  mean: number[];
  variance: number[];
} {
  const [rows, d] = a.shape as [number, number];
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < d; j++) {
      const v = a.data[r * d + j]!;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  const m = mean.map((v) => v / rows);
  return { mean: m, variance: sq.map((v, j) => v / rows - m[j]! ** 2) };
}

/** full_normal packed rows [τ | L′] with τ ∈ (0.5, 1.5) and L′ ~ N(0, 0.5²). */
export function packedTril(rng: Rng, rows: number, d: number): NdArray {
  const m = (d * (d + 1)) / 2;
  return fill([rows, m], (i) =>
    i % m < d ? rng.between(0.5, 1.5) : 0.5 * rng.normal(),
  );
}
