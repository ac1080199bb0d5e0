// Deterministic seeds: every random draw (initialisation, shuffling, noise, binarization) derives
// its seed from the run's seed and its position, so a resumed run repeats the same draws.

/** A 31-bit seed from a run seed and a path of integers (a small integer hash, splitmix-like). */
export function deriveSeed(seed: number, ...path: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const p of path) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h & 0x7fffffff;
}

/** Streams of seeds: what each draw is for. */
export const Stream = {
  init: 1,
  shuffle: 2,
  noise: 3,
  binarize: 4,
  eval: 6,
  sample: 7,
} as const;
