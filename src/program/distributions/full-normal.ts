// Full-covariance Gaussian posterior `full_normal`, parameterised by its Cholesky factor L
// (Cholesky posteriors: Σ = L Lᵀ with L lower triangular and a positive diagonal τ, so log det Σ
// = 2 Σ log τ and a draw is μ + Lε).
import { concat, type Sym } from "../builder.js";
import type {
  DistFactory,
  DistParams,
  Distribution,
  NoiseSpec,
} from "./types.js";
import {
  HALF_LOG_2PI,
  alignRows,
  batchOf,
  checkData,
  checkNoise,
  full,
  param2d,
  sampleRows,
} from "./util.js";

const placements = new Map<number, number[]>();

/**
 * The constant 0/1 placement matrix P [d(d+1)/2, d·d] for width d: the packed layout
 * [τ (d) | strictly-lower L′ row-major (d(d−1)/2)] times P is L row-major, so τ_i lands at
 * i·d + i and packed entry (i, j), j < i, at i·d + j. A matmul needs no gather/scatter, and its
 * gradient is another matmul. Its size d²·d(d+1)/2 is fine for the latent widths VAEs use.
 */
function placement(d: number): number[] {
  let p = placements.get(d);
  if (p === undefined) {
    const cols = d * d;
    p = new Array<number>(((d * (d + 1)) / 2) * cols).fill(0);
    for (let i = 0; i < d; i++) {
      p[i * cols + i * d + i] = 1;
      for (let j = 0; j < i; j++)
        p[(d + (i * (i - 1)) / 2 + j) * cols + i * d + j] = 1;
    }
    placements.set(d, p);
  }
  return p;
}

export class FullGaussian implements Distribution {
  readonly family = "full_normal";
  readonly batch: number;
  /** loc [1|B, d]. */
  readonly loc: Sym;
  /** [1|B, d(d+1)/2] = [τ (d, positive) | strictly-lower L′ packed row-major (d(d−1)/2)]. */
  readonly packed: Sym;
  private flat: Sym | undefined;

  constructor(
    params: DistParams,
    readonly width: number,
  ) {
    const family = this.family;
    const d = width;
    this.loc = param2d(params, "loc", family);
    this.packed = param2d(params, "scale_tril", family);
    if (this.loc.shape[1] !== d)
      throw new Error(`distribution '${family}': loc must have ${d} columns`);
    if (this.packed.shape[1] !== (d * (d + 1)) / 2)
      throw new Error(
        `distribution '${family}': scale_tril must have d(d+1)/2 = ${(d * (d + 1)) / 2} columns, got ${this.packed.shape[1]}`,
      );
    this.batch = batchOf(family, this.loc, this.packed);
  }

  /** The diagonal τ of L [1|B, d]. */
  diag(): Sym {
    return this.packed.columns(0, this.width);
  }

  /** log τ = log diag L [1|B, d]. */
  logDiag(): Sym {
    return this.diag().log();
  }

  /** L row-major [1|B, d·d]: packed @ P (a constant placement matmul), built once per distribution. */
  scaleTrilFlat(): Sym {
    if (this.flat === undefined) {
      const d = this.width;
      const p = this.packed.builder.constant(placement(d), [
        (d * (d + 1)) / 2,
        d * d,
      ]);
      this.flat = this.packed.matmul(p);
    }
    return this.flat;
  }

  /** log det Σ = 2 Σ_i log τ_i per parameter row [1|B]. */
  logDetCov(): Sym {
    return this.logDiag().sum(1).mul(2);
  }

  /** ε ~ N(0, I) [rows, d]. */
  noise(rows: number): NoiseSpec[] {
    sampleRows(this.family, this.batch, rows);
    return [{ kind: "normal", shape: [rows, this.width] }];
  }

  /**
   * Reparameterization trick (Cholesky): z = μ + L ε, computed as (Lε)_i = Σ_j L_ij ε_j by
   * broadcasting L [rows|1, d, d] against ε [rows, 1, d]; handles stacked draws (rows = S·B).
   */
  rsample(noise: readonly Sym[]): Sym {
    const d = this.width;
    const rows = checkNoise(this.family, noise, (r) => this.noise(r));
    const flat = alignRows(this.scaleTrilFlat(), rows);
    const l = flat.reshape([flat.shape[0]!, d, d]);
    const le = l.mul(noise[0]!.reshape([rows, 1, d])).sum(2);
    return alignRows(this.loc, rows).add(le);
  }

  sample(noise: readonly Sym[]): Sym {
    return this.rsample(noise).stopGradient();
  }

  /**
   * log N(x; μ, L Lᵀ) = −½‖L⁻¹(x−μ)‖² − Σ log τ − (d/2) log 2π. y = L⁻¹(x−μ) by forward
   * substitution, y_i = (r_i − Σ_{j<i} L_ij y_j)/τ_i, with column slices of the packed factor
   * (differentiable, no triangular solve op needed; O(d) nodes).
   */
  logProb(x: Sym): Sym {
    const d = this.width;
    const rows = checkData(this.family, x, d, this.batch);
    const r = x.sub(alignRows(this.loc, rows));
    const packed = alignRows(this.packed, rows);
    const tau = packed.columns(0, d);
    let y: Sym | null = null;
    for (let i = 0; i < d; i++) {
      let ri = r.columns(i, 1);
      if (y !== null) {
        const li = packed.columns(d + (i * (i - 1)) / 2, i);
        ri = ri.sub(li.mul(y).sum(1, true));
      }
      const yi = ri.div(tau.columns(i, 1));
      y = y === null ? yi : concat([y, yi], 1);
    }
    const quad = y!.square().sum(1).mul(-0.5);
    const logNorm = this.logDiag()
      .sum(1)
      .add(d * HALF_LOG_2PI); // [1|B]
    return quad.sub(alignRows(logNorm, rows));
  }

  /** E[z] = μ [B, d]. */
  mean(): Sym {
    return full(this.loc, this.batch, this.width);
  }

  /** Marginal standard deviations √(Σ_j L_ij²): the square root of the diagonal of Σ = L Lᵀ. */
  gaussianMarginals(): { loc: Sym; scale: Sym } {
    const d = this.width;
    const flat = full(this.scaleTrilFlat(), this.batch, d * d);
    const rowsSq = flat.reshape([this.batch, d, d]).square().sum(2);
    return { loc: this.mean(), scale: rowsSq.sqrt() };
  }
}

export const fullNormalFactory: DistFactory = (params, size) =>
  new FullGaussian(params, size);
