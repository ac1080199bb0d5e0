// Central finite differences, the reference of every reverse-mode gradient check in these tests:
// the derivative of a scalar function of the feeds with respect to each entry of one feed, and the
// comparison of a gradient with them.
import { expect } from "vitest";
import type { NdArray } from "../../../src/program/interpret.js";

export type Feeds = Record<string, NdArray>;

/**
 * ∂f/∂θᵢ ≈ (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / 2h for every entry i of feed `name`, the other feeds
 * unchanged. The truncation error is h²·|f‴|/6 and the rounding error about ε·|f|/h (ε ≈ 1e-16
 * when f is evaluated in float64), so h between 1e-6 and 1e-5 keeps both near 1e-10.
 */
export function centralDifferences(
  f: (feeds: Feeds) => number,
  feeds: Feeds,
  name: string,
  h: number,
): number[] {
  const base = feeds[name];
  if (base === undefined) throw new Error(`test feed '${name}' is missing`);
  return Array.from(base.data, (_, i) => {
    const at = (delta: number): number => {
      const data = Float64Array.from(base.data);
      data[i]! += delta;
      return f({ ...feeds, [name]: { shape: base.shape, data } });
    };
    return (at(h) - at(-h)) / (2 * h);
  });
}

/**
 * Every entry of the gradient `ad` is finite and |fd − ad| < tol·(1 + |fd|): an absolute bound
 * for entries near 0 and a relative one for large entries, so that a wrong rule (a lost factor,
 * a wrong sign or axis), which is off by O(|fd|), fails.
 */
export function expectMatchesDifferences(
  ad: ArrayLike<number>,
  fd: readonly number[],
  tol: number,
  what: string,
): void {
  expect(ad.length, `${what} has one entry per difference`).toBe(fd.length);
  fd.forEach((d, i) => {
    const g = ad[i]!;
    expect(Number.isFinite(g), `${what}[${i}] is finite`).toBe(true);
    expect(
      Math.abs(d - g),
      `${what}[${i}]: AD ${g}, central difference ${d}`,
    ).toBeLessThan(tol * (1 + Math.abs(d)));
  });
}
