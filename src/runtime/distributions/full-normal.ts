// Full-covariance Gaussian posterior `full_normal`, parameterised by a Cholesky factor L (seed 001).
import * as tf from "@tensorflow/tfjs";
import type { DistParams, DistFactory } from "./types.js";
import {
  type BatchedDistribution,
  HALF_LOG_2PI,
  alignRows,
  batchOf,
  checkData,
  full,
  param2d,
  sampleRows,
} from "./util.js";

const placements = new Map<
  number,
  { lower: Float32Array; diag: Float32Array }
>();

/**
 * Constant 0/1 placement matrices for width d (cached as plain arrays, so no tensor outlives a
 * tidy): `lower` [m, d·d] puts packed strictly-lower entry (i, j), at i(i−1)/2 + j, at i·d + j;
 * `diag` [d, d·d] puts entry i at i·d + i. L = packed @ lower + τ @ diag needs no gather/scatter
 * (whose gradients the wasm backend lacks, PERF-NOTES). Cost O(B·d⁴/2) multiply-adds: fine for
 * the latent widths VAEs use.
 */
function placement(d: number): { lower: Float32Array; diag: Float32Array } {
  let p = placements.get(d);
  if (p === undefined) {
    const m = (d * (d - 1)) / 2;
    const lower = new Float32Array(m * d * d);
    const diag = new Float32Array(d * d * d);
    for (let i = 0; i < d; i++) {
      diag[i * d * d + i * d + i] = 1;
      for (let j = 0; j < i; j++) {
        lower[((i * (i - 1)) / 2 + j) * d * d + i * d + j] = 1;
      }
    }
    p = { lower, diag };
    placements.set(d, p);
  }
  return p;
}

export class FullGaussian implements BatchedDistribution {
  readonly family = "full_normal";
  readonly batch: number;
  readonly loc: tf.Tensor2D;
  /** RAW [B, d(d+1)/2] = [log τ (d) | strictly-lower L′ packed row-major (d(d−1)/2)]. */
  readonly raw: tf.Tensor2D;
  private readonly clamp: [number, number] | null;

  constructor(
    params: DistParams,
    options: Record<string, string | number | number[]>,
    readonly width: number,
  ) {
    const family = this.family;
    this.loc = param2d(params, "loc", family);
    this.raw = param2d(params, "scale_tril", family);
    const d = width;
    if (this.loc.shape[1] !== d) {
      throw new Error(`distribution '${family}': loc must have ${d} columns`);
    }
    if (this.raw.shape[1] !== (d * (d + 1)) / 2) {
      throw new Error(
        `distribution '${family}': scale_tril must have d(d+1)/2 = ${(d * (d + 1)) / 2} columns, got ${this.raw.shape[1]}`,
      );
    }
    const c = options["clamp"];
    this.clamp = Array.isArray(c) && c.length === 2 ? [c[0]!, c[1]!] : null;
    this.batch = batchOf(family, this.loc, this.raw);
  }

  /** log τ = log diag L [B, d], clipped to the `clamp` option when given. */
  logDiag(): tf.Tensor2D {
    const t = tf.slice(this.raw, [0, 0], [-1, this.width]);
    return this.clamp ? tf.clipByValue(t, this.clamp[0], this.clamp[1]) : t;
  }

  /** The strictly-lower entries L′ [B, d(d−1)/2], packed row-major. */
  lowerPacked(): tf.Tensor2D {
    return tf.slice(this.raw, [0, this.width], [-1, -1]);
  }

  /** L row-major [B, d·d]: mask ⊙ L′ + diag(exp(log τ)) (seed 001), built by placement matMul. */
  scaleTrilFlat(): tf.Tensor2D {
    const d = this.width;
    const p = placement(d);
    let flat = tf.matMul(
      tf.exp(this.logDiag()),
      tf.tensor2d(p.diag, [d, d * d]),
    );
    if (d > 1) {
      const m = (d * (d - 1)) / 2;
      flat = tf.add(
        flat,
        tf.matMul(this.lowerPacked(), tf.tensor2d(p.lower, [m, d * d])),
      );
    }
    return flat as tf.Tensor2D;
  }

  /** L [B, d, d], lower triangular with exp(log τ) on the diagonal. */
  scaleTril(): tf.Tensor3D {
    return tf.reshape(this.scaleTrilFlat(), [-1, this.width, this.width]);
  }

  /** log det Σ = 2 Σ log diag L per example [B] (seed 001). */
  logDetCov(): tf.Tensor1D {
    return tf.mul(2, tf.sum(this.logDiag(), 1));
  }

  /**
   * Reparameterized z = μ + L ε. Computed as Σ_j L_ij ε_j by broadcasting [rows, d, d] ⊙
   * [rows, 1, d]: handles stacked draws (rows = S·B) and avoids the transposed matMuls of a
   * batched matMul's gradient (slow on wasm, PERF-NOTES).
   */
  rsample(seed: number, n?: number): tf.Tensor2D {
    const d = this.width;
    const rows = sampleRows(this.family, this.batch, n);
    const eps = tf.randomNormal([rows, 1, d], 0, 1, "float32", seed);
    const l = tf.reshape(alignRows(this.scaleTrilFlat(), rows), [-1, d, d]);
    const le = tf.sum(tf.mul(l, eps), 2) as tf.Tensor2D;
    return tf.add(alignRows(this.loc, rows), le);
  }

  /**
   * log N(x; μ, L Lᵀ) = −½‖L⁻¹(x−μ)‖² − Σ log τ − (d/2) log 2π. L⁻¹(x−μ) by forward
   * substitution over the d rows with column slices of the packed factor (differentiable, no
   * triangular solve needed; fine for d ≤ 64).
   */
  logProb(x: tf.Tensor2D): tf.Tensor1D {
    const d = this.width;
    const rows = checkData(this.family, x, d);
    const r = tf.sub(x, alignRows(this.loc, rows));
    const logTau = full(alignRows(this.logDiag(), rows), rows, d);
    const tau = tf.exp(logTau);
    const lower =
      d > 1
        ? full(alignRows(this.lowerPacked(), rows), rows, (d * (d - 1)) / 2)
        : null;
    const ys: tf.Tensor2D[] = [];
    for (let i = 0; i < d; i++) {
      let ri = tf.slice(r, [0, i], [-1, 1]) as tf.Tensor2D;
      if (i > 0 && lower !== null) {
        const li = tf.slice(lower, [0, (i * (i - 1)) / 2], [-1, i]);
        const prev = ys.length === 1 ? ys[0]! : tf.concat(ys, 1);
        ri = tf.sub(ri, tf.sum(tf.mul(li, prev), 1, true));
      }
      ys.push(tf.div(ri, tf.slice(tau, [0, i], [-1, 1])));
    }
    const y = ys.length === 1 ? ys[0]! : tf.concat(ys, 1);
    const quad = tf.mul(-0.5, tf.sum(tf.square(y), 1));
    return tf.sub(quad, tf.add(tf.sum(logTau, 1), d * HALF_LOG_2PI));
  }

  mean(): tf.Tensor2D {
    return full(this.loc, this.batch, this.width);
  }
  /** Marginal standard deviations √(Σ_j L_ij²): the diagonal of Σ = L Lᵀ (seed 001). */
  gaussianMarginals(): { loc: tf.Tensor2D; scale: tf.Tensor2D } {
    const rows = tf.reshape(this.scaleTrilFlat(), [
      this.batch,
      this.width,
      this.width,
    ]);
    return {
      loc: this.loc,
      scale: tf.sqrt(tf.sum(tf.square(rows), 2)) as tf.Tensor2D,
    };
  }
}

export const fullNormalFactory: DistFactory = (params, options, width) =>
  new FullGaussian(params, options, width);
