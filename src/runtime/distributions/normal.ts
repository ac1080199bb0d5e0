// Diagonal Gaussian: the `normal` prior/likelihood and the `diag_normal` posterior share this code.
import * as tf from "@tensorflow/tfjs";
import type { DistFactory, DistParams } from "./types.js";
import {
  type BatchedDistribution,
  HALF_LOG_2PI,
  alignRows,
  batchOf,
  checkCols,
  checkData,
  full,
  param2d,
  sampleRows,
} from "./util.js";

export class DiagGaussian implements BatchedDistribution {
  readonly batch: number;
  /** loc, scale as handed over: [1|B, 1|d]; scale is already positive. */
  readonly loc: tf.Tensor2D;
  readonly scale: tf.Tensor2D;

  constructor(
    readonly family: string,
    params: DistParams,
    readonly width: number,
  ) {
    this.loc = param2d(params, "loc", family);
    this.scale = param2d(params, "scale", family);
    checkCols(this.loc, width, "loc", family);
    checkCols(this.scale, width, "scale", family);
    this.batch = batchOf(family, this.loc, this.scale);
  }

  /** loc broadcast to [B, d]. */
  fullLoc(): tf.Tensor2D {
    return full(this.loc, this.batch, this.width);
  }

  /** scale broadcast to [B, d]. */
  fullScale(): tf.Tensor2D {
    return full(this.scale, this.batch, this.width);
  }

  /** Reparameterized: z = μ + σ ⊙ ε, ε ~ N(0, I) (seed 000/002). */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const rows = sampleRows(this.family, this.batch, n);
    const eps = tf.randomNormal([rows, this.width], 0, 1, "float32", seed);
    const mu = alignRows(this.loc, rows);
    const sigma = alignRows(this.scale, rows);
    return tf.add(mu, tf.mul(sigma, eps));
  }

  /** Σ_d [−½((x−μ)/σ)² − log σ − ½ log 2π]. */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    const rows = checkData(this.family, x, this.width);
    const mu = alignRows(this.loc, rows);
    const sigma = alignRows(this.scale, rows);
    const z = tf.div(tf.sub(x, mu), sigma);
    const perDim = tf.sub(
      tf.mul(-0.5, tf.square(z)),
      tf.add(tf.log(sigma), HALF_LOG_2PI),
    );
    return tf.sum(perDim, 1);
  }

  mean(): tf.Tensor2D {
    return this.fullLoc();
  }

  gaussianMarginals(): { loc: tf.Tensor2D; scale: tf.Tensor2D } {
    return { loc: this.fullLoc(), scale: this.fullScale() };
  }
}

export function normalFactory(family: string): DistFactory {
  return (params, _options, width) => new DiagGaussian(family, params, width);
}
