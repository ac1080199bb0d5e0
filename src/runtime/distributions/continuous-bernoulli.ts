// Continuous Bernoulli likelihood `continuous_bernoulli` (Loaiza-Ganem & Cunningham 2019) on logits λ.
import * as tf from "@tensorflow/tfjs";
import type { DistFactory, DistParams } from "./types.js";
import { LogitDistribution } from "./bernoulli.js";
import { noGrad, sampleRows, uniform01 } from "./util.js";

/** Below this |λ| the closed forms lose precision (0/0 at λ = 0): use Taylor series. */
const TAYLOR = 0.1;

/** Elementwise `taylor` where |λ| < TAYLOR, else `exact`; the mask is built off the gradient tape. */
function branch(
  lambda: tf.Tensor,
  taylor: (l: tf.Tensor) => tf.Tensor,
  exact: (l: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const small = noGrad((l) => tf.less(tf.abs(l), TAYLOR), lambda);
  // Evaluate the exact branch at a harmless λ where the Taylor one is taken (no 0/0 NaN).
  const safe = tf.where(small, tf.onesLike(lambda), lambda);
  return tf.where(small, taylor(lambda), exact(safe));
}

/** 1/sinh(λ) = 2 sign(λ) e^{−|λ|} / (1 − e^{−2|λ|}), no overflow. */
function cosech(l: tf.Tensor): tf.Tensor {
  const a = tf.abs(l);
  return tf.div(
    tf.mul(tf.mul(2, tf.sign(l)), tf.exp(tf.neg(a))),
    tf.neg(tf.expm1(tf.mul(-2, a))),
  );
}

/**
 * log C(λ), C(λ) = λ / tanh(λ/2) (from 1 − 2p = −tanh(λ/2)), even in λ:
 * log|λ| − log tanh(|λ|/2) with log tanh(a/2) = log(−expm1(−a)) − log1p(e^{−a});
 * near 0: log 2 + λ²/12 − λ⁴/720. Its derivative 1/λ − 1/sinh λ (≈ λ/6 − 7λ³/360 near 0) is
 * supplied by customGrad, so the comparison choosing the branch never reaches the tape.
 */
export const logNormaliser = tf.customGrad(
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const lambda = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([lambda]);
    const value = branch(
      lambda,
      (l) => {
        const l2 = tf.square(l);
        return tf.add(Math.LN2, tf.mul(l2, tf.sub(1 / 12, tf.div(l2, 720))));
      },
      (l) => {
        const a = tf.abs(l);
        const logTanh = tf.sub(
          tf.log(tf.neg(tf.expm1(tf.neg(a)))),
          tf.log1p(tf.exp(tf.neg(a))),
        );
        return tf.sub(tf.log(a), logTanh);
      },
    );
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(
          dy,
          branch(
            saved[0]!,
            (l) => tf.mul(l, tf.sub(1 / 6, tf.mul(7 / 360, tf.square(l)))),
            (l) => tf.sub(tf.reciprocal(l), cosech(l)),
          ),
        ),
    };
  },
);

/**
 * E[x] = 1/(1 − e^{−λ}) − 1/λ (the λ-form of p/(2p−1) + 1/(2 artanh(1−2p))), limit ½ + λ/12
 * − λ³/720 near 0; derivative 1/λ² − 1/(4 sinh²(λ/2)) ≈ 1/12 − λ²/240 near 0.
 */
export const cbMean = tf.customGrad(
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const lambda = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([lambda]);
    const value = branch(
      lambda,
      (l) => tf.add(0.5, tf.mul(l, tf.sub(1 / 12, tf.div(tf.square(l), 720)))),
      (l) =>
        tf.sub(tf.neg(tf.reciprocal(tf.expm1(tf.neg(l)))), tf.reciprocal(l)),
    );
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(
          dy,
          branch(
            saved[0]!,
            (l) => tf.sub(1 / 12, tf.div(tf.square(l), 240)),
            (l) =>
              tf.sub(
                tf.reciprocal(tf.square(l)),
                tf.square(tf.mul(0.5, cosech(tf.mul(0.5, l)))),
              ),
          ),
        ),
    };
  },
);

export class ContinuousBernoulli extends LogitDistribution {
  readonly family = "continuous_bernoulli";

  constructor(params: DistParams, width: number) {
    super("continuous_bernoulli", params, width);
  }

  /**
   * Inverse CDF F⁻¹(u) = log1p(u·expm1(λ))/λ, written for λ > 0 as 1 − F⁻¹_{−λ}(1 − u) so that
   * nothing overflows; ≈ u + λu(1−u)/2 near 0. Not differentiated (off the tape): likelihoods
   * only need samples for `vae sample`.
   */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const rows = sampleRows(this.family, this.batch, n);
    return noGrad((l) => {
      const u = uniform01([rows, this.width], seed);
      const pos = tf.greater(l, 0);
      const a = tf.abs(l);
      const v = tf.where(pos, tf.sub(1, u), u); // solve for the λ ≤ 0 case
      const small = tf.less(a, 1e-3);
      const aSafe = tf.where(small, tf.onesLike(a), a);
      const neg = tf.div(
        tf.log1p(tf.mul(v, tf.expm1(tf.neg(aSafe)))),
        tf.neg(aSafe),
      );
      const negTaylor = tf.sub(
        v,
        tf.mul(tf.mul(a, tf.mul(v, tf.sub(1, v))), 0.5),
      );
      const y = tf.where(small, negTaylor, neg);
      return tf.clipByValue(
        tf.where(pos, tf.sub(1, y), y),
        0,
        1,
      ) as tf.Tensor2D;
    }, this.logitsFor(rows));
  }

  /** Σ_d [x·λ − softplus(λ) + log C(λ)]. */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    const l = this.logitsFor(x.shape[0]);
    return tf.add(this.bernoulliTerm(x), tf.sum(logNormaliser(l), 1));
  }

  mean(): tf.Tensor2D {
    return cbMean(this.logitsFor(this.batch)) as tf.Tensor2D;
  }
}

export const continuousBernoulliFactory: DistFactory = (
  params,
  _options,
  width,
) => new ContinuousBernoulli(params, width);
