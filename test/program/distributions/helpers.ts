// Shared helpers for the program distribution tests: seeded inputs, evaluation by the float64
// reference interpreter, reverse-mode gradients and central finite differences, and tolerant
// comparisons (the float64 references themselves are in reference.ts).
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { expect } from "vitest";
import { gradients } from "../../../src/program/autodiff.js";
import { Builder, type Sym } from "../../../src/program/builder.js";
import { interpret, type NdArray } from "../../../src/program/interpret.js";

/** A seeded stream of uniforms on the open (0, 1) and standard normals (Box–Muller). */
export class Rng {
  private readonly g: ReturnType<typeof xoroshiro128plus>;
  constructor(seed: number) {
    this.g = xoroshiro128plus(seed);
  }
  uniform(): number {
    return ((this.g.next() >>> 0) + 0.5) / 2 ** 32;
  }
  normal(): number {
    const u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Uniform on (lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }
}

export const size = (shape: readonly number[]): number =>
  shape.reduce((a, b) => a * b, 1);

export function nd(shape: number[], values: ArrayLike<number>): NdArray {
  expect(values.length, `values for [${shape.join(", ")}]`).toBe(size(shape));
  return { shape, data: Float64Array.from(values) };
}

export function fill(shape: number[], f: (i: number) => number): NdArray {
  return nd(
    shape,
    Array.from({ length: size(shape) }, (_, i) => f(i)),
  );
}

export const normals = (rng: Rng, shape: number[], scale = 1): NdArray =>
  fill(shape, () => rng.normal() * scale);
export const uniforms = (rng: Rng, shape: number[], lo = 0, hi = 1): NdArray =>
  fill(shape, () => rng.between(lo, hi));

/** Builds a program reading `feeds` (names in `params` become learned tensors, the rest inputs). */
export type Build = (
  leaf: (name: string) => Sym,
  b: Builder,
) => Record<string, Sym>;

function leaves(
  b: Builder,
  feeds: Record<string, NdArray>,
  params: readonly string[],
) {
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
  feeds: Record<string, NdArray>,
  params: readonly string[] = [],
): Record<string, NdArray> {
  const b = new Builder();
  const outputs = build(leaves(b, feeds, params), b);
  return interpret(b.build(outputs), feeds);
}

/** The reverse-mode gradients of a scalar f with respect to each of `params`, evaluated in float64. */
export function gradientValues(
  f: (leaf: (name: string) => Sym, b: Builder) => Sym,
  feeds: Record<string, NdArray>,
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
 * |fd − ad| ≤ tol·(1 + |fd|) with tol = 1e-6 leaves a wide margin yet catches a wrong rule.
 */
export function checkGradients(
  f: (leaf: (name: string) => Sym, b: Builder) => Sym,
  feeds: Record<string, NdArray>,
  params: readonly string[],
  { h = 1e-5, tol = 1e-6 } = {},
): Record<string, number[]> {
  const ad = gradientValues(f, feeds, params);
  const b = new Builder();
  const fOnly = b.build({ f: f(leaves(b, feeds, params), b) });
  for (const p of params) {
    const g = ad[p]!;
    const base = feeds[p]!;
    for (let i = 0; i < base.data.length; i++) {
      const shifted = (delta: number): number => {
        const data = Float64Array.from(base.data);
        data[i]! += delta;
        return interpret(fOnly, { ...feeds, [p]: { shape: base.shape, data } })[
          "f"
        ]!.data[0]!;
      };
      const fd = (shifted(h) - shifted(-h)) / (2 * h);
      expect(Number.isFinite(g[i]!), `d/${p}[${i}] is finite`).toBe(true);
      expect(
        Math.abs(fd - g[i]!),
        `d/${p}[${i}]: AD ${g[i]}, central difference ${fd}`,
      ).toBeLessThanOrEqual(tol * (1 + Math.abs(fd)));
    }
  }
  return ad;
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

/** Column means and variances of a [rows, d] array. */
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
