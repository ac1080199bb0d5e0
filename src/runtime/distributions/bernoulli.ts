// Bernoulli likelihood `bernoulli` on logits; grey levels x ∈ [0, 1] score like BCE-with-logits.
import * as tf from "@tensorflow/tfjs";
import type { DistFactory, DistParams } from "./types.js";
import {
  type BatchedDistribution,
  alignRows,
  batchOf,
  checkCols,
  checkData,
  full,
  noGrad,
  param2d,
  sampleRows,
} from "./util.js";

/** Logit-parameterised distributions on [0, 1]^d: the shared parameter handling. */
export abstract class LogitDistribution implements BatchedDistribution {
  abstract readonly family: string;
  readonly batch: number;
  /** logits [1|B, 1|d]. */
  readonly logits: tf.Tensor2D;

  constructor(
    family: string,
    params: DistParams,
    readonly width: number,
  ) {
    this.logits = param2d(params, "logits", family);
    checkCols(this.logits, width, "logits", family);
    this.batch = batchOf(family, this.logits);
  }

  /** Logits lined up with `rows` rows of width d. */
  protected logitsFor(rows: number): tf.Tensor2D {
    return full(alignRows(this.logits, rows), rows, this.width);
  }

  /** Σ_d [x·λ − softplus(λ)] [N], the stable form of BCE-with-logits (torch's, also for grey x). */
  protected bernoulliTerm(x: tf.Tensor2D): tf.Tensor1D {
    const rows = checkData(this.family, x, this.width);
    const l = this.logitsFor(rows);
    return tf.sum(tf.sub(tf.mul(x, l), tf.softplus(l)), 1);
  }

  abstract rsample(seed: number, n?: number): tf.Tensor2D;
  abstract logProb(x: tf.Tensor2D): tf.Tensor1D;
  abstract mean(): tf.Tensor2D;
}

export class Bernoulli extends LogitDistribution {
  readonly family = "bernoulli";

  constructor(params: DistParams, width: number) {
    super("bernoulli", params, width);
  }

  /**
   * A Bernoulli draw 1[u < σ(λ)] — not reparameterizable (zero gradient, off the tape); used
   * only to sample images.
   */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const rows = sampleRows(this.family, this.batch, n);
    return noGrad((l) => {
      const u = tf.randomUniform([rows, this.width], 0, 1, "float32", seed);
      return tf.cast(tf.less(u, tf.sigmoid(l)), "float32") as tf.Tensor2D;
    }, this.logitsFor(rows));
  }

  logProb(x: tf.Tensor2D): tf.Tensor1D {
    return this.bernoulliTerm(x);
  }

  /** σ(λ) [B, d]. */
  mean(): tf.Tensor2D {
    return tf.sigmoid(this.logitsFor(this.batch));
  }
}

export const bernoulliFactory: DistFactory = (params, _options, width) =>
  new Bernoulli(params, width);
