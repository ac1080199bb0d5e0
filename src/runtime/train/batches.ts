// The training data on the backend: each view uploaded once; every epoch a seeded permutation is
// uploaded once and batches are gathered on the device (no per-step host copies). Dynamic
// binarization draws a fresh Bernoulli sample of each binary view per batch, seeded by its step.
import * as tf from "@tensorflow/tfjs";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { IrView } from "../../compiler/ir/types.js";
import type { Dataset } from "../data/dataset.js";
import type { Batch } from "../lower/model.js";
import { deriveSeed, Stream } from "../lower/seeds.js";

/** A seeded Fisher–Yates permutation of 0..n−1. */
export function permutation(n: number, seed: number): Int32Array {
  const rng = xoroshiro128plus(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

export class DeviceData {
  readonly n: number;
  private readonly views = new Map<string, tf.Tensor2D>();
  /** Binary views binarized afresh for every batch (dynamic binarization). */
  private readonly dynamic: Set<string>;

  constructor(dataset: Dataset, views: readonly IrView[]) {
    this.n = dataset.n;
    for (const v of views)
      this.views.set(
        v.name,
        tf.tensor2d(dataset.views.get(v.name)!, [
          dataset.n,
          dataset.widths.get(v.name)!,
        ]),
      );
    this.dynamic = new Set(dataset.dynamic);
  }

  batchCount(batchSize: number): number {
    return Math.ceil(this.n / batchSize);
  }

  /** The epoch's order, on the device (the caller disposes it). */
  order(seed: number, epoch: number, shuffle: boolean): tf.Tensor1D {
    if (!shuffle) return tf.range(0, this.n, 1, "int32") as tf.Tensor1D;
    return tf.tensor1d(
      permutation(this.n, deriveSeed(seed, Stream.shuffle, epoch)),
      "int32",
    );
  }

  /** Batch `index` of an epoch's order; the last batch may be smaller (as PyTorch's DataLoader). */
  batch(
    order: tf.Tensor1D,
    index: number,
    batchSize: number,
    binarizeSeed?: number,
  ): Batch {
    const start = index * batchSize;
    const size = Math.min(batchSize, this.n - start);
    const idx = tf.slice(order, [start], [size]);
    const out: Batch = new Map();
    let k = 0;
    for (const [name, values] of this.views) {
      let b: tf.Tensor2D = tf.gather(values, idx);
      if (this.dynamic.has(name) && binarizeSeed !== undefined) {
        const u = tf.randomUniform(
          b.shape,
          0,
          1,
          "float32",
          deriveSeed(binarizeSeed, Stream.binarize, k++),
        );
        b = tf.cast(tf.less(u, b), "float32") as tf.Tensor2D;
      }
      out.set(name, b as tf.Tensor2D);
    }
    idx.dispose();
    return out;
  }

  /** All examples in order, in chunks (evaluation); dynamic binarization is seeded by the chunk. */
  *chunks(size: number, seed = 0): Generator<Batch> {
    const order = this.order(0, 0, false);
    try {
      for (let i = 0; i < this.batchCount(size); i++)
        yield this.batch(order, i, size, deriveSeed(seed, i));
    } finally {
      order.dispose();
    }
  }

  dispose(): void {
    for (const t of this.views.values()) t.dispose();
  }
}
