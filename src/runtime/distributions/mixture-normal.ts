// Gaussian mixture prior `mixture_normal` (GaussianMixture): K diagonal components with learned weights.
import * as tf from "@tensorflow/tfjs";
import type { DistFactory, DistParams } from "./types.js";
import {
  type BatchedDistribution,
  HALF_LOG_2PI,
  checkData,
  drawClasses,
  param2d,
  sampleRows,
} from "./util.js";

export class GaussianMixture implements BatchedDistribution {
  readonly family = "mixture_normal";
  /** A prior: its parameters are shared by every example. */
  readonly batch = 1;
  readonly components: number;
  /** logits [1, K]; loc, scale [K, d] (scale positive). */
  readonly logits: tf.Tensor2D;
  readonly loc: tf.Tensor2D;
  readonly scale: tf.Tensor2D;

  constructor(
    params: DistParams,
    options: Record<string, string | number | number[]>,
    readonly width: number,
  ) {
    const family = this.family;
    this.logits = param2d(params, "logits", family);
    this.loc = param2d(params, "loc", family);
    this.scale = param2d(params, "scale", family);
    const k = this.logits.shape[1];
    const opt = options["components"];
    if (typeof opt === "number" && opt !== k) {
      throw new Error(
        `distribution '${family}': logits has ${k} components, option components = ${opt}`,
      );
    }
    if (this.logits.shape[0] !== 1) {
      throw new Error(`distribution '${family}': logits must be [1, K]`);
    }
    for (const [name, t] of [
      ["loc", this.loc],
      ["scale", this.scale],
    ] as const) {
      if (t.shape[0] !== k || (t.shape[1] !== width && t.shape[1] !== 1)) {
        throw new Error(
          `distribution '${family}': ${name} must be [${k}, ${width}], got [${t.shape.join(", ")}]`,
        );
      }
    }
    this.components = k;
  }

  /** Mixture weights log π [1, K]. */
  logWeights(): tf.Tensor2D {
    return tf.logSoftmax(this.logits);
  }

  /**
   * Picks a component per row with a seeded categorical draw, then z = μ_k + σ_k ⊙ ε. Selection
   * is oneHot @ loc (no gather). Differentiable in loc and scale, NOT in the weights (the
   * discrete draw is off the tape); priors only need samples for `vae sample`.
   */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const rows = sampleRows(this.family, 1, n);
    const k = this.components;
    const picks = drawClasses(this.logits, rows, seed + 104729);
    const onehot = tf.cast(tf.oneHot(picks, k), "float32") as tf.Tensor2D;
    const mu = tf.matMul(onehot, this.loc);
    const sigma = tf.matMul(onehot, this.scale);
    const eps = tf.randomNormal([rows, this.width], 0, 1, "float32", seed);
    return tf.add(mu, tf.mul(sigma, eps));
  }

  /** logSumExp_k(log π_k + Σ_d log N(x_d; μ_kd, σ_kd)), broadcasting [N,1,d] against [1,K,d]. */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    const rows = checkData(this.family, x, this.width);
    const k = this.components;
    const x3 = tf.reshape(x, [rows, 1, this.width]);
    const mu = tf.reshape(this.loc, [1, k, -1]);
    const sigma = tf.reshape(this.scale, [1, k, -1]);
    const z = tf.div(tf.sub(x3, mu), sigma);
    const perDim = tf.sub(
      tf.mul(-0.5, tf.square(z)),
      tf.add(tf.log(sigma), HALF_LOG_2PI),
    ); // [N, K, d]
    const perComp = tf.add(tf.sum(perDim, 2), this.logWeights()); // [N, K]
    return tf.logSumExp(perComp, 1);
  }

  /** E[z] = Σ_k π_k μ_k [1, d]. */
  mean(): tf.Tensor2D {
    const m = tf.matMul(tf.softmax(this.logits), this.loc);
    return tf.add(m, tf.zeros([1, this.width]));
  }
}

export const mixtureNormalFactory: DistFactory = (params, options, width) =>
  new GaussianMixture(params, options, width);
