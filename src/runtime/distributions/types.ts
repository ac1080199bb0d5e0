// The contract every runtime distribution meets. Tensors are batched: B examples by d event
// dimensions; a prior's parameters have batch 1 and broadcast.
import type * as tf from "@tensorflow/tfjs";

export interface Distribution {
  /** The IR family (`diag_normal`, `bernoulli`, ...): the key of the KL registry. */
  readonly family: string;
  /** Event width d (for Categorical: 1 column holding the class index). */
  readonly width: number;
  /**
   * A reparameterized sample [n, d] (seed 000/002: z = μ + σ ⊙ ε, ε ~ N(0, I)), differentiable in the
   * parameters. `n` defaults to the parameters' batch size; a prior (batch 1) needs it.
   * `seed` fixes the noise, so the same seed gives the same sample on the same backend.
   */
  rsample(seed: number, n?: number): tf.Tensor2D;
  /** log p(x) per example [B], summed over the event dimensions. */
  logProb(x: tf.Tensor2D): tf.Tensor1D;
  /** E[x] [B, d] (for a Categorical: the class probabilities [B, k]). */
  mean(): tf.Tensor2D;
  /** Gaussian families only: each dimension's marginal mean and standard deviation [B, d]. */
  gaussianMarginals?(): { loc: tf.Tensor2D; scale: tf.Tensor2D };
}

/** Constrained parameters as the lowering hands them over (scales already positive). */
export type DistParams = Record<string, tf.Tensor>;

/** Builds a distribution of one family from its parameters and the IR options. */
export type DistFactory = (
  params: DistParams,
  options: Record<string, string | number | number[]>,
  width: number,
) => Distribution;

/** KL(q ‖ p) per example [B], in closed form. */
export type KlFn = (q: Distribution, p: Distribution) => tf.Tensor1D;
