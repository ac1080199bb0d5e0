// Seeded randomness for the program and engine tests: one xoroshiro128+ stream per seed, read as
// uniforms on the open interval (0, 1), standard normals (Box–Muller), uniforms on (lo, hi) and
// magnitudes on (lo, hi) with a random sign; and NdArrays of such draws.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { NdArray } from "../../../src/program/interpret.js";
import { fill } from "./arrays.js";

/** A seeded stream of draws; the same seed gives the same numbers on every run. */
export class Rng {
  private readonly g: ReturnType<typeof xoroshiro128plus>;
  constructor(seed: number) {
    this.g = xoroshiro128plus(seed);
  }
  /** The next 32 bits k as (k + ½)/2³²: never exactly 0 or 1, so log u and log(−log u) are finite. */
  uniform(): number {
    return ((this.g.next() >>> 0) + 0.5) / 2 ** 32;
  }
  /** Box–Muller: √(−2 log u)·cos(2πv) is N(0, 1) for independent uniforms u and v. */
  normal(): number {
    const u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Uniform on (lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }
  /** |x| uniform on (lo, hi) with a random sign: at least lo away from a kink at 0. */
  signed(lo: number, hi: number): number {
    const m = this.between(lo, hi);
    return this.uniform() < 0.5 ? -m : m;
  }
}

/** An array of N(0, scale²) draws. */
export const normals = (rng: Rng, shape: number[], scale = 1): NdArray =>
  fill(shape, () => rng.normal() * scale);

/** An array of U(lo, hi) draws. */
export const uniforms = (rng: Rng, shape: number[], lo = 0, hi = 1): NdArray =>
  fill(shape, () => rng.between(lo, hi));
