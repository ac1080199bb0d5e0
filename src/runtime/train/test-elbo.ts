// The held-out ELBO: one posterior sample per example, β = 1, averaged over the split
// (pytorch/examples' "test loss" is its negative). Seeded, so every epoch uses the same noise.
import * as tf from "@tensorflow/tfjs";
import type { LoweredModel } from "../lower/model.js";
import { deriveSeed } from "../lower/seeds.js";
import type { DeviceData } from "./batches.js";

export const EVAL_CHUNK = 500;

export function meanElbo(
  model: LoweredModel,
  data: DeviceData,
  seed: number,
): number {
  let total = 0;
  let i = 0;
  for (const batch of data.chunks(EVAL_CHUNK)) {
    total += tf.tidy(() => {
      const t = model.terms(batch, deriveSeed(seed, i++));
      return tf.sum(tf.add(t.recon, t.kl)).dataSync()[0]!;
    });
    tf.dispose([...batch.values()]);
  }
  return -total / data.n;
}
