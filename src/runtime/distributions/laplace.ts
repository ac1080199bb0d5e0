// Laplace likelihood `laplace`: location μ, positive scale b, per dimension.
import * as tf from "@tensorflow/tfjs";
import type { DistFactory, DistParams } from "./types.js";
import {
  type BatchedDistribution,
  alignRows,
  batchOf,
  checkCols,
  checkData,
  full,
  param2d,
  sampleRows,
} from "./util.js";

export class Laplace implements BatchedDistribution {
  readonly family = "laplace";
  readonly batch: number;
  readonly loc: tf.Tensor2D;
  readonly scale: tf.Tensor2D;

  constructor(
    params: DistParams,
    readonly width: number,
  ) {
    this.loc = param2d(params, "loc", this.family);
    this.scale = param2d(params, "scale", this.family);
    checkCols(this.loc, width, "loc", this.family);
    checkCols(this.scale, width, "scale", this.family);
    this.batch = batchOf(this.family, this.loc, this.scale);
  }

  /**
   * Inverse CDF: z = μ − b·sign(u)·log1p(−|u|), u uniform on (−1, 1). The sign/abs act on the
   * noise only, so the sample is reparameterized (differentiable in μ and b) with no
   * comparison op on the tape.
   */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const rows = sampleRows(this.family, this.batch, n);
    const u = tf.clipByValue(
      tf.randomUniform([rows, this.width], -1, 1, "float32", seed),
      -(1 - 1e-7),
      1 - 1e-7,
    );
    const e = tf.mul(tf.sign(u), tf.log1p(tf.neg(tf.abs(u))));
    return tf.sub(
      alignRows(this.loc, rows),
      tf.mul(alignRows(this.scale, rows), e),
    );
  }

  /** Σ_d [−|x−μ|/b − log 2b]. */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    const rows = checkData(this.family, x, this.width);
    const b = alignRows(this.scale, rows);
    const dev = tf.div(tf.abs(tf.sub(x, alignRows(this.loc, rows))), b);
    return tf.sum(tf.neg(tf.add(dev, tf.log(tf.mul(2, b)))), 1);
  }

  mean(): tf.Tensor2D {
    return full(this.loc, this.batch, this.width);
  }
}

export const laplaceFactory: DistFactory = (params, _options, width) =>
  new Laplace(params, width);
