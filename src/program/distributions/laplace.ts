// Laplace likelihood `laplace`: location μ, positive scale b, per dimension;
// p(x) = exp(−|x − μ|/b) / 2b.
import type { Sym } from "../builder.js";
import type {
  DistFactory,
  DistParams,
  Distribution,
  NoiseSpec,
} from "./types.js";
import {
  alignRows,
  batchOf,
  checkCols,
  checkData,
  checkNoise,
  full,
  param2d,
  sampleRows,
} from "./util.js";

export class Laplace implements Distribution {
  readonly family = "laplace";
  readonly batch: number;
  readonly loc: Sym;
  readonly scale: Sym;

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

  /** u ~ U(0, 1) [rows, d]. */
  noise(rows: number): NoiseSpec[] {
    sampleRows(this.family, this.batch, rows);
    return [{ kind: "uniform", shape: [rows, this.width] }];
  }

  /**
   * Reparameterized by the inverse CDF: with v = 2u − 1 uniform on (−1, 1),
   * z = μ − b·sign(v)·log1p(−|v|). sign and abs act on the noise only, so z is differentiable
   * in μ and b.
   */
  rsample(noise: readonly Sym[]): Sym {
    const rows = checkNoise(this.family, noise, (r) => this.noise(r));
    const v = noise[0]!.mul(2).sub(1);
    const e = v.sign().mul(v.abs().neg().log1p());
    return alignRows(this.loc, rows).sub(alignRows(this.scale, rows).mul(e));
  }

  sample(noise: readonly Sym[]): Sym {
    return this.rsample(noise).stopGradient();
  }

  /** Σ_d [−|x−μ|/b − log 2b]. */
  logProb(x: Sym): Sym {
    const rows = checkData(this.family, x, this.width, this.batch);
    const b = alignRows(this.scale, rows);
    const dev = x.sub(alignRows(this.loc, rows)).abs().div(b);
    return dev.add(b.mul(2).log()).neg().sum(1);
  }

  /** E[x] = μ [B, d]. */
  mean(): Sym {
    return full(this.loc, this.batch, this.width);
  }
}

export const laplaceFactory: DistFactory = (params, size) =>
  new Laplace(params, size);
