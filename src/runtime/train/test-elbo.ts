// The held-out ELBO: one posterior sample per example, β = 1, averaged over the split
// (pytorch/examples' "test loss" is its negative), and, for categorical decoders, the accuracy of
// the decoder's most probable class at that sample. Seeded, so every epoch uses the same noise.
import * as tf from "@tensorflow/tfjs";
import type { LoweredModel } from "../lower/model.js";
import { deriveSeed } from "../lower/seeds.js";
import type { DeviceData } from "./batches.js";

export const EVAL_CHUNK = 500;

/** The decoded views that are categorical (they get an accuracy). */
export function categoricalViews(model: LoweredModel): string[] {
  return model.ir.decoders
    .filter((d) => d.dist.family === "categorical")
    .map((d) => d.target);
}

/** How many rows' most probable class ([B, k] probabilities) equals the label ([B, 1] indices). */
export function correctPredictions(
  probs: tf.Tensor,
  labels: tf.Tensor2D,
): number {
  return tf.tidy(() => {
    const truth = tf.cast(tf.reshape(labels, [-1]), "int32");
    return tf
      .sum(tf.cast(tf.equal(tf.argMax(probs, 1), truth), "float32"))
      .dataSync()[0]!;
  });
}

export interface HeldOut {
  elbo: number;
  /** Categorical views only (absent when the model has none). */
  accuracy?: Record<string, number>;
}

export function heldOut(
  model: LoweredModel,
  data: DeviceData,
  seed: number,
): HeldOut {
  const categorical = categoricalViews(model);
  const correct = new Map(categorical.map((v) => [v, 0]));
  let total = 0;
  let i = 0;
  for (const batch of data.chunks(EVAL_CHUNK)) {
    total += tf.tidy(() => {
      const t = model.terms(batch, deriveSeed(seed, i++));
      for (const v of categorical)
        correct.set(
          v,
          correct.get(v)! +
            correctPredictions(t.decoded.get(v)!.mean(), batch.get(v)!),
        );
      return tf.sum(tf.add(t.recon, t.kl)).dataSync()[0]!;
    });
    tf.dispose([...batch.values()]);
  }
  const out: HeldOut = { elbo: -total / data.n };
  if (categorical.length > 0)
    out.accuracy = Object.fromEntries(
      categorical.map((v) => [v, correct.get(v)! / data.n]),
    );
  return out;
}
