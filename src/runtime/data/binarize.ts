// Static binarization: one seeded Bernoulli draw of every grey level, fixed for the whole run.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * The seed of one source's static draw: the train block's seed, the split ("data" or "test") and
 * the source's position (0 for the main source, k for the k-th paired file), mixed by FNV-1a so
 * the training and test draws are unrelated streams.
 */
export function staticSeed(
  seed: number,
  which: "data" | "test",
  source = 0,
): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}/${which}/${source}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Replaces every value p (a grey level in [0, 1]) by 1 with probability p and by 0 otherwise, in
 * row-major order from a xoroshiro128+ stream seeded with `seed`. As in Larochelle & Murray's
 * static binarized MNIST, the draw is made once and is the same every epoch (and every run with
 * the same seed); the first k examples get the same draw whatever the total length. Dynamic
 * binarization, a fresh draw per epoch, is the trainer's job.
 */
export function binarizeStatic(
  values: Float32Array,
  seed: number,
): Float32Array {
  const rng = xoroshiro128plus(seed);
  const out = new Float32Array(values.length);
  const scale = 2 ** -24;
  for (let i = 0; i < values.length; i++) {
    // a uniform u in [0, 1) with 24 random bits; u < p has probability p
    const u = (rng.next() & 0xffffff) * scale;
    out[i] = u < values[i]! ? 1 : 0;
  }
  return out;
}
