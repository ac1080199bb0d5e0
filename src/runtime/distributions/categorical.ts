// Categorical likelihood `categorical`: logits [B, k]; data is one column holding the class index.
import * as tf from "@tensorflow/tfjs";
import type { DistFactory, DistParams } from "./types.js";
import {
  type BatchedDistribution,
  alignRows,
  batchOf,
  checkData,
  drawClasses,
  param2d,
  sampleRows,
} from "./util.js";

export class Categorical implements BatchedDistribution {
  readonly family = "categorical";
  readonly batch: number;
  /** Event width: 1 column holding the class index as a float. */
  readonly width = 1;
  readonly classes: number;
  readonly logits: tf.Tensor2D;

  constructor(
    params: DistParams,
    options: Record<string, string | number | number[]>,
  ) {
    this.logits = param2d(params, "logits", this.family);
    this.classes = this.logits.shape[1];
    const k = options["categories"] ?? options["classes"];
    if (typeof k === "number" && k !== this.classes) {
      throw new Error(
        `distribution 'categorical': logits has ${this.classes} columns, expected ${k} classes`,
      );
    }
    this.batch = batchOf(this.family, this.logits);
  }

  /** log softmax(logits) [B, k]. */
  logProbs(): tf.Tensor2D {
    return tf.logSoftmax(this.logits);
  }

  /** A seeded class draw [n, 1] (float class index). Not reparameterizable: off the tape. */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const rows = sampleRows(this.family, this.batch, n);
    const picks = drawClasses(this.logits, rows / this.batch, seed);
    return tf.reshape(tf.cast(picks, "float32"), [rows, 1]);
  }

  /** Σ_k oneHot(x)_k · log softmax(logits)_k: the one-hot of the data, not a gather. */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    const rows = checkData(this.family, x, 1);
    const onehot = tf.oneHot(
      tf.reshape(tf.cast(tf.round(x), "int32"), [rows]) as tf.Tensor1D,
      this.classes,
    );
    const lp = alignRows(this.logProbs(), rows);
    return tf.sum(tf.mul(tf.cast(onehot, "float32"), lp), 1);
  }

  /** The class probabilities softmax(logits) [B, k]. */
  mean(): tf.Tensor2D {
    return tf.softmax(this.logits);
  }
}

export const categoricalFactory: DistFactory = (params, options) =>
  new Categorical(params, options);
